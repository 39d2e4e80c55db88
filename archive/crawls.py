"""Crawl bookkeeping: one ``crawls`` row per run, one ``crawl_failures`` row per lost page."""
from __future__ import annotations

import json
from typing import Any, Optional

from sqlite_utils import Database

from scraper.hosts import page_url

from .errors import ArchiveError
from .filenames import file_name_text
from .identity import same_document, spellings
from .schema import COUNT_COLUMNS
from .timestamps import utc_now
from .transaction import write_transaction


def begin_crawl(db: Database, spider: str, start_url: Optional[str], args: Optional[dict]) -> int:
    if not isinstance(spider, str) or not spider.strip():
        raise ArchiveError("a crawl needs the spider's name")
    if args is not None and not isinstance(args, dict):
        raise ArchiveError(f"crawl args must be a dict, not {type(args).__name__}")
    return db.table("crawls").insert({
        "started_at": utc_now(),
        "spider": spider,
        "start_url": start_url and file_name_text(start_url),
        "args": json.dumps(_as_text(args or {}), ensure_ascii=False, sort_keys=True, default=str),
        "status": "running",
    }).last_pk


def _as_text(value: Any) -> Any:
    """``value`` with each string in it (a crawl's arguments: the files imported, a URLs file)
    as text SQLite can hold, file_name_text."""
    if isinstance(value, str):
        return file_name_text(value)
    if isinstance(value, dict):
        return {key: _as_text(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_as_text(item) for item in value]
    return value


def finish_crawl(db: Database, crawl_id: int, status: str, counts: Optional[dict]) -> None:
    if not isinstance(status, str) or not status.strip():
        raise ArchiveError("finish_crawl needs a status such as 'finished'")
    counts = dict(counts or {})
    unknown = sorted(set(counts) - set(COUNT_COLUMNS))
    if unknown:
        raise ArchiveError(
            f"unknown crawl counts {', '.join(unknown)} (known: {', '.join(COUNT_COLUMNS)})")
    for name, value in counts.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ArchiveError(f"crawl count {name} must be a whole number >= 0, not {value!r}")
    with write_transaction(db):
        _require_crawl(db, crawl_id)
        db.table("crawls").update(crawl_id, {"finished_at": utc_now(), "status": status, **counts})


def record_failure(db: Database, crawl_id: Optional[int], url: str, reason: str,
                   http_status: Optional[int] = None, *, gone: Optional[bool] = None) -> int:
    """Add a crawl_failures row and count it in crawls.failures; returns the row id. ``gone``
    (by default: the status is 404 or 410) says the page was taken down: the articles
    fetched from ``url`` are marked gone with ``http_status``."""
    if not url or not reason:
        raise ArchiveError("a failure needs the url and a reason")
    failed_at = utc_now()
    with write_transaction(db):
        if gone or (gone is None and http_status in GONE_STATUSES):
            mark_gone(db, url, http_status, failed_at)
        return _insert_failure(db, crawl_id, url, reason, http_status, failed_at)


def record_takedown(db: Database, crawl_id: Optional[int], url: str, reason: str,
                    http_status: int, at: str) -> int:
    """A capture of the page ``url`` answering ``http_status`` at ``at`` (a 404, 410 or redirect
    home in a WARC file): its articles are marked gone (mark_gone) and, when it was about any,
    a failure row is written as a crawl's failure writes one, with ``reason`` (the crawl's
    text: "HTTP 404", "redirects to the home page") and the capture's time: a researcher's
    failed pages include the takedowns imported. Importing the same capture again (the same
    URL, status and time, under an earlier import) adds no row. Returns mark_gone's count."""
    if not url or not reason:
        raise ArchiveError("a failure needs the url and a reason")
    with write_transaction(db):
        marked = mark_gone(db, url, http_status, at)
        if marked and not _imported_before(db, url, http_status, at):
            _insert_failure(db, crawl_id, url, reason, http_status, at)
    return marked


def _insert_failure(db: Database, crawl_id: Optional[int], url: str, reason: str,
                    http_status: Optional[int], failed_at: str) -> int:
    if crawl_id is not None:
        _require_crawl(db, crawl_id)
        db.execute("UPDATE crawls SET failures = failures + 1 WHERE id = ?", [crawl_id])
    return db.table("crawl_failures").insert({
        # a file's name, when the failure is a file's (a WARC record without a URL, a URLs file)
        "crawl_id": crawl_id, "url": file_name_text(url), "reason": file_name_text(reason),
        "http_status": http_status, "failed_at": failed_at,
    }).last_pk


# An import's crawls row (scraper.warc_import.SPIDER).
IMPORT_SPIDER = "import-warc"


def _imported_before(db: Database, url: str, http_status: int, at: str) -> bool:
    """Whether an import already wrote the failure row of this capture. The crawl_id index
    answers, over the failures of imports only (a crawl's failed_at is its own clock)."""
    return db.execute(
        "SELECT 1 FROM crawl_failures WHERE crawl_id IN (SELECT id FROM crawls WHERE spider = ?) "
        "AND url = ? AND http_status = ? AND failed_at = ? LIMIT 1",
        [IMPORT_SPIDER, url, http_status, at]).fetchone() is not None


# What a server answers for a page it took down: the archive notes it on the article.
GONE_STATUSES = (404, 410)
# The gone_status of an article whose page sent it to the home page with a meta refresh
# (`<meta http-equiv="refresh" content="0; url=/">`): the page itself answered 200. A 3xx
# sent home keeps its own status (301, 302, ...).
META_REFRESH_HOME = 200
# The reason of the failure row, and so of the takedown, of a page that answered 200 with the
# site's own "not found" page (spiders.base._not_found_page): its gone_status is that 200 too.
SOFT_404 = "a 'not found' page (soft 404)"
# The start of the reason of a page redirected to another archived article's page (the URL
# follows; scraper.middlewares.RedirectedToArticleError): its gone_status is the redirect's
# 3xx, or 200 for a meta refresh.
REDIRECTS_TO_ARTICLE = "redirects to another archived article: "
# The SET clauses that unmark an article found again by a fetch at :fetched_at after the 404/410
# (not a re-parse or an old capture from before it), for every update after a fetch.
FOUND_AGAIN_SQL = ("gone_status = CASE WHEN gone_at <= :fetched_at THEN NULL ELSE gone_status END, "
                   "gone_at = CASE WHEN gone_at <= :fetched_at THEN NULL ELSE gone_at END")


def mark_gone(db: Database, url: str, http_status: int, failed_at: str) -> int:
    """The page of archived articles answered 404/410 (or was sent to the home page) at
    ``failed_at``: each article whose page ``url`` is (articles_at) and that was last seen
    no later gets gone_at, the first such answer since it was last seen, and gone_status,
    the latest. Returns how many articles that answer was about (marked now or before)."""
    marked = 0
    for article_id in sorted(articles_at(db, url)):
        marked += db.execute("UPDATE articles SET gone_at = coalesce(gone_at, :at), gone_status = :status "
                             "WHERE id = :id AND last_seen_at <= :at",
                             {"at": failed_at, "status": http_status, "id": article_id}).rowcount
    return marked


def takedown_reason(db: Database, article_id: int, gone_at: str, gone_status: int) -> Optional[str]:
    """The reason of the failure row that gave the article its ``gone_status`` (the latest
    such row at one of its pages since ``gone_at``, as mark_gone keeps the latest status), for
    a status that does not say it alone: a 200 is a meta refresh or a soft 404, a 3xx a
    redirect home or to another article. None when no row is found. Only rows at a URL the
    article has (its own, those its versions were fetched from, in any spelling) are read: a
    nightly crawl's other failures with that status may be thousands."""
    pages = db.execute("SELECT url FROM articles WHERE id = :id UNION SELECT url FROM versions "
                       "WHERE article_id = :id", {"id": article_id}).fetchall()
    names = list(dict.fromkeys(name for (url,) in pages for name in spellings(page_url(url))))
    for url, reason in db.execute(
            f"SELECT url, reason FROM crawl_failures WHERE url IN ({', '.join('?' * len(names))}) "
            "AND http_status = ? AND failed_at >= ? ORDER BY failed_at DESC, id DESC",
            [*names, gone_status, gone_at]):
        if article_id in articles_at(db, url):
            return reason
    return None


def articles_at(db: Database, url: str) -> set[int]:
    """The ids of the articles whose page is ``url`` (or its spelling with the other scheme,
    with or without www., or with tracking parameters): those archived under it that were
    fetched from it, and those whose current version was fetched from it. Not the URL a
    canonical link names alone (one the site never served answering 404 says nothing of the
    page that named it), nor a copy an article was once started from (/print/story/ gone
    while /story/ is there)."""
    names = spellings(page_url(url))
    marks = ", ".join("?" * len(names))
    found = {row[0] for row in db.execute(
        f"SELECT a.id FROM versions v JOIN articles a ON a.current_version_id = v.id WHERE v.url IN ({marks})",
        names).fetchall()}
    for (article_id,) in db.execute(f"SELECT id FROM articles WHERE url IN ({marks})", names).fetchall():
        if article_id not in found and any(same_document(fetched, url) for (fetched,) in db.execute(
                "SELECT DISTINCT url FROM versions WHERE article_id = ?", [article_id]).fetchall()):
            found.add(article_id)  # fetched from its own URL, say with ?ref=home
    return found


def get_crawl(db: Database, crawl_id: int) -> dict[str, Any]:
    """The crawls row as a dict, with ``args`` decoded from JSON."""
    row = next(db.query("SELECT * FROM crawls WHERE id = ?", [crawl_id]), None)
    if row is None:
        raise ArchiveError(f"there is no crawl {crawl_id}")
    row["args"] = json.loads(row["args"]) if row["args"] else {}
    return row


def crawl_failures(db: Database, crawl_id: int) -> list[dict[str, Any]]:
    get_crawl(db, crawl_id)
    return list(db.query(
        "SELECT url, reason, http_status, failed_at FROM crawl_failures "
        "WHERE crawl_id = ? ORDER BY id", [crawl_id]))


def _require_crawl(db: Database, crawl_id: int) -> None:
    if not db.execute("SELECT 1 FROM crawls WHERE id = ?", [crawl_id]).fetchone():
        raise ArchiveError(f"there is no crawl {crawl_id}")


def mark_interrupted(db: Database, job: str, current_crawl_id: int) -> list[int]:
    """Close the 'running' rows of earlier runs of ``job``, which were killed; returns their ids."""
    with write_transaction(db):
        stale = [row[0] for row in db.execute(
            "SELECT id FROM crawls WHERE status = 'running' AND id < ? "
            "AND json_extract(args, '$.job') = ?", [current_crawl_id, job]).fetchall()]
        for crawl_id in stale:
            _close_killed(db, crawl_id)
    return stale


def close_killed_scheduled_crawl(db: Database, schedule: str, after_id: int, url: str,
                                 reason: str) -> Optional[int]:
    """The crawls row a run of ``schedule`` began (one above ``after_id``, still 'running')
    when its crawl process ended without closing it (killed outright: SIGKILL, the OOM
    killer, a crash), closed with a failure row saying ``reason``; returns its id, or None
    when the crawl archived nothing (it began no row). The lock of a schedule lets one
    crawl of it run at a time, so the row is that crawl's."""
    with write_transaction(db):
        row = db.execute(
            "SELECT id FROM crawls WHERE status = 'running' AND id > ? "
            "AND json_extract(args, '$.schedule') = ? ORDER BY id DESC LIMIT 1", [after_id, schedule]).fetchone()
        if row is None:
            return None
        _close_killed(db, row[0])
        _insert_failure(db, row[0], url, reason, None, utc_now())
    return row[0]


def _close_killed(db: Database, crawl_id: int) -> None:
    """A crawl killed before it closed its row: its counts were never written (finish_crawl did
    not run), so the version counts are rebuilt from the versions it added; finished_at stays
    NULL."""
    db.execute(
        "UPDATE crawls SET status = 'interrupted', "
        "articles_new = (SELECT count(*) FROM versions WHERE crawl_id = :id AND version_no = 1), "
        "articles_changed = (SELECT count(*) FROM versions WHERE crawl_id = :id AND version_no > 1) "
        "WHERE id = :id", {"id": crawl_id})
