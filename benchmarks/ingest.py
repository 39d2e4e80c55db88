"""Archive ingest: records per second stored the way a crawl stores them, new and unchanged.

    python benchmarks/ingest.py [--records 2000] [--json PATH]

Sample-site article pages are rendered and parsed with parse_article once, up front,
so the timing holds only the archive's part of a crawl. Each record then goes through
what scraper.pipelines.ArchivePipeline does per article: ``is_unchanged``, the gzip of
the raw page (``compress_page``; the crawl does it in a worker thread, here it is inline
and timed on its own as well), and ``ArchiveStore.store`` (one transaction per article,
raw HTML included) into a fresh archive file in a temporary directory. A second pass
stores the same records again as a re-crawl would: every one is unchanged (no gzip, no
new version). Printed: records per second for both passes, and the file size.
"""
from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive import ArchiveStore  # noqa: E402
from archive.rawpages import compress_page  # noqa: E402
from scraper.extract import parse_article  # noqa: E402

BASE = "http://127.0.0.1:8642/"
FETCHED = datetime(2025, 11, 1, 8, 0, tzinfo=timezone.utc)


def parsed_pages(count: int) -> list[tuple]:
    """``(record, raw_html, content_type)`` for ``count`` sample-site article pages."""
    from scraper.sample_site import SampleSite

    site = SampleSite(articles=count)
    pages = []
    for truth in site.ground_truth(BASE)[:count]:
        status, ctype, body = site.render(truth["url"][len(BASE) - 1:], BASE)
        assert status == 200, truth["url"]
        record = parse_article(body, url=truth["url"], content_type=ctype, fetched_at=FETCHED)
        assert record.is_article, truth["url"]
        pages.append((record, body, ctype))
    return pages


def ingest(store: ArchiveStore, pages, crawl_id: int, fetched_at: str) -> dict:
    """One pass of ArchivePipeline.process_item's work over every page; seconds and statuses."""
    statuses: dict[str, int] = {}
    gzip_seconds = 0.0
    clock = time.perf_counter
    gc.collect()
    started = clock()
    for record, body, ctype in pages:
        compressed = None
        if not store.is_unchanged(record):
            gzip_start = clock()
            compressed = compress_page(body)
            gzip_seconds += clock() - gzip_start
        result = store.store(record, raw_html=body, compressed_html=compressed, fetched_at=fetched_at,
                             http_status=200, crawl_id=crawl_id, content_type=ctype)
        statuses[result.status] = statuses.get(result.status, 0) + 1
    seconds = clock() - started
    return {"seconds": seconds, "records_per_s": len(pages) / seconds,
            "ms_per_record": seconds * 1000 / len(pages),
            "gzip_ms_per_record": gzip_seconds * 1000 / len(pages), "statuses": statuses}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000, help="articles to store (default 2000)")
    parser.add_argument("--tmpdir", help="where the temporary archive goes (default: the system's)")
    parser.add_argument("--json", metavar="PATH", help="also write the figures to PATH as JSON")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    pages = parsed_pages(args.records)
    raw_mb = sum(len(body) for _, body, _ in pages) / 2**20
    print(f"{len(pages)} sample-site articles, {raw_mb:.0f} MB of HTML, rendered and parsed in "
          f"{time.perf_counter() - started:.0f} s (not timed)")
    figures = {"records": len(pages), "raw_html_mb": raw_mb}
    with tempfile.TemporaryDirectory(prefix="newsarchive-ingest-", dir=args.tmpdir) as tmp:
        path = Path(tmp) / "ingest.db"
        with ArchiveStore(path) as store:
            for label, when in (("new", FETCHED), ("unchanged", FETCHED + timedelta(days=1))):
                crawl_id = store.begin_crawl("news", BASE, {"benchmark": "ingest"})
                result = ingest(store, pages, crawl_id, when.strftime("%Y-%m-%dT%H:%M:%SZ"))
                store.finish_crawl(crawl_id, "finished", {f"articles_{k}": v for k, v in result["statuses"].items()})
                figures[label] = result
                expected = {label: len(pages)}
                note = "" if result["statuses"] == expected else f"   (statuses {result['statuses']}!)"
                print(f"  {label:9s} {result['records_per_s']:7.0f} records/s  {result['ms_per_record']:6.2f} ms/record"
                      f"  (gzip {result['gzip_ms_per_record']:.2f} ms of it){note}", flush=True)
        figures["db_mb"] = sum(f.stat().st_size for f in Path(tmp).iterdir()) / 2**20
        print(f"  archive file {figures['db_mb']:.0f} MB for {len(pages)} articles")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
