"""What every newsarchive spider shares: turning a response into an item, and failures into rows.

Spiders only find and follow pages; parsing is `scraper.extract`, storing is the pipelines.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Iterator, Optional

import scrapy
from scrapy.exceptions import (
    CannotResolveHostError, DownloadConnectionRefusedError, DownloadTimeoutError,
    ResponseDataLossError,
)
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (
    ConnectionRefusedError, DNSLookupError, TCPTimedOutError, TimeoutError,
)

from scraper.extract import Document, NotHTMLError, load_document, parse_document
from scraper.items import FetchedPage, FetchFailure


def _header(response: Response, name: str) -> Optional[str]:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


class ArticleSpider(scrapy.Spider):
    """Base class: subclasses decide which URLs to visit; this turns pages into items."""

    def page_items(self, response: Response) -> tuple[Optional[Document], list[Any]]:
        """Parse a response; return its document (None if not HTML) and the items it yields."""
        stats = self.crawler.stats
        stats.inc_value("newsarchive/pages")
        if not isinstance(response, TextResponse):
            stats.inc_value("newsarchive/non_html_pages")
            return None, []
        fetched_at = datetime.now(timezone.utc)
        content_type = _header(response, "Content-Type")
        try:
            doc = load_document(response.body, response.url, content_type=content_type,
                                fetched_at=fetched_at)
        except NotHTMLError as exc:
            stats.inc_value("newsarchive/non_html_pages")
            return None, [FetchFailure(response.url, f"not HTML: {exc}", response.status)]
        record = parse_document(doc)
        if not record.is_article:
            stats.inc_value("newsarchive/non_article_pages")
            return doc, []
        stats.inc_value("newsarchive/article_pages")
        return doc, [FetchedPage(
            record=record,
            url=response.url,
            http_status=response.status,
            fetched_at=fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            raw_html=response.body,
            content_type=content_type,
            etag=_header(response, "ETag"),
            last_modified=_header(response, "Last-Modified"),
        )]

    def on_error(self, failure) -> Iterator[FetchFailure]:
        """Errback: every request that fails for good becomes a failure row."""
        request = failure.request
        self.crawler.stats.inc_value("newsarchive/failures")
        if failure.check(HttpError):
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
        else:
            yield FetchFailure(request.url, failure.getErrorMessage() or repr(failure.value))
