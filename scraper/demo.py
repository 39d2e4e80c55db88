"""`newsarchive demo`: serve the bundled sample site on loopback, crawl it, show the archive."""
from __future__ import annotations

import socket
from typing import Callable

from archive import ArchiveStore

from .crawl import CrawlSummary, run_crawl

DEMO_PORT = 8642
DEMO_QUERY = "NATO"

# Our own server on loopback: no politeness delays needed.
LOOPBACK_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
}


def free_port(preferred: int) -> int:
    """``preferred`` if it is free on 127.0.0.1 (so re-runs keep the same URLs), else any free port."""
    for port in (preferred, 0):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise OSError("no free port on 127.0.0.1")


def run_demo(db_path: str = "archive.db", *, articles: int = 320, port: int = DEMO_PORT,
             out: Callable[[str], None] = print, progress: bool = True) -> CrawlSummary:
    from .sample_site import SampleSite, SampleSiteServer

    site = SampleSite(articles=articles)
    with SampleSiteServer(site, port=free_port(port)) as server:
        out(f"Serving the sample news site ({articles} articles) at {server.url}")
        out(f"Crawling it with the 'news' spider into {db_path} ...")
        summary = run_crawl(server.url, db_path, settings=LOOPBACK_SETTINGS, progress=progress)
    for line in summary.lines():
        out(line)
    if summary.crawl_id is None:
        return summary
    with ArchiveStore(db_path) as store:
        counts = store.counts()
        out(f"\nThe archive now holds {_count(counts['articles'], 'article')} in"
            f" {_count(counts['versions'], 'version')} from {_count(counts['crawls'], 'crawl')}.")
        out("\nNewest articles:")
        for row in store.latest(limit=5):
            date = (row.get("published_at") or "")[:10]
            out(f"  {date}  {row['title']}")
        hits = store.search(DEMO_QUERY, limit=3)
        out(f"\nFull-text search for {DEMO_QUERY!r}: top {len(hits)} results")
        for hit in hits:
            out(f"  {hit['title']}\n      {hit['snippet']}")
    out(f"\nRun it again and the re-crawl adds nothing new. Open the archive with: sqlite3 {db_path}")
    return summary


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
