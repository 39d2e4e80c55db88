"""The news spider follows each page of the site once per crawl, and only pages of the site,
also when the home page redirects to another host of the same site."""
from __future__ import annotations

import http.server
import os
import sqlite3
import subprocess
import sys
import threading
from urllib.parse import urlsplit

import pytest
from w3lib.url import safe_url_string

from scraper.extract import load_document
from scraper.sample_site import SampleSite
from spiders.news import NewsSpider
from tests.conftest import LOOPBACK, ROOT, assert_one_clean_line


def links(spider, url, html):
    return list(spider.links_to_follow(load_document(html, url)))


def test_each_link_is_followed_once_per_crawl():
    spider = NewsSpider(start_url="http://127.0.0.1:8642/")
    page = ("<html><body><a href='http://127.0.0.1:8642/a/'>a</a> <a href='/b/'>b</a>"
            "<a href='http://127.0.0.1:8642/a/'>again</a> <a href='http://127.0.0.1:8642/'>home</a>"
            "<a href='https://elsewhere.example/x/'>out</a> <a href='/wp-admin/'>admin</a>"
            "<a href='/feed/'>feed</a> <a href='/a/?replytocom=3'>reply</a></body></html>")
    assert links(spider, "http://127.0.0.1:8642/", page) == [
        "http://127.0.0.1:8642/a/", "http://127.0.0.1:8642/b/"]
    # the same links on the next page are not requested again
    assert links(spider, "http://127.0.0.1:8642/a/", page) == []


def test_amp_copies_lead_to_their_post_and_comment_pages_are_not_followed():
    """Both repeat an article (without its comments, or with others): archived, they became
    versions of it, or duplicates of it, on every crawl. An AMP link is followed to its post."""
    spider = NewsSpider(start_url="http://127.0.0.1:8642/")
    page = ("<html><body><a href='/a/amp/'>amp</a> <a href='/a/?amp'>amp</a> <a href='/a/?amp=1'>amp</a>"
            "<a href='/c/?amp=1&amp;utm_source=x&amp;p=3'>c</a> <a href='/a/comment-page-2/#comments'>older</a>"
            "<a href='/a/'>a</a> <a href='/ample-news/'>ample</a> <a href='/b/?ampm=1'>b</a></body></html>")
    assert links(spider, "http://127.0.0.1:8642/", page) == [
        "http://127.0.0.1:8642/a/", "http://127.0.0.1:8642/c/?p=3", "http://127.0.0.1:8642/ample-news/",
        "http://127.0.0.1:8642/b/?ampm=1"]


def test_amp_and_print_copies_under_a_prefix_lead_to_their_post():
    """/amp/post/ and /print/post/ (and WP-Print's /post/print/) repeat the post, with a
    canonical link to it: each became one more version of it on every crawl."""
    spider = NewsSpider(start_url="http://127.0.0.1:8642/")
    page = ("<html><body><a href='/amp/2025/09/10/a/'>amp</a> <a href='/print/2025/09/10/a/'>print</a>"
            "<a href='/2025/09/10/a/print/'>wp-print</a> <a href='/2025/09/10/a/'>a</a>"
            "<a href='/AMP/b/amp/'>both</a> <a href='/print/'>print edition</a> <a href='/printers/c/'>c</a>"
            "<a href='/amped/d/'>d</a></body></html>")
    assert links(spider, "http://127.0.0.1:8642/", page) == [
        "http://127.0.0.1:8642/2025/09/10/a/", "http://127.0.0.1:8642/b/", "http://127.0.0.1:8642/print/",
        "http://127.0.0.1:8642/printers/c/", "http://127.0.0.1:8642/amped/d/"]


def test_next_page_named_only_by_link_rel_next_or_a_load_more_button():
    spider = NewsSpider(start_url="http://127.0.0.1:8642/")
    page = ("<html><head><link rel='next' href='/page/2/'></head><body><a href='/a/'>a</a>"
            "<button class='load-more' data-url='/news/page/2/'>Load more</button></body></html>")
    assert sorted(links(spider, "http://127.0.0.1:8642/", page)) == [
        "http://127.0.0.1:8642/a/", "http://127.0.0.1:8642/news/page/2/", "http://127.0.0.1:8642/page/2/"]


def test_campaign_parameters_do_not_make_another_page():
    """Newsletters and share widgets link articles with ?utm_source=...: fetched once, without them."""
    spider = NewsSpider(start_url="http://127.0.0.1:8642/")
    page = ("<html><body><a href='/a/?utm_source=newsletter&amp;utm_medium=email'>a</a>"
            "<a href='/a/'>a again</a> <a href='/a/?fbclid=IwAR0x'>from facebook</a>"
            "<a href='/b/?id=7&amp;utm_campaign=x&amp;p=2'>b</a> <a href='/c/?utmost=1'>c</a></body></html>")
    assert links(spider, "http://127.0.0.1:8642/", page) == [
        "http://127.0.0.1:8642/a/", "http://127.0.0.1:8642/b/?id=7&p=2", "http://127.0.0.1:8642/c/?utmost=1"]


def test_feed_and_sitemap_entries_lose_their_campaign_parameters():
    from scrapy.http import XmlResponse
    from spiders.feed import FeedSpider
    spider = FeedSpider(feed_url="http://127.0.0.1:8642/feed/")
    response = XmlResponse("http://127.0.0.1:8642/feed/", body=b"<rss/>")
    assert spider.entry_url(response, " /a/?utm_source=rss&utm_medium=rss&utm_campaign=a ") == "http://127.0.0.1:8642/a/"
    assert spider.entry_url(response, "/a/?p=12&gclid=x") == "http://127.0.0.1:8642/a/?p=12"


def test_links_to_the_www_host_of_the_site_are_its_own():
    spider = NewsSpider(start_url="http://news.test/")
    page = ("<html><body><a href='http://www.news.test/a/'>a</a> <a href='http://WWW.News.test/b/'>b</a>"
            "<a href='http://cdn.news.test/c/'>cdn</a> <a href='http://www.news.test:8080/d/'>port</a></body></html>")
    assert links(spider, "http://news.test/", page) == ["http://www.news.test/a/", "http://www.news.test/b/"]


def test_relative_links_resolve_against_each_page():
    spider = NewsSpider(start_url="http://127.0.0.1:8642/")
    page = "<html><body><a href='page/2/'>next</a></body></html>"
    assert links(spider, "http://127.0.0.1:8642/news/", page) == ["http://127.0.0.1:8642/news/page/2/"]
    assert links(spider, "http://127.0.0.1:8642/sport/", page) == ["http://127.0.0.1:8642/sport/page/2/"]


# -- a start URL that redirects: sites move their bare domain to www and back ---------------------
# Real host names cannot be served on loopback, so the crawl goes through an HTTP proxy on
# 127.0.0.1 (Scrapy's HttpProxyMiddleware reads http_proxy): the proxy answers for every host in
# the reserved .test domain itself, and no request leaves this machine.
REDIRECTS = {"news.test": "www.news.test", "www.plain.test": "plain.test", "moved.test": "elsewhere.test"}
# host -> the host its pages link to (absolute links, as WordPress writes them)
SERVED = {"www.news.test": "www.news.test", "plain.test": "plain.test", "elsewhere.test": "elsewhere.test",
          "both.test": "www.both.test", "www.both.test": "www.both.test",
          # a CMS behind a proxy that writes the default port into every link
          "port80.test": "port80.test:80",
          # an IDN site: requests name it in ASCII (as Scrapy sends it), its pages in Unicode
          "xn--nachrichten-ber-bwb.test": "nachrichten-über.test"}
IDN, IDN_ASCII = "nachrichten-über.test", "xn--nachrichten-ber-bwb.test"


class _VirtualHosts(http.server.BaseHTTPRequestHandler):
    site = None

    def log_message(self, *args):
        pass

    def do_GET(self):
        parts = urlsplit(self.path)  # absolute form: GET http://host/path HTTP/1.1
        host = parts.hostname or ""
        if host in REDIRECTS:
            self._answer(301, b"", {"Location": f"http://{REDIRECTS[host]}{parts.path or '/'}"})
        elif host in SERVED:
            status, ctype, body, extra = self.site.respond(parts.path + (f"?{parts.query}" if parts.query else ""),
                                                           f"http://{SERVED[host]}/")
            self._answer(status, body, {"Content-Type": ctype, **(extra or {})})
        else:
            self._answer(502, b"", {})

    def _answer(self, status, body, headers):
        self.send_response(status)
        for name, value in headers.items():
            # A redirect to an IDN page: a header is ASCII, so its host in punycode (as servers send it).
            self.send_header(name, safe_url_string(value) if name == "Location" else value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def proxy():
    site = SampleSite(articles=12, seed=3)
    handler = type("Handler", (_VirtualHosts,), {"site": site})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def crawl_via(proxy_url, start, db, *options):
    env = dict(os.environ, PYTHONPATH=str(ROOT), http_proxy=proxy_url, no_proxy="", NO_PROXY="")
    env.pop("HTTP_PROXY", None)
    return subprocess.run([sys.executable, "-m", "scraper.cli", "crawl", start, "--db", str(db), "-q", *options,
                           *LOOPBACK], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
@pytest.mark.parametrize("start, lands_on, via", [("http://news.test/", "www.news.test", "site"),
                                                  ("http://www.plain.test/", "plain.test", "site"),
                                                  ("http://www.plain.test/", "plain.test", "sitemap"),
                                                  ("http://www.plain.test/", "plain.test", "feed"),
                                                  # no redirect, but every link names the www host
                                                  ("http://both.test/", "www.both.test", "site")])
def test_a_home_page_redirected_within_the_site_is_crawled_on_its_new_host(proxy, tmp_path, start, lands_on, via):
    site, proxy_url = proxy
    db = tmp_path / "archive.db"
    result = crawl_via(proxy_url, start, db, "--via", via)
    assert result.returncode == 0, result.stderr[-3000:]
    with sqlite3.connect(db) as conn:
        archived = {row[0] for row in conn.execute("SELECT url FROM articles")}
    assert archived == {t["url"] for t in site.ground_truth(f"http://{lands_on}/")}
    assert "errors             0" in result.stdout


@pytest.mark.slow
def test_a_home_page_redirected_to_another_site_is_not_crawled(proxy, tmp_path):
    _, proxy_url = proxy
    db = tmp_path / "archive.db"
    result = crawl_via(proxy_url, "http://moved.test/", db)
    assert result.returncode == 1
    assert_one_clean_line(result, "http://moved.test/ redirects to http://elsewhere.test/, another site",
                          "crawl http://elsewhere.test/")
    assert not db.exists()
    result = crawl_via(proxy_url, "http://moved.test/", db, "--via", "sitemap")
    assert result.returncode == 1
    assert_one_clean_line(result, "its pages are on another site", "--allow-domain")
    assert not db.exists()


@pytest.mark.slow
def test_a_home_page_redirected_to_an_allowed_domain_is_crawled_there(proxy, tmp_path):
    """A site that moved to another host: `crawl http://OLD/ --allow-domain NEWHOST` was refused
    ("redirects to ..., another site"), exit 1, though the user allowed that host."""
    site, proxy_url = proxy
    db = tmp_path / "archive.db"
    result = crawl_via(proxy_url, "http://moved.test/", db, "--allow-domain", "elsewhere.test")
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    with sqlite3.connect(db) as conn:
        archived = {row[0] for row in conn.execute("SELECT url FROM articles")}
    assert archived == {t["url"] for t in site.ground_truth("http://elsewhere.test/")}
    assert "errors             0" in result.stdout
    # a host the user did not allow is still another site
    result = crawl_via(proxy_url, "http://moved.test/", tmp_path / "other.db", "--allow-domain", "moved.test")
    assert result.returncode == 1
    assert_one_clean_line(result, "http://moved.test/ redirects to http://elsewhere.test/, another site",
                          "crawl http://elsewhere.test/", "--allow-domain elsewhere.test")


def archived_rows(db) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT url, site FROM articles"))


@pytest.mark.slow
@pytest.mark.parametrize("start, via", [("http://port80.test/", "site"), ("http://port80.test:80/", "site"),
                                        ("http://port80.test/", "sitemap"), ("http://port80.test:80/", "feed")])
def test_links_and_entries_with_the_default_port_name_the_same_pages(proxy, tmp_path, start, via):
    """Every link, sitemap and feed entry, and canonical URL says http://port80.test:80/...: the
    links are followed from http://port80.test/, and the archive names each article without :80
    whichever way the crawl was started, so a page has one identity."""
    site, proxy_url = proxy
    db = tmp_path / "archive.db"
    result = crawl_via(proxy_url, start, db, "--via", via)
    assert result.returncode == 0, result.stderr[-3000:]
    assert set(archived_rows(db)) == {t["url"] for t in site.ground_truth("http://port80.test/")}
    assert f"crawl #1 of http://port80.test/ into" in result.stdout  # the start URL too, in one spelling


@pytest.mark.slow
@pytest.mark.parametrize("start, options", [(f"http://{IDN}/", ()), (f"http://{IDN}/", ("--via", "sitemap")),
                                            (f"http://{IDN}/", ("--via", "feed")),
                                            (f"http://{IDN_ASCII}/", ("--allow-domain", IDN)),
                                            (f"http://{IDN_ASCII}/", ())])
def test_an_idn_site_is_one_site_however_its_host_is_written(proxy, tmp_path, start, options):
    """The start URL typed in Unicode, --allow-domain in Unicode, links in Unicode while requests
    go out in punycode: all one site, compared in ASCII. The archive stores the URL and the site in
    ASCII (the form requests carry), and --site finds the site written either way."""
    site, proxy_url = proxy
    db = tmp_path / "archive.db"
    result = crawl_via(proxy_url, start, db, *options)
    assert result.returncode == 0, result.stderr[-3000:]
    rows = archived_rows(db)
    assert set(rows) == {t["url"] for t in site.ground_truth(f"http://{IDN_ASCII}/")}
    assert set(rows.values()) == {IDN_ASCII}
    for spelling in (IDN, IDN_ASCII, f"www.{IDN}"):
        exported = subprocess.run([sys.executable, "-m", "scraper.cli", "export", "--format", "jsonl",
                                   "--site", spelling, "--db", str(db)], cwd=ROOT, capture_output=True,
                                  text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=300)
        assert exported.returncode == 0, exported.stderr
        assert len(exported.stdout.splitlines()) == len(rows)


def test_site_filter_finds_an_idn_site_stored_in_either_spelling(tmp_path):
    """Archives made before IDN sites were stored in ASCII have them in Unicode: --site finds both."""
    from archive.filters import ArticleFilter
    with sqlite3.connect(tmp_path / "a.db") as conn:
        conn.execute("CREATE TABLE articles (id INTEGER PRIMARY KEY, site TEXT, current_version_id INTEGER)")
        conn.execute("CREATE TABLE versions (id INTEGER PRIMARY KEY)")
        for n, host in enumerate((IDN, IDN_ASCII, "news.test"), start=1):
            conn.execute("INSERT INTO articles VALUES (?, ?, ?)", (n, host, n))
            conn.execute("INSERT INTO versions VALUES (?)", (n,))
        for spelling in (IDN, IDN_ASCII, f"WWW.{IDN_ASCII}"):
            conditions, params = ArticleFilter(site=spelling).where()
            found = conn.execute(f"SELECT a.site FROM articles a, versions v WHERE {' AND '.join(conditions)}",
                                 params).fetchall()
            assert sorted(found) == sorted([(IDN,), (IDN_ASCII,)]), spelling
