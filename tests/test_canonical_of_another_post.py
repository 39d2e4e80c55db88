"""Posts whose canonical link names another post: a post made with "Duplicate Post" keeps its
original's SEO canonical, a cache serves one page's head with others. Each such post became a
version of the post its canonical link names: a first crawl of three posts archived one article
with three versions, every re-crawl added three more ("changed 3"), its current text was
whichever post came last, and the other two were never archived as themselves. A page whose
canonical link names another address is that article only when nothing says it is another
post (its post ID, else its publication time): print and AMP copies stay copies."""
from __future__ import annotations

import html
import sqlite3

import pytest

from archive import ArchiveStore
from archive.identity import other_post
from scraper.extract import parse_article
from tests.conftest import LOOPBACK, FrontPageSite, articles_line, run_cli, serving_site

ORIGINAL = "/2025/09/01/harbour-pier-rebuilt/"
# (path, post number, published, headline); the last two name ORIGINAL as their canonical page
POSTS = [
    (ORIGINAL, 11, "2025-09-01T08:00:00+00:00", "Harbour pier to be rebuilt"),
    ("/2025/09/02/ferry-timetable-changes/", 12, "2025-09-02T09:30:00+00:00", "Ferry timetable changes"),
    ("/2025/09/03/market-square-reopens/", 13, "2025-09-03T07:15:00+00:00", "Market square reopens"),
]


def post_page(base: str, path: str, number: int, published: str, headline: str, canonical: str) -> bytes:
    text = "".join(f"<p>{html.escape(headline)}: paragraph {n} of the story, told in enough words to be "
                   f"an article of its own on the site.</p>" for n in range(1, 4))
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(headline)}</title>'
            f'<link rel="canonical" href="{base}{canonical}"><meta property="og:type" content="article">'
            f'<meta property="article:published_time" content="{published}"></head>'
            f'<body class="single single-post postid-{number}"><article class="post hentry">'
            f'<h1 class="entry-title">{html.escape(headline)}</h1><div class="entry-content">{text}</div>'
            f'</article></body></html>').encode()


def page_of(base: str, post: tuple) -> bytes:
    return post_page(base, *post, canonical=ORIGINAL)


class Site(FrontPageSite):
    def front_page(self):
        return [(path, headline) for path, _n, _p, headline in POSTS]

    def article(self, path):
        return next((page_of(self.base, post) for post in POSTS if post[0] == path), None)


def _versions(db) -> dict[str, list[str]]:
    with sqlite3.connect(db) as conn:
        return {url: [row[0] for row in conn.execute(
                    "SELECT v.url FROM versions v JOIN articles a ON a.id = v.article_id WHERE a.url = ? "
                    "ORDER BY v.version_no", [url])]
                for (url,) in conn.execute("SELECT url FROM articles")}


def test_posts_naming_another_post_as_canonical_are_archived_each_as_itself(tmp_path):
    db = tmp_path / "archive.db"
    with serving_site(Site) as site:
        first = run_cli("crawl", site.base + "/", "--db", str(db), "-q", *LOOPBACK)
        own = {site.base + path: [site.base + path] for path, *_ in POSTS}
        assert articles_line(first) == "articles           new 3, changed 0, unchanged 0"
        assert _versions(db) == own
        again = run_cli("crawl", site.base + "/", "--db", str(db), "-q", *LOOPBACK)
        assert articles_line(again) == "articles           new 0, changed 0, unchanged 3"
        assert _versions(db) == own
        with sqlite3.connect(db) as conn:
            titles = dict(conn.execute("SELECT article_url, title FROM current_versions"))
        assert titles == {site.base + path: headline for path, *_, headline in POSTS}


@pytest.mark.parametrize("original_first", [True, False])
def test_either_order_of_the_two_pages_gives_two_articles(tmp_path, original_first):
    """A crawl fetches both at once: the post naming the original may be stored before it."""
    base = "https://news.example"
    pages = [(base + path, page_of(base, post)) for post in POSTS[:2] for path in [post[0]]]
    if not original_first:
        pages.reverse()
    with ArchiveStore(tmp_path / "a.db") as store:
        for night in ("2025-09-04T01:00:00Z", "2025-09-05T01:00:00Z"):
            results = [store.store(parse_article(page, url=url), raw_html=page, fetched_at=night).status
                       for url, page in pages]
            assert results == (["new", "new"] if night.startswith("2025-09-04") else ["unchanged", "unchanged"])
    assert _versions(tmp_path / "a.db") == {url: [url] for url, _page in pages}


def test_a_copy_of_the_post_stays_a_copy(tmp_path):
    """The print copy has the post's ID and time: no article of its own, no version."""
    base = "https://news.example"
    path, number, published, headline = POSTS[0]
    original = post_page(base, *POSTS[0], canonical=path)
    copy = post_page(base, "/print" + path, number, published, headline, canonical=path).replace(
        b"paragraph 1", b"printed paragraph 1")
    with ArchiveStore(tmp_path / "a.db") as store:
        store.store(parse_article(original, url=base + path), raw_html=original, fetched_at="2025-09-04T01:00:00Z")
        result = store.store(parse_article(copy, url=base + "/print" + path), raw_html=copy,
                             fetched_at="2025-09-04T01:00:01Z")
    assert (result.status, result.copy) == ("unchanged", True)


@pytest.mark.parametrize("page, other, two", [
    (("12", "2025-09-01T08:00:00Z"), ("11", "2025-09-01T08:00:00Z"), True),       # post numbers differ
    (("11", "2025-09-01T08:00:00Z"), ("11", "2025-09-02T08:00:00Z"), False),      # one post, republished
    (("n.example/?p=11", None), ("11", "2025-09-01T08:00:00Z"), False),           # written otherwise: unknown
    (("n.example/?p=11", "2025-09-01T08:00:00Z"), ("11", "2025-09-01T09:00:00Z"), True),  # the times differ
    ((None, "2025-09-01T00:00:00Z"), (None, "2025-09-01T08:00:00Z"), False),      # a day: the same day
    ((None, "2025-09-01T00:00:00Z"), (None, "2025-09-02T08:00:00Z"), True),
    ((None, None), (None, "2025-09-02T08:00:00Z"), False),                       # nothing known
])
def test_what_tells_two_posts_apart(page, other, two):
    assert other_post(page, other) is two
    assert other_post(other, page) is two
