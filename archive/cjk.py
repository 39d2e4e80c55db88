"""Chinese and Japanese text as overlapping character bigrams: the index ``versions_fts_cjk``, the
queries that search it and the snippets it gives back.

Chinese and Japanese are written without spaces, so FTS5's unicode61 tokenizer makes one token of
a whole run of text between punctuation ("中国北京市政府"), and a word inside it cannot be found.
Search engines without a dictionary index such text as its overlapping pairs of characters
(Lucene's CJKAnalyzer): 中国 国北 北京 京市 市政 政府, where a word of two or more characters is
the phrase of its pairs (北京市 is "北京 京市", found wherever the run holds it) and a word of one
character the prefix of a pair. Every run also ends with its last character on its own (政府 府),
so that a single character is the first of a pair or a run's last wherever it occurs: 桜 at the
end of "東京の桜" is found by "桜"* as well as 桜 in "桜が咲いた". Other text is indexed as written,
so a query can mix both ("東京 Olympics"). The pairs are written out as text (``bigram_text``) and
indexed by unicode61 as they are: the index needs no tokenizer of ours, so the sqlite3 shell,
Datasette or sqlite-utils can open, check and rebuild it.

Thai, Lao, Khmer and Burmese are written without spaces too, but not indexed here: unicode61 splits
them at their combining vowel and tone marks (it treats marks as separators), so pairs of
characters would not survive its tokenizing; their words need a dictionary (ICU's word break).
Korean is written with spaces between words and left as it is: a noun with a particle attached
(서울에서) is found with a prefix, 서울*.
"""
from __future__ import annotations

import operator
import re
from typing import Any, Collection, Iterable, Mapping, Optional

# Han (the unified ideographs and their extensions, compatibility ideographs, 々 〆 〇 and the
# other marks unicode61 counts as letters), Hiragana, Katakana (with ー, and half-width). Only
# characters unicode61 makes tokens of: the kana middle dot ・ and the combining sound marks, which
# it treats as separators, are left out, as are the ideographic space and punctuation (、。「」).
CJK_CHARACTERS = ("\u3005-\u3007\u3031-\u3035\u303b\u303c\u3041-\u3096\u309d-\u309f\u30a1-\u30fa"
                  "\u30fc-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
                  "\U00020000-\U0002fa1f\U00030000-\U000323af")
_CJK = re.compile(f"[{CJK_CHARACTERS}]")
_RUN = re.compile(f"[{CJK_CHARACTERS}]+")
_RUNS_AND_REST = re.compile(f"([{CJK_CHARACTERS}]+)")
_WORD_CHARACTER = re.compile(r"[^\W_]")

CJK_INDEX = "versions_fts_cjk"
CJK_COLUMNS = ("title", "subtitle", "body_text")

# The marks a CJK search asks snippet() for, replaced by the caller's once the snippet is turned
# back into the text as written. Control characters: never in an indexed text (bigram_text
# writes them as spaces, which unicode61 also splits at).
OPEN_MARK, CLOSE_MARK = "\x02", "\x03"


# Every character of CJK_CHARACTERS is written in UTF-8 starting with one of these bytes (E3-E9:
# U+3000-U+9FFF; EF: U+F000-U+FFFF; F0: U+10000-U+3FFFF); English text (curly quotes and dashes
# start with E2) rarely holds any, and bytes.translate finds them at memory speed.
_LEAD_BYTES = bytes([*range(0xE3, 0xEA), 0xEF, 0xF0])
_OTHER_BYTES = bytes(b for b in range(256) if b not in _LEAD_BYTES)


def _has_lead_byte(raw: bytes) -> bool:
    return bool(raw.translate(None, _OTHER_BYTES))


def has_cjk(text: Optional[str]) -> bool:
    # The lead bytes first: 12 us for the 6,000 characters of an English story with curly
    # quotes, where the search alone takes 60 us (each version stored asks).
    return (bool(text) and not text.isascii() and _has_lead_byte(text.encode("utf-8", "surrogatepass"))
            and _CJK.search(text) is not None)


def bigram_text(text: Optional[str]) -> Optional[str]:
    """``text`` with each run of Chinese or Japanese written as its pairs and its last character,
    apart from the text around it: "東京の桜、Tokyo" -> " 東京 京の の桜 桜 、Tokyo"."""
    if not has_cjk(text):
        return text
    if OPEN_MARK in text or CLOSE_MARK in text:
        text = text.replace(OPEN_MARK, " ").replace(CLOSE_MARK, " ")
    return _RUN.sub(lambda run: f" {_pairs(run.group(), ends=True)} ", text)


def _pairs(run: str, *, ends: bool) -> str:
    """The run's overlapping pairs, then its last character if the run ``ends`` there (one
    character alone is itself)."""
    if len(run) == 1:
        return run
    pairs = " ".join(map(operator.add, run, run[1:]))  # twice as fast as a slice per pair
    return f"{pairs} {run[-1]}" if ends else pairs


def query_phrase(text: str) -> tuple[str, bool]:
    """A word or phrase of a query as the phrase of the index's tokens that finds it, and whether
    that phrase is a prefix.

    The last run of Chinese or Japanese in ``text`` may go on in the page (北京 in 北京市), so it
    is its pairs alone, and one character alone is a prefix ("桜"*: 桜が, or 桜 ending a run); a run
    that ends within the query (followed by punctuation or other words) ends in the page too,
    and has its last character: 東京、大阪 is "東京 京 大阪".
    """
    runs = list(_RUN.finditer(text))
    last = runs[-1] if runs and not _WORD_CHARACTER.search(text, runs[-1].end()) else None
    out, start = [], 0
    for run in runs:
        out += [text[start:run.start()], f" {_pairs(run.group(), ends=run is not last)} "]
        start = run.end()
    out.append(text[start:])
    return " ".join("".join(out).split()), last is not None and len(last.group()) == 1


def pairs_of(phrase: str) -> set[str]:
    """The pairs of characters in a phrase query_phrase made."""
    return {token for token in phrase.split() if len(token) == 2 and _RUN.fullmatch(token)}


def version_bigrams(title: Optional[str], subtitle: Optional[str],
                    body_text: Optional[str]) -> Optional[tuple]:
    """The version's row for the CJK index (its columns as bigram_text), or None when none of
    them holds Chinese or Japanese."""
    texts = (title, subtitle, body_text)
    if not any(map(has_cjk, texts)):
        return None
    return tuple(map(bigram_text, texts))


_INSERT = f"INSERT INTO {CJK_INDEX} (rowid, {', '.join(CJK_COLUMNS)}) VALUES (?, ?, ?, ?)"


def index_version(conn, version_id: int, version: Mapping[str, Any]) -> None:
    """Index a version just written (``version``, its row of the versions table, inserted or its
    text updated: the update trigger has taken its old index row out) if it has Chinese or
    Japanese text; else nothing is written."""
    row = version_bigrams(*(version[column] for column in CJK_COLUMNS))
    if row is not None:
        conn.execute(_INSERT, [version_id, *row])


def index_versions(conn, rows: Iterable[tuple]) -> int:
    """Index each (version id, title, subtitle, body_text) that has Chinese or Japanese text, one
    at a time (``rows`` may be a cursor); how many."""
    indexed = 0

    def with_cjk():
        nonlocal indexed
        for version_id, *texts in rows:
            row = version_bigrams(*texts)
            if row is not None:
                indexed += 1
                yield (version_id, *row)
    conn.executemany(_INSERT, with_cjk())
    return indexed


def index_stored_versions(conn) -> int:
    """Index every version in the archive that has Chinese or Japanese text; how many.

    The text is read as bytes and only a version holding a lead byte of such a character is
    decoded and looked at: 50,000 versions of English news take under 2 s, 10,000 versions all in
    Chinese or Japanese (2,600 characters each) about 12 s, most of it FTS5 indexing the pairs.
    """
    columns = ", ".join(f"CAST({column} AS BLOB)" for column in CJK_COLUMNS)
    rows = conn.execute(f"SELECT id, {columns} FROM versions")
    return index_versions(conn, ((version_id, *(_text(raw) for raw in texts)) for version_id, *texts in rows
                                 if any(raw and _has_lead_byte(raw) for raw in texts)))


def _text(raw: Optional[bytes]) -> Optional[str]:
    return None if raw is None else raw.decode("utf-8", "replace")


def original_snippet(snippet: Optional[str], highlight: tuple[str, str],
                     query_pairs: Collection[str]) -> Optional[str]:
    """A snippet of the CJK index (pairs, hits between OPEN_MARK and CLOSE_MARK) as the text was
    written, the hits between ``highlight``'s marks.

    Each pair stands for its first character, and a pair the snippet ends on (cut off) for both.
    A hit on one of the pairs of the query's phrases (``query_pairs``) is a hit on both its
    characters (北京市 ends with 京市: its 市 is the next pair's first); a pair found as a
    prefix ("桜"* finds 桜が) is a hit on its first only. The spaces bigram_text put between and
    around the pairs go.
    """
    if not snippet:
        return snippet
    pieces = [piece for piece in _RUNS_AND_REST.split(snippet) if piece]
    chars: list[tuple[str, bool]] = []  # (character, marked)
    inside = carried = False            # within the marks; a hit on a pair of the query marks the next character
    for i, piece in enumerate(pieces):
        last = i + 1 == len(pieces)
        if _CJK.match(piece):
            chars.append((piece[0], inside or carried))
            carried = inside and piece in query_pairs
            if len(piece) == 2 and (last or _bare(pieces[i + 1]) != " "):
                chars.append((piece[1], carried))  # the snippet ends within the run
                carried = False
            continue
        bare = _bare(piece)
        if i > 0 and bare.startswith(" "):
            piece = piece.replace(" ", "", 1)  # the space after a run, or between two of its pairs
            bare = bare[1:]
        if not last and bare.endswith(" "):
            cut = piece.rindex(" ")
            piece = piece[:cut] + piece[cut + 1:]  # the space before a run
        for char in piece:
            if char in (OPEN_MARK, CLOSE_MARK):
                inside = char == OPEN_MARK
            else:
                chars.append((char, inside))
                carried = False
    return _marked(chars, highlight)


def _bare(piece: str) -> str:
    return piece.replace(OPEN_MARK, "").replace(CLOSE_MARK, "")


def _marked(chars: list[tuple[str, bool]], highlight: tuple[str, str]) -> str:
    out, inside = [], False
    for char, marked in chars:
        if marked != inside:
            out.append(highlight[0] if marked else highlight[1])
            inside = marked
        out.append(char)
    if inside:
        out.append(highlight[1])
    return "".join(out)
