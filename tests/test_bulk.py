"""The bulk loader (benchmarks, big test archives) writes exactly the rows ArchiveStore.store writes."""
from __future__ import annotations

import sqlite3

from archive import ArchiveStore
from archive.bulk import bulk_store_new
from tests.research_archive import build_research_archive

FETCHED = "2025-11-01T08:00:00Z"
# Columns that legitimately differ between the two paths.
IGNORED = {"content_type"}


def table_rows(path, table):
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    rows = conn.execute(f"SELECT * FROM [{table}] ORDER BY rowid").fetchall()
    return [{k: row[k] for k in row.keys() if k not in IGNORED} for row in rows]


def test_bulk_rows_equal_store_rows(tmp_path):
    research = build_research_archive(tmp_path / "source.db", articles=12)
    with ArchiveStore(research.path) as source:
        records = [source.get_article(t["url"]) for t in research.truths]
        pages = [source.raw_html(t["url"]) for t in research.truths]
    one_by_one, bulk = tmp_path / "store.db", tmp_path / "bulk.db"
    with ArchiveStore(one_by_one) as store:
        for record, page in zip(records, pages):
            store.store(record, raw_html=page, fetched_at=FETCHED)
    with ArchiveStore(bulk) as store:
        assert bulk_store_new(store.db, zip(records[:5], pages[:5]), fetched_at=FETCHED, batch=2) == 5
        assert bulk_store_new(store.db, zip(records[5:], pages[5:]), fetched_at=FETCHED) == 7
    for table in ("articles", "versions", "sections", "takeaways", "comment_forms", "comment_form_fields",
                  "comments", "authors", "version_authors", "terms", "version_terms", "raw_pages"):
        assert table_rows(bulk, table) == table_rows(one_by_one, table), table
    with sqlite3.connect(bulk) as a, sqlite3.connect(one_by_one) as b:
        for index in ("versions_fts", "versions_fts_unstemmed"):
            match = f"SELECT rowid FROM {index} WHERE {index} MATCH 'the' ORDER BY rowid"
            assert a.execute(match).fetchall() == b.execute(match).fetchall() != [], index
        triggers = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
        assert a.execute(triggers).fetchall() == b.execute(triggers).fetchall()
        assert a.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
