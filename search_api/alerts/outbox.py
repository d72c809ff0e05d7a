"""The transactional outbox: claim due rows with a lease, then complete or fail them.

Claiming is a conditional update (``… WHERE id = ? AND status = 'pending' AND (lease_until IS
NULL OR lease_until < now)``), atomic on SQLite and PostgreSQL alike, so two workers never hold
one row, and a killed worker's rows become claimable when its lease expires. Completing only
counts while the worker still holds the lease. Failures back off exponentially; after
``max_attempts`` a row is dead-lettered (``status = 'dead'``) and stays for inspection.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.orm import Session

from search_api.alerts.db import AlertsDB
from search_api.alerts.models import Delivery, Match, Outbox, Subscription, now

MAX_BACKOFF = 6 * 3600.0
DIGEST_EVENT = "digest.daily"


@dataclass(frozen=True)
class Claimed:
    row: Outbox
    subscription: Subscription
    #: the message's ``data``: subscription, and the records (from the matches) it announces
    payload: dict[str, Any]


@dataclass(frozen=True)
class Attempt:
    ok: bool
    status_code: int | None = None
    error: str | None = None
    permanent: bool = False  # no retry (e.g. a target refused by the SSRF guard)
    duration_ms: float = 0.0


def _claimable(at: dt.datetime) -> ColumnElement[bool]:
    return and_(
        Outbox.status == "pending",
        or_(Outbox.lease_until.is_(None), Outbox.lease_until < at),
    )


def claim(db: AlertsDB, worker: str, lease: float, limit: int = 20) -> list[Claimed]:
    at = now()
    with db.session() as session:
        due = session.scalars(
            select(Outbox.id)
            .where(_claimable(at), Outbox.next_attempt <= at)
            .order_by(Outbox.next_attempt, Outbox.id)
            .limit(limit)
        ).all()
        mine = []
        for row_id in due:
            result = session.execute(
                update(Outbox)
                .where(Outbox.id == row_id, _claimable(at))
                .values(lease_owner=worker, lease_until=at + dt.timedelta(seconds=lease))
            )
            if result.rowcount == 1:  # type: ignore[attr-defined]
                mine.append(row_id)
    if not mine:
        return []
    with db.session() as session:
        rows = session.scalars(select(Outbox).where(Outbox.id.in_(mine))).all()
        subs = {
            s.id: s
            for s in session.scalars(
                select(Subscription).where(Subscription.id.in_({r.subscription_id for r in rows}))
            )
        }
        records = _records(session, rows)
        return [
            Claimed(r, subs[r.subscription_id], _payload(r, subs[r.subscription_id], records))
            for r in rows
            if r.subscription_id in subs
        ]


def _records(session: Session, rows: Sequence[Outbox]) -> dict[str, list[dict[str, Any]]]:
    """Summaries each row announces: its match, or a digest's matches (in record order)."""
    out: dict[str, list[dict[str, Any]]] = {}
    by_match = {r.match_id: r.id for r in rows if r.match_id is not None}
    if by_match:
        stmt = select(Match.id, Match.summary).where(Match.id.in_(by_match))
        for match_id, summary in session.execute(stmt):
            out[by_match[match_id]] = [summary]
    digests = [r.id for r in rows if r.event == DIGEST_EVENT]
    if digests:
        stmt2 = (
            select(Match.digest_id, Match.summary)
            .where(Match.digest_id.in_(digests))
            .order_by(Match.digest_id, Match.record_id)
        )
        for digest_id, summary in session.execute(stmt2):
            out.setdefault(str(digest_id), []).append(summary)
    return out


def _payload(
    row: Outbox, sub: Subscription, records: dict[str, list[dict[str, Any]]]
) -> dict[str, Any]:
    if "records" in row.payload:  # test messages (and rows written before revision 0002)
        return row.payload
    return {
        "subscription_id": sub.id,
        "subscription_name": sub.name,
        **row.payload,
        "records": records.get(row.id, []),
    }


def _log(row: Outbox, attempt: Attempt) -> Delivery:
    return Delivery(
        outbox_id=row.id,
        subscription_id=row.subscription_id,
        event=row.event,
        attempt=row.attempts + 1,
        ok=attempt.ok,
        status_code=attempt.status_code,
        error=attempt.error,
        duration_ms=attempt.duration_ms,
    )


def finish(
    db: AlertsDB,
    worker: str,
    row: Outbox,
    attempt: Attempt,
    *,
    max_attempts: int,
    backoff: float,
) -> None:
    """Record the attempt; mark delivered, schedule a retry, or dead-letter."""
    held = [Outbox.id == row.id, Outbox.lease_owner == worker, Outbox.status == "pending"]
    values: dict[str, object] = {"lease_owner": None, "lease_until": None}
    if attempt.ok:
        values |= {"status": "delivered", "delivered": now(), "attempts": row.attempts + 1}
    else:
        attempts = row.attempts + 1
        dead = attempt.permanent or attempts >= max_attempts
        delay = min(backoff * 2 ** (attempts - 1), MAX_BACKOFF)
        values |= {
            "attempts": attempts,
            "last_error": attempt.error,
            "status": "dead" if dead else "pending",
            "next_attempt": now() + dt.timedelta(seconds=delay),
        }
    with db.session() as session:
        session.add(_log(row, attempt))
        session.execute(update(Outbox).where(*held).values(**values))


def defer(db: AlertsDB, worker: str, item: Claimed, until: dt.datetime) -> None:
    """Put a claimed row back unsent, due at ``until`` (rate limited: not an attempt), and with
    it the owner's other due rows no worker holds, so they are not claimed only to be put back.
    """
    row, owner_id = item.row, item.subscription.owner_id
    with db.session() as session:
        session.execute(
            update(Outbox)
            .where(Outbox.id == row.id, Outbox.lease_owner == worker, Outbox.status == "pending")
            .values(lease_owner=None, lease_until=None, next_attempt=until)
        )
        owners_subs = select(Subscription.id).where(Subscription.owner_id == owner_id)
        session.execute(
            update(Outbox)
            .where(
                Outbox.subscription_id.in_(owners_subs),
                _claimable(now()),
                Outbox.next_attempt < until,
            )
            .values(next_attempt=until)
        )
