"""Scrapy settings for newsarchive.

The defaults are polite enough to point at a real news site every night;
`newsarchive demo` and the tests relax them only for our own loopback server.
"""
from scraper import __version__

BOT_NAME = "newsarchive"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# Where archived records go (`-s ARCHIVE_DB=path` or `newsarchive crawl --db`).
ARCHIVE_DB = "archive.db"

# Name the crawler and give site owners a way to reach whoever runs it.
NEWSARCHIVE_CONTACT_URL = "https://github.com/newsarchive/newsarchive"
USER_AGENT = f"newsarchive/{__version__} (+{NEWSARCHIVE_CONTACT_URL})"
# `-s NEWSARCHIVE_CONTACT_URL=URL` alone rebuilds the User-Agent around URL; an explicit
# `-s USER_AGENT=...` wins (scraper.middlewares.ContactUserAgentMiddleware).

ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
# Scrapy starts this many asyncio tasks for every response's output; a news page
# yields one item and a few links, and the default of 100 tasks per page cost
# more than parsing the page.
CONCURRENT_ITEMS = 8
# Breadth first: the pages one link from the home page before those two links away, and so on.
# Scrapy's default (depth first, the last link found first) let a trap with endless links (a
# calendar's next month, thousands of dead links at the end of the home page) take the whole
# --max-pages before the home page's own articles were fetched.
DEPTH_PRIORITY = 1
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"
# A --job (JOBDIR) run asks for the site's home page, feed and sitemaps again, though an earlier
# run fetched them, and puts what they list ahead of the queue earlier runs left (scraper.jobs):
# Scrapy's own dropped them as seen, and the articles published since waited behind that queue.
SCHEDULER = "scraper.jobs.JobScheduler"
DUPEFILTER_CLASS = "scraper.jobs.JobDupeFilter"
DOWNLOAD_DELAY = 0.25
DOWNLOAD_TIMEOUT = 30
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
# One site slower than the rest: DOWNLOAD_SLOTS = {"example.com": {"concurrency": 1, "delay": 5}}.
# robots.txt's Crawl-delay is obeyed, up to this many seconds (scraper.middlewares.CrawlDelayMiddleware).
NEWSARCHIVE_CRAWL_DELAY = True
NEWSARCHIVE_CRAWL_DELAY_MAX = 30.0  # as AUTOTHROTTLE_MAX_DELAY

RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Before each retry wait the response's Retry-After (seconds or HTTP date), at most
# RETRY_AFTER_MAX seconds; without one, RETRY_BACKOFF_BASE * 2**(n-1) seconds before
# retry n, at most RETRY_BACKOFF_MAX (scraper.middlewares.RetryAfterMiddleware).
RETRY_AFTER_MAX = 120.0
RETRY_BACKOFF_BASE = 1.0
RETRY_BACKOFF_MAX = 60.0

# Re-crawls send the archived ETag / Last-Modified; a 304 counts as unchanged (scraper.conditional).
NEWSARCHIVE_CONDITIONAL = True

# A news page larger than this is almost certainly not an article.
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024

# WARC recording (`newsarchive crawl --warc DIR`, `-s WARC_DIR=DIR`): every request
# and response as WARC/1.1, a new file past WARC_MAX_SIZE bytes ("100M", "1G" work too).
WARC_DIR = None
WARC_MAX_SIZE = 1024 ** 3
WARC_GZIP_LEVEL = 6  # 1 is 2.5x faster, files ~17% larger
# 950: next to the downloader, so the recorder sees requests as sent and bodies as received.
DOWNLOADER_MIDDLEWARES = {"scraper.warc.WarcRecorderMiddleware": 950}
# Politeness and conditional requests take the places of Scrapy's own middlewares.
DOWNLOADER_MIDDLEWARES.update({
    "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware": None,
    "scraper.middlewares.ContactUserAgentMiddleware": 500,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "scraper.middlewares.RetryAfterMiddleware": 550,
    "scraper.conditional.ConditionalRequestMiddleware": 560,
    # Right after RobotsTxtMiddleware (100): applies robots.txt's Crawl-delay.
    "scraper.middlewares.CrawlDelayMiddleware": 110,
    # A robots.txt answered with a server error, or with none (a network error), forbids the
    # site, as RFC 9309 says.
    "scraper.middlewares.RobotsTxtUnavailableMiddleware": 105,
    # Sees a redirect before RedirectMiddleware (600) does: a loop becomes a failure row.
    "scraper.middlewares.RedirectLoopMiddleware": 610,
    # Scrapy's own, plus an archived article sent to the home page fetched there (marked gone).
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "scraper.middlewares.RedirectHomeMiddleware": 600,
    # Scrapy's own, minus decoding every page to look for a tag that is almost never there,
    # plus an archived article sent home by one fetched there (marked gone), as for a 3xx.
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "scraper.middlewares.QuickMetaRefreshMiddleware": 580,
    # Scrapy's own, with failures that say what went wrong (too large once decompressed, a
    # damaged gzip stream).
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "scraper.middlewares.ContentEncodingMiddleware": 590,
})

# Next to the spider: an exception from a callback becomes a failure row, not a log line alone.
SPIDER_MIDDLEWARES = {"scraper.middlewares.CallbackErrorMiddleware": 950}

# The schedule a crawl runs for, set by the scheduler: the crawl's crawls row names it in its args,
# so that the runner can close that row when the crawl process is killed outright.
NEWSARCHIVE_SCHEDULE = None

# `newsarchive crawl --job NAME` sets JOBDIR; JobGuard makes a killed job safe to resume.
EXTENSIONS = {"scraper.jobs.JobGuard": 0}

ITEM_PIPELINES = {
    "scraper.pipelines.RecordValidationPipeline": 100,
    "scraper.pipelines.ArchivePipeline": 300,
}

# Scrapy checks each callback's source for `return value` in a generator; its cache is keyed
# by the bound method, which dies with each request, so the check (inspect.getsource and
# ast.parse) ran again and again: 3% of Scrapy's work per page here. Our spiders' callbacks
# return no value.
WARN_ON_GENERATOR_RETURN_VALUE = False

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
TELNETCONSOLE_ENABLED = False
# Scrapy 2.19 opens an HTTP endpoint that runs Python code sent to it: not on an unattended crawler.
REMOTE_CONTROL_ENABLED = False
