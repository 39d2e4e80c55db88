"""An ArticleRecord spelled out as rows of the archive's tables (no database access here)."""
from __future__ import annotations

import json
from typing import Any, Iterable, Optional

from scraper.record import ArticleRecord


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def version_row(record: ArticleRecord, *, article_id: int, version_no: int,
                crawl_id: Optional[int], fetched_at: str, http_status: Optional[int]) -> dict:
    data = record.to_dict()
    return {
        "article_id": article_id,
        "version_no": version_no,
        "crawl_id": crawl_id,
        "fetched_at": fetched_at,
        "http_status": http_status,
        "content_hash": record.content_hash,
        "url": record.url,
        "canonical_url": record.canonical_url,
        "site": record.site,
        "site_name": record.site_name,
        "language": record.language,
        "is_article": int(bool(record.is_article)),
        "title": record.title,
        "subtitle": record.subtitle,
        "published_at": record.published_at,
        "published_at_raw": record.published_at_raw,
        "modified_at": record.modified_at,
        "modified_at_raw": record.modified_at_raw,
        "reading_time_minutes": record.reading_time_minutes,
        "word_count": record.word_count,
        "intro": to_json(data["intro"]),
        "takeaways_heading": record.takeaways_heading,
        "comments_open": None if record.comments_open is None else int(bool(record.comments_open)),
        "body_text": record.body_text,
        "images": to_json(data["images"]),
        "share_links": to_json(data["share_links"]),
        "problems": to_json(data["problems"]),
        "extraction": record.extraction,
        "record_json": to_json(data),
    }


def section_rows(version_id: int, record: ArticleRecord) -> list[dict]:
    return [
        {
            "version_id": version_id,
            "position": position,
            "heading": section.heading,
            "level": section.level,
            "paragraphs": to_json(list(section.paragraphs)),
            "text": "\n\n".join(section.paragraphs),
        }
        for position, section in enumerate(record.sections)
    ]


def takeaway_rows(version_id: int, record: ArticleRecord) -> list[dict]:
    return [{"version_id": version_id, "position": position, "text": text}
            for position, text in enumerate(record.takeaways)]


def comment_form_row(version_id: int, record: ArticleRecord) -> Optional[dict]:
    form = record.comment_form
    if form is None:
        return None
    return {
        "version_id": version_id,
        "heading": form.heading,
        "action": form.action,
        "method": form.method,
        "notes": form.notes,
        "required_marker": form.required_marker,
    }


def comment_form_field_rows(version_id: int, record: ArticleRecord) -> list[dict]:
    if record.comment_form is None:
        return []
    return [
        {
            "version_id": version_id,
            "position": position,
            "name": f.name,
            "type": f.type,
            "label": f.label,
            "required": int(bool(f.required)),
        }
        for position, f in enumerate(record.comment_form.fields)
    ]


def comment_rows(version_id: int, record: ArticleRecord) -> list[dict]:
    return [
        {
            "version_id": version_id,
            "position": position,
            "comment_id": c.id,
            "parent_id": c.parent,
            "author": c.author,
            "published_at": c.published_at,
            "text": c.text,
        }
        for position, c in enumerate(record.comments)
    ]


def distinct_names(names: Iterable[Optional[str]]) -> list[str]:
    """Names in first-seen order, blanks and repeats dropped (for the link tables)."""
    seen: dict[str, None] = {}
    for name in names:
        name = (name or "").strip()
        if name and name not in seen:
            seen[name] = None
    return list(seen)
