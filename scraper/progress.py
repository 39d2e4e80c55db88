"""A progress line for long commands outside Scrapy (import-warc, reparse).

Like ``scraper.extensions.ProgressReporter``: redrawn in place on a terminal,
a plain line every few seconds when the output goes to a log.
"""
from __future__ import annotations

import time
from typing import TextIO


class ProgressLine:
    def __init__(self, stream: TextIO, interval: float = 0.2, log_interval: float = 10.0) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.interval = interval if self.tty else log_interval
        self.started = time.monotonic()
        # A log gets its first line after one interval: short runs need only the summary.
        self.last = float("-inf") if self.tty else self.started

    def update(self, text: str) -> None:
        now = time.monotonic()
        if now - self.last < self.interval:
            return  # redrawing for every record would cost more than the work
        self.last = now
        line = f"{now - self.started:6.1f}s  {text}"
        self.stream.write(f"\r\033[K{line}" if self.tty else line + "\n")
        self.stream.flush()

    def clear(self) -> None:
        if self.tty:
            self.stream.write("\r\033[K")
            self.stream.flush()
