"""Authors: JSON-LD ``author`` (object, list, or ``@id`` reference into the graph),
then author meta tags, microdata, ``a[rel=author]``, then the theme's byline
elements. Nothing is read from comments, widgets or author boxes of other posts."""
from __future__ import annotations

import re
from html import unescape
from typing import Any, Iterable, Optional

from lxml import etree

from .document import Document, strip_markup
from .scope import article_first, by_attr, by_class_article_first, in_excluded, want
from .text import clean, text_content

_BY = re.compile(
    r"^(?:(?:written|posted|published|reported|story|text|words)\s+)?(?:by|par|von|por|di|door|author|auteur)\s*[:\-–]?\s+",
    re.I,
)
# "、" and "，": the commas of Japanese and Chinese bylines ("佐藤健一、中村優")
_SPLIT = re.compile(r"\s*(?:,|;|&|、|，|\band\b|\bet\b|\bund\b)\s*", re.I)
# "y", "e", "i", "en" join names in Spanish, Italian/Portuguese, Polish/Catalan and Dutch
# bylines, but also sit inside one name ("José Ortega y Gasset"): a split is taken
# only when each side is a full name.
_SPLIT_SHORT = re.compile(r"\s+(?:y|e|i|en)\s+")
# "Claire Dupont (Bruxelles, correspondante)": where and what, not who.
_BRACKETED = re.compile(r"\s*\([^()]*\)")
# Where a byline's names end: "Jane Doe | Staff Writer", "Jane Doe · 5 min read",
# "Jane Doe on September 9, 2025".
_NAMES_END = re.compile(r"\s+(?:[|·•—]|on(?=\s[^\d]{0,20}\d))\s.*$", re.I)
# A byline part that is a job title, not a name: "Jane Doe, Senior Reporter".
_ROLE = re.compile(
    r"\b(?:reporter|writer|editor|correspondent|columnist|contributor|journalist|photographer|"
    r"producer|analyst|staff|redakteur(?:in)?|journaliste|rédact(?:eur|rice)|redactor[a]?|periodista)\b",
    re.I,
)
# "van der Berg, Anna Maria", "de la Cruz, Juan": a family name led by its lower-case
# particle, then the given names, is one person written surname first, not two people.
_PARTICLES = frozenset({
    "van", "von", "vom", "zu", "zur", "de", "der", "den", "del", "della", "dei", "di", "da", "das",
    "do", "dos", "du", "la", "le", "ter", "ten", "al", "el", "bin", "ibn",
})
_URLISH = re.compile(r"^(?:https?:|www\.|//)|\.(?:com|org|net)\b|/", re.I)
_TRAILING_JUNK = re.compile(r"\s*(?:[-–—|·•]\s*)+$")

_AUTHOR_META = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl")

_ITEMPROP_NAME = etree.XPath("descendant::*[@itemprop='name']")
_BYLINE_CLASSES = (
    "meta-author", "jeg_meta_author", "td-post-author-name", "tdb-author-name",
    "wp-block-post-author-name", "amp-wp-author", "byline", "author-name", "post-author",
    "entry-author", "posted-by", "article-author", "author", "field--name-uid",
    "article__byline", "article-byline", "story-byline", "post-byline",
)
_LINKS = etree.XPath("descendant::a[normalize-space()]")
want(*_BYLINE_CLASSES)
_LABEL_CLASSES = {"meta-label", "meta_text", "td-author-by", "td-author-line", "screen-reader-text", "by", "byline-prefix", "author-label", "rt-label"}


def _valid_name(name: Optional[str]) -> Optional[str]:
    name = clean(strip_markup(unescape(name))) if name else None
    if not name:
        return None
    name = _BY.sub("", name)
    name = _TRAILING_JUNK.sub("", name).strip(" ,:")
    if not name or len(name) > 80 or len(name.split()) > 6 or _URLISH.search(name) or "@" in name:
        return None
    if not any(ch.isalpha() for ch in name):
        return None
    return name


def _dedupe(names: Iterable[Optional[str]]) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for name in names:
        name = _valid_name(name)
        if name and name.lower() not in seen:
            seen.add(name.lower())
            out.append(name)
    return out


def _surname_first(text: str, *, catalogue: bool = False) -> bool:
    """Whether ``text`` is one name written "Family, Given": the family name led by a
    particle ("van der Berg, Anna Maria"), or with ``catalogue`` (Dublin Core's dc.creator,
    whose convention this is) a one-word family name ("Smith, John")."""
    family, comma, given = text.partition(",")
    family_words, given_words = family.split(), given.split()
    if not comma or "," in given or not family_words or not 1 <= len(given_words) <= 3:
        return False
    if not all(word[:1].isupper() for word in given_words) or _SPLIT.search(given) or _ROLE.search(given):
        return False
    if family_words[0] in _PARTICLES:
        return len(family_words) <= 4
    # two capitalised words before the comma are as often a first person ("Claire Dubois, Tom Reyes")
    return catalogue and len(family_words) == 1 and family_words[0][:1].isupper()


def _split_visible(text: Optional[str], *, catalogue: bool = False) -> list[str]:
    text = clean(text)
    if not text:
        return []
    text = _BRACKETED.sub("", _NAMES_END.sub("", _BY.sub("", text)))
    if _surname_first(text, catalogue=catalogue):
        return [text]
    parts = []
    for part in _SPLIT.split(text):
        pieces = _SPLIT_SHORT.split(part)
        parts.extend(pieces if all(len(p.split()) >= 2 for p in pieces) else [part])
    parts = [p for p in parts if p]
    names = [p for p in parts if not _ROLE.search(p)]
    if any(len(p.split()) >= 2 for p in names):
        # "Anna Müller und Jens Schmidt, Berlin", "Jane Doe, Reuters": beside full names a
        # one-word part is a place or an agency's credit
        names = [p for p in names if len(p.split()) >= 2]
    return names or parts  # "Harbor Ledger Staff" alone is the byline's author


# --- JSON-LD -----------------------------------------------------------------

def _resolve(doc: Document, value: Any) -> Any:
    if isinstance(value, dict) and "name" not in value and "@id" in value:
        ref = value["@id"]
        for obj in doc.jsonld:
            if obj.get("@id") == ref:
                return obj
    return value


def _jsonld_names(doc: Document, value: Any) -> list[Optional[str]]:
    if isinstance(value, list):
        names: list[Optional[str]] = []
        for item in value:
            names.extend(_jsonld_names(doc, item))
        return names
    value = _resolve(doc, value)
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, list):
            name = name[0] if name else None
        if not name and (value.get("givenName") or value.get("familyName")):
            name = " ".join(str(value.get(k) or "") for k in ("givenName", "familyName"))
        return [name] if isinstance(name, str) else []
    if isinstance(value, str):
        return [value]
    return []


def _joined_names(name: Optional[str]) -> list[Optional[str]]:
    """One structured name that joins several people ("Claire Dubois, Tom Reyes": Drupal's
    Schema.org Metatag fills one Person from a multi-value field) as the people; a name
    with a one-word part ("Dubois, Claire", "Staff, Reuters") stays whole."""
    if not name or not _SPLIT.search(name) or _surname_first(clean(name)):
        return [name]
    parts = [p for p in _SPLIT.split(clean(name)) if p]
    if len(parts) > 1 and all(len(p.split()) >= 2 for p in parts):
        return parts
    return [name]


def from_jsonld(doc: Document) -> list[str]:
    article = doc.article_ld
    if article is None:
        return []
    names = _jsonld_names(doc, article.get("author") or article.get("creator"))
    return _dedupe(part for name in names for part in _joined_names(name))


def from_meta(doc: Document) -> list[str]:
    for name in _AUTHOR_META:
        # WordPress SEO plugins write co-authors into one tag: "Ana Ruiz, Tom Berg".
        names = _dedupe(part for value in doc.meta_all(name)
                        for part in _split_visible(value, catalogue=name == "dc.creator"))
        if names:
            return names
    return []


# --- DOM ---------------------------------------------------------------------

def from_microdata(doc: Document) -> list[str]:
    names = []
    for element in article_first(doc, by_attr(doc, "itemprop", "author", "creator")):
        if element.tag == "meta" or in_excluded(element, doc):
            continue
        inner = _ITEMPROP_NAME(element)
        if inner:
            names.append(inner[0].get("content") or text_content(inner[0]))
        else:
            names.extend(_split_visible(element.get("content") or text_content(element)))
        if names:
            break  # one byline; a second itemprop=author is usually a box elsewhere
    return _dedupe(names)


def from_rel_author(doc: Document) -> list[str]:
    links = [
        a for a in doc.listed("a")
        if "author" in (a.get("rel") or "").lower().split() and not in_excluded(a, doc)
    ]
    return _dedupe(text_content(a) for a in article_first(doc, links))


def _visible_text(element) -> str:
    """The element's text without label spans ("By", "-") and avatars."""
    parts = []
    if element.text:
        parts.append(element.text)
    for child in element:
        classes = set((child.get("class") or "").split())
        if not (classes & _LABEL_CLASSES):
            parts.append(text_content(child))
        if child.tail:
            parts.append(child.tail)
    return " ".join(parts)


def _bylines(doc: Document):
    for element in by_class_article_first(doc, _BYLINE_CLASSES):
        if element.tag not in ("body", "html") and not in_excluded(element, doc):
            yield element


def _link_names(element) -> list[str]:
    return _dedupe(text_content(a) for a in _LINKS(element) if _is_name_link(a))


def from_byline(doc: Document) -> list[str]:
    for element in _bylines(doc):
        link_names = _link_names(element)
        if link_names:
            return link_names
        names = _dedupe(_split_visible(_visible_text(element)))
        if names:
            return names
    return []


def _with_coauthors(doc: Document, names: list[str]) -> list[str]:
    """The byline's linked names when they are the JSON-LD's one author and more:
    some CMSs (Ghost) put only the primary author in the structured data."""
    for element in _bylines(doc):
        linked = _link_names(element)
        if linked:
            if len(linked) > 1 and names[0].lower() in (name.lower() for name in linked):
                return linked
            return names
    return names


def _is_name_link(a) -> bool:
    href = a.get("href") or ""
    classes = a.get("class") or ""
    if "avatar" in classes or "share" in classes or "comment" in href:
        return False
    return True


def _organization_author(doc: Document) -> bool:
    """Whether the JSON-LD's author is an organization (the site, as news sites credit a live
    blog or agency copy), so a byline naming people says more."""
    article = doc.article_ld
    value = article.get("author") if article is not None else None
    values = value if isinstance(value, list) else [value]
    kinds = [_resolve(doc, v).get("@type") for v in values if isinstance(v, dict)]
    return bool(kinds) and len(kinds) == len(values) and all(
        isinstance(k, str) and k.lower().endswith("organization") for k in kinds)


def authors(doc: Document, *, dom: bool = True) -> list[str]:
    """The first non-empty answer of the chain; ``dom=False`` stops after the meta tags."""
    chain = (from_jsonld, from_meta, from_microdata, from_rel_author, from_byline) if dom else (from_jsonld, from_meta)
    for extract in chain:
        names = extract(doc)
        if names:
            if dom and extract is from_jsonld:
                if _organization_author(doc):
                    return from_byline(doc) or names
                if len(names) == 1:
                    return _with_coauthors(doc, names)
            return names
    return []
