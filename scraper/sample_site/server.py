"""A real, quiet, threaded HTTP server for the sample site on 127.0.0.1."""
from __future__ import annotations

import http.server
import os
import socket
import struct
import sys
import threading
import time
from datetime import datetime
from typing import Any, Callable, Optional, Union
from urllib.parse import unquote

from .site import SampleSite
from .traffic import Fault, Traffic, route_of
from .validators import etag_for, http_date, not_modified

# Feeds and sitemaps change whenever any article does.
_FEED_TYPES = ("application/xml", "text/xml", "application/rss+xml", "application/atom+xml",
               "application/x-gzip")


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Apache"
    timeout = 30  # idle keep-alive connections are closed after this many seconds

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass

    def _send(self, head_only: bool) -> None:
        srv = self.server
        self._started = srv.traffic.begin()
        try:
            self._answer(head_only)
        finally:
            srv.traffic.end()

    def send_response(self, code, message=None):
        if getattr(self, "_started", None) is not None:
            self.server.traffic.record(self._started, self.path, code, self.headers)
            self._started = None
        super().send_response(code, message)

    def _answer(self, head_only: bool) -> int:
        srv = self.server
        route = route_of(self.path)
        fault = srv.traffic.take_fault(route)
        if fault is not None:
            return self._send_fault(fault, head_only)
        override = srv.overrides.get(route)
        if override is not None:
            status, ctype, body, extra = 200, override[1], override[0], {}
        else:
            status, ctype, body, extra = srv.site.respond(self.path, srv.base_url)
        validators = {}
        if status == 200:
            validators["ETag"] = etag_for(body)
            modified = self._last_modified(route, ctype)
            if modified is not None:
                validators["Last-Modified"] = http_date(modified)
            if not_modified(self.headers, validators["ETag"], modified):
                self.send_response(304)
                for name, value in validators.items():
                    self.send_header(name, value)
                self.end_headers()
                return 304
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in {**extra, **validators}.items():
            self.send_header(name, value)
        if ctype.startswith("text/html") and status == 200:
            self.send_header("Link", f'<{srv.base_url}wp-json/>; rel="https://api.w.org/"')
        self.end_headers()
        if not head_only:
            self.wfile.write(body)
        return status

    def _last_modified(self, route: str, ctype: str) -> Optional[datetime]:
        """An article's modification time; for feeds and sitemaps, the newest one's."""
        catalog = self.server.site.catalog
        index = catalog.by_path.get(unquote(route))
        if index is not None:
            article = catalog.articles[index]
            return max(article.published, article.modified)
        if ctype.split(";")[0].strip() in _FEED_TYPES and catalog.articles:
            return max(max(a.published, a.modified) for a in catalog.articles)
        return None

    def _send_fault(self, fault: Fault, head_only: bool) -> int:
        srv = self.server
        if fault.kind in ("reset", "hang"):
            # No status line ever goes out: log the request as it arrives, with status 0.
            srv.traffic.record(self._started, self.path, 0, self.headers)
            self._started = None
            self.close_connection = True
            if fault.kind == "hang":
                time.sleep(float(fault.arg))
            else:  # SO_LINGER 0: closing sends a TCP RST instead of a FIN
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                os.close(self.connection.detach())
            return 0
        if fault.kind == "redirect":
            self.send_response(fault.status)
            self.send_header("Location", srv.base_url.rstrip("/") + fault.arg)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return fault.status
        if fault.kind in ("cut", "content_type", "pad"):
            status, ctype, body, _ = srv.site.respond(self.path, srv.base_url)
            if fault.kind == "content_type":
                ctype = fault.arg
            elif fault.kind == "pad":
                filler = max(0, int(fault.arg) - len(body) - 9)
                body = body.replace(b"</body>", b"<!-- " + b"x" * filler + b" --></body>", 1)
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if fault.kind == "cut":
                body = body[:len(body) // 2]
                self.close_connection = True
            if not head_only:
                self.wfile.write(body)
            return status
        body = f"Injected fault: HTTP {fault.status}\n".encode()
        self.send_response(fault.status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        retry_after = fault.retry_after_value()
        if retry_after is not None:
            self.send_header("Retry-After", retry_after)
        self.end_headers()
        if not head_only:
            self.wfile.write(body)
        return fault.status

    def do_GET(self):
        self._send(head_only=False)

    def do_HEAD(self):
        self._send(head_only=True)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        body = b"Comments cannot be posted to the sample site.\n"
        self.send_response(403 if self.path.startswith("/wp-comments-post.php") else 405)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _HTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 512

    def __init__(self, addr, site: SampleSite, traffic: Optional[Traffic] = None,
                 overrides: Optional[dict] = None):
        super().__init__(addr, _Handler)
        self.site = site
        self.traffic = traffic if traffic is not None else Traffic()
        self.overrides = overrides if overrides is not None else {}
        host, port = self.server_address[:2]
        self.base_url = f"http://{host}:{port}/"

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, socket.timeout, TimeoutError)):
            return  # clients hanging up are normal
        super().handle_error(request, client_address)


class SampleSiteServer:
    """Serve a :class:`SampleSite` over HTTP in a daemon thread.

    >>> with SampleSiteServer(SampleSite(articles=300)) as server:
    ...     server.url   # 'http://127.0.0.1:54321/'
    """

    def __init__(self, site: Optional[SampleSite] = None, host: str = "127.0.0.1", port: int = 0):
        self.site = site if site is not None else SampleSite()
        self.host = host
        self._requested_port = port
        self._httpd: Optional[_HTTPServer] = None
        self._thread: Optional[threading.Thread] = None
        # Every request is logged here; tests read it and inject faults through it.
        self.traffic = Traffic()
        self._overrides: dict[str, tuple[bytes, str]] = {}

    def inject(self, path: str, status: int = 503, times: Optional[int] = 1,
               retry_after: Union[int, float, str, datetime, Callable[[], str], None] = None,
               kind: str = "status", arg: Any = None) -> None:
        """Answer ``path`` with ``status`` (and ``Retry-After`` if given) ``times`` times, then normally.

        ``retry_after``: seconds, a datetime (sent as an HTTP date), or a callable giving the
        header's text when the fault is served (an HTTP date relative to that moment).
        ``times=None`` keeps the fault for good. ``kind`` and ``arg`` pick other faults:
        ``kind="reset"`` (connection closed with a TCP RST, no answer), ``"hang"`` (nothing
        for ``arg`` seconds, then the connection closes), ``"cut"`` (the page, half its
        Content-Length), ``"content_type"`` (the page under the Content-Type ``arg``),
        ``"redirect"`` (``status``, e.g. 302, to the path ``arg``), ``"pad"`` (the page grown to
        ``arg`` bytes by an HTML comment).
        """
        self.traffic.inject(path, status, times, retry_after, kind, arg)

    def override(self, path: str, body: Union[str, bytes], content_type: str = "text/plain; charset=utf-8") -> None:
        """Serve ``body`` at ``path`` instead of the site's page (e.g. a stricter robots.txt)."""
        data = body.encode("utf-8") if isinstance(body, str) else bytes(body)
        self._overrides[route_of(path)] = (data, content_type)

    @property
    def log(self):
        return self.traffic.hits()

    def requests(self, path: str, status: Optional[int] = None) -> int:
        """How many requests reached ``path`` (a path or URL), optionally only those answered ``status``."""
        return self.traffic.count(path, status)

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the server is not running")
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("the server is not running")
        return self._httpd.base_url

    def start(self) -> "SampleSiteServer":
        if self._httpd is not None:
            return self
        self._httpd = _HTTPServer((self.host, self._requested_port), self.site,
                                  self.traffic, self._overrides)
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                        name=f"sample-site:{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> "SampleSiteServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def serve_forever(port: int = 8642, articles: int = 320, *, host: str = "127.0.0.1", seed: int = 2025) -> None:
    """Serve the sample site in the foreground until Ctrl-C."""
    site = SampleSite(articles=articles, seed=seed)
    httpd = _HTTPServer((host, port), site, Traffic(keep_log=False))
    print(f"Serving the sample news site ({articles} articles) at {httpd.base_url}", flush=True)
    print("Press Ctrl-C to stop.", flush=True)
    try:
        httpd.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
