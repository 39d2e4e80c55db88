"""URLs taken apart safely, and a site's name from a URL: shared by extraction, the spiders and the archive.

urllib raises ValueError on URLs that pages do carry: a host in unbalanced or
invalid brackets (``http://[object Object]/``, written by a broken script) or a
non-ASCII host with characters that normalize to URL delimiters. One such link
must cost the link, not the page it is on.
"""
from __future__ import annotations

from typing import Optional
from urllib.parse import SplitResult, urljoin, urlsplit


def split_url(url: str) -> Optional[SplitResult]:
    """``urlsplit(url)``, or None for a URL urllib refuses."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


def join_url(base: str, href: str) -> Optional[str]:
    """``urljoin(base, href)``, or None when urllib refuses either of them or the result."""
    try:
        joined = urljoin(base, href)
    except ValueError:
        return None
    return joined if split_url(joined) is not None else None


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
