"""Scheduled crawls, kept in the archive itself: what to crawl, when, and who is crawling it now.

These tables are created on demand by ``ensure_schedule_tables`` (the commands
that write schedules call it); an archive without them simply has no schedules.
Dates are ISO 8601 text in UTC, as everywhere in the archive.

schedules  -- one row per recurring crawl
    id (never reused); name (UNIQUE: what the user calls it); url (the start
    URL; with via 'urls' the absolute path of a file of article URLs); via
    ('site', 'sitemap', 'feed' or 'urls', as ``newsarchive crawl --via``);
    every_seconds (the interval of an ``--every`` schedule) or cron (the
    expression of a ``--cron`` schedule): exactly one of the two is set;
    crawl_options (JSON list of further ``newsarchive crawl`` arguments, e.g.
    ["--max-pages", "500"]); paused (0/1); created_at; next_run_at (when it is
    next due: after each run it is computed from the time of that run, so runs
    missed while no scheduler was running are made up once, not N times);
    last_run_id (-> schedule_runs.id, the latest run).

schedule_runs  -- one row per run of a schedule, whatever its outcome (kept when
    the schedule is removed)
    id; schedule_id; schedule_name; started_at; finished_at (NULL while
    running); outcome ('running', 'ok', 'failed', 'stopped' when the scheduler
    was asked to stop, 'interrupted' when its runner died and the lock was
    taken over or the schedule removed); crawl_id (-> crawls.id: every run
    has a crawls row; a run that archived nothing gets one with status
    'failed' and the reason in crawl_failures); exit_code (of the crawl
    process); message (one line: the summary, or why it failed); pid and host
    (of the runner).

schedule_locks  -- one row per schedule being crawled right now: one crawl per
    schedule at a time, across processes and crashes
    schedule_id (primary key); run_id (-> schedule_runs.id); token (random: only
    the holder releases it); pid and host (of the runner), crawl_pid (of the
    crawl process it started); acquired_at; heartbeat_at; expires_at. A lock is
    stale, and the next runner takes it over, when its heartbeat has expired or,
    on the same host, when neither its runner nor its crawl process is alive.
"""
from __future__ import annotations

import json
import os
import secrets
import socket
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Optional

from sqlite_utils import Database

from .errors import ArchiveError
from .transaction import write_transaction

TABLES = ("schedules", "schedule_runs", "schedule_locks")
VIA = ("site", "sitemap", "feed", "urls")
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

_CREATE = (
    """CREATE TABLE IF NOT EXISTS schedules (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        url TEXT NOT NULL,
        via TEXT NOT NULL DEFAULT 'site',
        every_seconds INTEGER,
        cron TEXT,
        crawl_options TEXT NOT NULL DEFAULT '[]',
        paused INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        next_run_at TEXT NOT NULL,
        last_run_id INTEGER,
        CHECK ((every_seconds IS NULL) != (cron IS NULL))
    )""",
    """CREATE TABLE IF NOT EXISTS schedule_runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        schedule_id INTEGER NOT NULL,
        schedule_name TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        outcome TEXT NOT NULL DEFAULT 'running',
        crawl_id INTEGER REFERENCES crawls(id),
        exit_code INTEGER,
        message TEXT,
        pid INTEGER,
        host TEXT
    )""",
    "CREATE INDEX IF NOT EXISTS schedule_runs_schedule ON schedule_runs (schedule_id)",
    """CREATE TABLE IF NOT EXISTS schedule_locks (
        schedule_id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL,
        token TEXT NOT NULL,
        pid INTEGER NOT NULL,
        crawl_pid INTEGER,
        host TEXT NOT NULL,
        acquired_at TEXT NOT NULL,
        heartbeat_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    )""",
)


class ScheduleError(ArchiveError):
    """A request about schedules that cannot be done (unknown name, duplicate, ...)."""


def fmt(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime(TIME_FORMAT)


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=timezone.utc)


def now_utc() -> datetime:
    # Whole seconds, like the stored text, so comparisons in Python and SQL agree.
    return datetime.now(timezone.utc).replace(microsecond=0)


def has_schedule_tables(conn: sqlite3.Connection) -> bool:
    found = {row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (?, ?, ?)", TABLES)}
    return found == set(TABLES)


def ensure_schedule_tables(db: Database) -> None:
    """Create the schedule tables if missing; safe to call on every write."""
    if has_schedule_tables(db.conn):
        return
    with write_transaction(db):
        for statement in _CREATE:
            db.execute(statement)


# Schedules -----------------------------------------------------------------

def add_schedule(db: Database, name: str, url: str, *, via: str, every_seconds: Optional[int],
                 cron: Optional[str], crawl_options: list[str], next_run_at: datetime) -> dict[str, Any]:
    if via not in VIA:
        raise ScheduleError(f"unknown --via {via!r} (choose from {', '.join(VIA)})")
    if (every_seconds is None) == (cron is None):
        raise ScheduleError("a schedule needs exactly one of --every and --cron")
    ensure_schedule_tables(db)
    with write_transaction(db):
        if db.execute("SELECT 1 FROM schedules WHERE name = ?", [name]).fetchone():
            raise ScheduleError(f"there is already a schedule named {name!r} "
                                "(remove it first, or pick another name)")
        db.execute(
            "INSERT INTO schedules (name, url, via, every_seconds, cron, crawl_options, paused, "
            "created_at, next_run_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)",
            [name, url, via, every_seconds, cron, json.dumps(list(crawl_options)),
             fmt(now_utc()), fmt(next_run_at)])
    return get_schedule(db, name)


def get_schedule(db: Database, name: str) -> dict[str, Any]:
    rows = list_schedules(db, name=name)
    if not rows:
        raise ScheduleError(f"there is no schedule named {name!r}")
    return rows[0]


def list_schedules(db: Database, *, name: Optional[str] = None) -> list[dict[str, Any]]:
    """Every schedule (or the one named) with its latest run and that run's crawl."""
    if not has_schedule_tables(db.conn):
        return []
    sql = (
        "SELECT s.*, r.started_at AS last_started_at, r.finished_at AS last_finished_at, "
        "r.outcome AS last_outcome, r.message AS last_message, r.crawl_id AS last_crawl_id, "
        "c.status AS last_crawl_status, c.articles_new AS last_articles_new, "
        "c.articles_changed AS last_articles_changed, "
        "c.articles_unchanged AS last_articles_unchanged, c.failures AS last_failures, "
        "l.pid AS lock_pid, l.host AS lock_host "
        "FROM schedules s LEFT JOIN schedule_runs r ON r.id = s.last_run_id "
        "LEFT JOIN crawls c ON c.id = r.crawl_id "
        "LEFT JOIN schedule_locks l ON l.schedule_id = s.id "
    )
    params: list[Any] = []
    if name is not None:
        sql += "WHERE s.name = ? "
        params.append(name)
    rows = list(db.query(sql + "ORDER BY s.name", params))
    for row in rows:
        row["crawl_options"] = json.loads(row["crawl_options"] or "[]")
        row["paused"] = bool(row["paused"])
    return rows


def set_paused(db: Database, name: str, paused: bool) -> None:
    with write_transaction(db):
        _require(db, name)
        db.execute("UPDATE schedules SET paused = ? WHERE name = ?", [int(paused), name])


def set_next_run(db: Database, name: str, next_run_at: datetime) -> None:
    with write_transaction(db):
        _require(db, name)
        db.execute("UPDATE schedules SET next_run_at = ? WHERE name = ?", [fmt(next_run_at), name])


def remove_schedule(db: Database, name: str) -> None:
    """Forget the schedule; its runs and their crawls stay in the archive as history.

    A run still 'running' whose runner is gone is closed as 'interrupted' (nothing would
    ever close it); a run whose runner is alive is closed by that runner when its crawl ends."""
    now = now_utc()
    with write_transaction(db):
        schedule_id = _require(db, name)
        lock = current_lock(db, schedule_id)
        live_run = lock["run_id"] if lock and not lock_is_stale(lock, now, socket.gethostname()) else None
        db.execute(
            "UPDATE schedule_runs SET outcome = 'interrupted', finished_at = ?, message = ? "
            "WHERE schedule_id = ? AND outcome = 'running' AND id IS NOT ?",
            [fmt(now), "its runner stopped without finishing; the schedule was removed",
             schedule_id, live_run])
        db.execute("DELETE FROM schedule_locks WHERE schedule_id = ?", [schedule_id])
        db.execute("DELETE FROM schedules WHERE id = ?", [schedule_id])


def _require(db: Database, name: str) -> int:
    if not has_schedule_tables(db.conn):
        raise ScheduleError(f"there is no schedule named {name!r}")
    row = db.execute("SELECT id FROM schedules WHERE name = ?", [name]).fetchone()
    if row is None:
        raise ScheduleError(f"there is no schedule named {name!r}")
    return row[0]


def due_schedules(db: Database, now: datetime) -> list[dict[str, Any]]:
    """Unpaused schedules whose next run is at or before ``now``, most overdue first."""
    if not has_schedule_tables(db.conn):
        return []
    return list(db.query(
        "SELECT * FROM schedules WHERE paused = 0 AND next_run_at <= ? ORDER BY next_run_at, name",
        [fmt(now)]))


def next_wakeup(db: Database, now: datetime) -> Optional[datetime]:
    """The earliest next run still in the future, for a scheduler deciding how long to sleep."""
    if not has_schedule_tables(db.conn):
        return None
    row = db.execute("SELECT min(next_run_at) FROM schedules WHERE paused = 0 AND next_run_at > ?",
                     [fmt(now)]).fetchone()
    return parse_time(row[0]) if row and row[0] else None


# Locks and runs ------------------------------------------------------------

@dataclass(frozen=True)
class Holder:
    """Who is running a schedule: this process, unless a test says otherwise."""
    pid: int
    host: str

    @classmethod
    def this_process(cls) -> "Holder":
        return cls(os.getpid(), socket.gethostname())


@dataclass(frozen=True)
class Claim:
    """A schedule this runner holds the lock of, and the run row it opened."""
    schedule: dict[str, Any]
    run_id: int
    token: str
    taken_over: Optional[dict[str, Any]] = None  # the stale lock it replaced


def pid_alive(pid: Optional[int]) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def lock_is_stale(lock: dict[str, Any], now: datetime, host: str) -> bool:
    if parse_time(lock["expires_at"]) <= now:
        return True
    # On this host the kernel knows better than a heartbeat: a crashed runner is
    # stale at once, unless the crawl it started is still going.
    return lock["host"] == host and not pid_alive(lock["pid"]) and not pid_alive(lock["crawl_pid"])


def current_lock(db: Database, schedule_id: int) -> Optional[dict[str, Any]]:
    return next(db.query("SELECT * FROM schedule_locks WHERE schedule_id = ?", [schedule_id]), None)


def claim(db: Database, schedule_id: int, holder: Holder, now: datetime,
          ttl_seconds: int) -> tuple[Optional[Claim], Optional[dict[str, Any]]]:
    """Lock a due schedule and open its run, in one transaction.

    Returns (claim, None), or (None, lock) when another live runner holds it, or
    (None, None) when it is no longer due (run, paused or removed meanwhile).
    """
    with write_transaction(db):
        schedule = next(db.query(
            "SELECT * FROM schedules WHERE id = ? AND paused = 0 AND next_run_at <= ?",
            [schedule_id, fmt(now)]), None)
        if schedule is None:
            return None, None
        lock = current_lock(db, schedule_id)
        if lock is not None:
            if not lock_is_stale(lock, now, holder.host):
                return None, lock
            db.execute("DELETE FROM schedule_locks WHERE schedule_id = ?", [schedule_id])
            db.execute(
                "UPDATE schedule_runs SET outcome = 'interrupted', finished_at = ?, message = ? "
                "WHERE id = ? AND outcome = 'running'",
                [fmt(now), f"its runner (pid {lock['pid']} on {lock['host']}) stopped without "
                           "finishing; the lock was taken over", lock["run_id"]])
        run_id = db.execute(
            "INSERT INTO schedule_runs (schedule_id, schedule_name, started_at, outcome, pid, host) "
            "VALUES (?, ?, ?, 'running', ?, ?)",
            [schedule_id, schedule["name"], fmt(now), holder.pid, holder.host]).lastrowid
        token = secrets.token_hex(16)
        db.execute(
            "INSERT INTO schedule_locks (schedule_id, run_id, token, pid, host, acquired_at, "
            "heartbeat_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [schedule_id, run_id, token, holder.pid, holder.host, fmt(now), fmt(now),
             fmt(now + timedelta(seconds=ttl_seconds))])
        db.execute("UPDATE schedules SET last_run_id = ? WHERE id = ?", [run_id, schedule_id])
    schedule["crawl_options"] = json.loads(schedule["crawl_options"] or "[]")
    return Claim(schedule, run_id, token, lock), None


def heartbeat(db: Database, claim_: Claim, now: datetime, ttl_seconds: int,
              crawl_pid: Optional[int] = None) -> bool:
    """Extend the lock; False if it is no longer ours (taken over after we stalled)."""
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE schedule_locks SET heartbeat_at = ?, expires_at = ?, "
            "crawl_pid = coalesce(?, crawl_pid) WHERE schedule_id = ? AND token = ?",
            [fmt(now), fmt(now + timedelta(seconds=ttl_seconds)), crawl_pid,
             claim_.schedule["id"], claim_.token])
        return cursor.rowcount == 1


def finish_run(db: Database, claim_: Claim, *, outcome: str, now: datetime,
               crawl_id: Optional[int], exit_code: Optional[int], message: str,
               next_run_at: Optional[datetime], pause: bool = False) -> None:
    """Close the run, move the schedule on (unless next_run_at is None) or pause it, and release
    the lock."""
    with write_transaction(db):
        db.execute(
            "UPDATE schedule_runs SET finished_at = ?, outcome = ?, crawl_id = ?, exit_code = ?, "
            "message = ? WHERE id = ?",
            [fmt(now), outcome, crawl_id, exit_code, message, claim_.run_id])
        still_ours = db.execute("DELETE FROM schedule_locks WHERE schedule_id = ? AND token = ?",
                                [claim_.schedule["id"], claim_.token]).rowcount == 1
        if next_run_at is not None and still_ours:
            db.execute("UPDATE schedules SET next_run_at = ? WHERE id = ?",
                       [fmt(next_run_at), claim_.schedule["id"]])
        if pause and still_ours:
            db.execute("UPDATE schedules SET paused = 1 WHERE id = ?", [claim_.schedule["id"]])


def runs(db: Database, name: Optional[str] = None) -> list[dict[str, Any]]:
    if not has_schedule_tables(db.conn):
        return []
    if name is None:
        return list(db.query("SELECT * FROM schedule_runs ORDER BY id"))
    return list(db.query("SELECT * FROM schedule_runs WHERE schedule_name = ? ORDER BY id", [name]))
