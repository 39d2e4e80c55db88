"""What a crawl may fetch and archive: the scope options every newsarchive spider takes.

    -a allowed_domains=a.com,b.com   hosts (and their subdomains) to fetch from
    -a include=REGEX                 archive only pages whose URL matches (re.search)
    -a exclude=REGEX                 never fetch pages whose URL matches
    -a max_depth=N                   link depth from the start page (spiders that follow links)
    -a max_pages=N                   stop after N responses (Scrapy's CLOSESPIDER_PAGECOUNT)
    -a since=2025-09-01 -a until=2025-09-30
                                     archive only articles published in that window (UTC days,
                                     both inclusive; a full ISO 8601 time is accepted too)

The spiders take these as keyword arguments; `Scope.pop_from(kwargs)` removes them
before Scrapy's Spider.__init__ would copy them onto the spider as plain strings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Optional
from scraper.hosts import ascii_host, site_of, split_url
from scraper.record import ArticleRecord

UTC = timezone.utc
SCOPE_ARGS = ("allowed_domains", "include", "exclude", "max_depth", "max_pages", "since", "until")


class ScopeError(ValueError):
    """A scope option that cannot be used; the message names the option and the value."""


def parse_moment(value: str, option: str, *, end_of_day: bool = False) -> datetime:
    """``2025-09-01`` (a UTC day) or an ISO 8601 time; a day ends at the next midnight for --until."""
    text = str(value).strip()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        day = None
    if day is not None:
        moment = datetime.combine(day, time.min, tzinfo=UTC)
        return moment + timedelta(days=1) if end_of_day else moment
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ScopeError(f"--{option}: not a date (YYYY-MM-DD) or ISO 8601 time: {value!r}") from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def _regex(value: Optional[str], option: str) -> Optional[re.Pattern]:
    if value is None or value == "":
        return None
    try:
        return re.compile(value)
    except re.error as exc:
        raise ScopeError(f"--{option}: not a valid regular expression: {value!r} ({exc})") from None


def _count(value: Any, option: str) -> Optional[int]:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if number < 1:
        raise ScopeError(f"--{option}: expected a positive whole number, got {value!r}")
    return number


def default_domain(url: str) -> str:
    """The domain a crawl of ``url`` stays in without --allow-domain: its host without a
    leading "www.", so that both www.example.com and example.com (and their subdomains)
    are in, as sites redirect either to the other. In ASCII form, as Scrapy's offsite filter
    compares it with the (IDNA-encoded) host of each request."""
    return site_of(url) or ""


def _domains(value: Any) -> list[str]:
    if not value:
        return []
    items = value if isinstance(value, (list, tuple)) else str(value).split(",")
    domains = []
    for item in items:
        host = item.strip().lower()
        if "//" in host:  # a URL was given: keep its host
            parts = split_url(host)
            host = (parts.hostname if parts is not None else None) or ""
        host = host.strip(".")
        if not host or "/" in host or " " in host:
            raise ScopeError(f"--allow-domain: not a domain name: {item!r}")
        # nachrichten-über.test as xn--nachrichten-ber-bwb.test: the form requests carry
        domains.append(ascii_host(host))
    return domains


# A hint's date may be a day without a time zone, and a page may show only its local
# day: skip an entry before fetching it only when its hint is outside by more than this.
HINT_SLACK = timedelta(days=1)


@dataclass(frozen=True)
class DateWindow:
    since: Optional[datetime] = None   # inclusive
    until: Optional[datetime] = None   # exclusive

    def __bool__(self) -> bool:
        return self.since is not None or self.until is not None

    def contains(self, published_at: Optional[str]) -> bool:
        """Whether an archived record's ``published_at`` (ISO UTC) is in the window.

        With a window set, an article without a publication date is not known to be
        inside it, so it is not archived.
        """
        if not self:
            return True
        if not published_at:
            return False
        moment = parse_moment(published_at, "published_at")
        return ((self.since is None or moment >= self.since)
                and (self.until is None or moment < self.until))

    def clearly_outside(self, published: Optional[tuple[datetime, datetime]] = None,
                        modified: Optional[tuple[datetime, datetime]] = None) -> bool:
        """Whether hint dates (each an (earliest, latest) range) put an entry outside for sure.

        A modification time bounds the publication time from above only, so it can
        rule an entry out of ``since`` but never out of ``until``.
        """
        if not self:
            return False
        if published is not None:
            earliest, latest = published
            if self.since is not None and latest + HINT_SLACK < self.since:
                return True
            if self.until is not None and earliest - HINT_SLACK >= self.until:
                return True
        if modified is not None and self.since is not None:
            if modified[1] + HINT_SLACK < self.since:
                return True
        return False


@dataclass
class Scope:
    allowed_domains: list[str] = field(default_factory=list)
    include: Optional[re.Pattern] = None
    exclude: Optional[re.Pattern] = None
    max_depth: Optional[int] = None
    max_pages: Optional[int] = None
    window: DateWindow = field(default_factory=DateWindow)

    @classmethod
    def from_args(cls, allowed_domains: Any = None, include: Optional[str] = None,
                  exclude: Optional[str] = None, max_depth: Any = None, max_pages: Any = None,
                  since: Optional[str] = None, until: Optional[str] = None) -> "Scope":
        window = DateWindow(
            parse_moment(since, "since") if since else None,
            parse_moment(until, "until", end_of_day=True) if until else None)
        if window.since and window.until and window.until <= window.since:
            raise ScopeError(f"--until ({until}) is before --since ({since})")
        return cls(allowed_domains=_domains(allowed_domains), include=_regex(include, "include"),
                   exclude=_regex(exclude, "exclude"), max_depth=_count(max_depth, "max-depth"),
                   max_pages=_count(max_pages, "max-pages"), window=window)

    @classmethod
    def pop_from(cls, kwargs: dict) -> "Scope":
        """Take the scope options out of a spider's keyword arguments."""
        return cls.from_args(**{name: kwargs.pop(name) for name in SCOPE_ARGS if name in kwargs})

    def describe(self) -> dict[str, str]:
        """The options as given, for the crawl's row in the archive."""
        out = {}
        if self.allowed_domains:
            out["allowed_domains"] = ",".join(self.allowed_domains)
        for name in ("include", "exclude"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name).pattern
        for name in ("max_depth", "max_pages"):
            if getattr(self, name) is not None:
                out[name] = str(getattr(self, name))
        if self.window.since:
            out["since"] = self.window.since.strftime("%Y-%m-%dT%H:%M:%SZ")
        if self.window.until:  # exclusive: --until 2025-09-30 is "before 2025-10-01T00:00:00Z"
            out["before"] = self.window.until.strftime("%Y-%m-%dT%H:%M:%SZ")
        return out

    # -- URLs ---------------------------------------------------------------------
    def allows_domain(self, url: str) -> bool:
        if not self.allowed_domains:
            return True
        parts = split_url(url)
        host = ascii_host(parts.hostname or "") if parts is not None else ""
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)

    def may_fetch(self, url: str) -> bool:
        """Pages outside the domains or matching --exclude are never fetched."""
        return self.allows_domain(url) and not (self.exclude and self.exclude.search(url))

    def may_archive(self, url: str) -> bool:
        return self.may_fetch(url) and not (self.include and not self.include.search(url))

    # -- records ------------------------------------------------------------------
    def skip_reason(self, record: ArticleRecord, url: str) -> Optional[str]:
        """Why a parsed article is not archived, or None to archive it."""
        if not self.may_archive(url):
            return "URL outside --allow-domain/--include/--exclude"
        if not self.window.contains(record.published_at):
            return f"published {record.published_at or 'at an unknown time'}, outside --since/--until"
        return None

    # -- settings -------------------------------------------------------------------
    def apply_settings(self, settings, *, follows_links: bool) -> None:
        """Turn max_depth / max_pages into Scrapy settings (call from the spider's from_crawler,
        before Scrapy freezes the settings)."""
        if self.max_pages is not None:
            settings.set("CLOSESPIDER_PAGECOUNT", self.max_pages, priority="spider")
        if self.max_depth is not None and follows_links:
            settings.set("DEPTH_LIMIT", self.max_depth, priority="spider")
