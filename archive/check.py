"""Telling whether a file can be used as an archive, without touching it."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Union

from .errors import ArchiveError
from .schema import META_TABLE, SCHEMA_VERSION, read_schema_version

SQLITE_HEADER = b"SQLite format 3\x00"
QUICK_CHECK_MAX_BYTES = 256 * 1024 * 1024

# SQLite result codes that mean "could not get at the file", not "the file is bad".
_ACCESS_ERRORS = {"SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CANTOPEN", "SQLITE_PERM",
                  "SQLITE_IOERR", "SQLITE_READONLY", "SQLITE_AUTH"}


def check_archive(path: Union[str, os.PathLike]) -> None:
    """Raise ArchiveError unless ``path`` is usable as a newsarchive archive.

    Usable: a missing file or an empty (0-byte) file, which will become a new
    archive; an SQLite database with no tables; or a newsarchive archive that
    passes ``PRAGMA quick_check`` (files up to QUICK_CHECK_MAX_BYTES; larger ones
    get only the schema checks). The file is opened read-only and is never
    created or modified.
    """
    if path is None or str(path) == "":
        raise ArchiveError("no archive path was given")
    path = Path(path)
    if not path.exists():
        return
    if path.is_dir():
        raise ArchiveError(f"{path} is a directory, not an SQLite database")
    try:
        with path.open("rb") as f:
            header = f.read(100)
    except OSError as exc:
        raise ArchiveError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if header == b"":
        return
    if header[:len(SQLITE_HEADER)] != SQLITE_HEADER:
        raise ArchiveError(f"{path} is not an SQLite database")

    uri = _read_only_uri(path, header)
    try:
        _check_database(path, uri)
    except ArchiveError:
        # An immutable look at the file goes wrong if a crawl started meanwhile
        # and checkpointed pages under it; such a crawl has a -wal file beside
        # the archive. Look again with normal locking before calling it corrupt.
        if "immutable=1" not in uri or not Path(f"{path}-wal").exists():
            raise
        _check_database(path, _reader_uri(path, header))


def check_writable(path: Union[str, os.PathLike]) -> None:
    """Raise ArchiveError unless the archive at ``path`` can be written: the file opened for
    writing (if it exists; nothing is written) and a file created and removed in its
    directory, where SQLite keeps its ``-wal``/``-shm`` (or ``-journal``) files beside it.

    Tried, not worked out from permission bits, so a read-only file system, an immutable
    file and root's permissions all answer truly. Call after ``check_archive``.
    """
    path = Path(path)
    directory = path.parent
    if not directory.is_dir():
        raise ArchiveError(f"cannot create the archive {path}: directory {directory} does not exist")
    if path.exists():
        try:
            with path.open("r+b"):
                pass
        except OSError as exc:
            raise ArchiveError(f"cannot write to the archive {path}: {exc.strerror or exc}") from None
    probe = directory / f".{path.name}.{os.getpid()}.write-check"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        what = "write to the archive" if path.exists() else "create the archive"
        raise ArchiveError(
            f"cannot {what} {path}: its directory {directory} is not writable ({exc.strerror or exc}),"
            f" and SQLite keeps its journal ({path.name}-wal) there") from None
    os.close(fd)
    probe.unlink(missing_ok=True)


def _check_database(path: Path, uri: str) -> None:
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=30)
    except sqlite3.Error as exc:
        raise ArchiveError(f"cannot open {path}: {exc}") from exc
    try:
        # quick_check reads every page: worth it on a small file, minutes on a
        # multi-gigabyte archive opened every night. A big file gets the schema
        # checks below, and SQLite reports a damaged page when a write reaches it
        # (the write is then rolled back, nothing archived is lost).
        small = path.stat().st_size <= QUICK_CHECK_MAX_BYTES
        problems = [_one_line(row[0]) for row in conn.execute("PRAGMA quick_check")] if small else ["ok"]
        if problems != ["ok"]:
            shown = "; ".join(str(p) for p in problems[:3])
            more = f" (and {len(problems) - 3} more problems)" if len(problems) > 3 else ""
            raise ArchiveError(f"{path} is corrupt: {shown}{more}")
        tables = [row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
        if not tables:
            return
        version = read_schema_version(conn) if META_TABLE in tables else None
        if version is None:
            raise ArchiveError(f"{path} is an SQLite database but not a newsarchive archive")
        if version > SCHEMA_VERSION:
            raise ArchiveError(
                f"{path} was written by a newer newsarchive (schema version {version}; "
                f"this version understands up to {SCHEMA_VERSION})")
    except sqlite3.Error as exc:
        if getattr(exc, "sqlite_errorname", None) in _ACCESS_ERRORS:
            raise ArchiveError(f"cannot read {path}: {exc}") from exc
        raise ArchiveError(f"{path} is corrupt: {exc}") from exc
    finally:
        conn.close()


def _read_only_uri(path: Path, header: bytes) -> str:
    """A URI that opens ``path`` read-only without creating any file beside it.

    A read-only connection to a WAL-mode database creates the ``-wal`` and
    ``-shm`` files when they are missing. They are missing only when no one has
    the database open (a WAL database's last connection removes them on close),
    so for a moment's check the file is taken not to change and is opened
    ``immutable``, which needs neither (a connection that stays open must not
    be: see ``_reader_uri``). Otherwise (another process has it open, or a crash left a WAL
    behind that holds committed data) it is opened with normal locking.
    """
    uri = path.resolve().as_uri() + "?mode=ro"
    is_wal_mode = len(header) >= 20 and header[18] == 2 and header[19] == 2
    if is_wal_mode and not Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists():
        uri += "&immutable=1"
    return uri


def _reader_uri(path: Path, header: bytes) -> str:
    """The URI for a read-only connection that may stay open: ``mode=ro`` with normal locking.

    ``_read_only_uri`` opens a WAL archive that no one has open as
    ``immutable``: right for a moment's check, wrong for a reader that outlives
    that moment. A crawl that starts meanwhile checkpoints its pages into the
    file under the immutable connection, which keeps serving its cached pages
    (it never sees the new articles) and then reads a torn b-tree ("database
    disk image is malformed", reported as a corrupt archive). Normal locking
    creates the ``-wal`` and ``-shm`` files if they are missing (left behind
    empty, harmless; the next writer removes them). Only where the directory is
    read-only does the check's URI stand: no writer can start there (it needs
    its ``-wal``) and ``mode=ro`` alone could not open the file.
    """
    if os.access(path.resolve().parent, os.W_OK):
        return path.resolve().as_uri() + "?mode=ro"
    return _read_only_uri(path, header)


def _one_line(problem: object) -> str:
    text = str(problem).replace("*** in database main ***", "")
    return " ".join(text.split())
