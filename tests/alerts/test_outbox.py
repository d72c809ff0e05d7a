"""Outbox leases on SQLite and PostgreSQL: exclusive claims, expiry, back-off, dead letter."""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy import func, select, update

from search_api.alerts.db import AlertsDB
from search_api.alerts.keys import create_owner
from search_api.alerts.models import Outbox, Subscription
from search_api.alerts.outbox import Attempt, claim, finish


def _queue(db: AlertsDB, n: int) -> str:
    with db.session() as session:
        owner, _ = create_owner(session, "o")
        sub = Subscription(owner_id=owner.id, name="s", kind="patent", channel="webhook")
        session.add(sub)
        session.flush()
        session.add_all(Outbox(subscription_id=sub.id, payload={"i": i}) for i in range(n))
        return sub.id


def test_concurrent_workers_never_share_a_row(db: AlertsDB) -> None:
    _queue(db, 200)
    claimed: dict[str, list[str]] = {}

    def work(name: str) -> None:
        mine = claimed.setdefault(name, [])
        while batch := claim(db, name, lease=60, limit=7):
            mine.extend(item.row.id for item in batch)

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    every = [row for rows in claimed.values() for row in rows]
    assert len(every) == 200
    assert len(set(every)) == 200


def test_expired_lease_is_reclaimed_and_late_finish_is_ignored(db: AlertsDB) -> None:
    _queue(db, 3)
    first = claim(db, "dead-worker", lease=60)
    assert len(first) == 3
    assert claim(db, "other", lease=60) == []
    with db.session() as session:  # time passes: the first worker's lease runs out
        past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        session.execute(update(Outbox).values(lease_until=past))
    second = claim(db, "other", lease=60)
    assert {i.row.id for i in second} == {i.row.id for i in first}
    finish(db, "dead-worker", first[0].row, Attempt(True, 200), max_attempts=3, backoff=1)
    with db.session() as session:
        assert session.get(Outbox, first[0].row.id).status == "pending"  # type: ignore[union-attr]
    for item in second:
        finish(db, "other", item.row, Attempt(True, 200), max_attempts=3, backoff=1)
    with db.session() as session:
        assert session.scalar(select(func.count()).where(Outbox.status == "delivered")) == 3


def test_backoff_then_dead_letter(db: AlertsDB) -> None:
    _queue(db, 1)
    for attempt in range(1, 4):
        [item] = claim(db, "w", lease=60)
        before = dt.datetime.now(dt.UTC)
        finish(db, "w", item.row, Attempt(False, 500, "HTTP 500"), max_attempts=3, backoff=10)
        with db.session() as session:
            row = session.get(Outbox, item.row.id)
            assert row is not None
            assert row.attempts == attempt
            if attempt < 3:
                assert row.status == "pending"
                delay = (row.next_attempt - before).total_seconds()
                assert 10 * 2 ** (attempt - 1) - 1 < delay < 10 * 2 ** (attempt - 1) + 5
                session.execute(update(Outbox).values(next_attempt=before))
            else:
                assert row.status == "dead"
                assert row.last_error == "HTTP 500"
    assert claim(db, "w", lease=60) == []
