"""Which article a record is about: the URL that identifies it in the archive."""
from __future__ import annotations

from typing import Optional

from scraper.hosts import is_home_page, join_url, site_of
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
    version per page. A relative canonical URL is resolved against the fetched
    URL first; one that cannot be read is ignored.
    """
    url = (record.url or "").strip() or None
    canonical = (record.canonical_url or "").strip() or None
    if url is None and canonical is None:
        raise ArchiveError("the record has neither url nor canonical_url, so it cannot be archived")
    if url is None:
        return canonical
    if canonical is not None:
        canonical = join_url(url, canonical)  # None when urllib refuses either URL
        if host_of(canonical) is not None and host_of(canonical) == host_of(url) \
                and not (is_home_page(canonical) and not is_home_page(url)):
            return canonical
    return url


def other_scheme(url: str) -> Optional[str]:
    """``url`` with https for http and the other way round (a site moving to https keeps its
    articles); None for other URLs."""
    if url.startswith("https://"):
        return "http://" + url[len("https://"):]
    if url.startswith("http://"):
        return "https://" + url[len("http://"):]
    return None
