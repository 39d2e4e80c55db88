"""Copies of a story at other addresses, each with a canonical link to the story: a print copy
(/print/story/), an AMP copy under a prefix (/amp/story/) and a translation whose canonical
link points at the original (/fr/story/). Print and AMP copies became a version of the story, so every crawl
of an unchanged site reported 'changed' and the story's current version was whichever copy
came last. The copies add no version. (A translation under another headline is no copy: it
versions the story, see writer.is_copy.) The story's page 2 (WordPress's <!--nextpage--> /story/2/), which
its page links name, is part of the story: it was an article of its own, and is no copy either.
A later page no page link names (/story/page/2/ of a theme that prints none), with the same
canonical link, is an article of its own (identity.article_url: a canonical link naming a
directory above the page is not its identity) and must stay as stable."""
from __future__ import annotations

import hashlib
import html
import sqlite3

import pytest

from tests.conftest import LOOPBACK, SiteHandler, articles_line, run_cli, serving_site

STORY = "/2025/09/10/harbour-expansion-approved/"
PLAIN = "/2025/09/11/bridge-closed-for-repairs/"   # no canonical link (a theme without SEO plugin)
COPIES = {"/print" + STORY: "Printer-friendly copy.", "/amp" + STORY: "AMP copy."}
LATER_PAGES = {STORY + "page/2/": "Second page: the neighbours' reactions."}
PAGE_2 = STORY + "2/"  # named by the story's page links
PAGE_2_TEXT = "Page two of the story."


def _page_links(base, current):
    links = (f'<a class="post-page-numbers" href="{base}{path}">{number}</a>' if path != current else
             f'<span class="post-page-numbers current">{number}</span>' for number, path in ((1, STORY), (2, PAGE_2)))
    return f'<div class="page-links">Pages: {" ".join(links)}</div>'


def _article(title, paragraphs, canonical=None, lang="en", page_links=""):
    link = f'<link rel="canonical" href="{html.escape(canonical)}">' if canonical else ""
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs) + page_links
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>{link}'
            f'<meta property="og:type" content="article"><meta property="article:published_time" '
            f'content="2025-09-10T08:00:00+00:00"></head><body class="single single-post postid-4">'
            f'<article class="post hentry"><h1 class="entry-title">{html.escape(title)}</h1>'
            f'<div class="entry-content">{body}</div></article></body></html>')


class _Site(SiteHandler):
    edition = 1
    base = ""
    log: list = []

    @classmethod
    def page(cls, path):
        edition, base = cls.edition, cls.base
        text = [f"The harbour board approved the expansion on Tuesday, edition {edition} of the story, "
                "after two years of study and a long debate in the council chamber.",
                "The project will add two deep-water berths and is expected to cost 140 million euros.",
                "Fishermen warned that the dredging could disturb spawning grounds in the outer bay."]
        if path == "/":
            links = "".join(f'<h2><a href="{base}{p}">{p}</a></h2>' for p in [STORY, *COPIES, *LATER_PAGES, PAGE_2, PLAIN])
            return ('<!doctype html><html><head><title>Home</title></head><body class="home blog">'
                    f"{links}</body></html>")
        if path in (STORY, PAGE_2):
            return _article("Harbour expansion approved", text if path == STORY else [f"{PAGE_2_TEXT} ({edition})"],
                            base + path, page_links=_page_links(base, path))
        if path in COPIES or path in LATER_PAGES:
            french = path.startswith("/fr/")
            return _article("L'extension du port approuvée" if french else "Harbour expansion approved",
                            [{**COPIES, **LATER_PAGES}[path] + f" ({edition})", *text[1:]], base + STORY,
                            "fr" if french else "en")
        if path == PLAIN:
            return _article("Bridge closed for repairs",
                            [f"The bridge is closed for repairs, edition {edition}, until the end of the month "
                             "while engineers replace the worn bearings.", *text[1:]])
        if path == "/robots.txt":
            return None
        return False

    def do_GET(self):
        type(self).log.append(self.path)
        page = self.page(self.path.split("?")[0])
        if page is None:
            return self._send(200, b"User-agent: *\nAllow: /\n", "text/plain")
        if page is False:
            return self._send(404, b"<html><body>Not found</body></html>")
        body = page.encode()
        etag = '"%s"' % hashlib.md5(body).hexdigest()
        if self.headers.get("If-None-Match") == etag:
            return self._send(304, b"", etag=etag)
        self._send(200, body, etag=etag)


@pytest.fixture
def site():
    with serving_site(_Site, log=[], edition=1) as handler:
        yield handler


def versions(db):
    with sqlite3.connect(db) as conn:
        return {url: [row[0] for row in conn.execute(
                    "SELECT v.url FROM versions v JOIN articles a ON a.id = v.article_id WHERE a.url = ? "
                    "ORDER BY v.version_no", [url])]
                for (url,) in conn.execute("SELECT url FROM articles")}


def current_page(db, url):
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT v.url FROM articles a JOIN versions v ON v.id = a.current_version_id "
                            "WHERE a.url = ?", [url]).fetchone()[0]


def check_first_crawl(site, db, result):
    story, plain = site.base + STORY, site.base + PLAIN
    later = [site.base + path for path in LATER_PAGES]
    line = articles_line(result)
    archived = versions(db)
    assert set(archived) == {story, plain, *later}, archived
    assert all(archived[url] == [url] for url in [plain, *later]), archived
    # Copies fetched before the story version it as any page does; the story's page then does.
    assert archived[story][-1] == story and len(archived[story]) <= 1 + len(COPIES), archived
    assert current_page(db, story) == story
    assert line.startswith(f"articles           new 3, changed {len(archived[story]) - 1},"), line
    with sqlite3.connect(db) as conn:  # page 2's text is the story's
        (body,) = conn.execute("SELECT body_text FROM current_versions WHERE article_url = ?", [story]).fetchone()
    assert f"{PAGE_2_TEXT} ({site.edition})" in body, body
    return archived


@pytest.mark.slow
def test_a_site_with_copies_of_a_story_recrawled_adds_no_versions(tmp_path, site):
    db = tmp_path / "archive.db"
    result = run_cli("crawl", site.base + "/", "--db", str(db), "-q", *LOOPBACK)
    archived = check_first_crawl(site, db, result)
    # the AMP and print copies are not fetched: the story is, instead
    assert not [path for path in site.log if path.startswith(("/amp/", "/print/"))], site.log
    assert archived[site.base + STORY] == [site.base + STORY]

    for _ in range(2):  # an unchanged site: nothing changed
        result = run_cli("crawl", site.base + "/", "--db", str(db), "-q", *LOOPBACK)
        assert articles_line(result) == "articles           new 0, changed 0, unchanged 3 (not modified 3)"
        assert versions(db) == archived

    site.edition = 2  # every page really changes
    result = run_cli("crawl", site.base + "/", "--db", str(db), "-q", *LOOPBACK)
    assert articles_line(result) == "articles           new 0, changed 3, unchanged 0"
    assert versions(db) == {url: [*pages, pages[-1]] for url, pages in archived.items()}
    shown = run_cli("show", site.base + STORY, "--db", str(db))
    assert "edition 2 of the story" in shown.stdout and "Printer-friendly" not in shown.stdout
    assert f"{PAGE_2_TEXT} (2)" in " ".join(shown.stdout.split())


@pytest.mark.slow
def test_a_url_list_naming_the_copies_keeps_one_article_with_stable_versions(tmp_path, site):
    # A URL list is fetched as written, /print/ and /amp/ copies too: the archive tells them apart.
    urls = tmp_path / "urls.txt"
    urls.write_text("".join(f"{site.base}{path}\n" for path in [*COPIES, *LATER_PAGES, PAGE_2, STORY, PLAIN]))
    db = tmp_path / "archive.db"
    result = run_cli("crawl", str(urls), "--via", "urls", "--db", str(db), "-q", *LOOPBACK)
    archived = check_first_crawl(site, db, result)
    for _ in range(2):
        result = run_cli("crawl", str(urls), "--via", "urls", "--db", str(db), "-q", *LOOPBACK)
        assert articles_line(result) == "articles           new 0, changed 0, unchanged 5 (not modified 3; copies 2)"
        assert versions(db) == archived
    with sqlite3.connect(db) as conn:  # the story's validators are its own page's, not a copy's
        (etag,) = conn.execute("SELECT etag FROM articles WHERE url = ?", [site.base + STORY]).fetchone()
    assert etag == '"%s"' % hashlib.md5(site.page(STORY).encode()).hexdigest()
