"""The urls spider: (re-)fetch a list of article URLs from a file.

    scrapy crawl urls -a urls_file=articles.txt

One URL a line; blank lines and lines starting with ``#`` are ignored, as is
anything after `` #`` on a line. A line that is not an http(s) URL is reported
with its line number (a warning, counted in ``newsarchive/bad_url_lines``) and
the rest are still crawled; so is one that urllib or Scrapy refuses
(``http://[object Object]/``, ``http://[::1/``, a port over 65535). Takes the scope options of spiders/scope.py.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Optional

import scrapy

from scraper.hosts import normalized_url, split_url
from scraper.items import FetchFailure

from .base import ArticleSpider
from .scope import Scope

_INLINE_COMMENT = re.compile(r"\s+#.*$")


def read_urls_file(path: str) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """``(urls, junk)``: each a list of ``(line number, text)``; raises OSError if unreadable."""
    urls, junk = [], []
    with open(path, encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, start=1):
            text = _INLINE_COMMENT.sub("", line.strip())
            if not text or text.startswith("#"):
                continue
            if _is_http_url(text):
                urls.append((number, text))
            else:
                junk.append((number, text))
    return urls, junk


def _is_http_url(text: str) -> bool:
    """An http(s) URL with a host that urllib and Scrapy both accept (split_url refuses a bad
    port or a host in broken brackets, which make them raise ValueError)."""
    parts = split_url(text)
    if parts is None or parts.scheme not in ("http", "https") or any(c.isspace() for c in text):
        return False
    return bool(parts.hostname)


class UrlsSpider(ArticleSpider):
    name = "urls"

    def __init__(self, urls_file: Optional[str] = None, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("start_url", None)  # run_crawl's positional argument is the file itself
        scope = Scope.pop_from(kwargs)
        super().__init__(*args, **kwargs)
        if not urls_file:
            raise ValueError("the urls spider needs a file of URLs: -a urls_file=articles.txt")
        self.urls_file = urls_file
        self.scope = scope
        if scope.allowed_domains:
            self.allowed_domains = scope.allowed_domains

    async def start(self) -> Any:
        stats = self.crawler.stats
        try:
            urls, junk = read_urls_file(self.urls_file)
        except OSError as exc:
            # Reported like an unreachable site: nothing fetched, one clear reason.
            self.logger.error("cannot read the URLs file %s: %s", self.urls_file, exc.strerror or exc)
            stats.inc_value("newsarchive/failures")
            yield FetchFailure(str(Path(self.urls_file)), f"cannot read the URLs file: {exc.strerror or exc}")
            return
        name = Path(self.urls_file).name
        for number, text in junk:
            self.logger.warning("%s line %d: not an http(s) URL, skipped: %r", name, number, text[:200])
            stats.inc_value("newsarchive/bad_url_lines")
        stats.set_value("newsarchive/url_lines", len(urls))
        for number, url in urls:
            if not self.scope.may_archive(url):
                stats.inc_value("newsarchive/out_of_scope")
                continue
            try:  # in one spelling (no :80, an ASCII host), as links and entries are
                request = scrapy.Request(normalized_url(url), callback=self.parse_page, errback=self.on_error)
            except ValueError as exc:  # what urllib let through and Scrapy still refuses
                self.logger.warning("%s line %d: not a URL Scrapy can fetch, skipped: %r (%s)",
                                    name, number, url[:200], exc)
                stats.inc_value("newsarchive/bad_url_lines")
                continue
            yield request
