"""The SQLite archive of article records: ``ArchiveStore`` writes and reads it.

Table layout: see ``archive.schema``.
"""
from .errors import ArchiveError
from .schema import SCHEMA_VERSION
from .store import ArchiveStore
from .writer import StoreResult

__all__ = ["ArchiveError", "ArchiveStore", "SCHEMA_VERSION", "StoreResult"]
