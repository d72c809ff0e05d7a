"""Copyright registrations through the API: searched, shown, exported, like the other kinds."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from iphub.store.embedded import EmbeddedStore
from iphub.store.fields import FACETS
from search_api.main import create_app
from tests.api.conftest import settings_for
from tests.conformance.contract import COPYRIGHTS, load

SOFTWARE, WORKS = (c.id for c in COPYRIGHTS)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = EmbeddedStore(tmp_path_factory.mktemp("copyrights") / "iphub.db")
    load(store)  # the patents and trademarks of the corpus beside them
    store.upsert(list(COPYRIGHTS))
    store.refresh()
    app = create_app(settings_for(store.path, rate_limit=0), store=store)
    with TestClient(app) as c:
        yield c
    store.close()


def test_search_finds_registrations_by_title_with_their_facets(client: TestClient) -> None:
    r = client.get("/api/v1/copyrights/search", params={"q": "测试版权", "facets": "all"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["kind"], body["total"]) == ("copyright", 2)
    assert {h["id"] for h in body["hits"]} == {SOFTWARE, WORKS}
    assert {h["record"]["record_type"] for h in body["hits"]} == {"copyright"}
    assert set(body["facets"]) == set(FACETS["copyright"])
    assert {b["key"]: b["count"] for b in body["facets"]["kind"]} == {"software": 1, "works": 1}


def test_a_bare_registration_number_is_understood_as_one(client: TestClient) -> None:
    body = client.get("/api/v1/copyrights/search", params={"q": "2016SR999991"}).json()
    assert body["query"] == "pn=2016SR999991"
    assert [h["id"] for h in body["hits"]] == [SOFTWARE]


def test_a_field_of_another_kind_is_a_400_naming_it(client: TestClient) -> None:
    r = client.get("/api/v1/copyrights/search", params={"q": "ipc=H01M"})
    assert r.status_code == 400
    assert "著作权" in r.json()["detail"]
    assert "copyright search" in r.json()["detail"]


def test_health_counts_them(client: TestClient) -> None:
    assert client.get("/api/v1/health").json()["copyrights"] == 2


def test_a_registration_is_shown_by_its_id(client: TestClient) -> None:
    r = client.get(f"/api/v1/records/{SOFTWARE.lower()}")
    assert r.status_code == 200, r.text
    record = r.json()["record"]
    assert (record["record_type"], record["registration_number"]) == ("copyright", "2016SR999991")
    similar = client.get(f"/api/v1/records/{SOFTWARE}/similar").json()
    assert [h["id"] for h in similar["hits"]] == [WORKS]  # "测试版权": of its own kind only


def test_registrations_export_as_csv(client: TestClient) -> None:
    r = client.get("/api/v1/export", params={"kind": "copyright", "q": "测试版权"})
    assert r.status_code == 200, r.text
    assert r.headers["content-disposition"] == 'attachment; filename="iphub-copyrights.csv"'
    rows = list(csv.DictReader(io.StringIO(r.text.removeprefix("\ufeff"))))
    assert [(row["id"], row["type"], row["registration_number"]) for row in rows] == [
        (SOFTWARE, "software", "2016SR999991"),
        (WORKS, "works", "国作登字-2016-F-00999992"),
    ]
    assert rows[0]["owners"] == "广州测试科技有限公司"


def test_the_query_language_lists_the_copyright_fields(client: TestClient) -> None:
    language = client.get("/api/v1/query-language").json()
    assert {"ti", "pa", "pn", "kind", "rd"} <= set(language["fields"]["copyright"])
    assert "ipc" not in language["fields"]["copyright"]
    assert language["facets"]["copyright"] == list(FACETS["copyright"])


def test_holdings_count_registrations_by_type_and_year(client: TestClient) -> None:
    """What an official counts: registrations per type and per year, each registered one also
    a grant and a valid right (a registration is granted when it is registered)."""
    r = client.get(
        "/api/v1/stats/holdings",
        params={"kind": "copyright", "scope": "all", "group_by": "kind,year"},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == {"applications": 2, "grants": 2, "valid": 2}
    rows = {row["key"]: row for row in body["rows"]}
    assert {k: row["applications"] for k, row in rows.items()} == {"software": 1, "works": 1}
    assert [inner["key"] for inner in rows["works"]["rows"]] == ["2016"]
    wrong = client.get("/api/v1/stats/holdings", params={"kind": "copyright", "q": "ipc=H01M"})
    assert wrong.status_code == 400


@pytest.mark.parametrize("dimension", ["industry", "status", "ipc_class"])
def test_dimensions_registrations_do_not_have_are_a_400(client: TestClient, dimension: str) -> None:
    r = client.get("/api/v1/stats/holdings", params={"kind": "copyright", "group_by": dimension})
    assert r.status_code == 400
    assert r.json()["errors"][0]["allowed"] == [
        "district", "city", "province", "country", "applicant", "applicant_type", "year",
        "grant_year", "kind",
    ]  # fmt: skip
