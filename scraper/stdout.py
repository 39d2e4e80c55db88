"""Standard output: text for a terminal in whatever encoding it has and without the control
characters a page may carry, data in UTF-8."""
from __future__ import annotations

import codecs
import re
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


# C0 and C1 control characters but newline and tab, and DEL: a page's text may carry them (an
# escaped "\u001b" in its JSON-LD, a raw ESC byte), and a terminal obeys them: ESC sequences clear
# the screen, recolour what follows, forge a link's target, write the clipboard (OSC 52).
_CONTROL = "[\x00-\x08\x0b-\x1f\x7f-\x9f]"
SHOWN_FOR_CONTROL = "\ufffd"


def terminal_text(text: str, keep: tuple[str, ...] = ()) -> str:
    """``text`` with each control character a page may have put in it shown as U+FFFD; the
    sequences in ``keep`` (our own highlighting) stay as they are."""
    kept = "|".join(re.escape(sequence) for sequence in keep if sequence)
    pattern = re.compile(f"({kept})|{_CONTROL}" if kept else _CONTROL)
    return pattern.sub(lambda m: m.group(1) if kept and m.group(1) else SHOWN_FOR_CONTROL, text)
