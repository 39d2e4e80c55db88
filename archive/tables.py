"""Rows as an aligned plain-text table (for the read commands' terminal output)."""
from __future__ import annotations

from typing import Any, Sequence

NUMBER = (int, float)


def text_table(rows: Sequence[dict[str, Any]], columns: Sequence[str],
               max_width: dict[str, int] | None = None) -> str:
    """A header line, a rule, then one line per row; numbers right-aligned, long text cut with '…'."""
    max_width = max_width or {}
    cells = [[_cell(row.get(name), max_width.get(name)) for name in columns] for row in rows]
    widths = [max([len(name)] + [len(line[i]) for line in cells]) for i, name in enumerate(columns)]
    numeric = [bool(rows) and all(isinstance(row.get(name), NUMBER) or row.get(name) is None for row in rows)
               for name in columns]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.rjust(w) if num else v.ljust(w)
                         for v, w, num in zip(values, widths, numeric)).rstrip()

    out = [line(columns), line(["-" * w for w in widths])]
    out += [line(values) for values in cells]
    return "\n".join(out)


def _cell(value: Any, limit: int | None) -> str:
    text = "" if value is None else " ".join(str(value).split())
    if limit and len(text) > limit:
        text = text[:limit - 1] + "…"
    return text
