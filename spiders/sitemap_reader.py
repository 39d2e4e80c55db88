"""Reading sitemap XML: urlsets, sitemap indexes and Google News sitemaps.

Scrapy's own ``scrapy.utils.sitemap.Sitemap`` keeps only each entry's direct text
children and says nothing when the XML is broken; here nested ``news:news`` fields
are kept, and the first XML error is reported (with its line) while every entry
read before and after it is still returned.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from .xml_input import NotXML, parse_xml

NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


@dataclass
class SitemapEntry:
    loc: str
    lastmod: Optional[str] = None
    news_publication_date: Optional[str] = None
    news_title: Optional[str] = None


@dataclass
class SitemapDoc:
    kind: Optional[str]                       # "urlset", "sitemapindex", or None if neither
    entries: list[SitemapEntry] = field(default_factory=list)
    problem: Optional[str] = None             # the first XML error, e.g. "line 7: ..."


def _local(tag) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _text(el) -> Optional[str]:
    text = (el.text or "").strip()
    return text or None


def read_sitemap(body: bytes) -> SitemapDoc:
    try:
        root, problem = parse_xml(body)
    except NotXML as exc:
        return SitemapDoc(None, problem=str(exc))
    if root is None:
        return SitemapDoc(None, problem=problem or "empty document")
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        return SitemapDoc(None, problem=problem or f"root element is <{kind}>, not <urlset> or <sitemapindex>")
    entries = []
    for item in root:
        if _local(item.tag) not in ("url", "sitemap"):
            continue
        entry = SitemapEntry(loc="")
        for child in item:
            name = _local(child.tag)
            if name == "loc":
                entry.loc = _text(child) or ""
            elif name == "lastmod":
                entry.lastmod = _text(child)
            elif name == "news" and child.tag == f"{{{NEWS_NS}}}news":
                for news in child:
                    if _local(news.tag) == "publication_date":
                        entry.news_publication_date = _text(news)
                    elif _local(news.tag) == "title":
                        entry.news_title = _text(news)
        if entry.loc:
            entries.append(entry)
    return SitemapDoc(kind, entries, problem)
