"""Per-owner delivery rate limit: at most N deliveries started per owner per fixed window.

Each (owner, window start) has a counter row in ``owner_rates``; taking a slot is a conditional
update (``SET used = used + 1 WHERE used < limit``), atomic on SQLite and PostgreSQL alike, so
any number of workers together start at most ``limit`` deliveries per owner per window. A
delivery that finds the window full is not sent and not counted as an attempt: the worker puts
its outbox row back with ``next_attempt`` at the next window (deferred, never dropped). Every
attempt takes a slot, retries included, so a failing receiver cannot be hammered either.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, update
from sqlalchemy.dialects import postgresql, sqlite

from search_api.alerts.db import AlertsDB
from search_api.alerts.models import OwnerRate


def window_start(at: dt.datetime, window: float) -> dt.datetime:
    seconds = at.timestamp()
    return dt.datetime.fromtimestamp(seconds - seconds % window, dt.UTC)


def take(
    db: AlertsDB, owner_id: str, limit: int, window: float, at: dt.datetime
) -> dt.datetime | None:
    """Take one delivery slot for ``owner_id``: None when granted, else when the next window
    opens (the time to defer the delivery to)."""
    if limit <= 0:
        return None
    start = window_start(at, window)
    with db.session() as session:
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        session.execute(
            insert(OwnerRate)
            .values(owner_id=owner_id, window_start=start, used=0)
            .on_conflict_do_nothing(index_elements=["owner_id", "window_start"])
        )
        granted = session.execute(
            update(OwnerRate)
            .where(
                OwnerRate.owner_id == owner_id,
                OwnerRate.window_start == start,
                OwnerRate.used < limit,
            )
            .values(used=OwnerRate.used + 1)
        )
        session.execute(
            delete(OwnerRate).where(OwnerRate.owner_id == owner_id, OwnerRate.window_start < start)
        )
        if granted.rowcount == 1:  # type: ignore[attr-defined]
            return None
    return start + dt.timedelta(seconds=window)
