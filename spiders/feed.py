"""The feed spider: archive the articles in a site's RSS 2.0 or Atom feed.

    scrapy crawl feed -a start_url=https://example.com/              # a site root means /feed/
    scrapy crawl feed -a feed_url=https://example.com/feed/atom/

Each entry's dates, title and authors travel with its request as hints
(spiders/hints.py); an Atom ``updated`` older than our last fetch, or dates
outside --since/--until, mean the entry is not fetched (spiders/entries.py).
"""
from __future__ import annotations

from typing import Any, Iterator, Optional

import scrapy
from scrapy.http import Response


from .base import ArticleSpider
from .entries import Candidate, EntryGate
from .feed_reader import read_feed
from .hints import HINTS, make_hints
from .scope import Scope, default_domain
from .sitemap import check_http_url, site_root


class FeedSpider(ArticleSpider):
    name = "feed"

    def __init__(self, start_url: Optional[str] = None, feed_url: Optional[str] = None,
                 *args: Any, **kwargs: Any) -> None:
        scope = Scope.pop_from(kwargs)
        super().__init__(*args, **kwargs)
        url = check_http_url(feed_url or start_url,
                             "the feed spider needs a site or feed URL: -a feed_url=https://example.com/feed/")
        root = site_root(url)
        self.start_url = url
        self.feed_url = root + "feed/" if root else url
        scope.allowed_domains = scope.allowed_domains or [default_domain(url)]
        self.scope = scope
        self.allowed_domains = scope.allowed_domains
        self.gate: Optional[EntryGate] = None

    async def start(self) -> Any:
        self.gate = EntryGate(self)
        yield self.way_in(self.feed_url, callback=self.parse_feed, errback=self.on_error)

    def parse_feed(self, response: Response) -> Iterator[Any]:
        self.crawler.stats.inc_value("newsarchive/feeds")
        doc = read_feed(response.body)
        if doc.kind is None:
            yield self.bad_input(response, f"not an RSS or Atom feed ({doc.problem})")
            return
        if doc.problem:
            yield self.bad_input(response, f"malformed feed: {doc.problem} "
                                           f"({len(doc.entries)} entries read, processed anyway)")
        candidates = []
        for entry in doc.entries:
            url = self.entry_url(response, entry.link, entry.bases)
            if url is None:
                continue
            hints = make_hints(doc.kind, title=entry.title, authors=entry.authors,
                               published_at=entry.published, modified_at=entry.updated)
            candidates.append(Candidate(url, hints,
                                        published=entry.published, modified=entry.updated))
        priority = self.listed_priority(response)
        for c in self.gate.admit(candidates):
            yield scrapy.Request(c.url, callback=self.parse_page, errback=self.on_error, priority=priority,
                                 meta={HINTS: c.hints})
