"""``SampleSite``: routing, caching, ground truth and mutation of the sample site."""
from __future__ import annotations

import copy
import hashlib
import math
import re
import struct
import threading
import zlib
from collections import OrderedDict
from datetime import datetime, timedelta, timezone
from typing import Optional, Union
from urllib.parse import parse_qs, quote_plus, unquote, urlsplit

from . import vocab
from .model import (Article, Catalog, Content, Para, SectionData, iso_utc, reading_time)
from .render import PER_PAGE, SEARCH_PER_PAGE, Renderer, comment_form_truth

HTML = "text/html; charset=UTF-8"
XML = "application/xml; charset=UTF-8"
Response = tuple  # (status, content type, body, extra headers)

_ARTICLE = re.compile(r"^/\d{4}/\d{2}/\d{2}/[^/]+/$")
_LISTING = re.compile(r"^/(?:(category|tag|author)/([^/]+)/)?(?:page/(\d+)/)?$")
_MONTH_SITEMAP = re.compile(r"^/sitemap-posts-(\d{4}-\d{2})\.xml$")
_WP_POSTS_SITEMAP = re.compile(r"^/wp-sitemap-posts-post-(\d{1,6})\.xml$")
_UPLOAD = re.compile(r"^/wp-content/uploads/\d{4}/\d{2}/[\w.-]+\.png$")

STATIC_PAGES = {
    "/about/": (2, "About Us", "AboutPage", [
        f"{vocab.SITE_NAME} is an independent digital newsroom. We publish reporting and analysis on world affairs, "
        "politics, business, technology, science, health, climate and culture.",
        "Our journalists work to the standards set out in our editorial code: we check facts, we correct mistakes "
        "promptly and openly, and we keep news separate from opinion.",
        "We are funded by readers and by advertising that never influences what we cover. Our newsletter arrives "
        "every weekday morning with the most important stories of the day.",
    ]),
    "/contact/": (3, "Contact", "ContactPage", [
        "Have a story tip, a correction or a question about our coverage? We read every message.",
        "Email the newsroom at newsroom@news.example.com, or write to the editor at editor@news.example.com. "
        "For advertising enquiries, contact ads@news.example.com.",
    ]),
    "/privacy-policy/": (4, "Privacy Policy", "WebPage", [
        "This policy explains what information we collect when you visit this website and how we use it.",
        "We use cookies to remember your preferences and to measure how the site is used. You can refuse "
        "cookies in your browser settings; some features may then not work.",
        "If you leave a comment, we store the name, email address and website you provide, together with the "
        "comment itself, your IP address and the browser user agent string, to help spam detection.",
    ]),
}


def _png(width: int, height: int, rgb: tuple) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


class SampleSite:
    """A deterministic WordPress-style news site, rendered lazily and cached.

    ``SampleSite(articles=320, seed=2025)``: the same arguments always give the
    same articles and byte-identical pages for the same base URL.
    """

    PAGE_CACHE_BYTES = 256 * 1024 * 1024
    CONTENT_CACHE_ITEMS = 4096

    def __init__(self, articles: int = 320, seed: int = 2025):
        self.seed = seed
        self.catalog = Catalog(articles, seed)
        self._lock = threading.RLock()
        self._pages: "OrderedDict[tuple, Response]" = OrderedDict()
        self._page_bytes = 0
        self._contents: "OrderedDict[int, Content]" = OrderedDict()
        self._renderers: dict[str, Renderer] = {}
        self._generation = 0

    # -- basics ----------------------------------------------------------------
    @property
    def articles(self) -> list[Article]:
        return self.catalog.articles

    def __len__(self) -> int:
        return len(self.catalog.articles)

    def article_path(self, index: int) -> str:
        return self.catalog.articles[index].path

    def seed_article_index(self) -> int:
        return next(a.index for a in self.catalog.articles if a.is_seed)

    @staticmethod
    def _base(base_url: str) -> str:
        base = base_url.rstrip("/")
        if not base.startswith(("http://", "https://")):
            raise ValueError(f"base_url must be an absolute http(s) URL, not {base_url!r}")
        return base

    def _renderer(self, base: str) -> Renderer:
        r = self._renderers.get(base)
        if r is None:
            with self._lock:
                r = self._renderers.get(base)
                if r is None:
                    r = self._renderers[base] = Renderer(self.catalog, base, self.content)
        return r

    def content(self, article: Article) -> Content:
        if article.content_override is not None:
            return article.content_override
        with self._lock:
            c = self._contents.get(article.index)
            if c is not None:
                self._contents.move_to_end(article.index)
                return c
        c = self.catalog.generate_content(article)
        with self._lock:
            self._contents[article.index] = c
            while len(self._contents) > self.CONTENT_CACHE_ITEMS:
                self._contents.popitem(last=False)
        return c

    # -- serving ---------------------------------------------------------------
    def render(self, path: str, base_url: str) -> tuple[int, str, bytes]:
        """``(status, content type, body)`` for a request path (query string allowed)."""
        status, ctype, body, _ = self.respond(path, base_url)
        return status, ctype, body

    def respond(self, path: str, base_url: str) -> Response:
        """Like :meth:`render`, plus extra response headers (``Location`` for redirects)."""
        base = self._base(base_url)
        parts = urlsplit(path)
        route = unquote(parts.path or "/")
        query = parts.query
        key = self._cache_key(route, query)
        if key is not None:
            with self._lock:
                hit = self._pages.get((base, key))
                if hit is not None:
                    self._pages.move_to_end((base, key))
                    return hit
        generation = self._generation
        response = self._route(route, query, base)
        if key is not None and response[0] == 200:
            size = len(response[2])
            with self._lock:
                if generation == self._generation and (base, key) not in self._pages:
                    self._pages[(base, key)] = response
                    self._page_bytes += size
                    while self._page_bytes > self.PAGE_CACHE_BYTES and self._pages:
                        _, old = self._pages.popitem(last=False)
                        self._page_bytes -= len(old[2])
        return response

    def _cache_key(self, route: str, query: str):
        if route in self.catalog.by_path:
            return ("article", route)       # ?replytocom=N and the like serve the same page
        if route == "/" and "p=" in query:
            return None
        if route == "/" or route.startswith("/page/"):
            return (route, query if "s=" in query else "")
        return (route, "")

    def _route(self, route: str, query: str, base: str) -> Response:
        r = self._renderer(base)
        cat = self.catalog
        index = cat.by_path.get(route)
        if index is not None:
            return 200, HTML, r.article(cat.articles[index]), {}
        if route in STATIC_PAGES:
            page_id, title, kind, paras = STATIC_PAGES[route]
            return 200, HTML, r.static_page(path=route, page_id=page_id, title=title, paragraphs=paras, kind=kind), {}
        if route == "/robots.txt":
            return 200, "text/plain; charset=utf-8", r.robots(), {}
        if route == "/feed/":
            return 200, "application/rss+xml; charset=UTF-8", r.feed(), {}
        if route == "/feed/atom/":
            return 200, "application/atom+xml; charset=UTF-8", r.atom(), {}
        sitemap = self._sitemap(r, route)
        if sitemap is not None:
            return sitemap
        if route == "/wp-comments-post.php":
            body = (b"<!DOCTYPE html><html><head><title>Comment Submission Failure</title></head><body>"
                    b"<p>Comment Submission Failure</p></body></html>\n")
            return 405, HTML, body, {"Allow": "POST"}
        if _UPLOAD.match(route):
            digest = hashlib.md5(route.encode()).digest()
            return 200, "image/png", _png(16, 9, (digest[0], digest[1], digest[2])), {}
        m = _LISTING.match(route)
        if m:
            resp = self._listing(r, m.group(1), m.group(2), m.group(3), query)
            if resp is not None:
                return resp
        if not route.endswith("/") and "." not in route.rsplit("/", 1)[-1]:
            target = route + "/"
            status = self._route(target, "", base)[0]
            if status == 200:
                return 301, HTML, b"", {"Location": base + target + (f"?{query}" if query else "")}
        return 404, HTML, r.not_found(), {}

    def _sitemap(self, r: Renderer, route: str) -> Optional[Response]:
        sitemaps = r.sitemaps()
        body: Optional[bytes] = None
        if route == "/sitemap.xml":
            body = sitemaps.index()
        elif route == "/sitemap-pages.xml":
            body = sitemaps.pages()
        elif route == "/news-sitemap.xml":
            body = sitemaps.news()
        elif route == "/wp-sitemap.xml":
            body = sitemaps.wp_index()
        elif route == "/wp-sitemap-taxonomies-category-1.xml":
            body = sitemaps.wp_categories()
        elif route == "/wp-sitemap-users-1.xml":
            body = sitemaps.wp_users()
        elif route == "/sitemap-posts.xml.gz":
            return 200, "application/x-gzip", sitemaps.all_posts_gzip(), {}
        elif (m := _MONTH_SITEMAP.match(route)):
            body = sitemaps.month(m.group(1))
        elif (m := _WP_POSTS_SITEMAP.match(route)):
            body = sitemaps.wp_posts(int(m.group(1)))
        return (200, XML, body, {}) if body is not None else None

    def _listing(self, r: Renderer, kind: Optional[str], slug: Optional[str], page_s: Optional[str],
                 query: str) -> Optional[Response]:
        cat = self.catalog
        page = int(page_s) if page_s else 1
        if page < 1:
            return None
        base_path = f"/{kind}/{slug}/" if kind else "/"
        if page_s == "1":
            return 301, HTML, b"", {"Location": r.base + base_path + (f"?{query}" if query else "")}
        params = parse_qs(query)
        if kind is None and "p" in params and page == 1:
            try:
                idx = cat.by_post_id.get(int(params["p"][0]))
            except ValueError:
                idx = None
            if idx is None:
                return None
            return 301, HTML, b"", {"Location": r.art_url(cat.articles[idx])}
        if kind is None and "s" in params:
            term = params["s"][0].strip()
            words = [w for w in re.split(r"\W+", term.lower()) if w]
            hits = [i for i in cat.newest if words and all(w in self._search_text(i) for w in words)]
            q = f"?s={quote_plus(term)}"
            body = r.listing(items=hits, page=page, per_page=SEARCH_PER_PAGE, base_path="/", query=q,
                             heading=f"Search Results for: {term}", title=f"You searched for {term}",
                             description=f"{len(hits)} result{'s' if len(hits) != 1 else ''} found.",
                             body_class="search " + ("search-results" if hits else "search-no-results"),
                             kind="search", noindex=True)
            return (200, HTML, body, {}) if body is not None else None
        if kind is None:
            body = r.listing(items=cat.newest, page=page, per_page=PER_PAGE, base_path="/",
                             heading="Latest News", title=vocab.SITE_NAME if page == 1 else "Latest News",
                             description=vocab.SITE_TAGLINE, kind="home",
                             body_class="home blog" + (" paged" if page > 1 else ""))
        elif kind == "category":
            info = next((c for c in vocab.CATEGORIES if c[1] == slug), None)
            if info is None:
                return None
            ci = vocab.CATEGORIES.index(info)
            body = r.listing(items=cat.by_category[slug], page=page, per_page=PER_PAGE, base_path=base_path,
                             heading=info[0], title=f"{info[0]} Archives", description=info[2], kind="category",
                             body_class=f"archive category category-{slug} category-{ci + 2}")
        elif kind == "tag":
            if slug not in cat.by_tag:
                return None
            name = cat.tags[slug]
            body = r.listing(items=cat.by_tag[slug], page=page, per_page=PER_PAGE, base_path=base_path,
                             heading=name, title=f"{name} Archives", kind="tag",
                             description=f"Stories tagged {name}.", body_class=f"archive tag tag-{slug}")
        else:
            info = next((a for a in vocab.AUTHORS if a[1] == slug), None)
            if info is None:
                return None
            body = r.listing(items=cat.by_author[slug], page=page, per_page=PER_PAGE, base_path=base_path,
                             heading=info[0], title=f"{info[0]}, Author at {vocab.SITE_NAME}", kind="author",
                             description=info[2], body_class=f"archive author author-{slug}")
        return (200, HTML, body, {}) if body is not None else None

    def _search_text(self, i: int) -> str:
        a = self.catalog.articles[i]
        parts = [a.title, a.subtitle or ""] + [self.catalog.tags[t] for t in a.tags] + \
                [vocab.CATEGORIES[c][0] for c in a.categories]
        return " ".join(parts).lower()

    # -- ground truth ----------------------------------------------------------
    def ground_truth(self, base_url: str) -> list[dict]:
        """What a correct parser must extract from each article page, in site order (oldest first)."""
        base = self._base(base_url)
        return [self._truth(a, base) for a in self.catalog.articles]

    def article_truth(self, index_or_url: Union[int, str], base_url: str) -> dict:
        return self._truth(self._resolve(index_or_url), self._base(base_url))

    def _truth(self, a: Article, base: str) -> dict:
        c = self.content(a)
        url = base + a.path
        if a.date_mode == "text_only":
            published = a.published.date().isoformat() + "T00:00:00Z"
            modified = None
        else:
            published = iso_utc(a.published)
            # JSON-LD always carries dateModified; without it the page states a
            # modification time only when it differs from publication.
            modified = iso_utc(a.modified) if (a.date_mode == "full" or a.modified != a.published) else None
        has_takeaways = bool(a.takeaway_style and c.takeaways)
        return {
            "url": url,
            "canonical_url": url,
            "title": a.title,
            "subtitle": a.subtitle,
            "authors": [vocab.AUTHORS[i][0] for i in a.authors],
            "published_at": published,
            "modified_at": modified,
            "reading_time_minutes": reading_time(a, c),
            "language": "en",
            "intro": [p.text for p in c.intro],
            "sections": [{"heading": s.heading, "level": s.level, "paragraphs": [p.text for p in s.paragraphs]}
                         for s in c.sections],
            "takeaways_heading": c.takeaways_heading if has_takeaways else None,
            "takeaways": list(c.takeaways) if has_takeaways else [],
            "comments_open": a.comments_open,
            "comment_form": comment_form_truth(base) if a.comments_open else None,
            "comments": [{"author": cm.author, "published_at": iso_utc(cm.when), "text": "\n\n".join(cm.paragraphs),
                          "id": f"comment-{cm.id}", "parent": f"comment-{cm.parent}" if cm.parent else None,
                          "published_at_raw": None}  # dated by <time datetime>
                         for cm in c.comments],
            "tags": [self.catalog.tags[t] for t in a.tags],
            "categories": [vocab.CATEGORIES[i][0] for i in a.categories],
        }

    # -- mutation --------------------------------------------------------------
    def _resolve(self, index_or_url: Union[int, str]) -> Article:
        if isinstance(index_or_url, int):
            return self.catalog.articles[index_or_url]
        path = unquote(urlsplit(index_or_url).path or "/")
        index = self.catalog.by_path.get(path)
        if index is None:
            raise KeyError(f"no article at {index_or_url!r}")
        return self.catalog.articles[index]

    def update_article(self, index_or_url: Union[int, str], **changes) -> Article:
        """Edit an article as an editor would, for re-crawl tests.

        Accepted changes: ``title``, ``subtitle``, ``intro`` (list of str),
        ``sections`` (list of ``{heading, paragraphs[, level]}``),
        ``append_paragraph`` (str for the last section, or ``(section_index, str)``),
        ``takeaways_heading``, ``takeaways`` (list of str), ``tags`` (list of names),
        ``comments_open`` (bool) and ``modified_at`` (datetime or ISO string).
        The modification time (page, sitemaps, Atom feed) moves forward to now, and at least a
        day, unless ``modified_at`` is given;
        the URL never changes. Returns the updated article.
        """
        allowed = {"title", "subtitle", "intro", "sections", "append_paragraph", "takeaways_heading",
                   "takeaways", "tags", "comments_open", "modified_at"}
        unknown = set(changes) - allowed
        if unknown:
            raise TypeError(f"update_article() got unsupported changes: {sorted(unknown)}")
        with self._lock:
            a = self._resolve(index_or_url)
            content = copy.deepcopy(self.content(a))
            if "title" in changes:
                a.title = str(changes["title"])
            if "subtitle" in changes:
                a.subtitle = changes["subtitle"] or None
            if "intro" in changes:
                content.intro = [Para(str(p)) for p in changes["intro"]]
            if "sections" in changes:
                content.sections = [SectionData(s["heading"], int(s.get("level", a.heading_level)),
                                                [Para(str(p)) for p in s.get("paragraphs", [])])
                                    for s in changes["sections"]]
                content.takeaways_after = min(content.takeaways_after, len(content.sections))
                if content.ad_after is not None and content.ad_after >= len(content.sections):
                    content.ad_after = None
            if "append_paragraph" in changes:
                value = changes["append_paragraph"]
                pos, text = (value if isinstance(value, tuple) else (len(content.sections) - 1, value))
                if not content.sections:
                    content.intro.append(Para(str(text)))
                else:
                    content.sections[pos].paragraphs.append(Para(str(text)))
            if "takeaways_heading" in changes:
                content.takeaways_heading = changes["takeaways_heading"]
            if "takeaways" in changes:
                content.takeaways = [str(t) for t in changes["takeaways"]]
                if content.takeaways and not a.takeaway_style:
                    a.takeaway_style = "ul"
                    content.takeaways_heading = content.takeaways_heading or "Key Takeaways"
                if not content.takeaways:
                    a.takeaway_style = None
                    content.takeaways_heading = None
            if "tags" in changes:
                a.tags = [self.catalog._register_tag(str(t)) for t in changes["tags"]]
            if "comments_open" in changes:
                a.comments_open = bool(changes["comments_open"])
            modified = changes.get("modified_at")
            if isinstance(modified, str):
                modified = datetime.fromisoformat(modified.replace("Z", "+00:00"))
            if modified is None:
                # An edit is dated when it is made, as WordPress does, so sitemaps and feeds
                # show it as newer than any earlier fetch of the frozen site.
                modified = max(max(a.modified, a.published) + timedelta(days=1, hours=2),
                               datetime.now(timezone.utc).replace(microsecond=0))
            elif modified.tzinfo is None:
                raise ValueError("modified_at must be timezone-aware")
            a.modified = modified.astimezone(a.published.tzinfo).replace(microsecond=0)
            if a.date_mode != "text_only" and a.date_display != "none":
                a.show_updated = True
            a.content_override = content
            self._contents.pop(a.index, None)
            self.catalog.reindex()
            self.invalidate()
            return a

    def invalidate(self) -> None:
        """Drop every cached page (and the cached chrome that lists titles)."""
        with self._lock:
            self._generation += 1
            self._pages.clear()
            self._page_bytes = 0
            self._renderers.clear()

    # -- statistics ------------------------------------------------------------
    def page_size_stats(self, base_url: str = "http://127.0.0.1:8642/", sample: Optional[int] = None) -> dict:
        """Sizes of rendered article pages in bytes (min, mean, max)."""
        n = len(self) if sample is None else min(sample, len(self))
        step = max(1, len(self) // n)
        sizes = [len(self.render(a.path, base_url)[2]) for a in self.catalog.articles[::step][:n]]
        return {"pages": len(sizes), "min": min(sizes), "mean": math.floor(sum(sizes) / len(sizes)), "max": max(sizes)}
