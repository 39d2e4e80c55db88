"""Comment form, comment status and the comments themselves.

WordPress renders comments as ``ol.comment-list > li.comment`` (classic
``comments_template``) or, in block themes, as ``ol.wp-block-comment-template``
with ``.wp-block-comment-*`` blocks; replies sit in a nested ``ol.children``.
Div-style threads (core's ``style => 'div'``, Soledad, the wpDiscuz plugin) nest
each reply's ``div.comment`` inside the one it answers.
The form is ``#respond`` with ``#reply-title`` and ``form#commentform``
(wpDiscuz: ``form.wpd_comm_form``).
"""
from __future__ import annotations

import re
from typing import Optional

from lxml import etree

from ..record import Comment, CommentForm, FormField
from .boilerplate import is_hidden
from .dates import from_unix, to_utc_iso
from .text import clean, text_content


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


_REPLY_TITLE = etree.XPath(
    ".//*[@id='reply-title' or " + _has_class("comment-reply-title") + "]"
)
_NOTES = etree.XPath(".//*[" + _has_class("comment-notes") + "]")
_CLOSED_CLASSES = frozenset({"no-comments", "comments-closed", "comments-closed-message",
                             "nocomments", "comment-closed", "comments-are-closed"})
_CLOSED_PHRASES = (
    "omments are closed", "omments Are Closed", "OMMENTS ARE CLOSED", "omments closed",
    "omments Closed", "ommentaires sont fermés", "ommentaires fermés",
    "Kommentare sind geschlossen", "omentarios cerrados", "omentarios están cerrados",
    "ommenti sono chiusi", "ommenti chiusi",
)
# Blocksy: ol.ct-comment-list
_LIST_CLASSES = frozenset({"comment-list", "commentlist", "wp-block-comment-template", "ast-comment-list",
                           "ct-comment-list"})
# Blogger's threads: div.comment-thread > ol (no class), a comment's replies in its div.comment-replies
_THREAD_CLASS = "comment-thread"
_REPLIES_CLASS = "comment-replies"
_FORM_CLASSES = frozenset({"comment-form", "wpd_comm_form"})
# Class lookups inside one comment: a walk of its few elements in Python is
# cheaper than libxml2's concat/normalize-space class test on each of them.
_AUTHOR_NAME_CLASSES = frozenset({"wp-block-comment-author-name", "comment-author-name", "comment__author",
                                  "wpd-comment-author", "ct-comment-author"})
_AUTHOR_CLASSES = frozenset({"comment-author", "author"})
_DATE_CLASSES = frozenset({"wp-block-comment-date", "comment-metadata", "commentmetadata", "comment-date",
                           "comment__time", "comment_date", "date", "wpd-comment-date", "datetime",
                           "comment-meta-2"})  # MVP Themes (Zox News): p.comment-meta-2 holds the date alone
_CONTENT_CLASSES = frozenset({"comment-content", "wp-block-comment-content", "comment-text", "comment__content",
                              "ast-comment-content", "wpd-comment-text", "ct-comment-content",
                              "field--name-comment-body"})  # Drupal's comment body field
# Soledad's "September 4, 2025 - 9:12 am": the dash keeps it off the dates module's
# fast path (dateparser then takes ~1.7 ms a call); without it the date reads the same.
_DASH_BEFORE_CLOCK = re.compile(r" [-–] +(?=\d{1,2}:\d\d)")  # cleaned text: single spaces
# Drupal marks an anonymous commenter's name as unverified.
_UNVERIFIED = re.compile(r"\s*\((?:not verified|nicht überprüft|non vérifié|no verificado|non verificato)\)$", re.I)


def _has_ancestor_class(el, stop, name: str) -> bool:
    node = el.getparent()
    while node is not None:
        if name in (node.get("class") or "").split():
            return True
        if node is stop:
            return False
        node = node.getparent()
    return False


# MVP Themes' div.commentmeta holds the author's and the date's <p>s beside the text's
_NOT_TEXT_CLASSES = ("comment-author", "comment-meta", "commentmeta", "commentmetadata", "comment-metadata",
                     "reply", "comment-reply-link", "vcard", "comment-awaiting-moderation")


# --- text helpers ----------------------------------------------------------

def _text_without(el, skip) -> str:
    """Text of ``el`` leaving out descendants for which ``skip(child)`` is true."""
    out: list = []

    def rec(node):
        if node.text:
            out.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and not skip(child):
                if child.tag == "br":
                    out.append(" ")
                rec(child)
            if child.tail:
                out.append(child.tail)

    rec(el)
    return clean("".join(out)) or ""


def _tokens(el) -> set:
    return set((el.get("class") or "").split())


# --- the form --------------------------------------------------------------

def _heading(scope, form) -> Optional[str]:
    # #reply-title opens the respond block: a short walk finds it sooner than
    # XPath's attribute test on every element below ``scope``.
    title = next((el for el in scope.iterdescendants(etree.Element) if el.get("id") == "reply-title"), None)
    if title is None:
        found = _REPLY_TITLE(scope)
        title = found[0] if found else None
    # An empty #reply-title (comment_form's title_reply set to null, as Newspack does) leaves
    # the heading the theme prints above the respond block.
    return (_title_text(title) if title is not None else None) or _heading_before(form)


def _title_text(title) -> Optional[str]:
    return _text_without(
        title, lambda c: c.tag == "small" or c.get("id") == "cancel-comment-reply-link"
    ) or None


def _heading_before(form) -> Optional[str]:
    """The text of a comment heading just before the form or its wrappers (Drupal's Olivero:
    ``h2.add-comment__heading`` then ``div.add-comment > div > form``; Newspack:
    ``h3.comment-reply-title`` then ``div#respond``), passing over an empty one."""
    node = form
    for _ in range(4):
        previous = node.getprevious()
        while previous is not None and not isinstance(previous.tag, str):
            previous = previous.getprevious()
        if previous is not None and previous.tag in ("h2", "h3", "h4") and "comment" in (previous.get("class") or ""):
            text = _title_text(previous)
            if text:
                return text
        node = node.getparent()
        if node is None:
            return None
    return None


def _label_text(label, marker: Optional[str]) -> tuple[str, bool]:
    """A label's text without the required marker, and whether it carried one."""
    has_marker = False

    def skip(child):
        nonlocal has_marker
        if "required" in _tokens(child):
            has_marker = True
            return True
        return child.tag in ("input", "textarea", "select")

    text = _text_without(label, skip)
    if marker and text.endswith(marker) and len(text) > len(marker):
        text = text[: -len(marker)].rstrip()
        has_marker = True
    return text, has_marker


def _visible(field, form) -> bool:
    node = field
    while node is not None and node is not form:
        if is_hidden(node):
            return False
        node = node.getparent()
    return True


def _is_comment_form(form) -> bool:
    if form.get("id") == "commentform" or "wp-comments-post" in (form.get("action") or ""):
        return True
    if not _FORM_CLASSES.isdisjoint(_tokens(form)):
        return True
    for anc in form.iterancestors():
        if anc.get("id") == "respond" or "comment-respond" in _tokens(anc):
            return True
        if anc.tag == "body":
            break
    return False


def _respond_of(form):
    for anc in form.iterancestors():
        if anc.get("id") == "respond" or "comment-respond" in _tokens(anc):
            return anc
        if anc.tag == "body":
            break
    return form.getparent() if form.getparent() is not None else form


def _forms_and_lists(doc):
    """The page's forms and comment lists, from one traversal."""
    forms, lists = [], []
    for el in doc.listed("form", "ol", "ul"):
        if el.tag == "form":
            forms.append(el)
        else:
            cls = el.get("class")
            if cls and not _LIST_CLASSES.isdisjoint(cls.split()):
                lists.append(el)
            elif not cls and _THREAD_CLASS in (el.getparent().get("class") or "") \
                    and _THREAD_CLASS in _tokens(el.getparent()):
                lists.append(el)  # Blogger's ol#top-ra
    return forms, lists


def extract_form(doc, form) -> CommentForm:
    scope = _respond_of(form)
    # wpDiscuz builds its form with script: display:none there hides the fields
    # until the editor gets focus (not a spam trap), and its display:none label
    # is the stub "Label".
    scripted = "wpd_comm_form" in _tokens(form)

    # one pass over the form: fields, labels, the required marker and the notes
    controls, labels_for, marker, notes = [], {}, None, None
    for el in form.iter():
        tag = el.tag
        if tag in ("input", "textarea", "select"):
            controls.append(el)
            continue
        if tag == "label" and not (scripted and is_hidden(el)):
            target = el.get("for")
            if target and target not in labels_for:
                labels_for[target] = el
        cls = el.get("class")
        if cls:
            tokens = cls.split()
            if marker is None and "required" in tokens:
                marker = clean(text_content(el))
            if notes is None and "comment-notes" in tokens:
                notes = clean(text_content(el))
    if notes is None:
        found = _NOTES(scope)
        notes = clean(text_content(found[0])) if found else None
    method = form.get("method")

    fields: list[FormField] = []
    for field in controls:
        attrs = dict(field.items())  # one call instead of a get() per attribute below
        tag = field.tag
        if tag == "input":
            kind = (attrs.get("type") or "text").strip().lower()
            if kind in ("hidden", "submit", "button", "image", "reset"):
                continue
        else:
            kind = tag  # "textarea" / "select"
        if not scripted and not _visible(field, form):
            continue
        name = attrs.get("name") or attrs.get("id") or ""
        label_el = labels_for.get(attrs.get("id") or "\0")
        if label_el is None:
            for anc in field.iterancestors():
                if anc.tag == "label":
                    label_el = anc
                    break
                if anc is form:
                    break
        # without a marker element a trailing "*" still marks a required field ("Name*")
        label, marked = _label_text(label_el, marker or "*") if label_el is not None else (None, False)
        req = (
            attrs.get("required") is not None
            or (attrs.get("aria-required") or "").strip().lower() == "true"
            or marked
        )
        fields.append(FormField(name=name, type=kind, label=label or None, required=req))

    action = form.get("action")
    if action is None:  # the AMP plugin moves it to action-xhr
        action = form.get("action-xhr")
    return CommentForm(
        heading=_heading(scope, form),
        action=doc.absolute(action),
        method=method.strip().lower() if method else None,
        notes=notes,
        required_marker=marker,
        fields=fields,
    )


# --- the comments ----------------------------------------------------------

def _to_utc(text: Optional[str], doc) -> Optional[str]:
    text = clean(text)
    if not text:
        return None
    try:
        return to_utc_iso(_DASH_BEFORE_CLOCK.sub(" ", text), doc)
    except Exception:
        return None


def _is_comment_li(li) -> bool:
    if li.tag != "li":
        return False
    tokens = _tokens(li)
    if "pingback" in tokens or "trackback" in tokens:
        return False
    # Sahifa's li has no class: ``li#li-comment-N > div.comment#comment-N``
    return "comment" in tokens or (li.get("id") or "").startswith(("comment-", "li-comment-"))


def _is_div_comment(el) -> bool:
    """A comment of a div-style thread: comment_class() on a div, "comment" and
    "depth-N" (a bare "comment" class is common on other blocks)."""
    if el is None or el.tag != "div":
        return False
    value = el.get("class")
    if not value or "depth-" not in value:
        return False
    tokens = value.split()
    return "comment" in tokens and "pingback" not in tokens and "trackback" not in tokens


def _own_parts(item) -> list:
    """The item's children that belong to this comment (not the nested replies)."""
    nests_divs = item.tag == "div"
    return [c for c in item if isinstance(c.tag, str) and c.tag not in ("ol", "ul")
            and not (nests_divs and _is_div_comment(c)) and not _holds_replies(c)]


def _holds_replies(el) -> bool:
    value = el.get("class")
    return bool(value) and _REPLIES_CLASS in value and _REPLIES_CLASS in value.split()


def _reply_lists(item) -> list:
    """The lists of replies to ``item``: its own ol/ul children (WordPress's ol.children), or
    the lists in its div.comment-replies (Blogger: div.comment-thread > ol > div > li)."""
    lists = []
    for child in item:
        if child.tag in ("ol", "ul"):
            lists.append(child)
        elif _holds_replies(child):
            lists.extend(child.iter("ol", "ul"))
    return lists


def _comment_id(item, parts) -> Optional[str]:
    """The comment's anchor id "comment-N": the item's own, or, where the item only
    wraps the comment (``li#li-comment-N``, wpDiscuz's ``div#wpd-comm-N_P``), the id
    of the block inside it."""
    own = item.get("id")
    if own and own.startswith("comment-"):
        return own
    for part in parts:
        for el in part.iter():
            anchor = el.get("id")
            if anchor and anchor.startswith("comment-") and anchor[8:9].isdigit():
                return anchor
    return own or None


def _comment_text(parts, content) -> str:
    if content is not None:
        paragraphs = [clean(text_content(p)) for p in content.iter("p")]
        paragraphs = [p for p in paragraphs if p]
        if paragraphs:
            return "\n\n".join(paragraphs)
        return clean(text_content(content)) or ""
    # old markup: paragraphs directly in .comment-body beside author/meta/reply
    paragraphs = []
    for part in parts:
        for p in part.iter("p"):
            if any(any(cls in _tokens(a) for cls in _NOT_TEXT_CLASSES)
                   for a in p.iterancestors() if a is not part) or any(
                       cls in _tokens(p) for cls in _NOT_TEXT_CLASSES):
                continue
            text = clean(text_content(p))
            if text:
                paragraphs.append(text)
    return "\n\n".join(paragraphs)


# class value -> what it marks in a comment: (author name, "fn", author, date,
# content), or None for nothing. Every comment of a theme repeats the same few
# class strings, so one dict lookup replaces a split and four token tests.
_ROLES_OF_VALUE: dict[str, Optional[tuple]] = {}
_ROLES_OF_VALUE_MAX = 20_000


def _roles(value: str) -> Optional[tuple]:
    tokens = value.split()
    roles = (not _AUTHOR_NAME_CLASSES.isdisjoint(tokens), "fn" in tokens,
             not _AUTHOR_CLASSES.isdisjoint(tokens), not _DATE_CLASSES.isdisjoint(tokens),
             not _CONTENT_CLASSES.isdisjoint(tokens))
    return roles if any(roles) else None


def _landmarks(parts) -> tuple:
    """The first author name, loose author, "fn", <time>, date and content element of
    a comment, in document order: one walk of its elements instead of one per kind
    (the parts are disjoint and in order, so "first in the first part that has
    one" is "first in document order")."""
    name = loose = fn = time_el = date = content = None
    roles_of = _ROLES_OF_VALUE
    if len(roles_of) > _ROLES_OF_VALUE_MAX:
        roles_of.clear()
    for part in parts:
        for el in part.iter():
            if time_el is None and el.tag == "time":
                time_el = el
            value = el.get("class")
            if not value:
                continue
            roles = roles_of.get(value, False)
            if roles is False:
                roles = roles_of[value] = _roles(value)
            if roles is None:
                continue
            is_name, is_fn, is_author, is_date, is_content = roles
            if name is None and (is_name or (is_fn and _has_ancestor_class(el, part, "comment-author"))):
                name = el
            if loose is None and is_author:
                loose = el
            if fn is None and is_fn:
                fn = el
            if date is None and is_date:
                date = el
            if content is None and is_content:
                content = el
    return name, loose, fn, time_el, date, content


def _cited_author(parts):
    """The commenter named without an author class: the ``<cite>`` of the comment's
    ``<footer>`` (tagDiv's Newspaper) or header (Blogger's div.comment-header > cite.user), or
    the first ``<span>`` of Drupal's "Submitted by <span>name</span> on <span>date</span>" line
    (Bartik, Classy and their subthemes)."""
    for part in parts:
        for el in part.iter("footer", "p", "div"):
            if el.tag == "footer" or (el.tag == "div" and "comment-header" in _tokens(el)):
                cite = el.find("cite")
                if cite is not None:
                    return cite
            elif el.tag == "p" and "comment__submitted" in _tokens(el):
                return el.find("span")
    return None


def _not_author_text(child) -> bool:
    tokens = _tokens(child)
    return "says" in tokens or "screen-reader-text" in tokens


def _read_comment(item, parent_id, doc, published: Optional[str] = None) -> Comment:
    """One comment; ``published`` when the caller knows the exact time already."""
    parts = _own_parts(item)
    author_el, loose_el, fn_el, time_el, date_el, content_el = _landmarks(parts)
    if author_el is None:
        # a "fn" outside any comment-author block (Astra, Divi, Sahifa) comes last
        author_el = loose_el if loose_el is not None else fn_el
    if author_el is None:
        author_el = _cited_author(parts)
    author = None
    if author_el is not None:
        author = _UNVERIFIED.sub("", _text_without(author_el, _not_author_text)) or None
    raw = None  # the text a date was read from, which the content hash needs (record.fetch_relative)
    if published is None and time_el is not None:
        published = _to_utc(time_el.get("datetime"), doc)
        if published is None:
            raw = clean(text_content(time_el))
            published = _to_utc(raw, doc)
    elif published is None and date_el is not None:
        # a title holds the exact time where the text is relative (wpDiscuz: "2 days ago")
        raw = clean(date_el.get("title"))
        published = _to_utc(raw, doc)
        if published is None:
            raw = clean(text_content(date_el))
            published = _to_utc(raw, doc)
    return Comment(author=author, published_at=published, text=_comment_text(parts, content_el),
                   id=_comment_id(item, parts), parent=parent_id, published_at_raw=raw or None)


def _walk(items, parent_id, doc, out: list) -> None:
    for item in items:
        if not (_is_comment_li(item) or _is_div_comment(item)):
            if item.tag == "div" and not item.get("class") and item.getparent().tag in ("ol", "ul"):
                _walk(item, parent_id, doc, out)  # Blogger wraps each reply's li in a bare div
            continue
        comment = _read_comment(item, parent_id, doc)
        out.append(comment)
        for replies in _reply_lists(item):
            _walk(replies, comment.id, doc, out)
        if item.tag == "div":
            for child in item:
                if child.tag == "div":  # a div-style reply, if it is a comment
                    _walk((child,), comment.id, doc, out)


def _thread_scope(form):
    """Where a div-style thread sits beside the form: the ``#comments`` block the
    comments template wraps around both, else the respond block's parent."""
    for anc in form.iterancestors():
        if anc.get("id") == "comments":
            return anc
        if anc.tag == "body":
            break
    respond = _respond_of(form)
    return respond.getparent() if respond.getparent() is not None else respond


def _div_comments(divs, doc) -> list[Comment]:
    """The div-style threads among ``divs`` (in document order), from their top comments."""
    comments: list[Comment] = []
    for div in divs:
        if _is_div_comment(div) and not _is_div_comment(div.getparent()):
            _walk((div,), None, doc, comments)
    return comments


def extract_comments(doc, lists=None) -> list[Comment]:
    if lists is None:
        lists = _forms_and_lists(doc)[1]
    comments: list[Comment] = []
    seen_lists: list = []
    for lst in lists:
        # a comment list nested in another one's replies is walked from the outer one
        if any(any(a is s for s in seen_lists) for a in lst.iterancestors()):
            continue
        seen_lists.append(lst)
        _walk(lst, None, doc, comments)
    return comments or _drupal_comments(doc)


def _drupal_comments(doc) -> list[Comment]:
    """Drupal's comments: ``article.comment#comment-N`` in document order (depth first),
    a reply inside the ``div.indented`` that follows the comment it answers."""
    comments = []
    for el in doc.listed("article"):
        comment_id = _drupal_comment_id(el)
        if comment_id is None or "comment" not in _tokens(el):
            continue
        parent_id = None
        holder = el.getparent()
        if holder is not None and "indented" in _tokens(holder):
            answered = holder.getprevious()
            while answered is not None and answered.tag != "article":
                answered = answered.getprevious()
            parent_id = _drupal_comment_id(answered) if answered is not None else None
        # The exact time is a Unix timestamp (Olivero: on a span; Classy, Bartik: on a mark);
        # the visible "14. Oktober 2025 um 14:30" has no zone.
        stamp = next((s.get("data-comment-timestamp") for s in el.iter("span", "mark")
                      if s.get("data-comment-timestamp")), None)
        comment = _read_comment(el, parent_id, doc, from_unix(stamp))
        comment.id = comment_id
        comments.append(comment)
    return comments


def _drupal_comment_id(article) -> Optional[str]:
    """"comment-N": the article's own id (Olivero), else the ``<a id="comment-N">`` anchor
    Drupal core prints just before each comment (Classy, Bartik and their subthemes)."""
    own = article.get("id") or ""
    if own.startswith("comment-"):
        return own
    anchor = article.getprevious()
    if anchor is not None and anchor.tag == "a" and (anchor.get("id") or "").startswith("comment-"):
        return anchor.get("id")
    return None


def _comment_classed(doc) -> list:
    """The page's p and div whose class mentions "comment": where a "closed" marker
    or a div-style comment can be. A walk in Python is about twice as fast as
    libxml2's contains() on each p and div."""
    return [el for el in doc.root.iter("p", "div") if "comment" in (el.get("class") or "")]


def comments_closed(doc, classed=None) -> bool:
    """True when the page says its comments are closed; ``classed``: the page's
    :func:`_comment_classed` if listed already."""
    text = text_content(doc.root)
    if any(phrase in text for phrase in _CLOSED_PHRASES):
        return True
    for el in _comment_classed(doc) if classed is None else classed:
        if not _CLOSED_CLASSES.isdisjoint(el.get("class").split()):
            return True
    return False


def fill(doc, record) -> None:
    forms, lists = _forms_and_lists(doc)
    form = next((f for f in forms if _is_comment_form(f)), None)
    record.comment_form = extract_form(doc, form) if form is not None else None
    record.comments = extract_comments(doc, lists)
    classed = None
    if not record.comments:
        # A div-style thread sits beside the form; without a form, it is among the
        # comment-classed blocks, which are listed for a "closed" marker anyway
        # (unless a "closed" phrase comes first).
        if form is not None:
            divs = _thread_scope(form).iter("div")
        else:
            divs = classed = _comment_classed(doc)
        record.comments = _div_comments(divs, doc)
    if record.comment_form is not None:
        record.comments_open = True
    elif comments_closed(doc, classed):
        record.comments_open = False
    else:
        record.comments_open = None
