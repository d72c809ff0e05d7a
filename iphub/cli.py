"""The ``iphub`` command: the face that wires the stages together.

The only module that imports ``ingest`` and ``search_api`` (inside its commands).
"""

from __future__ import annotations

import json
import sys
import time
from itertools import islice
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from iphub.config import Settings
from iphub.store import open_store
from iphub.store.base import Store

app = typer.Typer(
    help="iphub 知识产权大数据公共服务平台 / Guangzhou patent and trademark platform",
    no_args_is_help=True,
)
console = Console()
err = Console(stderr=True)

StoreOpt = Annotated[
    str | None,
    typer.Option(
        "--store",
        help="sqlite:///path or http://host:9200 (default: IPHUB_STORE or sqlite:///var/iphub.db)",
    ),
]
DEMO_CHECKPOINT = "demo:v2"  # bump when the demo data or its enrichment changes


def _settings(store: str | None) -> Settings:
    settings = Settings()
    return settings.model_copy(update={"store": store}) if store else settings


def _load_demo(store: Store, settings: Settings) -> None:
    from iphub.demo import generate
    from nlp.enrich import enrich

    total = settings.demo_patents + settings.demo_trademarks
    wanted = f"{settings.demo_patents}/{settings.demo_trademarks}"
    if store.get_checkpoint(DEMO_CHECKPOINT) == wanted:
        console.print(f"演示数据已加载 / demo data already loaded ({store.count()} records)")
        return
    batch = store.begin_batch("demo")
    records = (enrich(r) for r in generate(settings.demo_patents, settings.demo_trademarks))
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("载入演示数据 / loading demo data", total=total)
        while chunk := list(islice(records, 5000)):
            for r in chunk:
                r.batch_id = batch
            store.upsert(chunk)
            progress.advance(task, len(chunk))
    store.refresh()
    store.finish_batch(batch, total)
    store.set_checkpoint(DEMO_CHECKPOINT, wanted)


def _serve(settings: Settings, store: Store | None = None) -> None:
    from search_api.main import create_app
    from search_api.server import run

    base = f"http://{settings.host}:{settings.port}"
    console.print(f"iphub 已启动 / serving on [bold]{base}[/]  (API docs: {base}/docs)")
    console.print(f"示例 / example: curl '{base}/api/v1/patents/search?q=锂电池&facets=district'")
    run(create_app(settings, store), settings.host, settings.port)


@app.command()
def demo(store: StoreOpt = None, serve: bool = True) -> None:
    """Generate and load the demo data set (once), then serve the API and page."""
    settings = _settings(store)
    st = open_store(settings.store)
    try:
        _load_demo(st, settings)
    finally:
        st.close()
    if serve:
        _serve(settings)


@app.command()
def serve(store: StoreOpt = None) -> None:
    """Serve the API (and web page) on IPHUB_HOST:IPHUB_PORT."""
    _serve(_settings(store))


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="检索式, e.g. 'ti=电池 AND pd>=2020'")],
    kind: Annotated[Literal["patent", "trademark"], typer.Option()] = "patent",
    size: Annotated[int, typer.Option(min=1, max=100)] = 10,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    store: StoreOpt = None,
) -> None:
    """Search from the command line."""
    from iphub.query import QuerySyntaxError
    from iphub.search import search as run

    st = open_store(_settings(store).store)
    try:
        result = run(st, kind, query, size=size)
    except QuerySyntaxError as exc:
        err.print(f"[red]{query}\n{' ' * exc.position}^ {exc}[/]")
        raise typer.Exit(2) from None
    finally:
        st.close()
    if as_json:
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
        return
    table = Table(title=f"{result.total} hits for {result.query or '*'}")
    for col in ("id", "date", "title / mark", "applicants"):
        table.add_column(col)
    for hit in result.hits:
        r = hit.record
        if r.record_type == "patent":
            title, date = r.title.text, r.publication_date
        else:
            title, date = r.mark_text or "", r.application_date
        table.add_row(hit.id, str(date or ""), title, "; ".join(a.name for a in r.applicants))
    console.print(table)


@app.command()
def report(
    year: Annotated[int, typer.Option(help="report year, e.g. 2024")],
    out: Annotated[str, typer.Option(help="output folder")] = "var/report",
    store: StoreOpt = None,
) -> None:
    """Write the annual report (HTML, and PDF when Chromium is installed)."""
    from pathlib import Path

    from search_api.services.report import write_report

    st = open_store(_settings(store).store)
    try:
        page, pdf = write_report(st, year, Path(out))
    finally:
        st.close()
    console.print(f"HTML: {page}")
    console.print(f"PDF: {pdf}" if pdf else "PDF: skipped (no Chromium; set IPHUB_CHROMIUM)")


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
    settings = _settings(store)
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
    summary["alerts"] = _match_batch(_settings(store), summary["batch"])
    console.print_json(json.dumps(summary, default=str))


def _match_batch(settings: Settings, batch_id: str | None) -> dict[str, object] | None:
    """Evaluate the subscriptions against a finished batch: the alerts hang on every batch."""
    if not batch_id:
        return None
    from search_api.alerts.db import open_db
    from search_api.alerts.matcher import run_matcher

    st, database = open_store(settings.store), open_db(settings.alerts_url())
    try:
        report = run_matcher(st, database, batch_id)
    finally:
        st.close()
        database.close()
    return dict(report.__dict__)


RETAG_CHECKPOINT = "retag:progress"


@app.command()
def retag(
    store: StoreOpt = None,
    batch_size: Annotated[int, typer.Option(min=1, max=100_000)] = 2000,
    restart: Annotated[bool, typer.Option(help="ignore a stopped run's progress")] = False,
) -> None:
    """Re-enrich every stored record (after a table in nlp/data changes); resumable.

    Only records whose tags change are written, as one ingest batch, so subscriptions hear of
    records that newly match (an industry feed after the industry table grew, say).
    """
    from iphub.store.plan import All
    from nlp.enrich import enrich

    settings = _settings(store)
    st = open_store(settings.store)
    try:
        progress = {} if restart else json.loads(st.get_checkpoint(RETAG_CHECKPOINT) or "{}")
        batch = str(progress.get("batch") or st.begin_batch("retag"))
        changed = int(progress.get("changed", 0))
        for kind in ("patent", "trademark", "copyright"):
            done = int(progress.get(kind, 0))
            records = islice(st.scan(kind, All()), done, None)  # type: ignore[arg-type]
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
    console.print(f"订阅匹配 / alerts matched: {json.dumps(_match_batch(settings, batch))}")


@app.command()
def reindex(store: StoreOpt = None) -> None:
    """Rebuild the search index from the records.

    Embedded: the tantivy index from SQLite. Elasticsearch: the next versioned index, then an
    atomic alias swap (no downtime); also migrates an index from before versioned indices."""
    st = open_store(_settings(store).store)
    try:
        rebuild = getattr(st, "reindex", None)
        if rebuild is None:
            err.print("this store cannot be rebuilt")
            raise typer.Exit(2)
        console.print(f"reindexed {rebuild()} records")
    finally:
        st.close()


@app.command()
def info(store: StoreOpt = None) -> None:
    """Record counts and ingest batches."""
    st = open_store(_settings(store).store)
    try:
        out = {
            "patents": st.count("patent"),
            "trademarks": st.count("trademark"),
            "batches": [b.__dict__ for b in st.batches()],
        }
        console.print_json(json.dumps(out, default=str))
    finally:
        st.close()


@app.command()
def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="files, directories, .zip/.gz/.tar", exists=True)
    ],
    fmt: Annotated[
        str, typer.Option("--format", help="auto (sniffed) or uspto, epo, cnipa, st96, ...")
    ] = "auto",
    store: StoreOpt = None,
    batch_size: Annotated[int, typer.Option(min=1, max=100_000)] = 2000,
    workers: Annotated[
        int,
        typer.Option(min=1, max=64, help="parser processes (formats split per document: uspto)"),
    ] = 1,
    mapping: Annotated[
        Path | None, typer.Option(help="JSON column mapping for CSV/XLSX/JSON", exists=True)
    ] = None,
    quarantine_dir: Annotated[Path, typer.Option()] = Path("var/quarantine"),
    restart: Annotated[
        bool, typer.Option(help="ignore checkpoints, load every file again")
    ] = False,
    commit_every: Annotated[
        int, typer.Option(min=1, help="commit and checkpoint every N records")
    ] = 20_000,
) -> None:
    """Load bulk files (USPTO, EPO, CNIPA, ST.96, CSV/XLSX/JSON) as one ingest batch."""
    from ingest import formats
    from ingest.load import Options
    from ingest.load import ingest as run
    from ingest.parsers.mapped import load_mapping

    if fmt != "auto" and fmt not in formats.FORMATS:
        err.print(f"[red]unknown format {fmt!r}; known: auto, {', '.join(formats.FORMATS)}[/]")
        raise typer.Exit(2)
    from nlp.enrich import enrich

    options = Options(
        fmt=fmt,
        batch_size=batch_size,
        workers=workers,
        quarantine_dir=quarantine_dir,
        mapping=load_mapping(mapping),
        restart=restart,
        commit_every=commit_every,
        enrich=enrich,
    )
    st = open_store(_settings(store).store)
    columns = (
        "[progress.description]{task.description}",
        "{task.completed:,} records",
        "[cyan]{task.fields[rate]:,.0f}/s",
        "[red]{task.fields[quarantined]:,} quarantined",
        TimeElapsedColumn(),
    )
    try:
        with Progress(*columns, console=err) as progress:
            task = progress.add_task("ingest", total=None, rate=0.0, quarantined=0)
            started = time.perf_counter()
            seen = [0, 0]

            def advance(read: int, quarantined: int) -> None:
                seen[0] += read
                seen[1] += quarantined
                rate = seen[0] / max(time.perf_counter() - started, 1e-6)
                progress.update(task, advance=read, rate=rate, quarantined=seen[1])

            summary = run(st, list(paths), options, advance)
    finally:
        st.close()
    table = Table(title=f"ingest batch {summary.batch_id}")
    for col in ("file", "format", "read", "loaded", "merged", "quarantined", "seconds"):
        table.add_column(
            col, justify="left" if col in ("file", "format") else "right", overflow="fold"
        )
    for f in summary.files:
        note = (
            " (done before)" if f.skipped else (f" (from {f.resumed_at})" if f.resumed_at else "")
        )
        table.add_row(
            f.file + note,
            f.format,
            *(str(v) for v in (f.read, f.loaded, f.merged, f.quarantined)),
            f"{f.seconds:.2f}",
        )
    console.print(table)
    if summary.total("quarantined"):
        console.print(f"quarantined records: {summary.quarantine_file}")
    report = _match_batch(_settings(store), summary.batch_id)
    console.print(f"订阅匹配 / alerts matched: {json.dumps(report, default=str)}")


alerts = typer.Typer(help="订阅与预警 / subscriptions, matching and delivery", no_args_is_help=True)
app.add_typer(alerts, name="alerts")
DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="alerts database URL (default: IPHUB_ALERTS_DB or beside the store)"),
]


def _alerts_settings(store: str | None, db: str | None) -> Settings:
    settings = _settings(store)
    return settings.model_copy(update={"alerts_db": db}) if db else settings


@alerts.command("migrate")
def alerts_migrate(db: DbOpt = None, store: StoreOpt = None) -> None:
    """Create or upgrade the alerts database schema (Alembic head)."""
    from search_api.alerts.db import open_db

    open_db(_alerts_settings(store, db).alerts_url()).close()
    console.print("alerts database at the head revision")


@alerts.command("owner")
def alerts_owner(
    name: Annotated[str, typer.Argument(help="owner (agency, firm) name")],
    email: Annotated[str | None, typer.Option()] = None,
    db: DbOpt = None,
    store: StoreOpt = None,
) -> None:
    """Create an owner and print its API key (shown only this once)."""
    from search_api.alerts.db import open_db
    from search_api.alerts.keys import create_owner

    database = open_db(_alerts_settings(store, db).alerts_url())
    try:
        with database.session() as session:
            owner, key = create_owner(session, name, email)
            owner_id = owner.id
    finally:
        database.close()
    sys.stdout.write(f"{owner_id}\t{key}\n")


@alerts.command("match")
def alerts_match(
    batch: Annotated[str, typer.Option("--batch", help="ingest batch id (see `iphub info`)")],
    db: DbOpt = None,
    store: StoreOpt = None,
) -> None:
    """Match one ingest batch against every active subscription (fills the outbox)."""
    from search_api.alerts.db import open_db
    from search_api.alerts.matcher import run_matcher

    settings = _alerts_settings(store, db)
    st, database = open_store(settings.store), open_db(settings.alerts_url())
    try:
        report = run_matcher(st, database, batch)
    finally:
        st.close()
        database.close()
    console.print_json(json.dumps(report.__dict__))


@alerts.command("run")
def alerts_run(
    db: DbOpt = None,
    store: StoreOpt = None,
    poll: Annotated[float, typer.Option(min=0.01)] = 1.0,
    idle_exit: Annotated[float | None, typer.Option(help="exit after this many idle s")] = None,
) -> None:
    """Deliver the outbox (webhook, e-mail) until interrupted; safe to run several at once."""
    from search_api.alerts.db import open_db
    from search_api.alerts.worker import run

    settings = _alerts_settings(store, db)
    database = open_db(settings.alerts_url())
    try:
        stats = run(database, settings, poll=poll, idle_exit=idle_exit)
    except KeyboardInterrupt:
        raise typer.Exit(0) from None
    finally:
        database.close()
    console.print_json(json.dumps(stats.__dict__))


elastic = typer.Typer(
    help="本地 Elasticsearch 开发节点 / a local single-node Elasticsearch for development",
    no_args_is_help=True,
)
app.add_typer(elastic, name="elastic")
ES_SCRIPT = Path(__file__).resolve().parents[1] / "tools" / "elasticsearch.sh"


def _elasticsearch_sh(command: str) -> None:
    """Run ``tools/elasticsearch.sh COMMAND`` with this environment (``IPHUB_ES_PORT``, ...)."""
    import subprocess

    if not ES_SCRIPT.is_file():
        err.print(f"{ES_SCRIPT} not found: `iphub elastic` needs a source checkout of iphub")
        raise typer.Exit(2)
    code = subprocess.call(["bash", str(ES_SCRIPT), command])  # noqa: S603, S607
    if code:
        raise typer.Exit(code)


@elastic.command("start")
def elastic_start() -> None:
    """Install once (Maven Central), start on 127.0.0.1:IPHUB_ES_PORT (9200), wait for health."""
    _elasticsearch_sh("start")


@elastic.command("stop")
def elastic_stop() -> None:
    """Stop the local node started by `iphub elastic start`."""
    _elasticsearch_sh("stop")


@elastic.command("status")
def elastic_status() -> None:
    """Print the node's state; exit 0 healthy, 1 unhealthy, 3 stopped."""
    _elasticsearch_sh("status")


def main() -> None:
    """The console script: a store that cannot answer is a one-line error, not a traceback."""
    from iphub.store.base import StoreUnavailable

    try:
        app()
    except StoreUnavailable as exc:
        err.print(f"[red]存储不可用 / store unavailable: {exc}[/]")
        raise SystemExit(3) from None


if __name__ == "__main__":
    main()
