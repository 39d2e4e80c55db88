"""Bounding a record: no field of one page may grow without limit (see ``LIMITS``).

Applied once, after extraction and before the content hash, so every layer
downstream (archive, exports, Datasette) can rely on the bounds.
"""
from __future__ import annotations

from collections import Counter
from typing import Optional

from ..record import LIMITS, ArticleRecord


def _text(value: Optional[str], limit: int, name: str, problems: list[str]) -> Optional[str]:
    if value is not None and len(value) > limit:
        problems.append(f"truncated: {name} ({len(value)} characters, kept {limit})")
        return value[:limit]
    return value


def _items(values: list, limit: int, name: str, problems: list[str]) -> list:
    if len(values) > limit:
        problems.append(f"truncated: {name} ({len(values)}, kept {limit})")
        return values[:limit]
    return values


def _body_pieces(intro: list[str], sections: list[list[str]], takeaways: list[str]) -> list[str]:
    """What body_text is made of: the intro, the sections' paragraphs and the takeaways."""
    return [*intro, *(p for paragraphs in sections for p in paragraphs), *takeaways]


def _body_as_kept(body_text: str, before: Counter, kept: Counter, limit: int) -> str:
    """``body_text`` with the cuts made to its pieces (``before`` them, ``kept`` after): a piece
    dropped is dropped from it, one cut is cut in it, in its place. Otherwise search would find
    words that ``show`` and the exports never print (a page of "word word ..." paragraphs kept
    600,000 characters of them). A block that is no piece (none on the pages measured) stays."""
    blocks = []
    for block in body_text.split("\n\n"):
        if before[block] > 0:
            before[block] -= 1
            block = block[:limit]
            if kept[block] <= 0:
                continue
            kept[block] -= 1
        blocks.append(block)
    return "\n\n".join(blocks)


def bound_record(record: ArticleRecord) -> ArticleRecord:
    """Cut oversized fields in place; returns the record."""
    problems: list[str] = []
    record.title = _text(record.title, LIMITS["title"], "title", problems)
    record.subtitle = _text(record.subtitle, LIMITS["subtitle"], "subtitle", problems)
    for name in ("url", "canonical_url"):
        value = getattr(record, name)
        if value is not None and len(value) > LIMITS["url"]:
            problems.append(f"dropped: {name} longer than {LIMITS['url']} characters")
            setattr(record, name, None)
    record.published_at_raw = _text(record.published_at_raw, LIMITS["date_text"], "published date text", problems)
    record.modified_at_raw = _text(record.modified_at_raw, LIMITS["date_text"], "modified date text", problems)
    record.authors = [a[:LIMITS["name"]] for a in _items(record.authors, LIMITS["authors"], "authors", problems)]
    record.tags = [t[:LIMITS["name"]] for t in _items(record.tags, LIMITS["terms"], "tags", problems)]
    record.categories = [c[:LIMITS["name"]]
                         for c in _items(record.categories, LIMITS["terms"], "categories", problems)]

    paragraph = LIMITS["paragraph"]
    body_problems = len(problems)
    # The lists as they are before the cuts (which make new ones): read again only after a cut.
    uncut = (record.intro, [section.paragraphs for section in record.sections], record.takeaways)
    budget = [LIMITS["paragraphs"]]  # paragraphs across intro and all sections

    def paragraphs(values: list[str], name: str) -> list[str]:
        kept = values[:max(budget[0], 0)]
        if len(kept) < len(values):
            problems.append(f"truncated: {name} paragraphs (limit {LIMITS['paragraphs']} in all)")
        budget[0] -= len(kept)
        if kept and max(map(len, kept)) > paragraph:
            problems.append(f"truncated: {name} paragraph longer than {paragraph} characters")
            return [p[:paragraph] for p in kept]
        return kept

    record.intro = paragraphs(record.intro, "intro")
    record.sections = _items(record.sections, LIMITS["sections"], "sections", problems)
    for section in record.sections:
        section.heading = _text(section.heading, LIMITS["title"], "section heading", problems)
        section.paragraphs = paragraphs(section.paragraphs, "section")
    record.takeaways = _items(record.takeaways, LIMITS["takeaways"], "takeaways", problems)
    if any(len(t) > paragraph for t in record.takeaways):
        problems.append(f"truncated: takeaway longer than {paragraph} characters")
        record.takeaways = [t[:paragraph] for t in record.takeaways]
    if len(problems) > body_problems:
        now = (record.intro, [section.paragraphs for section in record.sections], record.takeaways)
        record.body_text = _body_as_kept(record.body_text, Counter(_body_pieces(*uncut)),
                                         Counter(_body_pieces(*now)), paragraph)
    record.comments = _items(record.comments, LIMITS["comments"], "comments", problems)
    for comment in record.comments:
        comment.text = _text(comment.text, LIMITS["comment_text"], "comment text", problems) or ""
        comment.author = _text(comment.author, LIMITS["name"], "comment author", problems)
        comment.published_at_raw = _text(comment.published_at_raw, LIMITS["date_text"], "comment date text",
                                         problems)
    record.images = _items(record.images, LIMITS["images"], "images", problems)
    record.images = [i for i in record.images if len(i.url) <= LIMITS["url"]]
    record.share_links = _items(record.share_links, LIMITS["share_links"], "share links", problems)
    if record.comment_form is not None:
        record.comment_form.fields = _items(record.comment_form.fields, LIMITS["form_fields"],
                                            "comment form fields", problems)
    record.body_text = _text(record.body_text, LIMITS["body_text"], "body text", problems) or ""
    if problems:
        # one line per kind of cut is enough for an auditor
        record.problems.extend(dict.fromkeys(problems))
        record.word_count = len(record.body_text.split())
    return record
