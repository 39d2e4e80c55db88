"""Is every archived version whole? For the crash and concurrency tests.

A version is whole when its child rows (sections, takeaways, comment form and
its fields, comments, authors, tags and categories, raw page)
are exactly what its own ``record_json`` says, and its article points at it.
A write that stopped half way would leave a version with fewer rows than its
record, or rows without a version.
"""
from __future__ import annotations

import json
import sqlite3
from collections import Counter

from archive.rows import distinct_names

# table -> how many rows a version should have there, from its record
CHILD_TABLES = {
    "sections": lambda r: len(r["sections"]),
    "takeaways": lambda r: len(r["takeaways"]),
    "comment_forms": lambda r: 1 if r["comment_form"] else 0,
    "comment_form_fields": lambda r: len(r["comment_form"]["fields"]) if r["comment_form"] else 0,
    "comments": lambda r: len(r["comments"]),
    "version_authors": lambda r: len(distinct_names(r["authors"])),
    "version_terms": lambda r: len(distinct_names(r["tags"])) + len(distinct_names(r["categories"])),
    "raw_pages": lambda r: 1,
}


def half_written(conn: sqlite3.Connection) -> list[str]:
    """Every way the archive's versions are not whole, as readable lines (empty: all whole).

    Reads in one transaction, so it judges one snapshot even while a crawl writes.
    """
    problems = []
    began = not conn.in_transaction
    if began:
        conn.execute("BEGIN")
    try:
        versions = {vid: json.loads(rj) for vid, rj in conn.execute("SELECT id, record_json FROM versions")}
        for table, expected in CHILD_TABLES.items():
            have = Counter(dict(conn.execute(f"SELECT version_id, count(*) FROM {table} GROUP BY version_id")))
            for vid in set(have) - set(versions):
                problems.append(f"{have[vid]} {table} rows for missing version {vid}")
            for vid, record in versions.items():
                if have[vid] != expected(record):
                    problems.append(f"version {vid} ({record['url']}): {have[vid]} {table} rows, "
                                    f"its record has {expected(record)}")
        for article_id, url, current, count, top, n in conn.execute(
                "SELECT a.id, a.url, a.current_version_id, a.version_count, max(v.version_no), count(v.id) "
                "FROM articles a LEFT JOIN versions v ON v.article_id = a.id GROUP BY a.id"):
            if current not in versions or not (count == top == n) or url not in (versions[current]["canonical_url"], versions[current]["url"]):
                problems.append(f"article {article_id} {url}: current version {current}, "
                                f"version_count {count}, versions {n} (highest {top})")
        orphans = conn.execute("SELECT count(*) FROM versions WHERE article_id NOT IN "
                               "(SELECT id FROM articles)").fetchone()[0]
        if orphans:
            problems.append(f"{orphans} versions without an article")
    finally:
        if began:
            conn.execute("COMMIT")
    return problems


def full_text_index_problem(conn: sqlite3.Connection):
    """None if both FTS5 indexes hold exactly the versions' text, else SQLite's complaint.

    FTS5's 'integrity-check' command is an INSERT: it needs a writable connection.
    """
    for index in ("versions_fts", "versions_fts_unstemmed"):
        try:
            conn.execute(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError as exc:
            return f"{index}: {exc}"
    return None
