"""A fetch that found an article unchanged without sending it again (HTTP 304 Not Modified).

There is no content to compare, so no version is added: the article is only
marked as seen by this crawl, keeping any validators the 304 carried.
"""
from __future__ import annotations

from typing import Optional

from sqlite_utils import Database

from .crawls import FOUND_AGAIN_SQL
from .errors import ArchiveError
from .transaction import write_transaction


def mark_unchanged(db: Database, url: str, fetched_at: str, crawl_id: Optional[int] = None,
                   etag: Optional[str] = None, last_modified: Optional[str] = None) -> bool:
    """Record that article ``url`` was seen unchanged at ``fetched_at``; False if it is not archived."""
    if not isinstance(url, str) or not url:
        raise ArchiveError("mark_unchanged() needs the article's url")
    if not isinstance(fetched_at, str) or not fetched_at.strip():
        raise ArchiveError("mark_unchanged() needs fetched_at, the fetch time as ISO 8601 text")
    with write_transaction(db):
        if crawl_id is not None and not db.execute(
                "SELECT 1 FROM crawls WHERE id = ?", [crawl_id]).fetchone():
            raise ArchiveError(f"crawl {crawl_id} does not exist (start one with begin_crawl)")
        cursor = db.execute(
            "UPDATE articles SET last_seen_at = max(last_seen_at, :fetched_at), "
            "last_crawl_id = coalesce(:crawl_id, last_crawl_id), "
            "etag = coalesce(:etag, etag), last_modified = coalesce(:last_modified, last_modified), "
            f"{FOUND_AGAIN_SQL} WHERE url = :url",
            {"fetched_at": fetched_at, "crawl_id": crawl_id, "etag": etag,
             "last_modified": last_modified, "url": url})
        return cursor.rowcount > 0


def mark_unchanged_at(db: Database, page_url: str, fetched_at: str, crawl_id: Optional[int] = None,
                      etag: Optional[str] = None, last_modified: Optional[str] = None) -> int:
    """A 304 for the page ``page_url`` (the URL fetched, which the article may be archived
    under another spelling of): mark_unchanged for each article whose page it is
    (crawls.articles_at). Returns how many articles were marked."""
    from .crawls import articles_at

    ids = sorted(articles_at(db, page_url))
    urls = [row[0] for article_id in ids
            for row in db.execute("SELECT url FROM articles WHERE id = ?", [article_id]).fetchall()]
    return sum(mark_unchanged(db, url, fetched_at, crawl_id, etag, last_modified) for url in urls)
