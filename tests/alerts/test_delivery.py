"""End to end: API subscription → ingest batch → matcher → worker → webhook, e-mail, Atom."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from iphub.config import Settings
from iphub.records import LocalizedText
from iphub.store.embedded import EmbeddedStore
from nlp.enrich import enrich
from search_api.alerts.db import AlertsDB
from search_api.alerts.matcher import run_matcher
from search_api.alerts.models import Match, Outbox
from search_api.alerts.worker import WorkerStats, run_once
from tests.alerts.conftest import make_client, marks_sharing, owner_key, subscribe
from tests.utils.factories import make_patent, make_trademark
from tests.utils.receiver import Receiver, running_receiver
from tests.utils.smtp import Inbox, running_smtp

ALLOW = ("127.0.0.0/8",)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as r:
        yield r


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    with running_smtp() as i:
        yield i


def ingest(store: EmbeddedStore, records: list[object]) -> str:
    batch = store.begin_batch("test")
    for r in records:
        r.batch_id = batch  # type: ignore[attr-defined]
    store.upsert(records)  # type: ignore[arg-type]
    store.refresh()
    store.finish_batch(batch, len(records))
    return batch


def drain(db: AlertsDB, settings: Settings) -> WorkerStats:
    stats = WorkerStats()
    while run_once(db, settings, "test-worker", stats):
        pass
    return stats


def patent(n: int, title: str, **kw: object) -> object:
    pn = f"CN1555{n:05d}A"
    return make_patent(id=pn, publication_number=pn, title=LocalizedText(text=title), **kw)


def test_webhook_email_and_atom_after_a_batch(
    store: EmbeddedStore, sqlite_db: AlertsDB, receiver: Receiver, inbox: Inbox
) -> None:
    settings = Settings(
        store=f"sqlite:///{store.path}", webhook_allow=ALLOW, smtp_port=inbox.port, rate_limit=0
    )
    key = owner_key(sqlite_db, "代理所")
    headers = {"Authorization": f"Bearer {key}"}
    with make_client(store, sqlite_db, webhook_allow=ALLOW) as client:
        hook = subscribe(
            client, key, name="电池", query="ti=电池", channel="webhook", target=receiver.url
        )
        receiver.secret = hook["secret"]
        subscribe(
            client,
            key,
            name="Battery",
            query="电池",
            channel="email",
            target="ip@example.com",
            lang="en",
        )
        mail_zh = subscribe(
            client, key, name="电池中文", query="电池", channel="email", target="zh@example.com"
        )
        feed = subscribe(client, key, name="电池源", query="电池", channel="atom")
        paused = subscribe(
            client, key, name="paused", query="电池", channel="webhook", target=receiver.url
        )
        client.post(f"/api/v1/subscriptions/{paused['id']}/pause", headers=headers)
        subscribe(client, key, name="无关", query="ti=疫苗", channel="webhook", target=receiver.url)

        batch = ingest(
            store, [patent(1, "一种锂电池"), patent(2, "电池散热结构"), patent(3, "图像")]
        )
        report = run_matcher(store, sqlite_db, batch)
        assert report.matches == 8  # 2 records × 4 active matching subscriptions
        assert report.outbox == 6  # the Atom feed is pulled, not pushed
        assert run_matcher(store, sqlite_db, batch).matches == 0  # re-run adds nothing

        stats = drain(sqlite_db, settings)
        assert (stats.delivered, stats.failed) == (6, 0)
        assert receiver.bad_signatures == 0
        assert sorted(receiver.per_record) == ["CN155500001A", "CN155500002A"]
        assert all(n == 1 for n in receiver.per_record.values())
        body = next(iter(receiver.accepted.values()))
        assert body["type"] == "match.created"
        assert body["data"]["subscription_name"] == "电池"

        assert len(inbox.messages) == 4
        english = [m for m in inbox.messages if m["To"] == "ip@example.com"]
        assert all("new record" in m["Subject"] for m in english)
        chinese = [m for m in inbox.messages if m["To"] == "zh@example.com"]
        assert all("新记录" in m["Subject"] for m in chinese)
        part_types = [p.get_content_type() for p in chinese[0].iter_parts()]
        assert part_types == ["text/plain", "text/html"]
        assert "代理所" not in str(chinese[0])

        history = client.get(f"/api/v1/subscriptions/{mail_zh['id']}/deliveries", headers=headers)
        assert [d["ok"] for d in history.json()] == [True, True]

        path = feed["feed_url"][feed["feed_url"].index("/api/") :]
        atom = client.get(path).text
        assert atom.count("<entry>") == 2
        assert "urn:iphub:match:" in atom


def test_unsafe_target_is_refused_again_at_delivery(
    store: EmbeddedStore, sqlite_db: AlertsDB, receiver: Receiver
) -> None:
    """Registered while allow-listed; the worker (no allow-list) refuses it and dead-letters."""
    key = owner_key(sqlite_db, "o")
    with make_client(store, sqlite_db, webhook_allow=ALLOW) as client:
        client.post(
            "/api/v1/subscriptions",
            json={"name": "x", "query": "ti=风扇", "channel": "webhook", "target": receiver.url},
            headers={"Authorization": f"Bearer {key}"},
        )
    run_matcher(store, sqlite_db, ingest(store, [patent(9, "风扇")]))
    stats = drain(sqlite_db, Settings(store=f"sqlite:///{store.path}"))
    assert stats.failed == 1
    assert receiver.posts == 0
    with sqlite_db.session() as session:
        row = session.scalars(select(Outbox)).one()
        assert row.status == "dead"
        assert "IPHUB_WEBHOOK_ALLOW" in (row.last_error or "")


def test_trademark_watch_warns_on_similar_filings(
    store: EmbeddedStore, sqlite_db: AlertsDB
) -> None:
    key = owner_key(sqlite_db, "品牌方")
    with make_client(store, sqlite_db) as client:
        subscribe(
            client,
            key,
            name="康师傅监控",
            type="trademark_watch",
            channel="atom",
            watch={"mark": "康师傅", "nice_classes": [30], "holder": "顶益(开曼岛)控股有限公司"},
        )
    filings = [
        make_trademark(
            id="CN-TM-55500001",
            application_number="55500001",
            mark_text="康帅傅",
            nice_classes=[30],
        ),
        make_trademark(
            id="CN-TM-55500002",
            application_number="55500002",
            mark_text="康师傅",
            nice_classes=[32],
        ),
        make_trademark(
            id="CN-TM-55500003",
            application_number="55500003",
            mark_text="康师傅",
            nice_classes=[12],
        ),
        make_trademark(
            id="CN-TM-55500004",
            application_number="55500004",
            mark_text="白云山",
            nice_classes=[30],
        ),
        make_trademark(  # the holder's own filing, its name written another way: no warning
            id="CN-TM-55500005",
            application_number="55500005",
            mark_text="康师傅",
            nice_classes=[30],
            applicants=[{"name": "顶益（开曼岛）控股有限公司"}],
        ),
    ]
    report = run_matcher(store, sqlite_db, ingest(store, filings))
    assert report.matches == 2
    with sqlite_db.session() as session:
        found = {m.record_id: m.summary for m in session.scalars(select(Match))}
        assert session.scalar(select(func.count()).select_from(Outbox)) == 0
    assert set(found) == {"CN-TM-55500001", "CN-TM-55500002"}
    assert "shape_similar" in found["CN-TM-55500001"]["signals"]
    assert found["CN-TM-55500002"]["signals"] == ["identical", "related_class"]


def test_trademark_watch_hears_a_mark_of_near_sound_among_many_filings(
    store: EmbeddedStore, sqlite_db: AlertsDB
) -> None:
    """The matcher compares a watch only with the filings the similar-mark search's candidate
    query ranks best in the batch: a filing that shares no character with the watched mark,
    only its sound (芸杉 yunshan) or a sound one letter away (御膳 yushan), is still among them
    when hundreds of others share a character with it."""
    key = owner_key(sqlite_db, "云山茶业")
    with make_client(store, sqlite_db) as client:
        subscribe(
            client,
            key,
            name="云山监控",
            type="trademark_watch",
            channel="atom",
            watch={"mark": "云山", "nice_classes": [30]},
        )
    marks = {"55600001": "芸杉", "55600002": "御膳", "55600003": "天马"}
    marks |= {f"557{i:05d}": m for i, m in enumerate(marks_sharing("山", 600))}
    filings = [
        enrich(
            make_trademark(id=f"CN-TM-{n}", application_number=n, mark_text=m, nice_classes=[30])
        )
        for n, m in marks.items()
    ]
    report = run_matcher(store, sqlite_db, ingest(store, filings))
    with sqlite_db.session() as session:
        found = {m.record_id: m.summary["signals"] for m in session.scalars(select(Match))}
    assert report.matches == 2
    assert set(found) == {"CN-TM-55600001", "CN-TM-55600002"}
    assert found["CN-TM-55600001"][0] == "pinyin_identical"
    assert "pinyin_near" in found["CN-TM-55600002"]


def test_a_watch_on_a_long_mark_fires(store: EmbeddedStore, sqlite_db: AlertsDB) -> None:
    """A watch keeps up to 100 characters of mark; the similar-mark search takes 50: the
    matcher plans a watch's mark whatever its length."""
    mark = "GUANGZHOU PEARL RIVER INTERNATIONAL TEA AND BEVERAGE TRADING"  # 60 characters
    key = owner_key(sqlite_db, "珠江茶业")
    with make_client(store, sqlite_db) as client:
        subscribe(
            client,
            key,
            name="长商标监控",
            type="trademark_watch",
            channel="atom",
            watch={"mark": mark, "nice_classes": [30]},
        )
    filing = make_trademark(
        id="CN-TM-55800001", application_number="55800001", mark_text=mark, nice_classes=[30]
    )
    report = run_matcher(store, sqlite_db, ingest(store, [filing]))
    assert report.matches == 1
    assert report.errors == 0
