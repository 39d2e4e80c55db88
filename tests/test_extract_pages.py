"""A story split over several pages: which links name its later pages (record.page_urls), and
merge_pages making one record of its pages."""
from __future__ import annotations

from scraper.extract import merge_pages, parse_article
from scraper.extract.document import load_document
from scraper.extract.pages import first_page_url
from scraper.record import ArticleRecord, Comment, Image, Section, ShareLink, compute_content_hash

URL = "https://news.example/2025/09/12/budget-vote/"


def _page(content, url=URL, after=""):
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Budget vote</title>'
            f'<meta property="og:type" content="article"></head><body class="single single-post postid-12">'
            f'<article class="post hentry"><h1 class="entry-title">Budget vote</h1><div class="entry-content">'
            f'<p>The council voted on the budget on Monday after a long debate about the harbour.</p>'
            f'{content}</div></article>{after}</body></html>')


def test_wordpress_page_links_name_the_later_pages_in_order_and_stay_out_of_the_text():
    record = parse_article(_page(
        '<div class="page-links">Pages: <span class="post-page-numbers current">1</span> '
        '<a href="/2025/09/12/budget-vote/3/" class="post-page-numbers">3</a> '
        '<a href="/2025/09/12/budget-vote/2/" class="post-page-numbers">2</a></div>'), URL)
    assert record.page_urls == [URL + "2/", URL + "3/"]
    assert "Pages" not in record.body_text and record.word_count == 15


def test_page_links_by_query_and_by_page_path_and_wordpress_5_post_nav_links():
    plain = "https://news.example/?p=12"
    record = parse_article(_page('<p class="post-nav-links">Pages: <span class="current">1</span> '
                                 '<a href="https://news.example/?p=12&amp;page=2">2</a></p>', plain), plain)
    assert record.page_urls == ["https://news.example/?p=12&page=2"]
    record = parse_article(_page('<nav class="page-links"><a class="post-page-numbers" href="page/2/">2</a></nav>'), URL)
    assert record.page_urls == [URL + "page/2/"]
    # JNews's own block (theme prefix)
    record = parse_article(_page('<div class="jeg_pagelinks"><a href="2/">Next</a></div>'), URL)
    assert record.page_urls == [URL + "2/"]


def test_a_later_page_names_no_pages_of_its_own_but_its_first_page():
    links = ('<div class="page-links"><a href="/2025/09/12/budget-vote/" class="post-page-numbers">1</a> '
             '<span class="post-page-numbers current">2</span> '
             '<a href="/2025/09/12/budget-vote/3/" class="post-page-numbers">3</a></div>')
    assert parse_article(_page(links, URL + "2/"), URL + "2/").page_urls == []
    assert first_page_url(load_document(_page(links, URL + "2/"), URL + "2/")) == URL
    assert first_page_url(load_document(_page(links, URL), URL)) is None
    plain = "https://news.example/?p=12&page=2"
    assert parse_article(_page('<div class="page-links"><a href="/?p=12&amp;page=3">3</a></div>', plain),
                         plain).page_urls == []


def test_listing_pagination_comment_pages_and_previous_next_post_are_not_later_pages():
    record = parse_article(_page(
        '<div class="page-links"><a href="/2025/09/12/budget-vote/comment-page-2/">2</a> '
        '<a href="/category/news/page/2/">2</a> <a href="https://elsewhere.example/2025/09/12/budget-vote/2/">2</a></div>',
        after='<nav class="navigation pagination"><a class="page-numbers" href="/2025/09/12/budget-vote/page/2/">2</a></nav>'
              '<nav class="navigation post-navigation"><div class="nav-links"><a href="/2025/09/11/other/" rel="prev">'
              'Older</a> <a href="/2025/09/12/budget-vote/2/" rel="next">Next post</a></div></nav>'
              '<nav class="wp-block-post-navigation-link"><a href="/2025/09/12/budget-vote/4/">Next</a></nav>'
              '<div class="comment-navigation"><a href="/2025/09/12/budget-vote/comment-page-3/">Older comments</a></div>'),
        URL)
    assert record.page_urls == []
    listing = ('<!doctype html><html><head><title>News</title></head><body class="archive category">'
               '<h2><a href="/a/">A</a></h2><h2><a href="/b/">B</a></h2>'
               '<div class="page-links pagination"><a class="post-page-numbers" href="/category/news/2/">2</a></div>'
               '</body></html>')
    assert parse_article(listing, "https://news.example/category/news/").page_urls == []


def _record(url, intro, sections=(), **fields):
    record = ArticleRecord(url=url, title="Budget vote", authors=["Ann Writer"], is_article=True, intro=list(intro),
                           sections=[Section(h, 2, list(p)) for h, p in sections], **fields)
    blocks = [*intro, *(text for h, p in sections for text in ([h] if h else []) + list(p))]
    record.body_text = "\n\n".join(blocks)
    record.word_count = len(record.body_text.split())
    record.content_hash = compute_content_hash(record)
    return record


def test_merge_pages_appends_the_text_and_keeps_once_what_every_page_repeats():
    share = [ShareLink("twitter", "https://twitter.com/share?u=1")]
    comment = Comment("Bo", "2025-09-12T09:00:00Z", "Good.", id="comment-1")
    first = _record(URL, ["Page one opens."], [("Background", ["Old plans."])], tags=["Council"],
                    share_links=share, images=[Image("https://news.example/a.jpg")], comments=[comment],
                    page_urls=[URL + "2/", URL + "3/"], reading_time_minutes=1)
    second = _record(URL + "2/", ["Old plans went on."], [("Vote", ["Seven for, two against."])], tags=["Council"],
                     share_links=[ShareLink("twitter", "https://twitter.com/share?u=2")], comments=[comment],
                     images=[Image("https://news.example/a.jpg"), Image("https://news.example/b.jpg")])
    third = _record(URL + "3/", ["The end."], tags=["Council", "Budget"], comments=[comment])
    before = first.to_dict()
    merged = merge_pages(first, [second, third])
    assert first.to_dict() == before  # pure
    assert merged.intro == ["Page one opens."]
    assert [(s.heading, s.paragraphs) for s in merged.sections] == [
        ("Background", ["Old plans.", "Old plans went on."]), ("Vote", ["Seven for, two against.", "The end."])]
    assert merged.body_text == "\n\n".join([first.body_text, second.body_text, third.body_text])
    assert merged.word_count == len(merged.body_text.split()) == first.word_count + second.word_count + third.word_count
    assert merged.tags == ["Council", "Budget"] and merged.share_links == share and merged.comments == [comment]
    assert [image.url for image in merged.images] == ["https://news.example/a.jpg", "https://news.example/b.jpg"]
    assert merged.url == URL and merged.page_urls == [URL + "2/", URL + "3/"] and merged.problems == []
    assert merged.content_hash == compute_content_hash(merged) != first.content_hash
    # a missing page is named; what the pages gave is kept
    partial = merge_pages(first, [second])
    assert partial.problems == [f"page 3 missing: {URL}3/"] and "The end." not in partial.body_text
    # page_urls is not content: the same pages from other addresses hash the same
    assert merge_pages(_record(URL, ["x"], page_urls=[URL + "2/"]), []).content_hash == \
        merge_pages(_record(URL, ["x"], page_urls=["https://news.example/?p=12&page=2"]), []).content_hash


def test_merge_pages_of_a_story_without_sections_continues_its_intro():
    merged = merge_pages(_record(URL, ["One."], page_urls=[URL + "2/"]), [_record(URL + "2/", ["Two."])])
    assert merged.intro == ["One.", "Two."] and merged.sections == [] and merged.body_text == "One.\n\nTwo."


def test_a_story_takes_at_most_fifty_pages():
    links = "".join(f'<a class="post-page-numbers" href="{URL}{n}/">{n}</a>' for n in range(2, 1000))
    urls = parse_article(_page(f'<div class="page-links">{links}</div>'), URL).page_urls
    assert len(urls) == 49 and urls[-1] == URL + "50/"


def test_page_links_urllib_refuses_cost_the_link_only():
    links = '<div class="page-links"><a href="http://[::1/2/">2</a> <a href="3/">3</a></div>'
    assert parse_article(_page(links), URL).page_urls == [URL + "3/"]
    assert parse_article(_page(links), "http://[::1").page_urls == []
    assert first_page_url(load_document(_page(links), "http://[::1")) is None
