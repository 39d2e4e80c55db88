"""Record every request and response of a crawl as WARC/1.1 (`--warc DIR`, `-s WARC_DIR=DIR`).

A downloader middleware placed next to the downloader (after every middleware
that changes a request, before any that changes a response), so it sees the
request as sent and the response as received:

* The response body is the one received from the server, still compressed as
  the server sent it (HttpCompressionMiddleware decodes it later, further from
  the downloader), so ``Content-Encoding`` is kept and true. Twisted has already
  removed any chunked transfer coding, so ``Transfer-Encoding`` is dropped and
  ``Content-Length`` is set to the body's length: the record is valid HTTP and a
  reader decodes it exactly as the crawler did.
* Redirects, retries, robots.txt and error pages are recorded too: each is a
  response the server sent.

The response record's file and offset go into ``request.meta`` as ``warc_file``
and ``warc_offset``; the spider copies them into the archive's version row.
"""
from __future__ import annotations

import logging
import socket
from datetime import datetime, timezone
from http import HTTPStatus
from importlib.metadata import version
from typing import Any, Optional
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from twisted.internet import threads
from warcio.statusandheaders import StatusAndHeaders

from archive.filenames import file_name_text

from . import __version__
from .warc_writer import (GZIP_LEVEL, RotatingWarcWriter, WarcError, encode_record, parse_gzip_level,
                          parse_size, prepare_warc_dir, warc_date)

logger = logging.getLogger(__name__)

META_FILE, META_OFFSET = "warc_file", "warc_offset"
# Hop-by-hop framing Twisted has already undone: recording it would misdescribe the body.
_FRAMING_HEADERS = {b"transfer-encoding", b"content-length"}


def _header_pairs(headers: Any, skip: set[bytes] = frozenset()) -> list[tuple[str, str]]:
    return [(name.decode("latin-1"), value.decode("latin-1"))
            for name, values in headers.items() if name.lower() not in skip
            for value in values]


def _status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


def crawl_info(crawler: Any, spider: Any, crawl_name: str) -> dict[str, Any]:
    """The warcinfo fields naming the crawl: software, crawl, spider, start URL, robots policy."""
    settings = crawler.settings
    return {
        "software": f"newsarchive/{__version__} (Scrapy/{version('scrapy')}; warcio/{version('warcio')})",
        "format": "WARC File Format 1.1",
        "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
        "isPartOf": crawl_name,
        "hostname": socket.gethostname(),
        "http-header-user-agent": settings.get("USER_AGENT"),
        "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
        "newsarchive-spider": spider.name,
        "newsarchive-start-url": _text(getattr(spider, "start_url", None)),
        "newsarchive-archive": _text(settings.get("ARCHIVE_DB")),
    }


def _text(name: Optional[str]) -> Optional[str]:
    """A file name (the archive's, a URLs file's) as a WARC header can hold it: file_name_text."""
    return name and file_name_text(str(name))


def _encode_exchange(writer: RotatingWarcWriter, request_parts: tuple, response_parts: tuple) -> list[bytes]:
    """The request and response records, encoded; runs in a worker thread."""
    url, http_headers, body, warc_headers = response_parts
    response_record = writer.response_record(url, http_headers, body, warc_headers)
    url, http_headers, body = request_parts
    request_record = writer.request_record(url, http_headers, body, {
        "WARC-Date": warc_headers["WARC-Date"],
        "WARC-Concurrent-To": response_record.rec_headers.get_header("WARC-Record-ID")})
    level = writer.gzip_level
    return [encode_record(request_record, level), encode_record(response_record, level)]


class WarcRecorderMiddleware:
    """Writes a request record and a response record for every response downloaded."""

    def __init__(self, crawler: Any, directory: str, max_size: Any) -> None:
        self.crawler = crawler
        self.writer: Optional[RotatingWarcWriter] = None
        self.error: Optional[str] = None
        try:
            self.directory = prepare_warc_dir(directory)
            self.max_size = parse_size(max_size)
            self.gzip_level = parse_gzip_level(crawler.settings.get("WARC_GZIP_LEVEL", GZIP_LEVEL))
        except WarcError as exc:
            self.error = str(exc)  # reported once the spider is open, like the archive's errors

    @classmethod
    def from_crawler(cls, crawler: Any) -> "WarcRecorderMiddleware":
        directory = crawler.settings.get("WARC_DIR")
        if not directory:
            raise NotConfigured  # no message: Scrapy would log one WARNING per crawl
        middleware = cls(crawler, directory, crawler.settings.get("WARC_MAX_SIZE"))
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self, spider: Any = None) -> None:
        if self.error:
            self._stop(self.error)
            return
        started = datetime.now(timezone.utc)
        name = f"newsarchive-{started:%Y%m%d%H%M%S}"
        spider = spider or self.crawler.spider
        self.writer = RotatingWarcWriter(self.directory, crawl_info(self.crawler, spider, name),
                                         max_size=self.max_size, started=started,
                                         gzip_level=self.gzip_level)

    def spider_closed(self, spider: Any = None) -> None:
        writer, self.writer = self.writer, None  # nothing may reopen a file after this
        if writer is not None:
            writer.close()
            self.crawler.stats.set_value("newsarchive/warc_files", [str(p) for p in writer.files])

    async def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        if self.writer is None or "cached" in response.flags:
            return response
        writer = self.writer
        user_agent = request.headers.get("User-Agent")
        if user_agent:  # as sent: a middleware may have built it from the contact URL
            writer.info["http-header-user-agent"] = user_agent.decode("latin-1")
        # Everything read from Scrapy's objects is read here, in the reactor thread.
        response_parts = (response.url, self._response_headers(response), response.body,
                          self._warc_headers(warc_date(), response))
        request_parts = (request.url, self._request_headers(request), request.body or b"")
        # Digesting and compressing a 100 KB page takes milliseconds: a worker thread
        # does it while the reactor goes on parsing (zlib and hashlib release the GIL).
        blobs = await maybe_deferred_to_future(
            threads.deferToThread(_encode_exchange, writer, request_parts, response_parts))
        if self.writer is not writer:
            return response  # the crawl stopped (or failed to write) meanwhile
        try:
            path, (_, offset) = writer.write_encoded(blobs)
        except (OSError, WarcError) as exc:
            # Out of disk space and the like: stop rather than crawl on without the WARC.
            self.writer = None
            self._stop(f"cannot write WARC records: {getattr(exc, 'strerror', None) or exc}")
            return response
        request.meta[META_FILE] = str(path)
        request.meta[META_OFFSET] = offset
        self.crawler.stats.inc_value("newsarchive/warc_records", 2)
        return response

    def _stop(self, message: str) -> None:
        """A crawl asked to keep WARC files must not go on without them."""
        logger.error("%s", message)
        self.crawler.stats.set_value("newsarchive/warc_error", message)
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="warc_error"))

    @staticmethod
    def _warc_headers(date: str, response: Response) -> dict[str, str]:
        headers = {"WARC-Date": date}
        if "dataloss" in response.flags:
            headers["WARC-Truncated"] = "disconnect"  # the server closed before the whole body
        if getattr(response, "ip_address", None) is not None:
            headers["WARC-IP-Address"] = str(response.ip_address)
        return headers

    @staticmethod
    def _response_headers(response: Response) -> StatusAndHeaders:
        headers = _header_pairs(response.headers, _FRAMING_HEADERS)
        headers.append(("Content-Length", str(len(response.body))))
        protocol = getattr(response, "protocol", None) or "HTTP/1.1"
        return StatusAndHeaders(_status_line(response.status), headers, protocol=protocol)

    @staticmethod
    def _request_headers(request: Request) -> StatusAndHeaders:
        parts = urlsplit(request.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        # Twisted adds Host itself; the record says what went on the wire.
        headers = [("Host", parts.netloc), *_header_pairs(request.headers)]
        if request.body:
            headers.append(("Content-Length", str(len(request.body))))
        return StatusAndHeaders(f"{request.method} {target} HTTP/1.1", headers,
                                is_http_request=True)
