"""An archive of the current schema turned into what an older newsarchive wrote, for migration tests."""
from __future__ import annotations

import sqlite3

from sqlite_utils import Database

from archive.cjk import CJK_INDEX, index_stored_versions
from archive.schema import FTS_COLUMNS, _create_unstemmed_index


def as_schema_9(conn: sqlite3.Connection) -> None:
    """Schema 9: the main indexes over versions' text as written (versions_fts made by sqlite-utils'
    enable_fts, versions_fts_unstemmed by the 2 -> 3 migration, as schema 9 made them), the CJK index
    of the text as written, and no folded text."""
    for trigger in ("versions_ai", "versions_ad", "versions_au", "versions_unstemmed_ai"):
        conn.execute(f"DROP TRIGGER {trigger}")
    for statement in ("DROP TABLE versions_fts", "DROP TABLE versions_fts_unstemmed",
                      "DROP VIEW versions_indexed_text", "DROP TABLE versions_folded"):  # its triggers go with it
        conn.execute(statement)
    db = Database(conn)
    db.table("versions").enable_fts(list(FTS_COLUMNS), create_triggers=True, tokenize="porter unicode61")
    _create_unstemmed_index(db)
    conn.execute(f"DELETE FROM {CJK_INDEX}")
    index_stored_versions(conn)
    conn.execute("UPDATE newsarchive_meta SET value = '9' WHERE key = 'schema_version'")
