"""Full-text search over the archived articles (FTS5, bm25 ranking): the library's ``search`` and the command's ``search_articles``."""
from __future__ import annotations

import json
import sqlite3
from typing import Any, Optional

from sqlite_utils import Database

from .errors import ArchiveError
from .filters import ArticleFilter
from .readonly import BadRequest
from .reading import check_limit

# bm25 column weights for (title, subtitle, body_text): a hit in the title counts most.
WEIGHTS = (10.0, 5.0, 1.0)
SNIPPET_TOKENS = 16
RANKING = f"bm25({', '.join(map(str, WEIGHTS))})"

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


# -- the `newsarchive search` command: FTS5 query syntax, filters, highlighted snippets --------

def search_articles(db: Database, query: str, filters: Optional[ArticleFilter] = None, limit: int = 20, *,
                    highlight: tuple[str, str] = ("[", "]")) -> list[dict[str, Any]]:
    """Versions matching FTS5 ``query`` that pass ``filters``, best (lowest bm25) first.

    ``query`` is FTS5 syntax, passed to MATCH as a parameter: words (all must
    occur), ``"exact phrase"``, ``OR``, ``NOT``, ``prefix*``, ``title:word``.
    Broken syntax raises BadRequest. Each result: article_id, url, version_no,
    title, site, authors (list), published_at, snippet (matches wrapped in
    ``highlight``) and score (bm25: lower is better).
    """
    filters = filters or ArticleFilter()
    if not isinstance(query, str) or not query.strip():
        raise BadRequest("the search query is empty")
    conditions, params = filters.where()
    conditions[:0] = ["versions_fts MATCH :match", "versions_fts.rank MATCH :ranking"]
    # ORDER BY the FTS table's own rank column (set to weighted bm25 by the
    # "rank MATCH" constraint) lets FTS5 sort the matches itself, so snippet()
    # and the author lookup run for the rows on the page only, not every match.
    sql = f"""
        SELECT a.id AS article_id, a.url, v.version_no, v.title, a.site, v.published_at,
               (SELECT json_group_array(name) FROM (
                   SELECT au.name FROM version_authors va JOIN authors au ON au.id = va.author_id
                   WHERE va.version_id = v.id ORDER BY va.position)) AS authors,
               snippet(versions_fts, -1, :open, :close, '…', {SNIPPET_TOKENS}) AS snippet,
               versions_fts.rank AS score
        FROM versions_fts
        JOIN versions v ON v.id = versions_fts.rowid
        JOIN articles a ON a.id = v.article_id
        WHERE {' AND '.join(conditions)}
        ORDER BY versions_fts.rank
        LIMIT :limit"""
    params.update(match=query.strip(), ranking=RANKING, open=highlight[0], close=highlight[1],
                  limit=check_limit(limit))
    try:
        rows = list(db.query(sql, params))
    except sqlite3.OperationalError as exc:
        # MATCH parses the query while the statement runs, so its syntax errors
        # arrive as OperationalError; so would a locked or damaged file.
        if not any(word in str(exc) for word in ("locked", "busy", "malformed", "disk", "readonly")):
            raise BadRequest(f"bad search query {query!r}: {exc} (FTS5 syntax: words, \"a phrase\", "
                             f"OR, NOT, prefix*, title:word)") from exc
        raise
    for row in rows:
        row["authors"] = json.loads(row["authors"])
    return rows
