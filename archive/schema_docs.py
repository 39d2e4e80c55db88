"""The schema's documentation (the docstring of ``archive.schema``) as table and column descriptions.

The docstring is the one place the tables are described; Datasette's metadata
and anything else that wants descriptions read them from here rather than
repeating them. A table entry starts at the left margin with its name
(optionally ``-- summary``), its indented text lists the columns as fragments
separated by ``;`` or ``,`` (outside parentheses): ``name (what it holds)``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import schema

_ENTRY = re.compile(r"^([a-z_][a-z0-9_]*)\s*(?:--\s*(.*))?$")
_WORD = re.compile(r"[a-z_][a-z0-9_]*")
_NAME_LIST = re.compile(r"[a-z_][a-z0-9_]*(?:\s*(?:/|with)\s*[a-z_][a-z0-9_]*)*")


@dataclass
class TableDoc:
    name: str
    summary: str                                   # the text after "--" (or the first fragment)
    text: str                                      # the entry's whole text, one paragraph
    fragments: list[str] = field(default_factory=list)

    def column(self, column: str) -> str | None:
        """The first fragment that is about ``column``: it starts by naming it."""
        for fragment in self.fragments:
            if column in _named_columns(fragment):
                return _without_lead_in(fragment)
        return None


def _named_columns(fragment: str) -> list[str]:
    """The column names a fragment describes: ``a / b (...) with c (...)`` -> [a, b, c].

    A lead-in up to a colon ("then the normalized record: url (as fetched)") is
    skipped; a fragment that is prose rather than a name list names nothing.
    """
    outside = _outside_parentheses(fragment)
    if ":" in outside:
        outside = outside.rsplit(":", 1)[1]
    if not _NAME_LIST.fullmatch(outside.strip()):
        return []
    return [word for word in _WORD.findall(outside) if word != "with"]


def _without_lead_in(fragment: str) -> str:
    """'then the normalized record: url (as fetched)' -> 'url (as fetched)'."""
    depth = 0
    for i, ch in enumerate(fragment):
        depth += (ch == "(") - (ch == ")")
        if ch == ":" and depth == 0:
            return _without_lead_in(fragment[i + 1:].strip())
    return fragment


def _outside_parentheses(text: str) -> str:
    kept, depth = [], 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(depth - 1, 0)
        elif depth == 0:
            kept.append(ch)
    return "".join(kept)


def table_docs(doc: str | None = None) -> dict[str, TableDoc]:
    """``{table name: TableDoc}`` for every entry of the schema docstring."""
    entries: dict[str, list[str]] = {}
    heads: dict[str, str] = {}
    current = None
    for line in (doc if doc is not None else schema.__doc__ or "").splitlines():
        match = _ENTRY.match(line)
        if match and not line.startswith(" "):
            current = match.group(1)
            heads[current] = (match.group(2) or "").strip()
            entries[current] = []
        elif current and line.startswith(" ") and line.strip():
            entries[current].append(line.strip())
        elif current and not line.strip():
            current = None
    docs = {}
    for name, lines in entries.items():
        body = " ".join(lines)
        head = heads[name]
        # Body fragments first: a summary such as "a re-fetch with the same
        # content_hash adds no version" mentions a column without describing it.
        fragments = _fragments(body) + _fragments(head)
        text = " ".join(part for part in (head, body) if part)
        docs[name] = TableDoc(name, head or (fragments[0] if fragments else ""), text, fragments)
    return docs


def _fragments(text: str) -> list[str]:
    """Split on ';', ',' and sentence ends that are not inside parentheses; drop full stops."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(depth - 1, 0)
        elif depth == 0 and (ch in ";," or (ch == "." and text[i + 1:i + 2] in (" ", ""))):
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip().rstrip(".").strip() for p in parts if p.strip().rstrip(".").strip()]


def column_description(docs: dict[str, TableDoc], table: str, column: str,
                       fallback_table: str | None = None) -> str:
    """What ``table.column`` holds, from the docs; never empty for a documented table."""
    doc = docs.get(table)
    described = doc.column(column) if doc else None
    if described is None and fallback_table and fallback_table in docs:
        described = docs[fallback_table].column(column)
    if described is not None and described != column:
        return described
    if column == "id":
        return f"the row's id in {table}"
    # The docs name the column without explaining it: its name is the explanation.
    return column.replace("_", " ")
