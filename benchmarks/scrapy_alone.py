"""Scrapy's own ceiling on a site: the news crawl with the parsing and the storing taken out.

    python benchmarks/scrapy_alone.py http://127.0.0.1:8642/ [--urls-out FILE] [-s NAME=VALUE ...]

The spider follows the links the news spider follows (the same filtering, with the
same settings, middlewares and scheduler order) but finds them with a regular
expression instead of parsing the page, builds no record and stores nothing (no
item pipelines). What is left is Scrapy's per-page work: scheduling, downloading,
the middlewares and the callback machinery. Prints one JSON line: pages fetched,
seconds, CPU seconds and peak RSS of this process. ``--urls-out`` writes the URLs
it fetched, one a line, for ``raw_http.py`` to fetch again without Scrapy.
"""
from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import tempfile
import time
from html import unescape
from pathlib import Path
from typing import Any, Iterator, Optional
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import scrapy  # noqa: E402

from spiders.news import NewsSpider  # noqa: E402

from crawl import own_peak_rss_mb  # noqa: E402  (benchmarks/crawl.py, beside this file)

# The loopback settings of benchmarks/crawl.py (as `-s` pairs there).
LOOPBACK = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0,
            "CONCURRENT_REQUESTS": 32, "CONCURRENT_REQUESTS_PER_DOMAIN": 32}
_HREF = re.compile(rb"""<a\s[^>]*?href\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_ABSOLUTE = re.compile(r"https?://[^/?#\s]", re.I)


def _hrefs(body: bytes) -> Iterator[str]:
    for match in _HREF.finditer(body):
        raw = match.group(1) if match.group(1) is not None else match.group(2)
        yield unescape(raw.decode("utf-8", "replace"))


def _absolute(base: str):
    def absolute(href: str) -> Optional[str]:
        # What Document.absolute does, without a parsed document (no <base href>).
        href = " ".join(href.split())
        if not href:
            return None
        if _ABSOLUTE.match(href):
            return href
        joined = urljoin(base, href)
        return joined if joined.split(":", 1)[0].lower() in ("http", "https") else None
    return absolute


class ScrapyAloneSpider(NewsSpider):
    """The news spider's crawl, no parse, no store."""

    name = "scrapy_alone"

    def __init__(self, *args: Any, urls_out: Optional[str] = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._urls_out = open(urls_out, "w", encoding="utf-8") if urls_out else None

    def parse(self, response: Any) -> Iterator[Any]:
        self.crawler.stats.inc_value("newsarchive/pages")
        if self._urls_out is not None:
            self._urls_out.write(response.url + "\n")
        for url in self.follow_hrefs(_hrefs(response.body), _absolute(response.url)):
            yield scrapy.Request(url, callback=self.parse, errback=self.on_error)

    def closed(self, reason: str) -> None:
        if self._urls_out is not None:
            self._urls_out.close()


def _settings_pairs(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        out[name] = value
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--urls-out", help="write the fetched URLs here, one a line")
    parser.add_argument("-s", dest="set", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args(argv)

    from scrapy.crawler import CrawlerProcess

    from scraper.crawl import build_settings

    with tempfile.TemporaryDirectory() as tmp:
        # ARCHIVE_DB is only read by the conditional-request middleware: a fresh crawl's empty lookup.
        overrides = {**LOOPBACK, "ITEM_PIPELINES": {}, **_settings_pairs(args.set)}
        settings = build_settings(str(Path(tmp) / "none.db"), overrides, log_level="WARNING")
        process = CrawlerProcess(settings)
        crawler = process.create_crawler(ScrapyAloneSpider)
        before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.monotonic()
        process.crawl(crawler, start_url=args.url, urls_out=args.urls_out)
        process.start()
        seconds = time.monotonic() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    stats = crawler.stats.get_stats()
    print(json.dumps({"pages": stats.get("newsarchive/pages", 0), "seconds": seconds,
                      # from the crawl's start: the imports before it are no per-page cost
                      "cpu_seconds": usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime,
                      # VmHWM, not ru_maxrss: that counts the parent's memory before exec()
                      "peak_rss_mb": own_peak_rss_mb("self"),
                      "failures": stats.get("newsarchive/failures", 0)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
