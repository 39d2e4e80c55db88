"""A post split over several pages (WordPress's ``<!--nextpage-->``): its later pages, and one record of all.

WordPress serves page 1 at ``/story/``, page 2 at ``/story/2/`` (``/story/?page=2`` with plain
permalinks, ``/story/page/2/`` on some setups), each page repeating the headline, byline and
date, and links them in the post's own page-links block (``wp_link_pages()``: ``.page-links``,
``.post-nav-links``, ``a.post-page-numbers``; JNews ``.jeg_pagelinks``, tagDiv ``.page-nav-post``).
Only a link from such a block to the page's own address plus a page number counts: a listing's
pagination (``/category/news/page/2/``), comment pages (``/story/comment-page-2/``) and the
previous/next post links (``.post-navigation``, ``.wp-block-post-navigation-link``) name
other addresses and are never taken.
"""
from __future__ import annotations

import re
from typing import Iterable, Optional

from ..hosts import split_url
from ..record import ArticleRecord, Section, compute_content_hash
from .body import reading_minutes
from .limits import bound_record
from .scope import by_class_in_article, want

# The classes of a post's own page-links block, and of each of its links (WordPress 5.1+).
PAGE_LINK_CLASSES = ("page-links", "post-nav-links", "pagelink", "pagelinks", "page-nav-post",
                     "post-page-numbers")
want(*PAGE_LINK_CLASSES)

# A story of more pages than this is cut there: page numbers above it are not taken for its
# pages (a bound on what one story may fetch; no real story has fifty pages).
MAX_PAGES = 50

# What follows a post's address in its page N's: "2/", "page/2/" (or without the slash).
_PAGE_SUFFIX = re.compile(r"(?:page/)?(\d{1,4})/?")
_PAGE_PARAM = re.compile(r"(?:^|&)page=(\d{1,4})(?=&|$)")


def _host(netloc: str) -> str:
    netloc = netloc.lower()
    return netloc[4:] if netloc.startswith("www.") else netloc


def page_number(first_url: str, url: str) -> Optional[int]:
    """N when ``url`` is page N (2 or more) of the post whose first page is at ``first_url``:
    the same address plus ``N/`` or ``page/N/``, or with ``page=N`` in its query; else None."""
    first, later = split_url(first_url), split_url(url)  # None for one urllib refuses ("http://[::1")
    if first is None or later is None or _host(first.netloc) != _host(later.netloc):
        return None
    number = None
    if later.path.rstrip("/") == first.path.rstrip("/"):
        found = _PAGE_PARAM.search(later.query)
        if found and _PAGE_PARAM.sub("", later.query).lstrip("&") == _PAGE_PARAM.sub("", first.query).lstrip("&"):
            number = int(found.group(1))
    else:
        base = first.path if first.path.endswith("/") else first.path + "/"
        if later.path.startswith(base) and later.query == first.query:
            found = _PAGE_SUFFIX.fullmatch(later.path[len(base):])
            number = int(found.group(1)) if found else None
    return number if number is not None and number >= 2 else None


def _page_link_hrefs(doc) -> Iterable[str]:
    """The hrefs in the page's page-links blocks, in document order (a block and its own
    ``a.post-page-numbers`` links are one)."""
    # The post's own block is printed inside the post (the <article> holding the headline, or
    # <main>): the article's class index is built for the byline anyway, while the whole page's
    # would cost a walk of every element (a tenth of a sample page's extraction) for nothing.
    blocks = by_class_in_article(doc, PAGE_LINK_CLASSES)
    seen = set()
    for block in blocks:
        for anchor in ([block] if block.tag == "a" else block.iter("a")):
            if id(anchor) in seen:
                continue
            seen.add(id(anchor))
            href = anchor.get("href")
            if href:
                yield href


def later_page_urls(doc, first_url: Optional[str] = None) -> list[str]:
    """The absolute URLs of the post's pages 2..N that the page's page-links block names, in
    page order (at most MAX_PAGES - 1). ``first_url``: the post's first page, when ``doc`` is
    one of its later pages (a theme that links only the next page); by default the page's own
    URL, and a page that is itself page 2 or later of a post names none."""
    base = first_url or doc.url
    parts = split_url(base) if base else None
    if parts is None:
        return []
    if first_url is None and _PAGE_PARAM.search(parts.query):
        return []  # page N of a post with plain permalinks (?p=7&page=2) is no first page
    numbered: dict[int, str] = {}
    for href in _page_link_hrefs(doc):
        url = doc.absolute(href)
        number = page_number(base, url) if url else None
        if number is not None and number <= MAX_PAGES:
            numbered.setdefault(number, url)
    return [numbered[number] for number in sorted(numbered)]


def first_page_url(doc) -> Optional[str]:
    """The post's first page, when ``doc`` is its page 2 or later (its page-links block links
    an address of which the page's own is page N); None for any other page."""
    if not doc.url:
        return None
    for href in _page_link_hrefs(doc):
        url = doc.absolute(href)
        if url and page_number(url, doc.url) is not None:
            return url
    return None


def merge_pages(first: ArticleRecord, later: list[ArticleRecord]) -> ArticleRecord:
    """One record of a post's pages: page 1's metadata, the text of all pages in order.

    A later page's intro (the text before its first heading) goes on the previous page's last
    section, as the paragraphs that follow it there: the break falls where the editor put
    ``<!--nextpage-->``, mid-section as often as not. What every page repeats (tags, share
    links, the comment form, the takeaways box, the comments of a theme that prints them on
    every page) is kept once. A page of ``first.page_urls`` that ``later`` lacks (it answered
    404, or went away) is named in ``problems``. Pure: the inputs are left as they are."""
    merged = ArticleRecord.from_dict(first.to_dict())
    computed_reading_time = merged.reading_time_minutes == reading_minutes(first.word_count)
    bodies = [merged.body_text] if merged.body_text else []
    for page in later:
        page = ArticleRecord.from_dict(page.to_dict())
        if page.intro:
            if merged.sections:
                merged.sections[-1].paragraphs.extend(page.intro)
            else:
                merged.intro.extend(page.intro)
        merged.sections.extend(Section(s.heading, s.level, list(s.paragraphs)) for s in page.sections)
        merged.takeaways_heading = merged.takeaways_heading or page.takeaways_heading
        merged.takeaways = _once(merged.takeaways + page.takeaways, key=lambda text: text)
        merged.images = _once(merged.images + page.images, key=lambda image: image.url)
        merged.comments = _once(merged.comments + page.comments, key=_comment_key)
        merged.tags = _once(merged.tags + page.tags, key=lambda name: name)
        merged.categories = _once(merged.categories + page.categories, key=lambda name: name)
        merged.authors = _once(merged.authors + page.authors, key=lambda name: name)
        merged.share_links = merged.share_links or page.share_links
        merged.comment_form = merged.comment_form or page.comment_form
        if merged.comments_open is None:
            merged.comments_open = page.comments_open
        merged.problems = _once(merged.problems + page.problems, key=lambda text: text)
        merged.word_count += page.word_count
        if page.body_text:
            bodies.append(page.body_text)
    merged.body_text = "\n\n".join(bodies)  # as body.BodyBuilder joins its blocks
    merged_urls = {page.url for page in later}
    merged.problems += [f"page {number} missing: {url}" for number, url in enumerate(first.page_urls, start=2)
                        if url not in merged_urls]
    if computed_reading_time and later:
        merged.reading_time_minutes = reading_minutes(merged.word_count)
    bound_record(merged)
    merged.content_hash = compute_content_hash(merged)
    return merged


def _comment_key(comment) -> tuple:
    return (comment.id,) if comment.id else (comment.author, comment.published_at, comment.text)


def _once(items: list, key) -> list:
    """``items`` without repeats (by ``key``), first occurrences in order."""
    seen, out = set(), []
    for item in items:
        marker = key(item)
        if marker not in seen:
            seen.add(marker)
            out.append(item)
    return out
