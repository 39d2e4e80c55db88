"""Sitemaps and feeds as real servers send them, crawled night after night into one archive:
output before ``<?xml`` is no error."""
from __future__ import annotations

import sqlite3

from tests.conftest import LOOPBACK, SiteHandler, article_page, articles_line, run_cli, serving_site

STORIES = [(f"/2025/09/0{day}/story-{day}/", f"Council story {day}", "Ann Author", f"2025-09-0{day}T08:00:00Z",
            [f"The council met on day {day} and agreed the budget for the coming year, after a long debate."] * 3,
            []) for day in (1, 2)]
BY_PATH = {story[0]: story for story in STORIES}
# What a WordPress plugin file saved with a byte order mark, and blank lines after its `?>`,
# prints before every sitemap and feed of the site.
PLUGIN_OUTPUT = b"\xef\xbb\xbf\n\n"


def _urlset(locs) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + "".join(f"<url><loc>{loc}</loc></url>\n" for loc in locs) + "</urlset>\n").encode()


class _PluginOutputSite(SiteHandler):
    """Two stories, listed by a sitemap and a feed that start with PLUGIN_OUTPUT."""

    def do_GET(self):
        if self.path == "/robots.txt":
            return self._send(200, f"User-agent: *\nAllow: /\nSitemap: {self.base}/sitemap.xml\n".encode(), "text/plain")
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
