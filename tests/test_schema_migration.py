"""Archives written by older newsarchive versions are migrated in place, losing nothing.

tests/data/archive-schema-v1.sqlite was written by the schema-1 code (before the
WARC columns and the unstemmed full-text index): 3 articles, one with 2
versions, a crawl, a failure. It is a binary file on purpose: it must be exactly
what that code wrote. Opening it runs every migration, 1 -> 2 -> ... -> 10.
"""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

import archive.schema
from archive import SCHEMA_VERSION, ArchiveError, ArchiveStore
from archive.readonly import reading_archive
from archive.schema import read_schema_version
from archive.search import search_articles
from scraper.record import ArticleRecord

V1 = Path(__file__).parent / "data" / "archive-schema-v1.sqlite"
TABLES = ["newsarchive_meta", "crawls", "crawl_failures", "articles", "versions", "sections",
          "takeaways", "comment_forms", "comment_form_fields", "comments", "authors",
          "version_authors", "terms", "version_terms", "raw_pages"]


def dump(path: Path, skip_columns=("warc_file", "warc_offset", "gone_at", "gone_status", "post_id",
                                   "paywalled_at")) -> dict[str, list[tuple]]:
    """Every row of every table (without the new columns), in a stable order."""
    conn = sqlite3.connect(path)
    try:
        out = {}
        for table in TABLES:
            columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")
                       if row[1] not in skip_columns]
            rows = conn.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY 1, 2").fetchall()
            out[table] = rows
        out["newsarchive_meta"] = [r for r in out["newsarchive_meta"] if r[0] != "schema_version"]
        return out
    finally:
        conn.close()


@pytest.fixture
def old_archive(tmp_path: Path) -> Path:
    path = tmp_path / "old.db"
    shutil.copy(V1, path)
    return path


def test_the_fixture_is_a_schema_1_archive(old_archive):
    with sqlite3.connect(old_archive) as conn:
        assert read_schema_version(conn) == 1
        columns = [row[1] for row in conn.execute("PRAGMA table_info(versions)")]
        assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'versions_fts_unstemmed'").fetchone()
    assert "warc_file" not in columns
    assert SCHEMA_VERSION == 10


def test_opening_migrates_in_place_without_loss(old_archive):
    before = dump(old_archive)
    assert sum(map(len, before.values())) > 30
    ArchiveStore.check(old_archive)  # an older archive is usable, not refused

    with ArchiveStore(old_archive) as store:
        meta = dict(store.db.execute("SELECT key, value FROM newsarchive_meta").fetchall())
        assert meta["schema_version"] == "10"
        columns = {row[1]: row[2] for row in store.db.execute("PRAGMA table_info(versions)")}
        assert (columns["warc_file"], columns["warc_offset"]) == ("TEXT", "INTEGER")
        assert store.db.execute(
            "SELECT count(*) FROM versions WHERE warc_file IS NOT NULL OR warc_offset IS NOT NULL"
        ).fetchone()[0] == 0
        # Reading, versions, search and the view all still work on the old rows.
        url = "https://news.example.com/2025/09/01/story-0/"
        assert store.get_article(url).title == "Story number 0 (updated)"
        assert store.get_article(url, version=1).title == "Story number 0"
        assert b"Story number 0" in store.raw_html(url, version=1)
        assert store.search("Doha", limit=10)
        assert "warc_file" in [row[1] for row in store.db.execute("PRAGMA table_info(current_versions)")]
        assert store.counts() == {"articles": 3, "versions": 4, "crawls": 1, "failures": 1}
        # 3 -> 4: where an article's page went away, empty for the old rows.
        assert store.db.execute("SELECT count(*) FROM articles WHERE gone_at IS NULL AND gone_status IS NULL"
                                ).fetchone()[0] == 3
        # 4 -> 5: versions are found by the URL they were fetched from without a scan.
        plan = store.db.execute("EXPLAIN QUERY PLAN SELECT article_id FROM versions WHERE url = ?", [url]).fetchall()
        assert "idx_versions_url" in str(plan)
        # 5 -> 6: the post ID of each article, unknown for the old rows (reparse fills it in),
        # and an article of a site is found by its post ID without a scan.
        assert store.db.execute("SELECT count(*) FROM articles WHERE post_id IS NULL").fetchone()[0] == 3
        plan = store.db.execute("EXPLAIN QUERY PLAN SELECT id FROM articles WHERE site = ? AND post_id = ?",
                                ["news.example.com", "7"]).fetchall()
        assert "idx_articles_site_post_id" in str(plan)
        # 6 -> 7: since when an article's page serves only a teaser, NULL for the old rows.
        assert store.db.execute("SELECT count(*) FROM articles WHERE paywalled_at IS NULL").fetchone()[0] == 3
        # 7 -> 8: the index of Chinese and Japanese text, empty: none of the old versions has any.
        assert store.db.execute("SELECT count(*) FROM versions_fts_cjk").fetchone()[0] == 0
        # 8 -> 9: the raw pages 2, 3... of stories split over pages, none for the old versions.
        assert store.db.execute("SELECT count(*) FROM raw_later_pages").fetchone()[0] == 0
        # 9 -> 10: no folded text (the old versions have no full-width or compatibility characters).
        assert store.db.execute("SELECT count(*) FROM versions_folded").fetchone()[0] == 0
        # 2 -> 3 and 9 -> 10: the old versions are in the indexes, which FTS5 finds consistent.
        for index in ("versions_fts", "versions_fts_unstemmed"):
            store.db.execute(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)")
        assert store.db.execute("SELECT count(*) FROM versions_fts_unstemmed").fetchone()[0] == 4
        # "situations*" is a prefix of no word as written; stemmed, it is "situat*" (situation).
        assert len(search_articles(store.db, "situation*")) == 3
        assert search_articles(store.db, "situations*") == []

    assert dump(old_archive) == before
    ArchiveStore.check(old_archive)


def test_the_upgrade_says_so_once(old_archive, caplog):
    """Indexing a big archive for schema 3 takes a while: the user is told why the command waits."""
    with caplog.at_level("WARNING", logger="archive.schema"):
        with ArchiveStore(old_archive):
            pass
        with ArchiveStore(old_archive):
            pass
    messages = [r.getMessage() for r in caplog.records if r.name == "archive.schema"]
    assert messages == [f"newsarchive: upgrading {old_archive} from schema version 1 to {SCHEMA_VERSION} "
                        "(4 versions to index for search; this happens once)"]


def test_an_archive_read_before_its_migration_still_answers_prefix_searches(old_archive):
    """Read commands never migrate: without the unstemmed index a prefix* is stemmed as before,
    and show, export and stats give no gone_at or paywalled_at where there is no such column,
    and no post ID: a shortlink names no article there."""
    from archive.export import iter_versions
    from archive.readonly import NotFound
    from archive.show import load_version
    from archive.stats import archive_stats

    with reading_archive(old_archive) as db:
        assert len(search_articles(db, "situations*")) == 3
        assert load_version(db, 1).gone_at is None and load_version(db, 1).paywalled_at is None
        assert {(row["gone_at"], row["paywalled_at"]) for row in iter_versions(db)} == {(None, None)}
        assert archive_stats(db)["paywalled"] == 0
        assert load_version(db, "news.example.com/2025/09/01/story-0").article_id == 1
        with pytest.raises(NotFound, match="there is no article"):
            load_version(db, "news.example.com/?p=1")
    with sqlite3.connect(old_archive) as conn:
        assert read_schema_version(conn) == 1


def test_a_migrated_archive_takes_warc_links(old_archive):
    with ArchiveStore(old_archive) as store:
        old = store.get_article("https://news.example.com/2025/09/02/story-1/")
        record = ArticleRecord.from_dict({**old.to_dict(), "title": "Story number 1, revised",
                                          "content_hash": None})
        result = store.store(record, raw_html=b"<html>revised</html>", fetched_at="2025-09-12T00:00:00Z",
                             warc_file="/warcs/a.warc.gz", warc_offset=1234)
        assert result.status == "changed" and result.version_no == 2
        row = store.db.execute("SELECT warc_file, warc_offset FROM versions WHERE id = ?",
                               [result.version_id]).fetchone()
        assert tuple(row) == ("/warcs/a.warc.gz", 1234)
    with ArchiveStore(old_archive) as store:  # reopening does not migrate again
        assert store.counts()["versions"] == 5


def test_a_failed_migration_leaves_the_old_archive_as_it_was(old_archive, monkeypatch):
    before = dump(old_archive)

    def half_done(db):
        db.execute("ALTER TABLE versions ADD COLUMN warc_file TEXT")
        raise ArchiveError("disk full (simulated)")

    monkeypatch.setitem(archive.schema.MIGRATIONS, 1, half_done)
    with pytest.raises(ArchiveError, match="simulated"):
        ArchiveStore(old_archive)
    with sqlite3.connect(old_archive) as conn:
        assert read_schema_version(conn) == 1
        assert "warc_file" not in [row[1] for row in conn.execute("PRAGMA table_info(versions)")]
    assert dump(old_archive) == before
    monkeypatch.undo()
    with ArchiveStore(old_archive) as store:  # the next open migrates it for real
        assert store.counts()["versions"] == 4
        assert "warc_offset" in [row[1] for row in store.db.execute("PRAGMA table_info(versions)")]
    assert dump(old_archive) == before


@pytest.mark.parametrize("offset, file", [(-1, "a.warc.gz"), ("12", "a.warc.gz"), (True, "a.warc.gz"),
                                          (5, None)])
def test_store_refuses_a_bad_warc_link(tmp_path, offset, file):
    with ArchiveStore(tmp_path / "a.db") as store:
        record = ArticleRecord(url="https://news.example.com/x/", is_article=True, title="X")
        with pytest.raises(ArchiveError, match="warc_offset must be"):
            store.store(record, raw_html=b"<html>", fetched_at="2025-09-12T00:00:00Z",
                        warc_file=file, warc_offset=offset)
        assert store.counts()["versions"] == 0
