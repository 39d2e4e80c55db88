"""One pass over a page's class attributes: the elements carrying given tokens.

Reading every ``class`` value once and keeping only the elements that carry one
of a fixed set of tokens is much cheaper than one XPath class test per token.
Still a whole-page pass: :mod:`.body` uses it only when the cheaper
paragraph-parent search finds no content container.
"""
from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from lxml import etree

_VALUES = etree.XPath("//@class | //@itemprop")

# Tokens any extractor looks up through :func:`index`.
TOKENS = frozenset({
    # content containers
    "entry-content", "wp-block-post-content", "td-post-content", "tdb_single_content",
    "content-inner", "rbct", "s-ct", "post-content", "article-content", "single-content",
    "amp-wp-article-content", "amp-article-content", "cm-entry-summary", "entry-summary",
    "gh-content", "field--name-body", "elementor-widget-theme-post-content", "e-content",
    # subtitles
    "s-tagline", "entry-subtitle", "jeg_post_subtitle", "td-post-sub-title", "tdb_single_subtitle",
    "post-subtitle", "article-subtitle", "entry-sub-title", "standfirst", "wp-block-post-excerpt",
    "dek", "article-excerpt", "gh-article-excerpt", "subtitle", "sub-title", "subheadline", "sub-headline",
    "strapline", "article-dek", "c-article-dek", "article__dek", "article-standfirst", "fig-standfirst",
    "article-summary", "article__summary", "article-desc", "article__desc", "article-lead", "article__lead",
    "article-intro", "article__intro", "summary", "lead", "lede", "elementor-widget-theme-post-excerpt",
    "mvp-post-excerpt", "b-subheadline", "page-description",
    # comments closed
    "no-comments", "comments-closed", "comments-closed-message", "nocomments", "comment-closed",
    "comments-are-closed",
    # itemprop
    "articleBody",
})

def index(root) -> dict:
    """{token: [elements in document order]} for the tokens in :data:`TOKENS`."""
    found: dict = {}
    values = _VALUES(root)
    # "\x1f" counts as white space for str.split(), so one split of the joined
    # values tells which tokens occur at all; str.find then locates them.
    joined = "\x1f".join(values)
    present = TOKENS.intersection(joined.split())
    if present:
        offsets = list(accumulate((len(v) + 1 for v in values), initial=0))
        hits = set()
        for token in present:
            at = joined.find(token)
            while at >= 0:
                hits.add(bisect_right(offsets, at) - 1)
                at = joined.find(token, at + 1)
        for i in sorted(hits):
            value = values[i]
            tokens = [t for t in value.split() if t in present]
            if not tokens:
                continue  # the name occurred only inside a longer token
            element = value.getparent()
            for token in tokens:
                bucket = found.setdefault(token, [])
                if not bucket or bucket[-1] is not element:
                    bucket.append(element)
    return found
