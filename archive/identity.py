"""Which article a record is about: the URL that identifies it in the archive."""
from __future__ import annotations

import ipaddress
import re
from typing import Optional
from urllib.parse import unquote

from scraper.hosts import (SCRIPT_PATH, is_home_page, join_url, normalized_url, site_of, split_url,
                           without_tracking)
from scraper.record import ArticleRecord

from .errors import ArchiveError


def host_of(url: Optional[str]) -> Optional[str]:
    """The lower-cased host name of ``url`` without a leading ``www.``, or None."""
    return site_of(url)


def article_url(record: ArticleRecord) -> str:
    """The URL that names ``record``'s article in the archive.

    The page's canonical URL when it is on the same host as the fetched URL
    (so ``?utm_source=...`` variants and ``/amp/`` copies land on one article);
    otherwise the fetched URL, because a canonical link pointing at another site
    (syndicated copies, misconfigured themes) must not merge two sites' articles.
    Nor is a canonical URL that names the site's home page taken for an article
    page's: themes and SEO plugins misconfigured that way give every article the
    same canonical link, which would make the whole site one article with a
    version per page. The same goes for a canonical URL that names a section the
    page sits in (``/news/`` for ``/news/2025/09/12/story/``, often a theme's og:url):
    a page is not its own parent. A relative canonical URL is resolved against the
    fetched URL first; one that cannot be read is ignored.
    """
    url = (record.url or "").strip() or None
    canonical = (record.canonical_url or "").strip() or None
    if url is None and canonical is None:
        raise ArchiveError("the record has neither url nor canonical_url, so it cannot be archived")
    if url is None:
        return canonical
    if canonical is not None:
        canonical = join_url(url, canonical)  # None when urllib refuses either URL
        if canonical == url:
            return url  # the usual page, its own canonical URL: none of the tests below can refuse it
        if host_of(canonical) is not None and host_of(canonical) == host_of(url) \
                and not (is_home_page(canonical) and not is_home_page(url)) \
                and not names_a_section_of(canonical, url):
            return canonical
    return url


# The child paths whose canonical link rightly names their parent: the AMP copy of a
# post at /post/amp/ and WP-Print's /post/print/ (the spider fetches the post itself
# instead, but a start URL or a URL list can name the copy).
_COPY_SEGMENTS = frozenset({"amp", "print"})


def names_a_section_of(canonical: str, url: str) -> bool:
    """Whether ``canonical``'s path is a directory above ``url``'s (``/news/`` above
    ``/news/2025/09/12/story/``), the copies' ``/post/amp/`` and ``/post/print/`` apart, and
    ``/post/index.html``, which is ``/post/`` itself."""
    above, below = split_url(canonical), split_url(url)
    if above is None or below is None or same_document(canonical, url):
        return False
    # decoded: WordPress writes og:url with lower-case escapes, the crawl fetches upper-case ones;
    # without path parameters: /story/;jsessionid=X is /story/, not a page below it
    parent = _segments(above.path)
    child = _segments(below.path)
    if len(child) <= len(parent) or child[:len(parent)] != parent:
        return False
    rest = child[len(parent):]
    return not (len(rest) == 1 and rest[0].lower() in _COPY_SEGMENTS)


# A path segment's parameters (/story/;jsessionid=X, /a;v=2/b): session ids and the like,
# never what names an article.
_PATH_PARAMS = re.compile(r";[^/]*")


def _segments(path: str) -> list[str]:
    """The decoded, non-empty segments of ``path`` without their parameters (``;jsessionid=...``)."""
    return [segment for segment in _PATH_PARAMS.sub("", unquote(path)).split("/") if segment]


def other_scheme(url: str) -> Optional[str]:
    """``url`` with https for http and the other way round (a site moving to https keeps its
    articles); None for other URLs."""
    if url.startswith("https://"):
        return "http://" + url[len("https://"):]
    if url.startswith("http://"):
        return "https://" + url[len("http://"):]
    return None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def spellings(url: str) -> list[str]:
    """``url`` as a site may also write it: with the other scheme, and with or without a
    leading ``www.`` on the host (one page, several URLs, where a site answers on both)."""
    found = [url]
    parts = split_url(url)
    host = parts.hostname if parts is not None else None
    if host and not _is_ip(host):
        at = url.find(host, len(parts.scheme) + 3)  # the host as written (after "scheme://", userinfo)
        if at >= 0:
            flipped = host[4:] if host.startswith("www.") else "www." + host
            found.append(url[:at] + flipped + url[at + len(host):])
    return list(dict.fromkeys(found + [other for other in map(other_scheme, found) if other]))


# A directory's index file names the directory: /story/index.html is /story/.
_INDEX_FILE = re.compile(r"/index\.(?:html?|php)$", re.IGNORECASE)


# Paths whose query names the document (?p=123 on the root, article.php?id=7); on any other
# path a query only tags the link (?ref=home, ?from=rss, ?amp=1) and names the same page.



def _document(url: str):
    """What ``url`` names, as far as the archive tells documents apart: the host without
    ``www.`` (in its ASCII form), the port unless the scheme's default, the decoded path
    without path parameters (``;jsessionid=...``), an index file or a trailing slash, and, for the site's root or a script's path
    only, the query without campaign parameters, in any order. The scheme and fragment are
    left out: a page served over http and https is one page, as the archive keeps one
    article for both."""
    parts = split_url(normalized_url(without_tracking(url.strip())))
    host = site_of(url)
    if parts is None or host is None:
        return url.strip()
    path = _INDEX_FILE.sub("/", _PATH_PARAMS.sub("", unquote(parts.path))).rstrip("/")
    query = ""
    if not path or SCRIPT_PATH.search(path):
        query = "&".join(sorted(p for p in parts.query.split("&") if p))
    return host, parts.port, path, query


def same_document(url: Optional[str], other: Optional[str]) -> bool:
    """Whether two URLs name one document: they differ at most in the scheme, ``www.``, a
    default port, a trailing slash or index file, percent-escapes, the query of an article's
    path (``?ref=home``), or the order of the query's parameters or campaign parameters
    (``utm_*``, ``fbclid``...) where the query names the page (``/?p=123``). ``/print/story/``,
    ``/amp/story/``, ``/story/2/``, ``/fr/story/`` are other documents than ``/story/``."""
    if not url or not other:
        return False
    return _document(url) == _document(other)


_SCHEME_AND_WWW = re.compile(r"^https?://(?:www\.)?", re.IGNORECASE)


def post_key(post_id: Optional[str]) -> Optional[str]:
    """A record's ``post_id`` as the archive matches it (articles.post_id): a shortlink without
    its scheme and ``www.``, its host lower-cased (a post is one post over http and https), a
    bare post number as it is; None for none."""
    value = (post_id or "").strip()
    if not value:
        return None
    rest = _SCHEME_AND_WWW.sub("", value)
    if rest == value:
        return value
    host, slash, path = rest.partition("/")
    return host.lower() + slash + path


def other_post(page: tuple[Optional[str], Optional[str]], other: tuple[Optional[str], Optional[str]]) -> bool:
    """Whether two pages, each given as (post_id, published_at), are known to be two posts:
    their post IDs differ, where both are written alike (two shortlinks of one host, or two
    bare post numbers: a body class's "4" and a shortlink's "?p=4" may be one post), else
    their publication times differ, where both are known (by the day where either gives only
    a day). Nothing known says nothing: False."""
    ours, theirs = post_key(page[0]), post_key(other[0])
    if ours and theirs and _post_key_form(ours) == _post_key_form(theirs):
        return ours != theirs
    ours, theirs = page[1], other[1]
    if not ours or not theirs:
        return False
    if ours.endswith("T00:00:00Z") or theirs.endswith("T00:00:00Z"):
        return ours[:10] != theirs[:10]
    return ours != theirs


def _post_key_form(key: str) -> Optional[str]:
    """What a post_key is written as: None for a bare post number, else its shortlink's host."""
    return key.partition("/")[0] if "/" in key else None


def headline_key(title: Optional[str]) -> str:
    """A headline as pages are compared by it (a copy's, a teaser's): spacing and case aside."""
    return " ".join((title or "").split()).casefold()
