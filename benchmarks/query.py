"""Query speed on a big archive: full-text search, `show`, and `export` of everything.

    python benchmarks/query.py [--articles 100000] [--rebuild] [--json PATH]

Generates an archive of sample-site articles (the site's own seeded prose:
titles, standfirsts, sections, takeaways, threaded comments), stored through
``archive.bulk`` (the same rows ``ArchiveStore.store`` writes; raw_pages hold a
small stub page instead of rendered HTML). The archive is cached in
benchmarks/.cache/ and reused while --articles is the same. Targets: a search's
first page under 50 ms, `show` under 20 ms, export in constant memory.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive import SCHEMA_VERSION, ArchiveStore  # noqa: E402
from archive.bulk import bulk_store_new  # noqa: E402
from archive.filters import ArticleFilter  # noqa: E402
from archive.readonly import reading_archive  # noqa: E402
from archive.schema import read_schema_version  # noqa: E402
from archive.search import search_articles  # noqa: E402
from archive.show import load_version, render_article  # noqa: E402
from scraper.record import ArticleRecord  # noqa: E402

CACHE = Path(__file__).resolve().parent / ".cache"
BASE = "https://news.example.com/"
STUB_PAGE = b"<!doctype html><html><body>generated for benchmarks/query.py</body></html>"

# Queries a researcher might type: rare and common words, phrases, OR, prefixes, and filters.
QUERIES = [
    ("nato", {}),
    ("ceasefire", {}),
    ("wages", {}),
    ('"supply chain"', {}),
    ("drought OR flooding", {}),
    ("regulator*", {}),
    ("minister budget", {}),
    ("the", {}),                                   # matches every article: too common to rank
    ("recent", {}),                                # in 49.9% of the 100,000: the most matches still ranked
    ("election", {"since": "2025-01-01"}),
    ("hospital", {"has_takeaways": True}),
    ("hospital", {"author": "Hannah Okafor"}),
    ("minister", {"since": "2025-06-01"}),         # a common word (38%) and a filter passing 21% of the archive
    ("minister", {"author": "Hannah Okafor"}),     # she wrote 8% of the archive but 1.7% of its best matches
    ("minister", {"site": "news.example.com"}),    # a filter every article passes
    ("title:talks", {}),
]

_SITE = None  # the sample site, built once in the parent and inherited by forked workers


def _record(index: int) -> ArticleRecord:
    truth = _SITE.article_truth(index, BASE)
    paragraphs = [*truth["intro"], *(p for s in truth["sections"] for p in s["paragraphs"]), *truth["takeaways"]]
    body = "\n\n".join(paragraphs)
    return ArticleRecord.from_dict({
        **truth, "site": "news.example.com", "site_name": "Sample News", "is_article": True,
        "body_text": body, "word_count": len(body.split()), "extraction": "dom",
    })


def _records(indexes, workers: int):
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(_record, indexes, chunksize=200)


def build_archive(articles: int, workers: int, rebuild: bool) -> Path:
    global _SITE
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"query-{articles}.db"
    if path.exists() and not rebuild:
        with sqlite3.connect(path) as conn:
            version = read_schema_version(conn)
        if version is not None and version < SCHEMA_VERSION:
            # An archive cached by an older newsarchive: migrate it as a user's archive would be.
            started = time.perf_counter()
            with ArchiveStore(path):
                pass
            print(f"  migrated {path.name} from schema {version} to {SCHEMA_VERSION} "
                  f"in {time.perf_counter() - started:.0f} s", flush=True)
        return path
    from scraper.sample_site import SampleSite

    started = time.perf_counter()
    _SITE = SampleSite(articles=articles)
    partial = path.with_name(path.name + ".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    with ArchiveStore(partial) as store:
        store.db.execute("PRAGMA synchronous = OFF")  # a cache file: speed over durability
        crawl = store.begin_crawl("news", BASE, {"generated": True})
        done = 0
        batch = []
        for record in _records(range(articles), workers):
            batch.append((record, STUB_PAGE))
            if len(batch) == 5000:
                done += bulk_store_new(store.db, batch, fetched_at="2025-11-01T08:00:00Z", crawl_id=crawl)
                batch = []
                print(f"  generated {done:,} articles ({time.perf_counter() - started:.0f} s)", flush=True)
        done += bulk_store_new(store.db, batch, fetched_at="2025-11-01T08:00:00Z", crawl_id=crawl)
        store.finish_crawl(crawl, "finished", {"pages_fetched": done, "articles_new": done})
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    os.replace(partial, path)
    print(f"  built {path.name}: {done:,} articles in {time.perf_counter() - started:.0f} s", flush=True)
    return path


def _figures(samples: list[float]) -> dict[str, float]:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    return {"median_ms": statistics.median(samples) * 1000, "p95_ms": p95 * 1000, "max_ms": samples[-1] * 1000}


def _percentiles(samples: list[float]) -> str:
    figures = _figures(samples)
    return (f"median {figures['median_ms']:6.1f} ms, p95 {figures['p95_ms']:6.1f} ms, "
            f"max {figures['max_ms']:6.1f} ms")


def bench_search(path: Path, rounds: int, figures: dict) -> list[str]:
    figures["search"] = []
    lines = ["full-text search, first page (20 hits, snippets, authors):"]
    worst = []
    with reading_archive(path) as db:
        for query, filters in QUERIES:
            times = []
            for _ in range(rounds):
                start = time.perf_counter()
                hits = search_articles(db, query, ArticleFilter(**filters), limit=20)
                times.append(time.perf_counter() - start)
            worst.append(statistics.median(times))
            label = query + "".join(f" --{k.replace('_', '-')} {v}" for k, v in filters.items())
            lines.append(f"  {label:42s} {len(hits):3d} hits  {_percentiles(times)}")
            figures["search"].append({"query": label, "hits": len(hits), **_figures(times)})
    slow = sum(t >= 0.050 for t in worst)
    lines.append(f"  target < 50 ms: {'OK' if not slow else f'MISSED for {slow} of {len(worst)} queries'}")
    return lines


def bench_show(path: Path, samples: int, figures: dict) -> list[str]:
    rng = random.Random(7)
    with reading_archive(path) as db:
        count = db.execute("SELECT max(id) FROM articles").fetchone()[0]
        urls = [db.execute("SELECT url FROM articles WHERE id = ?", [rng.randint(1, count)]).fetchone()[0]
                for _ in range(samples)]
        times = {"by id": [], "by URL": []}
        for url in urls:
            for label, ref in (("by id", rng.randint(1, count)), ("by URL", url)):
                start = time.perf_counter()
                render_article(load_version(db, ref))
                times[label].append(time.perf_counter() - start)
    lines = ["show (rebuild the record, render the text):"]
    for label, values in times.items():
        lines.append(f"  {label:8s} {_percentiles(values)}")
        figures.setdefault("show", {})[label] = _figures(values)
    ok = all(statistics.median(v) < 0.020 for v in times.values())
    lines.append(f"  target < 20 ms: {'OK' if ok else 'MISSED'}")
    return lines


def bench_stats(path: Path, figures: dict) -> list[str]:
    from archive.stats import archive_stats

    with reading_archive(path) as db:
        start = time.perf_counter()
        archive_stats(db)
        figures["stats_ms"] = (time.perf_counter() - start) * 1000
        return [f"stats (per site, author, month; crawls): {figures['stats_ms']:.0f} ms"]


# Runs the real command in a fresh process and reports that process's own peak RSS
# (VmHWM starts afresh at exec; ru_maxrss would carry over the forking parent's).
EXPORT_CHILD = """
import sys
from scraper.cli import main
code = main(sys.argv[1:])
peak = next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(f"peak_kb={peak}", file=sys.stderr)
sys.exit(code)
"""


def bench_export(path: Path, figures: dict) -> list[str]:
    """`newsarchive export -o /dev/null` of the first day's articles and of everything: time and peak RSS."""
    lines = [f"export (newsarchive export -o /dev/null; archive file {path.stat().st_size / 2**20:,.0f} MB):"]
    figures["export"] = []
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for fmt in ("jsonl", "csv"):
        for label, extra in (("first day", ["--until", "2023-11-01"]), ("everything", [])):
            start = time.perf_counter()
            result = subprocess.run(
                [sys.executable, "-c", EXPORT_CHILD, "export", "--db", str(path), "--format", fmt,
                 "-o", "/dev/null", *extra], env=env, capture_output=True, text=True)
            elapsed = time.perf_counter() - start
            if result.returncode != 0:
                lines.append(f"  {fmt:5s} {label:10s} FAILED: {result.stderr.strip()}")
                figures["export"].append({"format": fmt, "scope": label, "error": result.stderr.strip()[-500:]})
                continue
            peak_kb = int(result.stderr.split("peak_kb=")[1].split()[0])
            count = result.stderr.split("exported ")[1].split(" ")[0]
            lines.append(f"  {fmt:5s} {label:10s} {int(count):7,d} versions {elapsed:6.1f} s  "
                         f"peak RSS {peak_kb / 1024:5.0f} MB")
            figures["export"].append({"format": fmt, "scope": label, "versions": int(count),
                                      "seconds": elapsed, "peak_rss_mb": peak_kb / 1024})
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes generating text")
    parser.add_argument("--rounds", type=int, default=5, help="runs of each search query")
    parser.add_argument("--rebuild", action="store_true", help="regenerate the cached archive")
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--json", metavar="PATH", help="also write the figures to PATH as JSON")
    args = parser.parse_args(argv)
    path = build_archive(args.articles, args.workers, args.rebuild)
    print(f"archive: {args.articles:,} articles, {path.stat().st_size / 2**20:,.0f} MB ({path})")
    figures = {"articles": args.articles, "archive_mb": path.stat().st_size / 2**20, "rounds": args.rounds}
    for lines in (bench_search(path, args.rounds, figures), bench_show(path, 200, figures),
                  bench_stats(path, figures)):
        print("\n".join(lines), flush=True)
    if not args.skip_export:
        print("\n".join(bench_export(path, figures)))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
