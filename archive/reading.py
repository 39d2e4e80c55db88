"""Reading articles back: by URL or id, any version, the raw page, the newest ones."""
from __future__ import annotations

import json
import re
from typing import Any, Optional, Union
from urllib.parse import parse_qsl, urlunsplit

from sqlite_utils import Database
from w3lib.url import safe_url_string

from scraper.hosts import normalized_url, page_url, site_of, split_url
from scraper.record import ArticleRecord

from .errors import ArchiveError
from .identity import post_key, spellings
from .rawpages import decompress_page
from .readonly import BadRequest

ArticleRef = Union[str, int]
# The largest whole number SQLite stores: no id, version number or limit can be larger.
SQLITE_MAX_INT = 2**63 - 1


def check_number(value: int, what: str) -> int:
    """Refuse (BadRequest) an id or version number SQLite could not even be asked about."""
    if abs(value) > SQLITE_MAX_INT:
        raise BadRequest(f"{what} is a whole number up to {SQLITE_MAX_INT}, not {value}")
    return value


def find_article_id(db: Database, url_or_id: ArticleRef) -> int:
    """The articles.id for an id, an article URL, or any URL a version was fetched at; a URL
    as a browser shows it also finds its article (with tracking parameters or a fragment,
    unencoded characters, the other scheme or none, with or without www. or a trailing slash),
    and so does the shortlink its page names (WordPress's ``https://site/?p=123``)."""
    if isinstance(url_or_id, int) and not isinstance(url_or_id, bool):
        check_number(url_or_id, "an article id")
        if db.execute("SELECT 1 FROM articles WHERE id = ?", [url_or_id]).fetchone():
            return url_or_id
        raise ArchiveError(f"there is no article with id {url_or_id}")
    if not isinstance(url_or_id, str) or not url_or_id.strip():
        raise ArchiveError(f"an article is named by its URL or id, not {url_or_id!r}")
    ref = url_or_id.strip()
    row = db.execute("SELECT id FROM articles WHERE url = ?", [ref]).fetchone()
    if row is None:
        row = db.execute("SELECT article_id FROM versions WHERE url = ? ORDER BY id DESC LIMIT 1", [ref]).fetchone()
    if row is None and ref.isdecimal():
        row = db.execute("SELECT id FROM articles WHERE id = ?", [check_number(int(ref), "an article id")]).fetchone()
    if row is None:
        row = _by_spelling(db, url_spellings(ref))
    if row is None:
        row = _by_post_id(db, ref)
    if row is None:
        # canonical_url has no index: a scan, only when nothing else answered
        row = db.execute("SELECT article_id FROM versions WHERE canonical_url = ? ORDER BY id DESC LIMIT 1",
                         [ref]).fetchone()
    if row is None:
        raise ArchiveError(f"there is no article {ref} in the archive")
    return row[0]


def _by_spelling(db: Database, spellings: list[str]) -> Optional[tuple]:
    """The article archived under, or else fetched at, the first of ``spellings`` that has one."""
    if not spellings:
        return None
    marks = ", ".join("?" * len(spellings))
    for query in (f"SELECT url, id FROM articles WHERE url IN ({marks})",
                  f"SELECT url, article_id FROM versions WHERE url IN ({marks}) ORDER BY id DESC"):
        found = dict(reversed(db.execute(query, spellings).fetchall()))  # the newest per URL wins
        for spelling in spellings:
            if spelling in found:
                return (found[spelling],)
    return None


def _by_post_id(db: Database, ref: str) -> Optional[tuple]:
    """The article of ``ref``'s site whose page names ``ref`` as its post (articles.post_id,
    from the article's latest fetch; schema version 6): its shortlink, or for WordPress's
    ``?p=123`` (``?page_id=123``) also its ``postid-123``. The newest seen of several wins."""
    url = as_url(ref)
    site = site_of(url) if url else None
    if site is None:
        return None
    if "post_id" not in article_column_names(db):
        return None  # an archive from before schema 6, which read commands open as it is
    keys = post_keys(url)
    marks = ", ".join("?" * len(keys))
    found = dict(reversed(db.execute(  # indexed by (site, post_id): a few rows at most
        f"SELECT post_id, id FROM articles WHERE site = ? AND post_id IN ({marks}) "
        "ORDER BY last_seen_at DESC, id DESC", [site, *keys]).fetchall()))
    return next(((found[key],) for key in keys if key in found), None)


# WordPress's query for one post (its shortlink, ?p=123) or page (?page_id=123), answered at
# the install's home: the root, a directory (/blog/) or its index.php.
_POST_QUERY = ("p", "page_id")
_INDEX_PHP = "index.php"


def post_keys(url: str) -> list[str]:
    """What articles.post_id holds for a page whose shortlink is ``url`` (identity.post_key),
    most alike first: ``url`` itself, without tracking parameters or a fragment; for WordPress's
    ``/?p=123`` or ``/?page_id=123`` also the shortlink WordPress writes, ``site/?p=123``, and,
    on the site's root, the bare post number its body class gives (``postid-123``)."""
    page = normalized_url(page_url(url))
    keys = [post_key(page)]
    parts = split_url(page)
    number = next((value for name, value in parse_qsl(parts.query) if name in _POST_QUERY
                   and value.isascii() and value.isdecimal()), None) if parts is not None else None
    if number is not None:
        number = str(int(number))
        home = parts.path.removesuffix(_INDEX_PHP) if parts.path.endswith("/" + _INDEX_PHP) else parts.path
        home = home if home.endswith("/") else home + "/"
        keys.append(post_key(urlunsplit((parts.scheme, parts.netloc, home, f"p={number}", ""))))
        if home == "/":  # a bare number does not say which install of a site it is in
            keys.append(number)
    return list(dict.fromkeys(keys))


# A URL as a browser's address bar shows it, with the scheme hidden: a host name (with a dot,
# its last label not a number), an IPv4 address or localhost, a port perhaps, then the path
# or nothing. A word such as `story` or a number such as `3.14` is no URL.
_SCHEMELESS = re.compile(r"(?:localhost|\d{1,3}(?:\.\d{1,3}){3}|(?:[\w-]+\.)+[^\W\d_][\w-]*)"
                         r"(?::\d{1,5})?(?:[/?#]|$)")


def as_url(ref: str) -> Optional[str]:
    """``ref`` as an http(s) URL: as it is if it has that scheme; with https if it has no scheme
    but starts with a host (``news.example.com/2025/09/09/story/``, ``//news.example.com/...``);
    else None (another scheme, or not a URL at all)."""
    if ref.startswith("//"):
        ref = "https:" + ref
    elif "://" not in ref and _SCHEMELESS.match(ref):
        ref = "https://" + ref
    parts = split_url(ref)
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return ref


_ESCAPE = re.compile(r"%[0-9a-f]{2}")


def url_spellings(ref: str) -> list[str]:
    """Other ways of writing the URL ``ref`` for the same page, most alike first (``ref`` itself
    left out): with https if it has no scheme (``as_url``), without tracking parameters or a
    fragment, percent-encoded as a crawl stores it (upper-case escapes, lower-case host), then
    each of those with the trailing slash added or taken away, then all of them with the other
    scheme and with or without www."""
    url = as_url(ref)
    if url is None:
        return []
    page = page_url(url)
    try:
        encoded = safe_url_string(page)
    except (ValueError, UnicodeError):
        encoded = page
    encoded = _ESCAPE.sub(lambda m: m.group(0).upper(), encoded)
    parts = split_url(encoded)
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        return []
    encoded = urlunsplit(parts._replace(netloc=parts.netloc.lower()))
    forms = list(dict.fromkeys([page, encoded]))
    for form in list(forms):
        parts = split_url(form)
        if parts is not None and parts.path not in ("", "/") and not parts.query:
            path = parts.path[:-1] if parts.path.endswith("/") else parts.path + "/"
            forms.append(urlunsplit(parts._replace(path=path)))
    found = [spelling for form in forms for spelling in spellings(form)]
    return [spelling for spelling in dict.fromkeys(found) if spelling != ref]


def find_version_id(db: Database, article_id: int, version: Optional[int] = None) -> int:
    """versions.id of version ``version`` (a version_no) of the article, or of its current one."""
    if version is None:
        row = db.execute("SELECT current_version_id FROM articles WHERE id = ?", [article_id]).fetchone()
    else:
        row = db.execute("SELECT id FROM versions WHERE article_id = ? AND version_no = ?",
                         [article_id, check_number(version, "a version number")]).fetchone()
    if row is None or row[0] is None:
        count = db.execute("SELECT version_count FROM articles WHERE id = ?", [article_id]).fetchone()
        raise ArchiveError(
            f"article {article_id} has no version {version} (it has {count[0] if count else 0})")
    return row[0]


def get_article(db: Database, url_or_id: ArticleRef, version: Optional[int] = None) -> ArticleRecord:
    version_id = find_version_id(db, find_article_id(db, url_or_id), version)
    (record_json,) = db.execute("SELECT record_json FROM versions WHERE id = ?", [version_id]).fetchone()
    return ArticleRecord.from_dict(json.loads(record_json))


def list_versions(db: Database, url_or_id: ArticleRef) -> list[dict[str, Any]]:
    article_id = find_article_id(db, url_or_id)
    return list(db.query(
        "SELECT version_no, fetched_at, content_hash, title, crawl_id, http_status "
        "FROM versions WHERE article_id = ? ORDER BY version_no", [article_id]))


def raw_html(db: Database, url_or_id: ArticleRef, version: Optional[int] = None) -> bytes:
    version_id = find_version_id(db, find_article_id(db, url_or_id), version)
    row = db.execute("SELECT content, encoding FROM raw_pages WHERE version_id = ?", [version_id]).fetchone()
    if row is None:
        raise ArchiveError(f"no raw HTML is stored for version id {version_id}")
    return decompress_page(row[0], row[1])


AUTHORS_OF_VERSION = """
    (SELECT json_group_array(name) FROM (
        SELECT authors.name FROM version_authors
        JOIN authors ON authors.id = version_authors.author_id
        WHERE version_authors.version_id = versions.id
        ORDER BY version_authors.position))
"""


def latest(db: Database, limit: int = 10) -> list[dict[str, Any]]:
    """The newest articles: by published_at (undated last), then by first_seen_at."""
    rows = db.query(f"""
        SELECT articles.url, versions.title, {AUTHORS_OF_VERSION} AS authors,
               versions.published_at, articles.first_seen_at, articles.id AS article_id,
               articles.version_count
        FROM articles JOIN versions ON versions.id = articles.current_version_id
        ORDER BY versions.published_at IS NULL, versions.published_at DESC,
                 articles.first_seen_at DESC, articles.id DESC
        LIMIT ?""", [check_limit(limit)])
    return [{**row, "authors": json.loads(row["authors"])} for row in rows]


def counts(db: Database) -> dict[str, int]:
    row = db.execute("""SELECT
        (SELECT count(*) FROM articles), (SELECT count(*) FROM versions),
        (SELECT count(*) FROM crawls), (SELECT count(*) FROM crawl_failures)""").fetchone()
    return dict(zip(("articles", "versions", "crawls", "failures"), row))


def check_limit(limit: Any) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= SQLITE_MAX_INT:
        raise ArchiveError(f"limit must be a whole number from 1 to {SQLITE_MAX_INT}, not {limit!r}")
    return limit


def gone_columns(db: Database, alias: str = "") -> str:
    """``gone_at, gone_status`` of articles for a SELECT list (``alias.`` prefixed), or NULLs in an
    archive from before schema version 4, which read commands open without migrating."""
    return article_columns(db, ("gone_at", "gone_status"), alias)


def paywalled_column(db: Database, alias: str = "") -> str:
    """``paywalled_at`` of articles for a SELECT list, or NULL before schema version 7 (as gone_columns)."""
    return article_columns(db, ("paywalled_at",), alias)


def article_columns(db: Database, names: tuple[str, ...], alias: str = "") -> str:
    """Columns of articles added by a migration, for a SELECT list (``alias.`` prefixed), or NULLs
    named so in an archive not yet migrated, which read commands open as it is."""
    present = article_column_names(db)
    return ", ".join(f"{alias}{name}" if name in present else f"NULL AS {name}" for name in names)


def article_column_names(db: Database) -> set[str]:
    """The columns the archive's articles table has (migrations added some)."""
    return {row[1] for row in db.execute("PRAGMA table_info(articles)")}
