"""Conditional re-crawls: ask for an archived article only if it changed since our last fetch.

A request for a URL the archive already holds carries the ETag (If-None-Match)
and Last-Modified (If-Modified-Since) of that fetch. A server that sees nothing
new answers 304 with no body; the 304 is let through to the spider, which turns
it into a ``NotModified`` item, and the archive marks the article as seen.
"""
from __future__ import annotations

import logging
from typing import Optional
from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured
from scrapy.http import Request

from archive.lookups import validators, validators_by_fetched_url

logger = logging.getLogger(__name__)

# request.meta key: the archived article URL whose validators the request carries (the
# request's own URL, or the one the article is archived under where they differ).
ARTICLE_META = "newsarchive_conditional"
_HEADERS = (b"If-None-Match", b"If-Modified-Since")


class ConditionalRequestMiddleware:
    """Downloader middleware; off with ``-s NEWSARCHIVE_CONDITIONAL=False``, per request with
    ``meta={"dont_conditional": True}``."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.db_path: str = crawler.settings.get("ARCHIVE_DB")
        # Validators are read once per site per crawl: {"https://host/": {url: (etag, modified)}}.
        self._sites: dict[str, dict[str, tuple]] = {}

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("NEWSARCHIVE_CONDITIONAL", True):
            raise NotConfigured
        return cls(crawler)

    def _site_validators(self, url: str) -> dict[str, tuple]:
        """{url: (etag, last_modified, article url)} for the site of ``url``: by the articles'
        own URLs, and by the URLs their current versions were fetched at where those differ."""
        parts = urlsplit(url)
        prefix = f"{parts.scheme}://{parts.netloc}/"
        found = self._sites.get(prefix)
        if found is None:
            try:
                found = validators_by_fetched_url(self.db_path, prefix)
                found.update((article, (etag, modified, article))
                             for article, (etag, modified) in validators(self.db_path, prefix).items())
            except Exception as exc:  # noqa: BLE001 - a lookup must never stop a crawl
                # A bad archive is reported by the pipeline; here it only means full fetches.
                logger.debug("no validators from %s: %s", self.db_path, exc)
                found = {}
            self._sites[prefix] = found
        return found

    def process_request(self, request: Request) -> None:
        if request.meta.get(ARTICLE_META):
            # A redirect or retry copy: the validators belong to the URL they were looked up for.
            for name in _HEADERS:
                request.headers.pop(name, None)
            del request.meta[ARTICLE_META]
        if request.method not in ("GET", "HEAD") or request.meta.get("dont_conditional"):
            return None
        if any(name in request.headers for name in _HEADERS):
            return None  # the spider set its own
        found: Optional[tuple] = self._site_validators(request.url).get(request.url)
        if found is None:
            return None
        etag, last_modified, article = found
        if etag:
            request.headers[b"If-None-Match"] = etag
        if last_modified:
            request.headers[b"If-Modified-Since"] = last_modified
        request.meta[ARTICLE_META] = article
        # HttpErrorMiddleware would drop a 304 before the spider sees it.
        allowed = request.meta.get("handle_httpstatus_list")
        if allowed is None:
            allowed = getattr(self.crawler.spider, "handle_httpstatus_list", [])
        request.meta["handle_httpstatus_list"] = [*allowed, 304]
        self.crawler.stats.inc_value("newsarchive/conditional_requests")
        return None
