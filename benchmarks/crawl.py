"""End-to-end crawl: pages per second (fetch, parse, store) and peak memory against crawl size.

    python benchmarks/crawl.py [--sizes 1000,10000] [--json PATH] [--no-ceilings]

For each size, the bundled sample site is served with that many articles by
`newsarchive sample-site` in its own process, and `newsarchive crawl` archives it
into a fresh file in another process, with the loopback settings the demo uses.
Printed per size: wall time, article pages per second, the same pages' parse time
alone (parse_article in one process, no network, no store), and the crawler's
peak resident memory. Memory should stay flat as the site grows.

Then, at the largest size, the ceilings the crawl runs under on the same cores:
Scrapy alone (benchmarks/scrapy_alone.py: the same crawl, same settings, no parse,
no store) and the sample server alone (benchmarks/raw_http.py: the pages that crawl
fetched, from a plain asyncio client; "cold" is a fresh server rendering each page
on first request, as in a crawl, "warm" the same pages again from its cache).
Every rate in "article pages/s" is the site's articles over the whole crawl's time
(a crawl also fetches the listing pages: about 1.6 pages per article here).

`--json PATH` writes {"sizes": [{"articles", "seconds", "article_pages_per_s",
"peak_rss_mb"}, ...], "parse_ms", "scrapy_alone_pages_per_s"} (parse_ms per page
and the Scrapy-alone rate in article pages/s, both at the largest size), plus a
"ceilings" object with the details.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Optional

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


def _env() -> dict:
    return dict(os.environ, PYTHONPATH=str(ROOT))


def _start_server(articles: int) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen(_cli("sample-site", "--port", str(port), "--articles", str(articles)),
                              env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_until_serving(url)
    except BaseException:
        _stop(server)
        raise
    return server, url


def _stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=30)


def _run_json(command: list[str]) -> dict:
    """Run a helper script that prints one JSON line last; its figures."""
    done = subprocess.run(command, env=_env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{command[1]} failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# The crawler's own peak memory. Not the ru_maxrss that wait4() gives: Linux counts in it the
# high-water mark of the memory a child had before exec(), and a child that subprocess starts
# (vfork) has this process's memory until then, so that figure was this benchmark's own peak
# (161 MB after the parse-alone run of 1,000 pages) whenever it exceeded the crawler's.
# VmHWM is the peak of the process's own address space since exec(); the wrapper writes it
# when the crawl's interpreter exits.
_PEAK_WRAPPER = """
import atexit, os, runpy, sys
def _peak():
    with open("/proc/self/status") as status:
        kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    with open(os.environ["NEWSARCHIVE_BENCH_PEAK"], "w") as out:
        out.write(str(kb))
atexit.register(_peak)
sys.argv[0] = "newsarchive"
runpy.run_module("scraper.cli", run_name="__main__", alter_sys=True)
"""


def own_peak_rss_mb(pid) -> Optional[float]:
    """VmHWM of a running process (its own peak resident memory since exec), in MB; pid "self" for this one."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def crawl_once(articles: int) -> dict:
    server, url = _start_server(articles)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "bench.db"
            peak_file = Path(tmp) / "peak"
            env = dict(_env(), NEWSARCHIVE_BENCH_PEAK=str(peak_file))
            with open(Path(tmp) / "out", "w+") as out, open(Path(tmp) / "err", "w+") as err:
                started = time.monotonic()
                crawler = subprocess.Popen(
                    [sys.executable, "-c", _PEAK_WRAPPER, "crawl", url, "--db", str(db), "-q", *LOOPBACK],
                    env=env, stdout=out, stderr=err, text=True)
                polled = None
                while crawler.poll() is None:  # a fallback, should the wrapper not get to write
                    polled = own_peak_rss_mb(crawler.pid) or polled
                    time.sleep(0.1)
                elapsed = time.monotonic() - started
                out.seek(0)
                err.seek(0)
                output = out.read()
                if crawler.returncode != 0:
                    raise RuntimeError(f"crawl failed: {err.read()[-2000:]}")
            peak = int(peak_file.read_text()) / 1024 if peak_file.exists() else polled
            archived = _archived(db)
    finally:
        _stop(server)
    return {"articles": articles, "archived": archived, "seconds": elapsed,
            "peak_rss_mb": peak, "summary": output,
            "pages_fetched": _pages_fetched(output)}


def _pages_fetched(summary: str) -> Optional[int]:
    found = re.search(r"pages fetched\s+(\d+)", summary)
    return int(found.group(1)) if found else None


def _archived(db: Path) -> int:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]


def parse_alone_seconds(articles: int, chunk: int = 200) -> float:
    """The same article pages parsed in this process: the part of the crawl that is extraction.

    Pages are rendered a chunk at a time, and the sample site's objects (its catalog and
    caches: hundreds of thousands at 10,000 articles) are frozen out of the garbage
    collector while the chunk is parsed, so the time is the parser's, not that of this
    process's collector walking the site model."""
    from scraper.extract import parse_article
    from scraper.sample_site import SampleSite

    base = "http://127.0.0.1:8642/"
    site = SampleSite(articles=articles)
    truths = site.ground_truth(base)
    total = 0.0
    for first in range(0, len(truths), chunk):
        pages = [(t["url"], site.render(t["url"][len(base) - 1:], base)[2]) for t in truths[first:first + chunk]]
        gc.collect()
        gc.freeze()
        try:
            for url, body in pages:
                start = time.perf_counter()
                parse_article(body, url=url)
                total += time.perf_counter() - start
        finally:
            gc.unfreeze()
    return total


def ceilings(articles: int) -> dict:
    """Scrapy alone, and the sample server alone (cold and warm), on a site of ``articles``."""
    here = Path(__file__).resolve().parent
    with tempfile.TemporaryDirectory() as tmp:
        urls_file = Path(tmp) / "urls.txt"
        server, url = _start_server(articles)
        try:
            alone = _run_json([sys.executable, str(here / "scrapy_alone.py"), url, "--urls-out", str(urls_file)])
        finally:
            _stop(server)
        urls = urls_file.read_text(encoding="utf-8").split()
        server, url = _start_server(articles)  # a fresh server: nothing rendered yet, as for a crawl
        try:
            replay = Path(tmp) / "replay.txt"
            replay.write_text("".join(url + u.split("/", 3)[3] + "\n" for u in urls), encoding="utf-8")
            cold = _run_json([sys.executable, str(here / "raw_http.py"), str(replay)])
            warm = _run_json([sys.executable, str(here / "raw_http.py"), str(replay)])
        finally:
            _stop(server)
    out = {"articles": articles, "scrapy_alone": alone, "raw_http_cold": cold, "raw_http_warm": warm}
    for run in (alone, cold, warm):
        run["pages_per_s"] = run["pages"] / run["seconds"]
        run["article_pages_per_s"] = articles / run["seconds"]
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000",
                        help="comma-separated site sizes in articles (default 1000,10000)")
    parser.add_argument("--json", metavar="PATH", help="also write the figures to PATH as JSON")
    parser.add_argument("--no-ceilings", action="store_true",
                        help="skip the Scrapy-alone and raw-HTTP runs at the largest size")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print(f"  {'articles':>8s} {'crawl s':>8s} {'pages/s':>8s} {'parse-only s':>13s} {'peak RSS MB':>12s}")
    results = []
    for size in sizes:
        result = crawl_once(size)
        result["parse_seconds"] = parse_s = parse_alone_seconds(size)
        results.append(result)
        rate = result["archived"] / result["seconds"]
        print(f"  {size:8d} {result['seconds']:8.1f} {rate:8.0f} {parse_s:13.1f} {result['peak_rss_mb']:12.0f}"
              + ("" if result["archived"] == size else f"   (archived {result['archived']} of {size}!)"),
              flush=True)
    last = results[-1]
    if len(results) > 1:
        first = results[0]
        print(f"  peak memory at {last['articles']} articles / at {first['articles']}: "
              f"{last['peak_rss_mb'] / first['peak_rss_mb']:.2f}x  (target: flat)")
    rate = last["archived"] / last["seconds"]
    print(f"  throughput at {last['articles']} articles: {rate:.0f} article pages/s  (target >= 500)"
          f"{'  OK' if rate >= 500 else '  MISSED'}; parse alone "
          f"{1000 * last['parse_seconds'] / last['articles']:.1f} ms/page", flush=True)
    limits = None
    if not args.no_ceilings:
        limits = ceilings(last["articles"])
        print(f"  ceilings at {last['articles']} articles, same site, same cores "
              f"(article pages/s; all pages/s incl. listings):")
        fetched = last.get("pages_fetched")
        rows = [("newsarchive crawl (fetch, parse, store)", rate, fetched / last["seconds"] if fetched else None),
                ("Scrapy alone (no parse, no store)", limits["scrapy_alone"]["article_pages_per_s"],
                 limits["scrapy_alone"]["pages_per_s"]),
                ("sample server alone, raw HTTP, cold", limits["raw_http_cold"]["article_pages_per_s"],
                 limits["raw_http_cold"]["pages_per_s"]),
                ("sample server alone, raw HTTP, warm", limits["raw_http_warm"]["article_pages_per_s"],
                 limits["raw_http_warm"]["pages_per_s"])]
        for label, article_rate, page_rate in rows:
            print(f"    {label:40s} {article_rate:7.0f} article pages/s"
                  + (f"   {page_rate:7.0f} pages/s" if page_rate else ""))
        alone = limits["scrapy_alone"]
        print(f"    (Scrapy alone: {alone['pages']} pages, {1000 * alone['cpu_seconds'] / alone['pages']:.1f} ms "
              f"of CPU a page, peak RSS {alone['peak_rss_mb']:.0f} MB)")
    if args.json:
        figures = {
            "sizes": [{"articles": r["articles"], "seconds": r["seconds"],
                       "article_pages_per_s": r["archived"] / r["seconds"], "peak_rss_mb": r["peak_rss_mb"]}
                      for r in results],
            "parse_ms": 1000 * last["parse_seconds"] / last["articles"],
            "scrapy_alone_pages_per_s": limits["scrapy_alone"]["article_pages_per_s"] if limits else None,
        }
        if limits:
            figures["ceilings"] = limits
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
