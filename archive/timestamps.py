"""Timestamps: the ones the archive writes itself (crawl start and end, failure times), and
comparing the fetch times it is given, which come written more than one way."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Optional, Union


def utc_now() -> str:
    """Now, as ISO 8601 in UTC with a Z: the same form the record uses for dates."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def instant(text: str) -> Optional[datetime]:
    """The moment an ISO 8601 timestamp names (UTC when it names no zone); None if it names none."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except (AttributeError, TypeError, ValueError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def time_key(text: str) -> tuple[int, Union[datetime, str]]:
    """Sort key for fetch times, by the moment each names. As text, '…00Z' came after
    '…00.500000Z' ('Z' > '.') and '12:00:00+02:00' after '11:00:00Z'. Text that is no
    timestamp sorts before every timestamp, by its text."""
    moment = instant(text)
    return (1, moment) if moment is not None else (0, text or "")


def earliest(a: str, b: str) -> str:
    return b if time_key(b) < time_key(a) else a


def latest(a: str, b: str) -> str:
    return b if time_key(b) > time_key(a) else a
