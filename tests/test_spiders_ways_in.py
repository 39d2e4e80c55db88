"""End to end: the sitemap, feed and urls spiders (and the scope options of all four spiders)
crawl a real sample site over HTTP into fresh archives, checked against the site's ground truth."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import urllib.request
from datetime import datetime, timedelta

import pytest

from scraper.sample_site import SampleSite, SampleSiteServer
from tests.conftest import LOOPBACK, ROOT, assert_one_clean_line, run_cli

pytestmark = pytest.mark.slow

ARTICLES, SEED = 60, 5


@pytest.fixture(scope="module")
def site():
    return SampleSite(articles=ARTICLES, seed=SEED)


@pytest.fixture(scope="module")
def server(site):
    with SampleSiteServer(site) as srv:
        yield srv


@pytest.fixture(scope="module")
def truth(site, server):
    return site.ground_truth(server.url)


def crawl(url: str, db, *options: str) -> subprocess.CompletedProcess:
    return run_cli("crawl", url, "--db", str(db), "-q", *options, *LOOPBACK)


def archived(db) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {row[0] for row in conn.execute("SELECT url FROM articles")}


def crawl_rows(db) -> list[sqlite3.Row]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute("SELECT * FROM crawls ORDER BY id").fetchall()


def summary_number(stdout: str, label: str) -> int:
    line = next(line for line in stdout.splitlines() if line.strip().startswith(label))
    return int(line.split()[len(label.split())])


def in_window(truth, since: str, until: str) -> set[str]:
    return {t["url"] for t in truth if since <= t["published_at"] < until}


def feed_urls(site, base: str) -> list[str]:
    return [base.rstrip("/") + site.articles[i].path for i in site.catalog.newest[:20]]


# -- each way in archives exactly what it lists ------------------------------------------
@pytest.mark.parametrize("start", ["", "sitemap.xml", "sitemap-posts.xml.gz", "wp-sitemap.xml"])
def test_sitemap_spider_archives_every_article(start, server, truth, tmp_path):
    db = tmp_path / "a.db"
    result = crawl(server.url + start, db, "--via", "sitemap")
    assert result.returncode == 0, result.stderr[-3000:]
    assert archived(db) == {t["url"] for t in truth}
    assert f"new {ARTICLES}, changed 0" in result.stdout
    assert crawl_rows(db)[0]["spider"] == "sitemap"


def test_news_sitemap_archives_the_recent_articles(site, server, truth, tmp_path):
    db = tmp_path / "a.db"
    result = crawl(server.url + "news-sitemap.xml", db, "--via", "sitemap")
    assert result.returncode == 0, result.stderr[-3000:]
    newest = max(a.published for a in site.articles)
    expected = {server.url.rstrip("/") + a.path for a in site.articles
                if a.published >= newest - timedelta(days=30)}
    assert archived(db) == expected and len(expected) >= 2


@pytest.mark.parametrize("start", ["", "feed/", "feed/atom/"])
def test_feed_spider_archives_the_feed(start, site, server, tmp_path):
    db = tmp_path / "a.db"
    result = crawl(server.url + start, db, "--via", "feed")
    assert result.returncode == 0, result.stderr[-3000:]
    assert archived(db) == set(feed_urls(site, server.url))
    assert crawl_rows(db)[0]["spider"] == "feed"


def test_urls_spider_reports_junk_lines_and_crawls_the_rest(server, truth, tmp_path):
    picked = [t["url"] for t in truth[::12]]
    listing = tmp_path / "urls.txt"
    listing.write_text("# articles to re-fetch\n\n" + picked[0] + "\nnot a url\n"
                       + "\n".join(picked[1:]) + "   # the rest\nftp://127.0.0.1/x\n"
                       + server.url + "2020/01/01/gone/\n", encoding="utf-8")
    db = tmp_path / "a.db"
    result = crawl(str(listing), db, "--via", "urls")
    assert result.returncode == 0, result.stderr[-3000:]
    assert archived(db) == set(picked)
    assert "urls.txt line 4: not an http(s) URL, skipped: 'not a url'" in result.stderr
    assert f"urls.txt line {5 + len(picked) - 1}: not an http(s) URL" in result.stderr
    assert "errors             1 (first: HTTP 404" in result.stdout
    assert "Traceback" not in result.stderr


def test_a_url_list_the_scope_options_leave_empty_says_so(server, truth, tmp_path):
    # It blamed robots.txt ("no page could be fetched"), where a site crawl said "skipped".
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join(t["url"] for t in truth[:3]) + "\n", encoding="utf-8")
    result = crawl(str(listing), tmp_path / "a.db", "--via", "urls", "--include", "/no-such-section/")
    assert result.returncode == 1
    assert_one_clean_line(result, "all 3 of its URLs are outside the scope options (--include")
    assert "robots.txt" not in result.stderr


def test_urls_spider_skips_lines_urllib_refuses(server, truth, tmp_path):
    """A line urllib or Scrapy raises on (a host in broken brackets, a port out of range)
    costs that line, not the crawl: it is reported with its number and the rest archived."""
    picked = [t["url"] for t in truth[:2]]
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join([picked[0], "http://[object Object]/", "http://[::1/",
                                   "http://127.0.0.1:99999/x", picked[1]]) + "\n", encoding="utf-8")
    db = tmp_path / "a.db"
    result = crawl(str(listing), db, "--via", "urls")
    assert result.returncode == 0, result.stderr[-3000:]
    assert archived(db) == set(picked)
    for number, text in ((2, "http://[object Object]/"), (3, "http://[::1/"), (4, "http://127.0.0.1:99999/x")):
        assert f"urls.txt line {number}: not an http(s) URL, skipped: {text!r}" in result.stderr
    assert "Traceback" not in result.stderr and "Error while reading start items" not in result.stderr
    assert "errors             0" in result.stdout


# -- scope options -------------------------------------------------------------------------------
WINDOW = ("2025-01-01", "2025-06-30")
WINDOW_UTC = ("2025-01-01T00:00:00Z", "2025-07-01T00:00:00Z")


@pytest.mark.parametrize("via", ["sitemap", "site"])
def test_date_window(via, server, truth, tmp_path):
    db = tmp_path / "a.db"
    result = crawl(server.url, db, "--via", via, "--since", WINDOW[0], "--until", WINDOW[1])
    assert result.returncode == 0, result.stderr[-3000:]
    expected = in_window(truth, *WINDOW_UTC)
    assert 5 <= len(expected) < ARTICLES / 2
    assert archived(db) == expected
    row = crawl_rows(db)[0]
    assert row["articles_new"] == len(expected) and row["articles_skipped"] > 0
    args = json.loads(row["args"])
    assert (args["since"], args["before"]) == WINDOW_UTC


def test_feed_window_skips_entries_before_fetching_them(site, server, truth, tmp_path):
    """Entries whose feed dates are clearly outside the window are never requested."""
    feed = feed_urls(site, server.url)
    published = {t["url"]: t["published_at"] for t in truth}
    since, until = published[feed[14]][:10], published[feed[6]][:10]
    db = tmp_path / "a.db"
    result = crawl(server.url + "feed/atom/", db, "--via", "feed", "--since", since, "--until", until)
    assert result.returncode == 0, result.stderr[-3000:]
    end = (datetime.fromisoformat(until) + timedelta(days=1)).strftime("%Y-%m-%dT00:00:00Z")
    expected = {u for u in feed if since + "T00:00:00Z" <= published[u] < end}
    assert archived(db) == expected
    # Only entries within a day of the window are fetched to be checked against their page.
    edge_since = (datetime.fromisoformat(since) - timedelta(days=2)).strftime("%Y-%m-%d")
    edge_until = (datetime.fromisoformat(until) + timedelta(days=3)).strftime("%Y-%m-%d")
    near = {u for u in feed if edge_since <= published[u] < edge_until}
    fetched = summary_number(result.stdout, "article pages")
    assert len(expected) <= fetched <= len(near) < len(feed)


def test_include_and_exclude(server, truth, tmp_path):
    db = tmp_path / "a.db"
    result = crawl(server.url, db, "--via", "sitemap", "--include", r"/2025/", "--exclude", r"/2025/0[1-6]/")
    assert result.returncode == 0, result.stderr[-3000:]
    expected = {t["url"] for t in truth if "/2025/" in t["url"]
                and not any(f"/2025/0{m}/" in t["url"] for m in range(1, 7))}
    assert 3 <= len(expected) < ARTICLES / 2
    assert archived(db) == expected
    # Excluded and not-included URLs are not even fetched, and the summary says how many.
    assert summary_number(result.stdout, "article pages") == len(expected)
    # (the sitemap of pages lists the home and category pages too, all outside --include here)
    with urllib.request.urlopen(server.url + "sitemap-pages.xml") as response:
        pages = response.read().decode().count("<loc>")
    left_out = len(truth) - len(expected) + pages
    assert f"  not fetched        {left_out} URLs ({left_out} outside the site or the scope options)" \
        in result.stdout.splitlines()


def test_site_spider_takes_scope_options_too(server, truth, tmp_path):
    db = tmp_path / "a.db"
    result = crawl(server.url, db, "--via", "site", "--include", r"/2024/", "--max-depth", "1")
    assert result.returncode == 0, result.stderr[-3000:]
    got = archived(db)
    # Depth 1: only articles linked from the home page itself, and of those only 2024's.
    assert got and all("/2024/" in u for u in got)
    assert len(got) < len({t["url"] for t in truth if "/2024/" in t["url"]})


# -- incremental re-crawls ---------------------------------------------------------------------------
def test_second_sitemap_crawl_skips_unchanged_articles(tmp_path):
    site = SampleSite(articles=40, seed=9)
    db = tmp_path / "a.db"
    with SampleSiteServer(site) as server:
        first = crawl(server.url, db, "--via", "sitemap")
        assert first.returncode == 0, first.stderr[-3000:]
        assert summary_number(first.stdout, "article pages") == 40

        second = crawl(server.url, db, "--via", "sitemap")
        assert second.returncode == 0, second.stderr[-3000:]
        assert summary_number(second.stdout, "article pages") == 0
        assert "new 0, changed 0, unchanged 0, skipped 40" in second.stdout

        target = site.ground_truth(server.url)[7]["url"]
        site.update_article(target, title="A corrected headline")
        third = crawl(server.url, db, "--via", "sitemap")
        assert third.returncode == 0, third.stderr[-3000:]
    assert summary_number(third.stdout, "article pages") == 1
    assert "new 0, changed 1, unchanged 0, skipped 39" in third.stdout
    with sqlite3.connect(db) as conn:
        title = conn.execute("SELECT title FROM current_versions WHERE article_url = ?", [target]).fetchone()[0]
        crawls = conn.execute("SELECT status, articles_new, articles_changed, articles_skipped "
                              "FROM crawls ORDER BY id").fetchall()
    assert title == "A corrected headline"
    # the crawl that skipped everything is in the history too
    assert crawls == [("finished", 40, 0, 0), ("finished", 0, 0, 40), ("finished", 0, 1, 39)]


# -- bad input ---------------------------------------------------------------------------------------------
def test_malformed_sitemap_and_feed_are_reported_and_the_rest_processed(static_server, server, truth, tmp_path):
    folder, base = static_server
    urls = [t["url"] for t in truth[:5]]
    (folder / "sitemap.xml").write_text(
        '<?xml version="1.0"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"<url><loc>{urls[0]}</loc></url>\n<url><loc>{urls[1]}</loc></oops>\n"
        f"<url><loc>{urls[2]}</loc></url>\n<url><loc>{urls[3]}</loc><lastm", encoding="utf-8")
    (folder / "feed.xml").write_text(
        '<?xml version="1.0"?>\n<rss version="2.0"><channel>\n'
        f"<item><title>A & B</title><link>{urls[0]}</link></item>\n"
        f"<item><title>C</title><link>{urls[4]}</link></item>\n<item><title>D</title><li", encoding="utf-8")

    db = tmp_path / "sitemap.db"
    result = crawl(base + "sitemap.xml", db, "--via", "sitemap")
    assert result.returncode == 0, result.stderr[-3000:]
    assert archived(db) == set(urls[:4])
    assert "malformed sitemap: line 4: Opening and ending tag mismatch" in result.stderr
    assert "Traceback" not in result.stderr
    with sqlite3.connect(db) as conn:
        reasons = [r[0] for r in conn.execute("SELECT reason FROM crawl_failures")]
    assert len(reasons) == 1 and reasons[0].startswith("malformed sitemap: line 4:")

    db = tmp_path / "feed.db"
    result = crawl(base + "feed.xml", db, "--via", "feed")
    assert result.returncode == 0, result.stderr[-3000:]
    assert archived(db) == {urls[0], urls[4]}
    assert "malformed feed: line 3:" in result.stderr and "Traceback" not in result.stderr


BAD_LINKS = '<a href="http://[object Object]/">x</a> <a href="//[::1">y</a> <img src="https://[cdn/a.png">'


def test_links_urllib_refuses_cost_the_link_not_the_page(static_server, site, server, truth, tmp_path):
    """``http://[object Object]/`` (a broken script's link) on the home page, in articles,
    in a sitemap and in a feed: every spider skips that URL and goes on with the rest."""
    folder, base = static_server
    copies = []
    for t in truth[:2]:  # two of the site's articles, served here with broken links added
        path = t["url"][len(server.url):]
        status, _, body = site.render("/" + path, server.url)
        assert status == 200
        (folder / path).mkdir(parents=True)
        (folder / path / "index.html").write_bytes(body.replace(b"</body>", BAD_LINKS.encode() + b"</body>", 1))
        copies.append(base + path)
    (folder / "index.html").write_text(
        f"<html><head><title>Home</title></head><body>{BAD_LINKS}"
        + "".join(f'<a href="{url}">story</a>' for url in copies) + "</body></html>")
    db = tmp_path / "news.db"
    result = crawl(base, db)
    assert result.returncode == 0, result.stderr[-3000:]
    # archived under their canonical URLs, which name the sample site
    assert archived(db) == {t["url"] for t in truth[:2]}
    assert "Traceback" not in result.stderr and "Spider error" not in result.stderr

    urls = [t["url"] for t in truth[:3]]
    (folder / "sitemap.xml").write_text(
        '<?xml version="1.0"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"<url><loc>{urls[0]}</loc></url><url><loc>http://[object Object]/</loc></url>"
        f"<url><loc>{urls[1]}</loc></url></urlset>", encoding="utf-8")
    (folder / "feed.xml").write_text(
        '<?xml version="1.0"?>\n<rss version="2.0"><channel>\n'
        f"<item><title>A</title><link>//[::1</link></item><item><title>B</title><link>{urls[2]}</link></item>"
        "</channel></rss>", encoding="utf-8")
    for via, expected in (("sitemap", urls[:2]), ("feed", urls[2:])):
        db = tmp_path / f"{via}.db"
        result = crawl(base + f"{via}.xml", db, "--via", via)
        assert result.returncode == 0, result.stderr[-3000:]
        assert archived(db) == set(expected)
        assert "skipped an entry whose URL cannot be read" in result.stderr
        assert "Traceback" not in result.stderr


BAD_PORTS = ("http://127.0.0.1:99999/2025/09/10/bad-port/", "http://127.0.0.1:abc/")


def test_a_port_urllib_refuses_costs_the_link_not_the_sitemap_feed_or_page(static_server, server, truth, tmp_path):
    """``http://host:99999/`` and ``http://host:abc/`` in a sitemap, a feed, and on a page crawled with
    --allow-domain (where the link is in the domain): urlsplit takes them, Scrapy's Request raises
    "Port out of range". The entry or link is skipped, the rest read as usual."""
    folder, base = static_server
    urls = [t["url"] for t in truth[:3]]
    (folder / "sitemap.xml").write_text(
        '<?xml version="1.0"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "".join(f"<url><loc>{url}</loc></url>" for url in (urls[0], *BAD_PORTS, urls[1])) + "</urlset>",
        encoding="utf-8")
    (folder / "feed.xml").write_text(
        '<?xml version="1.0"?>\n<rss version="2.0"><channel>\n'
        + "".join(f"<item><title>t</title><link>{url}</link></item>" for url in (*BAD_PORTS, urls[2]))
        + "</channel></rss>", encoding="utf-8")
    (folder / "index.html").write_text(
        "<html><head><title>Home</title></head><body>"
        + "".join(f'<a href="{url}">story</a>' for url in (*BAD_PORTS, urls[0], urls[1])) + "</body></html>")
    for via, start, expected in (("sitemap", base + "sitemap.xml", urls[:2]), ("feed", base + "feed.xml", urls[2:]),
                                 ("site", base, urls[:2])):
        db = tmp_path / f"{via}.db"
        # --allow-domain: the bad links are in the crawl's domain; depth 1: the home page's links only
        result = crawl(start, db, "--via", via, "--allow-domain", "127.0.0.1", "--max-depth", "1")
        assert result.returncode == 0, result.stderr[-3000:]
        assert archived(db) == set(expected), via
        assert "Port out of range" not in result.stderr and "Traceback" not in result.stderr
        if via != "site":
            assert "skipped an entry whose URL cannot be read: 'http://127.0.0.1:99999/" in result.stderr


def test_atom_xml_base_resolves_relative_links(static_server, server, truth, tmp_path):
    """Atom links are relative to the xml:base in force (RFC 4287 section 2), not to the feed's
    URL: on the feed, on an entry (a relative one resolved against the feed's), and on the link."""
    folder, base = static_server
    paths = [t["url"][len(server.url):] for t in truth[:3]]   # "2025/.../slug/", relative to the site
    year, rest = paths[1].split("/", 1)
    (folder / "atom.xml").write_text(
        f'''<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="{server.url}"><title>Site</title>
  <entry><title>A</title><link rel="alternate" href="{paths[0]}"/></entry>
  <entry xml:base="{year}/"><title>B</title><link href="{rest}"/></entry>
  <entry xml:base="/elsewhere/"><title>C</title><link xml:base="{server.url}" href="{paths[2]}"/></entry>
</feed>''', encoding="utf-8")
    db = tmp_path / "feed.db"
    result = crawl(base + "atom.xml", db, "--via", "feed", "--allow-domain", "127.0.0.1")
    assert result.returncode == 0, result.stderr[-3000:]
    assert archived(db) == {t["url"] for t in truth[:3]}
    assert "errors             0" in result.stdout


def test_unreachable_or_missing_sitemap_is_one_clear_line(static_server, tmp_path):
    _, base = static_server                     # serves no robots.txt and no sitemaps
    db = tmp_path / "a.db"
    result = crawl(base, db, "--via", "sitemap")
    assert result.returncode == 1
    assert "no sitemap found (tried robots.txt, /sitemap.xml, /wp-sitemap.xml)" in result.stderr
    assert "Traceback" not in result.stderr and not db.exists()


# -- the Scrapy way -------------------------------------------------------------------------------------------
def scrapy_crawl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scrapy", "crawl", *LOOPBACK, *args], cwd=ROOT,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True,
                          timeout=300)


def test_scrapy_crawl_with_the_same_options(site, server, truth, tmp_path):
    db = tmp_path / "a.db"
    result = scrapy_crawl("sitemap", "-a", f"start_url={server.url}", "-a", f"since={WINDOW[0]}",
                          "-a", f"until={WINDOW[1]}", "-a", "exclude=/2025/03/", "-s", f"ARCHIVE_DB={db}")
    assert result.returncode == 0, result.stderr[-3000:]
    assert archived(db) == {u for u in in_window(truth, *WINDOW_UTC) if "/2025/03/" not in u}

    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join(t["url"] for t in truth[:3]) + "\njunk\n", encoding="utf-8")
    db = tmp_path / "b.db"
    result = scrapy_crawl("urls", "-a", f"urls_file={listing}", "-s", f"ARCHIVE_DB={db}")
    assert result.returncode == 0, result.stderr[-3000:]
    assert archived(db) == {t["url"] for t in truth[:3]}
    assert "urls.txt line 4: not an http(s) URL" in result.stderr

    db = tmp_path / "c.db"
    # One request at a time, so that no more pages are in flight when the limit is reached.
    result = scrapy_crawl("feed", "-a", f"feed_url={server.url}feed/atom/", "-a", "max_pages=6",
                          "-s", f"ARCHIVE_DB={db}", "-s", "CONCURRENT_REQUESTS=1")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "'finish_reason': 'closespider_pagecount'" in result.stderr
    assert 1 <= len(archived(db)) <= 6 and archived(db) <= set(feed_urls(site, server.url))


@pytest.mark.parametrize("args, message", [
    (("news",), "scrapy crawl news: the news spider needs a start URL: -a start_url=https://example.com/"),
    (("news", "-a", "start_url=ftp://example.org/"), "scrapy crawl news: not an http(s) URL: 'ftp://example.org/'"),
    (("news", "-a", "start_url=http://127.0.0.1:9/", "-a", "since=yesterdayish"),
     "scrapy crawl news: --since: not a date (YYYY-MM-DD) or ISO 8601 time: 'yesterdayish'"),
    (("urls",), "scrapy crawl urls: the urls spider needs a file of URLs: -a urls_file=articles.txt"),
    (("news", "-a", "start_url=http://127.0.0.1:99999/"), "scrapy crawl news: not an http(s) URL: 'http://127.0.0.1:99999/'"),
    (("sitemap", "-a", "start_url=http://127.0.0.1:abc/"),
     "scrapy crawl sitemap: not an http(s) URL: 'http://127.0.0.1:abc/'"),
    (("feed", "-a", "feed_url=http://127.0.0.1:99999/feed/"),
     "scrapy crawl feed: not an http(s) URL: 'http://127.0.0.1:99999/feed/'"),
])
def test_scrapy_crawl_with_a_missing_or_bad_argument_says_so_in_one_line(args, message, tmp_path):
    db = tmp_path / "a.db"
    result = scrapy_crawl(*args, "-s", f"ARCHIVE_DB={db}", "--nolog")
    assert result.returncode == 1
    assert result.stderr.strip() == message
    assert not db.exists()


def test_feed_hints_fill_gaps_and_never_override(static_server, server, truth, tmp_path):
    from tests.test_spiders_scope import BARE_ARTICLE

    folder, base = static_server
    (folder / "harbour-plan.html").write_bytes(BARE_ARTICLE)
    own = truth[-1]                                   # a sample-site page with its own byline and date
    (folder / "feed.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<item><title>Harbour</title><link>{base}harbour-plan.html</link>"
        "<pubDate>Fri, 05 Sep 2025 07:00:00 +0000</pubDate><dc:creator>Ann Lee</dc:creator></item>"
        f"<item><title>Other title</title><link>{own['url']}</link>"
        "<pubDate>Mon, 01 Jan 2024 00:00:00 +0000</pubDate><dc:creator>Not The Author</dc:creator></item>"
        "</channel></rss>", encoding="utf-8")
    db = tmp_path / "a.db"
    result = crawl(base + "feed.xml", db, "--via", "feed")
    assert result.returncode == 0, result.stderr[-3000:]
    from archive import ArchiveStore
    with ArchiveStore(db) as store:
        bare = store.get_article(base + "harbour-plan.html")
        kept = store.get_article(own["url"])
    assert bare.authors == ["Ann Lee"] and bare.published_at == "2025-09-05T07:00:00Z"
    assert bare.title == "Harbour plan approved"
    assert "published_at from the rss" in bare.problems
    assert (kept.title, kept.authors, kept.published_at) == (own["title"], own["authors"], own["published_at"])
