"""What tests need to see and steer on the sample server: a request log and injected faults.

``server.inject("/path/", status=503, times=2, retry_after=1)`` answers that path
with 503 (and ``Retry-After: 1``) twice before serving it normally;
``server.log`` records every request (time, path, status, selected headers).
Other kinds of fault (``kind=``): "reset" (close the connection without an answer),
"hang" (answer nothing for ``arg`` seconds), "cut" (a body cut short of its Content-Length),
"content_type" (the page under the Content-Type ``arg``), "redirect" (``status`` to the path
``arg``), "pad" (the page grown to ``arg`` bytes with a comment). ``times=None``: for good.
Answers that never got a status line are logged with status 0.
"""
from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Optional, Union
from urllib.parse import urlsplit

from .validators import http_date

# Request headers worth keeping in the log (politeness and conditional-request tests).
LOGGED_HEADERS = ("User-Agent", "If-None-Match", "If-Modified-Since")
FAULT_KINDS = ("status", "reset", "hang", "cut", "content_type", "redirect", "pad")


def route_of(path_or_url: str) -> str:
    """The path part of a request target or URL ("/a/?x=1" and "http://h/a/" give "/a/")."""
    return urlsplit(path_or_url).path or "/"


@dataclass(frozen=True)
class Hit:
    at: float                 # time.monotonic() when the request arrived
    path: str                 # path without the query string
    target: str               # the request target as sent (with query)
    status: int
    headers: dict = field(hash=False)


@dataclass
class Fault:
    status: int
    remaining: Optional[int]                            # None: the fault never runs out
    retry_after: Union[str, Callable[[], str], None]   # a callable is asked at answer time
    kind: str = "status"                                # one of FAULT_KINDS
    arg: Any = None                                     # the kind's parameter (see the module doc)

    def retry_after_value(self) -> Optional[str]:
        return self.retry_after() if callable(self.retry_after) else self.retry_after


class Traffic:
    """Thread-safe request log, per-path fault queue and concurrency gauge."""

    def __init__(self, keep_log: bool = True) -> None:
        self.keep_log = keep_log  # off for a long-running server: the log would only grow
        self._lock = threading.Lock()
        self.log: list[Hit] = []
        self._faults: dict[str, list[Fault]] = {}
        self._in_flight = 0
        self.max_in_flight = 0

    # -- faults ------------------------------------------------------------------
    def inject(self, path: str, status: int = 503, times: Optional[int] = 1,
               retry_after: Union[int, float, str, datetime, Callable[[], str], None] = None,
               kind: str = "status", arg: Any = None) -> None:
        if not 100 <= int(status) <= 599 or (times is not None and times < 1):
            raise ValueError(f"inject() needs an HTTP status and times >= 1, got {status}, {times}")
        if kind not in FAULT_KINDS:
            raise ValueError(f"inject() knows the fault kinds {FAULT_KINDS}, not {kind!r}")
        if isinstance(retry_after, datetime):
            retry_after = http_date(retry_after)
        elif isinstance(retry_after, (int, float)):
            retry_after = str(int(retry_after)) if float(retry_after).is_integer() else str(retry_after)
        with self._lock:
            self._faults.setdefault(route_of(path), []).append(
                Fault(int(status), None if times is None else int(times), retry_after, kind, arg))

    def take_fault(self, path: str) -> Optional[Fault]:
        """The fault to answer this request with, if one is pending (and use it up)."""
        with self._lock:
            queue = self._faults.get(path)
            if not queue:
                return None
            fault = queue[0]
            if fault.remaining is not None:
                fault.remaining -= 1
                if fault.remaining <= 0:
                    queue.pop(0)
            return fault

    # -- log ---------------------------------------------------------------------
    def begin(self) -> float:
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
        return time.monotonic()

    def record(self, at: float, target: str, status: int, headers) -> None:
        """Log a request once its status is known, before the answer goes out (so a client
        that has its answer always finds it in the log)."""
        if not self.keep_log:
            return
        kept = {name: headers[name] for name in LOGGED_HEADERS if headers.get(name) is not None}
        with self._lock:
            self.log.append(Hit(at, route_of(target), target, status, kept))

    def end(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def hits(self, path: Optional[str] = None) -> list[Hit]:
        with self._lock:
            log = list(self.log)
        return log if path is None else [h for h in log if h.path == route_of(path)]

    def count(self, path: str, status: Optional[int] = None) -> int:
        return sum(1 for h in self.hits(path) if status is None or h.status == status)

    def counts(self, status: Optional[int] = None) -> Counter:
        return Counter(h.path for h in self.hits() if status is None or h.status == status)

    def reset(self) -> None:
        with self._lock:
            self.log.clear()
            self._faults.clear()
            self.max_in_flight = self._in_flight
