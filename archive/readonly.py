"""Opening an existing archive for the read commands (search, show, export, stats, serve).

They never create or change the file: it is opened through a ``mode=ro`` URI
(with normal locking, so a crawl may write meanwhile: see ``check._reader_uri``), and
a path that is missing, empty or someone else's database is refused with one
clear ArchiveError before any query runs.
"""
from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Union

from sqlite_utils import Database

from .check import _reader_uri, check_archive
from .errors import ArchiveError
from .schema import read_schema_version


class BadRequest(ArchiveError):
    """The question itself cannot be understood (a bad search query, date or version range)."""


class NotFound(ArchiveError):
    """The archive is fine but holds nothing that answers the question."""


def check_readable_archive(path: Union[str, os.PathLike]) -> Path:
    """Raise ArchiveError unless ``path`` is an existing newsarchive archive; never touches it.

    ``check.check_archive`` does the real checks (SQLite header, ``quick_check``
    on files small enough for it, the schema marker and version); it accepts a
    missing or empty file because a crawl would create the archive there, which
    a read command must refuse instead. A damaged page that the checks did not
    read surfaces later as an sqlite3.DatabaseError, which ``reading_archive``
    turns into one "is corrupt" line.
    """
    if path is None or str(path) == "":
        raise ArchiveError("no archive path was given")
    path = Path(path)
    if not path.exists():
        raise ArchiveError(f"no archive at {path}")
    if path.is_file() and path.stat().st_size == 0:
        raise ArchiveError(f"{path} is empty, not an archive")
    check_archive(path)
    return path


def open_read_only(path: Union[str, os.PathLike]) -> Database:
    """The archive at ``path`` as a read-only sqlite_utils Database (close its ``.conn`` when done)."""
    path = check_readable_archive(path)
    with path.open("rb") as f:
        header = f.read(100)
    try:
        conn = sqlite3.connect(_reader_uri(path, header), uri=True, timeout=30)
    except sqlite3.Error as exc:
        raise ArchiveError(f"cannot open {path}: {exc}") from exc
    try:
        _check_schema(conn, path)
    except BaseException:
        conn.close()
        raise
    return Database(conn)


def _check_schema(conn: sqlite3.Connection, path: Path) -> None:
    """check_archive lets an SQLite file without tables through (a crawl would fill it); we cannot read it."""
    try:
        version = read_schema_version(conn)
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(f"{path} is corrupt: {exc}") from exc
    if version is None:
        raise ArchiveError(f"{path} is an SQLite database but not a newsarchive archive")


@contextmanager
def reading_archive(path: Union[str, os.PathLike]) -> Iterator[Database]:
    """``with reading_archive(path) as db:`` -- open read-only; SQLite errors become one-line ArchiveErrors."""
    db = open_read_only(path)
    try:
        yield db
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError) and "malformed" not in str(exc):
            raise ArchiveError(f"could not read {path}: {exc}") from exc
        raise ArchiveError(f"{path} is corrupt: {exc}") from exc
    finally:
        db.conn.close()
