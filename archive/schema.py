"""The archive's tables: what each one holds, and how the schema is created and migrated.

A newsarchive archive is one SQLite file. Open it with ``sqlite3 archive.db`` or
any SQLite tool; everything below is plain tables. Dates are ISO 8601 text in UTC
("2025-09-09T10:30:00Z"). Columns documented as JSON hold JSON text (query them
with SQLite's ``json_each()``/``json_extract()``). Booleans are 0/1.

newsarchive_meta
    key, value. Marks the file as a newsarchive archive. ``schema_version`` is the
    version of this layout; ``created_at`` and ``created_by`` say when and by what.

articles  -- one row per article (one web page that may change over time)
    id; url (UNIQUE: the article's identity -- its canonical URL when that is on
    the same host as the fetched URL and is neither the home page nor a section
    above the page, else the fetched URL, and the fetched URL too when the canonical URL's
    article is another post by its post ID or publication time (identity.other_post); it
    becomes the new URL when the article is found there by its post_id); site (host name of
    that URL, without www.);
    first_seen_at / last_seen_at (fetch times of the first and latest fetch);
    current_version_id (-> versions.id, the version with the latest fetched_at); version_count;
    etag / last_modified (HTTP validators of the latest fetch, for conditional
    re-crawls); last_crawl_id (-> crawls.id, the crawl that last saw it);
    gone_at / gone_status (when a fetch of a URL the article was fetched from was
    first answered 404 or 410, or sent to the site's home page or to another archived
    article's page, or answered 200 with the site's "not found" page (a soft 404), since it
    was last seen, and that status: 404, 410, the redirect's 3xx, or 200 for a meta refresh
    or a soft 404 (its crawl_failures row's reason tells them apart); NULL while it is
    there: a later fetch that finds it clears them; schema version 4);
    post_id (the CMS's own name for the post, as its latest fetch at its own address
    gave it in the record's post_id: the shortlink without its scheme and www.,
    "news.example.com/?p=123", or WordPress's bare post number, "123"; NULL where the page
    names none, and for articles archived before schema version 6 until `reparse` or a
    crawl that downloads the page fills it in. Indexed with site: a page at a URL the
    archive does not know whose post_id and publication time are an article's of the
    same site is that article, moved, and the article takes its new URL; `show` finds
    the article by its shortlink too (archive.reading.post_keys); schema version 6);
    paywalled_at (when a fetch of the article's page first served only a teaser of its
    current version since the page was last seen whole: its record said it is not
    accessible for free, under the same headline and byline, a shorter text starting as the
    current version's does (archive.paywall). The teaser adds no version,
    so the current version keeps the full text; NULL while the page is whole: a later
    fetch of the page that is no teaser (free again, or the whole text under its paywall
    mark) or a new version clears it, a 304 to the teaser's validators does not; schema
    version 7).

versions  -- one row per distinct content of an article; a re-fetch with the same
    content_hash adds no version, a changed one adds version_no + 1 and keeps the
    old versions whole. The versions are a timeline ordered by fetched_at: a fetch
    older than the current version (an old WARC imported late) goes where its time
    puts it (archive.writer._store_older_capture) and never becomes current.
    id; article_id (-> articles.id); version_no (1, 2, ... in the order versions
    were archived; UNIQUE per article);
    crawl_id (-> crawls.id, may be NULL); fetched_at; http_status; content_hash
    ("sha256:..." over the normalized content, as scraper.record.compute_content_hash
    computes it; a current version hashed by an earlier release is re-hashed from its
    record_json when its article is next fetched); then the normalized record:
    url (as fetched; indexed since schema version 5), canonical_url, site, site_name, language, is_article,
    title, subtitle, published_at / modified_at (ISO UTC or NULL) with
    published_at_raw / modified_at_raw (the source text), reading_time_minutes,
    word_count, intro (JSON list of paragraphs before the first section),
    takeaways_heading, comments_open, body_text (plain text of the body),
    images (JSON list of {url, alt, caption}), share_links (JSON list of
    {network, url}), problems (JSON list of extraction warnings), extraction
    ("dom" or "fallback"), record_json (the complete record as JSON: the exact
    source for rebuilding it; the other columns and tables are for querying);
    warc_file / warc_offset (the WARC file holding the HTTP response this version
    was parsed from, and the byte offset of that response record in it: written
    by ``crawl --warc`` and ``import-warc``, NULL otherwise; schema version 2; a
    file name's bytes that are not UTF-8 are written as ``\\xNN``: caf\\xe9.warc.gz).

current_versions  -- VIEW: the current version of every article (versions joined
    to articles.current_version_id), with the article's url as article_url.

versions_folded  -- the text of the versions that have full-width, half-width or compatibility forms
    of letters and digits (ＮＨＫ, ２０２５, ｶﾀｶﾅ, the ligature ﬁ), folded as Unicode NFKC (NHK, 2025,
    カタカナ, fi: archive.fold), one row for each such version and none for the others (most Japanese
    news has a row, most other text none). version_id (primary key, -> versions.id); title, subtitle,
    body_text (the version's, folded: only letters and digits are, so words stay where they were;
    symbols such as ™ and ½ as written). Written by newsarchive as it stores a version; triggers
    delete the row when the version is deleted or its text updated by any tool, and change the
    indexes with it (text another tool writes is indexed as written until newsarchive writes the
    version again). Schema version 10.

versions_indexed_text  -- VIEW: each version's text as the full-text indexes hold it: id (versions.id),
    title, subtitle, body_text (from versions_folded where the version has a row there, else
    from versions). The content of versions_fts and versions_fts_unstemmed (FTS5 reads it for
    snippet(), 'rebuild' and 'integrity-check'). Schema version 10.

versions_fts  -- FTS5 full-text index over versions' title, subtitle and body_text as indexed
    (the view versions_indexed_text: full-width and compatibility forms folded),
    tokenizer "porter unicode61" (words are matched by their stem: "regulators"
    finds "regulator"), kept in sync by triggers. Its rowid is versions.id. Its
    snippet() shows the folded text (NHK for ＮＨＫ); newsarchive search shows the text as
    written.

versions_fts_unstemmed  -- the same columns indexed as written (tokenizer
    "unicode61": case and accents folded, no stemming), kept in sync by triggers;
    rowid is versions.id. Searches with a prefix* use it, so that "regulator*"
    finds words beginning with "regulator" and not "regular" (the stem of
    "regulator" is "regul"). Schema version 3; over versions_indexed_text since version 10.

versions_fts_cjk  -- FTS5 index of the versions with Chinese or Japanese text (Han, Hiragana,
    Katakana) in title, subtitle or body_text, and only those (an archive without any has it
    empty): the same columns as indexed (versions_indexed_text), each run of those characters
    written as its overlapping pairs of
    characters and its last character ("中国北京市" as "中国 国北 北京 京市 市"), other text
    as it is, tokenizer "unicode61"; rowid is versions.id. Chinese and Japanese are written
    without spaces, so the other indexes hold a whole run as one word; here a word is the phrase
    of its pairs ("北京" finds 北京 inside 中国北京市), which is how searches with such characters
    are run (archive.cjk). The index keeps its text (snippets are made from it): newsarchive
    writes each version's row as it stores the version; triggers delete the row when the version
    is deleted or its text updated by any tool (only newsarchive writes it back). Schema version 8;
    folded text since version 10.

sections  -- the body's sections, in order
    version_id (-> versions.id); position (0, 1, ...); heading; level (2 for h2 ...);
    paragraphs (JSON list); text (the paragraphs joined by blank lines).

takeaways  -- the "key takeaways" list: version_id, position, text.

comment_forms  -- the comment form, if the page had one (one row per version)
    version_id (primary key); heading ("Leave a Reply"); action (form URL);
    method; notes ("Your email address will not be published..."); required_marker.

comment_form_fields  -- the form's fields, in order
    version_id, position, name ("comment", "author", "email", "url"), type, label,
    required (0/1).

comments  -- reader comments, in page order
    version_id, position; comment_id (the page's own id, e.g. "comment-12");
    parent_id (comment_id of the comment replied to, NULL for top level);
    author; published_at; text.

authors  -- id, name (UNIQUE).
version_authors  -- version_id, author_id (-> authors.id), position (byline order).

terms  -- id, kind ('tag' or 'category'), name; UNIQUE (kind, name).
version_terms  -- version_id, term_id (-> terms.id), position (order within its kind).

raw_pages  -- the HTML exactly as fetched, one per version
    version_id (primary key); content_type (the HTTP Content-Type); encoding
    (how content is compressed: 'gzip'); size (bytes before compression);
    content (BLOB, the compressed bytes: ``gunzip`` gives the page back).

raw_later_pages  -- pages 2, 3... of a story split over pages, as fetched
    version_id (-> versions.id); page_no (2, 3, ...); url (as fetched); content_type;
    encoding; size; content (as in raw_pages). A story split over several pages
    (WordPress's <!--nextpage-->: /story/2/, /story/?page=2) is one version holding all its
    pages' text (the record's page_urls name them): raw_pages keeps page 1, this table the
    others; primary key (version_id, page_no). Versions of one-page stories have no rows
    here. Schema version 9.

crawls  -- one row per crawl run
    id; started_at; finished_at (NULL while running or if it crashed); spider;
    start_url; args (JSON object of the crawl's arguments; in a file name, bytes
    that are not UTF-8 as ``\\xNN``, as in versions.warc_file; a scheduled crawl's
    "schedule" names its schedule); status ('running', then the finish reason such as
    'finished'; 'interrupted' for a crawl killed before it closed its row);
    pages_fetched, articles_new, articles_changed, articles_unchanged,
    articles_skipped, failures (counts).

crawl_failures  -- pages a crawl could not fetch or parse, and pages an import-warc capture
    found taken down (a 404, 410 or redirect home of an archived article's page)
    id; crawl_id (-> crawls.id); url; reason; http_status (NULL if no response);
    failed_at (an import's takedown: the capture's WARC-Date).
"""
from __future__ import annotations

import logging
import sqlite3
from typing import Callable, Optional

from sqlite_utils import Database

from .cjk import CJK_INDEX, index_stored_versions, index_versions
from .errors import ArchiveError
from .fold import FOLDED_COLUMNS, FOLDED_TABLE, INDEXED_TEXT_VIEW, fold_stored_versions
from .timestamps import utc_now

SCHEMA_VERSION = 10
logger = logging.getLogger(__name__)
META_TABLE = "newsarchive_meta"


def _add_warc_columns(db: Database) -> None:
    """1 -> 2: link versions to the WARC record they came from.

    ADD COLUMN only appends NULL columns: no row is rewritten, so nothing can be
    lost, and the current_versions view (versions.*) shows the new columns.
    """
    db.execute("ALTER TABLE versions ADD COLUMN warc_file TEXT")
    db.execute("ALTER TABLE versions ADD COLUMN warc_offset INTEGER")


# The full-text indexes over versions(title, subtitle, body_text) as indexed, each with the
# trigger that indexes a new version (bulk loading swaps it for one INSERT ... SELECT).
STEMMED_INDEX = "versions_fts"
UNSTEMMED_INDEX = "versions_fts_unstemmed"
FTS_INSERT_TRIGGERS = {STEMMED_INDEX: "versions_ai", UNSTEMMED_INDEX: "versions_unstemmed_ai"}
FTS_COLUMNS = ("title", "subtitle", "body_text")


def _create_unstemmed_index(db: Database) -> None:
    """2 -> 3: versions' text indexed as written, for prefix* searches (made again over the text as
    indexed by 9 -> 10; new archives get it from _create_text_indexes).

    The stemmed index cannot answer a prefix as typed: FTS5 stems the prefix
    too, so "regulator*" became "regul*" and also found "regular". Existing
    versions are indexed with 'rebuild' (about 15 s per 100,000 versions).
    """
    index, columns = UNSTEMMED_INDEX, ", ".join(FTS_COLUMNS)
    new = ", ".join(f"new.{c}" for c in FTS_COLUMNS)
    old = ", ".join(f"old.{c}" for c in FTS_COLUMNS)
    db.execute(f"CREATE VIRTUAL TABLE {index} USING fts5({columns}, "
               f"tokenize='unicode61', content='versions', content_rowid='id')")
    db.execute(f"CREATE TRIGGER {FTS_INSERT_TRIGGERS[index]} AFTER INSERT ON versions BEGIN "
               f"INSERT INTO {index} (rowid, {columns}) VALUES (new.id, {new}); END")
    db.execute(f"CREATE TRIGGER versions_unstemmed_ad AFTER DELETE ON versions BEGIN "
               f"INSERT INTO {index} ({index}, rowid, {columns}) VALUES ('delete', old.id, {old}); END")
    # Only a change of the indexed text re-indexes (not, say, a WARC link being added).
    db.execute(f"CREATE TRIGGER versions_unstemmed_au AFTER UPDATE OF {columns} ON versions BEGIN "
               f"INSERT INTO {index} ({index}, rowid, {columns}) VALUES ('delete', old.id, {old}); "
               f"INSERT INTO {index} (rowid, {columns}) VALUES (new.id, {new}); END")
    db.execute(f"INSERT INTO {index} ({index}) VALUES ('rebuild')")


def _add_gone_columns(db: Database) -> None:
    """3 -> 4: when an archived article's page went away (404 or 410). ADD COLUMN, as 1 -> 2."""
    db.execute("ALTER TABLE articles ADD COLUMN gone_at TEXT")
    db.execute("ALTER TABLE articles ADD COLUMN gone_status INTEGER")


def _index_version_urls(db: Database) -> None:
    """4 -> 5: find versions by the URL they were fetched from (a page that went away is
    known by that URL, which its canonical link may not be). About 0.2 s per 100,000 versions."""
    db.table("versions").create_index(["url"], if_not_exists=True)


def _add_post_ids(db: Database) -> None:
    """5 -> 6: the CMS's own post ID of each article, which survives a permalink change. ADD
    COLUMN and an index over NULLs: a moment on any archive. Nothing is backfilled here (it
    would mean parsing every stored page): `reparse` fills it in, and so does each crawl that
    downloads an article's page."""
    db.execute("ALTER TABLE articles ADD COLUMN post_id TEXT")
    _index_post_ids(db)


def _index_post_ids(db: Database) -> None:
    db.table("articles").create_index(["site", "post_id"], if_not_exists=True)


def _add_paywalled_column(db: Database) -> None:
    """6 -> 7: since when an article's page serves only a teaser. ADD COLUMN, as 3 -> 4."""
    db.execute("ALTER TABLE articles ADD COLUMN paywalled_at TEXT")


def _create_cjk_index(db: Database) -> None:
    """7 -> 8 (and new archives): Chinese and Japanese text indexed as pairs of characters (archive.cjk).

    Plain SQL triggers take a deleted version, or one whose text changes, out of the index; the
    pairs are written by newsarchive (archive.cjk.index_version), not by a trigger: the sqlite3
    shell and Datasette write and read the file without our functions. The versions that have
    such text are indexed here: under 2 s for 50,000 versions of English news, about 12 s for
    10,000 all in Chinese or Japanese (see index_stored_versions).
    """
    columns = ", ".join(FTS_COLUMNS)
    db.execute(f"CREATE VIRTUAL TABLE {CJK_INDEX} USING fts5({columns}, tokenize='unicode61')")
    db.execute(f"CREATE TRIGGER versions_cjk_ad AFTER DELETE ON versions BEGIN "
               f"DELETE FROM {CJK_INDEX} WHERE rowid = old.id; END")
    db.execute(f"CREATE TRIGGER versions_cjk_au AFTER UPDATE OF {columns} ON versions BEGIN "
               f"DELETE FROM {CJK_INDEX} WHERE rowid = old.id; END")
    index_stored_versions(db.conn)


def _create_later_pages_table(db: Database) -> None:
    """8 -> 9 (and new archives): the raw HTML of a story's later pages. A new, empty table:
    versions archived before it hold their one page, as they were."""
    db.table("raw_later_pages").create(
        {"version_id": int, "page_no": int, "url": str, "content_type": str, "encoding": str, "size": int,
         "content": bytes},
        pk=("version_id", "page_no"), foreign_keys=[("version_id", "versions", "id")],
        not_null=["version_id", "page_no", "url", "encoding", "size", "content"],
    )


# The main indexes and the tokenizers they were created with; their content is INDEXED_TEXT_VIEW.
# versions_fts names its content as sqlite-utils does ([...]), so that sqlite-utils' and Datasette's
# detect_fts find it for the view, and versions_fts_unstemmed otherwise ('...'), so that they do not.
FTS_TOKENIZERS = {STEMMED_INDEX: "porter unicode61", UNSTEMMED_INDEX: "unicode61"}
_CONTENT_OPTION = {STEMMED_INDEX: f"[{INDEXED_TEXT_VIEW}]", UNSTEMMED_INDEX: f"'{INDEXED_TEXT_VIEW}'"}
# What the main indexes' triggers were called up to schema version 9: versions_fts's by sqlite-utils.
_OLD_FTS_TRIGGERS = ("versions_ai", "versions_ad", "versions_au",
                     "versions_unstemmed_ai", "versions_unstemmed_ad", "versions_unstemmed_au")


def _fold_indexed_text(db: Database) -> None:
    """9 -> 10: the main indexes hold the text folded (archive.fold): full-width, half-width and
    compatibility forms find each other. Their content becomes the view of the text as indexed,
    so they are made again and rebuilt (22 s for 20,000 versions of English news of 6,000
    characters), and the CJK index's rows of the versions whose text folds are written again
    folded (most of the 44 s for 5,000 Japanese versions with such forms throughout)."""
    for trigger in _OLD_FTS_TRIGGERS:
        db.execute(f"DROP TRIGGER IF EXISTS [{trigger}]")
    for index in FTS_TOKENIZERS:
        db.execute(f"DROP TABLE [{index}]")
    _create_text_indexes(db)
    db.execute(f"DELETE FROM {CJK_INDEX} WHERE rowid IN (SELECT version_id FROM {FOLDED_TABLE})")
    index_versions(db.conn, db.execute(f"SELECT version_id, {', '.join(FOLDED_COLUMNS)} FROM {FOLDED_TABLE}"))


def _create_text_indexes(db: Database) -> None:
    """10 (new archives, and 9 -> 10): the folded text of the versions stored so far, the view of
    the text as indexed, and the stemmed and unstemmed indexes over it with their triggers."""
    db.execute(f"CREATE TABLE {FOLDED_TABLE} (version_id INTEGER PRIMARY KEY REFERENCES versions(id), "
               f"title TEXT, subtitle TEXT, body_text TEXT)")
    fold_stored_versions(db.conn)
    as_indexed = ", ".join(f"CASE WHEN f.version_id IS NULL THEN v.{c} ELSE f.{c} END AS {c}" for c in FOLDED_COLUMNS)
    db.execute(f"CREATE VIEW {INDEXED_TEXT_VIEW} AS SELECT v.id, {as_indexed} "
               f"FROM versions v LEFT JOIN {FOLDED_TABLE} f ON f.version_id = v.id")
    for index, tokenizer in FTS_TOKENIZERS.items():
        db.execute(f"CREATE VIRTUAL TABLE [{index}] USING fts5({', '.join(FOLDED_COLUMNS)}, tokenize='{tokenizer}', "
                   f"content={_CONTENT_OPTION[index]}, content_rowid='id')")
        db.execute(f"INSERT INTO [{index}] ([{index}]) VALUES ('rebuild')")
    _create_text_index_triggers(db)


def _create_text_index_triggers(db: Database) -> None:
    """The plain SQL triggers that keep the main indexes in step with versions and versions_folded,
    whatever tool writes them.

    A version is indexed as written when it is inserted; newsarchive then writes its folded text
    (archive.fold.store_folded), and that row's trigger swaps the one for the other. The 'delete'
    of an external content index must give the text indexed: the folded text while the version
    has a row in versions_folded, else its own.
    """
    columns = ", ".join(FOLDED_COLUMNS)

    def each_index(statement: str) -> str:
        return " ".join(statement.format(index=index) for index in FTS_TOKENIZERS)

    def values(row: str) -> str:
        return ", ".join(f"{row}.{c}" for c in FOLDED_COLUMNS)

    delete = f"INSERT INTO [{{index}}] ([{{index}}], rowid, {columns}) "
    insert = f"INSERT INTO [{{index}}] (rowid, {columns}) "
    for index, trigger in FTS_INSERT_TRIGGERS.items():
        db.execute(f"CREATE TRIGGER [{trigger}] AFTER INSERT ON versions BEGIN "
                   f"{insert.format(index=index)}VALUES (new.id, {values('new')}); END")
    # A version deleted, or its text changed: its own text out of the indexes (and the new text in),
    # or, if it has a folded row, that row deleted, whose trigger does the same with the folded text.
    not_folded = f"WHERE NOT EXISTS (SELECT 1 FROM {FOLDED_TABLE} WHERE version_id = old.id);"
    delete_own = each_index(delete + f"SELECT 'delete', old.id, {values('old')} {not_folded}")
    insert_new = each_index(insert + f"SELECT new.id, {values('new')} {not_folded}")
    forget_folded = f"DELETE FROM {FOLDED_TABLE} WHERE version_id = old.id;"
    db.execute(f"CREATE TRIGGER versions_ad AFTER DELETE ON versions BEGIN {delete_own} {forget_folded} END")
    db.execute(f"CREATE TRIGGER versions_au AFTER UPDATE OF {columns} ON versions BEGIN "
               f"{delete_own} {insert_new} {forget_folded} END")
    # A folded row written: the version's own text out, the folded text in; deleted: the other way.
    unfold = " ".join((each_index(delete + f"VALUES ('delete', old.version_id, {values('old')});"),
                       each_index(insert + f"SELECT id, {columns} FROM versions WHERE id = old.version_id;")))
    refold = " ".join((each_index(delete + f"SELECT 'delete', id, {columns} FROM versions WHERE id = new.version_id;"),
                       each_index(insert + f"VALUES (new.version_id, {values('new')});")))
    no_version = (f"SELECT RAISE(ABORT, '{FOLDED_TABLE}.version_id names no version') "
                  f"WHERE NOT EXISTS (SELECT 1 FROM versions WHERE id = new.version_id);")
    db.execute(f"CREATE TRIGGER {FOLDED_TABLE}_ai AFTER INSERT ON {FOLDED_TABLE} BEGIN {no_version} {refold} END")
    db.execute(f"CREATE TRIGGER {FOLDED_TABLE}_ad AFTER DELETE ON {FOLDED_TABLE} BEGIN {unfold} END")
    db.execute(f"CREATE TRIGGER {FOLDED_TABLE}_au AFTER UPDATE ON {FOLDED_TABLE} BEGIN "
               f"{no_version} {unfold} {refold} END")


# Migrations from version N to N + 1, run in order inside the opening
# transaction when an older archive is opened. Version 1 is the first layout.
MIGRATIONS: dict[int, Callable[[Database], None]] = {
    1: _add_warc_columns, 2: _create_unstemmed_index, 3: _add_gone_columns, 4: _index_version_urls,
    5: _add_post_ids, 6: _add_paywalled_column, 7: _create_cjk_index, 8: _create_later_pages_table,
    9: _fold_indexed_text}

COUNT_COLUMNS = (
    "pages_fetched", "articles_new", "articles_changed",
    "articles_unchanged", "articles_skipped", "failures",
)


def read_schema_version(conn: sqlite3.Connection) -> Optional[int]:
    """The archive's schema_version, or None if the file has no newsarchive marker."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [META_TABLE]
    ).fetchone()
    if not exists:
        return None
    row = conn.execute(f"SELECT value FROM {META_TABLE} WHERE key = 'schema_version'").fetchone()
    if row is None:
        return None
    try:
        return int(row[0])
    except (TypeError, ValueError):
        return None


def ensure_schema(db: Database) -> None:
    """Create the schema in a new file, or migrate an older archive; call inside a transaction."""
    version = read_schema_version(db.conn)
    if version is None:
        _create_schema(db)
        return
    if version > SCHEMA_VERSION:
        raise ArchiveError(
            f"the archive was written by a newer newsarchive (schema version {version}; "
            f"this version understands up to {SCHEMA_VERSION})")
    if version < SCHEMA_VERSION:
        # A warning, so that it reaches stderr even where logging is not set up
        # (logging's last-resort handler): 9 -> 10 indexes every version again, 22 s for 20,000
        # versions of English news.
        path = db.execute("SELECT file FROM pragma_database_list WHERE name = 'main'").fetchone()[0]
        if version < 10:
            versions = db.execute("SELECT count(*) FROM versions").fetchone()[0]
            logger.warning("newsarchive: upgrading %s from schema version %d to %d (%s versions to index "
                           "for search; this happens once)", path or "the archive", version,
                           SCHEMA_VERSION, f"{versions:,}")
        else:
            logger.warning("newsarchive: upgrading %s from schema version %d to %d (this happens once)",
                           path or "the archive", version, SCHEMA_VERSION)
    while version < SCHEMA_VERSION:
        MIGRATIONS[version](db)
        version += 1
        _set_meta(db, "schema_version", str(version))


def _set_meta(db: Database, key: str, value: str) -> None:
    db.table(META_TABLE).upsert({"key": key, "value": value}, pk="key")


def _create_schema(db: Database) -> None:
    from scraper import __version__

    db.table(META_TABLE).create({"key": str, "value": str}, pk="key", not_null=["value"])
    _set_meta(db, "schema_version", str(SCHEMA_VERSION))
    _set_meta(db, "created_at", utc_now())
    _set_meta(db, "created_by", f"newsarchive {__version__}")

    db.table("crawls").create(
        {
            "id": int, "started_at": str, "finished_at": str, "spider": str,
            "start_url": str, "args": str, "status": str,
            **{name: int for name in COUNT_COLUMNS},
        },
        pk="id",
        not_null=["started_at", "spider", "status", *COUNT_COLUMNS],
        defaults={"status": "running", "args": "{}", **{name: 0 for name in COUNT_COLUMNS}},
    )
    db.table("crawl_failures").create(
        {"id": int, "crawl_id": int, "url": str, "reason": str, "http_status": int, "failed_at": str},
        pk="id",
        foreign_keys=[("crawl_id", "crawls", "id")],
        not_null=["url", "reason", "failed_at"],
    )
    db.table("crawl_failures").create_index(["crawl_id"])

    # articles.current_version_id and versions.article_id point at each other:
    # articles is created first, and its foreign key added once versions exists.
    db.table("articles").create(
        {
            "id": int, "url": str, "site": str, "first_seen_at": str, "last_seen_at": str,
            "current_version_id": int, "version_count": int, "etag": str,
            "last_modified": str, "last_crawl_id": int, "gone_at": str, "gone_status": int,
            "post_id": str, "paywalled_at": str,
        },
        pk="id",
        foreign_keys=[("last_crawl_id", "crawls", "id")],
        not_null=["url", "first_seen_at", "last_seen_at", "version_count"],
    )
    db.table("versions").create(
        {
            "id": int, "article_id": int, "version_no": int, "crawl_id": int,
            "fetched_at": str, "http_status": int, "content_hash": str,
            "url": str, "canonical_url": str, "site": str, "site_name": str,
            "language": str, "is_article": int, "title": str, "subtitle": str,
            "published_at": str, "published_at_raw": str,
            "modified_at": str, "modified_at_raw": str,
            "reading_time_minutes": int, "word_count": int, "intro": str,
            "takeaways_heading": str, "comments_open": int, "body_text": str,
            "images": str, "share_links": str, "problems": str, "extraction": str,
            "record_json": str, "warc_file": str, "warc_offset": int,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id"), ("crawl_id", "crawls", "id")],
        not_null=["article_id", "version_no", "fetched_at", "content_hash", "record_json"],
    )
    db.table("articles").transform(add_foreign_keys=[("current_version_id", "versions", "id")])
    db.table("articles").create_index(["url"], unique=True)
    db.table("articles").create_index(["site"])
    db.table("articles").create_index(["first_seen_at"])
    _index_post_ids(db)
    db.table("versions").create_index(["article_id", "version_no"], unique=True)
    db.table("versions").create_index(["published_at"])
    db.table("versions").create_index(["crawl_id"])
    db.table("versions").create_index(["content_hash"])
    db.table("versions").create_index(["url"])

    version_fk = [("version_id", "versions", "id")]
    positioned = ["version_id", "position"]
    db.table("sections").create(
        {"version_id": int, "position": int, "heading": str, "level": int,
         "paragraphs": str, "text": str},
        pk=("version_id", "position"), foreign_keys=version_fk, not_null=positioned,
    )
    db.table("takeaways").create(
        {"version_id": int, "position": int, "text": str},
        pk=("version_id", "position"), foreign_keys=version_fk, not_null=positioned,
    )
    db.table("comment_forms").create(
        {"version_id": int, "heading": str, "action": str, "method": str,
         "notes": str, "required_marker": str},
        pk="version_id", foreign_keys=version_fk, not_null=["version_id"],
    )
    db.table("comment_form_fields").create(
        {"version_id": int, "position": int, "name": str, "type": str,
         "label": str, "required": int},
        pk=("version_id", "position"), foreign_keys=[("version_id", "comment_forms", "version_id")],
        not_null=positioned,
    )
    db.table("comments").create(
        {"version_id": int, "position": int, "comment_id": str, "parent_id": str,
         "author": str, "published_at": str, "text": str},
        pk=("version_id", "position"), foreign_keys=version_fk, not_null=positioned,
    )

    db.table("authors").create({"id": int, "name": str}, pk="id", not_null=["name"])
    db.table("authors").create_index(["name"], unique=True)
    db.table("version_authors").create(
        {"version_id": int, "author_id": int, "position": int},
        pk=("version_id", "author_id"), not_null=["version_id", "author_id", "position"],
        foreign_keys=[*version_fk, ("author_id", "authors", "id")],
    )
    db.table("version_authors").create_index(["author_id"])

    db.table("terms").create({"id": int, "kind": str, "name": str}, pk="id", not_null=["kind", "name"])
    db.table("terms").create_index(["kind", "name"], unique=True)
    db.table("version_terms").create(
        {"version_id": int, "term_id": int, "position": int},
        pk=("version_id", "term_id"), not_null=["version_id", "term_id", "position"],
        foreign_keys=[*version_fk, ("term_id", "terms", "id")],
    )
    db.table("version_terms").create_index(["term_id"])

    db.table("raw_pages").create(
        {"version_id": int, "content_type": str, "encoding": str, "size": int, "content": bytes},
        pk="version_id", foreign_keys=version_fk,
        not_null=["version_id", "encoding", "size", "content"],
    )

    _create_later_pages_table(db)

    _create_text_indexes(db)
    _create_cjk_index(db)

    db.create_view(
        "current_versions",
        "SELECT articles.url AS article_url, versions.*\n"
        "FROM articles JOIN versions ON versions.id = articles.current_version_id",
    )
