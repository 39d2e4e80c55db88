"""A real archive for the read-command tests, built from sample-site pages without a crawl;
and the check that a command failed with one clean line.

40 sample-site articles parsed by the real extractor and stored through
ArchiveStore: the NATO seed article among them, articles with threaded
comments, one article edited into a second version (new headline, one more
takeaway), one crawl with one failed page.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from archive import ArchiveStore
from scraper.extract import parse_article
from scraper.sample_site import SampleSite

BASE = "http://127.0.0.1:8642/"
SITE = "127.0.0.1"
CORRECTED_TITLE = "A Corrected Headline About Harbour Dredging"
ADDED_TAKEAWAY = "The correction was published two days later."


@dataclass
class ResearchArchive:
    path: Path
    truths: list[dict]          # sample-site ground truth of every stored article, in store order
    changed_url: str            # the article with two versions
    threaded_url: str           # an article whose comments include replies
    nato_url: str


def build_research_archive(path: Path, articles: int = 40, base: str = BASE) -> ResearchArchive:
    """The changed article is the first one with takeaways from the 12th on (article id 12 here)."""
    site = SampleSite(articles=320)
    truths = site.ground_truth(base)
    nato = [t for t in truths if "nato" in t["url"]]
    chosen = nato + [t for t in truths if "nato" not in t["url"]][:articles - len(nato)]
    threaded = next(t for t in chosen if any(c["parent"] for c in t["comments"]))
    changed = next(t for t in chosen[11:] if t["takeaways"] and t is not threaded)
    with ArchiveStore(path) as store:
        crawl = store.begin_crawl("news", base)
        for truth in chosen:
            _store_page(store, site, base, truth["url"], "2025-11-01T08:00:00Z", crawl)
        site.update_article(changed["url"], title=CORRECTED_TITLE,
                            takeaways=[*changed["takeaways"], ADDED_TAKEAWAY])
        _store_page(store, site, base, changed["url"], "2025-11-02T08:00:00Z", crawl)
        store.record_failure(crawl, base + "gone/", "HTTP 404", 404)
        store.finish_crawl(crawl, "finished", {"pages_fetched": len(chosen) + 2, "articles_new": len(chosen),
                                               "articles_changed": 1, "failures": 1})
    return ResearchArchive(path, chosen, changed["url"], threaded["url"], nato[0]["url"])


def _store_page(store: ArchiveStore, site: SampleSite, base: str, url: str, fetched_at: str,
                crawl: int) -> None:
    status, content_type, body = site.render(url[len(base) - 1:], base)
    assert status == 200, url
    store.store(parse_article(body, url=url), raw_html=body, fetched_at=fetched_at, crawl_id=crawl,
                content_type=content_type)


def assert_one_line(result, code, *fragments):
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith("newsarchive: ")
    for fragment in fragments:
        assert fragment in result.stderr


def run_cli_into_full_disk(*args: str):
    """`newsarchive ARGS > /dev/full`: every write to standard output fails with ENOSPC, as on a full disk."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "scraper.cli", *args], cwd=ROOT, stdout=full,
                                stderr=subprocess.PIPE, text=True, timeout=300,
                                env=dict(os.environ, PYTHONPATH=str(ROOT)))
    result.stdout = ""
    return result
