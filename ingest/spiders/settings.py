"""Scrapy settings of the iphub crawlers: polite by default.

Per-source values (download delay from the source's rate, per-domain concurrency, JOBDIR and
HTTP cache directories under ``IPHUB_CRAWL_DIR/<source>/``) are set by the spider from the
source registry (``ingest.spiders.sources``); ``-s NAME=value`` overrides any of them.
"""

BOT_NAME = "iphub"
SPIDER_MODULES = ["ingest.spiders.spiders"]
NEWSPIDER_MODULE = "ingest.spiders.spiders"

# `iphub crawl` replaces the contact with IPHUB_CRAWL_CONTACT (iphub.config.Settings)
USER_AGENT = (
    "iphub-crawler/0.1 (Guangzhou patent and trademark public service platform;"
    " +https://iphub.example/crawler; crawler@iphub.example)"
)
ROBOTSTXT_OBEY = True
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"

# politeness: AutoThrottle adapts the delay to the server's latency, never below DOWNLOAD_DELAY
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_DELAY = 1.0
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024

# retries with back-off, honouring Retry-After (ingest.spiders.middlewares)
RETRY_TIMES = 3
RETRY_HTTP_CODES = [408, 429, 500, 502, 503, 504, 522, 524]
RETRY_BACKOFF_BASE = 2.0  # seconds before the first retry without Retry-After, doubling
RETRY_BACKOFF_MAX = 120.0
RETRY_AFTER_MAX = 600.0  # a longer Retry-After gives the page up until the next crawl
DOWNLOADER_MIDDLEWARES = {
    "ingest.spiders.middlewares.SeenFilterMiddleware": 50,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "ingest.spiders.middlewares.RetryAfterMiddleware": 550,
}

# incremental: listings revalidated through the HTTP cache, record pages skipped by the seen-set
HTTPCACHE_ENABLED = True
HTTPCACHE_POLICY = "ingest.spiders.middlewares.RevalidatePolicy"
HTTPCACHE_STORAGE = "scrapy.extensions.httpcache.FilesystemCacheStorage"
EXTENSIONS = {"ingest.spiders.jobdir.JobGuard": 0}

ITEM_PIPELINES = {"ingest.spiders.pipelines.StorePipeline": 300}

# iphub
IPHUB_STORE = "sqlite:///var/iphub.db"
IPHUB_CRAWL_DIR = "var/crawl"
IPHUB_QUARANTINE_DIR = "var/quarantine"
IPHUB_BATCH_SIZE = 50  # records per store write; also what a SIGKILL can cost in refetches
IPHUB_SOURCE = ""  # set by the spider from -a source=
