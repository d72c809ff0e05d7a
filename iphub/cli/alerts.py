"""``iphub alerts``: subscriptions, matching and delivery."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from iphub.cli import StoreOpt, app, console, settings_for
from iphub.config import Settings
from iphub.store import open_store

alerts = typer.Typer(help="订阅与预警 / subscriptions, matching and delivery", no_args_is_help=True)
app.add_typer(alerts, name="alerts")
DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="alerts database URL (default: IPHUB_ALERTS_DB or beside the store)"),
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
    st, database = open_store(settings.store, create=False), open_db(settings.alerts_url())
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
