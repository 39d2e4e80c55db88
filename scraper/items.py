"""What spiders hand to the pipelines: a parsed page with its provenance, or a failure."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .record import ArticleRecord


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


@dataclass
class FetchFailure:
    url: str
    reason: str
    http_status: Optional[int] = None
