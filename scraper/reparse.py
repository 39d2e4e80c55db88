"""Re-extracting stored pages with the current parser: `newsarchive reparse --db archive.db`.

The archive keeps the raw HTML of every version, so when the parser improves the
archive can too. Each article's current page is parsed again (with its original
URL, Content-Type and fetch time, so relative dates resolve as they did) and a
new version is stored only where the record differs: its content, or a field the
content hash leaves out (a date, the reading time, the images, the comment form). Only the current
version is re-parsed: storing a re-parse of an older page would make stale
content current again. Pages that come out unchanged are not written at all.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Optional, Union

from archive import ArchiveError, ArchiveStore
from archive.rawpages import decompress_page
from archive.writer import later_pages as stored_later_pages, same_content as archived_content

from .extract import merge_pages, parse_article

SPIDER = "reparse"

_CURRENT_PAGES = """
    SELECT a.id AS article_id, a.url AS article_url, a.etag, a.last_modified,
           v.id AS version_id, v.url, v.fetched_at, v.http_status, v.content_hash, v.record_json,
           v.warc_file, v.warc_offset, r.content_type, r.encoding, r.content
    FROM articles a
    JOIN versions v ON v.id = a.current_version_id
    LEFT JOIN raw_pages r ON r.version_id = v.id
    WHERE a.id = ?
"""


@dataclass
class ReparseSummary:
    db_path: str
    checked: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    crawl_id: Optional[int] = None
    elapsed_seconds: float = 0.0

    def progress_text(self) -> str:
        return (f"checked {self.checked}  changed {self.changed}  unchanged {self.unchanged}"
                f"  failed {self.failed}")

    def lines(self) -> list[str]:
        head = (f"reparse #{self.crawl_id} of {self.db_path}" if self.crawl_id
                else f"reparse of {self.db_path} (nothing changed)")
        return [head,
                f"  pages checked      {self.checked} in {self.elapsed_seconds:.1f}s",
                f"  records            changed {self.changed}, unchanged {self.unchanged},"
                f" failed {self.failed}"]


def _meaningful(record: dict) -> dict:
    """A record without its empty fields: a field added to the record since the archived one
    was made (absent there, empty here) is no change. Nor is the content hash, compared
    already, by the current rules (a release may change them). Nor is the post ID: it names the post
    and goes to articles.post_id (an archive made before it gets it there, not a version
    of every article). Nor is accessible_for_free, read since: a subscription site marks every
    article not free (metered ones too), and an archive of it would get a version of each."""
    return {key: _without_empty(value) for key, value in record.items()
            if value not in (None, "", [], {}) and key not in _NOT_COMPARED}


_NOT_COMPARED = ("post_id", "content_hash", "accessible_for_free")


def _without_empty(value):
    """Lists of objects (comments, sections, images) without their empty fields either: a
    comment's published_at_raw, added later, is None for a machine-readable date."""
    if isinstance(value, list):
        return [_without_empty(item) for item in value]
    if isinstance(value, dict):
        return {key: _without_empty(item) for key, item in value.items() if item not in (None, "", [], {})}
    return value


def _parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class _Reparser:
    def __init__(self, store: ArchiveStore, summary: ReparseSummary) -> None:
        self.store = store
        self.summary = summary

    def fail(self, row: dict, reason: str) -> None:
        self.summary.failed += 1
        self.summary.errors.append(f"{row['article_url']}: {reason}")

    def reparse(self, article_id: int) -> None:
        # list(): no read statement may stay open while store() writes.
        row = list(self.store.db.query(_CURRENT_PAGES, [article_id]))[0]
        summary = self.summary
        summary.checked += 1
        if row["content"] is None:
            self.fail(row, "no raw page is stored for its current version")
            return
        try:
            raw = decompress_page(row["content"], row["encoding"])
            fetched_at = _parse_time(row["fetched_at"])
            record = parse_article(raw, row["url"], content_type=row["content_type"], fetched_at=fetched_at)
            # A story split over several pages: the version's text is all of them, merged as a crawl does.
            later = stored_later_pages(self.store.db.conn, row["version_id"])
            if later:
                record = merge_pages(record, [parse_article(page.raw_html, page.url, content_type=page.content_type,
                                                            fetched_at=fetched_at) for page in later])
        except Exception as exc:  # one bad page (or parser bug) must not stop the others
            self.fail(row, f"cannot re-parse it: {type(exc).__name__}: {exc}")
            return
        # A version hashed by an earlier release (other hash rules) is compared by its record.
        same_content = archived_content(self.store.db.conn, row["version_id"], row["content_hash"], record)
        if same_content and _meaningful(record.to_dict()) == _meaningful(json.loads(row["record_json"])):
            summary.unchanged += 1
            if record.post_id:
                self.store.note_post_id(article_id, record)
            return
        if not record.is_article:
            self.fail(row, "the current parser no longer sees an article in it")
            return
        named, _ = self.store.archived_as(record)
        if named != row["article_url"]:
            # Storing it would start a second article instead of a new version.
            self.fail(row, f"the current parser names it {named}")
            return
        if summary.crawl_id is None:
            summary.crawl_id = self.store.begin_crawl(SPIDER, None, {})
        result = self.store.store(
            record, raw_html=raw, fetched_at=row["fetched_at"], http_status=row["http_status"],
            crawl_id=summary.crawl_id, content_type=row["content_type"], etag=row["etag"],
            last_modified=row["last_modified"], warc_file=row["warc_file"],
            warc_offset=row["warc_offset"], later_pages=later, force_version=True)  # a stored page, read anew
        if result.status == "changed":
            summary.changed += 1
        else:  # no longer read as the article's own page (a copy of it: writer.is_copy)
            summary.unchanged += 1


def reparse_archive(db_path: Union[str, Path],
                    progress: Optional[Callable[[ReparseSummary], None]] = None) -> ReparseSummary:
    """Re-parse every article's current raw page; store a new version where the record changed."""
    if not Path(db_path).is_file():
        raise ArchiveError(f"there is no archive at {db_path}")
    ArchiveStore.check(db_path)
    started = time.monotonic()
    summary = ReparseSummary(db_path=str(db_path))
    with ArchiveStore(db_path) as store:
        reparser = _Reparser(store, summary)
        ids = [row[0] for row in store.db.execute("SELECT id FROM articles ORDER BY id")]
        status = "interrupted"
        try:
            for article_id in ids:
                reparser.reparse(article_id)
                if progress is not None:
                    progress(summary)
            status = "finished"
        finally:
            summary.elapsed_seconds = time.monotonic() - started
            if summary.crawl_id is not None:
                store.finish_crawl(summary.crawl_id, status, {
                    "articles_changed": summary.changed, "articles_unchanged": summary.unchanged,
                    "failures": summary.failed})
    return summary
