"""Full-width, half-width and compatibility forms folded (Unicode NFKC) for searching: the text the
full-text indexes hold, the query asked of them, and the snippet turned back into the text as written.

Japanese and Chinese news write Latin letters and digits full-width (ＮＨＫ, ２０２５年), older
Japanese text writes katakana half-width (ｶﾀｶﾅ, ﾃﾞｼﾞﾀﾙ), and text that went through a PDF has
ligatures (ﬁnance) and other compatibility characters (Ⅻ, ², Arabic presentation forms). unicode61
folds case and accents but none of these, so each form found only itself. The indexes hold the
text folded and a query is folded the same way: ＮＨＫ and NHK, ２０２５年 and 2025年, ｶﾀｶﾅ and
カタカナ, ﬁnance and finance find each other, whichever was stored and whichever is typed.

Folding is NFKC, a character at a time (a kana with the half-width sound mark after it as one:
ﾃﾞ is デ), and only where a letter or digit (unicode61's word characters) becomes letters and
digits, so that folding never moves a word boundary: ™ stays (its NFKC, "TM", would make
"Switch™" the one word "switchtm", not found by "switch"), and so do ½ (1⁄2: two words), ㈱ and
the other symbols and punctuation.

Versions whose text folding changes (most Japanese news, few others) have their folded title,
subtitle and body_text in ``versions_folded``; the view ``versions_indexed_text`` is each
version's text as indexed (folded where that table has it), the content the main indexes are
built from, so FTS5's own 'rebuild' and 'integrity-check' agree with them. Snippets are made from
that text, and ``written_snippet`` puts the text as written back in.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Mapping, Optional, Sequence

FOLDED_TABLE = "versions_folded"
INDEXED_TEXT_VIEW = "versions_indexed_text"
FOLDED_COLUMNS = ("title", "subtitle", "body_text")

# Characters folding leaves as they are, passed over without a look (the tests check each): ASCII;
# the Latin-1 and Latin Extended-A letters, and the punctuation, spaces and quotes of European text
# (a few of them have another NFKC, but are no letter or digit: NBSP, the ellipsis); those of
# Chinese and Japanese text (、。「」（）！ ...), its kana and ideographs, and Hangul syllables. Not
# passed over: ª ² ³ µ ¹ º, the kana sound marks ゛ ゜, the digraphs ゟ ヿ, 〸 〹 〺.
_UNCHANGED = (("\x00", "\xa9"), ("\xab", "\xb1"), ("\xbb", "\u0131"), ("\u2000", "\u206f"),
              ("\u3000", "\u3037"), ("\u303b", "\u303f"), ("\u3041", "\u309a"), ("\u309d", "\u309e"),
              ("\u30a0", "\u30fe"), ("\u3400", "\u4dbf"), ("\u4e00", "\u9fff"), ("\uac00", "\ud7a3"),
              ("\uff01", "\uff0f"), ("\uff1a", "\uff20"), ("\uff3b", "\uff40"), ("\uff5b", "\uff65"))
# Sound marks that fold into the kana before them (ｶﾞ, or ｶ and a combining mark, is ガ).
_SOUND_MARKS = "\u3099\u309a\uff9e\uff9f"
_UNIT = re.compile(f"[^{''.join(f'{low}-{high}' for low, high in _UNCHANGED)}][{_SOUND_MARKS}]*")

_folded_units: dict[str, str] = {}  # unit -> folded: a character or two each, a few thousand at most


def _is_word_character(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "LN" or category == "Co"


def _folded_unit(unit: str) -> str:
    folded = _folded_units.get(unit)
    if folded is None:
        folded = unicodedata.normalize("NFKC", unit)
        if folded == unit or not _is_word_character(unit[0]) or not all(map(_is_word_character, folded)):
            folded = unit
        _folded_units[unit] = folded
    return folded


def _fold_match(match: re.Match) -> str:
    return _folded_unit(match.group())


def fold(text: Optional[str]) -> Optional[str]:
    """``text`` as the indexes hold it: ＮＨＫ ２０２５年 ｶﾀｶﾅ ﬁnance -> NHK 2025年 カタカナ finance."""
    # ASCII, and text already in NFKC (English with curly quotes, most Chinese), are the same folded.
    if not text or text.isascii() or unicodedata.is_normalized("NFKC", text):
        return text
    return _UNIT.sub(_fold_match, text)


def folded_row(version: Mapping[str, Any]) -> Optional[dict[str, Optional[str]]]:
    """The version's title, subtitle and body_text folded, or None when folding changes none of them."""
    folded = {column: fold(version[column]) for column in FOLDED_COLUMNS}
    return None if all(folded[column] == version[column] for column in FOLDED_COLUMNS) else folded


INSERT_FOLDED = f"INSERT INTO {FOLDED_TABLE} (version_id, {', '.join(FOLDED_COLUMNS)}) VALUES (?, ?, ?, ?)"


def store_folded(conn, version_id: int, version: Mapping[str, Any]) -> Mapping[str, Any]:
    """Write the folded text of a version just written (``version``, its row of the versions table,
    inserted or its text updated: the update trigger has taken its old row out) if folding changes
    it; the triggers put it in the indexes. Returns the texts as indexed, for the CJK index."""
    folded = folded_row(version)
    if folded is None:
        return version
    conn.execute(INSERT_FOLDED, [version_id, *folded.values()])
    return folded


def fold_stored_versions(conn) -> int:
    """Write the folded text of every version whose text folding changes; how many. The text is read
    as bytes and only a version with some that is not ASCII is decoded and folded (1.6 s for 20,000
    versions of English news, nearly all with curly quotes)."""
    columns = ", ".join(f"CAST({column} AS BLOB)" for column in FOLDED_COLUMNS)
    written = 0

    def changed():
        nonlocal written
        for version_id, *raw in conn.execute(f"SELECT id, {columns} FROM versions"):
            if all(value is None or value.isascii() for value in raw):
                continue
            try:
                texts = dict(zip(FOLDED_COLUMNS, (None if value is None else value.decode() for value in raw)))
            except UnicodeDecodeError:
                continue  # not UTF-8 (written by another tool): indexed as it is
            folded = folded_row(texts)
            if folded is not None:
                written += 1
                yield (version_id, *folded.values())
    conn.executemany(INSERT_FOLDED, changed())
    return written


# -- the snippet as written --------------------------------------------------------------------

def _changes(text: str) -> tuple[str, list[tuple[int, int, int, int]]]:
    """``text`` folded, and where folding changed it: for each changed character, its (start, end)
    in ``text`` and (start, end) in the folded text."""
    changes: list[tuple[int, int, int, int]] = []
    pieces: list[str] = []
    done = shift = 0
    for match in _UNIT.finditer(text):
        unit = match.group()
        folded = _folded_unit(unit)
        if folded == unit:
            continue
        start, end = match.span()
        pieces += [text[done:start], folded]
        changes.append((start, end, start + shift, start + shift + len(folded)))
        shift += len(folded) - len(unit)
        done = end
    pieces.append(text[done:])
    return "".join(pieces), changes


def _written_offset(offset: int, changes: list[tuple[int, int, int, int]], *, end: bool) -> int:
    """Where ``offset`` in the folded text is in the text as written; an offset within a folded
    character (the "f" of "fi" from "ﬁ") moves to its start, or to its end for the ``end`` of a span."""
    shift = 0
    for start, stop, folded_start, folded_stop in changes:
        if offset <= folded_start:
            break
        if offset < folded_stop:
            return stop if end else start
        shift = stop - folded_stop
    return offset + shift


def written_snippet(snippet: Optional[str], texts: Sequence[Optional[str]], marks: tuple[str, str],
                    highlight: tuple[str, str], ellipsis: str) -> Optional[str]:
    """A snippet of folded text (hits between ``marks``, cut ends as ``ellipsis``) in the text it
    came from as written (one of ``texts``, the version's title, subtitle and body_text), the hits
    between ``highlight``'s marks.

    The snippet is looked for in each text folded; where it is found, the same stretch of the
    text as written is shown. A snippet found nowhere (which should not be) is shown as it is.
    """
    if not snippet:
        return snippet
    parts = re.split(f"({re.escape(marks[0])}|{re.escape(marks[1])})", snippet)
    plain = "".join(part for part in parts if part not in marks)
    lead = ellipsis if plain.startswith(ellipsis) else ""
    trail = ellipsis if plain.endswith(ellipsis) and len(plain) >= len(lead) + len(ellipsis) else ""
    core = plain[len(lead):len(plain) - len(trail)]
    for text in (texts if core else ()):
        if not text:
            continue
        folded, changes = _changes(text)
        found = folded.find(core)
        if found < 0:
            continue
        out, offset = [lead], -len(lead)           # offset: where the next part starts in ``core``
        written = _written_offset(found, changes, end=False)
        for part in parts:
            if part in marks:
                at = found + min(max(offset, 0), len(core))
                here = max(_written_offset(at, changes, end=part == marks[1]), written)
                out += [text[written:here], highlight[part == marks[1]]]
                written = here
            else:
                offset += len(part)
        out += [text[written:_written_offset(found + len(core), changes, end=True)], trail]
        return "".join(out)
    return snippet.replace(marks[0], highlight[0]).replace(marks[1], highlight[1])
