"""The normalized article record: the one schema every layer shares.

A record is what one fetch of one page says about an article. Provenance of the
fetch (status, fetch time, crawl id, raw bytes) travels beside it in
``scraper.items.FetchedPage`` and is stored by the archive, not here.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any, Optional

import orjson


# Upper bounds on what one record may hold. A hostile or broken page (a
# 100 kB <title>, 5,000 "sections", a comment flood) must not bloat the archive
# or the exports; anything cut is named in ``problems``. Real articles stay far
# below: the seed article has 1 title of 66 characters and 6 sections.
LIMITS = {
    "title": 1_000, "subtitle": 2_000, "name": 200, "authors": 50, "terms": 200,
    "url": 4_096, "paragraph": 50_000, "sections": 500, "paragraphs": 5_000,
    "takeaways": 200, "comments": 2_000, "comment_text": 20_000, "images": 200,
    "share_links": 100, "form_fields": 100, "body_text": 2_000_000, "date_text": 200,
}


@dataclass
class Section:
    heading: Optional[str]
    level: int
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class FormField:
    name: str
    type: str
    label: Optional[str] = None
    required: bool = False


@dataclass
class CommentForm:
    heading: Optional[str] = None
    action: Optional[str] = None
    method: Optional[str] = None
    notes: Optional[str] = None
    required_marker: Optional[str] = None
    fields: list[FormField] = field(default_factory=list)


@dataclass
class Comment:
    author: Optional[str]
    published_at: Optional[str]
    text: str
    # ``id`` is the page's own comment id (``comment-12``); ``parent`` names the
    # id of the comment replied to, so threads survive export and re-import.
    id: Optional[str] = None
    parent: Optional[str] = None
    # The text the date was read from when the page gave no machine-readable time
    # ("2 days ago", "September 9, 2025 at 10:32 am"); None for a datetime attribute or stamp.
    published_at_raw: Optional[str] = None


@dataclass
class Image:
    url: str
    alt: Optional[str] = None
    caption: Optional[str] = None


@dataclass
class ShareLink:
    network: str
    url: str


@dataclass
class ArticleRecord:
    url: Optional[str] = None
    canonical_url: Optional[str] = None
    # The CMS's own name for the post, which survives a new permalink or slug: its shortlink
    # ("https://site/?p=123", Drupal's "https://site/node/123"), else WordPress's post number
    # ("123", from the postid-123 body class). Not hashed: it names the post, not its content.
    post_id: Optional[str] = None
    site: Optional[str] = None
    site_name: Optional[str] = None
    language: Optional[str] = None
    is_article: bool = False
    title: Optional[str] = None
    subtitle: Optional[str] = None
    authors: list[str] = field(default_factory=list)
    # ISO 8601 in UTC ("2025-09-09T10:30:00Z"), or None; the *_raw field keeps
    # the source text so an unparseable date is never silently lost.
    published_at: Optional[str] = None
    published_at_raw: Optional[str] = None
    modified_at: Optional[str] = None
    modified_at_raw: Optional[str] = None
    reading_time_minutes: Optional[int] = None
    word_count: int = 0
    intro: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    takeaways_heading: Optional[str] = None
    takeaways: list[str] = field(default_factory=list)
    comment_form: Optional[CommentForm] = None
    comments_open: Optional[bool] = None
    comments: list[Comment] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    share_links: list[ShareLink] = field(default_factory=list)
    body_text: str = ""
    # The post's pages 2..N (WordPress's <!--nextpage-->: /story/2/, /story/?page=2), absolute,
    # in order, as page 1's page-links block names them; empty for a one-page story. A crawl
    # fetches them and merges their text into this record (scraper.extract.merge_pages). Not
    # hashed: it says where the text came from, not what it is.
    page_urls: list[str] = field(default_factory=list)
    # Whether the page says anyone may read the article: False for one its site keeps for
    # subscribers (JSON-LD isAccessibleForFree false, article:content_tier locked or metered),
    # whose page may hold only a teaser; None where the page does not say. Not hashed: a site
    # that starts marking every page changes no article's content.
    accessible_for_free: Optional[bool] = None
    # Which path produced the body: "dom" (a WordPress content container) or
    # "fallback" (generic main-content extraction), for auditing the archive.
    extraction: Optional[str] = None
    problems: list[str] = field(default_factory=list)
    content_hash: Optional[str] = None

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ArticleRecord":
        data = dict(data)
        data["sections"] = [Section(**s) for s in data.get("sections") or []]
        form = data.get("comment_form")
        if form:
            form = dict(form)
            form["fields"] = [FormField(**f) for f in form.get("fields") or []]
            data["comment_form"] = CommentForm(**form)
        data["comments"] = [Comment(**c) for c in data.get("comments") or []]
        data["images"] = [Image(**i) for i in data.get("images") or []]
        data["share_links"] = [ShareLink(**s) for s in data.get("share_links") or []]
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in known})


# The fields that make up an article's content. Fetch-dependent values (URLs
# with cache-busters, images, share links, the comment form's markup) are left
# out so that re-fetching an unchanged article yields the same hash; so are the
# dates a page gives only relative to the fetch ("3 weeks ago": counted back from
# each fetch, they move while the page stays the same), and the order of tags and
# categories. Image captions are text a reader sees (a corrected caption is a
# correction), so they are in, without the images' URLs.
HASHED_FIELDS = (
    "title", "subtitle", "authors", "published_at", "intro", "sections",
    "takeaways_heading", "takeaways", "comments", "tags", "categories",
)

# Words that make a date's text relative to the day it is read ("3 days ago",
# "yesterday", "il y a 2 heures", "vor 3 Tagen", "hace 2 días", "2 giorni fa").
RELATIVE_DATE_WORDS = re.compile(
    r"\b(?:ago|today|yesterday|now|hier|aujourd|il y a|vor|hace|fa)\b", re.I
)
_YEAR = re.compile(r"(?<!\d)(?:1[89]|2[01])\d\d(?!\d)")


def fetch_relative(raw: Optional[str]) -> bool:
    """Whether a date read from ``raw`` was counted from the fetch time: relative words
    and no year ("2 weeks ago", "yesterday at 10:32"; not "Sept. 9, 2025, 3 days ago")."""
    return bool(raw) and RELATIVE_DATE_WORDS.search(raw) is not None and _YEAR.search(raw) is None


def _plain(value: Any) -> Any:
    """dataclasses.asdict without its deepcopy of every leaf (the records hold only
    str, int, bool, None, lists and nested dataclasses)."""
    if isinstance(value, list):
        return [_plain(item) for item in value]
    fields_ = getattr(value, "__dataclass_fields__", None)
    if fields_ is not None:
        return {name: _plain(getattr(value, name)) for name in fields_}
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def compute_content_hash(record: ArticleRecord) -> str:
    """sha256 of the hashed fields as compact JSON with sorted keys, in UTF-8: the bytes of
    ``json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))``, which
    made every hash in existing archives. orjson writes the same bytes (json.dumps took 3% of
    a sample page's extraction, 70 times as long); tests/test_record.py holds it to them."""
    content = {name: _flat(getattr(record, name)) for name in HASHED_FIELDS}
    # The rules below leave the bytes of a record they do not apply to as they were, so
    # that archived hashes stay valid; archive.writer re-hashes a stored version when
    # they do (its record_json is the whole record).
    if fetch_relative(record.published_at_raw):
        content["published_at"] = None
    content["tags"] = sorted(record.tags)
    content["categories"] = sorted(record.categories)
    if record.comments:
        content["comments"] = [_hashed_comment(c) for c in record.comments]
    captions = [image.caption for image in record.images if image.caption]
    if captions:
        content["image_captions"] = captions
    return "sha256:" + hashlib.sha256(orjson.dumps(content, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _hashed_comment(comment: Comment) -> dict:
    fields_ = dict(comment.__dict__)
    raw = fields_.pop("published_at_raw", None)
    if fetch_relative(raw):
        fields_["published_at"] = None
    return fields_


def _flat(value: Any) -> Any:
    """A hashed field as orjson should write it: sections and comments as their ``__dict__``
    (flat dataclasses of text, numbers and lists of text), whose keys OPT_SORT_KEYS sorts as
    json.dumps did; orjson's own dataclass output keeps field order (Comment's is not
    sorted). A fifth of :func:`_plain`'s cost on a page with comments."""
    if isinstance(value, list) and value and hasattr(value[0], "__dataclass_fields__"):
        return [getattr(item, "__dict__", item) for item in value]
    return value
