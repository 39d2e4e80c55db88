"""Deciding which sitemap or feed entries to fetch, before fetching any of them.

An entry is not requested when its URL is out of scope, when its date hints put it
clearly outside the --since/--until window, or when its ``lastmod`` / ``updated`` is
older than our last fetch of that URL (an incremental re-crawl). The last two count
as ``newsarchive/articles_skipped``.
"""
from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Optional

from archive import ArchiveError
from archive.lookups import last_fetched_at

from .hints import hint_range

logger = logging.getLogger(__name__)


@dataclass
class Candidate:
    url: str
    hints: dict
    published: Optional[str] = None     # the entry's publication date, as the source wrote it
    modified: Optional[str] = None      # its lastmod / updated, as the source wrote it


def _instant(iso: str) -> Optional[datetime]:
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        return None


class EntryGate:
    def __init__(self, spider) -> None:
        self.spider = spider
        self.stats = spider.crawler.stats
        self.db_path = spider.settings.get("ARCHIVE_DB")
        self.lastmod_skipping = spider.settings.getbool("NEWSARCHIVE_LASTMOD_SKIP", True)
        # A site lists an article in several sitemaps (index, news, ...): decide, and count, once.
        # hash() of each URL: an int's memory instead of the URL's, for every article of the site.
        self._decided: set[int] = set()

    def _skip(self, stat: str) -> None:
        self.stats.inc_value("newsarchive/articles_skipped")
        self.stats.inc_value(stat)

    def admit(self, candidates: list[Candidate]) -> list[Candidate]:
        scope = self.spider.scope
        in_scope = []
        decided = self._decided
        for c in candidates:
            key = hash(c.url)
            if key in decided:
                continue
            decided.add(key)
            if not scope.may_archive(c.url):
                self.stats.inc_value("newsarchive/out_of_scope")
            elif scope.window.clearly_outside(hint_range(c.published), hint_range(c.modified)):
                self._skip("newsarchive/skipped_outside_window")
            else:
                in_scope.append(c)
        fetched = self._last_fetched([c.url for c in in_scope if c.modified])
        admitted = []
        for c in in_scope:
            last = _instant(fetched.get(c.url, ""))
            changed = hint_range(c.modified)
            # Skip only when even the latest moment the lastmod can mean is before our fetch.
            if last is not None and changed is not None and changed[1] < last:
                self._skip("newsarchive/skipped_unchanged_lastmod")
            else:
                admitted.append(c)
        return admitted

    def _last_fetched(self, urls: list[str]) -> dict[str, str]:
        if not urls or not self.lastmod_skipping or not self.db_path:
            return {}
        try:
            return last_fetched_at(self.db_path, urls)
        except (sqlite3.Error, ArchiveError, OSError) as exc:
            # The archive pipeline reports an unusable archive; here it only means no skipping.
            logger.warning("cannot read last fetch times from %s (%s); nothing is skipped by lastmod",
                           self.db_path, exc)
            return {}
