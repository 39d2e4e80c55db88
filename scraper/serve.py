"""`newsarchive serve`: the archive in Datasette, read-only, on loopback unless told otherwise."""
from __future__ import annotations

import os
import signal
import sqlite3
from pathlib import Path
from typing import Union

from datasette.database import Database

from archive.datasette_metadata import datasette_metadata
from archive.readonly import reading_archive

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001


def build_datasette(path: Union[str, os.PathLike]):
    """A Datasette instance over the archive at ``path`` that cannot write to it.

    It reads through ``mode=ro`` connections, so what a (scheduled) crawl adds
    while it runs shows up, and Datasette only writes through plugins and write
    queries, of which there are none. Immutable mode would promise SQLite that
    the file never changes, which the next crawl breaks; it is used only when
    SQLite could not create its ``-shm`` file beside a WAL archive (a read-only
    directory), where ``mode=ro`` cannot open it at all.
    """
    from datasette.app import Datasette

    path = Path(path)
    with reading_archive(path) as db:  # refuses a missing, empty or foreign file
        metadata = datasette_metadata(db.conn, path.stem)
    immutable = not os.access(path.resolve().parent, os.W_OK)
    ds = Datasette(
        files=[] if immutable else [str(path)],
        immutables=[str(path)] if immutable else [],
        metadata=metadata,
        settings={"sql_time_limit_ms": 3000, "default_page_size": 50},
    )
    (name,) = [name for name, database in ds.databases.items() if database.path == str(path)]
    ds.remove_database(name)
    ds.add_database(_ArchiveFile(ds, str(path), is_mutable=not immutable), name=name)
    return ds


class _ArchiveFile(Database):
    """Datasette's Database, opened through a proper file: URI.

    Datasette writes the path into the URI as it is (``file:{path}?mode=ro``), so
    a file name with ``#``, ``?`` or ``%`` (``my#news.db``) named another file:
    SQLite opened ``my`` read-write, creating it empty, and served that.
    """

    def connect(self, write=False):
        if write:
            raise sqlite3.OperationalError("newsarchive serve opens the archive read-only")
        mode = "mode=ro" if self.is_mutable else "immutable=1"
        conn = sqlite3.connect(f"{Path(self.path).resolve().as_uri()}?{mode}", uri=True, check_same_thread=False)
        self._all_file_connections.append(conn)
        return conn


def serve(path: Union[str, os.PathLike], host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM stop it cleanly).

    Raises ArchiveError for a bad archive and OSError when the port cannot be had.
    """
    import asyncio

    import uvicorn

    ds = build_datasette(path)
    asyncio.run(ds.invoke_startup())
    _check_port_free(host, port)
    database = ds.urls.database(Path(path).stem)  # as Datasette routes it: my#news.db at /my~23news
    print(f"newsarchive: serving {path} read-only at http://{host}:{port}{database}", flush=True)
    # uvicorn shuts down gracefully on SIGTERM, then re-raises the signal to the
    # previous handler: make that a KeyboardInterrupt, so the command exits 0
    # as it does after Ctrl-C, instead of dying by the signal.
    signal.signal(signal.SIGTERM, _interrupt)
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on", workers=1)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _check_port_free(host: str, port: int) -> None:
    """Fail with one OSError line before uvicorn would log a multi-line bind error."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
