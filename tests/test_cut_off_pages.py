"""An archived article's page answered 200 but cut off before its end: a server closing the
connection early where it sent no Content-Length, or a PHP page dying half-way with a fatal
error printed where it stopped. Each became the article's new version ('changed'), its current
text the part before the cut, and the next whole fetch a third version. The cut page is now a
failure, as a body cut short of its Content-Length is, and adds no version; an edit, and a site
whose pages never had a closing </html>, are versions as before."""
from __future__ import annotations

import html
import re
import socket
import sqlite3

from tests.conftest import LOOPBACK, SiteHandler, articles_line, run_cli, serving_site

CLOSED = "/2025/09/01/council-budget-approved/"     # night 2: the connection closed half-way
FATAL = "/2025/09/02/new-tram-line-opens/"          # night 2: PHP dies half-way, says so, ends the answer
EDITED = "/2025/09/03/library-hours-extended/"      # night 2: its last paragraph edited away
NO_END = "/2025/09/04/school-roof-repaired/"        # never a </html>; night 2: last paragraph gone
PATHS = [CLOSED, FATAL, EDITED, NO_END]
PHP_FATAL = (b"<br />\n<b>Fatal error</b>:  Allowed memory size of 134217728 bytes exhausted (tried to "
             b"allocate 20480 bytes) in <b>/var/www/html/wp-includes/class-wpdb.php</b> on line <b>2056</b><br />\n")


def page(path: str, paragraphs: int = 6) -> bytes:
    headline = path.strip("/").split("/")[-1].replace("-", " ").capitalize()
    text = "".join(f"<p>{html.escape(headline)}, paragraph {n}: the council heard from residents and "
                   f"officials for most of the evening before it came to a decision.</p>"
                   for n in range(1, paragraphs + 1))
    end = "" if path == NO_END else "</html>"
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{headline}</title>'
            f'<meta property="og:type" content="article">'
            f'<meta property="article:published_time" content="2025-09-0{PATHS.index(path) + 1}T08:00:00Z">'
            f'</head><body class="single single-post"><article class="post hentry">'
            f'<h1 class="entry-title">{headline}</h1><div class="entry-content">{text}</div>'
            f'</article><footer>News of the town</footer></body>{end}').encode()


class Site(SiteHandler):
    protocol_version = "HTTP/1.1"
    night = 1

    def do_GET(self):
        path = self.path
        if path == "/robots.txt":
            return self._send(200, b"User-agent: *\nAllow: /\n", "text/plain")
        if path == "/":
            links = "".join(f'<h2><a href="{p}">{p}</a></h2>' for p in PATHS)
            return self._send(200, f'<!doctype html><html><head><title>News</title></head>'
                                   f'<body class="home blog">{links}</body></html>'.encode())
        if path not in PATHS:
            return self._send(404, b"<html><body>Not found</body></html>")
        whole = page(path)
        if self.night != 2:
            return self._send(200, whole if path not in (EDITED, NO_END) or self.night == 1 else page(path, 5))
        if path == CLOSED:  # no Content-Length: the end of the connection ends the page
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(whole[:len(whole) * 2 // 3])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_WR)
            return None
        if path == FATAL:
            return self._send(200, whole[:len(whole) // 2] + PHP_FATAL)
        return self._send(200, page(path, 5))


def _versions(db) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT url, version_count FROM articles"))


def test_a_page_cut_off_before_its_end_adds_no_version(tmp_path):
    db = tmp_path / "archive.db"
    with serving_site(Site) as site:
        crawl = ("crawl", site.base + "/", "--db", str(db), "-q", *LOOPBACK)
        assert articles_line(run_cli(*crawl)) == "articles           new 4, changed 0, unchanged 0"
        site.night = 2
        result = run_cli(*crawl)
        assert articles_line(result) == "articles           new 0, changed 2, unchanged 0"
        assert "errors             2 (first: page cut short: it stops before </html> with" in result.stdout
        assert _versions(db) == {site.base + CLOSED: 1, site.base + FATAL: 1, site.base + EDITED: 2,
                                 site.base + NO_END: 2}
        with sqlite3.connect(db) as conn:
            failures = sorted(conn.execute("SELECT url, reason, http_status FROM crawl_failures"))
        assert [(url, status) for url, _reason, status in failures] == [
            (site.base + CLOSED, 200), (site.base + FATAL, 200)]
        assert all(re.fullmatch(r"page cut short: it stops before </html> with \d+ of the \d+ characters "
                                r"of text archived", reason) for _url, reason, _status in failures), failures
        site.night = 3  # whole again: nothing changed
        assert articles_line(run_cli(*crawl)) == "articles           new 0, changed 0, unchanged 4"
        assert _versions(db) == {site.base + CLOSED: 1, site.base + FATAL: 1, site.base + EDITED: 2,
                                 site.base + NO_END: 2}
