"""Sitemaps and feeds as real servers send them, crawled night after night into one archive:
output before ``<?xml`` is no error, and a gzip sitemap that cannot be read says why."""
from __future__ import annotations

import gzip
import random
import sqlite3

from tests.conftest import LOOPBACK, SiteHandler, article_page, articles_line, run_cli, serving_site

STORIES = [(f"/2025/09/0{day}/story-{day}/", f"Council story {day}", "Ann Author", f"2025-09-0{day}T08:00:00Z",
            [f"The council met on day {day} and agreed the budget for the coming year, after a long debate."] * 3,
            []) for day in (1, 2)]
BY_PATH = {story[0]: story for story in STORIES}
# What a WordPress plugin file saved with a byte order mark, and blank lines after its `?>`,
# prints before every sitemap and feed of the site.
PLUGIN_OUTPUT = b"\xef\xbb\xbf\n\n"
GZIP = "application/x-gzip"


def _urlset(locs) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + "".join(f"<url><loc>{loc}</loc></url>\n" for loc in locs) + "</urlset>\n").encode()


class _PluginOutputSite(SiteHandler):
    """Two stories, listed by a sitemap and a feed that start with PLUGIN_OUTPUT."""

    def do_GET(self):
        if self.path == "/robots.txt":
            return self._send(200, f"User-agent: *\nAllow: /\nSitemap: {self.base}/sitemap.xml\n".encode(),
                              "text/plain")
        if self.path == "/sitemap.xml":
            return self._send(200, PLUGIN_OUTPUT + _urlset(self.base + path for path in BY_PATH),
                              "application/xml; charset=UTF-8")
        if self.path == "/feed/":
            items = "".join(f"<item><title>{s[1]}</title><link>{self.base}{s[0]}</link></item>" for s in STORIES)
            return self._send(200, PLUGIN_OUTPUT + f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">'
                                                   f'<channel><title>News</title>{items}</channel></rss>'.encode(),
                              "application/rss+xml; charset=UTF-8")
        if self.path in BY_PATH:
            return self._send(200, article_page(self.base, BY_PATH[self.path]))
        return self._send(404, b"<html><body>Not found</body></html>")


def test_output_before_the_xml_declaration_is_no_error_night_after_night(tmp_path):
    """A sitemap with a BOM and blank lines before `<?xml` was read whole, and counted as one
    error every night ('malformed sitemap: line 3: XML declaration allowed only at the start of
    the document (2 entries read, processed anyway)'): a nightly summary always said 'errors 1'.
    A feed said the same ('malformed feed: ...')."""
    db = tmp_path / "a.db"
    with serving_site(_PluginOutputSite) as site:
        nights = [run_cli("crawl", site.base + "/", "--via", "sitemap", "--db", str(db), "-q", *LOOPBACK)
                  for _ in range(2)]
        feed = run_cli("crawl", site.base + "/feed/", "--via", "feed", "--db", str(tmp_path / "feed.db"),
                       "-q", *LOOPBACK)
    assert articles_line(nights[0]) == "articles           new 2, changed 0, unchanged 0"
    assert articles_line(nights[1]) == "articles           new 0, changed 0, unchanged 2"
    assert articles_line(feed) == "articles           new 2, changed 0, unchanged 0"
    for result in (*nights, feed):
        assert "  errors             0\n" in result.stdout, result.stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM crawl_failures").fetchone() == (0,)


def _elsewhere(count: int) -> list[str]:
    """``count`` sitemap entries on another site (not fetched), in words gzip cannot shrink much."""
    rnd = random.Random(7)
    return [f"http://elsewhere.invalid/{n}-{rnd.getrandbits(64):016x}/" for n in range(count)]


class _GzipSitemapsSite(SiteHandler):
    """A sitemap index of four .xml.gz sitemaps: one good, one over DOWNLOAD_MAXSIZE (1 MB here)
    once decompressed, one damaged from its tenth byte on, one cut off after 60% of its bytes."""
    CHILDREN = ("posts", "big", "damaged", "cut")

    def do_GET(self):
        if self.path == "/robots.txt":
            return self._send(200, f"User-agent: *\nAllow: /\nSitemap: {self.base}/sitemap_index.xml\n".encode(),
                              "text/plain")
        if self.path == "/sitemap_index.xml":
            children = "".join(f"<sitemap><loc>{self.base}/{name}.xml.gz</loc></sitemap>" for name in self.CHILDREN)
            return self._send(200, ('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.'
                                    f'sitemaps.org/schemas/sitemap/0.9">{children}</sitemapindex>').encode(),
                              "application/xml")
        if self.path == "/posts.xml.gz":
            return self._send(200, gzip.compress(_urlset([self.base + STORIES[0][0]])), GZIP)
        if self.path == "/big.xml.gz":
            return self._send(200, gzip.compress(_urlset([self.base + STORIES[1][0]]).replace(
                b"</urlset>", b"<!--" + b" " * 2_000_000 + b"--></urlset>")), GZIP)
        if self.path == "/damaged.xml.gz":
            whole = gzip.compress(_urlset([self.base + STORIES[1][0]]))
            return self._send(200, whole[:10] + bytes(b ^ 0x5A for b in whole[10:]), GZIP)
        if self.path == "/cut.xml.gz":
            whole = gzip.compress(_urlset(_elsewhere(3000)))
            return self._send(200, whole[:len(whole) * 6 // 10], GZIP)
        if self.path in BY_PATH:
            return self._send(200, article_page(self.base, BY_PATH[self.path]))
        return self._send(404, b"<html><body>Not found</body></html>")


def test_a_gzip_sitemap_that_cannot_be_read_says_why(tmp_path):
    """One over DOWNLOAD_MAXSIZE once decompressed said 'not a sitemap (Content-Type
    application/x-gzip)'; a damaged one 'could not process the page: error: Error -3 while
    decompressing data: ...' (zlib's exception out of Scrapy's gunzip); one cut short was a
    'malformed sitemap' at the line where the decompression stopped."""
    db = tmp_path / "a.db"
    with serving_site(_GzipSitemapsSite) as site:
        result = run_cli("crawl", site.base + "/", "--via", "sitemap", "--db", str(db), "-q", *LOOPBACK,
                         "-s", "DOWNLOAD_MAXSIZE=1000000", "-s", "RETRY_TIMES=0")
        url = {name: f"{site.base}/{name}.xml.gz" for name in site.CHILDREN}
    assert articles_line(result) == "articles           new 1, changed 0, unchanged 0"
    assert "errors             3 (first: " in result.stdout
    with sqlite3.connect(db) as conn:
        failures = dict(conn.execute("SELECT url, reason FROM crawl_failures WHERE http_status = 200"))
    assert failures.pop(url["cut"]).startswith(
        "could not decompress all of the sitemap (gzip file): Compressed file ended before the "
        "end-of-stream marker was reached (")
    assert failures == {
        url["big"]: "larger than DOWNLOAD_MAXSIZE once decompressed",
        url["damaged"]: "could not decompress the sitemap (gzip file): "
                        "Error -3 while decompressing data: invalid block type"}
    assert "Traceback" not in result.stderr
