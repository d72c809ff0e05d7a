"""Record watch: follow chosen records and fire when their legal status, owners or family change.

A watch names record numbers (any form :mod:`iphub.numbers` reads) and/or applicants. The store
holds only each record's current version, so the watch keeps a snapshot of what it last saw
(``watched_records``: status, applicants' keys, family id), taken at creation — for an applicant,
of all its records then, and of each new one as a batch brings it; for a number that named no
record yet, when a batch brings that record.

After a batch (:func:`match_batch`), the batch's record ids are streamed from the store
(``scan_ids``) and looked up among the watched ids 500 at a time (one ``IN`` query per chunk,
never one query per watched record); only the intersecting records are loaded. A change writes a
``record_changes`` row (unique subscription × record × batch), the outbox row of a push channel
and the new snapshot in one transaction, so a re-run of the batch finds nothing new.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, TypeVar

from sqlalchemy import delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from iphub.numbers import (
    NumberError,
    normalize_application_number,
    normalize_publication_number,
    trademark_id,
)
from iphub.records import AnyRecord, Patent, Trademark, status_label_zh
from iphub.store.base import Store
from iphub.store.fields import RecordKind
from iphub.store.plan import Bool, Terms
from nlp.applicants import normalise as normalise_applicant
from search_api.alerts.db import AlertsDB
from search_api.alerts.matcher import PUSH_CHANNELS, MatchReport, summarise
from search_api.alerts.models import Outbox, Subscription, new_id, now
from search_api.alerts.watch_models import RecordChange, WatchedRecord

T = TypeVar("T")
KINDS: tuple[RecordKind, ...] = ("patent", "trademark")  # a watch's kinds
Watched = Patent | Trademark


def _watchable(records: Iterable[AnyRecord]) -> list[Watched]:
    """Those of ``records`` a watch follows: a store's reads are typed for every kind, and a
    watch's scans and numbers name only patents and trademarks."""
    return [r for r in records if isinstance(r, Patent | Trademark)]


CHUNK = 500
#: a change's field in Chinese and English
_LABELS = {
    "status": ("法律状态", "legal status"),
    "applicants": ("权利人", "owners"),
    "family": ("同族", "family"),
}


def _chunks(items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def snapshot(record: Watched) -> dict[str, Any]:
    """What a watch compares: status, sorted applicant keys, family id."""
    status = record.legal_status if isinstance(record, Patent) else record.status
    keys = sorted({p.key or normalise_applicant(p.name).key for p in record.applicants})
    family = record.family_id if isinstance(record, Patent) else None
    return {"status": status.value, "applicants": keys, "family_id": family}


def changes(before: WatchedRecord, after: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    if before.status != after["status"]:
        out.append({"field": "status", "before": before.status, "after": after["status"]})
    if sorted(before.applicants) != after["applicants"]:
        out.append(
            {"field": "applicants", "before": before.applicants, "after": after["applicants"]}
        )
    if before.family_id != after["family_id"]:
        out.append({"field": "family", "before": before.family_id, "after": after["family_id"]})
    return out


def readable(change: dict[str, Any], kind: str) -> dict[str, str]:
    """A change as a message line in each language: ``法律状态：审中 → 有效`` and
    ``legal status: pending → valid``."""

    def show(v: Any, zh: bool) -> str:
        if isinstance(v, list):
            return ("、" if zh else ", ").join(v)
        if v is None:
            return "—"
        return status_label_zh(kind, str(v)) if zh and change["field"] == "status" else str(v)

    zh, en = _LABELS[change["field"]]
    return {
        "zh": f"{zh}：{show(change['before'], True)} → {show(change['after'], True)}",
        "en": f"{en}: {show(change['before'], False)} → {show(change['after'], False)}",
    }


def number_forms(number: str) -> set[str]:
    """Canonical ids and numbers a user's number may stand for; ``ValueError`` when none."""
    forms: set[str] = set()
    for normalise in (
        lambda n: normalize_publication_number(n, default_country="CN"),
        normalize_application_number,
        trademark_id,
    ):
        try:
            forms.add(normalise(number))
        except NumberError:
            pass
    if not forms:
        raise ValueError(f"无法识别的号码 / unrecognised record number: {number!r}")
    return forms


def _record_forms(record: Watched) -> set[str]:
    forms = {record.id, record.application_number}
    if isinstance(record, Patent):
        forms.add(record.publication_number)
    elif record.registration_number:
        forms.add(record.registration_number)
    for n in list(forms):
        try:
            forms.add(normalize_application_number(n))
        except NumberError:
            pass
    return forms


def resolve(store: Store, numbers: Sequence[str]) -> tuple[list[Watched], list[str]]:
    """The records the numbers name (one store query per kind and chunk), and those not found."""
    wanted = {n: number_forms(n) for n in numbers}
    found: dict[str, Watched] = {}
    for chunk in _chunks(list(wanted)):
        forms = tuple(sorted({f for n in chunk for f in wanted[n]}))
        plan = Bool(should=(Terms("id", forms), Terms("pn", forms), Terms("ap", forms)))
        for kind in KINDS:
            ids = list(store.scan_ids(kind, plan))
            found.update((r.id, r) for r in _watchable(store.get_many(ids).values()))
    by_form: dict[str, str] = {}
    for record in found.values():
        for f in _record_forms(record):
            by_form.setdefault(f, record.id)
    unresolved = [n for n, forms in wanted.items() if not forms & set(by_form)]
    return list(found.values()), unresolved


def _upsert_snapshots(
    session: Session, sub_id: str, records: Iterable[Watched], batch_id: str | None
) -> int:
    """Insert snapshots of records not yet watched by ``sub_id`` (existing ones are kept)."""
    dialect = session.get_bind().dialect.name
    ins = postgresql.insert if dialect == "postgresql" else sqlite.insert
    rows = [
        {"subscription_id": sub_id, "record_id": r.id, "batch_id": batch_id, "updated": now()}
        | snapshot(r)
        for r in records
    ]
    added = 0
    for chunk in _chunks(rows):
        stmt = ins(WatchedRecord).values(chunk).on_conflict_do_nothing()
        added += session.execute(stmt).rowcount  # type: ignore[attr-defined]
    return added


def applicant_keys(names: Iterable[str]) -> list[str]:
    return sorted({normalise_applicant(n).key for n in names if n.strip()})


def start(
    session: Session,
    store: Store,
    sub: Subscription,
    numbers: Sequence[str],
    applicants: Sequence[str],
) -> dict[str, Any]:
    """Resolve a watch's numbers and applicants and snapshot their records; the watch JSON."""
    records, unresolved = resolve(store, numbers)
    keys = applicant_keys(applicants)
    session.execute(delete(WatchedRecord).where(WatchedRecord.subscription_id == sub.id))
    _upsert_snapshots(session, sub.id, records, None)
    if keys:
        for kind in KINDS:
            for chunk in _chunks(store.scan(kind, Terms("pak", tuple(keys)))):
                _upsert_snapshots(session, sub.id, _watchable(chunk), None)
    return {
        "numbers": list(numbers),
        "applicants": list(applicants),
        "applicant_keys": keys,
        "record_ids": sorted(r.id for r in records),
        "unresolved": unresolved,
    }


def watched(session: Session, sub_id: str, limit: int) -> list[WatchedRecord]:
    stmt = select(WatchedRecord).where(WatchedRecord.subscription_id == sub_id)
    return list(session.scalars(stmt.order_by(WatchedRecord.record_id).limit(limit)))


def match_batch(
    store: Store, db: AlertsDB, batch_id: str, subs: Sequence[Subscription], report: MatchReport
) -> None:
    """Compare the batch's watched records with their snapshots; deliver and record changes."""
    if not subs:
        return
    by_id = {s.id: s for s in subs}
    for kind in KINDS:
        for chunk in _chunks(store.scan_batch_ids(kind, batch_id)):
            with db.session() as session:
                rows = session.scalars(
                    select(WatchedRecord).where(
                        WatchedRecord.record_id.in_(chunk),
                        WatchedRecord.subscription_id.in_(list(by_id)),
                    )
                ).all()
                if rows:
                    records = store.get_many(sorted({r.record_id for r in rows}))
                    for row in rows:
                        record = records.get(row.record_id)
                        if isinstance(record, Patent | Trademark):
                            _compare(
                                session, by_id[row.subscription_id], row, record, batch_id, report
                            )
        _snapshot_new(store, db, batch_id, kind, subs)
        _resolve_pending(store, db, batch_id, kind, subs)


def _resolve_pending(
    store: Store, db: AlertsDB, batch_id: str, kind: RecordKind, subs: Sequence[Subscription]
) -> None:
    """Numbers a watch named before their record was loaded (``unresolved``): when a batch
    brings the record, snapshot it (its first state, no delivery, as for an applicant's new
    record) and take the number off the list; one store query per watch that waits."""
    for sub in subs:
        pending: list[str] = list((sub.watch or {}).get("unresolved") or [])
        if not pending:
            continue
        wanted = {n: number_forms(n) for n in pending}
        forms = tuple(sorted({f for fs in wanted.values() for f in fs}))
        named = Bool(should=(Terms("id", forms), Terms("pn", forms), Terms("ap", forms)))
        ids = list(store.scan_ids(kind, Bool(must=(Terms("batch", (batch_id,)), named))))
        if not ids:
            continue
        records = _watchable(store.get_many(ids).values())
        seen = {f for r in records for f in _record_forms(r)}
        watch = dict(sub.watch or {})
        watch["unresolved"] = [n for n in pending if not wanted[n] & seen]
        watch["record_ids"] = sorted({*watch.get("record_ids", []), *(r.id for r in records)})
        with db.session() as session:
            _upsert_snapshots(session, sub.id, records, batch_id)
            session.execute(
                update(Subscription).where(Subscription.id == sub.id).values(watch=watch)
            )
        sub.watch = watch


def _snapshot_new(
    store: Store, db: AlertsDB, batch_id: str, kind: RecordKind, subs: Sequence[Subscription]
) -> None:
    """Snapshot the batch's records of watched applicants as they appear (no delivery)."""
    for sub in subs:
        keys = tuple((sub.watch or {}).get("applicant_keys", []))
        if not keys:
            continue
        plan = Bool(must=(Terms("batch", (batch_id,)), Terms("pak", keys)))
        for chunk in _chunks(store.scan_ids(kind, plan)):
            with db.session() as session:
                known = set(
                    session.scalars(
                        select(WatchedRecord.record_id).where(
                            WatchedRecord.subscription_id == sub.id,
                            WatchedRecord.record_id.in_(chunk),
                        )
                    )
                )
                fresh = [i for i in chunk if i not in known]
                if fresh:
                    _upsert_snapshots(
                        session, sub.id, _watchable(store.get_many(fresh).values()), batch_id
                    )


def _compare(
    session: Session,
    sub: Subscription,
    row: WatchedRecord,
    record: Watched,
    batch_id: str,
    report: MatchReport,
) -> None:
    after = snapshot(record)
    found = changes(row, after)
    if not found:
        return
    lines = [readable(c, record.record_type) for c in found]
    summary = summarise(record) | {
        "changes": found,
        # what changed, worded per language for e-mail and Atom; bilingual for webhooks
        "changed": {lang: [line[lang] for line in lines] for lang in ("zh", "en")},
        "signals": [f"{line['zh']} / {line['en']}" for line in lines],
    }
    if isinstance(record, Patent) and record.legal_events:
        latest = max(record.legal_events, key=lambda e: e.date or dt.date.min)
        summary["legal_event"] = latest.model_dump(mode="json")
    dialect = session.get_bind().dialect.name
    ins = postgresql.insert if dialect == "postgresql" else sqlite.insert
    inserted = session.execute(
        ins(RecordChange)
        .values(
            subscription_id=sub.id,
            record_id=record.id,
            batch_id=batch_id,
            summary=summary,
            created=now(),
        )
        .on_conflict_do_nothing()
        .returning(RecordChange.id)
    ).first()
    session.execute(
        update(WatchedRecord)
        .where(WatchedRecord.subscription_id == sub.id, WatchedRecord.record_id == record.id)
        .values(**after, batch_id=batch_id, updated=now())
    )
    if inserted is None:
        return
    report.matches += 1
    if sub.channel in PUSH_CHANNELS:
        session.execute(
            insert(Outbox).values(
                id=new_id("msg"),
                subscription_id=sub.id,
                event="record.changed",
                payload={
                    "subscription_id": sub.id,
                    "subscription_name": sub.name,
                    "batch_id": batch_id,
                    "records": [summary],
                },
                next_attempt=now(),
                created=now(),
            )
        )
        report.outbox += 1
