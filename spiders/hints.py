"""What a sitemap or feed says about an article before we fetch it.

A hint travels in the article request's ``meta[HINTS]`` as a plain dict (so it
survives Scrapy's JOBDIR request queues): ``source`` ("sitemap", "news sitemap",
"rss", "atom"), and any of ``published_at`` / ``modified_at`` (the source's text),
``title``, ``authors``. The page itself is the authority: a hint only fills a
field the parsed record left empty, and says so in the record's ``problems``.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Optional

from scraper.record import ArticleRecord, compute_content_hash

HINTS = "newsarchive_hints"
UTC = timezone.utc
# A time without a zone could be anywhere from UTC-12 to UTC+14.
_ZONES = (timedelta(hours=14), timedelta(hours=12))


def hint_range(text: Optional[str]) -> Optional[tuple[datetime, datetime]]:
    """(earliest, latest) UTC instants a sitemap/feed date can mean, or None if unreadable.

    Accepts W3C datetimes (``2025-09-01``, ``2025-09-01T10:00:00+02:00``) and RSS's
    RFC 822 dates. A day, or a time without a zone, is a range rather than an instant.
    """
    if not text:
        return None
    text = text.strip()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        day = None
    if day is not None:
        start = datetime.combine(day, time.min, tzinfo=UTC)
        return start - _ZONES[0], start + timedelta(days=1) + _ZONES[1]
    moment: Optional[datetime] = None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if moment.tzinfo is None:
        naive = moment.replace(tzinfo=UTC)
        return naive - _ZONES[0], naive + _ZONES[1]
    moment = moment.astimezone(UTC)
    return moment, moment


def hint_iso(text: Optional[str]) -> Optional[str]:
    """A hint date as the record's ISO UTC text, when it names an instant (not just a day)."""
    found = hint_range(text)
    if found is None or found[0] != found[1]:
        return None
    return found[0].strftime("%Y-%m-%dT%H:%M:%SZ")


def make_hints(source: str, **values: Any) -> dict:
    return {"source": source, **{k: v for k, v in values.items() if v not in (None, "", [])}}


def fill_gaps(record: ArticleRecord, hints: Optional[dict]) -> list[str]:
    """Fill the record's empty title, authors and dates from ``hints``; return the fields filled."""
    if not hints:
        return []
    filled = []
    source = hints.get("source", "hint")
    if not record.title and hints.get("title"):
        record.title = hints["title"]
        filled.append("title")
    if not record.authors and hints.get("authors"):
        record.authors = list(hints["authors"])
        filled.append("authors")
    for name in ("published_at", "modified_at"):
        if getattr(record, name) is None and (value := hint_iso(hints.get(name))):
            setattr(record, name, value)
            setattr(record, name + "_raw", getattr(record, name + "_raw") or hints[name])
            filled.append(name)
    if filled:
        record.problems = [*record.problems, *(f"{name} from the {source}" for name in filled)]
        record.content_hash = compute_content_hash(record)
    return filled
