"""How raw HTML is kept in ``raw_pages.content``: gzip-compressed bytes."""
from __future__ import annotations

import gzip

from .errors import ArchiveError

ENCODING = "gzip"


def compress_page(raw: bytes) -> bytes:
    # mtime=0 makes the stored bytes depend only on the page, not on the clock.
    return gzip.compress(raw, compresslevel=6, mtime=0)


def decompress_page(content: bytes, encoding: str) -> bytes:
    if encoding == ENCODING:
        return gzip.decompress(content)
    if encoding in (None, "", "identity"):
        return bytes(content)
    raise ArchiveError(f"raw page stored with an unknown encoding {encoding!r}")
