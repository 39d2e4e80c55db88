"""The one exception the archive raises for every expected bad situation."""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from typing import Iterator


class ArchiveError(Exception):
    """A problem with the archive file or a request made of it, with one clear message."""


@contextmanager
def sqlite_errors_as_archive_errors(action: str) -> Iterator[None]:
    """Turn a raw ``sqlite3.Error`` raised inside the block into an ArchiveError.

    ``action`` says what was being done ("could not store https://... in archive.db"),
    and the SQLite message follows it.
    """
    try:
        yield
    except sqlite3.Error as exc:
        message = str(exc) or type(exc).__name__
        if "locked" in message or "busy" in message:
            message += " (another process is writing to the archive; try again when it is done)"
        raise ArchiveError(f"{action}: {message}") from exc
