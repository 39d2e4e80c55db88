"""HTTP validators for the sample site: ETag and Last-Modified, and the 304 decision.

Re-crawl tests need a server that answers conditional requests the way real
news sites (WordPress behind a cache) do, so that "304 Not Modified" paths get
exercised end to end.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from typing import Mapping, Optional


def etag_for(body: bytes) -> str:
    """A strong ETag over the exact bytes: any edit, even in the page chrome, changes it."""
    return '"' + hashlib.blake2b(body, digest_size=10).hexdigest() + '"'


def http_date(when: datetime) -> str:
    return format_datetime(when.astimezone(timezone.utc).replace(microsecond=0), usegmt=True)


def _parse_http_date(value: str) -> Optional[datetime]:
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _etag_matches(header: str, etag: str) -> bool:
    """Weak comparison (RFC 9110 13.1.2), as If-None-Match requires."""
    if header.strip() == "*":
        return True
    ours = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == ours for tag in header.split(","))


def not_modified(request_headers: Mapping[str, str], etag: Optional[str],
                 last_modified: Optional[datetime]) -> bool:
    """True when a GET/HEAD with these headers should get 304 (RFC 9110 13.2.2).

    If-None-Match wins over If-Modified-Since when both are sent, so a page whose
    bytes changed without a new modification time is still sent whole.
    """
    inm = request_headers.get("If-None-Match")
    if inm is not None:
        return etag is not None and _etag_matches(inm, etag)
    ims = request_headers.get("If-Modified-Since")
    if ims is not None and last_modified is not None:
        since = _parse_http_date(ims)
        return since is not None and last_modified.replace(microsecond=0) <= since
    return False
