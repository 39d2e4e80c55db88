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

import orjson
from lxml import etree

from ..hosts import join_url, normal_url, split_url
from . import charset
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
# An absolute URL whose host part has a colon: a port (":80" to drop, ":99999" urllib refuses) or a user name.
_AUTHORITY_COLON = re.compile(r"https?://[^/?#]*:", re.I)


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
            # already absolute: urljoin would return it unchanged. Only a bracket, a
            # non-ASCII character or a port can make urllib refuse it or spell it another
            # way (a Unicode host, ":80"; see scraper.hosts); any other is returned at once.
            if not ("[" in href or "]" in href or not href.isascii() or _AUTHORITY_COLON.match(href)):
                return href
            parts = split_url(href)
            return normal_url(href, parts) if parts is not None else None
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


def _text_bytes(data: bytes, content_type: Optional[str]) -> tuple[bytes, Optional[str]]:
    if not data or data.isspace():
        raise NotHTMLError("empty document")
    try:
        return charset.text_bytes(data, content_type)
    except charset.BinaryContent as exc:
        raise NotHTMLError(str(exc)) from None


_ENCODING_ERRORS = (etree.ErrorTypes.ERR_INVALID_ENCODING, etree.ErrorTypes.ERR_INVALID_CHAR)


_LOG_KEPT = 100  # lxml keeps a parse's first 100 errors: past them, one about encoding may be missing


def _invalid_utf8() -> bool:
    """Whether libxml2, reading the last page as UTF-8, met bytes that are not (or may have:
    a page with 100 stray end tags fills the log first)."""
    log = _PARSER.error_log
    return bool(log.filter_types(_ENCODING_ERRORS)) or len(log) >= _LOG_KEPT


def _parse(raw: bytes):
    try:
        root = etree.fromstring(raw, _PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise NotHTMLError(f"unparseable HTML: {exc}") from None
    if root is None:
        raise NotHTMLError("unparseable HTML")
    return root


def load_document(
    data: Union[bytes, str],
    url: Optional[str] = None,
    *,
    content_type: Optional[str] = None,
    fetched_at: Optional[datetime] = None,
) -> Document:
    """Parse ``data`` into a :class:`Document`; raises :class:`NotHTMLError` for non-HTML input."""
    # Most pages are UTF-8 and say so: their bytes go to libxml2 as they are, and only
    # when it finds them invalid (or the page declares another encoding) are they decoded here.
    unchecked = None
    if isinstance(data, bytes):
        data, wide = _text_bytes(data, content_type)
        raw, certain = (None, False) if wide else charset.utf8_candidate(data, content_type)
        if raw is None:
            raw = charset.decode(data, content_type, wide).encode("utf-8", "replace")
        elif not certain:
            unchecked = data
    else:
        if not data or data.isspace():
            raise NotHTMLError("empty document")
        raw = data.replace("\x00", "").encode("utf-8", "replace")
    if not _TAG_RE.search(raw, 0, 65536):  # a slice would copy 64 KB: 20-40 us
        raise NotHTMLError("no HTML markup found")
    root = _parse(raw)
    if unchecked is not None and _invalid_utf8():
        encoding = charset.encoding_of(unchecked, content_type)
        if encoding != "utf-8":  # else a few stray bytes, which libxml2 replaced with U+FFFD
            root = _parse(unchecked.decode(encoding, "replace").encode("utf-8", "replace"))
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
            data = orjson.loads(raw)  # 2.5x json.loads; strict, so the lenient reader follows
        except orjson.JSONDecodeError:
            try:
                data = json.loads(raw, strict=False)  # raw control characters, NaN, huge numbers
            except ValueError:
                continue  # a broken JSON-LD block is common; the DOM fallbacks still apply
        if _SURROGATE_ESCAPE.search(raw):
            data = _without_lone_surrogates(data, depth=0)
        _flatten_jsonld(data, objects, depth=0)
    return objects


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_lone_surrogates(data: Any, depth: int) -> Any:
    """``data`` with the halves of characters that a broken "\\ud83d" escape leaves (json.loads
    keeps them; no text can be stored or hashed with them) as U+FFFD."""
    if isinstance(data, str):
        return _LONE_SURROGATE.sub("\ufffd", data)
    if depth > 32:
        return None
    if isinstance(data, list):
        return [_without_lone_surrogates(item, depth + 1) for item in data]
    if isinstance(data, dict):
        return {_without_lone_surrogates(key, depth + 1): _without_lone_surrogates(value, depth + 1)
                for key, value in data.items()}
    return data


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
