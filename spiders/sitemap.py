"""The sitemap spider: archive the articles a site lists in its sitemaps.

    scrapy crawl sitemap -a start_url=https://example.com/                 # robots.txt, /sitemap.xml, /wp-sitemap.xml
    scrapy crawl sitemap -a sitemap_url=https://example.com/news-sitemap.xml

Sitemap indexes, gzip sitemaps, WordPress core sitemaps and Google News sitemaps
all work; ``lastmod`` and the news publication date and title travel with each
article request as hints (spiders/hints.py), and decide which entries need no
fetch at all (spiders/entries.py). Takes the scope options of spiders/scope.py.
"""
from __future__ import annotations

import gzip
import io
import struct
import zlib
from typing import Any, Iterator, Optional
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response
from scrapy.spiders import SitemapSpider
from scrapy.utils.sitemap import sitemap_urls_from_robots

from scraper.hosts import is_home_page, normal_url, split_url
from scraper.items import FetchFailure
from scraper.media import media_type

from .base import ArticleSpider
from .entries import Candidate, EntryGate
from .hints import HINTS, hint_range, make_hints
from .scope import Scope, default_domain
from .sitemap_reader import read_sitemap

# Where a site root's sitemaps are looked for when robots.txt names none.
FALLBACK_SITEMAPS = ("/sitemap.xml", "/wp-sitemap.xml")
PROBE = "newsarchive_sitemap_probe"


GZIP_MAGIC = b"\x1f\x8b"
GZIP_TYPES = ("application/gzip", "application/x-gzip")


def not_decompressed(why: str, *, part: bool = False) -> str:
    """A failure row's reason for a gzip sitemap that does not decompress (``part``: past some
    point), in the words ContentEncodingMiddleware uses for a page."""
    return f"could not decompress {'all of ' if part else ''}the sitemap (gzip file): {why}"


class UnreadableSitemap(ValueError):
    """A gzip sitemap that gives nothing to read: the message says why, in a failure row's
    words (as scraper.middlewares.fetch_error_reason and ContentEncodingMiddleware say them
    of a page)."""


def gunzip_sitemap(data: bytes, max_size: int) -> tuple[bytes, Optional[str]]:
    """A gzip file's content and None, or what of it could be decompressed and why the rest
    could not (gzip's or zlib's words: "Compressed file ended before the end-of-stream marker
    was reached"). Raises UnreadableSitemap when there is nothing, or more than ``max_size``
    bytes (DOWNLOAD_MAXSIZE; 0: no limit)."""
    reader, out = gzip.GzipFile(fileobj=io.BytesIO(data)), io.BytesIO()
    try:
        while chunk := reader.read1(65536):
            out.write(chunk)
            if max_size and out.tell() > max_size:
                raise UnreadableSitemap("larger than DOWNLOAD_MAXSIZE once decompressed")
    except (OSError, EOFError, zlib.error, struct.error) as exc:
        if not out.tell():
            raise UnreadableSitemap(not_decompressed(str(exc))) from None
        return out.getvalue(), str(exc)
    return out.getvalue(), None


def is_gzip_file(response: Response) -> bool:
    """Whether ``response`` is a gzip file (``.xml.gz``) to decompress: its bytes start as gzip's
    do, whatever the Content-Type; or they are no XML and the Content-Type or the URL says gzip
    (a file damaged from its first bytes). A ``.xml.gz`` sent with ``Content-Encoding: gzip``
    arrives decompressed (scraper.middlewares.ContentEncodingMiddleware): it is XML."""
    if response.body.startswith(GZIP_MAGIC):
        return True
    said = media_type(response.headers.get("Content-Type", b"").decode("latin-1")) in GZIP_TYPES
    said = said or urlsplit(response.url).path.endswith(".gz")
    return said and not response.body.lstrip(b" \t\r\n\xef\xbb\xbf").startswith(b"<")


def site_root(url: str) -> Optional[str]:
    """``https://host/`` when ``url`` is a site's root (no path, no query), else None."""
    if not is_home_page(url):
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def check_http_url(url: Optional[str], what: str) -> str:
    """``url`` in one spelling (scraper.hosts.normal_url: ASCII host, no :80), or ValueError
    saying why it cannot be crawled (``what`` when there is none)."""
    if not url:
        raise ValueError(what)
    parts = split_url(url)
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    return normal_url(url, parts)


class SitemapArticleSpider(ArticleSpider, SitemapSpider):
    name = "sitemap"

    def __init__(self, start_url: Optional[str] = None, sitemap_url: Optional[str] = None,
                 *args: Any, **kwargs: Any) -> None:
        scope = Scope.pop_from(kwargs)
        super().__init__(*args, **kwargs)
        self.start_url = check_http_url(
            sitemap_url or start_url,
            "the sitemap spider needs a site or sitemap URL: -a sitemap_url=https://example.com/sitemap.xml")
        scope.allowed_domains = scope.allowed_domains or [default_domain(self.start_url)]
        self.scope = scope
        self.allowed_domains = scope.allowed_domains
        self.gate: Optional[EntryGate] = None

    async def start(self) -> Any:
        self.gate = EntryGate(self)
        root = site_root(self.start_url)
        if root is None:
            yield self.sitemap_request(self.start_url)
        else:
            yield self.way_in(root + "robots.txt", callback=self.parse_robots,
                              errback=self.robots_failed, meta={PROBE: root})

    def sitemap_request(self, url: str, probe: Optional[tuple[str, list[str]]] = None,
                        every_run: bool = True) -> scrapy.Request:
        """A sitemap's request: one of the site's ways in (ArticleSpider.way_in), read on every
        run of a --job unless ``every_run`` is False (an index's sitemap unchanged since the job
        began: once in the job)."""
        meta = {PROBE: probe} if probe else {}
        return self.way_in(url, every_run=every_run, callback=self.parse_sitemap, errback=self.sitemap_failed,
                           meta=meta)

    # -- finding the sitemaps of a site root ---------------------------------------------------
    def parse_robots(self, response: Response) -> Iterator[Any]:
        urls = list(sitemap_urls_from_robots(response.body, base_url=response.url))
        if urls:
            for url in urls:
                yield self.sitemap_request(url)
        else:
            yield from self._probe(response.meta[PROBE], list(FALLBACK_SITEMAPS))

    def robots_failed(self, failure) -> Iterator[Any]:
        yield from self._probe(failure.request.meta[PROBE], list(FALLBACK_SITEMAPS))

    def _probe(self, root: str, paths: list[str]) -> Iterator[Any]:
        if paths:
            yield self.sitemap_request(root + paths[0].lstrip("/"), probe=(root, paths[1:]))
            return
        self.crawler.stats.inc_value("newsarchive/failures")
        tried = ", ".join(["robots.txt", *FALLBACK_SITEMAPS])
        yield FetchFailure(root, f"no sitemap found (tried {tried})")

    def sitemap_failed(self, failure) -> Iterator[Any]:
        probe = failure.request.meta.get(PROBE)
        if probe:
            yield from self._probe(*probe)
        else:
            yield from self.on_error(failure)

    # -- reading a sitemap -----------------------------------------------------------------------
    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        stats = self.crawler.stats
        stats.inc_value("newsarchive/sitemaps")
        try:
            body, damage = self.sitemap_body(response)
        except UnreadableSitemap as exc:  # a gzip file, even where it was only probed for
            yield self.bad_input(response, str(exc))
            return
        doc = read_sitemap(body) if body else None
        if damage and (doc is None or doc.kind is None):
            yield self.bad_input(response, not_decompressed(damage))
            return
        if doc is None or doc.kind is None:
            probe = response.meta.get(PROBE)
            if probe:
                yield from self._probe(*probe)
                return
            why = doc.problem if doc else f"Content-Type {response.headers.get('Content-Type', b'?').decode('latin-1')}"
            yield self.bad_input(response, f"not a sitemap ({why})")
            return
        if doc.problem:
            # Cut short by a damaged gzip file, the XML breaks where the decompression stopped.
            problem = not_decompressed(damage, part=True) if damage else f"malformed sitemap: {doc.problem}"
            yield self.bad_input(response, f"{problem} ({len(doc.entries)} entries read, processed anyway)")
        if doc.kind == "sitemapindex":
            yield from self._child_sitemaps(response, doc.entries)
            return
        candidates = []
        for entry in doc.entries:
            url = self.entry_url(response, entry.loc)
            if url is None:
                continue
            news = entry.news_publication_date or entry.news_title
            hints = make_hints("news sitemap" if news else "sitemap", published_at=entry.news_publication_date,
                               title=entry.news_title)
            candidates.append(Candidate(url, hints, published=entry.news_publication_date,
                                        modified=entry.lastmod))
        priority = self.listed_priority(response)
        for c in self.gate.admit(candidates):
            yield scrapy.Request(c.url, callback=self.parse_page, errback=self.on_error, priority=priority,
                                 meta={HINTS: c.hints})

    def sitemap_body(self, response: Response) -> tuple[Optional[bytes], Optional[str]]:
        """The sitemap's XML (None when the response is none) and why a gzip file could only be
        read in part (gunzip_sitemap). Scrapy's own SitemapSpider._get_sitemap_body answers
        None for a gzip file over DOWNLOAD_MAXSIZE once decompressed, which said "not a sitemap
        (Content-Type application/x-gzip)", and raised zlib's error for a damaged one, or gave
        its bytes to the XML parser ("not a sitemap (line 1: Start tag expected ...)")."""
        if not is_gzip_file(response):
            return self._get_sitemap_body(response), None
        return gunzip_sitemap(response.body, response.meta.get("download_maxsize", self._max_size))

    def _child_sitemaps(self, response: Response, entries) -> Iterator[Any]:
        stats = self.crawler.stats
        for entry in entries:
            url = self.entry_url(response, entry.loc)
            if url is None:
                continue
            if not self.scope.may_fetch(url):
                stats.inc_value("newsarchive/out_of_scope")
            elif self.scope.window.clearly_outside(modified=hint_range(entry.lastmod)):
                # Everything in it was last modified, so published, before --since.
                stats.inc_value("newsarchive/sitemaps_skipped")
            else:
                yield self.sitemap_request(url, every_run=self._changed_since_job_began(entry.lastmod))

    def _changed_since_job_began(self, lastmod: Optional[str]) -> bool:
        """Whether an index's sitemap dated ``lastmod`` may list pages added since this crawl's
        --job began, and so is read again on each run of it (every sitemap is, without --job).
        One without a date is read once in the job: an index of thousands of daily sitemaps
        would otherwise be read again every night before any article."""
        began = self.job_began()
        changed = hint_range(lastmod)
        return began is None or (changed is not None and changed[1] >= began)
