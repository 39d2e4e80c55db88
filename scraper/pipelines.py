"""Item pipelines: validate records, then store them in the SQLite archive."""
from __future__ import annotations

import logging
import os
from typing import Any, Optional

from scrapy import signals
from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from twisted.internet.threads import deferToThreadPool
from twisted.python.threadpool import ThreadPool

from archive import ArchiveError, ArchiveStore
from archive.crawls import GONE_STATUSES
from archive.lookups import archived_pages
from archive.rawpages import compress_page

from .items import FetchedPage, FetchFailure, NotModified

logger = logging.getLogger(__name__)

# SQLite errors that the next article would meet too (the disk is full, the file or its
# directory became read-only or went away): the crawl stops instead of fetching on.
_LASTING_SQLITE_ERRORS = ("SQLITE_FULL", "SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_IOERR",
                          "SQLITE_PERM", "SQLITE_CORRUPT", "SQLITE_NOTADB")


def _is_lasting(exc: ArchiveError) -> bool:
    name = getattr(exc.__cause__, "sqlite_errorname", None) or ""
    return name.startswith(_LASTING_SQLITE_ERRORS)


def crawl_counts(stats: dict) -> dict[str, int]:
    """The ``crawls`` row's counts, from a crawl's Scrapy stats."""
    return {
        "pages_fetched": stats.get("newsarchive/pages", 0),
        "articles_new": stats.get("newsarchive/articles_new", 0),
        "articles_changed": stats.get("newsarchive/articles_changed", 0),
        "articles_unchanged": stats.get("newsarchive/articles_unchanged", 0),
        "articles_skipped": stats.get("newsarchive/articles_skipped", 0),
        "failures": stats.get("newsarchive/failures", 0),
    }


class RecordValidationPipeline:
    """Only article records with something to keep go on to the archive."""

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls()
        pipeline.crawler = crawler
        return pipeline

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if isinstance(item, FetchedPage):
            record = item.record
            if not record.is_article:
                raise DropItem(f"not an article: {item.url}")
            if not record.title and not record.body_text:
                self.crawler.stats.inc_value("newsarchive/invalid_records")
                raise DropItem(f"article without title or text: {item.url}")
        return item


class ArchivePipeline:
    """Writes each article in its own transaction.

    The archive file is opened at the first article, so a crawl that finds
    nothing (unreachable site, not a news site) leaves the archive untouched.
    An article the archive cannot take (disk full, file made read-only) is one
    log line and one of the crawl's errors, never a dump of the item; when the
    cause will not go away by itself, the crawl stops.
    """

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.path: str = crawler.settings.get("ARCHIVE_DB")
        self.store: Optional[ArchiveStore] = None
        self.crawl_id: Optional[int] = None
        self.pending_failures: list[FetchFailure] = []
        self._gzip: Optional[ThreadPool] = None
        self._stopping = False

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        # Pipelines are closed before Scrapy records why the crawl ended; spider_closed
        # comes after and carries the reason (closespider_pagecount, shutdown, ...).
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self, spider: Any = None) -> None:
        try:
            ArchiveStore.check(self.path)
            ArchiveStore.check_writable(self.path)
        except ArchiveError as exc:
            logger.error("%s", exc)
            self.crawler.stats.set_value("newsarchive/archive_error", str(exc))
            # Stop before fetching anything: there is nowhere to put the results.
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="archive_error"))

    def _open_store(self) -> ArchiveStore:
        if self.store is None:
            store = ArchiveStore(self.path)
            try:
                self._begin_crawl(store)
            except BaseException:
                store.close()
                self.crawl_id = None
                raise
            self.store = store
            for failure in self.pending_failures:
                self._record_failure(failure)
            self.pending_failures.clear()
        return self.store

    def _begin_crawl(self, store: ArchiveStore) -> None:
        """The crawl's ``crawls`` row, made when the first article arrives."""
        spider = self.crawler.spider
        args = {k: v for k, v in vars(spider).items()
                if isinstance(v, (str, int, float, bool)) and not k.startswith("_")}
        job = self.crawler.settings.get("NEWSARCHIVE_JOB") or self.crawler.settings.get("JOBDIR")
        if job:
            args["job"] = str(job)
        schedule = self.crawler.settings.get("NEWSARCHIVE_SCHEDULE")
        if schedule:  # the scheduler finds the row of a run it started by it (scraper.scheduling)
            args["schedule"] = str(schedule)
        # `newsarchive crawl --max-pages N` is a setting, not a spider argument
        max_pages = self.crawler.settings.getint("CLOSESPIDER_PAGECOUNT")
        if max_pages and "max_pages" not in args:
            args["max_pages"] = str(max_pages)
        self.crawl_id = store.begin_crawl(spider.name, getattr(spider, "start_url", None), args)
        if job:
            # An earlier run of this job still 'running' was killed (scraper.jobs).
            store.mark_interrupted(str(job), self.crawl_id)
        self.crawler.stats.set_value("newsarchive/crawl_id", self.crawl_id)

    def _gzip_pool(self) -> ThreadPool:
        """One thread of our own for the gzip of raw pages, not the reactor's pool of up to
        REACTOR_THREADPOOL_MAXSIZE: one keeps up with the crawl, and each extra thread that
        compresses gets a malloc arena of its own, memory the crawl then keeps to its end."""
        if self._gzip is None:
            from twisted.internet import reactor

            self._gzip = ThreadPool(minthreads=1, maxthreads=1, name="newsarchive-gzip")
            self._gzip.start()
            # Its thread is no daemon: stop it also when the reactor stops without closing the spider.
            reactor.addSystemEventTrigger("during", "shutdown", self._stop_gzip)
        return self._gzip

    def _stop_gzip(self) -> None:
        pool, self._gzip = self._gzip, None
        if pool is not None and pool.started:
            pool.stop()

    def _record_failure(self, failure: FetchFailure) -> None:
        if _taken_down(failure):
            self.crawler.stats.inc_value("newsarchive/articles_gone", len(self.store.articles_at(failure.url)))
        self.store.record_failure(self.crawl_id, failure.url, failure.reason, failure.http_status,
                                  gone=failure.gone or None)

    async def process_item(self, item: Any, spider: Any = None) -> Any:
        try:
            return await self._process(item)
        except ArchiveError as exc:
            self._store_failed(item, exc)
            return item  # not raised: Scrapy would log the whole item, raw HTML and all

    def _store_failed(self, item: Any, exc: ArchiveError) -> None:
        """An item the archive could not take: one log line, one error, and the crawl stops
        if the cause is lasting (disk full, read-only); failure rows need a working archive."""
        stats = self.crawler.stats
        message = str(exc)
        stats.inc_value("newsarchive/failures")
        stats.inc_value("newsarchive/store_failures")
        if not stats.get_value("newsarchive/first_failure"):
            stats.set_value("newsarchive/first_failure", message)
        logger.error("%s", message)
        if not (_is_lasting(exc) or self.store is None):
            try:
                self._record_failure(FetchFailure(getattr(item, "url", "?"), f"could not archive: {message}"))
            except ArchiveError:
                pass
            return
        if not self._stopping:
            self._stopping = True
            stats.set_value("newsarchive/archive_error", f"{message}; the crawl stopped there")
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="archive_error"))

    async def _process(self, item: Any) -> Any:
        if isinstance(item, FetchFailure):
            if not self.crawler.stats.get_value("newsarchive/first_failure"):
                self.crawler.stats.set_value("newsarchive/first_failure", f"{item.reason} ({item.url})")
            if self.store is None:
                self.pending_failures.append(item)
            else:
                self._record_failure(item)
            return item
        if isinstance(item, NotModified):
            return self._not_modified(item)
        if not isinstance(item, FetchedPage):
            return item
        store = self._open_store()
        compressed = None
        if not store.is_unchanged(item.record):
            cut = store.cut_short(item.record, item.raw_html)
            if cut is not None:
                return self._cut_short(item, cut)
            # gzip of a 100 kB page takes longer than parsing it; zlib releases
            # the GIL, so a worker thread does it while the reactor parses on.
            from twisted.internet import reactor

            compressed = await maybe_deferred_to_future(
                deferToThreadPool(reactor, self._gzip_pool(), compress_page, item.raw_html))
        result = store.store(
            item.record,
            raw_html=item.raw_html,
            compressed_html=compressed,
            fetched_at=item.fetched_at,
            http_status=item.http_status,
            crawl_id=self.crawl_id,
            content_type=item.content_type,
            etag=item.etag,
            last_modified=item.last_modified,
            warc_file=item.warc_file,
            warc_offset=item.warc_offset,
            later_pages=item.later_pages,
        )
        self.crawler.stats.inc_value(f"newsarchive/articles_{result.status}")
        if item.not_modified and result.status == "unchanged":  # a story: page 1 answered 304, no later page changed
            self.crawler.stats.inc_value("newsarchive/articles_not_modified")
        if result.copy:  # of the unchanged: a copy of an archived article at another address
            self.crawler.stats.inc_value("newsarchive/article_copies")
            logger.debug("no version from %s: a copy of %s", item.url, result.url)
        if result.paywalled:  # of the unchanged: the page served only a teaser of the archived text
            self.crawler.stats.inc_value("newsarchive/article_teasers")
            logger.info("no version from %s: a teaser of the archived text (the page went behind a paywall)",
                        item.url)
        if result.moved_from:  # of the changed: the article archived as moved_from, at a new URL
            self.crawler.stats.inc_value("newsarchive/article_moves")
            logger.info("%s is the article archived as %s (its post ID), moved", result.url, result.moved_from)
        return item

    def _cut_short(self, item: FetchedPage, reason: str) -> FetchedPage:
        """The article's page arrived cut off before its end (a connection closed early without
        a Content-Length, a PHP page dying half-way): no version of it; a failure, as a page
        cut short of its Content-Length is."""
        stats = self.crawler.stats
        stats.inc_value("newsarchive/failures")
        if not stats.get_value("newsarchive/first_failure"):
            stats.set_value("newsarchive/first_failure", f"{reason} ({item.url})")
        logger.warning("%s: %s; the archived version stays current", item.url, reason)
        self._record_failure(FetchFailure(item.url, reason, item.http_status))
        return item

    def _not_modified(self, item: NotModified) -> NotModified:
        """A 304: the article counts as unchanged; it gets no new version."""
        store = self._open_store()
        if store.mark_unchanged(item.url, item.fetched_at, self.crawl_id,
                                etag=item.etag, last_modified=item.last_modified):
            self.crawler.stats.inc_value("newsarchive/articles_unchanged")
            self.crawler.stats.inc_value("newsarchive/articles_not_modified")
        else:  # only if the article vanished from the archive since the crawl began
            self.crawler.stats.inc_value("newsarchive/failures")
            self._record_failure(FetchFailure(item.url, "HTTP 304 for an article not in the archive", 304))
        return item

    def spider_closed(self, spider: Any = None, reason: Optional[str] = None) -> None:
        self._stop_gzip()
        stats = self.crawler.stats
        try:
            if self.store is None:
                # Nothing stored, but a re-crawl that skipped every article as already
                # archived (lastmod, date window) is still a crawl the history should show,
                # and so is a re-check whose every page was taken down (archived articles to
                # mark gone); a crawl that found nothing the archive knows leaves it untouched.
                if not os.path.isfile(self.path) or stats.get_value("newsarchive/archive_error"):
                    return
                if not stats.get_value("newsarchive/articles_skipped") and not archived_pages(
                        self.path, [f.url for f in self.pending_failures if _taken_down(f)]):
                    return
                self._open_store()
            counts = crawl_counts(stats.get_stats())
            reason = reason or stats.get_value("finish_reason") or "finished"
            self.store.finish_crawl(self.crawl_id, reason, counts)
            stats.set_value("newsarchive/crawl_finished", True)
        except ArchiveError as exc:  # the articles themselves are committed; say so in one line
            logger.error("could not close crawl %s: %s", self.crawl_id, exc)
        finally:
            if self.store is not None:
                self.store.close()
                self.store = None


def _taken_down(failure: FetchFailure) -> bool:
    """Whether the failure says the page was taken down (404, 410, a redirect to the home page)."""
    return failure.gone or failure.http_status in GONE_STATUSES

