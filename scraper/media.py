"""Which HTTP responses may be web pages. The crawl and the WARC import ask the same
question, so that importing a crawl's own WARC archives what the crawl archived."""
from __future__ import annotations

from typing import Optional

# Media types that are never a page. Anything else (text/plain, application/octet-stream,
# a missing type: how misconfigured servers label HTML) is parsed, and the parser refuses
# what turns out to be binary or to have no markup.
NOT_PAGES = (
    "image/", "audio/", "video/", "font/", "application/pdf", "application/zip", "application/gzip",
    "text/css", "text/javascript", "application/javascript", "application/x-javascript",
    "application/json", "application/wasm",
)


def media_type(content_type: Optional[str]) -> str:
    """``text/html`` of ``text/html; charset=UTF-8``; empty when there is none."""
    return (content_type or "").split(";")[0].strip().lower()


def may_be_page(content_type: Optional[str]) -> bool:
    return not media_type(content_type).startswith(NOT_PAGES)
