"""A site that changes its permalink structure: /2025/09/01/slug/ becomes /slug/, the old URLs
answer 301 and the canonical links name the new ones. Every story became a second article
(the night after: new 3 of 3, each story twice in search, `show OLD_URL` a stale copy). The
post ID each page states (WordPress's shortlink /?p=N or its postid-N body class) finds the
article archived under the old URL; a page without one, one whose publication time changed,
and another install's post with the same number (/b/?p=7 beside /a/?p=7) stay new articles."""
from __future__ import annotations

import html
import sqlite3

import pytest

from archive import ArchiveStore
from tests.conftest import LOOPBACK, SiteHandler, articles_line, run_cli, serving_site

DAY = "2025-09-01T08:00:00+00:00"
# install, post number, slug, title, shortlink (else the body class only), post ID at all
POSTS = [
    ("", 1, "harbour-expansion-approved", "Harbour expansion approved", True, True),
    ("", 2, "bridge-closed-for-repairs", "Bridge closed for repairs", True, True),
    ("", 3, "council-votes-on-budget", "Council votes on the budget", False, True),  # postid-3 only
    ("", 4, "museum-reopens-in-spring", "Museum reopens in spring", True, False),    # no post ID
    ("", 5, "ferry-timetable-changes", "Ferry timetable changes", True, True),       # republished
    ("/a", 7, "library-opening-hours", "Library opening hours extended", True, True),
    ("/b", 7, "school-term-dates", "School term dates announced", True, True),      # night 2 only
]


def _published(post, night):
    return "2025-09-03T09:30:00+00:00" if post[1] == 5 and night >= 2 else DAY


def _path(post, night):
    install, _, slug = post[:3]
    flat = night >= 2 and not install  # the root install changes its permalinks on night 2
    return f"{install}/{slug}/" if flat or install else f"/2025/09/01/{slug}/"


class _Site(SiteHandler):
    night = 1
    base = ""

    @classmethod
    def listed(cls):
        return [p for p in POSTS if p[0] != "/b" or cls.night >= 2]

    def do_GET(self):
        night, base, path = self.night, self.base, self.path.split("?")[0]
        if path == "/robots.txt":
            return self._send(200, b"User-agent: *\nAllow: /\n", "text/plain")
        if path == "/":
            links = "".join(f'<h2><a href="{base}{_path(p, night)}">{html.escape(p[3])}</a></h2>' for p in self.listed())
            return self._send(200, f'<!doctype html><html><head><title>Harbour Times</title></head>'
                                   f'<body class="home blog">{links}</body></html>'.encode())
        for post in self.listed():
            if path == _path(post, night):
                return self._send(200, self.article(post, night).encode())
            if path == _path(post, 1) and night >= 2:  # the old permalink
                return self._send(301, b"", location=base + _path(post, night))
        return self._send(404, b"<html><body>Not found</body></html>")

    def article(self, post, night):
        install, number, _, title, shortlink, has_id = post
        url = self.base + _path(post, night)
        head = f'<link rel="canonical" href="{url}">'
        if has_id and shortlink:
            head += f"<link rel='shortlink' href='{self.base}{install}/?p={number}' />"
        body_class = "single single-post" + (f" postid-{number}" if has_id else "")
        text = "".join(f"<p>{html.escape(title)}: paragraph {n} of a story that stays the same.</p>" for n in range(3))
        return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>{head}'
                f'<meta property="og:type" content="article"><meta property="article:published_time" '
                f'content="{_published(post, night)}"></head><body class="{body_class}">'
                f'<article class="post hentry"><h1 class="entry-title">{html.escape(title)}</h1>'
                f'<div class="entry-content">{text}</div></article></body></html>')


@pytest.fixture
def site():
    with serving_site(_Site, night=1) as handler:
        yield handler


def article_urls(db):
    with sqlite3.connect(db) as conn:
        return {url: count for url, count in conn.execute("SELECT url, version_count FROM articles")}


@pytest.mark.slow
def test_a_permalink_change_keeps_each_story_one_article(tmp_path, site):
    db = tmp_path / "archive.db"
    assert articles_line(run_cli("crawl", site.base + "/", "--db", str(db), "-q", *LOOPBACK)) == \
        "articles           new 6, changed 0, unchanged 0"
    old = {post[1:3]: site.base + _path(post, 1) for post in POSTS}

    site.night = 2
    # new: the post without a post ID, the republished one, and /b/'s post 7; moved: 1, 2, 3
    assert articles_line(run_cli("crawl", site.base + "/", "--db", str(db), "-q", *LOOPBACK)) == \
        "articles           new 3, changed 3 (moved 3), unchanged 1"
    new = {post[1:3]: site.base + _path(post, 2) for post in POSTS}
    archived = article_urls(db)
    for key in [(1, "harbour-expansion-approved"), (2, "bridge-closed-for-repairs"), (3, "council-votes-on-budget")]:
        assert archived[new[key]] == 2 and old[key] not in archived  # its history kept, at its new URL
    for key in [(4, "museum-reopens-in-spring"), (5, "ferry-timetable-changes")]:
        assert archived[new[key]] == 1 and archived[old[key]] == 1   # as before post IDs
    assert archived[new[(7, "school-term-dates")]] == 1 and archived[old[(7, "library-opening-hours")]] == 1
    assert len(archived) == 9

    # show finds the story by either URL; search finds it once
    key = (1, "harbour-expansion-approved")
    by_old, by_new = (run_cli("show", url, "--db", str(db)) for url in (old[key], new[key]))
    assert by_old.returncode == 0 and by_old.stdout == by_new.stdout and "Version 2 of 2" in by_new.stdout
    with ArchiveStore(db) as store:
        assert len(store.search('"harbour expansion approved"')) == 1

    # the night after: found at the new URLs at once, nothing moves back
    assert articles_line(run_cli("crawl", site.base + "/", "--db", str(db), "-q", *LOOPBACK)) == \
        "articles           new 0, changed 0, unchanged 7"
    assert article_urls(db) == archived


@pytest.mark.slow
def test_a_url_list_of_the_old_urls_follows_the_301_to_the_same_article(tmp_path, site):
    # --via urls re-checking the archived URLs followed each 301 and stored the story anew.
    db = tmp_path / "archive.db"
    run_cli("crawl", site.base + "/", "--db", str(db), "-q", *LOOPBACK)
    listing = tmp_path / "urls.txt"
    listing.write_text("".join(f"{url}\n" for url in article_urls(db)), encoding="utf-8")
    site.night = 2
    result = run_cli("crawl", str(listing), "--via", "urls", "--db", str(db), "-q", *LOOPBACK)
    # post 4 (no post ID) and post 5 (republished) are new, as before; /a/'s post keeps its URL
    assert articles_line(result) == "articles           new 2, changed 3 (moved 3), unchanged 1"
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 8
