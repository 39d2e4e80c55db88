"""URLs taken apart safely, and a site's name from a URL: shared by extraction, the spiders and the archive.

urllib raises ValueError on URLs that pages do carry: a host in unbalanced or
invalid brackets (``http://[object Object]/``, written by a broken script) or a
non-ASCII host with characters that normalize to URL delimiters, or a port it cannot
read (``http://host:99999/``, ``http://host:abc/``: urlsplit takes them, ``.port`` and
Scrapy's Request raise). One such link must cost the link, not the page it is on.

A page has one spelling here: its host in the ASCII form Scrapy sends (IDNA, so
``nachrichten-über.test`` is ``xn--nachrichten-ber-bwb.test``) and no default port
(``http://host:80/`` is ``http://host/``). Host names are compared in that form only.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional
from urllib.parse import SplitResult, urljoin, urlsplit, urlunsplit

# Campaign and click identifiers that newsletters, feeds (FeedBurner, WordPress plugins)
# and social sites add to links: they never change the page, only its URL.
_TRACKING_PARAM = re.compile(
    r"(?:utm_[a-z_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|twclid|igshid|mc_cid|mc_eid|_ga|_gl|_hsenc|_hsmi)"
    r"(?:=|$)", re.IGNORECASE)
_HAS_TRACKING = re.compile(r"(?:^|&)" + _TRACKING_PARAM.pattern, re.IGNORECASE)
# Session ids that servers write into every link for visitors without cookies (Tomcat's
# ;jsessionid=, PHP's PHPSESSID, ASP.NET's and CMSs' sid/sessionid) and jQuery's cache-buster
# ?_=<milliseconds>: a fresh one on each page made every link a new URL and the crawl endless.
# ``sid`` on a script's path (Slash's article.pl?sid=06/01/01/1234, PHP-Nuke's
# modules.php?...&sid=123) names the story and stays there.
_SESSION_PARAM = re.compile(r"(?:jsessionid|phpsessid|sessionid|session_id|cfid|cftoken)(?:=|&|$)|_=\d+(?=&|$)",
                            re.IGNORECASE)
_SID_PARAM = re.compile(r"sid(?:=|&|$)", re.IGNORECASE)
_HAS_SESSION = re.compile(r"(?:^|&)(?:" + _SESSION_PARAM.pattern + "|" + _SID_PARAM.pattern + ")", re.IGNORECASE)
# ;jsessionid=... (and ;sid=, ;phpsessid=...) path parameters, anywhere in the path.
_SESSION_PATH_PARAM = re.compile(r";(?:jsessionid|phpsessid|sessionid|session_id|sid)=[^/;?#]*", re.IGNORECASE)
# A script's path (article.php, article.pl): its query names the page, where a query on another
# page's path is only a way of linking to it. archive.identity goes by it too.
SCRIPT_PATH = re.compile(r"\.(?:php\d?|aspx?|jsp|cfm|cgi|pl|py)$", re.IGNORECASE)


_DEFAULT_PORTS = {"http": 80, "https": 443}


def split_url(url: str) -> Optional[SplitResult]:
    """``urlsplit(url)``, or None for a URL urllib refuses, a bad port included."""
    try:
        parts = urlsplit(url)
        if ":" in parts.netloc and not _plain_port(parts.netloc):
            parts.port  # noqa: B018 - urlsplit reads the port only when asked, and raises then
    except ValueError:
        return None
    return parts


def _plain_port(netloc: str) -> bool:
    """Whether ``netloc`` ends in a port urllib reads (":8642"): most URLs have no port, and a
    site on a port of its own has it in every link, so the netloc is taken apart only for an
    odd one (":99999", ":abc", an IPv6 address)."""
    port = netloc.rpartition(":")[2]
    return port.isascii() and port.isdigit() and len(port) <= 5 and int(port) <= 65535


def join_url(base: str, href: str) -> Optional[str]:
    """``urljoin(base, href)`` in one spelling (``normal_url``), or None when urllib refuses
    either of them or the result."""
    try:
        joined = urljoin(base, href)
    except ValueError:
        return None
    parts = split_url(joined)
    return normal_url(joined, parts) if parts is not None else None


@lru_cache(maxsize=4096)
def ascii_host(host: str) -> str:
    """``host`` lower-cased, without a trailing dot, in the ASCII form Scrapy fetches it by:
    Python's IDNA codec, as w3lib's safe_url_string uses. A name IDNA cannot encode (an empty
    or over-long label) stays as it is: Scrapy sends that one as it is too."""
    host = host.lower().rstrip(".")
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def unicode_host(host: str) -> str:
    """``host`` as people write it: ``xn--nachrichten-ber-bwb.test`` as ``nachrichten-über.test``."""
    host = ascii_host(host)
    if "xn--" not in host:
        return host  # no punycode label: written the same both ways
    try:
        return host.encode("ascii").decode("idna")
    except UnicodeError:  # not valid punycode, or not ASCII at all
        return host


def normal_url(url: str, parts: SplitResult) -> str:
    """``url`` (split as ``parts``) with its host in ASCII form and without its scheme's default
    port: a link to ``http://nachrichten-über.test:80/a`` names the page the crawl fetches as
    ``http://xn--nachrichten-ber-bwb.test/a``, and the archive must know it by one URL."""
    netloc = parts.netloc
    if netloc.isascii() and (":" not in netloc or not netloc.endswith((":80", ":443"))):
        return url  # the usual case, and cheap: links are normalized by the hundred per page
    host, port = parts.hostname, parts.port
    default_port = port is not None and port == _DEFAULT_PORTS.get(parts.scheme.lower())
    if not host or (host.isascii() and not default_port):
        return url  # an ASCII host with a port of its own (or a user name): already one spelling
    host = f"[{host}]" if ":" in host else ascii_host(host)  # an IPv6 address keeps its brackets
    userinfo = netloc.rpartition("@")[0] + "@" if "@" in netloc else ""
    port_part = f":{port}" if port is not None and not default_port else ""
    return urlunsplit(parts._replace(netloc=userinfo + host + port_part))


def normalized_url(url: str) -> str:
    """``url`` in one spelling (``normal_url``); one urllib refuses as it is."""
    parts = split_url(url)
    return normal_url(url, parts) if parts is not None else url


def without_tracking(url: str) -> str:
    """``url`` without campaign and click parameters (``utm_source``, ``fbclid``...) and session
    ids (``;jsessionid=``, ``?PHPSESSID=``, ``?sid=`` but on a script's path, ``?_=<digits>``),
    so a crawl fetches an article once however it was linked; other parameters stay in order."""
    if ";" not in url and "?" not in url:
        return url  # the usual link: nothing to take out, and cheap
    parts = split_url(url)
    if parts is None:
        return url
    path, query = parts.path, parts.query
    if ";" in path:
        path = _SESSION_PATH_PARAM.sub("", path)
    if query and (_HAS_TRACKING.search(query) or _HAS_SESSION.search(query)):
        script = SCRIPT_PATH.search(path) is not None
        query = "&".join(p for p in query.split("&") if p and not _TRACKING_PARAM.match(p)
                         and not _SESSION_PARAM.match(p) and (script or not _SID_PARAM.match(p)))
    if path == parts.path and query == parts.query:
        return url
    return urlunsplit(parts._replace(path=path, query=query))


def page_url(url: Optional[str]) -> str:
    """``url`` without tracking parameters or a fragment: the page a server answers for."""
    return without_tracking(url or "").split("#", 1)[0]


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


def redirects_home(asked: Optional[str], landed: Optional[str]) -> bool:
    """Whether a request for ``asked`` that ended at ``landed`` was sent from a page to its
    site's home page: how sites take an article down without a 404 (the crawl, and
    import-warc for a redirect record, mark the article archived from ``asked`` gone)."""
    return bool(asked) and not is_home_page(asked) and is_home_page(landed)


def site_of(url: Optional[str]) -> Optional[str]:
    """The host of ``url`` in ASCII form (``ascii_host``), without a leading "www."; None if
    none. An IDN site is ``xn--nachrichten-ber-bwb.test`` however its links spell it."""
    if not url:
        return None
    parts = split_url(url)
    host = parts.hostname if parts is not None else None
    if not host:
        return None
    host = ascii_host(host)
    return host[4:] if host.startswith("www.") else host
