"""ArchiveStore: the archive file, opened for writing and reading.

    with ArchiveStore("news.db") as store:
        crawl_id = store.begin_crawl("news", "https://example.com/", {})
        result = store.store(record, raw_html=body, fetched_at="2025-09-09T10:30:00Z",
                             crawl_id=crawl_id)
        store.finish_crawl(crawl_id, "finished", {"articles_new": 1})
        store.search("nato summit")

The tables are described in ``archive.schema``. Every method raises ArchiveError
for expected problems; each ``store()`` call is one transaction.
"""
from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any, Optional, Sequence, Union

from sqlite_utils import Database

from scraper.record import ArticleRecord, compute_content_hash

from . import crawls, reading, search as search_module, unchanged
from .check import check_archive, check_writable
from .cutoff import cut_off, ends_whole
from .errors import ArchiveError, sqlite_errors_as_archive_errors
from .filenames import file_name_text
from .identity import article_url, post_key
from .rawpages import LaterPage
from .reading import ArticleRef
from .schema import SCHEMA_VERSION, ensure_schema, read_schema_version
from .transaction import write_transaction
from .writer import (Fetch, StoreResult, at_own_address, find_article, is_copy, same_content,
                     serves_teaser, write_article)

BUSY_TIMEOUT_MS = 30_000


class ArchiveStore:
    """An open archive file. ``.db`` is the sqlite_utils.Database underneath."""

    check = staticmethod(check_archive)
    check_writable = staticmethod(check_writable)

    def __init__(self, path: Union[str, os.PathLike]):
        check_archive(path)
        self.path = Path(path)
        if not self.path.exists() and not self.path.parent.is_dir():
            raise ArchiveError(f"cannot create {self.path}: directory {self.path.parent} does not exist")
        self.db: Optional[Database] = None
        with sqlite_errors_as_archive_errors(f"cannot open {self.path}"):
            try:
                self.db = Database(str(self.path))
                self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                self.db.enable_wal()
                # WAL + synchronous=NORMAL: commits stay atomic, a power cut can
                # only lose the last few commits, and writes are much faster.
                self.db.execute("PRAGMA synchronous = NORMAL")
                self.db.execute("PRAGMA foreign_keys = ON")
                if read_schema_version(self.db.conn) != SCHEMA_VERSION:
                    with write_transaction(self.db):
                        ensure_schema(self.db)  # creates or migrates; re-reads the version
            except BaseException:
                self.close()
                raise

    def __repr__(self) -> str:
        return f"<ArchiveStore {str(self.path)!r}>"

    def __enter__(self) -> "ArchiveStore":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None

    def _database(self) -> Database:
        if self.db is None:
            raise ArchiveError(f"the archive {self.path} is closed")
        return self.db

    # Writing ---------------------------------------------------------------

    def store(self, record: ArticleRecord, *, raw_html: bytes, fetched_at: str,
              http_status: Optional[int] = 200, crawl_id: Optional[int] = None,
              content_type: Optional[str] = None, etag: Optional[str] = None,
              last_modified: Optional[str] = None, warc_file: Optional[str] = None,
              warc_offset: Optional[int] = None,
              compressed_html: Optional[bytes] = None, force_version: bool = False,
              later_pages: Sequence[LaterPage] = ()) -> StoreResult:
        """Archive one fetch of one article; returns what was done (new/changed/unchanged).

        A copy of an archived article at another address under its headline (a print or
        AMP copy: ``writer.is_copy``) adds no version once the article's own page is
        archived: it is 'unchanged', with ``copy`` set on the result.

        ``warc_file``/``warc_offset`` name the WARC response record the page came from (a
        file name that is not UTF-8 is kept with those bytes as ``\\xNN``: file_name_text).
        ``compressed_html``, if given, is ``compress_page(raw_html)`` done by the caller
        (the crawl pipeline compresses in a worker thread while the next page is parsed).

        ``later_pages``: the pages 2, 3... of a story split over several pages, whose text
        ``record`` holds (scraper.extract.merge_pages); kept in ``raw_later_pages``.

        ``force_version`` adds a version even when the content hash is the current one's (see
        ``write_article``: `reparse` uses it for corrections outside the hashed fields).

        A record without a content_hash gets one from scraper.record.compute_content_hash
        (the caller's record is not modified).
        """
        db = self._database()
        if not isinstance(record, ArticleRecord):
            raise ArchiveError(f"store() takes an ArticleRecord, not {type(record).__name__}")
        if isinstance(raw_html, (bytearray, memoryview)):
            raw_html = bytes(raw_html)
        if not isinstance(raw_html, bytes):
            raise ArchiveError(f"raw_html must be the fetched bytes, not {type(raw_html).__name__}")
        if not isinstance(fetched_at, str) or not fetched_at.strip():
            raise ArchiveError("store() needs fetched_at, the fetch time as ISO 8601 text")
        if warc_offset is not None and (isinstance(warc_offset, bool) or not isinstance(warc_offset, int)
                                        or warc_offset < 0 or not warc_file):
            raise ArchiveError(f"warc_offset must be a byte offset >= 0 in warc_file, not {warc_offset!r}")
        url = article_url(record)
        if not record.content_hash:
            record = dataclasses.replace(record, content_hash=compute_content_hash(record))
        fetch = Fetch(raw_html=raw_html, fetched_at=fetched_at, http_status=http_status,
                      crawl_id=crawl_id, content_type=content_type, etag=etag,
                      last_modified=last_modified, warc_offset=warc_offset,
                      warc_file=warc_file and file_name_text(warc_file),  # a name in any bytes
                      compressed_html=compressed_html, later_pages=tuple(later_pages))
        with sqlite_errors_as_archive_errors(f"could not store {url} in {self.path}"):
            with write_transaction(db):
                return write_article(db, record, url, fetch, force_version=force_version)

    def archived_as(self, record: ArticleRecord) -> tuple[str, Optional[int]]:
        """The identity URL a store() of ``record`` would use, and the article's id (None: new)."""
        with sqlite_errors_as_archive_errors(f"could not read {self.path}"):
            url, article, _ = find_article(self._database().conn, article_url(record), record)
        return url, article[0] if article is not None else None

    def is_unchanged(self, record: ArticleRecord) -> bool:
        """True if storing this record would add no version: the archive's current version of
        its article has the record's content, or the record is a copy of the article at
        another address (writer.is_copy), or its page serving only a teaser of the current
        version (writer.serves_teaser). A page that moves the article to its URL adds one."""
        if not record.content_hash:
            record = dataclasses.replace(record, content_hash=compute_content_hash(record))
        with sqlite_errors_as_archive_errors(f"could not read {self.path}"):
            conn = self._database().conn
            url, article, moved_from = find_article(conn, article_url(record), record)
            return article is not None and moved_from is None and (
                same_content(conn, article[1], article[3], record) or is_copy(record, url, article)
                or serves_teaser(conn, record, url, article))

    def cut_short(self, record: ArticleRecord, raw_html: bytes) -> Optional[str]:
        """Why ``raw_html`` (``record`` parsed from it) is its archived article's page cut off
        before its end (archive.cutoff: it stops before ``</html>`` with the current version's
        text cut off); None when it is not known to be, or the article is not archived. A
        store() of it would make the cut text the article's current version."""
        if ends_whole(raw_html):  # nearly every page: no query
            return None
        with sqlite_errors_as_archive_errors(f"could not read {self.path}"):
            conn = self._database().conn
            url, article, moved_from = find_article(conn, article_url(record), record)
            if article is None or moved_from is not None or not at_own_address(record, url):
                return None
            return cut_off(conn, article[1], record, raw_html)

    def note_post_id(self, article_id: int, record: ArticleRecord) -> bool:
        """Keep ``record``'s post ID as article ``article_id``'s (articles.post_id) when its page
        was fetched at the article's own address; ``reparse`` fills it in this way for articles
        archived before schema version 6. Adds no version. Returns whether it changed."""
        key = post_key(record.post_id)
        with sqlite_errors_as_archive_errors(f"could not update article {article_id} in {self.path}"):
            db = self._database()
            row = db.execute("SELECT url, post_id FROM articles WHERE id = ?", [article_id]).fetchone()
            if key is None or row is None or row[1] == key or not at_own_address(record, row[0]):
                return False
            with write_transaction(db):
                db.execute("UPDATE articles SET post_id = ? WHERE id = ?", [key, article_id])
        return True

    def begin_crawl(self, spider: str, start_url: Optional[str] = None,
                    args: Optional[dict] = None) -> int:
        with sqlite_errors_as_archive_errors(f"could not start a crawl in {self.path}"):
            return crawls.begin_crawl(self._database(), spider, start_url, args)

    def finish_crawl(self, crawl_id: int, status: str, counts: Optional[dict] = None) -> None:
        with sqlite_errors_as_archive_errors(f"could not finish crawl {crawl_id} in {self.path}"):
            crawls.finish_crawl(self._database(), crawl_id, status, counts)

    def mark_unchanged(self, url: str, fetched_at: str, crawl_id: Optional[int] = None, *,
                       etag: Optional[str] = None, last_modified: Optional[str] = None) -> bool:
        """A fetch answered 304 Not Modified: article ``url`` was seen, no version added.

        Returns False (and changes nothing) if ``url`` is not an archived article.
        """
        with sqlite_errors_as_archive_errors(f"could not update {url} in {self.path}"):
            return unchanged.mark_unchanged(self._database(), url, fetched_at, crawl_id,
                                            etag, last_modified)

    def mark_unchanged_at(self, page_url: str, fetched_at: str, crawl_id: Optional[int] = None, *,
                          etag: Optional[str] = None, last_modified: Optional[str] = None) -> int:
        """A 304 Not Modified for the page ``page_url``, as mark_unchanged, for each article
        whose page it is (articles_at): what an imported 304 capture says. Returns how many."""
        with sqlite_errors_as_archive_errors(f"could not update {page_url} in {self.path}"):
            return unchanged.mark_unchanged_at(self._database(), page_url, fetched_at, crawl_id,
                                               etag, last_modified)

    def record_takedown(self, crawl_id: Optional[int], url: str, reason: str, http_status: int,
                        at: str) -> int:
        """The page ``url`` answered ``http_status`` (404, 410, a redirect home) at ``at``, as a
        capture in a WARC file says: its articles are marked gone and a failure row written, as
        a crawl's failure does (crawls.record_takedown); returns how many articles the answer
        was about (marked now or before)."""
        with sqlite_errors_as_archive_errors(f"could not update {url} in {self.path}"):
            return crawls.record_takedown(self._database(), crawl_id, url, reason, http_status, at)

    def mark_interrupted(self, job: str, current_crawl_id: int) -> list[int]:
        """Mark earlier runs of ``job`` still 'running' (killed) as 'interrupted'; returns their ids."""
        with sqlite_errors_as_archive_errors(f"could not update crawls in {self.path}"):
            return crawls.mark_interrupted(self._database(), job, current_crawl_id)

    def articles_at(self, url: str) -> set[int]:
        """The ids of the articles whose page is ``url`` (crawls.articles_at): those a 404 marks gone."""
        with sqlite_errors_as_archive_errors(f"could not read {self.path}"):
            return crawls.articles_at(self._database(), url)

    def record_failure(self, crawl_id: Optional[int], url: str, reason: str,
                       http_status: Optional[int] = None, *, gone: Optional[bool] = None) -> int:
        """A failure row; ``gone`` (default: a 404 or 410) marks the articles fetched from ``url`` gone."""
        with sqlite_errors_as_archive_errors(f"could not record a failure in {self.path}"):
            return crawls.record_failure(self._database(), crawl_id, url, reason, http_status, gone=gone)

    # Reading ---------------------------------------------------------------

    def get_article(self, url_or_id: ArticleRef, version: Optional[int] = None) -> ArticleRecord:
        """The record of the article's current version, or of version number ``version``."""
        with self._reading():
            return reading.get_article(self._database(), url_or_id, version)

    def versions(self, url_or_id: ArticleRef) -> list[dict[str, Any]]:
        with self._reading():
            return reading.list_versions(self._database(), url_or_id)

    def raw_html(self, url_or_id: ArticleRef, version: Optional[int] = None) -> bytes:
        with self._reading():
            return reading.raw_html(self._database(), url_or_id, version)

    def latest(self, limit: int = 10) -> list[dict[str, Any]]:
        with self._reading():
            return reading.latest(self._database(), limit)

    def search(self, query: str, limit: int = 10, *, raw: bool = False) -> list[dict[str, Any]]:
        with self._reading():
            return search_module.search(self._database(), query, limit, raw=raw)

    def counts(self) -> dict[str, int]:
        with self._reading():
            return reading.counts(self._database())

    def crawl(self, crawl_id: int) -> dict[str, Any]:
        with self._reading():
            return crawls.get_crawl(self._database(), crawl_id)

    def crawl_failures(self, crawl_id: int) -> list[dict[str, Any]]:
        with self._reading():
            return crawls.crawl_failures(self._database(), crawl_id)

    def _reading(self):
        return sqlite_errors_as_archive_errors(f"could not read {self.path}")
