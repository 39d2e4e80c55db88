"""A small sample site (20 articles) on 127.0.0.1 with one crawl trap, for tests/test_crawl_traps.py.

Modes (each one trap a real site has set for crawlers):
  jsessionid   every link of every page carries a fresh ``;jsessionid=X`` (Tomcat, after the slash)
  session      every link carries a fresh ``?sid=``, ``?PHPSESSID=``, ``?jsessionid=``,
               ``?sessionid=`` or cache-buster ``?_=<digits>``, a different one on each page
  relgrow      every page has a relative link ``news/``: /news/news/news/... for ever
  relgrow2     ``news/`` and ``sport/``: /news/sport/news/sport/... too
  pagination   /page/N/ answers 200 for any N with the same five articles and a next link
  pagination_empty   the same with an empty listing
  pagination_offset  the same by ?start=N (Joomla, phpBB) on the home page
  calendar     an events calendar: /YYYY/MM/ and /YYYY/MM/DD/ answer for any date with that
               month's or day's articles, a link to each day of the month and to the month
               before and after; every other page links September 2025's
  facets       the home page and category pages link every other sort order (?orderby=, ?order=),
               view (?view=grid), page size (?per_page=) and filter of themselves, each added to
               the page's own (?filter_topic=a,b, WordPress's ?tag=a+b)
  print        each article links its print, PDF and AMP copies by query (?print=1,
               ?output=print, ?format=pdf, ?outputType=amp...), each answered with the article
  manylinks    the home page ends with links to 3,000 dead /item/N/ pages

and sites that look like a trap and are none (LOOKALIKES, at the end), each with the articles a
crawl must archive.
"""
from __future__ import annotations

import calendar
import http.server
import itertools
import json
import re
import threading
import time
from typing import Optional
from urllib.parse import parse_qs, parse_qsl, quote, urlencode, urlsplit

from scraper.sample_site import SampleSite

ARTICLES = 20
_SITE = None
_SESSION_STYLES = ("sid={t}", "PHPSESSID={t}", "jsessionid={t}", "sessionid={t}", "_={n}")
_DATE_ARCHIVE = re.compile(r"/(\d{4})/(\d{2})/(?:(\d{2})/)?")
_FACETS = {"orderby": ("date", "title", "modified", "comment_count"), "order": ("asc", "desc"),
           "view": ("grid", "list"), "per_page": ("10", "50")}
_TOPICS = ("nato", "economy", "floods", "physics", "sanctions")
_COPIES = ("print=1", "output=print", "format=print", "view=print", "printpage=y", "printable=true", "pdf=1",
           "format=pdf", "mode=print", "tmpl=component&print=1", "amp=1", "outputType=amp")


def site() -> SampleSite:
    global _SITE
    if _SITE is None:
        _SITE = SampleSite(articles=ARTICLES, seed=2025)
    return _SITE


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        srv = self.server
        with srv.lock:
            srv.requests.append(self.path)
            n = len(srv.requests)
        status, ctype, body, headers = self._answer(n)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _answer(self, n: int):
        srv, mode = self.server, self.server.mode
        base = srv.base_url.rstrip("/")
        parts = urlsplit(self.path)
        if mode in LOOKALIKES:
            page = LOOKALIKES[mode].page(base, parts.path, parse_qs(parts.query))
            return (404, "text/html", b"<html><body>Not found</body></html>", {}) if page is None else (
                200, "text/html; charset=utf-8", page.encode("utf-8"), {})
        path, query = parts.path, parts.query
        if mode in ("jsessionid", "session"):
            path = re.sub(r";jsessionid=[^/?]*", "", path)
            query = "&".join(p for p in query.split("&") if p and not re.match(
                r"(sid|PHPSESSID|jsessionid|sessionid|_)=", p))
        # facets: the listing sorted or filtered otherwise; print: the article's copy is the article
        ignored = mode in ("facets", "print")
        status, ctype, body, headers = site().respond(path + ("?" + query if query and not ignored else ""),
                                                      srv.base_url)
        if mode.startswith("relgrow") and status == 404 and re.search(r"/(news|sport)/$", path):
            status, ctype, body, headers = site().respond("/category/world/", srv.base_url)
        html = status == 200 and ctype.startswith("text/html")
        if mode == "calendar" and _DATE_ARCHIVE.fullmatch(path):
            return 200, "text/html; charset=utf-8", _date_archive(path, base).encode("utf-8"), {}
        if mode == "pagination_offset" and path == "/" and re.fullmatch(r"start=\d+", query):
            start = int(query[len("start="):])
            status, ctype, body, headers = site().respond("/page/2/", srv.base_url)
            body = body.replace(b"</body>", f'<a class="next" href="{base}/?start={start + 10}">Older</a></body>'.encode())
        elif mode == "pagination_offset" and path in ("/", "/page/2/") and status == 200:
            body = body.replace(b"</body>", f'<a class="next" href="{base}/?start=20">Older</a></body>'.encode(), 1)
        if mode == "pagination" or mode == "pagination_empty":
            m = re.fullmatch(r"/page/(\d+)/", path)
            if m and status == 404:
                page = int(m.group(1))
                status, ctype, body, headers = site().respond("/page/2/", srv.base_url)
                text = body.decode()
                if mode == "pagination_empty":
                    text = re.sub(r'<article class="p-wrap.*?</article>', "", text, flags=re.S)
                body = text.replace("</body>", f'<a class="next page-numbers" href="{base}/page/{page + 1}/">Next</a></body>').encode()
            elif html and path in ("/", "/page/2/"):
                # the last real page of the listing says "next" too
                body = body.replace(b"</body>", f'<a class="next" href="{base}/page/99/">Next</a></body>'.encode(), 1)
        if not html:
            return status, ctype, body, headers
        text = body.decode("utf-8")
        if mode == "jsessionid":
            token = "%08x" % n
            text = re.sub(r'(<a\b[^>]*?\bhref=")(%s/[^"#?]*)' % re.escape(base),
                          lambda m: f"{m.group(1)}{m.group(2)};jsessionid={token}", text)
        elif mode == "session":
            style = _SESSION_STYLES[n % len(_SESSION_STYLES)].format(t="%08x" % n, n=1700000000000 + n)
            text = re.sub(r'(<a\b[^>]*?\bhref=")(%s/[^"#]*)"' % re.escape(base),
                          lambda m: '%s%s%s%s"' % (m.group(1), m.group(2), "&" if "?" in m.group(2) else "?", style),
                          text)
        elif mode.startswith("relgrow"):
            links = '<a href="news/">News</a>' + (' <a href="sport/">Sport</a>' if srv.mode == "relgrow2" else "")
            text = text.replace("</body>", f"<nav>{links}</nav></body>")
        elif mode == "manylinks" and path == "/":
            dead = "".join(f'<a href="{base}/item/{i}/">i</a>' for i in range(3000))
            text = text.replace("</body>", dead + "</body>", 1)
        elif mode == "calendar":
            text = text.replace("</body>", f'<aside class="widget_calendar"><a href="{base}/2025/09/">September 2025</a></aside></body>', 1)
        elif mode == "facets" and (path == "/" or path.startswith("/category/")):
            text = text.replace("</body>", _facet_links(base + path, query) + "</body>", 1)
        elif mode == "print" and path in _article_paths() and not query:
            copies = "".join(f'<a href="{base}{path}?{copy}">copy</a>' for copy in _COPIES)
            text = text.replace("</body>", copies + "</body>", 1)
        return status, ctype, text.encode("utf-8"), headers


def _article_paths() -> set[str]:
    return {article.path for article in site().articles}


def _date_archive(path: str, base: str) -> str:
    """An events calendar's page for a month or a day: its articles, every day of the month and
    the month before and after, whatever the date."""
    year, month = int(path[1:5]), int(path[6:8])
    listed = "".join(f'<li><a href="{base}{article.path}">{article.path}</a></li>'
                     for article in site().articles if article.path.startswith(path))
    days = "".join(f'<a href="{base}/{year}/{month:02d}/{day:02d}/">{day}</a> '
                   for day in range(1, calendar.monthrange(year, month)[1] + 1))
    before = f"{year - (month == 1)}/{(month - 2) % 12 + 1:02d}"
    after = f"{year + (month == 12)}/{month % 12 + 1:02d}"
    return (f'<!DOCTYPE html><html><head><title>Events {path}</title></head><body class="archive date">'
            f'<a href="{base}/">Home</a><h1>Events {path}</h1><ul>{listed}</ul><table id="wp-calendar">{days}</table>'
            f'<nav><a href="{base}/{before}/">&laquo; Previous</a> <a href="{base}/{after}/">Next &raquo;</a></nav>'
            '</body></html>')


def _facet_links(url: str, query: str) -> str:
    """A listing's links to itself sorted, viewed or filtered otherwise, each added to its own
    query: another topic joins ?filter_topic=a,b and another tag ?tag=a+b."""
    current = dict(parse_qsl(query))
    links = [dict(current, **{name: value}) for name, values in _FACETS.items() for value in values]
    for name, joiner in (("filter_topic", ","), ("tag", " ")):
        chosen = current.get(name, "").split(joiner) if current.get(name) else []
        links += [dict(current, **{name: joiner.join(chosen + [topic])}) for topic in _TOPICS if topic not in chosen]
    return "".join(f'<a href="{url}?{urlencode(link)}">facet</a>' for link in links)


class TrapServer:
    def __init__(self, mode: str):
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.mode = mode
        self.server.lock = threading.Lock()
        self.server.requests = []
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.server.base_url = self.url

    @property
    def requests(self) -> list[str]:
        return self.server.requests

    def __enter__(self):
        site()
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


# Sites that look like a trap and are none: small real-world layouts the trap rules above must
# not cut short (each with the paths of its articles, all of which a crawl archives). Served by
# TrapServer under their mode name.
def _article_page(base: str, path: str, title: str, extra: str = "") -> str:
    body = "".join(f"<p>The council met on Tuesday to discuss the budget for the coming year, and members "
                   f"argued for hours about the cost of the new bridge ({title}, part {i}).</p>" * 3
                   for i in range(6))
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                     "datePublished": "2025-09-14T10:00:00Z", "mainEntityOfPage": base + path})
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f'<link rel="canonical" href="{base}{path}"><script type="application/ld+json">{ld}</script></head>'
            f'<body class="single"><a href="{base}/">Home</a><article><h1>{title}</h1>'
            f'<time datetime="2025-09-14T10:00:00Z">14 September</time><div class="entry-content">{body}</div>'
            f'</article>{extra}</body></html>')


def _listing_page(base: str, paths, extra: str = "") -> str:
    items = "".join(f'<h2><a href="{base}{path}">{path}</a></h2>' for path in paths)
    return (f'<!DOCTYPE html><html><head><title>News</title></head><body class="archive">'
            f'<a href="{base}/">Home</a><main>{items}</main>{extra}</body></html>')


class _Lookalike:
    articles: list = []

    def page(self, base: str, path: str, query: dict) -> Optional[str]:
        """The page at ``path`` and ``query`` (parse_qs), or None for a 404."""
        if path in self.articles:
            return _article_page(base, path, "Story " + path.strip("/").replace("/", " "))
        return None


class _NumberedArticles(_Lookalike):
    """Drupal's /node/2049 ... /node/2030 and reports whose URL ends in their year
    (/reports/report-3/2003), ten a page: /news?page=N (Drupal counts from 0)."""
    articles = ([f"/node/{nid}" for nid in range(2049, 2029, -1)]
                + [f"/reports/report-{i}/{2000 + i}" for i in range(10)])

    def page(self, base, path, query):
        if path in ("/", "/news"):
            page = int(query.get("page", ["0"])[0])
            pager = f'<a href="{base}/news?page={page + 1}">Next</a>' if (page + 1) * 10 < len(self.articles) else ""
            return _listing_page(base, self.articles[page * 10:(page + 1) * 10], pager)
        return super().page(base, path, query)


class _MonthArchives(_Lookalike):
    """WordPress: the home page lists the ten latest posts (no next page), an Archives widget on
    every page links the months, and a month's archive has pages (/2025/11/page/2/). November's
    first page lists what the home page does."""
    months = {"2025/11": 25, "2025/10": 5, "2025/06": 4}
    articles = [f"/{month}/story-{i}/" for month, count in months.items() for i in range(count)]

    def widget(self, base):
        return "".join(f'<a href="{base}/{month}/">{month}</a>' for month in self.months)

    def page(self, base, path, query):
        if path == "/":
            return _listing_page(base, self.articles[:10], self.widget(base))
        match = re.fullmatch(r"/(\d{4}/\d{2})/(?:page/(\d+)/)?", path)
        if match and match.group(1) in self.months:
            posts = [article for article in self.articles if article.startswith(f"/{match.group(1)}/")]
            page = int(match.group(2) or 1)
            if (page - 1) * 10 >= len(posts):
                return None
            more = (f'<a class="next" href="{base}/{match.group(1)}/page/{page + 1}/">Older</a>'
                    if page * 10 < len(posts) else "")
            return _listing_page(base, posts[(page - 1) * 10:page * 10], more + self.widget(base))
        if path in self.articles:
            return _article_page(base, path, "Story " + path, self.widget(base))
        return None


class _FilterCategories(_Lookalike):
    """Categories only by ?filter=: /news lists the latest five of all; /news?filter=sport&page=N
    is a category, five a page. /news itself is linked nowhere."""
    categories = ("politics", "sport", "science")
    articles = [f"/story/{category}-{i}/" for category in categories for i in range(12)]

    def page(self, base, path, query):
        nav = "".join(f'<a href="{base}/news?filter={category}">{category}</a>' for category in self.categories)
        if path in ("/", "/news"):
            chosen, page = query.get("filter", [None])[0], int(query.get("page", ["1"])[0])
            if chosen is None:
                return _listing_page(base, self.articles[-5:], nav)
            posts = [article for article in self.articles if article.startswith(f"/story/{chosen}-")]
            more = f'<a href="{base}/news?filter={chosen}&page={page + 1}">Next</a>' if page * 5 < len(posts) else ""
            return _listing_page(base, posts[(page - 1) * 5:page * 5], nav + more)
        if path in self.articles:
            return _article_page(base, path, "Story " + path, nav)
        return None


class _SharedPages(_Lookalike):
    """/page/N/ answers for any N with the same five articles and a next link, and every page
    has a share link carrying its own URL (AddToAny)."""
    articles = [f"/s{i}/" for i in range(5)]

    def page(self, base, path, query):
        match = re.fullmatch(r"/(?:page/(\d+)/)?", path)
        if match:
            share = f'<a href="https://www.addtoany.com/share#url={quote(base + path, safe="")}">Share</a>'
            more = f'<a class="next" href="{base}/page/{int(match.group(1) or 1) + 1}/">Older</a>'
            return _listing_page(base, self.articles, more + share)
        return super().page(base, path, query)


class _LeftOutThenFetched(_Lookalike):
    """The home page's ?page=2 lists what the home page does, and links ?page=3 twice (relative
    and absolute) and the last page ?page=9: not followed from it. The articles, answered after
    a moment, link ?page=9, which is then fetched (it lists one more article)."""
    articles = ["/a1/", "/a2/", "/a3/", "/b1/"]

    def page(self, base, path, query):
        page = query.get("page", ["1"])[0]
        if path == "/" and page in ("1", "2"):
            more = (f'<a href="{base}/?page=2">next</a>' if page == "1" else
                    f'<a href="?page=3">3</a> <a href="{base}/?page=3">next</a> <a href="{base}/?page=9">last</a>')
            return _listing_page(base, self.articles[:3], more)
        if path == "/" and page == "9":
            return _listing_page(base, ["/b1/"])
        if path in self.articles:
            time.sleep(0.3)
            return _article_page(base, path, "Story " + path, f'<a href="{base}/?page=9">oldest</a>')
        return None


LOOKALIKES = {
    "numbered": _NumberedArticles(),
    "months": _MonthArchives(),
    "filters": _FilterCategories(),
    "shared": _SharedPages(),
    "leftout": _LeftOutThenFetched(),
}
