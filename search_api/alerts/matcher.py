"""Match an ingest batch against every active subscription, filling matches and the outbox.

``run_matcher(store, db, batch_id)`` is the hook ingest and crawls call after ``finish_batch``.
A saved query is compiled once per distinct (kind, query) and ANDed with the plan node
``Terms("batch", (batch_id,))``, so each is one store query over the batch only. Trademark
watches score the batch's trademark filings with :mod:`nlp.marks`. Each match row and its outbox
row are written in one transaction; the unique key subscription × record makes a re-run (or a
re-loaded file) add nothing.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Insert, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from iphub import query as q
from iphub.records import Patent, Trademark
from iphub.store.base import Store
from iphub.store.plan import Bool, Plan, Terms, compile_query
from nlp import marks
from search_api.alerts.db import AlertsDB
from search_api.alerts.models import Match, Outbox, Subscription, new_id, now

PUSH_CHANNELS = ("webhook", "email")
#: Subscription types matched by their own modules (record watch, profile feed, squatting).
HOOKED_TYPES = ("record_watch", "profile", "squatting_watch")
_CHUNK = 500


@dataclass
class MatchReport:
    batch_id: str
    subscriptions: int = 0
    matches: int = 0
    outbox: int = 0
    seconds: float = 0.0


def summarise(record: Patent | Trademark) -> dict[str, Any]:
    """What a message shows of a record (kept in the match, so delivery needs no store)."""
    common = {"id": record.id, "kind": record.record_type}
    applicants = [p.name for p in record.applicants]
    if isinstance(record, Patent):
        date = record.publication_date or record.application_date
        return common | {
            "number": record.publication_number,
            "title": record.title.text,
            "date": date.isoformat() if date else None,
            "applicants": applicants,
            "ipc": record.ipc_main or (record.ipc[0] if record.ipc else None),
        }
    return common | {
        "number": record.application_number,
        "title": record.mark_text or "",
        "date": record.application_date.isoformat() if record.application_date else None,
        "applicants": applicants,
        "nice_classes": record.nice_classes,
    }


def _insert(session: Session) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Match)


def _record_matches(
    session: Session,
    sub: Subscription,
    batch_id: str,
    found: Sequence[tuple[Patent | Trademark, dict[str, Any]]],
    report: MatchReport,
) -> None:
    rows = [
        {
            "subscription_id": sub.id,
            "record_id": r.id,
            "batch_id": batch_id,
            "summary": summarise(r) | extra,
            "created": now(),
        }
        for r, extra in found
    ]
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        stmt: Insert = (
            _insert(session)
            .values(chunk)
            .on_conflict_do_nothing(index_elements=["subscription_id", "record_id"])
            .returning(Match.id, Match.record_id)
        )
        inserted = session.execute(stmt).all()
        report.matches += len(inserted)
        if sub.channel not in PUSH_CHANNELS or not inserted:
            continue
        by_id = {row["record_id"]: row for row in chunk}
        session.execute(
            insert(Outbox),
            [
                {
                    "id": new_id("msg"),
                    "subscription_id": sub.id,
                    "match_id": match_id,
                    "event": "match.created",
                    "payload": {
                        "subscription_id": sub.id,
                        "subscription_name": sub.name,
                        "batch_id": batch_id,
                        "records": [by_id[record_id]["summary"]],
                    },
                    "next_attempt": now(),
                    "created": now(),
                }
                for match_id, record_id in inserted
            ],
        )
        report.outbox += len(inserted)


class _BatchRecords:
    """Records of the batch, each loaded from the store once however many subscriptions hit it."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.cache: dict[str, Patent | Trademark] = {}

    def get(self, ids: list[str]) -> list[Patent | Trademark]:
        missing = [i for i in ids if i not in self.cache]
        if missing:
            self.cache.update(self.store.get_many(missing))
        return [self.cache[i] for i in ids if i in self.cache]


def _in_batch(plan: Plan, batch_id: str) -> Plan:
    return Bool(must=(plan, Terms("batch", (batch_id,))))


def run_matcher(store: Store, db: AlertsDB, batch_id: str) -> MatchReport:
    """Evaluate every active subscription against the records of ``batch_id``."""
    started = time.perf_counter()
    report = MatchReport(batch_id)
    with db.session() as session:
        subs = list(session.scalars(select(Subscription).where(Subscription.paused.is_(False))))
    report.subscriptions = len(subs)
    by_query: dict[tuple[str, str], list[Subscription]] = defaultdict(list)
    watches = []
    hooked: dict[str, list[Subscription]] = defaultdict(list)
    for sub in subs:
        if sub.type == "trademark_watch":
            watches.append(sub)
        elif sub.type in HOOKED_TYPES:
            hooked[sub.type].append(sub)
        else:
            by_query[(sub.kind, sub.query)].append(sub)
    records = _BatchRecords(store)
    for (kind, text), group in by_query.items():
        ast = q.guess_fields(q.parse(text), ipc=kind == "patent")
        plan = _in_batch(compile_query(ast, kind), batch_id)  # type: ignore[arg-type]
        ids = list(store.scan_ids(kind, plan))  # type: ignore[arg-type]
        if not ids:
            continue
        hits: list[tuple[Patent | Trademark, dict[str, Any]]] = [(r, {}) for r in records.get(ids)]
        with db.session() as session:
            for sub in group:
                _record_matches(session, sub, batch_id, hits, report)
    if watches:
        filings = [
            r
            for r in store.scan("trademark", Terms("batch", (batch_id,)))
            if isinstance(r, Trademark) and r.mark_text
        ]
        with db.session() as session:
            for sub in watches:
                found = _watch_hits(sub, filings)
                if found:
                    _record_matches(session, sub, batch_id, found, report)
    _run_hooks(store, db, batch_id, hooked, watches, report)
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _watch_hits(
    sub: Subscription, filings: list[Trademark]
) -> list[tuple[Patent | Trademark, dict[str, Any]]]:
    watch = sub.watch or {}
    threshold = watch.get("threshold") or marks.THRESHOLD
    out: list[tuple[Patent | Trademark, dict[str, Any]]] = []
    for filing in filings:
        result = marks.compare(
            watch.get("mark", ""),
            filing.mark_text or "",
            watch.get("nice_classes", []),
            filing.nice_classes,
        )
        if result.score >= threshold:
            out.append((filing, {"score": round(result.score, 3), "signals": result.signals}))
    return out


def _run_hooks(
    store: Store,
    db: AlertsDB,
    batch_id: str,
    hooked: dict[str, list[Subscription]],
    watches: list[Subscription],
    report: MatchReport,
) -> None:
    # imported here: these modules use this one's match and outbox path
    from search_api.alerts import profiles, record_watch, squatting

    record_watch.match_batch(store, db, batch_id, hooked["record_watch"], report)
    profiles.match_batch(store, db, batch_id, hooked["profile"], report)
    squatting.match_batch(store, db, batch_id, hooked["squatting_watch"], report, watches)
