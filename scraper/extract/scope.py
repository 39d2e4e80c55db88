"""Where the article is on the page, and which parts of the page are not it.

``article_root`` picks the element that holds the post (its header, meta line
and content) so DOM fallbacks look there first; ``in_excluded`` tells whether
an element sits in a part no field should be read from: comments and the
comment form, widgets and sidebars, related-post lists, site header/footer,
navigation.
"""
from __future__ import annotations

from typing import Iterator

from lxml import etree

from .document import Document

_CACHE_KEY = "_newsarchive_article_root"

_INDEX_KEY = "_newsarchive_class_index"
_ARTICLE_INDEX_KEY = "_newsarchive_article_class_index"
_EXCLUDED_KEY = "_newsarchive_excluded"

# libxml2 is fast on tag tests and attribute axes (``descendant::time``,
# ``//@class``) and slow on predicates over every element (``//*[@id='x']``),
# so lookups by attribute value go through the per-document indexes below.
_MAIN_TAGS = etree.XPath("descendant::main")
_ATTR_VALUES = {name: etree.XPath(f"//@{name}") for name in ("id", "itemprop", "role")}

# Class tokens the extractors look up. Only elements carrying one of them get
# into the index, so building it creates few element proxies. Many themes
# namespace the usual WordPress classes ("cm-author", "td-post-date",
# "mh-meta-date"), so each token is also looked up under these prefixes.
THEME_PREFIXES = (
    "cm-", "td-", "tdb-", "td_", "mh-", "ast-", "gp-", "mvp-", "penci-", "tie-", "jeg_",
    "rb-", "zox-", "bs-", "herald-", "newsup-", "ns-", "tp-", "elementor-post__",
)
_WANTED: dict[str, str] = {}  # token as found in class="" -> the name asked for


# class="" value -> the wanted names among its tokens. Pages repeat the same
# class strings (menu items, cards) and sites repeat them across pages, so one
# dict lookup replaces a split and a token test for most elements. Cleared when
# the wanted set grows, and when it gets large (a crawl meets many sites).
_NAMES_OF_VALUE: dict[str, tuple] = {}
_NAMES_OF_VALUE_MAX = 20_000


def want(*classes: str) -> None:
    """Register class tokens for :func:`class_index` (call at import time)."""
    for name in classes:
        _WANTED.setdefault(name, name)
        for prefix in THEME_PREFIXES:
            _WANTED.setdefault(prefix + name, name)
    _NAMES_OF_VALUE.clear()


def class_index(doc: Document) -> dict[str, list]:
    """Class name -> [(document position, element), ...] for the wanted names, built once per document.

    libxml2 evaluates ``contains(concat(' ', normalize-space(@class), ' '), ...)``
    slowly (string objects per element per test), and ``//@class`` builds a
    string object per attribute; one walk over the elements makes every later
    class lookup a dict access.
    """
    index = doc.__dict__.get(_INDEX_KEY)
    if index is None:
        index = doc.__dict__[_INDEX_KEY] = _index_subtree(doc.root)
    return index


def _index_subtree(root) -> dict[str, list]:
    index: dict[str, list] = {}
    names_of = _NAMES_OF_VALUE
    if len(names_of) > _NAMES_OF_VALUE_MAX:
        names_of.clear()
    position = 0
    for element in root.iter():
        value = element.get("class")
        if not value:
            continue
        position += 1
        names = names_of.get(value)
        if names is None:
            names = names_of[value] = _wanted_names(value)
        for name in names:
            found = index.get(name)
            if found is None:
                index[name] = [(position, element)]
            else:
                found.append((position, element))
    return index


def _wanted_names(value: str) -> tuple:
    """The distinct names asked for that a class value carries (``td-post-date date``
    carries "post-date" and "date"), in no particular order."""
    wanted = _WANTED
    return tuple({wanted[token]: None for token in value.split() if token in wanted})


def _hits(index: dict, classes) -> list:
    hits = []
    for name in classes:
        hits.extend(index.get(name, ()))
    if len(classes) > 1:
        hits.sort(key=lambda pair: pair[0])
    out = []
    last = -1
    for position, element in hits:
        if position != last:
            out.append(element)
            last = position
    return out


def by_class_in_article(doc: Document, classes) -> list:
    """Like ``by_class(doc, classes, within=article_root(doc))``, from a walk of the
    article alone (a tenth of a typical page) instead of the whole page."""
    if isinstance(classes, str):
        classes = (classes,)
    missing = [c for c in classes if c not in _WANTED]
    if missing:
        want(*missing)
        doc.__dict__.pop(_INDEX_KEY, None)
        doc.__dict__.pop(_ARTICLE_INDEX_KEY, None)
    scope = article_root(doc)
    if scope is doc.root:
        return by_class(doc, classes)
    index = doc.__dict__.get(_ARTICLE_INDEX_KEY)
    if index is None:
        index = doc.__dict__[_ARTICLE_INDEX_KEY] = _index_subtree(scope)
    return _hits(index, classes)


def article_first(doc: Document, elements: list) -> list:
    """``elements`` in the article first, then the rest, each part in document order."""
    scope = article_root(doc)
    if scope is doc.root:
        return elements
    inside = [e for e in elements if is_inside(e, scope)]
    return inside + [e for e in elements if not is_inside(e, scope)]


def by_class_article_first(doc: Document, classes) -> Iterator:
    """Elements carrying ``classes``: those in the article first, then the rest of the
    page. Lazy: the whole page is indexed only if the caller reads past the article's."""
    if isinstance(classes, str):
        classes = (classes,)
    scope = article_root(doc)
    inside = by_class_in_article(doc, classes)
    yield from inside
    if scope is not doc.root:
        for element in by_class(doc, classes):
            if not is_inside(element, scope):
                yield element


def by_attr(doc: Document, attr: str, *values: str) -> list:
    """Elements whose ``attr`` (id, itemprop or role) is one of ``values``, in document order."""
    key = "_newsarchive_attr_" + attr
    index = doc.__dict__.get(key)
    if index is None:
        index = {}
        for position, value in enumerate(_ATTR_VALUES[attr](doc.root)):
            for token in value.split():
                index.setdefault(token, []).append((position, value.getparent()))
        doc.__dict__[key] = index
    hits = [pair for value in values for pair in index.get(value, ())]
    if len(values) > 1:
        hits.sort(key=lambda pair: pair[0])
    return [element for _, element in hits]


def by_class(doc: Document, classes, within=None) -> list:
    """Elements carrying any of ``classes``, in document order, optionally only inside ``within``."""
    if isinstance(classes, str):
        classes = (classes,)
    missing = [c for c in classes if c not in _WANTED]
    if missing:
        want(*missing)
        doc.__dict__.pop(_INDEX_KEY, None)  # rebuilt with the new tokens
        doc.__dict__.pop(_ARTICLE_INDEX_KEY, None)
    found = _hits(class_index(doc), classes)
    if within is None or within is doc.root:
        return found
    return [element for element in found if is_inside(element, within)]


def is_inside(element, ancestor) -> bool:
    node = element
    while node is not None:
        if node is ancestor:
            return True
        node = node.getparent()
    return False


want("site-main")


def search_roots(doc: Document):
    """The article first, then the whole page (when they differ)."""
    scope = article_root(doc)
    return (scope, doc.root) if scope is not doc.root else (doc.root,)

EXCLUDED_IDS = frozenset({
    "comments", "respond", "secondary", "sidebar", "colophon", "masthead",
    "site-header", "site-footer", "footer", "header",
})
EXCLUDED_CLASSES = frozenset({
    "comment-list", "commentlist", "comments-area", "comment-respond", "comment",
    "comment-body", "comments", "widget", "widget-area", "sidebar", "site-header",
    "site-footer", "site-branding", "related", "related-posts", "jeg_related_post",
    "td-related-row", "td_block_related_posts", "yarpp-related", "rp4wp-related-posts",
    "sharedaddy", "share-buttons", "author-box", "about-author", "jeg_authorbox",
    "td-author-box", "post-navigation", "nav-links", "navigation", "breadcrumb",
    "breadcrumbs", "menu", "main-navigation", "wp-block-comments",
    "jeg_sidebar", "td-pb-span4", "rb-sidebar",
    "sidebar-wrap", "footer-wrap", "header-wrap", "entry-related", "author-bio",
    "author-info", "author-card", "ubox", "jeg_ad", "td-a-rec", "inline-single-ad",
    "ad-wrap", "advertisement", "adsbygoogle", "single-related-posts", "crp_related",
})
# Wrappers whose direct <header>/<footer> children are the site's, not the post's.
_PAGE_WRAPPERS = frozenset({"wp-site-blocks", "site", "jeg_viewport", "hfeed"})
EXCLUDED_TAGS = frozenset({"nav", "aside", "form"})


# class value -> whether it names an excluded region (wrappers repeat on every page)
_EXCLUDED_VALUES: dict[str, bool] = {}
_EXCLUDED_VALUES_MAX = 20_000


def _excluded_here(node) -> bool:
    tag = node.tag
    if not isinstance(tag, str):
        return False
    if tag in EXCLUDED_TAGS:
        return True
    if (tag == "header" or tag == "footer") and _is_site_region(node):
        return True
    ident = node.get("id")
    if ident and (ident in EXCLUDED_IDS or ident.startswith("comment-")):
        return True
    classes = node.get("class")
    if not classes:
        return False
    excluded = _EXCLUDED_VALUES.get(classes)
    if excluded is None:
        if len(_EXCLUDED_VALUES) > _EXCLUDED_VALUES_MAX:
            _EXCLUDED_VALUES.clear()
        excluded = _EXCLUDED_VALUES[classes] = _names_excluded_region(classes.split())
    return excluded


def _names_excluded_region(tokens: list) -> bool:
    """Whether class ``tokens`` name a region no field is read from. Blogger calls every
    gadget a "widget", its posts too: the "widget Blog" gadget holds the post, not a sidebar
    (as :func:`.boilerplate.attr_is_boilerplate` reads it)."""
    if "Blog" in tokens:
        tokens = [t for t in tokens if t != "widget"]
    return not EXCLUDED_CLASSES.isdisjoint(tokens)


def in_excluded(element, doc: Document | None = None) -> bool:
    """True if ``element`` or an ancestor is comments, a widget, navigation and the like.

    With ``doc``, answers are memoized per document (the memo keeps the
    element proxies alive, so ``id`` stays a valid key)."""
    memo = None
    if doc is not None:
        memo = doc.__dict__.get(_EXCLUDED_KEY)
        if memo is None:
            memo = doc.__dict__[_EXCLUDED_KEY] = {}
    path = []
    node = element
    result = False
    while node is not None:
        if node.tag == "body":
            break  # body classes describe the page, not a region of it
        if memo is not None:
            known = memo.get(id(node))
            if known is not None:
                result = known[1]
                break
            path.append(node)
        if _excluded_here(node):
            result = True
            break
        node = node.getparent()
    if memo is not None:
        for seen in path:
            memo[id(seen)] = (seen, result)
    return result


def _is_site_region(node) -> bool:
    parent = node.getparent()
    if parent is None or parent.tag == "body":
        return True
    if parent.get("id") == "page":
        return True
    return not _PAGE_WRAPPERS.isdisjoint((parent.get("class") or "").split())


def article_root(doc: Document):
    """The element holding the post (cached on the document); the whole tree if unsure."""
    cached = doc.__dict__.get(_CACHE_KEY)
    if cached is not None:
        return cached
    root = _find_article_root(doc)
    doc.__dict__[_CACHE_KEY] = root
    return root


def _h1_holders(doc: Document) -> set:
    """The elements with an <h1> below them: one climb from each of the page's few
    h1s instead of an XPath search below each candidate."""
    holders: set = set()
    for h1 in doc.listed("h1"):
        node = h1.getparent()
        while node is not None and node not in holders:
            holders.add(node)
            node = node.getparent()
    return holders


def _find_article_root(doc: Document):
    all_articles = doc.listed("article")
    holders = _h1_holders(doc)
    # Most <article>s on a page are cards without an <h1>: test the cheap thing first.
    for article in all_articles:
        if article not in holders:
            continue
        h1s = [h1 for h1 in doc.listed("h1") if is_inside(h1, article)]
        if not in_excluded(article, doc) and any(not in_excluded(h, doc) for h in h1s):
            return article
    articles = [a for a in all_articles if not in_excluded(a, doc)]
    mains = _MAIN_TAGS(doc.root) + by_attr(doc, "role", "main") + by_attr(doc, "id", "main", "primary")
    mains = [m for m in mains if not in_excluded(m, doc)]
    mains += [m for m in by_class(doc, "site-main") if not in_excluded(m, doc) and m not in mains]
    for main in mains:
        if main in holders:
            return main
    if len(articles) == 1:
        return articles[0]
    if mains:
        return mains[0]
    body = doc.root.find("body")
    return body if body is not None else doc.root
