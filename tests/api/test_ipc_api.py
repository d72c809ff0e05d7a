"""``GET /api/v1/ipc``: titles for the record page and facet tooltips."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_titles_of_several_codes(client: TestClient) -> None:
    r = client.get("/api/v1/ipc", params={"codes": "H01M 10/0525,G06N,Z99"})
    assert r.status_code == 200
    body = r.json()
    assert body["edition"] == "2020.01"
    assert "WIPO" in body["source"]
    by_code = {c["code"]: c for c in body["codes"]}
    lithium = by_code["H01M 10/0525"]
    assert [lv["level"] for lv in lithium["levels"]] == [
        "section",
        "class",
        "subclass",
        "group",
        "subgroup",
    ]
    assert lithium["levels"][0]["title_zh"] == "电学"
    assert by_code["G06N"]["levels"][-1]["title"].startswith("Computer systems based on")
    assert by_code["Z99"] == {"code": "Z99", "normalised": None, "levels": []}


def test_duplicates_are_answered_once(client: TestClient) -> None:
    r = client.get("/api/v1/ipc", params={"codes": "G06N, G06N ,G06N"})
    assert [c["code"] for c in r.json()["codes"]] == ["G06N"]


def test_too_many_codes_is_a_400_that_says_why(client: TestClient) -> None:
    r = client.get(
        "/api/v1/ipc", params={"codes": ",".join(["G06N"] + [f"H{i:02d}" for i in range(60)])}
    )
    assert r.status_code == 400
    assert "at most 50" in r.json()["detail"]


def test_no_codes_is_a_problem_that_says_why(client: TestClient) -> None:
    r = client.get("/api/v1/ipc", params={"codes": ""})
    assert r.status_code == 422  # parameter validation, as for every parameter
    assert r.json()["errors"][0]["loc"] == ["query", "codes"]
    r = client.get("/api/v1/ipc", params={"codes": " , ,"})
    assert r.status_code == 400
    assert "at least one IPC code" in r.json()["detail"]
    assert r.headers["content-type"].startswith("application/problem+json")
