"""What every newsarchive spider shares: turning a response into an item, and failures into rows.

Spiders only find and follow pages; parsing is `scraper.extract`, storing is the pipelines.
"""
from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from typing import Any, Iterator, Optional

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from archive.crawls import META_REFRESH_HOME, SOFT_404
from archive.lookups import current_capture
from archive.timestamps import instant
from scraper.hosts import join_url, redirects_home, without_tracking
from scraper.extract import Document, NotHTMLError, load_document, merge_pages, parse_document
from scraper.extract.pages import first_page_url, later_page_urls, page_number
from scraper.media import may_be_page, media_type
from scraper.conditional import ARTICLE_META, LATER_PAGES_META
from scraper.items import FetchedPage, FetchFailure, LaterPage, NotModified
from scraper.jobs import ONCE_A_JOB, WAY_IN
from scraper.middlewares import (
    ROBOTS_FORBIDDEN, RedirectedToArticleError, RedirectLoopError, UndecodableBodyError, fetch_error_reason,
)

from .hints import HINTS, fill_gaps
from .scope import Scope


# Content types that are never a page, whatever bytes come with them: Scrapy gives a PDF a
# TextResponse, and its "<< /Type" looks enough like markup to be parsed as HTML.


# A story split over several pages on its way through its later pages: what the request for
# the next one carries (see ArticleSpider.story_request).
STORY_META = "newsarchive_story"

# How far ahead of the pages earlier runs of a --job left queued each run puts its ways in and
# the pages they list: more than the depth (DEPTH_PRIORITY) of any page a crawl reaches.
RUN_PRIORITY = 1000


def _header(message, name: str) -> Optional[str]:
    """A header of a response or request, as text."""
    value = message.headers.get(name)
    return value.decode("latin-1") if value else None


class ArticleSpider(scrapy.Spider):
    """Base class: subclasses decide which URLs to visit; this turns pages into items."""

    scope: Scope = Scope()        # subclasses set their own from the scope options (spiders/scope.py)
    follows_links = False         # whether --max-depth means anything for this spider
    _job_run = 0                  # job_run(), once counted

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        try:
            spider = super().from_crawler(crawler, *args, **kwargs)
            spider.scope.apply_settings(crawler.settings, follows_links=spider.follows_links)
        except ValueError as exc:
            # A missing or bad -a argument of `scrapy crawl`: Scrapy would log this from an
            # asyncio task as a traceback. SystemExit leaves the event loop at once and
            # prints its message alone, with exit status 1.
            raise SystemExit(f"scrapy crawl {cls.name}: {exc}") from None
        # Plain attributes, so the crawl's row in the archive records the scope it ran with;
        # allowed_domains itself stays the list Scrapy's offsite filtering reads.
        for name, value in spider.scope.describe().items():
            setattr(spider, "allow_domains" if name == "allowed_domains" else name, value)
        if spider.scope.max_depth is not None and not spider.follows_links:
            spider.logger.warning("max_depth has no effect on the %s spider: it follows no links",
                                  spider.name)
        return spider

    def job_run(self) -> int:
        """Which run of its --job this crawl is: 1 for the job's first (and for a crawl without
        --job), 2 for the run that continues it, and so on. Counted in the spider state Scrapy
        keeps in the job (JOBDIR/spider.state), which a finished or killed job drops
        (scraper.jobs); Scrapy loads it when the spider opens, so ask from start() on."""
        if not self._job_run:
            state = getattr(self, "state", None)  # Scrapy's SpiderState: set with a JOBDIR only
            if state is None:
                self._job_run = 1
            else:
                state["runs"] = self._job_run = state.get("runs", 0) + 1
                state.setdefault("began", datetime.now(timezone.utc).isoformat())
        return self._job_run

    def job_began(self) -> Optional[datetime]:
        """When this crawl's --job began (its first run's start); None for a crawl without --job."""
        self.job_run()
        began = getattr(self, "state", {}).get("began")
        return datetime.fromisoformat(began) if began else None

    def run_priority(self) -> int:
        """The priority of this run's ways in: ahead of what every earlier run of the job left queued."""
        return RUN_PRIORITY * (self.job_run() - 1)

    def way_in(self, url: str, *, every_run: bool = True, **kwargs: Any) -> scrapy.Request:
        """A request for one of the site's ways in: its home page, feed, robots.txt or a sitemap,
        where a crawl finds what the site published. Each run of a --job asks for them again
        (only once in the job unless ``every_run``), ahead of the pages earlier runs left
        queued, and so finds that night's articles first."""
        meta = {**kwargs.pop("meta", {}), WAY_IN: self.job_run()}
        if not every_run:
            meta[ONCE_A_JOB] = True
        return scrapy.Request(url, meta=meta, priority=self.run_priority(), **kwargs)

    def listed_priority(self, response: Response) -> int:
        """The priority of a request for a page ``response`` lists or links: ahead of the pages
        earlier runs of the job left queued when ``response`` is a way in (a feed's or sitemap's
        entries, the home page's links), else Scrapy's default, 0."""
        return self.run_priority() if response.meta.get(WAY_IN) is not None else 0

    def page_items(self, response: Response) -> tuple[Optional[Document], list[Any]]:
        """Parse a response; return its document (None if not HTML) and the items it yields."""
        stats = self.crawler.stats
        stats.inc_value("newsarchive/pages")
        if response.status == 304 and response.meta.get(ARTICLE_META):
            # Our conditional request (scraper.conditional): the archived copy is current.
            stats.inc_value("newsarchive/not_modified")
            return None, self.not_modified_items(response)
        content_type = _header(response, "Content-Type")
        if not isinstance(response, TextResponse) or not may_be_page(content_type):
            # A PDF or an image where a page was expected.
            stats.inc_value("newsarchive/non_html_pages")
            stats.inc_value("newsarchive/failures")
            return None, [FetchFailure(response.url, f"not HTML: {media_type(content_type) or 'no Content-Type'}",
                                       response.status)]
        fetched_at = datetime.now(timezone.utc)
        try:
            doc = load_document(response.body, response.url, content_type=content_type,
                                fetched_at=fetched_at)
        except NotHTMLError as exc:
            stats.inc_value("newsarchive/non_html_pages")
            stats.inc_value("newsarchive/failures")
            return None, [FetchFailure(response.url, f"not HTML: {exc}", response.status)]
        record = parse_document(doc)
        if not record.is_article:
            stats.inc_value("newsarchive/non_article_pages")
            taken_down = _redirected_home(response) or _not_found_page(response, doc)
            if taken_down is not None:
                stats.inc_value("newsarchive/failures")
                return doc, [taken_down]
            return doc, []
        stats.inc_value("newsarchive/article_pages")
        first_page = first_page_url(doc)
        if first_page is not None:
            # Page 2 or later of a story found on its own (a URL list, a link from elsewhere):
            # the story is archived from its first page, with this one in it.
            stats.inc_value("newsarchive/later_pages")
            self.logger.debug("%s is a later page of %s: the story is fetched from there", response.url, first_page)
            return doc, [scrapy.Request(first_page, callback=response.request.callback or self.parse_page,
                                        errback=self.on_error)]
        return doc, self.article_items(response, FetchedPage(
            record=record,
            url=response.url,
            http_status=response.status,
            fetched_at=fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            raw_html=response.body,
            content_type=content_type,
            etag=_header(response, "ETag"),
            last_modified=_header(response, "Last-Modified"),
            warc_file=response.meta.get("warc_file"),
            warc_offset=response.meta.get("warc_offset"),
        ))

    def article_items(self, response: Response, page: FetchedPage) -> list[Any]:
        """An article's first (or only) page, parsed: the page to archive, or the request for
        the story's next page; nothing when the scope options leave it out."""
        record = page.record
        fill_gaps(record, response.meta.get(HINTS))
        skipped = self.scope.skip_reason(record, response.url)
        if skipped:
            self.crawler.stats.inc_value("newsarchive/articles_skipped")
            self.logger.debug("not archived: %s (%s)", response.url, skipped)
            return []
        if record.page_urls:
            self.claim_later_pages(record.page_urls)
            return [self.story_request({"first": page, "pending": list(record.page_urls),
                                        "seen": [page.url, *record.page_urls], "pages": []})]
        return [page]

    def not_modified_items(self, response: Response) -> list[Any]:
        """A 304 to our conditional request: the archived article is unchanged (a NotModified),
        unless it is a story split over pages. Its validators are its first page's, and an
        edit of page 2 alone leaves page 1 as it was: the story is put together again from the
        archived page 1 and its later pages fetched now, and the archive keeps it unchanged
        or stores the new version."""
        fetched_at = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        # A 304 may leave out a validator the request sent: it still holds for the page.
        etag = _header(response, "ETag") or _header(response.request, "If-None-Match")
        last_modified = _header(response, "Last-Modified") or _header(response.request, "If-Modified-Since")
        article = response.meta[ARTICLE_META]
        if response.meta.get(LATER_PAGES_META):
            page = self.archived_first_page(response, article, fetched_at)
            if page is not None:
                return self.article_items(response, dataclasses.replace(
                    page, etag=etag, last_modified=last_modified, not_modified=True))
        return [NotModified(url=article, fetched_at=fetched_at, etag=_header(response, "ETag"),
                            last_modified=_header(response, "Last-Modified"))]

    def archived_first_page(self, response: Response, article: str, fetched_at: str) -> Optional[FetchedPage]:
        """Archived article ``article``'s current page 1, read again as if ``response`` (a 304
        at its address) had sent it: what a story's later pages are merged with. Parsed with
        the time it was fetched, as `reparse` does (relative dates resolve as they did). None
        when the archive has no such page, or it no longer reads as a story's first page."""
        capture = current_capture(self.crawler.settings.get("ARCHIVE_DB"), article)
        if capture is None:
            return None
        try:
            doc = load_document(capture.raw_html, response.url, content_type=capture.content_type,
                                fetched_at=instant(capture.fetched_at))
        except NotHTMLError:
            return None
        record = parse_document(doc)
        if not record.is_article or not record.page_urls:
            return None
        return FetchedPage(record=record, url=response.url, http_status=capture.http_status or 200,
                           fetched_at=fetched_at, raw_html=capture.raw_html, content_type=capture.content_type,
                           warc_file=capture.warc_file, warc_offset=capture.warc_offset)

    def claim_later_pages(self, urls: list[str]) -> None:
        """A story's later pages are fetched with it, never as articles of their own: a spider
        that follows links leaves them out from now on (NewsSpider)."""

    def story_request(self, story: dict) -> Any:
        """The request for the story's next later page, or the story (a FetchedPage) when
        there is none left. ``story``: its first page ("first"), the later pages' URLs still to
        fetch ("pending") and all its pages' URLs known ("seen"), the later pages fetched
        ("pages": (LaterPage, record) pairs). dont_filter: a page asked for as a link before
        would be dropped as a duplicate, and the story with it. Bounded and loop-safe: "seen"
        keeps each URL to one fetch, and only page numbers up to MAX_PAGES are taken."""
        if not story["pending"]:
            return self.whole_story(story)
        return scrapy.Request(story["pending"][0], callback=self.parse_later_page, errback=self.later_page_failed,
                              dont_filter=True, meta={STORY_META: story, "dont_conditional": True})

    def parse_later_page(self, response: Response) -> Iterator[Any]:
        """Callback for page 2, 3... of a story: its text joins the story's, then the next page."""
        story = response.meta[STORY_META]
        first, url = story["first"], story["pending"][0]
        self.crawler.stats.inc_value("newsarchive/pages")
        record, problem, doc = None, None, None
        content_type = _header(response, "Content-Type")
        if page_number(first.url, response.url) is None:  # redirected: WordPress sends a page past the end to page 1
            problem = f"redirects to {response.url}"
        elif not isinstance(response, TextResponse) or not may_be_page(content_type):
            problem = f"not HTML: {media_type(content_type) or 'no Content-Type'}"
        else:
            try:
                doc = load_document(response.body, response.url, content_type=content_type)
                record = parse_document(doc)
            except NotHTMLError as exc:
                problem = f"not HTML: {exc}"
            else:
                if not record.is_article:
                    problem = "not an article page"
        if problem is not None:
            yield self.whole_story(story, f"{url}: {problem}")
            return
        seen = story["seen"]
        more = [later for later in later_page_urls(doc, first.url) if later not in seen]  # a theme linking only the next page
        yield self.story_request({
            "first": first, "pending": story["pending"][1:] + more, "seen": seen + more,
            "pages": story["pages"] + [(LaterPage(url, response.body, content_type), record)]})

    def later_page_failed(self, failure) -> Iterator[Any]:
        """Errback for a later page: the failure row, and the story of the pages fetched so far."""
        failed = list(self.on_error(failure))
        story = failure.request.meta[STORY_META]
        reason = failed[0].reason if failed else (failure.getErrorMessage() or "not fetched")
        yield from failed
        yield self.whole_story(story, f"{story['pending'][0]}: {reason}")

    def whole_story(self, story: dict, missing: Optional[str] = None) -> FetchedPage:
        """The story's first page with the text of its later pages fetched merged in; ``missing``
        says why the next page is not (merge_pages names it in the record's problems)."""
        first, pages = story["first"], story["pages"]
        record = merge_pages(first.record, [record for _, record in pages])
        if missing is not None:
            self.crawler.stats.inc_value("newsarchive/incomplete_stories")
            self.logger.warning("%s: a later page is missing from the story: %s", first.url, missing)
        return dataclasses.replace(first, record=record, later_pages=[page for page, _ in pages])

    def parse_page(self, response: Response) -> Iterator[Any]:
        """Callback for an article page found in a sitemap, feed or URL list (no links followed)."""
        items = self.page_items(response)[1]  # not the document: this generator outlives the parse
        yield from items

    def entry_url(self, response: Response, href: Optional[str], bases: tuple[str, ...] = ()) -> Optional[str]:
        """A sitemap's or feed's entry URL made absolute and without campaign parameters
        (feeds tag their links ``?utm_source=rss``); None (logged and counted) for one
        urllib refuses, such as ``http://[object Object]/``, so the other entries go on.
        ``bases``: the feed's ``xml:base`` values around the entry's link, outermost first;
        each is resolved against the one before (the first against the feed's URL), and
        one urllib refuses is ignored, as browsers ignore an invalid ``<base href>``."""
        base = response.url
        for xml_base in bases:
            base = join_url(base, xml_base.strip()) or base
        url = join_url(base, (href or "").strip())
        if url is None:
            self.logger.warning("%s: skipped an entry whose URL cannot be read: %r", response.url, href)
            self.crawler.stats.inc_value("newsarchive/bad_urls")
            return None
        return without_tracking(url)

    def bad_input(self, response: Response, reason: str) -> FetchFailure:
        """A sitemap or feed that cannot be read: logged, counted, and a failure row."""
        self.logger.warning("%s: %s", response.url, reason)
        self.crawler.stats.inc_value("newsarchive/failures")
        return FetchFailure(response.url, reason, response.status)

    def on_error(self, failure) -> Iterator[FetchFailure]:
        """Errback: every request that fails for good becomes a failure row (a URL that
        robots.txt disallows was not fetched by choice and is not a failure)."""
        request = failure.request
        if failure.check(IgnoreRequest) and str(failure.value) == ROBOTS_FORBIDDEN:
            return  # not fetched by choice, as with --exclude: not a failure
        self.crawler.stats.inc_value("newsarchive/failures")
        if failure.check(RedirectLoopError):
            # Recorded under the URL the crawl asked for, not where the loop was noticed.
            first = request.meta.get("redirect_urls", [request.url])[0]
            yield FetchFailure(first, "redirect loop", failure.value.response.status)
        elif failure.check(RedirectedToArticleError):  # a takedown: marks the article gone
            yield FetchFailure(failure.value.asked, str(failure.value), failure.value.status, gone=True)
        elif failure.check(HttpError):
            response = failure.value.response
            yield FetchFailure(request.url, f"HTTP {response.status}", response.status)
        elif failure.check(UndecodableBodyError):  # an answer came: its status is kept
            yield FetchFailure(request.url, fetch_error_reason(failure.value), failure.value.status)
        else:
            yield FetchFailure(request.url, fetch_error_reason(failure.value))


# WordPress's own mark of its 404 template (body_class() adds it whenever is_404()): the page
# says "not found" whatever status the server sent with it. A page of the theme's own words
# ("Page not found", "Oops!") is no such mark: an article may say them.
NOT_FOUND_BODY_CLASSES = frozenset({"error404"})


def _not_found_page(response: Response, doc: Document) -> Optional[FetchFailure]:
    """A page that answered 200 with the site's own "not found" page (a soft 404: a caching
    plugin or a misconfigured server sends WordPress's 404 template with 200) is the 404 it
    says it is: a failure of the URL asked for (through redirects, the first), which marks an
    article archived from it gone, with its status, 200. Only a page that is no article
    (parse_document's is_article, which the same body class rules out) is asked about."""
    if response.status != 200 or not doc.body_classes & NOT_FOUND_BODY_CLASSES:
        return None
    asked = (response.meta.get("redirect_urls") or [response.url])[0]
    return FetchFailure(asked, SOFT_404, response.status, gone=True)


def _redirected_home(response: Response) -> Optional[FetchFailure]:
    """A page asked for at another URL that redirected to the site's home page: how sites
    take an article down without a 404 (an unpublished post sent to the front page). It is
    reported as a failure of the URL asked for, which marks an article archived from it
    gone; a later fetch that finds the article clears that again. Its status is what that
    URL answered: the 3xx, or 200 for a page sent on by a meta refresh (Scrapy's reason
    "meta refresh"), which the reason names, as the status alone would not say it."""
    asked = response.meta.get("redirect_urls") or []
    if not asked or not redirects_home(asked[0], response.url):
        return None
    reasons = response.meta.get("redirect_reasons") or []
    if reasons and reasons[0] == "meta refresh":
        return FetchFailure(asked[0], "redirects to the home page (meta refresh)", META_REFRESH_HOME, gone=True)
    status = reasons[0] if reasons and isinstance(reasons[0], int) else 301
    return FetchFailure(asked[0], "redirects to the home page", status, gone=True)

