"""The gazette spider through ``iphub crawl`` against the fixture site on 127.0.0.1: records,
quarantine, robots.txt, Retry-After, timeouts, and an incremental second crawl."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from iphub.search import search
from iphub.store.embedded import EmbeddedStore
from tests.utils.crawl import CONTACT, quarantine, run_crawl
from tests.utils.site import Site, serve_site

FLAKY, SLOW, BROKEN = (f"/patent/CN11800000{n}A.html" for n in (4, 5, 3))
PATENTS = {
    "CN118000001A": "一种锂电池正极材料的制备方法",
    "CN118000002A": "基于深度学习的交通信号控制方法",
    "CN118000004A": "一种中药提取物及其应用",
    "CN118000007B": "一种新能源汽车电机冷却结构",
    "CN221000008U": "一种智能快递柜",
}
TRADEMARKS = {
    "CN-TM-71234561": "云山青",
    "CN-TM-71234562": "羊城智造",
    "CN-TM-71234563": "珠江晨光",
}


@dataclass
class Crawled:
    site: Site
    tmp: Path
    summary: dict[str, object]

    def store(self) -> EmbeddedStore:
        return EmbeddedStore(self.tmp / "iphub.db")


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    tmp = tmp_path_factory.mktemp("gazette")
    with serve_site(tmp) as site:
        site.flaky[FLAKY] = 2  # Retry-After: 2
        site.slow[SLOW] = 3.0  # past DOWNLOAD_TIMEOUT=1
        yield Crawled(site, tmp, run_crawl("gazette", site.url, tmp))


def test_every_valid_record_is_stored_once_and_searchable(crawled: Crawled) -> None:
    store = crawled.store()
    try:
        got = store.get_many([*PATENTS, *TRADEMARKS])
        assert {i: r.title.text for i, r in got.items() if r.record_type == "patent"} == PATENTS
        marks = {i: r.mark_text for i, r in got.items() if r.record_type == "trademark"}
        assert marks == TRADEMARKS
        assert store.count("patent") == 5
        assert store.count("trademark") == 3
        grant = got["CN118000007B"]
        assert grant.record_type == "patent"
        assert grant.kind == "invention_grant"
        assert grant.application_number == "CN202310000007.2"
        assert grant.applicants[0].district == "越秀区"  # enriched
        assert grant.source == "crawl:mirror"
        hits = search(store, "patent", "ti=锂电池").hits
        assert [h.id for h in hits] == ["CN118000001A"]
        (batch,) = store.batches()
        assert (batch.source, batch.records) == ("crawl:mirror", 8)
        assert batch.id == crawled.summary["batch"]
        assert batch.finished is not None
    finally:
        store.close()


def test_failures_are_quarantined_with_url_and_reason(crawled: Crawled) -> None:
    found = quarantine(crawled.tmp, crawled.summary["batch"])
    lines = {q["file"].removeprefix(crawled.site.url): q for q in found}
    assert set(lines) == {BROKEN, SLOW}
    assert lines[BROKEN]["reason"].startswith("invalid record: title")
    assert "CN118000003A" in lines[BROKEN]["raw"]
    assert "DownloadTimeoutError" in lines[SLOW]["reason"]
    assert crawled.summary["quarantined"] == 2


def test_robots_txt_is_obeyed_and_the_agent_names_itself(crawled: Crawled) -> None:
    paths = crawled.site.paths()
    assert paths[0] == "/robots.txt"
    assert not [p for p in paths if p.startswith("/private/")]
    agents = {h.user_agent for h in crawled.site.log}
    assert len(agents) == 1
    agent = agents.pop()
    assert "iphub" in agent
    assert CONTACT in agent  # the operator named by IPHUB_CRAWL_CONTACT


def test_retry_after_is_honoured(crawled: Crawled) -> None:
    first, second = crawled.site.hits(FLAKY)
    assert (first.status, second.status) == (429, 200)
    assert second.at - first.at >= 2.0


def test_slow_page_is_retried_then_given_up_within_bounds(crawled: Crawled) -> None:
    hits = crawled.site.hits(SLOW)
    assert len(hits) == 2  # one try and RETRY_TIMES=1 retry
    assert hits[1].at - hits[0].at < 1 + 0.2 + 1.5  # timeout, back-off, scheduling slack


def test_second_crawl_fetches_nothing_unchanged(crawled: Crawled) -> None:
    site = crawled.site
    site.clear()
    site.slow.clear()
    # one record changes on the site: new page and a new dateModified in its listing
    page = site.root / "patent" / "CN118000002A.html"
    page.write_text(page.read_text(encoding="utf-8").replace("交通信号", "交通信号灯"), "utf-8")
    listing = site.root / "gazette" / "patent" / "index.html"
    text = listing.read_text(encoding="utf-8")
    at = text.index("CN118000002A.html")
    text = text[:at] + text[at:].replace('datetime="2024-05-10"', 'datetime="2024-06-01"', 1)
    listing.write_text(text, "utf-8")

    summary = run_crawl("gazette", site.url, crawled.tmp)

    fetched = set(site.paths(status=200))
    # the changed listing and record, and the pages that failed last time; nothing else
    assert fetched == {"/gazette/patent/", "/patent/CN118000002A.html", BROKEN, SLOW}
    revalidated = site.paths(status=304)
    assert set(revalidated) >= {"/gazette/patent/page-2.html", "/gazette/trademark/"}
    assert all(h.conditional for h in site.log if h.path.startswith("/gazette/"))
    assert summary["unchanged_skipped"] == 7  # the 8 stored records but the changed one
    store = crawled.store()
    try:
        changed = store.get("CN118000002A")
        assert changed is not None
        assert changed.record_type == "patent"
        assert changed.title.text == "基于深度学习的交通信号灯控制方法"
        assert store.count() == 9  # the slow page's record arrived this time
    finally:
        store.close()
