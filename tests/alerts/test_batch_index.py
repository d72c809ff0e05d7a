"""The matcher's RAM index of a batch matches exactly what the store matches restricted to the
batch (the previous matching path), on the named corpus, for the embedded store and for
Elasticsearch."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterator

import pytest
from sqlalchemy import insert, select

from iphub.records import Patent, Trademark
from iphub.store.base import Store
from iphub.store.batch_index import BatchIndex
from iphub.store.embedded import EmbeddedStore
from iphub.store.fields import RecordKind
from iphub.store.plan import Bool, Plan, Terms, understand
from search_api.alerts.db import AlertsDB
from search_api.alerts.keys import create_owner
from search_api.alerts.matcher import run_matcher
from search_api.alerts.models import Match, Subscription, new_id
from tests.utils.elastic import ES_URL_VAR, es_url, fresh_index
from tests.utils.factories import load_corpus

QUERIES: list[tuple[RecordKind, str]] = [
    ("patent", ""),
    ("patent", "电池"),
    ("patent", "锂电池"),
    ("patent", "“锂电池”"),
    ("patent", "电池 散热"),
    ("patent", "锂电池 NOT 固态"),
    ("patent", "抗体 OR 疫苗"),
    ("patent", "NOT 电池"),
    ("patent", "ti=电池 AND pd>=2023"),
    ("patent", "ab=电解液"),
    ("patent", "cl=三元"),
    ("patent", "ti=neur* OR ab=neur*"),
    ("patent", "lithi*"),
    ("patent", "battery"),
    ("patent", "batteries"),
    ("patent", "multi-agent"),
    ("patent", "ipc=H01M"),
    ("patent", "ipc=H01M10/*"),
    ("patent", "C07K"),
    ("patent", "pa=华南理工大学"),
    ("patent", "in=张伟"),
    ("patent", "dist=黄埔"),
    ("patent", "ind=生物与健康"),
    ("patent", "kind=实用新型"),
    ("patent", "pd=2012"),
    ("patent", "ad=2015:2018"),
    ("patent", "status=valid AND ctry=US"),
    ("patent", "pn=CN114000001"),
    ("patent", "改进"),
    ("patent", "coll=nev"),  # a key-industry collection: IPC codes, phrases, an exclusion
    ("patent", "coll=next-gen-it NOT dist=黄埔"),
    ("trademark", ""),
    ("trademark", "云山"),
    ("trademark", "tm=云山"),
    ("trademark", "yunshan"),
    ("trademark", "nc=30"),
    ("trademark", "gs=啤酒"),
    ("trademark", "status=registered AND ad<2013"),
]


def plan_of(kind: RecordKind, text: str) -> Plan:
    return understand(text, kind).plan


def load_split(store: Store) -> tuple[str, list[Patent | Trademark]]:
    """Every other corpus record in an earlier batch, the rest in the batch under test."""
    corpus = load_corpus()
    earlier, batch = store.begin_batch("earlier"), store.begin_batch("under-test")
    for i, record in enumerate(corpus):
        record.batch_id = batch if i % 2 else earlier
    store.upsert(corpus)
    store.refresh()
    return batch, [r for r in corpus if r.batch_id == batch]


@pytest.fixture(
    scope="module", params=["embedded", pytest.param("elastic", marks=pytest.mark.elastic)]
)
def loaded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Store, str, list[Patent | Trademark]]]:
    store: Store
    if request.param == "elastic":
        if not os.environ.get(ES_URL_VAR):
            pytest.skip(f"{ES_URL_VAR} not set")
        from iphub.store.elastic import ElasticStore

        store = ElasticStore(es_url(), index=fresh_index("iphub-test-alerts"))
    else:
        store = EmbeddedStore(tmp_path_factory.mktemp("batch-index") / "iphub.db")
    batch, records = load_split(store)
    yield store, batch, records
    if isinstance(store, EmbeddedStore):
        store.close()
    else:
        store.drop()  # type: ignore[attr-defined]
        store.close()


def in_store(store: Store, kind: RecordKind, plan: Plan, batch: str) -> set[str]:
    """The previous matching path: the plan ANDed with the batch, asked of the whole store."""
    return set(store.scan_ids(kind, Bool(must=(plan, Terms("batch", (batch,))))))


def test_batch_index_matches_the_store_restricted_to_the_batch(
    loaded: tuple[Store, str, list[Patent | Trademark]],
) -> None:
    store, batch, records = loaded
    index = BatchIndex(records)
    assert index.size == 15
    nonempty = 0
    for kind, text in QUERIES:
        plan = plan_of(kind, text)
        expected = in_store(store, kind, plan, batch)
        assert set(index.ids(kind, plan)) == expected, (kind, text)
        nonempty += bool(expected)
    assert nonempty >= 20  # the comparison is not between empty sets
    # the restriction is real: the store holds matches outside the batch that the index lacks
    everywhere = set(store.scan_ids("patent", plan_of("patent", "电池")))
    assert everywhere - set(index.ids("patent", plan_of("patent", "电池")))


def test_matcher_fills_matches_exactly_as_the_store_path(
    loaded: tuple[Store, str, list[Patent | Trademark]], sqlite_db: AlertsDB
) -> None:
    store, batch, _ = loaded
    with sqlite_db.session() as session:
        owner, _ = create_owner(session, "o")
        subs = {new_id("sub"): (kind, text) for kind, text in QUERIES}
        session.execute(
            insert(Subscription),
            [
                {
                    "id": sub_id,
                    "owner_id": owner.id,
                    "name": text or "*",
                    "query": text,
                    "kind": kind,
                    "channel": "webhook",
                    "target": "https://hooks.example.com/x",
                }
                for sub_id, (kind, text) in subs.items()
            ],
        )
    report = run_matcher(store, sqlite_db, batch, chunk=4)  # several chunks of the batch
    found: dict[str, set[str]] = defaultdict(set)
    with sqlite_db.session() as session:
        for sub_id, record_id in session.execute(select(Match.subscription_id, Match.record_id)):
            found[sub_id].add(record_id)
    expected = {
        sub_id: in_store(store, kind, plan_of(kind, text), batch)
        for sub_id, (kind, text) in subs.items()
    }
    assert {s: found.get(s, set()) for s in subs} == expected
    assert report.matches == report.outbox == sum(len(v) for v in expected.values())
    assert report.errors == 0
    assert run_matcher(store, sqlite_db, batch).matches == 0
