"""`newsarchive reparse`: re-extract stored pages, add a version only where the record changed."""
from __future__ import annotations

import dataclasses
import json
import sqlite3
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

import scraper.reparse
from archive import ArchiveError, ArchiveStore
from scraper.extract import parse_article
from scraper.record import ArticleRecord, compute_content_hash
from tests.conftest import PAGES, run_cli

NAMES = ["jnews", "classic", "relative_date", "windows1252"]
FETCHED = "2025-09-10T08:00:00Z"
TABLES = ["articles", "versions", "raw_pages", "sections", "crawls", "crawl_failures"]


def page(name: str) -> tuple[str, bytes, str]:
    expected = json.loads((PAGES / f"{name}.expected.json").read_text())
    return expected["url"], (PAGES / f"{name}.html").read_bytes(), expected.get("fetched_at", FETCHED)


def parsed(name: str):
    url, html, fetched = page(name)
    moment = datetime.fromisoformat(fetched.replace("Z", "+00:00"))
    return parse_article(html, url, content_type="text/html", fetched_at=moment)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """An archive of pages stored as the current parser reads them."""
    path = tmp_path / "archive.db"
    with ArchiveStore(path) as store:
        crawl_id = store.begin_crawl("news", "https://example.com/", {})
        for n, name in enumerate(NAMES):
            url, html, fetched = page(name)
            store.store(parsed(name), raw_html=html, fetched_at=fetched, crawl_id=crawl_id,
                        content_type="text/html", etag=f'"etag-{n}"',
                        warc_file="/warcs/crawl.warc.gz", warc_offset=1000 * n)
        store.finish_crawl(crawl_id, "finished")
    return path


def counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def test_an_unchanged_parser_adds_nothing(db):
    before = counts(db)
    summary = scraper.reparse.reparse_archive(db)
    assert (summary.checked, summary.changed, summary.unchanged, summary.failed) == (4, 0, 4, 0)
    assert summary.crawl_id is None
    assert counts(db) == before  # not even a crawls row


def test_a_record_from_an_older_parser_gets_a_new_version(db):
    url, html, fetched = page("classic")
    stale = dataclasses.replace(parsed("classic"), title="Headline the old parser got wrong",
                                content_hash=None)
    with ArchiveStore(db) as store:
        assert store.store(stale, raw_html=html, fetched_at="2025-09-11T09:00:00Z",
                           content_type="text/html", etag='"newer"',
                           warc_file="/warcs/later.warc.gz", warc_offset=777).status == "changed"
    summary = scraper.reparse.reparse_archive(db)
    assert (summary.checked, summary.changed, summary.unchanged, summary.failed) == (4, 1, 3, 0)
    with ArchiveStore(db) as store:
        assert [v["version_no"] for v in store.versions(url)] == [1, 2, 3]
        assert store.get_article(url, version=2).title == "Headline the old parser got wrong"
        current = store.get_article(url)
        assert current.title == parsed("classic").title != "Headline the old parser got wrong"
        assert current.content_hash == parsed("classic").content_hash
        row = store.db.execute(
            "SELECT v.fetched_at, v.warc_file, v.warc_offset, a.etag, a.version_count, c.spider "
            "FROM articles a JOIN versions v ON v.id = a.current_version_id "
            "JOIN crawls c ON c.id = v.crawl_id WHERE a.url = ?", [url]).fetchone()
        # The new version comes from the same fetch: its time, WARC record and validators.
        assert tuple(row) == ("2025-09-11T09:00:00Z", "/warcs/later.warc.gz", 777, '"newer"', 3, "reparse")
        crawl = store.crawl(summary.crawl_id)
        assert (crawl["status"], crawl["articles_changed"], crawl["articles_unchanged"]) == ("finished", 1, 3)
    again = scraper.reparse.reparse_archive(db)
    assert (again.changed, again.unchanged) == (0, 4)


def test_a_correction_outside_the_content_hash_gets_a_new_version_too(db):
    # The hash leaves out the dates' second half, reading time, images, the comment form...:
    # a parser fixed there changed nothing on reparse, and a re-crawl cannot fix it either.
    url, html, fetched = page("jnews")
    right = parsed("jnews")
    stale = dataclasses.replace(right, modified_at=None, reading_time_minutes=99, images=[])
    assert stale.content_hash == right.content_hash
    with ArchiveStore(db) as store:
        store.db.execute("UPDATE versions SET record_json = ? WHERE url = ?", [stale.to_json(), url])
        store.db.conn.commit()
    summary = scraper.reparse.reparse_archive(db)
    assert (summary.checked, summary.changed, summary.unchanged, summary.failed) == (4, 1, 3, 0)
    with ArchiveStore(db) as store:
        assert [v["version_no"] for v in store.versions(url)] == [1, 2]
        current = store.get_article(url)
        assert current.reading_time_minutes == right.reading_time_minutes != 99
        assert current.modified_at == right.modified_at and current.images == right.images
    assert scraper.reparse.reparse_archive(db).changed == 0
    # a record field added since the archived record was made is no change when it is empty
    with ArchiveStore(db) as store:
        stored = json.loads(store.db.execute("SELECT record_json FROM versions WHERE url = ? AND version_no = 2",
                                             [url]).fetchone()[0])
        assert stored.get("problems") == []
        del stored["problems"]
        store.db.execute("UPDATE versions SET record_json = ? WHERE url = ? AND version_no = 2",
                         [json.dumps(stored), url])
        store.db.conn.commit()
    assert scraper.reparse.reparse_archive(db).changed == 0


def test_an_article_kept_under_its_http_identity_is_reparsed_and_stays_gone(tmp_path):
    # The site moved to https; the article stayed the http one (one article, not two), which
    # reparse then refused ("the current parser names it https://..."). And a re-parse cleared
    # the article's gone mark.
    url, html, fetched = page("classic")
    right = parsed("classic")
    db = tmp_path / "archive.db"
    with ArchiveStore(db) as store:
        old = dataclasses.replace(right, url=right.url.replace("https://", "http://"),
                                  canonical_url=right.canonical_url.replace("https://", "http://"),
                                  content_hash=None)
        store.store(old, raw_html=html, fetched_at="2025-09-01T08:00:00Z")
        stale = dataclasses.replace(right, title=right.title + " (old parser)", content_hash=None)
        assert store.store(stale, raw_html=html, fetched_at=fetched).url.startswith("http://")
        store.record_failure(None, right.url, "HTTP 410", 410)
    summary = scraper.reparse.reparse_archive(db)
    assert (summary.changed, summary.failed) == (1, 0), summary.errors
    with ArchiveStore(db) as store:
        assert store.get_article(url.replace("https://", "http://")).title == right.title
        assert store.db.execute("SELECT gone_status FROM articles").fetchone()[0] == 410


def test_a_changed_parser_changes_only_the_pages_it_reads_differently(db, monkeypatch):
    target, _, _ = page("jnews")
    real = scraper.reparse.parse_article

    def improved(html, url=None, **kwargs):
        record = real(html, url, **kwargs)
        if url == target:
            record = dataclasses.replace(record, subtitle="A standfirst the new parser finds")
            record.content_hash = compute_content_hash(record)
        return record

    monkeypatch.setattr(scraper.reparse, "parse_article", improved)
    summary = scraper.reparse.reparse_archive(db)
    assert (summary.checked, summary.changed, summary.unchanged, summary.failed) == (4, 1, 3, 0)
    with ArchiveStore(db) as store:
        assert store.get_article(target).subtitle == "A standfirst the new parser finds"
        assert store.get_article(target, version=1).subtitle != "A standfirst the new parser finds"
        assert counts(db)["versions"] == 5


def test_relative_dates_are_resolved_against_the_original_fetch_time(db):
    """Re-parsing "3 days ago" today would change the record; the stored fetch time keeps it."""
    url, html, fetched = page("relative_date")
    today = parse_article(html, url, content_type="text/html")
    assert today.published_at != parsed("relative_date").published_at  # the page is relative
    summary = scraper.reparse.reparse_archive(db)
    assert (summary.changed, summary.unchanged) == (0, 4)
    with ArchiveStore(db) as store:
        assert [v["fetched_at"] for v in store.versions(url)] == [fetched]


def test_cli_counts_failures_and_keeps_going(db):
    url, _, _ = page("windows1252")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE raw_pages SET content = x'00ff00ff' WHERE version_id = "
                     "(SELECT current_version_id FROM articles WHERE url = ?)", [url])
    result = run_cli("reparse", "--db", str(db), "-q")
    assert result.returncode == 1
    assert "changed 0, unchanged 3, failed 1" in result.stdout
    assert f"newsarchive: {url}: cannot re-parse it: " in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_reparse_ok_and_missing_archive(db, tmp_path):
    result = run_cli("reparse", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "pages checked      4" in result.stdout
    assert "changed 0, unchanged 4, failed 0" in result.stdout
    missing = tmp_path / "nothing.db"
    result = run_cli("reparse", "--db", str(missing))
    assert result.returncode == 2
    assert result.stderr == f"newsarchive: there is no archive at {missing}\n"
    assert not missing.exists()
    with pytest.raises(ArchiveError, match="there is no archive"):
        scraper.reparse.reparse_archive(missing)


def test_a_version_taken_from_a_copy_of_the_story_is_reparsed(tmp_path, monkeypatch):
    # A copy at another address (here a print copy, canonical link to the story) adds no
    # version once the story is archived, but may start it; its page is re-parsed as any other.
    url, html, fetched = page("classic")
    parts = urlsplit(url)
    printed_url = urlunsplit(parts._replace(path="/print" + parts.path))
    moment = datetime.fromisoformat(fetched.replace("Z", "+00:00"))
    db = tmp_path / "archive.db"
    with ArchiveStore(db) as store:
        record = parse_article(html, printed_url, content_type="text/html", fetched_at=moment)
        result = store.store(record, raw_html=html, fetched_at=fetched, content_type="text/html")
        assert (result.status, result.url) == ("new", record.canonical_url)
    real = scraper.reparse.parse_article

    def improved(html, url=None, **kwargs):
        return dataclasses.replace(real(html, url, **kwargs), subtitle="A standfirst the new parser finds",
                                   content_hash=None)

    monkeypatch.setattr(scraper.reparse, "parse_article", improved)
    summary = scraper.reparse.reparse_archive(db)
    assert (summary.checked, summary.changed, summary.failed) == (1, 1, 0), summary.errors
    with ArchiveStore(db) as store:
        assert store.get_article(result.url).subtitle == "A standfirst the new parser finds"
        assert [v["version_no"] for v in store.versions(result.url)] == [1, 2]


def test_reparse_fills_in_the_post_ids_of_an_archive_made_before_them(db):
    # An archive made before schema 6 has no post IDs (its records have no post_id field), so
    # its articles could not be found again after a permalink change. reparse reads them
    # from the stored pages without adding a version of every article.
    with ArchiveStore(db) as store:
        for version_id, record_json in store.db.execute("SELECT id, record_json FROM versions").fetchall():
            record = json.loads(record_json)
            del record["post_id"]
            store.db.execute("UPDATE versions SET record_json = ? WHERE id = ?", [json.dumps(record), version_id])
        store.db.execute("UPDATE articles SET post_id = NULL")
        store.db.conn.commit()
    before = counts(db)
    summary = scraper.reparse.reparse_archive(db)
    assert (summary.checked, summary.changed, summary.unchanged, summary.failed) == (4, 0, 4, 0)
    assert counts(db) == before
    with sqlite3.connect(db) as conn:
        assert dict(conn.execute("SELECT url, post_id FROM articles").fetchall()) == {
            page(name)[0]: post_id for name, post_id in [
                ("jnews", "3301"), ("classic", "wp.me/p8Hq1-8g"), ("relative_date", "905"), ("windows1252", "55")]}


def test_comments_archived_before_their_date_text_was_kept_are_no_change(db):
    # A record made before comments kept published_at_raw has no such key; a comment dated by a
    # machine-readable time gets None for it now, which is nothing new.
    with ArchiveStore(db) as store:
        for version_id, record_json in store.db.execute("SELECT id, record_json FROM versions").fetchall():
            record = json.loads(record_json)
            for comment in record["comments"]:
                assert comment.pop("published_at_raw") is None
            store.db.execute("UPDATE versions SET record_json = ? WHERE id = ?", [json.dumps(record), version_id])
        store.db.conn.commit()
        assert store.db.execute("SELECT count(*) FROM versions WHERE record_json LIKE '%\"comments\": [{%'"
                                ).fetchone()[0] >= 1  # the fixtures have comments
    before = counts(db)
    summary = scraper.reparse.reparse_archive(db)
    assert (summary.checked, summary.changed, summary.unchanged, summary.failed) == (4, 0, 4, 0)
    assert counts(db) == before


def test_versions_hashed_by_an_earlier_release_are_no_change(db):
    # The review: reparse of an archive made before the hash rules changed (tags sorted,
    # captions in) added a version to 274 of the sample site's 320 articles.
    from tests.test_record import hash_as_archived
    with ArchiveStore(db) as store:
        for version_id, record_json in store.db.execute("SELECT id, record_json FROM versions").fetchall():
            old = hash_as_archived(ArticleRecord.from_dict(json.loads(record_json)))
            store.db.execute("UPDATE versions SET content_hash = ? WHERE id = ?", [old, version_id])
        store.db.conn.commit()
        assert store.db.execute("SELECT count(*) FROM versions v JOIN articles a ON a.current_version_id = v.id"
                                ).fetchone()[0] == 4
    before = counts(db)
    summary = scraper.reparse.reparse_archive(db)
    assert (summary.checked, summary.changed, summary.unchanged, summary.failed) == (4, 0, 4, 0)
    assert counts(db) == before
