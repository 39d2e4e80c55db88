"""The content hash: every archive's versions are told apart by it, so its bytes never change."""
from __future__ import annotations

import hashlib
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from scraper.extract import parse_article
from scraper.record import HASHED_FIELDS, ArticleRecord, Comment, Section, _plain, compute_content_hash
from tests.conftest import PAGES


def hash_as_archived(record: ArticleRecord) -> str:
    """The definition every existing archive's content_hash was computed with."""
    content = {name: _plain(getattr(record, name)) for name in HASHED_FIELDS}
    blob = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(blob.encode("utf-8")).hexdigest()


def test_every_fixture_hashes_as_archives_were_hashed():
    pages = sorted(PAGES.glob("*.html"))
    assert len(pages) > 20
    for path in pages:
        record = parse_article(path.read_bytes(), url="https://news.example/a/")
        assert record.content_hash == hash_as_archived(record), path.name


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
    assert compute_content_hash(record) == hash_as_archived(record)
