"""Comment form, comment status and comments.

Fixture pages are checked through ``parse_article``; inline pages pin one rule each.
"""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from scraper.extract import comments as comments_mod
from scraper.extract import parse_article
from scraper.extract.document import load_document
from scraper.record import ArticleRecord, Comment, FormField

PAGES = Path(__file__).resolve().parent / "pages"
FIXTURES = sorted(p.name[: -len(".expected.json")] for p in PAGES.glob("*.expected.json"))
COMMENT_KEYS = ("comment_form", "comments_open", "comments")


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_comment_fields(name):
    spec = json.loads((PAGES / f"{name}.expected.json").read_text(encoding="utf-8"))
    fetched = spec.get("fetched_at")
    record = parse_article(
        (PAGES / f"{name}.html").read_bytes(),
        url=spec["url"],
        fetched_at=datetime.fromisoformat(fetched.replace("Z", "+00:00")) if fetched else None,
    )
    got = record.to_dict()
    checked = [key for key in COMMENT_KEYS if key in spec["expect"]]
    for key in checked:
        assert got[key] == spec["expect"][key], f"{name}: {key}"
    if record.is_article and record.comment_form is not None:
        assert record.comments_open is True


URL = "https://site.example/2025/01/02/story/"

FORM = """
<div id="respond" class="comment-respond">
  <h3 id="reply-title" class="comment-reply-title">Leave a Reply <small><a rel="nofollow"
     id="cancel-comment-reply-link" href="/2025/01/02/story/#respond" style="display:none;">Cancel reply</a></small></h3>
  <form action="/wp-comments-post.php" method="POST" id="commentform" class="comment-form" novalidate>
    <p class="comment-notes"><span id="email-notes">Your email address will not be published.</span>
      <span class="required-field-message">Required fields are marked <span class="required">*</span></span></p>
    <p class="comment-form-comment"><label for="comment">Comment <span class="required">*</span></label>
      <textarea id="comment" name="comment" required></textarea></p>
    <p class="comment-form-author"><label for="author">Name <span class="required">*</span></label>
      <input id="author" name="author" type="text" aria-required="true"></p>
    <p class="comment-form-email"><label for="email">Email</label> <span class="required">*</span>
      <input id="email" name="email" type="email"></p>
    <p><label>Topic <select name="topic"><option>a</option></select></label></p>
    <p class="comment-form-url"><label for="url">Website</label> <input id="url" name="url"></p>
    <p style="display: none !important;" class="akismet-fields-container"><label>&#916;
      <textarea name="ak_hp_textarea"></textarea></label></p>
    <p class="form-submit"><input name="submit" type="submit" value="Post Comment">
      <button type="button">Preview</button>
      <input type="hidden" name="comment_post_ID" value="7"></p>
  </form>
</div>"""


def _fill(inner: str) -> ArticleRecord:
    html = f"""<html><head><title>Story</title></head><body class="single">
      <article><h1>Story</h1><div class="entry-content"><p>Body.</p></div></article>
      {inner}</body></html>"""
    doc = load_document(html, URL)
    record = ArticleRecord(url=URL)
    comments_mod.fill(doc, record)
    return record


def test_comment_form_fields_labels_and_markers():
    rec = _fill(FORM)
    form = rec.comment_form
    assert rec.comments_open is True
    assert form.heading == "Leave a Reply"  # the <small> cancel-reply link is left out
    assert form.action == "https://site.example/wp-comments-post.php"
    assert form.method == "post"
    assert form.notes == "Your email address will not be published. Required fields are marked *"
    assert form.required_marker == "*"
    assert form.fields == [
        FormField("comment", "textarea", "Comment", True),
        FormField("author", "text", "Name", True),
        FormField("email", "email", "Email", False),
        FormField("topic", "select", "Topic", False),
        FormField("url", "text", "Website", False),
    ]


def test_required_marker_inside_label_text_counts():
    rec = _fill(FORM.replace('<label for="url">Website</label>', '<label for="url">Website *</label>'))
    assert rec.comment_form.fields[-1] == FormField("url", "text", "Website", True)


def test_no_comment_section_at_all():
    rec = _fill("<footer><p>Copyright</p></footer>")
    assert (rec.comment_form, rec.comments_open, rec.comments) == (None, None, [])


@pytest.mark.parametrize("closed", [
    '<div id="comments" class="comments-area"><p class="no-comments">Comments are closed.</p></div>',
    '<div id="comments"><p>Comments are closed.</p></div>',
    '<div class="wp-block-comments"><p class="comments-closed">Les commentaires sont fermés.</p></div>',
])
def test_comments_closed(closed):
    rec = _fill(closed)
    assert rec.comment_form is None
    assert rec.comments_open is False


COMMENTS = """
<div id="comments" class="comments-area"><h2 class="comments-title">3 thoughts</h2>
<ol class="comment-list">
  <li id="comment-12" class="comment even thread-even depth-1 parent">
    <article id="div-comment-12" class="comment-body">
      <footer class="comment-meta"><div class="comment-author vcard"><img alt="" src="a.png">
        <b class="fn"><a href="https://ann.example" class="url">Ann</a></b> <span class="says">says:</span></div>
        <div class="comment-metadata"><a href="#comment-12"><time datetime="2025-01-02T10:00:00+02:00">January 2, 2025 at 10:00 am</time></a></div>
      </footer>
      <div class="comment-content"><p>First para.</p><p>Second <em>para</em>.</p></div>
      <div class="reply"><a class="comment-reply-link" href="?replytocom=12#respond">Reply</a></div>
    </article>
    <ol class="children">
      <li id="comment-13" class="comment byuser odd alt depth-2 parent">
        <article id="div-comment-13" class="comment-body">
          <footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Bob</b></div>
          <div class="comment-metadata"><time datetime="2025-01-02T09:30:00Z">x</time></div></footer>
          <div class="comment-content"><p>Reply to Ann.</p></div>
        </article>
        <ul class="children">
          <li id="comment-14" class="comment depth-3"><article class="comment-body">
            <div class="comment-author"><b class="fn">Cy</b></div>
            <div class="comment-content"><p>Deep reply.</p></div></article></li>
        </ul>
      </li>
    </ol>
  </li>
  <li id="comment-15" class="pingback"><div class="comment-body">Pingback: <a href="/x">Other</a></div></li>
  <li id="comment-16" class="comment depth-1"><article class="comment-body">
    <div class="comment-author"><b class="fn">Dee</b></div>
    <div class="comment-content"><p>Top level again.</p></div></article></li>
</ol></div>"""


def test_nested_comments_have_parent_ids_in_document_order():
    rec = _fill(COMMENTS + FORM)
    assert rec.comments == [
        Comment("Ann", "2025-01-02T08:00:00Z", "First para.\n\nSecond para.", "comment-12", None),
        Comment("Bob", "2025-01-02T09:30:00Z", "Reply to Ann.", "comment-13", "comment-12"),
        Comment("Cy", None, "Deep reply.", "comment-14", "comment-13"),
        Comment("Dee", None, "Top level again.", "comment-16", None),
    ]
    assert rec.comments_open is True


def test_comments_without_form_leave_status_unknown():
    rec = _fill(COMMENTS)
    assert len(rec.comments) == 4
    assert rec.comment_form is None and rec.comments_open is None


def test_old_style_comment_markup_without_comment_content():
    html = """<ol class="commentlist"><li class="comment" id="comment-3">
      <div id="div-comment-3" class="comment-body">
        <div class="comment-author vcard"><cite class="fn">Old Timer</cite> <span class="says">says:</span></div>
        <div class="comment-meta commentmetadata"><a href="#comment-3">March 3, 2020 at 10:00 am</a></div>
        <p>Plain paragraph one.</p><p>Plain two.</p>
        <div class="reply"><a class="comment-reply-link" href="#">Reply</a></div>
      </div></li></ol>"""
    rec = _fill(html)
    assert rec.comments == [Comment("Old Timer", "2020-03-03T10:00:00Z", "Plain paragraph one.\n\nPlain two.",
                                    "comment-3", None, published_at_raw="March 3, 2020 at 10:00 am")]


def test_block_theme_comment_template():
    html = """<div class="wp-block-comments"><h2 class="wp-block-comments-title">One response</h2>
      <ol class="wp-block-comment-template">
        <li id="comment-41" class="comment even thread-even depth-1">
          <div class="wp-block-columns"><div class="wp-block-column">
            <div class="wp-block-comment-author-name"><a href="https://m.example">Marta</a></div>
            <div class="wp-block-comment-date"><time datetime="2025-09-04T16:02:11+02:00"><a href="#c">Sept 4</a></time></div>
            <div class="wp-block-comment-content"><p>Loud sirens.</p></div>
            <div class="wp-block-comment-reply-link"><a href="#">Reply</a></div></div></div>
          <ol class="children"><li id="comment-42" class="comment odd alt depth-2">
            <div class="wp-block-comment-author-name">Lena</div>
            <div class="wp-block-comment-date"><time datetime="2025-09-04T14:40:00Z">Sept 4</time></div>
            <div class="wp-block-comment-content"><p>October.</p></div></li></ol>
        </li></ol></div>"""
    rec = _fill(html)
    assert rec.comments == [
        Comment("Marta", "2025-09-04T14:02:11Z", "Loud sirens.", "comment-41", None),
        Comment("Lena", "2025-09-04T14:40:00Z", "October.", "comment-42", "comment-41"),
    ]


def _drupal_comment(number: int, name: str, stamp: int, text: str) -> str:
    return f"""<article id="comment-{number}" class="comment js-comment by-anonymous">
      <span class="hidden" data-comment-timestamp="{stamp}"></span>
      <footer class="comment__meta"><p class="comment__author"><span>{name}</span></p>
      <p class="comment__time">14. Oktober 2025 um 14:30</p></footer>
      <div class="comment__content"><h3><a href="/comment/{number}">Subject</a></h3>
      <div class="text-content field--name-comment-body"><p>{text}</p></div>
      <ul class="links inline comment__links"><li class="comment-reply"><a href="#">Antworten</a></li></ul>
      </div></article>"""


def test_drupal_comments_with_replies_in_the_indented_block():
    rec = _fill(f"""<section class="comments"><h2 class="comments__title">Kommentare</h2>
      {_drupal_comment(1, "Ann (not verified)", 1760445000, "First.")}
      <div class="indented">{_drupal_comment(2, "Bo", 1760448600, "A reply.")}</div>
      {_drupal_comment(3, "Cy", 1760452200, "Third.")}</section>""")
    assert [(c.id, c.parent, c.author, c.published_at, c.text) for c in rec.comments] == [
        ("comment-1", None, "Ann", "2025-10-14T12:30:00Z", "First."),
        ("comment-2", "comment-1", "Bo", "2025-10-14T13:30:00Z", "A reply."),
        ("comment-3", None, "Cy", "2025-10-14T14:30:00Z", "Third."),
    ]


@pytest.mark.parametrize("stamp", ["99999999999999999999", "²", "-5", "soon"])
def test_a_drupal_comment_with_an_odd_timestamp_falls_back_to_its_visible_date(stamp):
    rec = _fill(f"""<section class="comments">{_drupal_comment(1, "Ann", 0, "First.")}</section>"""
                .replace('data-comment-timestamp="0"', f'data-comment-timestamp="{stamp}"'))
    assert [(c.author, c.published_at) for c in rec.comments] == [("Ann", "2025-10-14T14:30:00Z")]


def test_astra_comment_list_with_the_name_outside_a_comment_author_block():
    # ol.ast-comment-list; li#li-comment-N wraps article#comment-N; b.fn sits in
    # header.ast-comment-author (no "comment-author" class)
    def astra(number: int, name: str, stamp: str, text: str, replies: str = "") -> str:
        return f"""<li class="comment depth-1" id="li-comment-{number}"><article id="comment-{number}" class="ast-comment">
          <div class="ast-comment-info"><header class="ast-comment-meta ast-row ast-comment-author capitalize">
            <div class="ast-comment-cite-wrap"><cite><b class="fn">{name}</b> </cite></div>
            <div class="ast-comment-time"><span class="timendate"><a href="#comment-{number}"><time
              datetime="{stamp}">September 2, 2025 at 8:48 pm</time></a></span></div></header>
          <section class="ast-comment-content comment">{text}<div class="ast-comment-edit-reply-wrap">
            <span class="ast-reply-link"><a class="comment-reply-link" href="#comment-{number}">Reply</a></span></div>
          </section></div></article>{replies}</li>"""

    reply = astra(614, '<a href="/author/aokoye/" class="url">Dr. Amara Okoye</a>', "2025-09-03T07:05:10-05:00",
                  "<p>Thanks, Jolene.</p><p>Consistency matters.</p>")
    rec = _fill(f"""<div id="comments" class="comments-area"><ol class="ast-comment-list">
      {astra(611, "Jolene", "2025-09-02T20:48:31-05:00", "<p>This explains so much.</p>",
             f'<ol class="children">{reply}</ol>')}</ol></div>""")
    assert rec.comments == [
        Comment("Jolene", "2025-09-03T01:48:31Z", "This explains so much.", "comment-611", None),
        Comment("Dr. Amara Okoye", "2025-09-03T12:05:10Z", "Thanks, Jolene.\n\nConsistency matters.",
                "comment-614", "comment-611"),
    ]


def _soledad(number: int, depth: int, name: str, date: str, text: str, replies: str = "") -> str:
    return f"""<div class="comment even depth-{depth}" id="comment-{number}"><div class="thecomment">
      <div class="author-img"><img alt="" src="a.png" class="avatar"></div>
      <div class="comment-text"><span class="author">{name}</span>
        <span class="date"><i class="penci-faicon fa fa-clock-o"></i>{date}</span>
        <div class="comment-content"><p>{text}</p></div>
        <span class="reply"><a class="comment-reply-link" href="#comment-{number}">Reply</a></span></div></div>
      {replies}</div>"""


def test_div_style_thread_beside_the_form_soledad():
    # div.comments > div.comment#comment-N, each reply's div.comment nested in the one it answers
    deep = _soledad(1412, 3, "Hannah", "September 5, 2025 - 8:03 am", "Great, thanks!")
    reply = _soledad(1409, 2, '<a href="/author/lena/" class="url">Lena Fischer</a>', "September 4, 2025 - 11:40 am",
                     "We just turned up.", deep)
    rec = _fill(f"""<div class="post-comments" id="comments"><div class="comments">
      {_soledad(1407, 1, "Hannah", "September 4, 2025 - 9:12 am", "Really useful.", reply)}
      {_soledad(1415, 1, "Tom B.", "September 6, 2025 - 6:55 pm", "Check before you go.")}
      </div>{FORM}</div>""")
    assert rec.comments == [
        Comment("Hannah", "2025-09-04T09:12:00Z", "Really useful.", "comment-1407", None, published_at_raw="September 4, 2025 - 9:12 am"),
        Comment("Lena Fischer", "2025-09-04T11:40:00Z", "We just turned up.", "comment-1409", "comment-1407", published_at_raw="September 4, 2025 - 11:40 am"),
        Comment("Hannah", "2025-09-05T08:03:00Z", "Great, thanks!", "comment-1412", "comment-1409", published_at_raw="September 5, 2025 - 8:03 am"),
        Comment("Tom B.", "2025-09-06T18:55:00Z", "Check before you go.", "comment-1415", None, published_at_raw="September 6, 2025 - 6:55 pm"),
    ]
    assert rec.comments_open is True


def test_sahifa_li_without_class_around_the_comment_div():
    def sahifa(number: int, depth: int, name: str, date: str, text: str, replies: str = "") -> str:
        return f"""<li id="li-comment-{number}"><div class="comment even depth-{depth} comment-wrap" id="comment-{number}">
          <div class="comment-avatar"><img alt="" src="a.png"></div>
          <div class="comment-content"><div class="author-comment"><cite class="fn">{name}</cite>
            <div class="comment-meta commentmetadata"><a href="#comment-{number}">	{date}</a></div>
            <div class="clear"></div></div>{text}</div>
          <div class="reply"><a class="comment-reply-link" href="#comment-{number}">Reply</a></div></div>
          {replies}</li>"""

    reply = sahifa(4413, 2, '<a href="https://naija.example" class="url">Emeka</a>', "September 7, 2025 at 8:02 pm",
                   "<p>Second division, you mean.</p>")
    rec = _fill(f"""<div id="comments"><ol class="commentlist">
      {sahifa(4410, 1, "Tunde A.", "September 7, 2025 at 7:31 pm", "<p>Some new blood.</p><p>Finally.</p>",
              f'<ul class="children">{reply}</ul>')}</ol></div>""")
    assert rec.comments == [
        Comment("Tunde A.", "2025-09-07T19:31:00Z", "Some new blood.\n\nFinally.", "comment-4410", None, published_at_raw="September 7, 2025 at 7:31 pm"),
        Comment("Emeka", "2025-09-07T20:02:00Z", "Second division, you mean.", "comment-4413", "comment-4410", published_at_raw="September 7, 2025 at 8:02 pm"),
    ]


def test_divi_comment_postinfo_name_and_date():
    # the li's id is "li-comment-N"; the comment's anchor is its article#comment-N
    def divi(number: int, name: str, date: str, text: str, replies: str = "") -> str:
        return f"""<li class="comment even depth-1" id="li-comment-{number}">
          <article id="comment-{number}" class="comment-body clearfix">
          <div class="comment_avatar"><img alt="{name}" src="a.png"></div>
          <div class="comment_postinfo"><span class="fn">{name}</span><span class="comment_date">
            on {date}</span></div>
          <div class="comment_area"><div class="comment-content clearfix"><p>{text}</p>
            <span class="reply-container"><a class="comment-reply-link" href="#comment-{number}">Reply</a></span>
          </div></div>
          </article>{replies}</li>"""

    reply = divi(91, "Maya", "September 5, 2025 at 10:47 am", "It is in the staff report.")
    first = divi(88, "Gerald Price", "September 5, 2025 at 8:12 am", "Seven stories is a mistake.",
                 f'<ul class="children">{reply}</ul>')
    rec = _fill(f"""<section id="comment-wrap"><h1 id="comments" class="page_title">2 Comments</h1>
      <ol class="commentlist clearfix">{first}</ol></section>""")
    assert rec.comments == [
        Comment("Gerald Price", "2025-09-05T08:12:00Z", "Seven stories is a mistake.", "comment-88", None, published_at_raw="on September 5, 2025 at 8:12 am"),
        Comment("Maya", "2025-09-05T10:47:00Z", "It is in the staff report.", "comment-91", "comment-88", published_at_raw="on September 5, 2025 at 10:47 am"),
    ]


def _wpdiscuz_comment(number: int, parent: int, depth: int, name: str, title: str, text: str, replies: str = "") -> str:
    return f"""<div id="wpd-comm-{number}_{parent}" class="comment even depth-{depth} wpd-comment wpd_comment_level-{depth}">
      <div class="wpd-comment-wrap wpd-blog-guest">
        <div class="wpd-comment-left"><div class="wpd-avatar"><img alt="{name}" src="a.png"></div>
          <div class="wpd-comment-label"><span>Guest</span></div></div>
        <div id="comment-{number}" class="wpd-comment-right">
          <div class="wpd-comment-header"><div class="wpd-comment-author">{name}</div>
            <div class="wpd-comment-date" title="{title}"><i class="far fa-clock"></i> 2 days ago</div></div>
          <div class="wpd-comment-text">{text}</div>
          <div class="wpd-comment-footer"><div class="wpd-vote-result" title="4">4</div>
            <div class="wpd-reply-button"><span>Reply</span></div></div></div></div>
      <div id="wpdiscuz_form_anchor-{number}_{parent}"></div>{replies}</div>"""


WPDISCUZ = f"""
<div id="comments" class="comments-area"><div id="respond" style="width: 0;height: 0;"></div>
<div id="wpdcom" class="wpdiscuz_unauth wpd-default wpd-comments-open"><div class="wpd-form-wrap">
  <div class="wpdiscuz-subscribe-bar wpdiscuz-hidden">
    <form action="/wp-admin/admin-ajax.php?action=wpdAddSubscription" method="post" id="wpdiscuz-subscribe-form">
      <input class="email" type="email" name="wpdiscuzSubscriptionEmail" required="required"></form></div>
  <div class="wpd-form wpd-form-wrapper wpd-main-form-wrapper" id="wpd-main-form-wrapper-0_0">
    <form method="post" enctype="multipart/form-data" class="wpd_comm_form wpd_main_comm_form">
      <div id="wpd-editor-wraper-0_0" style="display: none;">
        <label style="display: none;" for="wc-textarea-0_0">Label</label>
        <textarea id="wc-textarea-0_0" name="wc_comment" class="wc_comment wpd-field"></textarea></div>
      <div class="wpd-form-foot" style='display:none;'>
        <input id="wc_name-0_0" required="required" aria-required="true" class="wc_name wpd-field" type="text"
               name="wc_name" placeholder="Name*"> <label for="wc_name-0_0" class="wpdlb">Name*</label>
        <input id="wc_email-0_0" required="required" class="wc_email wpd-field" type="email" name="wc_email">
        <label for="wc_email-0_0" class="wpdlb">Email*</label>
        <input id="wc_website-0_0" class="wc_website wpd-field" type="text" name="wc_website">
        <label for="wc_website-0_0" class="wpdlb">Website</label>
        <input id="wpd-field-submit-0_0" class="wc_comm_submit" type="submit" name="submit" value="Post Comment"></div>
      <input type="hidden" class="wpdiscuz_unique_id" value="0_0" name="wpdiscuz_unique_id">
    </form></div></div>
  <div id="wpd-threads" class="wpd-thread-wrapper"><div class="wpd-thread-list">
    {_wpdiscuz_comment(90412, 0, 1, "Arjun Mehta", "September 8, 2025 6:41 pm",
                       "<p>Core inflation is not nothing.</p><p>December is far.</p>",
                       _wpdiscuz_comment(90418, 90412, 2, '<a href="/author/priya/">Priya Raman</a>',
                                         "September 8, 2025 7:02 pm", "<p>Fair point.</p>"))}
    {_wpdiscuz_comment(90433, 0, 1, "K. Subramanian", "September 9, 2025 9:15 am", "<p>Good summary.</p>")}
  </div></div></div></div>"""


def test_wpdiscuz_thread_with_the_exact_time_in_the_date_title():
    rec = _fill(WPDISCUZ)
    assert rec.comments == [
        Comment("Arjun Mehta", "2025-09-08T18:41:00Z", "Core inflation is not nothing.\n\nDecember is far.",
                "comment-90412", None, published_at_raw="September 8, 2025 6:41 pm"),
        Comment("Priya Raman", "2025-09-08T19:02:00Z", "Fair point.", "comment-90418", "comment-90412", published_at_raw="September 8, 2025 7:02 pm"),
        Comment("K. Subramanian", "2025-09-09T09:15:00Z", "Good summary.", "comment-90433", None, published_at_raw="September 9, 2025 9:15 am"),
    ]


def test_wpdiscuz_form_fields_shown_by_script_and_no_action():
    rec = _fill(WPDISCUZ)
    assert rec.comments_open is True
    # the subscription form before it is not the comment form; the plugin posts by XHR, with no action
    assert rec.comment_form.action is None
    assert rec.comment_form.method == "post"
    assert rec.comment_form.fields == [
        FormField("wc_comment", "textarea", None, False),  # its display:none label is the stub "Label"
        FormField("wc_name", "text", "Name", True),
        FormField("wc_email", "email", "Email", True),
        FormField("wc_website", "text", "Website", False),
    ]


def test_amp_form_action_is_read_from_action_xhr():
    amp = FORM.replace('action="/wp-comments-post.php"',
                       'action-xhr="/wp-comments-post.php?_wp_amp_action_xhr_converted=1" target="_top"')
    rec = _fill(amp)
    assert rec.comment_form.action == "https://site.example/wp-comments-post.php?_wp_amp_action_xhr_converted=1"


def test_div_style_thread_without_a_form():
    rec = _fill(f"""<div class="post-comments" id="comments"><div class="comments">
      {_soledad(1407, 1, "Hannah", "September 4, 2025 - 9:12 am", "Really useful.",
                _soledad(1409, 2, "Lena Fischer", "September 4, 2025 - 11:40 am", "We just turned up."))}
      </div><p class="no-comments">Comments are closed.</p></div>""")
    assert rec.comments == [
        Comment("Hannah", "2025-09-04T09:12:00Z", "Really useful.", "comment-1407", None, published_at_raw="September 4, 2025 - 9:12 am"),
        Comment("Lena Fischer", "2025-09-04T11:40:00Z", "We just turned up.", "comment-1409", "comment-1407", published_at_raw="September 4, 2025 - 11:40 am"),
    ]
    assert (rec.comment_form, rec.comments_open) == (None, False)


def test_a_comment_class_without_depth_is_not_a_div_style_comment():
    # Astra marks its content section "comment"; a bare div.comment is no thread either
    rec = _fill('<div id="comments"><div class="comment" id="comment-5"><p>Not a thread.</p></div></div>')
    assert rec.comments == []


def _blogger_comment(number: int, name: str, when: str, text: str, replies: str = "") -> str:
    return (f'<li class="comment" id="c{number}"><div class="avatar-image-container"><img src="a.png" alt=""/></div>'
            f'<div class="comment-block"><div class="comment-header"><cite class="user"><a href="/profile/{number}">{name}</a>'
            f'</cite><span class="icon user "></span><span class="datetime secondary-text"><a href="?showComment=1#c{number}">'
            f'{when}</a></span></div><p class="comment-content">{text}</p><span class="comment-actions secondary-text">'
            f'<a class="comment-reply" data-comment-id="{number}">Responder</a></span></div>'
            f'<div class="comment-replies"><div id="c{number}-rt" class="comment-thread inline-thread">'
            f'<span class="thread-toggle thread-expanded"><span class="thread-count"><a>Respostas</a></span></span>'
            f'<ol id="c{number}-ra" class="thread-chrome thread-expanded"><div>{replies}</div>'
            f'<div id="c{number}-continue" class="continue"><a class="comment-reply">Responder</a></div></ol></div></div>'
            f'<div class="comment-replybox-single" id="c{number}-ce"></div></li>')


def test_blogger_threaded_comments():
    """Blogger: div.comment-thread > ol (no class) > li.comment#cN, the commenter in the header's
    <cite>, the date as text in span.datetime (read in the zone of the post's abbr.published), each
    reply's li wrapped in a bare <div> inside the thread's ol in div.comment-replies."""
    reply = _blogger_comment(22, "Rafael Moura", "9 de setembro de 2025 às 17:05", "A primeira parte.")
    thread = (_blogger_comment(21, "Anônimo", "9 de setembro de 2025 às 16:20", "Finalmente!", reply)
              + _blogger_comment(23, "Márcia Lopes", "10 de setembro de 2025 às 08:47", "E a feira?"))
    html = f"""<html><head><title>Story</title></head><body class="loading"><div class="widget Blog" id="Blog1">
      <div class="post hentry"><h3 class="post-title entry-title">Story</h3><div class="post-body entry-content"><p>Body.</p></div>
      <div class="post-footer"><abbr class="published" itemprop="datePublished" title="2025-09-09T14:32:00-03:00">14:32</abbr></div></div>
      <div class="comments" id="comments"><h4>3 comentários:</h4><div class="comments-content"><div id="comment-holder">
      <div class="comment-thread toplevel-thread"><ol id="top-ra">{thread}</ol></div></div></div>
      <div class="comment-form"><h4 id="comment-post-message">Postar um comentário</h4></div></div></div></body></html>"""
    record = ArticleRecord(url=URL)
    comments_mod.fill(load_document(html, URL), record)
    assert [(c.id, c.parent, c.author, c.published_at, c.text) for c in record.comments] == [
        ("c21", None, "Anônimo", "2025-09-09T19:20:00Z", "Finalmente!"),
        ("c22", "c21", "Rafael Moura", "2025-09-09T20:05:00Z", "A primeira parte."),
        ("c23", None, "Márcia Lopes", "2025-09-10T11:47:00Z", "E a feira?"),
    ]
    assert record.comments[0].published_at_raw == "9 de setembro de 2025 às 16:20"


def test_empty_reply_title_gives_the_heading_above_the_respond_block():
    """Newspack calls comment_form() with title_reply null and prints its own
    h3.comment-reply-title "Leave a comment" just before div#respond."""
    form = FORM.replace('<div id="respond" class="comment-respond">',
                        '<h3 class="comment-reply-title">Leave a comment</h3><div id="respond" class="comment-respond">')
    form = form.replace("Leave a Reply <small>", " <small>")
    assert _fill(form).comment_form.heading == "Leave a comment"
