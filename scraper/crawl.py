"""Run a crawl in this process and summarize it: what `newsarchive crawl` and `demo` call."""
from __future__ import annotations

import logging
import re
import signal
import time
from dataclasses import dataclass, field
from typing import Any, Optional
from urllib.parse import urlsplit

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from archive import ArchiveStore

from .hosts import normal_url, site_of, split_url, with_root_path
from .jobs import JobError, check_job


class _NoTracebacks(logging.Filter):
    """Keep tracebacks out of the user's terminal; ``-v`` (INFO and below) shows them."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info or record.exc_text:
            exc = record.exc_info[1] if record.exc_info else None
            record.exc_info, record.exc_text = None, None
            if exc is not None and str(exc) not in record.getMessage():
                record.msg = f"{record.getMessage()} ({type(exc).__name__}: {exc})"
                record.args = ()
        return True


class CrawlError(Exception):
    """A crawl that cannot start (bad URL, bad archive path)."""


class _CrawlerProcess(CrawlerProcess):
    """Scrapy's, remembering the signal (Ctrl-C's SIGINT, SIGTERM) that stopped the crawl."""

    stopped_by: Optional[int] = None

    def _signal_shutdown(self, signum: int, frame: Any) -> None:
        self.stopped_by = self.stopped_by or signum
        super()._signal_shutdown(signum, frame)

    def _signal_kill(self, signum: int, frame: Any) -> None:
        self.stopped_by = self.stopped_by or signum
        super()._signal_kill(signum, frame)


@dataclass
class CrawlSummary:
    start_url: str
    spider: str
    db_path: str
    crawl_id: Optional[int] = None
    pages_fetched: int = 0
    article_pages: int = 0
    non_article_pages: int = 0
    articles_new: int = 0
    articles_changed: int = 0
    articles_unchanged: int = 0
    not_modified: int = 0      # article pages answering 304 to conditional requests
    unchanged_not_modified: int = 0  # of the unchanged: articles a 304 found so (not a story
                                     # whose page 1 answered 304 and page 2 changed)
    copies: int = 0            # of the unchanged: copies of an archived article at another address
    paywalled: int = 0         # of the unchanged: pages serving only a teaser of the archived text
    moved: int = 0             # of the changed: articles found at a new URL by their post ID
    articles_skipped: int = 0  # outside --since/--until, or unchanged by sitemap/feed lastmod
    failures: int = 0
    first_failure: Optional[str] = None
    archive_error: Optional[str] = None
    finish_reason: Optional[str] = None
    stopped_by: Optional[int] = None  # the signal that interrupted the crawl (signal.SIGINT...)
    job: Optional[str] = None         # --job NAME: the same command continues the crawl
    max_pages: Optional[int] = None   # --max-pages (CLOSESPIDER_PAGECOUNT)
    elapsed_seconds: float = 0.0
    stats: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def archived(self) -> int:
        return self.articles_new + self.articles_changed + self.articles_unchanged

    @property
    def interrupted(self) -> bool:
        """Stopped by Ctrl-C or SIGTERM before its end (Scrapy's finish reason 'shutdown')."""
        return self.stopped_by is not None or self.finish_reason == "shutdown"

    def interruption(self) -> Optional[str]:
        """One line for an interrupted crawl: by what, and how to go on; None if it was not."""
        if not self.interrupted:
            return None
        by = {signal.SIGINT: "Ctrl-C", signal.SIGTERM: "SIGTERM"}.get(self.stopped_by, "a signal")
        then = (f"run the same command again to continue job {self.job!r}" if self.job
                else "not every page was fetched (--job NAME makes a crawl resumable)")
        return f"the crawl was interrupted ({by}) before its end; {then}"

    @property
    def exit_code(self) -> int:
        """128 + the signal's number for an interrupted crawl (130 for Ctrl-C), as shells do."""
        return 128 + int(self.stopped_by or signal.SIGINT)

    @property
    def ok(self) -> bool:
        return self.problem() is None

    def problem(self) -> Optional[str]:
        """Why the crawl archived nothing, in one line; None when it did its job."""
        if self.archive_error:
            return self.archive_error
        if self.archived or self.articles_skipped or self.stats.get("newsarchive/articles_gone"):
            return None  # skipped: known articles, deliberately not archived; gone: taken down, noted
        moved_to = self.stats.get("newsarchive/start_redirected_to")
        if moved_to:
            return (f"{self.start_url} redirects to {moved_to}, another site, which was not crawled; "
                    f"to archive that site, crawl {moved_to} (or allow its host: --allow-domain {site_of(moved_to)})")
        if self.pages_fetched == 0:
            # An unreachable robots.txt comes first: the failures after it (the sitemap
            # spider's "no sitemap found") are what its forbidding everything led to.
            if self.stats.get("newsarchive/site_unreachable"):
                reason = self.stats["newsarchive/site_unreachable"]  # connection refused (.../robots.txt)
            elif self.stats.get("newsarchive/robots_unavailable"):
                reason = (f"its robots.txt {self.stats['newsarchive/robots_unavailable']}, and a "
                          "robots.txt the site cannot give forbids crawling it (RFC 9309); try again later")
            elif self.first_failure:
                reason = self.first_failure
            elif self.stats.get("offsite/filtered"):
                reason = "its pages are on another site, outside the crawl's domains (a redirect? see --allow-domain)"
            elif self.stats.get("robotstxt/forbidden"):
                reason = "the site's robots.txt disallows it"
            elif self.stats.get("newsarchive/out_of_scope"):
                reason = (f"all {self.stats['newsarchive/out_of_scope']} of its URLs are outside the scope "
                          f"options (--include, --exclude, --allow-domain)")
            else:
                reason = "no page could be fetched (blocked by robots.txt?)"
            return f"could not crawl {self.start_url}: {reason}"
        if self.stats.get("newsarchive/store_failures"):
            return (f"none of the {self.article_pages} articles found at {self.start_url} could be archived "
                    f"({self.failures} errors, first: {self.first_failure})")
        return (f"no news articles found at {self.start_url} "
                f"({self.pages_fetched} pages fetched, none of them an article{self._why_no_articles()})")

    def _why_no_articles(self) -> str:
        """What kept the crawl from the articles, as the crawl knows it: robots.txt, failed
        pages, the page limit ("; ..." to append, or "")."""
        reasons = []
        forbidden = self.stats.get("robotstxt/forbidden")
        if forbidden:
            reasons.append(f"robots.txt disallowed {forbidden} of its links")
        if self.failures:
            reasons.append(f"{self.failures} pages failed, first: {self.first_failure}")
        if self.finish_reason == "closespider_pagecount":
            reasons.append("the crawl stopped at --max-pages")
        return "".join(f"; {reason}" for reason in reasons)

    def _unchanged_detail(self) -> str:
        """' (not modified N; copies M; paywalled P)': what of the unchanged was a 304, what a
        copy of an archived article at another address (a print or AMP copy: no version), and
        what a teaser of the archived text (a page gone behind a paywall: no version)."""
        parts = [f"{name} {count}" for name, count in (("not modified", self.unchanged_not_modified),
                                                        ("copies", self.copies),
                                                        ("paywalled", self.paywalled)) if count]
        return f" ({'; '.join(parts)})" if parts else ""

    def lines(self) -> list[str]:
        rate = self.pages_fetched / self.elapsed_seconds if self.elapsed_seconds else 0.0
        stopped = []
        if self.interrupted:
            stopped = ["  stopped            interrupted"
                       + (", run the same command again to continue" if self.job else "")]
        elif self.job and self.finish_reason == "closespider_pagecount":
            stopped = ["  stopped            at --max-pages, run the same command again to continue"]
        elif self.finish_reason == "closespider_pagecount":
            limit = f" {self.max_pages}" if self.max_pages else ""
            stopped = [f"  stopped            at --max-pages{limit}: pages the crawl had found were not fetched"
                       " (--job NAME makes it resumable)"]
        return [
            f"crawl #{self.crawl_id} of {self.start_url} into {self.db_path}" if self.crawl_id
            else f"crawl of {self.start_url} (nothing archived)",
            f"  pages fetched      {self.pages_fetched} in {self.elapsed_seconds:.1f}s ({rate:.0f}/s)",
            # a 304 answer to an archived article's conditional request is an article page too
            f"  article pages      {self.article_pages + self.not_modified} ("
            + (f"not modified {self.not_modified}; " if self.not_modified else "")
            + f"other pages: {self.non_article_pages})",
            f"  articles           new {self.articles_new}, changed {self.articles_changed}"
            + (f" (moved {self.moved})" if self.moved else "")
            + f", unchanged {self.articles_unchanged}"
            + self._unchanged_detail()
            + (f", skipped {self.articles_skipped}" if self.articles_skipped else ""),
            f"  errors             {self.failures}"
            + (f" (first: {self.first_failure})" if self.first_failure else ""),
            *self._taken_down(),
            *self._left_out(),
            *stopped,
        ]

    def _taken_down(self) -> list[str]:
        gone = self.stats.get("newsarchive/articles_gone", 0)
        if not gone:
            return []
        return [f"  taken down         {gone} archived article{'s' if gone != 1 else ''} marked gone "
                "(404 or 410, a 'not found' page, or a redirect home or to another article)"]

    def _left_out(self) -> list[str]:
        """URLs the crawl was given or led to but did not fetch, which no error counts: sitemap,
        feed or list entries outside the site or the scope options, redirects to another site,
        links whose path repeats a segment three times or has too many segments (relative links
        that grow on every page), next pages and calendar dates of a listing that repeats itself,
        links to a listing sorted, filtered or viewed otherwise (its plain URL is fetched instead),
        URLs longer than Scrapy's URLLENGTH_LIMIT. The news spider counts each of its own once,
        and not one it fetched from another page after all (NewsSpider._leave_out)."""
        parts = [(self.stats.get("newsarchive/out_of_scope", 0), "outside the site or the scope options"),
                 (self.stats.get("offsite/filtered", 0), "on another site (redirects, links)"),
                 (self.stats.get("newsarchive/pathological_paths", 0),
                  "with a path that repeats a segment or is too deep"),
                 (self.stats.get("newsarchive/repeated_listings", 0),
                  "next page(s) or calendar date(s) of a listing that repeats the page before it"),
                 (self.stats.get("newsarchive/listing_variants", 0),
                  "other sort order(s), filter(s) or view(s) of a listing"),
                 (self.stats.get("urllength/request_ignored_count", 0), "longer than URLLENGTH_LIMIT")]
        parts = [(count, why) for count, why in parts if count]
        if not parts:
            return []
        total = sum(count for count, _ in parts)
        return [f"  not fetched        {total} URL{'s' if total != 1 else ''} ("
                + "; ".join(f"{count} {why}" for count, why in parts) + ")"]


def build_settings(db_path: str, overrides: Optional[dict[str, Any]] = None,
                   *, progress: bool = False, log_level: str = "WARNING") -> Settings:
    settings = Settings()
    settings.setmodule("scraper.settings", priority="project")
    settings.set("ARCHIVE_DB", db_path, priority="cmdline")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    settings.set("NEWSARCHIVE_PROGRESS", progress, priority="cmdline")
    extensions = dict(settings.getdict("EXTENSIONS"))
    extensions["scraper.extensions.ProgressReporter"] = 500
    settings.set("EXTENSIONS", extensions, priority="cmdline")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def _install_log_handler(settings: Settings) -> None:
    """Scrapy's own log format on stderr, minus tracebacks unless the user asked for detail."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(settings.get("LOG_FORMAT"), settings.get("LOG_DATEFORMAT")))
    level = logging.getLevelName(settings.get("LOG_LEVEL"))
    handler.setLevel(level)
    if level >= logging.WARNING:
        handler.addFilter(_NoTracebacks())
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_newsarchive", False)]:
        root.removeHandler(old)
    handler._newsarchive = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(min(root.level or logging.WARNING, level))


# "example.com" or "news.example.com/politics/": a host name typed without its scheme.
_BARE_HOST = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}(/\S*)?", re.I)


def check_start_url(url: str) -> str:
    """The start URL in one spelling (``http://host:80`` as ``http://host/``); CrawlError
    for one that cannot be crawled, a port urllib cannot read included."""
    parts = split_url(url)
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        hint = f" (did you mean https://{url}?)" if _BARE_HOST.fullmatch(url) else _port_problem(url)
        raise CrawlError(f"not an http(s) URL: {url!r}{hint}")
    return with_root_path(normal_url(url, parts))


def _port_problem(url: str) -> str:
    """`` (Port out of range 0-65535)``: urllib's reason for refusing the port, or ""."""
    try:
        urlsplit(url).port  # noqa: B018 - the property is what raises
    except ValueError as exc:
        return f" ({exc})"
    return ""


def _close_crawl_row(db_path: str, crawl_id: int, stats: dict) -> None:
    """A forced stop (a second Ctrl-C or SIGTERM) ends the reactor before the pipeline
    can close its ``crawls`` row; close it here so the row does not say 'running'."""
    from .pipelines import crawl_counts

    try:
        with ArchiveStore(db_path) as store:
            store.finish_crawl(crawl_id, "shutdown (forced)", crawl_counts(stats))
    except Exception as exc:  # ArchiveError; the articles themselves are already committed
        logging.getLogger(__name__).warning("could not close crawl %s in %s: %s", crawl_id, db_path, exc)


def run_crawl(start_url: str, db_path: str, *, spider: str = "news",
              settings: Optional[dict[str, Any]] = None, spider_args: Optional[dict[str, Any]] = None,
              progress: bool = False, log_level: str = "WARNING") -> CrawlSummary:
    """Crawl ``start_url`` into the archive at ``db_path``; blocks until the crawl ends.

    Scrapy's reactor runs once per process, so call this once per process.
    """
    if spider != "urls":  # the urls spider starts from a file of URLs (spider_args["urls_file"])
        start_url = check_start_url(start_url)
    try:
        ArchiveStore.check(db_path)
        ArchiveStore.check_writable(db_path)
    except Exception as exc:  # ArchiveError: refuse before fetching anything
        raise CrawlError(str(exc)) from None
    crawl_settings = build_settings(db_path, settings, progress=progress, log_level=log_level)
    if crawl_settings.get("JOBDIR"):
        try:
            check_job(crawl_settings.get("JOBDIR"), spider, start_url)
        except JobError as exc:
            raise CrawlError(str(exc)) from None
    crawl_settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    _install_log_handler(crawl_settings)
    process = _CrawlerProcess(crawl_settings)
    crawler = process.create_crawler(spider)
    started = time.monotonic()
    process.crawl(crawler, start_url=start_url, **(spider_args or {}))
    process.start()
    stats = crawler.stats.get_stats()
    get = stats.get
    if get("newsarchive/crawl_id") and not get("newsarchive/crawl_finished"):
        _close_crawl_row(db_path, get("newsarchive/crawl_id"), stats)
    return CrawlSummary(
        start_url=start_url, spider=spider, db_path=db_path,
        crawl_id=get("newsarchive/crawl_id"),
        pages_fetched=get("newsarchive/pages", 0),  # robots.txt is not a page
        article_pages=get("newsarchive/article_pages", 0),
        non_article_pages=get("newsarchive/non_article_pages", 0),
        articles_new=get("newsarchive/articles_new", 0),
        articles_changed=get("newsarchive/articles_changed", 0),
        articles_unchanged=get("newsarchive/articles_unchanged", 0),
        not_modified=get("newsarchive/not_modified", 0),
        unchanged_not_modified=get("newsarchive/articles_not_modified", 0),
        copies=get("newsarchive/article_copies", 0),
        paywalled=get("newsarchive/article_teasers", 0),
        moved=get("newsarchive/article_moves", 0),
        articles_skipped=get("newsarchive/articles_skipped", 0),
        failures=get("newsarchive/failures", 0),
        first_failure=get("newsarchive/first_failure"),
        archive_error=get("newsarchive/archive_error"),
        finish_reason=get("finish_reason"),
        stopped_by=process.stopped_by,
        job=crawl_settings.get("NEWSARCHIVE_JOB") or crawl_settings.get("JOBDIR") or None,
        max_pages=crawl_settings.getint("CLOSESPIDER_PAGECOUNT") or None,
        elapsed_seconds=time.monotonic() - started,
        stats=dict(stats),
    )
