"""The snippet of each hit of a search: FTS5's snippet(), unless the version may hold so many hits
that it would take seconds, then a snippet made here around the first hit.

FTS5's snippet() (and highlight()) take time that grows with the square of the hits in one
version (SQLite 3.40: 2,000 hits 0.06 s, 5,000 0.3 s, 10,000 3 s, 120,000 minutes): one page of
"word word word..." made every search for "word" take minutes. A version whose body is short
(SHORT_BODY characters) cannot hold enough words for that; a longer one has its words counted
here first (``_few_hits``: a word can be a hit only if it begins as a word of the query does, which
bounds the hits from above), and only a version with too many gets its snippet made here
(``_first_hit_snippet``): the first word that is one of the query's as written (or begins with a
prefix*), with as many words before and after it as snippet() gives, the same marks and ellipses.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from typing import Optional

# A body this short holds at most 2,000 words, for which snippet() takes under 0.1 s.
SHORT_BODY = 4000
# snippet() is asked for a longer version whose hits are at most this many (an upper bound:
# see _few_hits): about 20 ms; a real article's are a few dozen.
MAX_SNIPPET_HITS = 1000
ELLIPSIS = "…"

# A word as FTS5's unicode61 tokenizer makes them: a run of letters and digits.
_TOKEN = re.compile(r"[^\W_]+")
# The words of an FTS5 query outside its operators, each with whether a * follows it.
_QUERY_WORD = re.compile(r"([^\W_]+)(\*?)")
_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
# Words that share a Porter stem begin with the same two letters at least.
_STEM_PREFIX = 2

_FEW_HITS = "newsarchive_few_hits"
_FIRST_HIT_SNIPPET = "newsarchive_first_hit_snippet"


def snippet_sql(index: str, tokens: int) -> str:
    """The SQL expression of a hit's snippet in ``index``, the hits between :open and :close.

    Needs the parameter :match and the functions ``register_functions`` adds. SQLite evaluates
    only the branch of the CASE it takes.
    """
    columns = f"{index}.title, {index}.subtitle, {index}.body_text"
    return (f"CASE WHEN length({index}.body_text) <= {SHORT_BODY} OR {_FEW_HITS}(:match, {columns}) "
            f"THEN snippet({index}, -1, :open, :close, '{ELLIPSIS}', {tokens}) "
            f"ELSE {_FIRST_HIT_SNIPPET}(:match, :open, :close, {tokens}, {columns}) END")


def register_functions(conn) -> None:
    """Add the functions snippet_sql's expression calls to the sqlite3 connection ``conn``."""
    conn.create_function(_FEW_HITS, 4, _few_hits, deterministic=True)
    conn.create_function(_FIRST_HIT_SNIPPET, 7, _first_hit_snippet, deterministic=True)


def _fold(text: str) -> str:
    """As unicode61 compares words: case and diacritics folded."""
    text = text.casefold()
    if text.isascii():
        return text
    return _combining_marks().sub("", unicodedata.normalize("NFKD", text))


@functools.cache
def _combining_marks() -> re.Pattern:
    """The marks NFKD splits off letters (é -> e + U+0301), one character class of them all (those
    of the Basic Multilingual Plane; built the first time a text needs it, in 6 ms): a C loop
    over a long article, where testing each character in Python, or str.translate, took 1.5 ms."""
    marks = [code for code in range(0x10000) if unicodedata.combining(chr(code))]
    ranges, start = [], marks[0]
    for previous, code in zip(marks, marks[1:] + [None]):
        if code != previous + 1:
            ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(previous))}")
            start = code
    return re.compile(f"[{''.join(ranges)}]")


def _query_words(match: str) -> list[tuple[str, bool]]:
    """The query's words, folded, each with whether it is a prefix*; column names and operators left out."""
    return [(_fold(m.group(1)), bool(m.group(2))) for m in _QUERY_WORD.finditer(match)
            if m.group(1) not in _OPERATORS and not match[m.end():].lstrip().startswith(":")]


def _few_hits(match: str, *columns: Optional[str]) -> bool:
    """Whether the version's ``columns`` hold at most MAX_SNIPPET_HITS hits of ``match``, counted
    from above: every word that begins with the first letters of a word of the query, of which
    the count of those letters anywhere in the text is an upper bound (a word's start holds them,
    and two starts never overlap: the letters hold no separator). ``str.count`` is a C search;
    a loop over a long article's words in Python took 1-2 ms a hit."""
    prefixes = {word[:_STEM_PREFIX] for word, _ in _query_words(match)}
    if not prefixes:
        return True
    hits = 0
    for column in columns:
        if column:
            folded = _fold(column)
            hits += sum(folded.count(prefix) for prefix in prefixes)
            if hits > MAX_SNIPPET_HITS:
                return False
    return True


def _first_hit_snippet(match: str, open_: str, close: str, tokens: int, *columns: Optional[str]) -> Optional[str]:
    """A snippet of ``tokens`` words around the first word of the query in the body (else the
    standfirst, else the title), the query's words in it marked, placed as snippet() places a lone hit."""
    words = _query_words(match)

    def is_hit(token: str) -> bool:
        folded = _fold(token)
        return any(folded == word or (prefix and folded.startswith(word)) for word, prefix in words)

    for text in reversed(columns):
        if not text:
            continue
        found = _window(text, tokens, is_hit)
        if found:
            break
    else:
        return None
    start, end, marked = found
    out = [ELLIPSIS] if _TOKEN.search(text, 0, start) else []
    at = start
    for token in marked:
        out += [text[at:token.start()], open_, token.group(), close]
        at = token.end()
    out.append(text[at:end])
    if _TOKEN.search(text, end):
        out.append(ELLIPSIS)
    return "".join(out)


def _window(text: str, tokens: int, is_hit) -> Optional[tuple]:
    """(start, end, hit tokens) of the ``tokens`` words around the first hit of ``text``; None without one."""
    recent: list = []  # the words before the hit, at most `tokens`
    iterator = _TOKEN.finditer(text)
    for token in iterator:
        if is_hit(token.group()):
            break
        recent = (recent + [token])[-tokens:]
    else:
        return None
    after = [token]
    for token in iterator:
        if len(after) == tokens:
            break
        after.append(token)
    # snippet() starts half the words of the window less the hit's before it, earlier at the column's end.
    lead = min(max((tokens - 1) // 2, tokens - len(after)), len(recent))
    window = recent[len(recent) - lead:] + after[:tokens - lead]
    return window[0].start(), window[-1].end(), [token for token in window if is_hit(token.group())]
