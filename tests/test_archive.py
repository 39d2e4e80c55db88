"""The SQLite archive: storing, versioning, reading back, searching, and refusing bad files."""
from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

import archive.writer
from archive import SCHEMA_VERSION, ArchiveError, ArchiveStore, StoreResult
from archive.reading import find_article_id
from scraper.record import (ArticleRecord, Comment, CommentForm, FormField, Image, Section,
                            ShareLink, compute_content_hash)

URL = "https://news.example.com/2025/09/09/rutte-nato/"
FETCHED_1 = "2025-09-09T12:00:00Z"
FETCHED_2 = "2025-09-10T12:00:00Z"
FETCHED_3 = "2025-09-11T12:00:00Z"

TABLES = ["articles", "versions", "sections", "takeaways", "comment_forms",
          "comment_form_fields", "comments", "authors", "version_authors", "terms",
          "version_terms", "raw_pages", "crawls", "crawl_failures"]


def make_record(url: str = URL, *, title: str = "Rutte and Prime Minister Discuss NATO",
                extra_paragraph: str | None = None) -> ArticleRecord:
    paragraphs = ["Allies met at Downing Street on Tuesday.",
                  "The summit weighed the Doha situation carefully."]
    if extra_paragraph:
        paragraphs.append(extra_paragraph)
    sections = [
        Section("Assessing the Doha Situation", 2, paragraphs),
        Section("Emerging Threats", 3, ["Cyber attacks rose sharply.", "Drones too."]),
    ]
    body = "\n\n".join(["Leaders gathered in London."] + [p for s in sections for p in s.paragraphs])
    return ArticleRecord(
        url=url + "?utm_source=feed",
        canonical_url=url,
        site="news.example.com",
        site_name="Example News",
        language="en",
        is_article=True,
        title=title,
        subtitle="Key Alliances Take Center Stage",
        authors=["S Haynes", "J Doe"],
        published_at="2025-09-09T10:30:00Z",
        published_at_raw="September 9, 2025",
        modified_at=None,
        modified_at_raw="2 days ago",
        reading_time_minutes=8,
        word_count=len(body.split()),
        intro=["Leaders gathered in London."],
        sections=sections,
        takeaways_heading="Key Takeaways from the Summit",
        takeaways=["Unity matters", "Spending rises", "Threats evolve"],
        comment_form=CommentForm(
            heading="Leave a Reply",
            action="https://news.example.com/wp-comments-post.php",
            method="post",
            notes="Your email address will not be published. Required fields are marked *",
            required_marker="*",
            fields=[FormField("comment", "textarea", "Comment", True),
                    FormField("author", "text", "Name", True),
                    FormField("email", "email", "Email", True),
                    FormField("url", "url", "Website", False)],
        ),
        comments_open=True,
        comments=[Comment("Ann", "2025-09-09T11:00:00Z", "Great piece.", id="comment-1"),
                  Comment("Bob", None, "Agreed with Ann.", id="comment-2", parent="comment-1")],
        tags=["NATO", "Security", "NATO"],
        categories=["World"],
        images=[Image("https://news.example.com/img/summit.jpg", "The summit", "Leaders meet")],
        share_links=[ShareLink("x", "https://x.com/share?u=1")],
        body_text=body,
        extraction="dom",
        problems=["no modified date"],
    )


def raw_page(record: ArticleRecord, padding: int = 2000) -> bytes:
    return (f"<html><head><title>{record.title}</title></head><body>"
            f"<p>{record.body_text}</p>{'<!-- ad -->' * padding}</body></html>").encode()


def row_counts(store: ArchiveStore) -> dict[str, int]:
    counts = {name: store.db.table(name).count for name in TABLES}
    counts["versions_fts"] = store.db.execute("SELECT count(*) FROM versions_fts").fetchone()[0]
    return counts


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "archive.db"


@pytest.fixture
def store(db_path: Path):
    with ArchiveStore(db_path) as opened:
        yield opened


# Storing -----------------------------------------------------------------------------------

def test_new_article_populates_every_table(store: ArchiveStore):
    record = make_record()
    crawl_id = store.begin_crawl("news", "https://news.example.com/", {"max_pages": 5})
    result = store.store(record, raw_html=raw_page(record), fetched_at=FETCHED_1, crawl_id=crawl_id,
                         content_type="text/html; charset=utf-8", etag='"abc"',
                         last_modified="Tue, 09 Sep 2025 10:00:00 GMT")

    assert result == StoreResult("new", 1, 1, 1, URL)
    db = store.db
    article = db.table("articles").get(1)
    assert article == {
        "id": 1, "url": URL, "site": "news.example.com", "first_seen_at": FETCHED_1,
        "last_seen_at": FETCHED_1, "current_version_id": 1, "version_count": 1,
        "etag": '"abc"', "last_modified": "Tue, 09 Sep 2025 10:00:00 GMT", "last_crawl_id": crawl_id,
        "gone_at": None, "gone_status": None, "post_id": None, "paywalled_at": None,
    }
    version = db.table("versions").get(1)
    assert version["article_id"] == 1 and version["version_no"] == 1
    assert version["crawl_id"] == crawl_id and version["fetched_at"] == FETCHED_1
    assert version["http_status"] == 200
    assert version["content_hash"] == compute_content_hash(record)
    assert version["url"] == URL + "?utm_source=feed" and version["canonical_url"] == URL
    assert version["title"] == record.title and version["subtitle"] == record.subtitle
    assert version["published_at"] == "2025-09-09T10:30:00Z"
    assert version["published_at_raw"] == "September 9, 2025"
    assert version["modified_at"] is None and version["modified_at_raw"] == "2 days ago"
    assert version["reading_time_minutes"] == 8 and version["word_count"] == record.word_count
    assert json.loads(version["intro"]) == ["Leaders gathered in London."]
    assert version["takeaways_heading"] == "Key Takeaways from the Summit"
    assert version["comments_open"] == 1 and version["is_article"] == 1
    assert version["body_text"] == record.body_text
    assert json.loads(version["images"]) == [
        {"url": "https://news.example.com/img/summit.jpg", "alt": "The summit", "caption": "Leaders meet"}]
    assert json.loads(version["share_links"]) == [{"network": "x", "url": "https://x.com/share?u=1"}]
    assert json.loads(version["problems"]) == ["no modified date"]
    assert version["extraction"] == "dom"
    assert json.loads(version["record_json"])["sections"][1]["heading"] == "Emerging Threats"

    sections = list(db.query("SELECT * FROM sections ORDER BY position"))
    assert [(s["position"], s["heading"], s["level"]) for s in sections] == [
        (0, "Assessing the Doha Situation", 2), (1, "Emerging Threats", 3)]
    assert json.loads(sections[1]["paragraphs"]) == ["Cyber attacks rose sharply.", "Drones too."]
    assert sections[1]["text"] == "Cyber attacks rose sharply.\n\nDrones too."

    assert [r["text"] for r in db.query("SELECT text FROM takeaways ORDER BY position")] == [
        "Unity matters", "Spending rises", "Threats evolve"]
    assert db.table("comment_forms").get(1) == {
        "version_id": 1, "heading": "Leave a Reply",
        "action": "https://news.example.com/wp-comments-post.php", "method": "post",
        "notes": "Your email address will not be published. Required fields are marked *",
        "required_marker": "*"}
    assert [(f["name"], f["type"], f["label"], f["required"]) for f in db.query(
        "SELECT * FROM comment_form_fields ORDER BY position")] == [
        ("comment", "textarea", "Comment", 1), ("author", "text", "Name", 1),
        ("email", "email", "Email", 1), ("url", "url", "Website", 0)]
    assert [(c["position"], c["comment_id"], c["parent_id"], c["author"], c["published_at"], c["text"])
            for c in db.query("SELECT * FROM comments ORDER BY position")] == [
        (0, "comment-1", None, "Ann", "2025-09-09T11:00:00Z", "Great piece."),
        (1, "comment-2", "comment-1", "Bob", None, "Agreed with Ann.")]
    assert [r["name"] for r in db.query(
        "SELECT authors.name FROM version_authors JOIN authors ON authors.id = author_id "
        "WHERE version_id = 1 ORDER BY position")] == ["S Haynes", "J Doe"]
    # The repeated "NATO" tag is linked once.
    assert [(r["kind"], r["name"], r["position"]) for r in db.query(
        "SELECT kind, name, position FROM version_terms JOIN terms ON terms.id = term_id "
        "ORDER BY kind, position")] == [
        ("category", "World", 0), ("tag", "NATO", 0), ("tag", "Security", 1)]

    page = db.table("raw_pages").get(1)
    assert page["encoding"] == "gzip" and page["content_type"] == "text/html; charset=utf-8"
    assert page["size"] == len(raw_page(record))
    assert page["content"][:2] == b"\x1f\x8b" and len(page["content"]) < page["size"]
    assert gzip.decompress(page["content"]) == raw_page(record)

    assert row_counts(store) == {
        "articles": 1, "versions": 1, "sections": 2, "takeaways": 3, "comment_forms": 1,
        "comment_form_fields": 4, "comments": 2, "authors": 2, "version_authors": 2, "terms": 3,
        "version_terms": 3, "raw_pages": 1, "crawls": 1, "crawl_failures": 0, "versions_fts": 1}


def test_get_article_rebuilds_the_record_exactly(store: ArchiveStore):
    record = make_record()
    store.store(record, raw_html=raw_page(record), fetched_at=FETCHED_1)
    expected = dataclasses.replace(record, content_hash=compute_content_hash(record))
    assert store.get_article(URL) == expected
    assert store.get_article(1) == expected
    assert store.get_article("1") == expected
    # Found by the URL it was fetched at, too.
    assert store.get_article(URL + "?utm_source=feed") == expected
    # The caller's record was not modified.
    assert record.content_hash is None


def test_same_content_again_is_unchanged_and_adds_no_rows(store: ArchiveStore):
    record = make_record()
    crawl_1 = store.begin_crawl("news", None, {})
    store.store(record, raw_html=raw_page(record), fetched_at=FETCHED_1, crawl_id=crawl_1, etag='"v1"')
    before = row_counts(store)
    crawl_2 = store.begin_crawl("news", None, {})
    before["crawls"] = 2

    # Different raw bytes (ads, nonces) and a fresh record object: same content hash.
    again = make_record()
    result = store.store(again, raw_html=raw_page(again, padding=7), fetched_at=FETCHED_2,
                         crawl_id=crawl_2, etag='"v2"', last_modified="Wed, 10 Sep 2025 00:00:00 GMT")

    assert result == StoreResult("unchanged", 1, 1, 1, URL)
    assert row_counts(store) == before
    article = store.db.table("articles").get(1)
    assert (article["first_seen_at"], article["last_seen_at"]) == (FETCHED_1, FETCHED_2)
    assert article["last_crawl_id"] == crawl_2
    assert article["etag"] == '"v2"' and article["last_modified"] == "Wed, 10 Sep 2025 00:00:00 GMT"
    assert article["version_count"] == 1
    assert store.raw_html(URL) == raw_page(record)


def test_changed_content_becomes_version_two_and_keeps_version_one_whole(store: ArchiveStore):
    first = make_record()
    store.store(first, raw_html=raw_page(first), fetched_at=FETCHED_1)
    second = make_record(title="Rutte and Starmer Discuss NATO",
                         extra_paragraph="Update: a joint statement followed.")

    result = store.store(second, raw_html=raw_page(second), fetched_at=FETCHED_2)

    assert result == StoreResult("changed", 1, 2, 2, URL)
    article = store.db.table("articles").get(1)
    assert article["current_version_id"] == 2 and article["version_count"] == 2
    assert store.get_article(URL).title == "Rutte and Starmer Discuss NATO"
    assert store.get_article(URL) == dataclasses.replace(second, content_hash=compute_content_hash(second))
    assert store.get_article(URL, version=1) == dataclasses.replace(
        first, content_hash=compute_content_hash(first))
    assert store.raw_html(URL, version=1) == raw_page(first)
    assert store.raw_html(URL) == raw_page(second)
    assert store.versions(URL) == [
        {"version_no": 1, "fetched_at": FETCHED_1, "content_hash": compute_content_hash(first),
         "title": "Rutte and Prime Minister Discuss NATO", "crawl_id": None, "http_status": 200},
        {"version_no": 2, "fetched_at": FETCHED_2, "content_hash": compute_content_hash(second),
         "title": "Rutte and Starmer Discuss NATO", "crawl_id": None, "http_status": 200},
    ]
    # Version 1's child rows are all still there, beside version 2's.
    assert store.db.execute("SELECT count(*) FROM sections WHERE version_id = 1").fetchone()[0] == 2
    assert store.db.execute(
        "SELECT paragraphs FROM sections WHERE version_id = 2 AND position = 0").fetchone()[0] == json.dumps(
        second.sections[0].paragraphs)
    assert store.counts() == {"articles": 1, "versions": 2, "crawls": 0, "failures": 0}
    # Back to the first content: that is a change too, and becomes version 3.
    assert store.store(first, raw_html=raw_page(first), fetched_at=FETCHED_3).version_no == 3


def test_canonical_url_on_another_host_does_not_merge_articles(store: ArchiveStore):
    syndicated = dataclasses.replace(make_record(), url="https://mirror.example.org/copy",
                                     canonical_url=URL)
    original = make_record()
    assert store.store(syndicated, raw_html=b"<html>copy</html>", fetched_at=FETCHED_1).url == \
        "https://mirror.example.org/copy"
    assert store.store(original, raw_html=b"<html>orig</html>", fetched_at=FETCHED_1).status == "new"
    relative = dataclasses.replace(make_record(), url=URL + "amp/", canonical_url="/2025/09/09/rutte-nato/")
    assert store.store(relative, raw_html=b"<html>amp</html>", fetched_at=FETCHED_2) == \
        StoreResult("unchanged", 2, 2, 1, URL, copy=True)
    assert [r["url"] for r in store.db.query("SELECT url FROM articles ORDER BY id")] == [
        "https://mirror.example.org/copy", URL]
    # filed under the site it was crawled on (export --site, stats), not its canonical link's
    assert [r["site"] for r in store.db.query("SELECT site FROM articles ORDER BY id")] == [
        "mirror.example.org", "news.example.com"]
    # a canonical link to the home page on an article page (a misconfigured theme gives it to
    # every article) does not make the articles one
    for slug in ("one", "two"):
        homed = dataclasses.replace(make_record(), title=f"Story {slug}", url=f"https://news.example.com/{slug}/",
                                    canonical_url="https://news.example.com/")
        stored = store.store(homed, raw_html=b"<html>h</html>", fetched_at=FETCHED_2)
        assert (stored.status, stored.url) == ("new", f"https://news.example.com/{slug}/")
    # nor does one naming the section the articles sit in (a theme's og:url), while the
    # AMP copy at /post/amp/ still names its post
    for slug in ("story-1", "story-2"):
        sectioned = dataclasses.replace(make_record(), title=f"Story {slug}", canonical_url="https://news.example.com/news/",
                                        url=f"https://news.example.com/news/2025/09/12/{slug}/")
        stored = store.store(sectioned, raw_html=b"<html>s</html>", fetched_at=FETCHED_2)
        assert (stored.status, stored.url) == ("new", f"https://news.example.com/news/2025/09/12/{slug}/")
    # (escapes spelt differently: WordPress writes og:url with lower-case ones)
    section = "https://news.example.com/%d0%b2%d1%8b%d0%b1%d0%be%d1%80%d1%8b/"
    story = "https://news.example.com/%D0%B2%D1%8B%D0%B1%D0%BE%D1%80%D1%8B/2025/story-3/"
    escaped = dataclasses.replace(make_record(), title="Story 3", url=story, canonical_url=section)
    assert store.store(escaped, raw_html=b"<html>e</html>", fetched_at=FETCHED_2).url == story
    amp = dataclasses.replace(make_record(), url=URL + "amp/", canonical_url=URL)
    assert store.store(amp, raw_html=b"<html>amp</html>", fetched_at=FETCHED_2).url == URL
    # a canonical URL urllib refuses (a record from elsewhere than our parser) is ignored
    broken = dataclasses.replace(make_record(), url=URL + "?ref=x", canonical_url="http://[object Object]/")
    assert store.store(broken, raw_html=b"<html>b</html>", fetched_at=FETCHED_2).url == URL + "?ref=x"


NEW_URL = "https://news.example.com/rutte-nato/"
SHORTLINK = "https://news.example.com/?p=123"


def at(url: str, record: ArticleRecord = None, **changes) -> ArticleRecord:
    """``record`` (by default make_record's, with a post ID) fetched at ``url``, its own canonical URL."""
    base = record or dataclasses.replace(make_record(), post_id=SHORTLINK)
    return dataclasses.replace(base, url=url, canonical_url=url, **changes)


def test_a_story_whose_url_changed_is_the_article_archived_under_its_old_url(store: ArchiveStore):
    # A new permalink structure (/2025/09/09/slug/ -> /slug/, the old URL answering 301) or an
    # edited slug made every story a second article: new 30 of 30 the night after, each story
    # twice in search, the old article stale and never marked gone.
    first = store.store(at(URL), raw_html=b"<html>1</html>", fetched_at=FETCHED_1, etag='"old"')
    assert store.db.execute("SELECT post_id FROM articles").fetchone()[0] == "news.example.com/?p=123"
    moved = at(NEW_URL)
    assert store.archived_as(moved) == (NEW_URL, first.article_id)
    assert not store.is_unchanged(moved)
    stored = store.store(moved, raw_html=b"<html>2</html>", fetched_at=FETCHED_2, etag='"new"')
    # one version records the move (the current version is the page at the article's address)
    assert stored == StoreResult("changed", first.article_id, 2, 2, NEW_URL, moved_from=URL)
    assert store.db.execute("SELECT url, version_count, etag FROM articles").fetchall() == [(NEW_URL, 2, '"new"')]
    assert [r[0] for r in store.db.execute("SELECT url FROM versions ORDER BY version_no")] == [URL, NEW_URL]
    # the new URL finds it at once from now on: fetched again, nothing is added
    assert store.is_unchanged(moved)
    again = store.store(moved, raw_html=b"<html>2</html>", fetched_at=FETCHED_3)
    assert (again.status, again.article_id, again.url, again.moved_from) == ("unchanged", first.article_id, NEW_URL, None)
    # both URLs find it; search finds the story once
    assert find_article_id(store.db, URL) == find_article_id(store.db, NEW_URL) == first.article_id
    assert len(store.search("Doha")) == 1
    # a 404 at the old URL says nothing of the article; one at its page marks it gone
    assert store.articles_at(URL) == set() and store.articles_at(NEW_URL) == {first.article_id}
    # a slug edited with the headline: the same story by post ID and publication time
    edited = at("https://news.example.com/rutte-nato-talks/", moved, title="Rutte and Prime Minister: talks")
    stored = store.store(edited, raw_html=b"<html>3</html>", fetched_at=FETCHED_3)
    assert (stored.status, stored.article_id, stored.version_no, stored.moved_from) == (
        "changed", first.article_id, 3, NEW_URL)
    assert store.counts()["articles"] == 1


def test_a_post_id_alone_or_with_another_story_is_no_move(store: ArchiveStore):
    store.store(at(URL), raw_html=b"<html>1</html>", fetched_at=FETCHED_1)
    # the same post ID with another publication time, or with none: another article
    later = at("https://news.example.com/other/", title="Another story", published_at="2025-09-12T08:00:00Z")
    undated = at("https://news.example.com/undated/", title="Undated", published_at=None)
    # the same publication time without a post ID, or with another: another article
    no_id = at("https://news.example.com/no-id/", post_id=None)
    other_id = at("https://news.example.com/other-id/", post_id="https://news.example.com/?p=124")
    # another install on the host (its shortlink names its own home), the same post number
    install_b = at("https://news.example.com/b/rutte-nato/", post_id="https://news.example.com/b/?p=123")
    # another site with the same shortlink path and number
    elsewhere = at("https://other.example.org/rutte-nato/", post_id="https://other.example.org/?p=123")
    for record in (later, undated, no_id, other_id, install_b, elsewhere):
        stored = store.store(record, raw_html=b"<html>x</html>", fetched_at=FETCHED_2)
        assert (stored.status, stored.version_no, stored.moved_from) == ("new", 1, None), record.url
    assert store.db.execute("SELECT url FROM articles WHERE id = 1").fetchone()[0] == URL


def test_a_post_id_matches_over_either_scheme_and_www(store: ArchiveStore):
    store.store(at(URL), raw_html=b"<html>1</html>", fetched_at=FETCHED_1)
    moved = at("https://www.news.example.com/rutte-nato/", post_id="http://www.news.example.com/?p=123")
    stored = store.store(moved, raw_html=b"<html>2</html>", fetched_at=FETCHED_2)
    assert (stored.status, stored.article_id, stored.moved_from) == ("changed", 1, URL)


def test_a_post_at_two_urls_does_not_move_back_and_forth(store: ArchiveStore):
    # /?p=123 and /rutte-nato/ both answer with the post and neither names a canonical URL:
    # two articles, as before post IDs, each found at once on every crawl.
    plain = dataclasses.replace(make_record(), post_id=SHORTLINK, url=URL, canonical_url=None)
    other = dataclasses.replace(plain, url=SHORTLINK)
    for fetched_at in (FETCHED_1, FETCHED_2, FETCHED_3):
        for record in (plain, other):
            stored = store.store(record, raw_html=b"<html>1</html>", fetched_at=fetched_at)
            assert (stored.url, stored.moved_from) == (record.url, None)
    assert store.db.execute("SELECT url, version_count FROM articles").fetchall() == [(URL, 1), (SHORTLINK, 1)]


def test_two_pages_of_one_post_are_two_articles(store: ArchiveStore):
    # Each names itself canonical: a post's later page (/post/2/, with the post's ID and
    # publication time) found in a later crawl than the post, and a page at another URL in
    # the crawl that already found the post at its own (the post is at both).
    store.store(at(URL), raw_html=b"<html>1</html>", fetched_at=FETCHED_1, crawl_id=store.begin_crawl("news"))
    crawl = store.begin_crawl("news")
    second = at(URL + "2/", title="Rutte and Prime Minister Discuss NATO (page 2)")
    stored = store.store(second, raw_html=b"<html>2</html>", fetched_at=FETCHED_2, crawl_id=crawl)
    assert (stored.status, stored.moved_from) == ("new", None)
    assert store.store(at(URL), raw_html=b"<html>1</html>", fetched_at=FETCHED_2, crawl_id=crawl).status == "unchanged"
    stored = store.store(at(NEW_URL), raw_html=b"<html>3</html>", fetched_at=FETCHED_2, crawl_id=crawl)
    assert (stored.status, stored.moved_from) == ("new", None)
    # and with several articles to choose from, none is taken
    stored = store.store(at("https://news.example.com/rutte-nato-talks/"), raw_html=b"<html>4</html>",
                         fetched_at=FETCHED_3, crawl_id=store.begin_crawl("news"))
    assert (stored.status, stored.moved_from) == ("new", None)
    assert store.db.execute("SELECT url FROM articles ORDER BY id").fetchall() == [
        (URL,), (URL + "2/",), (NEW_URL,), ("https://news.example.com/rutte-nato-talks/",)]


def test_an_old_capture_at_the_new_url_moves_nothing(store: ArchiveStore):
    store.store(at(URL), raw_html=b"<html>1</html>", fetched_at=FETCHED_2)
    older = at(NEW_URL, dataclasses.replace(make_record(extra_paragraph="An earlier draft."), post_id=SHORTLINK))
    stored = store.store(older, raw_html=b"<html>0</html>", fetched_at=FETCHED_1)
    assert (stored.status, stored.url, stored.moved_from) == ("new", NEW_URL, None)  # as before post IDs
    assert store.db.execute("SELECT url FROM articles ORDER BY id").fetchall() == [(URL,), (NEW_URL,)]


def test_a_site_moving_to_https_or_changing_its_canonical_links_keeps_one_article(store: ArchiveStore):
    # Each of these started a second article, a duplicate whose versions the first never got.
    http_url = URL.replace("https://", "http://")
    first = dataclasses.replace(make_record(), url=http_url, canonical_url=http_url)
    assert store.store(first, raw_html=b"<html>1</html>", fetched_at=FETCHED_1).status == "new"
    # the same page, fetched as before, now with an https canonical link
    moved_canonical = dataclasses.replace(first, canonical_url=URL)
    assert store.is_unchanged(moved_canonical)  # the crawl's pre-check (skips the gzip) agrees
    assert store.store(moved_canonical, raw_html=b"<html>2</html>", fetched_at=FETCHED_2) == \
        StoreResult("unchanged", 1, 1, 1, http_url)
    # the whole site on https, and the article edited
    edited = dataclasses.replace(make_record(), url=URL, canonical_url=URL, intro=["A correction."])
    stored = store.store(edited, raw_html=b"<html>3</html>", fetched_at=FETCHED_3)
    assert (stored.status, stored.article_id, stored.version_no, stored.url) == ("changed", 1, 2, http_url)
    # a canonical link the page did not have before, naming another URL on the site
    plain = dataclasses.replace(make_record(), title="Another story", url="https://news.example.com/?p=7",
                                canonical_url=None)
    assert store.store(plain, raw_html=b"<html>4</html>", fetched_at=FETCHED_1).status == "new"
    pretty = dataclasses.replace(plain, canonical_url="https://news.example.com/2025/another-story/")
    assert store.store(pretty, raw_html=b"<html>5</html>", fetched_at=FETCHED_2).status == "unchanged"
    assert [r["url"] for r in store.db.query("SELECT url FROM articles ORDER BY id")] == [
        http_url, "https://news.example.com/?p=7"]
    # the site then adding www. to every URL (its canonical links too)
    www = dataclasses.replace(edited, url=URL.replace("://", "://www."), canonical_url=URL.replace("://", "://www."),
                              intro=["A second correction."])
    stored = store.store(www, raw_html=b"<html>6</html>", fetched_at=FETCHED_3)
    assert (stored.status, stored.article_id, stored.url) == ("changed", 1, http_url)


def test_copies_at_other_addresses_start_an_article_but_never_version_it(store: ArchiveStore):
    # Print, AMP, later pages and a translation, each with a canonical link to the story,
    # became versions of it: every crawl added some, and the current version was whichever
    # copy came last (sometimes the French one).
    original = dataclasses.replace(make_record(), url=URL)
    printed = dataclasses.replace(original, url=URL.replace(".com/", ".com/print/"), intro=["Print copy."])
    first = store.store(printed, raw_html=b"<html>print</html>", fetched_at=FETCHED_1, etag='"print"',
                        last_modified="Thu, 11 Sep 2025 12:00:00 GMT")
    assert (first.status, first.url, first.copy) == ("new", URL, False)  # nothing better yet
    # the copy's validators are not the article page's: sent for it, they could get a wrong 304
    assert store.db.execute("SELECT etag, last_modified FROM articles").fetchone() == (None, None)
    own = store.store(original, raw_html=b"<html>orig</html>", fetched_at=FETCHED_2, etag='"orig"')
    assert (own.status, own.version_no) == ("changed", 2)
    before = row_counts(store)
    copies = [
        printed,
        dataclasses.replace(original, url=URL.replace(".com/", ".com/amp/"), comments=[]),
        dataclasses.replace(original, url=URL + "print/", comments=[]),
    ]
    for copy in copies:
        copy = dataclasses.replace(copy, content_hash=compute_content_hash(copy))
        assert store.is_unchanged(copy), copy.url  # the crawl's pre-check skips the gzip
        result = store.store(copy, raw_html=b"<html>copy</html>", fetched_at=FETCHED_3, etag='"copy"')
        assert result == StoreResult("unchanged", 1, own.version_id, 2, URL, copy=True), copy.url
    assert row_counts(store) == before
    article = store.db.execute("SELECT etag, last_seen_at, version_count FROM articles").fetchone()
    assert article == ('"orig"', FETCHED_2, 2)
    assert store.get_article(URL).url == URL
    # A page at another address under another headline is not taken for a copy (a headline
    # edited since): it versions it. A translation whose canonical link names the original
    # is an article of its own at its address: it versioned the story, which then alternated
    # between the two languages on every crawl.
    french_url = URL.replace(".com/", ".com/fr/")
    french = dataclasses.replace(original, url=french_url, language="fr",
                                 title="Rutte et le Premier ministre parlent de l'OTAN")
    for fetched_at in (FETCHED_3, "2025-09-13T10:00:00Z"):
        result = store.store(french, raw_html=b"<html>fr</html>", fetched_at=fetched_at)
        assert (result.url, result.version_no) == (french_url, 1)
    assert store.get_article(URL).language == "en" and len(store.versions(URL)) == 2
    retitled = dataclasses.replace(original, url=URL.replace(".com/", ".com/print/"), title="Rutte, NATO talk")
    assert store.store(retitled, raw_html=b"<html>t</html>", fetched_at=FETCHED_3).status == "changed"
    # (a story's later pages, /story/2/ and /story/page/2/, are articles of their own: a canonical
    # link naming a directory above the page is not its identity, see identity.article_url)
    for later in (URL + "2/", URL + "page/2/"):
        paged = dataclasses.replace(original, url=later, intro=["Page two."], sections=[])
        assert store.store(paged, raw_html=b"<html>2</html>", fetched_at=FETCHED_3).url == later
    # the story itself still versions
    edited = dataclasses.replace(original, intro=["A correction."])
    assert store.store(edited, raw_html=b"<html>3</html>", fetched_at=FETCHED_3).status == "changed"


def test_pages_at_the_articles_own_address_still_version(store: ArchiveStore):
    # The same address written another way is no copy: another scheme (a site moving to https),
    # www. or not, a default port, a trailing slash or index file, percent-escapes, the query
    # of an article's path.
    url = "https://news.example.com/2025/09/09/%d0%bd%d0%b0%d1%82%d0%be/?id=7&lang=en"
    record = dataclasses.replace(make_record(), url=url, canonical_url=url)
    assert store.store(record, raw_html=b"<html>1</html>", fetched_at=FETCHED_1).status == "new"
    fetched_as = ["http://news.example.com/2025/09/09/%d0%bd%d0%b0%d1%82%d0%be/?id=7&lang=en",
                  "https://www.news.example.com:443/2025/09/09/%D0%BD%D0%B0%D1%82%D0%BE?lang=en&id=7",
                  "https://news.example.com/2025/09/09/%d0%bd%d0%b0%d1%82%d0%be/index.html?id=7&lang=en"
                  "&utm_source=feed&fbclid=x",
                  # a query on an article's path only tags the link: edits seen there were lost
                  "https://news.example.com/2025/09/09/%d0%bd%d0%b0%d1%82%d0%be/?ref=home"]
    for n, address in enumerate(fetched_as, start=2):
        changed = dataclasses.replace(record, url=address, intro=[f"Correction {n}."], content_hash=None)
        result = store.store(changed, raw_html=b"<html>n</html>", fetched_at=FETCHED_2)
        assert (result.status, result.url, result.copy) == ("changed", url, False), address
    # nor is a page without a canonical link, fetched as archived or with the other scheme
    for n, address in enumerate((url, fetched_as[0])):
        bare = dataclasses.replace(record, url=address, canonical_url=None, intro=[f"Bare {n}."], content_hash=None)
        assert store.store(bare, raw_html=b"<html>b</html>", fetched_at=FETCHED_2).status == "changed", address
    assert store.counts()["articles"] == 1
    # other ports and paths are other addresses
    for address in (url.replace(".com/", ".com:8443/"), url.replace(".com/", ".com/print/")):
        other = dataclasses.replace(record, url=address, intro=["A copy."], content_hash=None)
        assert store.store(other, raw_html=b"<html>c</html>", fetched_at=FETCHED_3).copy, address


def test_a_copy_versions_its_article_while_it_is_the_only_page_the_archive_has(store: ArchiveStore):
    # A URL list naming the print copies, a translation whose original is outside the crawl:
    # refusing their versions would freeze the article at its first version for good.
    printed_url = URL.replace(".com/", ".com/print/")
    printed = dataclasses.replace(make_record(), url=printed_url)
    assert store.store(printed, raw_html=b"<html>1</html>", fetched_at=FETCHED_1).status == "new"
    edited = dataclasses.replace(printed, intro=["A correction."], content_hash=None)
    assert store.store(edited, raw_html=b"<html>2</html>", fetched_at=FETCHED_2).status == "changed"
    assert store.store(edited, raw_html=b"<html>2</html>", fetched_at=FETCHED_3).status == "unchanged"
    # until the article's own page is archived, any copy is as good as the one it has
    amp_url = URL.replace(".com/", ".com/amp/")
    amp = dataclasses.replace(printed, url=amp_url, content_hash=None)
    assert store.store(amp, raw_html=b"<html>3</html>", fetched_at=FETCHED_3).status == "changed"
    assert [row[0] for row in store.db.execute("SELECT url FROM versions ORDER BY id")] == [printed_url] * 2 + [amp_url]


def test_a_copy_answering_does_not_clear_the_articles_gone_mark(store: ArchiveStore):
    store.store(dataclasses.replace(make_record(), url=URL), raw_html=b"<html>1</html>", fetched_at=FETCHED_1)
    store.record_failure(None, URL, "HTTP 410", 410)
    printed = dataclasses.replace(make_record(), url=URL.replace(".com/", ".com/print/"))
    assert store.store(printed, raw_html=b"<html>p</html>", fetched_at="2099-01-01T00:00:00Z").copy
    assert store.db.execute("SELECT gone_status, last_seen_at FROM articles").fetchone() == (410, FETCHED_1)


def test_gone_is_cleared_only_by_a_fetch_after_the_404(store: ArchiveStore):
    # A re-parse (the version's own fetch time) or an old capture imported late cleared it.
    store.store(make_record(), raw_html=b"<html>1</html>", fetched_at=FETCHED_2)
    store.record_failure(None, URL, "HTTP 410", 410)

    def gone():
        return store.db.execute("SELECT gone_at IS NOT NULL, gone_status FROM articles").fetchone()

    assert gone() == (1, 410)
    store.store(make_record(), raw_html=b"<html>1</html>", fetched_at=FETCHED_1)  # from before it
    store.mark_unchanged(URL, FETCHED_1)
    assert gone() == (1, 410)
    store.mark_unchanged(URL, "2099-01-01T00:00:00Z")  # found again
    assert gone() == (0, None)


def test_gone_goes_by_the_url_the_page_was_fetched_from(store: ArchiveStore):
    def gone(url):
        row = store.db.execute("SELECT gone_status FROM articles WHERE url = ?", [url]).fetchone()
        return row[0]

    # A canonical link naming a URL the site never served: its 404 is not the page's.
    named = "https://news.example.com/2025/09/10/does-not-exist/"
    page = dataclasses.replace(make_record(), url="https://news.example.com/2025/09/10/canon-404/",
                               canonical_url=named)
    assert store.store(page, raw_html=b"<html>c</html>", fetched_at=FETCHED_1).url == named
    store.record_failure(None, named, "HTTP 404", 404)
    assert gone(named) is None
    store.record_failure(None, "https://news.example.com/2025/09/10/canon-404/", "HTTP 404", 404)
    assert gone(named) == 404
    # The canonical link on www., the site crawled without it (it answers on both).
    www = "https://www.news.example.com/2025/09/11/story/"
    page = dataclasses.replace(make_record(), url="https://news.example.com/2025/09/11/story/", canonical_url=www)
    assert store.store(page, raw_html=b"<html>w</html>", fetched_at=FETCHED_1).url == www
    store.record_failure(None, "https://news.example.com/2025/09/11/story/", "HTTP 410", 410)
    assert gone(www) == 410
    # Fetched with a tag in the query (?ref=home): a 404 on the article's own URL marks it, and
    # a fetch at the tagged URL that finds it clears the mark.
    own = "https://news.example.com/2025/09/12/tagged/"
    page = dataclasses.replace(make_record(), url=own + "?ref=home", canonical_url=own)
    store.store(page, raw_html=b"<html>t</html>", fetched_at=FETCHED_1)
    store.record_failure(None, own, "HTTP 404", 404)
    assert gone(own) == 404
    store.store(dataclasses.replace(page, intro=["Back."], content_hash=None), raw_html=b"<html>b</html>",
                fetched_at="2099-01-01T00:00:00Z")
    assert gone(own) is None


def test_show_finds_an_article_by_its_url_as_typed(store: ArchiveStore):
    stored_as = "https://www.news.example.com/2025/09/10/caf%C3%A9-ouvre/"
    page = dataclasses.replace(make_record(), url=stored_as, canonical_url=stored_as)
    article_id = store.store(page, raw_html=b"<html>c</html>", fetched_at=FETCHED_1).article_id
    for typed in ("https://www.news.example.com/2025/09/10/café-ouvre/",
                  "https://news.example.com/2025/09/10/caf%c3%a9-ouvre",
                  "http://WWW.News.Example.com/2025/09/10/café-ouvre/?utm_campaign=x"):
        assert store.get_article(typed).url == stored_as, typed
        assert find_article_id(store.db, typed) == article_id


def test_show_finds_an_article_by_its_url_without_a_scheme(store: ArchiveStore):
    stored_as = "https://www.news.example.com/2025/09/10/story/"
    page = dataclasses.replace(make_record(), url=stored_as, canonical_url=stored_as)
    article_id = store.store(page, raw_html=b"<html>s</html>", fetched_at=FETCHED_1).article_id
    for typed in ("news.example.com/2025/09/10/story/", "www.news.example.com/2025/09/10/story",
                  "News.Example.com/2025/09/10/story?utm_source=x"):
        assert find_article_id(store.db, typed) == article_id, typed
    for word in ("story", "2025/09/10/story/", "news", "news.example.com", "www.news.example.com/2025/09/10/"):
        with pytest.raises(ArchiveError, match="there is no article"):
            find_article_id(store.db, word)


def test_show_finds_an_article_by_the_shortlink_its_page_names(store: ArchiveStore):
    # The shortlink's post number, within its site and WordPress install; the body class's bare
    # postid-N answers the site root's shortlink only.
    def stored(url: str, post_id: str, fetched_at: str = FETCHED_1) -> int:
        page = dataclasses.replace(make_record(), url=url, canonical_url=url, post_id=post_id)
        return store.store(page, raw_html=url.encode(), fetched_at=fetched_at).article_id

    wordpress = stored(URL, SHORTLINK)
    body_class = stored("https://news.example.com/2025/09/10/harbour/", "456")
    install_a = stored("https://news.example.com/a/library/", "https://news.example.com/a/?p=7")
    install_b = stored("https://news.example.com/b/school/", "https://news.example.com/b/?p=7")
    elsewhere = stored("https://other.example.org/2025/09/10/ferry/", "https://www.other.example.org/?p=456")
    assert store.db.execute("SELECT count(DISTINCT post_id) FROM articles").fetchone()[0] == 5
    for typed, article_id in [
            ("https://news.example.com/?p=123", wordpress), ("news.example.com/?p=123", wordpress),
            ("http://www.news.example.com/?page_id=123&utm_source=x&utm_medium=social#respond", wordpress),
            ("news.example.com/index.php?p=123", wordpress), ("https://news.example.com?p=123", wordpress),
            ("news.example.com/?p=456", body_class), ("other.example.org/?p=456", elsewhere),
            ("news.example.com/a/?p=7", install_a), ("https://news.example.com/b/?p=7", install_b)]:
        assert find_article_id(store.db, typed) == article_id, typed
    for unknown in ("news.example.com/?p=7", "news.example.com/a/?p=456", "news.example.com/?p=999",
                    "news.example.com/?cat=123", "?p=123", "p=123", "123x"):
        with pytest.raises(ArchiveError, match="there is no article"):
            find_article_id(store.db, unknown)
    # a shortlink names its post before a bare number does; of two articles with one post ID
    # (a post republished under a new date), the one seen last
    named = stored("https://news.example.com/2025/09/11/harbour-now/", "https://news.example.com/?p=456", FETCHED_2)
    assert named != body_class and find_article_id(store.db, "news.example.com/?p=456") == named
    republished = dataclasses.replace(make_record(), url="https://news.example.com/a/library-2/",
                                      canonical_url="https://news.example.com/a/library-2/",
                                      post_id="https://news.example.com/a/?p=7", published_at="2025-09-11T08:00:00Z")
    newer = store.store(republished, raw_html=b"r", fetched_at=FETCHED_2).article_id
    assert newer != install_a and find_article_id(store.db, "news.example.com/a/?p=7") == newer


def test_a_record_that_has_a_content_hash_keeps_it(store: ArchiveStore):
    record = dataclasses.replace(make_record(), content_hash="sha256:given")
    store.store(record, raw_html=b"x", fetched_at=FETCHED_1)
    assert store.get_article(URL).content_hash == "sha256:given"
    assert store.store(dataclasses.replace(make_record(), content_hash="sha256:given"),
                       raw_html=b"y", fetched_at=FETCHED_2).status == "unchanged"


# Transactions ------------------------------------------------------------------------------

def test_failure_mid_store_of_a_new_article_leaves_no_rows(store: ArchiveStore, monkeypatch):
    empty = row_counts(store)

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    # section_rows runs after the articles and versions rows have been inserted.
    monkeypatch.setattr(archive.writer, "section_rows", broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        store.store(make_record(), raw_html=b"<html>", fetched_at=FETCHED_1)

    assert row_counts(store) == empty
    assert not store.db.conn.in_transaction
    monkeypatch.undo()
    assert store.store(make_record(), raw_html=b"<html>", fetched_at=FETCHED_1).status == "new"
    assert store.counts()["versions"] == 1


def test_failure_mid_store_of_a_changed_article_keeps_the_old_version_current(
        store: ArchiveStore, monkeypatch):
    first = make_record()
    store.store(first, raw_html=raw_page(first), fetched_at=FETCHED_1)
    before = row_counts(store)

    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("simulated I/O error")

    monkeypatch.setattr(archive.writer, "compress_page", broken)  # the last insert
    with pytest.raises(ArchiveError, match="could not store .*simulated I/O error"):
        store.store(make_record(title="Changed"), raw_html=b"<html>", fetched_at=FETCHED_2)

    assert row_counts(store) == before
    article = store.db.table("articles").get(1)
    assert (article["current_version_id"], article["version_count"], article["last_seen_at"]) == (
        1, 1, FETCHED_1)
    assert store.get_article(URL).title == first.title


def test_store_with_an_unknown_crawl_is_refused_without_rows(store: ArchiveStore):
    with pytest.raises(ArchiveError, match="crawl 42 does not exist"):
        store.store(make_record(), raw_html=b"<html>", fetched_at=FETCHED_1, crawl_id=42)
    assert store.counts() == {"articles": 0, "versions": 0, "crawls": 0, "failures": 0}


@pytest.mark.parametrize("kwargs, message", [
    ({"raw_html": "<html>", "fetched_at": FETCHED_1}, "raw_html must be the fetched bytes"),
    ({"raw_html": b"<html>", "fetched_at": ""}, "needs fetched_at"),
])
def test_bad_store_arguments_raise_archive_error(store: ArchiveStore, kwargs, message):
    with pytest.raises(ArchiveError, match=message):
        store.store(make_record(), **kwargs)
    assert store.counts()["articles"] == 0


def test_record_without_any_url_is_refused(store: ArchiveStore):
    with pytest.raises(ArchiveError, match="neither url nor canonical_url"):
        store.store(ArticleRecord(title="Orphan"), raw_html=b"", fetched_at=FETCHED_1)


# Reading -----------------------------------------------------------------------------------

def test_reading_unknown_articles_and_versions_raises_archive_error(store: ArchiveStore):
    store.store(make_record(), raw_html=b"<html>", fetched_at=FETCHED_1)
    with pytest.raises(ArchiveError, match="there is no article https://nowhere.example/"):
        store.get_article("https://nowhere.example/")
    with pytest.raises(ArchiveError, match="there is no article with id 99"):
        store.raw_html(99)
    with pytest.raises(ArchiveError, match="has no version 5"):
        store.get_article(URL, version=5)
    with pytest.raises(ArchiveError, match="limit must be"):
        store.latest(limit=0)


def test_latest_orders_by_published_date_then_first_seen(store: ArchiveStore):
    dates = {"a": "2025-09-01T00:00:00Z", "b": "2025-09-05T00:00:00Z", "c": None, "d": None}
    for n, (slug, published) in enumerate(dates.items()):
        record = dataclasses.replace(make_record(f"https://news.example.com/{slug}/", title=f"Story {slug}"),
                                     published_at=published, authors=[f"Writer {slug}", "Desk"])
        store.store(record, raw_html=b"<html>", fetched_at=f"2025-09-1{n}T00:00:00Z")
    rows = store.latest(limit=3)
    assert [(r["url"], r["title"], r["authors"], r["published_at"]) for r in rows] == [
        ("https://news.example.com/b/", "Story b", ["Writer b", "Desk"], "2025-09-05T00:00:00Z"),
        ("https://news.example.com/a/", "Story a", ["Writer a", "Desk"], "2025-09-01T00:00:00Z"),
        ("https://news.example.com/d/", "Story d", ["Writer d", "Desk"], None),
    ]


# Captures arriving out of order (an old WARC imported after a newer crawl) ---------------

def test_an_older_capture_stored_late_is_kept_but_never_becomes_current(store: ArchiveStore):
    early = make_record(extra_paragraph="The first draft said one thing.")
    late = make_record(extra_paragraph="The correction said another.")
    assert store.store(late, raw_html=b"<html>late", fetched_at=FETCHED_2, etag='"v2"').status == "new"

    older = store.store(early, raw_html=b"<html>early", fetched_at=FETCHED_1, etag='"v1"')
    assert (older.status, older.version_no) == ("changed", 2)
    current = store.get_article(URL)
    assert "correction" in current.body_text          # the newer fetch stays current
    assert "first draft" in store.get_article(URL, version=2).body_text
    article = store.db.execute("SELECT first_seen_at, last_seen_at, version_count, etag FROM articles").fetchone()
    assert article == (FETCHED_1, FETCHED_2, 2, '"v2"')  # validators of the newest fetch kept

    # The same old capture again, or the early content seen again before the correction,
    # or even earlier (it then takes version 2's place as its first sight): nothing new.
    assert store.store(early, raw_html=b"<html>early", fetched_at=FETCHED_1).status == "unchanged"
    assert store.store(early, raw_html=b"<html>", fetched_at="2025-09-09T18:00:00Z").status == "unchanged"
    assert store.store(early, raw_html=b"<html>", fetched_at="2025-09-08T00:00:00Z").version_no == 2
    assert store.counts()["versions"] == 2
    assert [v["fetched_at"] for v in store.versions(URL)] == [FETCHED_2, "2025-09-08T00:00:00Z"]
    # The corrected content seen before the early one is a version of its own (see tests/test_timeline.py).
    assert store.store(late, raw_html=b"<html>", fetched_at="2025-09-07T00:00:00Z").status == "changed"
    assert store.counts()["versions"] == 3
    assert "correction" in store.get_article(URL).body_text

    # A newer fetch still adds the next version and becomes current; numbers never collide.
    newest = make_record(extra_paragraph="A third text.")
    result = store.store(newest, raw_html=b"<html>new", fetched_at=FETCHED_3)
    assert (result.status, result.version_no) == ("changed", 4)
    assert "third text" in store.get_article(URL).body_text
    # A page that goes back to earlier content in a newer fetch is a new version, as before.
    assert store.store(late, raw_html=b"<html>", fetched_at="2025-09-12T12:00:00Z").version_no == 5
    assert "correction" in store.get_article(URL).body_text


# Search ------------------------------------------------------------------------------------

def test_search_finds_body_words_with_a_snippet_in_current_versions_only(store: ArchiveStore):
    old = make_record(extra_paragraph="The zeppelin fleet was discussed.")
    store.store(old, raw_html=b"<html>", fetched_at=FETCHED_1)
    other = make_record("https://news.example.com/other/", title="Budget talks")
    other = dataclasses.replace(other, body_text="Ministers argued about pensions and taxes.")
    store.store(other, raw_html=b"<html>", fetched_at=FETCHED_1)

    hits = store.search("zeppelin")
    assert [(h["url"], h["title"], h["published_at"]) for h in hits] == [
        (URL, old.title, "2025-09-09T10:30:00Z")]
    assert "[zeppelin]" in hits[0]["snippet"]

    # Porter stemming: "pension" finds "pensions".
    assert [h["url"] for h in store.search("pension")] == ["https://news.example.com/other/"]

    # The zeppelin paragraph is gone from the current version: no longer found.
    new = make_record(extra_paragraph="The airship fleet was discussed.")
    assert store.store(new, raw_html=b"<html>", fetched_at=FETCHED_2).status == "changed"
    assert store.search("zeppelin") == []
    assert [h["url"] for h in store.search("airship")] == [URL]
    # The old version's text is still in the archive.
    assert "zeppelin" in store.get_article(URL, version=1).body_text
    assert store.search("nato", limit=1)[0]["url"] in (URL, "https://news.example.com/other/")


@pytest.mark.parametrize("query", [
    "AND (", '"', 'NOT', "title:", "*", "a OR", ")(", "NEAR(", "'; DROP TABLE articles; --",
    '"unbalanced phrase', "doha AND (", "-", "^", "Doha's",
])
def test_junk_search_queries_never_raise_raw_sqlite_errors(store: ArchiveStore, query):
    store.store(make_record(), raw_html=b"<html>", fetched_at=FETCHED_1)
    try:
        hits = store.search(query)
    except ArchiveError as exc:
        assert str(exc)
    else:
        assert isinstance(hits, list)
    assert store.counts()["articles"] == 1


def test_quoted_search_treats_operators_as_words(store: ArchiveStore):
    store.store(make_record(), raw_html=b"<html>", fetched_at=FETCHED_1)
    # NOT is searched for as a word (absent here), not as an operator.
    assert store.search("doha NOT") == []
    assert [h["url"] for h in store.search("rutte AND (")] == [URL]  # "and" is in the title
    assert [h["url"] for h in store.search("Doha situation")] == [URL]
    with pytest.raises(ArchiveError, match="has no words"):
        store.search('"')
    with pytest.raises(ArchiveError, match="query is empty"):
        store.search("   ")


def test_raw_search_passes_fts_syntax_and_reports_bad_syntax(store: ArchiveStore):
    store.store(make_record(), raw_html=b"<html>", fetched_at=FETCHED_1)
    assert [h["url"] for h in store.search("doha OR nonexistentword", raw=True)] == [URL]
    assert [h["url"] for h in store.search("drone*", raw=True)] == [URL]
    with pytest.raises(ArchiveError, match="cannot search for 'AND \\(': .*FTS5 query syntax"):
        store.search("AND (", raw=True)


# Crawls ------------------------------------------------------------------------------------

def test_crawl_begin_failure_and_finish_rows(store: ArchiveStore):
    crawl_id = store.begin_crawl("news", "https://news.example.com/", {"depth": 2, "site": "x"})
    row = store.crawl(crawl_id)
    assert row["status"] == "running" and row["finished_at"] is None
    assert row["spider"] == "news" and row["start_url"] == "https://news.example.com/"
    assert row["args"] == {"depth": 2, "site": "x"}
    assert row["started_at"].endswith("Z") and row["articles_new"] == 0

    store.record_failure(crawl_id, "https://news.example.com/gone", "HTTP 404", 404)
    store.record_failure(crawl_id, "https://news.example.com/slow", "timeout")
    assert store.crawl(crawl_id)["failures"] == 2
    assert [(f["url"], f["reason"], f["http_status"]) for f in store.crawl_failures(crawl_id)] == [
        ("https://news.example.com/gone", "HTTP 404", 404),
        ("https://news.example.com/slow", "timeout", None)]

    store.finish_crawl(crawl_id, "finished", {"pages_fetched": 12, "articles_new": 3,
                                              "articles_changed": 1, "articles_unchanged": 7,
                                              "articles_skipped": 1, "failures": 2})
    row = store.crawl(crawl_id)
    assert row["status"] == "finished" and row["finished_at"] is not None
    assert [row[k] for k in ("pages_fetched", "articles_new", "articles_changed",
                             "articles_unchanged", "articles_skipped", "failures")] == [12, 3, 1, 7, 1, 2]
    assert store.counts() == {"articles": 0, "versions": 0, "crawls": 1, "failures": 2}


def test_crawl_errors_are_archive_errors(store: ArchiveStore):
    with pytest.raises(ArchiveError, match="there is no crawl 7"):
        store.finish_crawl(7, "finished", {})
    with pytest.raises(ArchiveError, match="there is no crawl 7"):
        store.record_failure(7, "https://x/", "boom")
    with pytest.raises(ArchiveError, match="there is no crawl 7"):
        store.crawl(7)
    crawl_id = store.begin_crawl("news", None, {})
    with pytest.raises(ArchiveError, match="unknown crawl counts bogus"):
        store.finish_crawl(crawl_id, "finished", {"bogus": 1})
    assert store.crawl(crawl_id)["status"] == "running"
    assert store.counts()["failures"] == 0


# The file ----------------------------------------------------------------------------------

def test_new_archive_uses_wal_foreign_keys_busy_timeout_and_marks_its_schema(db_path: Path):
    with ArchiveStore(db_path) as store:
        assert store.db.journal_mode == "wal"
        assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] == 30000
        meta = {r["key"]: r["value"] for r in store.db.query("SELECT * FROM newsarchive_meta")}
        assert meta["schema_version"] == str(SCHEMA_VERSION)
        assert set(TABLES) <= set(store.db.table_names())
        assert "current_versions" in store.db.view_names()
        store.store(make_record(), raw_html=b"<html>", fetched_at=FETCHED_1)
    # Reopening keeps the data and passes the check.
    ArchiveStore.check(db_path)
    with ArchiveStore(db_path) as store:
        assert store.counts()["articles"] == 1
        assert store.db.execute("SELECT article_url FROM current_versions").fetchone()[0] == URL
    assert sqlite3.connect(db_path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_check_accepts_a_missing_path_without_creating_it(tmp_path: Path):
    missing = tmp_path / "not-yet.db"
    ArchiveStore.check(missing)
    assert not missing.exists()
    assert list(tmp_path.iterdir()) == []


def test_empty_file_is_a_new_archive(tmp_path: Path):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    ArchiveStore.check(empty)
    assert empty.read_bytes() == b""
    with ArchiveStore(empty) as store:
        assert store.counts()["articles"] == 0
    ArchiveStore.check(empty)


def _assert_refused_untouched(path: Path, message: str) -> None:
    before = file_hash(path)
    siblings = sorted(p.name for p in path.parent.iterdir())
    with pytest.raises(ArchiveError, match=message):
        ArchiveStore.check(path)
    with pytest.raises(ArchiveError, match=message):
        ArchiveStore(path)
    assert file_hash(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == siblings


def test_check_looks_again_with_locking_when_a_crawl_started_under_its_immutable_look(tmp_path, monkeypatch):
    from archive import check

    path = tmp_path / "archive.db"
    with ArchiveStore(path) as store:
        store.store(make_record(), raw_html=b"<html>", fetched_at=FETCHED_1)
    assert not Path(f"{path}-wal").exists()
    original = check._check_database

    def torn_when_immutable(where, uri):
        if "immutable=1" in uri:  # what a checkpoint under an immutable reader looks like
            raise ArchiveError(f"{where} is corrupt: database disk image is malformed")
        original(where, uri)

    monkeypatch.setattr(check, "_check_database", torn_when_immutable)
    monkeypatch.setattr(check, "_read_only_uri", lambda p, h: p.resolve().as_uri() + "?mode=ro&immutable=1")
    with pytest.raises(ArchiveError, match="is corrupt"):  # no writer: the report stands
        ArchiveStore.check(path)
    writer = sqlite3.connect(path)
    try:
        writer.execute("BEGIN IMMEDIATE")  # a crawl has the archive open: its -wal exists
        assert Path(f"{path}-wal").exists()
        ArchiveStore.check(path)
    finally:
        writer.rollback()
        writer.close()


def test_check_refuses_a_text_file(tmp_path: Path):
    text = tmp_path / "notes.txt"
    text.write_text("These are my notes, not a database.\n" * 10)
    _assert_refused_untouched(text, f"^{text} is not an SQLite database$")


def test_check_refuses_a_corrupt_sqlite_file(tmp_path: Path):
    path = tmp_path / "corrupt.db"
    with ArchiveStore(path) as store:
        for n in range(30):
            record = make_record(f"https://news.example.com/{n}/", title=f"Story {n}")
            store.store(record, raw_html=raw_page(record), fetched_at=FETCHED_1)
    size = path.stat().st_size
    assert size > 8 * 4096
    middle = (size // 2) // 4096 * 4096
    with path.open("r+b") as f:
        f.seek(middle)
        f.write(b"\xa5" * 4096)
    _assert_refused_untouched(path, f"^{path} is corrupt: ")


def test_check_refuses_a_foreign_sqlite_database(tmp_path: Path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)")
    conn.execute("INSERT INTO invoices (amount) VALUES (9.5)")
    conn.commit()
    conn.close()
    _assert_refused_untouched(path, f"^{path} is an SQLite database but not a newsarchive archive$")


def test_check_refuses_an_archive_from_a_newer_version(db_path: Path):
    with ArchiveStore(db_path) as store:
        store.db.execute("UPDATE newsarchive_meta SET value = '99' WHERE key = 'schema_version'")
    _assert_refused_untouched(db_path, "newer newsarchive \\(schema version 99")


def test_check_refuses_a_directory_and_a_missing_parent(tmp_path: Path):
    with pytest.raises(ArchiveError, match="is a directory"):
        ArchiveStore.check(tmp_path)
    with pytest.raises(ArchiveError, match="directory .*nowhere does not exist"):
        ArchiveStore(tmp_path / "nowhere" / "archive.db")
    assert not (tmp_path / "nowhere").exists()


def test_empty_sqlite_database_becomes_an_archive(tmp_path: Path):
    path = tmp_path / "blank.db"
    sqlite3.connect(path).execute("PRAGMA user_version = 0").close()
    ArchiveStore.check(path)
    with ArchiveStore(path) as store:
        store.store(make_record(), raw_html=b"<html>", fetched_at=FETCHED_1)
    with ArchiveStore(path) as store:
        assert store.get_article(URL).title == make_record().title


def test_closed_store_raises_archive_error(db_path: Path):
    store = ArchiveStore(db_path)
    store.close()
    store.close()
    with pytest.raises(ArchiveError, match="is closed"):
        store.counts()


def test_check_passes_while_another_connection_is_writing(db_path: Path):
    with ArchiveStore(db_path) as writer:
        writer.store(make_record(), raw_html=b"<html>", fetched_at=FETCHED_1)
        ArchiveStore.check(db_path)
        with ArchiveStore(db_path) as second:
            other = make_record("https://news.example.com/second/")
            assert second.store(other, raw_html=b"<html>", fetched_at=FETCHED_1).status == "new"
            assert writer.store(make_record(title="New title"), raw_html=b"<html>",
                                fetched_at=FETCHED_2).status == "changed"
            assert second.counts() == {"articles": 2, "versions": 3, "crawls": 0, "failures": 0}
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["archive.db"]


def test_check_of_a_big_archive_skips_the_full_page_scan(tmp_path: Path, monkeypatch):
    """quick_check reads every page; above QUICK_CHECK_MAX_BYTES only the schema is read,
    so opening a multi-gigabyte archive every night stays instant."""
    import archive.check as check

    path = tmp_path / "big.db"
    with ArchiveStore(path) as store:
        record = make_record("https://news.example.com/1/", title="Story")
        store.store(record, raw_html=raw_page(record), fetched_at=FETCHED_1)
    statements: list[str] = []
    real_connect = sqlite3.connect

    def traced_connect(*args, **kwargs):
        conn = real_connect(*args, **kwargs)
        conn.set_trace_callback(statements.append)
        return conn

    monkeypatch.setattr(check.sqlite3, "connect", traced_connect)
    check.check_archive(path)
    assert any("quick_check" in s for s in statements)
    statements.clear()
    monkeypatch.setattr(check, "QUICK_CHECK_MAX_BYTES", path.stat().st_size - 1)
    check.check_archive(path)
    assert statements and not any("quick_check" in s for s in statements)
    path.write_bytes(path.read_bytes()[:100] + b"\xa5" * 3996 + path.read_bytes()[4096:])
    _assert_refused_untouched(path, f"^{path} is corrupt: ")  # a damaged schema is still refused


def test_post_id_moves_need_the_install_the_language_and_a_new_address(store: ArchiveStore):
    """Review of the post-ID moves: installs sharing a host told apart only by a body class,
    a translation served under the same post, and an old URL still answering 200 each merged
    stories or flipped the article between URLs."""
    day = dict(published_at="2025-09-01T00:00:00Z")
    north = at("https://news.example.com/north/school-reopens/", post_id="7", title="North school reopens", **day)
    south = at("https://news.example.com/south/ferry-cancelled/", post_id="7", title="South ferry cancelled", **day)
    assert store.store(north, raw_html=b"<html>n</html>", fetched_at=FETCHED_1).status == "new"
    assert store.store(south, raw_html=b"<html>s</html>", fetched_at=FETCHED_2).status == "new"
    # to the second, a body-class post ID is still the post's (tests/test_post_id_moves.py)

    english = at(URL, language="en")
    first = store.store(english, raw_html=b"<html>en</html>", fetched_at=FETCHED_1)
    french = at("https://news.example.com/fr/rutte-nato/", english, language="fr", title="Rutte et le Premier ministre")
    assert store.store(french, raw_html=b"<html>fr</html>", fetched_at=FETCHED_2).status == "new"

    moved = store.store(at(NEW_URL, english), raw_html=b"<html>en2</html>", fetched_at=FETCHED_2)
    assert (moved.article_id, moved.moved_from) == (first.article_id, URL)
    # the old address still answering 200 (a stale cache, a list of old URLs): a copy, no move back
    old_again = store.store(at(URL, english), raw_html=b"<html>en3</html>", fetched_at=FETCHED_3)
    assert (old_again.status, old_again.url, old_again.moved_from) == ("unchanged", NEW_URL, None)
    assert store.db.execute("SELECT url, version_count FROM articles WHERE id = ?",
                            [first.article_id]).fetchone() == (NEW_URL, 2)
    assert store.counts()["articles"] == 4
