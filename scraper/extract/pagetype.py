"""Is this page a single article, or a listing / static page / search result?

Signals, strongest first:

1. JSON-LD page types that are not articles (``CollectionPage``,
   ``SearchResultsPage``, ``ProfilePage``, ``AboutPage``, ``ContactPage``) -> no.
2. WordPress body classes: ``home``, ``blog``, ``archive``, ``category``,
   ``tag``, ``author``, ``date``, ``search``, ``paged``, ``error404``, ``page``
   with ``page-id-N`` (a static page), ``attachment`` -> no; ``single``, ``single-post``,
   ``postid-N`` -> yes.
3. A listing URL (``/page/2/``, ``?s=``, ``/category/``, ``/tag/``, ``/author/``) -> no.
4. Many ``<article>`` cards -> no, unless exactly one of them is a whole article
   (an ``<h1>`` and several long paragraphs; with ``og:type`` article, the only one
   with long paragraphs when the headline sits above them all) or the page's Article JSON-LD names
   this page (its URL, or its headline as the page's title), and the page is not
   the site's home page: that is an article page with related-story cards.
5. A JSON-LD Article-family object or ``og:type`` article -> yes;
   ``og:type`` website/profile/... -> no.
6. No markup hints at all: one ``<article>``/``<main>`` with an ``<h1>``, a
   date or byline, and substantial paragraphs -> yes; but not the home page, nor a
   page of teasers (three or more headings linking elsewhere, a paragraph or so each).
"""
from __future__ import annotations

import re
from lxml import etree

from ..hosts import is_home_page, site_of, split_url
from ..record import ArticleRecord
from .document import Document, jsonld_text
from .scope import article_root, by_class_in_article, in_excluded, want
from .text import alnum_key, clean, text_content

# Page types that are never a single article (an ItemList may sit on an article
# page, e.g. for related posts, so it is not among them).
NON_ARTICLE_PAGE_TYPES = frozenset({
    "collectionpage", "searchresultspage", "profilepage", "aboutpage", "contactpage",
})
NEGATIVE_BODY_CLASSES = frozenset({
    "home", "blog", "archive", "category", "tag", "author", "date", "search",
    "search-results", "search-no-results", "paged", "error404", "attachment",
    "post-type-archive", "tax", "woocommerce-page",
})
POSITIVE_BODY_CLASSES = frozenset({"single", "single-post"})
_POSTID = re.compile(r"^postid-\d+$")
# WordPress marks a static page "page page-id-N"; a bare "page" is any site's CSS class
# (a German newspaper's <body class="page page--article">).
_PAGE_ID = re.compile(r"^page-id-\d+$")
_LISTING_PATH = re.compile(
    r"/(?:page/\d+|category|tag|author|search|topics?|tags|categories)(?:/|$)", re.I
)
_LISTING_QUERY = re.compile(r"(?:^|&)(?:s|paged|cat|tag|author)=", re.I)

_H1 = etree.XPath("descendant::h1")
_TIME = etree.XPath("descendant::time")
_BYLINE_CLASSES = ("author", "byline", "meta-author", "post-author", "entry-author", "author-name")
want(*_BYLINE_CLASSES)
_TITLE = etree.XPath("/html/head/title")
_LONG_PARAGRAPHS = etree.XPath("count(descendant::p[string-length(normalize-space()) > 80])")

MANY_CARDS = 3
MIN_LONG_PARAGRAPHS = 3


def _listing_jsonld(doc: Document) -> bool:
    for obj in doc.jsonld:
        kind = obj.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        for k in kinds:
            if isinstance(k, str) and k.lower() in NON_ARTICLE_PAGE_TYPES:
                return True
    return False


def _listing_url(url) -> bool:
    parts = split_url(url) if url else None
    if parts is None:
        return False
    return bool(_LISTING_PATH.search(parts.path) or _LISTING_QUERY.search(parts.query))


def _page_key(url) -> "str | None":
    """A URL as the same page whatever its scheme, ``www.``, fragment or trailing slash."""
    parts = split_url(url) if isinstance(url, str) else None
    if parts is None or not parts.netloc:
        return None
    return f"{site_of(url)}{parts.path.rstrip('/')}?{parts.query}"


def _ld_names_this_page(doc: Document, url) -> bool:
    """Whether the page's Article JSON-LD is about this page rather than a story it lists:
    it gives this page's URL (``url``, ``mainEntityOfPage``, Yoast's ``@id``), or its
    headline is most of the page's ``<title>`` or ``og:title``."""
    article = doc.article_ld
    if article is None:
        return False
    page = _page_key(url)
    if page is not None:
        for value in (article.get("url"), article.get("mainEntityOfPage"), article.get("@id")):
            if isinstance(value, dict):
                value = value.get("@id") or value.get("url")
            if isinstance(value, str) and _page_key(value) == page:
                return True
    headline = jsonld_text(article.get("headline")) or ""
    head = alnum_key(headline)
    if not head:
        return False
    titles = [doc.meta_first("og:title")] + [clean(text_content(t)) for t in _TITLE(doc.root)]
    for text in titles:
        norm = alnum_key(text or "")
        if head in norm and len(head) * 2 >= len(norm):
            return True
    return False


def _many_cards(doc: Document, canonical) -> bool:
    """Cards of a listing: several ``<article>`` elements of which not exactly one is a
    whole article, unless the Article JSON-LD is this page's own; or any several on the
    site's home page. Article pages put related stories in ``<article>`` cards too
    ("More news"), and some carry structured data saying so; a blog index showing whole
    posts has several whole articles. The home page is known by the fetched URL when there
    is one: some themes give every article the home page as canonical URL, and a
    canonical URL may come from a listed story's JSON-LD."""
    cards = [a for a in doc.listed("article") if not in_excluded(a, doc)]
    if len(cards) < MANY_CARDS:
        return False
    if is_home_page(doc.url or canonical):
        return True
    # The fetched URL: the record's canonical URL may come from that very JSON-LD.
    if _ld_names_this_page(doc, doc.url):
        return False
    long = [a for a in cards if _LONG_PARAGRAPHS(a) >= MIN_LONG_PARAGRAPHS]
    whole = [a for a in long if _H1(a)]
    if not whole and len(long) == 1 and _og_article(doc) and not any(_H1(a) for a in cards):
        # The headline above the article's element (WaPo), og:type saying it is an article.
        whole = long
    return len(whole) != 1


def _og_article(doc: Document) -> bool:
    og_type = (doc.meta_first("og:type") or "").lower()
    return og_type.startswith("article") or og_type == "news"  # "news": Chinese portals (Sina)


_LINKED_HEADINGS = etree.XPath("count(descendant::*[self::h2 or self::h3 or self::h4][a[@href]])")


def _looks_like_article(doc: Document, record: ArticleRecord) -> bool:
    """The structural test for pages without WordPress or structured-data hints. A home
    page, and a page of teasers (headings linking elsewhere, about a paragraph each, in
    <div>s rather than <article> cards), are listings."""
    if is_home_page(doc.url):
        return False
    scope = article_root(doc)
    if scope is doc.root or scope.tag == "body":
        return False
    teasers = _LINKED_HEADINGS(scope)
    if teasers >= MANY_CARDS and _LONG_PARAGRAPHS(scope) <= teasers:
        return False
    if not any(not in_excluded(h, doc) for h in _H1(scope)) and not record.title:
        return False
    dated = bool(_TIME(scope)) or bool(record.published_at_raw)
    signed = bool(record.authors) or bool(by_class_in_article(doc, _BYLINE_CLASSES))
    if not (dated or signed):
        return False
    return _LONG_PARAGRAPHS(scope) >= MIN_LONG_PARAGRAPHS


LISTING_BODY_CLASSES = frozenset({
    "home", "blog", "archive", "category", "tag", "author", "date", "search",
    "search-results", "search-no-results", "paged", "post-type-archive", "tax",
})


def is_listing(doc: Document) -> bool:
    """Strong signs of a page listing other posts: a listing JSON-LD type, listing body classes."""
    if _listing_jsonld(doc):
        return True
    classes = doc.body_classes
    if classes & LISTING_BODY_CLASSES and not classes & POSITIVE_BODY_CLASSES:
        return True
    return False


def is_article(doc: Document, record: ArticleRecord) -> bool:
    if _listing_jsonld(doc):
        return False
    classes = doc.body_classes
    if classes:
        if classes & NEGATIVE_BODY_CLASSES:
            return False
        if "page" in classes and any(_PAGE_ID.match(c) for c in classes):
            return False
        if classes & POSITIVE_BODY_CLASSES or any(_POSTID.match(c) for c in classes):
            return True
    if _listing_url(record.canonical_url or doc.url):
        return False
    if _many_cards(doc, record.canonical_url):
        return False
    if doc.article_ld is not None:
        return True
    if _og_article(doc):
        return True
    if doc.meta_first("og:type"):
        return False
    return _looks_like_article(doc, record)
