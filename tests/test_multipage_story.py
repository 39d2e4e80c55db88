"""A story split over several pages (WordPress's <!--nextpage-->: /story/, /story/2/, /story/3/)
is one article with the whole text. It was archived as one article per page: the story's record
held page 1's text only, search found page 3's words under another "article", export had a row
per page."""
from __future__ import annotations

import hashlib
import html
import sqlite3

import pytest

from tests.conftest import LOOPBACK, FrontPageSite, articles_line, run_cli, serving_site

STORY = "/2025/09/12/council-budget-vote/"
OTHER = "/2025/09/11/bridge-closed-for-repairs/"
PAGE_WORDS = {1: "The council voted on the budget on Monday after a long debate about the harbour.",
              2: "Page two: the opposition asked for more money for schools and libraries.",
              3: "Finally the mayor thanked the clerks, and the zeppelin museum got its grant."}


def story_page(number, text, base=""):
    links = " ".join(f'<span class="post-page-numbers current">{n}</span>' if n == number else
                     f'<a href="{base}{STORY}{"" if n == 1 else f"{n}/"}" class="post-page-numbers">{n}</a>'
                     for n in (1, 2, 3))
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Budget vote</title>'
            f'<link rel="canonical" href="{base}{STORY}{"" if number == 1 else f"{number}/"}">'
            f'<meta property="og:type" content="article"><meta property="article:published_time" '
            f'content="2025-09-12T08:00:00+00:00"><meta property="article:tag" content="Council">'
            f'</head><body class="post-template-default single single-post postid-12">'
            f'<article class="post hentry"><h1 class="entry-title">Budget vote</h1>'
            f'<span class="byline"><a rel="author" href="/author/ann/">Ann Writer</a></span>'
            f'<div class="entry-content"><p>{html.escape(text)}</p>'
            f'<p>More words on page {number} so that every page has a paragraph of its own.</p>'
            f'<div class="page-links">Pages: {links}</div></div></article>'
            f'<nav class="navigation post-navigation"><div class="nav-links"><div class="nav-previous">'
            f'<a href="{base}{OTHER}" rel="prev">Bridge closed</a></div></div></nav>'
            f'<div id="comments"><a href="{base}{STORY}comment-page-2/#comments">Older comments</a></div>'
            f'</body></html>')


class _Site(FrontPageSite):
    page2 = PAGE_WORDS[2]
    page3_gone = False
    log: list = []

    def front_page(self):
        return [(STORY, "Budget vote"), (OTHER, "Bridge closed")]

    def article(self, path):
        type(self).log.append(path)
        texts = {STORY: (1, PAGE_WORDS[1]), STORY + "2/": (2, self.page2)}
        if not self.page3_gone:
            texts[STORY + "3/"] = (3, PAGE_WORDS[3])
        if path in texts:
            return story_page(*texts[path], self.base).encode()
        if path == OTHER:
            return (f'<!doctype html><html><head><meta charset="utf-8"><title>Bridge closed</title>'
                    f'<meta property="og:type" content="article"></head><body class="single single-post">'
                    f'<article class="post"><h1 class="entry-title">Bridge closed</h1><div class="entry-content">'
                    f'<p>The bridge is closed for repairs until the end of the month.</p></div></article>'
                    f'</body></html>').encode()
        return None


class _ConditionalSite(_Site):
    """The site with an ETag on every article page, answering 304 to a request that sends it."""
    answers: list = []

    def _send(self, status, body, ctype="text/html; charset=utf-8", **headers):
        if status == 200 and self.path.startswith("/2025/"):
            etag = f'"{hashlib.sha1(body).hexdigest()[:16]}"'
            if self.headers.get("If-None-Match") == etag:
                type(self).answers.append((self.path, 304))
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            headers["etag"] = etag
        type(self).answers.append((self.path, status))
        super()._send(status, body, ctype, **headers)


def _crawl(site, db, *more):
    return articles_line(run_cli("crawl", site.base + "/", "--db", str(db), "-q", *more, *LOOPBACK))


def _story(db, base):
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT v.id, v.version_no, v.body_text, v.problems, a.version_count FROM articles a "
            "JOIN versions v ON v.id = a.current_version_id WHERE a.url = ?", [base + STORY]).fetchone()


def _later_pages(db, version_id):
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT page_no, url, size > 0 FROM raw_later_pages WHERE version_id = ? ORDER BY page_no",
                            [version_id]).fetchall()


def _warc_responses(folder):
    from warcio.archiveiterator import ArchiveIterator

    urls = []
    for path in sorted(folder.glob("*.warc.gz")):
        with open(path, "rb") as stream:
            urls += [record.rec_headers.get_header("WARC-Target-URI") for record in ArchiveIterator(stream)
                     if record.rec_type == "response"]
    return urls


@pytest.fixture
def site():
    with serving_site(_Site, log=[]) as handler:
        yield handler


@pytest.mark.slow
def test_a_three_page_story_is_one_article_with_its_whole_text(tmp_path, site):
    db = tmp_path / "archive.db"
    assert _crawl(site, db, "--warc", str(tmp_path / "warcs")) == "articles           new 2, changed 0, unchanged 0"
    with sqlite3.connect(db) as conn:
        assert sorted(url for (url,) in conn.execute("SELECT url FROM articles")) == [site.base + OTHER,
                                                                                        site.base + STORY]
    assert {site.base + STORY + later for later in ("", "2/", "3/")} <= set(_warc_responses(tmp_path / "warcs"))
    version_id, version_no, body, problems, _ = _story(db, site.base)
    assert [PAGE_WORDS[n] in body for n in (1, 2, 3)] == [True, True, True], body
    assert "Pages:" not in body and problems == "[]"
    assert _later_pages(db, version_id) == [(2, site.base + STORY + "2/", 1), (3, site.base + STORY + "3/", 1)]
    assert not [path for path in site.log if "comment-page" in path]
    found = run_cli("search", "zeppelin", "--db", str(db))
    assert found.returncode == 0 and site.base + STORY in found.stdout and "/3/" not in found.stdout, found.stdout
    shown = " ".join(run_cli("show", site.base + STORY, "--db", str(db)).stdout.split())  # wrapped lines
    assert PAGE_WORDS[1] in shown and PAGE_WORDS[3] in shown, shown

    # unchanged, fetched again whole (the site sends no validators)
    assert _crawl(site, db) == "articles           new 0, changed 0, unchanged 2"
    assert _story(db, site.base)[1] == 1

    site.page2 = "Page two, corrected: the opposition asked for more money for schools."
    assert _crawl(site, db) == "articles           new 0, changed 1, unchanged 1"
    version_id, version_no, body, problems, _ = _story(db, site.base)
    assert version_no == 2 and site.page2 in body and PAGE_WORDS[3] in body

    # page 3 taken down: the story of pages 1 and 2, saying what is missing
    site.page3_gone = True
    result = run_cli("crawl", site.base + "/", "--db", str(db), "-q", *LOOPBACK)
    assert articles_line(result) == "articles           new 0, changed 1, unchanged 1"
    version_id, version_no, body, problems, _ = _story(db, site.base)
    assert version_no == 3 and PAGE_WORDS[1] in body and site.page2 in body and PAGE_WORDS[3] not in body
    assert problems == f'["page 3 missing: {site.base}{STORY}3/"]'
    assert _later_pages(db, version_id) == [(2, site.base + STORY + "2/", 1)]

    # the stored pages read again make the same records
    reparsed = run_cli("reparse", "--db", str(db))
    assert reparsed.returncode == 0 and "changed 0, unchanged 2, failed 0" in reparsed.stdout, reparsed.stdout
    assert _story(db, site.base)[4] == 3


@pytest.mark.slow
def test_an_edit_of_page_2_is_archived_when_page_1_answers_304(tmp_path):
    """A re-crawl sends page 1's ETag, and a 304 to it says nothing of pages 2 and 3: they were
    not fetched, and a correction on page 2 alone was never archived while page 1 stayed as it was."""
    db = tmp_path / "archive.db"
    with serving_site(_ConditionalSite, log=[], answers=[]) as site:
        story = [STORY, STORY + "2/", STORY + "3/"]
        assert _crawl(site, db) == "articles           new 2, changed 0, unchanged 0"
        site.answers.clear()
        assert _crawl(site, db) == "articles           new 0, changed 0, unchanged 2 (not modified 2)"
        assert [answer for answer in site.answers if answer[0] in story] == [
            (STORY, 304), (STORY + "2/", 200), (STORY + "3/", 200)]
        assert _story(db, site.base)[4] == 1

        site.page2 = "Page two, corrected: the opposition asked for more money for schools."
        site.answers.clear()
        result = run_cli("crawl", site.base + "/", "--db", str(db), *LOOPBACK)
        assert articles_line(result) == "articles           new 0, changed 1, unchanged 1 (not modified 1)"
        assert "pages fetched      5 " in result.stdout and "article pages      2 (not modified 2;" in result.stdout
        assert (STORY, 304) in site.answers
        version_id, version_no, body, problems, count = _story(db, site.base)
        assert (version_no, count, problems) == (2, 2, "[]")
        assert [text in body for text in (PAGE_WORDS[1], site.page2, PAGE_WORDS[3])] == [True, True, True], body
        assert _later_pages(db, version_id) == [(2, site.base + STORY + "2/", 1), (3, site.base + STORY + "3/", 1)]
        with sqlite3.connect(db) as conn:  # page 1 as archived: the 304 sent none
            assert len({content for (content,) in conn.execute(
                "SELECT r.content FROM raw_pages r JOIN versions v ON v.id = r.version_id "
                "JOIN articles a ON a.id = v.article_id WHERE a.url = ?", [site.base + STORY])}) == 1
            assert conn.execute("SELECT etag IS NOT NULL FROM articles WHERE url = ?",
                                [site.base + STORY]).fetchone() == (1,)

        site.answers.clear()
        assert _crawl(site, db) == "articles           new 0, changed 0, unchanged 2 (not modified 2)"
        assert [answer for answer in site.answers if answer[0] in story] == [
            (STORY, 304), (STORY + "2/", 200), (STORY + "3/", 200)]
        assert _story(db, site.base)[4] == 2


@pytest.mark.slow
def test_a_url_list_naming_a_later_page_archives_the_story_from_its_first_page(tmp_path, site):
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{site.base}{STORY}3/\n")
    db = tmp_path / "archive.db"
    result = run_cli("crawl", str(urls), "--via", "urls", "--db", str(db), "-q", *LOOPBACK)
    assert articles_line(result) == "articles           new 1, changed 0, unchanged 0"
    with sqlite3.connect(db) as conn:
        assert [url for (url,) in conn.execute("SELECT url FROM articles")] == [site.base + STORY]
    assert all(PAGE_WORDS[n] in _story(db, site.base)[2] for n in (1, 2, 3))


@pytest.mark.slow
def test_an_archive_holding_later_pages_as_articles_keeps_them_and_gets_the_story_once(tmp_path, site):
    from archive import ArchiveStore
    from scraper.extract import parse_article

    db = tmp_path / "archive.db"
    with ArchiveStore(db) as store:  # what a crawl stored before: page 2 as an article of its own
        url = site.base + STORY + "2/"
        store.store(parse_article(story_page(2, PAGE_WORDS[2], site.base), url), raw_html=b"<html>page 2</html>",
                    fetched_at="2025-09-12T10:00:00Z")
    assert _crawl(site, db) == "articles           new 2, changed 0, unchanged 0"
    with sqlite3.connect(db) as conn:
        assert dict(conn.execute("SELECT url, version_count FROM articles")) == {
            url: 1, site.base + STORY: 1, site.base + OTHER: 1}
    assert all(PAGE_WORDS[n] in _story(db, site.base)[2] for n in (1, 2, 3))
    assert _crawl(site, db) == "articles           new 0, changed 0, unchanged 2"


def _stored_story(base, page2=PAGE_WORDS[2]):
    from scraper.extract import merge_pages, parse_article
    from scraper.items import LaterPage

    url = base + STORY
    pages = [LaterPage(url + f"{n}/", story_page(n, text, base).encode(), "text/html; charset=utf-8")
             for n, text in ((2, page2), (3, PAGE_WORDS[3]))]
    first = parse_article(story_page(1, PAGE_WORDS[1], base), url)
    return merge_pages(first, [parse_article(p.raw_html, p.url) for p in pages]), story_page(1, PAGE_WORDS[1], base), pages


def test_the_archive_keeps_every_page_of_a_version_and_reparse_reads_them_all(tmp_path):
    from archive import ArchiveStore
    from scraper.reparse import reparse_archive

    db, base = tmp_path / "archive.db", "https://news.example"
    record, page1, pages = _stored_story(base)
    with ArchiveStore(db) as store:
        store.store(record, raw_html=page1.encode(), fetched_at="2025-09-12T10:00:00Z", later_pages=pages)
        # the same story seen again later, then an edit of page 2 fetched between the two: the
        # current content is repeated as a version at its last sighting, with all its pages
        store.store(record, raw_html=page1.encode(), fetched_at="2025-09-14T10:00:00Z", later_pages=pages)
        edited, _, edited_pages = _stored_story(base, "Page two, corrected.")
        assert store.store(edited, raw_html=page1.encode(), fetched_at="2025-09-13T10:00:00Z",
                           later_pages=edited_pages).status == "changed"
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT v.version_no, r.page_no, r.url FROM raw_later_pages r JOIN versions v "
                              "ON v.id = r.version_id ORDER BY v.version_no, r.page_no").fetchall()
    assert stored == [(no, n, f"{base}{STORY}{n}/") for no in (1, 2, 3) for n in (2, 3)]
    summary = reparse_archive(db)
    assert (summary.changed, summary.unchanged, summary.failed) == (0, 1, 0), summary.errors
    assert PAGE_WORDS[3] in _story(db, base)[2]


@pytest.mark.slow
def test_import_warc_of_a_crawl_archives_the_story_as_the_crawl_did(tmp_path, site):
    """import-warc archived page 2 and 3 as articles of their own, and page 1's record lacked their text."""
    from scraper.warc_import import archive_warcs

    crawled, imported, warcs = tmp_path / "crawled.db", tmp_path / "imported.db", tmp_path / "warcs"
    assert _crawl(site, crawled, "--warc", str(warcs)) == "articles           new 2, changed 0, unchanged 0"
    files = [str(path) for path in sorted(warcs.glob("*.warc.gz"))]
    result = run_cli("import-warc", *files, "--db", str(imported))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "articles           new 2, changed 0, unchanged 0" in result.stdout
    assert "split over pages   1 story capture with 2 later pages merged" in result.stdout

    def archived(db):
        with sqlite3.connect(db) as conn:
            urls = sorted(url for (url,) in conn.execute("SELECT url FROM articles"))
        version_id, version_no, body, problems, count = _story(db, site.base)
        return urls, body, problems, count, _later_pages(db, version_id)

    assert archived(imported) == archived(crawled)
    assert PAGE_WORDS[3] in archived(imported)[1]
    # the crawl's own archive already holds every capture in its WARC files
    summary = archive_warcs(files, crawled)
    assert (summary.articles_new, summary.articles_changed, summary.articles_unchanged) == (0, 0, 2)
    assert _story(crawled, site.base)[4] == 1


def test_import_warc_takes_the_later_pages_captured_nearest_each_first_page(tmp_path):
    from scraper.warc_import import archive_warcs
    from tests.warcs import html_capture, write_warc

    base = "https://news.example"
    url = base + STORY
    corrected = "Page two, corrected: the opposition asked for more money for schools."

    def capture(number, date, text=None):
        return html_capture(url + ("" if number == 1 else f"{number}/"),
                            story_page(number, text or PAGE_WORDS[number], base).encode(), date=date)

    # one crawl on the 12th, page 2 fetched again alone that morning; another crawl on the 13th
    # (page 2 corrected, page 3 not captured), its files read first
    write_warc(tmp_path / "a.warc.gz", [capture(1, "2025-09-13T08:00:00Z"), capture(2, "2025-09-13T08:00:01Z", corrected)])
    write_warc(tmp_path / "b.warc.gz", [capture(3, "2025-09-12T08:00:02Z"), capture(2, "2025-09-12T08:00:01Z"),
                                        capture(1, "2025-09-12T08:00:00Z"), capture(2, "2025-09-12T10:30:00Z")])
    db = tmp_path / "archive.db"
    summary = archive_warcs([tmp_path / "a.warc.gz", tmp_path / "b.warc.gz"], db)
    assert (summary.articles_new, summary.articles_changed, summary.errors) == (1, 1, [])
    assert (summary.stories, summary.later_pages, summary.later_pages_alone, summary.later_pages_left_out) == (2, 3, 0, 1)
    with sqlite3.connect(db) as conn:
        assert [url for (url,) in conn.execute("SELECT url FROM articles")] == [url]
        versions = conn.execute("SELECT id, fetched_at, body_text, problems FROM versions ORDER BY fetched_at").fetchall()
    (first_id, first_at, first_body, first_problems), (second_id, second_at, second_body, second_problems) = versions
    assert first_at.startswith("2025-09-12") and second_at.startswith("2025-09-13")
    assert [text in first_body for text in (PAGE_WORDS[1], PAGE_WORDS[2], PAGE_WORDS[3])] == [True, True, True]
    assert first_problems == "[]" and len(_later_pages(db, first_id)) == 2
    assert corrected in second_body and PAGE_WORDS[2] not in second_body and PAGE_WORDS[3] not in second_body
    assert second_problems == f'["page 3 missing: {url}3/"]'
    assert _later_pages(db, second_id) == [(2, url + "2/", 1)]

    # a WARC holding page 2 alone: an article of its own, as before, saying what it is
    write_warc(tmp_path / "c.warc.gz", [capture(2, "2025-09-14T08:00:00Z")])
    summary = archive_warcs([tmp_path / "c.warc.gz"], tmp_path / "other.db")
    assert (summary.articles_new, summary.later_pages_alone) == (1, 1)
    assert "1 later page archived on its own, its first page not in these files" in "\n".join(summary.lines())
    with sqlite3.connect(tmp_path / "other.db") as conn:
        assert conn.execute("SELECT a.url, v.problems FROM articles a JOIN versions v ON v.id = a.current_version_id"
                            ).fetchall() == [(url + "2/", f'["a later page of {url}, whose first page is not in the WARC files"]')]


def test_import_warc_merges_a_story_captured_again_as_revisit_records(tmp_path):
    from scraper.warc_import import archive_warcs
    from tests.warcs import html_capture, revisit, write_warc

    base = "https://news.example"
    url = base + STORY
    captures = [html_capture(url + ("" if n == 1 else f"{n}/"), story_page(n, PAGE_WORDS[n], base).encode(),
                             date=f"2025-09-12T08:00:0{n}Z") for n in (1, 2, 3)]
    write_warc(tmp_path / "a.warc.gz", captures + [revisit(c.url, c.date.replace("12T", "13T"), c) for c in captures])
    summary = archive_warcs([tmp_path / "a.warc.gz"], tmp_path / "archive.db")
    assert (summary.articles_new, summary.articles_unchanged, summary.stories, summary.later_pages) == (1, 1, 2, 4)
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        assert conn.execute("SELECT url, version_count, last_seen_at FROM articles").fetchall() == [
            (url, 1, "2025-09-13T08:00:01Z")]
