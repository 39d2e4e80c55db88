"""A site's name from a URL: shared by extraction (``record.site``) and the archive."""
from __future__ import annotations

from typing import Optional
from urllib.parse import urlsplit


def site_of(url: Optional[str]) -> Optional[str]:
    """The host of ``url``, lower-cased, without a trailing dot or a leading "www."; None if none."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host
