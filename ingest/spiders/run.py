"""Run a spider of the iphub Scrapy project in this process (what ``iphub crawl`` calls).

Twisted's reactor starts once per process, so one call per process; tests run it in a
subprocess.
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from ingest.spiders.sources import Source, check

SPIDERS = ("gazette", "patent_pages")


def preflight(spider: str, args: dict[str, str]) -> Source:
    """The source the crawl would use, or KeyError / :class:`SourceRefused` before anything
    starts (the spider checks again, for plain ``scrapy crawl``)."""
    if spider not in SPIDERS:
        raise KeyError(f"unknown spider {spider!r}; known: {', '.join(SPIDERS)}")
    from ingest.spiders.spiders.gazette import GazetteSpider
    from ingest.spiders.spiders.patent_pages import PatentPagesSpider

    cls = GazetteSpider if spider == "gazette" else PatentPagesSpider
    licensed = args.get("licensed", "").lower() in ("1", "yes", "true")
    return check(args.get("source") or cls.default_source(), spider, licensed=licensed)


def crawl(spider: str, args: dict[str, str], overrides: dict[str, Any]) -> dict[str, Any]:
    """Crawl to the end (or a stop signal); the crawl's stats."""
    settings = Settings()
    settings.setmodule("ingest.spiders.settings", priority="project")
    settings.update(overrides, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(spider)
    process.crawl(crawler, **args)
    process.start()
    return dict(crawler.stats.get_stats()) if crawler.stats else {}
