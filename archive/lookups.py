"""Small read-only questions a crawl asks the archive before it fetches anything."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Callable, Iterable, Union

from .check import _reader_uri
from .identity import spellings
from .store import ArchiveStore
from .timestamps import latest

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
    """``{url prefix: {url: (etag, last_modified, article url)}}`` for each of ``url_prefixes``
    (a site's spellings: ``http://example.com/``, ``https://www.example.com/``...): what
    :func:`validators_by_fetched_url` and :func:`validators` answer, the article's own URL
    winning over a fetched one, all read on one connection. The same file handling as
    :func:`validators`; a prefix with nothing archived maps to ``{}``."""
    prefixes = list(dict.fromkeys(url_prefixes))
    if not prefixes or not all(prefixes):
        raise ValueError("site_validators() needs URL prefixes such as 'https://example.com/'")

    def question(conn):
        answer = {}
        for prefix in prefixes:
            found = answer[prefix] = _by_fetched_url(conn, prefix)
            found.update((url, (etag, modified, url)) for url, (etag, modified) in _by_url(conn, prefix).items())
        return answer

    return _ask(db_path_or_store, question) or {prefix: {} for prefix in prefixes}


def archived_pages(db_path_or_store: Union[str, os.PathLike, ArchiveStore], urls: Iterable[str]) -> set[str]:
    """Those of ``urls`` that are the page of an archived article (crawls.articles_at): a
    crawl whose every page was taken down still has archived articles to mark gone. The
    same file handling as :func:`validators`."""
    from .crawls import articles_at

    wanted = list(dict.fromkeys(urls))
    if not wanted:
        return set()
    return _ask(db_path_or_store, lambda conn: {url for url in wanted if articles_at(conn, url)}) or set()


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
