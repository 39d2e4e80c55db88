"""Article metadata: one small extractor per field, each with a fallback chain
(JSON-LD, then Open Graph / ``article:*`` / other meta, microdata, ``<time>``,
then the visible DOM of the theme family). :func:`fill` only sequences them.

Fields: url, canonical_url, post_id, accessible_for_free, site, site_name, language, title, authors,
published_at(_raw), modified_at(_raw), reading_time_minutes, tags, categories,
images. Reading time is only read from the page here; estimating it from the
word count is the orchestrator's job.
"""
from __future__ import annotations

import re
from typing import Any, Optional

from lxml import etree

from ..hosts import is_home_page, site_of
from ..record import ArticleRecord
from . import authors as _authors
from . import dates as _dates
from . import images as _images
from . import pagetype as _pagetype
from . import taxonomy as _taxonomy
from . import titles as _titles
from .document import ARTICLE_TYPES, Document, jsonld_text
from .scope import by_attr, by_class_article_first, in_excluded, want
from .text import clean, text_content

# --- URLs --------------------------------------------------------------------

def _canonical_links(doc: Document):
    head = next(doc.root.iterchildren("head"), None)
    for root in (head, doc.root) if head is not None else (doc.root,):
        for link in root.iter("link"):
            if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
                yield link


def _jsonld_url(value: Any) -> Optional[str]:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url")
    return value if isinstance(value, str) else None


def canonical_url(doc: Document) -> Optional[str]:
    """<link rel=canonical>, og:url, then JSON-LD url / mainEntityOfPage; absolute."""
    for link in _canonical_links(doc):
        url = doc.absolute(link.get("href"))
        if url:
            return url
    url = doc.absolute(doc.meta_first("og:url"))
    if url:
        return url
    article = doc.article_ld
    if article is not None:
        for key in ("url", "mainEntityOfPage"):
            url = doc.absolute(_jsonld_url(article.get(key)))
            if url:
                return url
    return None


site = site_of  # the host of a URL, lower-cased, without "www."


# --- the CMS's own post ID ---------------------------------------------------

_BODY_POSTID = re.compile(r"^postid-(\d+)$")
_ARTICLE_POSTID = re.compile(r"^post-(\d+)$")


def post_id(doc: Document, *, dom: bool = True) -> Optional[str]:
    """The CMS's own name for the post, which a new permalink or slug leaves alone: its
    shortlink (``<link rel=shortlink>``, absolute: WordPress's ``https://site/?p=123``, which
    names the install's home, Drupal's ``/node/123``, Jetpack's ``wp.me`` link), else the
    number of WordPress's ``postid-123`` body class or of the page's one ``<article
    id="post-123">``. None on a listing (``dom`` False), whose cards carry other posts' ids."""
    if not dom:
        return None
    head = next(doc.root.iterchildren("head"), None)
    for link in (head if head is not None else doc.root).iter("link"):
        if "shortlink" in (link.get("rel") or "").lower().split():
            url = doc.absolute(link.get("href"))
            # a static front page's is the home page (home_url('/')), which names no post
            if url and not is_home_page(url):
                return url
    for name in doc.body_classes:
        match = _BODY_POSTID.match(name)
        if match:
            return match.group(1)
    if is_home_page(doc.url):
        return None  # a home page's one card is not the page's post
    found = {match.group(1) for article in doc.listed("article")
             for match in [_ARTICLE_POSTID.match(article.get("id") or "")] if match}
    return found.pop() if len(found) == 1 else None


# --- free or for subscribers ------------------------------------------------

# Facebook's article:content_tier: a metered article is free for a few articles a month,
# then for subscribers (Google asks such pages for isAccessibleForFree false too).
_CONTENT_TIERS = {"free": True, "locked": False, "metered": False}
# The scopes whose microdata isAccessibleForFree speaks of the page: the article, a part of it
# (Google's paywalled-section markup) or the page itself; not an event or product on it.
_PAGE_SCOPES = {*ARTICLE_TYPES, "webpageelement", "webpage"}


def _free_value(value: Any) -> Optional[bool]:
    """A schema.org Boolean: true/false, "True"/"false"/"1"/"0", "https://schema.org/False"."""
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower().rsplit("schema.org/", 1)[-1]
        return {"true": True, "1": True, "false": False, "0": False}.get(word)
    return None


def _jsonld_free(obj: dict) -> Optional[bool]:
    """An object's own isAccessibleForFree, else False when a part of it (hasPart, a
    WebPageElement with a cssSelector) is not free: the paywalled section Google's markup names."""
    free = _free_value(obj.get("isAccessibleForFree"))
    if free is not None:
        return free
    parts = obj.get("hasPart")
    for part in parts if isinstance(parts, list) else [parts]:
        if isinstance(part, dict) and part.get("cssSelector") \
                and _free_value(part.get("isAccessibleForFree")) is False:
            return False
    return None


def _microdata_free(doc: Document) -> Optional[bool]:
    """``<meta itemprop="isAccessibleForFree" content="false">`` in the article's (or the page's,
    or a paywalled section's) itemscope: False if any says so, else True if one says true."""
    found = None
    for element in by_attr(doc, "itemprop", "isAccessibleForFree"):
        free = _free_value(element.get("content")) if element.tag == "meta" else None
        if free is None:
            continue
        scope = element.getparent()
        while scope is not None and scope.get("itemscope") is None:
            scope = scope.getparent()
        types = {t.rstrip("/").rsplit("/", 1)[-1].lower() for t in (scope.get("itemtype") or "").split()} \
            if scope is not None else set()
        if types & _PAGE_SCOPES:
            if not free:
                return False
            found = True
    return found


def accessible_for_free(doc: Document, *, dom: bool = True) -> Optional[bool]:
    """Whether the page says its article is free to read: JSON-LD ``isAccessibleForFree`` on the
    article (or a paywalled ``hasPart``), else on the page's WebPage object (``@graph`` included);
    else ``article:content_tier`` (locked, metered: False; free: True); else schema.org microdata.
    None when the page does not say: a paywall is never guessed from class names, which menus
    and subscribe buttons carry on free pages too. Read from the structured data parsed already;
    the microdata is looked for only on a page with such a meta tag, and not on a listing."""
    article = doc.article_ld
    for obj in ([article] if article is not None else []) + doc.jsonld_of_type(("WebPage",)):
        free = _jsonld_free(obj)
        if free is not None:
            return free
    free = _CONTENT_TIERS.get((doc.meta_first("article:content_tier") or "").lower())
    if free is not None:
        return free
    if dom and "isaccessibleforfree" in doc.meta:  # a <meta> named so: microdata, if its scope says
        return _microdata_free(doc)
    return None


# --- site name and language --------------------------------------------------

def _resolve(doc: Document, value: Any) -> Any:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict) and "name" not in value and "@id" in value:
        for obj in doc.jsonld:
            if obj.get("@id") == value["@id"]:
                return obj
    return value


def site_name(doc: Document) -> Optional[str]:
    """og:site_name, JSON-LD publisher.name, the JSON-LD WebSite's name, application-name."""
    name = doc.meta_first("og:site_name")
    if name:
        return name
    article = doc.article_ld
    if article is not None:
        name = jsonld_text(_resolve(doc, article.get("publisher")))
        if name:
            return name
    for obj in doc.jsonld_of_type(("WebSite",)):
        name = jsonld_text(obj.get("name"))
        if name:
            return name
    for obj in doc.jsonld:
        if "publisher" in obj:
            name = jsonld_text(_resolve(doc, obj.get("publisher")))
            if name:
                return name
    return doc.meta_first("application-name", "apple-mobile-web-app-title") or _feed_link_site_name(doc)


# WordPress names the site's feed in every page's head: title="Site Name &raquo; Feed".
_FEED_TITLE = re.compile(r"^(.+?)\s+»\s+(?:feed|flux|rss|fuente|fonte|feed rss)$", re.I)


def _feed_link_site_name(doc: Document) -> Optional[str]:
    """The site's name from WordPress's feed link, on sites without SEO-plugin metadata."""
    head = next(doc.root.iterchildren("head"), None)
    for link in (head if head is not None else doc.root).iter("link"):
        if (link.get("rel") or "").lower() == "alternate" and "rss" in (link.get("type") or ""):
            match = _FEED_TITLE.match(clean(link.get("title")) or "")
            if match:
                return match.group(1)
    return None


def _http_equiv(doc: Document, name: str) -> Optional[str]:
    head = next(doc.root.iterchildren("head"), None)
    for meta in (head if head is not None else doc.root).iter("meta"):
        if (meta.get("http-equiv") or "").strip().lower() == name:
            value = clean(meta.get("content"))
            if value:
                return value
    return None


def language(doc: Document) -> Optional[str]:
    """<html lang>, og:locale, JSON-LD inLanguage, Content-Language / language meta."""
    lang = _dates.primary_language(doc.html_lang)
    if lang:
        return lang
    lang = _dates.primary_language(doc.meta_first("og:locale"))
    if lang:
        return lang
    article = doc.article_ld
    objects = ([article] if article is not None else []) + doc.jsonld
    for obj in objects:
        lang = _dates.primary_language(jsonld_text(obj.get("inLanguage")))
        if lang:
            return lang
    for value in (_http_equiv(doc, "content-language"), doc.meta_first("language", "dc.language", "content-language")):
        if value:
            lang = _dates.primary_language(value.split(",")[0])
            if lang:
                return lang
    return None


# --- reading time ------------------------------------------------------------

_DURATION = re.compile(r"^P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$", re.I)
# "4 min", "8 minutes", and the site's language in Rank Math's twitter:data2 ("3 minutos", "minuti", "Minuten")
_MINUTES = re.compile(
    r"(?:(\d+)\s*(?:h|hrs?|hours?)\.?\s*)?(\d+)\s*(?:min(?:ute|uto|uti|uten)?s?|mn)\b\.?", re.I
)
_HOURS_ONLY = re.compile(r"(\d+)\s*(?:h|hrs?|hours?)\b", re.I)
_LESS_THAN_ONE = re.compile(r"<\s*1\s*min|less than (?:a|one|1) min", re.I)
_READ_WORD = re.compile(r"\b(?:read|reading|lecture|lesezeit|lectura|lettura)\b", re.I)
_READ_CLASSES = (
    "meta-read", "reading-time", "rt-reading-time", "jeg_meta_reading_time",
    "td-post-reading-time", "post-read-time", "read-time", "estimated-reading-time",
    "reading-time-wrap", "min-read", "span-reading-time", "entry-read-time",
)
want(*_READ_CLASSES)
# "8 min read", "Reading time: 8 minutes" as a short line of its own (not a body sentence).
_READ_LINE = re.compile(
    r"^[^\n]{0,40}?\b\d+\s*(?:min(?:ute|uti)?s?|mn)\.?\s*(?:read|de lecture|lesezeit|de lectura|di lettura)\b[^\n]{0,20}$"
    r"|^[^\n]{0,10}?(?:reading time|read time|temps de lecture|lesezeit|tiempo de lectura|tempo di lettura)\s*:?\s*"
    r"(?:<\s*)?\d+[^\n]{0,20}$",
    re.I | re.M,
)
_TEXTS = etree.XPath("descendant::text()", smart_strings=False)
_SMART_TEXTS = etree.XPath("descendant::text()")


def _minutes_from_duration(value: Optional[str]) -> Optional[int]:
    if not value:
        return None
    match = _DURATION.match(value.strip())
    if match and any(match.groups()):
        days, hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
        total = days * 1440 + hours * 60 + minutes + (1 if seconds >= 30 else 0)
        return total if total > 0 else (1 if seconds else None)
    return _minutes_from_text(value)


def _minutes_from_text(text: Optional[str]) -> Optional[int]:
    text = clean(text)
    if not text:
        return None
    if _LESS_THAN_ONE.search(text):
        return 1
    match = _MINUTES.search(text)
    if match:
        hours = int(match.group(1) or 0)
        minutes = hours * 60 + int(match.group(2))
        return minutes if 0 < minutes < 1000 else None
    match = _HOURS_ONLY.search(text)
    if match:
        return int(match.group(1)) * 60 or None
    # "Reading Time: 8" with the unit in a separate, unlabelled element
    digits = re.findall(r"\d+", text)
    if len(digits) == 1 and _READ_WORD.search(text):
        value = int(digits[0])
        return value if 0 < value < 1000 else None
    return None


def reading_time_minutes(doc: Document, *, dom: bool = True) -> Optional[int]:
    """JSON-LD timeRequired, the theme's reading-time element, Yoast's twitter label,
    then "N min read" text in the article."""
    article = doc.article_ld
    if article is not None:
        minutes = _minutes_from_duration(jsonld_text(article.get("timeRequired")))
        if minutes:
            return minutes
    if not dom:
        return None
    for element in by_class_article_first(doc, _READ_CLASSES):
        if in_excluded(element, doc):
            continue
        minutes = _minutes_from_text(text_content(element))
        if minutes:
            return minutes
    for index in range(1, 6):
        label = doc.meta_first(f"twitter:label{index}")
        if label and _READ_WORD.search(label):
            minutes = _minutes_from_text(doc.meta_first(f"twitter:data{index}"))
            if minutes:
                return minutes
    # Last, a free-standing "N min read" line: one regex over the page's text,
    # and the text nodes are only visited when it matches.
    short = "\n".join(t for t in _TEXTS(doc.root) if len(t) < 80 and "min" in t.lower())
    for match in _READ_LINE.finditer(short):
        line = match.group(0).strip()
        for text in _SMART_TEXTS(doc.root):
            if line in text:
                parent = text.getparent()
                if parent is not None and not in_excluded(parent, doc):
                    minutes = _minutes_from_text(line)
                    if minutes:
                        return minutes
                break
    return None


# --- the sequence ------------------------------------------------------------

def fill(doc: Document, record: ArticleRecord) -> ArticleRecord:
    record.url = doc.url
    record.canonical_url = canonical_url(doc)
    record.site = site(record.canonical_url) or site(doc.url)
    record.site_name = site_name(doc)
    record.language = language(doc)
    record.title = _titles.title(doc, record.site_name, record.site)
    # On a listing (home, archive, search) the visible bylines, dates and terms
    # belong to the cards, not to the page: only structured data is read there.
    dom = not _pagetype.is_listing(doc)
    record.post_id = post_id(doc, dom=dom)
    record.accessible_for_free = accessible_for_free(doc, dom=dom)
    record.authors = _authors.authors(doc, dom=dom)
    record.published_at, record.published_at_raw = _dates.published(doc, record, dom=dom)
    record.modified_at, record.modified_at_raw = _dates.modified(doc, record, dom=dom)
    record.reading_time_minutes = reading_time_minutes(doc, dom=dom)
    record.tags = _taxonomy.tags(doc, dom=dom)
    record.categories = _taxonomy.categories(doc, dom=dom, tags=record.tags)
    record.images = _images.images(doc, dom=dom)
    return record
