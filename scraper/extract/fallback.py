"""Generic main-content extraction for pages without a WordPress content container.

Uses trafilatura on the already parsed tree. Offline by construction: we pass
a tree (never a URL to fetch), no ``url`` (so courlan/htmldate URL handling is
not exercised), ``with_metadata=False`` (no htmldate date search) and no
language detection. trafilatura 2.x does not import ``tldextract``; its URL
helper ``courlan`` uses ``tld``, which reads the public-suffix list bundled in
the package and only downloads when ``update_tld_names()`` is called
explicitly, which nothing here does. tests/test_extract_body.py runs the
fallback with sockets disabled to keep it that way.
"""
from __future__ import annotations

import re
from copy import deepcopy

import lxml.html
from lxml import etree

from .boilerplate import SKIP_TAGS, is_boilerplate, is_label, is_related_line
from .dates import DATE_LABEL_WORDS, to_utc_iso
from .scope import article_root
from .text import clean, collapse, drop_tree, text_content

_HEAD_LEVEL = re.compile(r"h([1-6])")


def _scope(doc):
    """What trafilatura reads: the article's own element when it holds most of the
    page's text (trafilatura's cost grows with the tree, and menus, footers and
    sidebars outside the article are never body text), else the whole page."""
    article = article_root(doc)
    if article is doc.root or article.tag == "body":
        return doc.root
    body = next(doc.root.iterchildren("body"), doc.root)
    return article if len(text_content(article)) * 2 >= len(text_content(body)) else doc.root


def _is_layout(el, half: float) -> bool:
    """A wrapper named like boilerplate that holds the headline and most of the text
    ("sidebar-grid" around the content and the sidebar) is layout, not a sidebar.
    Its boilerplate descendants are judged on their own."""
    return (el.tag not in SKIP_TAGS and next(el.iter("h1"), None) is not None
            and len(text_content(el)) > half)


def _pruned(element):
    """A copy of ``element`` without the subtrees the DOM path treats as boilerplate
    (share bars, comment areas, related posts, ads...), so both paths agree, as a
    whole lxml.html page (trafilatura works on lxml.html elements; ours are plain etree)."""
    tree = deepcopy(element)
    tree.tail = None
    top = tree.find("body") if tree.tag == "html" else tree
    doomed = [el for el in (top if top is not None else tree).iter()
              if el.tag not in ("body", "html") and el is not tree and is_boilerplate(el)]
    doomed += [p for p in tree.iter("p") if len(p) and is_related_line(p, clean(text_content(p)) or "")]
    if doomed:
        half = len(text_content(tree)) / 2
        for el in doomed:
            if el.getparent() is not None and not _is_layout(el, half):
                drop_tree(el)
    posts = list((top if top is not None else tree).iter("article"))
    if len(posts) >= 2:
        # trafilatura reads the first <article> alone: on a live blog that is one post of many
        for post in posts:
            post.tag = "div"
    markup = etree.tostring(tree, encoding="unicode", method="html")
    if tree.tag != "html":
        markup = f"<html><body>{markup}</body></html>"
    return lxml.html.document_fromstring(markup)


def _collect(el, out: list) -> None:
    if el.text:
        out.append(el.text)
    for child in el:
        if child.tag == "lb":
            out.append(" ")
        elif isinstance(child.tag, str):
            _collect(child, out)
        if child.tail:
            out.append(child.tail)


def _text(el) -> str:
    out: list = []
    _collect(el, out)
    return clean("".join(out)) or ""


def _items(lst) -> list[str]:
    result = []
    for item in lst:
        if item.tag != "item":
            continue
        nested = [c for c in item if c.tag == "list"]
        if nested:
            own = clean((item.text or "") + "".join(
                (_text(c) + " " if c.tag != "list" else "") + (c.tail or "") for c in item))
            if own:
                result.append(own)
            for sub in nested:
                result.extend(_items(sub))
        else:
            text = _text(item)
            if text:
                result.append(text)
    return result


_CLOCK = re.compile(r"\b\d{1,2}[:.h]\d{2}\b")
_DATE_LABEL = re.compile(r"(?:" + DATE_LABEL_WORDS + r")\b", re.I)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b")


def _is_date_line(text: str) -> bool:
    """A short line that is a full date with a time ("Publicado: 09/09/2025 - 10:15 CEST", "9 settembre
    2025 (modifica il 10 settembre 2025 | 08:15)"), or a labelled date ("Posted Sep 9, 2025 · Updated
    3 hours ago"): the meta line generic extraction keeps."""
    if len(text) > 80:
        return False
    if not (_CLOCK.search(text) and _YEAR.search(text)) and not _DATE_LABEL.match(text):
        return False
    if text.endswith(".") and not text.endswith(("a.m.", "p.m.")):
        return False  # a sentence that mentions a time
    return to_utc_iso(text) is not None


def _is_post(item) -> bool:
    """A list item or table cell that holds a heading or several paragraphs: a post or a
    page's layout, not a bullet point or a datum."""
    blocks = [c.tag for c in item if c.tag in ("head", "p")]
    return "head" in blocks or len(blocks) >= 2


def _feed(body, builder) -> None:
    for el in body:
        tag = el.tag
        if tag == "head":
            match = _HEAD_LEVEL.match(el.get("rend") or "")
            builder.heading(_text(el), int(match.group(1)) if match else 2)
        elif tag == "list":
            if any(_is_post(item) for item in el):
                for item in el:  # a live blog's posts in an <ol>: each its heading and paragraphs
                    _feed(item, builder)
            else:
                builder.list_items(_items(el))
        elif tag == "table":
            for row in el.iter("row"):
                cells = [c for c in row if c.tag == "cell"]
                if any(_is_post(c) for c in cells):
                    for cell in cells:  # a layout table: its cells hold the article's blocks
                        _feed(cell, builder)
                    continue
                text = " | ".join(t for t in map(_text, cells) if t)
                if text:
                    builder.paragraph(text)
        elif tag in ("quote", "div", "section") and len(el) and any(
                c.tag in ("p", "list", "head", "quote") for c in el):
            _feed(el, builder)
        elif tag in ("graphic", "ref") and not _text(el):
            continue
        else:
            text = _text(el)
            if text and not is_label(text) and not _is_date_line(text):
                builder.paragraph(text)


_OPTIONS: dict = {}


def _options(fast: bool = False):
    """trafilatura's options for :func:`extract`, built once per mode.

    ``bare_extraction`` otherwise builds an ``Extractor`` on every call, reading a
    dozen values out of its ConfigParser (~0.1 ms, a tenth of the extraction on a
    small page). The values are what the keyword form of the call gave:
    comments, images, links, formatting and deduplication off, tables on, no URL,
    no metadata. ``output_format="txt"`` only skips the plain-text rendering of
    the result ("python" renders ``document.text``, which we never read); the
    extraction itself does not look at the format. ``fast`` skips trafilatura's
    second opinion (readability, then jusText), see :func:`_thin`."""
    options = _OPTIONS.get(fast)
    if options is None:
        from trafilatura.settings import Extractor

        options = _OPTIONS[fast] = Extractor(
            output_format="txt",
            fast=fast,
            comments=False,
            tables=True,
            images=False,
            links=False,
            formatting=False,
            dedup=False,
            url=None,
            with_metadata=False,
        )
    return options


_MIN_TEXT = 250  # trafilatura's MIN_EXTRACTED_SIZE: below it, it asks jusText too
_PARAGRAPH_TEXT = etree.XPath("//p//text()", smart_strings=False)


def _thin(body, page) -> bool:
    """Whether trafilatura's own extraction ``body`` (of ``page``) is one its full mode would
    have second-guessed: short, without paragraphs, or less than half of the page's
    paragraph text (readability replaces a text it more than doubles). Its fast mode skips
    that comparison, which costs a fifth of the extraction on every page although it
    changed no record among the 82 fallback pages of the tests and probes."""
    text = sum(map(len, body.itertext()))
    if text < _MIN_TEXT or body.find(".//p") is None:
        return True
    return 2 * text < sum(map(len, _PARAGRAPH_TEXT(page)))


_FOLLOWING_TEXT = etree.XPath("following::text()", smart_strings=False)


def after_headline(doc, blocks: list[str]) -> list[str]:
    """Those of ``blocks`` (text trafilatura gave before the title) that the page has after
    its headline: a short first paragraph it moved up, not the kicker or byline above it."""
    h1 = next((h for h in doc.listed("h1") if not is_boilerplate(h)), None)
    if h1 is None:
        return []
    after = collapse("".join(_FOLLOWING_TEXT(h1)))
    return [b for b in blocks if collapse(b)[:60] in after]


def extract(doc, builder) -> bool:
    """Feed the page's main text into ``builder``; False when nothing was found."""
    import trafilatura  # slow to import and to run: only pages that need it pay

    page = _pruned(_scope(doc))
    try:
        body = getattr(trafilatura.bare_extraction(page, options=_options(fast=True)), "body", None)
        if body is None or _thin(body, page):
            body = getattr(trafilatura.bare_extraction(page, options=_options()), "body", None)
    except Exception:  # trafilatura raising on odd trees must not kill the crawl
        return False
    if body is None:
        return False
    _feed(body, builder)
    return bool(builder.blocks)
