"""One archived article as a reader would read it, and what changed between two of its versions.

Everything is rebuilt from ``versions.record_json``, the exact record, so the
text shows what the page said, not what the query tables flatten it to.
"""
from __future__ import annotations

import difflib
import json
import textwrap
from dataclasses import dataclass
from typing import Optional

from sqlite_utils import Database

from scraper.record import ArticleRecord, Comment

from .crawls import GONE_STATUSES, META_REFRESH_HOME, REDIRECTS_TO_ARTICLE, SOFT_404, takedown_reason
from .errors import ArchiveError
from .readonly import BadRequest, NotFound
from .reading import ArticleRef, check_number, find_article_id, gone_columns, paywalled_column
from .timestamps import time_key

WIDTH = 78


@dataclass(frozen=True)
class ArticleVersion:
    """One stored version of an article, with where it sits in the article's history."""
    article_id: int
    url: str
    version_no: int
    version_count: int
    fetched_at: str
    record: ArticleRecord
    gone_at: Optional[str] = None      # the article's page answered 404/410 since (schema 4)
    gone_status: Optional[int] = None
    gone_reason: Optional[str] = None  # its failure row's, where the status does not say it (200, 3xx)
    paywalled_at: Optional[str] = None  # the article's page serves only a teaser since (schema 7)
    current: bool = True               # the article's current version

    def paywall_lines(self) -> list[str]:
        """What the reader should know of a paywall, of the version shown: for the current
        version, that the page serves only a teaser now and the archive kept the whole text
        (articles.paywalled_at); else, or without that mark, that this version's page said it
        is for subscribers only (the record's accessible_for_free), so it may be a teaser.
        (The mark says nothing of an older version: `show --version 1` printed "since ... the
        page serves a teaser" over a version 1 that was itself the teaser.)"""
        if self.paywalled_at and self.current:
            return [f"{PAYWALLED_SINCE} {self.paywalled_at[:10]} the page serves a teaser; "
                    f"this is the full text captured on {self.fetched_at[:10]}"]
        if self.record.accessible_for_free is False:
            return ["Paywalled: the page marks the article for subscribers only; this may be only "
                    "the teaser it served"]
        return []


PAYWALLED_SINCE = "Paywalled: since"


def load_version(db: Database, ref: ArticleRef, version: Optional[int] = None) -> ArticleVersion:
    """Version ``version`` (a version_no; default: the current one) of the article named by URL or id."""
    try:
        article_id = find_article_id(db, ref)
    except BadRequest:
        raise
    except ArchiveError as exc:
        raise NotFound(str(exc)) from None
    url, current_id, count, gone_at, gone_status, paywalled_at = db.execute(
        f"SELECT url, current_version_id, version_count, {gone_columns(db)}, {paywalled_column(db)} "
        "FROM articles WHERE id = ?", [article_id]).fetchone()
    if version is None:
        row = db.execute("SELECT id, version_no, fetched_at, record_json FROM versions WHERE id = ?",
                         [current_id]).fetchone()
    else:
        row = db.execute("SELECT id, version_no, fetched_at, record_json FROM versions "
                         "WHERE article_id = ? AND version_no = ?",
                         [article_id, check_number(version, "a version number")]).fetchone()
    if row is None:
        raise NotFound(f"{url} has no version {version} (it has {count} version{'s' * (count != 1)})")
    version_id, version_no, fetched_at, record_json = row
    gone_reason = (takedown_reason(db, article_id, gone_at, gone_status)
                   if gone_at and gone_status not in GONE_STATUSES else None)
    return ArticleVersion(article_id, url, version_no, count, fetched_at,
                          ArticleRecord.from_dict(json.loads(record_json)), gone_at, gone_status,
                          gone_reason, paywalled_at, version_id == current_id)


def render_article(version: ArticleVersion, width: int = WIDTH) -> str:
    """The article as plain text: headline, standfirst, byline, body, takeaways, comments."""
    r = version.record
    out: list[str] = []
    title = r.title or "(untitled)"
    out += [title, "=" * min(len(title), width)]
    if r.subtitle:
        out += _wrap(r.subtitle, width)
    out.append("")
    out.append(" · ".join(_byline(r)))
    out.append(f"{r.site_name or r.site or ''} {r.canonical_url or r.url or version.url}".strip())
    out.append(f"Version {version.version_no} of {version.version_count}, fetched {version.fetched_at}")
    if version.gone_at:
        if version.gone_status in GONE_STATUSES:
            out.append(f"Gone: its page answered HTTP {version.gone_status} on {version.gone_at}")
        elif version.gone_reason == SOFT_404:
            out.append(f"Gone: its page answered HTTP 200 with the site's 'not found' page (soft 404) "
                       f"on {version.gone_at}")
        elif version.gone_reason and version.gone_reason.startswith(REDIRECTS_TO_ARTICLE):
            how = "meta refresh" if version.gone_status == META_REFRESH_HOME else f"HTTP {version.gone_status}"
            out.append(f"Gone: its page redirected to another archived article, "
                       f"{version.gone_reason[len(REDIRECTS_TO_ARTICLE):]} ({how}), on {version.gone_at}")
        elif version.gone_status == META_REFRESH_HOME:
            out.append(f"Gone: its page redirected to the home page (meta refresh) on {version.gone_at}")
        else:  # a redirect to the home page (spiders.base._redirected_home)
            out.append(f"Gone: its page redirected to the home page (HTTP {version.gone_status}) on {version.gone_at}")
    out += version.paywall_lines()
    for paragraph in r.intro:
        out += [""] + _wrap(paragraph, width)
    for section in r.sections:
        if section.heading:
            out += ["", f"{'#' * max(section.level, 1)} {section.heading}"]
        for paragraph in section.paragraphs:
            out += [""] + _wrap(paragraph, width)
    if r.takeaways:
        out += ["", r.takeaways_heading or "Key Takeaways"]
        for takeaway in r.takeaways:
            out += _wrap(takeaway, width, first="  • ", rest="    ")
    terms = [f"{label}: {'; '.join(names)}" for label, names in
             (("Categories", r.categories), ("Tags", r.tags)) if names]
    if terms:
        out += [""] + terms
    out += ["", *_comments(r, width)]
    return "\n".join(out).rstrip() + "\n"


def _byline(r: ArticleRecord) -> list[str]:
    parts = []
    if r.authors:
        parts.append("By " + _and(r.authors))
    parts.append(f"Published {_when(r.published_at) or r.published_at_raw or 'date unknown'}")
    if r.modified_at and r.modified_at != r.published_at:
        parts.append(f"Updated {_when(r.modified_at)}")
    if r.reading_time_minutes:
        parts.append(f"{r.reading_time_minutes} min read")
    return parts


def _comments(r: ArticleRecord, width: int) -> list[str]:
    if not r.comments:
        return ["Comments are closed." if r.comments_open is False else "No comments."]
    lines = [f"Comments ({len(r.comments)})"]
    depths = _comment_depths(r.comments)
    for comment, depth in zip(r.comments, depths):
        indent = "    " * depth
        arrow = "↳ " if depth else ""
        lines.append("")
        lines.append(f"{indent}{arrow}{comment.author or 'Anonymous'} · {_when(comment.published_at) or 'undated'}")
        for paragraph in (comment.text or "").split("\n\n"):
            lines += _wrap(paragraph, width, first=indent + "  ", rest=indent + "  ")
    return lines


def _comment_depths(comments: list[Comment]) -> list[int]:
    """Reply depth of each comment (0 = top level), following ``parent`` ids in page order."""
    depth_of: dict[str, int] = {}
    depths = []
    for comment in comments:
        depth = depth_of[comment.parent] + 1 if comment.parent in depth_of else 0
        if comment.id:
            depth_of[comment.id] = depth
        depths.append(depth)
    return depths


def _wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    return textwrap.wrap(text, width, initial_indent=first, subsequent_indent=rest) or [first.rstrip()]


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _when(iso: Optional[str]) -> Optional[str]:
    """'2025-09-09T09:42:17Z' -> '2025-09-09 09:42 UTC'."""
    if not iso:
        return None
    return iso.replace("T", " ")[:16] + " UTC" if iso.endswith("Z") and len(iso) >= 16 else iso


# -- what changed --------------------------------------------------------------

# Content fields a reader notices, in the order the summary lists them.
COMPARED_FIELDS = ("title", "subtitle", "authors", "published_at", "modified_at",
                   "reading_time_minutes", "word_count", "intro", "sections",
                   "takeaways_heading", "takeaways", "comments_open", "comments",
                   "tags", "categories", "images", "accessible_for_free")


def parse_version_range(spec: Optional[str], version_count: int) -> tuple[int, int]:
    """``None`` (the last two versions by number) or ``"A..B"`` -> (A, B)."""
    if spec is None:
        if version_count < 2:
            raise NotFound("the article has only one version: nothing to compare")
        return version_count - 1, version_count
    first, sep, second = spec.partition("..")
    if not sep or not first.strip().isdecimal() or not second.strip().isdecimal():
        raise BadRequest(f"--diff takes two version numbers as A..B (e.g. 1..3), not {spec!r}")
    return check_number(int(first), "a version number"), check_number(int(second), "a version number")


def changed_fields(old: ArticleRecord, new: ArticleRecord) -> list[str]:
    """One line per compared field that differs: scalars as old -> new, lists by length."""
    before, after = old.to_dict(), new.to_dict()
    lines = []
    for name in COMPARED_FIELDS:
        a, b = before.get(name), after.get(name)
        if a == b:
            continue
        if isinstance(a, list) or isinstance(b, list):
            lines.append(f"{name}: changed ({len(a or [])} -> {len(b or [])} items)")
        else:
            lines.append(f"{name}: {a!r} -> {b!r}")
    return lines


def diff_versions(db: Database, ref: ArticleRef, spec: Optional[str] = None, width: int = WIDTH) -> str:
    """A summary of the changed fields, then a unified diff of the two versions as rendered text."""
    current = load_version(db, ref)
    first_no, second_no = (parse_version_range(spec, current.version_count) if spec is not None
                           else last_two(db, current.article_id))
    old, new = load_version(db, current.article_id, first_no), load_version(db, current.article_id, second_no)
    summary = changed_fields(old.record, new.record)
    header = [f"{current.url}: version {first_no} ({old.fetched_at}) -> version {second_no} ({new.fetched_at})"]
    if not summary:
        return "\n".join(header + ["no content changes"]) + "\n"
    diff = difflib.unified_diff(
        _body_lines(old, width), _body_lines(new, width),
        fromfile=f"version {first_no}", tofile=f"version {second_no}", lineterm="")
    return "\n".join(header + ["changed: " + line for line in summary] + ["", *diff]) + "\n"


def last_two(db: Database, article_id: int) -> tuple[int, int]:
    """The version numbers of the article's last two versions by fetch time: the one before the
    current one, and the current one. Numbers follow archive order, which an old capture
    imported late does not keep to, so the last two numbers can be any two versions."""
    versions = sorted(db.execute("SELECT id, version_no, fetched_at FROM versions WHERE article_id = ?",
                                 [article_id]).fetchall(), key=lambda v: (time_key(v[2]), v[0]))
    if len(versions) < 2:
        raise NotFound("the article has only one version: nothing to compare")
    return versions[-2][1], versions[-1][1]


def _body_lines(version: ArticleVersion, width: int) -> list[str]:
    # The "Version N of M, fetched ..." line always differs, and the article's paywall line
    # differs between its current version and the others; leave them out of the diff.
    return [line for line in render_article(version, width).splitlines()
            if not line.startswith((f"Version {version.version_no} of ", PAYWALLED_SINCE))]

