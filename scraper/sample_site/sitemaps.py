"""The sample site's sitemaps, in the shapes real WordPress news sites serve them.

* ``/sitemap.xml``: a sitemap index (Yoast-like) with one post sitemap per month,
  ``/sitemap-posts-YYYY-MM.xml``, plus ``/sitemap-pages.xml`` (home and categories);
  every entry carries ``<lastmod>``.
* ``/news-sitemap.xml``: a Google News sitemap of the most recent articles.
* ``/wp-sitemap.xml``: WordPress core sitemaps (``/wp-sitemap-posts-post-N.xml`` ...).
* ``/sitemap-posts.xml.gz``: every post in one gzip-compressed urlset.

All of them are rendered on request from the catalog; nothing is built up front,
so a 10,000-article site costs nothing until a sitemap is asked for.
"""
from __future__ import annotations

import gzip
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Optional

from . import vocab
from .model import UTC, Article, iso_local

if TYPE_CHECKING:
    from .render import Renderer

URLSET = ('<?xml version="1.0" encoding="UTF-8"?>\n'
          '<urlset xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
          'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{extra}>\n')
INDEX = ('<?xml version="1.0" encoding="UTF-8"?>\n'
         '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n')
NEWS_NS = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
# WordPress core puts 2,000 URLs in each sitemap page (wp_sitemaps_get_max_urls).
WP_PER_PAGE = 2000
# Google wants only the last two days in a news sitemap; the sample site is a frozen
# snapshot, so it uses the thirty days before its newest article (at most 1,000, as Google allows).
NEWS_DAYS = 30
NEWS_MAX = 1000


def xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def lastmod(a: Article) -> str:
    # Articles whose page shows only a date get a date-only lastmod, as some plugins emit.
    return iso_local(a.modified) if a.date_mode != "text_only" else a.modified.date().isoformat()


def _newest(dates) -> datetime:
    return max(dates, key=lambda d: d.astimezone(UTC))


def _month(a: Article) -> str:
    return f"{a.published.year:04d}-{a.published.month:02d}"


class Sitemaps:
    """Renders every sitemap for one :class:`Renderer` (one base URL)."""

    def __init__(self, renderer: "Renderer"):
        self.r = renderer
        self.cat = renderer.cat
        self._months: Optional[dict[str, list[int]]] = None

    def months(self) -> dict[str, list[int]]:
        """Article indexes per publication month, newest month and article first."""
        if self._months is None:
            months: dict[str, list[int]] = {}
            for i in self.cat.newest:
                months.setdefault(_month(self.cat.articles[i]), []).append(i)
            self._months = months
        return self._months

    def _urlset(self, indexes: list[int]) -> bytes:
        arts = self.cat.articles
        rows = [f"<url><loc>{self.r.art_url(arts[i])}</loc><lastmod>{lastmod(arts[i])}</lastmod></url>"
                for i in indexes]
        return (URLSET.format(extra="") + "\n".join(rows) + "\n</urlset>\n").encode("utf-8")

    # -- Yoast-like index ----------------------------------------------------
    def index(self) -> bytes:
        b = self.r.base
        arts = self.cat.articles
        rows = [f"<sitemap><loc>{b}/sitemap-pages.xml</loc>"
                f"<lastmod>{iso_local(_newest(a.modified for a in arts))}</lastmod></sitemap>"]
        for month, items in self.months().items():
            newest = _newest(arts[i].modified for i in items)
            rows.append(f"<sitemap><loc>{b}/sitemap-posts-{month}.xml</loc>"
                        f"<lastmod>{iso_local(newest)}</lastmod></sitemap>")
        return (INDEX + "\n".join(rows) + "\n</sitemapindex>\n").encode("utf-8")

    def month(self, month: str) -> Optional[bytes]:
        items = self.months().get(month)
        return self._urlset(items) if items else None

    def pages(self) -> bytes:
        b = self.r.base
        arts = self.cat.articles
        rows = [f"<url><loc>{b}/</loc><lastmod>{iso_local(_newest(a.modified for a in arts))}</lastmod>"
                f"<changefreq>hourly</changefreq><priority>1.0</priority></url>"]
        for _, slug, _ in vocab.CATEGORIES:
            items = self.cat.by_category[slug]
            if items:
                rows.append(f"<url><loc>{b}/category/{slug}/</loc><lastmod>{iso_local(arts[items[0]].published)}"
                            f"</lastmod><changefreq>daily</changefreq><priority>0.6</priority></url>")
        return (URLSET.format(extra="") + "\n".join(rows) + "\n</urlset>\n").encode("utf-8")

    def all_posts_gzip(self) -> bytes:
        # mtime=0 keeps the bytes identical from build to build.
        return gzip.compress(self._urlset(self.cat.newest), compresslevel=6, mtime=0)

    # -- Google News -----------------------------------------------------------
    def news_items(self) -> list[int]:
        arts = self.cat.articles
        newest = arts[self.cat.newest[0]].published.astimezone(UTC)
        cutoff = newest - timedelta(days=NEWS_DAYS)
        return [i for i in self.cat.newest if arts[i].published.astimezone(UTC) >= cutoff][:NEWS_MAX]

    def news(self) -> bytes:
        arts = self.cat.articles
        rows = []
        for i in self.news_items():
            a = arts[i]
            rows.append(
                f"<url><loc>{self.r.art_url(a)}</loc><lastmod>{lastmod(a)}</lastmod><news:news>"
                f"<news:publication><news:name>{xml_text(vocab.SITE_NAME)}</news:name>"
                f"<news:language>en</news:language></news:publication>"
                f"<news:publication_date>{iso_local(a.published)}</news:publication_date>"
                f"<news:title>{xml_text(a.title)}</news:title></news:news></url>")
        return (URLSET.format(extra=NEWS_NS) + "\n".join(rows) + "\n</urlset>\n").encode("utf-8")

    # -- WordPress core (wp-sitemap.xml) -------------------------------------------
    def _wp_posts(self) -> list[int]:
        return sorted(range(len(self.cat.articles)), key=lambda i: self.cat.articles[i].post_id)

    def wp_index(self) -> bytes:
        b = self.r.base
        pages = max(1, -(-len(self.cat.articles) // WP_PER_PAGE))
        locs = [f"{b}/wp-sitemap-posts-post-{n}.xml" for n in range(1, pages + 1)]
        locs += [f"{b}/wp-sitemap-taxonomies-category-1.xml", f"{b}/wp-sitemap-users-1.xml"]
        rows = "".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in locs)
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                f'<?xml-stylesheet type="text/xsl" href="{b}/wp-sitemap-index.xsl" ?>\n'
                '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"{rows}</sitemapindex>\n").encode("utf-8")

    def wp_posts(self, page: int) -> Optional[bytes]:
        chunk = self._wp_posts()[(page - 1) * WP_PER_PAGE: page * WP_PER_PAGE]
        if page < 1 or not chunk:
            return None
        arts = self.cat.articles
        # WordPress 6.5+ gives each post its post_modified_gmt as lastmod.
        rows = "".join(f"<url><loc>{self.r.art_url(arts[i])}</loc>"
                       f"<lastmod>{arts[i].modified.astimezone(UTC).isoformat()}</lastmod></url>"
                       for i in chunk)
        return self._wp_urlset(rows)

    def wp_categories(self) -> bytes:
        b = self.r.base
        rows = "".join(f"<url><loc>{b}/category/{slug}/</loc></url>"
                       for _, slug, _ in vocab.CATEGORIES if self.cat.by_category[slug])
        return self._wp_urlset(rows)

    def wp_users(self) -> bytes:
        b = self.r.base
        rows = "".join(f"<url><loc>{b}/author/{slug}/</loc></url>"
                       for _, slug, *_ in vocab.AUTHORS if self.cat.by_author[slug])
        return self._wp_urlset(rows)

    def _wp_urlset(self, rows: str) -> bytes:
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                f'<?xml-stylesheet type="text/xsl" href="{self.r.base}/wp-sitemap.xsl" ?>\n'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"{rows}</urlset>\n").encode("utf-8")
