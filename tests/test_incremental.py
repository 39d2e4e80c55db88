"""Incremental re-crawls: the sample site's validators and 304s, the archive's side of them,
and a re-crawl that asks only for what changed."""
from __future__ import annotations

import json
import sqlite3
import urllib.error
import urllib.request
from email.utils import parsedate_to_datetime

import pytest

from archive import ArchiveStore
from archive.lookups import validators
from scraper.record import ArticleRecord
from scraper.sample_site import SampleSite, SampleSiteServer
from tests.conftest import LOOPBACK, FrontPageSite, articles_line, run_cli, serving_site


# The summary's line for one archived article taken down.
TAKEN_DOWN_ONE = ("taken down         1 archived article marked gone "
                  "(404 or 410, a 'not found' page, or a redirect home or to another article)")


@pytest.fixture
def site():
    return SampleSite(articles=30, seed=23)


@pytest.fixture
def server(site):
    with SampleSiteServer(site) as server:
        yield server


def fetch(url, **headers):
    """(status, headers) of a GET; 304 and errors come back too, not raised."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as r:
            return r.status, r.headers
    except urllib.error.HTTPError as err:
        return err.code, err.headers


# -- the sample site's HTTP semantics ------------------------------------------------

def test_article_validators_and_304(site, server):
    url = server.url + site.article_path(3).lstrip("/")
    status, headers = fetch(url)
    etag, modified = headers["ETag"], headers["Last-Modified"]
    assert status == 200 and etag.startswith('"') and parsedate_to_datetime(modified)
    assert fetch(url, **{"If-None-Match": etag})[0] == 304
    assert fetch(url, **{"If-None-Match": f'"nope", W/{etag}'})[0] == 304
    assert fetch(url, **{"If-Modified-Since": modified})[0] == 304
    assert fetch(url, **{"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})[0] == 200
    # If-None-Match wins: a different ETag means the page is sent, whatever the date says.
    assert fetch(url, **{"If-None-Match": '"other"', "If-Modified-Since": modified})[0] == 200
    status, headers = fetch(url, **{"If-None-Match": etag})
    assert headers["ETag"] == etag and headers["Last-Modified"] == modified


def test_updated_article_gets_new_validators(site, server):
    url = server.url + site.article_path(5).lstrip("/")
    _, before = fetch(url)
    site.update_article(5, title="A thoroughly revised headline")
    status, after = fetch(url, **{"If-None-Match": before["ETag"], "If-Modified-Since": before["Last-Modified"]})
    assert status == 200
    assert after["ETag"] != before["ETag"]
    assert parsedate_to_datetime(after["Last-Modified"]) > parsedate_to_datetime(before["Last-Modified"])
    assert fetch(url, **{"If-Modified-Since": before["Last-Modified"]})[0] == 200


def test_feed_has_validators(server):
    status, headers = fetch(server.url + "feed/")
    assert status == 200 and headers["ETag"] and headers["Last-Modified"]
    assert fetch(server.url + "feed/", **{"If-None-Match": headers["ETag"]})[0] == 304


def test_injected_faults_and_request_counts(site, server):
    path = site.article_path(1)
    server.inject(path, status=503, times=2, retry_after=7)
    statuses = []
    for _ in range(3):
        status, headers = fetch(server.url + path.lstrip("/") + "?x=1")
        statuses.append((status, headers.get("Retry-After")))
    assert statuses == [(503, "7"), (503, "7"), (200, None)]
    assert server.requests(path) == 3
    assert server.requests(server.url + path.lstrip("/"), status=200) == 1
    assert server.requests(site.article_path(2)) == 0


# -- the archive's side ---------------------------------------------------------------

def _record(url, title="Title"):
    return ArticleRecord(url=url, canonical_url=url, is_article=True, title=title, body_text="Some text.")


def test_mark_unchanged_and_validators(tmp_path):
    db = tmp_path / "a.db"
    assert validators(db, "https://news.example/") == {}
    assert not db.exists()  # a lookup never creates the archive
    with ArchiveStore(db) as store:
        first = store.begin_crawl("news", "https://news.example/")
        store.store(_record("https://news.example/a/"), raw_html=b"<html>a</html>",
                    fetched_at="2025-09-01T00:00:00Z", crawl_id=first, etag='"a1"',
                    last_modified="Mon, 01 Sep 2025 00:00:00 GMT")
        store.store(_record("https://news.example/b/"), raw_html=b"<html>b</html>",
                    fetched_at="2025-09-01T00:00:00Z", crawl_id=first)
        store.store(_record("https://other.example/c/"), raw_html=b"<html>c</html>",
                    fetched_at="2025-09-01T00:00:00Z", crawl_id=first, etag='"c1"')
        second = store.begin_crawl("news", "https://news.example/")
        assert store.mark_unchanged("https://news.example/a/", "2025-09-02T00:00:00Z", second)
        assert not store.mark_unchanged("https://news.example/zzz/", "2025-09-02T00:00:00Z", second)
        assert store.counts()["versions"] == 3
    assert validators(db, "https://news.example/") == {
        "https://news.example/a/": ('"a1"', "Mon, 01 Sep 2025 00:00:00 GMT")}
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT last_seen_at, last_crawl_id, version_count FROM articles "
                           "WHERE url = 'https://news.example/a/'").fetchone()
    assert row == ("2025-09-02T00:00:00Z", second, 1)


def test_validators_are_found_under_the_other_scheme_and_www(tmp_path):
    """A site that moved from http to https (301s): its articles are archived under http://,
    the crawl asks for https://. The validators were looked up by the request's
    scheme://host/ only, so no article unchanged since the move was ever asked for
    conditionally again: every re-crawl downloaded every page."""
    from scrapy import Request
    from scrapy.utils.test import get_crawler

    from scraper.conditional import ARTICLE_META, ConditionalRequestMiddleware

    db = tmp_path / "a.db"
    with ArchiveStore(db) as store:
        crawl_id = store.begin_crawl("news", "http://news.example/")
        for url, etag in (("http://news.example/a/", '"a1"'), ("https://www.news.example/b/", '"b1"'),
                          ("http://other.example/a/", '"o1"')):
            store.store(_record(url), raw_html=b"<html></html>", fetched_at="2025-09-01T00:00:00Z",
                        crawl_id=crawl_id, etag=etag, last_modified="Mon, 01 Sep 2025 00:00:00 GMT")
        # archived under its canonical https URL, fetched at http://www. (versions.url)
        store.store(ArticleRecord(url="http://www.news.example/c/", canonical_url="https://news.example/c/",
                                  is_article=True, title="C", body_text="Some text."),
                    raw_html=b"<html></html>", fetched_at="2025-09-01T00:00:00Z", crawl_id=crawl_id, etag='"c1"')

    middleware = ConditionalRequestMiddleware(get_crawler(settings_dict={"ARCHIVE_DB": str(db)}))

    def asked(url):
        request = Request(url)
        middleware.process_request(request)
        return request.headers.get(b"If-None-Match"), request.meta.get(ARTICLE_META)

    assert asked("https://news.example/a/") == (b'"a1"', "http://news.example/a/")
    assert asked("https://www.news.example/a/") == (b'"a1"', "http://news.example/a/")
    assert asked("http://news.example/a/") == (b'"a1"', "http://news.example/a/")
    assert asked("http://news.example/b/") == (b'"b1"', "https://www.news.example/b/")
    assert asked("https://www.news.example/c/") == (b'"c1"', "https://news.example/c/")
    assert asked("https://news.example/a/x/") == (None, None)  # another path
    assert asked("https://other.example/b/") == (None, None)  # another site
    assert asked("https://other.example/a/") == (b'"o1"', "http://other.example/a/")


# -- re-crawls ----------------------------------------------------------------------------

def crawl(server, db, *extra):
    result = run_cli("crawl", server.url, "--db", str(db), "-q", *LOOPBACK, *extra, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    return result


def table_counts(db):
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("articles", "versions", "raw_pages", "crawl_failures")}


@pytest.mark.slow
def test_recrawl_sends_validators_and_counts_304_as_unchanged(tmp_path, site, server):
    db = tmp_path / "a.db"
    crawl(server, db)
    before = table_counts(db)
    with sqlite3.connect(db) as conn:
        stored = dict(conn.execute("SELECT url, etag FROM articles"))
    server.traffic.reset()

    result = crawl(server, db)
    assert "new 0, changed 0, unchanged 30 (not modified 30)" in result.stdout
    # the 304s are article pages too: article and other pages add up to the pages fetched
    pages = int(result.stdout.split("pages fetched")[1].split()[0])
    other = int(result.stdout.split("other pages: ")[1].split(")")[0])
    assert f"article pages      30 (not modified 30; other pages: {other})" in result.stdout
    assert pages == 30 + other
    base = server.url.rstrip("/")
    for i in range(len(site)):
        (hit,) = server.traffic.hits(site.article_path(i))
        assert hit.status == 304
        assert hit.headers["If-None-Match"] == stored[base + site.article_path(i)]
        assert "If-Modified-Since" in hit.headers
    assert table_counts(db) == before   # no version, no raw page, no failure row
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        crawl_row = conn.execute("SELECT * FROM crawls WHERE id = 2").fetchone()
        seen_by = {row[0] for row in conn.execute("SELECT last_crawl_id FROM articles")}
    assert crawl_row["articles_unchanged"] == 30 and crawl_row["failures"] == 0
    assert seen_by == {2}


@pytest.mark.slow
def test_changed_article_is_fetched_whole_and_versioned(tmp_path, site, server):
    db = tmp_path / "a.db"
    crawl(server, db)
    url = server.url.rstrip("/") + site.article_path(12)
    site.update_article(12, title="Editors changed this one")
    result = crawl(server, db)
    assert "new 0, changed 1, unchanged 29" in result.stdout
    assert server.requests(url, status=200) == 2
    with ArchiveStore(db) as store:
        assert [v["version_no"] for v in store.versions(url)] == [1, 2]
        assert store.get_article(url).title == "Editors changed this one"


@pytest.mark.slow
def test_last_modified_alone_is_enough(tmp_path, site, server):
    """A site without ETags: If-Modified-Since with the stored Last-Modified gets the 304."""
    db = tmp_path / "a.db"
    crawl(server, db)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE articles SET etag = NULL")
    server.traffic.reset()
    result = crawl(server, db)
    assert "unchanged 30 (not modified 30)" in result.stdout
    hits = [h for i in range(len(site)) for h in server.traffic.hits(site.article_path(i))]
    assert len(hits) == 30
    assert all(h.status == 304 and "If-None-Match" not in h.headers for h in hits)


@pytest.mark.slow
def test_conditional_requests_can_be_turned_off(tmp_path, site, server):
    db = tmp_path / "a.db"
    crawl(server, db)
    server.traffic.reset()
    result = crawl(server, db, "-s", "NEWSARCHIVE_CONDITIONAL=False")
    assert "new 0, changed 0, unchanged 30" in result.stdout and "not modified" not in result.stdout
    assert server.traffic.counts(304) == {}
    assert not any("If-None-Match" in h.headers for h in server.log)


@pytest.mark.slow
def test_an_article_taken_down_is_marked_gone_and_back_when_it_returns(tmp_path, site, server):
    # A 404 or 410 was one more crawl_failures row a night; the article stayed as if live.
    db = tmp_path / "a.db"
    crawl(server, db)
    base = server.url.rstrip("/")
    removed, deleted = base + site.article_path(7), base + site.article_path(9)
    server.inject(site.article_path(7), status=410, times=None)
    server.inject(site.article_path(9), status=404, times=None)
    crawl(server, db)
    with sqlite3.connect(db) as conn:
        gone = {url: (at is not None, status) for url, at, status in
                conn.execute("SELECT url, gone_at, gone_status FROM articles WHERE gone_at IS NOT NULL")}
    assert gone == {removed: (True, 410), deleted: (True, 404)}
    shown = run_cli("show", removed, "--db", str(db))
    assert shown.returncode == 0 and "Gone: its page answered HTTP 410 on " in shown.stdout
    exported = run_cli("export", "--db", str(db))
    rows = {row["article_url"]: row for row in map(json.loads, exported.stdout.splitlines())}
    assert rows[removed]["gone_status"] == 410 and rows[removed]["gone_at"]
    assert rows[base + site.article_path(8)]["gone_at"] is None

    server.traffic.reset()  # the page is back
    crawl(server, db)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles WHERE gone_at IS NOT NULL").fetchone()[0] == 0


def test_a_page_whose_canonical_link_names_another_spelling_is_asked_for_conditionally(static_server, tmp_path):
    """A site answering on http whose canonical links say https (or www.): the article is
    archived under the canonical URL, and its re-crawls asked unconditionally, downloading
    every page every night; they now carry the validators of the URL it was fetched at."""
    from tests.test_spiders_scope import BARE_ARTICLE

    folder, base = static_server
    canonical = "https://" + base[len("http://"):] + "harbour.html"
    (folder / "harbour.html").write_bytes(BARE_ARTICLE.replace(
        b"<title>", f'<link rel="canonical" href="{canonical}"><title>'.encode(), 1))
    urls = tmp_path / "urls.txt"
    urls.write_text(base + "harbour.html\n")
    db = tmp_path / "a.db"
    runs = [run_cli("crawl", str(urls), "--via", "urls", "--db", str(db), "-q", *LOOPBACK, timeout=120)
            for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0], runs[-1].stderr[-2000:]
    assert "new 1, changed 0, unchanged 0" in runs[0].stdout
    assert "new 0, changed 0, unchanged 1 (not modified 1)" in runs[1].stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT url, version_count FROM articles").fetchall() == [(canonical, 1)]
        assert conn.execute("SELECT count(*) FROM crawls WHERE articles_unchanged = 1").fetchone()[0] == 1


def test_an_article_redirected_to_the_home_page_is_marked_gone_until_it_is_back(tmp_path):
    """Sites take an article down by sending its URL to the front page (no 404): a re-check
    of the article URLs (--via urls) said nothing, and the article looked live for ever."""
    import http.server
    import threading

    from tests.test_spiders_scope import BARE_ARTICLE

    class Site(http.server.BaseHTTPRequestHandler):
        taken_down = False

        def log_message(self, *args):
            pass

        def do_GET(self):
            if self.path == "/story/" and Site.taken_down == "404":
                self.send_response(404)
                self.end_headers()
                return
            if self.path == "/story/" and Site.taken_down:
                self.send_response(301)
                self.send_header("Location", "/")
                self.end_headers()
                return
            body = {"/story/": BARE_ARTICLE,
                    "/": b"<html><head><title>Home</title></head><body class='home blog'><h2><a href='/story/'>"
                         b"Harbour</a></h2></body></html>"}.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body or b"")

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    urls, db = tmp_path / "urls.txt", tmp_path / "a.db"
    urls.write_text(base + "/story/\n")
    try:
        def recheck():
            return run_cli("crawl", str(urls), "--via", "urls", "--db", str(db), "-q", *LOOPBACK, timeout=120)

        def gone():
            with sqlite3.connect(db) as conn:
                return conn.execute("SELECT gone_status FROM articles").fetchone()[0]

        assert recheck().returncode == 0 and gone() is None
        Site.taken_down = True
        result = recheck()  # every page of the re-check taken down: it did its job all the same
        assert result.returncode == 0, result.stderr
        assert f"errors             1 (first: redirects to the home page ({base}/story/))" in result.stdout
        assert TAKEN_DOWN_ONE in result.stdout
        assert gone() == 301
        shown = run_cli("show", base + "/story/", "--db", str(db))
        assert "Gone: its page redirected to the home page (HTTP 301) on " in shown.stdout
        Site.taken_down = False
        assert recheck().returncode == 0 and gone() is None
        urls.write_text(base + "/story/\n" + base + "/never-archived/\n")
        Site.taken_down = "404"
        result = recheck()
        assert result.returncode == 0 and gone() == 404, result.stderr
        assert "taken down         1 archived article marked gone" in result.stdout
        # a re-check finding only pages the archive never had changes nothing, as before
        before = db.read_bytes()
        urls.write_text(base + "/never-archived/\n")
        result = recheck()
        assert result.returncode == 1 and "the archive was not changed" in result.stderr
        assert db.read_bytes() == before
    finally:
        server.shutdown()
        server.server_close()


class _TakenDownSite(FrontPageSite):
    """A front page linking two articles, and /index.php, which answers 301 to the front page;
    so do the articles whose paths are in ``taken_down``."""
    taken_down: frozenset = frozenset()

    def front_page(self):
        return [("/story/", "Harbour"), ("/other/", "Quay"), ("/index.php", "Home")]

    def article(self, path):
        from tests.test_spiders_scope import BARE_ARTICLE

        other = BARE_ARTICLE.replace(b"Harbour plan approved", b"Quay works delayed by a year")
        return {"/story/": BARE_ARTICLE, "/other/": other}.get(path)

    def do_GET(self):
        if self.path == "/index.php" or self.path in self.taken_down:
            return self._send(301, b"", Location="/")
        return super().do_GET()


def _site_crawl(db):
    """A function crawling a site (a serving_site class) from its front page into ``db``."""
    return lambda site: run_cli("crawl", site.base + "/", "--db", str(db), "-q", *LOOPBACK, timeout=120)


def _articles_gone(db):
    """A function listing ``db``'s articles as (url, gone_status, version_count), by URL."""
    def articles():
        with sqlite3.connect(db) as conn:
            return conn.execute("SELECT url, gone_status, version_count FROM articles ORDER BY url").fetchall()
    return articles


def test_a_site_crawl_marks_gone_an_article_redirected_to_the_home_page(tmp_path):
    """The default crawl (--via site) fetches the home page first, so Scrapy's duplicate filter
    dropped the redirect of an unpublished article to it: the article was never marked gone, as
    a --via urls re-check marks it. A link never archived that is sent home (/index.php) is
    still no failure."""
    db = tmp_path / "a.db"
    crawl, articles = _site_crawl(db), _articles_gone(db)

    with serving_site(_TakenDownSite) as site:
        first = crawl(site)
        assert articles_line(first) == "articles           new 2, changed 0, unchanged 0"
        assert "errors             0" in first.stdout
        site.taken_down = {"/story/"}
        result = crawl(site)
        assert articles_line(result) == "articles           new 0, changed 0, unchanged 1"
        assert f"errors             1 (first: redirects to the home page ({site.base}/story/))" in result.stdout
        assert TAKEN_DOWN_ONE in result.stdout
        assert articles() == [(site.base + "/other/", None, 1), (site.base + "/story/", 301, 1)]
        shown = run_cli("show", site.base + "/story/", "--db", str(db))
        assert "Gone: its page redirected to the home page (HTTP 301) on " in shown.stdout
        site.taken_down = set()  # back: found again, the mark cleared
        assert articles_line(crawl(site)) == "articles           new 0, changed 0, unchanged 2"
        assert articles() == [(site.base + "/other/", None, 1), (site.base + "/story/", None, 1)]


def test_a_url_list_marks_gone_every_article_redirected_to_the_home_page(tmp_path):
    """The second article of a --via urls re-check sent to the home page was dropped by Scrapy's
    duplicate filter (the first one's redirect fetched it): only the first was marked gone."""
    db, urls = tmp_path / "a.db", tmp_path / "urls.txt"
    with serving_site(_TakenDownSite) as site:
        urls.write_text(f"{site.base}/story/\n{site.base}/other/\n")
        crawl = ("crawl", str(urls), "--via", "urls", "--db", str(db), "-q", *LOOPBACK)
        assert articles_line(run_cli(*crawl, timeout=120)) == "articles           new 2, changed 0, unchanged 0"
        site.taken_down = {"/story/", "/other/"}
        result = run_cli(*crawl, timeout=120)
        assert result.returncode == 0, result.stderr[-3000:]
        assert "taken down         2 archived articles marked gone" in result.stdout
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT gone_status FROM articles").fetchall() == [(301,), (301,)]


class _RefreshedHomeSite(_TakenDownSite):
    """_TakenDownSite, but the articles whose paths are in ``taken_down`` answer 200 with a
    meta refresh to the front page (``refresh``, the tag's content; {base} the site's URL),
    as WordPress redirect plugins and static hosts unpublish a post; with ``by_header`` in a
    ``Refresh:`` header instead, the HTTP form of the tag (PHP's header("Refresh: 0; url=/"))."""
    refresh = "0; url=/"
    by_header = False

    def do_GET(self):
        if self.path in self.taken_down:
            content = self.refresh.format(base=self.base)
            if self.by_header:
                return self._send(200, b"<html><head></head><body></body></html>", Refresh=content)
            return self._send(200, f'<html><head><meta http-equiv="refresh" content="{content}"></head>'
                                   f'<body></body></html>'.encode())
        return super().do_GET()


def _taken_down_and_back(site, db, take_down, put_back, failure, gone_status, shown, not_modified=False):
    """The nightly pattern on ``site`` (a _TakenDownSite) into ``db``: a first crawl archives
    its two articles; ``take_down(site)`` takes /story/ down, and the next crawl counts it,
    its one failure row ``failure`` (reason, status) the first error, the article marked gone
    with ``gone_status`` and `show` saying ``shown``; ``put_back(site)``, and the crawl after
    finds it again, the mark cleared. ``not_modified``: the site answers 304 to the ETag."""
    crawl, articles = _site_crawl(db), _articles_gone(db)
    assert articles_line(crawl(site)) == "articles           new 2, changed 0, unchanged 0"
    take_down(site)
    result = crawl(site)
    assert articles_line(result) == "articles           new 0, changed 0, unchanged 1" + (
        " (not modified 1)" if not_modified else "")
    assert f"errors             1 (first: {failure[0]} ({site.base}/story/))" in result.stdout
    assert TAKEN_DOWN_ONE in result.stdout
    assert articles() == [(site.base + "/other/", None, 1), (site.base + "/story/", gone_status, 1)]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT reason, http_status FROM crawl_failures").fetchall() == [failure]
    assert shown in run_cli("show", site.base + "/story/", "--db", str(db)).stdout
    put_back(site)  # back: found again, the mark cleared
    assert articles_line(crawl(site)) == "articles           new 0, changed 0, unchanged 2" + (
        " (not modified 2)" if not_modified else "")
    assert articles() == [(site.base + "/other/", None, 1), (site.base + "/story/", None, 1)]


def _take_down_story(site):
    site.taken_down = {"/story/"}


def _put_back_story(site):
    site.taken_down = set()


@pytest.mark.parametrize("by_header", [False, True])
def test_a_site_crawl_marks_gone_an_article_sent_home_by_a_meta_refresh(tmp_path, by_header):
    """Scrapy's MetaRefreshMiddleware asked for the home page, which the default crawl had
    fetched first, so the duplicate filter dropped it: the article stayed current for ever,
    as it did for a 301 home. It is marked gone as for a 301, its status the 200 its page
    answered, and `show` names the meta refresh. Scrapy reads the tag alone: sent home by a
    Refresh header, the article was not marked at all (the page counted as an 'other page')."""
    with serving_site(_RefreshedHomeSite, by_header=by_header) as site:
        _taken_down_and_back(site, tmp_path / "a.db", _take_down_story, _put_back_story,
                             ("redirects to the home page (meta refresh)", 200), 200,
                             "Gone: its page redirected to the home page (meta refresh) on ")


@pytest.mark.parametrize("refresh, gone_status", [
    ("5; url={base}/", 200),  # Scrapy follows a refresh quicker than METAREFRESH_MAXDELAY (100 s)
    ("120; url=/", None),     # and not a slower one: the page is no redirect, so no takedown
])
def test_a_url_list_marks_gone_every_article_a_meta_refresh_sends_home(tmp_path, refresh, gone_status):
    """In a --via urls re-check the second article sent home by a meta refresh was dropped by
    the duplicate filter (the first one's refresh fetched the home page), and the first was
    marked gone with a 301 its page never answered."""
    db, urls = tmp_path / "a.db", tmp_path / "urls.txt"
    with serving_site(_RefreshedHomeSite, refresh=refresh) as site:
        urls.write_text(f"{site.base}/story/\n{site.base}/other/\n")
        crawl = ("crawl", str(urls), "--via", "urls", "--db", str(db), "-q", *LOOPBACK)
        assert articles_line(run_cli(*crawl, timeout=120)) == "articles           new 2, changed 0, unchanged 0"
        site.taken_down = {"/story/", "/other/"}
        run_cli(*crawl, timeout=120)
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT gone_status FROM articles").fetchall() == [(gone_status,), (gone_status,)]


# WordPress's 404 template, sent with 200 (a caching plugin or a server configured to): its body
# class says "not found" (WordPress's is_404()), whatever the status.
SOFT_404_PAGE = (b'<!doctype html><html lang="en-US"><head><meta charset="utf-8"><title>Page not found - News</title>'
                 b'</head><body class="error404 wp-embed-responsive"><main><h1 class="page-title">Oops! That page '
                 b'can&rsquo;t be found.</h1><p>It looks like nothing was found at this location. Maybe try one of '
                 b'the links below or a search?</p></main></body></html>')


class _NotFoundPageSite(_TakenDownSite):
    """_TakenDownSite whose articles carry an ETag (a 304 to it), and whose articles in
    ``taken_down`` answer 200 with WordPress's 'not found' page (a soft 404), an ETag of its own."""

    def do_GET(self):
        if self.path in self.taken_down:
            return self._send(200, SOFT_404_PAGE, etag='"not-found"')
        page = self.article(self.path)
        if page is None:
            return super().do_GET()
        etag = f'"{len(page)}"'
        if self.headers.get("If-None-Match") == etag:
            return self._send(304, b"", etag=etag)
        return self._send(200, page, etag=etag)


def test_an_article_answering_the_sites_not_found_page_is_marked_gone_as_for_a_404(tmp_path):
    """A 'Page not found' page sent with 200 (WordPress's `error404` body class) in an archived
    article's place added no version and was neither marked nor counted: the article looked
    live, the page only one of the 'other pages'. It is a takedown as a 404 is: a failure row,
    the article marked gone with the 200 its page answered, and `show` says so; the article
    found again (here a 304 to its ETag) clears the mark."""
    with serving_site(_NotFoundPageSite) as site:
        _taken_down_and_back(site, tmp_path / "a.db", _take_down_story, _put_back_story,
                             ("a 'not found' page (soft 404)", 200), 200,
                             "Gone: its page answered HTTP 200 with the site's 'not found' page (soft 404) on ",
                             not_modified=True)


class _MergedPostSite(_TakenDownSite):
    """_TakenDownSite whose articles in ``sent_to`` answer 301 to the path it gives (a post
    unpublished in favour of another, its URL redirected there)."""
    sent_to: dict = {}

    def do_GET(self):
        if self.path in self.sent_to:
            return self._send(301, b"", Location=self.sent_to[self.path])
        return super().do_GET()


def test_an_article_redirected_to_another_archived_article_is_marked_gone_and_counted(tmp_path):
    """An archived article whose page answered 301 to another archived article's page, which
    the night's crawl had asked for already, was neither checked nor marked nor counted: Scrapy's
    duplicate filter dropped the redirect, and the summary said 'unchanged 1' of 2 with no
    error. It is a takedown, as a redirect home is: a failure row naming the other article,
    the article marked gone with the 301, and `show` says where it went; back, the mark goes."""
    with serving_site(_MergedPostSite) as site:
        other = site.base + "/other/"
        _taken_down_and_back(site, tmp_path / "a.db", lambda site: setattr(site, "sent_to", {"/story/": "/other/"}),
                             lambda site: setattr(site, "sent_to", {}),
                             ("redirects to another archived article: " + other, 301), 301,
                             f"Gone: its page redirected to another archived article, {other} (HTTP 301), on ")
