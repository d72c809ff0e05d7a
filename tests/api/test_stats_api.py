"""``/api/v1/stats/…`` on a small store with known truth (tests/conformance/contract_stats.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from iphub.records import Copyright, Patent, Trademark
from iphub.store.base import Store
from iphub.store.embedded import EmbeddedStore
from search_api.main import create_app
from search_api.services.indicators import INCOMPLETE_EN, indicators, last_complete_filing_year
from search_api.services.landscape import Landscape, Table, block_csv
from tests.api.conftest import settings_for
from tests.conformance.contract_stats import party, truth_patents, truth_trademarks
from tests.utils.elastic import es_url, fresh_index, needs_elasticsearch
from tests.utils.factories import make_patent


def _records() -> list[Patent | Trademark | Copyright]:
    extra = make_patent(  # a PCT filing and a valid grant from 2019, in 天河区
        id="CN170000007B",
        publication_number="CN170000007B",
        kind="invention_grant",
        legal_status="valid",
        application_date=dt.date(2019, 2, 1),
        grant_date=dt.date(2020, 6, 1),
        applicants=[party("甲公司", "天河区", type="enterprise")],
        pct_application_number="PCT/CN2019/000001",
        ipc=["H01M 10/0525"],
    )
    works = Copyright(
        id="CN-WC-2021-F-00000001",
        copyright_type="works",
        registration_number="国作登字-2021-F-00000001",
        title="统计样本作品",
        registration_date=dt.date(2021, 5, 1),
        applicants=[party("甲公司", "天河区")],
    )
    return [*truth_patents(), extra, *truth_trademarks(), works]


@pytest.fixture(
    scope="module",
    params=["embedded", pytest.param("elastic", marks=[needs_elasticsearch, pytest.mark.elastic])],
)
def stats_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """The same figures from both stores: every test runs on each."""
    store: Store
    if request.param == "embedded":
        store = EmbeddedStore(tmp_path_factory.mktemp("stats") / "iphub.db")
    else:
        from iphub.store.elastic import ElasticStore

        store = ElasticStore(es_url(), index=fresh_index("iphub-test-stats"))
    store.upsert(_records())
    store.refresh()
    yield store
    if request.param == "elastic":
        store.drop()  # type: ignore[attr-defined]  # the indices behind the aliases
    store.close()


@pytest.fixture(scope="module")
def client(stats_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    path = tmp_path_factory.mktemp("stats-app") / "iphub.db"  # the rate limiter's folder
    app = create_app(settings_for(path, rate_limit=0), store=stats_store)
    with TestClient(app) as c:
        yield c


def get(client: TestClient, path: str, **params: Any) -> Any:
    resp = client.get(f"/api/v1/stats/{path}", params=params)
    assert resp.status_code == 200, resp.text
    return resp.json()


def rows(body: dict[str, Any]) -> dict[str | None, tuple[int, int, int]]:
    return {r["key"]: (r["applications"], r["grants"], r["valid"]) for r in body["rows"]}


def test_holdings_by_district_add_up_as_the_method_says(client: TestClient) -> None:
    body = get(client, "holdings", group_by="district")
    assert body["total"] == {"applications": 5, "grants": 3, "valid": 3}
    assert rows(body) == {"天河区": (3, 2, 2), "黄埔区": (2, 1, 1), None: (1, 1, 1)}
    # CN170000002A has a 天河区 and a 黄埔区 applicant: counted in both rows, once in the total
    assert body["multi_counted"] == 1
    assert next(r for r in body["rows"] if r["key"] is None)["label"].endswith("no district")
    assert "once in each group" in body["method"]
    single = get(client, "holdings", group_by="district", q="NOT pn=CN170000002A")
    assert single["multi_counted"] == 0
    assert sum(r["applications"] for r in single["rows"]) == single["total"]["applications"]


def test_holdings_scope_all_and_two_dimensions(client: TestClient) -> None:
    body = get(client, "holdings", group_by="district,kind", scope="all")
    assert body["total"]["applications"] == 7
    assert rows(body)[None] == (3, 3, 2)  # no Guangzhou district: 丙, 丁 (深圳), no applicant
    tianhe = next(r for r in body["rows"] if r["key"] == "天河区")
    assert {r["key"]: r["applications"] for r in tianhe["rows"]} == {
        "invention_grant": 2,
        "invention_application": 1,
    }
    cut = get(client, "holdings", group_by="district,kind", scope="all", size=1)
    tianhe = next(r for r in cut["rows"] if r["key"] == "天河区")
    assert [(r["key"], r["applications"]) for r in tianhe["rows"]] == [("invention_grant", 2)]
    assert tianhe["other"] == 1


def test_holdings_other_and_query(client: TestClient) -> None:
    body = get(client, "holdings", group_by="applicant", size=1, q="status=valid")
    assert [r["key"] for r in body["rows"]] == ["甲公司"]
    assert body["rows"][0]["valid"] == 2
    assert body["other"] == {"applications": 2, "grants": 2, "valid": 2}  # 乙大学, 丙公司
    trademarks = get(client, "holdings", kind="trademark", group_by="nice_class")
    assert rows(trademarks) == {"9": (2, 1, 1), "35": (1, 1, 1), None: (1, 1, 1)}


def test_holdings_take_the_dimensions_as_a_repeated_parameter_too(client: TestClient) -> None:
    repeated = client.get(
        "/api/v1/stats/holdings", params=[("group_by", "district"), ("group_by", "kind")]
    ).json()
    assert repeated["group_by"] == ["district", "kind"]
    assert repeated == get(client, "holdings", group_by="district,kind")


def test_holdings_growth(client: TestClient) -> None:
    body = get(client, "holdings", group_by="kind", from_year=2019, to_year=2021)
    filed = body["trend"]["applications"]
    assert [(p["year"], p["value"], p["yoy"]) for p in filed["points"]] == [
        (2019, 1, None),
        (2020, 1, 0.0),
        (2021, 2, 1.0),
    ]
    assert filed["cagr"] == pytest.approx(0.4142)
    assert [p["value"] for p in body["trend"]["grants"]["points"]] == [0, 1, 0]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"group_by": "nice_class"}, "unknown_dimension"),
        ({"group_by": "district,year,kind"}, "bad_parameter"),
        ({"group_by": "district,district"}, "bad_parameter"),
        ({"group_by": " kind , kind"}, "bad_parameter"),
        ({"group_by": "right"}, "unknown_dimension"),
        ({"group_by": "district,right"}, "unknown_dimension"),
        ({"q": "ti=(电池"}, None),
        ({"q": "pd=9999"}, "bad_date"),
        ({"from_year": 2020}, "bad_parameter"),
    ],
)
def test_holdings_errors(client: TestClient, params: dict[str, Any], code: str | None) -> None:
    resp = client.get("/api/v1/stats/holdings", params=params)
    assert resp.status_code == 400
    assert resp.headers["content-type"] == "application/problem+json"
    if code:
        assert resp.json()["code"] == code
    if code == "unknown_dimension":
        allowed = resp.json()["errors"][0]["allowed"]
        assert "district" in allowed
        assert "right" not in allowed  # holdings nest it themselves: never a group
        assert "、".join(allowed) in resp.json()["message_zh"]
    if code == "bad_parameter":
        assert resp.json()["message_zh"].startswith(("group_by", "from_year"))


def test_holdings_name_the_dimension_given_twice(client: TestClient) -> None:
    resp = client.get("/api/v1/stats/holdings", params={"group_by": "kind,kind"})
    assert resp.json()["message_zh"] == "group_by 的维度重复：kind"
    assert resp.json()["message_en"] == "group_by names 'kind' twice"


def test_indicators(client: TestClient) -> None:
    body = get(client, "indicators", from_year=2019, to_year=2021)
    found = {i["id"]: i for i in body["indicators"]}
    assert len(found) == 7
    growth = found["patent_applications_growth"]
    assert [(v["year"], v["count"], v["value"]) for v in growth["values"]] == [
        (2019, 1, None),
        (2020, 1, 0.0),
        (2021, 2, 1.0),
    ]
    assert growth["on_track"] is True
    assert found["pct_applications_growth"]["values"][0]["count"] == 1
    density = found["valid_invention_density"]
    # valid inventions granted by each year end: CN170000007B (2020); CN170000002A (2023)
    assert [v["count"] for v in density["values"]] == [0, 1, 1]
    assert density["values"][1]["value"] == round(1 / 18_740_300 * 10_000, 2)
    assert {d["district"]: d["population"] for d in density["by_district"]} == {
        "天河区": None,
        "黄埔区": None,
    }
    assert all("no population figure" in d["note"] for d in density["by_district"])
    copyright_ = found["copyright_registrations"]
    assert [v["count"] for v in copyright_["values"]] == [0, 0, 1]
    assert copyright_["on_track"] is False
    assert "Statistical Yearbook" in body["population_source"]


def test_indicator_without_population_says_so(client: TestClient) -> None:
    body = get(client, "indicators", from_year=2022, to_year=2023)
    density = next(i for i in body["indicators"] if i["id"] == "valid_invention_density")
    assert all(v["value"] is None and "no population" in v["note"] for v in density["values"])
    # each language alone, so the page does not show "中文 / English" in both
    assert {(v["note_zh"], v["note_en"]) for v in density["values"]} == {
        ("无人口数据", "no population figure")
    }
    assert {(d["note_zh"], d["note_en"]) for d in density["by_district"]} == {
        ("无人口数据", "no population figure")
    }


def test_growth_is_judged_on_the_last_complete_filing_year(stats_store: Store) -> None:
    """Filings are published about 18 months on: in December 2022 the 2021 filings are not all
    known, so their growth is shown but marked, and the plan is judged on 2020."""
    assert last_complete_filing_year(dt.date(2022, 6, 30)) == 2019
    assert last_complete_filing_year(dt.date(2022, 7, 1)) == 2020
    answer = indicators(stats_store, (2019, 2021), today=dt.date(2022, 12, 1))
    growth = next(i for i in answer.indicators if i.id == "patent_applications_growth")
    assert [(v.year, v.value, v.complete) for v in growth.values] == [
        (2019, None, True),
        (2020, 0.0, True),
        (2021, 1.0, False),  # +100 % on an incomplete year would say "on track"
    ]
    assert growth.values[2].note_en == INCOMPLETE_EN
    assert (growth.judged_year, growth.latest, growth.on_track) == (2020, 0.0, False)
    assert growth.note_zh == "按最近的完整申请年（2020）判断"
    assert growth.note_en == "judged on the last complete filing year, 2020"
    # stocks are judged on the last year of the span, as before
    stock = next(i for i in answer.indicators if i.id == "valid_trademarks")
    assert stock.judged_year == 2021
    assert all(v.complete for v in stock.values)


def test_indicators_say_which_year_they_judge(client: TestClient) -> None:
    body = get(client, "indicators")  # the default span ends last year: not complete
    growth = next(i for i in body["indicators"] if i["id"] == "patent_applications_growth")
    last_year = body["years"][1]
    assert growth["judged_year"] == last_complete_filing_year(dt.date.today()) < last_year
    assert growth["values"][-1]["complete"] is False
    assert growth["note_zh"].startswith("按最近的完整申请年")


def test_landscape_blocks_and_csv(client: TestClient) -> None:
    body = get(client, "landscape", q="统计样本 OR pn=CN170000007B")
    assert body["total"] == 7
    blocks = body["blocks"]
    assert blocks["co_applicants"]["rows"] == [["乙大学", "甲公司", 1]]
    assert blocks["co_applicants"]["note"] == "pairs with one of the 10 leading applicants"
    # last 3 years of the data: 2020-2022; 甲公司 filed in 2019 already
    assert blocks["new_entrants"]["rows"] == [["丙公司", 1], ["乙大学", 1]]
    assert ["甲公司", "2019", 1] in blocks["top_applicants"]["rows"]
    assert blocks["trend"]["rows"][0] == ["2019", "CN", 2]
    districts = {r[0]: r[1] for r in blocks["districts"]["rows"]}
    assert districts == {"天河区": 3, "黄埔区": 2, None: 3}
    resp = client.get(
        "/api/v1/stats/landscape", params={"q": "统计样本", "format": "csv", "block": "districts"}
    )
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/csv")
    assert resp.text.startswith("\ufeff")  # spreadsheet programs read it as UTF-8
    assert resp.text.removeprefix("\ufeff").splitlines()[0] == "district,count"
    bad = client.get("/api/v1/stats/landscape", params={"format": "csv", "block": "nope"})
    assert bad.status_code == 400
    assert "trend" in bad.json()["detail"]


@pytest.mark.parametrize(
    ("params", "zh"),
    [
        ({"block": "foo"}, "block 应为以下之一：trend、top_applicants、"),
        ({"format": "csv"}, "block 应为以下之一：trend、top_applicants、"),
        ({"format": "csv", "block": "foo"}, "block 应为以下之一：trend、top_applicants、"),
        ({"block": "trend"}, "block 仅用于 format=csv"),
    ],
)
def test_landscape_block_is_never_silently_ignored(
    client: TestClient, params: dict[str, str], zh: str
) -> None:
    resp = client.get("/api/v1/stats/landscape", params={"q": "统计样本"} | params)
    assert resp.status_code == 400
    problem = resp.json()
    assert problem["message_zh"].startswith(zh)
    if "仅用于" not in zh:
        assert problem["message_zh"].endswith("key_terms、co_applicants")
        assert problem["message_en"].endswith("key_terms, co_applicants")


def test_a_trademark_landscape_has_no_key_terms_block(client: TestClient) -> None:
    resp = client.get(
        "/api/v1/stats/landscape",
        params={"kind": "trademark", "format": "csv", "block": "key_terms"},
    )
    assert resp.status_code == 400
    assert "key_terms" not in resp.json()["message_zh"]


def test_cache_invalidated_by_a_new_batch(client: TestClient, stats_store: Store) -> None:
    cache = client.app.state.stats_cache  # type: ignore[attr-defined]
    cache.poll = 0.0
    get(client, "holdings", group_by="year")
    hits = cache.hits
    get(client, "holdings", group_by="year")
    assert cache.hits == hits + 1
    stats_store.finish_batch(stats_store.begin_batch("test"), 0)
    get(client, "holdings", group_by="year")
    assert cache.hits == hits + 1


def test_collections(client: TestClient) -> None:
    body = get(client, "collections")
    found = {c["id"]: c for c in body["collections"]}
    assert found["nev"]["query"].startswith("(ipc=(B60L OR")
    assert all(c["version"] for c in body["collections"])
    assert "Statistical" not in body["source"]
    for c in body["collections"]:  # every definition is a valid patent query
        assert client.get("/api/v1/patents/search", params={"q": c["query"]}).status_code == 200
    nev = get(client, "holdings", collection="nev", group_by="district")
    assert nev["total"] == {"applications": 1, "grants": 1, "valid": 1}
    assert nev["query"] == "coll=nev"  # as the user can type it in any search
    searched = client.get("/api/v1/patents/search", params={"q": "coll=nev"}).json()
    assert searched["total"] == nev["total"]["applications"]
    narrowed = get(client, "holdings", collection="nev", q="pak=乙大学", group_by="district")
    assert narrowed["total"]["applications"] == 0
    assert client.get("/api/v1/stats/holdings", params={"collection": "nope"}).status_code == 400
    assert get(client, "holdings", collection="NEV", group_by="district")["total"] == nev["total"]
    resp = client.get("/api/v1/stats/holdings", params={"collection": "nev", "kind": "trademark"})
    assert resp.status_code == 400


def test_words_that_find_nothing_are_counted_as_strings(client: TestClient) -> None:
    """A figure of a query counts what the search box shows for it: 计样本装 is cut into
    words no record's title (统计样本装置) is cut into, so the search finds it as a string."""
    found = client.get("/api/v1/patents/search", params={"q": "计样本装"}).json()
    assert (found["as_strings"], found["total"]) == (True, 6)
    body = get(client, "holdings", group_by="district", q="计样本装", scope="all")
    assert (body["as_strings"], body["query"]) == (True, '"计样本装"')
    assert body["total"]["applications"] == found["total"]
    lands = get(client, "landscape", q="计样本装")
    assert (lands["as_strings"], lands["total"]) == (True, found["total"])
    plain = get(client, "holdings", group_by="district", q="统计样本", scope="all")
    assert (plain["as_strings"], plain["total"]["applications"]) == (False, found["total"])


def test_landscape_csv_neutralises_formulas_and_keeps_numbers() -> None:
    """The landscape CSV goes through the same cell rule as the export (search_api.spreadsheet)."""
    table = Table(columns=["applicant", "count"], rows=[["=cmd|' /C calc'!A0", 3], ["-甲", -1]])
    result = Landscape(kind="patent", query="x", total=3, blocks={"top_applicants": table})
    _, text = block_csv(result, "top_applicants")
    assert text.splitlines() == ["applicant,count", "'=cmd|' /C calc'!A0,3", "'-甲,-1"]
