"""/api/v1/subscriptions: auth, ownership, validation, SSRF at registration, feeds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from iphub.records import LocalizedText
from iphub.store.embedded import EmbeddedStore
from search_api.alerts.db import AlertsDB
from search_api.alerts.keys import revoke_key
from tests.alerts.conftest import make_client, owner_key, subscribe
from tests.utils.factories import make_patent

PUBLIC_HOOK = "http://93.184.216.34/hooks/iphub"  # a literal public address: no DNS, no request


@pytest.fixture
def client(store: EmbeddedStore, sqlite_db: AlertsDB) -> Iterator[TestClient]:
    with make_client(store, sqlite_db) as c:
        yield c


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def create(client: TestClient, key: str, **body: object) -> dict[str, object]:
    """A saved query on 锂电池 as an Atom feed, unless ``body`` says otherwise."""
    return subscribe(
        client, key, **({"name": "锂电池", "query": "ti=锂电池", "channel": "atom"} | body)
    )


def test_keys_unknown_revoked_malformed_all_same_401(
    client: TestClient, sqlite_db: AlertsDB
) -> None:
    key = owner_key(sqlite_db, "代理所")
    assert client.get("/api/v1/subscriptions", headers=auth(key)).status_code == 200
    with sqlite_db.session() as session:
        assert revoke_key(session, key)
    bodies = set()
    for headers in (
        {},
        auth(key),  # revoked
        auth("iph_" + "A" * 43),  # well-formed, unknown
        auth("not-a-key"),
        auth("iph_' OR 1=1 --"),
        {"X-API-Key": "\x00" * 10},
    ):
        response = client.get("/api/v1/subscriptions", headers=headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        bodies.add(response.text)
    assert len(bodies) == 1


def test_create_list_get_update_pause_delete(client: TestClient, sqlite_db: AlertsDB) -> None:
    key = owner_key(sqlite_db, "代理所")
    created = create(client, key, channel="webhook", target=PUBLIC_HOOK, kind="patent")
    assert str(created["secret"]).startswith("whsec_")
    sub_id = created["id"]
    got = client.get(f"/api/v1/subscriptions/{sub_id}", headers=auth(key)).json()
    assert "secret" not in got
    assert got["query"] == "ti=锂电池"
    assert got["paused"] is False
    listed = client.get("/api/v1/subscriptions", headers=auth(key)).json()
    assert [s["id"] for s in listed] == [sub_id]
    patched = client.patch(
        f"/api/v1/subscriptions/{sub_id}", json={"query": "ipc=H01M"}, headers=auth(key)
    )
    assert patched.json()["query"] == "ipc=H01M"
    paused = client.post(f"/api/v1/subscriptions/{sub_id}/pause", headers=auth(key)).json()
    assert paused["paused"] is True
    resumed = client.post(f"/api/v1/subscriptions/{sub_id}/resume", headers=auth(key)).json()
    assert resumed["paused"] is False
    fired = client.post(f"/api/v1/subscriptions/{sub_id}/test", headers=auth(key))
    assert fired.status_code == 202
    assert fired.json()["delivery_id"].startswith("msg_")
    history = client.get(f"/api/v1/subscriptions/{sub_id}/deliveries", headers=auth(key))
    assert history.json() == []  # nothing attempted until a worker runs
    assert client.delete(f"/api/v1/subscriptions/{sub_id}", headers=auth(key)).status_code == 204
    assert client.get(f"/api/v1/subscriptions/{sub_id}", headers=auth(key)).status_code == 404


def test_other_owners_subscription_is_404(client: TestClient, sqlite_db: AlertsDB) -> None:
    alice, bob = owner_key(sqlite_db, "alice"), owner_key(sqlite_db, "bob")
    sub_id = create(client, alice, channel="email", target="alice@example.com")["id"]
    unknown = client.get("/api/v1/subscriptions/sub_nope", headers=auth(bob))
    for method, path in (
        ("GET", ""),
        ("PATCH", ""),
        ("DELETE", ""),
        ("POST", "/pause"),
        ("POST", "/test"),
        ("POST", "/resume"),
        ("GET", "/deliveries"),
        ("GET", "/profile"),
        ("PUT", "/profile"),
        ("GET", "/watched"),
    ):
        body = {"PATCH": {"name": "x"}, "PUT": {}}.get(method)
        kwargs: dict[str, object] = {} if body is None else {"json": body}
        response = client.request(
            method, f"/api/v1/subscriptions/{sub_id}{path}", headers=auth(bob), **kwargs
        )
        assert response.status_code == 404, (method, path)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["detail"] == f"未找到订阅 {sub_id!r} / no subscription {sub_id!r}"
        assert "alice@example.com" not in response.text
    assert unknown.status_code == 404
    assert unknown.json()["message_zh"] == "未找到订阅 'sub_nope'"
    assert unknown.json()["message_en"] == "no subscription 'sub_nope'"
    assert client.get("/api/v1/subscriptions", headers=auth(bob)).json() == []
    assert client.get(f"/api/v1/subscriptions/{sub_id}", headers=auth(alice)).status_code == 200


@pytest.mark.parametrize(
    ("query", "position"),
    [
        ("ti=(电池", 3),
        ("电池 AND nc=9", 7),
        ('"液冷', 0),
        ("ti=", 3),
        ("电池 AND coll=nope", 7),
        ("pd=9999", 3),
    ],
)
def test_bad_query_is_400_with_position(
    client: TestClient, sqlite_db: AlertsDB, query: str, position: int
) -> None:
    key = owner_key(sqlite_db, "o")
    response = client.post(
        "/api/v1/subscriptions",
        json={"name": "x", "query": query, "channel": "atom"},
        headers=auth(key),
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["position"] == position


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:8080/hook",
        "http://localhost/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://10.1.2.3/hook",
        "http://192.168.0.1/hook",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
        "ftp://93.184.216.34/hook",
        "http://user:pw@93.184.216.34/hook",
        "not a url",
    ],
)
def test_webhook_ssrf_refused_at_registration(
    client: TestClient, sqlite_db: AlertsDB, target: str
) -> None:
    key = owner_key(sqlite_db, "o")
    response = client.post(
        "/api/v1/subscriptions",
        json={"name": "x", "channel": "webhook", "target": target},
        headers=auth(key),
    )
    assert response.status_code == 400, response.text
    problem = response.json()
    assert problem["code"] == "unsafe_target"
    assert problem["message_zh"]
    assert problem["message_en"]
    assert "IPHUB_" not in response.text  # the server's settings are the operator's business


def test_allow_list_admits_intranet(store: EmbeddedStore, sqlite_db: AlertsDB) -> None:
    key = owner_key(sqlite_db, "o")
    with make_client(store, sqlite_db, webhook_allow=("127.0.0.0/8",)) as client:
        create(client, key, channel="webhook", target="http://127.0.0.1:9/hook")


def test_channel_targets_are_validated(client: TestClient, sqlite_db: AlertsDB) -> None:
    key = owner_key(sqlite_db, "o")
    for body in (
        {"channel": "email", "target": "not-an-address"},
        {"channel": "email"},
        {"channel": "atom", "target": PUBLIC_HOOK},
        {"channel": "webhook"},
        {"channel": "sms", "target": "1"},
    ):
        response = client.post(
            "/api/v1/subscriptions", json={"name": "x", **body}, headers=auth(key)
        )
        assert response.status_code in (400, 422), body


def test_atom_feed_by_secret_token(client: TestClient, sqlite_db: AlertsDB) -> None:
    key = owner_key(sqlite_db, "o")
    created = create(client, key)
    feed_url = str(created["feed_url"])
    path = feed_url[feed_url.index("/api/v1/") :]
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    assert b"<feed" in response.content
    assert b"http://www.w3.org/2005/Atom" in response.content
    assert client.get("/api/v1/feeds/" + "x" * 43 + ".atom").status_code == 404
    got = client.get(f"/api/v1/subscriptions/{created['id']}", headers=auth(key)).json()
    assert "feed_url" not in got


def test_a_write_is_committed_before_its_answer(store: EmbeddedStore, sqlite_db: AlertsDB) -> None:
    """A client that creates a subscription and lists at once sees it: the request's
    transaction commits before the response is sent. Committed after it, the 订阅 page's list,
    asked on the 201, came back without the new subscription (found by the browser test). A
    real server, and every commit slowed down, so the order shows every time."""
    import time

    import httpx
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from iphub.config import Settings
    from search_api.main import create_app
    from tests.utils.server import running_app

    key = owner_key(sqlite_db, "at-once")
    app = create_app(Settings(store=f"sqlite:///{store.path}", rate_limit=0), store, sqlite_db)

    def slow_commit(session: Session) -> None:
        time.sleep(0.5)

    event.listen(Session, "before_commit", slow_commit)
    try:
        with (
            running_app(app) as url,
            httpx.Client(base_url=url, headers={"X-API-Key": key}) as http,
        ):
            body = {"name": "at once", "query": "锂电池", "channel": "atom"}
            created = http.post("/api/v1/subscriptions", json=body)
            assert created.status_code == 201
            listed = http.get("/api/v1/subscriptions").json()
            assert created.json()["id"] in [s["id"] for s in listed]
    finally:
        event.remove(Session, "before_commit", slow_commit)


def test_a_saved_query_follows_what_the_search_showed(tmp_path: Path, sqlite_db: AlertsDB) -> None:
    """Words that find nothing where their Chinese words as strings do (池正极材: cut 池 / 正极 /
    材 as a query, inside 锂电池正极材料 as a string) are saved as those strings, as the search
    answers them: the matcher runs a saved query as written. Words that find something stay."""
    store = EmbeddedStore(tmp_path / "iphub.db")
    store.upsert([make_patent(title=LocalizedText(text="一种锂电池正极材料及其制备方法"))])
    store.refresh()
    key = owner_key(sqlite_db, "代理机构")
    with make_client(store, sqlite_db) as client:
        strings = create(client, key, query="池正极材")
        assert strings["query"] == '"池正极材"'
        words = create(client, key, query="正极材料")
        assert words["query"] == "正极材料"
        nothing = create(client, key, query="钠离子")  # neither finds anything: as written
        assert nothing["query"] == "钠离子"
        # the strings of the query as written, numbers not given their three fields: it
        # compiles again (a query near the limits would not, once every number were three)
        numbers = " OR ".join(f"CN11400{n:04d}A" for n in range(30))
        mixed = create(client, key, query=f"池正极材 OR {numbers}")
        assert mixed["query"] == f'"池正极材" OR {numbers}'
        again = client.patch(
            f"/api/v1/subscriptions/{mixed['id']}",
            json={"query": mixed["query"]},
            headers=auth(key),
        )
        assert again.status_code == 200, again.text
        updated = client.patch(
            f"/api/v1/subscriptions/{words['id']}", json={"query": "池正极材"}, headers=auth(key)
        )
        assert updated.json()["query"] == '"池正极材"'
    store.close()


@pytest.mark.parametrize(
    ("method", "body", "field"),
    [
        # lax validation took each of these for the type the schema names
        ("POST", {"type": "profile", "profile": {"applicant": "广州某某", "top_n": True}},
         "profile.top_n"),
        ("POST", {"type": "profile", "profile": {"applicant": "广州某某", "min_features": "2"}},
         "profile.min_features"),
        ("POST", {"type": "trademark_watch", "kind": "trademark",
                  "watch": {"mark": "云山", "nice_classes": ["9"]}}, "watch.nice_classes.0"),
        ("POST", {"type": "trademark_watch", "kind": "trademark",
                  "watch": {"mark": "云山", "threshold": True}}, "watch.threshold"),
        ("POST", {"type": "squatting_watch", "kind": "trademark",
                  "squatting": {"marks": ["云山"], "bulk": "yes"}}, "squatting.bulk"),
        ("POST", {"name": 5}, "name"),
        ("PATCH", {"paused": 1}, "paused"),
        ("PATCH", {"paused": "true"}, "paused"),
        ("PUT", {"top_n": 5.0}, "top_n"),
        ("PUT", {"rebuild": 0}, "rebuild"),
    ],
)  # fmt: skip
def test_values_of_another_json_type_are_refused_naming_the_field(
    client: TestClient, sqlite_db: AlertsDB, method: str, body: dict[str, object], field: str
) -> None:
    key = owner_key(sqlite_db, "o")
    created = create(client, key)
    url = "/api/v1/subscriptions"
    if method == "PATCH":
        url += f"/{created['id']}"
    elif method == "PUT":
        url += f"/{created['id']}/profile"
    else:
        body = {"name": "x", "channel": "atom"} | body
    response = client.request(method, url, json=body, headers=auth(key))
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == "invalid_parameter"
    assert [".".join(map(str, e["loc"][1:])) for e in problem["errors"]] == [field]
    # and nothing changed
    assert (
        client.get(f"/api/v1/subscriptions/{created['id']}", headers=auth(key)).json()["paused"]
        is False
    )


@pytest.mark.parametrize(
    ("watch", "code", "loc"),
    [
        ({"mark": "云山", "nice_classes": [0, 99]}, "bad_nice_class", "watch.nice_classes"),
        ({"mark": "***"}, "empty_mark", "watch.mark"),
    ],
)
def test_a_trademark_watch_is_refused_what_the_similar_mark_search_refuses(
    client: TestClient, sqlite_db: AlertsDB, watch: dict[str, object], code: str, loc: str
) -> None:
    key = owner_key(sqlite_db, "o")
    body = {"name": "云山", "type": "trademark_watch", "kind": "trademark", "channel": "atom"}
    response = client.post("/api/v1/subscriptions", json=body | {"watch": watch}, headers=auth(key))
    assert response.status_code == 400, response.text
    problem = response.json()
    assert problem["code"] == code
    assert problem["message_zh"].startswith("尼斯分类" if code == "bad_nice_class" else "请输入")
    assert [".".join(map(str, e["loc"][1:])) for e in problem["errors"]] == [loc]
    searched = client.get(
        "/api/v1/trademarks/similar",
        params={"mark": watch["mark"], "nc": watch.get("nice_classes", [])},
    )
    assert searched.json()["code"] == code  # the same check as the search's
    assert client.get("/api/v1/subscriptions", headers=auth(key)).json() == []
    # and an existing watch is not changed to one
    created = subscribe(client, key, **body, watch={"mark": "云山", "nice_classes": [30]})
    patched = client.patch(
        f"/api/v1/subscriptions/{created['id']}", json={"watch": watch}, headers=auth(key)
    )
    assert patched.json()["code"] == code
    got = client.get(f"/api/v1/subscriptions/{created['id']}", headers=auth(key)).json()
    assert got["watch"]["nice_classes"] == [30]


def test_a_squatting_watch_of_a_mark_with_nothing_to_compare_is_refused(
    client: TestClient, sqlite_db: AlertsDB
) -> None:
    key = owner_key(sqlite_db, "o")
    response = client.post(
        "/api/v1/subscriptions",
        json={"name": "x", "type": "squatting_watch", "kind": "trademark", "channel": "atom",
              "squatting": {"marks": ["云山", "…"]}},
        headers=auth(key),
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["code"] == "empty_mark"
    assert response.json()["errors"][0]["loc"] == ["body", "squatting", "marks", 1]


def test_a_profile_of_a_firm_without_patents_is_accepted_with_a_warning(
    client: TestClient, sqlite_db: AlertsDB
) -> None:
    key = owner_key(sqlite_db, "o")
    created = subscribe(
        client, key, name="x", type="profile", channel="atom",
        profile={"applicant": "不存在的公司XYZ"},
    )  # fmt: skip
    assert created["profile"]["records"] == 0
    assert [w["code"] for w in created["warnings"]] == ["no_records"]
    assert created["warnings"][0]["message_zh"].startswith("未找到该申请人的专利")
    assert "rebuild" in created["warnings"][0]["message_en"]
    url = f"/api/v1/subscriptions/{created['id']}"
    assert client.get(url, headers=auth(key)).json()["warnings"] == created["warnings"]
    # terms given by hand: the profile pushes them, nothing to warn of
    client.put(f"{url}/profile", json={"terms": ["锂电池"]}, headers=auth(key))
    assert client.get(url, headers=auth(key)).json()["warnings"] == []
    # a saved query has none
    assert create(client, key)["warnings"] == []
