"""Datasette metadata for an archive: descriptions from the schema docs, full-text search, canned queries."""
from __future__ import annotations

import sqlite3
from typing import Any

from .schema_docs import column_description, table_docs

# Views take the descriptions of the table they show.
VIEW_BASES = {"current_versions": "versions"}

# Searching these with Datasette's ?_search= goes through versions_fts (rowid = versions.id).
FTS_TABLES = ("versions", "current_versions")

CANNED_QUERIES: dict[str, dict[str, Any]] = {
    "latest_articles": {
        "title": "Latest articles",
        "description": "The 100 most recently published articles (current versions), newest first.",
        # versions: the article's count; the current version's number is not it when an older
        # capture was archived after it (a WARC imported newest first: version 1 of 3).
        "sql": "SELECT cv.article_url, cv.title, cv.published_at, cv.site, a.version_count AS versions\n"
               "FROM current_versions cv JOIN articles a ON a.id = cv.article_id\n"
               "ORDER BY cv.published_at IS NULL, cv.published_at DESC LIMIT 100",
    },
    "search_takeaways": {
        "title": "Search key takeaways",
        "description": "Key takeaways (of current versions) containing the given text, any case.",
        "sql": "SELECT t.text AS takeaway, cv.title, cv.published_at, cv.article_url\n"
               "FROM takeaways t JOIN current_versions cv ON cv.id = t.version_id\n"
               "WHERE t.text LIKE '%' || :text || '%'\n"
               "ORDER BY cv.published_at DESC, t.position LIMIT 200",
    },
    "article_versions": {
        "title": "All versions of an article",
        "description": "Every stored version of the article at :url, oldest first.",
        "sql": "SELECT v.version_no, v.fetched_at, v.title, v.word_count, v.content_hash, v.crawl_id\n"
               "FROM versions v JOIN articles a ON a.id = v.article_id\n"
               "WHERE a.url = :url ORDER BY v.version_no",
    },
    "crawl_failures": {
        "title": "Crawl failures",
        "description": "Pages crawls could not fetch or parse, and imported captures of taken-down pages, newest first, with their crawl.",
        "sql": "SELECT f.failed_at, f.url, f.reason, f.http_status, f.crawl_id, c.spider, c.start_url\n"
               "FROM crawl_failures f LEFT JOIN crawls c ON c.id = f.crawl_id\n"
               "ORDER BY f.failed_at DESC, f.id DESC LIMIT 1000",
    },
}


def datasette_metadata(conn: sqlite3.Connection, database: str) -> dict[str, Any]:
    """Datasette metadata for the archive open on ``conn``, served as database ``database``."""
    docs = table_docs()
    tables: dict[str, Any] = {}
    for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
            "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'versions_fts_%' ORDER BY name"):
        columns = [row[0] for row in conn.execute("SELECT name FROM pragma_table_info(?)", [name])]
        base = VIEW_BASES.get(name)
        doc = docs.get(name) or docs.get(base or "")
        table: dict[str, Any] = {
            "description": doc.text if doc else "",
            "columns": {column: column_description(docs, name, column, base) for column in columns},
        }
        if name in FTS_TABLES:
            table.update(fts_table="versions_fts", fts_pk="id")
        tables[name] = table
    return {
        "title": "newsarchive",
        "description": "A newsarchive archive of news articles, read-only. The tables are described "
                       "in archive/schema.py; dates are ISO 8601 UTC text, JSON columns hold JSON text.",
        "databases": {database: {"tables": tables, "queries": CANNED_QUERIES}},
    }
