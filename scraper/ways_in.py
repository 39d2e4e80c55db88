"""`newsarchive crawl --via ...`: which spider crawls, and the scope options it gets.

Every option here becomes a plain spider argument, so the same crawl runs as
``scrapy crawl NAME -a ...``; it is checked here first so that a bad value is one
clear line (exit 2) before Scrapy starts, not a traceback from a spider.
"""
from __future__ import annotations

import argparse
from typing import Any

from spiders.scope import Scope

# --via -> spider name
SPIDERS = {"site": "news", "sitemap": "sitemap", "feed": "feed", "urls": "urls"}


def add_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--via", choices=list(SPIDERS), default="site",
                   help="site: follow links from URL (default); sitemap: the sitemaps of a site root "
                        "(robots.txt, /sitemap.xml, /wp-sitemap.xml) or a sitemap URL; feed: an RSS/Atom "
                        "feed URL, or a site root's /feed/; urls: URL is a file of article URLs, one a line")
    p.add_argument("--allow-domain", action="append", default=[], metavar="DOMAIN",
                   help="fetch only from this domain and its subdomains (repeatable, or comma-separated)")
    p.add_argument("--include", metavar="REGEX", help="archive only pages whose URL matches REGEX")
    p.add_argument("--exclude", metavar="REGEX", help="never fetch pages whose URL matches REGEX")
    p.add_argument("--max-depth", metavar="N", help="follow links at most N steps from URL (--via site)")
    p.add_argument("--since", metavar="DATE", help="archive only articles published on or after DATE (YYYY-MM-DD, UTC)")
    p.add_argument("--until", metavar="DATE", help="archive only articles published on or before DATE")


def spider_and_args(args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    """The spider name and its arguments; raises ValueError with a user-facing message."""
    scope_args = {
        "allowed_domains": ",".join(args.allow_domain) or None,
        "include": args.include, "exclude": args.exclude, "max_depth": args.max_depth,
        "since": args.since, "until": args.until,
    }
    scope_args = {k: v for k, v in scope_args.items() if v is not None}
    Scope.from_args(**scope_args)  # raises ScopeError (a ValueError) naming the bad option
    spider = SPIDERS[args.via]
    if spider == "urls":
        try:
            with open(args.url, encoding="utf-8", errors="replace") as f:
                f.read(1)
        except OSError as exc:
            raise ValueError(f"cannot read the URLs file {args.url}: {exc.strerror or exc}") from None
        scope_args["urls_file"] = args.url
    return spider, scope_args
