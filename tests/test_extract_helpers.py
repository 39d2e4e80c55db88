"""Helpers that exist for speed give the same answers as the plain code they replace."""
from __future__ import annotations

import lxml.html
import trafilatura
from lxml import etree

from scraper.extract import fallback, share
from scraper.extract.document import _PARSER


def test_candidate_anchors_match_the_one_by_one_search():
    hrefs = ["https://x.example/", "https://www.facebook.com/sharer/sharer.php?u=1", "#", "",
             "mailto:a@b.example", "https://x.example/?SHARE=twitter", "https://t.me/share?url=1",
             "https://x.example/about/", "javascript:void(0)", "https://x.example/ſhare"]
    html = "".join(f'<a href="{h}">x</a>' for h in hrefs) + "<a>no href</a>"
    root = etree.fromstring(f"<html><body>{html}</body></html>".encode(), _PARSER)
    anchors = list(root.iter("a"))
    expected = share._candidates_one_by_one(anchors, [a.get("href") or "" for a in anchors])
    assert share._candidate_anchors(anchors) == expected
    assert share._candidate_anchors(anchors) == expected  # hrefs known from the first call


def test_fallback_options_match_the_keyword_call():
    page = ("<html><head><title>T</title></head><body><div><h1>Title</h1>"
            + "".join(f"<p>Paragraph {i} with enough words to count as real text in an article body.</p>"
                      for i in range(12))
            + "<table><tr><td>a</td><td>b</td></tr></table></div></body></html>")
    by_keywords = trafilatura.bare_extraction(
        lxml.html.document_fromstring(page), url=None, with_metadata=False, include_comments=False, include_tables=True,
        include_images=False, include_links=False, include_formatting=False, deduplicate=False)
    by_options = trafilatura.bare_extraction(lxml.html.document_fromstring(page), options=fallback._options())
    assert etree.tostring(by_options.body) == etree.tostring(by_keywords.body)


def test_the_page_scan_looks_for_every_container_and_subtitle_class():
    from scraper.extract import body, scan

    assert set(body._CONTAINER_CLASSES) | set(body._SUBTITLE_CLASSES) <= scan.TOKENS
