"""End-to-end crawl: pages per second (fetch, parse, store) and peak memory against crawl size.

    python benchmarks/crawl.py [--sizes 1000,10000]

For each size, the bundled sample site is served with that many articles by
`newsarchive sample-site` in its own process, and `newsarchive crawl` archives it
into a fresh file in another process, with the loopback settings the demo uses.
Printed per size: wall time, article pages per second, the same pages' parse time
alone (parse_article in one process, no network, no store), and the crawler's
peak resident memory. Memory should stay flat as the site grows.
"""
from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LOOPBACK = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0",
            "-s", "CONCURRENT_REQUESTS=32", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=32"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_serving(url: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url + "robots.txt", timeout=5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "scraper.cli", *args]


def crawl_once(articles: int) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen(_cli("sample-site", "--port", str(port), "--articles", str(articles)),
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_until_serving(url)
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "bench.db"
            started = time.monotonic()
            crawler = subprocess.Popen(_cli("crawl", url, "--db", str(db), "-q", *LOOPBACK),
                                       env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            _, status, usage = os.wait4(crawler.pid, 0)
            elapsed = time.monotonic() - started
            output = crawler.stdout.read()
            if os.waitstatus_to_exitcode(status) != 0:
                raise RuntimeError(f"crawl failed: {crawler.stderr.read()[-2000:]}")
            archived = _archived(db)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"articles": articles, "archived": archived, "seconds": elapsed,
            "peak_rss_mb": usage.ru_maxrss / 1024, "summary": output}


def _archived(db: Path) -> int:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]


def parse_alone_seconds(articles: int) -> float:
    """The same article pages parsed in this process: the part of the crawl that is extraction."""
    from scraper.extract import parse_article
    from scraper.sample_site import SampleSite

    base = "http://127.0.0.1:8642/"
    site = SampleSite(articles=articles)
    total = 0.0
    for truth in site.ground_truth(base):
        body = site.render(truth["url"][len(base) - 1:], base)[2]
        start = time.perf_counter()
        parse_article(body, url=truth["url"])
        total += time.perf_counter() - start
    return total


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000",
                        help="comma-separated site sizes in articles (default 1000,10000)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print(f"  {'articles':>8s} {'crawl s':>8s} {'pages/s':>8s} {'parse-only s':>13s} {'peak RSS MB':>12s}")
    results = []
    for size in sizes:
        result = crawl_once(size)
        parse_s = parse_alone_seconds(size)
        results.append(result)
        rate = result["archived"] / result["seconds"]
        print(f"  {size:8d} {result['seconds']:8.1f} {rate:8.0f} {parse_s:13.1f} {result['peak_rss_mb']:12.0f}"
              + ("" if result["archived"] == size else f"   (archived {result['archived']} of {size}!)"))
    if len(results) > 1:
        first, last = results[0], results[-1]
        print(f"  peak memory at {last['articles']} articles / at {first['articles']}: "
              f"{last['peak_rss_mb'] / first['peak_rss_mb']:.2f}x  (target: flat)")
        rate = last["archived"] / last["seconds"]
        print(f"  throughput at {last['articles']} articles: {rate:.0f} article pages/s  (target >= 500)"
              f"{'  OK' if rate >= 500 else '  MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
