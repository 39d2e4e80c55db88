"""Writing one fetched article: decide new / changed / unchanged, then insert its rows.

Call ``write_article`` inside ``write_transaction`` so that a failure at any
step leaves no trace of the article.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from sqlite_utils import Database

from scraper.record import ArticleRecord

from .errors import ArchiveError
from .identity import host_of
from .rawpages import ENCODING, compress_page
from .rows import (comment_form_field_rows, comment_form_row, comment_rows, distinct_names,
                   section_rows, takeaway_rows, version_row)


@dataclass(frozen=True)
class StoreResult:
    """What ``ArchiveStore.store`` did with a record."""
    status: str            # 'new' (first version), 'changed' (a new version), 'unchanged'
    article_id: int
    version_id: int        # the article's current version after the call
    version_no: int
    url: str               # the article's identity URL (articles.url)

    @property
    def added_version(self) -> bool:
        return self.status in ("new", "changed")


@dataclass(frozen=True)
class Fetch:
    """Provenance of one fetch, stored beside the record."""
    raw_html: bytes
    fetched_at: str
    http_status: Optional[int] = 200
    crawl_id: Optional[int] = None
    content_type: Optional[str] = None
    etag: Optional[str] = None
    last_modified: Optional[str] = None


def write_article(db: Database, record: ArticleRecord, url: str, fetch: Fetch) -> StoreResult:
    """Store ``record`` (which must carry its content_hash) as article ``url``."""
    if fetch.crawl_id is not None and not db.execute(
            "SELECT 1 FROM crawls WHERE id = ?", [fetch.crawl_id]).fetchone():
        raise ArchiveError(f"crawl {fetch.crawl_id} does not exist (start one with begin_crawl)")

    article = db.execute(
        "SELECT a.id, a.current_version_id, v.version_no, v.content_hash "
        "FROM articles a LEFT JOIN versions v ON v.id = a.current_version_id WHERE a.url = ?",
        [url],
    ).fetchone()

    if article is None:
        article_id = db.table("articles").insert({
            "url": url,
            "site": record.site or host_of(url),
            "first_seen_at": fetch.fetched_at,
            "last_seen_at": fetch.fetched_at,
            "version_count": 0,
        }).last_pk
        status, version_no = "new", 1
    else:
        article_id, current_version_id, current_no, current_hash = article
        if current_hash == record.content_hash:
            _mark_seen(db, article_id, fetch, version_id=None, version_no=None)
            return StoreResult("unchanged", article_id, current_version_id, current_no, url)
        status, version_no = "changed", (current_no or 0) + 1

    version_id = _insert_version(db, record, article_id, version_no, fetch)
    _mark_seen(db, article_id, fetch, version_id=version_id, version_no=version_no)
    return StoreResult(status, article_id, version_id, version_no, url)


def _insert_version(db: Database, record: ArticleRecord, article_id: int,
                    version_no: int, fetch: Fetch) -> int:
    version_id = db.table("versions").insert(version_row(
        record, article_id=article_id, version_no=version_no, crawl_id=fetch.crawl_id,
        fetched_at=fetch.fetched_at, http_status=fetch.http_status,
    )).last_pk
    db.table("sections").insert_all(section_rows(version_id, record))
    db.table("takeaways").insert_all(takeaway_rows(version_id, record))
    form = comment_form_row(version_id, record)
    if form is not None:
        db.table("comment_forms").insert(form)
        db.table("comment_form_fields").insert_all(comment_form_field_rows(version_id, record))
    db.table("comments").insert_all(comment_rows(version_id, record))
    _link_authors(db, version_id, record.authors)
    _link_terms(db, version_id, "tag", record.tags)
    _link_terms(db, version_id, "category", record.categories)
    db.table("raw_pages").insert({
        "version_id": version_id,
        "content_type": fetch.content_type,
        "encoding": ENCODING,
        "size": len(fetch.raw_html),
        "content": compress_page(fetch.raw_html),
    })
    return version_id


def _link_authors(db: Database, version_id: int, names: list[str]) -> None:
    authors = db.table("authors")
    db.table("version_authors").insert_all(
        {"version_id": version_id, "author_id": authors.lookup({"name": name}), "position": position}
        for position, name in enumerate(distinct_names(names))
    )


def _link_terms(db: Database, version_id: int, kind: str, names: list[str]) -> None:
    terms = db.table("terms")
    db.table("version_terms").insert_all(
        {"version_id": version_id, "term_id": terms.lookup({"kind": kind, "name": name}),
         "position": position}
        for position, name in enumerate(distinct_names(names))
    )


def _mark_seen(db: Database, article_id: int, fetch: Fetch, *,
               version_id: Optional[int], version_no: Optional[int]) -> None:
    """Update the article's bookkeeping after a fetch (and point it at a new version)."""
    assignments = [
        "last_seen_at = max(last_seen_at, :fetched_at)",
        "first_seen_at = min(first_seen_at, :fetched_at)",
        "last_crawl_id = coalesce(:crawl_id, last_crawl_id)",
        "etag = :etag",
        "last_modified = :last_modified",
    ]
    if version_id is not None:
        assignments += ["current_version_id = :version_id", "version_count = :version_no"]
    db.execute(
        f"UPDATE articles SET {', '.join(assignments)} WHERE id = :article_id",
        {"fetched_at": fetch.fetched_at, "crawl_id": fetch.crawl_id, "etag": fetch.etag,
         "last_modified": fetch.last_modified, "version_id": version_id,
         "version_no": version_no, "article_id": article_id},
    )
