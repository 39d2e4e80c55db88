"""The news spider follows each page of the site once per crawl, and only pages of the site."""
from __future__ import annotations

from scraper.extract import load_document
from spiders.news import NewsSpider


def links(spider, url, html):
    return list(spider.links_to_follow(load_document(html, url)))


def test_each_link_is_followed_once_per_crawl():
    spider = NewsSpider(start_url="http://127.0.0.1:8642/")
    page = ("<html><body><a href='http://127.0.0.1:8642/a/'>a</a> <a href='/b/'>b</a>"
            "<a href='http://127.0.0.1:8642/a/'>again</a> <a href='http://127.0.0.1:8642/'>home</a>"
            "<a href='https://elsewhere.example/x/'>out</a> <a href='/wp-admin/'>admin</a>"
            "<a href='/feed/'>feed</a> <a href='/a/?replytocom=3'>reply</a></body></html>")
    assert links(spider, "http://127.0.0.1:8642/", page) == [
        "http://127.0.0.1:8642/a/", "http://127.0.0.1:8642/b/"]
    # the same links on the next page are not requested again
    assert links(spider, "http://127.0.0.1:8642/a/", page) == []


def test_relative_links_resolve_against_each_page():
    spider = NewsSpider(start_url="http://127.0.0.1:8642/")
    page = "<html><body><a href='page/2/'>next</a></body></html>"
    assert links(spider, "http://127.0.0.1:8642/news/", page) == ["http://127.0.0.1:8642/news/page/2/"]
    assert links(spider, "http://127.0.0.1:8642/sport/", page) == ["http://127.0.0.1:8642/sport/page/2/"]
