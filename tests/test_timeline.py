"""An article's history is a timeline of captures ordered by fetch time, whatever order they arrive in.

Captures reach the archive out of order: WARC files given newest first, an old WARC imported
after a crawl, one file whose records are not in date order. Each test stores the same
captures in several orders and checks that the archive tells the same story each time.
"""
from __future__ import annotations

import dataclasses
import itertools
import sqlite3
from pathlib import Path

import pytest

import scraper.reparse
import scraper.warc_import
from archive import ArchiveStore
from scraper.record import compute_content_hash
from tests.test_archive import URL, make_record
from tests.test_warc_import import page
from tests.warcs import html_capture, write_warc

MONTHS = {month: f"2024-{n:02d}-01T00:00:00Z" for n, month in
          enumerate(["Jan", "Feb", "Mar", "Apr", "May", "Jun"], start=1)}


def capture(content: str, month: str) -> tuple[str, str]:
    return content, MONTHS[month]


def store_all(path: Path, captures: list[tuple[str, str]]) -> list:
    results = []
    with ArchiveStore(path) as store:
        for content, fetched_at in captures:
            record = make_record(extra_paragraph=f"Content {content}.")
            results.append(store.store(record, raw_html=f"<html>{content} at {fetched_at}".encode(),
                                       fetched_at=fetched_at))
    return results


def history(path: Path) -> dict:
    """What a reader learns of the article: its versions by fetch time (content, raw page), the
    current one, when it was first and last seen."""
    with sqlite3.connect(path) as conn:
        versions = conn.execute(
            "SELECT v.fetched_at, substr(json_extract(v.record_json, '$.sections[0].paragraphs[2]'), 9, 1), "
            "r.size, v.id = a.current_version_id FROM versions v JOIN articles a ON a.id = v.article_id "
            "JOIN raw_pages r ON r.version_id = v.id ORDER BY v.fetched_at").fetchall()
        article = conn.execute("SELECT first_seen_at, last_seen_at, version_count FROM articles").fetchone()
    return {"versions": versions, "article": article}


def timeline(path: Path) -> list[tuple[str, str]]:
    return [(fetched_at[:7], content) for fetched_at, content, _, _ in history(path)["versions"]]


def test_a_b_a_gives_three_versions_in_every_order(tmp_path):
    """A in January, B in February, A again in March: three versions, the March one current,
    however the three captures arrive (newest first used to fold January into March)."""
    captures = [capture("A", "Jan"), capture("B", "Feb"), capture("A", "Mar")]
    histories = []
    for n, order in enumerate(itertools.permutations(captures)):
        path = tmp_path / f"{n}.db"
        store_all(path, list(order))
        assert timeline(path) == [("2024-01", "A"), ("2024-02", "B"), ("2024-03", "A")], order
        assert history(path)["versions"][-1][3] == 1, order  # the latest capture is current
        histories.append(history(path))
    assert all(h == histories[0] for h in histories)
    assert histories[0]["article"] == (MONTHS["Jan"], MONTHS["Mar"], 3)


def test_captures_newest_first_or_files_out_of_order_give_the_history_of_date_order(tmp_path):
    """Runs of the same content keep their first capture (its raw page, its time); the archive
    ends up as when the captures arrive in date order."""
    captures = [capture("A", "Jan"), capture("A", "Feb"), capture("B", "Mar"), capture("B", "Apr"),
                capture("A", "May"), capture("C", "Jun")]
    store_all(tmp_path / "dated.db", captures)
    expected = history(tmp_path / "dated.db")
    assert timeline(tmp_path / "dated.db") == [("2024-01", "A"), ("2024-03", "B"), ("2024-05", "A"),
                                               ("2024-06", "C")]
    jan_feb, mar_apr, may_jun = captures[:2], captures[2:4], captures[4:]
    for n, order in enumerate([captures[::-1], mar_apr + jan_feb + may_jun, may_jun + mar_apr + jan_feb,
                               mar_apr[::-1] + jan_feb[::-1] + may_jun]):
        path = tmp_path / f"{n}.db"
        store_all(path, order)
        assert history(path) == expected, order
        with ArchiveStore(path) as store:
            assert [store.raw_html(URL, v["version_no"]) for v in store.versions(URL)
                    if v["fetched_at"] == MONTHS["Mar"]] == [f"<html>B at {MONTHS['Mar']}".encode()]


def test_a_change_seen_before_the_last_unchanged_fetch_does_not_become_current(tmp_path):
    """A in January and again in March (no new version: only last_seen_at moves), then B from
    February: B is no newer than what the archive saw last. It goes in at February and A stays
    current, as a version for the March sighting (A's record and page)."""
    path = tmp_path / "archive.db"
    results = store_all(path, [capture("A", "Jan"), capture("A", "Mar"), capture("B", "Feb")])
    assert [r.status for r in results] == ["new", "unchanged", "changed"]
    assert history(path) == {
        "versions": [(MONTHS["Jan"], "A", 31, 0), (MONTHS["Feb"], "B", 31, 0), (MONTHS["Mar"], "A", 31, 1)],
        "article": (MONTHS["Jan"], MONTHS["Mar"], 3)}
    with ArchiveStore(path) as store:
        assert store.raw_html(URL) == f"<html>A at {MONTHS['Jan']}".encode()
        assert store.get_article(URL) == store.get_article(URL, version=1)


def test_an_older_capture_is_never_current_and_statuses_say_what_was_added(tmp_path):
    path = tmp_path / "archive.db"
    mid_january = "2024-01-15T00:00:00Z"
    results = store_all(path, [capture("A", "Apr"), capture("B", "Feb"), capture("A", "Jan"),
                               capture("B", "Mar"), ("B", mid_january)])
    # B in March repeats February's B; B in mid-January is the first capture of that B.
    assert [r.status for r in results] == ["new", "changed", "changed", "unchanged", "unchanged"]
    assert [r.version_no for r in results] == [1, 2, 3, 2, 2]
    assert timeline(path) == [("2024-01", "A"), ("2024-01", "B"), ("2024-04", "A")]
    with ArchiveStore(path) as store:
        assert "Content A." in store.get_article(URL).body_text
        assert store.db.execute("SELECT fetched_at FROM current_versions").fetchone()[0] == MONTHS["Apr"]
        assert "Content B." in store.get_article(URL, version=2).body_text
        assert store.raw_html(URL, version=2) == f"<html>B at {mid_january}".encode()


def test_an_older_capture_of_the_next_versions_content_becomes_its_first_capture(tmp_path):
    """B seen in February, then in March: a crawl in date order keeps the February capture.
    Stored the other way round, the February capture takes the March one's place (its raw page,
    time and record) instead of adding a second version of B."""
    path = tmp_path / "archive.db"
    results = store_all(path, [capture("A", "Jan"), capture("B", "Mar"), capture("B", "Feb")])
    assert [r.status for r in results] == ["new", "changed", "unchanged"]
    assert results[2].version_no == 2
    with ArchiveStore(path) as store:
        assert store.raw_html(URL) == f"<html>B at {MONTHS['Feb']}".encode()
        assert [v["fetched_at"] for v in store.versions(URL)] == [MONTHS["Jan"], MONTHS["Feb"]]
        assert store.db.execute("SELECT first_seen_at, last_seen_at FROM articles").fetchone() == (
            MONTHS["Jan"], MONTHS["Mar"])
        assert store.db.execute("SELECT count(*) FROM sections").fetchone()[0] == 4  # 2 per version
        hits = store.db.execute("SELECT count(*) FROM versions_fts WHERE versions_fts MATCH 'content'")
        assert hits.fetchone()[0] == 2


def test_fetch_times_with_and_without_fractions_or_offsets_compare_as_instants(tmp_path):
    """'…00.500000Z' is after '…00Z', and '12:00:00+02:00' is 10:00 UTC: compared as text,
    both came out the wrong way round and an older capture became current."""
    path = tmp_path / "archive.db"
    with ArchiveStore(path) as store:
        newer = make_record(extra_paragraph="Content N.")
        older = make_record(extra_paragraph="Content O.")
        store.store(newer, raw_html=b"<html>n", fetched_at="2024-01-01T00:00:00.500000Z")
        assert store.store(older, raw_html=b"<html>o", fetched_at="2024-01-01T00:00:00Z").status == "changed"
        assert "Content N." in store.get_article(URL).body_text
        assert store.db.execute("SELECT first_seen_at, last_seen_at FROM articles").fetchone() == (
            "2024-01-01T00:00:00Z", "2024-01-01T00:00:00.500000Z")

        other = "https://news.example.com/2024/other/"
        later = make_record(other, title="Other", extra_paragraph="Content L.")
        earlier = make_record(other, title="Other", extra_paragraph="Content E.")
        store.store(later, raw_html=b"<html>l", fetched_at="2024-01-01T11:00:00Z")
        store.store(earlier, raw_html=b"<html>e", fetched_at="2024-01-01T12:00:00+02:00")
        assert "Content L." in store.get_article(other).body_text
        first, last = store.db.execute("SELECT first_seen_at, last_seen_at FROM articles WHERE url = ?",
                                       [other]).fetchone()
        assert (first, last) == ("2024-01-01T12:00:00+02:00", "2024-01-01T11:00:00Z")
        # The same instant written another way is the same capture time.
        same = store.store(later, raw_html=b"<html>l", fetched_at="2024-01-01T11:00:00.000000+00:00")
        assert same.status == "unchanged"


# The same WARC files given in any order ---------------------------------------------------

def three_captures(tmp_path: Path) -> tuple[str, list[Path]]:
    url, html = page("classic")
    edited = html.replace(b"<p>The plan raises spending", b"<p>Updated: the plan raises spending", 1)
    assert edited != html
    files = []
    for name, body, date in [("jan", html, MONTHS["Jan"]), ("feb", edited, MONTHS["Feb"]),
                             ("mar", html, MONTHS["Mar"])]:
        files.append(tmp_path / f"{name}.warc.gz")
        write_warc(files[-1], [html_capture(url, body, date=date)])
    return url, files


def warc_history(db: Path) -> list[tuple[str, bool, bool]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT v.fetched_at, instr(v.body_text, 'Updated: the plan') > 0, v.id = a.current_version_id "
            "FROM versions v JOIN articles a ON a.id = v.article_id ORDER BY v.fetched_at").fetchall()


def test_warc_files_newest_first_give_the_history_of_date_order(tmp_path):
    url, (jan, feb, mar) = three_captures(tmp_path)
    expected = [(MONTHS["Jan"], 0, 0), (MONTHS["Feb"], 1, 0), (MONTHS["Mar"], 0, 1)]
    scraper.warc_import.archive_warcs([jan, feb, mar], tmp_path / "dated.db")
    assert warc_history(tmp_path / "dated.db") == expected
    scraper.warc_import.archive_warcs([mar, feb, jan], tmp_path / "newest-first.db")
    assert warc_history(tmp_path / "newest-first.db") == expected
    for warc in (mar, feb, jan):  # one import run each
        scraper.warc_import.archive_warcs([warc], tmp_path / "runs.db")
    assert warc_history(tmp_path / "runs.db") == expected


# A capture the archive holds is not stored again, whatever the parser makes of it now ----------

def test_reimporting_a_warc_after_a_parser_upgrade_and_reparse_adds_nothing(tmp_path, monkeypatch):
    url, files = three_captures(tmp_path)
    db = tmp_path / "archive.db"
    scraper.warc_import.archive_warcs(files, db)
    real = scraper.warc_import.parse_document

    def upgraded(doc):  # a parser that reads every page's headline differently
        record = real(doc)
        record = dataclasses.replace(record, title=record.title + " (upgraded)")
        return dataclasses.replace(record, content_hash=compute_content_hash(record))

    monkeypatch.setattr(scraper.warc_import, "parse_document", upgraded)
    monkeypatch.setattr(scraper.reparse, "parse_article",
                        lambda *args, **kwargs: _upgraded_article(real, args, kwargs))
    assert scraper.reparse.reparse_archive(db).changed == 1  # the current version, re-read
    with sqlite3.connect(db) as conn:
        before = conn.execute("SELECT count(*) FROM versions").fetchone()[0]
    assert before == 4

    again = scraper.warc_import.archive_warcs(files, db)
    assert (again.articles_new, again.articles_changed, again.articles_unchanged) == (0, 0, 3)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM versions").fetchone()[0] == before
    # The archive's own captures, given out of order, are recognized too.
    again = scraper.warc_import.archive_warcs(files[::-1], db)
    assert (again.articles_new, again.articles_changed, again.articles_unchanged) == (0, 0, 3)


def _upgraded_article(real_parse_document, args, kwargs):
    from scraper.extract import load_document
    record = real_parse_document(load_document(*args, **kwargs))
    record = dataclasses.replace(record, title=record.title + " (upgraded)")
    return dataclasses.replace(record, content_hash=compute_content_hash(record))


def test_reparse_still_adds_a_version_for_the_current_capture(tmp_path, monkeypatch):
    """reparse stores a re-reading of a capture the archive holds: that is its job."""
    url, files = three_captures(tmp_path)
    db = tmp_path / "archive.db"
    scraper.warc_import.archive_warcs(files, db)
    real = scraper.warc_import.parse_document
    monkeypatch.setattr(scraper.reparse, "parse_article",
                        lambda *args, **kwargs: _upgraded_article(real, args, kwargs))
    summary = scraper.reparse.reparse_archive(db)
    assert (summary.changed, summary.unchanged) == (1, 0)
    with ArchiveStore(db) as store:
        assert store.get_article(url).title.endswith("(upgraded)")


def test_show_diff_compares_the_current_version_with_the_one_before_it_in_time(tmp_path):
    """Stored newest first, version 1 is March's (current) and version 3 January's: the default
    diff is February -> March, not version 2 -> 3 (February -> January, backwards in time)."""
    from archive.readonly import reading_archive
    from archive.show import diff_versions

    path = tmp_path / "archive.db"
    store_all(path, [capture("A", "Mar"), capture("B", "Feb"), capture("A", "Jan")])
    with reading_archive(path) as db:
        header = diff_versions(db, URL).splitlines()[0]
        assert header.endswith(f"version 2 ({MONTHS['Feb']}) -> version 1 ({MONTHS['Mar']})")
        header = diff_versions(db, URL, "3..2").splitlines()[0]  # as asked
        assert header.endswith(f"version 3 ({MONTHS['Jan']}) -> version 2 ({MONTHS['Feb']})")


def test_datasettes_latest_articles_counts_the_versions(tmp_path):
    """Its `versions` column was the current version's number: 1 for an article of 3 versions
    stored newest first."""
    from archive.datasette_metadata import CANNED_QUERIES

    path = tmp_path / "archive.db"
    store_all(path, [capture("A", "Mar"), capture("B", "Feb"), capture("A", "Jan")])
    conn = sqlite3.connect(path)
    try:
        conn.row_factory = sqlite3.Row
        (row,) = conn.execute(CANNED_QUERIES["latest_articles"]["sql"]).fetchall()
        assert conn.execute("SELECT version_no FROM current_versions").fetchone()[0] == 1
    finally:
        conn.close()
    assert row["versions"] == 3 and row["article_url"] == URL
