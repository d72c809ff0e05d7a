"""Squatting warnings on both stores: an API watch, a batch with an imitation of the owner's
mark, of a well-known mark, and a shell's bulk imitations across unrelated classes."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from iphub.config import Settings
from iphub.records import AnyRecord, Party, Trademark
from iphub.store.base import Store
from iphub.store.batch_index import BatchIndex
from iphub.store.embedded import EmbeddedStore
from iphub.store.fields import RecordKind
from iphub.store.plan import Plan
from nlp import squatting
from nlp.applicants import normalise
from nlp.enrich import enrich
from search_api.alerts import squatting as squatting_alerts
from search_api.alerts.db import AlertsDB
from search_api.alerts.keys import create_owner
from search_api.alerts.matcher import MatchReport, run_matcher
from search_api.alerts.models import Match, Subscription
from search_api.alerts.squatting import (
    INDEX_REFERENCES_PAST,
    BatchEvidence,
    SquattingRun,
    batch_filings,
)
from search_api.main import create_app
from tests.alerts.conftest import ingest_batch, make_client, marks_sharing, subscribe
from tests.utils.factories import make_trademark

HOLDER = "广州好味食品有限公司"
SHELL = "广州某某商贸有限公司"


def mark(n: int, text: str, classes: list[int], owner: str, kind: str = "enterprise") -> Trademark:
    return make_trademark(
        id=f"CN-TM-7{n:07d}",
        application_number=f"7{n:07d}",
        mark_text=text,
        nice_classes=classes,
        applicants=[Party(name=owner, key=normalise(owner).key, type=kind)],
    )


def register() -> list[Trademark]:
    """Marks on the register before the batch: others' marks, and the shell's earlier filings."""
    others = [
        mark(1, "雅迪斯", [25], "广州雅迪斯服饰有限公司"),
        mark(2, "红棉花", [25], "广州红棉纺织有限公司"),
        mark(3, "珠江啤", [32], "广州珠江啤酒股份有限公司"),
        mark(4, "五羊牌", [12], "广州五羊摩托有限公司"),
        mark(5, "好味多", [30], HOLDER),
    ]
    earlier = [mark(10 + i, f"乐{i}", [c], SHELL) for i, c in enumerate([3, 9, 16, 29, 41])]
    return others + earlier


BATCH = [
    mark(20, "好味夛", [30], "张三", "individual"),  # imitates the owner's mark
    mark(21, "好味多", [30], HOLDER),  # the holder's own filing
    mark(22, "STARBUCKS", [35], "广州星星贸易有限公司"),  # a well-known mark, any class
    mark(23, "雅迪斯", [25], SHELL),  # a shell's bulk imitations of others' marks
    mark(24, "红棉花", [25], SHELL),
    mark(25, "珠江啤", [32], SHELL),
    mark(26, "五羊牌", [12], SHELL),
    mark(27, "青木", [31], "广州青木农业有限公司"),  # nothing
]


def test_squatting_watch_warns_with_the_signals_that_fired(
    any_store: Store, sqlite_db: AlertsDB
) -> None:
    ingest_batch(any_store, register())
    with sqlite_db.session() as session:
        _, key = create_owner(session, "好味食品", applicant_key=normalise(HOLDER).key)
    headers = {"Authorization": f"Bearer {key}"}
    app = create_app(Settings(rate_limit=0), store=any_store, alerts=sqlite_db)
    with TestClient(app) as client:
        response = client.post(
            "/api/v1/subscriptions",
            json={
                "name": "抢注预警",
                "type": "squatting_watch",
                "squatting": {"marks": ["好味多"], "nice_classes": [30], "bulk": True},
                "channel": "atom",
            },
            headers=headers,
        )
        assert response.status_code == 201, response.text
        assert response.json()["squatting"]["well_known"] is True
        bad = client.post(
            "/api/v1/subscriptions",
            json={"name": "x", "type": "squatting_watch", "channel": "atom"},
            headers=headers,
        )
        assert bad.status_code == 400
        assert "subscription needs squatting" in bad.json()["detail"]

    batch = ingest_batch(any_store, [t.model_copy() for t in BATCH])
    report = run_matcher(any_store, sqlite_db, batch)
    with sqlite_db.session() as session:
        found = {m.record_id: m.summary["signals"] for m in session.scalars(select(Match))}
    assert report.matches == len(found) == 6
    assert found["CN-TM-70000020"] == [
        "imitates:好味多(pinyin_identical+pinyin_near+char_near+same_class)"
    ]
    assert found["CN-TM-70000022"] == [
        "imitates_well_known:STARBUCKS(identical)",
        "imitates_well_known:星巴克(translation)",
    ]
    for n in (23, 24, 25, 26):
        assert found[f"CN-TM-700000{n}"] == [
            "mass_imitation:4/4",
            "class_spread:5",
            "non_operating:shell",
        ], n
    assert run_matcher(any_store, sqlite_db, batch).matches == 0


def test_many_references_are_looked_up_not_each_compared(store: EmbeddedStore) -> None:
    """With thousands of watched marks, a filing of a bulk applicant asks a RAM index of them
    for the ones it may imitate; it finds the one it imitates among 600 others."""
    batch = ingest_batch(store, [mark(30, "好味夛", [30], "李四", "individual")])
    others = [squatting.Reference(m, frozenset()) for m in marks_sharing("山", 599)]
    imitated = squatting.Reference("好味多", frozenset({normalise(HOLDER).key}), (30,))
    references = [*others, imitated]
    assert len(references) > INDEX_REFERENCES_PAST
    evidence = BatchEvidence(store, batch, references)
    assert evidence.filings == 1
    (filing,) = batch_filings(store, batch)
    like = evidence._like(filing)
    assert imitated in like
    assert len(like) < len(references)
    assert evidence._imitates_others(filing, normalise("李四").key)


def test_an_imitation_is_found_among_hundreds_of_filings_sharing_a_character(
    store: EmbeddedStore, sqlite_db: AlertsDB
) -> None:
    """A squatting watch compares only the filings its marks' candidate queries rank best: an
    imitation by sound (芸杉 for 云山) is among them when 600 others share a character, and a
    watch without bulk signals reports nothing else."""
    with sqlite_db.session() as session:
        owner = normalise("广州云山茶业有限公司").key
        _, key = create_owner(session, "云山茶业", applicant_key=owner)
    with make_client(store, sqlite_db) as client:
        subscribe(
            client, key, name="云山抢注预警", type="squatting_watch", channel="atom",
            squatting={"marks": ["云山"], "nice_classes": [30], "well_known": False},
        )  # fmt: skip
    names = marks_sharing("山", 600)
    filings = [enrich(mark(9000 + i, m, [30], f"青山{i}号")) for i, m in enumerate(names)]
    filings.append(enrich(mark(9700, "芸杉", [30], "王五", "individual")))
    report = run_matcher(store, sqlite_db, ingest_batch(store, filings))
    with sqlite_db.session() as session:
        found = {m.record_id: m.summary["signals"] for m in session.scalars(select(Match))}
    assert found == {"CN-TM-70009700": ["imitates:云山(pinyin_identical+pinyin_near+same_class)"]}
    assert report.matches == 1


def _watched_batch(store: Store, db: AlertsDB, others: int = 0) -> str:
    """The register, a bulk squatting watch of 好味多 and the batch above, with ``others``
    filings that warn of nothing (marks alike only one another, one filing an applicant)."""
    ingest_batch(store, register())
    with db.session() as session:
        _, key = create_owner(session, "好味食品", applicant_key=normalise(HOLDER).key)
    with make_client(store, db) as client:
        subscribe(
            client, key, name="抢注预警", type="squatting_watch", channel="atom",
            squatting={"marks": ["好味多"], "nice_classes": [30], "bulk": True},
        )  # fmt: skip
    quiet = [
        mark(100 + i, m, [31], f"林场{i}号农业有限公司")
        for i, m in enumerate(marks_sharing("木", others))
    ]
    return ingest_batch(store, [t.model_copy() for t in BATCH] + quiet)


class _Watched:
    """A store whose ``scan`` gives copies of the records and notes those still alive, and
    the most alive at once: what a reader of the batch holds."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.alive: dict[int, weakref.ref[AnyRecord]] = {}  # records are not hashable
        self.most = 0

    def __getattr__(self, name: str) -> object:
        return getattr(self._store, name)

    def scan(self, kind: RecordKind, plan: Plan) -> Iterator[AnyRecord]:
        return self._noted(self._store.scan(kind, plan))

    def scan_batch(self, kind: RecordKind, batch_id: str) -> Iterator[AnyRecord]:
        return self._noted(self._store.scan_batch(kind, batch_id))

    def _noted(self, records: Iterator[AnyRecord]) -> Iterator[AnyRecord]:
        for page_record in records:  # the store reads pages of 1,000
            record = page_record.model_copy()  # what the reader holds, apart from the page
            key = id(record)
            self.alive[key] = weakref.ref(record, lambda _, key=key: self.alive.pop(key, None))
            self.most = max(self.most, len(self.alive))
            yield record
            del record


def _found(db: AlertsDB) -> dict[str, list[str]]:
    with db.session() as session:
        return {m.record_id: m.summary["signals"] for m in session.scalars(select(Match))}


@pytest.mark.parametrize("chunk", [1, 2])
def test_the_batch_is_matched_a_chunk_at_a_time_with_the_same_warnings(
    store: EmbeddedStore, sqlite_db: AlertsDB, chunk: int
) -> None:
    """Neither the evidence nor the matching holds the batch: read ``chunk`` filings at a time,
    it warns of the same six filings with the same signals (the shell's 4/4 counted over the
    whole batch), and of the 20 filings at most two chunks are alive at once (the loop holds
    the last chunk while it reads the next; each generator its last record), or the shell's
    four the mass-imitation look keeps and the ones in flight."""
    batch = _watched_batch(store, sqlite_db, others=12)
    watched = _Watched(store)
    report = run_matcher(watched, sqlite_db, batch, chunk=chunk)  # type: ignore[arg-type]
    found = _found(sqlite_db)
    assert report.matches == len(found) == 6
    assert found["CN-TM-70000020"] == [
        "imitates:好味多(pinyin_identical+pinyin_near+char_near+same_class)"
    ]
    for n in (23, 24, 25, 26):
        assert found[f"CN-TM-700000{n}"][0] == "mass_imitation:4/4", n
    gc.collect()
    assert 0 < watched.most <= max(2 * (chunk + 1), 4 + 3) < len(BATCH) + 12
    assert len(watched.alive) == 0


def test_evidence_keeps_no_filing_and_looks_at_most_max_lookups(
    store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Applicants with several filings are looked at in the order of their first filing by
    id, each one's filings by id, until MAX_LOOKUPS: with 5, the shell's four and the first of
    the three filings of the applicant after it; no more than those five are kept."""
    ingest_batch(store, register())
    other = "广州又一商贸有限公司"
    batch = ingest_batch(
        store,
        [t.model_copy() for t in BATCH]
        + [mark(30 + i, m, [c], other) for i, (m, c) in enumerate([("雅迪思", 25), ("五羊", 12),
                                                                    ("红绵花", 25)])],
    )  # fmt: skip
    monkeypatch.setattr(squatting_alerts, "MAX_LOOKUPS", 5)
    watched = _Watched(store)
    evidence = BatchEvidence(watched, batch, list(squatting.well_known()))  # type: ignore[arg-type]
    assert evidence.filings == 11
    shell, after = (
        evidence.applicants[normalise(SHELL).key],
        evidence.applicants[normalise(other).key],
    )
    assert (shell.similar, shell.examined) == (4, 4)
    assert after.examined == 1
    assert all(e.examined == 0 for e in evidence.applicants.values() if e not in (shell, after))
    gc.collect()
    assert 0 < watched.most <= 5 + 3  # those kept, the record read, the readers' last ones
    assert len(watched.alive) == 0


def test_a_filing_the_evidence_did_not_see_is_still_matched(
    store: EmbeddedStore, sqlite_db: AlertsDB
) -> None:
    """A resumed batch may write a filing while its watches run: its applicant has no evidence
    (no bulk signal), and its imitation is still reported."""
    batch = _watched_batch(store, sqlite_db)
    with sqlite_db.session() as session:
        subs = list(session.scalars(select(Subscription)))
    run = SquattingRun(store, sqlite_db, batch, subs)
    late = mark(40, "好味夛", [30], "李四", "individual")
    late.batch_id = batch
    store.upsert([late])
    store.refresh()
    part = list(store.scan_batch("trademark", batch))
    run.match_chunk(part, BatchIndex(part), MatchReport(batch))
    assert _found(sqlite_db)["CN-TM-70000040"] == [
        "imitates:好味多(pinyin_identical+pinyin_near+char_near+same_class)"
    ]


def test_the_first_filings_by_id_are_looked_at_however_the_batch_was_written(
    store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Which filings the mass-imitation look examines does not depend on the order the store
    streams the batch in: 甲's filings are written first but have the larger ids, so with
    MAX_LOOKUPS 3 乙's three are examined (as a store streaming by id would choose)."""
    first, second = "广州甲商贸有限公司", "广州乙商贸有限公司"
    written = [mark(90 + i, m, [c], first) for i, (m, c) in enumerate(
        [("雅迪斯", 25), ("红棉花", 25), ("五羊牌", 12)])] + [
        mark(10 + i, m, [c], second) for i, (m, c) in enumerate(
        [("雅迪斯", 9), ("红棉花", 3), ("五羊牌", 16)])]  # fmt: skip
    ingest_batch(store, register())
    batch = ingest_batch(store, written)
    assert list(store.scan_batch_ids("trademark", batch))[0] == "CN-TM-70000090"
    monkeypatch.setattr(squatting_alerts, "MAX_LOOKUPS", 3)
    evidence = BatchEvidence(store, batch, list(squatting.well_known()))
    examined = {name: evidence.applicants[normalise(name).key].examined for name in (first, second)}
    assert examined == {first: 0, second: 3}


def test_a_failing_squatting_watch_leaves_the_other_subscriptions_their_matches(
    store: EmbeddedStore, sqlite_db: AlertsDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The squatting evidence is gathered before the batch's chunks are matched: when that
    fails (here a store fault, patched in), the saved queries still match, and the report
    counts the error."""
    batch = _watched_batch(store, sqlite_db)
    with sqlite_db.session() as session:
        _, key = create_owner(session, "查询者")
    with make_client(store, sqlite_db) as client:
        subscribe(client, key, name="好味", query="tm=好味多", kind="trademark", channel="atom")

    def fault(*_: object) -> None:
        raise RuntimeError("aggregation failed")

    monkeypatch.setattr(BatchEvidence, "_aggregate", fault)
    report = run_matcher(store, sqlite_db, batch)
    assert report.errors == 1
    with sqlite_db.session() as session:
        names = {(m.subscription_id, m.record_id) for m in session.scalars(select(Match))}
        subs = {s.id: s.name for s in session.scalars(select(Subscription))}
    assert {subs[sid] for sid, _ in names} == {"好味"}
    assert "CN-TM-70000021" in {rid for _, rid in names}
