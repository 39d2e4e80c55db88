"""Full-text search over the current version of every article (FTS5, bm25 ranking)."""
from __future__ import annotations

import sqlite3
from typing import Any

from sqlite_utils import Database

from .errors import ArchiveError
from .reading import check_limit

# bm25 column weights for (title, subtitle, body_text): a hit in the title counts most.
WEIGHTS = (10.0, 5.0, 1.0)
SNIPPET_TOKENS = 16

SEARCH_SQL = f"""
    SELECT articles.url, versions.title, versions.published_at,
           snippet(versions_fts, -1, '[', ']', '…', {SNIPPET_TOKENS}) AS snippet,
           bm25(versions_fts, {', '.join(map(str, WEIGHTS))}) AS rank,
           articles.id AS article_id, versions.version_no
    FROM versions_fts
    JOIN versions ON versions.id = versions_fts.rowid
    JOIN articles ON articles.current_version_id = versions.id
    WHERE versions_fts MATCH :match
    ORDER BY rank
    LIMIT :limit
"""


def search(db: Database, query: str, limit: int = 10, *, raw: bool = False) -> list[dict[str, Any]]:
    """Articles whose current version matches ``query``, best first.

    By default every word of ``query`` is quoted (``Database.quote_fts``), so
    punctuation and words like AND/OR/NOT are searched for literally and all
    words must occur. ``raw=True`` passes FTS5 query syntax through
    (``"exact phrase"``, ``OR``, ``NOT``, ``prefix*``, ``title:word``).
    Each result has url, title, published_at and a snippet with the matches
    marked ``[like this]``.
    """
    if not isinstance(query, str) or not query.strip():
        raise ArchiveError("the search query is empty")
    match = query.strip() if raw else db.quote_fts(query.strip())
    if not match.strip():
        raise ArchiveError(f"the search query {query!r} has no words to search for")
    try:
        return list(db.query(SEARCH_SQL, {"match": match, "limit": check_limit(limit)}))
    except sqlite3.OperationalError as exc:
        hint = ("; check the FTS5 query syntax" if raw
                else "; try fewer punctuation characters")
        raise ArchiveError(f"cannot search for {query!r}: {exc}{hint}") from exc
