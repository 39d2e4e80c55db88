"""Standard output's encoding: text for a terminal in whatever encoding it has, data in UTF-8."""
from __future__ import annotations

import codecs
import sys

PRINTABLE = "newsarchive-printable"


def _printable(exc: UnicodeError) -> tuple[str, int]:
    """Encoding error handler for standard output: a non-UTF-8 file name's bytes as they are
    (surrogateescape), anything else the output's encoding cannot write as "?"."""
    try:
        return codecs.lookup_error("surrogateescape")(exc)
    except UnicodeError:
        return codecs.lookup_error("replace")(exc)


codecs.register_error(PRINTABLE, _printable)


def utf8_stdout() -> None:
    """Standard output in UTF-8 whatever the locale: JSON and CSV are data, written as ``-o FILE``
    writes them, not in a terminal's Latin-1 or Shift_JIS (which lack most of the world's text)."""
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8", errors="surrogateescape")
