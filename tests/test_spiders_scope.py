"""The pieces the spiders share: scope options, date hints, sitemap/feed/URL-list readers,
and the archive lookup behind lastmod skipping."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from archive import ArchiveStore
from archive.lookups import last_fetched_at
from scraper.extract import parse_article
from spiders.feed_reader import read_feed
from spiders.hints import fill_gaps, hint_iso, hint_range, make_hints
from spiders.scope import DateWindow, Scope, ScopeError
from spiders.sitemap_reader import read_sitemap
from spiders.urls import read_urls_file

UTC = timezone.utc


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


# -- scope ------------------------------------------------------------------------------
def test_window_days_are_inclusive_utc_days():
    window = Scope.from_args(since="2025-09-01", until="2025-09-30").window
    assert window.since == utc(2025, 9, 1) and window.until == utc(2025, 10, 1)
    assert window.contains("2025-09-01T00:00:00Z") and window.contains("2025-09-30T23:59:59Z")
    assert not window.contains("2025-08-31T23:59:59Z") and not window.contains("2025-10-01T00:00:00Z")
    assert not window.contains(None)              # undated: not known to be inside
    assert DateWindow().contains(None)            # no window: everything
    assert Scope.from_args(since="2025-09-01T12:00:00+02:00").window.since == utc(2025, 9, 1, 10)


def test_hints_rule_entries_out_only_when_clearly_outside():
    window = Scope.from_args(since="2025-09-01", until="2025-09-30").window
    assert window.clearly_outside(published=hint_range("2025-08-20T10:00:00Z"))
    assert window.clearly_outside(published=hint_range("Mon, 13 Oct 2025 08:00:00 +0000"))
    # Near the edges a page may show only its local day: fetch and let the page decide.
    assert not window.clearly_outside(published=hint_range("2025-08-31T23:00:00Z"))
    assert not window.clearly_outside(published=hint_range("2025-10-01"))
    # A modification time bounds publication from above only.
    assert window.clearly_outside(modified=hint_range("2025-08-01"))
    assert not window.clearly_outside(modified=hint_range("2026-01-01T00:00:00Z"))
    assert not window.clearly_outside()


@pytest.mark.parametrize("args, message", [
    ({"since": "yesterday"}, "--since: not a date"),
    ({"until": "2025-02-30"}, "--until: not a date"),
    ({"since": "2025-09-02", "until": "2025-09-01"}, "before --since"),
    ({"include": "("}, "--include: not a valid regular expression"),
    ({"exclude": "[a-"}, "--exclude: not a valid regular expression"),
    ({"max_depth": "0"}, "--max-depth: expected a positive whole number"),
    ({"max_pages": "many"}, "--max-pages: expected a positive whole number"),
    ({"allowed_domains": "a.com,,b.com"}, "--allow-domain: not a domain name"),
])
def test_bad_scope_values_name_the_option(args, message):
    with pytest.raises(ScopeError, match=message):
        Scope.from_args(**args)


def test_urls_in_and_out_of_scope():
    scope = Scope.from_args(allowed_domains="news.example.com, https://Other.org/x", include=r"/20\d\d/",
                            exclude=r"/2024/")
    assert scope.allowed_domains == ["news.example.com", "other.org"]
    assert scope.may_archive("https://news.example.com/2025/01/02/a/")
    assert scope.may_archive("https://www.other.org/2025/01/02/a/")            # subdomain
    assert not scope.may_archive("https://news.example.com/about/")           # not included
    assert scope.may_fetch("https://news.example.com/about/")                 # ... but may be fetched
    assert not scope.may_fetch("https://news.example.com/2024/05/06/b/")      # excluded: never fetched
    assert not scope.may_fetch("https://example.com/2025/01/02/a/")           # parent domain is not allowed
    assert not scope.may_fetch("https://evilnews.example.com.evil/2025/")


def test_pop_from_leaves_other_spider_arguments():
    kwargs = {"start_url": "https://x/", "since": "2025-01-01", "max_pages": "5", "allowed_domains": "x"}
    scope = Scope.pop_from(kwargs)
    assert kwargs == {"start_url": "https://x/"}
    assert scope.max_pages == 5 and scope.window.since == utc(2025, 1, 1)


# -- hints ----------------------------------------------------------------------------------
def test_hint_dates():
    assert hint_range("2025-09-09T10:30:00+02:00") == (utc(2025, 9, 9, 8, 30),) * 2
    assert hint_range("Tue, 09 Sep 2025 08:30:00 +0000") == (utc(2025, 9, 9, 8, 30),) * 2
    earliest, latest = hint_range("2025-09-09")
    assert earliest < utc(2025, 9, 9) and latest > utc(2025, 9, 10)
    assert hint_range("soon") is None and hint_range(None) is None
    assert hint_iso("2025-09-09T10:30:00+02:00") == "2025-09-09T08:30:00Z"
    assert hint_iso("2025-09-09") is None            # a day is not an instant


BARE_ARTICLE = b"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Harbour plan approved</title>
<meta property="og:type" content="article"></head>
<body class="post-template-default single single-post postid-12"><article class="post-12 post type-post">
<h1 class="entry-title">Harbour plan approved</h1><div class="entry-content">
<p>The council approved the harbour plan on a close vote after a long debate about costs and timing.</p>
<p>Residents who opposed the scheme said they would keep campaigning against the new quay.</p></div>
</article></body></html>"""


def test_hints_fill_gaps_only():
    record = parse_article(BARE_ARTICLE, url="https://news.example.com/2025/09/05/harbour-plan/")
    assert record.is_article and record.published_at is None and record.authors == []
    old_hash = record.content_hash
    hints = make_hints("rss", title="Feed title", authors=["Ann Lee"],
                       published_at="Fri, 05 Sep 2025 07:00:00 +0000", modified_at=None)
    assert fill_gaps(record, hints) == ["authors", "published_at"]
    assert record.title == "Harbour plan approved"          # the page's own title wins
    assert record.authors == ["Ann Lee"] and record.published_at == "2025-09-05T07:00:00Z"
    assert "published_at from the rss" in record.problems
    assert record.content_hash != old_hash
    again = fill_gaps(record, make_hints("atom", authors=["Someone Else"], published_at="2020-01-01T00:00:00Z"))
    assert again == [] and record.authors == ["Ann Lee"]     # never overrides


# -- readers ----------------------------------------------------------------------------------
def test_read_sitemap_index_news_and_broken():
    doc = read_sitemap(b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc> https://x/a.xml </loc><lastmod>2025-01-01</lastmod></sitemap></sitemapindex>""")
    assert doc.kind == "sitemapindex" and doc.problem is None
    assert [(e.loc, e.lastmod) for e in doc.entries] == [("https://x/a.xml", "2025-01-01")]

    doc = read_sitemap(b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
      xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://x/1/</loc>
      <news:news><news:publication><news:name>X</news:name></news:publication>
      <news:publication_date>2025-09-09T10:00:00Z</news:publication_date><news:title>T &amp; U</news:title>
      </news:news></url></urlset>""")
    assert (doc.entries[0].news_publication_date, doc.entries[0].news_title) == ("2025-09-09T10:00:00Z", "T & U")

    broken = b"""<?xml version="1.0"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://x/1/</loc></url>
<url><loc>https://x/2/</loc><lastmod>2025</lastmod></oops>
<url><loc>https://x/3/</loc></url>
"""
    doc = read_sitemap(broken)
    assert doc.kind == "urlset" and doc.problem.startswith("line 4:")
    assert [e.loc for e in doc.entries][:2] == ["https://x/1/", "https://x/2/"]
    assert read_sitemap(b"<html><body>hi</body></html>").kind is None
    assert read_sitemap(b"\x00\x01 not xml").kind is None


def test_read_rss_and_atom():
    rss = read_feed(b"""<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
      <item><title>A</title><link>https://x/a/</link><pubDate>Tue, 09 Sep 2025 08:30:00 +0000</pubDate>
      <dc:creator><![CDATA[Ann Lee]]></dc:creator><dc:creator>Bo Chen</dc:creator></item>
      <item><title>B</title><guid>https://x/b/</guid><author>bo@x.org (Bo Chen)</author></item>
      <item><title>no link</title></item></channel></rss>""")
    assert rss.kind == "rss" and [e.link for e in rss.entries] == ["https://x/a/", "https://x/b/"]
    assert rss.entries[0].authors == ["Ann Lee", "Bo Chen"] and rss.entries[1].authors == ["Bo Chen"]
    assert rss.entries[0].published == "Tue, 09 Sep 2025 08:30:00 +0000"

    atom = read_feed(b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>A</title>
      <link rel="replies" href="https://x/a/#comments"/><link rel="alternate" href="https://x/a/"/>
      <author><name>Ann Lee</name></author><published>2025-09-09T08:30:00Z</published>
      <updated>2025-09-10T08:30:00Z</updated></entry></feed>""")
    entry = atom.entries[0]
    assert atom.kind == "atom" and entry.link == "https://x/a/" and entry.authors == ["Ann Lee"]
    assert (entry.published, entry.updated) == ("2025-09-09T08:30:00Z", "2025-09-10T08:30:00Z")
    assert read_feed(b"<urlset/>").kind is None


def test_urls_file_reports_junk_with_line_numbers(tmp_path):
    path = tmp_path / "urls.txt"
    path.write_text("# saved searches\n\nhttps://x.org/a/\n  https://x.org/b/   # the second\n"
                    "x.org/c/\nftp://x.org/d\nhttps://x.org/has space/\nhttp://\n", encoding="utf-8")
    urls, junk = read_urls_file(str(path))
    assert urls == [(3, "https://x.org/a/"), (4, "https://x.org/b/")]
    assert [n for n, _ in junk] == [5, 6, 7, 8]


# -- lookups --------------------------------------------------------------------------------------
def test_last_fetched_at(tmp_path):
    db = tmp_path / "archive.db"
    assert last_fetched_at(db, ["https://x/"]) == {}          # missing archive: nothing known
    assert not db.exists()
    record = parse_article(BARE_ARTICLE, url="https://news.example.com/a/")
    with ArchiveStore(db) as store:
        store.store(record, raw_html=BARE_ARTICLE, fetched_at="2025-09-10T10:00:00Z")
        assert last_fetched_at(store, ["https://news.example.com/a/"]) == {
            "https://news.example.com/a/": "2025-09-10T10:00:00Z"}
    urls = [f"https://news.example.com/{n}/" for n in range(1200)] + ["https://news.example.com/a/"]
    assert last_fetched_at(str(db), urls) == {"https://news.example.com/a/": "2025-09-10T10:00:00Z"}
    # a site moved to https (or dropped www.) lists the new URLs in its sitemap: the article is known
    moved = ["http://news.example.com/a/", "https://www.news.example.com/a/", "http://www.news.example.com/a/"]
    assert last_fetched_at(str(db), moved) == {url: "2025-09-10T10:00:00Z" for url in moved}
    with ArchiveStore(db) as store:  # fetched again under the other scheme: the later sighting
        other = parse_article(BARE_ARTICLE, url="http://news.example.com/a/")
        store.store(other, raw_html=BARE_ARTICLE, fetched_at="2025-09-11T10:00:00.5Z")
    assert last_fetched_at(str(db), ["https://news.example.com/a/"]) == {
        "https://news.example.com/a/": "2025-09-11T10:00:00.5Z"}
