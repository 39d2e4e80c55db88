"""Which article versions a search, export or count looks at: site, author, published dates, takeaways.

``ArticleFilter.where()`` gives SQL conditions over a ``versions`` row aliased
``v`` (joined to its ``articles`` row ``a``) and their parameters; the SQL text
is fixed, user values only ever travel as parameters.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, NamedTuple, Optional

from scraper.hosts import ascii_host, site_of, unicode_host

from .readonly import BadRequest

ISO_UTC = "%Y-%m-%dT%H:%M:%SZ"
# Characters a byline may print for an apostrophe or a hyphen (O’Neill, Smith‐Jones): --author
# treats each group alike, so a name typed with ' finds the byline printed with ’.
_APOSTROPHES = "'\u2019\u2018\u02bc\u2032\uff07\u0060\u00b4"   # ' ’ ‘ ʼ ′ ＇ ` ´
_HYPHENS = "-\u2010\u2011"                                       # - ‐ ‑
_VARIANTS = str.maketrans({**{c: "'" for c in _APOSTROPHES}, **{c: "-" for c in _HYPHENS}})


def _folded(column: str) -> str:
    """SQL for ``column`` with every apostrophe and hyphen variant written as ' and - (fixed text, no user input)."""
    for variant in _APOSTROPHES[1:]:
        column = f"replace({column}, '{variant}', '''')"
    for variant in _HYPHENS[1:]:
        column = f"replace({column}, '{variant}', '-')"
    return column


_BYLINED = "SELECT va.version_id FROM version_authors va JOIN authors au ON au.id = va.author_id WHERE "
# The versions bylined by :author (any case); a set SQLite builds once from the author index.
_AUTHOR_VERSIONS = _BYLINED + "au.name = :author COLLATE NOCASE"
# The same for a name with an apostrophe or a hyphen, written any way (a scan of the authors table).
_AUTHOR_VARIANT_VERSIONS = _BYLINED + f"{_folded('au.name')} = :author COLLATE NOCASE"


class VersionSet(NamedTuple):
    versions: str   # a subquery of version ids
    sized_by: str   # a cheaper subquery with about as many rows (a site's articles for its versions)


@dataclass(frozen=True)
class ArticleFilter:
    site: Optional[str] = None
    author: Optional[str] = None           # a byline name, matched whole, any case
    since: Optional[str] = None            # published on or after: ISO date or datetime
    until: Optional[str] = None            # published on or before (a date includes its whole day)
    has_takeaways: bool = False
    all_versions: bool = False             # every version, not only each article's current one

    def __post_init__(self):
        # An empty value is a mistake (an unset shell variable), never "no filter": refuse it.
        for option, value, example in (("--site", self.site, "a host name such as news.example.com"),
                                       ("--author", self.author, "a byline name"),
                                       ("--since", self.since, "an ISO date such as 2025-09-09"),
                                       ("--until", self.until, "an ISO date such as 2025-09-09")):
            if value is not None and not str(value).strip():
                raise BadRequest(f"{option} is empty: give {example}, or leave {option} out")

    def where(self) -> tuple[list[str], dict[str, Any]]:
        """(conditions to AND together, named parameters)."""
        conditions: list[str] = []
        params: dict[str, Any] = {}
        if not self.all_versions:
            conditions.append("v.id = a.current_version_id")
        if self.site:
            conditions.append("a.site IN (:site, :site_unicode)")
            params.update(self._site_spellings())
        if self.author:
            conditions.append(f"v.id IN ({self._author_versions()})")
            params["author"] = self.author.strip().translate(_VARIANTS)
        dates, date_params = self._dates()
        conditions.extend(dates)
        params.update(date_params)
        if self.has_takeaways:
            conditions.append("EXISTS (SELECT 1 FROM takeaways t WHERE t.version_id = v.id)")
        return conditions, params

    def version_sets(self) -> list[VersionSet]:
        """The site, author and date filters as sets of version ids, read from indexes alone (where()'s parameters apply).

        A search ranks only the matches in a set smaller than its list of
        matches: a lookup per match is far cheaper than ranking one.
        """
        sets = []
        if self.site:
            site_articles = "SELECT a.id FROM articles a WHERE a.site IN (:site, :site_unicode)"
            sets.append(VersionSet(f"SELECT v.id FROM versions v WHERE v.article_id IN ({site_articles})",
                                   site_articles))
        if self.author:
            sets.append(VersionSet(self._author_versions(), self._author_versions()))
        dates, _ = self._dates()
        if dates:
            versions = f"SELECT v.id FROM versions v WHERE {' AND '.join(dates)}"
            sets.append(VersionSet(versions, versions))
        return sets

    def _site_spellings(self) -> dict[str, str]:
        """``--site`` as the archive stores it, and as archives made before IDN hosts were stored
        in ASCII have it: ``xn--nachrichten-ber-bwb.test`` and ``nachrichten-über.test``, typed
        either way. Sites are host names without "www."; accept what a user pastes."""
        site = ascii_host(_host_of(self.site.strip())).removeprefix("www.")
        return {"site": site, "site_unicode": unicode_host(site)}

    def _author_versions(self) -> str:
        """A name with no apostrophe or hyphen of any kind can only be a byline without one: the index finds it."""
        plain = not set(self.author.translate(_VARIANTS)) & set("'-")
        return _AUTHOR_VERSIONS if plain else _AUTHOR_VARIANT_VERSIONS

    def _dates(self) -> tuple[list[str], dict[str, Any]]:
        conditions: list[str] = []
        params: dict[str, Any] = {}
        if self.since:
            conditions.append("v.published_at >= :since")
            params["since"] = _bound(self.since, "--since", end_of_day=False)
        if self.until:
            # A bare date means "through the end of that day": compare with < next midnight.
            bound = _bound(self.until, "--until", end_of_day=True)
            conditions.append("v.published_at < :until" if _day(self.until) else "v.published_at <= :until")
            params["until"] = bound
        return conditions, params

    def describe(self) -> str:
        """The filters in words, for a "no articles match" message."""
        parts = [f"{name} {value}" for name, value in (
            ("site", self.site), ("author", self.author), ("since", self.since), ("until", self.until))
            if value]
        if self.has_takeaways:
            parts.append("with takeaways")
        return ", ".join(parts)


def _host_of(typed: str) -> str:
    """The host of an address pasted for a site (``https://news.example.com/politics/``,
    ``news.example.com:8080``), which the archive's sites are (no scheme, port or path); else ``typed``."""
    if "/" not in typed and not (typed.count(":") == 1 and typed.rpartition(":")[2].isdigit()):
        return typed
    return site_of(typed if "://" in typed else "//" + typed) or typed


def _day(text: str) -> Optional[date]:
    """The day a date-only value names, in any form ``date.fromisoformat`` reads (2025-09-01, 20250901,
    2025-W36-1); None for a datetime (or nonsense)."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _bound(text: str, option: str, *, end_of_day: bool) -> str:
    """An ISO date or datetime as the archive's UTC text form; a date's bound for --until is the next midnight."""
    text = text.strip()
    try:
        day = _day(text)
        if day is not None:
            if end_of_day:
                day += timedelta(days=1)
            moment = datetime.combine(day, time(), tzinfo=timezone.utc)
        else:
            moment = datetime.fromisoformat(text)
            # A time without an offset is taken as UTC, the archive's own zone.
            moment = moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment
            # Dates are archived in whole seconds, and the bound is written so: a fraction is
            # dropped, which is right for --until (<=) and takes --since to the next second.
            if moment.microsecond and not end_of_day:
                moment = moment.replace(microsecond=0) + timedelta(seconds=1)
    except (ValueError, OverflowError):
        raise BadRequest(f"{option} takes an ISO date or datetime (2025-09-09 or "
                         f"2025-09-09T10:30:00Z), not {text!r}") from None
    return moment.astimezone(timezone.utc).strftime(ISO_UTC)


def filtered_versions_sql(columns: str, filters: ArticleFilter, order_by: str) -> tuple[str, dict[str, Any]]:
    """SELECT ``columns`` FROM the versions (v) and articles (a) that pass ``filters``."""
    conditions, params = filters.where()
    where = " AND ".join(conditions) or "1"
    return (f"SELECT {columns} FROM versions v JOIN articles a ON a.id = v.article_id "
            f"WHERE {where} ORDER BY {order_by}", params)
