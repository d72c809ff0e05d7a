"""``GET /api/v1/trademarks/similar`` (近似商标查询) over the fixture corpus; what it finds by
sound, shape and translation is held for every store by the conformance suite."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

PROBLEM = "application/problem+json"
URL = "/api/v1/trademarks/similar"


def test_similar_marks_scored_with_reasons(client: TestClient) -> None:
    r = client.get(URL, params={"mark": "云山", "nc": [30]})
    assert r.status_code == 200
    body = r.json()
    assert body["mark"] == "云山"
    assert body["nice_classes"] == [30]
    assert {30, 43} <= set(body["searched_classes"])
    found = {h["record"]["mark_text"]: h for h in body["hits"]}
    assert found["云山"]["signals"] == ["identical", "same_class"]
    assert found["云山"]["score"] == 1.0
    assert found["云山茶语"]["signals"][0] == "contains"
    assert "related_class" in found["云山雅居"]["signals"]  # class 43, of 30's group
    assert "白云山" not in found  # class 5: unrelated goods
    assert all(h["score"] >= 0.5 for h in body["hits"])
    assert body["threshold"] == 0.75
    assert body["candidates"] >= len(body["hits"])


def test_similar_marks_without_classes_search_every_class(client: TestClient) -> None:
    body = client.get(URL, params={"mark": "白云山"}).json()
    assert body["searched_classes"] == []
    assert {h["record"]["mark_text"] for h in body["hits"]} >= {"白云山", "云山"}
    assert all(h["signals"][-1] == "any_class" for h in body["hits"])


def test_similar_marks_live_only_and_size(client: TestClient) -> None:
    dead = client.get(URL, params={"mark": "Pearl River"}).json()["hits"]
    assert [h["id"] for h in dead] == ["CN-TM-10000006"]
    assert client.get(URL, params={"mark": "Pearl River", "live_only": True}).json()["hits"] == []
    assert len(client.get(URL, params={"mark": "云山", "size": 1}).json()["hits"]) == 1


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"mark": "！？ ·"}, 400, "empty_mark"),
        ({"mark": ""}, 400, "empty_mark"),
        ({"mark": "云山", "nc": [46]}, 400, "bad_nice_class"),
        ({"mark": "云山", "nc": [0]}, 400, "bad_nice_class"),
        ({"mark": "云山", "nc": ["x"]}, 422, "invalid_parameter"),
        ({"mark": "云" * 51}, 400, "mark_too_long"),
        ({"mark": "云" * 1001}, 422, "invalid_parameter"),
        ({"mark": "云山", "size": 101}, 422, "invalid_parameter"),
        ({}, 422, "invalid_parameter"),
    ],
)
def test_bad_parameters_say_which_and_why(
    client: TestClient, params: dict[str, object], status: int, code: str
) -> None:
    r = client.get(URL, params=params)
    assert r.status_code == status
    assert r.headers["content-type"] == PROBLEM
    body = r.json()
    assert body["code"] == code
    if status == 400:
        assert body["message_zh"]
        assert body["message_en"]
        assert body["errors"][0]["loc"] == ["query", "nc" if "nc" in params else "mark"]
