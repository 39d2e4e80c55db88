"""What spiders hand to the pipelines: a parsed page with its provenance, or a failure."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from archive.rawpages import LaterPage

from .record import ArticleRecord

__all__ = ["FetchedPage", "FetchFailure", "LaterPage", "NotModified"]


@dataclass
class FetchedPage:
    record: ArticleRecord
    url: str
    http_status: int
    fetched_at: str
    raw_html: bytes
    content_type: Optional[str] = None
    etag: Optional[str] = None
    last_modified: Optional[str] = None
    warc_file: Optional[str] = None     # the WARC file and offset of the response record
    warc_offset: Optional[int] = None   # (set when the crawl records WARC files)
    # The story's later pages (record.page_urls) fetched and merged into ``record``, in order.
    later_pages: list[LaterPage] = field(default_factory=list)
    # The page answered 304 to our conditional request, and ``raw_html`` is the archive's copy of
    # it: page 1 of a story whose later pages were fetched anyway (ArticleSpider.not_modified_items).
    not_modified: bool = False


@dataclass
class FetchFailure:
    url: str
    reason: str
    http_status: Optional[int] = None
    gone: bool = False  # the page was taken down (a redirect to the home page): mark its article gone


@dataclass
class NotModified:
    """A conditional request answered 304: the archived article ``url`` is unchanged."""
    url: str
    fetched_at: str
    etag: Optional[str] = None
    last_modified: Optional[str] = None
