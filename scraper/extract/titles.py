"""The headline: JSON-LD ``headline``, then ``og:title``/``twitter:title`` without the
site-name suffix, then the article's ``<h1>``, then ``<title>`` without the suffix."""
from __future__ import annotations

import re
from html import unescape
from typing import Optional

from lxml import etree

from ..hosts import unicode_host
from .document import Document, jsonld_text
from .scope import article_root, by_class, in_excluded, is_inside, search_roots, want
from .text import alnum_key, clean, text_content

# " - ", " | " and the like; Japanese and Chinese titles put a full-width bar without spaces
# ("金沢市議会、…承認｜北陸日報").
_SEPARATOR = re.compile(r"\s+(?:[-|–—·•»:~/]{1,2})\s+|\s*｜\s*")

# Title elements of the theme family, best first; then any h1.
_TITLE_CLASSES = (
    "entry-title", "s-title", "jeg_post_title", "tdb-title-text", "wp-block-post-title",
    "amp-wp-title", "post-title", "article-title", "single-post-title", "headline",
)
_H1 = etree.XPath("descendant::h1")
want(*_TITLE_CLASSES)
_TITLE = etree.XPath("descendant::title")


def _names_of_site(site_name: Optional[str], host: Optional[str]) -> set[str]:
    names = set()
    if site_name:
        names.add(alnum_key(site_name))
    if host:
        host = host.lower()
        if host.startswith("www."):
            host = host[4:]
        # An IDN site's host is stored in ASCII (xn--...); its titles name it as people write it.
        for spelling in {host, unicode_host(host)}:
            names.add(alnum_key(spelling))
            names.add(alnum_key(spelling.split(".")[0]))
    names.discard("")
    return names


def strip_site_name(
    title: Optional[str],
    site_name: Optional[str] = None,
    host: Optional[str] = None,
    headline: Optional[str] = None,
    *,
    evidence_only: bool = False,
) -> Optional[str]:
    """``title`` without a " - Site Name" / " | Site Name" suffix (or "Site | " prefix).
    With ``evidence_only``, only a part that names the site (or ends where ``headline``
    does) is taken off, never a short "| Brand" guessed at."""
    title = clean(title)
    if not title:
        return None
    parts = _SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    names = _names_of_site(site_name, host)
    separators = _SEPARATOR.findall(title)
    if names:
        if alnum_key(parts[-1]) in names:
            return clean(title[: title.rfind(separators[-1])])
        if alnum_key(parts[0]) in names:
            return clean(title[title.find(separators[0]) + len(separators[0]):])
    if headline:
        head = clean(headline)
        if head and title.startswith(head) and _SEPARATOR.match(title[len(head):]):
            return head
    # No evidence of the site name: only " | Short Brand" is taken as a suffix.
    if not evidence_only and separators[-1].strip() == "|" and len(parts[-1].split()) <= 4 and len(parts[-1]) < len(title) / 2:
        return clean(title[: title.rfind(separators[-1])])
    return title


def _dom_headline(doc: Document) -> Optional[str]:
    """The theme's title element, else the first h1 (the article's before the page's)."""
    scope = article_root(doc)
    for name in _TITLE_CLASSES:
        for element in by_class(doc, name):
            if element.tag not in ("h1", "h2", "h3", "span", "div") or in_excluded(element, doc):
                continue
            if element.tag != "h1" and not is_inside(element, scope):
                continue  # an h2.entry-title outside the article is a listing card
            text = _text(element)
            if text:
                return text
    for root in search_roots(doc):
        for element in _H1(root):
            if in_excluded(element, doc):
                continue
            text = _text(element)
            if text:
                return text
    return None


def _text(element) -> Optional[str]:
    text = clean(text_content(element))
    return clean(unescape(text)) if text else None


def _publisher_name(doc: Document, article: dict) -> Optional[str]:
    """The article's publisher by name, when it is not the site's: a Medium publication."""
    publisher = article.get("publisher")
    if isinstance(publisher, dict) and "name" not in publisher and "@id" in publisher:
        publisher = next((obj for obj in doc.jsonld if obj.get("@id") == publisher["@id"]), publisher)
    return jsonld_text(publisher)


def title(doc: Document, site_name: Optional[str] = None, host: Optional[str] = None) -> Optional[str]:
    article = doc.article_ld
    if article is not None:
        value = jsonld_text(article.get("headline")) or jsonld_text(article.get("name"))
        if value:
            # SEO plugins (Rank Math by default) fill headline with the SEO title, site name and all;
            # Medium adds the publication ("... - The Civic Desk"), which is the publisher, not the site.
            value = strip_site_name(value, site_name, host, evidence_only=True)
            publisher = _publisher_name(doc, article)
            if publisher and publisher != site_name:
                value = strip_site_name(value, publisher, evidence_only=True)
            return value
    for name in ("og:title", "twitter:title"):
        value = doc.meta_first(name)
        if value:
            value = clean(unescape(value))
            stripped = strip_site_name(value, site_name, host)
            if stripped == value and _SEPARATOR.search(value):
                # No site name to recognise: the visible headline tells where it ends.
                stripped = strip_site_name(value, site_name, host, _dom_headline(doc))
            return stripped
    dom = _dom_headline(doc)
    if dom:
        return dom
    for element in _TITLE(doc.root):
        value = clean(text_content(element))
        if value:
            return strip_site_name(unescape(value), site_name, host)
    return None
