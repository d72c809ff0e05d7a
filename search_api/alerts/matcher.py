"""Match an ingest batch against every active subscription, filling matches and the outbox.

``run_matcher(store, db, batch_id)`` is the hook ingest and crawls call after ``finish_batch``.
The batch's records are streamed from the store (``Store.scan_batch``) a chunk at a
time into a RAM index of just those records (:mod:`iphub.store.batch_index`, same schema and
plan translation as the embedded store); each distinct saved query is compiled once and run
there. Trademark watches run the similar-mark search's candidate query there and score what it
finds with :mod:`nlp.marks`. Matches
already recorded are skipped; new matches and their outbox rows are written with multi-row
inserts in one transaction per chunk; the unique key subscription × record makes a re-run (or a
re-loaded file) add nothing.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import logging
import os
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Connection, Text, bindparam, cast, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from iphub import query as q
from iphub.clearance import candidate_ids
from iphub.records import AnyRecord, Copyright, Patent, Trademark, title_of
from iphub.store.base import Store
from iphub.store.batch_index import BatchIndex
from iphub.store.fields import RecordKind
from iphub.store.plan import Plan, understand
from nlp import marks
from nlp.applicants import normalise as normalise_applicant
from search_api.alerts.db import AlertsDB
from search_api.alerts.models import Match, Outbox, Subscription, now

if TYPE_CHECKING:
    from search_api.alerts.squatting import SquattingRun

PUSH_CHANNELS = ("webhook", "email")
#: Subscription types matched by their own modules (record watch, profile feed, squatting).
HOOKED_TYPES = ("record_watch", "profile", "squatting_watch")
#: ``matches.digest_id`` of a daily-digest match not yet put in a digest
PENDING = "pending"
log = logging.getLogger(__name__)


@dataclass
class MatchReport:
    batch_id: str
    subscriptions: int = 0
    matches: int = 0
    outbox: int = 0
    #: subscriptions whose query could not be evaluated on this batch (logged, never fatal)
    errors: int = 0
    seconds: float = 0.0


def summarise(record: AnyRecord) -> dict[str, Any]:
    """What a message shows of a record (kept in the match, so delivery needs no store)."""
    common = {
        "id": record.id,
        "kind": record.record_type,
        "title": title_of(record),
        "applicants": [p.name for p in record.applicants],
    }
    if isinstance(record, Patent):
        date = record.publication_date or record.application_date
        ipc = record.ipc_main or (record.ipc[0] if record.ipc else None)
        return common | {"number": record.publication_number, "date": _iso(date), "ipc": ipc}
    if isinstance(record, Copyright):
        return common | {
            "number": record.registration_number,
            "date": _iso(record.registration_date),
        }
    return common | {
        "number": record.application_number,
        "date": _iso(record.application_date),
        "nice_classes": record.nice_classes,
    }


def _iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None


#: records of a batch indexed and matched at a time (bounds memory for bulk loads of millions)
CHUNK_RECORDS = 10_000
_ROWS = 2_000  # rows per multi-row INSERT


#: one match found: subscription, record id, and what the match adds to the summary (watches)
_Hit = tuple[Subscription, str, dict[str, Any] | None]


def _insert(conn: Connection) -> Any:
    dialect = conn.dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Match)


def _json(conn: Connection, name: str) -> Any:
    """A bind parameter taking JSON already serialised (each record's summary is serialised once,
    however many subscriptions it matches)."""
    param = bindparam(name, type_=Text())
    return cast(param, JSON) if conn.dialect.name == "postgresql" else param


def _message_ids(n: int) -> list[str]:
    """``n`` delivery ids shaped like :func:`new_id` ("msg_" + 24 hex): 12 hex of milliseconds
    then 12 random, so bulk inserts append to the outbox's primary key instead of scattering."""
    stamp = f"{time.time_ns() // 1_000_000:012x}"
    raw = os.urandom(6 * n).hex()
    return [f"msg_{stamp}{raw[i : i + 12]}" for i in range(0, 12 * n, 12)]


def _already_matched(conn: Connection, record_ids: list[str]) -> set[tuple[str, str]]:
    """(subscription, record) pairs already in ``matches`` for these records (a re-run)."""
    found: set[tuple[str, str]] = set()
    for start in range(0, len(record_ids), 500):
        part = record_ids[start : start + 500]
        stmt = select(Match.subscription_id, Match.record_id).where(Match.record_id.in_(part))
        found.update((sub_id, record_id) for sub_id, record_id in conn.execute(stmt))
    return found


def _write(
    db: AlertsDB,
    batch_id: str,
    hits: list[_Hit],
    summaries: dict[str, dict[str, Any]],
    report: MatchReport,
) -> None:
    """Insert the new matches and, for push channels, their outbox rows, in one transaction.

    Pairs already matched are skipped before inserting; ``ON CONFLICT DO NOTHING`` on the unique
    key still guards against a concurrent matcher. Instant subscriptions get one outbox row per
    match (the message is built from the match's summary at delivery); daily-digest ones mark
    the match ``digest_id = 'pending'`` for the digest builder (``digest.py``)."""
    if not hits:
        return
    texts = {rid: json.dumps(summary, ensure_ascii=False) for rid, summary in summaries.items()}
    with db.session() as session:
        conn = session.connection()
        seen = _already_matched(conn, sorted({record_id for _, record_id, _ in hits}))
        fresh = [h for h in hits if (h[0].id, h[1]) not in seen]
        subs = {sub.id: sub for sub, _, _ in fresh}
        matches = (
            _insert(conn)
            .values(summary=_json(conn, "summary_json"))
            .on_conflict_do_nothing(index_elements=["subscription_id", "record_id"])
            .returning(Match.id, Match.subscription_id)
        )
        for start in range(0, len(fresh), _ROWS):
            at = now()
            rows = [
                {
                    "subscription_id": sub.id,
                    "record_id": record_id,
                    "batch_id": batch_id,
                    "summary_json": (
                        json.dumps(summaries[record_id] | extra, ensure_ascii=False)
                        if extra
                        else texts[record_id]
                    ),
                    "digest_id": PENDING if sub.digest == "daily" else None,
                    "created": at,
                }
                for sub, record_id, extra in fresh[start : start + _ROWS]
            ]
            inserted = conn.execute(matches, rows).all()
            report.matches += len(inserted)
            pushed = [
                (match_id, sub_id)
                for match_id, sub_id in inserted
                if subs[sub_id].channel in PUSH_CHANNELS and subs[sub_id].digest != "daily"
            ]
            report.outbox += _push(conn, batch_id, pushed, at)


def _push(conn: Connection, batch_id: str, pushed: list[tuple[int, str]], at: Any) -> int:
    """One outbox row per (match id, subscription id); the worker builds each message from its
    match when it claims the row. Returns the rows written."""
    if not pushed:
        return 0
    outbox = insert(Outbox).values(payload=_json(conn, "payload_json"))
    payload = json.dumps({"batch_id": batch_id})
    conn.execute(
        outbox,
        [
            {
                "id": msg_id,
                "subscription_id": sub_id,
                "match_id": match_id,
                "event": "match.created",
                "payload_json": payload,
                "status": "pending",
                "attempts": 0,
                "next_attempt": at,
                "created": at,
            }
            for msg_id, (match_id, sub_id) in zip(_message_ids(len(pushed)), pushed, strict=True)
        ],
    )
    return len(pushed)


def _plans(
    subs: list[Subscription], report: MatchReport
) -> dict[RecordKind, list[tuple[Plan, list[Subscription]]]]:
    """Each distinct saved query compiled once, with the subscriptions that share it."""
    groups: dict[tuple[str, str], list[Subscription]] = defaultdict(list)
    for sub in subs:
        groups[(sub.kind, sub.query)].append(sub)
    out: dict[RecordKind, list[tuple[Plan, list[Subscription]]]] = defaultdict(list)
    for (kind, text), group in groups.items():
        try:
            plan = understand(text, kind).plan  # type: ignore[arg-type]
        except q.QuerySyntaxError as exc:
            report.errors += len(group)
            log.warning("subscription query %r no longer compiles: %s", text, exc)
            continue
        out[kind].append((plan, group))  # type: ignore[index]
    return out


def run_matcher(
    store: Store, db: AlertsDB, batch_id: str, *, chunk: int = CHUNK_RECORDS
) -> MatchReport:
    """Evaluate every active subscription against the records of ``batch_id``.

    The batch's records are read from the store ``chunk`` at a time into a RAM index
    (:class:`iphub.store.batch_index.BatchIndex`) and every distinct saved query is run there:
    a query over thousands of documents instead of one over the whole store per subscription."""
    with _no_cyclic_gc():
        return _run(store, db, batch_id, chunk)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """The matcher allocates hundreds of thousands of small tuples and dicts without cycles;
    the cyclic collector would rescan all of them again and again as they pile up (measured:
    a third of the matcher's time). Reference counting still frees them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _run(store: Store, db: AlertsDB, batch_id: str, chunk: int) -> MatchReport:
    started = time.perf_counter()
    report = MatchReport(batch_id)
    with db.session() as session:
        subs = list(session.scalars(select(Subscription).where(Subscription.paused.is_(False))))
    report.subscriptions = len(subs)
    watches = [s for s in subs if s.type == "trademark_watch"]
    hooked: dict[str, list[Subscription]] = defaultdict(list)
    for sub in subs:
        if sub.type in HOOKED_TYPES:
            hooked[sub.type].append(sub)
    queries = [s for s in subs if s.type != "trademark_watch" and s.type not in HOOKED_TYPES]
    plans = _plans(queries, report)
    squatting_run = _squatting(
        store, db, batch_id, hooked.pop("squatting_watch", []), watches, report
    )
    for kind in ("patent", "trademark"):
        if not plans.get(kind) and not (kind == "trademark" and (watches or squatting_run)):
            continue
        records = store.scan_batch(kind, batch_id)
        while part := list(islice(records, chunk)):
            index = BatchIndex(part)
            hits = _query_hits(index, kind, plans.get(kind, []), report)
            if kind == "trademark" and watches:
                filings = {r.id: r for r in part if isinstance(r, Trademark) and r.mark_text}
                for sub in watches:
                    found = _watch_hits(sub, index, filings)
                    hits += [(sub, r.id, extra) for r, extra in found]
            hit = {record_id for _, record_id, _ in hits}  # the few a chunk's matches name
            summaries = {r.id: summarise(r) for r in part if r.id in hit}
            _write(db, batch_id, hits, summaries, report)
            if kind == "trademark" and squatting_run:
                try:
                    squatting_run.match_chunk(part, index, report)  # the same chunk's index
                except Exception:  # noqa: BLE001 - the other subscriptions still get theirs
                    _squatting_stopped(report)
                    squatting_run = None
    _run_hooks(store, db, batch_id, hooked, report)
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _record_matches(
    session: Session,
    sub: Subscription,
    batch_id: str,
    found: Sequence[tuple[Patent | Trademark, dict[str, Any]]],
    report: MatchReport,
) -> None:
    """Matches of one subscription found by a hooked module (profile feed, squatting watch),
    written in the caller's transaction the way :func:`_write` writes them: digest-mode
    matches wait for the digest, instant ones get an outbox row whose message is built from the
    match at delivery."""
    if not found:
        return
    conn = session.connection()
    digest = sub.digest == "daily"
    matches = (
        _insert(conn)
        .values(summary=_json(conn, "summary_json"))
        .on_conflict_do_nothing(index_elements=["subscription_id", "record_id"])
        .returning(Match.id)
    )
    for start in range(0, len(found), _ROWS):
        at = now()
        rows = [
            {
                "subscription_id": sub.id,
                "record_id": r.id,
                "batch_id": batch_id,
                "summary_json": json.dumps(summarise(r) | extra, ensure_ascii=False),
                "digest_id": PENDING if digest else None,
                "created": at,
            }
            for r, extra in found[start : start + _ROWS]
        ]
        inserted = [match_id for (match_id,) in conn.execute(matches, rows).all()]
        report.matches += len(inserted)
        if digest or sub.channel not in PUSH_CHANNELS:
            continue
        report.outbox += _push(conn, batch_id, [(m, sub.id) for m in inserted], at)


def _query_hits(
    index: BatchIndex,
    kind: RecordKind,
    plans: list[tuple[Plan, list[Subscription]]],
    report: MatchReport,
) -> list[_Hit]:
    hits: list[_Hit] = []
    for plan, group in plans:
        try:
            ids = index.ids(kind, plan)
        except q.QuerySyntaxError as exc:  # a prefix expanding past the limit
            report.errors += len(group)
            log.warning("subscription query skipped on this batch: %s", exc)
            continue
        hits += [(sub, record_id, None) for sub in group for record_id in ids]
    return hits


def _watch_hits(
    sub: Subscription, index: BatchIndex, filings: dict[str, Trademark]
) -> list[tuple[Trademark, dict[str, Any]]]:
    """A trademark watch's matches among the chunk's filings: the best ``CANDIDATES`` the
    similar-mark search's candidate query finds in the chunk's index (a character, look-alike,
    word, pinyin or translation in common, in a related class:
    ``iphub.clearance.candidate_ids``), scored with ``nlp.marks.compare``. Comparing every
    filing with every watch cost ≈5 µs a pair: an hour for 10,000 watches against a week's
    100,000 filings (BENCHMARKS.md, "Trademark watch at scale", with what the candidates
    leave out)."""
    watch = sub.watch or {}
    threshold = watch.get("threshold") or marks.THRESHOLD
    holder = normalise_applicant(watch["holder"]).key if watch.get("holder") else None
    out: list[tuple[Trademark, dict[str, Any]]] = []
    for record_id in candidate_ids(index, watch.get("mark", ""), watch.get("nice_classes", [])):
        filing = filings.get(record_id)
        if filing is None:  # a figurative mark (no words) or not a trademark
            continue
        if holder and any(
            (p.key or normalise_applicant(p.name).key) == holder for p in filing.applicants
        ):
            continue  # the holder's own filing
        result = marks.compare(
            watch.get("mark", ""),
            filing.mark_text or "",
            watch.get("nice_classes", []),
            filing.nice_classes,
        )
        if result.score >= threshold:
            out.append((filing, {"score": round(result.score, 3), "signals": result.signals}))
    return out


def _squatting(
    store: Store,
    db: AlertsDB,
    batch_id: str,
    subs: list[Subscription],
    watches: list[Subscription],
    report: MatchReport,
) -> SquattingRun | None:
    """The squatting watches' run over the batch (their applicants' evidence gathered), to be
    matched on the chunks :func:`_run` reads and indexes; None without such watches or
    filings, or when gathering the evidence failed (logged and counted: the saved queries and
    trademark watches still run, as they did when squatting was matched after them)."""
    if not subs:
        return None
    # imported here: that module uses this one's match and outbox path
    from search_api.alerts.squatting import SquattingRun

    try:
        run = SquattingRun(store, db, batch_id, subs, watches)
    except Exception:  # noqa: BLE001 - the other subscriptions still get theirs
        _squatting_stopped(report)
        return None
    return run if run.evidence.filings else None


def _squatting_stopped(report: MatchReport) -> None:
    """Log the failure being handled and count it: the squatting watches stop for this batch."""
    log.exception("squatting watches stopped on batch %s", report.batch_id)
    report.errors += 1


def _run_hooks(
    store: Store,
    db: AlertsDB,
    batch_id: str,
    hooked: dict[str, list[Subscription]],
    report: MatchReport,
) -> None:
    # imported here: these modules use this one's match and outbox path; and only for their
    # subscriptions
    if hooked["record_watch"]:
        from search_api.alerts import record_watch

        record_watch.match_batch(store, db, batch_id, hooked["record_watch"], report)
    if hooked["profile"]:
        from search_api.alerts import profiles

        profiles.match_batch(store, db, batch_id, hooked["profile"], report)
