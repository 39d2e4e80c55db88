"""File names as the archive keeps them: as text, whatever bytes a name is made of."""
from __future__ import annotations

import os


def file_name_text(name: str) -> str:
    """``name`` as text that SQLite and a WARC header can hold: a file name, whose bytes need
    not be UTF-8 (café.warc.gz named on a Latin-1 system), reaches Python with each byte that
    is not as a lone surrogate (os.fsdecode), which SQLite refuses with a UnicodeEncodeError.
    Those bytes are kept as ``\\xNN`` (``caf\\xe9.warc.gz``); text that is UTF-8 is returned
    as it is."""
    try:
        raw = os.fsencode(name)
    except UnicodeEncodeError:  # a surrogate no file name decodes to ("\\ud800" from JSON)
        raw = name.encode("utf-8", "backslashreplace")
    return raw.decode("utf-8", "backslashreplace")
