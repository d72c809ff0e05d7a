"""Record watch end to end: API watch → batch that changes a record → one webhook delivery."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from iphub.config import Settings
from iphub.records import LegalEvent, LegalStatus, LocalizedText, Party, Patent
from iphub.store.embedded import EmbeddedStore
from nlp.applicants import normalise
from search_api.alerts import mail, record_watch
from search_api.alerts.db import AlertsDB
from search_api.alerts.matcher import run_matcher
from search_api.alerts.models import Outbox, Subscription
from search_api.alerts.watch_models import RecordChange, WatchedRecord
from tests.alerts.conftest import make_client, owner_key
from tests.alerts.test_delivery import ALLOW, drain, ingest
from tests.utils.factories import make_patent
from tests.utils.receiver import Receiver, running_receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as r:
        yield r


def party(name: str) -> Party:
    return Party(name=name, key=normalise(name).key)


def patent(n: int, owner: str = "广州甲电池有限公司", **kw: object) -> Patent:
    pn = f"CN1666{n:05d}A"
    fields: dict[str, object] = {
        "id": pn,
        "publication_number": pn,
        "application_number": f"CN2021100{n:05d}.X",
        "title": LocalizedText(text=f"电池装置{n}"),
        "applicants": [party(owner)],
        "legal_status": LegalStatus.PENDING,
        "family_id": f"F{n}",
    }
    fields.update(kw)
    return make_patent(**fields)


def test_a_status_change_is_delivered_once_and_an_unchanged_record_is_not(
    store: EmbeddedStore, db: AlertsDB, receiver: Receiver, request: pytest.FixtureRequest
) -> None:
    ingest(store, [patent(1), patent(2)])
    key = owner_key(db, "代理所")
    headers = {"Authorization": f"Bearer {key}"}
    with make_client(store, db, webhook_allow=ALLOW) as client:
        response = client.post(
            "/api/v1/subscriptions",
            json={
                "name": "关注两件",
                "type": "record_watch",
                "records": {"numbers": ["CN 1666 00001 A", "cn166600002a", "CN166699999A"]},
                "channel": "webhook",
                "target": receiver.url,
            },
            headers=headers,
        )
        assert response.status_code == 201, response.text
        sub = response.json()
        receiver.secret = sub["secret"]
        assert sub["records"]["numbers"][0] == "CN 1666 00001 A"
        assert sub["unresolved"] == ["CN166699999A"]
        watched = client.get(f"/api/v1/subscriptions/{sub['id']}/watched", headers=headers)
        assert [(w["record_id"], w["status"]) for w in watched.json()] == [
            ("CN166600001A", "pending"),
            ("CN166600002A", "pending"),
        ]

        granted = patent(
            1,
            legal_status=LegalStatus.VALID,
            legal_events=[LegalEvent(date=dt.date(2023, 5, 9), code="C06", description="授权")],
        )
        batch = ingest(store, [granted, patent(2)])  # the second record comes back unchanged
        report = run_matcher(store, db, batch)
        assert (report.matches, report.outbox) == (1, 1)
        assert run_matcher(store, db, batch).matches == 0  # a re-run finds nothing new

        stats = drain(db, Settings(store=f"sqlite:///{store.path}", webhook_allow=ALLOW))
        assert (stats.delivered, stats.failed) == (1, 0)
        assert receiver.bad_signatures == 0
        assert dict(receiver.per_record) == {"CN166600001A": 1}
        body = next(iter(receiver.accepted.values()))
        assert body["type"] == "record.changed"
        record = body["data"]["records"][0]
        assert record["changes"] == [{"field": "status", "before": "pending", "after": "valid"}]
        assert record["legal_event"]["description"] == "授权"
        # a change of a record the user follows, worded as one, statuses as the page names them
        assert record["signals"] == ["法律状态：审中 → 有效 / legal status: pending → valid"]
        assert record["changed"] == {
            "zh": ["法律状态：审中 → 有效"],
            "en": ["legal status: pending → valid"],
        }

        watched = client.get(f"/api/v1/subscriptions/{sub['id']}/watched", headers=headers)
        assert watched.json()[0]["status"] == "valid"
        assert watched.json()[0]["batch_id"] == batch

        # the number that named no record is followed from the batch that brings it: its first
        # state is the snapshot (nothing delivered), a later change is delivered
        arrived = ingest(store, [patent(99999)])
        request.addfinalizer(lambda: store.delete(["CN166699999A"]))  # the store is shared
        assert run_matcher(store, db, arrived).outbox == 0
        mine = client.get(f"/api/v1/subscriptions/{sub['id']}", headers=headers).json()
        assert mine["unresolved"] == []
        watched = client.get(f"/api/v1/subscriptions/{sub['id']}/watched", headers=headers)
        assert [w["record_id"] for w in watched.json()] == [
            "CN166600001A",
            "CN166600002A",
            "CN166699999A",
        ]
        report = run_matcher(
            store, db, ingest(store, [patent(99999, legal_status=LegalStatus.VALID)])
        )
        assert (report.matches, report.outbox) == (1, 1)


def test_an_applicant_watch_follows_new_records_and_owner_changes(
    store: EmbeddedStore, db: AlertsDB
) -> None:
    ingest(store, [patent(10, "广州乙科技有限公司")])
    key = owner_key(db, "乙")
    with make_client(store, db) as client:
        response = client.post(
            "/api/v1/subscriptions",
            json={
                "name": "乙的全部",
                "type": "record_watch",
                "records": {"applicants": ["广州乙科技有限公司"]},
                "channel": "atom",
            },
            headers={"Authorization": f"Bearer {key}"},
        )
        assert response.status_code == 201, response.text
        feed = response.json()["feed_url"]
        sub_id = response.json()["id"]

        new = ingest(store, [patent(11, "广州乙科技有限公司"), patent(12, "广州丙有限公司")])
        assert run_matcher(store, db, new).matches == 0  # appears: snapshot taken, no alert
        with db.session() as session:
            ids = session.scalars(
                select(WatchedRecord.record_id).where(WatchedRecord.subscription_id == sub_id)
            ).all()
        assert sorted(ids) == ["CN166600010A", "CN166600011A"]

        moved = ingest(store, [patent(11, "广州丙有限公司"), patent(10, "广州乙科技有限公司")])
        assert run_matcher(store, db, moved).matches == 1
        with db.session() as session:
            change = session.scalars(select(RecordChange)).one()
        assert change.record_id == "CN166600011A"
        assert change.summary["changes"] == [
            {"field": "applicants", "before": ["广州乙科技"], "after": ["广州丙"]}
        ]
        atom = client.get(feed[feed.index("/api/") :]).text
        assert atom.count("<entry>") == 1
        assert f"urn:iphub:change:{sub_id}:CN166600011A:{moved}" in atom
        assert "变更: 权利人：广州乙科技 → 广州丙" in atom
        assert "相似信号" not in atom


@pytest.mark.parametrize(
    ("lang", "subject", "intro", "line"),
    [
        (
            "zh",
            "【iphub】订阅“关注两件”关注的 1 条记录有变更",
            "您的订阅“关注两件”关注的以下记录有变更：",
            "  变更: 法律状态：审中 → 有效",
        ),
        (
            "en",
            "[iphub] 1 record(s) followed by your subscription “关注两件” changed",
            "These records followed by your subscription “关注两件” have changed:",
            "  Changes: legal status: pending → valid",
        ),
    ],
)
def test_a_record_change_mail_speaks_of_changes(
    lang: str, subject: str, intro: str, line: str
) -> None:
    change = {"field": "status", "before": "pending", "after": "valid"}
    lines = record_watch.readable(change, "patent")
    summary = {
        "id": "CN166600001A",
        "number": "CN166600001A",
        "title": "电池装置1",
        "applicants": ["广州甲电池有限公司"],
        "changes": [change],
        "changed": {k: [lines[k]] for k in ("zh", "en")},
    }
    sub = Subscription(id="sub_x", name="关注两件", lang=lang, target="a@example.com")
    row = Outbox(id="msg_x", subscription_id="sub_x", event="record.changed")
    msg = mail.message(sub, row, {"records": [summary]}, "iphub <a@b>", "http://x")
    assert msg["Subject"] == subject
    text = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert intro in text
    assert line in text
    assert "新记录" not in text
    assert "new record" not in text
    assert "相似信号" not in text


def test_trademark_statuses_have_their_own_labels() -> None:
    change = {"field": "status", "before": "applied", "after": "invalid"}
    assert record_watch.readable(change, "trademark")["zh"] == "法律状态：申请中 → 无效"
    change = {"field": "status", "before": "valid", "after": "invalid"}
    assert record_watch.readable(change, "patent")["zh"] == "法律状态：有效 → 失效"


def test_watch_input_errors_and_owner_scope(store: EmbeddedStore, sqlite_db: AlertsDB) -> None:
    mine = {"Authorization": f"Bearer {owner_key(sqlite_db, 'a')}"}
    theirs = {"Authorization": f"Bearer {owner_key(sqlite_db, 'b')}"}
    with make_client(store, sqlite_db) as client:

        def create(records: object) -> tuple[int, dict[str, object]]:
            body = {"name": "w", "type": "record_watch", "records": records, "channel": "atom"}
            r = client.post("/api/v1/subscriptions", json=body, headers=mine)
            return r.status_code, r.json()

        status, problem = create({"numbers": ["不是号码"]})
        assert status == 400
        assert "无法识别的号码" in str(problem["detail"])
        assert "unrecognised record number" in str(problem["detail"])
        assert create({})[0] == 400
        assert create({"numbers": ["x" * 41]})[0] == 422
        status, created = create({"numbers": ["CN166600001A"]})
        assert status == 201
        sub_id = created["id"]
        assert (
            client.get(f"/api/v1/subscriptions/{sub_id}/watched", headers=theirs).status_code == 404
        )
        assert client.delete(f"/api/v1/subscriptions/{sub_id}", headers=theirs).status_code == 404
        patched = client.patch(
            f"/api/v1/subscriptions/{sub_id}",
            json={"records": {"numbers": ["CN166600002A"]}},
            headers=mine,
        )
        assert patched.status_code == 200, patched.text
        watched = client.get(f"/api/v1/subscriptions/{sub_id}/watched", headers=mine).json()
        assert [w["record_id"] for w in watched] == ["CN166600002A"]
        assert client.delete(f"/api/v1/subscriptions/{sub_id}", headers=mine).status_code == 204
    with sqlite_db.session() as session:
        assert session.scalar(select(func.count()).select_from(WatchedRecord)) == 0


def test_watched_records_of_another_type_of_subscription_is_a_400_that_says_why(
    store: EmbeddedStore, sqlite_db: AlertsDB
) -> None:
    mine = {"Authorization": f"Bearer {owner_key(sqlite_db, 'a')}"}
    theirs = {"Authorization": f"Bearer {owner_key(sqlite_db, 'b')}"}
    with make_client(store, sqlite_db) as client:
        body = {"name": "云山", "type": "trademark_watch", "kind": "trademark",
                "watch": {"mark": "云山", "nice_classes": [30]}, "channel": "atom"}  # fmt: skip
        sub_id = client.post("/api/v1/subscriptions", json=body, headers=mine).json()["id"]
        url = f"/api/v1/subscriptions/{sub_id}"
        r = client.get(f"{url}/watched", headers=mine)
        assert r.status_code == 400
        problem = r.json()
        assert problem["code"] == "wrong_subscription_type"
        assert problem["message_zh"] == f"仅适用于记录监控：订阅 {sub_id!r} 是商标监控"
        assert (
            problem["message_en"]
            == f"applies only to a record watch: {sub_id!r} is a trademark watch"
        )
        # the same for a profile feed's profile
        r = client.get(f"{url}/profile", headers=mine)
        assert (r.status_code, r.json()["code"]) == (400, "wrong_subscription_type")
        r = client.put(f"{url}/profile", json={"top_n": 3}, headers=mine)
        assert (r.status_code, r.json()["code"]) == (400, "wrong_subscription_type")
        # another owner still cannot tell it exists
        assert client.get(f"{url}/watched", headers=theirs).status_code == 404
