"""Extraction: HTML in, :class:`~scraper.record.ArticleRecord` out.

Each module extracts one group of fields with its own fallback chain
(structured data first, then the DOM); this module only sequences them.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional, Union

from ..record import ArticleRecord, compute_content_hash
from . import body, comments, metadata, pages, pagetype
from .limits import bound_record
from .document import Document, NotHTMLError, load_document
from .pages import merge_pages

__all__ = ["parse_article", "parse_document", "load_document", "NotHTMLError", "Document",
           "merge_pages"]


def parse_article(
    html: Union[bytes, str],
    url: Optional[str] = None,
    *,
    content_type: Optional[str] = None,
    fetched_at: Optional[datetime] = None,
) -> ArticleRecord:
    """Parse one page into a record. Never raises on bad input: a page that is
    not HTML comes back as a non-article record whose ``problems`` say why."""
    try:
        doc = load_document(html, url, content_type=content_type, fetched_at=fetched_at)
    except NotHTMLError as exc:
        return ArticleRecord(url=url, is_article=False, problems=[str(exc)])
    return parse_document(doc)


def parse_document(doc: Document) -> ArticleRecord:
    record = ArticleRecord(url=doc.url)
    metadata.fill(doc, record)
    record.is_article = pagetype.is_article(doc, record)
    if record.is_article:
        body.fill(doc, record)
        comments.fill(doc, record)
        record.page_urls = pages.later_page_urls(doc)
        if record.reading_time_minutes is None and record.word_count:
            record.reading_time_minutes = body.reading_minutes(record.word_count)
    bound_record(record)
    record.content_hash = compute_content_hash(record)
    return record
