"""Reading RSS 2.0 and Atom feeds into entries: link, title, dates and authors.

Like sitemap_reader, a broken feed yields every entry that could be read plus the
first XML error with its line, so the caller can report it and go on.

A relative link is relative to the ``xml:base`` in force where it is written (Atom,
RFC 4287 section 2; XML Base): the one on its element or the nearest ancestor, each
``xml:base`` itself resolved against the one around it, the outermost against the
feed's URL. An entry carries those values, outermost first, for the spider to resolve.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from lxml import etree

from .xml_input import NotXML, parse_xml

ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/elements/1.1/"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


@dataclass
class FeedEntry:
    link: str
    bases: tuple[str, ...] = ()         # the xml:base values around the link, outermost first
    title: Optional[str] = None
    published: Optional[str] = None     # RSS pubDate / Atom published (source text)
    updated: Optional[str] = None       # Atom updated (source text)
    authors: list[str] = field(default_factory=list)


@dataclass
class FeedDoc:
    kind: Optional[str]                 # "rss", "atom", or None if neither
    entries: list[FeedEntry] = field(default_factory=list)
    problem: Optional[str] = None


def _text(el) -> Optional[str]:
    if el is None:
        return None
    text = "".join(el.itertext()).strip()
    return text or None


def _bases(el) -> tuple[str, ...]:
    """The ``xml:base`` values on ``el`` and its ancestors, outermost first."""
    bases = [base for base in (e.get(XML_BASE) for e in (el, *el.iterancestors())) if base is not None]
    return tuple(reversed(bases))


def read_feed(body: bytes) -> FeedDoc:
    try:
        root, problem = parse_xml(body)
    except NotXML as exc:
        return FeedDoc(None, problem=str(exc))
    if root is None:
        return FeedDoc(None, problem=problem or "empty document")
    if root.tag == "rss":
        return FeedDoc("rss", [e for e in map(_rss_item, root.iterfind("channel/item")) if e], problem)
    if root.tag == f"{{{ATOM}}}feed":
        return FeedDoc("atom", [e for e in map(_atom_entry, root.iterfind(f"{{{ATOM}}}entry")) if e], problem)
    return FeedDoc(None, problem=problem or f"root element is <{etree.QName(root).localname}>, "
                                            "not an RSS 2.0 <rss> or an Atom <feed>")


def _rss_item(item) -> Optional[FeedEntry]:
    link_el = item.find("link")
    link = _text(link_el)
    guid = item.find("guid")
    if not link and guid is not None and guid.get("isPermaLink", "true") != "false":
        link, link_el = _text(guid), guid
    if not link:
        return None
    authors = [a for a in (_text(el) for el in item.iterfind(f"{{{DC}}}creator")) if a]
    if not authors and (author := _text(item.find("author"))):
        # RSS <author> is "email (Name)"; keep the name when there is one.
        authors = [author.partition("(")[2].rstrip(")").strip() or author]
    return FeedEntry(link=link, bases=_bases(link_el), title=_text(item.find("title")),
                     published=_text(item.find("pubDate")), authors=authors)


def _atom_entry(entry) -> Optional[FeedEntry]:
    link, link_el = None, None
    for el in entry.iterfind(f"{{{ATOM}}}link"):
        if el.get("rel", "alternate") == "alternate" and el.get("href"):
            link, link_el = el.get("href").strip(), el
            break
    if not link:
        return None
    authors = [a for a in (_text(el.find(f"{{{ATOM}}}name")) for el in entry.iterfind(f"{{{ATOM}}}author")) if a]
    return FeedEntry(link=link, bases=_bases(link_el), title=_text(entry.find(f"{{{ATOM}}}title")),
                     published=_text(entry.find(f"{{{ATOM}}}published")),
                     updated=_text(entry.find(f"{{{ATOM}}}updated")), authors=authors)
