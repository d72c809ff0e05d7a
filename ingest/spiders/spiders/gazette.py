"""Gazette listings: paginated announcement lists (patent publications, trademark preliminary
approvals) whose entries lead to record pages.

``scrapy crawl gazette -a source=mirror [-a base_url=URL] [-a kind=patent|trademark]``
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from scrapy import Request

from ingest.spiders.spiders.base import SourceSpider


class GazetteSpider(SourceSpider):
    name = "gazette"

    def __init__(self, kind: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.only_kind = kind

    @classmethod
    def default_source(cls) -> str:
        return "mirror"

    async def start(self) -> AsyncIterator[Request]:
        for request in self.listings():
            if not self.only_kind or request.cb_kwargs["kind"] == self.only_kind:
                yield request
