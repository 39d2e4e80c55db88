"""Conditional re-crawls: ask for an archived article only if it changed since our last fetch.

A request for a URL the archive already holds carries the ETag (If-None-Match)
and Last-Modified (If-Modified-Since) of that fetch. A server that sees nothing
new answers 304 with no body; the 304 is let through to the spider, which turns
it into a ``NotModified`` item, and the archive marks the article as seen. A story split over
pages is the exception: its validators are its first page's, and a 304 says nothing of pages
2, 3..., so the request says so (LATER_PAGES_META) and the spider fetches those pages anyway.
"""
from __future__ import annotations

import logging
from typing import Optional
from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured
from scrapy.http import Request

from archive.identity import spellings
from archive.lookups import site_validators

logger = logging.getLogger(__name__)

# request.meta key: the archived article URL whose validators the request carries (the
# request's own URL, or the one the article is archived under where they differ).
ARTICLE_META = "newsarchive_conditional"
# request.meta key: set when that article's current version has later pages (a story split over
# pages): a 304 to the request covers its first page only.
LATER_PAGES_META = "newsarchive_later_pages"
_HEADERS = (b"If-None-Match", b"If-Modified-Since")


class ConditionalRequestMiddleware:
    """Downloader middleware; off with ``-s NEWSARCHIVE_CONDITIONAL=False``, per request with
    ``meta={"dont_conditional": True}``."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.db_path: str = crawler.settings.get("ARCHIVE_DB")
        # Validators are read once per site per crawl, for each spelling of its address:
        # {"https://host/": {url: (etag, modified, article url, has later pages)}}.
        self._sites: dict[str, dict[str, tuple]] = {}
        # {"https://host/": ["https://host/", "http://host/", "https://www.host/", ...]}
        self._spellings: dict[str, list[str]] = {}

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("NEWSARCHIVE_CONDITIONAL", True):
            raise NotConfigured
        return cls(crawler)

    def _validators(self, url: str) -> Optional[tuple]:
        """(etag, last_modified, article url, has later pages) of the archived article at ``url``, found under
        any spelling of its site's address: the other scheme, with or without ``www.`` (a site
        that moved to https has its articles archived under http://). The request's own
        spelling wins."""
        parts = urlsplit(url)
        prefix = f"{parts.scheme}://{parts.netloc}/"
        names = self._spellings.get(prefix)
        if names is None:
            names = self._spellings[prefix] = spellings(prefix) if url.startswith(prefix) else [prefix]
            self._load(names)
        if len(names) == 1:
            return self._sites[prefix].get(url)
        rest = url[len(prefix):]
        for name in names:
            found = self._sites[name].get(name + rest)
            if found is not None:
                return found
        return None

    def _load(self, names: list[str]) -> None:
        """Read the validators under each of ``names`` not read yet in this crawl: by the
        articles' own URLs, and by the URLs their current versions were fetched at where those
        differ."""
        missing = [name for name in names if name not in self._sites]
        if not missing:
            return
        try:
            self._sites.update(site_validators(self.db_path, missing))
        except Exception as exc:  # noqa: BLE001 - a lookup must never stop a crawl
            # A bad archive is reported by the pipeline; here it only means full fetches.
            logger.debug("no validators from %s: %s", self.db_path, exc)
            self._sites.update((name, {}) for name in missing)

    def process_request(self, request: Request) -> None:
        if request.meta.get(ARTICLE_META):
            # A redirect or retry copy: the validators belong to the URL they were looked up for.
            for name in _HEADERS:
                request.headers.pop(name, None)
            del request.meta[ARTICLE_META]
            request.meta.pop(LATER_PAGES_META, None)
        if request.method not in ("GET", "HEAD") or request.meta.get("dont_conditional"):
            return None
        if any(name in request.headers for name in _HEADERS):
            return None  # the spider set its own
        found: Optional[tuple] = self._validators(request.url)
        if found is None:
            return None
        etag, last_modified, article, has_later_pages = found
        if etag:
            request.headers[b"If-None-Match"] = etag
        if last_modified:
            request.headers[b"If-Modified-Since"] = last_modified
        request.meta[ARTICLE_META] = article
        if has_later_pages:
            request.meta[LATER_PAGES_META] = True
        # HttpErrorMiddleware would drop a 304 before the spider sees it.
        allowed = request.meta.get("handle_httpstatus_list")
        if allowed is None:
            allowed = getattr(self.crawler.spider, "handle_httpstatus_list", [])
        request.meta["handle_httpstatus_list"] = [*allowed, 304]
        self.crawler.stats.inc_value("newsarchive/conditional_requests")
        return None
