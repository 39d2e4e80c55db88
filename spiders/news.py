"""The recursive spider: start at a site's home page and follow its own links."""
from __future__ import annotations

import re
from typing import Any, Callable, Iterable, Iterator, Optional
from urllib.parse import quote, urlsplit, urlunsplit

import scrapy
from lxml import etree
from w3lib.url import canonicalize_url

from scraper.hosts import SCRIPT_PATH, normal_url, site_of, split_url, without_tracking

from .base import ArticleSpider
from .scope import Scope, default_domain

# Links that never lead to an article page of its own: admin, feeds, comment actions,
# search, share buttons, files, and WordPress's pages of older comments (/comment-page-2/),
# which repeat the article with other comments.
_SKIP_PATH = re.compile(
    r"/(wp-admin|wp-login\.php|wp-json|xmlrpc\.php|wp-comments-post\.php|feed|comments/feed|"
    r"wp-content|wp-includes|cdn-cgi|comment-page-\d+)(/|$)|"
    r"\.(jpe?g|png|gif|webp|svg|ico|pdf|zip|gz|mp3|mp4|mov|avi|css|js|json|xml|txt|rss|atom)$",
    re.IGNORECASE,
)
_SKIP_QUERY = re.compile(r"(^|&)(replytocom|share|s|like_comment|unapproved)(=|&|$)", re.IGNORECASE)
# Copies of a post at another address, each with a canonical link to the post: the AMP
# plugin's /post/amp/, /post/?amp, /post/?amp=1, and the /amp/post/ and /print/post/ of AMP
# and printer-friendly setups that put the copy under a prefix (WP-Print: /post/print/).
# Archived, a copy became a version of its post (without the comments); its post is
# fetched instead. A WordPress page named "amp" or "print" (with child pages) is no
# article, and a post under a category "print" (/%category%/%postname%/) is found again:
# WordPress answers its bare slug with a redirect to the post.
_AMP_PATH = re.compile(r"/amp/?$", re.IGNORECASE)
_PRINT_PATH = re.compile(r"(?<=.)/print/?$", re.IGNORECASE)
_COPY_PREFIX = re.compile(r"^/(?:amp|print)(?=/[^/])", re.IGNORECASE)
# The same copies by a query parameter: ?amp, ?print=1 and its other spellings (?printpage=y,
# ?printable=1), ?pdf=1, a view or output format named print, pdf or amp (?output=print,
# ?format=pdf, ?view=print, ?mode=print, Arc's ?outputType=amp) and Joomla's bare-article
# ?tmpl=component. Only these values: Joomla's ?view=article&id=5 names the article, and
# a script's ?pdf=report-2024 its file.
_COPY_QUERY = re.compile(
    r"(?:^|&)(?:(?:amp|print|printpage|print_page|printable|printer|printer_?friendly|printview)(?:=[^&]*)?"
    r"|pdf(?:=(?:1|y|yes|true))?"
    r"|(?:output|format|view|mode|layout|template|tmpl|type|outputtype)=(?:print|printable|printer|pdf|amp)"
    r"|(?:tmpl|template)=component)(?=&|$)", re.IGNORECASE)


def _copy_original(url: str, parts) -> str:
    """``url`` of an AMP or print copy as the URL of its post; any other URL as it is."""
    path, query = parts.path, parts.query
    path = _COPY_PREFIX.sub("", path, count=1)
    if _AMP_PATH.search(path):
        path = _AMP_PATH.sub("/", path)
    elif _PRINT_PATH.search(path):
        path = _PRINT_PATH.sub("/", path)
    if query and _COPY_QUERY.search(query):
        query = _COPY_QUERY.sub("", query).lstrip("&")
    elif path == parts.path:
        return url
    return urlunsplit(parts._replace(path=path, query=query))


# Other orders and views of a listing the crawl reaches without them: WordPress's and
# WooCommerce's ?orderby=title&order=asc, Drupal's ?sort_by=&sort_order= and table sorting
# (?order=Title&sort=asc), Joomla's ?filter_order=&filter_order_Dir=, and the page sizes and
# grid/list switches of themes. Each adds its values to the others' on every page: thousands
# of URLs for a listing of ten articles, which lists the same articles without them. A view is
# only grid or list: Joomla's ?view=article&id=5 names an article.
_LISTING_ORDER_OR_VIEW = re.compile(
    r"(?:^|&)(?:(?:orderby|order|sort|sortby|sort_by|sort_order|sortorder|filter_order|filter_order_dir"
    r"|per_page|perpage|posts_per_page|items_per_page)(?:=[^&]*)?"
    r"|(?:view|display|layout|mode)=(?:grid|list))(?=&|$)", re.IGNORECASE)
# A listing's filters: ?filter=, WooCommerce's layered ?filter_color=red,blue (&query_type_color=or),
# price and rating filters. A filter lists fewer articles than its listing, so it leads to the
# listing itself when the crawl knows that listing (it is linked, or the page the filter is on);
# on a site whose filters are its only way to a category (/news?filter=sport, where /news lists
# the latest five) the filtered listing is followed, page after page.
_LISTING_FILTER = re.compile(
    r"(?:^|&)(?:filter|filter_\w+|query_type_\w+|min_price|max_price|rating_filter)(?:=[^&]*)?(?=&|$)",
    re.IGNORECASE)


def listing_itself(parts, page_filters: frozenset[str], known: Callable[[str], bool]) -> Optional[str]:
    """The URL a link (split as ``parts``) to another order, view or filter of a listing leads
    to instead, or None to follow it as it is. ``page_filters`` are the filters of the page
    the link is on (filters_in: its next pages keep them); ``known(url)``: whether the crawl has
    that listing. A script's query names its page (read.php?sort=1234): left as it is."""
    query = parts.query
    if not query or SCRIPT_PATH.search(parts.path):
        return None
    query = _without(_LISTING_ORDER_OR_VIEW, query)
    if _LISTING_FILTER.search(query):
        unfiltered = _without(_LISTING_FILTER, query)
        canonical = urlsplit(canonicalize_url(urlunsplit(parts._replace(query=query))))
        if filters_in(canonical.query) != page_filters and known(
                urlunsplit(parts._replace(query=_without(_PAGE_NUMBER_PARAM, unfiltered), fragment=""))):
            query = unfiltered
    return urlunsplit(parts._replace(query=query)) if query != parts.query else None


def filters_in(query: str) -> frozenset[str]:
    """The filter parameters of a canonical URL's query."""
    if not _LISTING_FILTER.search(query):
        return frozenset()
    return frozenset(param for param in query.split("&")
                     if _LISTING_FILTER.fullmatch(param) and not _LISTING_ORDER_OR_VIEW.fullmatch(param))


# Links, and the next page of a listing where only <link rel="next"> or a "Load more"
# button's data-url names it.
_HREFS = etree.XPath("//a/@href | //link[@rel='next']/@href | //button/@data-url", smart_strings=False)


def _site_netloc(netloc: str) -> str:
    """Host and port, lower-cased, without a leading "www.": sites that answer on both
    hosts link to either (example.com pages with absolute links to www.example.com).
    ``netloc`` is a normalized URL's (scraper.hosts.normal_url): an ASCII host and no
    default port, so ``nachrichten-über.test:80`` and ``xn--nachrichten-ber-bwb.test`` are one."""
    netloc = netloc.lower()
    return netloc[4:] if netloc.startswith("www.") else netloc


# Paths no site means: relative links that grow the path on every page (news/ on /news/ is
# /news/news/, then /news/news/news/...; news/ and sport/ together give /news/sport/news/sport/...),
# refused as Heritrix's PathologicalPathDecideRule and TooManyPathSegmentsDecideRule do: a path
# with one segment three times (in a row or not: alternating segments never repeat in a row),
# or with more segments than any site's real pages have.
MAX_PATH_SEGMENTS = 16


def pathological(path: str) -> bool:
    """Whether ``path`` has one segment three times or more than MAX_PATH_SEGMENTS segments."""
    if path.count("/") < 4:
        return False  # the usual short path: cheap
    segments = [segment for segment in path.split("/") if segment]
    if len(segments) > MAX_PATH_SEGMENTS:
        return True
    seen: dict[str, int] = {}
    for segment in segments:
        seen[segment] = seen.get(segment, 0) + 1
        if seen[segment] == 3:
            return True
    return False


# A listing's other pages: WordPress's /page/2/, ?paged=2 and ?page=2, and the offsets other
# CMSs count in (?start=20: Joomla, phpBB; ?limitstart=20: Joomla; ?offset=20). /page/N/ may
# answer for any N with the same listing, or an empty one, and a link to page N+1.
_PAGE_PARAMS = "paged|page|start|limitstart|offset"
_PAGINATION = rf"/page/\d+/?(?:$|[?#])|[?&](?:{_PAGE_PARAMS})=\d+(?:&|#|$)"
_PAGE_OF_LISTING = re.compile(_PAGINATION, re.IGNORECASE)
_PAGE_IN_PATH = re.compile(r"/page/\d+(?=/?$)", re.IGNORECASE)
_PAGE_NUMBER_PARAM = re.compile(rf"(?:^|&)(?:{_PAGE_PARAMS})=\d*(?=&|$)", re.IGNORECASE)
# A calendar's other months, days and years: date archives (/2025/09/, /2025/09/14/,
# /events/month/2025-09/, a year at the root or under an archive: /2025/, /archive/2025/), and
# a query of dates alone (WordPress's ?m=202509, ?month=9&year=2025, ?date=2025-09-14).
# WordPress's own calendar links only months with posts; event and archive calendar plugins
# link the month before and after on every month page, for ever both ways. An article's URL
# has its slug after the date; a year alone at the end of a path is a page's number more often
# than a year (Drupal's /node/2034, /p/1999, /reports/annual/2024), and a query that names its
# page by something else besides a date (read.php?id=5&date=2025-09-14) is that page.
_YEAR = r"(?:19|20)\d\d"
_DATE_END = r"/?(?:$|[?#])"
_CALENDAR_PATH = (rf"/{_YEAR}[/-](?:0?[1-9]|1[0-2])(?:[/-](?:0?[1-9]|[12]\d|3[01]))?{_DATE_END}"
                  rf"|^(?:https?:)?(?://[^/?#]*)?/{_YEAR}{_DATE_END}"
                  rf"|/(?:archives?|calendar|events?|years?|date)/{_YEAR}{_DATE_END}")
_DATE_PARAM = rf"(?:m|month|year|day|date)=(?:{_YEAR}(?:-?\d\d){{0,2}}|\d\d?)"
_CALENDAR_PARAM = rf"(?:{_DATE_PARAM}|(?:{_PAGE_PARAMS})=\d+)"
_CALENDAR_QUERY = rf"\?(?:{_CALENDAR_PARAM}&)*{_DATE_PARAM}(?:&{_CALENDAR_PARAM})*(?:#|$)"
_CALENDAR = re.compile(f"{_CALENDAR_PATH}|{_CALENDAR_QUERY}", re.IGNORECASE)
_DATE_TAIL = re.compile(rf"/{_YEAR}(?:[/-]\d\d?){{0,2}}/?$")
# Both are the next pages of a listing: links to them are left out of what a page lists, and
# followed only from a page that does not list the same as the ones before it (NewsSpider.parse).
_NEXT_PAGES = re.compile(f"{_PAGINATION}|{_CALENDAR_PATH}|{_CALENDAR_QUERY}", re.IGNORECASE)
# What the page before this one in its own listing lists (a hash), and its repeats: set on the
# links that continue a listing (continues_listing), the only pages compared with it.
LISTING_META = "newsarchive_listing"
# A listing that goes on for ever lists the same page after page (the same articles, or none);
# a calendar's months beyond the first and last post list nothing. A listing page that lists
# the same as the page before it (this many times in a row) is not followed to its next pages,
# months or days. A real listing never repeats a page; a calendar walk goes on through every
# month that lists an article, and across one empty month, but not two: a site's older months
# are also linked by its pagination, archive lists and sitemaps.
MAX_REPEATS = 1


def repeats_before(linked_from: Any, listing: int) -> int:
    """How many times in a row the pages up to this one, along next-page links, have listed
    ``listing``: 0 for a page that lists something else than the page that led to it
    (``linked_from``, its LISTING_META), or that no next-page link led to."""
    if isinstance(linked_from, int):  # a request queued by a --job before repeats were counted
        linked_from = (linked_from, 0)
    if not linked_from or linked_from[0] != listing:
        return 0
    return linked_from[1] + 1


def _without(pattern: re.Pattern, query: str) -> str:
    """``query`` without the parameters ``pattern`` finds (each with its leading ``&``)."""
    return pattern.sub("", query).lstrip("&")


def _first_page(parts) -> str:
    """The URL split as ``parts`` without its page number: the listing's first page."""
    return urlunsplit(parts._replace(path=_PAGE_IN_PATH.sub("", parts.path),
                                     query=_without(_PAGE_NUMBER_PARAM, parts.query), fragment=""))


def _listing_walked(url: str) -> Optional[tuple[str, str]]:
    """What a next page ``url`` is a page of: ("pages", the listing's first page) for a listing's
    page N, ("dates", the calendar without a date) for a calendar's month or day; None for
    another URL."""
    parts = urlsplit(url)
    if _PAGE_OF_LISTING.search(url):
        return "pages", _first_page(parts)
    if not _CALENDAR.search(url):
        return None
    if _DATE_TAIL.search(parts.path):
        return "dates", urlunsplit(parts._replace(path=_DATE_TAIL.sub("/", parts.path), query="", fragment=""))
    return "dates", urlunsplit(parts._replace(query="", fragment=""))  # a query of dates alone


def continues_listing(page_url: str, url: str) -> bool:
    """Whether the link from the page at ``page_url`` to ``url`` goes on along the listing
    the page is part of: to its next page (from page 1 or page N of the same listing), or to
    another month or day of the calendar the page (or its first page) is a date of. Only
    such a page is compared with the page before it: a month archive linked from the home page
    may well list the home page's ten latest posts, and still have a page 2."""
    walked = _listing_walked(url)
    if walked is None:
        return False
    page = urlsplit(page_url)
    if walked[0] == "pages":
        return _first_page(page) == walked[1]
    return _listing_walked(_first_page(page)) == walked


# A URL carried in a query (a share button's ?url=, a log-in link's ?redirect_to=), spelled
# as it is or percent-encoded, up to where it ends.
_URL_END = r"(?![\w%.~+-])"
_QUERY_OR_FRAGMENT = re.compile(r"[?#]")
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:|//", re.IGNORECASE)


def listing_of(hrefs: Iterable[str], page_url: str, within_site: Callable[[str], bool]) -> int:
    """What the page at ``page_url`` with links ``hrefs`` lists, as a hash, to tell a listing page
    that lists the same as the page before it: its links within the site (``within_site`` of an
    absolute href) that are no next pages, with the page's own URL taken out of their queries.
    Share buttons (https://www.addtoany.com/share#url=<this page>) and log-in links
    (?redirect_to=<this page>) are another link on every page: with them, no page of a listing
    that goes on for ever was ever the same as the one before."""
    own = re.compile(f"(?:{re.escape(page_url)}|{re.escape(quote(page_url, safe=''))}){_URL_END}")
    listed = set()
    for href in hrefs:
        if _NEXT_PAGES.search(href) or (_SCHEME.match(href) and not within_site(href)):
            continue
        query = _QUERY_OR_FRAGMENT.search(href)
        if query:
            href = href[:query.start()] + own.sub("", href[query.start():])
        listed.add(href)
    return hash(frozenset(listed))


# A filter's values combined (WordPress's ?tag=nato+economy and ?tag=nato,economy, ?cat=3,5):
# a link from a filtered listing that adds values to its filters lists fewer articles than the
# page it is on (or the union of what each value's listing lists), and its own links add more,
# in every order. The first filter of a listing is followed: on some sites it is the only way
# to a tag. A script's query names its page (article.php?title=Budget+2025) and is left alone.
_FILTER_VALUES = re.compile(r"(?:[+,| ]|%2[0BC]|%7C)+", re.IGNORECASE)


def filters_of(parts) -> dict[str, frozenset[str]]:
    """The values of each query parameter of a URL (split as ``parts``), its page number apart;
    empty for a script's URL or one without a query."""
    if not parts.query or SCRIPT_PATH.search(parts.path):
        return {}
    filters: dict[str, frozenset[str]] = {}
    for param in parts.query.split("&"):
        if param and not _PAGE_NUMBER_PARAM.fullmatch(param):
            name, _, value = param.partition("=")
            filters[name] = filters.get(name, frozenset()) | frozenset(_FILTER_VALUES.split(value))
    return filters


def adds_filter_values(page, filters: dict[str, frozenset[str]], url: str) -> bool:
    """Whether ``url`` is the page split as ``page`` (with ``filters_of(page)``, not empty) with
    more values in one or more of its filters, and nothing else changed but the page number."""
    link = urlsplit(url)
    if link.path != page.path or link.netloc != page.netloc:
        return False
    combined = filters_of(link)
    if combined.keys() != filters.keys():
        return False
    return combined != filters and all(values <= combined[name] for name, values in filters.items())


def links_left_out(page_url: str, *, listing_ends: bool) -> Optional[Callable[[str], Optional[str]]]:
    """Which links of the page at ``page_url`` are not followed from it: its next pages and
    calendar dates when its listing has repeated itself (``listing_ends``), and links that add
    values to its filters. A function of a canonical link URL that names the stat counting it,
    or None; None when no link is left out."""
    page = urlsplit(page_url)
    filters = filters_of(page)
    if not listing_ends and not filters:
        return None

    def why(url: str) -> Optional[str]:
        if listing_ends and _NEXT_PAGES.search(url):
            return "newsarchive/repeated_listings"
        if filters and "?" in url and adds_filter_values(page, filters, url):
            return "newsarchive/listing_variants"
        return None
    return why


# How many hrefs the crawl remembers as already looked at (a cache: forgetting one only
# means deciding about it again, with the same answer).
_CONSIDERED_MAX = 4096


class NewsSpider(ArticleSpider):
    """`scrapy crawl news -a start_url=https://example.com/` plus the scope options (spiders/scope.py)."""

    name = "news"
    follows_links = True

    def __init__(self, start_url: Optional[str] = None, *args: Any, **kwargs: Any) -> None:
        scope = Scope.pop_from(kwargs)
        super().__init__(*args, **kwargs)
        if not start_url:
            raise ValueError("the news spider needs a start URL: -a start_url=https://example.com/")
        parts = split_url(start_url)
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {start_url!r}")
        # One spelling (ASCII host, no :80), the one the site's links are compared in.
        start_url = normal_url(start_url, parts)
        parts = urlsplit(start_url)
        self.start_url = start_url
        # The site's host and port (see _site_netloc); a second one when the home page
        # redirects within the site.
        self.site_netlocs = {_site_netloc(parts.netloc)}
        self.scope = scope
        # Absolute hrefs looked at lately. Bounded: every page of a site repeats its menus, which
        # stay in it, while its own share, comment and reply links would make it grow with the site.
        self._considered: set[str] = set()
        # hash() of every canonical URL requested in this crawl: 8 bytes' worth of int instead of
        # a ~100-character string for each page of the site (the one crawl-wide set that has to
        # grow with it). Scrapy's duplicate filter still checks each request by its fingerprint.
        self._requested: set[int] = {hash(canonicalize_url(start_url))}
        # The same hashes of URLs left out (links_left_out, pathological paths, other orders,
        # filters and views of a listing) and not requested, with the stat that counts them:
        # the summary's "not fetched" counts each URL once, and not one fetched from another page.
        self._left_out: dict[int, str] = {}
        # Without --allow-domain the crawl stays on the start URL's site, www. or not.
        self.allowed_domains = scope.allowed_domains or [default_domain(start_url)]

    async def start(self) -> Any:
        # allow_offsite: Scrapy's RedirectMiddleware copies it to the redirect, so a home page
        # that moves to another host (example.com -> www.example.com) is fetched; parse_start decides.
        yield self.way_in(self.start_url, callback=self.parse_start, errback=self.on_error,
                          meta={"allow_offsite": True})

    def parse_start(self, response: Any) -> Iterator[Any]:
        """The home page. Sites redirect their bare domain to www (or back) and http to
        https; when the start URL lands on another host of the same site, that host's
        pages are the site's pages too. A redirect to another site is not followed, unless
        the user allowed its host (--allow-domain): a site that moved to a new host."""
        landed = split_url(response.url)
        # normalized: a redirect's Location may name the default port (http://host:80/)
        netloc = _site_netloc(urlsplit(normal_url(response.url, landed)).netloc) if landed is not None else ""
        if netloc not in self.site_netlocs:
            if site_of(response.url) != site_of(self.start_url) and not (
                    self.scope.allowed_domains and self.scope.allows_domain(response.url)):
                self.logger.warning("%s redirects to %s, another site: not crawled", self.start_url, response.url)
                self.crawler.stats.set_value("newsarchive/start_redirected_to", response.url)
                return
            self.site_netlocs.add(netloc)  # www. or not is the same already: another port, say
        yield from self.parse(response)

    def parse(self, response: Any) -> Iterator[Any]:
        doc, items = self.page_items(response)
        # The links are taken, and the page's tree (half a megabyte for a news page) let go,
        # before the first item is handed on: Scrapy keeps this generator suspended while the
        # item goes through the pipelines, and with it every local, for dozens of pages at once.
        links, listing, repeats = [], None, 0
        page_url = canonicalize_url(response.url)
        self._request(hash(page_url))  # fetched, under this URL too when a redirect led here
        if doc is not None:
            hrefs = _HREFS(doc.root)
            # What the page lists, its next pages apart: next pages that list the same as the
            # page before them (the same articles, or none) are a listing that goes on for ever.
            listing = listing_of(hrefs, response.url, self._within_site)
            repeats = repeats_before(response.meta.get(LISTING_META), listing)
            leave_out = links_left_out(response.url, listing_ends=repeats >= MAX_REPEATS)
            links = list(self.follow_hrefs(hrefs, doc.absolute, leave_out=leave_out, page_url=page_url))
        del doc
        yield from items
        priority = self.listed_priority(response)  # the home page's links: ahead of a job's backlog
        for url in links:
            if continues_listing(page_url, url):
                yield scrapy.Request(url, callback=self.parse, errback=self.on_error, priority=priority,
                                     meta={LISTING_META: (listing, repeats)})
            else:
                yield scrapy.Request(url, callback=self.parse, errback=self.on_error, priority=priority)

    def _within_site(self, href: str) -> bool:
        """Whether an absolute ``href`` leads to a page the crawl may follow links to (by host)."""
        parts = split_url(href)
        if parts is None or parts.scheme not in ("http", "https", ""):
            return False
        if self.scope.allowed_domains:
            return self.scope.allows_domain(href)
        if _site_netloc(parts.netloc) in self.site_netlocs:
            return True
        normal = normal_url(href, parts)  # http://host:80/, a host in Unicode
        return normal is not href and _site_netloc(urlsplit(normal).netloc) in self.site_netlocs

    def claim_later_pages(self, urls: list[str]) -> None:
        # As follow_hrefs marks what it yields: the links to them are then passed over.
        for url in urls:
            self._request(hash(canonicalize_url(url)))

    def _request(self, key: int) -> None:
        """Mark the URL whose canonical form hashes to ``key`` requested: a URL left out
        before (from another page) is no longer counted as not fetched."""
        self._requested.add(key)
        why = self._left_out.pop(key, None)
        if why:
            self.crawler.stats.inc_value(why, -1)

    def _leave_out(self, key: int, why: str) -> None:
        """Count the URL whose canonical form hashes to ``key`` under the stat ``why``, once,
        unless it is requested (now or later: see _request)."""
        if key not in self._requested and key not in self._left_out:
            self._left_out[key] = why
            self.crawler.stats.inc_value(why)

    def links_to_follow(self, doc) -> Iterator[str]:
        """Links to pages of the site not yet requested in this crawl.

        Every page links to the same menus, sidebars and related posts; without
        a crawl-wide memory each page would yield ~70 requests that Scrapy's
        duplicate filter then fingerprints and drops, which costs more than
        parsing the page."""
        return self.follow_hrefs(_HREFS(doc.root), doc.absolute)

    def follow_hrefs(self, hrefs: Iterable[str], absolute: Callable[[str], Optional[str]],
                     leave_out: Optional[Callable[[str], Optional[str]]] = None,
                     page_url: Optional[str] = None) -> Iterator[str]:
        """``links_to_follow`` for hrefs found any way; ``absolute`` resolves one against its page
        (canonical ``page_url``, when known). A URL for which ``leave_out`` names a stat
        (links_left_out) is not followed from this page, and counted, but may be from another."""
        considered, requested = self._considered, self._requested
        if len(considered) > _CONSIDERED_MAX:
            considered.clear()
        page_filters = filters_in(urlsplit(page_url).query) if page_url else frozenset()

        def known(url: str) -> bool:
            return hash(canonicalize_url(url)) in requested

        for href in hrefs:
            if href in considered:
                continue  # an absolute link seen before (WordPress writes absolute links)
            url = absolute(href)
            if not url or url in considered:
                continue
            considered.add(url)  # absolute URLs only: a relative href means another URL on another page
            found = url
            parts = split_url(url)
            if parts is None:
                continue  # a port urllib cannot read (http://host:99999/): Scrapy's Request would raise
            normal = normal_url(url, parts)  # doc.absolute's are already; ``absolute`` may be any
            if normal is not url:
                url, parts = normal, urlsplit(normal)
            if self.scope.allowed_domains:
                if not self.scope.may_fetch(url):
                    continue
            elif _site_netloc(parts.netloc) not in self.site_netlocs or not self.scope.may_fetch(url):
                continue
            if _SKIP_PATH.search(parts.path) or _SKIP_QUERY.search(parts.query):
                continue
            if pathological(parts.path):
                self._leave_out(hash(canonicalize_url(url)), "newsarchive/pathological_paths")
                continue
            if parts.query or ";" in parts.path:  # campaign parameters, session ids
                cleaned = without_tracking(url)
                if cleaned != url:
                    url, parts = cleaned, urlsplit(cleaned)
            itself = listing_itself(parts, page_filters, known) if parts.query else None
            if itself is not None:  # another order, filter or view of a listing: the listing
                self._leave_out(hash(canonicalize_url(url)), "newsarchive/listing_variants")
                url, parts = itself, urlsplit(itself)
            url = canonicalize_url(_copy_original(url, parts))
            key = hash(url)
            if key in requested:
                continue
            why = leave_out(url) if leave_out is not None else None
            if why:
                self._leave_out(key, why)
                considered.discard(found)
                continue
            self._request(key)
            yield url
