"""`newsarchive stats`: articles per site, author and month, and the crawl history."""
from __future__ import annotations

import json
from collections import Counter

import pytest

from archive.errors import ArchiveError
from archive.readonly import reading_archive
from archive.stats import UNDATED, archive_stats
from tests.conftest import run_cli
from tests.research_archive import SITE, assert_one_line, build_research_archive, run_cli_into_full_disk


@pytest.fixture(scope="module")
def research(tmp_path_factory):
    return build_research_archive(tmp_path_factory.mktemp("stats") / "archive.db")


def test_counts_match_the_stored_articles(research):
    with reading_archive(research.path) as db:
        stats = archive_stats(db, top_authors=3)
    n = len(research.truths)
    assert stats["totals"] == {"articles": n, "versions": n + 1, "crawls": 1, "failures": 1}
    assert [(s["site"], s["articles"], s["versions"]) for s in stats["sites"]] == [(SITE, n, n + 1)]

    authors = Counter(name for t in research.truths for name in t["authors"])
    top = sorted(authors.items(), key=lambda item: (-item[1], item[0]))[:3]
    assert [(a["author"], a["articles"]) for a in stats["authors"]] == top

    months = Counter((t["published_at"] or UNDATED)[:7] if t["published_at"] else UNDATED
                     for t in research.truths)
    assert {m["month"]: m["articles"] for m in stats["months"]} == dict(months)
    assert [m["month"] for m in stats["months"]] == sorted(months)

    (crawl,) = stats["crawls"]
    assert (crawl["spider"], crawl["status"], crawl["articles_new"], crawl["articles_changed"],
            crawl["failures"]) == ("news", "finished", n, 1, 1)


def test_cli_text_and_json(research):
    result = run_cli("stats", "--db", str(research.path), "--top", "2")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert text.startswith(f"{len(research.truths)} articles, {len(research.truths) + 1} versions, 1 crawl, "
                           "1 failed page\n")
    for heading in ("Articles per site", "Top 2 authors", "Articles per month published", "Crawls (newest first)"):
        assert f"\n{heading}\n" in text
    site_line = next(line for line in text.splitlines() if line.startswith(SITE))
    assert site_line.split()[1:3] == [str(len(research.truths)), str(len(research.truths) + 1)]

    result = run_cli("stats", "--db", str(research.path), "--json")
    assert result.returncode == 0, result.stderr
    with reading_archive(research.path) as db:
        assert json.loads(result.stdout) == archive_stats(db)


def test_cli_refuses_a_missing_archive(tmp_path):
    assert_one_line(run_cli("stats", "--db", str(tmp_path / "none.db")), 2, "no archive at")
    assert not (tmp_path / "none.db").exists()
    bad_top = run_cli("stats", "--db", str(tmp_path / "none.db"), "--top", "0")
    assert bad_top.returncode == 2 and "must be at least 1" in bad_top.stderr  # argparse's usage error


@pytest.mark.parametrize("option", ["--top", "--crawls"])
def test_cli_a_number_beyond_sqlite_is_one_line_exit_2(research, option):
    result = run_cli("stats", "--db", str(research.path), option, "99999999999999999999")
    assert result.returncode == 2 and result.stdout == "" and "Traceback" not in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "must be at most 9223372036854775807" in result.stderr
    with reading_archive(research.path) as db:
        with pytest.raises(ArchiveError, match="from 1 to 9223372036854775807"):
            archive_stats(db, **{option[2:].replace("top", "top_authors"): 10 ** 20})


@pytest.mark.parametrize("extra", [[], ["--json"]])
def test_a_full_disk_on_standard_output_is_one_line_exit_2(research, extra):
    assert_one_line(run_cli_into_full_disk("stats", *extra, "--db", str(research.path)), 2,
                    "cannot write to standard output: No space left on device")


def test_stats_text_counts_in_the_singular_and_plural():
    from archive.stats import stats_text
    empty = {"sites": [], "authors": [], "months": [], "crawls": []}
    first = stats_text({"totals": {"articles": 1, "versions": 1, "crawls": 1, "failures": 1}, **empty})
    assert first.startswith("1 article, 1 version, 1 crawl, 1 failed page\n")
    none = stats_text({"totals": {"articles": 0, "versions": 2, "crawls": 0, "failures": 3}, **empty})
    assert none.startswith("0 articles, 2 versions, 0 crawls, 3 failed pages\n")
