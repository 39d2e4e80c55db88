"""QuickMetaRefreshMiddleware: Scrapy's meta-refresh redirects, without decoding pages that have none,
and the same redirects by a Refresh header."""
from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from scraper.middlewares import QuickMetaRefreshMiddleware


def _middleware():
    crawler = get_crawler(settings_dict={"METAREFRESH_ENABLED": True})
    return QuickMetaRefreshMiddleware.from_crawler(crawler)


def _response(body: bytes, encoding: str = "utf-8") -> HtmlResponse:
    url = "http://127.0.0.1:8642/old/"
    return HtmlResponse(url, body=body, encoding=encoding, request=Request(url))


def test_a_meta_refresh_still_redirects():
    page = b'<html><head><META HTTP-EQUIV="Refresh" content="0; url=/new/"></head><body>moved</body></html>'
    result = _middleware().process_response(_response(page).request, _response(page))
    assert isinstance(result, Request) and result.url == "http://127.0.0.1:8642/new/"


def test_a_page_without_one_is_passed_on_untouched():
    page = b"<html><head><title>x</title></head><body>" + b"<p>news</p>" * 10_000 + b"</body></html>"
    response = _response(page)
    assert _middleware().process_response(response.request, response) is response


def test_utf16_pages_go_to_scrapys_own_check():
    page = '<html><head><meta http-equiv="refresh" content="0; url=/new/"></head></html>'.encode("utf-16")
    response = _response(page, encoding="utf-16")
    result = _middleware().process_response(response.request, response)
    # (Scrapy's own reading of a UTF-16 refresh URL keeps the byte-order mark as a query.)
    assert isinstance(result, Request) and result.url.startswith("http://127.0.0.1:8642/new/")


@pytest.mark.parametrize("header, status, goes_to", [
    ("0; url=/new/", 200, "http://127.0.0.1:8642/new/"),
    ("5;URL='http://127.0.0.1:8642/'", 200, "http://127.0.0.1:8642/"),
    ("0, url=/new/", 200, "http://127.0.0.1:8642/new/"),
    ("60", 200, None),                 # a live blog reloading itself: no URL, nowhere to go
    ("120; url=/new/", 200, None),     # slower than METAREFRESH_MAXDELAY, as for the tag
    ("0; url=/new/", 404, None),       # a 404 says what it says: the page is gone
])
def test_a_refresh_header_redirects_as_the_tag_does(header, status, goes_to):
    url = "http://127.0.0.1:8642/old/"
    response = HtmlResponse(url, status=status, body=b"<html><body>moved</body></html>", encoding="utf-8",
                            headers={"Refresh": header}, request=Request(url))
    result = _middleware().process_response(response.request, response)
    if goes_to is None:
        assert result is response
    else:
        assert isinstance(result, Request) and result.url == goes_to
        assert result.meta["redirect_reasons"] == ["meta refresh"]
