"""Shared fixtures: real HTTP servers on 127.0.0.1 and a way to run the CLI as a user would."""
from __future__ import annotations

import contextlib
import functools
import html
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = Path(__file__).resolve().parent / "pages"

# Crawling our own loopback server needs no politeness delays.
LOOPBACK = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0",
            "-s", "CONCURRENT_REQUESTS=32", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=32"]


def run_cli(*args: str, cwd=None, timeout: float = 300, env=None) -> subprocess.CompletedProcess:
    """Run `newsarchive ARGS` in a fresh process (Scrapy's reactor runs once per process), with
    ``env`` added to the environment. Output bytes that are not UTF-8 (a file name printed as it
    is) come back as lone surrogates, as Python names such a file: ``str(path) in result.stdout``."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.run([sys.executable, "-m", "scraper.cli", *args], cwd=cwd or ROOT, env=env,
                          capture_output=True, text=True, errors="surrogateescape", timeout=timeout)


def assert_one_clean_line(result, *fragments):
    """The command said what went wrong in exactly one `newsarchive:` line on stderr, no traceback."""
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("newsarchive:")]
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.fixture(scope="session")
def sample_site():
    from scraper.sample_site import SampleSite

    return SampleSite()


@pytest.fixture(scope="session")
def sample_server(sample_site):
    from scraper.sample_site import SampleSiteServer

    with SampleSiteServer(sample_site) as server:
        yield server


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class SiteHandler(http.server.BaseHTTPRequestHandler):
    """A quiet handler for the small sites tests write: ``_send`` answers with a body and headers."""

    def log_message(self, *args):
        pass

    def _send(self, status, body, ctype="text/html; charset=utf-8", **headers):
        """Answer ``status`` with ``body``; ``headers`` by name, ``etag="..."`` as ETag (None: left out)."""
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for name, value in headers.items():
            if value is not None:
                self.send_header("ETag" if name == "etag" else name.replace("_", "-").title(), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class FrontPageSite(SiteHandler):
    """A news site's pages: a robots.txt that allows all, a front page linking each of
    ``front_page()`` ((path, headline) pairs) under ``name``, and each ``article(path)`` (the
    page's bytes; None: 404). ``base`` is the site's URL once served (serving_site)."""
    base = ""
    name = "News"

    def front_page(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    def article(self, path: str):
        raise NotImplementedError

    def do_GET(self):
        path = self.path.split("?")[0]
        if path == "/robots.txt":
            return self._send(200, b"User-agent: *\nAllow: /\n", "text/plain")
        if path == "/":
            links = "".join(f'<h2><a href="{self.base}{link}">{html.escape(headline)}</a></h2>'
                            for link, headline in self.front_page())
            return self._send(200, f'<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(self.name)}'
                                   f'</title></head><body class="home blog">{links}</body></html>'.encode())
        page = self.article(path)
        if page is None:
            return self._send(404, b"<html><body>Not found</body></html>")
        return self._send(200, page)


def article_page(base: str, article: tuple, title=None) -> bytes:
    """A WordPress-like article page for ``article``: (path, headline, byline, published, paragraphs,
    takeaways), its language the path's first two letters (/ja/...); ``title`` replaces the headline."""
    path, headline, author, published, paragraphs, takeaways = article
    title = html.escape(title or headline)
    text = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    if takeaways:
        items = "".join(f"<li>{html.escape(t)}</li>" for t in takeaways)
        text += f'<div class="key-takeaways"><h3>Key Takeaways</h3><ul>{items}</ul></div>'
    return (f'<!doctype html><html lang="{path[1:3]}"><head><meta charset="utf-8"><title>{title}</title>'
            f'<link rel="canonical" href="{base}{path}"><meta property="og:type" content="article">'
            f'<meta property="article:published_time" content="{published}"></head>'
            f'<body class="single single-post"><article class="post hentry"><h1 class="entry-title">{title}</h1>'
            f'<span class="author"><a rel="author" href="/author/">{html.escape(author)}</a></span>'
            f'<div class="entry-content">{text}</div></article></body></html>').encode()


def stored_one_by_one_and_in_bulk(source: Path, directory: Path, batch: int) -> tuple[Path, Path]:
    """Every article of the archive ``source`` stored again into two new archives in ``directory``:
    one with ArchiveStore.store, one by archive.bulk in batches of ``batch``; their paths."""
    from archive import ArchiveStore
    from archive.bulk import bulk_store_new

    with ArchiveStore(source) as archive:
        records = [(archive.get_article(url), archive.raw_html(url))
                   for (url,) in archive.db.execute("SELECT url FROM articles ORDER BY id")]
    one_by_one, bulk = directory / "store.db", directory / "bulk.db"
    with ArchiveStore(one_by_one) as store:
        for record, page in records:
            store.store(record, raw_html=page, fetched_at="2025-11-01T08:00:00Z")
    with ArchiveStore(bulk) as store:
        bulk_store_new(store.db, records, fetched_at="2025-11-01T08:00:00Z", batch=batch)
    return one_by_one, bulk


@contextlib.contextmanager
def serving(handler):
    """``handler`` served on a free port of 127.0.0.1 while the block runs; yields the base URL
    (no trailing slash)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def serving_site(handler, **attributes):
    """A subclass of ``handler`` with class ``attributes`` (the night or edition a test moves on
    as it goes), served by ``serving``; yields the class, its ``base`` the site's URL."""
    site = type("Site", (handler,), attributes)
    with serving(site) as base:
        site.base = base
        yield site


def articles_line(result) -> str:
    """The `articles  new N, changed N, unchanged N ...` line of a crawl's summary; the crawl succeeded."""
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    (line,) = [line.strip() for line in result.stdout.splitlines() if line.strip().startswith("articles ")]
    return line


@pytest.fixture
def static_server(tmp_path):
    """Serve a folder of files over HTTP on 127.0.0.1; yields (folder, base URL)."""
    folder = tmp_path / "site"
    folder.mkdir()
    with serving(functools.partial(_QuietHandler, directory=str(folder))) as base:
        yield folder, base + "/"
