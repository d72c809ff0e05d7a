"""Resumable crawls: a JOBDIR per source, reset when the last run was killed rather than stopped.

Scrapy persists the request queue and the seen-request fingerprints in ``JOBDIR`` when a crawl
stops cleanly (one Ctrl-C or SIGTERM), and the next run resumes from them. A run killed hard
(SIGKILL, power loss) leaves them half-written: the queue index is only saved at close, so the
requests behind pages already marked as seen would be lost. This extension marks a running job;
when the next run finds the mark, it discards the job directory and the crawl starts over from
its listings, which costs conditional requests (304s) for the listings and nothing for record
pages already stored (the seen-set in the store's checkpoints). A job that finished is removed,
so the next crawl starts fresh and incremental.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

logger = logging.getLogger(__name__)
MARK = "iphub.running"
#: the stat ``ingest.spiders.pipelines`` sets when the store stopped taking records
STORE_UNAVAILABLE = "iphub/store_unavailable"


class JobGuard:
    def __init__(self, jobdir: Path, crawler: Crawler | None = None) -> None:
        self.crawler = crawler
        self.mark = jobdir / MARK
        if self.mark.exists():
            logger.warning(
                "the last crawl in %s was killed: starting over from the listings", jobdir
            )
            shutil.rmtree(jobdir)
        jobdir.mkdir(parents=True, exist_ok=True)
        self.mark.touch()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JobGuard:
        jobdir = crawler.settings.get("JOBDIR")
        if not jobdir:
            raise NotConfigured
        guard = cls(Path(jobdir), crawler)
        crawler.signals.connect(guard.spider_closed, signal=signals.spider_closed)
        return guard

    def spider_closed(self, reason: str) -> None:
        """After the scheduler saved its queue: the job directory is whole again. A finished
        job's state is of no use to the next crawl (its seen requests would filter every
        listing), so it goes; so does the state of a crawl whose store failed, which counts as
        seen pages whose records were never written (the next crawl starts over from its
        listings, and the store's seen-set skips what was written)."""
        stats = self.crawler.stats if self.crawler is not None else None
        if reason == "finished" or (stats is not None and stats.get_value(STORE_UNAVAILABLE)):
            shutil.rmtree(self.mark.parent, ignore_errors=True)
        else:
            self.mark.unlink(missing_ok=True)
