"""Loading and upkeep: ``iphub ingest``, ``quarantine``, ``crawl``, ``retag``, ``reindex``,
``info``."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.cells import cell_len
from rich.console import Console
from rich.progress import (
    MofNCompleteColumn,
    Progress,
    TimeElapsedColumn,
)
from rich.table import Table

from iphub.cli import (
    INTERRUPTED,
    StoreOpt,
    alerts_line,
    app,
    console,
    err,
    match_batch,
    settings_for,
    stored,
    whole_number,
)
from iphub.records import RECORD_KINDS
from iphub.store import open_store

if TYPE_CHECKING:
    from ingest.load import RunSummary


@app.command()
def crawl(
    spider: Annotated[str, typer.Argument(help="gazette | patent_pages")],
    arg: Annotated[
        list[str] | None, typer.Option("--arg", "-a", help="spider argument key=value")
    ] = None,
    setting: Annotated[
        list[str] | None, typer.Option("--set", "-s", help="Scrapy setting NAME=value")
    ] = None,
    licensed: Annotated[
        bool, typer.Option(help="you hold a licence for a 'licensed access only' source")
    ] = False,
    store: StoreOpt = None,
) -> None:
    """Crawl a registered source with a Scrapy spider, as one ingest batch (docs/crawling.md)."""
    from ingest.spiders.jobdir import STORE_UNAVAILABLE
    from ingest.spiders.run import crawl as run
    from ingest.spiders.run import preflight
    from ingest.spiders.sources import SourceRefused

    def pairs(values: list[str] | None, what: str) -> dict[str, str]:
        out = {}
        for value in values or ():
            key, sep, val = value.partition("=")
            if not sep or not key:
                err.print(f"[red]{what} must be key=value, not {value!r}[/]")
                raise typer.Exit(2)
            out[key] = val
        return out

    args = pairs(arg, "-a")
    if licensed:
        args["licensed"] = "yes"
    try:
        source = preflight(spider, args)
    except (KeyError, SourceRefused) as exc:
        err.print(f"[red]{exc.args[0]}[/]")
        raise typer.Exit(2) from None
    settings = settings_for(store)
    overrides: dict[str, object] = {
        "IPHUB_STORE": settings.store,
        "USER_AGENT": settings.crawl_user_agent(),  # IPHUB_CRAWL_CONTACT names the operator
    }
    overrides.update(pairs(setting, "-s"))
    stats = run(spider, args, overrides)
    summary = {
        "source": source.name,
        "batch": stats.get("iphub/batch_id"),
        "stored": stats.get("iphub/stored", 0),
        "quarantined": stats.get("iphub/quarantined", 0),
        "unchanged_skipped": stats.get("iphub/unchanged_skipped", 0),
        "requests": stats.get("downloader/request_count", 0),
        "finish_reason": stats.get("finish_reason"),
    }
    failure = stats.get(STORE_UNAVAILABLE)
    if failure is None:
        summary["alerts"] = match_batch(settings_for(store), summary["batch"])
    console.print_json(json.dumps(summary, default=str))
    if failure is not None:  # the records not written are fetched again by the next crawl
        err.print(
            f"[red]存储不可用，爬取已停止 / store unavailable, crawl stopped: {failure}. "
            "再次运行同一命令即可续爬 / run the same command again to go on[/]",
            highlight=False,
        )
        raise typer.Exit(3)


RETAG_CHECKPOINT = "retag:progress"


@app.command()
def retag(
    store: StoreOpt = None,
    batch_size: Annotated[
        int, typer.Option(parser=whole_number(1, 100_000), help="records a write (1-100,000)")
    ] = 2000,
    restart: Annotated[bool, typer.Option(help="ignore a stopped run's progress")] = False,
) -> None:
    """Re-enrich every stored record (after a table in nlp/data changes); resumable.

    Only records whose tags change are written, as one ingest batch, so subscriptions hear of
    records that newly match (an industry feed after the industry table grew, say).
    """
    from iphub.store.plan import All
    from nlp.enrich import enrich

    settings = settings_for(store)
    st = open_store(settings.store, create=False)
    try:
        progress = {} if restart else json.loads(st.get_checkpoint(RETAG_CHECKPOINT) or "{}")
        batch = str(progress.get("batch") or st.begin_batch("retag"))
        changed = int(progress.get("changed", 0))
        for kind in RECORD_KINDS:
            done = int(progress.get(kind, 0))
            records = islice(st.scan(kind, All()), done, None)
            while chunk := list(islice(records, batch_size)):
                fresh = [enrich(r) for r in chunk]
                writes = [
                    new.model_copy(update={"batch_id": batch})
                    for old, new in zip(chunk, fresh, strict=True)
                    if new != old
                ]
                if writes:
                    st.upsert(writes)
                    st.refresh()
                done += len(chunk)
                changed += len(writes)
                progress |= {"batch": batch, "changed": changed, kind: done}
                st.set_checkpoint(RETAG_CHECKPOINT, json.dumps(progress))
            console.print(f"{kind}: {done} records read")
        st.finish_batch(batch, changed)
        st.set_checkpoint(RETAG_CHECKPOINT, "{}")
    finally:
        st.close()
    console.print(f"重新标引 / retagged: {changed} records changed (batch {batch})")
    console.print(alerts_line(match_batch(settings, batch)), soft_wrap=True, highlight=False)


@app.command()
def reindex(store: StoreOpt = None) -> None:
    """Rebuild the search index from the records.

    Embedded: the tantivy index from SQLite. Elasticsearch: the next versioned index, then an
    atomic alias swap (no downtime); also migrates an index from before versioned indices."""
    from iphub.store.embedded import EmbeddedStore

    with stored(settings_for(store).store) as st:
        rebuild = getattr(st, "reindex", None)
        if rebuild is None:
            err.print("this store cannot be rebuilt")
            raise typer.Exit(2)
        if not isinstance(st, EmbeddedStore):
            console.print(f"reindexed {rebuild()} records")
            return
        if st.rebuilt_on_open is not None:  # a changed schema or a stopped rebuild: done now
            console.print(f"重建索引 / reindexed {st.rebuilt_on_open:,} records (on opening)")
            return
        columns = (*Progress.get_default_columns(), MofNCompleteColumn())
        with Progress(*columns, console=err) as bar:
            task = bar.add_task("重建索引 / reindex", total=None)

            def advance(done: int, total: int) -> None:
                bar.update(task, advance=done, total=total)

            n = st.reindex(advance)
        console.print(f"重建索引 / reindexed {n:,} records")


@app.command()
def info(store: StoreOpt = None) -> None:
    """Record counts (patents, trademarks, copyright registrations) and ingest batches."""
    with stored(settings_for(store).store) as st:
        out = {
            "patents": st.count("patent"),
            "trademarks": st.count("trademark"),
            "copyrights": st.count("copyright"),
            "batches": [b.__dict__ for b in st.batches()],
        }
    console.print_json(json.dumps(out, default=str))


@app.command("quarantine")
def quarantine_summary(
    batch: Annotated[
        str | None,
        typer.Argument(
            help="batch id or quarantine file (default: the newest file in the folder; a run "
            "that quarantined nothing writes none)"
        ),
    ] = None,
    quarantine_dir: Annotated[Path, typer.Option()] = Path("var/quarantine"),
    top: Annotated[int, typer.Option(parser=whole_number(1), help="rows of each table (≥1)")] = 20,
) -> None:
    """隔离记录汇总 / Quarantined records of a load or crawl, counted by reason and by file."""
    from ingest.quarantine import tally

    if batch is not None and batch.endswith(".jsonl"):
        path = Path(batch)
    elif batch is not None:
        path = quarantine_dir / f"{batch}.jsonl"
    else:
        found = sorted(quarantine_dir.glob("*.jsonl"), key=lambda p: p.stat().st_mtime)
        if not found:
            console.print(f"没有隔离记录 / nothing quarantined in {quarantine_dir}")
            return
        path = found[-1]
    if not path.is_file():
        err.print(f"[red]没有此隔离文件 / no quarantine file {path}[/]", highlight=False)
        raise typer.Exit(2)
    counts = tally(path)
    written = dt.datetime.fromtimestamp(path.stat().st_mtime).isoformat(timespec="seconds")
    console.print(
        f"{path} (写于 / written {written}): {counts.records:,} records,"
        f" {len(counts.refused):,} files refused"
    )
    for title, column, rows in (
        ("按原因 / by reason", "reason", counts.reasons.most_common(top)),
        ("按文件 / by file", "file", counts.files.most_common(top)),
    ):
        if rows:
            table = Table(title=title)
            table.add_column("records", justify="right")
            table.add_column(column, overflow="fold")
            for name, n in rows:
                table.add_row(f"{n:,}", name)
            console.print(table)
    _refused(list(counts.refused.items()), top)


def _refused(files: list[tuple[str, str]], top: int) -> None:
    """The files quarantined whole, with why (the first ``top``; every one is in the file)."""
    if not files:
        return
    console.print("[red]未载入的文件 / files not loaded:[/]")
    for file, reason in files[:top]:
        console.print(f"  {file}: {reason}", markup=False, soft_wrap=True, highlight=False)
    if len(files) > top:
        console.print(f"  … {len(files) - top:,} more in the quarantine file")


@contextmanager
def _stop_on_ctrl_c(stop: threading.Event) -> Iterator[None]:
    """Ctrl-C asks the run to stop at its next record, with what it read committed (the load
    checks ``stop``); a second Ctrl-C stops it at once, from the last commit. A flag, and not
    Python's KeyboardInterrupt alone: that exception, raised wherever the process happens to be,
    is lost when it lands in a finaliser (``Exception ignored in …``), and a load into
    Elasticsearch was seen, now and then, to take its Ctrl-C and go on to the end."""

    def asked(_signum: int, _frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    previous = signal.signal(signal.SIGINT, asked)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextmanager
def _ctrl_c_exits() -> Iterator[None]:
    """A Ctrl-C that reaches the command as Python's KeyboardInterrupt (before the run takes it
    in hand with :func:`_stop_on_ctrl_c`, while it starts; or after, while the alerts match)
    ends it with one line and exit code 130, not a traceback."""
    try:
        yield
    except KeyboardInterrupt:
        err.print(f"[yellow]{INTERRUPTED}. {_RESUME}[/]")
        raise typer.Exit(130) from None


_RESUME = (
    "再次运行同一命令，即从各文件最后提交处续传 / "
    "run the same command again to resume each file from its last commit"
)


#: files listed one by one in the summary; past that, those with quarantined records (every
#: file's figures stay in the batch's record, and every bad record in the quarantine file)
SUMMARY_ROWS = 100
REASON_ROWS = 5  # kinds of quarantine reason listed under the summary, commonest first


def common_folder(files: list[str]) -> str:
    """The folder every one of several ``files`` lies in (a member ``x.zip!a.xml`` lies where
    ``x.zip`` does), or '' (one file, or none in common): the summary names the files below
    it, so that a delivery's long paths do not fill the table and wrap its rows."""
    outer = [file.split("!", 1)[0] for file in files]
    if len(files) < 2 or len({os.path.isabs(path) for path in outer}) > 1:
        return ""
    folder = os.path.commonpath(outer)
    if folder in outer:  # one file, or members of one archive: its folder
        folder = os.path.dirname(folder)
    return "" if folder == os.path.dirname(folder) else folder  # the root says nothing


def _sums(files: list[Any]) -> list[str]:
    """The summed columns of ``files`` (``FileSummary``), as the table shows them."""
    totals = (
        sum(getattr(f, n) for f in files) for n in ("read", "loaded", "merged", "quarantined")
    )
    return [*(f"{t:,}" for t in totals), f"{sum(f.seconds for f in files):.2f}"]


def _existing(paths: list[Path]) -> list[Path]:
    """The paths named, each of them there (Click's own check says so in English only)."""
    if missing := [str(p) for p in paths if not p.exists()]:
        raise typer.BadParameter(
            f"文件或目录不存在 / no such file or directory: {', '.join(missing)}"
        )
    return paths


def _existing_file(path: Path | None) -> Path | None:
    return None if path is None else _existing([path])[0]


@app.command()
def ingest(
    paths: Annotated[
        list[Path],
        typer.Argument(help="files, directories, .zip/.tar/.gz/.bz2/.xz", callback=_existing),
    ],
    fmt: Annotated[
        str, typer.Option("--format", help="auto (sniffed) or uspto, epo, cnipa, st96, ...")
    ] = "auto",
    store: StoreOpt = None,
    batch_size: Annotated[
        int, typer.Option(parser=whole_number(1, 100_000), help="records an upsert (1-100,000)")
    ] = 500,
    workers: Annotated[
        int,
        typer.Option(
            parser=whole_number(1, 64),
            help="并行进程数 / processes that parse, enrich and segment (1-64; 2 on 2 cores: "
            "1.5-2x as fast, ~150 MB more memory)",
        ),
    ] = 1,
    mapping: Annotated[
        Path | None,
        typer.Option(help="JSON column mapping for CSV/XLSX/XLS/JSON", callback=_existing_file),
    ] = None,
    quarantine_dir: Annotated[Path, typer.Option()] = Path("var/quarantine"),
    restart: Annotated[
        bool, typer.Option(help="ignore checkpoints, load every file again")
    ] = False,
    commit_every: Annotated[
        int,
        typer.Option(parser=whole_number(1), help="commit and checkpoint every N records (≥1)"),
    ] = 20_000,
) -> None:
    """载入批量文件 / Load bulk files (USPTO, EPO, CNIPA, ST.96, CSV/XLSX/XLS/JSON) as one batch."""
    with _ctrl_c_exits():  # at any moment, from the first: one line, exit code 130
        from ingest import formats
        from ingest.load import Interrupted, Options
        from ingest.load import ingest as run
        from ingest.parsers.mapped import load_mapping
        from ingest.workers import WorkerFailed
        from iphub.store.base import StoreUnavailable

        if fmt != "auto" and fmt not in formats.FORMATS:
            known = ", ".join(["auto", *formats.FORMATS])
            err.print(f"[red]未知格式 / unknown format {fmt!r}; 可选 / known: {known}[/]")
            raise typer.Exit(2)
        try:
            column_mapping = load_mapping(mapping)
        except ValueError as exc:
            err.print(str(exc), style="red", markup=False, highlight=False)
            raise typer.Exit(2) from exc
        try:  # made now: a run must not stop at its first bad record for want of a place for it
            quarantine_dir.mkdir(parents=True, exist_ok=True)
            if not os.access(quarantine_dir, os.W_OK):
                raise PermissionError(f"not writable: {quarantine_dir}")
        except OSError as exc:
            raise typer.BadParameter(
                f"隔离目录不可用 / cannot use quarantine directory: {exc}",
                param_hint="--quarantine-dir",
            ) from None
        from nlp.enrich import enrich

        options = Options(
            fmt=fmt,
            batch_size=batch_size,
            workers=workers,
            quarantine_dir=quarantine_dir,
            mapping=column_mapping,
            restart=restart,
            commit_every=commit_every,
            enrich=enrich,
        )
        st = open_store(settings_for(store).store)
        columns = (
            "[progress.description]{task.description}",
            "{task.completed:,} records",
            "[cyan]{task.fields[rate]:,.0f}/s",
            "[red]{task.fields[quarantined]:,} quarantined",
            TimeElapsedColumn(),
        )
        interrupted = False
        begun: list[str] = []  # the run's batch, once begun: from then on it can be resumed
        try:
            with _stop_on_ctrl_c(options.stop), Progress(*columns, console=err) as progress:
                task = progress.add_task("ingest", total=None, rate=0.0, quarantined=0)
                started = time.perf_counter()
                seen = [0, 0]

                def advance(read: int, quarantined: int) -> None:
                    seen[0] += read
                    seen[1] += quarantined
                    rate = seen[0] / max(time.perf_counter() - started, 1e-6)
                    progress.update(task, advance=read, rate=rate, quarantined=seen[1])

                summary = run(st, list(paths), options, advance, begun.append)
        except Interrupted:
            interrupted = True
        except KeyboardInterrupt:  # the second Ctrl-C: at once, from the last commit
            err.print(f"[yellow]{INTERRUPTED}. {_RESUME}[/]")
            raise typer.Exit(130) from None
        except WorkerFailed as exc:
            err.print(f"[red]{str(exc).rstrip('.')}. {_RESUME}[/]", highlight=False)
            raise typer.Exit(1) from None
        except StoreUnavailable as exc:  # down, busy, or a write failed (a full disk)
            # resumed only if the run began: not when the store could not be opened (down, not
            # Elasticsearch, an index to rebuild first, another run writing to it)
            said = f"存储不可用 / store unavailable: {exc}"
            said += f". {_RESUME}" if begun else ""
            err.print(said, style="red", markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(3) from None
        finally:
            st.close()
        if interrupted:  # its batch finished with what it read: the alerts match it now, as
            # the run's own (not among "earlier batches not matched before")
            report = match_batch(settings_for(store), begun[0] if begun else None)
            console.print(alerts_line(report), soft_wrap=True, highlight=False)
            err.print(f"[yellow]{INTERRUPTED}. {_RESUME}[/]")
            raise typer.Exit(130)
        _show(summary, paths, store)


def _show(summary: RunSummary, paths: list[Path], store: str | None) -> None:
    """The run's summary: its table, what it refused and quarantined, and what the alerts
    made of it (exit code 1 when it loaded nothing)."""
    if not summary.files:  # a delivery that came empty, or with attachments only
        aside = f" ({summary.attachments:,} 个附件 / attachments)" if summary.attachments else ""
        named = ", ".join(map(str, paths))
        message = f"没有可载入的文件 / no files to load in: {named}{aside}"
        err.print(message, style="yellow", markup=False, highlight=False)
        if summary.continued:  # stopped runs' batches it finished: matched now, not next time
            report = match_batch(settings_for(store), summary.batch_id)
            console.print(alerts_line(report), soft_wrap=True, highlight=False)
        raise typer.Exit(1)
    folder = common_folder([f.file for f in summary.files])
    table = Table(title=f"ingest batch {summary.batch_id}")
    for col in ("file", "format", "read", "loaded", "merged", "quarantined", "seconds"):
        table.add_column(
            col, justify="left" if col in ("file", "format") else "right", overflow="fold"
        )
    files = summary.files
    shown = files
    if len(files) > SUMMARY_ROWS:  # a delivery of one document per file: those with news
        shown = [f for f in files if f.quarantined or f.resumed_at][:SUMMARY_ROWS]
    names = []
    for f in shown:
        note = (
            " (已载入过 / done before)"
            if f.skipped
            else (f" (续自第 {f.resumed_at} 处 / from {f.resumed_at})" if f.resumed_at else "")
        )
        names.append((f.file[len(folder) + 1 :] if folder else f.file) + note)
        table.add_row(
            names[-1],
            f.format,
            *(f"{v:,}" for v in (f.read, f.loaded, f.merged, f.quarantined)),
            f"{f.seconds:.2f}",
        )
    if len(shown) < len(files):
        listed = {id(f) for f in shown}
        rest = [f for f in files if id(f) not in listed]
        clean = not any(f.quarantined for f in rest)
        label = (
            "个文件，无隔离记录 / files, none quarantined" if clean else "个其他文件 / more files"
        )
        names.append(f"… {len(rest):,} {label}")
        table.add_row(names[-1], "", *_sums(rest))
    if len(files) > 1:
        table.add_row("合计 / total", "", *_sums(files), style="bold")
    # a log (output not a terminal) is read as a file: rows as wide as their names (the summed
    # row's too; in cells, a Chinese character taking two), unwrapped
    longest = max(map(cell_len, names), default=0)
    width = min(200, max(console.width, longest + 72))
    (console if console.is_terminal else Console(width=width)).print(table)
    if folder:
        console.print(f"文件位于 / files in: {folder}", soft_wrap=True, highlight=False)
    if withdrawn := summary.total("withdrawn"):
        console.print(
            f"撤回的文献，库中不再保留 / documents the delivery withdrew (DOCDB status D), "
            f"no longer in the store: {withdrawn:,}"
        )
    _refused([(f.file, f.refused) for f in files if f.refused], SUMMARY_ROWS)
    if summary.attachments:
        console.print(
            f"跳过的附件 / attachments left aside (images, PDFs, documents, DTDs, checksums): "
            f"{summary.attachments:,}",
            soft_wrap=True,
        )
    if summary.total("quarantined"):
        console.print(
            f"隔离记录 / quarantined records: {summary.quarantine_file}",
            soft_wrap=True,
            highlight=False,
        )
    if summary.reasons:
        console.print("隔离原因 / quarantined records by reason:")
        for kind, count in summary.reasons[:REASON_ROWS]:
            console.print(f"  {count:>9,}  {kind}", markup=False, soft_wrap=True, highlight=False)
        if len(summary.reasons) > REASON_ROWS:
            console.print(f"  … {len(summary.reasons) - REASON_ROWS:,} more kinds in the file")
    if summary.continued:
        console.print(
            "接续的批次 / batches of stopped runs taken up and finished: "
            + ", ".join(summary.continued),
            soft_wrap=True,
            highlight=False,
        )
    report = match_batch(settings_for(store), summary.batch_id)
    console.print(alerts_line(report), soft_wrap=True, highlight=False)
    # "done before" is nothing gone wrong; a file refused whole is never done, but read (and
    # refused) again by every run: a re-run of a bad delivery fails as its first run did
    fresh = [f for f in files if not f.skipped]
    failed = [f for f in fresh if f.refused or f.quarantined]
    if fresh and not failed and not any(f.read for f in fresh):
        # JSON that holds no records (``[]``, an API's last page): nothing went wrong
        console.print("文件中没有记录 / the files hold no records", highlight=False)
    elif fresh and not any(f.loaded or f.withdrawn for f in fresh):
        before = len(files) - len(fresh)
        also = f"; 另有 {before:,} 个文件已载入过 / {before:,} more done before" if before else ""
        err.print(
            "没有载入任何记录：每个文件都被整体拒绝或全部隔离 / nothing loaded: every file was "
            f"refused whole or had every record quarantined (see above){also}",
            style="red",
            markup=False,
            highlight=False,
        )
        raise typer.Exit(1)
