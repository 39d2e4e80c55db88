"""Date parsing and the published/modified date fallback chains.

:func:`to_utc_iso` turns a date string into ``"YYYY-MM-DDTHH:MM:SSZ"`` (UTC).
ISO 8601 strings, which is what structured data carries, take a fast path
(``datetime.fromisoformat``); plain English dates ("September 9, 2025") are
read by a small regex; only the rest (other languages, "3 days ago") goes to
dateparser, which is imported lazily because importing it and loading its
language data costs far more than parsing a whole page.

:func:`published` and :func:`modified` walk the page's date sources in order
of reliability: JSON-LD, meta tags, microdata, ``<time datetime>`` elements,
then the visible date text.
"""
from __future__ import annotations

import re
from itertools import chain as _chain
from datetime import datetime, timedelta, timezone
from typing import Iterator, Optional
from zoneinfo import ZoneInfo

from lxml import etree

from ..record import RELATIVE_DATE_WORDS
from .document import Document, jsonld_text
from .scope import article_first, article_root, by_attr, by_class_article_first, in_excluded, is_inside, want
from .text import clean

__all__ = ["to_utc_iso", "published", "modified", "primary_language"]

# ---------------------------------------------------------------------------
# Parsing one string
# ---------------------------------------------------------------------------

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
# "+0100" style offsets and a trailing "UTC"/"GMT", which fromisoformat refuses.
_COMPACT_OFFSET = re.compile(r"([+-]\d{2})(\d{2})$")
_ZONE_WORD = re.compile(r"\s*(?:UTC|GMT|Z)$", re.I)
# The labels before a date, in the languages of _FALLBACK_LANGUAGES and Polish:
# "Published on", "Publié le", "Veröffentlicht am", "Publicado el", "Pubblicato il",
# "Gepubliceerd op", "Opublikowano", with "updated" words alike.
_LABEL_WORDS = (
    r"(?:last\s+)?(?:posted|published|updated|modified|written|date)"
    r"|publi[ée]e?|mis\s+[àa]\s+jour|modifi[ée]e?|actualis[ée]e?"
    r"|(?:zuletzt\s+)?(?:ver[öo]ffentlicht|aktualisiert|ge[äa]ndert)|erschienen|stand"
    r"|publicad[oa]|actualizad[oa]|atualizad[oa]|modificad[oa]"
    r"|pubblicat[oa]|aggiornat[oa]|modificat[oa]|ultimo\s+aggiornamento|ultima\s+modifica"
    r"|gepubliceerd|aangepast|bijgewerkt|laatste\s+update"
    r"|opublikowano|aktualizacja|zaktualizowano"
    # Hindi, Arabic, Chinese, Japanese
    r"|प्रकाशित|अपडेटेड|अपडेट|نشر\s+في|نشر|تاريخ\s+النشر|آخر\s+تحديث|تحديث|发布时间|发布日期|更新时间|时间|日期"
    r"|(?:公開|更新|投稿|掲載|配信)(?:日時|日)?"
)
DATE_LABEL_WORDS = _LABEL_WORDS  # fallback.py: a meta line that starts with a date label
_PREFIX = re.compile(
    r"^(?:(?:" + _LABEL_WORDS + r")(?:\s+(?:on|at|le|am|el|en|em|il|op|alle|às))?\s*[:：]?\s*"
    r"|on\s+|le\s+|am\s+)+",
    re.I,
)
# A second label or a bracket after the date: "9 septembre 2025 à 14h32, modifié à 16h05",
# "9 settembre 2025 (modifica il 10 settembre 2025 | 08:15)".
_SECOND_LABEL = re.compile(r"\s*(?:[,;(\[]|\s[-–—|·•])\s*(?:" + _LABEL_WORDS + r"|modifica|mis\s+à\s+jour)\b"
                           r"|\s*[(\[]", re.I)
# A clock time with nothing of a date: dateparser would make it today's.
_TIME_ONLY = re.compile(r"^\W*\d{1,2}(?:[:.h]\d{2}){1,2}\s*(?:[ap]\.?m\.?|uhr|h)?\W*$", re.I)
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_TIME = r"(?:,?\s*(?:at\s+|@\s*)?(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?)?"
# "September 9, 2025", "Sep 9th 2025 at 10:42 am"
_EN_MDY = re.compile(
    r"^([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})" + _TIME + r"$", re.I
)
# "9 September 2025", "9th Sep, 2025 10:42"
_EN_DMY = re.compile(
    r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})\.?,?\s+(\d{4})" + _TIME + r"$", re.I
)
_NOT_DATE = re.compile(r"^[^\d]*$")  # no digit at all: only relative words can still be dates
_RELATIVE_WORDS = RELATIVE_DATE_WORDS

_FALLBACK_LANGUAGES = ["en", "fr", "de", "es", "it", "pt", "nl"]


def _format(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    m = moment.astimezone(timezone.utc)
    if m.year < 1000:
        return m.strftime("%Y-%m-%dT%H:%M:%SZ")  # as the platform writes short years
    # strftime("%Y-%m-%dT%H:%M:%SZ") without its ~3 us of locale-aware formatting
    return f"{m.year}-{m.month:02d}-{m.day:02d}T{m.hour:02d}:{m.minute:02d}:{m.second:02d}Z"


def from_unix(value: Optional[str]) -> Optional[str]:
    """A Unix timestamp ("1760445000") as ISO 8601 UTC; None for anything else,
    out-of-range numbers included."""
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 11:  # 11 digits: year 5138
        return None
    return _format(datetime.fromtimestamp(int(value), timezone.utc))


def _from_iso(text: str) -> Optional[datetime]:
    if not _ISO_DATE.match(text):
        return None
    # The substitutions cost ~2 us each even when nothing matches; they can only
    # match a text ending in a zone word or in a "+hhmm" offset.
    if text.endswith("Z") or text[-1:].isdigit():
        candidate = text
    else:
        candidate = _ZONE_WORD.sub("+00:00", text)
    sign = candidate[-6:-5] if candidate[-1:] == "\n" else candidate[-5:-4]  # where "+hhmm" would start
    if sign == "+" or sign == "-":
        candidate = _COMPACT_OFFSET.sub(r"\1:\2", candidate)
    try:
        return datetime.fromisoformat(candidate)
    except ValueError:
        return None


def _from_english(text: str) -> Optional[datetime]:
    match = _EN_MDY.match(text)
    if match:
        month_name, day, year = match.group(1), match.group(2), match.group(3)
    else:
        match = _EN_DMY.match(text)
        if not match:
            return None
        day, month_name, year = match.group(1), match.group(2), match.group(3)
    month = _MONTHS.get(month_name.lower())
    if month is None:
        return None
    hour, minute, second, meridiem = match.group(4, 5, 6, 7)
    hour = int(hour) if hour else 0
    if meridiem:
        pm = meridiem.lower().startswith("p")
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if pm else 0)
    try:
        return datetime(
            int(year), month, int(day), hour, int(minute or 0), int(second or 0),
            tzinfo=timezone.utc,
        )
    except ValueError:
        return None


def primary_language(tag: Optional[str]) -> Optional[str]:
    """The primary subtag of a language tag, lowercased: "en-US" -> "en", "fr_FR" -> "fr"."""
    if not tag:
        return None
    primary = re.split(r"[-_\s]", tag.strip(), maxsplit=1)[0].lower()
    if 2 <= len(primary) <= 3 and primary.isalpha() and primary.isascii() and primary not in _NOT_LANGUAGES:
        return primary
    return None


# What pages put in language fields by mistake: a charset ("utf-8", in Content-Language).
_NOT_LANGUAGES = frozenset({"utf", "iso", "win", "asc", "gbk", "big"})


def _languages_for(doc: Optional[Document], languages) -> Optional[list[str]]:
    if languages:
        return list(dict.fromkeys(languages))
    found = []
    for tag in (getattr(doc, "language", None), getattr(doc, "html_lang", None)):
        lang = primary_language(tag)
        if lang:
            found.append(lang)
    if not found:
        return None
    found.append("en")
    return list(dict.fromkeys(found))


_DATEPARSER = None


def _dateparser():
    global _DATEPARSER
    if _DATEPARSER is None:
        import dateparser  # slow import, only when a non-ISO date shows up

        _DATEPARSER = dateparser
    return _DATEPARSER


# Forms dateparser is most often handed, read without it. Each is only taken for
# the language dateparser would try first, so the answer is the one it gives:
# "3 days ago" (English; seconds to weeks, a fixed length of time back from the
# fetch), "9 septembre 2025" and "9. September 2025" (midnight UTC, as dateparser
# reads a bare date).
_AGO = re.compile(r"^([0-9]{1,4}) (second|minute|hour|day|week)s? ago$", re.I | re.A)  # ASCII: "ſ" is no "s"
_AGO_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800}
_DAY_MONTH_YEAR = re.compile(r"^([0-9]{1,2})\.? (\w+) ([0-9]{4})$")
_MONTH_NAMES = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"),
    "de": ("januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september",
           "oktober", "november", "dezember"),
}
_MONTH_NUMBERS = {lang: {name: number for number, name in enumerate(names, start=1)}
                  for lang, names in _MONTH_NAMES.items()}


def _common_form(text: str, language: str, base: datetime) -> Optional[datetime]:
    if language == "en":
        match = _AGO.match(text)
        if match:
            seconds = int(match.group(1)) * _AGO_SECONDS[match.group(2).lower()]
            return base - timedelta(seconds=seconds)
        return None
    months = _MONTH_NUMBERS.get(language)
    if months is None:
        return None
    match = _DAY_MONTH_YEAR.match(text)
    if not match:
        return None
    month = months.get(match.group(2).lower())
    if month is None:
        return None
    try:
        return datetime(int(match.group(3)), month, int(match.group(1)), tzinfo=timezone.utc)
    except ValueError:
        return None  # "31 février": dateparser decides


def _with_dateparser(text: str, doc: Optional[Document], languages) -> Optional[datetime]:
    base = getattr(doc, "fetched_at", None) or datetime.now(timezone.utc)
    if base.tzinfo is None:
        base = base.replace(tzinfo=timezone.utc)
    settings = {
        "RETURN_AS_TIMEZONE_AWARE": True,
        "TIMEZONE": "UTC",
        "TO_TIMEZONE": "UTC",
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "past",
    }
    langs = _languages_for(doc, languages)
    first = langs or _FALLBACK_LANGUAGES
    if base.tzinfo is timezone.utc:
        # dateparser takes ~1 ms a call; the commonest forms it would be given are
        # read here the way its first language attempt reads them (same result).
        moment = _common_form(text, first[0], base)
        if moment is not None:
            return moment
    parse = _dateparser().parse
    tried = set()
    for attempt in (langs, _FALLBACK_LANGUAGES):
        if not attempt or tuple(attempt) in tried:
            continue
        tried.add(tuple(attempt))
        try:
            result = parse(text, languages=attempt, settings=settings)
        except Exception:  # dateparser raises assorted errors on odd input
            result = None
        if result is not None:
            return result
    return None


# Zone abbreviations dateparser reads wrong. US sites write "10:32 a.m. ET": Eastern time,
# daylight saving or not as the date falls, where dateparser takes standard time all year, an
# hour off from March to November. Indian sites write "12:10 PM IST" or "(IST)": India's
# +05:30, where dateparser takes Israel's +02:00.
_NAMED_ZONE = re.compile(r"[\s,]+\(?(ET|CT|MT|PT|IST)\)?\.?$")
_NAMED_ZONES = {"ET": ("America/New_York", -5), "CT": ("America/Chicago", -6),
                "MT": ("America/Denver", -7), "PT": ("America/Los_Angeles", -8),
                "IST": ("Asia/Kolkata", 5.5)}
_CLOCK_TIME = re.compile(r"\d[:.]\d\d|\d\s*[ap]\.?m\b|\d\s*[時时]", re.I)  # "14時32分": Japanese, Chinese
# "September 9, 2025 · 3 min read", "Sep 9, 2025 | Local": a date, then more of the meta line.
_META_SEPARATOR = re.compile(r"\s+[·•|—–]\s+")


def to_utc_iso(
    text: Optional[str], doc: Optional[Document] = None, *, languages=None
) -> Optional[str]:
    """``text`` as "YYYY-MM-DDTHH:MM:SSZ" in UTC, or None if it is not a date.

    Naive times are taken in the site's zone when ``doc``'s structured dates give
    its offset (:func:`page_offset`), else as UTC; bare dates are midnight UTC; a
    time in US Eastern, Central, Mountain or Pacific time ("10:32 a.m. ET") is
    read in that zone on that date. Relative dates ("3 days ago") count back
    from ``doc.fetched_at``. When the whole text is no date, the text before a
    second label or a bracket ("..., modifié à 16h05", "(modifica il ...)") is tried,
    then its parts between "·", "|" or dashes in turn; a clock time alone is no date.
    """
    text = clean(text)
    if not text or len(text) > 120:
        return None
    moment = _from_iso(text) or _moment(text, doc, languages)
    if moment is None:
        second = _SECOND_LABEL.search(text, 1)
        if second is not None:
            moment = _moment(text[:second.start()], doc, languages)
    if moment is None and _META_SEPARATOR.search(text):
        for part in _META_SEPARATOR.split(text)[:4]:
            moment = _moment(part, doc, languages)
            if moment is not None:
                break
    if moment is None:
        return None
    if _RELATIVE_WORDS.search(text):
        moment = _to_precision(moment, text)
    elif doc is not None and not moment.utcoffset() and _CLOCK_TIME.search(text) \
            and not _ZONE_HINT.search(text):
        offset = page_offset(doc) or _language_zone(doc)
        if offset is not None:
            moment = moment.replace(tzinfo=offset)  # the same wall-clock time, in the site's zone
    if not 1990 <= moment.year <= 2100:
        return None
    return _format(moment)


# The unit of a relative date ("3 days ago", "vor 2 Stunden", "il y a 5 minutes").
_DAY_UNITS = re.compile(
    r"\b(?:days?|weeks?|months?|years?|yesterday|today|jours?|semaines?|mois|ans?|hier|aujourd|tag(?:en?)?|wochen?|"
    r"monat(?:en)?|jahr(?:en)?|gestern|heute|d[ií]as?|semanas?|mes(?:es)?|a[nñ]os?|ayer|hoy|giorn[oi]|settiman[ae]|"
    r"mes[ei]|ann[oi]|ieri|oggi|dag(?:en)?|weken|maanden|jaren|gisteren|vandaag)\b", re.I)
_HOUR_UNITS = re.compile(r"\b(?:hours?|hrs?|heures?|stunden?|horas?|or[ae]|uur)\b", re.I)


def _to_precision(moment: datetime, text: str) -> datetime:
    """A relative date to the precision its text gives: "3 days ago" is a day (midnight UTC, as
    a bare date), "2 hours ago" an hour, anything finer a minute. Counted to the second from
    the fetch time, it moved with every fetch, and an unchanged article became a new version."""
    if _CLOCK_TIME.search(text):  # "yesterday at 10:32"
        return moment.replace(second=0, microsecond=0)
    if _HOUR_UNITS.search(text):  # first: "an hour ago" holds the French "an" (a year)
        return moment.replace(minute=0, second=0, microsecond=0)
    if _DAY_UNITS.search(text):
        return moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return moment.replace(second=0, microsecond=0)


# A zone or offset in a date's text: "+02:00", "...Z", "UTC", "CEST", "EDT", "ET".
_ZONE_HINT = re.compile(r"[+-]\d{2}:?\d{2}\s*\)?$|\d[zZ]$|\b(?:UTC|GMT|[A-Z]{1,4}T|MSK|ET|CT|MT|PT)\b")
_OFFSET_AT_END = re.compile(r"([+-])(\d{2}):?(\d{2})$")


def page_offset(doc: Document) -> Optional[timezone]:
    """The site's UTC offset as its structured dates or ``<time datetime>`` give it
    ("2025-09-09T14:32:00+02:00"): the first that is not UTC, or None. WordPress prints
    comment times and visible dates in the site's zone without saying so; read as UTC
    they would be hours off."""
    cache = doc.__dict__
    if "_newsarchive_offset" in cache:
        return cache["_newsarchive_offset"]
    offset = None
    times = (t.get("datetime") or "" for t in doc.listed("time"))
    for raw in _chain((raw for raw, _ in _jsonld_dates(doc, "datePublished")),
                      (raw for raw, _ in _meta_dates(doc, _PUBLISHED_META)),
                      (raw for raw, _ in _jsonld_dates(doc, "dateModified")), times,
                      # last: the itemprop index is a walk of the page's attributes
                      (raw for raw, _ in _itemprop_dates(doc, "datePublished", ""))):
        match = _OFFSET_AT_END.search(raw.strip())
        if match and _ISO_DATE.match(raw.strip()):
            sign, hours, minutes = match.groups()
            delta = timedelta(hours=int(hours), minutes=int(minutes))
            if delta:  # Yoast writes UTC ("+00:00") whatever the site's zone; the theme's times do not
                offset = timezone(-delta if sign == "-" else delta)
                break
    cache["_newsarchive_offset"] = offset
    return offset


# Languages spoken in one time zone (all of Japan and Korea; mainland China, Taiwan, Hong Kong and
# Singapore): a page in one, whose structured data gives no offset, prints its times there.
_LANGUAGE_ZONES = {"ja": timezone(timedelta(hours=9)), "ko": timezone(timedelta(hours=9)),
                   "zh": timezone(timedelta(hours=8))}


def _language_zone(doc: Document) -> Optional[timezone]:
    return _LANGUAGE_ZONES.get(primary_language(doc.html_lang) or "")


def _moment(text: str, doc: Optional[Document], languages) -> Optional[datetime]:
    """``text`` (not ISO 8601) as a datetime; None if it is not a date."""
    zone = _NAMED_ZONE.search(text)
    if zone and not _RELATIVE_WORDS.search(text):
        local = _moment(text[:zone.start()], doc, languages)
        if local is not None:  # a bare date stays a date, as bare dates elsewhere
            return _in_named_zone(local, zone.group(1)) if _CLOCK_TIME.search(text) else local
    text = _PREFIX.sub("", text).strip(" ,:|-–—") or text
    if _TIME_ONLY.match(text):
        return None
    moment = _from_iso(text) or _from_english(text)
    if moment is None:
        if _NOT_DATE.match(text) and not _RELATIVE_WORDS.search(text):
            return None
        moment = _with_dateparser(text, doc, languages)
    return moment


def _in_named_zone(moment: datetime, abbreviation: str) -> datetime:
    """``moment``, read without a zone (so tagged UTC), as the same wall-clock time in the zone
    of :data:`_NAMED_ZONES` that ``abbreviation`` names."""
    if moment.utcoffset():
        return moment  # the text carried an offset of its own
    name, standard = _NAMED_ZONES[abbreviation]
    wall = moment.replace(tzinfo=None)
    try:
        return wall.replace(tzinfo=ZoneInfo(name))
    except (KeyError, ValueError):  # ZoneInfoNotFoundError: no time zone database here; standard time, as dateparser
        return wall.replace(tzinfo=timezone(timedelta(hours=standard)))


# ---------------------------------------------------------------------------
# The published / modified chains
# ---------------------------------------------------------------------------

_PUBLISHED_META = (
    "article:published_time", "og:published_time", "og:article:published_time",
    "datepublished", "date", "dc.date", "dc.date.issued", "dcterms.created",
    "dcterms.date", "pubdate", "publishdate", "publish-date", "parsely-pub-date",
    "sailthru.date",
)
_MODIFIED_META = (
    "article:modified_time", "og:updated_time", "og:article:modified_time",
    "datemodified", "dc.date.modified", "dcterms.modified", "last-modified",
)

# A <time> with one of these classes is the publication date...
_PUBLISHED_TIME_CLASSES = frozenset({"published", "entry-date", "post-published", "date-published"})
# ... and so is one inside (up to three levels) one of these meta containers.
_PUBLISHED_TIME_CONTAINERS = frozenset({
    "wp-block-post-date", "td-post-date", "meta-date", "jeg_meta_date", "posted-on",
    "amp-wp-posted-on", "tdb_single_date", "post-date", "entry-date", "byline",
    "entry-meta", "post-meta", "article-meta", "s-meta", "meta-el",
})
_MODIFIED_TIME_CLASSES = frozenset({"updated", "updated-date", "modified", "date-modified"})
_MODIFIED_TIME_CONTAINERS = frozenset({"wp-block-post-date__modified-date", "meta-updated", "updated-on"})
# Article headers: any <time datetime> in one is taken once the marked ones are exhausted.
_HEADER_CLASSES = frozenset({
    "entry-header", "post-header", "td-post-header", "s-header", "single-header",
    "article-header", "amp-wp-article-header", "jeg_meta_container", "entry-meta",
})

_VISIBLE_PUBLISHED = (
    "meta-date", "jeg_meta_date", "posted-on", "entry-date", "post-date", "td-post-date",
    "published", "date", "post-published", "article-date", "dateline",
    # beyond WordPress: CNN's timestamp, German sites' datum, Arc's publish-date
    "timestamp", "datum", "publish-date", "published-date", "article-timestamp",
)
_VISIBLE_MODIFIED = ("updated-date", "meta-updated", "last-updated", "post-modified", "modified-date")
want(*_VISIBLE_PUBLISHED, *_VISIBLE_MODIFIED)


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def _container_classes(element, levels: int = 3) -> set[str]:
    found: set[str] = set()
    node = element.getparent()
    for _ in range(levels):
        if node is None:
            break
        found.update((node.get("class") or "").split())
        node = node.getparent()
    return found


def _element_text(element) -> Optional[str]:
    # A date label is short; itertext lets us stop before joining a whole subtree.
    parts = []
    size = 0
    for piece in element.itertext():
        parts.append(piece)
        size += len(piece)
        if size > 200:
            break
    return clean(" ".join(parts))


def _jsonld_dates(doc: Document, key: str) -> Iterator[tuple[str, str]]:
    article = doc.article_ld
    if article is not None:
        value = jsonld_text(article.get(key))
        if value:
            yield value, f"JSON-LD {key}"
    for obj in doc.jsonld:
        if obj is not article:
            value = jsonld_text(obj.get(key))
            if value:
                yield value, f"JSON-LD {key}"


def _meta_dates(doc: Document, names) -> Iterator[tuple[str, str]]:
    for name in names:
        value = doc.meta_first(name)
        if value:
            yield value, f"meta {name}"


def _itemprop_dates(doc: Document, prop: str, label: str) -> Iterator[tuple[str, str]]:
    for element in by_attr(doc, "itemprop", prop):
        if element.tag != "meta" and not in_excluded(element, doc):
            # hAtom's <abbr title="ISO">14:32</abbr> (Blogger) keeps the machine-readable date in its title
            value = clean(element.get("datetime") or element.get("content")
                          or (element.get("title") if element.tag == "abbr" else None)) or _element_text(element)
            if value:
                yield value, label


def _times(doc: Document) -> list:
    """The page's <time datetime> elements outside comments and widgets, article first."""
    cached = doc.__dict__.get("_newsarchive_times")
    if cached is None:
        cached = article_first(doc, [t for t in doc.listed("time")
                                     if t.get("datetime") is not None and not in_excluded(t, doc)])
        doc.__dict__["_newsarchive_times"] = cached
    return cached


def _is_modified_time(element) -> bool:
    classes = _classes(element)
    if classes & _PUBLISHED_TIME_CLASSES:
        return False
    return bool(classes & _MODIFIED_TIME_CLASSES or _container_classes(element, 2) & _MODIFIED_TIME_CONTAINERS)


def _in_header(element) -> bool:
    node = element.getparent()
    while node is not None and node.tag != "body":
        if node.tag == "header" or not _HEADER_CLASSES.isdisjoint((node.get("class") or "").split()):
            return True
        if node.tag == "article":
            return False
        node = node.getparent()
    return False


def _published_times(doc: Document) -> Iterator[tuple[str, str]]:
    times = [t for t in _times(doc) if not _is_modified_time(t)]
    marked = [
        t for t in times
        if _classes(t) & _PUBLISHED_TIME_CLASSES or t.get("pubdate") is not None
        or _container_classes(t) & _PUBLISHED_TIME_CONTAINERS
    ]
    for element in marked:
        yield element.get("datetime"), "time[datetime]"
    scope = article_root(doc)
    for element in times:
        if element not in marked and (_in_header(element) or (scope is not doc.root and is_inside(element, scope))):
            yield element.get("datetime"), "time[datetime]"


def _visible(doc: Document, classes, label: str) -> Iterator[tuple[str, str]]:
    for element in by_class_article_first(doc, classes):
        # a <time datetime> is read from its attribute (_published_times); one without is its text
        if (element.tag == "time" and element.get("datetime") is not None) or in_excluded(element, doc):
            continue
        value = _element_text(element)
        if value and (any(ch.isdigit() for ch in value) or _RELATIVE_WORDS.search(value)):
            yield value, label


# hAtom's machine-readable date (Blogger's classic themes): <abbr class="published" title="ISO">7:15 AM</abbr>
_ABBR_PUBLISHED = etree.XPath("//abbr[@title][contains(concat(' ', normalize-space(@class), ' '), ' published ')]/@title",
                              smart_strings=False)


def _abbr_dates(doc: Document) -> Iterator[tuple[str, str]]:
    for value in _ABBR_PUBLISHED(doc.root):
        yield value, "abbr.published[title]"


def _published_candidates(doc: Document, dom: bool = True) -> Iterator[tuple[str, str]]:
    yield from _jsonld_dates(doc, "datePublished")
    yield from _meta_dates(doc, _PUBLISHED_META)
    if not dom:
        return
    yield from _itemprop_dates(doc, "datePublished", "itemprop datePublished")
    yield from _published_times(doc)
    yield from _abbr_dates(doc)
    yield from _visible(doc, _VISIBLE_PUBLISHED, "visible date")


# An hAtom "updated" element that says it is an update: "Updated 3 hours ago", "Actualizado: 10 de
# septiembre de 2025 13:47". Many themes mark the publication date "updated" too, so unlabelled text is
# not taken for a modification.
_UPDATE_LABEL = re.compile(
    r"^(?:last\s+)?(?:updated|modified|aktualisiert|actualizad[oa]|atualizad[oa]|aggiornat[oa]|mis\s+[àa]\s+jour)\b"
    r"|^(?:更新|最終更新)", re.I)
# hAtom's class, and the BEM names of news CMSes (a German regional paper's
# span.article__updated "Aktualisiert am 10.09.2025, 13:47 Uhr").
_UPDATE_CLASSES = ("updated", "article__updated", "article-updated", "date-updated")
want(*_UPDATE_CLASSES)


def _labelled_updates(doc: Document) -> Iterator[tuple[str, str]]:
    for value, label in _visible(doc, _UPDATE_CLASSES, "visible updated date"):
        if _UPDATE_LABEL.match(value):
            yield value, label


def _modified_candidates(doc: Document, dom: bool = True) -> Iterator[tuple[str, str]]:
    yield from _jsonld_dates(doc, "dateModified")
    yield from _meta_dates(doc, _MODIFIED_META)
    if not dom:
        return
    yield from _itemprop_dates(doc, "dateModified", "itemprop dateModified")
    for element in _times(doc):
        classes = _classes(element)
        # tagDiv marks its *publication* date "entry-date updated": not a modification date.
        if "entry-date" in classes and "published" not in classes:
            continue
        if classes & _MODIFIED_TIME_CLASSES or _container_classes(element, 2) & _MODIFIED_TIME_CONTAINERS:
            yield element.get("datetime"), "time.updated"
    yield from _visible(doc, _VISIBLE_MODIFIED, "visible modified date")
    yield from _labelled_updates(doc)


def _first_date(doc: Document, candidates, field: str, record) -> tuple[Optional[str], Optional[str]]:
    """The first candidate that parses; else (None, the first raw text) and a problem note."""
    first_raw = first_source = None
    languages = _record_languages(record)
    for raw, source in candidates:
        raw = clean(raw)
        if not raw:
            continue
        value = to_utc_iso(raw, doc, languages=languages)
        if value:
            return value, raw
        if first_raw is None:
            first_raw, first_source = raw, source
    if first_raw is not None and record is not None:
        record.problems.append(f"{field}: unparseable date {first_raw!r} ({first_source})")
    return None, first_raw


def _record_languages(record) -> Optional[list[str]]:
    lang = getattr(record, "language", None)
    return [lang, "en"] if lang else None


def published(doc: Document, record=None, *, dom: bool = True) -> tuple[Optional[str], Optional[str]]:
    """(ISO UTC value or None, the raw source text or None) for the publication date.

    ``dom=False`` reads structured data only (JSON-LD, meta tags)."""
    return _first_date(doc, _published_candidates(doc, dom), "published_at", record)


def modified(doc: Document, record=None, *, dom: bool = True) -> tuple[Optional[str], Optional[str]]:
    """(ISO UTC value or None, the raw source text or None) for the last modification."""
    return _first_date(doc, _modified_candidates(doc, dom), "modified_at", record)
