"""Serving and searching: ``iphub demo``, ``serve``, ``search``, ``similar-marks``, ``report``."""

from __future__ import annotations

import signal
import threading
from itertools import chain
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TimeRemainingColumn,
)
from rich.table import Table

from iphub.cli import StoreOpt, app, console, err, print_json, settings_for, stored, whole_number
from iphub.config import Settings
from iphub.store import check_store_url, open_store
from iphub.store.base import Store, write_batch

DEMO_CHECKPOINT = "demo:v3"  # bump when the demo data or its enrichment changes


def _load_demo(store: Store, settings: Settings) -> None:
    from iphub.demo import generate, generate_copyrights
    from nlp.enrich import enrich

    counts = (settings.demo_patents, settings.demo_trademarks, settings.demo_copyrights)
    total = sum(counts)
    wanted = "/".join(map(str, counts))
    if store.get_checkpoint(DEMO_CHECKPOINT) == wanted:
        console.print(f"演示数据已加载 / demo data already loaded ({store.count()} records)")
        return
    stream = chain(
        generate(settings.demo_patents, settings.demo_trademarks),
        generate_copyrights(settings.demo_copyrights),
    )
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("载入演示数据 / loading demo data", total=total)
        records = (enrich(r) for r in stream)
        write_batch(store, records, "demo", lambda n: progress.advance(task, n))
    store.set_checkpoint(DEMO_CHECKPOINT, wanted)


WorkerOpt = Annotated[
    bool,
    typer.Option(
        "--worker/--no-worker",
        help="also run the alerts delivery worker (default: IPHUB_ALERTS_WORKER, on)",
    ),
]


def _serve(settings: Settings, store: Store | None = None, worker: bool | None = None) -> None:
    """Serve the app; unless turned off, a delivery worker thread runs beside it and stops with
    it (after uvicorn returns on SIGINT/SIGTERM)."""
    from search_api.alerts.db import AlertsDB, open_db
    from search_api.alerts.worker import start_thread
    from search_api.main import create_app
    from search_api.server import run

    check_store_url(settings.store)  # IPHUB_STORE: a one-line error here, not in the app's start
    if store is None and settings.store.startswith("sqlite:///"):
        open_store(settings.store).close()  # likewise a path that cannot hold a store
    base = f"http://{settings.host}:{settings.port}"
    console.print(f"iphub 已启动 / serving on [bold]{base}[/]  (API docs: {base}/docs)")
    console.print(f"示例 / example: curl '{base}/api/v1/patents/search?q=锂电池&facets=district'")
    alerts: AlertsDB | None = None
    thread: threading.Thread | None = None
    stop = threading.Event()
    if settings.alerts_worker if worker is None else worker:
        alerts = open_db(settings.alerts_url())  # migrated here, before the app and the worker
        thread = start_thread(alerts, settings, stop)
        console.print("预警投递已启动 / alerts delivery worker running (--no-worker turns it off)")
    # uvicorn shuts down gracefully on SIGTERM, then raises the signal again: exit through
    # ``finally`` (the worker finishes its current delivery) instead of dying there
    previous = signal.signal(signal.SIGTERM, _exit_cleanly)
    try:
        run(create_app(settings, store, alerts), settings.host, settings.port)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        if thread is not None:
            thread.join()
        if alerts is not None:
            alerts.close()
        signal.signal(signal.SIGTERM, previous)


def _exit_cleanly(signum: int, frame: object) -> None:
    raise SystemExit(0)


@app.command()
def demo(store: StoreOpt = None, serve: bool = True, worker: WorkerOpt = True) -> None:
    """Generate and load the demo data set (once), then serve the API and page."""
    settings = settings_for(store)
    st = open_store(settings.store)
    try:
        _load_demo(st, settings)
    finally:
        st.close()
    if serve:
        _serve(settings, worker=worker and settings.alerts_worker)


@app.command()
def serve(store: StoreOpt = None, worker: WorkerOpt = True) -> None:
    """Serve the API (and web page) on IPHUB_HOST:IPHUB_PORT, with the alerts delivery worker."""
    settings = settings_for(store)
    _serve(settings, worker=worker and settings.alerts_worker)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="检索式, e.g. 'ti=电池 AND pd>=2020'")],
    kind: Annotated[Literal["patent", "trademark", "copyright"], typer.Option()] = "patent",
    size: Annotated[int, typer.Option(parser=whole_number(1, 100), help="hits (1-100)")] = 10,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    describe: Annotated[
        bool,
        typer.Option(
            "--describe",
            help="按技术描述检索: QUERY is a description; its key terms are searched (patents)",
        ),
    ] = False,
    store: StoreOpt = None,
) -> None:
    """Search from the command line."""
    from iphub.describe import NoTerms, query_from_text
    from iphub.query import QuerySyntaxError
    from iphub.records import title_of
    from iphub.search import search as run
    from iphub.store.prepared import latest_date

    if describe:
        if kind != "patent":
            raise typer.BadParameter("--describe searches patents", param_hint="--kind")
        try:
            query = query_from_text(query).query
        except (NoTerms, ValueError) as exc:
            err.print(f"[red]{exc}[/]")
            raise typer.Exit(2) from None
        err.print(f"检索式 / query: {query}")
    try:
        with stored(settings_for(store).store) as st:
            result = run(st, kind, query, size=size)
    except QuerySyntaxError as exc:
        err.print(f"[red]{query}\n{' ' * exc.position}^ {exc}[/]")
        raise typer.Exit(2) from None
    if as_json:
        print_json(result)
        return
    table = Table(title=f"{result.total} hits for {result.query or '*'}")
    for col in ("id", "date", "title / mark", "applicants"):
        table.add_column(col)
    for hit in result.hits:
        r = hit.record
        date = latest_date(r)  # publication, else application (a table may give only that)
        table.add_row(hit.id, str(date or ""), title_of(r), "; ".join(a.name for a in r.applicants))
    console.print(table)
    if result.as_strings:
        console.print(
            "按词没有找到记录，已将中文词语按连续字符串检索 / no records had these words, so the "
            "Chinese ones were searched as exact strings (quoted above)"
        )


@app.command("similar-marks")
def similar_marks(
    mark: Annotated[str, typer.Argument(help="拟申请的商标文字 / the proposed mark")],
    nice_class: Annotated[
        list[int] | None,
        typer.Option("--class", "-c", help="尼斯分类 / Nice class (repeat); none: every class"),
    ] = None,
    live_only: Annotated[bool, typer.Option("--live", help="leave out invalid marks")] = False,
    size: Annotated[int, typer.Option(parser=whole_number(1, 100), help="marks (1-100)")] = 20,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    store: StoreOpt = None,
) -> None:
    """近似商标查询: marks that look, sound or mean like MARK in its and related classes."""
    from iphub.clearance import MarkSearchError
    from iphub.clearance import similar_marks as run

    try:
        with stored(settings_for(store).store) as st:
            result = run(st, mark, nice_class or [], live_only=live_only, size=size)
    except MarkSearchError as exc:
        err.print(f"[red]{exc}[/]")
        raise typer.Exit(2) from None
    if as_json:
        print_json(result)
        return
    classes = ", ".join(map(str, result.searched_classes)) or "all / 全部"
    table = Table(title=f"近似商标 / marks like {result.mark} (classes {classes})")
    for col in ("score", "mark", "classes", "status", "id", "holder", "why"):
        table.add_column(col)
    for hit in result.hits:
        r = hit.record
        table.add_row(
            f"{hit.score:.2f}", r.mark_text or "", ",".join(map(str, r.nice_classes)),
            r.status.value, hit.id, "; ".join(a.name for a in r.applicants),
            ", ".join(hit.signals),
        )  # fmt: skip
    console.print(table)


@app.command()
def collections(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """The key-industry collections (专题数据库) a query names with coll=<id>."""
    from iphub.collections import collections as defined

    found = defined()
    if as_json:
        print_json(found)
        return
    table = Table(title="专题数据库 / key-industry collections (coll=<id>)")
    for col in ("id", "名称 / name", "version", "query"):
        table.add_column(col, overflow="fold")
    for c in found.collections:
        table.add_row(c.id, f"{c.name_zh} / {c.name_en}", c.version, c.query)
    console.print(table)


@app.command()
def report(
    year: Annotated[int, typer.Option(help="report year, e.g. 2024")],
    out: Annotated[str, typer.Option(help="output folder")] = "var/report",
    store: StoreOpt = None,
) -> None:
    """Write the annual report (HTML, and PDF when Chromium is installed)."""

    from search_api.services.report import write_report

    with stored(settings_for(store).store) as st:
        page, pdf = write_report(st, year, Path(out))
    console.print(f"HTML: {page}")
    console.print(f"PDF: {pdf}" if pdf else "PDF: skipped (no Chromium; set IPHUB_CHROMIUM)")
