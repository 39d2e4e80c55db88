"""The recursive spider: start at a site's home page and follow its own links."""
from __future__ import annotations

import re
from typing import Any, Iterator, Optional
from urllib.parse import urlsplit

import scrapy
from lxml import etree
from w3lib.url import canonicalize_url

from .base import ArticleSpider

# Links that never lead to an article page: admin, feeds, comment actions,
# search, share buttons, and files.
_SKIP_PATH = re.compile(
    r"/(wp-admin|wp-login\.php|wp-json|xmlrpc\.php|wp-comments-post\.php|feed|comments/feed|"
    r"wp-content|wp-includes|cdn-cgi)(/|$)|"
    r"\.(jpe?g|png|gif|webp|svg|ico|pdf|zip|gz|mp3|mp4|mov|avi|css|js|json|xml|txt|rss|atom)$",
    re.IGNORECASE,
)
_SKIP_QUERY = re.compile(r"(^|&)(replytocom|share|s|amp|print|like_comment|unapproved)=", re.IGNORECASE)
_HREFS = etree.XPath("//a[@href]/@href")


class NewsSpider(ArticleSpider):
    """`scrapy crawl news -a start_url=https://example.com/`"""

    name = "news"

    def __init__(self, start_url: Optional[str] = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not start_url:
            raise ValueError("the news spider needs a start URL: -a start_url=https://example.com/")
        parts = urlsplit(start_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {start_url!r}")
        self.start_url = start_url
        self.site_netloc = parts.netloc.lower()
        self.allowed_domains = [parts.hostname]

    async def start(self) -> Any:
        yield scrapy.Request(self.start_url, callback=self.parse, errback=self.on_error)

    def parse(self, response: Any) -> Iterator[Any]:
        doc, items = self.page_items(response)
        yield from items
        if doc is None:
            return
        for url in self.links_to_follow(doc):
            yield scrapy.Request(url, callback=self.parse, errback=self.on_error)

    def links_to_follow(self, doc) -> Iterator[str]:
        seen: set[str] = set()
        for href in _HREFS(doc.root):
            url = doc.absolute(href)
            if not url:
                continue
            parts = urlsplit(url)
            if parts.netloc.lower() != self.site_netloc:
                continue
            if _SKIP_PATH.search(parts.path) or _SKIP_QUERY.search(parts.query):
                continue
            url = canonicalize_url(url)
            if url not in seen:
                seen.add(url)
                yield url
