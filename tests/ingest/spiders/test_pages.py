"""Record pages and listings of the fixture site parsed into record fields; Retry-After read."""

from __future__ import annotations

import pytest
from parsel import Selector
from scrapy.http import HtmlResponse

from ingest.spiders import pages
from ingest.spiders.middlewares import retry_after
from iphub.numbers import NumberError
from tests.utils.site import SITE


def _page(path: str) -> Selector:
    return Selector(text=(SITE / path).read_text(encoding="utf-8"))


def test_patent_page_fields() -> None:
    fields = pages.patent_fields(_page("patent/CN118000007B.html"))
    assert fields["id"] == "CN118000007B"
    assert fields["kind"] == "invention_grant"
    assert fields["application_number"] == "CN202310000007.2"
    assert fields["publication_date"] == "2024-05-24"
    assert fields["title"] == {"text": "一种新能源汽车电机冷却结构", "lang": "zh"}
    assert [p["name"] for p in fields["inventors"]] == ["孙三", "周四"]
    assert fields["applicants"][0]["address"].startswith("广东省广州市越秀区")
    assert fields["ipc"] == ["H02K 9/19"]


def test_meta_tags_stand_in_for_missing_microdata() -> None:
    html = (
        '<meta name="citation_patent_publication_number" content="CN:118000009:A">'
        '<meta name="citation_patent_application_number" content="CN:202410000009">'
        '<meta name="DC.title" content="一种测试方法"><meta name="DC.date" content="2024年6月1日">'
    )
    fields = pages.patent_fields(Selector(text=html))
    assert fields["id"] == "CN118000009A"
    assert fields["application_number"] == "CN202410000009.6"  # check digit computed
    assert fields["title"]["text"] == "一种测试方法"
    assert fields["publication_date"] == "2024-06-01"


def test_unreadable_number_raises() -> None:
    with pytest.raises(NumberError):
        pages.patent_fields(Selector(text="<dd itemprop='publicationNumber'>unknown</dd>"))


def test_trademark_page_fields() -> None:
    fields = pages.trademark_fields(_page("trademark/71234561.html"))
    assert fields["id"] == "CN-TM-71234561"
    assert fields["mark_text"] == "云山青"
    assert fields["nice_classes"] == [30, 32]
    assert fields["goods_services"] == ["茶叶", "饮料"]
    assert fields["preliminary_publication_date"] == "2024-05-13"


def test_listing_entries_and_next_page() -> None:
    entries, next_page = pages.listing(_page("gazette/patent/page-2.html"))
    assert [e.number for e in entries] == ["CN 118000004 A", "CN 118000005 A", "CN 118000006 A"]
    assert entries[2].url == "/private/CN118000006A.html"
    assert {e.modified for e in entries} == {"2024-05-17"}
    assert next_page == "page-3.html"
    assert pages.listing(_page("gazette/patent/page-3.html"))[1] is None
    assert pages.record_id("patent", "CN 118000004 A") == "CN118000004A"
    assert pages.record_id("trademark", "71234561") == "CN-TM-71234561"


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("120", 120.0), ("Thu, 01 Jan 1970 00:01:40 GMT", 40.0), ("soon", None), (None, None)],
)
def test_retry_after(header: str | None, seconds: float | None) -> None:
    headers = {"Retry-After": header} if header else {}
    response = HtmlResponse("http://127.0.0.1/", status=429, headers=headers)
    assert retry_after(response, now=60.0) == seconds
