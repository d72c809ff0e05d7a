"""Patent record pages (schema.org / meta markup), from a list of publication numbers or from
the source's listing pages.

``scrapy crawl patent_pages -a source=mirror-pages -a numbers=CN118000001A,CN118000002B``
(pages at ``base_url`` + ``page`` with ``{number}`` filled in), or without ``numbers`` from the
listings. Pages asked for by number go through the HTTP cache and are revalidated (304) on the
next crawl; pages from listings are skipped by the seen-set.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from scrapy import Request

from ingest.spiders.items import FailedPage
from ingest.spiders.spiders.base import SourceSpider
from iphub.numbers import NumberError, normalize_publication_number


class PatentPagesSpider(SourceSpider):
    name = "patent_pages"

    def __init__(self, numbers: str = "", page: str = "/patent/{number}.html", **kwargs: Any):
        super().__init__(**kwargs)
        self.numbers = [n.strip() for n in numbers.split(",") if n.strip()]
        self.page = page

    @classmethod
    def default_source(cls) -> str:
        return "mirror-pages"

    async def start(self) -> AsyncIterator[Request | FailedPage]:
        if not self.numbers:
            for request in self.listings():
                yield request
            return
        for raw in self.numbers:
            try:
                number = normalize_publication_number(raw, default_country="CN")
            except NumberError as exc:
                yield FailedPage(f"number:{raw}", str(exc))
                continue
            yield self.record_request(
                self.url(self.page.format(number=number)), "patent", number, "", cache=True
            )
