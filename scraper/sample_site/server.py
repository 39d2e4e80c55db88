"""A real, quiet, threaded HTTP server for the sample site on 127.0.0.1."""
from __future__ import annotations

import http.server
import socket
import sys
import threading
from typing import Optional

from .site import SampleSite


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
        status, ctype, body, extra = srv.site.respond(self.path, srv.base_url)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra.items():
            self.send_header(name, value)
        if ctype.startswith("text/html") and status == 200:
            self.send_header("Link", f'<{srv.base_url}wp-json/>; rel="https://api.w.org/"')
        self.end_headers()
        if not head_only:
            self.wfile.write(body)

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

    def __init__(self, addr, site: SampleSite):
        super().__init__(addr, _Handler)
        self.site = site
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
        self._httpd = _HTTPServer((self.host, self._requested_port), self.site)
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
    httpd = _HTTPServer((host, port), site)
    print(f"Serving the sample news site ({articles} articles) at {httpd.base_url}", flush=True)
    print("Press Ctrl-C to stop.", flush=True)
    try:
        httpd.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
