"""`newsarchive demo`: serve the bundled sample site on loopback, crawl it, show the archive."""
from __future__ import annotations

import errno
import os
from typing import Callable, Optional

from archive import ArchiveStore

from .crawl import CrawlSummary, run_crawl

DEMO_PORT = 8642
DEMO_QUERY = "NATO"


class DemoError(Exception):
    """The demo cannot serve its site where a re-run would re-crawl it."""


# Our own server on loopback: no politeness delays needed.
LOOPBACK_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
}


def _earlier_demo_port(db_path: str) -> Optional[int]:
    """The port of the last demo crawl in the archive whose articles it holds, or None."""
    from archive import ArchiveError
    from archive.readonly import reading_archive

    if not os.path.isfile(db_path) or os.path.getsize(db_path) == 0:
        return None
    try:
        with reading_archive(db_path) as db:
            for (start_url,) in db.execute(
                    "SELECT start_url FROM crawls WHERE spider = 'news' AND start_url LIKE 'http://127.0.0.1:%/'"
                    " ORDER BY id DESC LIMIT 1"):
                # the URLs that start with start_url, as a range: the byte after "/" is "0"
                if db.execute("SELECT 1 FROM articles WHERE url >= ? AND url < ? LIMIT 1",
                              [start_url, start_url[:-1] + "0"]).fetchone():
                    return int(start_url.rsplit(":", 1)[1].rstrip("/"))
    except (ArchiveError, ValueError):
        pass  # run_crawl refuses a bad archive with the reason
    return None


def _start_server(site, port: Optional[int], db_path: str, out: Callable[[str], None]):
    """The sample site served where the archive's last demo found it, so that a re-run
    re-crawls the same URLs (the port is part of every URL); else on ``port`` (default
    DEMO_PORT; 0: any free port). If that port is taken: another one when the archive holds
    no earlier demo (said so), else DemoError, since on another port every URL is new and
    the whole site would be archived a second time."""
    from .sample_site import SampleSiteServer

    earlier = _earlier_demo_port(db_path) if port is None else None
    wanted = earlier or (DEMO_PORT if port is None else port)
    try:
        return SampleSiteServer(site, port=wanted).start()
    except OSError as exc:
        if wanted == 0 or exc.errno != errno.EADDRINUSE:
            raise
    if earlier or _earlier_demo_port(db_path) == wanted:
        raise DemoError(
            f"port {wanted} on 127.0.0.1 is in use (another demo or sample-site?), and {db_path} holds "
            f"the sample site as served on it: stop what uses the port and run the demo again (on "
            f"another port every URL would be new, and the whole site would be archived a second time)")
    server = SampleSiteServer(site, port=0).start()
    out(f"Port {wanted} is in use, so the sample site is served on port {server.port} instead "
        f"(the next run serves it there again).")
    return server


def run_demo(db_path: str = "archive.db", *, articles: int = 320, port: Optional[int] = None,
             out: Callable[[str], None] = print, progress: bool = True) -> CrawlSummary:
    from .sample_site import SampleSite

    site = SampleSite(articles=articles)
    server = _start_server(site, port, db_path, out)
    with server:
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
