"""Writing one fetched article: decide new / changed / unchanged, then insert its rows.

Call ``write_article`` inside ``write_transaction`` so that a failure at any
step leaves no trace of the article.
"""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Optional

from sqlite_utils import Database

from scraper.hosts import join_url
from scraper.record import ArticleRecord, compute_content_hash

from .cjk import index_version as index_cjk
from .crawls import FOUND_AGAIN_SQL
from .errors import ArchiveError
from .fold import store_folded
from .identity import (headline_key, host_of, names_a_section_of, other_post, post_key, same_document,
                       spellings)
from .paywall import PAYWALL_LIFTED_SQL, WENT_BEHIND_PAYWALL_SQL, teased_by, teases
from .rawpages import ENCODING, LaterPage, compress_page, decompress_page
from .rows import (comment_form_field_rows, comment_form_row, comment_rows, distinct_names,
                   section_rows, takeaway_rows, version_row)
from .timestamps import earliest, latest, time_key


@dataclass(frozen=True)
class StoreResult:
    """What ``ArchiveStore.store`` did with a record."""
    status: str            # 'new' (first version), 'changed' (a new version, or an older
                           # capture's whole text taking the place of a teaser version of it:
                           # see _store_older_capture), 'unchanged'
    article_id: int
    version_id: int        # the version holding the record's content (the current one unless
                           # the fetch was older than the current version: then the version
                           # it falls in on the article's timeline)
    version_no: int
    url: str               # the article's identity URL (articles.url)
    copy: bool = False     # 'unchanged' because the page is a copy of the article at another
                           # address (see is_copy): the archive took nothing from it
    moved_from: Optional[str] = None  # the article's identity URL before this fetch moved it
                                      # to ``url`` (see moved_article)
    paywalled: bool = False  # 'unchanged' because the page served only a teaser of the article's
                             # text (see serves_teaser): the archive noted articles.paywalled_at

    @property
    def added_version(self) -> bool:
        return self.status in ("new", "changed")


@dataclass(frozen=True)
class Fetch:
    """Provenance of one fetch, stored beside the record."""
    raw_html: bytes
    fetched_at: str
    http_status: Optional[int] = 200
    crawl_id: Optional[int] = None
    content_type: Optional[str] = None
    etag: Optional[str] = None
    last_modified: Optional[str] = None
    warc_file: Optional[str] = None
    warc_offset: Optional[int] = None
    # raw_html already gzip-compressed (by compress_page), e.g. in a worker thread
    compressed_html: Optional[bytes] = None
    # A story split over several pages: its pages 2, 3... (the record holds their text)
    later_pages: tuple[LaterPage, ...] = ()


def write_article(db: Database, record: ArticleRecord, url: str, fetch: Fetch,
                  force_version: bool = False) -> StoreResult:
    """Store ``record`` (which must carry its content_hash) as article ``url``.

    An article's versions are a timeline ordered by fetched_at (compared as instants:
    timestamps.time_key), and the current version is the latest on it. A fetch at or after
    the current version's time (every crawl) is unchanged if it has the current content or is
    its page serving only a teaser of it (a paywall: serves_teaser), else the new current
    version. An older fetch (an old WARC imported late) goes where its time
    puts it: see _store_older_capture. A fetch the archive already holds (the same URL, fetch
    time and raw page) adds nothing, whatever the parser makes of the page now.

    ``force_version`` stores a version even so: `reparse` re-reads a stored page, and its
    record differs in content or in fields the hash leaves out (a date, the images, the form)."""
    conn = db.conn
    if fetch.crawl_id is not None and not conn.execute(
            "SELECT 1 FROM crawls WHERE id = ?", [fetch.crawl_id]).fetchone():
        raise ArchiveError(f"crawl {fetch.crawl_id} does not exist (start one with begin_crawl)")

    url, article, moved_from = find_article(conn, url, record, fetch.fetched_at, fetch.crawl_id)
    if article is not None and moved_from is None and holds_another_post(conn, record, url, article):
        # Made of another post's page fetched before this one (its canonical link named this
        # page): the article goes to that page's address, and this page is an article of its own.
        conn.execute("UPDATE articles SET url = ? WHERE id = ?", [article[6], article[0]])
        article = None
    # A page fetched at the article's own address; else a copy of it elsewhere (see is_copy),
    # whose HTTP validators are not the article page's and whose answer says nothing of it.
    own = at_own_address(record, url)
    post_id = post_key(record.post_id) if own else None

    if article is None:
        article_id = _insert(conn, "articles", {
            "url": url,
            "site": host_of(url) or record.site,  # the site it is archived under, as --site filters
            "first_seen_at": fetch.fetched_at,
            "last_seen_at": fetch.fetched_at,
            "version_count": 0,
            "post_id": post_id,
        })
        status, version_no = "new", 1
    else:
        article_id, current_version_id, current_no, current_hash, current_fetched_at, count = article[:6]
        if moved_from is not None:
            # The article takes its new URL: a later fetch there finds it at once, and its
            # validators and gone marks go by its page there. Its old URL still finds it
            # (versions.url keeps where each version was fetched).
            conn.execute("UPDATE articles SET url = ? WHERE id = ?", [url, article_id])
        elif is_copy(record, url, article):
            return StoreResult("unchanged", article_id, current_version_id, current_no, url, copy=True)
        when = time_key(fetch.fetched_at)
        current_when = time_key(current_fetched_at) if current_fetched_at else when
        if when < current_when:
            return _store_older_capture(db, record, url, fetch, article, force_version)
        # A move is a version even with the same content: the current version is the page
        # at the article's address (a 404 there marks it gone, one at the old URL does not).
        if not force_version and moved_from is None and same_content(
                conn, article[1], article[3], record, refresh=True):
            _mark_seen(db, article, fetch, version_id=None, version_no=None, own=own, post_id=post_id)
            return StoreResult("unchanged", article_id, current_version_id, current_no, url)
        if not force_version and moved_from is None and serves_teaser(conn, record, url, article):
            _mark_seen(db, article, fetch, version_id=None, version_no=None, own=own, post_id=post_id,
                       paywalled=True)
            return StoreResult("unchanged", article_id, current_version_id, current_no, url, paywalled=True)
        if when == current_when and not force_version:
            # Fetched when the current version was: perhaps that very fetch, read by a newer
            # parser (a WARC imported again after `reparse`).
            held = _held(conn, _versions_at(conn, article_id, when), record, fetch)
            if held is not None:
                _mark_seen(db, article, fetch, version_id=None, version_no=None, own=own, post_id=post_id)
                return StoreResult("unchanged", article_id, held[0], held[1], url)
        # Numbered after every version there is: an older capture stored late may hold the highest number.
        status, version_no = "changed", max(count or 0, current_no or 0) + 1
        last_seen = article[9]
        if last_seen and when < time_key(last_seen) and not force_version:
            paywalled_at = _paywalled_at(conn, article_id)
            if paywalled_at or (at_own_address(record, url) and teased_by(conn, article[1], record)):
                return _store_before_teasers(db, record, url, fetch, article, version_no, paywalled_at)
            # The current content was seen again after this fetch (a fetch that changed nothing
            # moved only last_seen_at): this content came between, and the current content
            # stays current, as a version of its own at that last sighting.
            version_id = _insert_version(db, record, article_id, version_no, fetch)
            repeat_id = _repeat_current(db, article, version_no + 1)
            conn.execute("UPDATE articles SET first_seen_at = ?, current_version_id = ?, version_count = ? "
                         "WHERE id = ?", [earliest(article[8], fetch.fetched_at), repeat_id,
                                          version_no + 1, article_id])
            return StoreResult("changed", article_id, version_id, version_no, url)

    version_id = _insert_version(db, record, article_id, version_no, fetch)
    _mark_seen(db, article if article is not None else article_id, fetch, version_id=version_id,
               version_no=version_no, own=own, post_id=post_id)
    return StoreResult(status, article_id, version_id, version_no, url, moved_from=moved_from)


def same_content(conn, version_id: int, content_hash: str, record: ArticleRecord, *,
                 refresh: bool = False) -> bool:
    """Whether ``record`` (with its content_hash) has the content of version ``version_id``,
    stored with ``content_hash``. A version hashed under earlier rules of compute_content_hash
    (what it leaves out or sorts: see scraper.record.HASHED_FIELDS) is re-hashed from its stored
    record, so a new rule adds no version to every article it touches; with ``refresh`` the
    version keeps the re-computed hash, so that is done once. Costs a query only when the hashes differ."""
    if content_hash == record.content_hash:
        return True
    row = conn.execute("SELECT record_json FROM versions WHERE id = ?", [version_id]).fetchone()
    if row is None:
        return False
    try:
        stored = ArticleRecord.from_dict(json.loads(row[0]))
    except (ValueError, TypeError):  # a record_json written by hand or by a future version
        return False
    if compute_content_hash(stored) != record.content_hash:
        return False
    if refresh:
        conn.execute("UPDATE versions SET content_hash = ? WHERE id = ?", [record.content_hash, version_id])
    return True


def serves_teaser(conn, record: ArticleRecord, url: str, article: Optional[tuple]) -> bool:
    """Whether ``record`` is archived article ``url``'s own page serving only a teaser of its
    current version (``article`` its row from archived_as): the page went behind a paywall, and
    the current version, the whole text, stays current (see archive.paywall)."""
    return article is not None and record.accessible_for_free is False and at_own_address(record, url) \
        and teases(conn, article[1], record)


def is_translation(conn, record: ArticleRecord, url: str, article: tuple) -> bool:
    """Whether ``record``, fetched at another address than archived article ``url`` (``article``
    its row from archived_as), is the story in another language than the article's current
    version: a translation plugin's /fr/story/ whose canonical link names the original. Taken
    for the story, it versioned it, and every crawl then alternated the two languages."""
    if not record.language or at_own_address(record, url):
        return False
    row = conn.execute("SELECT language FROM versions WHERE id = ?", [article[1]]).fetchone()
    return row is not None and row[0] is not None and row[0] != record.language


def is_other_story(conn, record: ArticleRecord, url: str, article: tuple) -> bool:
    """Whether ``record``, fetched at another address than archived article ``url`` (``article``
    its row from archived_as), is another post than the article's current version, though its
    canonical link names the article: a theme or SEO plugin that gives posts the canonical link
    of another (a post made with "Duplicate Post" keeps its original's; a cache serves one
    page's head with others). Taken for the article, each such post versioned it, every crawl
    alternated their texts in its history, and none of them was archived as itself. Only
    what tells posts apart counts (identity.other_post: the post ID, else the publication
    time); a print or AMP copy has the post's."""
    return not at_own_address(record, url) and _other_post_than(conn, record, article)


def _other_post_than(conn, record: ArticleRecord, article: tuple) -> bool:
    """Whether ``record`` is known to be another post than ``article``'s current version."""
    row = conn.execute("SELECT json_extract(record_json, '$.post_id'), published_at FROM versions WHERE id = ?",
                       [article[1]]).fetchone()
    return row is not None and other_post((record.post_id, record.published_at), tuple(row))


def holds_another_post(conn, record: ArticleRecord, url: str, article: tuple) -> bool:
    """Whether archived article ``url`` (``article`` its row from archived_as), to which
    ``record`` is a fetch at its own address, holds only pages of another post fetched
    elsewhere: what is_other_story keeps apart when the article's own page came first, with
    that post's page fetched before it (a first crawl fetches both at once). No version of
    it comes from its own address, none is archived at that other page's, and the current
    version is another post than ``record`` (identity.other_post)."""
    elsewhere = article[6]
    if not elsewhere or elsewhere == url or not at_own_address(record, url) or same_document(elsewhere, url):
        return False
    if any(same_document(fetched, url) for (fetched,) in conn.execute(
            "SELECT url FROM versions WHERE article_id = ?", [article[0]])):
        return False
    if any(conn.execute("SELECT 1 FROM articles WHERE url = ?", [spelling]).fetchone()
           for spelling in spellings(elsewhere)):
        return False
    return _other_post_than(conn, record, article)


def at_own_address(record: ArticleRecord, url: str) -> bool:
    """Whether ``record``'s page was fetched at the address of article ``url`` (up to the
    scheme, ``www.``, a trailing slash, the query of an article's path: identity.same_document)."""
    fetched = (record.url or "").strip()
    return not fetched or fetched == url or same_document(fetched, url)


def is_copy(record: ArticleRecord, url: str, article: Optional[tuple]) -> bool:
    """Whether ``record`` is a copy of archived article ``url`` (``article`` its row from
    archived_as) that must not version it: a page at another address whose canonical link
    names the article and whose headline is the article's, such as a print copy
    (/print/story/) or an AMP copy (/amp/story/). Each differs from the article page, so each
    became a version of it and the current version flipped with every crawl to whichever
    copy was fetched last. Only once the current version comes from the article's own page:
    until then the copy is the best the archive has, and it versions the article as any
    page does (a URL list of print copies, a copy fetched before the story). A page under
    another headline is not taken for a copy (a headline edited since, a translation whose
    canonical link names the original): it versions the article as before."""
    if article is None or at_own_address(record, url):
        return False
    current_page, current_title = article[6], article[7]
    if not current_page or not same_document(current_page, url):
        return False
    ours, theirs = headline_key(record.title), headline_key(current_title)
    return bool(ours and theirs) and (ours in theirs or theirs in ours)


_ARTICLE_SQL = ("SELECT a.id, a.current_version_id, v.version_no, v.content_hash, v.fetched_at, a.version_count, "
                "v.url, v.title, a.first_seen_at, a.last_seen_at "
                "FROM articles a LEFT JOIN versions v ON v.id = a.current_version_id WHERE a.url = ?")


def archived_as(conn, url: str, record: ArticleRecord) -> tuple[str, Optional[tuple]]:
    """The identity URL and row of the archived article ``record`` is a fetch of: the one ``url``
    names, else one the same page was archived as before. A site that moves to https, or only
    its canonical links do, and a page whose canonical link appears or changes, were new
    articles, duplicates of every article (and their changes were stored on the duplicate).
    So are tried: ``url`` with the other scheme and with or without ``www.`` (a site dropping
    or adding it), the fetched URL, and that spelt the same ways. (url, None) when the article
    is new; else (its identity URL, (id, current_version_id, version_no, content_hash,
    fetched_at, version_count, the current version's fetched URL and title, first_seen_at,
    last_seen_at))."""
    fetched = (record.url or "").strip()
    for candidate in _candidates(url, fetched):
        article = conn.execute(_ARTICLE_SQL, [candidate]).fetchone()
        if article is not None:
            return candidate, article
    return url, None


def find_article(conn, url: str, record: ArticleRecord, fetched_at: Optional[str] = None,
                 crawl_id: Optional[int] = None) -> tuple[str, Optional[tuple], Optional[str]]:
    """``archived_as``, then ``moved_article``: (the identity URL to store ``record`` under, the
    article's row or None, and the URL the article moves from when it takes ``url``, else
    None). Only a page at its own address that its canonical link names can move an article
    there: a post answering at two URLs without a canonical link (or a copy elsewhere) stays
    two articles, as before post IDs, rather than move back and forth. Nor can a fetch older
    than the article's current version (an old capture imported late): it is an article of its
    own, as before post IDs."""
    url, article = archived_as(conn, url, record)
    if article is not None and (is_translation(conn, record, url, article)
                                or is_other_story(conn, record, url, article)):
        # a translation whose canonical link names the original, or another story whose
        # canonical link names this one by mistake: an article at its own address
        url, article = archived_as(conn, (record.url or "").strip() or url, record)
        return url, article, None
    if article is not None or not record.post_id or not _names_itself(record, url):
        return url, article, None
    found = moved_article(conn, url, record, crawl_id)
    if found is None:
        return url, None, None
    old_url, article = found
    current_fetched_at = article[4]
    if fetched_at and current_fetched_at and fetched_at < current_fetched_at:
        return url, None, None
    if conn.execute("SELECT 1 FROM versions WHERE article_id = ? AND url = ? LIMIT 1",
                    [article[0], url]).fetchone():
        # The article was archived from this URL before it moved (an old address still
        # answering, a list of old URLs): a copy at its former address, not a move back.
        return old_url, article, None
    return url, article, old_url


_MOVED_SQL = ("SELECT a.url, a.id, a.current_version_id, v.version_no, v.content_hash, v.fetched_at, "
              "a.version_count, v.url, v.title, a.first_seen_at, a.last_seen_at, a.last_crawl_id FROM articles a "
              "JOIN versions v ON v.id = a.current_version_id "
              "WHERE a.site = ? AND a.post_id = ? AND v.published_at = ? AND v.language IS ? LIMIT 2")


def moved_article(conn, url: str, record: ArticleRecord,
                  crawl_id: Optional[int] = None) -> Optional[tuple[str, tuple]]:
    """The archived article ``record``'s page is, at a URL the archive does not know (a new
    permalink structure, an edited slug): (its identity URL, its row as archived_as gives
    it), or None. The one of the same site (the host without ``www.``, either scheme) with the
    same post ID (identity.post_key) whose current version has the same publication time;
    both must be known. Nothing else is taken for the same story: no post ID, another
    publication time or none, another install (a shortlink names its home) is another article.
    Nor is an article this crawl (``crawl_id``) already found at its own URL (its page is
    there: two pages), or one whose URL is a directory above ``url`` or below it (a post's
    later pages, /story/2/, share its post ID and publication time), nor one of several (an
    archive holding a story twice from before post IDs: which one is not guessed)."""
    key = post_key(record.post_id)
    site = host_of(url) or record.site
    if not key or not site or not record.published_at:
        return None
    if "/" not in key and record.published_at.endswith("T00:00:00Z"):
        # Only a shortlink names the install a post number belongs to: two WordPress installs
        # on one host (/north/, /south/) both have a post 7, and a body class says only "7";
        # a publication time to the second tells their posts apart, a day does not.
        return None
    rows = conn.execute(_MOVED_SQL, [site, key, record.published_at, record.language]).fetchall()
    if len(rows) != 1:
        return None
    row = rows[0]
    if (crawl_id is not None and row[-1] == crawl_id) \
            or names_a_section_of(row[0], url) or names_a_section_of(url, row[0]):
        return None
    return row[0], row[1:-1]


def _names_itself(record: ArticleRecord, url: str) -> bool:
    """Whether ``record``'s page was fetched at ``url`` and its canonical link names ``url``."""
    fetched = (record.url or "").strip()
    canonical = (record.canonical_url or "").strip()
    return bool(fetched and canonical) and at_own_address(record, url) and same_document(
        join_url(fetched, canonical) or canonical, url)


def _candidates(url: str, fetched: str):
    """``url``, then its other spellings and the fetched URL's: spelt out only when ``url``
    itself is not archived (most fetches of an archived article find it at once)."""
    yield url
    tried = {url}
    for candidate in [*spellings(url), *(spellings(fetched) if fetched else [])]:
        if candidate and candidate not in tried:
            tried.add(candidate)
            yield candidate


def _store_older_capture(db: Database, record: ArticleRecord, url: str, fetch: Fetch,
                         article: tuple, force_version: bool) -> StoreResult:
    """A fetch older than the current version, e.g. from an old WARC imported late.

    It goes where its time puts it on the article's timeline, so that the same captures make
    the same history in whatever order they arrive (as they would in date order):
    - the archive holds this fetch already (same URL, time and raw page): nothing is added;
    - the version before it has its content: it is that version seen again (unchanged);
    - else the version after it has its content: the fetch is the first sight of that
      version, and takes its place (time, raw page, record, WARC pointer; unchanged);
    - else the version after it is a teaser of it (paywall.teased_by: the archive began after
      the story was locked): in date order that fetch would have been a teaser of this one, so
      this one takes its place too ('changed'), and if it was the current version, the article
      is marked paywalled since that fetch;
    - else it is a new version there, numbered next in archive order ('changed').
    It never becomes current: a later version is.
    """
    conn = db.conn
    article_id, count, first_seen = article[0], article[5], article[8]
    when = time_key(fetch.fetched_at)
    timeline = sorted(conn.execute(
        "SELECT id, version_no, fetched_at, content_hash FROM versions WHERE article_id = ?",
        [article_id]).fetchall(), key=lambda v: (time_key(v[2]), v[0]))
    before = [v for v in timeline if time_key(v[2]) <= when]  # a prefix of the timeline
    conn.execute("UPDATE articles SET first_seen_at = ? WHERE id = ?",
                 [earliest(first_seen, fetch.fetched_at), article_id])
    if not force_version:
        held = _held(conn, [v for v in before if time_key(v[2]) == when], record, fetch)
        if held is not None:
            return StoreResult("unchanged", article_id, held[0], held[1], url)
        if before and same_content(conn, before[-1][0], before[-1][3], record):
            return StoreResult("unchanged", article_id, before[-1][0], before[-1][1], url)
        if before and at_own_address(record, url) and teases(conn, before[-1][0], record):
            # a teaser of the text archived before it: nothing the archive lacks
            return StoreResult("unchanged", article_id, before[-1][0], before[-1][1], url, paywalled=True)
        after = timeline[len(before)]  # there is one: the current version is later
        if same_content(conn, after[0], after[3], record):
            _replace_version(db, after[0], record, fetch)
            return StoreResult("unchanged", article_id, after[0], after[1], url)
        if at_own_address(record, url) and teased_by(conn, after[0], record):
            # The version after it is a teaser of this text (the archive began after the story
            # was locked): in date order this text is the version and that fetch a teaser of it.
            _replace_version(db, after[0], record, fetch)
            if after[0] == article[1]:
                # the current version: every fetch since was that teaser (or one of it)
                paywalled_at = _paywalled_at(conn, article_id) or after[2]
                conn.execute("UPDATE articles SET paywalled_at = ? WHERE id = ?",
                             [earliest(paywalled_at, after[2]), article_id])
            return StoreResult("changed", article_id, after[0], after[1], url)
    version_no = max([count or 0, *(v[1] for v in timeline)]) + 1
    version_id = _insert_version(db, record, article_id, version_no, fetch)
    conn.execute("UPDATE articles SET version_count = ? WHERE id = ?", [len(timeline) + 1, article_id])
    return StoreResult("changed", article_id, version_id, version_no, url)


def _store_before_teasers(db: Database, record: ArticleRecord, url: str, fetch: Fetch, article: tuple,
                          version_no: int, paywalled_at: Optional[str]) -> StoreResult:
    """A capture with new content, newer than the current version but older than the article's
    last sighting, when the page served teasers at that sighting: the article is marked
    paywalled since ``paywalled_at``, or its current version is itself a teaser of the capture
    (a story locked from its first capture, whose page later served the whole text). The
    whole current text was then not seen at last_seen_at, so no version repeats it there (it
    was last seen before the teasers; when, the archive does not know). The capture is the
    new current version, as in date order:
    - older than ``paywalled_at``: the teasers came after it, and the mark stays;
    - else the teasers after it mark the article: the first of them is not known, the last
      is at last_seen_at, the mark's time now.
    Nothing else of the article changes: its validators and last sighting are the teaser's."""
    conn = db.conn
    article_id = article[0]
    if paywalled_at is None or time_key(fetch.fetched_at) >= time_key(paywalled_at):
        paywalled_at = article[9]
    version_id = _insert_version(db, record, article_id, version_no, fetch)
    conn.execute("UPDATE articles SET first_seen_at = ?, current_version_id = ?, version_count = ?, "
                 "paywalled_at = ? WHERE id = ?",
                 [earliest(article[8], fetch.fetched_at), version_id, version_no, paywalled_at, article_id])
    return StoreResult("changed", article_id, version_id, version_no, url)


def _paywalled_at(conn, article_id: int) -> Optional[str]:
    return conn.execute("SELECT paywalled_at FROM articles WHERE id = ?", [article_id]).fetchone()[0]


def _repeat_current(db: Database, article: tuple, version_no: int) -> int:
    """A version at the article's last_seen_at repeating its current one (record and raw page;
    no crawl or WARC record is known for that sighting): the fetch then changed nothing, so
    the archive kept only its time."""
    conn = db.conn
    record_json, http_status, content_type, content, encoding = conn.execute(
        "SELECT v.record_json, v.http_status, r.content_type, r.content, r.encoding FROM versions v "
        "JOIN raw_pages r ON r.version_id = v.id WHERE v.id = ?", [article[1]]).fetchone()
    record = ArticleRecord.from_dict(json.loads(record_json))
    record = dataclasses.replace(record, content_hash=article[3])
    raw = decompress_page(content, encoding)
    return _insert_version(db, record, article[0], version_no, Fetch(
        raw_html=raw, fetched_at=article[9], http_status=http_status, content_type=content_type,
        compressed_html=content if encoding == ENCODING else None,
        later_pages=tuple(later_pages(conn, article[1]))))


def later_pages(conn, version_id: int) -> list[LaterPage]:
    """The later pages stored with a version (``raw_later_pages``), in page order."""
    return [LaterPage(url, decompress_page(content, encoding), content_type) for url, content_type, content, encoding
            in conn.execute("SELECT url, content_type, content, encoding FROM raw_later_pages WHERE version_id = ? "
                            "ORDER BY page_no", [version_id])]


def _versions_at(conn, article_id: int, when: tuple) -> list[tuple]:
    """The article's versions fetched at the instant ``when`` (a time_key), as (id, version_no, ...)."""
    return [v for v in conn.execute("SELECT id, version_no, fetched_at FROM versions WHERE article_id = ?",
                                    [article_id]) if time_key(v[2]) == when]


def _held(conn, versions: list[tuple], record: ArticleRecord, fetch: Fetch) -> Optional[tuple]:
    """The first of ``versions`` (rows starting id, version_no) that is this fetch: the page
    fetched from the same URL, its raw bytes the same."""
    for version in versions:
        page = conn.execute("SELECT r.size, r.content, r.encoding FROM raw_pages r JOIN versions v "
                            "ON v.id = r.version_id WHERE r.version_id = ? AND v.url IS ?",
                            [version[0], record.url]).fetchone()
        if page is not None and page[0] == len(fetch.raw_html) and \
                decompress_page(page[1], page[2]) == fetch.raw_html:
            return version
    return None


# The rows that hang off a version, children before parents.
_VERSION_PARTS = ("comment_form_fields", "comment_forms", "comments", "sections", "takeaways",
                  "version_authors", "version_terms", "raw_pages", "raw_later_pages")


def _replace_version(db: Database, version_id: int, record: ArticleRecord, fetch: Fetch) -> None:
    """Make version ``version_id`` the fetch ``fetch`` of the same content, seen earlier: its
    time, record, raw page and WARC pointer (what storing the fetches in date order keeps)."""
    conn = db.conn
    for table in _VERSION_PARTS:
        conn.execute(f"DELETE FROM [{table}] WHERE version_id = ?", [version_id])
    row = {**version_row(record, article_id=0, version_no=0, crawl_id=fetch.crawl_id,
                         fetched_at=fetch.fetched_at, http_status=fetch.http_status),
           "warc_file": fetch.warc_file, "warc_offset": fetch.warc_offset}
    del row["article_id"], row["version_no"]
    conn.execute(f"UPDATE versions SET {', '.join(f'[{name}] = ?' for name in row)} WHERE id = ?",
                 [*row.values(), version_id])
    index_cjk(conn, version_id, store_folded(conn, version_id, row))
    _insert_parts(conn, version_id, record, fetch)


# Plain INSERT statements rather than sqlite-utils' table.insert(): that one
# inspects the table's columns on every call, which made storing an article
# cost more than parsing it. Table and column names come from this module's
# own row dicts, never from page content.
def _insert(conn, table: str, row: dict) -> int:
    columns = ", ".join(f"[{name}]" for name in row)
    marks = ", ".join("?" * len(row))
    cursor = conn.execute(f"INSERT INTO [{table}] ({columns}) VALUES ({marks})", list(row.values()))
    return cursor.lastrowid


def _insert_many(conn, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    names = list(rows[0])
    columns = ", ".join(f"[{name}]" for name in names)
    marks = ", ".join("?" * len(names))
    conn.executemany(f"INSERT INTO [{table}] ({columns}) VALUES ({marks})",
                     [[row[name] for name in names] for row in rows])


def _insert_version(db: Database, record: ArticleRecord, article_id: int,
                    version_no: int, fetch: Fetch) -> int:
    conn = db.conn
    row = version_row(record, article_id=article_id, version_no=version_no, crawl_id=fetch.crawl_id,
                      fetched_at=fetch.fetched_at, http_status=fetch.http_status)
    version_id = _insert(conn, "versions", {**row, "warc_file": fetch.warc_file, "warc_offset": fetch.warc_offset})
    index_cjk(conn, version_id, store_folded(conn, version_id, row))
    _insert_parts(conn, version_id, record, fetch)
    return version_id


def _insert_parts(conn, version_id: int, record: ArticleRecord, fetch: Fetch) -> None:
    """The rows that hang off a version: sections ... raw page."""
    _insert_many(conn, "sections", section_rows(version_id, record))
    _insert_many(conn, "takeaways", takeaway_rows(version_id, record))
    form = comment_form_row(version_id, record)
    if form is not None:
        _insert(conn, "comment_forms", form)
        _insert_many(conn, "comment_form_fields", comment_form_field_rows(version_id, record))
    _insert_many(conn, "comments", comment_rows(version_id, record))
    _link_authors(conn, version_id, record.authors)
    _link_terms(conn, version_id, "tag", record.tags)
    _link_terms(conn, version_id, "category", record.categories)
    _insert(conn, "raw_pages", {
        "version_id": version_id,
        "content_type": fetch.content_type,
        "encoding": ENCODING,
        "size": len(fetch.raw_html),
        "content": fetch.compressed_html if fetch.compressed_html is not None else compress_page(fetch.raw_html),
    })
    _insert_many(conn, "raw_later_pages", [
        {"version_id": version_id, "page_no": page_no, "url": page.url, "content_type": page.content_type,
         "encoding": ENCODING, "size": len(page.raw_html), "content": compress_page(page.raw_html)}
        for page_no, page in enumerate(fetch.later_pages, start=2)])


def _link_authors(conn, version_id: int, names: list[str]) -> None:
    rows = []
    for position, name in enumerate(distinct_names(names)):
        conn.execute("INSERT OR IGNORE INTO authors (name) VALUES (?)", [name])
        (author_id,) = conn.execute("SELECT id FROM authors WHERE name = ?", [name]).fetchone()
        rows.append({"version_id": version_id, "author_id": author_id, "position": position})
    _insert_many(conn, "version_authors", rows)


def _link_terms(conn, version_id: int, kind: str, names: list[str]) -> None:
    rows = []
    for position, name in enumerate(distinct_names(names)):
        conn.execute("INSERT OR IGNORE INTO terms (kind, name) VALUES (?, ?)", [kind, name])
        (term_id,) = conn.execute("SELECT id FROM terms WHERE kind = ? AND name = ?", [kind, name]).fetchone()
        rows.append({"version_id": version_id, "term_id": term_id, "position": position})
    _insert_many(conn, "version_terms", rows)


def _mark_seen(db: Database, article, fetch: Fetch, *,
               version_id: Optional[int], version_no: Optional[int], own: bool = True,
               post_id: Optional[str] = None, paywalled: bool = False) -> None:
    """Update the article's bookkeeping after a fetch (and point it at a new version).
    ``article`` is its row from archived_as, or its new id. A fetch of a copy at another
    address (``own`` False) leaves the article's HTTP validators and gone mark alone: its
    ETag or Last-Modified sent for the article's own page could get a 304 for a page changed
    since, and the copy answering says nothing of that page. ``paywalled``: the page served
    a teaser (paywalled_at is set); any other fetch of the page, or a new version, clears it.
    The teaser's validators are kept: a 304 to them says the page still serves the teaser."""
    if isinstance(article, tuple):
        article_id = article[0]
        first_seen, last_seen = earliest(article[8], fetch.fetched_at), latest(article[9], fetch.fetched_at)
    else:
        article_id, first_seen = article, fetch.fetched_at
        last_seen = fetch.fetched_at
    assignments = [
        "last_seen_at = :last_seen",
        "first_seen_at = :first_seen",
        "last_crawl_id = coalesce(:crawl_id, last_crawl_id)",
    ]
    if own:
        assignments += ["etag = :etag", "last_modified = :last_modified", FOUND_AGAIN_SQL]
    if paywalled:
        assignments.append(WENT_BEHIND_PAYWALL_SQL)
    elif own or version_id is not None:
        assignments.append(PAYWALL_LIFTED_SQL)
    if post_id is not None:
        assignments.append("post_id = :post_id")
    if version_id is not None:
        assignments += ["current_version_id = :version_id", "version_count = :version_no"]
    db.execute(
        f"UPDATE articles SET {', '.join(assignments)} WHERE id = :article_id",
        {"fetched_at": fetch.fetched_at, "first_seen": first_seen, "last_seen": last_seen,
         "crawl_id": fetch.crawl_id, "etag": fetch.etag,
         "last_modified": fetch.last_modified, "version_id": version_id,
         "version_no": version_no, "article_id": article_id, "post_id": post_id},
    )
