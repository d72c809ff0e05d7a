"""The public API on the corpus: answers, and clear 4xx problems for bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from iphub.store.embedded import EmbeddedStore
from search_api.main import create_app
from search_api.validation import translate
from tests.api.conftest import settings_for

PROBLEM = "application/problem+json"


def test_patent_search(client: TestClient) -> None:
    r = client.get("/api/v1/patents/search", params={"q": "锂电池", "facets": "district,year"})
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 3
    assert {h["id"] for h in body["hits"]} == {"CN114000001A", "CN114000010A", "CN114000017A"}
    assert body["query"] == "锂电池"
    assert {b["key"] for b in body["facets"]["district"]} == {"天河区", "番禺区"}
    hit = next(h for h in body["hits"] if h["id"] == "CN114000001A")
    assert hit["record"]["title"]["text"] == "一种锂电池正极材料及其制备方法"
    assert "<em>锂电池</em>" in hit["highlights"]["title"]


def test_trademark_search(client: TestClient) -> None:
    r = client.get("/api/v1/trademarks/search", params={"q": "tm=云山 AND nc=30"})
    assert r.status_code == 200
    assert {h["id"] for h in r.json()["hits"]} == {"CN-TM-10000001", "CN-TM-10000010"}


def test_a_spaced_office_number_is_one_value(client: TestClient) -> None:
    """As a document prints it: ``pn=CN 114000001 A`` is one number, shown unspaced."""
    body = client.get("/api/v1/patents/search", params={"q": "pn=CN 114000001 A"}).json()
    assert [h["id"] for h in body["hits"]] == ["CN114000001A"]
    assert body["query"] == "pn=CN114000001A"


def test_query_as_understood_is_canonical(client: TestClient) -> None:
    r = client.get("/api/v1/patents/search", params={"q": "ti=(电池 或 锂) pd>=2020"})
    assert r.json()["query"] == '(ti=电池 OR ti=锂) AND pd within "2020-01-01,"'


def test_facets_all(client: TestClient) -> None:
    r = client.get("/api/v1/trademarks/search", params={"facets": "all"})
    assert set(r.json()["facets"]) == {
        "applicant",
        "nice_class",
        "year",
        "country",
        "district",
        "industry",
        "status",
    }


def test_paging_and_sort(client: TestClient) -> None:
    r = client.get("/api/v1/patents/search", params={"size": 5, "page": 4, "sort": "date_desc"})
    body = r.json()
    assert (body["total"], len(body["hits"]), body["page"]) == (20, 5, 4)
    assert body["hits"][-1]["id"] == "CN114000017A"  # the oldest publication


def test_record_detail(client: TestClient) -> None:
    r = client.get("/api/v1/records/CN114000002B")
    assert r.status_code == 200
    record = r.json()["record"]
    assert record["kind"] == "invention_grant"
    assert [a["name"] for a in record["applicants"]] == ["广州汽车集团股份有限公司", "华南理工大学"]
    assert client.get("/api/v1/records/cn-tm-10000001").json()["record"]["mark_text"] == "云山"


def test_unknown_record_is_404_problem(client: TestClient) -> None:
    r = client.get("/api/v1/records/CN000000000A")
    assert r.status_code == 404
    assert r.headers["content-type"] == PROBLEM
    assert "CN000000000A" in r.json()["detail"]
    assert r.json()["message_zh"] == "未找到记录 'CN000000000A'"
    assert r.json()["message_en"] == "no record 'CN000000000A'"


def test_similar_records(client: TestClient) -> None:
    r = client.get("/api/v1/records/cn114000010a/similar", params={"size": 3})
    assert r.status_code == 200
    body = r.json()
    assert body["id"] == "CN114000010A"
    assert {h["id"] for h in body["hits"]} == {"CN114000001A", "CN114000002B", "CN114000017A"}
    assert all(h["record"]["record_type"] == "patent" and h["score"] > 0 for h in body["hits"])
    assert len(client.get("/api/v1/records/CN114000010A/similar").json()["hits"]) == 10


def test_similar_of_unknown_record_is_404_problem(client: TestClient) -> None:
    r = client.get("/api/v1/records/CN000000000A/similar")
    assert r.status_code == 404
    assert r.headers["content-type"] == PROBLEM
    assert "CN000000000A" in r.json()["detail"]


@pytest.mark.parametrize("size", ["0", "101", "x"])
def test_similar_size_is_bounded(client: TestClient, size: str) -> None:
    r = client.get("/api/v1/records/CN114000010A/similar", params={"size": size})
    assert r.status_code == 422
    assert r.headers["content-type"] == PROBLEM


def test_health_and_sources(client: TestClient) -> None:
    assert client.get("/api/v1/health").json() == {
        "status": "ok",
        "patents": 20,
        "trademarks": 10,
        "copyrights": 0,
    }
    sources = client.get("/api/v1/sources").json()
    assert {(s["source"], s["kind"], s["records"]) for s in sources} >= {
        ("fixture", "patent", 20),
        ("fixture", "trademark", 10),
    }


@pytest.mark.parametrize(
    ("q", "code", "position"),
    [
        ("ti=(电池", "unbalanced_parenthesis", 3),
        ('"abc', "unterminated_phrase", 0),
        ("ti=", "missing_value", 3),
        ("=x", "missing_field", 0),
        ("AND", "dangling_operator", 0),
        ("()", "empty_group", 0),
        ("*电池", "leading_truncation", 0),
        ("a*", "short_truncation", 0),
        ("nc=9", "field_not_for_kind", 0),
        ("电池 coll=nope", "unknown_collection", 3),
        ("a NEAR/2 b", "unsupported_operator", 0),
        ("pd=9999", "bad_date", 3),
        ("电池 status=bogus", "bad_value", 3),
        ("type=企", "bad_value", 0),
        ("pd=0001", "bad_date", 3),
        ("pd=3000", "bad_date", 3),
        ("电池 pd<1000", "bad_date", 6),
        ("pd=20201", "bad_date", 3),
        ("a\x00", "bad_character", 1),
        ("x" * 2001, "query_too_long", 2000),
        (" ".join(["w"] * 65), "too_many_terms", 128),
        ("(" * 21 + "a" + ")" * 21, "too_deep", 20),
    ],
)
def test_malformed_query_is_400_with_position(
    client: TestClient, q: str, code: str, position: int
) -> None:
    r = client.get("/api/v1/patents/search", params={"q": q})
    assert r.status_code == 400
    assert r.headers["content-type"] == PROBLEM
    body = r.json()
    assert (body["code"], body["position"]) == (code, position)
    assert body["message_zh"]
    assert body["message_en"]


def test_raw_url_from_the_issue(client: TestClient) -> None:
    r = client.get("/api/v1/patents/search?q=ti%3D(电池")
    assert r.status_code == 400
    assert r.json()["position"] == 3


@pytest.mark.parametrize(
    "params",
    [
        {"size": 101},
        {"size": 0},
        {"size": -1},
        {"size": "NaN"},
        {"page": 0},
        {"page": "1e30"},
        {"sort": "random"},
        {"facet_size": 1000},
    ],
)
def test_bad_parameters_are_422_problems(client: TestClient, params: dict[str, object]) -> None:
    r = client.get("/api/v1/patents/search", params=params)
    assert r.status_code == 422
    assert r.headers["content-type"] == PROBLEM
    assert r.json()["errors"]


@pytest.mark.parametrize(
    ("method", "url", "body", "zh", "en"),
    [
        ("GET", "/api/v1/patents/search?q=x&sort=pd", None,
         "查询参数 sort 应为以下之一：relevance、date_desc、date_asc",
         "query parameter sort must be one of: relevance, date_desc, date_asc"),
        ("GET", "/api/v1/patents/search?size=101", None,
         "查询参数 size 应不大于 100", "query parameter size must be at most 100"),
        ("GET", "/api/v1/patents/search?page=0", None,
         "查询参数 page 应不小于 1", "query parameter page must be at least 1"),
        ("GET", "/api/v1/patents/search?page=abc", None,
         "查询参数 page 应为整数", "query parameter page must be an integer"),
        ("GET", "/api/v1/export?kind=patent&format=xlsx", None,
         "查询参数 format 应为以下之一：csv、jsonl",
         "query parameter format must be one of: csv, jsonl"),
        ("GET", "/api/v1/export?format=csv", None,
         "缺少查询参数 kind", "query parameter kind is required"),
        ("POST", "/api/v1/patents/query-from-text", {},
         "缺少请求体字段 text", "body field text is required"),
        ("POST", "/api/v1/patents/query-from-text", {"text": "电池", "x": 1},
         "请求体字段 x 不是可用的字段", "body field x is not a known field"),
        ("POST", "/api/v1/patents/query-from-text", {"text": 5},
         "请求体字段 text 应为字符串", "body field text must be a string"),
        ("GET", "/api/v1/trademarks/similar?mark=云山&nc=abc", None,
         "查询参数 nc[0] 应为整数", "query parameter nc[0] must be an integer"),
        ("GET", "/api/v1/stats/holdings?scope=foo", None,
         "查询参数 scope 应为以下之一：guangzhou、all",
         "query parameter scope must be one of: guangzhou, all"),
        ("GET", "/api/v1/feeds/bogus.atom", None,
         "路径参数 token 至少应有 20 个字符",
         "path parameter token must have at least 20 characters"),
    ],
)  # fmt: skip
def test_invalid_parameters_are_explained_in_chinese_and_english(
    client: TestClient, method: str, url: str, body: object, zh: str, en: str
) -> None:
    r = client.request(method, url, json=body)
    assert r.status_code == 422
    assert r.headers["content-type"] == PROBLEM
    problem = r.json()
    assert problem["code"] == "invalid_parameter"
    assert (problem["message_zh"], problem["message_en"]) == (zh, en)
    assert problem["detail"] == f"{zh} / {en}"
    (error,) = problem["errors"]
    assert (error["message_zh"], error["message_en"]) == (zh, en)
    assert error["msg"]  # pydantic's own message, for clients that read it


def test_every_invalid_parameter_is_listed_in_both_languages(client: TestClient) -> None:
    r = client.get("/api/v1/patents/search", params={"size": "NaN", "page": "1e30", "sort": "x"})
    problem = r.json()
    assert [e["loc"] for e in problem["errors"]] == [
        ["query", "page"], ["query", "size"], ["query", "sort"]
    ]  # fmt: skip
    assert problem["message_zh"].count("；") == 2
    assert all(e["message_zh"].startswith("查询参数 ") for e in problem["errors"])


def test_malformed_json_body_is_a_bilingual_422(client: TestClient) -> None:
    r = client.post(
        "/api/v1/patents/query-from-text",
        content=b'{"text": ',
        headers={"Content-Type": "application/json"},
    )
    assert r.status_code == 422
    assert r.json()["message_zh"] == "请求体不是有效的 JSON"


@pytest.mark.parametrize(
    ("error", "zh", "en"),
    [
        ({"type": "value_error", "loc": ("body", "watch", "mark"), "msg": "Value error, x",
          "ctx": {"error": "商标无效 / bad mark"}},
         "请求体字段 watch.mark 无效：商标无效", "body field watch.mark is invalid: bad mark"),
        ({"type": "too_long", "loc": ("body", "records", "numbers"), "msg": "",
          "ctx": {"max_length": 1000}},
         "请求体字段 records.numbers 最多 1000 项",
         "body field records.numbers must have at most 1000 items"),
        ({"type": "enum", "loc": ("query", "n"), "msg": "", "ctx": {"expected": "1 or 2"}},
         "查询参数 n 应为以下之一：1、2", "query parameter n must be one of: 1, 2"),
        ({"type": "uuid_parsing", "loc": ("header", "x-id"), "msg": "Input should be a UUID"},
         "请求头 x-id 的值无效", "header x-id is invalid: Input should be a UUID"),
    ],
)  # fmt: skip
def test_validation_errors_of_other_types_are_translated(
    error: dict[str, object], zh: str, en: str
) -> None:
    out = translate(error)
    assert (out["message_zh"], out["message_en"]) == (zh, en)


def test_result_window_points_to_export(client: TestClient) -> None:
    r = client.get("/api/v1/patents/search", params={"page": 101, "size": 100})
    assert r.status_code == 400
    assert r.json()["code"] == "result_window"
    assert "export" in r.json()["detail"]


def test_unknown_facet_is_400(client: TestClient) -> None:
    r = client.get("/api/v1/patents/search", params={"facets": "nice_class"})
    assert r.status_code == 400
    assert r.json()["code"] == "unknown_facet"
    assert r.json()["message_en"].startswith("unknown facet 'nice_class' (known: ")
    assert r.json()["message_zh"].startswith("未知分面“nice_class”（可用：")


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/patents/search", {"q": "电池", "page": 501}),  # past the result window
        ("/api/v1/patents/search", {"facets": "nice_class"}),
        ("/api/v1/patents/search", {"q": "ti=(电池"}),
        ("/api/v1/patents/search", {"size": -1}),
        ("/api/v1/records/CN000000000A", {}),
        ("/api/v1/nowhere", {}),
    ],
)
def test_every_problem_has_its_message_in_each_language(
    client: TestClient, path: str, params: dict[str, object]
) -> None:
    """The page shows message_zh or message_en; without them it showed "中文 / English" raw."""
    r = client.get(path, params=params)
    assert r.status_code >= 400
    problem = r.json()
    assert problem["message_zh"]
    assert problem["message_en"]
    assert " / " not in problem["message_zh"]
    assert not re.search(r"[\u4e00-\u9fff]", problem["message_en"])


@pytest.mark.parametrize("q", ["\u200b\u200f", "😀" * 1000, "ti:x", "x^3", "\ufeff"])
def test_odd_text_is_a_correct_empty_result_or_4xx(client: TestClient, q: str) -> None:
    r = client.get("/api/v1/patents/search", params={"q": q})
    assert r.status_code in (200, 400)
    if r.status_code == 200:
        assert r.json()["total"] == 0


def test_format_characters_are_ignored(client: TestClient) -> None:
    plain = client.get("/api/v1/patents/search", params={"q": "电池"}).json()["total"]
    assert plain > 0
    for q in ("\u202e电池", "电\u200b池", "\u200f电池"):
        assert client.get("/api/v1/patents/search", params={"q": q}).json()["total"] == plain, q


def test_rate_limit_429_with_retry_after(corpus_store: EmbeddedStore, tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "x.db", rate_limit=3, rate_window=60.0)
    with TestClient(create_app(settings, store=corpus_store)) as c:
        codes = [c.get("/api/v1/health").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        r = c.get("/api/v1/health", headers={"X-Forwarded-For": "203.0.113.9"})
        assert r.status_code == 429, "a spoofed X-Forwarded-For must not reset the budget"
        assert 1 <= int(r.headers["Retry-After"]) <= 60
        assert r.headers["content-type"] == PROBLEM


def test_rate_limit_is_shared_between_app_instances(
    corpus_store: EmbeddedStore, tmp_path: Path
) -> None:
    """Two apps (as two worker processes would) on the same store count together."""
    settings = settings_for(tmp_path / "x.db", rate_limit=2, rate_window=60.0)
    with (
        TestClient(create_app(settings, store=corpus_store)) as a,
        TestClient(create_app(settings, store=corpus_store)) as b,
    ):
        assert a.get("/api/v1/health").status_code == 200
        assert b.get("/api/v1/health").status_code == 200
        assert a.get("/api/v1/health").status_code == 429
        assert b.get("/api/v1/health").status_code == 429


def test_trusted_proxy_forwarded_for_identifies_clients(
    corpus_store: EmbeddedStore, tmp_path: Path
) -> None:
    settings = settings_for(tmp_path / "x.db", rate_limit=1, trusted_proxies=("testclient",))
    with TestClient(create_app(settings, store=corpus_store)) as c:
        assert c.get("/api/v1/health", headers={"X-Forwarded-For": "198.51.100.1"}).is_success
        assert c.get("/api/v1/health", headers={"X-Forwarded-For": "198.51.100.2"}).is_success
        r = c.get("/api/v1/health", headers={"X-Forwarded-For": "198.51.100.1"})
        assert r.status_code == 429


def test_query_language_lists_codes_and_limits(client: TestClient) -> None:
    body = client.get("/api/v1/query-language").json()
    assert {"ti", "ab", "pa", "ipc", "pd"} <= set(body["fields"]["patent"])
    assert "nc" not in body["fields"]["patent"]
    assert {"tm", "nc"} <= set(body["fields"]["trademark"])
    assert body["limits"]["max_page_size"] == 100
    assert (body["limits"]["min_date_year"], body["limits"]["max_date_year"]) == (1700, 2200)
    assert set(body["examples_by_kind"]) == {"patent", "trademark", "copyright"}
    for kind, examples in body["examples_by_kind"].items():
        for example in examples:
            r = client.get(f"/api/v1/{kind}s/search", params={"q": example})
            assert r.status_code == 200, (kind, example, r.text)
    assert set(body["examples"]) == {e for x in body["examples_by_kind"].values() for e in x}


def test_words_that_find_nothing_are_searched_as_strings(client: TestClient) -> None:
    body = client.get("/api/v1/patents/search", params={"q": "池正极材"}).json()
    assert (body["as_strings"], body["query"], body["total"]) == (True, '"池正极材"', 1)
    plain = client.get("/api/v1/patents/search", params={"q": "锂电池"}).json()
    assert (plain["as_strings"], plain["query"]) == (False, "锂电池")
