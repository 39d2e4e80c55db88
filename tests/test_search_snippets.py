"""A version holding a word tens of thousands of times must not make a search for it take minutes:
FTS5's snippet() takes time that grows with the square of the hits in one version."""
import time

from archive import ArchiveStore
from archive.readonly import reading_archive
from archive.search import search_articles
from scraper.record import ArticleRecord


def _store(path, url, title, body):
    with ArchiveStore(path) as store:
        store.store(ArticleRecord(url=url, title=title, body_text=body, intro=[body], is_article=True),
                    raw_html=b"<html></html>", fetched_at="2025-09-09T10:00:00Z")


def test_a_version_full_of_one_word_is_searched_in_a_moment(tmp_path):
    path = tmp_path / "archive.db"
    # 20,000 hits: snippet() alone took 11 s on SQLite 3.40 for this version.
    _store(path, "https://news.example.com/flood/", "A flooded page",
           "An ordinary opening sentence about the budget. " + "word " * 20000)
    _store(path, "https://news.example.com/normal/", "A normal story",
           "The council met on Monday. The word on the street is that the budget passes. " * 3)
    with reading_archive(path) as db:
        started = time.monotonic()
        hits = search_articles(db, "word", limit=20)
        took = time.monotonic() - started
    assert took < 2, took
    snippets = {hit["url"]: hit["snippet"] for hit in hits}
    assert snippets["https://news.example.com/flood/"].startswith("An ordinary opening sentence about the budget. [word] [word]")
    assert snippets["https://news.example.com/flood/"].endswith("[word]…")
    # a normal article's snippet is still FTS5's
    assert "[word]" in snippets["https://news.example.com/normal/"]
