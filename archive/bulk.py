"""Loading many new articles at once: the same rows ``ArchiveStore.store`` writes, much faster.

For generated archives (benchmarks, tests that need thousands of rows), not for
crawls: it assumes every record is a new article (no version comparison) and
writes with plain ``executemany`` in one transaction per batch.
"""
from __future__ import annotations

import dataclasses
from typing import Iterable, Optional

from sqlite_utils import Database

from scraper.record import ArticleRecord, compute_content_hash

from .cjk import index_version as index_cjk
from .fold import INSERT_FOLDED, folded_row
from .identity import article_url, host_of, post_key
from .rawpages import ENCODING, compress_page
from .rows import (comment_form_field_rows, comment_form_row, comment_rows, distinct_names,
                   section_rows, takeaway_rows, version_row)
from .schema import FTS_COLUMNS, FTS_INSERT_TRIGGERS
from .transaction import write_transaction
from .writer import at_own_address


def bulk_store_new(db: Database, records: Iterable[tuple[ArticleRecord, bytes]], *, fetched_at: str,
                   crawl_id: Optional[int] = None, batch: int = 2000) -> int:
    """Store each ``(record, raw_html)`` as a new article (version 1); returns how many were stored."""
    authors = dict(db.execute("SELECT name, id FROM authors").fetchall())
    terms = {(kind, name): id_ for id_, kind, name in db.execute("SELECT id, kind, name FROM terms")}
    pending: list[tuple[ArticleRecord, bytes]] = []
    count = 0
    for item in records:
        pending.append(item)
        if len(pending) >= batch:
            count += _write_batch(db, pending, fetched_at, crawl_id, authors, terms)
            pending = []
    if pending:
        count += _write_batch(db, pending, fetched_at, crawl_id, authors, terms)
    return count


def _insert(db: Database, table: str, rows: list[dict]) -> None:
    if rows:
        columns = list(rows[0])
        db.conn.executemany(
            f"INSERT INTO [{table}] ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [[row[c] for c in columns] for row in rows])


def _write_batch(db: Database, items: list[tuple[ArticleRecord, bytes]], fetched_at: str,
                 crawl_id: Optional[int], authors: dict, terms: dict) -> int:
    conn = db.conn
    with write_transaction(db):
        # Indexing the batch with one INSERT ... SELECT is several times faster than
        # the per-row insert trigger; the trigger is restored, from its own SQL,
        # inside the same transaction, so no commit ever leaves the archive without it.
        triggers = {name: sql for name, sql in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'versions'")
            if name in FTS_INSERT_TRIGGERS.values()}
        for name in triggers:
            conn.execute(f"DROP TRIGGER [{name}]")
        first_new_id = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM versions").fetchone()[0]
        folded_rows = []  # written once the batch is indexed: their trigger swaps text already indexed
        for record, raw_html in items:
            if not record.content_hash:
                record = dataclasses.replace(record, content_hash=compute_content_hash(record))
            url = article_url(record)
            article_id = conn.execute(
                "INSERT INTO articles (url, site, first_seen_at, last_seen_at, version_count, last_crawl_id, post_id) "
                "VALUES (?, ?, ?, ?, 1, ?, ?)",
                [url, record.site or host_of(url), fetched_at, fetched_at, crawl_id,
                 post_key(record.post_id) if at_own_address(record, url) else None]).lastrowid
            row = version_row(record, article_id=article_id, version_no=1, crawl_id=crawl_id,
                              fetched_at=fetched_at, http_status=200)
            _insert(db, "versions", [row])
            version_id = conn.execute("SELECT last_insert_rowid()").fetchone()[0]
            folded = folded_row(row)
            if folded is not None:
                folded_rows.append((version_id, *folded.values()))
            index_cjk(conn, version_id, folded or row)
            conn.execute("UPDATE articles SET current_version_id = ? WHERE id = ?", [version_id, article_id])
            _insert(db, "sections", section_rows(version_id, record))
            _insert(db, "takeaways", takeaway_rows(version_id, record))
            form = comment_form_row(version_id, record)
            if form is not None:
                _insert(db, "comment_forms", [form])
                _insert(db, "comment_form_fields", comment_form_field_rows(version_id, record))
            _insert(db, "comments", comment_rows(version_id, record))
            _insert(db, "version_authors", [
                {"version_id": version_id, "author_id": _id_of(conn, authors, name, "authors", {"name": name}),
                 "position": position} for position, name in enumerate(distinct_names(record.authors))])
            for kind, names in (("tag", record.tags), ("category", record.categories)):
                _insert(db, "version_terms", [
                    {"version_id": version_id,
                     "term_id": _id_of(conn, terms, (kind, name), "terms", {"kind": kind, "name": name}),
                     "position": position} for position, name in enumerate(distinct_names(names))])
            _insert(db, "raw_pages", [{"version_id": version_id, "content_type": "text/html; charset=UTF-8",
                                       "encoding": ENCODING, "size": len(raw_html),
                                       "content": compress_page(raw_html)}])
        columns = ", ".join(FTS_COLUMNS)
        for index, trigger in FTS_INSERT_TRIGGERS.items():
            if trigger in triggers:
                conn.execute(f"INSERT INTO {index} (rowid, {columns}) "
                             f"SELECT id, {columns} FROM versions WHERE id >= ?", [first_new_id])
                conn.execute(triggers[trigger])
        conn.executemany(INSERT_FOLDED, folded_rows)
    return len(items)


def _id_of(conn, known: dict, key, table: str, values: dict) -> int:
    """The id of a lookup row (author, term), inserting it the first time it is seen."""
    if key not in known:
        known[key] = conn.execute(
            f"INSERT INTO {table} ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
            list(values.values())).lastrowid
    return known[key]
