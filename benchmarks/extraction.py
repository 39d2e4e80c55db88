"""Extraction speed: newsarchive's full record vs trafilatura vs a bare lxml parse, same pages, one run.

    python benchmarks/extraction.py [--pages 120] [--rounds 5]

Prints per-page means (each page's best of --rounds) and the ratios the targets are stated in:
at least 5x faster than trafilatura.bare_extraction, within 4x of the bare lxml parse.
"""
from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import lxml.html  # noqa: E402

from scraper.extract import parse_article  # noqa: E402


def sample_pages(count: int) -> list[tuple[str, bytes]]:
    """Article pages of the bundled sample site, rendered as the server sends them."""
    from scraper.sample_site import SampleSite

    base = "http://127.0.0.1:8642/"
    site = SampleSite(articles=max(count, 300))
    pages = []
    for truth in site.ground_truth(base)[:count]:
        path = truth["url"][len(base) - 1:]
        status, _, body = site.render(path, base)
        assert status == 200, path
        pages.append((truth["url"], body))
    return pages


def fixture_pages() -> list[tuple[str, bytes]]:
    """The hand-written theme fixtures (article pages only)."""
    import json

    pages = []
    for expected in sorted((ROOT / "tests" / "pages").glob("*.expected.json")):
        spec = json.loads(expected.read_text())
        if spec["expect"].get("is_article") is False:
            continue
        html = expected.with_name(expected.name.replace(".expected.json", ".html"))
        pages.append((spec["url"], html.read_bytes()))
    return pages


def measure(pages, rounds: int) -> dict[str, float]:
    """Mean seconds per page for each tool: every page's best time over ``rounds``.

    The tools take turns within each round and each page keeps its fastest run,
    so a burst of load on a shared machine skews one sample, not one tool."""
    import trafilatura

    tools = {
        "bare lxml.html parse": lambda u, b: lxml.html.document_fromstring(b),
        "newsarchive parse_article": lambda u, b: parse_article(b, url=u),
        "trafilatura.bare_extraction": lambda u, b: trafilatura.bare_extraction(b, url=u, with_metadata=True),
    }
    best = {name: [float("inf")] * len(pages) for name in tools}
    clock = time.perf_counter
    for _ in range(rounds):
        for name, func in tools.items():
            gc.collect()
            times = best[name]
            for i, (url, body) in enumerate(pages):
                start = clock()
                func(url, body)
                elapsed = clock() - start
                if elapsed < times[i]:
                    times[i] = elapsed
    return {name: sum(times) / len(times) for name, times in best.items()}


def report(title: str, pages, results: dict[str, float]) -> list[str]:
    sizes = [len(b) for _, b in pages]
    ours = results["newsarchive parse_article"]
    floor = results["bare lxml.html parse"]
    theirs = results["trafilatura.bare_extraction"]
    lines = [f"{title}: {len(pages)} pages, mean {statistics.mean(sizes) / 1024:.0f} KB",
             f"  {'tool':32s} {'ms/page':>8s}"]
    for name, seconds in results.items():
        lines.append(f"  {name:32s} {seconds * 1000:8.2f}")
    lines.append(f"  speed-up over trafilatura: {theirs / ours:5.1f}x  (target >= 5x)"
                 f"{'  OK' if theirs / ours >= 5 else '  MISSED'}")
    lines.append(f"  cost over bare lxml parse: {ours / floor:5.1f}x  (target <= 4x)"
                 f"{'  OK' if ours / floor <= 4 else '  MISSED'}")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=120, help="sample-site article pages")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    for title, pages in (("sample site articles", sample_pages(args.pages)),
                         ("theme fixtures", fixture_pages())):
        if not pages:
            continue
        parse_article(pages[0][1], url=pages[0][0])  # warm imports and caches outside the timing
        print("\n".join(report(title, pages, measure(pages, args.rounds))))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
