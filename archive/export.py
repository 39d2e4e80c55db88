"""Exporting article versions as JSON Lines or CSV, one row at a time (constant memory).

JSONL: one object per version: the whole record (``record_json``, every field
and the nested sections, takeaways, comments) plus the archive's own fields
``article_id``, ``article_url``, ``version_id``, ``version_no``,
``version_count``, ``fetched_at``, ``http_status``, ``crawl_id``, and the article's
``gone_at`` / ``gone_status`` (its page answered 404 or 410, or sent it to the home page or
to another archived article's page: the 3xx, or 200 for a meta refresh; or 200 with the
site's "not found" page, a soft 404; null while it is there) and
``paywalled_at`` (its page serves only a teaser since; null while it is free).
CSV: one row per version, nested parts flattened (see ``CSV_COLUMNS``).
"""
from __future__ import annotations

import csv
import json
from typing import Any, Iterator, Optional, TextIO

from sqlite_utils import Database

from scraper.record import ArticleRecord, Comment

from .filters import ArticleFilter, filtered_versions_sql
from .readonly import BadRequest
from .reading import gone_columns, paywalled_column

FORMATS = ("jsonl", "csv")

_VERSION_COLUMNS = ("article_id", "article_url", "version_id", "version_no", "version_count",
                    "fetched_at", "http_status", "crawl_id")
_GONE_COLUMNS = ("gone_at", "gone_status")  # schema 4: last in CSV, so older columns keep their place
ARCHIVE_COLUMNS = (*_VERSION_COLUMNS, *_GONE_COLUMNS, "paywalled_at")
SELECTED = ("a.id AS article_id, a.url AS article_url, v.id AS version_id, v.version_no, "
            "a.version_count, v.fetched_at, v.http_status, v.crawl_id, {gone}, {paywalled}, v.record_json")

CSV_COLUMNS = (
    *_VERSION_COLUMNS, "url", "canonical_url", "site", "site_name", "language", "title", "subtitle",
    "authors", "published_at", "modified_at", "reading_time_minutes", "word_count", "categories",
    "tags", "intro", "sections", "takeaways_heading", "takeaways", "comments_open", "comment_count",
    "image_urls", "extraction", "content_hash", *_GONE_COLUMNS,
    "post_id",  # the record's (empty for versions archived before it was read); added last, as gone_*
    "accessible_for_free", "paywalled_at",  # the record's (1, 0 or empty) and the article's; last, as post_id
)
JOINER = "; "


def iter_versions(db: Database, filters: Optional[ArticleFilter] = None) -> Iterator[dict[str, Any]]:
    """The versions that pass ``filters`` (oldest article first), each as archive fields + ``record``.

    Rows come one at a time from an open cursor, never fetched all at once.
    """
    selected = SELECTED.format(gone=gone_columns(db, "a."), paywalled=paywalled_column(db, "a."))
    sql, params = filtered_versions_sql(selected, filters or ArticleFilter(), "a.id, v.version_no")
    cursor = db.conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    try:
        for values in cursor:
            row = dict(zip(names, values))
            row["record"] = json.loads(row.pop("record_json"))
            yield row
    finally:
        cursor.close()


_RECORD_FIELDS = frozenset(ArticleRecord.__dataclass_fields__)
_COMMENT_FIELDS = frozenset(Comment.__dataclass_fields__)


def jsonl_line(row: dict[str, Any]) -> str:
    return json.dumps({**{name: row[name] for name in ARCHIVE_COLUMNS}, **complete_record(row["record"])},
                      ensure_ascii=False) + "\n"


def complete_record(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` with every field the record has now: a version archived by an older newsarchive
    lacks those added since (``post_id``, ``page_urls``, ``accessible_for_free``, a comment's
    ``published_at_raw``), which come as their defaults (null, []), as ``show`` and CSV read them.

    Rebuilding every record costs about as much as writing it out, so only those that lack a field are.
    """
    if record.keys() >= _RECORD_FIELDS and all(c.keys() >= _COMMENT_FIELDS for c in record.get("comments") or ()):
        return record
    return ArticleRecord.from_dict(record).to_dict()


def csv_row(row: dict[str, Any]) -> dict[str, Any]:
    record = row["record"]
    flat = {name: row[name] for name in ARCHIVE_COLUMNS}
    for name in ("url", "canonical_url", "site", "site_name", "language", "title", "subtitle",
                 "published_at", "modified_at", "reading_time_minutes", "word_count",
                 "takeaways_heading", "extraction", "content_hash", "post_id"):
        flat[name] = record.get(name)
    for name in ("authors", "categories", "tags"):
        flat[name] = JOINER.join(record.get(name) or [])
    flat["intro"] = "\n\n".join(record.get("intro") or [])
    flat["sections"] = "\n\n".join(_section_text(s) for s in record.get("sections") or [])
    flat["takeaways"] = "\n".join(record.get("takeaways") or [])
    for name in ("comments_open", "accessible_for_free"):  # booleans as 0/1, as the archive's columns
        value = record.get(name)
        flat[name] = None if value is None else int(bool(value))
    flat["comment_count"] = len(record.get("comments") or [])
    flat["image_urls"] = JOINER.join(i.get("url") or "" for i in record.get("images") or [])
    return flat


def _section_text(section: dict[str, Any]) -> str:
    """A section as text: its heading marked like Markdown (## for h2), then its paragraphs."""
    paragraphs = "\n\n".join(section.get("paragraphs") or [])
    if not section.get("heading"):
        return paragraphs
    return f"{'#' * max(section.get('level') or 2, 1)} {section['heading']}\n\n{paragraphs}".rstrip()


def export(db: Database, out: TextIO, fmt: str = "jsonl", filters: Optional[ArticleFilter] = None) -> int:
    """Write the versions that pass ``filters`` to ``out`` as ``fmt``; returns how many were written.

    CSV writes its header only once there is a first row, so an export that
    matches nothing writes nothing at all.
    """
    if fmt not in FORMATS:
        raise BadRequest(f"export format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    count = 0
    writer = None
    for row in iter_versions(db, filters):
        if fmt == "jsonl":
            out.write(jsonl_line(row))
        else:
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
                writer.writeheader()
            writer.writerow(csv_row(row))
        count += 1
    return count
