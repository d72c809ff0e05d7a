"""``iphub alerts``: subscriptions, matching and delivery."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from iphub.cli import StoreOpt, app, console, match_batch, seconds, settings_for
from iphub.config import Settings
from iphub.store import open_store

alerts = typer.Typer(help="订阅与预警 / subscriptions, matching and delivery", no_args_is_help=True)
app.add_typer(alerts, name="alerts")


def _db_url(value: str | None) -> str | None:
    """``--db`` checked before the command runs: a mistyped URL is a usage error."""
    if value is None:
        return None
    from search_api.alerts.db import AlertsURLError, check_url

    try:
        check_url(value)
    except AlertsURLError as exc:
        raise typer.BadParameter(str(exc)) from None
    return value


DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="alerts database URL (default: IPHUB_ALERTS_DB or beside the store)",
        callback=_db_url,
    ),
]


def _alerts_settings(store: str | None, db: str | None) -> Settings:
    settings = settings_for(store)
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

    if not name.strip():  # before the database is opened (or created)
        raise typer.BadParameter("所有者名称不能为空 / the owner needs a name", param_hint="NAME")
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
    batch: Annotated[
        str | None,
        typer.Option(
            "--batch",
            help="ingest batch id (see `iphub info`); without: every finished batch not matched",
        ),
    ] = None,
    db: DbOpt = None,
    store: StoreOpt = None,
) -> None:
    """Match an ingest batch, or every finished one not matched yet, against every active
    subscription (fills the outbox)."""
    settings = _alerts_settings(store, db)
    if batch is not None:
        st = open_store(settings.store, create=False)
        try:
            known = {b.id for b in st.batches()}
        finally:
            st.close()
        if batch not in known:
            raise typer.BadParameter(
                f"没有此批次 / unknown batch {batch!r} (see `iphub info`)", param_hint="--batch"
            )
    # without --batch: those of runs killed or stopped before they matched theirs
    report = match_batch(settings, batch, earlier=batch is None)
    console.print_json(json.dumps(report or {}))


@alerts.command("run")
def alerts_run(
    db: DbOpt = None,
    store: StoreOpt = None,
    poll: Annotated[
        float, typer.Option(parser=seconds(0.01), help="seconds between looks (≥0.01)")
    ] = 1.0,
    idle_exit: Annotated[
        float | None, typer.Option(parser=seconds(0), help="exit after this many idle s")
    ] = None,
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
