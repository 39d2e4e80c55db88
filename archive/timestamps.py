"""Timestamps the archive writes itself (crawl start and end, failure times)."""
from __future__ import annotations

from datetime import datetime, timezone


def utc_now() -> str:
    """Now, as ISO 8601 in UTC with a Z: the same form the record uses for dates."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
