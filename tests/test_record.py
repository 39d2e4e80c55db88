"""The content hash: every archive's versions are told apart by it, so its bytes never change
for a record the hash's later rules (fetch-relative dates, term order, captions) leave alone."""
from __future__ import annotations

import hashlib
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from scraper.extract import parse_article
from scraper.record import (HASHED_FIELDS, ArticleRecord, Comment, Image, Section, _plain,
                            compute_content_hash, fetch_relative)
from tests.conftest import PAGES


def hash_as_archived(record: ArticleRecord, *, rules: bool = False) -> str:
    """The definition every existing archive's content_hash was computed with; with ``rules``,
    as the rules added since change it (see scraper.record.HASHED_FIELDS)."""
    content = {name: _plain(getattr(record, name)) for name in HASHED_FIELDS}
    for comment in content["comments"]:
        raw = comment.pop("published_at_raw")  # a field added later, outside the hash
        if rules and fetch_relative(raw):
            comment["published_at"] = None
    if rules:
        if fetch_relative(record.published_at_raw):
            content["published_at"] = None
        content["tags"], content["categories"] = sorted(record.tags), sorted(record.categories)
        if any(image.caption for image in record.images):
            content["image_captions"] = [image.caption for image in record.images if image.caption]
    blob = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _rules_apply(record: ArticleRecord) -> bool:
    return (record.tags != sorted(record.tags) or record.categories != sorted(record.categories)
            or any(image.caption for image in record.images) or fetch_relative(record.published_at_raw)
            or any(fetch_relative(c.published_at_raw) for c in record.comments))


def test_every_fixture_hashes_as_archives_were_hashed():
    pages = sorted(PAGES.glob("*.html"))
    assert len(pages) > 20
    untouched = 0
    for path in pages:
        record = parse_article(path.read_bytes(), url="https://news.example/a/")
        assert record.content_hash == hash_as_archived(record, rules=True), path.name
        if not _rules_apply(record):
            untouched += 1
            assert record.content_hash == hash_as_archived(record), path.name
    assert untouched >= 10


def _relative_article(**fields) -> ArticleRecord:
    return ArticleRecord(title="Storm closes port", intro=["The port closed."], **fields)


def test_a_date_given_only_relative_to_the_fetch_is_not_content():
    """'2 weeks ago' read on two nights gives two dates a day apart; the page did not change."""
    night1 = _relative_article(published_at="2025-09-02T00:00:00Z", published_at_raw="2 weeks ago")
    night2 = _relative_article(published_at="2025-09-03T00:00:00Z", published_at_raw="2 weeks ago")
    assert compute_content_hash(night1) == compute_content_hash(night2)
    # a stated date is content, whatever words surround it
    stated1 = _relative_article(published_at="2025-09-02T00:00:00Z", published_at_raw="Sept. 2, 2025 (3 days ago)")
    stated2 = _relative_article(published_at="2025-09-03T00:00:00Z", published_at_raw="Sept. 3, 2025 (3 days ago)")
    assert compute_content_hash(stated1) != compute_content_hash(stated2)
    assert fetch_relative("yesterday at 10:32") and fetch_relative("il y a 3 jours")
    assert not fetch_relative("2025-09-02T10:00:00+02:00") and not fetch_relative(None)


def test_a_comment_dated_only_relative_to_the_fetch_is_hashed_without_its_date():
    def page(date: str, raw: str, text: str = "Agreed.") -> ArticleRecord:
        return _relative_article(comments=[Comment(author="Ann", published_at=date, text=text,
                                                   published_at_raw=raw)])
    assert compute_content_hash(page("2025-09-02T00:00:00Z", "2 weeks ago")) == \
        compute_content_hash(page("2025-09-03T00:00:00Z", "2 weeks ago"))
    assert compute_content_hash(page("2025-09-02T00:00:00Z", "2 weeks ago")) != \
        compute_content_hash(page("2025-09-02T00:00:00Z", "2 weeks ago", text="Agreed!"))
    assert compute_content_hash(page("2025-09-02T10:00:00Z", "September 2, 2025 at 10:00 am")) != \
        compute_content_hash(page("2025-09-02T11:00:00Z", "September 2, 2025 at 11:00 am"))


def test_term_order_is_not_content_and_a_caption_is():
    assert compute_content_hash(_relative_article(tags=["port", "storm"], categories=["News", "Local"])) == \
        compute_content_hash(_relative_article(tags=["storm", "port"], categories=["Local", "News"]))
    before = _relative_article(images=[Image(url="https://x.test/a.jpg?v=1", caption="The mayor at the port.")])
    moved = _relative_article(images=[Image(url="https://cdn.x.test/a.jpg?v=2", caption="The mayor at the port.")])
    fixed = _relative_article(images=[Image(url="https://x.test/a.jpg?v=1",
                                            caption="Councillor Ben Jones, not the mayor as first captioned.")])
    assert compute_content_hash(before) == compute_content_hash(moved)  # URLs are fetch-dependent
    assert compute_content_hash(before) != compute_content_hash(fixed)
    assert compute_content_hash(_relative_article(images=[Image(url="https://x.test/a.jpg")])) == \
        compute_content_hash(_relative_article())  # no caption: the hash as archives had it


# Every character a page's text can hold (no lone surrogates: the parser never yields them).
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=300, deadline=None)
@given(title=st.one_of(st.none(), TEXT), authors=st.lists(TEXT, max_size=3),
       paragraphs=st.lists(TEXT, max_size=4), level=st.integers(1, 6),
       comment=TEXT, parent=st.one_of(st.none(), st.integers(0, 10**6)))
def test_any_text_hashes_as_archives_were_hashed(title, authors, paragraphs, level, comment, parent):
    record = ArticleRecord(
        title=title, authors=authors, intro=paragraphs, tags=authors[::-1],
        sections=[Section(heading=comment, level=level, paragraphs=paragraphs)],
        comments=[Comment(author=title, published_at=None, text=comment, parent=parent)])
    assert compute_content_hash(record) == hash_as_archived(record, rules=True)
    if not _rules_apply(record):
        assert compute_content_hash(record) == hash_as_archived(record)
