"""Running scheduled crawls: ``run_due`` (once, for cron or a systemd timer) and ``run_scheduler``.

Each crawl runs as its own ``newsarchive crawl`` process: Scrapy's reactor can run
only once per process, and a crawl that crashes or leaks cannot take the
scheduler down with it. This module never imports Scrapy or Twisted.

One crawl per schedule at a time is enforced by a lock row in the archive
(``archive.schedules``), heartbeated while the crawl runs, so two schedulers, or
a cron job next to a scheduler, never crawl the same schedule twice at once,
and a lock left by a killed runner is taken over.
"""
from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Callable, Container, Iterator, Optional

from archive import ArchiveError, ArchiveStore
from archive import crawls as crawl_rows
from archive import schedules
from archive.schedules import Claim, Holder, now_utc

from .schedule_rules import Rule, RuleError
from .ways_in import SPIDERS  # --via -> spider name, as `newsarchive crawl` maps it

LOCK_TTL_SECONDS = 600        # a runner that stops heartbeating loses its locks after this
HEARTBEAT_SECONDS = 60
STOP_TIMEOUT_SECONDS = 60     # after SIGTERM, how long a crawl gets to close its archive rows
STOP_GRACE_SECONDS = 5        # after SIGTERM, how long before the second one that forces the stop

_CRAWL_ID = re.compile(r"^crawl #(\d+) of ", re.MULTILINE)

Report = Callable[[str], None]


class ArchiveMoved(ArchiveError):
    """The archive file a runner has open is no longer at its path (moved, deleted or replaced):
    a crawl started now would create a new, empty archive there."""


def _file_identity(path: str) -> Optional[tuple[int, int]]:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def open_archive(db_path: str) -> ArchiveStore:
    """The archive a runner works on; it must exist already (schedule add creates it)."""
    if not Path(db_path).is_file():
        raise ArchiveError(f"there is no archive at {db_path} (add a schedule first: "
                           "newsarchive schedule add NAME --url URL --every 6h --db ...)")
    return ArchiveStore(db_path)


def crawl_command(schedule: dict, db_path: str) -> list[str]:
    # NEWSARCHIVE_SCHEDULE: the crawl's crawls row names the schedule (close_killed_scheduled_crawl).
    return [sys.executable, "-m", "scraper.cli", "crawl", schedule["url"], "--db", db_path,
            "--via", schedule["via"], "-q", *schedule["crawl_options"],
            "-s", f"NEWSARCHIVE_SCHEDULE={schedule['name']}"]


@dataclass
class RunResult:
    name: str
    outcome: str                 # ok, failed or stopped
    crawl_id: Optional[int]
    exit_code: Optional[int]
    message: str

    def line(self) -> str:
        run = f"crawl #{self.crawl_id}" if self.crawl_id is not None else "run"
        return f"{self.name}: {run} {self.outcome}: {self.message}"


# What became of a due schedule a runner looked at (Runner.considered).
STARTED = "started"
STILL_RUNNING = "still running from before"  # another runner's crawl of it has not ended
NO_LONGER_DUE = "no longer due"              # run by another runner, paused or removed meanwhile


@dataclass
class DueRuns:
    """What one run-due did: the runs it started, with how they ended, and the due schedules
    it did not start, so that its last line agrees with the lines above it."""
    results: list[RunResult]
    considered: dict[int, tuple[str, str]]  # Runner.considered

    def not_started(self, state: str) -> list[str]:
        return [name for name, seen in self.considered.values() if seen == state]

    def summary(self) -> str:
        """'nothing is due', or e.g. '2 due, 1 still running from before, 1 started: 1 ok'."""
        if not self.considered and not self.results:
            return "nothing is due"
        parts = [f"{len(self.considered)} due"]
        for state in (STILL_RUNNING, NO_LONGER_DUE):
            if self.not_started(state):
                parts.append(f"{len(self.not_started(state))} {state}")
        started = f"{len(self.results)} started"
        if self.results:
            outcomes = Counter(result.outcome for result in self.results)
            started += ": " + ", ".join(f"{count} {outcome}" for outcome, count in outcomes.items())
        return ", ".join(parts + [started])


@dataclass
class _Running:
    claim: Claim
    process: subprocess.Popen
    stdout: IO[bytes]
    stderr: IO[bytes]
    started: datetime
    crawls_before: int  # the last crawls row before the crawl began: its own comes after
    stop_sent: bool = field(default=False)


def _die_with_parent() -> None:  # pragma: no cover - runs in the forked child
    """Linux: the crawl gets SIGTERM if its runner is killed, so no orphan outlives the lock."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


def _tail_message(stdout: str, stderr: str, exit_code: int) -> str:
    """One line saying how the crawl went: its summary, or its own error message."""
    if exit_code == 0:
        lines = [" ".join(line.split()) for line in stdout.splitlines()[1:] if line.strip()]
        return "; ".join(lines) or "finished"
    ours = [line[len("newsarchive: "):] for line in stderr.splitlines() if line.startswith("newsarchive: ")]
    if ours:
        # The crawl's "archive was not changed" is no longer true: the run gets its crawls row.
        return ours[-1].removesuffix("; the archive was not changed")
    if exit_code < 0:
        return f"the crawl process was killed by signal {-exit_code}"
    rest = [line.strip() for line in stderr.splitlines() if line.strip()]
    return (rest[-1] if rest else f"the crawl process exited with code {exit_code}")[:500]


def _reporting_cannot_fail(report: Report) -> Report:
    """``report``, except that a line it cannot write is lost, not the run it is about: a run
    is recorded before its line is written, and a line that raised (the terminal of a scheduler
    left running closed, its log's disk full) made the run recorded again as failed, with a crawl
    that archived nothing, and ended the scheduler. Every run is in the archive (schedule list)."""
    def report_line(line: str) -> None:
        try:
            report(line)
        except (OSError, ValueError):  # EIO, EPIPE, ENOSPC; ValueError: a closed file
            pass
    return report_line


class Runner:
    """Starts due schedules as crawl processes, heartbeats their locks and records how they end."""

    def __init__(self, db_path: str, *, parallel: int = 1, report: Report = print,
                 lock_ttl: int = LOCK_TTL_SECONDS, heartbeat_every: float = HEARTBEAT_SECONDS,
                 stop_timeout: float = STOP_TIMEOUT_SECONDS) -> None:
        self.archive = open_archive(db_path)
        self.db = self.archive.db
        self.db_path = str(Path(db_path).resolve())
        self._identity = _file_identity(self.db_path)  # of the file this runner has open
        self.parallel = max(1, parallel)
        self.report = _reporting_cannot_fail(report)
        self.lock_ttl = lock_ttl
        self.heartbeat_every = heartbeat_every
        self.stop_timeout = stop_timeout
        self.holder = Holder.this_process()
        self.running: dict[int, _Running] = {}
        self._last_heartbeat = time.monotonic()
        self._told_held: set[int] = set()  # run ids of other runners' locks already reported
        # Every due schedule this runner looked at, by id: its name and what became of it
        # (STARTED, STILL_RUNNING elsewhere, NO_LONGER_DUE); run-due's summary counts them.
        self.considered: dict[int, tuple[str, str]] = {}
        self._ended: list[RunResult] = []    # runs that ended without a crawl process; reap returns them
        self.archive_trouble: Optional[Exception] = None  # why the last tick could not finish
        self.wake: Optional[datetime] = None  # after a tick with nothing running: the next run due

    def close(self) -> None:
        """Release the archive; crawls still running here (only after an error) are ended,
        so none outlives its runner. Their locks are then stale, since both processes are gone."""
        for run in self.running.values():
            if run.process.poll() is None:
                run.process.terminate()
        for run in self.running.values():
            try:
                run.process.wait(timeout=self.stop_timeout)
            except subprocess.TimeoutExpired:
                run.process.kill()
                run.process.wait()
        self.archive.close()

    # Starting --------------------------------------------------------------

    def start_due(self, exclude: Container[int] = frozenset()) -> None:
        """Start due schedules up to ``parallel`` at a time, noting each in ``considered``."""
        if _file_identity(self.db_path) != self._identity:
            raise ArchiveMoved(f"the archive {self.db_path} was moved, deleted or replaced while this "
                               "runner had it open; no crawl is started (a crawl would create a new, "
                               "empty archive there): run it again with --db on the archive's path")
        for schedule in schedules.due_schedules(self.db, now_utc()):
            if len(self.running) >= self.parallel:
                break
            if schedule["id"] in self.running or schedule["id"] in exclude:
                continue
            started = now_utc()
            claim, held = schedules.claim(self.db, schedule["id"], self.holder, started, self.lock_ttl)
            state = STILL_RUNNING if held is not None else STARTED if claim is not None else NO_LONGER_DUE
            self.considered[schedule["id"]] = (schedule["name"], state)
            if held is not None:
                if held["run_id"] not in self._told_held:
                    self._told_held.add(held["run_id"])
                    self.report(f"{schedule['name']}: already running (pid {held['pid']} on "
                                f"{held['host']}), not started again")
            elif claim is not None:
                try:
                    self._start(claim, started)
                except Exception as exc:  # one schedule's failure must not stop the others
                    if schedule["id"] in self.running:  # its crawl runs: reap records how it ends
                        self.report(f"{schedule['name']}: {type(exc).__name__}: {exc}")
                    else:
                        self._ended.append(self._broken(claim, started, exc))

    def _start(self, claim: Claim, started: datetime) -> None:
        schedule = claim.schedule
        if claim.taken_over:
            self.report(f"{schedule['name']}: took over the lock of a runner that is gone "
                        f"(pid {claim.taken_over['pid']} on {claim.taken_over['host']})")
        try:
            Rule.of(schedule).next_after(started)
        except RuleError:
            # A rule stored before `schedule add` checked it: crawling would only end in the
            # same error. _record pauses the schedule and says why.
            self._ended.append(self._record(claim, started, "failed", None, None, "not crawled"))
            return
        self.report(f"{schedule['name']}: crawling {schedule['url']} (via {schedule['via']})")
        crawls_before = self.db.execute("SELECT coalesce(max(id), 0) FROM crawls").fetchone()[0]
        stdout, stderr = tempfile.TemporaryFile(), tempfile.TemporaryFile()
        try:
            process = subprocess.Popen(
                crawl_command(schedule, self.db_path), stdin=subprocess.DEVNULL,
                stdout=stdout, stderr=stderr,
                # Its own session: Ctrl-C reaches only the scheduler, which then stops
                # the crawl once, cleanly, instead of the terminal signalling both.
                start_new_session=True,
                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
        except OSError as exc:
            stdout.close()
            stderr.close()
            self._ended.append(self._record(claim, started, "failed", None, None,
                                            f"could not start the crawl process: {exc.strerror or exc}"))
            return
        self.running[schedule["id"]] = _Running(claim, process, stdout, stderr, started, crawls_before)
        schedules.heartbeat(self.db, claim, now_utc(), self.lock_ttl, crawl_pid=process.pid)

    # Waiting ---------------------------------------------------------------

    def tick(self, *, once: bool = False) -> list[RunResult]:
        """One turn of a runner's loop: record the crawls that ended, keep the others' locks
        alive and start due schedules (with ``once``, only those this runner has not looked at:
        run-due). Returns the runs that ended.

        An archive another process keeps locked past the busy timeout, or that is briefly
        unreadable, ends no crawl: the error is kept in ``archive_trouble`` for the caller to
        report, and the next turn tries again. A lock lives ``lock_ttl`` seconds without a
        heartbeat, and the crawl processes wait for the archive on their own."""
        results = self.reap()  # records each run on its own: never raises
        try:
            self.keep_locks_alive()
            self.start_due(exclude=self.considered if once else frozenset())
            self.wake = None if self.running else schedules.next_wakeup(self.db, now_utc())
            self.archive_trouble = None
        except (ArchiveError, sqlite3.Error) as exc:
            self.archive_trouble = exc
        return results

    def reap(self) -> list[RunResult]:
        """Record the crawls that have ended."""
        results, self._ended = self._ended, []
        for schedule_id, run in list(self.running.items()):
            exit_code = run.process.poll()
            if exit_code is None:
                continue
            del self.running[schedule_id]
            try:
                results.append(self._finish(run, exit_code))
            except Exception as exc:  # one schedule's failure must not stop the others
                results.append(self._broken(run.claim, run.started, exc, exit_code))
        return results

    def keep_locks_alive(self) -> None:
        """Heartbeat the locks of the running crawls, every ``heartbeat_every`` seconds."""
        if self.running and time.monotonic() - self._last_heartbeat >= self.heartbeat_every:
            for run in self.running.values():
                if not schedules.heartbeat(self.db, run.claim, now_utc(), self.lock_ttl):
                    self.report(f"{run.claim.schedule['name']}: lost its lock (this runner stalled "
                                "past the lock's expiry and another one took over)")
            self._last_heartbeat = time.monotonic()  # after: a heartbeat that failed is tried again

    def wait(self, seconds: float, stop: threading.Event) -> None:
        """Sleep up to ``seconds``, waking early when a crawl ends or a stop is asked for."""
        deadline = time.monotonic() + seconds
        while not stop.is_set() and time.monotonic() < deadline:
            if any(run.process.poll() is not None for run in self.running.values()):
                return
            stop.wait(min(0.2, max(0.0, deadline - time.monotonic())))

    def stop(self) -> list[RunResult]:
        """Ask every running crawl to stop (Scrapy closes its crawl row on SIGTERM), then record them."""
        for run in self.running.values():
            if not run.stop_sent and run.process.poll() is None:
                run.process.send_signal(signal.SIGTERM)
            run.stop_sent = True
        started = time.monotonic()
        deadline = started + self.stop_timeout
        forced = False
        results = []
        while self.running:
            results += self.reap()
            if not forced and time.monotonic() > started + STOP_GRACE_SECONDS:
                # Scrapy's graceful stop waits for downloads in flight (up to
                # DOWNLOAD_TIMEOUT); a second SIGTERM makes it stop at once, and
                # the crawl process still closes its crawls row (scraper.crawl).
                for run in self.running.values():
                    if run.process.poll() is None:
                        run.process.send_signal(signal.SIGTERM)
                forced = True
            if time.monotonic() > deadline:
                for run in self.running.values():
                    run.process.kill()
            time.sleep(0.1)
        return results + self.reap()  # and the runs that ended without a crawl process

    # Recording -------------------------------------------------------------

    def _finish(self, run: _Running, exit_code: int) -> RunResult:
        run.stdout.seek(0)
        run.stderr.seek(0)
        out = run.stdout.read().decode("utf-8", "replace")
        err = run.stderr.read().decode("utf-8", "replace")
        run.stdout.close()
        run.stderr.close()
        match = _CRAWL_ID.search(out)
        crawl_id = int(match.group(1)) if match else None
        outcome = "stopped" if run.stop_sent else ("ok" if exit_code == 0 else "failed")
        message = _tail_message(out, err, exit_code)
        if crawl_id is None:
            # No summary: killed outright (SIGKILL, the OOM killer) or crashed. A crawls row it
            # began is still 'running', holding what it archived: the run's row is that one.
            schedule = run.claim.schedule
            crawl_id = crawl_rows.close_killed_scheduled_crawl(self.db, schedule["name"], run.crawls_before,
                                                              schedule["url"], message)
        return self._record(run.claim, run.started, outcome, crawl_id, exit_code, message)

    def _record(self, claim: Claim, started: datetime, outcome: str, crawl_id: Optional[int],
                exit_code: Optional[int], message: str) -> RunResult:
        schedule = claim.schedule
        now = now_utc()
        next_run, pause = None, False
        if outcome != "stopped":  # a stopped run did not happen: it stays due, runs at the next chance
            try:
                next_run = Rule.of(schedule).next_run(started, now)
            except Exception as exc:
                # No next run: running it again would end the same way, every time.
                reason = str(exc) if isinstance(exc, RuleError) else \
                    f"its next run cannot be computed ({type(exc).__name__}: {exc})"
                outcome, pause = "failed", True
                message = f"{message}; {reason}; the schedule is paused (remove it and add it again)"
        if crawl_id is None:
            crawl_id = self._crawl_row_for_nothing_archived(schedule, started, outcome, message)
        schedules.finish_run(self.db, claim, outcome=outcome, now=now, crawl_id=crawl_id,
                             exit_code=exit_code, message=message, next_run_at=next_run, pause=pause)
        result = RunResult(schedule["name"], outcome, crawl_id, exit_code, message)
        self.report(result.line())
        return result

    def _broken(self, claim: Claim, started: datetime, exc: Exception,
                exit_code: Optional[int] = None) -> RunResult:
        """A run that raised: recorded as failed with the reason, so that it neither stays
        'running' nor keeps the other schedules from running."""
        message = f"the run failed: {type(exc).__name__}: {exc}"
        try:
            return self._record(claim, started, "failed", None, exit_code, message)
        except Exception as again:
            result = RunResult(claim.schedule["name"], "failed", None, exit_code,
                               f"{message}; recording it failed too: {type(again).__name__}: {again}")
            self.report(result.line())
            return result

    def _crawl_row_for_nothing_archived(self, schedule: dict, started: datetime, outcome: str,
                                        message: str) -> int:
        """A crawl that archived nothing leaves no crawls row of its own (the archive stays
        untouched); a scheduled run still gets one, so the history shows every run."""
        crawl_id = crawl_rows.begin_crawl(self.db, SPIDERS.get(schedule["via"], schedule["via"]),
                                          schedule["url"], {"schedule": schedule["name"]})
        crawl_rows.record_failure(self.db, crawl_id, schedule["url"], message)
        crawl_rows.finish_crawl(self.db, crawl_id, "failed" if outcome == "ok" else outcome, {})
        self.db.execute("UPDATE crawls SET started_at = ? WHERE id = ?", [schedules.fmt(started), crawl_id])
        self.db.conn.commit()
        return crawl_id


@contextmanager
def stop_on_signals() -> Iterator[threading.Event]:
    """An event set by SIGINT, SIGTERM or SIGHUP while the block runs (main thread only).

    SIGHUP is what a scheduler gets when the terminal it runs in closes (an ssh session that
    drops): it killed the scheduler on the spot, leaving its run 'running' under a dead runner
    and its crawl stopped by the kernel's signal alone. A runner left to run on with `nohup`
    ignores SIGHUP, and so does this, then."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return
    signals = [signal.SIGINT, signal.SIGTERM]
    if hasattr(signal, "SIGHUP") and signal.getsignal(signal.SIGHUP) is not signal.SIG_IGN:
        signals.append(signal.SIGHUP)
    previous = {sig: signal.getsignal(sig) for sig in signals}
    for sig in previous:
        signal.signal(sig, lambda signum, frame: stop.set())
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run_due(db_path: str, *, parallel: int = 1, report: Report = print,
            stop: Optional[threading.Event] = None, **runner_options) -> DueRuns:
    """Run every schedule that is due now, once each, and return when they are done."""
    runner = Runner(db_path, parallel=parallel, report=report, **runner_options)
    results: list[RunResult] = []
    try:
        with stop_on_signals() as signalled:
            stop = stop or signalled
            while not stop.is_set():
                results += runner.tick(once=True)
                if isinstance(runner.archive_trouble, ArchiveMoved):
                    break  # its crawls are stopped and recorded in the archive it has open
                if runner.archive_trouble is not None:
                    if not runner.running:  # nothing to wait for: the next run-due tries again
                        raise runner.archive_trouble
                    runner.report(f"run-due: {runner.archive_trouble}; its crawls go on, trying again")
                if not runner.running:
                    break
                runner.wait(1.0, stop)
            results += runner.stop()
    finally:
        runner.close()
    if isinstance(runner.archive_trouble, ArchiveMoved):
        raise runner.archive_trouble
    return DueRuns(results, runner.considered)


def run_scheduler(db_path: str, *, poll: float = 60.0, parallel: int = 1, report: Report = print,
                  stop: Optional[threading.Event] = None, **runner_options) -> Counter[str]:
    """Run due crawls as they come due until SIGINT, SIGTERM or SIGHUP (or ``stop``); returns how
    many runs ended each way (``{"ok": 40, "failed": 2}``).

    Counts, not the runs: a scheduler runs for weeks, and keeping each run's result (its line
    and summary) grew it by each run; the runs themselves are in the archive."""
    runner = Runner(db_path, parallel=parallel, report=report, **runner_options)
    outcomes: Counter[str] = Counter()
    try:
        with stop_on_signals() as signalled:
            stop = stop or signalled
            runner.report(f"scheduler: watching {runner.db_path} (checking every {poll:g}s; Ctrl-C stops)")
            while not stop.is_set():
                outcomes.update(result.outcome for result in runner.tick())
                if isinstance(runner.archive_trouble, ArchiveMoved):
                    break
                if runner.archive_trouble is not None:
                    # A busy or briefly unreadable archive must not end a long-running scheduler.
                    runner.report(f"scheduler: {runner.archive_trouble}; trying again in {poll:g}s")
                    runner.wait(poll, stop)
                elif runner.running:
                    runner.wait(1.0, stop)
                else:
                    until_due = (runner.wake - now_utc()).total_seconds() if runner.wake else poll
                    runner.wait(max(0.5, min(poll, until_due)), stop)
            if runner.running:
                runner.report(f"scheduler: stopping {len(runner.running)} running crawl(s)")
            outcomes.update(result.outcome for result in runner.stop())
            runner.report("scheduler: stopped")
    finally:
        runner.close()
    if isinstance(runner.archive_trouble, ArchiveMoved):
        raise runner.archive_trouble
    return outcomes
