"""The item pipeline: validate → ``nlp.enrich.enrich`` → batched writes to the configured store.

Each crawl is one ingest batch (source ``crawl:<source>``). A crawl stopped before its queue
drained leaves its batch open (checkpoint ``crawl:<source>:batch``) and the resumed crawl carries
on with it; the batch is finished once the spider goes idle with nothing left to fetch.

Pages that fail (download, parse, validation, a record the store rejects) go to the batch's
quarantine file with their URL and reason; a store that stops taking records stops the crawl
(:meth:`StorePipeline._store_failed`). After a write, each stored record's ``dateModified``
from its listing is kept in the store's checkpoints (``crawl:<source>:seen:<id>``), the
seen-set that :class:`~ingest.spiders.middlewares.SeenFilterMiddleware` consults to skip
unchanged pages.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DropItem
from scrapy.utils.defer import deferred_from_coro

from ingest.parsers.base import Quarantined
from ingest.quarantine import QuarantineFile
from ingest.spiders.items import FailedPage, RecordPage
from ingest.spiders.jobdir import STORE_UNAVAILABLE
from iphub.records import AnyRecord
from iphub.store import open_store
from iphub.store.base import RECORD_ADAPTER, Store, StoreUnavailable
from nlp.enrich import enrich

logger = logging.getLogger(__name__)


def seen_key(source: str, record_id: str) -> str:
    return f"crawl:{source}:seen:{record_id}"


class StorePipeline:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.store_url: str = settings["IPHUB_STORE"]
        self.source: str = settings["IPHUB_SOURCE"]
        self.batch_size = settings.getint("IPHUB_BATCH_SIZE")
        self.quarantine_dir = Path(settings["IPHUB_QUARANTINE_DIR"])
        self.store: Store | None = None
        self.batch_id = ""
        self.stored = 0
        self.drained = False
        #: why the store stopped taking records; the crawl is closing and the records fetched
        #: since the last write are fetched again by the next crawl (see :meth:`_store_failed`)
        self.unavailable: str | None = None
        self._buffer: list[tuple[AnyRecord, RecordPage]] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_idle, signal=signals.spider_idle)
        return pipeline

    @property
    def _batch_key(self) -> str:
        return f"crawl:{self.source}:batch"

    def open_spider(self) -> None:
        try:
            self.store = open_store(self.store_url)
            open_batch = self.store.get_checkpoint(self._batch_key)
            if open_batch:
                state = json.loads(open_batch)
                self.batch_id, self.stored = state["batch"], state["records"]
                self.store.resume_batch(self.batch_id)  # busy is said now, not at a write
                logger.info(
                    "resuming ingest batch %s (%d records so far)", self.batch_id, self.stored
                )
            else:
                self.batch_id = self.store.begin_batch(f"crawl:{self.source}")
                self._save_batch()
        except StoreUnavailable as exc:  # down, or another process writing: nothing fetched
            if self.store is not None:
                self.store.close()
                self.store = None
            self.unavailable = str(exc)
            self.crawler.stats.set_value(STORE_UNAVAILABLE, self.unavailable)
            raise CloseSpider(STORE_UNAVAILABLE) from exc
        self.quarantine = QuarantineFile(self.quarantine_dir, self.batch_id)
        self.crawler.stats.set_value("iphub/batch_id", self.batch_id)

    def _save_batch(self) -> None:
        assert self.store is not None  # noqa: S101 - set in open_spider
        state = {"batch": self.batch_id, "records": self.stored}
        self.store.set_checkpoint(self._batch_key, json.dumps(state))

    def seen(self, record_id: str) -> str | None:
        """The ``dateModified`` under which ``record_id`` was stored by this source, if any."""
        return self.store.get_checkpoint(seen_key(self.source, record_id)) if self.store else None

    def spider_idle(self) -> None:
        self.drained = True

    def process_item(self, item: Any) -> Any:
        if isinstance(item, FailedPage):
            self._quarantine(item.url, item.reason, item.raw)
            raise DropItem(f"quarantined {item.url}: {item.reason}")
        if not isinstance(item, RecordPage):
            return item
        if self.unavailable is not None:
            raise DropItem(f"store unavailable, fetched again by the next crawl: {item.url}")
        if item.modified and self.seen(str(item.fields.get("id"))) == item.modified:
            self.crawler.stats.inc_value("iphub/unchanged_skipped")
            raise DropItem(f"unchanged since {item.modified}: {item.url}")
        try:
            record = RECORD_ADAPTER.validate_python({**item.fields, "record_type": item.kind})
        except ValidationError as exc:
            reason = "; ".join(
                f"{'.'.join(map(str, e['loc'][1:]))}: {e['msg']}"  # loc[0]: the record kind
                for e in exc.errors()[:5]
            )
            self._quarantine(item.url, f"invalid record: {reason}", item.raw)
            raise DropItem(f"quarantined {item.url}: {reason}") from None
        record.source = f"crawl:{self.source}"
        record.batch_id = self.batch_id
        self._buffer.append((enrich(record), item))
        if len(self._buffer) >= self.batch_size:
            self.flush()
        return item

    def _quarantine(self, url: str, reason: str, raw: str) -> None:
        self.quarantine.write(url, Quarantined("page", reason, raw))
        self.crawler.stats.inc_value("iphub/quarantined")

    def flush(self) -> None:
        """Write the buffered records, make them searchable, then remember them as seen."""
        if not self._buffer or self.store is None or self.unavailable is not None:
            return
        buffer, self._buffer = self._buffer, []
        try:
            report = self.store.upsert(record for record, _ in buffer)
            self.store.refresh()
        except StoreUnavailable as exc:
            self._store_failed(exc, len(buffer))
            return
        failed = dict(report.failed)
        for record, page in buffer:
            if record.id in failed:
                self._quarantine(page.url, f"store write failed: {failed[record.id]}", page.raw)
            else:
                self.store.set_checkpoint(seen_key(self.source, record.id), page.modified or "-")
        self.stored += report.written
        self.crawler.stats.inc_value("iphub/stored", report.written)
        self._save_batch()

    def _store_failed(self, exc: StoreUnavailable, records: int) -> None:
        """The store stopped taking records (down, full, busy): stop the crawl, not lose them.

        The records not written were fetched, and a clean stop keeps those requests as seen in
        the job directory, so its resume would never fetch them again. The stat set here makes
        :class:`~ingest.spiders.jobdir.JobGuard` discard the job directory: the next crawl
        starts over from its listings, and the seen-set in the store (which holds only records
        written) skips what is stored and fetches the rest.
        """
        self.unavailable = str(exc)
        self.crawler.stats.set_value(STORE_UNAVAILABLE, self.unavailable)
        logger.error("store unavailable, %d records not written; crawl stopping: %s", records, exc)
        if self.crawler.engine is not None and self.crawler.engine.spider is not None:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=STORE_UNAVAILABLE))

    def close_spider(self) -> None:
        if self.store is None:
            return
        try:
            self.flush()
            if self.drained and self.unavailable is None:
                self.store.finish_batch(self.batch_id, self.stored)
                self.store.set_checkpoint(self._batch_key, "")
                logger.info("ingest batch %s finished: %d records", self.batch_id, self.stored)
            else:
                logger.info("crawl stopped early: batch %s stays open for resume", self.batch_id)
        finally:
            self.quarantine.close()
            self.store.close()
            self.store = None
