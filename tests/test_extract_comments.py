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
                                    "comment-3", None)]


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
