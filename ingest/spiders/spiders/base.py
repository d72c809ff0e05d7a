"""What both spiders share: the source check and its settings, listings, record pages, failures.

A spider is created with ``-a source=NAME`` (a registry entry; refused when its terms forbid
the crawl) and optionally ``-a base_url=`` (a mirror of the source) and ``-a licensed=yes``.
Before the crawler's settings freeze, the source's rate, concurrency and job directories are
set at spider priority, so ``-s`` on the command line still wins.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.settings import Settings
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from ingest.parsers.base import RAW_LIMIT
from ingest.spiders import pages
from ingest.spiders.items import FailedPage, RecordPage
from ingest.spiders.sources import Source, check
from iphub.numbers import NumberError

Kind = Literal["patent", "trademark"]


def apply_source(settings: Settings, source: Source) -> None:
    """The source's politeness and state locations, at spider priority."""
    root = Path(settings["IPHUB_CRAWL_DIR"]) / source.name
    for name, value in {
        "IPHUB_SOURCE": source.name,
        "DOWNLOAD_DELAY": 1 / source.rate,
        "AUTOTHROTTLE_START_DELAY": 1 / source.rate,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(source.concurrency),
        "CONCURRENT_REQUESTS_PER_DOMAIN": source.concurrency,
        "JOBDIR": str(root / "job"),
        "HTTPCACHE_DIR": str((root / "httpcache").resolve()),
    }.items():
        settings.set(name, value, priority="spider")


class SourceSpider(Spider):
    source: Source
    base_url: str

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> SourceSpider:
        licensed = str(kwargs.get("licensed", "")).lower() in ("1", "yes", "true")
        source = check(kwargs.get("source") or cls.default_source(), cls.name, licensed=licensed)
        apply_source(crawler.settings, source)
        spider = super().from_crawler(crawler, *args, **kwargs)
        assert isinstance(spider, SourceSpider)  # noqa: S101 - narrowing for mypy
        spider.source = source
        spider.base_url = str(kwargs.get("base_url") or source.base_url).rstrip("/")
        return spider

    @classmethod
    def default_source(cls) -> str:
        raise NotImplementedError

    def url(self, path: str) -> str:
        return self.base_url + "/" + path.lstrip("/")

    def listings(self) -> Iterator[Request]:
        for entry in self.source.listings:
            kind, _, path = entry.partition(":")
            yield self.listing_request(self.url(path), kind)  # type: ignore[arg-type]

    def listing_request(self, url: str, kind: Kind) -> Request:
        return Request(url, self.parse_listing, cb_kwargs={"kind": kind}, errback=self.failed)

    def parse_listing(self, response: Response, kind: Kind) -> Iterator[Request | FailedPage]:
        if not isinstance(response, TextResponse):
            yield FailedPage(response.url, "listing is not a text page")
            return
        entries, next_page = pages.listing(response.selector)
        for entry in entries:
            try:
                record_id = pages.record_id(kind, entry.number)
            except NumberError as exc:
                yield FailedPage(response.url, f"listing entry: {exc}", entry.number)
                continue
            yield self.record_request(
                response.urljoin(entry.url), kind, record_id, entry.modified, cache=False
            )
        if next_page:
            yield self.listing_request(response.urljoin(next_page), kind)

    def record_request(
        self, url: str, kind: Kind, record_id: str, modified: str, *, cache: bool
    ) -> Request:
        """A record page; from a listing (``modified`` known) the seen-set stands in for the
        HTTP cache, so the page is not kept on disk."""
        meta = {"iphub_record_id": record_id, "iphub_modified": modified, "dont_cache": not cache}
        return Request(
            url,
            self.parse_record,
            cb_kwargs={"kind": kind, "modified": modified},
            errback=self.failed,
            meta=meta,
        )

    def parse_record(
        self, response: Response, kind: Kind, modified: str
    ) -> Iterator[RecordPage | FailedPage]:
        if not isinstance(response, TextResponse):
            yield FailedPage(response.url, "record page is not a text page")
            return
        raw = response.text[:RAW_LIMIT]
        try:
            parse = pages.patent_fields if kind == "patent" else pages.trademark_fields
            fields = parse(response.selector)
        except (NumberError, ValueError) as exc:
            yield FailedPage(response.url, f"unparseable page: {exc}", raw)
            return
        validator = response.headers.get(b"ETag") or response.headers.get(b"Last-Modified") or b""
        yield RecordPage(response.url, kind, fields, modified or validator.decode("latin-1"), raw)

    def failed(self, failure: Failure) -> Iterator[FailedPage]:
        """Download failures after retries: quarantined; requests we chose not to send
        (robots.txt, unchanged pages) are not failures."""
        request = failure.request  # type: ignore[attr-defined]
        retries = f"after {request.meta.get('retry_times', 0)} retries"
        if isinstance(failure.value, HttpError):
            reason = f"HTTP {failure.value.response.status} {retries}"
        elif failure.check(IgnoreRequest):
            return
        else:
            reason = f"{type(failure.value).__name__}: {failure.getErrorMessage()} {retries}"
        yield FailedPage(request.url, reason)
