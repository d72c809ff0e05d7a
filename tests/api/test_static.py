"""The built page under ``/``: hashed assets immutable, pre-compressed, page paths → index.html."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from search_api.static import DIST, is_page_path, mount_page


def _asset(client: TestClient, suffix: str) -> str:
    html = client.get("/").text
    match = re.search(rf'"(/assets/[^"]+\.{suffix})"', html)
    assert match, html
    return match.group(1)


def test_home_is_the_page(client: TestClient) -> None:
    r = client.get("/", follow_redirects=False)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert r.headers["cache-control"] == "no-cache"
    assert '<div id="app">' in r.text


@pytest.mark.parametrize("path", ["/patents", "/trademarks", "/records/CN114000001A"])
def test_page_paths_fall_back_to_index(client: TestClient, path: str) -> None:
    r = client.get(path, params={"q": "锂电池"})
    assert r.status_code == 200
    assert '<div id="app">' in r.text


def test_hashed_assets_are_immutable_and_compressed(client: TestClient) -> None:
    script = _asset(client, "js")
    plain = client.get(script, headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200
    assert "immutable" in plain.headers["cache-control"]
    assert plain.headers["content-type"].startswith("text/javascript")
    for encoding, suffix in (("br", ".br"), ("gzip", ".gz")):
        r = client.get(script, headers={"Accept-Encoding": encoding})
        assert r.headers["content-encoding"] == encoding
        stored = (DIST / script.lstrip("/")).with_name(Path(script).name + suffix)
        assert int(r.headers["content-length"]) == stored.stat().st_size < len(plain.content)


def test_unknown_api_path_is_a_404_problem(client: TestClient) -> None:
    r = client.get("/api/v1/no-such-thing")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["title"] == "未找到 / Not Found"
    assert problem["code"] == "not_found"
    assert problem["message_zh"] == "没有这个地址：/api/v1/no-such-thing"
    assert problem["message_en"] == "no such path: /api/v1/no-such-thing"


def test_missing_file_is_the_same_404_problem(client: TestClient) -> None:
    r = client.get("/assets/missing-abcdefgh.js")
    assert r.json()["message_zh"] == "没有这个地址：/assets/missing-abcdefgh.js"


def test_missing_file_is_404_not_the_page(client: TestClient) -> None:
    assert client.get("/assets/missing-abcdefgh.js").status_code == 404


def test_api_still_answers(client: TestClient) -> None:
    assert client.get("/api/v1/health").json()["status"] == "ok"


def test_without_a_build_nothing_is_mounted(tmp_path: Path) -> None:
    app = FastAPI()
    assert mount_page(app, tmp_path) is False
    assert [r.path for r in app.routes] == [r.path for r in FastAPI().routes]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("path", "page"),
    [
        ("/", True),
        ("/patents", True),
        ("/records/CN1.2", False),
        ("/api/v1/x", False),
        ("/api", False),
        ("/favicon.ico", False),
        ("/apiary", True),
    ],
)
def test_is_page_path(path: str, page: bool) -> None:
    assert is_page_path(path) is page


def test_wrong_method_on_the_api_is_405_not_the_page(client: TestClient) -> None:
    assert client.request("TRACE", "/api/v1/patents/search").status_code == 405


def test_wrong_method_is_a_bilingual_405_problem(client: TestClient) -> None:
    r = client.delete("/api/v1/patents/search")
    assert r.status_code == 405
    assert r.headers["content-type"] == "application/problem+json"
    assert r.headers["allow"] == "GET, HEAD"
    problem = r.json()
    assert problem["title"] == "请求方法不受支持 / Method Not Allowed"
    assert problem["code"] == "method_not_allowed"
    assert problem["message_zh"] == "/api/v1/patents/search 不接受 DELETE 请求，可用：GET, HEAD"
    assert problem["message_en"].endswith("does not accept DELETE; allowed: GET, HEAD")
