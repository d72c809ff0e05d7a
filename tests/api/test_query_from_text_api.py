"""``POST /api/v1/patents/query-from-text`` (按技术描述检索): a description's key terms as a query
the search runs as it stands."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from iphub import query as q
from iphub.describe import MAX_TEXT

URL = "/api/v1/patents/query-from-text"
PROBLEM = "application/problem+json"


def test_a_description_becomes_a_query_the_search_runs(client: TestClient) -> None:
    r = client.post(URL, json={"text": "固态电解质代替电解液的固态锂电池，能量密度更高。"})
    assert r.status_code == 200
    body = r.json()
    assert {"固态", "锂电池"} <= set(body["terms"])
    assert q.parse(body["query"]) == q.Or(tuple(q.Word(t, "ta") for t in body["terms"]))
    found = client.get("/api/v1/patents/search", params={"q": body["query"]}).json()
    assert found["hits"][0]["id"] == "CN114000010A"
    assert found["query"] == body["query"]  # the search understands it as written


def test_the_number_of_terms_and_english(client: TestClient) -> None:
    body = client.post(
        URL, json={"text": "A solid-state lithium battery with a ceramic electrolyte", "terms": 3}
    ).json()
    assert len(body["terms"]) == 3
    assert body["query"].count("ta=") == 3


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"text": "的了吗？！"}, 400, "no_terms"),
        ({"text": ""}, 422, "invalid_parameter"),
        ({"text": "电池" * (MAX_TEXT // 2 + 1)}, 422, "invalid_parameter"),
        ({"text": "电池", "terms": 21}, 422, "invalid_parameter"),
        ({"text": "电池", "terms": True}, 422, "invalid_parameter"),
        ({"text": "电池", "terms": "5"}, 422, "invalid_parameter"),
        ({}, 422, "invalid_parameter"),
    ],
)
def test_a_description_without_terms_or_too_long_says_why(
    client: TestClient, body: dict[str, object], status: int, code: str
) -> None:
    r = client.post(URL, json=body)
    assert r.status_code == status
    assert r.headers["content-type"] == PROBLEM
    assert r.json()["code"] == code
