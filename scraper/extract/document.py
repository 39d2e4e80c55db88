"""Turn raw bytes or text into a parsed document with its structured data indexed.

Every field extractor receives a :class:`Document`: the lxml tree with script,
style and other non-visible elements removed, plus the structured data read
from the page before that removal (JSON-LD objects, meta tags).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html import unescape
from typing import Any, Iterable, Optional, Union

from lxml import etree
from w3lib.encoding import (
    html_body_declared_encoding, html_to_unicode, http_content_type_encoding, read_bom,
)

from ..hosts import join_url, split_url
from .text import clean

ARTICLE_TYPES = {
    "newsarticle", "article", "blogposting", "reportagenewsarticle",
    "analysisnewsarticle", "opinionnewsarticle", "reviewnewsarticle",
    "backgroundnewsarticle", "techarticle", "scholarlyarticle", "liveblogposting",
}

# Tags that several extractors list over the whole page (see Document.listed).
LISTED_TAGS = ("a", "article", "h1", "form", "ol", "ul", "time")
# Elements whose content a reader never sees as text.
_INVISIBLE = ("script", "style", "noscript", "template", "svg", "iframe", "object", "embed")
# A plain etree parser: lxml.html's element classes cost a Python call per
# element proxy. The text is re-encoded to UTF-8 and parsed as bytes because
# libxml2 parses bytes faster than Python str (and ignores a stale <meta charset>).
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False, encoding="utf-8")
_TAG_RE = re.compile(rb"<\s*[a-zA-Z!/?]")
_SAFE_SCHEMES = {"http", "https"}
_ABSOLUTE = re.compile(r"https?://[^/?#\s]", re.I)


class NotHTMLError(ValueError):
    """The input is empty, binary, or has no HTML in it."""


@dataclass
class Document:
    root: Any  # lxml.etree._Element, invisible elements stripped
    url: Optional[str] = None
    base_url: Optional[str] = None
    html_lang: Optional[str] = None
    body_classes: frozenset = frozenset()
    jsonld: list[dict] = field(default_factory=list)
    meta: dict[str, list[str]] = field(default_factory=dict)
    fetched_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    def meta_first(self, *names: str) -> Optional[str]:
        """The first non-empty content among meta tags named (name= or property=) ``names``."""
        for name in names:
            for value in self.meta.get(name.lower(), ()):
                value = clean(value)
                if value:
                    return value
        return None

    def meta_all(self, name: str) -> list[str]:
        return [v for v in (clean(x) for x in self.meta.get(name.lower(), ())) if v]

    def listed(self, *tags: str) -> list:
        """The page's elements with one of ``tags`` (each in :data:`LISTED_TAGS`), in
        document order. One walk of the tree collects every listed tag the first time
        any is asked for: each walk of a 100 KB page costs ~30 us however little it
        finds, and several extractors list these. The lists are shared: callers must
        not change them."""
        by_tag = self.__dict__.get("_listed")
        if by_tag is None:
            ordered = list(self.root.iter(*LISTED_TAGS))
            by_tag = {tag: [] for tag in LISTED_TAGS}
            for element in ordered:
                by_tag[element.tag].append(element)
            by_tag[None] = ordered
            self.__dict__["_listed"] = by_tag
        found = by_tag.get(tags[0] if len(tags) == 1 else tags)
        if found is None:
            unknown = [tag for tag in tags if tag not in LISTED_TAGS]
            if unknown:
                raise ValueError(f"not in LISTED_TAGS: {unknown}")
            found = by_tag[tags] = [element for element in by_tag[None] if element.tag in tags]
        return found

    def jsonld_of_type(self, types: Iterable[str]) -> list[dict]:
        wanted = {t.lower() for t in types}
        return [obj for obj in self.jsonld if _types_of(obj) & wanted]

    @property
    def article_ld(self) -> Optional[dict]:
        """The page's JSON-LD article object, if it declares one."""
        cached = self.__dict__.get("_article_ld")
        if cached is not None and cached[0] is self.jsonld:
            return cached[1]
        found = self.jsonld_of_type(ARTICLE_TYPES)
        article = found[0] if found else None
        self.__dict__["_article_ld"] = (self.jsonld, article)  # asked for by most extractors
        return article

    def absolute(self, href: Optional[str]) -> Optional[str]:
        """An absolute http(s) URL for ``href``; None for javascript:, data: and the like."""
        href = clean(href)
        if not href:
            return None
        if _ABSOLUTE.match(href):
            # already absolute: urljoin would return it unchanged. Only a bracket or
            # a non-ASCII character can make urllib refuse it (see scraper.hosts).
            if ("[" in href or "]" in href or not href.isascii()) and split_url(href) is None:
                return None
            return href
        joined = join_url(self.base_url or self.url or "", href)
        if joined is None or split_url(joined).scheme.lower() not in _SAFE_SCHEMES:
            return None
        return joined


def _types_of(obj: dict) -> set[str]:
    kind = obj.get("@type")
    if isinstance(kind, str):
        return {kind.lower()}
    if isinstance(kind, list):
        return {k.lower() for k in kind if isinstance(k, str)}
    return set()


def _check_bytes(data: bytes) -> None:
    if not data or data.isspace():
        raise NotHTMLError("empty document")
    head = data[:8192]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise NotHTMLError("binary content, not HTML")


def _header_charset_holds(content_type: Optional[str], data: bytes) -> bool:
    """False when the HTTP header's charset is a Latin-1 default that the body contradicts.

    Servers configured with a default charset send ``ISO-8859-1`` (or ``windows-1252``) for
    pages that are UTF-8; non-ASCII bytes that are valid UTF-8 are all but never meant as
    Latin-1 text ("â€”" for "—"), so then the page's own declaration or the sniffer decides."""
    if http_content_type_encoding(content_type) != "cp1252" or data.isascii():
        return True
    return _sniff_encoding(data) != "utf-8"


def decode_html(data: Union[bytes, str], content_type: Optional[str] = None) -> str:
    """Decode bytes the way a browser would: BOM, HTTP header, <meta charset>, then sniffing
    (except that a Latin-1 header on a UTF-8 body is not believed)."""
    if isinstance(data, str):
        return data
    _check_bytes(data)
    if not _header_charset_holds(content_type, data):
        content_type = None
    _, text = html_to_unicode(content_type, data, auto_detect_fun=_sniff_encoding)
    return text


def _utf8_body(data: bytes, content_type: Optional[str]) -> Optional[bytes]:
    """``data`` itself when it is UTF-8 by the same rules as :func:`decode_html`, else None.

    Most pages are UTF-8; handing their bytes straight to libxml2 skips a decode
    and a re-encode of the whole page. libxml2 replaces invalid sequences with
    U+FFFD as Python's "replace" would."""
    bom_encoding, bom = read_bom(data)
    if bom_encoding is not None:
        return data[len(bom):] if bom_encoding == "utf-8" else None
    if not _header_charset_holds(content_type, data):
        content_type = None
    declared = http_content_type_encoding(content_type) or html_body_declared_encoding(data)
    if declared is not None:
        return data if declared == "utf-8" else None
    return data if _sniff_encoding(data) == "utf-8" else None


def _sniff_encoding(data: bytes) -> str:
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from bs4.dammit import UnicodeDammit  # bs4's sniffer knows the legacy code pages

    guess = UnicodeDammit(data[:65536], ["windows-1252"]).original_encoding
    return guess or "windows-1252"


def load_document(
    data: Union[bytes, str],
    url: Optional[str] = None,
    *,
    content_type: Optional[str] = None,
    fetched_at: Optional[datetime] = None,
) -> Document:
    """Parse ``data`` into a :class:`Document`; raises :class:`NotHTMLError` for non-HTML input."""
    if isinstance(data, bytes):
        _check_bytes(data)
        raw = _utf8_body(data, content_type)
        if raw is None:
            raw = decode_html(data, content_type).encode("utf-8", "replace")
    else:
        if not data or data.isspace():
            raise NotHTMLError("empty document")
        raw = data.encode("utf-8", "replace")
    if not _TAG_RE.search(raw[:65536]):
        raise NotHTMLError("no HTML markup found")
    try:
        root = etree.fromstring(raw, _PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise NotHTMLError(f"unparseable HTML: {exc}") from None
    if root is None:
        raise NotHTMLError("unparseable HTML")
    if root.tag != "html":  # a fragment: give it the html/body shape full pages have
        root = _wrap(root)

    doc = Document(root=root, url=url, fetched_at=fetched_at or datetime.now(timezone.utc))
    scripts, metas, base = _head_elements(root)
    doc.jsonld = _read_jsonld(scripts)
    doc.meta = _read_meta(metas)
    # A <base href> urllib refuses is ignored, as browsers ignore an invalid one.
    doc.base_url = (join_url(url or "", base.get("href")) or url) if base is not None else url
    doc.html_lang = clean(root.get("lang") or root.get("xml:lang"))
    body = next(root.iterchildren("body"), None)  # find() goes through ElementPath in Python
    if body is not None:
        doc.body_classes = frozenset((body.get("class") or "").split())
    etree.strip_elements(root, *_INVISIBLE, with_tail=False)
    return doc


def _wrap(fragment_root):
    html = etree.Element("html")
    body = etree.SubElement(html, "body")
    body.append(fragment_root)
    return html


def _head_elements(root) -> tuple[list, list, Any]:
    """The page's <script>s and <meta>s and its first <base href>, from one walk."""
    scripts, metas, base = [], [], None
    for element in root.iter("script", "meta", "base"):
        tag = element.tag
        if tag == "meta":
            metas.append(element)
        elif tag == "script":
            scripts.append(element)
        elif base is None and element.get("href") is not None:
            base = element
    return scripts, metas, base


def _read_jsonld(scripts) -> list[dict]:
    objects: list[dict] = []
    for script in scripts:
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue  # a broken JSON-LD block is common; the DOM fallbacks still apply
        _flatten_jsonld(data, objects, depth=0)
    return objects


def _flatten_jsonld(data: Any, out: list[dict], depth: int) -> None:
    if depth > 8:
        return
    if isinstance(data, list):
        for item in data:
            _flatten_jsonld(item, out, depth + 1)
    elif isinstance(data, dict):
        graph = data.get("@graph")
        if isinstance(graph, list):
            _flatten_jsonld(graph, out, depth + 1)
        if "@type" in data:
            out.append(data)


def _read_meta(metas) -> dict[str, list[str]]:
    meta: dict[str, list[str]] = {}
    for element in metas:
        key = element.get("property") or element.get("name") or element.get("itemprop")
        content = element.get("content")
        if key and content is not None:
            meta.setdefault(key.strip().lower(), []).append(unescape(content))
    return meta


def jsonld_text(value: Any) -> Optional[str]:
    """A JSON-LD value as clean text: strings unescaped, {"name": ...} objects by name."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = unescape(str(value))
        return clean(strip_markup(text))
    return None


_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z]")


def strip_markup(text: str) -> str:
    """The visible text of a value that may carry HTML (some sites put markup in JSON-LD
    and meta tags); script and style content is dropped, never kept as text."""
    if "<" not in text or not _MARKUP.search(text):
        return text
    try:
        root = etree.fromstring(f"<html><body><div>{text}</div></body></html>".encode("utf-8", "replace"),
                                _PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return _MARKUP.sub(" <", text)
    if root is None:
        return ""
    etree.strip_elements(root, *_INVISIBLE, with_tail=False)
    return "".join(root.itertext())
