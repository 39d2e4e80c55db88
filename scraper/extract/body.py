"""Article body: subtitle, intro, sections, takeaways, body text, share links.

The body comes from the WordPress content container (``.entry-content`` and its
theme-specific cousins), read in one walk that skips boilerplate subtrees
(see :mod:`.boilerplate`). Pages without such a container go through the
generic extractor in :mod:`.fallback`.
"""
from __future__ import annotations

import math

import re
from functools import lru_cache
from typing import Optional

from lxml import etree

from ..record import Section
from . import scan, share
from .boilerplate import (SKIP_TAGS, attr_is_boilerplate, inside_boilerplate, is_boilerplate, is_builder_module,
                          is_label, is_related_line, lists_other_posts)
from .scope import by_class_in_article, is_inside, want
from .takeaways import is_takeaways_box, is_takeaways_heading
from .text import alnum_key, collapse, text_content

# --- the content container -------------------------------------------------

# (rank, class token) - a lower rank wins; see _find_container.
_CONTAINER_CLASSES = {
    "entry-content": 0,
    "wp-block-post-content": 1,
    "td-post-content": 2, "tdb_single_content": 2,
    "content-inner": 3,
    "rbct": 4, "s-ct": 5,
    "post-content": 7, "article-content": 8, "single-content": 9, "cm-entry-summary": 9,
    "amp-wp-article-content": 10, "amp-article-content": 10, "entry-summary": 11,
    # other CMSs: Ghost's post content, Drupal's body field
    "gh-content": 8, "field--name-body": 9,
    # Elementor Pro's theme builder: the post content widget
    "elementor-widget-theme-post-content": 1,
    # microformats2's h-entry content (Squarespace's blog-item-content, IndieWeb themes)
    "e-content": 8,
}
# Themes that name their content container only in its id (Zox News: div#mvp-content-main.left.relative).
_CONTAINER_IDS = {"mvp-content-main": 4}
_ITEMPROP_RANK = 6
_CONTAINER_KEYS = frozenset(_CONTAINER_CLASSES)
_GENERIC_SUBTITLE_RANK = 3
_GENERIC_SUBTITLE_MAX = 400  # characters: a longer "lead" block is the body's first paragraphs
_SUBTITLE_CLASSES = {
    "s-tagline": 0, "entry-subtitle": 0, "jeg_post_subtitle": 0, "td-post-sub-title": 0,
    "tdb_single_subtitle": 0, "mvp-post-excerpt": 0, "post-subtitle": 1, "article-subtitle": 1, "entry-sub-title": 1,
    "standfirst": 1, "dek": 1, "article-excerpt": 1, "gh-article-excerpt": 1, "wp-block-post-excerpt": 2,
    # news CMSes beyond WordPress (Arc, Le Figaro, Le Monde, Vox-style BEM names)
    "subtitle": 1, "sub-title": 1, "subheadline": 1, "sub-headline": 1, "b-subheadline": 1, "strapline": 1,
    "article-dek": 1, "c-article-dek": 1, "article__dek": 1, "article-standfirst": 1, "fig-standfirst": 1,
    "article-summary": 1, "article__summary": 1, "article-desc": 1, "article__desc": 1,
    "article-lead": 1, "article__lead": 1, "article-intro": 1, "article__intro": 1, "elementor-widget-theme-post-excerpt": 1,
    # Blocksy's hero shows the post's excerpt as the page description
    "page-description": 1,
    # generic words: only beside the headline, and only a standfirst's length
    "summary": _GENERIC_SUBTITLE_RANK, "lead": _GENERIC_SUBTITLE_RANK, "lede": _GENERIC_SUBTITLE_RANK,
}
_IN_ARTICLE = etree.XPath("boolean(ancestor::article or ancestor::main or ancestor::*[@role='main'])")


def _best_rank(value: str, table: dict) -> Optional[int]:
    rank = None
    for token in value.split():
        r = table.get(token)
        if r is not None and (rank is None or r < rank):
            rank = r
    return rank


# Words that name a dek inside a theme's own class token ("newspack-post-subtitle",
# Medium's "pw-subtitle-paragraph", Hello Friend's "post-excerpt"): taken as generic names,
# beside the headline and at a standfirst's length only.
_SUBTITLE_WORDS = frozenset({"subtitle", "subheadline", "standfirst", "dek", "excerpt"})
_TOKEN_PARTS = re.compile(r"[-_]+")


def _names_subtitle(token: str) -> bool:
    """Whether a class token's name says dek: its BEM element ("article__dek") or, without
    one, its block, split on - and _. A modifier ("entry-title--with-subtitle") describes the
    element it sits on, and an element ("wp-block-post-excerpt__more-link") is a part of its block."""
    name = token.split("--", 1)[0].rsplit("__", 1)[-1].lower()
    return not _SUBTITLE_WORDS.isdisjoint(_TOKEN_PARTS.split(name))


@lru_cache(maxsize=8192)  # the class values around a headline repeat on every page of a site
def _subtitle_rank(value: str) -> Optional[int]:
    rank = _best_rank(value, _SUBTITLE_CLASSES)
    if rank is None and any(_names_subtitle(token) for token in value.split()):
        rank = _GENERIC_SUBTITLE_RANK
    return rank


def _scan(root):
    """(container candidates, subtitle candidates) as lists of (rank, element)."""
    found = scan.index(root)
    containers, subtitles = [], []
    for token, rank in _CONTAINER_CLASSES.items():
        for el in found.get(token, ()):
            containers.append((rank, el))
    for el in found.get("articleBody", ()):
        if (el.get("itemprop") or "").strip() == "articleBody":
            containers.append((_ITEMPROP_RANK, el))
    for token, rank in _SUBTITLE_CLASSES.items():
        for el in found.get(token, ()):
            subtitles.append((rank, el))
    subtitles.sort(key=lambda c: c[0])
    return containers, subtitles


_P_PARENTS = etree.XPath("//p/..")


# class value -> its best container rank (None: no container class). Pages and
# sites repeat their wrapper classes, so most climbs below cost a dict lookup.
_RANK_OF_VALUE: dict[str, Optional[int]] = {}
_RANK_OF_VALUE_MAX = 20_000


def _container_rank(value: str) -> Optional[int]:
    tokens = value.split()
    if _CONTAINER_KEYS.isdisjoint(tokens):
        return None
    return min(_CONTAINER_CLASSES[t] for t in tokens if t in _CONTAINER_KEYS)


def _paragraph_candidates(root) -> list:
    """Container candidates among the ancestors of paragraph parents.

    One cheap traversal (``//p/..``) and a short climb in Python: far cheaper
    than testing every element's class on large pages."""
    seen = set()
    found = []
    rank_of = _RANK_OF_VALUE
    if len(rank_of) > _RANK_OF_VALUE_MAX:
        rank_of.clear()
    for parent in _P_PARENTS(root):
        el, depth = parent, 0
        while el is not None and depth < 8 and el not in seen and el.tag not in ("body", "html"):
            seen.add(el)
            cls = el.get("class")
            rank = None
            if cls:
                rank = rank_of.get(cls, -1)
                if rank == -1:
                    rank = rank_of[cls] = _container_rank(cls)
            itemprop = el.get("itemprop")
            if itemprop and itemprop.strip() == "articleBody" and (rank is None or _ITEMPROP_RANK < rank):
                rank = _ITEMPROP_RANK
            id_rank = _CONTAINER_IDS.get(el.get("id"))
            if id_rank is not None and (rank is None or id_rank < rank):
                rank = id_rank
            if rank is not None:
                found.append((rank, el))
            el = el.getparent()
            depth += 1
    return found


def find_container(root, candidates=None):
    """The element holding the article's body, or None."""
    if candidates is None:
        candidates = _paragraph_candidates(root) or _scan(root)[0]
    candidates = [c for c in candidates if c[1].tag not in ("body", "html")]
    if not candidates:
        return None
    if len(candidates) > 1:
        # prefer containers in the main <article>, then ones outside related/widget boxes
        for keep in (lambda c: _IN_ARTICLE(c[1]), lambda c: not inside_boilerplate(c[1].getparent())):
            kept = [c for c in candidates if keep(c)]
            if kept:
                candidates = kept
        best = min(rank for rank, _ in candidates)
        same = []
        for rank, el in candidates:
            if rank == best and not any(el is other for other in same):
                same.append(el)
        if len(same) > 1:
            return max(same, key=lambda el: len(text_content(el)))
        return same[0]
    return candidates[0][1]


# --- text of inline content ------------------------------------------------

def clean(text: Optional[str]) -> Optional[str]:
    """Collapse white space runs (NBSP included) to one space and strip; None if empty.
    Same result as :func:`.text.clean`, several times faster than a regex on long text."""
    if not text:
        return None
    return collapse(text) or None


_BR = "\x00"
_PARA_SPLIT = re.compile(r"\s*\x00\s*(?:\x00\s*)+")
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_LISTS = ("ul", "ol")
# Elements that start a new block; anything else is inline (its text joins the run).
_BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "header", "ul", "ol", "dl", "dt", "dd", "li",
    "blockquote", "table", "thead", "tbody", "tfoot", "tr", "figure", "pre", "hr", "address",
    "details", "summary", "center", "h1", "h2", "h3", "h4", "h5", "h6", "hgroup",
}) | SKIP_TAGS
_BLOCK_DESCENDANTS = ("p", "div", "ul", "ol", "table", "blockquote", "h1", "h2", "h3", "h4", "section")


def _has_block(el) -> bool:
    """Whether an inline element wraps block content (``<a><div>...``, ``<span><p>...``).
    ``iter`` with tag names runs in C and stops at the first hit; ``el`` itself is
    never one of these tags here (it would have been treated as a block)."""
    return next(el.iter(*_BLOCK_DESCENDANTS), None) is not None


def _inline(el, out: list, skip_lists: bool = False) -> None:
    if el.text:
        out.append(el.text)
    for child in el:
        tag = child.tag
        if tag == "br":
            out.append(_BR)
        elif isinstance(tag, str) and not (skip_lists and tag in _LISTS) and not is_boilerplate(child):
            if tag in _BLOCK_TAGS and tag != "label":
                out.append(" ")
                _inline(child, out)
                out.append(" ")
            else:
                _inline(child, out)
        if child.tail:
            out.append(child.tail)


def inline_text(el, skip_lists: bool = False) -> str:
    """Visible text of ``el``, boilerplate descendants dropped, white space collapsed."""
    if len(el) == 0:
        return clean(el.text) or ""
    out: list = []
    _inline(el, out, skip_lists)
    return clean("".join(out).replace(_BR, " ")) or ""


def _split_paragraphs(raw: str) -> list[str]:
    """A run of inline text as paragraphs: a blank line (two <br>) separates them."""
    if _BR not in raw:
        text = collapse(raw)
        return [text] if text else []
    result = []
    for piece in _PARA_SPLIT.split(raw):
        text = clean(piece.replace(_BR, " "))
        if text:
            result.append(text)
    return result


# --- building the body -----------------------------------------------------

_LEAD_IN_MAX = 200  # characters


class BodyBuilder:
    """Receives headings, paragraphs and lists in reading order; builds the fields."""

    def __init__(self, skip_headings=(), reset_at_title=None):
        # None, or for generic extraction: which of the blocks before the title to keep
        self.reset_at_title = reset_at_title
        self.intro: list[str] = []
        self.sections: list[Section] = []
        self.takeaways_heading: Optional[str] = None
        self.takeaways: list[str] = []
        self.blocks: list[str] = []
        self.current: Optional[Section] = None
        self.pending: Optional[tuple[str, int]] = None  # a takeaways heading awaiting its list
        self.in_takeaways = False
        self.seen_text = False
        self.skip_headings = {h.casefold() for h in skip_headings if h}
        self.skip_keys = {alnum_key(h) for h in skip_headings if h}
        # the first of them, when given in order, is the title (see _repeats_title)
        first = skip_headings[0] if isinstance(skip_headings, (tuple, list)) and skip_headings else None
        self.title_key = alnum_key(first) if first else ""
        self.lead_in: Optional[str] = None  # a line ending in ":" after a takeaways heading
        self.listing_headings: list[Section] = []  # headings of a list of other posts (see listing_heading)

    def _emit_lead_in(self) -> None:
        """The held line was no lead-in to a takeaways list: under its heading, as a section, after all."""
        if self.lead_in is not None:
            text, self.lead_in = self.lead_in, None
            self._flush_pending()
            self.paragraph(text)

    def _repeats_title(self, text: str, level: int) -> bool:
        """The title or the dek again; an h1 may carry a kicker in front ("Autoindustrie: <title>")
        and punctuate differently from the structured title."""
        if text.casefold() in self.skip_headings:
            return True
        key = alnum_key(text)
        if key in self.skip_keys:
            return True
        # the kicker only on a top heading (Spiegel's headline is an h2); a short label may also
        # lead the structured title instead ("LIVE | Wateroverlast in Arnhem", the h1 without
        # it), never the dek (a dek "..., the Players and the Numbers Behind X" is no label
        # before the section heading "The Numbers Behind X")
        if level > 2:
            return False
        if any(key.endswith(h) and len(h) >= 15 for h in self.skip_keys):
            return True
        title = self.title_key
        return len(key) >= 15 and title.endswith(key) and len(title) - len(key) <= _TITLE_LABEL_MAX

    def _flush_pending(self) -> None:
        if self.pending is not None:
            heading, level = self.pending
            self.pending = None
            self.current = Section(heading, level, [])
            self.sections.append(self.current)

    def heading(self, text: str, level: int) -> None:
        if not text:
            return
        self._emit_lead_in()
        if self._repeats_title(text, level):
            if self.reset_at_title is not None and self.blocks and len(" ".join(self.blocks).split()) < 25:
                # generic extraction starts with header furniture (kicker, byline):
                # the article proper begins at its title, with what of the text before it
                # the page has after its headline (trafilatura moves a short lede up)
                kept = self.reset_at_title(self.blocks)
                self.__init__(self.skip_headings)
                for block in kept:
                    self.paragraph(block)
            return  # the title or the dek repeated in the content
        self._flush_pending()
        self.in_takeaways = False
        if is_takeaways_heading(text) and not self.takeaways:
            self.pending = (text, level)
            return
        self.current = Section(text, level, [])
        self.sections.append(self.current)

    def paragraph(self, text: str) -> None:
        if not text or is_label(text) or not (text[0].isalnum() or any(c.isalnum() for c in text)):
            return
        if not self.sections and text.casefold() in self.skip_headings:
            return  # the dek as the content's first paragraph (generic extraction keeps it)
        if self.pending is not None and self.lead_in is None and len(text) <= _LEAD_IN_MAX and text.endswith(":"):
            self.lead_in = text  # "Here is what the data shows:" between the heading and its list
            return
        self._emit_lead_in()
        self._flush_pending()
        if self.in_takeaways:
            # text after the takeaways list and before the next heading
            self.in_takeaways = False
            if self.sections:
                level = self.current.level if self.current else 2
                self.current = Section(None, level, [])
                self.sections.append(self.current)
        self.seen_text = True
        if self.current is not None:
            self.current.paragraphs.append(text)
        else:
            self.intro.append(text)
        self.blocks.append(text)

    def list_items(self, items: list[str]) -> None:
        items = [t for t in items if t and not is_label(t)]
        if not items:
            return
        if self.pending is not None:
            self.lead_in = None  # it introduced these takeaways
        else:
            self._emit_lead_in()
        if self.pending is not None or self.in_takeaways:
            if self.pending is not None:
                self.takeaways_heading = self.pending[0]
                self.pending = None
            self.in_takeaways = True
            self.seen_text = True
            self.takeaways.extend(items)
            self.blocks.extend(items)
            return
        for text in items:
            self.paragraph(text)

    def takeaways_box(self, heading: Optional[str], items: list[str]) -> None:
        items = [t for t in items if t]
        if not items:
            return
        self._emit_lead_in()
        self._flush_pending()
        if self.takeaways:  # a second box: ordinary content
            if heading:
                self.heading(heading, 2)
            self.list_items(items)
            return
        self.takeaways_heading = heading
        self.takeaways.extend(items)
        self.blocks.extend(items)
        self.in_takeaways = True
        self.seen_text = True

    def listing_heading(self) -> None:
        """The heading just read titles a list of other posts (a Latest Posts block) that was
        left out: it goes too, unless text of the article follows it before the next heading."""
        current = self.current
        if current is not None and current.heading and not current.paragraphs and self.sections \
                and self.sections[-1] is current:
            self.listing_headings.append(current)

    def finish(self) -> None:
        self._emit_lead_in()
        self._flush_pending()
        dropped = self.listing_headings
        self.sections = [s for s in self.sections if (s.heading or s.paragraphs) and not (
            dropped and not s.paragraphs and any(s is d for d in dropped))]

    @property
    def body_text(self) -> str:
        return "\n\n".join(self.blocks)


class _Walker:
    def __init__(self, builder: BodyBuilder, skip=frozenset()):
        self.b = builder
        self.skip = skip  # blocks listing other posts (see post_listings)

    def walk(self, container) -> None:
        run: list = []
        if container.text:
            run.append(container.text)
        for child in container:
            tag = child.tag
            if not isinstance(tag, str):
                if child.tail:
                    run.append(child.tail)
                continue
            if tag == "br":
                run.append(_BR)
            elif tag in _BLOCK_TAGS or (len(child) and _has_block(child)):
                self._flush(run)
                run = []
                self.block(child)
            elif tag == "cite" and container.tag == "blockquote":
                pass  # a quote's attribution, not its text
            elif not is_boilerplate(child):
                _inline(child, run)
            if child.tail:
                run.append(child.tail)
        self._flush(run)

    def _flush(self, run: list) -> None:
        if run:
            raw = "".join(run)
            if raw.isspace():
                return  # the line breaks between blocks
            for text in _split_paragraphs(raw):
                self.b.paragraph(text)

    def block(self, el) -> None:
        cls = el.get("class") or ""
        ident = el.get("id")
        if (cls and is_takeaways_box(cls) and not attr_is_boilerplate(cls)) or (ident and is_takeaways_box(ident)):
            self.box(el)
            return
        if is_boilerplate(el) or el in self.skip:
            if (cls and lists_other_posts(cls)) or el in self.skip:
                prev = el.getprevious()
                while prev is not None and not isinstance(prev.tag, str):
                    prev = prev.getprevious()
                if prev is not None and prev.tag in _HEADINGS:
                    self.b.listing_heading()  # "Latest from the site" above a Latest Posts block
            return
        tag = el.tag
        if tag in _HEADINGS:
            self.b.heading(inline_text(el), _HEADINGS[tag])
        elif tag == "p":
            if len(el) == 0:
                text = clean(el.text)
                if text:
                    self.b.paragraph(text)
                return
            out: list = []
            _inline(el, out)
            paragraphs = _split_paragraphs("".join(out))
            if len(paragraphs) == 1 and self._pseudo_heading(el, paragraphs[0]):
                return
            if paragraphs and is_related_line(el, paragraphs[0]):
                return
            for text in paragraphs:
                self.b.paragraph(text)
        elif tag in _LISTS:
            self.b.list_items(self.items(el))
        elif tag == "table":
            for row in el.iter("tr"):
                cells = [inline_text(c) for c in row if c.tag in ("td", "th")]
                text = " | ".join(c for c in cells if c)
                if text:
                    self.b.paragraph(text)
        elif tag == "pre":
            self.b.paragraph(clean(text_content(el)) or "")
        elif tag == "hr":
            return
        elif tag == "a" and is_related_line(el, clean(text_content(el)) or ""):
            return  # a block-level "See also" card (Inline Related Posts)
        else:
            self.walk(el)

    def _pseudo_heading(self, p, text: str) -> bool:
        """``<p><strong>Key Takeaways</strong></p>`` before a list acts as a heading."""
        if len(text) > 80 or not is_takeaways_heading(text):
            return False
        nxt = p.getnext()
        if nxt is None or nxt.tag not in _LISTS:
            return False
        self.b.heading(text.rstrip(":").strip(), 3)
        return True

    def items(self, lst) -> list[str]:
        result = []
        for li in lst:
            if li.tag != "li" or is_boilerplate(li):
                continue
            nested = [c for c in li if c.tag in _LISTS]
            text = inline_text(li, skip_lists=bool(nested))
            if text:
                result.append(text)
            for sub in nested:
                if not is_boilerplate(sub):
                    result.extend(self.items(sub))
        return result

    def box(self, el) -> None:
        heading = None
        items: list[str] = []
        for node in el.iter():
            tag = node.tag
            if not isinstance(tag, str) or node is el:
                continue
            if heading is None and not items and (tag in _HEADINGS or _is_title_like(node)):
                heading = inline_text(node) or None
            elif tag in _LISTS and not _inside_list(node, el) and not inside_boilerplate(node, el):
                items.extend(self.items(node))
        if not items:
            # no list: the box's paragraphs are the takeaways
            for p in el.iter("p"):
                text = inline_text(p)
                if text and text != heading:
                    items.append(text)
        self.b.takeaways_box(heading, items)


def _inside_list(node, stop) -> bool:
    for a in node.iterancestors():
        if a is stop:
            return False
        if a.tag in _LISTS:
            return True
    return False


def _is_descendant(node, ancestor) -> bool:
    for a in node.iterancestors():
        if a is ancestor:
            return True
    return False


def _is_title_like(node) -> bool:
    cls = (node.get("class") or "").lower()
    if not cls or not any(w in cls for w in ("title", "heading", "header", "label")):
        return False
    return len(node) <= 3 and not any(c.tag in _LISTS for c in node)


# --- other posts listed in the content ------------------------------------

_LISTING_HEADER_MAX = 80  # characters a listing's own header ("More on our water") may add
_TITLE_LABEL_MAX = 12  # letters and digits of a label before the title ("LIVE", "Breaking")
_TITLE_LINK_MIN = 15  # characters of a link's text that make it a title (not "Read more")


def post_listings(doc, container) -> set:
    """Blocks inside ``container`` that list other posts: two or more cards side by side, each
    with its own ``<time>`` and a link of a few words to another page (Newspack's Homepage
    Posts block, Squarespace's summary block, any theme's "More in ..." grid), widened to the
    block's header. The dates are those the metadata extractors listed already: no new walk."""
    times = [t for t in doc.listed("time") if is_inside(t, container)]
    if len(times) < 2:
        return set()
    below: dict = {}  # element -> how many of the times it holds
    for time in times:
        node = time.getparent()
        while node is not None and node is not container:
            below[node] = below.get(node, 0) + 1
            node = node.getparent()
    cards: dict = {}  # list element -> its cards
    for time in times:
        card, parent = time, time.getparent()
        while parent is not container and below.get(parent) == 1:
            card, parent = parent, parent.getparent()
        if parent is not container and _links_elsewhere(card):
            cards.setdefault(parent, []).append(card)
    blocks = set()
    for listing, found in cards.items():
        if len(found) < 2:
            continue
        size = len(collapse(text_content(listing)))
        while listing.getparent() is not container and \
                len(collapse(text_content(listing.getparent()))) - size <= _LISTING_HEADER_MAX:
            listing = listing.getparent()
        blocks.add(listing)
    return blocks


def _links_elsewhere(card) -> bool:
    """Whether ``card`` links to another page with a title's worth of text (counted in
    characters: Japanese and Chinese titles have no spaces)."""
    for a in card.iter("a"):
        href = a.get("href")
        if href and not href.startswith("#") and len(collapse(text_content(a))) >= _TITLE_LINK_MIN:
            return True
    return False


# --- subtitle --------------------------------------------------------------

_EXCERPT_MORE = ("wp-block-post-excerpt__more-text", "wp-block-post-excerpt__more-link")
_LISTING = ("wp-block-query", "wp-block-post-template", "related", "widget", "sidebar")


def _not_in_listing(el) -> bool:
    for a in el.iterancestors():
        if a.tag == "body":
            break  # the body's classes describe the layout ("right-sidebar", "ast-no-sidebar")
        cls = a.get("class")
        if cls and any(w in cls for w in _LISTING) and any(
                w in token for token in cls.split() if not is_builder_module(token) for w in _LISTING):
            return False  # page builders' modules are all "widgets", listings or not
    return True


def _main_h1(doc, title: Optional[str]):
    h1s = doc.listed("h1")
    if not h1s:
        return None
    if title:
        for h in h1s:
            if inline_text(h) == title:
                return h
    for h in h1s:
        if not inside_boilerplate(h):
            return h
    return h1s[0]


def _subtitle_text(rank: int, el) -> Optional[str]:
    if rank == 2:  # wp-block-post-excerpt: its excerpt paragraph, not the "read more" link
        parts = [inline_text(p) for p in el if not (p.get("class") or "").startswith(_EXCERPT_MORE)]
        return clean(" ".join(p for p in parts if p))
    return inline_text(el) or None


# Custom CMSes name their parts in ids and data attributes, with hashed classes
# (NYT's p#article-summary, the Guardian's data-gu-name="standfirst").
_SUBTITLE_ATTRS = ("id", "data-gu-name", "data-testid", "data-qa", "data-component")


def _class_rank(el) -> Optional[int]:
    cls = el.get("class")
    return _subtitle_rank(cls) if cls else None


def _attr_rank(el) -> Optional[int]:
    rank = None
    for name in _SUBTITLE_ATTRS:
        value = el.get(name)
        if value:
            r = _subtitle_rank(value)
            if r is not None and (rank is None or r < rank):
                rank = r
    return rank


def _subtitle_near(h1, container, rank_of=_class_rank):
    """Subtitle-class elements around the headline: its siblings, then its
    parent's siblings, and so on up to the article (never inside the body)."""
    best = None
    node = h1
    for _ in range(4):
        parent = node.getparent()
        if parent is None:
            break
        for sib in parent:
            if sib is node or not isinstance(sib.tag, str):
                continue
            if container is not None and (sib is container or _is_descendant(container, sib)):
                continue
            if is_boilerplate(sib) and rank_of(sib) is None:
                continue
            visited = 0
            for el in sib.iter():
                visited += 1
                if visited > 200:
                    break
                if not isinstance(el.tag, str):
                    continue
                rank = rank_of(el)
                if rank is not None and (best is None or rank < best[0]):
                    best = (rank, el)
                    if rank == 0:
                        return best
        if parent.tag in ("article", "main", "body"):
            break
        node = parent
    return best


# Drupal names a node's dek by its field; the page title block sits apart from the node,
# beside the block holding the whole node (body included), so the dek is not "near" the h1.
_FIELD_SUBTITLE_CLASSES = (
    "field--name-field-subtitle", "field--name-field-subhead", "field--name-field-deck",
    "field--name-field-standfirst",
)
want(*_FIELD_SUBTITLE_CLASSES)  # indexed from the start: a late want() rebuilds the page's index


def _field_subtitle(doc, container):
    for el in by_class_in_article(doc, _FIELD_SUBTITLE_CLASSES):
        if container is None or not _is_descendant(el, container):
            return (1, el)
    return None


def find_subtitle(doc, container, title: Optional[str], candidates=None) -> Optional[str]:
    h1 = _main_h1(doc, title)
    if candidates is None:
        found = None
        if h1 is not None:
            found = _subtitle_near(h1, container) or _subtitle_near(h1, container, _attr_rank)
        found = found or _field_subtitle(doc, container)
        candidates = [found] if found else []
    for rank, el in candidates:
        if container is not None and _is_descendant(el, container):
            continue
        if not _not_in_listing(el) or _holds_blocks(el):
            continue
        text = _subtitle_text(rank, el)
        if rank >= _GENERIC_SUBTITLE_RANK and text and len(text) > _GENERIC_SUBTITLE_MAX:
            continue
        if text and text != title:
            return text
    return _heading_after_h1(h1, container, title)


def _holds_blocks(el) -> bool:
    """A block holding a list or several paragraphs (a live blog's "article__intro" with the
    first paragraph and an "In het kort" box) is the start of the body, not a standfirst."""
    if next(el.iter("ul", "ol"), None) is not None:
        return True
    paragraphs = el.iter("p")
    return next(paragraphs, None) is not None and next(paragraphs, None) is not None


_DEK_END = (".", "!", "?", "…", '"', "”", "»")


def _dek_paragraph(p) -> Optional[str]:
    """The paragraph right after the headline in the article's header, when it reads like a
    standfirst (a sentence or two, not a byline or date line): FAZ's atc-IntroText and the
    like, whatever their class."""
    parent = p.getparent()
    if parent is None or not (parent.tag == "header" or "header" in (parent.get("class") or "").lower()):
        return None
    if is_boilerplate(p):
        return None
    text = inline_text(p)
    if text and 60 <= len(text) <= 400 and text.endswith(_DEK_END):
        return text
    return None


def _heading_after_h1(h1, container, title: Optional[str]) -> Optional[str]:
    if h1 is None:
        return None
    if container is not None and _is_descendant(h1, container):
        return None
    node = h1
    for _ in range(3):
        sib = node.getnext()
        steps = 0
        while sib is not None and steps < 4:
            if container is not None and (sib is container or _is_descendant(container, sib)):
                return None
            tag = sib.tag
            if tag in ("h2", "h3", "h4", "h5", "h6") and not is_boilerplate(sib):
                text = inline_text(sib)
                if text and text != title:
                    return text
            elif tag == "p" or tag in _LISTS:
                if tag == "p" and sib is h1.getnext():
                    return _dek_paragraph(sib)
                return None  # body text reached
            sib = sib.getnext()
            steps += 1
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "article", "main", "html") or (
                container is not None and _is_descendant(container, parent)):
            return None
        node = parent
    return None


# --- entry point -----------------------------------------------------------

def fill(doc, record) -> None:
    container = find_container(doc.root)
    record.subtitle = find_subtitle(doc, container, record.title)
    record.share_links = share.extract(doc)
    builder = BodyBuilder(skip_headings=(record.title, record.subtitle))
    if container is not None:
        _Walker(builder, post_listings(doc, container)).walk(container)
        builder.finish()
    if container is None or not builder.blocks:
        from . import fallback

        builder = BodyBuilder(skip_headings=(record.title, record.subtitle),
                              reset_at_title=lambda blocks: fallback.after_headline(doc, blocks))
        fallback.extract(doc, builder)
        builder.finish()
        record.extraction = "fallback"
    else:
        record.extraction = "dom"
    record.intro = builder.intro
    record.sections = builder.sections
    record.takeaways_heading = builder.takeaways_heading
    record.takeaways = builder.takeaways
    record.body_text = builder.body_text
    # len(body_text.split()) without building the list of words: every block is
    # non-empty and white-space collapsed, its words joined by single spaces.
    record.word_count = record.body_text.count(" ") + len(builder.blocks)


# Brysbaert (2019): adults read non-fiction silently at about 238 words a minute.
WORDS_PER_MINUTE = 238


def reading_minutes(word_count: int) -> Optional[int]:
    """The reading time of ``word_count`` words, for a page that gives none; None for no words."""
    return max(1, math.ceil(word_count / WORDS_PER_MINUTE)) if word_count else None
