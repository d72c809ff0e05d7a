"""Daily digests (one signed webhook POST, one e-mail per subscription and day, idempotency key
per digest) and per-owner delivery rate limits (deferred, never dropped), against the real local
HTTP receiver and SMTP server, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import select, update

from iphub.config import Settings
from iphub.store.embedded import EmbeddedStore
from search_api.alerts import digest
from search_api.alerts.db import AlertsDB
from search_api.alerts.matcher import run_matcher
from search_api.alerts.models import Delivery, Match, Outbox, now
from search_api.alerts.ratelimit import window_start
from tests.alerts.conftest import make_client, owner_key
from tests.alerts.test_delivery import ALLOW, drain, ingest, patent
from tests.utils.receiver import Receiver, running_receiver
from tests.utils.smtp import Inbox, running_smtp


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as r:
        yield r


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    with running_smtp() as i:
        yield i


def subscribe(client: object, key: str, **body: object) -> dict[str, str]:
    response = client.post(  # type: ignore[attr-defined]
        "/api/v1/subscriptions", json=body, headers={"Authorization": f"Bearer {key}"}
    )
    assert response.status_code == 201, response.text
    result: dict[str, str] = response.json()
    return result


def tomorrow_at(hour: int) -> dt.datetime:
    local = now().astimezone(digest.CHINA) + dt.timedelta(days=1)
    return local.replace(hour=hour, minute=30, second=0, microsecond=0)


def test_daily_digest_is_one_delivery_per_subscription_and_day(
    store: EmbeddedStore, db: AlertsDB, receiver: Receiver, inbox: Inbox
) -> None:
    with running_receiver() as other:  # the instant subscription's receiver
        check_digests(store, db, receiver, other, inbox)


def check_digests(
    store: EmbeddedStore, db: AlertsDB, receiver: Receiver, other: Receiver, inbox: Inbox
) -> None:
    settings = Settings(
        store=f"sqlite:///{store.path}", webhook_allow=ALLOW, smtp_port=inbox.port, rate_limit=0
    )
    key = owner_key(db, "代理所")
    with make_client(store, db, webhook_allow=ALLOW) as client:
        hook = subscribe(
            client, key, name="储能日报", query="ti=储能", channel="webhook", target=receiver.url,
            digest="daily",
        )  # fmt: skip
        receiver.secret = hook["secret"]
        assert hook["digest"] == "daily"
        subscribe(client, key, name="储能", query="储能", channel="email", target="zh@example.com",
                  digest="daily")  # fmt: skip
        subscribe(client, key, name="Storage", query="储能", channel="email",
                  target="en@example.com", lang="en", digest="daily")  # fmt: skip
        instant = subscribe(
            client, key, name="即时", query="ti=储能", channel="webhook", target=other.url
        )
        other.secret = instant["secret"]
        atom = client.post(
            "/api/v1/subscriptions",
            json={"name": "a", "query": "储能", "channel": "atom", "digest": "daily"},
            headers={"Authorization": f"Bearer {key}"},
        )
        assert atom.status_code == 400
        assert "Atom" in atom.text

    first = run_matcher(store, db, ingest(store, [patent(41, "储能电站"), patent(42, "图像")]))
    second = run_matcher(store, db, ingest(store, [patent(43, "储能装置"), patent(44, "储能柜")]))
    assert (first.matches, second.matches) == (4, 8)  # 4 subscriptions × 1, then × 2
    assert (first.outbox, second.outbox) == (1, 2)  # only the instant subscription's messages
    stats = drain(db, settings)
    assert (stats.delivered, stats.failed) == (3, 0)
    assert digest.build_due(db, now(), 8) == 0  # today's matches wait for tomorrow

    at = tomorrow_at(9)
    assert digest.build_due(db, tomorrow_at(7), 8) == 0  # before the digest hour
    assert digest.build_due(db, at, 8) == 3
    assert digest.build_due(db, at, 8) == 0  # built once per subscription and day
    stats = drain(db, settings)
    assert (stats.delivered, stats.failed) == (3, 0)

    day = (at - dt.timedelta(days=1)).date()
    digest_id = digest.digest_id(hook["id"], day)
    assert receiver.bad_signatures == 0
    body = receiver.accepted[digest_id]
    assert body["type"] == "digest.daily"
    assert body["data"]["digest"] == {"date": day.isoformat(), "count": 3}
    assert [r["id"] for r in body["data"]["records"]] == [
        "CN155500041A",
        "CN155500043A",
        "CN155500044A",
    ]
    assert len(receiver.accepted) == 1  # the digest alone
    assert sorted(other.per_record) == ["CN155500041A", "CN155500043A", "CN155500044A"]
    assert other.bad_signatures == 0

    assert len(inbox.messages) == 2
    zh = next(m for m in inbox.messages if m["To"] == "zh@example.com")
    en = next(m for m in inbox.messages if m["To"] == "en@example.com")
    assert zh["Subject"] == f"【iphub】订阅“储能”每日汇总（{day.isoformat()}）：3 条新记录"
    assert (
        en["Subject"] == f"[iphub] Daily digest for “Storage” ({day.isoformat()}): 3 new record(s)"
    )
    assert [p.get_content_type() for p in zh.iter_parts()] == ["text/plain", "text/html"]
    html = zh.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert all(n in html for n in ("CN155500041A", "CN155500043A", "CN155500044A"))
    assert zh["Message-ID"].startswith("<dig_")

    # a worker that dies after the receiver's 2xx re-sends with the same id: deduplicated
    with db.session() as session:
        session.execute(update(Outbox).where(Outbox.id == digest_id).values(status="pending"))
    posts = receiver.posts
    assert drain(db, settings).delivered == 1
    assert receiver.posts == posts + 1
    assert list(receiver.accepted) == [digest_id]

    # a match made after the digest was built goes in the next day's digest
    run_matcher(store, db, ingest(store, [patent(45, "储能系统")]))
    assert digest.build_due(db, at, 8) == 0
    assert digest.build_due(db, at + dt.timedelta(days=1), 8) == 3
    with db.session() as session:
        pending = session.scalars(select(Match).where(Match.digest_id == "pending")).all()
        assert pending == []
        assert session.get(Outbox, digest.digest_id(instant["id"], day)) is None


def test_rate_limit_defers_deliveries_and_never_drops_them(
    store: EmbeddedStore, db: AlertsDB, receiver: Receiver
) -> None:
    limit, window = 2, 2.0
    settings = Settings(
        store=f"sqlite:///{store.path}",
        webhook_allow=ALLOW,
        rate_limit=0,
        alerts_rate_limit=limit,
        alerts_rate_window=window,
    )
    busy, quiet = owner_key(db, "busy"), owner_key(db, "quiet")
    with make_client(store, db, webhook_allow=ALLOW) as client:
        hot = subscribe(
            client, busy, name="b", query="ti=风机", channel="webhook", target=receiver.url
        )
        subscribe(client, quiet, name="q", query="ti=叶片", channel="webhook", target=receiver.url)
    records = [patent(60 + i, f"风机{i}号") for i in range(5)] + [patent(70, "叶片")]
    report = run_matcher(store, db, ingest(store, records))
    assert report.outbox == 6

    # windows are fixed slices of the clock: a drain that began late in one ran on into the
    # next and was rightly granted that window's slots too, so start it as a window opens
    opens = window_start(now(), window) + dt.timedelta(seconds=window)
    time.sleep(max(0.0, (opens - now()).total_seconds()) + 0.02)
    first = drain(db, settings)
    assert first.delivered <= limit + 1  # busy owner's window, and the quiet owner's message
    assert first.deferred >= 1
    assert "CN155500070A" in receiver.per_record  # the busy owner does not hold the quiet one up
    with db.session() as session:
        waiting = session.scalars(select(Outbox).where(Outbox.status == "pending")).all()
        assert len(waiting) == 6 - first.delivered
        assert all(r.attempts == 0 for r in waiting)  # deferral is not a failed attempt
        assert all(r.next_attempt > now() - dt.timedelta(seconds=0.1) for r in waiting)

    deadline = time.monotonic() + 30
    delivered = first.delivered
    while delivered < 6 and time.monotonic() < deadline:
        time.sleep(0.2)
        delivered += drain(db, settings).delivered
    assert delivered == 6
    assert sorted(receiver.per_record.values()) == [1] * 6

    with db.session() as session:
        busy_sends = session.scalars(
            select(Delivery.at).where(Delivery.subscription_id == hot["id"])
        ).all()
    assert len(busy_sends) == 5
    assert max(Counter(window_start(at, window) for at in busy_sends).values()) <= limit
