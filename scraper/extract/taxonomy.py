"""Tags and categories.

Tags: JSON-LD ``keywords``, then ``article:tag`` meta, then the theme's tag links
(``a[rel=tag]``, ``.tags-links``, ``.wp-block-post-terms.taxonomy-post_tag``, ...).
Categories: JSON-LD ``articleSection``, then ``article:section`` (replaced by the
category links when those include it: the meta tag names only one), then category
links (``a[rel~=category]``, ``.cat-links``, ``.taxonomy-category``, ...).
WordPress marks category links ``rel="category tag"`` and block themes mark
every term ``rel="tag"``, so links are told apart by rel, container and URL.
"""
from __future__ import annotations

import re
from functools import lru_cache
from html import unescape
from typing import Any, Iterable, Optional

from lxml import etree

from .document import Document
from .scope import article_root, by_class, in_excluded, is_inside, want
from .text import clean, collapse, text_content


_TAG_CONTAINERS = (
    "tags-links", "tag-links", "post-tags", "entry-tags", "jeg_post_tags", "td-tags",
    "tdb-tags", "amp-wp-tax-tag", "taxonomy-post_tag", "tags-list", "tag-list", "post-tag-list",
    "article-tags", "story-tags", "tags",
    # Drupal's standard profile: the article's field_tags
    "field--name-field-tags",
)
_CATEGORY_CONTAINERS = (
    "cat-links", "category-links", "post-categories", "entry-categories", "jeg_meta_category",
    "td-category", "tdb-category", "tdb-entry-category", "amp-wp-tax-category",
    "taxonomy-category", "p-categories", "s-cats", "entry-category", "post-category",
    "article-categories", "jeg_post_category",
    # Joomla's dd.category-name (not dd.parent-category-name: the category's parent);
    # Drupal's usual names for a section or category field
    "category-name", "field--name-field-section", "field--name-field-category", "field--name-field-categories",
)
_TERM_RELS = {"tag", "category"}
_TAG_CLASS_SET = frozenset(_TAG_CONTAINERS)
_CATEGORY_CLASS_SET = frozenset(_CATEGORY_CONTAINERS) | {"p-category", "category"}


def _has_text(element) -> bool:
    """XPath's ``[normalize-space()]``: text other than XML white space (NBSP counts as text)."""
    return bool(text_content(element).strip(" \t\r\n"))


_LINKS = etree.XPath("descendant::a[normalize-space()]")
want(*_TAG_CONTAINERS, *_CATEGORY_CONTAINERS, "p-category")


def _split(value: Any) -> list[str]:
    if isinstance(value, list):
        out: list[str] = []
        for item in value:
            out.extend(_split(item))
        return out
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, str):
        return [p for p in value.split(",")]
    return []


def _dedupe(values: Iterable[Optional[str]]) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for value in values:
        value = clean(unescape(value)) if value else None
        if value:
            value = value.strip("#,;· ").strip()
        if value and len(value) <= 100 and value.lower() not in seen:
            seen.add(value.lower())
            out.append(value)
    return out


def _kind(link) -> Optional[str]:
    """'tag', 'category' or None for one term link."""
    classes = set((link.get("class") or "").split())
    if "tag-cloud-link" in classes:
        return None
    node = link
    for _ in range(4):
        node = node.getparent()
        if node is None:
            break
        node_classes = set((node.get("class") or "").split())
        if node_classes & _CATEGORY_CLASS_SET:
            return "category"
        if node_classes & _TAG_CLASS_SET:
            return "tag"
    rel = set((link.get("rel") or "").split())
    if "category" in rel or classes & _CATEGORY_CLASS_SET:
        return "category"
    if "tag" in rel:
        return "tag"
    return _href_kind(link.get("href") or "")


# Where term archives live: WordPress /category/ and /tag/, Hugo's and Jekyll's /categories/ and
# /tags/, Squarespace's ?category= and ?tag= on the blog's own page.
_CATEGORY_HREF = re.compile(r"/categor(?:y|ies)/|[?&]category=")
_TAG_HREF = re.compile(r"/tags?/|[?&]tag=")


def _href_kind(href: str) -> Optional[str]:
    if "categor" in href and _CATEGORY_HREF.search(href):
        return "category"
    if "tag" in href and _TAG_HREF.search(href):
        return "tag"
    return None


_TERM_LIST_OTHER_TEXT = 40  # characters beside the term links in a term list ("Tagged:", commas)
_MENU_PARTS = frozenset({"menu", "nav", "navbar", "navigation", "breadcrumb", "breadcrumbs"})
_MENU_DEPTH = 6
_PARTS = re.compile(r"[-_]+")


def _in_menu(node) -> bool:
    """Whether ``node`` sits in a menu (a theme's li.menu-item lists the site's categories too)."""
    for _ in range(_MENU_DEPTH):
        if node is None or node.tag == "body":
            return False
        value = node.get("class")
        if node.tag == "nav" or (value and _names_menu(value)):
            return True
        node = node.getparent()
    return False


@lru_cache(maxsize=4096)  # a theme's wrapper classes repeat on every page
def _names_menu(value: str) -> bool:
    """Whether a class value names a menu in one of its tokens' parts ("jeg_menu", "menu-item")."""
    return not _MENU_PARTS.isdisjoint(_PARTS.split(value.lower().replace(" ", "-")))


def _in_term_list(link, lists: dict) -> bool:
    """Whether a link to a term archive that neither rel nor a known container marks sits in a
    list of terms (Hugo's tag spans, Medium's tag pills, Squarespace's "Tagged:" line) rather
    than in a sentence or a menu: its grandparent holds little text but the term links'.
    ``lists`` keeps the answer for each grandparent (a menu's links share one)."""
    parent = link.getparent()
    holder = parent.getparent() if parent is not None else None
    if holder is None:
        return False
    known = lists.get(holder)
    if known is None:
        known = lists[holder] = not _in_menu(parent) and _little_other_text(holder)
    return known


def _little_other_text(holder) -> bool:
    terms = sum(len(collapse(text_content(a))) for a in holder.iter("a") if _href_kind(a.get("href") or ""))
    return len(collapse(text_content(holder))) - terms <= _TERM_LIST_OTHER_TEXT


def _term_links(doc: Document) -> list:
    """Term links: rel=tag/category links and links to term archives that stand in a list of terms
    (in document order), then other links in term containers."""
    lists: dict = {}
    links = {id(a): a for a in doc.listed("a")
             if (not _TERM_RELS.isdisjoint((a.get("rel") or "").lower().split())
                 or (_href_kind(a.get("href") or "") and _in_term_list(a, lists))) and _has_text(a)}
    for container in by_class(doc, _TAG_CONTAINERS + _CATEGORY_CONTAINERS + ("p-category",)):
        for a in ([container] if container.tag == "a" else _LINKS(container)):
            links.setdefault(id(a), a)
    return list(links.values())


def _dom_terms(doc: Document) -> dict[str, list[str]]:
    cache = doc.__dict__.get("_newsarchive_terms")
    if cache is not None:
        return cache
    # Per kind: the links inside the article if it has any, else the page's
    # (some themes put the category label above the <article> element).
    inside: dict[str, list[str]] = {"tag": [], "category": []}
    outside: dict[str, list[str]] = {"tag": [], "category": []}
    scope = article_root(doc)
    for link in _term_links(doc):
        kind = _kind(link)
        if kind is None or in_excluded(link, doc):
            continue
        target = inside if scope is doc.root or is_inside(link, scope) else outside
        target[kind].append(text_content(link))
    result = {kind: _dedupe(inside[kind] or outside[kind]) for kind in inside}
    doc.__dict__["_newsarchive_terms"] = result
    return result


def tags(doc: Document, *, dom: bool = True) -> list[str]:
    """``article:tag`` meta, the post's tag links, then JSON-LD ``keywords``: the meta and
    the links are the post's tags by definition, while ``keywords`` is whatever the SEO
    plugin puts there (Yoast: the tags; Rank Math: the SEO focus keywords)."""
    metas = doc.meta_all("article:tag")
    # One tag a meta, or all of them in one comma-separated meta (the Guardian's).
    values = _dedupe(_split(metas[0]) if len(metas) == 1 else metas)
    if values:
        return values
    if dom:
        values = _dom_terms(doc)["tag"]
        if values:
            return values
    article = doc.article_ld
    if article is not None:
        values = _dedupe(_split(article.get("keywords")))
        if values:
            return values
    return _dedupe(_split(doc.meta_first("news_keywords"))) if dom else []


def categories(doc: Document, *, dom: bool = True, tags: Iterable[str] = ()) -> list[str]:
    """JSON-LD ``articleSection`` less the post's ``tags`` (All in One SEO lists the terms of
    every taxonomy there), ``article:section``, then the post's category links."""
    article = doc.article_ld
    if article is not None:
        values = _dedupe(_split(article.get("articleSection")))
        known_tags = {t.lower() for t in tags}
        sections = [v for v in values if v.lower() not in known_tags]
        if sections or values:
            return sections or values  # a category named like a tag is still a category
    values = _dedupe(doc.meta_all("article:section"))
    if not dom:
        return values
    if values:
        # article:section names one (the primary) category; the post's own
        # category links, when they include it, are the complete list (Hugo adds its
        # content section, "posts", as a second article:section).
        dom = _dom_terms(doc)["category"]
        known = {v.lower() for v in dom}
        if dom and any(v.lower() in known for v in values):
            return dom
        return values
    return _dom_terms(doc)["category"]
