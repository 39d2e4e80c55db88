"""Politeness downloader middlewares: a User-Agent that names us, and retries that wait;
one that turns a redirect loop into a failure instead of a page silently lost, one that says
why a compressed page could not be had, two
(3xx and meta refresh) that let an archived article's redirect to the home page be seen,
one that reads a robots.txt the server cannot give as forbidding the site; and a spider
middleware that turns a page our own code fails on into a failure too.

Scrapy's own RetryMiddleware re-queues a 429 or 503 at once; a site that says
``Retry-After: 30`` is asking us to wait, and a struggling site deserves longer
pauses after each failure. ``RetryAfterMiddleware`` takes its place.
"""
from __future__ import annotations

import logging
import re
import time
from email.utils import parsedate_to_datetime
from typing import Optional
from urllib.parse import urljoin, urlsplit

from scrapy import signals
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.useragent import UserAgentMiddleware
from scrapy.exceptions import (
    CannotResolveHostError, DownloadCancelledError, DownloadConnectionRefusedError,
    DownloadFailedError, DownloadTimeoutError, IgnoreRequest, NotConfigured, ResponseDataLossError,
)
from scrapy.http import Request, Response
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.utils.asyncio import sleep
from scrapy.utils.response import response_status_message
from twisted.internet.error import (
    ConnectionDone, ConnectionLost, ConnectionRefusedError, DNSLookupError, TCPTimedOutError,
    TimeoutError,
)
from twisted.web.client import ResponseFailed
from w3lib.url import canonicalize_url

from archive.crawls import REDIRECTS_TO_ARTICLE
from archive.identity import same_document

from . import __version__
from .hosts import redirects_home
from .items import FetchFailure

logger = logging.getLogger(__name__)

# request.meta key: wall-clock time before which a backed-off retry is not sent.
_NOT_BEFORE = "newsarchive_not_before"
# The message of the IgnoreRequest Scrapy's RobotsTxtMiddleware raises for a disallowed URL.
ROBOTS_FORBIDDEN = "Forbidden by robots.txt"
_REDIRECTS = (301, 302, 303, 307, 308)


# fetch_error_reason()s that mean no page of the site can be fetched, not only the one asked for.
SITE_UNREACHABLE = ("DNS lookup failed", "connection refused")


def fetch_error_reason(exc: BaseException) -> str:
    """Why a request got no answer, in the words of a ``crawl_failures`` row ("timed out",
    "connection lost"...); the exception's own message when it is none of those."""
    # Scrapy 2.13+ wraps Twisted's errors in its own; older releases raise Twisted's.
    if isinstance(exc, (DNSLookupError, CannotResolveHostError)):
        return "DNS lookup failed"
    if isinstance(exc, (ConnectionRefusedError, DownloadConnectionRefusedError)):
        return "connection refused"
    if isinstance(exc, (TimeoutError, TCPTimedOutError, DownloadTimeoutError)):
        return "timed out"
    if isinstance(exc, ResponseDataLossError):
        return "response cut short"
    # Cancelled at the headers, a Content-Length over DOWNLOAD_MAXSIZE says so; in the body (a
    # page sent without one, chunked or up to the end of the connection), the only cancel Scrapy
    # makes there has no message. Over it once decompressed: PageTooLargeError.
    if isinstance(exc, PageTooLargeError) or (
            isinstance(exc, DownloadCancelledError) and (not str(exc) or "download max size" in str(exc))):
        return "larger than DOWNLOAD_MAXSIZE"
    if isinstance(exc, (DownloadFailedError, ResponseFailed, ConnectionLost, ConnectionDone)):
        # Closed or reset before an answer; Twisted's message is a list of Failure reprs.
        return "connection lost"
    return str(exc) or repr(exc)


def contact_user_agent(contact_url: Optional[str]) -> str:
    """``newsarchive/VERSION (+CONTACT_URL)``: who we are, and where a site owner can reach us."""
    contact = (contact_url or "").strip()
    return f"newsarchive/{__version__} (+{contact})" if contact else f"newsarchive/{__version__}"


class ContactUserAgentMiddleware(UserAgentMiddleware):
    """Builds the User-Agent from ``NEWSARCHIVE_CONTACT_URL`` unless ``USER_AGENT`` was set by the user.

    settings.py cannot do this itself: ``-s NEWSARCHIVE_CONTACT_URL=...`` arrives
    after the module's USER_AGENT string has been built.
    """

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        user_agent = settings.get("USER_AGENT")
        if settings.getpriority("USER_AGENT") <= SETTINGS_PRIORITIES["project"]:
            user_agent = contact_user_agent(settings.get("NEWSARCHIVE_CONTACT_URL"))
        middleware = cls(user_agent)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def process_request(self, request: Request) -> None:
        if self.user_agent:
            request.headers.setdefault(b"User-Agent", self.user_agent)
        return None


def retry_after_seconds(value: Optional[bytes], now: Optional[float] = None) -> Optional[float]:
    """A Retry-After header as seconds from now: delay-seconds or an HTTP date; None if absent or junk."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class RetryAfterMiddleware(RetryMiddleware):
    """Retries like Scrapy's RetryMiddleware (RETRY_TIMES, RETRY_HTTP_CODES), but waits first.

    A response with Retry-After (seconds or HTTP date) pauses the whole site for
    that long, capped at RETRY_AFTER_MAX: the site said it wants no requests
    before then, not just no retry of this one. Without Retry-After only the
    retry waits, RETRY_BACKOFF_BASE * 2**(n-1) seconds before retry n, capped at
    RETRY_BACKOFF_MAX. Waits are reactor sleeps in process_request, so other
    sites' requests go on meanwhile. When retries run out the response goes on
    to the spider's errback, which records the failure.
    """

    STOP_CHECK_SECONDS = 0.25  # how soon a wait notices that the crawl is stopping

    def __init__(self, settings):
        super().__init__(settings)
        self.retry_after_max = settings.getfloat("RETRY_AFTER_MAX", 120.0)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)
        self._site_paused_until: dict[str, float] = {}   # host -> time.monotonic()

    def backoff(self, retry_number: int) -> float:
        return min(self.backoff_base * 2 ** max(retry_number - 1, 0), self.backoff_max)

    async def process_request(self, request: Request) -> None:
        wait = self._site_paused_until.get(urlsplit(request.url).netloc, 0.0) - time.monotonic()
        # Wall-clock time, because a retry may sit in a job's disk queue across runs.
        not_before = request.meta.get(_NOT_BEFORE)
        if not_before is not None:
            wait = max(wait, min(not_before - time.time(), self.backoff_max))
        deadline = time.monotonic() + wait
        while wait > 0:
            if self._crawl_is_stopping():
                # Ctrl-C, SIGTERM or --max-pages: waiting out the site's pause (up to
                # RETRY_AFTER_MAX) held the stop up, and the page was fetched after all. Handed
                # back to the scheduler, the request is kept in a --job's queue for the next run.
                self.crawler.stats.inc_value("newsarchive/waits_cut_by_stop")
                return request.replace(dont_filter=True)
            await sleep(min(wait, self.STOP_CHECK_SECONDS))
            wait = deadline - time.monotonic()
        return None

    def _crawl_is_stopping(self) -> bool:
        """Scrapy has no signal for "stopping": the engine stops running on Ctrl-C or SIGTERM,
        and its slot is closing when the spider is being closed (--max-pages too)."""
        engine = self.crawler.engine
        slot = getattr(engine, "_slot", None)
        return engine is not None and (not engine.running or getattr(slot, "closing", None) is not None)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        stats = self.crawler.stats
        retry_after = retry_after_seconds(response.headers.get(b"Retry-After"))
        if retry_after is not None:
            delay = min(retry_after, self.retry_after_max)
            site = urlsplit(request.url).netloc
            until = time.monotonic() + delay
            self._site_paused_until[site] = max(self._site_paused_until.get(site, 0.0), until)
            stats.inc_value("newsarchive/retry_after_pauses")
            logger.info("%s answered HTTP %s with Retry-After: pausing requests to it for %.1fs",
                        site, response.status, delay)
        else:
            delay = self.backoff(retry.meta["retry_times"])
            retry.meta[_NOT_BEFORE] = time.time() + delay
            logger.debug("Retrying %s in %.1fs (HTTP %s)", request, delay, response.status)
        stats.inc_value("newsarchive/retry_wait_seconds", delay)
        return retry


class RedirectLoopError(IgnoreRequest):
    """A redirect back to a URL already on the request's redirect chain (A -> B -> A)."""

    def __init__(self, response: Response) -> None:
        super().__init__(f"redirect loop at {response.url}")
        self.response = response


class RedirectLoopMiddleware:
    """Scrapy follows a redirect with a new request, which its duplicate filter drops
    when that URL was requested before: a loop ended with the page lost, silently. Placed
    just outside RedirectMiddleware (600), this sees the redirect first and fails the request
    when it points back into its own chain, so the spider's errback records the failure."""

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get(b"Location")
        if (response.status not in _REDIRECTS or not location or request.meta.get("dont_redirect")
                or request.meta.get("handle_httpstatus_all")
                or response.status in request.meta.get("handle_httpstatus_list", ())):
            return response
        try:
            target = canonicalize_url(urljoin(request.url, location.decode("latin-1")))
        except ValueError:  # a Location urllib refuses: Scrapy's RedirectMiddleware fails the request
            return response
        chain = [*request.meta.get("redirect_urls", ()), request.url]
        if target in {canonicalize_url(url) for url in chain}:
            raise RedirectLoopError(response)
        return response


class PageTooLargeError(IgnoreRequest):
    """A response over DOWNLOAD_MAXSIZE once its Content-Encoding is undone (a gzip bomb, a
    32 MB page sent compressed to 3 MB)."""


class UndecodableBodyError(IgnoreRequest):
    """A response whose Content-Encoding cannot be undone: a gzip stream cut or damaged, or a
    plain page a misconfigured server labels gzip."""

    def __init__(self, encoding: str, exc: Exception, status: int) -> None:
        super().__init__(f"could not decompress the page (Content-Encoding {encoding}): {exc}")
        self.status = status


class ContentEncodingMiddleware(HttpCompressionMiddleware):
    """Scrapy's own, failing in words the failure row can carry: a page over DOWNLOAD_MAXSIZE
    once decompressed was Scrapy's 200-character message, and one that does not decompress
    was zlib's, gzip's or zstd's own error ("Error -3 while decompressing data: invalid code
    lengths set", "Not a gzipped file (b'<!')") with nothing saying what was decompressed."""

    def process_response(self, request: Request, response: Response, spider=None) -> Response:
        try:
            return super().process_response(request, response)
        except IgnoreRequest as exc:  # the one Scrapy raises: over DOWNLOAD_MAXSIZE
            raise PageTooLargeError(str(exc)) from exc
        except Exception as exc:  # noqa: BLE001 - whatever the decompressor raises
            encoding = b", ".join(response.headers.getlist("Content-Encoding")).decode("latin-1")
            raise UndecodableBodyError(encoding, exc, response.status) from exc


class RedirectedToArticleError(IgnoreRequest):
    """An archived article's page redirected (a 3xx, a meta refresh) to the page of another
    archived article: the article was taken down in favour of that one. Not followed: the
    other article's page is fetched, and counted, once, by its own link, sitemap entry or
    list line. (Followed, the redirect was most often dropped by the duplicate filter, the
    crawl having asked for that page already, and the article was neither counted nor marked.)"""

    def __init__(self, response: Response, asked: str, target: str) -> None:
        super().__init__(REDIRECTS_TO_ARTICLE + target)
        self.asked = asked
        self.status = response.status  # the 3xx, or 200 for a meta refresh


class _FollowsArchivedHome:
    """For Scrapy's redirect middlewares (REDIRECT_* or METAREFRESH_* settings, unchanged): an
    archived article's page sent to its site's home page (how sites unpublish a post) is
    followed even when the home page was fetched already. A site crawl starts there, so
    Scrapy's duplicate filter dropped that redirect, and with it the spider's only sight of
    the takedown (spiders.base._redirected_home marks the article gone). Other pages sent home
    (a /index.php link) are left to the filter: no extra fetch of the home page, no failure row.
    An archived article's page sent to another archived article's is a takedown too
    (RedirectedToArticleError); one sent to another URL (a new permalink) is followed as before."""

    def __init__(self, settings) -> None:
        super().__init__(settings)
        self.db_path = settings.get("ARCHIVE_DB")

    def _redirect_of_archived(self, redirected: Request | Response, response: Response) -> Request | Response:
        """``redirected``, Scrapy's request for where ``response`` sends the page asked for (or
        the response itself where there is none to follow), let through the duplicate filter
        for an archived article sent home; RedirectedToArticleError for one sent to another
        archived article's page."""
        if isinstance(redirected, Request) and not redirected.dont_filter:
            asked = redirected.meta["redirect_urls"][0]  # through other redirects, the page asked for
            if redirects_home(asked, redirected.url):
                if self._archived(asked):
                    redirected.dont_filter = True
            elif not same_document(asked, redirected.url) and self._another_article(asked, redirected.url):
                raise RedirectedToArticleError(response, asked, redirected.url)
        return redirected

    def _archived(self, url: str) -> bool:
        from archive.lookups import archived_pages

        return self._lookup(url, lambda: archived_pages(self.db_path, [url]))

    def _another_article(self, asked: str, target: str) -> bool:
        from archive.lookups import another_article_at

        return self._lookup(asked, lambda: another_article_at(self.db_path, asked, target))

    def _lookup(self, url: str, question) -> bool:
        try:
            return bool(self.db_path and question())
        except Exception as exc:  # noqa: BLE001 - a lookup must never stop a crawl
            logger.debug("could not look %s up in %s: %s", url, self.db_path, exc)
            return False


class RedirectHomeMiddleware(_FollowsArchivedHome, RedirectMiddleware):
    """Scrapy's RedirectMiddleware (3xx answers), an archived article sent home followed
    (_FollowsArchivedHome)."""

    def process_response(self, request: Request, response: Response) -> Request | Response:
        return self._redirect_of_archived(super().process_response(request, response), response)


class CrawlDelayMiddleware:
    """robots.txt's ``Crawl-delay``, which Scrapy reads (Protego) but does not apply.

    A site that asks for N seconds between requests gets them: its download slot's
    delay becomes N (at most ``NEWSARCHIVE_CRAWL_DELAY_MAX``, so that a robots.txt
    asking for an hour cannot stall a nightly crawl), without the random jitter that
    would go below N, and AutoThrottle no longer adjusts it. Placed after Scrapy's
    RobotsTxtMiddleware (100), which holds every request until its host's
    robots.txt is parsed. ``NEWSARCHIVE_CRAWL_DELAY = False`` turns it off."""

    def __init__(self, crawler):
        settings = crawler.settings
        if not settings.getbool("ROBOTSTXT_OBEY") or not settings.getbool("NEWSARCHIVE_CRAWL_DELAY", True):
            raise NotConfigured
        self.crawler = crawler
        self.cap = settings.getfloat("NEWSARCHIVE_CRAWL_DELAY_MAX", 30.0)
        self.useragent = settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT")
        self.delays: dict[str, float] = {}  # download slot -> seconds between requests
        crawler.signals.connect(self.robots_parsed, signal=signals.robots_parsed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def robots_parsed(self, robotparser, request) -> None:
        asked = getattr(robotparser, "crawl_delay", lambda agent: None)(self.useragent)
        if not asked or asked <= 0:
            return
        delay = min(float(asked), self.cap)
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        # DOWNLOAD_SLOTS for the slots to come (Scrapy drops idle ones), the live one now.
        per_slot = downloader.per_slot_settings.setdefault(key, {})
        self.delays[key] = per_slot["delay"] = max(per_slot.get("delay", 0.0), delay)
        per_slot["jitter"] = 0.0
        slot = downloader.slots.get(key)
        if slot is not None:
            slot.delay, slot.jitter = max(slot.delay, delay), 0.0
        capped = f" (asks for {asked:g} s; NEWSARCHIVE_CRAWL_DELAY_MAX)" if asked > delay else ""
        logger.info("%s: robots.txt Crawl-delay, one request every %g s%s", key, self.delays[key], capped)

    def process_request(self, request: Request, spider=None) -> None:
        if self.delays and self.crawler.engine.downloader.get_slot_key(request) in self.delays:
            request.meta["autothrottle_dont_adjust_delay"] = True


class RobotsTxtUnavailableMiddleware:
    """A robots.txt the server cannot give forbids the whole site, as RFC 9309 says (2.3.1.4:
    "unreachable" because of server or network errors: assume complete disallow). Scrapy's
    RobotsTxtMiddleware allowed every URL of a site that was struggling, or that answered
    robots.txt with an error on purpose: it reads any answer's body as the rules (an error
    page has none), and allows all when the request fails.

    An answer of HTTP 5xx (or 429) has its body replaced by a rule forbidding everything
    before RobotsTxtMiddleware reads it. A robots.txt that got no answer (timed out, the
    connection refused, reset or closed) marks its host, and every request to that host is
    then forbidden here, right after RobotsTxtMiddleware (100) has let it through: a
    made-up answer would be written to the WARC files as if the site had sent it. Placed
    below RetryAfterMiddleware (550), which retries first, in both cases."""

    DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"

    def __init__(self, stats):
        self.stats = stats
        self.unreachable: set[str] = set()  # hosts whose robots.txt got no answer

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        return cls(crawler.stats)

    @staticmethod
    def _robots_host(request: Request) -> Optional[str]:
        """The host whose robots.txt ``request`` asks for (RobotsTxtMiddleware's own request,
        or a redirect it led to); None for any other request."""
        if not request.meta.get("dont_obey_robotstxt"):
            return None
        asked = urlsplit(request.meta.get("redirect_urls", [request.url])[0])
        return asked.netloc if asked.path == "/robots.txt" else None

    def process_request(self, request: Request, spider=None) -> None:
        if request.meta.get("dont_obey_robotstxt") or urlsplit(request.url).netloc not in self.unreachable:
            return None
        self.stats.inc_value("robotstxt/forbidden")
        raise IgnoreRequest(ROBOTS_FORBIDDEN)

    def process_response(self, request: Request, response: Response, spider=None) -> Response:
        host = self._robots_host(request)
        if host is None or not (response.status >= 500 or response.status == 429):
            return response
        self._forbid(host, f"answered HTTP {response.status}")
        return response.replace(body=self.DISALLOW_ALL)

    def process_exception(self, request: Request, exception: Exception, spider=None) -> None:
        host = self._robots_host(request)
        if host is None or isinstance(exception, IgnoreRequest):
            return None  # IgnoreRequest: dropped by a middleware, no answer expected; Scrapy allows all
        reason = fetch_error_reason(exception)
        if reason in SITE_UNREACHABLE and not self.stats.get_value("newsarchive/site_unreachable"):
            # Not the robots.txt alone: nothing on the site could have been fetched.
            self.stats.set_value("newsarchive/site_unreachable", f"{reason} ({request.url})")
        self.unreachable.add(host)
        self._forbid(host, f"could not be fetched ({reason})")
        return None  # RobotsTxtMiddleware logs the error and lets the requests go on, to process_request

    def _forbid(self, host: str, what_happened: str) -> None:
        """Log, and note for the crawl's summary, that ``host``'s robots.txt ``what_happened``
        ("answered HTTP 503", "could not be fetched (timed out)")."""
        logger.warning("%s: robots.txt %s, so nothing on the site is crawled (RFC 9309: "
                       "an unreachable robots.txt forbids everything)", host, what_happened)
        if not self.stats.get_value("newsarchive/robots_unavailable"):
            self.stats.set_value("newsarchive/robots_unavailable", what_happened)


class QuickMetaRefreshMiddleware(_FollowsArchivedHome, MetaRefreshMiddleware):
    """Scrapy's MetaRefreshMiddleware (METAREFRESH_* settings), without decoding every page,
    an archived article sent home followed (_FollowsArchivedHome): a page that answers 200
    with ``<meta http-equiv="refresh" content="0; url=/">`` is how many WordPress redirect
    plugins and static hosts unpublish a post.

    Scrapy looks for ``<meta http-equiv="refresh">`` in the first 4096 characters of
    ``response.text``, which decodes the whole body (100 kB for a news page) on every
    response, only to find nothing almost every time. 4096 characters are at most 16 kB of
    UTF-8 or any other ASCII-compatible encoding, and the tag cannot be there if the word
    is not: only then is the page handed to Scrapy's own check. A NUL byte (UTF-16 or
    UTF-32 text, where the word is not spelled in ASCII) also goes to Scrapy's check.
    """

    _SCAN = 4 * 4096

    def process_response(self, request: Request, response: Response) -> Request | Response:
        refreshed = self._refresh_header(request, response)
        if refreshed is not None:
            return self._redirect_of_archived(refreshed, response)
        head = response.body[:self._SCAN]
        if b"\x00" not in head and b"refresh" not in head.lower():
            return response
        return self._redirect_of_archived(super().process_response(request, response), response)

    def _refresh_header(self, request: Request, response: Response) -> Optional[Request]:
        """The request a 200 page's ``Refresh: 0; url=/`` header sends us on to, as Scrapy
        follows the tag (the header is its HTTP form, and browsers follow both alike; PHP's
        header("Refresh: ...") unpublishes posts too); None where there is none to follow."""
        value = response.headers.get(b"Refresh")
        if response.status != 200 or not value or request.meta.get("dont_redirect") or request.method == "HEAD":
            return None
        match = _REFRESH_HEADER.match(value.decode("latin-1"))
        if match is None or float(match["delay"]) >= self._maxdelay:
            return None
        redirected = self._redirect_request_using_get(request, response, urljoin(response.url, match["url"].strip()))
        if urlsplit(redirected.url).scheme not in ("http", "https"):
            return None
        return self._redirect(redirected, request, "meta refresh")


# A Refresh header with a URL: "0; url=/", "5;URL='https://site/'", "0, url=/" (what browsers read).
_REFRESH_HEADER = re.compile(r"""\s*(?P<delay>\d+(?:\.\d*)?)\s*[;,]\s*(?:url\s*=\s*)?["']?(?P<url>[^"']+)["']?\s*$""",
                             re.IGNORECASE)


class CallbackErrorMiddleware:
    """A spider callback that raises (our code meeting a page it did not expect) would be
    one ERROR line in Scrapy's log and nothing else: the summary would say "errors 0" and
    the page would be missing from the archive without a trace. Here it becomes a
    failure row with the exception, counted among the crawl's errors; the crawl goes on.
    Whatever the callback yielded before it raised has been passed on already."""

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_spider_exception(self, response, exception, spider=None):
        if isinstance(exception, IgnoreRequest):
            return None  # Scrapy's own signal (HttpError included), handled by its middlewares
        logger.error("could not process %s: %s: %s", response.url, type(exception).__name__, exception,
                     exc_info=exception)  # the traceback only with -v: see scraper.crawl
        self.stats.inc_value("newsarchive/failures")
        self.stats.inc_value("newsarchive/callback_errors")
        return [FetchFailure(response.url, f"could not process the page: {type(exception).__name__}: {exception}",
                             response.status)]
