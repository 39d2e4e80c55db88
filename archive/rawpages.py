"""How raw HTML is kept in ``raw_pages.content`` and ``raw_later_pages.content``: gzip-compressed bytes."""
from __future__ import annotations

import gzip
from dataclasses import dataclass
from typing import Optional

from .errors import ArchiveError

ENCODING = "gzip"


@dataclass(frozen=True)
class LaterPage:
    """Page 2, 3... of a story split over several pages, as fetched: a version's text holds
    theirs, and ``raw_later_pages`` their HTML."""
    url: str
    raw_html: bytes
    content_type: Optional[str] = None


def compress_page(raw: bytes) -> bytes:
    # mtime=0 makes the stored bytes depend only on the page, not on the clock.
    return gzip.compress(raw, compresslevel=6, mtime=0)


def decompress_page(content: bytes, encoding: str) -> bytes:
    if encoding == ENCODING:
        return gzip.decompress(content)
    if encoding in (None, "", "identity"):
        return bytes(content)
    raise ArchiveError(f"raw page stored with an unknown encoding {encoding!r}")
