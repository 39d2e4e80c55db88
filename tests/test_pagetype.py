"""pagetype.is_article: every fixture page, then each signal on inline HTML."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from scraper.extract import load_document, metadata, pagetype, parse_article
from scraper.record import ArticleRecord

PAGES = Path(__file__).resolve().parent / "pages"
WITH_VERDICT = [
    p for p in sorted(PAGES.glob("*.expected.json"))
    if "is_article" in json.loads(p.read_text(encoding="utf-8")).get("expect", {})
]


def verdict(html, url="https://news.example.com/2025/09/09/a-story/") -> bool:
    doc = load_document(html, url)
    record = ArticleRecord(url=url)
    metadata.fill(doc, record)
    return pagetype.is_article(doc, record)


@pytest.mark.parametrize("expected_path", WITH_VERDICT, ids=lambda p: p.name.split(".")[0])
def test_fixture_is_article(expected_path):
    spec = json.loads(expected_path.read_text(encoding="utf-8"))
    html = expected_path.with_name(expected_path.name.replace(".expected.json", ".html")).read_bytes()
    assert verdict(html, spec["url"]) is spec["expect"]["is_article"]


# --- inline cases ------------------------------------------------------------

PARAGRAPHS = "".join(
    f"<p>Paragraph {i} of the story goes on long enough to count as real prose in an article body, "
    f"with a second clause for good measure.</p>" for i in range(5)
)


def page(head="", body="", body_class=""):
    cls = f' class="{body_class}"' if body_class is not None else ""
    return f"<html lang='en'><head><meta charset='utf-8'>{head}</head><body{cls}>{body}</body></html>"


def ld(obj):
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


def cards(n):
    return "".join(
        f'<article class="post type-post"><h2 class="entry-title"><a href="/p{i}/">Post {i}</a></h2>'
        f"<p>Excerpt {i} of a listing card that is not very long.</p></article>" for i in range(n)
    )


SINGLE = f'<article><h1 class="entry-title">A story</h1><time datetime="2025-09-09">Sep 9</time>{PARAGRAPHS}</article>'


@pytest.mark.parametrize("body_class", [
    "post-template-default single single-post postid-12 single-format-standard",
    "postid-77",
    "single",
])
def test_single_post_body_classes(body_class):
    assert verdict(page(body=SINGLE, body_class=body_class)) is True


@pytest.mark.parametrize("body_class", [
    "home blog", "blog", "archive category category-world category-4", "archive tag tag-nato",
    "archive author author-shaynes", "archive date", "search search-results", "search search-no-results",
    "page-template-default page page-id-2", "home page-template-default page page-id-5",
    "archive category paged paged-2 category-paged-2", "error404", "attachment single single-attachment",
])
def test_listing_and_static_body_classes(body_class):
    # even with article-like markup and Yoast's og:type article on static pages
    head = '<meta property="og:type" content="article">'
    assert verdict(page(head, SINGLE, body_class)) is False


@pytest.mark.parametrize("kind", ["CollectionPage", "SearchResultsPage", "ProfilePage"])
def test_jsonld_listing_page_types(kind):
    head = ld({"@context": "https://schema.org", "@graph": [{"@type": kind, "name": "X"}, {"@type": "WebSite", "name": "S"}]})
    assert verdict(page(head, SINGLE, None)) is False


def test_jsonld_article_without_body_classes():
    head = ld({"@type": "NewsArticle", "headline": "A story", "datePublished": "2025-09-09T10:00:00Z"})
    assert verdict(page(head, "<main><h1>A story</h1><p>Short.</p></main>", None)) is True


def test_item_list_beside_an_article_is_not_a_listing():
    head = ld([{"@type": "NewsArticle", "headline": "A story"}, {"@type": "ItemList", "itemListElement": []}])
    assert verdict(page(head, SINGLE, None)) is True


def test_og_type_article_generic_page():
    head = '<meta property="og:type" content="article">'
    assert verdict(page(head, "<main><h1>Story</h1><p>Text.</p></main>", None)) is True


def test_og_type_news_is_an_article():
    """Chinese portals (Sina) say og:type "news" on their article pages."""
    head = '<meta property="og:type" content="news">'
    assert verdict(page(head, "<main><h1>Story</h1><p>Text.</p></main>", None)) is True


def test_og_type_website_without_article_signals():
    head = '<meta property="og:type" content="website">'
    assert verdict(page(head, "<main><h1>Welcome</h1>" + PARAGRAPHS + "</main>", None)) is False


def test_many_article_cards_is_a_listing():
    assert verdict(page("", "<main><h1>Latest</h1>" + cards(6) + "</main>", None)) is False
    head = ld({"@type": "NewsArticle", "headline": "x"})
    assert verdict(page(head, "<main>" + cards(4) + "</main>", None)) is False


@pytest.mark.parametrize("head", ["", '<meta property="og:type" content="article">',
                                  ld({"@type": "NewsArticle", "headline": "A story"})])
def test_related_story_cards_beside_one_whole_article_are_not_a_listing(head):
    """Article pages put "More news" in <article> cards too, in containers not named like
    boilerplate: one whole article (a headline, long paragraphs) among short cards is an article."""
    html = page(head, f'<main>{SINGLE}<div class="more-news">{cards(4)}</div></main>', None)
    assert verdict(html) is True
    record = parse_article(html, "https://news.example.com/2025/09/09/a-story/")
    assert record.is_article and "Paragraph 4" in record.body_text and "Excerpt" not in record.body_text
    # the same cards and lead story on the site's home page: a listing
    assert verdict(html, "https://news.example.com/") is False
    # with no URL known (`newsarchive parse FILE`), the page is not taken for a home page
    assert verdict(html, None) is True
    # nor for one when a misconfigured theme names the home page as its canonical URL
    canonical = page('<link rel="canonical" href="https://news.example.com/">' + head,
                     f'<main>{SINGLE}<div class="more-news">{cards(4)}</div></main>', None)
    assert verdict(canonical, "https://news.example.com/2025/09/09/a-story/") is True


TEASER = ("<article><header><h2>Heating: the subsidy shrinks</h2></header>"
          "<p>The first paragraph of a subscriber article, all a visitor sees before the paywall.</p>"
          "<p>Subscribe to read on.</p></article>")


@pytest.mark.parametrize("head", [
    "<title>Heating: the subsidy shrinks | ZEIT ONLINE</title>"
    + ld({"@type": "NewsArticle", "headline": "Heating: the subsidy shrinks"}),
    '<meta property="og:title" content="Heating: The Subsidy Shrinks">'
    + ld({"@type": "NewsArticle", "headline": "Heating: the subsidy shrinks"}),
    ld({"@type": "NewsArticle", "headline": "Heating",
        "mainEntityOfPage": {"@id": "https://www.zeit.de/wirtschaft/heating"}}),
    ld({"@graph": [{"@type": "NewsArticle", "headline": "Heating", "@id": "https://zeit.de/wirtschaft/heating/#article"}]}),
])
def test_cards_beside_an_article_its_json_ld_names_are_not_a_listing(head):
    """A paywalled teaser, or a headline in an <h2>, is no whole article, but the page's own
    Article JSON-LD says what the page is: "More from Business" cards do not make it a listing."""
    html = page(head, f"<main>{TEASER}<section>{cards(3)}</section></main>", None)
    assert verdict(html, "https://www.zeit.de/wirtschaft/heating") is True
    assert verdict(html, "https://www.zeit.de/") is False  # the home page stays a listing


def test_headline_above_the_article_element_with_cards_and_og_type_article():
    """WaPo: <h1> in a div above <article>, two related <article> cards below it."""
    body = (f'<main><div data-qa="headline"><h1>A story</h1></div><article data-qa="main">{PARAGRAPHS}</article>'
            f"<section><h2>More from The Post</h2>{cards(2)}</section></main>")
    assert verdict(page('<meta property="og:type" content="article">', body, None)) is True
    # an index of whole posts under a page headline stays a listing
    posts = "".join(f"<article><h2>Post {i}</h2>{PARAGRAPHS}</article>" for i in range(3))
    assert verdict(page('<meta property="og:type" content="article">', f"<main><h1>Blog</h1>{posts}</main>", None),
                   "https://news.example.com/blog/") is False


def test_json_ld_of_a_listed_story_does_not_make_a_listing_an_article():
    head = ("<title>Business | ZEIT ONLINE</title>"
            + ld({"@type": "NewsArticle", "headline": "Heating: the subsidy shrinks",
                  "url": "https://www.zeit.de/wirtschaft/heating"}))
    assert verdict(page(head, f"<main><h1>Business</h1>{cards(5)}</main>", None),
                   "https://www.zeit.de/wirtschaft/") is False


def test_an_index_of_whole_posts_is_a_listing():
    """A blog index that shows posts whole, each with an <h1> title (Twenty Thirteen does)."""
    posts = "".join(SINGLE.replace("A story", f"Story {i}") for i in range(3))
    assert verdict(page("", f"<main>{posts}</main>", None), "https://news.example.com/blog/") is False


def test_listing_urls():
    for url in ("https://ex.com/category/world/", "https://ex.com/page/2/", "https://ex.com/?s=nato",
                "https://ex.com/tag/nato/", "https://ex.com/author/jane/"):
        assert verdict(page("", SINGLE, None), url) is False, url


def test_structural_generic_article():
    assert verdict(page("", SINGLE, None)) is True
    byline = f'<main><h1>A story</h1><div class="byline">By Ann Lee</div>{PARAGRAPHS}</main>'
    assert verdict(page("", byline, None)) is True


def test_structural_teaser_pages_and_home_pages_are_listings():
    """A hand-coded site's section page: teasers in <div>s (a linked heading, a date, a byline,
    one long summary paragraph each), no og:type."""
    teasers = "".join(f'<div class="teaser"><h2><a href="/news/story-{i}.html">Story {i}</a></h2>'
                      f'<time datetime="2025-09-0{i}">Sep {i}</time> <span class="byline">By Jane Roe</span>'
                      f"<p>Summary {i} of a story, long enough to pass for a paragraph of real article prose.</p></div>"
                      for i in range(1, 5))
    assert verdict(page("", f"<main><h1>News</h1>{teasers}</main>", None), "https://plain.example/news/") is False
    # the same structure as a single article, with a few linked "related" headings: an article
    related = "".join(f'<h3><a href="/news/r{i}.html">Related {i}</a></h3>' for i in range(3))
    assert verdict(page("", f"<main>{SINGLE}{related}</main>", None), "https://plain.example/news/a.html") is True
    # a home page without any hint is no article, however it looks
    assert verdict(page("", SINGLE, None), "https://plain.example/") is False


def test_structural_non_articles():
    # no date and no byline
    assert verdict(page("", f"<main><h1>About us</h1>{PARAGRAPHS}</main>", None)) is False
    # dated but no real prose
    assert verdict(page("", '<article><h1>Hi</h1><time datetime="2025-09-09">x</time><p>Short.</p></article>', None)) is False
    # nothing at all
    assert verdict(page("", "<div>Hello</div>", None)) is False
