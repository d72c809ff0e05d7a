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
