"""Images: ``og:image`` (with ``og:image:alt``), JSON-LD ``image`` (URL, list,
``ImageObject`` or an ``@id`` reference into the graph), ``twitter:image``, then
the ``<img>``/``<amp-img>`` elements of the article with their figure captions.

Only absolute http(s) URLs are kept. The same picture is listed once: URLs are
compared without query string and without WordPress's ``-1024x576`` size
suffix, and a later sighting fills in a missing alt or caption.
"""
from __future__ import annotations

import re
from functools import lru_cache
from html import unescape
from typing import Any, Optional
from urllib.parse import urlsplit

from lxml import etree

from ..record import Image
from .document import Document, jsonld_text
from .scope import article_root, in_excluded
from .text import clean, text_content

_SIZE_SUFFIX = re.compile(r"-\d{2,5}x\d{2,5}(?=\.[A-Za-z0-9]{2,5}$)")
_LAZY_ATTRS = ("data-src", "data-lazy-src", "data-original", "data-orig-file", "data-url", "src")
_SKIP_CLASSES = ("avatar", "logo", "emoji", "wp-smiley", "icon", "gravatar", "ad-")
_SKIP_URL = re.compile(
    r"gravatar\.com|/emoji/|pixel\.|spacer\.|/blank\.(?:gif|jpe?g|png)|jeg-empty|/ads?/", re.I
)
# The same test as substrings of the lower-cased URL: exact for ASCII URLs (re.I
# also folds a few non-ASCII letters, such as the long s, which these cannot
# contain) and several times faster than the case-insensitive alternation.
_SKIP_PARTS = ("gravatar.com", "/emoji/", "pixel.", "spacer.", "/blank.gif", "/blank.jpg",
               "/blank.jpeg", "/blank.png", "jeg-empty", "/ad/", "/ads/")


def _skipped_url(url: str) -> bool:
    if url.isascii():
        low = url.lower()
        return any(part in low for part in _SKIP_PARTS)
    return _SKIP_URL.search(url) is not None
# Containers whose caption belongs to the picture inside them.
_CAPTIONED = frozenset({
    "wp-caption", "s-feat", "featured-image", "post-thumbnail", "jeg_featured", "featured_image",
    "td-post-featured-image", "wp-block-image", "wp-block-post-featured-image",
    "amp-wp-article-featured-image", "entry-thumbnail", "post-image", "featured-media",
    "entry-featured-image", "single-featured-image", "article-featured-image",
})
_CAPTION_OF = etree.XPath("descendant::*[self::figcaption or contains(@class, 'caption')]")


@lru_cache(maxsize=1024)  # og:image, JSON-LD and twitter:image usually name the same picture
def _key(url: str) -> str:
    parts = urlsplit(url)
    return parts.netloc.lower() + _SIZE_SUFFIX.sub("", parts.path)


class _Collector:
    def __init__(self, doc: Document):
        self.doc = doc
        self.images: list[Image] = []
        self.by_key: dict[str, Image] = {}

    def add(self, url: Optional[str], alt: Optional[str] = None, caption: Optional[str] = None) -> None:
        url = self.doc.absolute(unescape(url)) if url else None
        if not url or _skipped_url(url):
            return
        alt = clean(alt)
        caption = clean(caption)
        key = _key(url)
        existing = self.by_key.get(key)
        if existing is not None:
            existing.alt = existing.alt or alt
            existing.caption = existing.caption or caption
            return
        image = Image(url=url, alt=alt, caption=caption)
        self.by_key[key] = image
        self.images.append(image)


def _resolve(doc: Document, value: Any) -> Any:
    if isinstance(value, dict) and "@id" in value and not (value.get("url") or value.get("contentUrl")):
        for obj in doc.jsonld:
            if obj.get("@id") == value["@id"]:
                return obj
    return value


def _from_jsonld(doc: Document, collect: _Collector, value: Any, depth: int = 0) -> None:
    if depth > 3 or value is None:
        return
    if isinstance(value, list):
        for item in value:
            _from_jsonld(doc, collect, item, depth + 1)
        return
    value = _resolve(doc, value)
    if isinstance(value, str):
        collect.add(value)
    elif isinstance(value, dict):
        url = value.get("url") or value.get("contentUrl")
        if isinstance(url, list):
            url = url[0] if url else None
        if isinstance(url, str):
            collect.add(url, None, jsonld_text(value.get("caption")))


def _src(img) -> Optional[str]:
    for attr in _LAZY_ATTRS:
        value = img.get(attr)
        if value and not value.strip().lower().startswith("data:"):
            return value
    srcset = img.get("data-srcset") or img.get("srcset")
    if srcset:
        first = srcset.split(",")[0].strip().split(" ")[0]
        return first or None
    return None


def _too_small(img) -> bool:
    for attr in ("width", "height"):
        value = img.get(attr)
        if value and value.isdigit() and int(value) < 50:
            return True
    return False


def _caption(img) -> Optional[str]:
    node = img.getparent()
    for _ in range(4):
        if node is None:
            return None
        if node.tag == "figure" or not _CAPTIONED.isdisjoint((node.get("class") or "").split()):
            for child in _CAPTION_OF(node):
                text = clean(text_content(child))
                if text:
                    return text
            if node.tag == "figure":
                return None  # a figure without a caption
        node = node.getparent()
    return None


def _in_logo(img) -> bool:
    """A bare <img> in a logo wrapper (Zox News's publisher microdata, div.mvp-org-logo, inside the article)."""
    parent = img.getparent()
    return parent is not None and "logo" in (parent.get("class") or "").lower()


def _in_card(img, scope) -> bool:
    """An <img> in an <article> nested in another (below ``scope``): a card of another post
    (Newspack's Homepage Posts block, a related-posts grid) inside the story."""
    articles = 0
    node = img.getparent()
    while node is not None and node is not scope:
        if node.tag == "article":
            articles += 1
            if articles == 2:
                return True
        node = node.getparent()
    return articles == 1 and scope.tag == "article"


def _from_dom(doc: Document, collect: _Collector) -> None:
    scope = article_root(doc)
    for img in scope.iter("img", "amp-img"):
        classes = (img.get("class") or "").lower()
        if any(skip in classes for skip in _SKIP_CLASSES) or _too_small(img) or _in_logo(img) or _in_card(img, scope):
            continue
        src = _src(img)
        if not src or in_excluded(img, doc):
            continue
        collect.add(src, img.get("alt"), _caption(img))


def images(doc: Document, *, dom: bool = True) -> list[Image]:
    collect = _Collector(doc)
    og_images = doc.meta_all("og:image") or doc.meta_all("og:image:url") or doc.meta_all("og:image:secure_url")
    og_alt = doc.meta_first("og:image:alt")
    for index, url in enumerate(og_images):
        collect.add(url, og_alt if index == 0 else None)
    article = doc.article_ld
    if article is not None:
        _from_jsonld(doc, collect, article.get("image"))
    for url in doc.meta_all("twitter:image"):
        collect.add(url, doc.meta_first("twitter:image:alt"))
    if dom:
        _from_dom(doc, collect)
    return collect.images
