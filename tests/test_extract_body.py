"""Body extraction: subtitle, intro, sections, takeaways, body text, share links.

Fixture pages (tests/pages/NAME.html + NAME.expected.json) are checked through
``parse_article``; the inline pages below pin one rule each.
"""
from __future__ import annotations

import json
import socket
from datetime import datetime
from pathlib import Path

import pytest
import trafilatura

from scraper.extract import parse_article
from scraper.extract import body as body_mod
from scraper.extract.boilerplate import token_is_boilerplate
from scraper.extract.document import load_document
from scraper.record import ArticleRecord, Section, ShareLink

PAGES = Path(__file__).resolve().parent / "pages"
FIXTURES = sorted(p.name[: -len(".expected.json")] for p in PAGES.glob("*.expected.json"))
BODY_KEYS = ("subtitle", "intro", "sections", "takeaways_heading", "takeaways", "share_links")


def _load(name):
    spec = json.loads((PAGES / f"{name}.expected.json").read_text(encoding="utf-8"))
    fetched = spec.get("fetched_at")
    record = parse_article(
        (PAGES / f"{name}.html").read_bytes(),
        url=spec["url"],
        fetched_at=datetime.fromisoformat(fetched.replace("Z", "+00:00")) if fetched else None,
    )
    return spec, record


def _body_strings(record: ArticleRecord) -> list[str]:
    strings = list(record.intro) + list(record.takeaways) + [record.body_text]
    for section in record.sections:
        strings.extend(section.paragraphs)
        if section.heading:
            strings.append(section.heading)
    if record.takeaways_heading:
        strings.append(record.takeaways_heading)
    return strings


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_body_fields(name):
    spec, record = _load(name)
    got = record.to_dict()
    expect = spec["expect"]
    checked = [key for key in BODY_KEYS if key in expect]
    for key in checked:
        assert got[key] == expect[key], f"{name}: {key}"
    if expect.get("is_article") is False:
        assert record.body_text == "" and record.intro == [] and record.sections == []
    for needle in spec.get("body_contains") or []:
        assert needle in record.body_text, f"{name}: body_text lacks {needle!r}"
    for needle in spec.get("must_not_contain") or []:
        for text in _body_strings(record):
            assert needle not in text, f"{name}: boilerplate {needle!r} leaked into the body"
    for needle in spec.get("body_must_not_contain") or []:
        assert needle not in record.body_text, f"{name}: {needle!r} leaked into body_text"


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_body_text_is_consistent(name):
    spec, record = _load(name)
    if not record.is_article:
        pytest.skip("not an article page")
    paragraphs = record.intro + [p for s in record.sections for p in s.paragraphs] + record.takeaways
    assert record.body_text, name
    assert sorted(record.body_text.split("\n\n")) == sorted(paragraphs)
    assert record.word_count == len(record.body_text.split())
    assert record.extraction in ("dom", "fallback")


# --- inline pages, one rule each -------------------------------------------

URL = "https://site.example/2025/01/02/story/"


def _page(content: str, *, head: str = "", outside: str = "", cls: str = "entry-content") -> str:
    return f"""<!DOCTYPE html><html lang="en"><head><title>Story</title>
<meta property="og:type" content="article">{head}</head>
<body class="single single-post postid-7"><article class="post-7 post">
<header class="entry-header"><h1 class="entry-title">Story</h1></header>
<div class="{cls}">{content}</div>{outside}</article></body></html>"""


def _fill(html: str) -> ArticleRecord:
    """body.fill on the page (independent of the page-type heuristics)."""
    doc = load_document(html, URL)
    record = ArticleRecord(url=URL, title="Story")
    body_mod.fill(doc, record)
    return record


def test_intro_then_sections_with_levels_and_inline_markup():
    rec = _fill(_page("""
        <p>First <strong>bold</strong> and <a href="/x">linked</a>   text.</p>
        <p>Second&nbsp;para.</p>
        <h2>Part one</h2><p>One.</p>
        <h3>Detail</h3><p>Two.</p>
        <h4>Finer</h4><p>Three.</p>"""))
    assert rec.extraction == "dom"
    assert rec.intro == ["First bold and linked text.", "Second para."]
    assert rec.sections == [Section("Part one", 2, ["One."]), Section("Detail", 3, ["Two."]),
                            Section("Finer", 4, ["Three."])]
    assert rec.body_text == "First bold and linked text.\n\nSecond para.\n\nOne.\n\nTwo.\n\nThree."
    assert rec.word_count == 10


def test_list_items_and_blockquote_become_paragraphs():
    rec = _fill(_page("""
        <h2>Dates</h2><p>Key dates:</p>
        <ul><li>May 1: <em>hearing</em></li><li>June 2: vote
            <ul><li>nested item</li></ul></li></ul>
        <blockquote class="wp-block-quote"><p>Quoted one.</p><p>Quoted two.</p><cite>Someone</cite></blockquote>
        <ol><li>Numbered</li></ol>"""))
    assert rec.sections == [Section("Dates", 2, [
        "Key dates:", "May 1: hearing", "June 2: vote", "nested item",
        "Quoted one.", "Quoted two.", "Numbered"])]
    assert rec.takeaways == []


@pytest.mark.parametrize("markup", [
    '<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3>'
    '<a href="https://site.example/?share=facebook">Facebook</a></div>',
    '<div class="jp-relatedposts"><h3>Related</h3><p>Other story</p></div>',
    '<div class="td-a-rec td-a-rec-id-content_inline"><span>Advertisement</span></div>',
    '<ins class="adsbygoogle">Ad slot</ins>',
    '<aside class="widget"><p>Widget text</p></aside>',
    '<div class="newsletter-signup"><p>Subscribe to our newsletter</p><form><input name="e"></form></div>',
    '<div class="author-box"><p>Jane writes about towns.</p></div>',
    '<div id="ez-toc-container"><p>Contents</p><ul><li>Part one</li></ul></div>',
    '<p><a href="#respond" class="comment-link">Leave a Comment</a></p>',
    '<nav class="post-navigation"><a href="/prev">Previous post</a></nav>',
    '<div class="cookie-notice"><p>We use cookies</p></div>',
    '<div class="addtoany_share_save_container"><p>Share This Article</p></div>',
    '<p>Advertisement</p>',
    '<div style="display:none"><p>Hidden text</p></div>',
])
def test_boilerplate_subtree_inside_content_is_skipped(markup):
    rec = _fill(_page(f"<p>Real text.</p>{markup}<h2>Next</h2><p>More text.</p>"))
    assert rec.intro == ["Real text."]
    assert rec.sections == [Section("Next", 2, ["More text."])]
    assert rec.body_text == "Real text.\n\nMore text."


@pytest.mark.parametrize("token", ["has-text-align-left", "shadow", "download", "wp-block-group",
                                   "is-highlight-shares", "is-sidebar-right", "heading", "loaded",
                                   "entry-content", "key-takeaways", "has-background"])
def test_ordinary_class_tokens_are_not_boilerplate(token):
    assert token_is_boilerplate(token) is False


@pytest.mark.parametrize("token", ["jeg_share_button", "e-shared-sec", "td-post-sharing", "yarpp-related",
                                   "td_block_related_posts", "ad", "adsbygoogle", "sharedaddy",
                                   "widget_text", "comment-respond", "post-navigation"])
def test_boilerplate_class_tokens(token):
    assert token_is_boilerplate(token) is True


def test_classes_with_text_align_and_shadow_are_kept():
    rec = _fill(_page('<p class="has-text-align-left">Left.</p><div class="shadow"><p>Boxed.</p></div>'
                      '<p class="download">Get it.</p>'))
    assert rec.intro == ["Left.", "Boxed.", "Get it."]


def test_takeaways_under_heading_in_ol_not_repeated_as_section():
    rec = _fill(_page("""
        <p>Intro.</p><h2>Background</h2><p>Old news.</p>
        <h2>Key Takeaways from the Meeting</h2><ol><li>First point.</li><li>Second point.</li></ol>
        <h2>What next</h2><p>Later.</p>"""))
    assert rec.takeaways_heading == "Key Takeaways from the Meeting"
    assert rec.takeaways == ["First point.", "Second point."]
    assert [s.heading for s in rec.sections] == ["Background", "What next"]
    assert rec.sections[1].paragraphs == ["Later."]
    assert rec.body_text == "Intro.\n\nOld news.\n\nFirst point.\n\nSecond point.\n\nLater."


@pytest.mark.parametrize("heading", ["Takeaways", "Key Points", "What you need to know", "At a glance",
                                     "In brief", "TL;DR", "Points clés", "À retenir", "Das Wichtigste",
                                     "Pontos-chave", "Em resumo", "Belangrijkste punten", "Главное",
                                     "要点", "核心要点", "本文要點", "重点速览", "この記事のポイント",
                                     "3つのポイント", "핵심 요약"])
def test_takeaways_heading_names(heading):
    rec = _fill(_page(f"<p>Intro.</p><h3>{heading}</h3><ul><li>A.</li><li>B.</li></ul>"))
    assert (rec.takeaways_heading, rec.takeaways) == (heading, ["A.", "B."])
    assert rec.sections == []


@pytest.mark.parametrize("heading", ["要点在于预算", "ポイントカード", "北京要点新闻报道", "Главное управление",
                                     "In het kort geding tegen de gemeente", "In short supply"])
def test_a_heading_that_only_begins_with_a_takeaways_word_is_a_section(heading):
    """Chinese and Japanese headings are matched whole: no space ends the word; a Dutch kort
    geding (summary proceedings) and a thing in short supply are news, not a summary."""
    rec = _fill(_page(f"<p>Intro.</p><h3>{heading}</h3><ul><li>A.</li><li>B.</li></ul>"))
    assert rec.takeaways == [] and rec.sections[0].heading == heading


def test_takeaways_heading_followed_by_prose_is_an_ordinary_section():
    rec = _fill(_page("<p>Intro.</p><h2>In brief</h2><p>Just prose here.</p>"))
    assert rec.takeaways == [] and rec.takeaways_heading is None
    assert rec.sections == [Section("In brief", 2, ["Just prose here."])]


def test_takeaways_box_with_heading():
    rec = _fill(_page("""
        <div class="wp-block-group key-takeaways"><p class="box-title">Key takeaways</p>
        <ul><li>Alpha.</li><li>Beta.</li></ul></div>
        <p>Intro after the box.</p><h2>Section</h2><p>Body.</p>"""))
    assert rec.takeaways_heading == "Key takeaways"
    assert rec.takeaways == ["Alpha.", "Beta."]
    assert rec.intro == ["Intro after the box."]
    assert rec.sections == [Section("Section", 2, ["Body."])]


def test_takeaways_box_wp_block_group_with_heading():
    rec = _fill(_page("""<p>Intro.</p>
        <div class="wp-block-group has-background"><h3 class="wp-block-heading">At a Glance</h3>
        <ul class="wp-block-list"><li>One.</li></ul></div><h2>More</h2><p>Text.</p>"""))
    assert (rec.takeaways_heading, rec.takeaways) == ("At a Glance", ["One."])
    assert rec.sections == [Section("More", 2, ["Text."])]


def test_takeaways_heading_with_a_lead_in_line_before_its_list():
    rec = _fill(_page("""<p>Intro.</p><h2>Key takeaways</h2><p>Here is what the first month of data shows:</p>
        <ul><li>First point.</li><li>Second point.</li></ul><h2>Next steps</h2><p>Closing.</p>"""))
    assert (rec.takeaways_heading, rec.takeaways) == ("Key takeaways", ["First point.", "Second point."])
    assert rec.sections == [Section("Next steps", 2, ["Closing."])]
    # a line ending in ":" that no list follows is the section's text
    rec = _fill(_page("<p>Intro.</p><h2>Key takeaways</h2><p>Three things stand out:</p><p>First, the rate.</p>"))
    assert rec.takeaways == []
    assert rec.sections == [Section("Key takeaways", 2, ["Three things stand out:", "First, the rate."])]


def test_story_highlights_box_by_its_id():
    """Jannah's "Story Highlights": div#story-highlights, its heading in a widget-title."""
    rec = _fill(_page("""<div id="story-highlights" class="box-left"><div class="widget-title the-global-title">
        <div class="the-subtitle">Story Highlights</div></div><ul><li>First highlight.</li><li>Second.</li></ul></div>
        <p>Intro.</p>"""))
    assert (rec.takeaways_heading, rec.takeaways) == ("Story Highlights", ["First highlight.", "Second."])
    assert rec.intro == ["Intro."]


def test_takeaways_box_in_aside_without_heading():
    rec = _fill(_page('<aside class="article-takeaways"><ul><li>Only point.</li></ul></aside><p>Intro.</p>'))
    assert rec.takeaways_heading is None
    assert rec.takeaways == ["Only point."]
    assert rec.intro == ["Intro."]


def test_subtitle_from_theme_classes_and_not_meta_description():
    head = '<meta name="description" content="Meta description text">'
    rec = _fill(_page("<p>Intro.</p>", head=head).replace(
        '<h1 class="entry-title">Story</h1>', '<h1 class="entry-title">Story</h1><p class="entry-subtitle">The dek</p>'))
    assert rec.subtitle == "The dek"
    rec = _fill(_page("<p>Intro.</p>", head=head))
    assert rec.subtitle is None


def test_subtitle_heading_after_h1_in_header():
    html = _page("<p>Intro.</p>").replace(
        '<h1 class="entry-title">Story</h1>',
        '<h1 class="entry-title">Story</h1><div class="entry-meta">By Jo</div><h2>A heading dek</h2>')
    rec = _fill(html)
    assert rec.subtitle == "A heading dek"
    assert rec.intro == ["Intro."]


@pytest.mark.parametrize("dek", [
    '<p class="article__desc">The dek of the story</p>',                 # Le Monde
    '<div class="fig-standfirst">The dek of the story</div>',            # Le Figaro
    '<p class="c-article-dek">The dek of the story</p>',                 # Vox-style BEM
    '<div class="story__blurb lead">The dek of the story</div>',         # a generic word
    '<p id="article-summary" class="css-79rysd">The dek of the story</p>',  # NYT: hashed classes, an id
    '<div data-gu-name="standfirst"><div class="dcr-1yxn5w6"><p>The dek of the story</p></div></div>',  # Guardian
])
def test_subtitle_classes_of_other_news_cms(dek):
    html = _page("<p>Intro.</p>").replace(
        '<h1 class="entry-title">Story</h1>', f'<h1 class="entry-title">Story</h1>{dek}')
    assert _fill(html).subtitle == "The dek of the story"


def test_a_long_lead_block_is_no_subtitle():
    long_lead = "A lead block of many words that goes on. " * 12
    html = _page("<p>Intro.</p>").replace(
        '<h1 class="entry-title">Story</h1>', f'<h1 class="entry-title">Story</h1><div class="lead">{long_lead}</div>')
    assert _fill(html).subtitle is None


def test_related_story_lines_are_not_paragraphs():
    rec = _fill(_page("""<p>First paragraph of the story.</p>
        <p><strong>Also Read: <a href="/other/">Sensex, Nifty close higher ahead of RBI policy</a></strong></p>
        <p>Related: <a href="/night-train/">We took the night train from Munich to Verona</a></p>
        <p><strong>Lesen Sie auch:</strong> <a href="/x/">Merz verteidigt das Sondervermögen</a></p>
        <div style="clear:both"><a href="/borisov/" class="u4f1c9e0b"><div><span class="ctaText">See also</span>&nbsp;
        <span class="postTitle">Borisov, revisited</span></div></a></div>
        <p>Read more about the <a href="/budget/">budget</a> in our explainer, which goes on at length.</p>
        <p>Last paragraph.</p>"""))
    assert rec.intro == ["First paragraph of the story.",
                         "Read more about the budget in our explainer, which goes on at length.",
                         "Last paragraph."]


@pytest.mark.parametrize("line", ["4 min read", "Reading Time: 2 minutes", "Lesezeit: 4 Min.",
                                  "Please turn on JavaScript to use this feature"])
def test_furniture_lines_among_the_paragraphs_are_dropped(line):
    rec = _fill(_page(f"<p>{line}</p><p>The story itself.</p>"))
    assert rec.intro == ["The story itself."]


def _elementor_widget(kind: str, inner: str) -> str:
    return (f'<div class="elementor-element elementor-element-{abs(hash(kind)) % 999} elementor-widget '
            f'elementor-widget-{kind}" data-widget_type="{kind}.default"><div class="elementor-widget-container">'
            f'{inner}</div></div>')


def test_elementor_pages_keep_their_text():
    """Every Elementor module is an "elementor-widget": the text editor's and the theme builder's
    post content are the article, its share, navigation and posts widgets are not."""
    editor = _page(_elementor_widget("text-editor", "<p>Written in the text editor widget.</p><h2>Part two</h2>"
                                                    "<p>More of the story.</p>")
                   + _elementor_widget("share-buttons", '<a href="https://x.com/share">Share on X</a>')
                   + _elementor_widget("posts", "<article><h3>Another story</h3><p>Its excerpt.</p></article>"))
    rec = _fill(editor)
    assert rec.intro == ["Written in the text editor widget."]
    assert rec.sections == [Section("Part two", 2, ["More of the story."])]
    assert "Share on X" not in rec.body_text and "Another story" not in rec.body_text
    # Elementor Pro's theme builder: title, excerpt and content are widgets, no entry-content
    builder = f"""<html lang="en"><head><title>Story</title></head>
      <body class="single single-post postid-9 ast-no-sidebar elementor-page-2101"><main class="site-main">
      <div data-elementor-type="single-post" class="elementor elementor-2101 post-9 post type-post">
      {_elementor_widget("theme-post-title", '<h1 class="elementor-heading-title">Story</h1>')}
      {_elementor_widget("theme-post-excerpt", "The standfirst of the story.")}
      {_elementor_widget("post-info", '<ul><li>By Ann Lee</li><li>September 9, 2025</li></ul>')}
      {_elementor_widget("theme-post-content", "<p>First paragraph.</p><h2>A section</h2><p>Second.</p>")}
      </div></main></body></html>"""
    rec = _fill(builder)
    assert rec.extraction == "dom"
    assert rec.subtitle == "The standfirst of the story."
    assert rec.intro == ["First paragraph."] and rec.sections == [Section("A section", 2, ["Second."])]


def test_siteorigin_page_builder_modules_are_text():
    rec = _fill(_page('<div class="panel-grid"><div class="so-panel widget widget_sow-editor panel-first-child">'
                      '<div class="so-widget-sow-editor"><div class="siteorigin-widget-tinymce textwidget">'
                      '<p>Text of a Page Builder post.</p></div></div></div></div>'))
    assert rec.intro == ["Text of a Page Builder post."]


def test_a_paywall_prompt_is_boilerplate_but_paywalled_text_is_the_article():
    prompt = ('<div class="paywall"><h3 class="paywall__title">Este artigo é exclusivo para assinantes</h3>'
              '<p class="paywall__text">Assine o PÚBLICO e tenha acesso ilimitado.</p></div>')
    rec = _fill(_page(f"<p>Free first paragraph.</p>{prompt}"))
    assert rec.intro == ["Free first paragraph."] and rec.sections == []
    # Google's markup for paywalled content points at the subscriber-only text itself
    premium = "".join(f"<p>Subscriber paragraph {i} carries the rest of the reporting in full.</p>" for i in range(6))
    rec = _fill(_page(f'<p>Free first paragraph.</p><div class="paywall">{premium}</div>'))
    assert len(rec.intro) == 7


def test_blocks_named_only_in_data_attributes():
    """Generated class names: the block's role is in data-qa / data-testid (WaPo, Reuters)."""
    rec = _fill(_page('<p>The story.</p><div data-qa="author-bio" class="wpds-c-dFHpfc"><p>Jo Doe is a reporter.</p></div>'
                      '<div data-testid="promo-box" class="row__dFOPA">Sign up <a href="/nl">here.</a></div>'
                      '<div data-qa="newsletter-promo" class="wpds-c-gXpFNm"><h3>Climate Coach</h3><p>Tips.</p></div>'))
    assert rec.intro == ["The story."] and rec.sections == []


def test_related_lines_in_arabic_hindi_and_chinese():
    rec = _fill(_page("""<p>First paragraph.</p><p>اقرأ أيضًا: <a href="/x">إنشاء خمس محطات جديدة</a></p>
        <p><strong>ये भी पढ़ें:</strong> <a href="/y">नोएडा में भारी बारिश</a></p>
        <p>延伸阅读：<a href="/z">暑期档电影票房创新高</a></p><p>Last paragraph.</p>"""))
    assert rec.intro == ["First paragraph.", "Last paragraph."]


def test_ghost_bookmark_and_button_cards_are_not_text():
    rec = _fill(_page("""<p>First paragraph.</p><figure class="kg-card kg-bookmark-card"><a class="kg-bookmark-container"
        href="https://lisboa.pt/x"><div class="kg-bookmark-content"><div class="kg-bookmark-title">Arvoredo</div>
        <div class="kg-bookmark-description">Câmara Municipal de Lisboa</div></div></a></figure>
        <div class="kg-card kg-button-card"><a href="#/portal/signup" class="kg-btn">Subscribe to Field Notes</a></div>
        <p>Last paragraph.</p>"""))
    assert rec.intro == ["First paragraph.", "Last paragraph."]


def test_blogger_posts_widget_is_the_content_not_a_sidebar():
    html = f"""<html lang="en"><head><title>Story</title></head><body class="loading variant-wide">
      <div class="content-outer"><div class="main-inner"><div class="widget Blog" id="Blog1">
      <div class="post hentry"><h3 class="post-title entry-title">Story</h3>
      <div class="post-body entry-content"><p>Seed saving starts in the garden.</p><p>Second paragraph.</p></div>
      </div></div><div class="widget Label" id="Label1"><h2>Labels</h2><ul><li><a href="/l">tomatoes</a></li></ul>
      </div></div></div></body></html>"""
    rec = _fill(html)
    assert rec.extraction == "dom" and rec.intro == ["Seed saving starts in the garden.", "Second paragraph."]


def test_facebook_feed_dialog_is_a_share_link():
    """NPR and others share through the Facebook feed dialog, not sharer.php."""
    outside = ('<div class="share-tools"><a href="https://www.facebook.com/dialog/feed?app_id=1&amp;link=https%3A%2F%2Fx">'
               'Facebook</a></div>')
    rec = _fill(_page("<p>Text.</p>", outside=outside))
    assert [(s.network, s.url) for s in rec.share_links] == [
        ("facebook", "https://www.facebook.com/dialog/feed?app_id=1&link=https%3A%2F%2Fx")]


def test_share_links_absolute_only_and_javascript_dropped():
    outside = """<div class="share-buttons">
      <a href="https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fsite.example%2Fx">Facebook</a>
      <a href="https://x.com/intent/post?url=https%3A%2F%2Fsite.example%2Fx">X</a>
      <a href="javascript:window.open('https://www.linkedin.com/shareArticle?url=x')">LinkedIn</a>
      <a href="https://api.whatsapp.com/send?text=Story%20https%3A%2F%2Fsite.example%2Fx">WhatsApp</a>
      <a href="https://t.me/share/url?url=https%3A%2F%2Fsite.example%2Fx">Telegram</a>
      <a href="https://www.reddit.com/submit?url=https%3A%2F%2Fsite.example%2Fx">Reddit</a>
      <a href="https://pinterest.com/pin/create/button/?url=https%3A%2F%2Fsite.example%2Fx">Pin</a>
      <a href="mailto:?subject=Story&amp;body=https%3A%2F%2Fsite.example%2Fx">Email</a>
      <a class="copy-link" href="#" data-link="https://site.example/x">Copy link</a>
      <a href="https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fsite.example%2Fx">dup</a>
    </div>
    <div class="author-social"><a href="https://twitter.com/janedoe">Follow</a></div>
    <p>Contact <a href="mailto:desk@site.example">desk</a></p>"""
    rec = _fill(_page("<p>Intro.</p>", outside=outside))
    assert rec.share_links == [
        ShareLink("facebook", "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fsite.example%2Fx"),
        ShareLink("twitter", "https://x.com/intent/post?url=https%3A%2F%2Fsite.example%2Fx"),
        ShareLink("whatsapp", "https://api.whatsapp.com/send?text=Story%20https%3A%2F%2Fsite.example%2Fx"),
        ShareLink("telegram", "https://t.me/share/url?url=https%3A%2F%2Fsite.example%2Fx"),
        ShareLink("reddit", "https://www.reddit.com/submit?url=https%3A%2F%2Fsite.example%2Fx"),
        ShareLink("pinterest", "https://pinterest.com/pin/create/button/?url=https%3A%2F%2Fsite.example%2Fx"),
        ShareLink("email", "mailto:?subject=Story&body=https%3A%2F%2Fsite.example%2Fx"),
    ]
    assert rec.intro == ["Intro."]


def test_share_links_after_hrefs_that_lower_casing_lengthens():
    # "İ".lower() is two characters: a search over all hrefs joined and lower-cased
    # must not then pin the share links on the wrong anchors.
    outside = """<nav><a href="https://site.example/tags/""" + "İ" * 120 + """/">İİİ</a>
      <a href="https://site.example/a%0Ab/">menu</a></nav>
      <div class="share-buttons">
      <a href="https://site.example/weather/">Weather</a>
      <a href="https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fsite.example%2Fx">Facebook</a>
      <a href="https://site.example/sport/">Sport</a>
      <a href="https://www.reddit.com/submit?url=https%3A%2F%2Fsite.example%2Fx">Reddit</a>
    </div>"""
    rec = _fill(_page("<p>Intro.</p>", outside=outside))
    assert rec.share_links == [
        ShareLink("facebook", "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fsite.example%2Fx"),
        ShareLink("reddit", "https://www.reddit.com/submit?url=https%3A%2F%2Fsite.example%2Fx"),
    ]


def test_jetpack_share_links_and_related_cards_ignored():
    outside = """<div class="sharedaddy"><ul>
      <li><a class="share-facebook" href="https://site.example/2025/01/02/story/?share=facebook&amp;nb=1">F</a></li>
      <li><a class="share-x" href="/2025/01/02/story/?share=x&amp;nb=1">X</a></li></ul></div>
      <div class="related-posts"><div class="share"><a href="https://www.facebook.com/sharer.php?u=other">F</a></div></div>"""
    rec = _fill(_page("<p>Intro.</p>", outside=outside))
    assert rec.share_links == [
        ShareLink("facebook", "https://site.example/2025/01/02/story/?share=facebook&nb=1"),
        ShareLink("twitter", "https://site.example/2025/01/02/story/?share=x&nb=1"),
    ]


def test_container_inside_article_preferred_over_others():
    html = """<html><body class="single"><div class="entry-content"><p>Widget junk.</p></div>
      <article><h1>Story</h1><div class="entry-content"><p>The real body.</p></div></article></body></html>"""
    rec = _fill(html)
    assert rec.intro == ["The real body."]


def test_double_br_splits_and_single_br_joins():
    rec = _fill(_page("Loose line one<br>continues<br><br>New para<p>Proper.</p>"))
    assert rec.intro == ["Loose line one continues", "New para", "Proper."]


def test_fallback_path_used_on_non_wordpress_page(monkeypatch):
    paragraphs = "".join(
        f"<p>Paragraph {i} of the story has enough words in it to count as real article text, "
        f"so the generic extractor keeps it as part of the main content of the page.</p>"
        for i in range(1, 6))
    html = f"""<!DOCTYPE html><html><head><title>Plain page</title></head><body>
      <div id="top"><a href="/">Home</a> <a href="/about">About</a></div>
      <main><h1>Plain page</h1>{paragraphs}<h2>Later on</h2>
      <p>The final paragraph of the piece also has plenty of words so that it stays in the output.</p>
      <div class="share-bar"><a href="https://www.facebook.com/sharer.php?u=x">Share This Article</a></div>
      </main><div class="footer">Copyright notice</div></body></html>"""

    def no_network(*args, **kwargs):
        raise AssertionError("the fallback tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    doc = load_document(html, "https://plain.example/story")
    record = ArticleRecord(url="https://plain.example/story", title="Plain page")
    body_mod.fill(doc, record)
    assert record.extraction == "fallback"
    assert record.intro[0].startswith("Paragraph 1 of the story")
    assert len(record.intro) == 5
    assert record.sections == [Section("Later on", 2, [
        "The final paragraph of the piece also has plenty of words so that it stays in the output."])]
    assert "Share This Article" not in record.body_text
    assert "Copyright" not in record.body_text
    assert record.word_count == len(record.body_text.split())


_STORY_PARAGRAPHS = "".join(
    f"<p>Paragraph {i} of the report has enough words in it to count as real article text "
    f"for the generic extractor.</p>" for i in range(1, 5))


def _generic_story(body: str) -> str:
    return ("<html><head><title>Story</title><meta property=\"og:type\" content=\"article\"></head>"
            f"<body>{body}</body></html>")


def test_fallback_reads_the_article_element_not_the_site_around_it():
    # A download cut off after the headline: the site's masthead was the only
    # text trafilatura found on the whole page, and it became the body.
    html = _generic_story("""<a class="SkipLink" href="#main">Skip to content</a>
      <div class="Masthead"><a href="/">The Daily Meridian</a></div>
      <article class="Story"><p class="Kicker">Oceans</p><h1>Nations Edge Toward a Moratorium</h1>
      <div class="Meta">Sept. 10, 2025</div></article>""")
    record = parse_article(html, url="https://meridian.example/2025/09/10/story")
    assert record.extraction == "fallback"
    assert "Skip to content" not in record.body_text
    assert "Daily Meridian" not in record.body_text


def test_fallback_does_not_repeat_the_dek_as_the_first_paragraph():
    html = _generic_story(f"""<article class="Story"><h1>Nations Edge Toward a Moratorium</h1>
      <p class="fig-standfirst">Delegates meet in Kingston to weigh a pause on deep-sea mining.</p>
      {_STORY_PARAGRAPHS}</article>""")
    record = parse_article(html, url="https://meridian.example/2025/09/10/story")
    assert record.extraction == "fallback"
    assert record.subtitle == "Delegates meet in Kingston to weigh a pause on deep-sea mining."
    assert record.intro[0].startswith("Paragraph 1 of the report") and len(record.intro) == 4


def test_fallback_asks_for_a_second_opinion_when_its_fast_read_is_thin(monkeypatch):
    # trafilatura's own reading takes the small "story-content" box; its full mode, which
    # the fallback runs when the fast one finds under half the page's paragraph text,
    # lets readability find the long text beside it.
    sentence = "The council voted on the new harbour plan after a long debate about costs and timing. "
    long_text = "".join(f"<p>{sentence * 2}</p>" for _ in range(8))
    html = _generic_story(f"""<h1>Story</h1><div class="story-content"><p>{sentence}</p>
      <p>Second short one here.</p></div><div class="zz">{long_text}</div>""")
    calls = []
    real = trafilatura.bare_extraction
    monkeypatch.setattr(trafilatura, "bare_extraction",
                        lambda tree, options: calls.append(options.fast) or real(tree, options=options))
    record = parse_article(html, url="https://meridian.example/2025/09/10/story")
    assert record.extraction == "fallback" and calls == [True, False]
    assert record.body_text.count("The council voted") == 17

    calls.clear()
    record = parse_article(_generic_story(f"<article><h1>Story</h1>{_STORY_PARAGRAPHS * 3}</article>"),
                           url="https://meridian.example/2025/09/10/story")
    assert record.extraction == "fallback" and calls == [True]  # a full read: one pass
    assert len(record.intro) == 12


def test_fallback_drops_related_story_lines():
    html = _generic_story(f"""<article class="Story"><h1>Nations Edge Toward a Moratorium</h1>
      {_STORY_PARAGRAPHS}<p><strong>Read more: </strong><a href="/x">How mining rules are made</a></p>
      <p>The last paragraph of the report has enough words in it to count as real text.</p></article>""")
    record = parse_article(html, url="https://meridian.example/2025/09/10/story")
    assert record.extraction == "fallback"
    assert "How mining rules" not in record.body_text and "The last paragraph" in record.body_text


def test_fallback_headline_with_a_kicker_and_a_dek_paragraph_in_the_header():
    """FAZ: <h1><span>Autoindustrie</span>: <span>title</span></h1>, then the dek as a plain <p>."""
    html = _generic_story(f"""<article class="atc"><header class="atc-Header">
      <h1><span>Autoindustrie</span><span>:</span> <span>Nations Edge Toward a Moratorium</span></h1>
      <p class="atc-IntroText">Delegates meet in Kingston to weigh a pause on deep-sea mining, and few expect it.</p>
      </header><div class="atc-Text">{_STORY_PARAGRAPHS}</div></article>""").replace(
        "<title>Story</title>", '<title>Story</title><script type="application/ld+json">'
        '{"@type": "NewsArticle", "headline": "Nations Edge Toward a Moratorium"}</script>')
    record = parse_article(html, url="https://meridian.example/2025/09/10/story")
    assert record.extraction == "fallback"
    assert record.title == "Nations Edge Toward a Moratorium"
    assert record.subtitle == "Delegates meet in Kingston to weigh a pause on deep-sea mining, and few expect it."
    assert record.sections == [] and len(record.intro) == 4
    assert record.intro[0].startswith("Paragraph 1 of the report")
    # a byline line after the headline is no dek
    byline = html.replace("Delegates meet in Kingston to weigh a pause on deep-sea mining, and few expect it.",
                          "By Ann Lee and Bo Chan, Kingston correspondents for the Meridian")
    assert parse_article(byline, url="https://meridian.example/2025/09/10/story").subtitle is None


def test_fallback_keeps_a_short_lede_that_trafilatura_moves_above_the_title():
    """WaPo: one div.article-body per paragraph; trafilatura puts the first (short) one before
    the <h1>, where header furniture is dropped. The page has it after the headline: kept."""
    bodies = "".join(f'<div class="wpds-c-PJLV article-body" data-qa="article-body"><p>{text}</p></div>' for text in (
        "Federal officials plan to sharply scale back the main program for tracking algal blooms.",
        "The National Oceanic and Atmospheric Administration plans to stop funding buoys and satellites.",
        "The buoys cost about $1.2 million a year to operate, a small fraction of the agency's budget."))
    html = _generic_story(f'<main><article data-qa="main"><p class="kicker">Climate</p>'
                          f'<h1 data-qa="headline">NOAA plans to cut Great Lakes monitoring</h1>'
                          f'<div class="meteredContent grid-center">{bodies}</div></article></main>')
    record = parse_article(html, url="https://www.washingtonpost.com/climate/2025/09/09/noaa/")
    assert record.extraction == "fallback"
    assert record.intro[0].startswith("Federal officials plan") and len(record.intro) == 3
    assert "Climate" not in record.intro


def _live_post(i: int, wrap: str) -> str:
    return (f'<{wrap} class="block"><time datetime="2025-09-17T1{i}:00Z">1{i}:00</time><h3>Update {i} of the day</h3>'
            f"<p>Post {i} of the live page reports what happened at 1{i}:00, with enough words to be real text.</p></{wrap}>")


@pytest.mark.parametrize("posts", [
    "".join(_live_post(i, "article") for i in range(5, 0, -1)),               # the Guardian: one <article> a post
    "<ol>" + "".join(_live_post(i, "li") for i in range(5, 0, -1)) + "</ol>",  # the BBC: an <ol> of posts
])
def test_fallback_reads_every_post_of_a_live_page(posts):
    html = _generic_story(f'<main><h1>Inflation live: prices rise again</h1><div id="liveblog-body">{posts}</div></main>')
    html = html.replace("<title>Story</title>", '<title>Inflation live: prices rise again</title>'
                        '<script type="application/ld+json">'
                        '{"@type": "LiveBlogPosting", "headline": "Inflation live: prices rise again"}</script>')
    record = parse_article(html, url="https://news.example/live/2025/sep/17/inflation")
    assert record.extraction == "fallback"
    assert [s.heading for s in record.sections] == [f"Update {i} of the day" for i in range(5, 0, -1)]
    assert all(len(s.paragraphs) == 1 and s.paragraphs[0].startswith("Post ") for s in record.sections)


def test_fallback_drops_the_date_line_but_not_times_in_sentences():
    html = _generic_story(f"""<article class="Story"><h1>Nations Edge Toward a Moratorium</h1>
      <p>Publicado: 09/09/2025 - 10:15 CEST</p>{_STORY_PARAGRAPHS}
      <p>The vote is set for 10:30 on Friday.</p><p>On Friday at 10:30 in 2025.</p></article>""")
    record = parse_article(html, url="https://meridian.example/2025/09/10/story")
    assert record.extraction == "fallback"
    assert record.intro[0].startswith("Paragraph 1 of the report")
    assert record.intro[-2:] == ["The vote is set for 10:30 on Friday.", "On Friday at 10:30 in 2025."]


def test_fallback_spiegel_text_blocks_around_data_area_boxes():
    """Spiegel: the headline an <h2> with a kicker (the JSON-LD title punctuates it with a colon),
    the text in several data-area=text_block divs between boxes named only by data-area."""
    blocks = [f"<p>Block {i} paragraph {j} of the Bundestag report, long enough to be real article text.</p>"
              for i in range(3) for j in range(2)]
    html = _generic_story(f"""<main><article data-area="article"><header data-area="intro">
      <h2><span>Haushaltsdebatte im Bundestag</span><span>Merz verteidigt das Sondervermögen</span></h2></header>
      <section data-area="body"><div data-area="text_block">{"".join(blocks[:2])}</div>
      <div data-area="related_articles"><ul><li><a href="/a">Eins</a></li><li><a href="/b">Zwei</a></li></ul></div>
      <div data-area="text_block">{"".join(blocks[2:4])}</div>
      <div data-area="newsletter_box"><p>Der Newsletter zur Lage am Morgen: jetzt abonnieren.</p></div>
      <div data-area="text_block">{"".join(blocks[4:])}</div></section></article></main>""").replace(
        "<title>Story</title>", '<title>Story</title><script type="application/ld+json">{"@type": "NewsArticle", '
        '"headline": "Haushaltsdebatte im Bundestag: Merz verteidigt das Sondervermögen"}</script>')
    record = parse_article(html, url="https://www.spiegel.de/politik/merz-a-1.html")
    assert record.extraction == "fallback"
    assert record.sections == [] and len(record.intro) == 6
    assert "Newsletter" not in record.body_text and "Eins" not in record.body_text


def test_fallback_layout_table_keeps_its_paragraphs():
    """An old table layout: the article's paragraphs in one cell are paragraphs, not one row of text."""
    html = _generic_story(f"""<table width="100%"><tr><td valign="top"><h1>Nations Edge Toward a Moratorium</h1>
      {_STORY_PARAGRAPHS}</td><td width="200"><p>Most read</p></td></tr></table>""")
    record = parse_article(html, url="https://meridian.example/2025/09/10/story")
    assert record.extraction == "fallback"
    assert [p[:11] for p in record.intro[:4]] == ["Paragraph 1", "Paragraph 2", "Paragraph 3", "Paragraph 4"]
    # a data table stays one paragraph a row
    table = _generic_story(f"""<article><h1>Nations Edge Toward a Moratorium</h1>{_STORY_PARAGRAPHS}
      <table><tr><th>Country</th><th>Vote</th></tr><tr><td>Fiji</td><td>Yes</td></tr></table></article>""")
    assert "Fiji | Yes" in parse_article(table, url="https://meridian.example/2025/09/10/story").body_text


def test_fallback_reads_the_whole_page_when_the_article_element_holds_only_the_headline():
    html = _generic_story(f"""<div class="Masthead"><a href="/">The Daily Meridian</a></div>
      <article class="Story"><h1>Nations Edge Toward a Moratorium</h1></article>
      <div class="StoryBody">{_STORY_PARAGRAPHS}</div><div class="Foot">Copyright notice</div>""")
    record = parse_article(html, url="https://meridian.example/2025/09/10/story")
    assert record.extraction == "fallback"
    assert len(record.intro) == 4
    assert record.intro[0].startswith("Paragraph 1 of the report")
    assert "Copyright" not in record.body_text


def test_fallback_keeps_a_layout_wrapper_named_like_boilerplate():
    # Drupal's Olivero wraps the content and the sidebar in div.sidebar-grid: a
    # wrapper holding most of the page's text is layout, not a sidebar.
    html = _generic_story(f"""<div class="Masthead"><a href="/">The Daily Meridian</a></div>
      <div class="sidebar-grid"><div class="Story"><h1>Nations Edge Toward a Moratorium</h1>
      <div class="StoryBody">{_STORY_PARAGRAPHS}</div></div>
      <div class="region-sidebar"><p>Most read this week</p></div></div>""")
    record = parse_article(html, url="https://meridian.example/2025/09/10/story")
    assert record.extraction == "fallback"
    assert len(record.intro) == 4
    assert "Most read" not in record.body_text


def test_a_bem_modifier_does_not_make_its_block_boilerplate():
    assert not token_is_boilerplate("node--promoted")
    assert not token_is_boilerplate("node--type-article")
    assert token_is_boilerplate("sidebar--left")
    assert token_is_boilerplate("promoted")


def test_body_fields_empty_for_non_article_page():
    html = """<html><head><title>Archives</title></head><body class="archive category">
      <article class="post"><h2><a href="/a">A</a></h2><div class="entry-summary"><p>Teaser A</p></div></article>
      <article class="post"><h2><a href="/b">B</a></h2><div class="entry-summary"><p>Teaser B</p></div></article>
      </body></html>"""
    record = parse_article(html, url="https://site.example/category/news/")
    assert record.is_article is False
    assert record.intro == [] and record.body_text == "" and record.extraction is None


# --- WordPress core blocks that list other posts or show site furniture -------
#
# An editor can put these blocks in the post content. Their items change whenever the site
# publishes or someone comments, so reading them as article text made every article a new
# version each time a story was published, and a Latest Posts list right after the Key
# Takeaways list was merged into the takeaways.

_CORE_WIDGET_BLOCKS = {
    "latest posts": '<ul class="wp-block-latest-posts__list has-dates wp-block-latest-posts">'
                    '<li><a class="wp-block-latest-posts__post-title" href="/a/">Ferry fares rise again</a>'
                    '<time datetime="2025-09-01T08:00:00+00:00" class="wp-block-latest-posts__post-date">'
                    'September 1, 2025</time><div class="wp-block-latest-posts__post-excerpt">Fares go up.</div></li></ul>',
    "query loop": '<div class="wp-block-query is-layout-flow"><ul class="wp-block-post-template is-layout-flow">'
                  '<li class="wp-block-post post-9 post type-post"><h2 class="wp-block-post-title">'
                  '<a href="/b/">Council delays harbour vote</a></h2><div class="wp-block-post-excerpt">'
                  '<p class="wp-block-post-excerpt__excerpt">The vote moves to October.</p></div></li></ul></div>',
    "post template alone": '<ul class="wp-block-post-template"><li class="wp-block-post"><p>Another excerpt.</p></li></ul>',
    "rss": '<ul class="wp-block-rss"><li class="wp-block-rss__item"><div class="wp-block-rss__item-title">'
           '<a href="https://other.example/x/">Flood barrier test passes</a></div></li></ul>',
    "latest comments": '<ol class="has-avatars wp-block-latest-comments"><li class="wp-block-latest-comments__comment">'
                       '<article><footer class="wp-block-latest-comments__comment-meta"><a href="/c/">Ann</a> on '
                       '<a href="/d/#comment-4">Ferry fares</a></footer></article></li></ol>',
    "archives": '<ul class="wp-block-archives-list wp-block-archives"><li><a href="/2025/09/">September 2025</a></li></ul>',
    "categories": '<ul class="wp-block-categories-list wp-block-categories"><li class="cat-item cat-item-3">'
                  '<a href="/category/local/">Local</a></li></ul>',
    "tag cloud": '<p class="is-style-default wp-block-tag-cloud"><a href="/tag/ferry/" class="tag-cloud-link">ferry</a></p>',
    "calendar": '<div class="wp-block-calendar"><table class="wp-calendar-table"><caption>September 2025</caption>'
                '<tbody><tr><td>1</td><td>2</td></tr></tbody></table></div>',
    "page list": '<ul class="wp-block-page-list"><li class="wp-block-pages-list__item"><a href="/about/">About us</a></li></ul>',
    "search": '<div class="wp-block-search__button-outside wp-block-search"><label>Search</label>'
              '<div class="wp-block-search__inside-wrapper"><p>Find stories</p></div></div>',
    "post navigation link": '<div class="post-navigation-link-previous wp-block-post-navigation-link">'
                            '<a href="/prev/">Previous: Ferry fares rise again</a></div>',
    "loginout": '<div class="logged-out wp-block-loginout"><a href="/wp-login.php">Log in</a></div>',
}


@pytest.mark.parametrize("markup", _CORE_WIDGET_BLOCKS.values(), ids=list(_CORE_WIDGET_BLOCKS))
def test_core_widget_blocks_inside_content_are_skipped(markup):
    rec = _fill(_page(f"<p>Real text.</p>{markup}<h2>Next</h2><p>More text.</p>"))
    assert rec.intro == ["Real text."]
    assert rec.sections == [Section("Next", 2, ["More text."])]
    assert rec.body_text == "Real text.\n\nMore text."


def _latest_posts(*titles: str) -> str:
    return ('<ul class="wp-block-latest-posts__list wp-block-latest-posts">'
            + "".join(f'<li><a class="wp-block-latest-posts__post-title" href="/{i}/">{t}</a></li>'
                      for i, t in enumerate(titles)) + "</ul>")


def test_latest_posts_after_takeaways_are_not_takeaways_nor_content():
    """The probe's block-theme site: the Key Takeaways list, then a Latest Posts block; the
    next night one more story is published and the block lists it."""
    def page(latest):
        return _page('<p>The council debated the harbour plan for six hours.</p>'
                     '<h2 class="wp-block-heading">Key Takeaways</h2><ul class="wp-block-list">'
                     '<li>The harbour plan is contested.</li><li>A vote is due.</li><li>Unions object.</li></ul>'
                     + latest, cls="entry-content wp-block-post-content")
    night1 = parse_article(page(_latest_posts("Ferry fares rise again", "Council delays harbour vote")), url=URL)
    night2 = parse_article(page(_latest_posts("Teachers strike called off", "Ferry fares rise again")), url=URL)
    assert night1.takeaways == ["The harbour plan is contested.", "A vote is due.", "Unions object."]
    assert night1.takeaways_heading == "Key Takeaways"
    assert "Ferry fares" not in night1.body_text
    assert night1.content_hash == night2.content_hash


def test_heading_right_before_a_latest_posts_block_goes_with_it():
    rec = _fill(_page('<p>Real text.</p><h2 class="wp-block-heading">What next</h2><p>A vote.</p>'
                      '<h2 class="wp-block-heading">Latest from Harbour Times</h2>' + _latest_posts("Other story")))
    assert rec.sections == [Section("What next", 2, ["A vote."])]
    # a heading with text of its own after the block is kept
    rec = _fill(_page('<p>Real text.</p><h2>Recent posts</h2>' + _latest_posts("Other story")
                      + '<p>Back to the story.</p>'))
    assert rec.sections == [Section("Recent posts", 2, ["Back to the story."])]


@pytest.mark.parametrize("token", ["wp-block-list", "wp-block-quote", "wp-block-pullquote", "wp-block-footnotes",
                                   "wp-block-post-content", "wp-block-heading", "wp-block-table",
                                   "wp-block-details", "wp-block-verse", "wp-block-preformatted"])
def test_core_text_blocks_are_not_boilerplate(token):
    assert token_is_boilerplate(token) is False


# --- layouts probed in tests/pages/wild_* (Newspack, Hugo, Blogger, Squarespace, Medium, Wix...) ---

def _headed(header: str, content: str = "<p>Body text of the story.</p>") -> ArticleRecord:
    return parse_article(f"""<html lang="en"><head><title>Story</title></head>
        <body class="single single-post postid-7"><main><article class="post-7 post"><header class="entry-header">
        <h1 class="entry-title">Story</h1>{header}</header><div class="entry-content">{content}</div></article></main>
        </body></html>""", url=URL)


@pytest.mark.parametrize("header", [
    '<div class="newspack-post-subtitle">The dek of the story.</div>',      # Newspack
    '<h2 class="pw-subtitle-paragraph ha hb">The dek of the story.</h2>',   # Medium
    '<div class="post-excerpt">The dek of the story.</div>',                # Hugo's Hello Friend
    '<p class="story__dek">The dek of the story.</p>',                      # a BEM element
])
def test_a_theme_class_naming_a_dek_is_the_subtitle(header):
    assert _headed(header).subtitle == "The dek of the story."


@pytest.mark.parametrize("header", [
    '<p class="entry-title--with-subtitle meta">By Ann</p>',  # a modifier describes its element
    '<p><a class="wp-block-post-excerpt__more-link" href="/x">Read more</a></p>',  # a part of an excerpt block
])
def test_class_words_that_are_not_a_dek(header):
    assert _headed(header).subtitle is None


def test_an_intro_block_holding_a_list_is_the_body_not_a_dek():
    """A live blog's div.article__intro: its first paragraph and an "In het kort" list."""
    intro = ('<div class="article__intro"><p>Na de hevige regenval staan straten onder water.</p>'
             '<h2>In het kort</h2><ul><li>Zestig kelders liepen onder water.</li></ul></div>')
    assert _headed(intro).subtitle is None


def _cards(times=True) -> str:
    card = ('<article class="post-has-image"><div class="entry-wrapper"><h3 class="entry-title"><a href="/{n}/">'
            'Another story number {n} of the site</a></h3><p>Its excerpt {n}.</p><div class="entry-meta">'
            '{time}</div></div></article>')
    return ('<div class="wp-block-newspack-blocks-homepage-articles wpnbha"><div data-posts-container>'
            '<h2 class="article-section-title"><span>More on our water</span></h2>'
            + "".join(card.format(n=n, time=f'<time datetime="2025-08-2{n}">August 2{n}, 2025</time>' if times else "")
                      for n in (1, 2)) + "</div></div>")


def test_cards_of_other_posts_inside_the_content_are_not_body():
    """Newspack's Homepage Posts block (or any grid of dated cards linking elsewhere) put in
    the post content: its header, titles and excerpts are other stories."""
    rec = _fill(_page(f"<p>Intro.</p><h2>Where</h2><p>One.</p>{_cards()}<h2>Who pays</h2><p>Two.</p>"))
    assert rec.intro == ["Intro."]
    assert rec.sections == [Section("Where", 2, ["One."]), Section("Who pays", 2, ["Two."])]


def test_dated_lines_of_the_story_itself_are_kept():
    """Two <time>s in a timeline without links to other pages are the article's own text."""
    timeline = ('<ul><li><time datetime="2025-05-01">May 1</time>: the hearing</li>'
                '<li><time datetime="2025-06-02">June 2</time>: the vote</li></ul>')
    rec = _fill(_page(f"<p>Intro.</p>{timeline}"))
    assert rec.intro == ["Intro.", "May 1: the hearing", "June 2: the vote"]


def test_microformats_e_content_is_the_content_container():
    """Squarespace's div.blog-item-content.e-content (mf2's h-entry content)."""
    html = f"""<html lang="en"><head><title>Story</title></head><body><main><article class="entry h-entry">
      <h1 class="entry-title p-name">Story</h1><div class="blog-item-content e-content"><div class="sqs-layout">
      <div class="sqs-block html-block"><div class="sqs-block-content"><p>Para one.</p><h2>Part</h2><p>Para two.</p>
      </div></div></div></div></article></main></body></html>"""
    rec = _fill(html)
    assert rec.extraction == "dom"
    assert rec.intro == ["Para one."] and rec.sections == [Section("Part", 2, ["Para two."])]


@pytest.mark.parametrize("counter", ["312", "61 views", "2 comments", "1.2K shares", "4 responses"])
def test_counters_are_not_paragraphs(counter):
    rec = _fill(_page(f"<p>{counter}</p><p>Real text.</p>"))
    assert rec.intro == ["Real text."]


def test_a_heading_that_is_the_title_without_its_label_is_not_a_section():
    """A live blog's structured title "LIVE | <headline>", its h1 the headline alone."""
    builder = body_mod.BodyBuilder(skip_headings=("LIVE | Wateroverlast in Arnhem na hevige regenval",))
    builder.heading("Wateroverlast in Arnhem na hevige regenval", 1)
    builder.paragraph("Na de hevige regenval staan straten onder water.")
    builder.finish()
    assert builder.sections == [] and builder.intro == ["Na de hevige regenval staan straten onder water."]


def test_japanese_related_line_and_ad_label_are_not_body():
    rec = _fill(_page('<p>本文の段落です。</p><p>スポンサーリンク</p><p>あわせて読みたい：<a href="/a/1">新庁舎の基本設計まとまる</a></p>'
                      '<h2>見出し</h2><p>次の段落です。</p>'))
    assert rec.intro == ["本文の段落です。"]
    assert rec.sections == [Section("見出し", 2, ["次の段落です。"])]


def test_share_endpoints_naming_the_network_in_a_parameter():
    """Blogger's share-post.g?target=twitter (BlogThis! is target=blog), Hatena Bookmark's entry page."""
    buttons = "".join(f'<a class="share-button sb-{t}" href="https://www.blogger.com/share-post.g?blogID=1&amp;postID=2&amp;target={t}">{t}</a>'
                      for t in ("email", "blog", "twitter"))
    outside = (f'<div class="post-share-buttons">{buttons}</div>'
               '<ul class="sns-share"><li><a href="https://b.hatena.ne.jp/entry/s/site.example/2025/01/02/story/">B!</a></li></ul>')
    rec = _fill(_page("<p>Text.</p>", outside=outside))
    assert [(s.network, s.url) for s in rec.share_links] == [
        ("email", "https://www.blogger.com/share-post.g?blogID=1&postID=2&target=email"),
        ("blogger", "https://www.blogger.com/share-post.g?blogID=1&postID=2&target=blog"),
        ("twitter", "https://www.blogger.com/share-post.g?blogID=1&postID=2&target=twitter"),
        ("hatena", "https://b.hatena.ne.jp/entry/s/site.example/2025/01/02/story/"),
    ]


def test_a_section_heading_the_dek_ends_with_stays_a_section():
    # the sample site's dek "The Stakes, the Players and the Numbers Behind the Museum Reopening"
    # ends with a section heading: only a short label before the title makes a heading repeat it
    html = ('<html lang="en"><head><meta property="og:type" content="article"></head>'
            '<body class="single single-post"><article><h1 class="entry-title">The Hidden Costs of the Museum Reopening</h1>'
            '<p class="entry-subtitle">The Stakes, the Players and the Numbers Behind the Museum Reopening</p>'
            '<div class="entry-content"><p>' + "Opening words of the story run on. " * 4 + '</p>'
            '<h2>The Numbers Behind the Museum Reopening</h2><p>' + "Figures follow here in turn. " * 4 + '</p>'
            '</div></article></body></html>')
    record = parse_article(html, url="https://news.example/2025/09/09/costs/")
    assert record.subtitle.startswith("The Stakes")
    assert [section.heading for section in record.sections] == ["The Numbers Behind the Museum Reopening"]
