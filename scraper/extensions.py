"""A Scrapy extension that shows crawl progress on stderr while a crawl runs."""
from __future__ import annotations

import sys
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task


class ProgressReporter:
    """One status line, redrawn in place on a terminal, or a line every N seconds in a log."""

    def __init__(self, crawler, interval: float, stream) -> None:
        self.crawler = crawler
        self.stream = stream
        self.tty = stream.isatty()
        self.interval = interval if self.tty else max(interval, 10.0)
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.report)

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("NEWSARCHIVE_PROGRESS"):
            raise NotConfigured
        ext = cls(crawler, crawler.settings.getfloat("NEWSARCHIVE_PROGRESS_INTERVAL", 0.5), sys.stderr)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider=None) -> None:
        self.loop.start(self.interval, now=False)

    def spider_closed(self, spider=None) -> None:
        if self.loop.running:
            self.loop.stop()
        if self.tty:
            self.stream.write("\r\033[K")
            self.stream.flush()

    def report(self) -> None:
        get = self.crawler.stats.get_value
        line = (
            f"{time.monotonic() - self.started:6.1f}s  pages {get('newsarchive/pages', 0)}"
            f"  articles new {get('newsarchive/articles_new', 0)}"
            f" changed {get('newsarchive/articles_changed', 0)}"
            f" unchanged {get('newsarchive/articles_unchanged', 0)}"
            f"  errors {get('newsarchive/failures', 0)}"
        )
        self.stream.write(f"\r\033[K{line}" if self.tty else line + "\n")
        self.stream.flush()
