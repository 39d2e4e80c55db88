"""What every newsarchive spider shares: turning a response into an item, and failures into rows.

Spiders only find and follow pages; parsing is `scraper.extract`, storing is the pipelines.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Iterator, Optional

import scrapy
from scrapy.exceptions import (
    CannotResolveHostError, DownloadCancelledError, DownloadConnectionRefusedError,
    DownloadFailedError, DownloadTimeoutError, IgnoreRequest, ResponseDataLossError,
)
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (
    ConnectionDone, ConnectionLost, ConnectionRefusedError, DNSLookupError, TCPTimedOutError,
    TimeoutError,
)
from twisted.web.client import ResponseFailed

from scraper.hosts import join_url, redirects_home, without_tracking
from scraper.extract import Document, NotHTMLError, load_document, parse_document
from scraper.media import may_be_page, media_type
from scraper.conditional import ARTICLE_META
from scraper.items import FetchedPage, FetchFailure, NotModified
from scraper.middlewares import ROBOTS_FORBIDDEN, RedirectLoopError

from .hints import HINTS, fill_gaps
from .scope import Scope


# Content types that are never a page, whatever bytes come with them: Scrapy gives a PDF a
# TextResponse, and its "<< /Type" looks enough like markup to be parsed as HTML.


def _header(response: Response, name: str) -> Optional[str]:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


class ArticleSpider(scrapy.Spider):
    """Base class: subclasses decide which URLs to visit; this turns pages into items."""

    scope: Scope = Scope()        # subclasses set their own from the scope options (spiders/scope.py)
    follows_links = False         # whether --max-depth means anything for this spider

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        try:
            spider = super().from_crawler(crawler, *args, **kwargs)
            spider.scope.apply_settings(crawler.settings, follows_links=spider.follows_links)
        except ValueError as exc:
            # A missing or bad -a argument of `scrapy crawl`: Scrapy would log this from an
            # asyncio task as a traceback. SystemExit leaves the event loop at once and
            # prints its message alone, with exit status 1.
            raise SystemExit(f"scrapy crawl {cls.name}: {exc}") from None
        # Plain attributes, so the crawl's row in the archive records the scope it ran with;
        # allowed_domains itself stays the list Scrapy's offsite filtering reads.
        for name, value in spider.scope.describe().items():
            setattr(spider, "allow_domains" if name == "allowed_domains" else name, value)
        if spider.scope.max_depth is not None and not spider.follows_links:
            spider.logger.warning("max_depth has no effect on the %s spider: it follows no links",
                                  spider.name)
        return spider

    def page_items(self, response: Response) -> tuple[Optional[Document], list[Any]]:
        """Parse a response; return its document (None if not HTML) and the items it yields."""
        stats = self.crawler.stats
        stats.inc_value("newsarchive/pages")
        if response.status == 304 and response.meta.get(ARTICLE_META):
            # Our conditional request (scraper.conditional): the archived copy is current.
            stats.inc_value("newsarchive/not_modified")
            return None, [NotModified(
                url=response.meta[ARTICLE_META],
                fetched_at=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                etag=_header(response, "ETag"),
                last_modified=_header(response, "Last-Modified"),
            )]
        content_type = _header(response, "Content-Type")
        if not isinstance(response, TextResponse) or not may_be_page(content_type):
            # A PDF or an image where a page was expected.
            stats.inc_value("newsarchive/non_html_pages")
            stats.inc_value("newsarchive/failures")
            return None, [FetchFailure(response.url, f"not HTML: {media_type(content_type) or 'no Content-Type'}",
                                       response.status)]
        fetched_at = datetime.now(timezone.utc)
        try:
            doc = load_document(response.body, response.url, content_type=content_type,
                                fetched_at=fetched_at)
        except NotHTMLError as exc:
            stats.inc_value("newsarchive/non_html_pages")
            stats.inc_value("newsarchive/failures")
            return None, [FetchFailure(response.url, f"not HTML: {exc}", response.status)]
        record = parse_document(doc)
        if not record.is_article:
            stats.inc_value("newsarchive/non_article_pages")
            taken_down = _redirected_home(response)
            if taken_down is not None:
                stats.inc_value("newsarchive/failures")
                return doc, [taken_down]
            return doc, []
        stats.inc_value("newsarchive/article_pages")
        fill_gaps(record, response.meta.get(HINTS))
        skipped = self.scope.skip_reason(record, response.url)
        if skipped:
            stats.inc_value("newsarchive/articles_skipped")
            self.logger.debug("not archived: %s (%s)", response.url, skipped)
            return doc, []
        return doc, [FetchedPage(
            record=record,
            url=response.url,
            http_status=response.status,
            fetched_at=fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            raw_html=response.body,
            content_type=content_type,
            etag=_header(response, "ETag"),
            last_modified=_header(response, "Last-Modified"),
            warc_file=response.meta.get("warc_file"),
            warc_offset=response.meta.get("warc_offset"),
        )]

    def parse_page(self, response: Response) -> Iterator[Any]:
        """Callback for an article page found in a sitemap, feed or URL list (no links followed)."""
        items = self.page_items(response)[1]  # not the document: this generator outlives the parse
        yield from items

    def entry_url(self, response: Response, href: Optional[str], bases: tuple[str, ...] = ()) -> Optional[str]:
        """A sitemap's or feed's entry URL made absolute and without campaign parameters
        (feeds tag their links ``?utm_source=rss``); None (logged and counted) for one
        urllib refuses, such as ``http://[object Object]/``, so the other entries go on.
        ``bases``: the feed's ``xml:base`` values around the entry's link, outermost first;
        each is resolved against the one before (the first against the feed's URL), and
        one urllib refuses is ignored, as browsers ignore an invalid ``<base href>``."""
        base = response.url
        for xml_base in bases:
            base = join_url(base, xml_base.strip()) or base
        url = join_url(base, (href or "").strip())
        if url is None:
            self.logger.warning("%s: skipped an entry whose URL cannot be read: %r", response.url, href)
            self.crawler.stats.inc_value("newsarchive/bad_urls")
            return None
        return without_tracking(url)

    def bad_input(self, response: Response, reason: str) -> FetchFailure:
        """A sitemap or feed that cannot be read: logged, counted, and a failure row."""
        self.logger.warning("%s: %s", response.url, reason)
        self.crawler.stats.inc_value("newsarchive/failures")
        return FetchFailure(response.url, reason, response.status)

    def on_error(self, failure) -> Iterator[FetchFailure]:
        """Errback: every request that fails for good becomes a failure row (a URL that
        robots.txt disallows was not fetched by choice and is not a failure)."""
        request = failure.request
        if failure.check(IgnoreRequest) and str(failure.value) == ROBOTS_FORBIDDEN:
            return  # not fetched by choice, as with --exclude: not a failure
        self.crawler.stats.inc_value("newsarchive/failures")
        if failure.check(RedirectLoopError):
            # Recorded under the URL the crawl asked for, not where the loop was noticed.
            first = request.meta.get("redirect_urls", [request.url])[0]
            yield FetchFailure(first, "redirect loop", failure.value.response.status)
        elif failure.check(HttpError):
            response = failure.value.response
            yield FetchFailure(request.url, f"HTTP {response.status}", response.status)
        # Scrapy 2.13+ wraps Twisted's errors in its own; older releases raise Twisted's.
        elif failure.check(DNSLookupError, CannotResolveHostError):
            yield FetchFailure(request.url, "DNS lookup failed")
        elif failure.check(ConnectionRefusedError, DownloadConnectionRefusedError):
            yield FetchFailure(request.url, "connection refused")
        elif failure.check(TimeoutError, TCPTimedOutError, DownloadTimeoutError):
            yield FetchFailure(request.url, "timed out")
        elif failure.check(ResponseDataLossError):
            yield FetchFailure(request.url, "response cut short")
        elif failure.check(DownloadCancelledError) and "download max size" in failure.getErrorMessage():
            yield FetchFailure(request.url, "larger than DOWNLOAD_MAXSIZE")
        elif failure.check(DownloadFailedError, ResponseFailed, ConnectionLost, ConnectionDone):
            # Closed or reset before an answer; Twisted's message is a list of Failure reprs.
            yield FetchFailure(request.url, "connection lost")
        else:
            yield FetchFailure(request.url, failure.getErrorMessage() or repr(failure.value))


def _redirected_home(response: Response) -> Optional[FetchFailure]:
    """A page asked for at another URL that redirected to the site's home page: how sites
    take an article down without a 404 (an unpublished post sent to the front page). It is
    reported as a failure of the URL asked for, which marks an article archived from it
    gone; a later fetch that finds the article clears that again."""
    asked = response.meta.get("redirect_urls") or []
    if not asked or not redirects_home(asked[0], response.url):
        return None
    reasons = response.meta.get("redirect_reasons") or []
    status = reasons[0] if reasons and isinstance(reasons[0], int) else 301
    return FetchFailure(asked[0], "redirects to the home page", status, gone=True)

