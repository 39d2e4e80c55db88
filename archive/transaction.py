"""The write transaction: all of a write, or none of it."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from sqlite_utils import Database

from .errors import ArchiveError


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """Run the block inside ``BEGIN IMMEDIATE ... COMMIT``; roll back if anything raises.

    IMMEDIATE takes the write lock up front, so two crawlers writing to the same
    file wait for each other (up to busy_timeout) instead of failing half way.
    sqlite-utils calls made inside the block (insert, update, lookup) join the
    transaction through savepoints.
    """
    conn = db.conn
    if conn.in_transaction:
        raise ArchiveError("a write is already in progress on this archive connection")
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
