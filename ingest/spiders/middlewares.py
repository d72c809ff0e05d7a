"""Downloader middlewares: polite retries that honour Retry-After, the seen-set filter, and the
HTTP cache policy that always revalidates.

Scrapy's own ``RetryMiddleware`` retries 429 and 5xx at once and ignores ``Retry-After``
(RFC 9110 §10.2.3). :class:`RetryAfterMiddleware` replaces it: a retried request is not sent
before the server's ``Retry-After`` (seconds or an HTTP date) or, without one, an exponential
back-off, and the whole domain's download slot pauses for as long; a server asking for more than
``RETRY_AFTER_MAX`` seconds is not retried in this crawl.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import time
from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.extensions.httpcache import RFC2616Policy
from scrapy.http import Request, Response
from scrapy.settings import BaseSettings
from scrapy.utils.response import response_status_message

from ingest.spiders.pipelines import StorePipeline

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

NOT_BEFORE = "iphub_not_before"  # request meta: epoch seconds before which it is not sent


def retry_after(response: Response, now: float | None = None) -> float | None:
    """Seconds the server asks us to wait, from ``Retry-After``; None if absent or unreadable."""
    raw = response.headers.get(b"Retry-After")
    if not raw:
        return None
    value = raw.decode("latin-1").strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class RetryAfterMiddleware(RetryMiddleware):
    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE")
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX")
        self.after_max = settings.getfloat("RETRY_AFTER_MAX")

    def _backoff(self, attempt: int) -> float:
        return float(min(self.backoff_max, self.backoff_base * 2 ** max(attempt - 1, 0)))

    def _delay(self, retry: Request, wait: float) -> Request:
        """Hold ``retry`` back ``wait`` seconds, and pause its domain's slot as long."""
        retry.meta[NOT_BEFORE] = time.time() + wait
        slot = self.crawler.engine.downloader.slots.get(retry.meta.get("download_slot", ""))
        if slot is not None:  # the slot's next request waits for lastseen + its delay
            slot.lastseen = max(slot.lastseen, time.monotonic() + wait)
        self.crawler.stats.inc_value("iphub/retry_wait_ms", int(wait * 1000))
        return retry

    async def process_request(self, request: Request) -> None:
        not_before = request.meta.get(NOT_BEFORE)
        if not_before is not None and (wait := not_before - time.time()) > 0:
            await asyncio.sleep(wait)

    def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        asked = retry_after(response)
        if asked is not None and asked > self.after_max:
            self.crawler.stats.inc_value("iphub/retry_after_too_long")
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        wait = asked if asked is not None else self._backoff(retry.meta["retry_times"])
        return self._delay(retry, wait)

    def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        retry = super().process_exception(request, exception)
        if isinstance(retry, Request):
            return self._delay(retry, self._backoff(retry.meta["retry_times"]))
        return retry


class SeenFilterMiddleware:
    """Drops a request for a record already stored from this source with the same
    ``dateModified`` (request meta ``iphub_record_id`` / ``iphub_modified``, set by the spider
    from the listing): the unchanged page is never fetched."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SeenFilterMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        record_id, modified = (
            request.meta.get("iphub_record_id"),
            request.meta.get("iphub_modified"),
        )
        if not record_id or not modified:
            return
        pipeline = self.crawler.get_item_pipeline(StorePipeline)
        if pipeline is not None and pipeline.seen(record_id) == modified:
            self.crawler.stats.inc_value("iphub/unchanged_skipped")
            raise IgnoreRequest(f"unchanged since {modified}: {record_id}")


class RevalidatePolicy(RFC2616Policy):
    """RFC 9111 caching where a stored page is never fresh: every use is a conditional request
    (``If-None-Match`` / ``If-Modified-Since``), a 304 is served from the cache. Listings change
    without notice, so heuristic freshness would miss new entries."""

    def is_cached_response_fresh(self, cachedresponse: Response, request: Request) -> bool:
        self._set_conditional_validators(request, cachedresponse)
        return False
