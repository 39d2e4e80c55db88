"""Small read-only questions a crawl (or an import) asks the archive before it stores anything."""
from __future__ import annotations

import json
import os
import sqlite3
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Optional, Union

from scraper.hosts import page_url, split_url
from scraper.record import ArticleRecord

from .check import _reader_uri
from .errors import ArchiveError
from .identity import same_document, spellings
from .rawpages import ENCODING, decompress_page
from .store import ArchiveStore
from .timestamps import instant, latest, time_key

# SQLite allows 999 bound parameters in old builds; stay well below.
_CHUNK = 500


def last_fetched_at(db_path_or_store: Union[str, os.PathLike, ArchiveStore],
                    urls: Iterable[str]) -> dict[str, str]:
    """``{url: last_seen_at}`` (ISO UTC) for those ``urls`` the archive has fetched before,
    also as another spelling of the URL (the other scheme, with or without ``www.``: a site
    that moved to https lists its articles' new URLs in its sitemap and feed).

    URLs the archive has never seen are left out. A missing or empty archive file
    answers ``{}``; the file is opened read-only and never created or changed.
    """
    wanted = list(dict.fromkeys(urls))
    if not wanted:
        return {}
    asked_as: dict[str, list[str]] = {}
    for url in wanted:
        for spelling in spellings(url):
            asked_as.setdefault(spelling, []).append(url)
    found: dict[str, str] = {}
    for spelling, seen in _ask(db_path_or_store, lambda conn: _query(conn, list(asked_as))).items():
        for url in asked_as[spelling]:
            found[url] = latest(found[url], seen) if url in found else seen
    return found


def _query(conn: sqlite3.Connection, urls: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for start in range(0, len(urls), _CHUNK):
        chunk = urls[start:start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        found.update(conn.execute(
            f"SELECT url, last_seen_at FROM articles WHERE url IN ({marks})", chunk).fetchall())
    return found


def validators(db_path_or_store: Union[str, os.PathLike, ArchiveStore],
               url_prefix: str) -> dict[str, tuple]:
    """``{url: (etag, last_modified)}`` for archived articles whose URL starts with ``url_prefix``.

    The HTTP validators of each article's latest fetch, for conditional re-crawls;
    articles fetched without either validator are left out. Ask once per site
    (``url_prefix="https://example.com/"``): the URL index answers a prefix range
    without a table scan. A missing or empty archive answers ``{}``; the file is
    opened read-only and never created or changed.
    """
    if not url_prefix:
        raise ValueError("validators() needs a URL prefix such as 'https://example.com/'")
    return _ask(db_path_or_store, lambda conn: _by_url(conn, url_prefix))


def _by_url(conn: sqlite3.Connection, url_prefix: str) -> dict[str, tuple]:
    # Every string starting with the prefix sorts between the prefix and the prefix + U+10FFFF.
    query = ("SELECT url, etag, last_modified FROM articles WHERE url >= ? AND url < ? "
             "AND (etag IS NOT NULL OR last_modified IS NOT NULL)")
    params = [url_prefix, url_prefix + "\U0010ffff"]
    return {url: (etag, modified) for url, etag, modified in conn.execute(query, params).fetchall()}


def validators_by_fetched_url(db_path_or_store: Union[str, os.PathLike, ArchiveStore],
                              url_prefix: str) -> dict[str, tuple]:
    """``{fetched url: (etag, last_modified, article url)}`` for archived articles whose current
    version was fetched at a URL starting with ``url_prefix`` that is not the article's own
    (a site answering both with and without www. whose canonical links name the other
    one): :func:`validators` misses those, so their re-crawls would always download. The same
    file handling as :func:`validators`; the versions.url index answers the range."""
    if not url_prefix:
        raise ValueError("validators_by_fetched_url() needs a URL prefix such as 'https://example.com/'")
    return _ask(db_path_or_store, lambda conn: _by_fetched_url(conn, url_prefix))


def _by_fetched_url(conn: sqlite3.Connection, url_prefix: str) -> dict[str, tuple]:
    # Joined by article_id (the versions' own column), so the versions.url range drives the
    # query: joined by current_version_id, SQLite scanned every article of the archive.
    query = ("SELECT v.url, a.etag, a.last_modified, a.url FROM versions v "
             "JOIN articles a ON a.id = v.article_id "
             "WHERE v.url >= ? AND v.url < ? AND a.current_version_id = v.id AND v.url != a.url "
             "AND (a.etag IS NOT NULL OR a.last_modified IS NOT NULL)")
    params = [url_prefix, url_prefix + "\U0010ffff"]
    return {fetched: (etag, modified, article) for fetched, etag, modified, article in conn.execute(query, params)}


def site_validators(db_path_or_store: Union[str, os.PathLike, ArchiveStore],
                    url_prefixes: Iterable[str]) -> dict[str, dict[str, tuple]]:
    """``{url prefix: {url: (etag, last_modified, article url, has later pages)}}`` for each of
    ``url_prefixes`` (a site's spellings: ``http://example.com/``, ``https://www.example.com/``...):
    what :func:`validators_by_fetched_url` and :func:`validators` answer, the article's own URL
    winning over a fetched one, all read on one connection; the last item says whether the
    article's current version is a story split over pages (rows in raw_later_pages), whose
    validators speak for its first page only. The same file handling as :func:`validators`; a
    prefix with nothing archived maps to ``{}``."""
    prefixes = list(dict.fromkeys(url_prefixes))
    if not prefixes or not all(prefixes):
        raise ValueError("site_validators() needs URL prefixes such as 'https://example.com/'")

    def question(conn):
        answer = {}
        stories = set().union(*(_stories(conn, prefix) for prefix in prefixes))
        for prefix in prefixes:
            found = _by_fetched_url(conn, prefix)
            found.update((url, (etag, modified, url)) for url, (etag, modified) in _by_url(conn, prefix).items())
            answer[prefix] = {url: (*found_at, found_at[2] in stories) for url, found_at in found.items()}
        return answer

    return _ask(db_path_or_store, question) or {prefix: {} for prefix in prefixes}


def _stories(conn: sqlite3.Connection, url_prefix: str) -> set[str]:
    """The articles under ``url_prefix`` whose current version has later pages (none in an
    archive made before raw_later_pages: the crawl migrates it only once it stores)."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'raw_later_pages'").fetchone():
        return set()
    query = ("SELECT a.url FROM articles a WHERE a.url >= ? AND a.url < ? AND EXISTS "
             "(SELECT 1 FROM raw_later_pages r WHERE r.version_id = a.current_version_id)")
    return {url for (url,) in conn.execute(query, [url_prefix, url_prefix + "\U0010ffff"])}


def archived_pages(db_path_or_store: Union[str, os.PathLike, ArchiveStore], urls: Iterable[str]) -> set[str]:
    """Those of ``urls`` that are the page of an archived article (crawls.articles_at): a
    crawl whose every page was taken down still has archived articles to mark gone. The
    same file handling as :func:`validators`."""
    from .crawls import articles_at

    wanted = list(dict.fromkeys(urls))
    if not wanted:
        return set()
    return _ask(db_path_or_store, lambda conn: {url for url in wanted if articles_at(conn, url)}) or set()


def another_article_at(db_path_or_store: Union[str, os.PathLike, ArchiveStore], asked: str, target: str) -> bool:
    """Whether ``asked`` is the page of an archived article (crawls.articles_at) and ``target``
    the page of another one, not of it: an archived article's page that now redirects there
    sends its reader to another story (a post merged into another, a duplicate unpublished).
    Where ``target`` is no archived article's page (a new URL of the same post: see "moved"
    in archive.writer) or is the article's own, False. The same file handling as :func:`validators`."""
    from .crawls import articles_at

    def question(conn):
        asked_articles = articles_at(conn, asked)
        target_articles = articles_at(conn, target) if asked_articles else set()
        return {"yes": bool(target_articles) and not asked_articles & target_articles}
    return bool(_ask(db_path_or_store, question).get("yes"))


@dataclass(frozen=True)
class StoredCapture:
    """The fetch an archived version was made from: its URL and time, the page as stored, the
    record the archive holds for it, and the WARC record the page came from (if any)."""
    url: str
    fetched_at: str
    record: ArticleRecord
    raw_html: bytes
    compressed_html: Optional[bytes]   # raw_pages.content when gzip: what store() would compress
    content_type: Optional[str]
    warc_file: Optional[str]
    warc_offset: Optional[int]
    http_status: Optional[int] = 200


def current_capture(db_path_or_store: Union[str, os.PathLike, ArchiveStore],
                    article_url: str) -> Optional[StoredCapture]:
    """The fetch archived article ``article_url``'s current version was made from (its page 1
    for a story split over pages); None if the article is not archived or its page cannot be
    read. The same file handling as :func:`validators`."""
    def question(conn):
        row = conn.execute("SELECT current_version_id FROM articles WHERE url = ?", [article_url]).fetchone()
        return _stored(conn, row[0]) if row is not None and row[0] is not None else None

    return _ask(db_path_or_store, question) or None


def stored_capture(db_path_or_store: Union[str, os.PathLike, ArchiveStore], url: str,
                   fetched_at: Optional[str] = None,
                   page_matches: Optional[Callable[[bytes], Optional[bool]]] = None) -> Optional[StoredCapture]:
    """The archived version fetched from the page ``url`` (or its spelling with the other
    scheme, with or without www. or a trailing slash) at the moment ``fetched_at``, else the
    newest one whose stored page ``page_matches`` says True of (a WARC revisit's payload
    digest); None if none is. Only what identifies a fetch is taken for it: the page
    and its time, or its very bytes. The versions.url index answers; stored pages are read
    only for the digest, newest first. The same file handling as :func:`validators`."""
    names = _page_spellings(url)
    moment = instant(fetched_at) if fetched_at else None
    if not names or (moment is None and page_matches is None):
        return None

    def question(conn):
        marks = ", ".join("?" * len(names))
        fetches = sorted(((time_key(when), version_id) for version_id, fetched, when in conn.execute(
            f"SELECT id, url, fetched_at FROM versions WHERE url IN ({marks})", names).fetchall()
            if same_document(fetched, url)), reverse=True)
        if moment is not None:
            for key, version_id in fetches:
                if key == (1, moment):
                    return _stored(conn, version_id)
        if page_matches is not None:
            for _, version_id in fetches:
                found = _stored(conn, version_id)
                if found is not None and page_matches(found.raw_html) is True:
                    return found
        return None

    return _ask(db_path_or_store, question) or None


def _page_spellings(url: str) -> list[str]:
    """The page ``url`` as versions.url may hold it: spellings() with and without a trailing slash."""
    names = spellings(page_url(url.strip()))
    for name in list(names):
        parts = split_url(name)
        if parts is None or parts.query or parts.path in ("", "/"):
            continue
        names.append(name[:-1] if name.endswith("/") else name + "/")
    return list(dict.fromkeys(names))


_STORED_SQL = ("SELECT v.url, v.fetched_at, v.record_json, v.warc_file, v.warc_offset, "
               "r.content, r.encoding, r.content_type, v.http_status "
               "FROM versions v JOIN raw_pages r ON r.version_id = v.id WHERE v.id = ?")


def _stored(conn: sqlite3.Connection, version_id: int) -> Optional[StoredCapture]:
    row = conn.execute(_STORED_SQL, [version_id]).fetchone()
    if row is None:
        return None
    fetched, fetched_at, record_json, warc_file, warc_offset, content, encoding, content_type, status = row
    try:
        record = ArticleRecord.from_dict(json.loads(record_json))
        raw_html = decompress_page(content, encoding)
    except (ValueError, TypeError, OSError, EOFError, zlib.error, ArchiveError):
        return None  # written by hand, by a future version, or damaged: not taken for the fetch
    return StoredCapture(fetched, fetched_at, record, raw_html,
                         bytes(content) if encoding == ENCODING else None, content_type,
                         warc_file, warc_offset, status)


def _ask(db_path_or_store: Union[str, os.PathLike, ArchiveStore], question: Callable) -> dict:
    """``question(connection)`` on an open store, or on the file opened read-only;
    ``{}`` for a missing or empty file, or one without articles yet."""
    if isinstance(db_path_or_store, ArchiveStore):
        return question(db_path_or_store.db.conn)
    path = Path(db_path_or_store)
    if not path.is_file() or path.stat().st_size == 0:
        return {}
    with path.open("rb") as f:
        header = f.read(100)
    conn = sqlite3.connect(_reader_uri(path, header), uri=True, timeout=30)
    try:
        has_articles = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'articles'").fetchone()
        return question(conn) if has_articles else {}
    finally:
        conn.close()
