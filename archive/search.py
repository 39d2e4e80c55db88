"""Full-text search over the archived articles (FTS5, bm25 ranking): the library's ``search`` and the command's ``search_articles``.

Ranking is the cost of a search: FTS5 computes bm25 for every match, about a
microsecond each, so a query matching most of a big archive takes hundreds of
milliseconds. Three things keep that down. Without filters, FTS5 ranks the
matches on its own (no join per match) and only the page's rows are joined,
with enough headroom that old versions dropped afterwards cannot leave the page
short. With filters, only the matches in the versions the site, author or date
filters pass are ranked, when those are fewer, and the page is looked for
among the best of them before all are ranked. And a query whose every word
occurs in at least half of the archive is not ranked at all: bm25 gives such a
word no weight (its idf is clamped to 1e-6), so its scores cannot tell the
matches apart; those come newest published first (undated last).

Words are matched by their stem ("regulators" finds "regulator"), except in a
query with a prefix*: FTS5 would stem the prefix too ("regulator*" would be
"regul*" and find "regular"), so such a query goes to the index of the words
as written (``versions_fts_unstemmed``), where "regulator*" is what it says.

A query with Chinese or Japanese characters goes to ``versions_fts_cjk``, which holds
the versions with such text as overlapping pairs of characters (archive.cjk): each of
its words or phrases with such characters is asked for as the phrase of its pairs
(北京市 as "北京 京市", 桜 as the prefix "桜"*), its other words as written, and the
snippet is turned back into the text as written.

The indexes hold the text with its full-width, half-width and compatibility forms folded (NFKC,
archive.fold), and the query is folded the same way, so ＮＨＫ and NHK, ｶﾀｶﾅ and カタカナ, ﬁnance and
finance find each other; the snippet, made from the folded text, is shown in the text as written.
"""
from __future__ import annotations

import json
import re
import sqlite3
from typing import Any, Optional

from sqlite_utils import Database

from .cjk import CJK_INDEX, CLOSE_MARK, OPEN_MARK, has_cjk, original_snippet, pairs_of, query_phrase
from .errors import ArchiveError
from .filters import ArticleFilter
from .fold import FOLDED_TABLE, fold, written_snippet
from .readonly import BadRequest
from .reading import SQLITE_MAX_INT, check_limit
from .schema import STEMMED_INDEX, UNSTEMMED_INDEX
from .snippets import ELLIPSIS, register_functions, snippet_sql

# bm25 column weights for (title, subtitle, body_text): a hit in the title counts most.
WEIGHTS = (10.0, 5.0, 1.0)
SNIPPET_TOKENS = 16
# A CJK snippet counts pairs of characters, each standing for one character; a Chinese or Japanese
# word is one to three characters, so twice as many make a snippet of about as many words.
CJK_SNIPPET_TOKENS = 2 * SNIPPET_TOKENS
_WEIGHT_ARGS = ", ".join(map(str, WEIGHTS))
RANKING = f"bm25({_WEIGHT_ARGS})"

# Orders a result can come in (SearchResults.order).
BY_RELEVANCE = "relevance"
NEWEST_FIRST = "newest"

# A filtered search looks for its page among the best max(_BEST, _BEST_PER_HIT x page
# size) matches before it ranks them all (see _best_passing); ranking 1,000 rather
# than 20 costs about 3 ms at 100,000 articles.
_BEST = 1000
_BEST_PER_HIT = 20

# A query too common to rank looks for its page among the newest _NEWEST_PER_HIT x page size
# versions (at most _NEWEST) before it collects every match (see _newest_published).
_NEWEST_PER_HIT = 3
_NEWEST = 200

_QUOTED = re.compile(r'"(?:[^"]|"")*"')
_OR = re.compile(r"\bOR\b")
# FTS5 query syntax outside double quotes: a quoted string (kept whole, even unterminated), a
# bareword (ASCII letters, digits, "_", \x1a and every non-ASCII character) or any other character.
_QUERY_PARTS = re.compile(r'"(?:[^"]|"")*"?|[0-9A-Za-z_\x1a\x80-\U0010ffff]+|.', re.S)
_BAREWORD = re.compile(r"[0-9A-Za-z_\x1a\x80-\U0010ffff]+")
_COLUMN_FILTER_AHEAD = re.compile(r"\s*:")
_STRING = re.compile(r'"((?:[^"]|"")*)"')
IDEOGRAPHIC_SPACE = "\u3000"


def _details_sql(index: str) -> str:
    # The snippet's hits are marked OPEN_MARK ... CLOSE_MARK, and _as_written puts the caller's marks
    # in once the snippet is the text as written; _version_id is for that, and goes.
    return f"""
    SELECT a.id AS article_id, a.url, v.version_no, v.title, a.site, v.published_at,
           (SELECT json_group_array(name) FROM (
               SELECT au.name FROM version_authors va JOIN authors au ON au.id = va.author_id
               WHERE va.version_id = v.id ORDER BY va.position)) AS authors,
           {snippet_sql(index, CJK_SNIPPET_TOKENS if index == CJK_INDEX else SNIPPET_TOKENS)} AS snippet,
           v.id AS _version_id"""


class SearchResults(list):
    """The hits, best first, and the order they are in: ``relevance`` (bm25) or ``newest`` (published last first)."""

    def __init__(self, hits=(), order: str = BY_RELEVANCE):
        super().__init__(hits)
        self.order = order


def search(db: Database, query: str, limit: int = 10, *, raw: bool = False) -> list[dict[str, Any]]:
    """Articles whose current version matches ``query``, best first.

    By default every word of ``query`` is quoted (``Database.quote_fts``), so
    punctuation and words like AND/OR/NOT are searched for literally and all
    words must occur. ``raw=True`` passes FTS5 query syntax through
    (``"exact phrase"``, ``OR``, ``NOT``, ``prefix*``, ``title:word``).
    Each result has url, title, published_at, a snippet with the matches
    marked ``[like this]`` and rank (bm25, lower is better; None when the
    query is too common to rank, see the module's docstring).
    """
    if not isinstance(query, str) or not query.strip():
        raise ArchiveError("the search query is empty")
    match = query.strip() if raw else db.quote_fts(query.strip())
    if not match.strip():
        raise ArchiveError(f"the search query {query!r} has no words to search for")
    try:
        hits = search_articles(db, match, limit=check_limit(limit))
    except BadRequest as exc:
        hint = "; check the FTS5 query syntax" if raw else "; try fewer punctuation characters"
        raise ArchiveError(f"cannot search for {query!r}: {exc}{hint}") from exc
    return [{"url": hit["url"], "title": hit["title"], "published_at": hit["published_at"],
             "snippet": hit["snippet"], "rank": hit["score"], "article_id": hit["article_id"],
             "version_no": hit["version_no"]} for hit in hits]


# -- the `newsarchive search` command: FTS5 query syntax, filters, highlighted snippets --------

def search_articles(db: Database, query: str, filters: Optional[ArticleFilter] = None, limit: int = 20, *,
                    highlight: tuple[str, str] = ("[", "]")) -> SearchResults:
    """Versions matching FTS5 ``query`` that pass ``filters``, best (lowest bm25) first.

    ``query`` is FTS5 syntax, passed to MATCH as a parameter: words (all must
    occur), ``"exact phrase"``, ``OR``, ``NOT``, ``prefix*``, ``title:word``.
    Words match by stem, except that a query with a ``prefix*`` matches all
    its words as written (see the module's docstring).
    Broken syntax raises BadRequest. Each result: article_id, url, version_no,
    title, site, authors (list), published_at, snippet (matches wrapped in
    ``highlight``) and score (bm25: lower is better; None when the results
    come newest published first, undated last, because the query is too common to rank).
    """
    filters = filters or ArticleFilter()
    if not isinstance(query, str) or not query.strip():
        raise BadRequest("the search query is empty")
    folded = _exists(db, FOLDED_TABLE)  # an archive opened read-only before schema 10 indexes text as written
    match = joined_words_as_phrases((fold(query) if folded else query).strip())
    conditions, params = filters.where()
    params.update(match=match, open=OPEN_MARK, close=CLOSE_MARK, limit=check_limit(limit))
    register_functions(db.conn)
    try:
        index = _index_for(db, match)
        if index == CJK_INDEX:
            params["match"], pairs = as_cjk_phrases(match)
        hits = _search(db, index, filters, conditions, params)
        if index == CJK_INDEX:
            for hit in hits:
                hit["snippet"] = original_snippet(hit["snippet"], (OPEN_MARK, CLOSE_MARK), pairs)
        return _as_written(db, hits, highlight, folded)
    except sqlite3.OperationalError as exc:
        # MATCH parses the query while the statement runs, so its syntax errors
        # arrive as OperationalError; so would a locked or damaged file.
        if not any(word in str(exc) for word in ("locked", "busy", "malformed", "disk", "readonly")):
            raise BadRequest(f"bad search query {query!r}: {exc} (FTS5 syntax: words, \"a phrase\", "
                             f"OR, NOT, prefix*, title:word)") from exc
        raise


def _search(db: Database, index: str, filters: ArticleFilter, conditions: list[str], params: dict) -> SearchResults:
    match = params["match"]
    matching = db.execute(f"SELECT count(*) FROM {index} WHERE {index} MATCH ?", [match]).fetchone()[0]
    indexed = db.execute("SELECT count(*) FROM versions").fetchone()[0]
    # bm25 weighs a phrase by the share of the index's rows that hold it: the CJK index holds
    # only the versions with such text (its _docsize table has a row for each).
    rows = indexed if index != CJK_INDEX else db.execute(f"SELECT count(*) FROM {index}_docsize").fetchone()[0]
    if _too_common_to_rank(match, matching, rows):
        return SearchResults(_newest_published(db, index, conditions, params), NEWEST_FIRST)
    best = _best_passing(db, index, filters, conditions, params, matching, indexed)
    if best is not None:
        return SearchResults(_with_details(db, index, params, best))
    # Few of the best matches pass the filters: let FTS5 hand over every
    # match in rank order (the rank column) and join each until the page is full.
    params["ranking"] = RANKING
    return SearchResults(_page(db, index, [f"{index}.rank MATCH :ranking", *conditions], params,
                               order_by=f"{index}.rank", score=f"{index}.rank"))


def _as_written(db: Database, hits: SearchResults, highlight: tuple[str, str], folded: bool) -> SearchResults:
    """The hits' snippets in the text as written, the hits in ``highlight``: the snippet of a version
    with folded text is of that text (archive.fold.written_snippet)."""
    ids = [hit.pop("_version_id") for hit in hits]
    written = {} if not folded or not hits else {row[0]: row[1:] for row in db.execute(
        f"SELECT v.id, v.title, v.subtitle, v.body_text FROM {FOLDED_TABLE} f JOIN versions v ON v.id = f.version_id "
        f"WHERE f.version_id IN (SELECT value FROM json_each(?))", [json.dumps(ids)])}
    for version_id, hit in zip(ids, hits):
        hit["snippet"] = written_snippet(hit["snippet"], written.get(version_id, ()), (OPEN_MARK, CLOSE_MARK),
                                         highlight, ELLIPSIS)
    return hits


def joined_words_as_phrases(query: str) -> str:
    """``open-source``, ``COVID-19``, ``O'Neill`` (outside double quotes) as the phrases ``"open source"``...

    FTS5 reads ``-source`` as a column filter and a ``'`` as a syntax error,
    yet the tokenizer splits such words at the hyphen or apostrophe when it
    indexes them, so the phrase of their parts is what they mean. A hyphen
    before a column filter (``nato -title:summit``, ``nato-title:summit``) is
    left as FTS5 reads it, and so is everything else: quoted phrases, OR, AND,
    NOT, NEAR, ``prefix*`` (``open-sour*`` becomes ``"open sour"*``), ``title:``.
    """
    parts = list(_QUERY_PARTS.finditer(query))
    out: list[str] = []
    i = 0
    while i < len(parts):
        words = [parts[i].group()]
        while (_BAREWORD.fullmatch(words[-1]) and i + 2 < len(parts) and parts[i + 1].group() in ("-", "'")
               and _BAREWORD.fullmatch(parts[i + 2].group())
               and not (parts[i + 1].group() == "-" and _COLUMN_FILTER_AHEAD.match(query, parts[i + 2].end()))):
            words.append(parts[i + 2].group())
            i += 2
        out.append(f'"{" ".join(words)}"' if len(words) > 1 else words[0])
        i += 1
    return "".join(out)


def as_cjk_phrases(match: str) -> tuple[str, frozenset[str]]:
    """FTS5 query ``match`` for the CJK index, and the pairs of characters in it (for original_snippet).

    Each word (outside double quotes) and quoted phrase with Chinese or Japanese characters is
    the phrase of the index's tokens that finds it (archive.cjk.query_phrase): ``北京市`` is
    ``"北京 京市"``, ``桜`` is ``"桜"*``, ``"東京の桜"`` is ``"東京 京の の桜"``. Everything else
    stays as it is: other words, OR, NOT, NEAR, a ``*`` typed after the word, ``title:``.
    """
    out: list[str] = []
    pairs: set[str] = set()
    parts = list(_QUERY_PARTS.finditer(match))
    for i, part in enumerate(parts):
        text, quoted = part.group(), _STRING.fullmatch(part.group())
        if quoted:
            text = quoted.group(1).replace('""', '"')
        elif not _BAREWORD.fullmatch(text) or _COLUMN_FILTER_AHEAD.match(match, part.end()):
            text = ""  # punctuation, an unterminated string, a column's name
        if not has_cjk(text):
            out.append(part.group())
            continue
        # Outside quotes an ideographic space (as a Japanese keyboard types it) separates words.
        words = [text] if quoted else [word for word in text.split(IDEOGRAPHIC_SPACE) if word]
        phrases = []
        for n, word in enumerate(words, 1):
            phrase, prefix = query_phrase(word)
            starred = n == len(words) and i + 1 < len(parts) and parts[i + 1].group() == "*"
            phrases.append('"' + phrase.replace('"', '""') + '"' + ("*" if prefix and not starred else ""))
            pairs |= pairs_of(phrase)
        out.append(" ".join(phrases))
    return "".join(out), frozenset(pairs)


def _narrows(filters: ArticleFilter) -> bool:
    return any((filters.site, filters.author, filters.since, filters.until, filters.has_takeaways))


def _index_for(db: Database, match: str) -> str:
    """The CJK index for a query with Chinese or Japanese characters; else the unstemmed index
    for a query with a prefix* (a ``*`` outside quotes), else the stemmed one.

    An archive opened read-only before its migration to schema 3 (7) has no
    unstemmed (CJK) index; its queries go where they always did.
    """
    if has_cjk(match) and _exists(db, CJK_INDEX):
        return CJK_INDEX
    if not _has_prefix(match):
        return STEMMED_INDEX
    return UNSTEMMED_INDEX if _exists(db, UNSTEMMED_INDEX) else STEMMED_INDEX


def _exists(db: Database, table: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone() is not None


def _has_prefix(match: str) -> bool:
    return "*" in _QUOTED.sub(" ", match)


def _too_common_to_rank(match: str, matching: int, indexed: int) -> bool:
    """Whether bm25 weighs every phrase of ``match`` at its floor, so its ranking would be noise.

    Without OR, a matching version contains every phrase, so each phrase occurs
    in at least as many versions as the query matches (``matching``); bm25's
    idf is clamped to 1e-6 for a phrase in at least half of the ``indexed`` versions.
    """
    if _OR.search(_QUOTED.sub(" ", match)):
        return False
    return bool(indexed) and 2 * matching >= indexed


def _page(db: Database, index: str, conditions: list[str], params: dict, *, order_by: str,
          score: str) -> list[dict]:
    """One statement: FTS5 yields matches in ``order_by``; each is joined and filtered until the page is full."""
    sql = f"""{_details_sql(index)}, {score} AS score
        FROM {index}
        JOIN versions v ON v.id = {index}.rowid
        JOIN articles a ON a.id = v.article_id
        WHERE {' AND '.join([f"{index} MATCH :match", *conditions])}
        ORDER BY {order_by}
        LIMIT :limit"""
    return _with_authors(db.query(sql, params))


def _newest_published(db: Database, index: str, conditions: list[str], params: dict) -> list[dict]:
    """The page of a query too common to rank: its hits newest published first, undated last (score None).

    The versions are walked down the published_at index (NULL, undated, sorts
    last), the filters applied on the way. The matches are at least half of
    the archive, so the newest few versions that pass the filters nearly always
    hold the page: their details are asked for a chunk at a time, which also
    drops those that do not match (an FTS5 lookup each, about 0.1 ms). If they
    do not hold it, the rowids of every match are collected once (about 25 ms
    at 100,000 articles) and the walk goes on until the page is full.
    """
    limit = params["limit"]
    walk = _NEWEST_PER_HIT * limit
    if walk <= _NEWEST:
        candidates = db.execute(_NEWEST_SQL.format(" AND ".join(conditions) or "1", ":walk"),
                                dict(params, walk=walk)).fetchall()
        hits: list[dict] = []
        start = 0
        while start < len(candidates) and len(hits) < limit:
            # A page's worth first (a word in every article needs no more), then twice what is missing.
            chunk = candidates[start:start + (2 * (limit - len(hits)) if start else limit)]
            hits += _with_details(db, index, params, chunk)
            start += len(chunk)
        if len(hits) >= limit or len(candidates) < walk:
            return hits[:limit]
    return _newest_of_all_matches(db, index, conditions, params)


_NEWEST_SQL = """SELECT v.id, NULL FROM versions v INDEXED BY idx_versions_published_at
    JOIN articles a ON a.id = v.article_id WHERE {}
    ORDER BY v.published_at DESC, v.id DESC LIMIT {}"""


def _newest_of_all_matches(db: Database, index: str, conditions: list[str], params: dict) -> list[dict]:
    """The same page, the rowids of every match collected first."""
    matches = f"+v.id IN (SELECT rowid FROM {index} WHERE {index} MATCH :match)"
    page = db.execute(_NEWEST_SQL.format(" AND ".join([matches, *conditions]), ":limit"), params).fetchall()
    return _with_details(db, index, params, page)


def _best_passing(db: Database, index: str, filters: ArticleFilter, conditions: list[str], params: dict,
                  matching: int, indexed: int) -> Optional[list[tuple[int, float]]]:
    """The page's (version id, bm25) pairs, found among the best matches, or None when too few of those pass.

    The first of the best matches that pass every filter, checked a chunk at
    a time in rank order, are the page ranking all matches would give.
    Without filters, the best ``limit + old versions`` always hold the page:
    at most that many old versions are among them (when that is more than
    a filter's bound, the bound applies). With filters, ranking is
    the cost, so rank as few matches as they allow: a set of the versions the
    site, author or date filters pass, when shorter than the list of
    matches, restricts which are ranked (a lookup per match is far cheaper
    than bm25), and the page is looked for among the best of those. If too
    few pass, None: the caller ranks every match.
    """
    limit = params["limit"]
    bound = min(max(_BEST, _BEST_PER_HIT * limit), SQLITE_MAX_INT)
    if _narrows(filters):
        # Counting stops at the number of matches: a set that long saves no ranking.
        narrowing = [versions for versions, sized_by in filters.version_sets() if db.execute(
            f"SELECT count(*) FROM ({sized_by} LIMIT :matching)",
            dict(params, matching=matching)).fetchone()[0] < matching]
        best = bound
    else:
        old_versions = 0 if filters.all_versions else (
            indexed - db.execute("SELECT count(*) FROM articles").fetchone()[0])
        # At most that many old versions are ahead of the page; an archive of many corrections
        # gets the same bound as a filter, and the fallback if the old versions crowd it.
        narrowing, best = [], min(limit + max(old_versions, 0), bound)
        if old_versions <= 0:
            conditions = []  # every version is current: nothing to check
    ranked = db.execute(f"""
        SELECT rowid, bm25({index}, {_WEIGHT_ARGS}) AS score FROM {index}
        WHERE {index} MATCH :match {''.join(f' AND +rowid IN ({versions})' for versions in narrowing)}
        ORDER BY score LIMIT :best""", dict(params, best=best)).fetchall()
    passing = _passing(db, conditions, params, ranked) if conditions else ranked[:limit]
    if len(passing) >= limit or len(ranked) < best:
        return passing[:limit]
    return None


def _passing(db: Database, conditions: list[str], params: dict, ranked: list) -> list[tuple[int, float]]:
    """The first ``limit`` of ``ranked`` (version id, score) pairs that pass ``conditions``, or all that do."""
    # CROSS JOIN: look up the chunk's versions, never let the planner scan a whole site for them.
    check = f"""SELECT v.id FROM json_each(:ids) AS chunk
        CROSS JOIN versions v ON v.id = chunk.value CROSS JOIN articles a ON a.id = v.article_id
        WHERE {' AND '.join(conditions)}"""
    passing: list[tuple[int, float]] = []
    start, size = 0, 2 * params["limit"]
    while start < len(ranked) and len(passing) < params["limit"]:
        chunk = ranked[start:start + size]
        passed = {row[0] for row in db.execute(check, dict(params, ids=json.dumps([vid for vid, _ in chunk])))}
        passing.extend(pair for pair in chunk if pair[0] in passed)
        start, size = start + size, size * 4
    return passing


def _with_details(db: Database, index: str, params: dict, page: list[tuple[int, float]]) -> list[dict]:
    """The page's hits, in its order: url, title, authors, snippet... for each (version id, score)."""
    if not page:
        return []
    # A rowid IN (...) constraint makes FTS5 evaluate the query once per row:
    # cheap for words, but a prefix* merges the lists of all its words each
    # time, so for those one pass over the matches in the page's rowid range.
    rows = (f"{index}.rowid BETWEEN :low AND :high AND +{index}.rowid IN (SELECT value FROM json_each(:ids))"
            if _has_prefix(params["match"]) else f"{index}.rowid IN (SELECT value FROM json_each(:ids))")
    details_sql = f"""{_details_sql(index)}, {index}.rowid AS version_id
        FROM {index}
        JOIN versions v ON v.id = {index}.rowid
        JOIN articles a ON a.id = v.article_id
        WHERE {index} MATCH :match AND {rows}"""
    ids = [version_id for version_id, _ in page]
    details = {row.pop("version_id"): row for row in db.query(
        details_sql, dict(params, ids=json.dumps(ids), low=min(ids), high=max(ids)))}
    hits = [dict(details[version_id], score=score) for version_id, score in page if version_id in details]
    return _with_authors(hits)


def _with_authors(rows) -> list[dict]:
    hits = list(rows)
    for hit in hits:
        hit["authors"] = json.loads(hit["authors"])
    return hits
