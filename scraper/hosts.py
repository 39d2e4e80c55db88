"""URLs taken apart safely, and a site's name from a URL: shared by extraction, the spiders and the archive.

urllib raises ValueError on URLs that pages do carry: a host in unbalanced or
invalid brackets (``http://[object Object]/``, written by a broken script) or a
non-ASCII host with characters that normalize to URL delimiters, or a port it cannot
read (``http://host:99999/``, ``http://host:abc/``: urlsplit takes them, ``.port`` and
Scrapy's Request raise). One such link must cost the link, not the page it is on.
"""
from __future__ import annotations

import re
from typing import Optional
from urllib.parse import SplitResult, urljoin, urlsplit, urlunsplit

# Campaign and click identifiers that newsletters, feeds (FeedBurner, WordPress plugins)
# and social sites add to links: they never change the page, only its URL.
_TRACKING_PARAM = re.compile(
    r"(?:utm_[a-z_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|twclid|igshid|mc_cid|mc_eid|_ga|_gl|_hsenc|_hsmi)"
    r"(?:=|$)", re.IGNORECASE)
_HAS_TRACKING = re.compile(r"(?:^|&)" + _TRACKING_PARAM.pattern, re.IGNORECASE)


def split_url(url: str) -> Optional[SplitResult]:
    """``urlsplit(url)``, or None for a URL urllib refuses, a bad port included."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - urlsplit reads the port only when asked, and raises then
    except ValueError:
        return None
    return parts


def join_url(base: str, href: str) -> Optional[str]:
    """``urljoin(base, href)``, or None when urllib refuses either of them or the result."""
    try:
        joined = urljoin(base, href)
    except ValueError:
        return None
    return joined if split_url(joined) is not None else None


def without_tracking(url: str) -> str:
    """``url`` without campaign and click parameters (``utm_source``, ``fbclid``...), so a
    crawl fetches an article once however it was linked; other parameters stay in order."""
    parts = split_url(url)
    if parts is None or not parts.query or not _HAS_TRACKING.search(parts.query):
        return url
    query = "&".join(p for p in parts.query.split("&") if p and not _TRACKING_PARAM.match(p))
    return urlunsplit(parts._replace(query=query))


def with_root_path(url: str) -> str:
    """``http://host:8642`` as ``http://host:8642/``: the same page, one spelling (a job's
    start URL is compared as text); any other URL, or one urllib refuses, as it is."""
    parts = split_url(url)
    if parts is None or parts.scheme not in ("http", "https") or parts.path or not parts.netloc:
        return url
    return urlunsplit(parts._replace(path="/"))


def is_home_page(url: Optional[str]) -> bool:
    """Whether ``url`` is a site's root (path "/" or none, no query); False when unknown or unreadable."""
    parts = split_url(url) if url else None
    return parts is not None and parts.path in ("", "/") and not parts.query


def site_of(url: Optional[str]) -> Optional[str]:
    """The host of ``url``, lower-cased, without a trailing dot or a leading "www."; None if none."""
    if not url:
        return None
    parts = split_url(url)
    host = parts.hostname if parts is not None else None
    if not host:
        return None
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host
