"""What counts as a change of an article, night after night: a page parsed as a crawl parses it,
stored in a real archive file. A date the page gives only relative to the fetch, the order of
its tags, and a rule added to the hash since an archive was written make no version; a
corrected caption does."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from archive import ArchiveStore
from scraper.extract import parse_article
from scraper.record import ArticleRecord, compute_content_hash
from tests.test_record import hash_as_archived

URL = "https://coast.test/harbour-dredging/"
NIGHT_1 = datetime(2025, 9, 20, 2, 0, tzinfo=timezone.utc)

# A classic theme whose dates are only "N weeks ago" (human_time_diff), with a captioned
# picture, two tags and a comment dated the same way.
PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Harbour dredging starts - Coast Times</title></head>
<body class="single single-post postid-77"><main id="main"><article id="post-77" class="post-77 post">
<header class="entry-header"><h1 class="entry-title">Harbour dredging starts</h1>
<div class="entry-meta"><span class="byline">By <span class="author vcard"><a class="url fn n"
href="/author/ann/">Ann Lee</a></span></span>
<span class="posted-on"><time class="entry-date published">2 weeks ago</time></span></div></header>
<div class="entry-content"><p>Dredging of the harbour began on Monday after two years of delays,
the port authority said.</p>
<h2>What changes</h2><p>Ships of up to 200 metres will be able to dock at the inner quay from next spring.</p>
<figure class="wp-block-image"><img src="/img/harbour.jpg?v={version}" alt="The harbour" width="800"
height="500"><figcaption>{caption}</figcaption></figure></div>
<footer class="entry-footer"><span class="tags-links">Tagged {tags}</span></footer></article>
<div id="comments" class="comments-area"><ol class="comment-list">
<li id="comment-5" class="comment depth-1"><article id="div-comment-5" class="comment-body">
<footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Sam</b></div>
<div class="comment-metadata"><a href="#comment-5"><time>3 weeks ago</time></a></div></footer>
<div class="comment-content"><p>About time.</p></div></article></li></ol></div></main></body></html>"""

TAGS = ('<a href="/tag/port/" rel="tag">port</a>', '<a href="/tag/dredging/" rel="tag">dredging</a>')


def page(*, caption: str = "The mayor at the inner quay.", tags=TAGS, version: int = 3) -> bytes:
    return PAGE.format(caption=caption, tags=", ".join(tags), version=version).encode()


def crawl_night(store: ArchiveStore, night: int, html: bytes):
    fetched = NIGHT_1 + timedelta(days=night)
    record = parse_article(html, url=URL, fetched_at=fetched)
    return store.store(record, raw_html=html, fetched_at=fetched.strftime("%Y-%m-%dT%H:%M:%SZ"))


@pytest.fixture
def store(tmp_path: Path):
    with ArchiveStore(tmp_path / "archive.db") as opened:
        yield opened


def test_dates_given_only_relative_to_the_fetch_make_no_version_night_after_night(store: ArchiveStore):
    """'2 weeks ago' and a comment's '3 weeks ago' are counted back from each fetch: before,
    the probe saw 70 versions in 75 nights of an unchanged page."""
    results = [crawl_night(store, night, page()) for night in range(40)]
    assert results[0].status == "new"
    assert {r.status for r in results[1:]} == {"unchanged"}
    versions = store.versions(URL)
    assert len(versions) == 1
    kept = store.get_article(URL)
    # the first night's reading stays: counted back from the fetch that made the version
    assert kept.published_at == "2025-09-06T00:00:00Z" and kept.published_at_raw == "2 weeks ago"
    assert kept.comments[0].published_at == "2025-08-30T00:00:00Z"
    assert kept.comments[0].published_at_raw == "3 weeks ago"


def test_tags_in_another_order_are_no_new_version_and_a_corrected_caption_is(store: ArchiveStore):
    assert crawl_night(store, 0, page()).status == "new"
    assert crawl_night(store, 1, page(tags=TAGS[::-1], version=4)).status == "unchanged"
    corrected = page(caption="Councillor Ben Jones, not the mayor as first captioned.")
    result = crawl_night(store, 2, corrected)
    assert result.status == "changed" and result.version_no == 2
    assert [i.caption for i in store.get_article(URL).images] == [
        "Councillor Ben Jones, not the mayor as first captioned."]


def test_an_archive_hashed_before_these_rules_gets_no_version_from_them(store: ArchiveStore):
    """A version stored by an earlier release carries the hash without the rules (tags in page
    order, the caption left out): the next crawl of the unchanged page re-hashes the stored
    record rather than adding a version to every article, and keeps the new hash."""
    html = page(tags=TAGS)  # port, dredging: not in sorted order
    record = parse_article(html, url=URL, fetched_at=NIGHT_1)
    old_hash = hash_as_archived(record)
    assert old_hash != record.content_hash  # the rules do apply to this page
    store.store(record, raw_html=html, fetched_at="2025-09-20T02:00:00Z")
    store.db.execute("UPDATE versions SET content_hash = ?", [old_hash])
    store.db.conn.commit()

    again = parse_article(html, url=URL, fetched_at=NIGHT_1 + timedelta(days=1))
    assert store.is_unchanged(again)
    assert store.db.execute("SELECT content_hash FROM versions").fetchone()[0] == old_hash  # a read writes nothing
    result = store.store(again, raw_html=html, fetched_at="2025-09-21T02:00:00Z")
    assert result.status == "unchanged"
    assert [v["content_hash"] for v in store.versions(URL)] == [compute_content_hash(record)]

    # an edit is still an edit
    edited = parse_article(html.replace(b"two years", b"three years"), url=URL,
                           fetched_at=NIGHT_1 + timedelta(days=2))
    assert not store.is_unchanged(edited)
    assert store.store(edited, raw_html=html, fetched_at="2025-09-22T02:00:00Z").status == "changed"


def test_an_older_capture_matches_versions_hashed_by_an_earlier_release(store: ArchiveStore):
    """A WARC capture older than the current version, with the content of a version stored by
    an earlier release (its hash by the old rules), is that version seen again, not a new one."""
    first, second = page(), page(caption="Councillor Ben Jones, not the mayor as first captioned.")
    assert crawl_night(store, 0, first).status == "new"
    assert crawl_night(store, 10, second).status == "changed"
    for version_id, record_json in store.db.execute("SELECT id, record_json FROM versions").fetchall():
        old = hash_as_archived(ArticleRecord.from_dict(json.loads(record_json)))
        store.db.execute("UPDATE versions SET content_hash = ? WHERE id = ?", [old, version_id])
    store.db.conn.commit()
    assert crawl_night(store, 5, first).status == "unchanged"   # January's content, seen again
    assert crawl_night(store, 8, second).status == "unchanged"  # the next version, first seen earlier
    assert len(store.versions(URL)) == 2


def test_a_site_marking_every_page_free_or_not_makes_no_version(store: ArchiveStore):
    """isAccessibleForFree is no content: a site that adds it to every page (an SEO plugin's
    update) or marks a page for subscribers while serving all of it changes no article."""
    assert crawl_night(store, 0, page()).status == "new"
    for night, value in ((1, "true"), (2, "false")):
        marked = page().replace(b"</head>", b'<script type="application/ld+json">{"@type": "NewsArticle", '
                                b'"isAccessibleForFree": %s}</script></head>' % value.encode())
        assert parse_article(marked, url=URL).accessible_for_free is (value == "true")
        assert crawl_night(store, night, marked).status == "unchanged"
    assert len(store.versions(URL)) == 1
