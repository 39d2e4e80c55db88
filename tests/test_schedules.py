"""Scheduled crawls: schedules stored in the archive, run-due, the scheduler loop and its locks.

Crawls are real `newsarchive crawl` processes against a tiny sample site on loopback.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pty
import re
import select
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta

import pytest

from archive import ArchiveStore
from archive import schedules
from archive.schedules import Holder, now_utc, parse_time
from scraper.cli import main
from scraper.schedule_rules import Rule, RuleError, check_cron, parse_interval
from tests.conftest import ROOT, assert_one_clean_line, run_cli

# Loopback crawls need no politeness; no retries so an unreachable site fails at once.
FAST = ["--", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "RETRY_ENABLED=False"]


@pytest.fixture(scope="module")
def tiny_site():
    from scraper.sample_site import SampleSite, SampleSiteServer

    site = SampleSite(articles=5)
    with SampleSiteServer(site) as server:
        yield site, server


@pytest.fixture
def hanging_url():
    """A port that accepts connections and never answers: a crawl of it runs until its timeout."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/"
    finally:
        sock.close()


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/"


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def add(db, name, url, *rule, options=FAST) -> None:
    assert main(["schedule", "add", name, "--url", url, *rule, "--db", str(db), *options]) == 0


def listed(db) -> dict[str, dict]:
    result = run_cli("schedule", "list", "--db", str(db), "--json")
    assert result.returncode == 0, result.stderr
    return {row["name"]: row for row in map(json.loads, result.stdout.splitlines())}


def query(db, sql, params=()):
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(row) for row in conn.execute(sql, params)]


def set_next_run(db, name, when) -> None:
    with ArchiveStore(db) as store:
        schedules.set_next_run(store.db, name, when)


# Rules ---------------------------------------------------------------------

@pytest.mark.parametrize("text, seconds", [("30m", 1800), ("6h", 21600), ("1d", 86400),
                                           ("1h30m", 5400), ("2d12h", 216000), ("45s", 45)])
def test_intervals(text, seconds):
    assert parse_interval(text) == seconds
    assert Rule(every_seconds=seconds).describe() == f"every {text}"


@pytest.mark.parametrize("text", ["", "6", "h", "6x", "0m", "1m30h", "-1h", "1.5h", "6 h"])
def test_bad_intervals(text):
    with pytest.raises(RuleError, match="bad interval"):
        parse_interval(text)


@pytest.mark.parametrize("text", ["3651d", "3000000d", "99999999999d", "87600h1s", "9" * 40 + "s", "9" * 5000 + "m"])
def test_intervals_longer_than_ten_years_are_refused(text):
    with pytest.raises(RuleError, match=r"bad interval .*at most 3650d \(ten years\)"):
        parse_interval(text)
    assert parse_interval("3650d") == parse_interval("87600h") == 3650 * 86400
    assert parse_interval("0" * 20 + "1d") == 86400


@pytest.mark.parametrize("expr", ["0 */6 * * *", "61 * * * *", "* * *", "0 0 * * * *", "every day", ""])
def test_cron_needs_five_valid_fields(expr):
    if expr == "0 */6 * * *":
        assert check_cron(expr) == expr
    else:
        with pytest.raises(RuleError, match="bad cron expression"):
            check_cron(expr)


@pytest.mark.parametrize("expr, problem", [
    ("61 3 * * *", "minute 61 is out of range (0-59)"),
    ("0 24 * * *", "hour 24 is out of range (0-23)"),
    ("0 0 0 * *", "day of month 0 is out of range (1-31)"),
    ("0 0 * 13 *", "month 13 is out of range (1-12)"),
    ("0 0 * * 8", "day of week 8 is out of range (0-7)"),
    ("0-70 * * * *", "minute 70 is out of range (0-59)"),
    ("*/0 * * * *", "the minute field '*/0' has a step of 0"),
    ("0 0 1 FOO *", "the month field 'FOO' is not understood"),
    ("0 */6 * *", "it has 4 field(s), it needs five"),
    ("0 0 * * * *", "it has 6 field(s), it needs five"),
    ("0 3 31 2 *", "it never runs, no date matches it (like 31 February)"),
    ("0 0 31 4,6 *", "it never runs"),
])
def test_bad_cron_says_what_is_wrong(expr, problem):
    with pytest.raises(RuleError) as error:
        check_cron(expr)
    message = str(error.value)
    assert message.startswith(f"bad cron expression {expr!r}: {problem}")
    assert ("it needs five" in message) == ("field(s)" in problem)  # only when the count is wrong


def test_missed_runs_collapse_into_one():
    now = now_utc()
    every = Rule(every_seconds=3600)
    # On time: the cadence is kept from the start of the run.
    assert every.next_run(now - timedelta(minutes=5), now) == now + timedelta(minutes=55)
    # A crawl longer than the interval, or a run long overdue: next is one interval from now.
    assert every.next_run(now - timedelta(hours=3), now) == now + timedelta(hours=1)
    cron = Rule(cron="0 */6 * * *")
    following = cron.next_run(now - timedelta(days=3), now)
    assert now < following <= now + timedelta(hours=6) and following.minute == 0
    assert every.first_run(now) == now and cron.first_run(now) > now


@pytest.mark.parametrize("rule, problem", [
    (Rule(every_seconds=3000000 * 86400), "every 3000000d has no next run: it would be after the year 9999"),
    (Rule(every_seconds=99999999999 * 86400), "it would be after the year 9999"),
    (Rule(cron="0 3 31 2 *"), "cron 0 3 31 2 * has no next run after"),
])
def test_a_rule_without_a_next_run_says_so(rule, problem):
    # Rules `schedule add` now refuses, as an older archive may still hold them.
    with pytest.raises(RuleError, match=re.escape(problem)):
        rule.next_run(now_utc(), now_utc())


# Storage and locks (library level) ------------------------------------------

@pytest.fixture
def archive(tmp_path):
    with ArchiveStore(tmp_path / "archive.db") as store:
        yield store


def _add_due(store, name="s"):
    return schedules.add_schedule(store.db, name, "http://127.0.0.1:9/", via="site", every_seconds=3600,
                                  cron=None, crawl_options=[], next_run_at=now_utc())


def _exited_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_tables_are_created_idempotently(archive):
    assert not schedules.has_schedule_tables(archive.db.conn)
    assert schedules.list_schedules(archive.db) == [] and schedules.due_schedules(archive.db, now_utc()) == []
    schedules.ensure_schedule_tables(archive.db)
    schedules.ensure_schedule_tables(archive.db)
    assert schedules.has_schedule_tables(archive.db.conn)


def test_live_lock_blocks_and_is_released(archive):
    schedule = _add_due(archive)
    now = now_utc()
    first, held = schedules.claim(archive.db, schedule["id"], Holder.this_process(), now, 600)
    assert first is not None and held is None
    # A second runner, same host, while this process (the holder) is alive: blocked.
    second, held = schedules.claim(archive.db, schedule["id"], Holder(os.getpid() + 1, Holder.this_process().host), now, 600)
    assert second is None and held["pid"] == os.getpid()
    schedules.finish_run(archive.db, first, outcome="ok", now=now, crawl_id=None, exit_code=0,
                         message="done", next_run_at=now + timedelta(hours=1))
    assert schedules.current_lock(archive.db, schedule["id"]) is None
    # Not due any more, so nobody claims it.
    assert schedules.claim(archive.db, schedule["id"], Holder.this_process(), now, 600) == (None, None)
    assert [r["outcome"] for r in schedules.runs(archive.db)] == ["ok"]


def test_lock_of_a_dead_runner_is_taken_over(archive):
    schedule = _add_due(archive)
    host = Holder.this_process().host
    now = now_utc()
    dead_pid = _exited_pid()
    dead, _ = schedules.claim(archive.db, schedule["id"], Holder(dead_pid, host), now, 600)
    taker, held = schedules.claim(archive.db, schedule["id"], Holder.this_process(), now, 600)
    assert held is None and taker is not None
    assert taker.taken_over["pid"] == dead_pid and taker.taken_over["run_id"] == dead.run_id
    old, new = schedules.runs(archive.db)
    assert old["outcome"] == "interrupted" and "taken over" in old["message"]
    assert new["outcome"] == "running"
    # The dead runner's late finish cannot release or move what is no longer its lock.
    schedules.finish_run(archive.db, dead, outcome="ok", now=now, crawl_id=None, exit_code=0,
                         message="late", next_run_at=now + timedelta(days=9))
    assert schedules.current_lock(archive.db, schedule["id"])["token"] == taker.token
    assert parse_time(schedules.get_schedule(archive.db, "s")["next_run_at"]) <= now


def test_live_crawl_process_keeps_a_lock_whose_runner_died(archive):
    schedule = _add_due(archive)
    host = Holder.this_process().host
    now = now_utc()
    orphan, _ = schedules.claim(archive.db, schedule["id"], Holder(_exited_pid(), host), now, 600)
    schedules.heartbeat(archive.db, orphan, now, 600, crawl_pid=os.getpid())  # the crawl still runs
    assert schedules.claim(archive.db, schedule["id"], Holder.this_process(), now, 600)[0] is None


def test_other_hosts_lock_holds_until_its_heartbeat_expires(archive):
    schedule = _add_due(archive)
    now = now_utc()
    remote, _ = schedules.claim(archive.db, schedule["id"], Holder(_exited_pid(), "elsewhere"), now, 60)
    # Its pid means nothing here: only the heartbeat counts.
    assert schedules.claim(archive.db, schedule["id"], Holder.this_process(), now, 60)[0] is None
    assert schedules.heartbeat(archive.db, remote, now + timedelta(seconds=50), 60)
    later = now + timedelta(seconds=100)
    assert schedules.claim(archive.db, schedule["id"], Holder.this_process(), later, 60)[0] is None
    expired = now + timedelta(seconds=111)
    taker, _ = schedules.claim(archive.db, schedule["id"], Holder.this_process(), expired, 60)
    assert taker is not None and taker.taken_over["host"] == "elsewhere"
    assert not schedules.heartbeat(archive.db, remote, expired, 60)  # the remote runner learns it lost it


def test_remove_closes_the_run_of_a_runner_that_is_gone(archive):
    schedule = _add_due(archive)
    now = now_utc()
    # A runner that crashed mid-run: its run stays 'running' and its lock stays behind.
    schedules.claim(archive.db, schedule["id"], Holder(_exited_pid(), Holder.this_process().host), now, 600)
    schedules.remove_schedule(archive.db, "s")
    [run] = schedules.runs(archive.db)
    assert run["outcome"] == "interrupted" and run["finished_at"] and "the schedule was removed" in run["message"]
    assert schedules.current_lock(archive.db, schedule["id"]) is None


def test_remove_leaves_a_live_run_to_its_runner(archive):
    schedule = _add_due(archive)
    now = now_utc()
    live, _ = schedules.claim(archive.db, schedule["id"], Holder.this_process(), now, 600)
    schedules.remove_schedule(archive.db, "s")
    assert [r["outcome"] for r in schedules.runs(archive.db)] == ["running"]
    # The runner closes it when its crawl ends, as it would have without the removal.
    schedules.finish_run(archive.db, live, outcome="ok", now=now, crawl_id=None, exit_code=0,
                         message="done", next_run_at=now + timedelta(hours=1))
    assert [r["outcome"] for r in schedules.runs(archive.db)] == ["ok"]
    assert schedules.list_schedules(archive.db) == []


def test_scheduler_module_never_imports_scrapy(tmp_path):
    db = tmp_path / "archive.db"
    add(db, "later", "http://127.0.0.1:9/", "--cron", "0 0 1 1 *")
    code = ("import sys; from scraper.scheduling import run_due; "
            f"assert run_due({str(db)!r}, report=lambda line: None).results == []; "
            "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('scrapy', 'twisted')); "
            "print(loaded)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


# The commands ----------------------------------------------------------------

def test_add_list_pause_resume_remove(tmp_path, capsys):
    db = tmp_path / "archive.db"
    add(db, "nightly", "https://news.example.com/", "--via", "sitemap", "--cron", "0 3 * * *",
        options=["--", "--max-pages", "500"])
    add(db, "often", "https://other.example.com/", "--every", "1h30m", options=[])
    assert "schedule often: https://other.example.com/ via site, every 1h30m; next run" in capsys.readouterr().out
    rows = listed(db)
    assert rows["nightly"]["via"] == "sitemap" and rows["nightly"]["cron"] == "0 3 * * *"
    assert rows["nightly"]["crawl_options"] == ["--max-pages", "500"]
    assert parse_time(rows["nightly"]["next_run_at"]).hour == 3
    assert rows["often"]["every_seconds"] == 5400
    assert parse_time(rows["often"]["next_run_at"]) <= now_utc()  # an --every schedule is due at once
    assert rows["often"]["last_outcome"] is None

    table = run_cli("schedule", "list", "--db", str(db)).stdout.splitlines()
    assert table[0].split() == ["NAME", "VIA", "RULE", "NEXT", "RUN", "LAST", "RUN", "OUTCOME", "URL"]
    assert table[1].split()[:3] == ["nightly", "sitemap", "cron"] and "never run" in table[1]
    assert "every 1h30m" in table[2]

    assert main(["schedule", "pause", "often", "--db", str(db)]) == 0
    assert listed(db)["often"]["paused"] is True
    assert "paused" in run_cli("schedule", "list", "--db", str(db)).stdout.splitlines()[2]
    assert main(["schedule", "resume", "often", "--db", str(db)]) == 0
    assert listed(db)["often"]["paused"] is False
    assert main(["schedule", "remove", "often", "--db", str(db)]) == 0
    assert list(listed(db)) == ["nightly"]


def test_list_of_an_archive_without_schedules_changes_nothing(tmp_path):
    db = tmp_path / "archive.db"
    ArchiveStore(db).close()
    before = digest(db)
    result = run_cli("schedule", "list", "--db", str(db))
    assert result.returncode == 0 and "no schedules" in result.stdout
    result = run_cli("schedule", "run-due", "--db", str(db))
    assert result.returncode == 0 and "nothing is due" in result.stdout
    result = run_cli("schedule", "pause", "nope", "--db", str(db))
    assert result.returncode == 2 and "no schedule named 'nope'" in result.stderr
    assert digest(db) == before
    assert not schedules.has_schedule_tables(sqlite3.connect(db))


@pytest.mark.parametrize("args, fragments", [
    (["add", "x", "--url", "http://127.0.0.1:9/", "--cron", "0 */6 * *"], ["bad cron expression"]),
    (["add", "x", "--url", "http://127.0.0.1:9/", "--cron", "61 * * * *"], ["bad cron expression"]),
    (["add", "x", "--url", "http://127.0.0.1:9/", "--cron", "61 3 * * *"], ["'61 3 * * *': minute 61 is out of range"]),
    (["add", "x", "--url", "http://127.0.0.1:9/", "--cron", "0 3 31 2 *"], ["'0 3 31 2 *': it never runs"]),
    (["add", "x", "--url", "http://127.0.0.1:9/", "--cron", "0 0 30 2 *"], ["bad cron expression", "never runs"]),
    (["add", "x", "--url", "http://127.0.0.1:9/", "--every", "6x"], ["bad interval", "6x"]),
    (["add", "x", "--url", "http://127.0.0.1:9/", "--every", "0h"], ["bad interval"]),
    (["add", "x", "--url", "http://127.0.0.1:9/", "--every", "3000000d"], ["bad interval", "at most 3650d"]),
    (["add", "x", "--url", "http://127.0.0.1:9/", "--every", "99999999999d"], ["bad interval", "at most 3650d"]),
    (["add", "x", "--url", "http://127.0.0.1:9/", "--every", "9" * 30 + "s"], ["bad interval", "at most 3650d"]),
    (["add", "dup", "--url", "http://127.0.0.1:9/", "--every", "1h"], ["already a schedule named 'dup'"]),
    (["add", "x", "--url", "ftp://example.com/", "--every", "1h"], ["not an http(s) URL"]),
    (["add", "x", "--url", "/no/such/file.txt", "--via", "urls", "--every", "1h"], ["cannot read the URLs file"]),
    (["add", "bad name", "--url", "http://127.0.0.1:9/", "--every", "1h"], ["bad schedule name"]),
    (["add", "x", "--url", "http://127.0.0.1:9/", "--every", "1h", "--", "--bogus"], ["bad crawl option", "--bogus"]),
    (["add", "x", "--url", "http://127.0.0.1:9/", "--every", "1h", "--", "--include", "("], ["--include"]),
    (["add", "x", "--url", "http://127.0.0.1:9/", "--every", "1h", "--", "-s", "NOEQUALS"], ["NAME=VALUE"]),
    (["add", "x", "--url", "http://127.0.0.1:9/", "--every", "1h", "--", "--db", "other.db"], ["--db"]),
    (["pause", "nope"], ["no schedule named 'nope'"]),
    (["resume", "nope"], ["no schedule named 'nope'"]),
    (["remove", "nope"], ["no schedule named 'nope'"]),
])
def test_bad_input_is_one_line_and_changes_nothing(tmp_path, args, fragments):
    db = tmp_path / "archive.db"
    add(db, "dup", "http://127.0.0.1:9/", "--every", "1h", options=[])
    before = digest(db)
    result = run_cli("schedule", args[0], "--db", str(db), *args[1:])
    assert result.returncode == 2
    assert_one_clean_line(result, *fragments)
    assert digest(db) == before
    assert list(listed(db)) == ["dup"]


@pytest.mark.parametrize("rule", [["--cron", "0 3 31 2 *"], ["--cron", "61 3 * * *"], ["--every", "3000000d"]])
def test_a_bad_rule_creates_no_archive(tmp_path, rule):
    result = run_cli("schedule", "add", "x", "--url", "http://127.0.0.1:9/", *rule, "--db", str(tmp_path / "a.db"))
    assert result.returncode == 2
    assert_one_clean_line(result, "bad ")
    assert list(tmp_path.iterdir()) == []


def test_every_and_cron_together_is_a_usage_error(tmp_path):
    result = run_cli("schedule", "add", "x", "--url", "http://127.0.0.1:9/", "--every", "1h",
                     "--cron", "0 * * * *", "--db", str(tmp_path / "a.db"))
    assert result.returncode == 2 and "not allowed with argument" in result.stderr
    assert not (tmp_path / "a.db").exists()


@pytest.mark.parametrize("poll", ["0", "-1", "nan", "inf"])
def test_scheduler_poll_must_be_a_positive_number(tmp_path, poll):
    db = tmp_path / "archive.db"
    add(db, "later", "http://127.0.0.1:9/", "--cron", "0 0 1 1 *", options=[])
    before = digest(db)
    result = run_cli("scheduler", "--poll", poll, "--db", str(db), timeout=30)  # nan and inf ran forever
    assert result.returncode == 2
    assert_one_clean_line(result, "--poll must be a number of seconds more than 0")
    assert digest(db) == before


@pytest.mark.parametrize("command", [["schedule", "list"], ["schedule", "run-due"], ["scheduler"],
                                     ["schedule", "pause", "x"]])
def test_missing_archive_is_not_created(tmp_path, command):
    db = tmp_path / "missing.db"
    result = run_cli(*command, "--db", str(db))
    assert result.returncode == 2
    assert_one_clean_line(result, "there is no archive at", "missing.db")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [["schedule", "list"], ["schedule", "run-due"], ["scheduler"],
                                     ["schedule", "remove", "x"],
                                     ["schedule", "add", "x", "--url", "http://127.0.0.1:9/", "--every", "1h"]])
@pytest.mark.parametrize("kind", ["text", "foreign"])
def test_a_file_that_is_not_ours_is_refused_untouched(tmp_path, command, kind):
    db = tmp_path / "theirs.db"
    if kind == "text":
        db.write_text("not a database\n")
    else:
        with sqlite3.connect(db) as conn:
            conn.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT)")
    before = digest(db)
    result = run_cli(*command, "--db", str(db))
    assert result.returncode == 2
    assert_one_clean_line(result, "theirs.db", "not")
    assert digest(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["theirs.db"]


# Running (real crawls) -------------------------------------------------------

@pytest.mark.slow
def test_run_due_runs_exactly_the_due_ones(tmp_path, tiny_site):
    site, server = tiny_site
    db = tmp_path / "archive.db"
    add(db, "due", server.url, "--every", "1h")
    add(db, "unreachable", closed_port_url(), "--every", "1h")
    add(db, "later", server.url, "--cron", "0 0 1 1 *")
    add(db, "paused", server.url, "--every", "1h")
    assert main(["schedule", "pause", "paused", "--db", str(db)]) == 0

    result = run_cli("schedule", "run-due", "--db", str(db), timeout=120)
    assert result.returncode == 1, result.stderr  # one of them failed
    assert "due: crawl #1 ok" in result.stdout
    assert "unreachable: crawl #2 failed: could not crawl" in result.stdout
    assert result.stdout.splitlines()[-1] == "2 due, 2 started: 1 ok, 1 failed"
    crawls = query(db, "SELECT * FROM crawls ORDER BY id")
    assert [(c["status"], c["articles_new"]) for c in crawls] == [("finished", 5), ("failed", 0)]
    assert json.loads(crawls[1]["args"]) == {"schedule": "unreachable"}
    assert "connection refused" in query(db, "SELECT reason FROM crawl_failures WHERE crawl_id = 2")[0]["reason"]
    assert query(db, "SELECT count(*) AS n FROM articles")[0]["n"] == 5

    rows = listed(db)
    assert (rows["due"]["last_outcome"], rows["due"]["last_crawl_id"], rows["due"]["last_articles_new"]) == ("ok", 1, 5)
    assert rows["unreachable"]["last_outcome"] == "failed" and "connection refused" in rows["unreachable"]["last_message"]
    assert rows["later"]["last_outcome"] is None and rows["paused"]["last_outcome"] is None
    next_due = parse_time(rows["due"]["next_run_at"]) - parse_time(rows["due"]["last_started_at"])
    assert next_due == timedelta(hours=1)
    table = run_cli("schedule", "list", "--db", str(db)).stdout
    assert "ok, crawl #1: new 5, changed 0, unchanged 0, errors 0" in table
    assert "failed, crawl #2: could not crawl" in table
    assert query(db, "SELECT count(*) AS n FROM schedule_locks")[0]["n"] == 0

    again = run_cli("schedule", "run-due", "--db", str(db))
    assert again.returncode == 0 and again.stdout.strip() == "nothing is due"
    assert len(query(db, "SELECT id FROM crawls")) == 2


@pytest.mark.slow
@pytest.mark.parametrize("rule", [["--every", "6h"], ["--cron", "*/10 * * * *"]])
def test_missed_runs_run_once(tmp_path, tiny_site, rule):
    _, server = tiny_site
    db = tmp_path / "archive.db"
    add(db, "weekly-miss", server.url, *rule)
    set_next_run(db, "weekly-miss", now_utc() - timedelta(days=7))  # a week of downtime
    result = run_cli("schedule", "run-due", "--db", str(db), timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("crawl #") == 1
    assert len(query(db, "SELECT id FROM crawls")) == 1
    next_run = parse_time(listed(db)["weekly-miss"]["next_run_at"])
    assert now_utc() < next_run <= now_utc() + timedelta(hours=6)


@pytest.mark.slow
def test_stale_lock_of_a_dead_pid_is_taken_over(tmp_path, tiny_site):
    _, server = tiny_site
    db = tmp_path / "archive.db"
    add(db, "crashed", server.url, "--every", "1h")
    with ArchiveStore(db) as store:
        schedule = schedules.get_schedule(store.db, "crashed")
        dead = _exited_pid()  # a scheduler that was killed mid-crawl; its lock is still fresh
        schedules.claim(store.db, schedule["id"], Holder(dead, Holder.this_process().host), now_utc(), 600)
    result = run_cli("schedule", "run-due", "--db", str(db), timeout=120)
    assert result.returncode == 0, result.stderr
    assert f"crashed: took over the lock of a runner that is gone (pid {dead}" in result.stdout
    assert "crashed: crawl #1 ok" in result.stdout
    assert [r["outcome"] for r in query(db, "SELECT outcome FROM schedule_runs ORDER BY id")] == ["interrupted", "ok"]
    assert query(db, "SELECT count(*) AS n FROM schedule_locks")[0]["n"] == 0


@pytest.mark.slow
def test_a_live_lock_blocks_a_second_runner(tmp_path, hanging_url):
    db = tmp_path / "archive.db"
    add(db, "slow", hanging_url, "--every", "1h",
        options=[*FAST, "-s", "DOWNLOAD_TIMEOUT=60", "-s", "ROBOTSTXT_OBEY=False"])
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    first = subprocess.Popen([sys.executable, "-m", "scraper.cli", "schedule", "run-due", "--db", str(db)],
                             cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not query(db, "SELECT * FROM schedule_locks WHERE crawl_pid IS NOT NULL"):
            assert time.monotonic() < deadline and first.poll() is None
            time.sleep(0.1)
        second = run_cli("schedule", "run-due", "--db", str(db))
        assert second.returncode == 0, second.stderr
        assert f"slow: already running (pid {first.pid} on" in second.stdout
        assert second.stdout.splitlines()[-1] == "1 due, 1 still running from before, 0 started"
        first.send_signal(signal.SIGTERM)  # run-due stops its crawl cleanly too
        out, err = first.communicate(timeout=60)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert first.returncode == 1 and "slow: crawl #1 stopped" in out, err
    assert [r["outcome"] for r in query(db, "SELECT outcome FROM schedule_runs")] == ["stopped"]
    assert query(db, "SELECT count(*) AS n FROM schedule_locks")[0]["n"] == 0


def test_a_crawl_killed_outright_has_its_own_crawls_row_closed(tmp_path, tiny_site):
    # A crawl killed by the OOM killer (SIGKILL) after it had archived articles left its crawls
    # row 'running' for ever, holding those articles' versions, and the run pointed at a second
    # row the runner made, 'failed' with no article: "crawl #2 failed: ... killed by signal 9".
    _, server = tiny_site
    db = tmp_path / "archive.db"
    add(db, "nightly", server.url, "--every", "1d", options=[*FAST, "-s", "DOWNLOAD_DELAY=0.3"])
    with _killed_if_left(_start_runner("schedule", "run-due", "--db", str(db))) as run_due:
        _wait_for(db, "SELECT id FROM versions", run_due)  # its crawls row holds an article
        (lock,) = query(db, "SELECT crawl_pid FROM schedule_locks")
        os.kill(lock["crawl_pid"], signal.SIGKILL)
        out, err = run_due.communicate(timeout=60)
    assert run_due.returncode == 1 and "Traceback" not in err, err
    assert "nightly: crawl #1 failed: the crawl process was killed by signal 9" in out, out
    (crawl,) = query(db, "SELECT * FROM crawls")
    archived = query(db, "SELECT count(*) AS n FROM versions WHERE crawl_id = 1")[0]["n"]
    assert (crawl["status"], crawl["articles_new"], crawl["failures"]) == ("interrupted", archived, 1)
    assert json.loads(crawl["args"])["schedule"] == "nightly"
    assert [r["reason"] for r in query(db, "SELECT reason FROM crawl_failures WHERE crawl_id = 1")] == [
        "the crawl process was killed by signal 9"]
    assert query(db, "SELECT outcome, crawl_id FROM schedule_runs") == [{"outcome": "failed", "crawl_id": 1}]
    assert listed(db)["nightly"]["last_crawl_id"] == 1


def test_run_due_summary_counts_a_run_still_going_from_before(tmp_path):
    # Its last line said "nothing is due" right under "already running ..., not started again".
    db = tmp_path / "archive.db"
    add(db, "nightly", "http://127.0.0.1:9/", "--every", "1d")
    add(db, "later", "http://127.0.0.1:9/", "--cron", "0 0 1 1 *")
    with ArchiveStore(db) as store:  # last night's run, by a runner that is alive (this process)
        schedules.claim(store.db, schedules.get_schedule(store.db, "nightly")["id"],
                        Holder.this_process(), now_utc(), 600)
    result = run_cli("schedule", "run-due", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"nightly: already running (pid {os.getpid()} on {socket.gethostname()}), not started again",
        "1 due, 1 still running from before, 0 started"]
    assert [r["outcome"] for r in query(db, "SELECT outcome FROM schedule_runs")] == ["running"]


def _start_scheduler(db, *args, **popen):
    return _start_runner("scheduler", "--db", str(db), *args, **popen)


def _start_runner(*command, **popen):
    """`newsarchive COMMAND` in a process of its own (stdout and stderr piped, unless ``popen``
    says otherwise)."""
    return subprocess.Popen([sys.executable, "-m", "scraper.cli", *command], cwd=ROOT,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)),
                            **{"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True, **popen})


@contextlib.contextmanager
def _killed_if_left(process):
    """``process`` for the block, killed after it if it still runs (an assertion failed)."""
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _wait_for(db, sql, process, seconds=60):
    deadline = time.monotonic() + seconds
    while True:
        rows = query(db, sql)
        if rows:
            return rows
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, f"timed out waiting for {sql}"
        time.sleep(0.2)


@pytest.mark.slow
def test_scheduler_runs_a_due_crawl_and_stops_on_sigterm(tmp_path, tiny_site):
    _, server = tiny_site
    db = tmp_path / "archive.db"
    add(db, "soon", server.url, "--cron", "0 0 1 1 *")
    scheduler = _start_scheduler(db, "--poll", "0.5")
    try:
        time.sleep(1.5)  # nothing is due yet: the scheduler waits
        assert query(db, "SELECT * FROM schedule_runs") == []
        set_next_run(db, "soon", now_utc())  # comes due while the scheduler runs
        _wait_for(db, "SELECT * FROM schedule_runs WHERE outcome = 'ok'", scheduler)
        scheduler.send_signal(signal.SIGTERM)
        out, err = scheduler.communicate(timeout=20)
    finally:
        if scheduler.poll() is None:
            scheduler.kill()
            scheduler.wait()
    assert scheduler.returncode == 0, err
    assert "soon: crawl #1 ok" in out and out.rstrip().endswith("scheduler: stopped")
    assert "Traceback" not in err
    assert len(query(db, "SELECT id FROM crawls")) == 1  # ran once, not again while still "due"
    assert query(db, "SELECT count(*) AS n FROM schedule_locks")[0]["n"] == 0


@pytest.mark.parametrize("change", ["moved", "deleted"])
def test_scheduler_stops_when_its_archive_is_moved_or_deleted(tmp_path, change):
    # It went on with the moved file open, and the next due crawl created a new archive at the old
    # path: the articles went there, and the moved archive recorded a failed run.
    db = tmp_path / "archive.db"
    add(db, "nightly", "http://127.0.0.1:9/", "--cron", "0 0 1 1 *")
    scheduler = _start_scheduler(db, "--poll", "0.5")
    try:
        time.sleep(1.5)
        moved = tmp_path / "moved"
        moved.mkdir()
        for path in tmp_path.glob("archive.db*"):
            path.rename(moved / path.name) if change == "moved" else path.unlink()
        out, err = scheduler.communicate(timeout=30)
    finally:
        if scheduler.poll() is None:
            scheduler.kill()
            scheduler.wait()
    assert scheduler.returncode == 1, err
    assert_one_clean_line(subprocess.CompletedProcess([], 1, out, err),
                          f"the archive {db} was moved, deleted or replaced while this runner had it "
                          "open; no crawl is started")
    assert out.rstrip().endswith("scheduler: stopped")
    assert not db.exists()  # no new, empty archive in its place
    if change == "moved":
        assert [row["name"] for row in listed(moved / "archive.db").values()] == ["nightly"]


@pytest.mark.slow
# SIGHUP: the terminal the scheduler ran in closed (an ssh session dropped). It killed the
# scheduler at once: no line, the run left 'running' under a dead pid, its lock behind.
@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_sigterm_stops_a_running_crawl_cleanly(tmp_path, hanging_url, stop_signal):
    db = tmp_path / "archive.db"
    add(db, "hangs", hanging_url, "--every", "1h",
        options=[*FAST, "-s", "DOWNLOAD_TIMEOUT=60", "-s", "ROBOTSTXT_OBEY=False"])
    due_at = listed(db)["hangs"]["next_run_at"]
    scheduler = _start_scheduler(db, "--poll", "0.5")
    try:
        lock = _wait_for(db, "SELECT * FROM schedule_locks WHERE crawl_pid IS NOT NULL", scheduler)[0]
        time.sleep(1)  # let the crawl get going
        started = time.monotonic()
        scheduler.send_signal(stop_signal)
        out, err = scheduler.communicate(timeout=50)
    finally:
        if scheduler.poll() is None:
            scheduler.kill()
            scheduler.wait()
    assert scheduler.returncode == 0, err
    assert time.monotonic() - started < 45  # it did not sit out the download timeout
    assert "scheduler: stopping 1 running crawl(s)" in out and "hangs: crawl #1 stopped" in out
    with pytest.raises(ProcessLookupError):
        os.kill(lock["crawl_pid"], 0)
    assert [r["outcome"] for r in query(db, "SELECT outcome FROM schedule_runs")] == ["stopped"]
    assert query(db, "SELECT count(*) AS n FROM schedule_locks")[0]["n"] == 0
    assert listed(db)["hangs"]["next_run_at"] == due_at  # a stopped run stays due


def test_a_scheduler_whose_terminal_closed_goes_on_archiving(tmp_path, tiny_site):
    # Left running in the background of a terminal that then closed (or under nohup, whose
    # SIGHUP it ignores), its next line failed with EIO: the run that had just been recorded
    # 'ok' was recorded again as "failed: the run failed: OSError: [Errno 5] Input/output
    # error", with a second crawls row saying it archived nothing, and the scheduler exited 1.
    _, server = tiny_site
    db = tmp_path / "archive.db"
    add(db, "often", server.url, "--every", "1s")
    terminal, its_end = pty.openpty()
    scheduler = _start_scheduler(db, "--poll", "0.5", stdin=subprocess.DEVNULL, stdout=its_end,
                                 preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN))
    os.close(its_end)
    with _killed_if_left(scheduler):
        shown = b""
        deadline = time.monotonic() + 30
        while b"often: crawling" not in shown:  # its first crawl has started
            assert time.monotonic() < deadline and scheduler.poll() is None, shown
            if select.select([terminal], [], [], 0.2)[0]:
                shown += os.read(terminal, 4096)
        os.close(terminal)  # the terminal goes away while it crawls
        _wait_for(db, "SELECT id FROM schedule_runs WHERE id = 2 AND outcome = 'ok'", scheduler)  # and on
        scheduler.send_signal(signal.SIGTERM)
        _, err = scheduler.communicate(timeout=30)
    assert scheduler.returncode == 0 and "Traceback" not in err, err
    runs = query(db, "SELECT outcome, crawl_id, message FROM schedule_runs ORDER BY id")
    assert [run["outcome"] for run in runs[:2]] == ["ok", "ok"], runs
    assert runs[-1]["outcome"] in ("ok", "stopped")
    crawls = query(db, "SELECT id, status, articles_new, args FROM crawls ORDER BY id")
    assert [run["crawl_id"] for run in runs[:2]] == [crawl["id"] for crawl in crawls[:2]]
    assert (crawls[0]["status"], crawls[0]["articles_new"]) == ("finished", 5)
    assert [c["status"] for c in crawls[:2]] == ["finished"] * 2
    assert query(db, "SELECT count(*) AS n FROM schedule_locks")[0]["n"] == 0


def test_a_scheduler_left_running_keeps_no_result_of_each_run(tmp_path, monkeypatch):
    # run_scheduler kept every run's result, its summary line and all, to return them when it
    # stopped: a scheduler left running for weeks grew by each run (32.02 MB of RSS, then 32.12 MB
    # after 164 runs of the sample site; 50 feeds every 5 minutes, some 250 MB a month).
    import gc
    import threading

    import scraper.scheduling as scheduling

    db = tmp_path / "archive.db"
    for n in range(20):
        add(db, f"feed{n}", "http://127.0.0.1:9/", "--every", "1s")
    monkeypatch.setattr(scheduling, "crawl_command",  # a crawl that ends at once, archiving nothing
                        lambda schedule, db_path: [sys.executable, "-S", "-c", "print('done')"])
    stop, ended, kept = threading.Event(), [], []

    def report(line):
        if ": crawl #" in line:
            ended.append(line)
            if len(ended) == 60:
                gc.collect()
                kept.append(sum(isinstance(o, scheduling.RunResult) for o in gc.get_objects()))
                stop.set()

    outcomes = scheduling.run_scheduler(str(db), poll=0.1, parallel=10, report=report, stop=stop)
    assert kept[0] <= 10, f"{kept[0]} results kept after 60 runs"
    assert sum(outcomes.values()) >= 60 and set(outcomes) <= {"ok", "stopped"}, outcomes
    assert query(db, "SELECT count(*) AS n FROM schedule_runs WHERE outcome = 'ok'")[0]["n"] >= 60


@pytest.mark.slow
@pytest.mark.parametrize("every_seconds, cron", [(3000000 * 86400, None), (99999999999 * 86400, None),
                                                 (None, "0 3 31 2 *")])
def test_a_schedule_with_no_next_run_is_paused_and_blocks_no_other(tmp_path, tiny_site, every_seconds, cron):
    _, server = tiny_site
    db = tmp_path / "archive.db"
    add(db, "big", server.url, "--every", "1h")
    add(db, "after", server.url, "--every", "1h")
    with sqlite3.connect(db) as conn:  # a rule `schedule add` refuses now, as an older archive holds it
        conn.execute("UPDATE schedules SET every_seconds = ?, cron = ?, next_run_at = '2000-01-01T00:00:00Z' "
                     "WHERE name = 'big'", [every_seconds, cron])  # and first in the queue

    result = run_cli("schedule", "run-due", "--db", str(db), timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "big: crawl #1 failed: not crawled; " in result.stdout and "has no next run" in result.stdout
    assert "after: crawl #2 ok" in result.stdout
    rows = listed(db)
    assert rows["big"]["paused"] is True and rows["big"]["last_outcome"] == "failed"
    assert rows["big"]["last_message"].endswith("the schedule is paused (remove it and add it again)")
    assert rows["after"]["last_outcome"] == "ok" and rows["after"]["last_articles_new"] == 5
    assert query(db, "SELECT count(*) AS n FROM articles")[0]["n"] == 5  # big crawled nothing
    assert query(db, "SELECT count(*) AS n FROM schedule_locks")[0]["n"] == 0
    assert [r["outcome"] for r in query(db, "SELECT outcome FROM schedule_runs ORDER BY id")] == ["failed", "ok"]
    table = run_cli("schedule", "list", "--db", str(db))
    assert table.returncode == 0 and "paused" in table.stdout and "has no next run" in table.stdout

    again = run_cli("schedule", "run-due", "--db", str(db))
    assert again.returncode == 0 and again.stdout.strip() == "nothing is due", again.stderr
    assert main(["schedule", "remove", "big", "--db", str(db)]) == 0


def _run_due_in_process(db):
    from scraper.scheduling import run_due

    lines: list[str] = []
    results = {r.name: r for r in run_due(str(db), report=lines.append).results}
    return results, lines


@pytest.mark.slow
@pytest.mark.parametrize("breakage, message", [
    (RuntimeError("boom"), "the run failed: RuntimeError: boom"),
    (["/no/such/python"], "could not start the crawl process: No such file or directory"),
])
def test_an_error_in_one_run_does_not_stop_the_others(tmp_path, tiny_site, monkeypatch, breakage, message):
    import scraper.scheduling as scheduling

    _, server = tiny_site
    db = tmp_path / "archive.db"
    add(db, "broken", server.url, "--every", "1h")
    add(db, "fine", server.url, "--every", "1h")
    set_next_run(db, "broken", now_utc() - timedelta(hours=1))  # first in the queue
    real = scheduling.crawl_command

    def crawl_command(schedule, db_path):
        if schedule["name"] != "broken":
            return real(schedule, db_path)
        if isinstance(breakage, Exception):
            raise breakage
        return breakage

    monkeypatch.setattr(scheduling, "crawl_command", crawl_command)
    results, lines = _run_due_in_process(db)
    assert (results["broken"].outcome, results["fine"].outcome) == ("failed", "ok"), lines
    assert results["broken"].message.startswith(message)
    rows = listed(db)
    assert rows["broken"]["last_outcome"] == "failed" and rows["broken"]["last_message"].startswith(message)
    assert not rows["broken"]["paused"]  # its rule is fine: it runs again in an hour
    assert now_utc() < parse_time(rows["broken"]["next_run_at"]) <= now_utc() + timedelta(hours=1)
    assert rows["fine"]["last_articles_new"] == 5
    assert query(db, "SELECT count(*) AS n FROM schedule_locks")[0]["n"] == 0
    assert query(db, "SELECT count(*) AS n FROM schedule_runs WHERE outcome = 'running'")[0]["n"] == 0


@pytest.mark.slow
def test_a_long_write_lock_on_the_archive_does_not_end_a_run_due_crawl(tmp_path, tiny_site, monkeypatch):
    # run-due's heartbeat raised "database is locked" once another process held the archive's
    # write lock past the runner's busy timeout (30 s; 0.5 s here), and run-due ended its crawl.
    import threading

    import archive.store
    from scraper.scheduling import run_due

    _, server = tiny_site
    db = tmp_path / "archive.db"
    add(db, "nightly", server.url, "--every", "1d", options=[*FAST, "-s", "DOWNLOAD_DELAY=0.05"])
    monkeypatch.setattr(archive.store, "BUSY_TIMEOUT_MS", 500)  # the runner's, not the crawl's
    held = threading.Event()

    def hold_the_write_lock():
        conn = sqlite3.connect(db, timeout=60, isolation_level=None)
        try:
            deadline = time.monotonic() + 60
            while not conn.execute("SELECT 1 FROM schedule_locks WHERE crawl_pid IS NOT NULL").fetchone():
                assert time.monotonic() < deadline
                time.sleep(0.05)
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("CREATE TABLE notes (text TEXT)")
            conn.execute("INSERT INTO notes VALUES ('written by another process')")
            held.set()
            time.sleep(2.5)  # five busy timeouts, while the crawl runs
            conn.execute("COMMIT")
        finally:
            conn.close()

    holder = threading.Thread(target=hold_the_write_lock)
    holder.start()
    lines: list[str] = []
    try:
        done = run_due(str(db), report=lines.append, heartbeat_every=0.2)
    finally:
        holder.join()
    assert held.is_set()
    assert [(r.name, r.outcome) for r in done.results] == [("nightly", "ok")], lines
    assert "run-due: database is locked; its crawls go on, trying again" in lines
    assert query(db, "SELECT status, articles_new FROM crawls") == [{"status": "finished", "articles_new": 5}]
    assert query(db, "SELECT count(*) AS n FROM articles")[0]["n"] == 5
    assert query(db, "SELECT text FROM notes") == [{"text": "written by another process"}]
    assert [r["outcome"] for r in query(db, "SELECT outcome FROM schedule_runs")] == ["ok"]
    assert query(db, "SELECT count(*) AS n FROM schedule_locks")[0]["n"] == 0


@pytest.mark.slow
def test_an_error_computing_the_next_run_pauses_only_that_schedule(tmp_path, tiny_site, monkeypatch):
    import scraper.scheduling as scheduling

    _, server = tiny_site
    db = tmp_path / "archive.db"
    add(db, "odd", server.url, "--every", "2h")
    add(db, "fine", server.url, "--every", "1h")
    set_next_run(db, "odd", now_utc() - timedelta(hours=1))  # first in the queue
    real = scheduling.Rule.next_run

    def next_run(rule, started, now):
        if rule.every_seconds == 7200:
            raise ZeroDivisionError("boom")
        return real(rule, started, now)

    monkeypatch.setattr(scheduling.Rule, "next_run", next_run)
    results, lines = _run_due_in_process(db)
    assert (results["odd"].outcome, results["fine"].outcome) == ("failed", "ok"), lines
    assert results["odd"].crawl_id == 1  # it did crawl; the run failed after it
    rows = listed(db)
    assert rows["odd"]["paused"] is True and rows["odd"]["last_message"].endswith(
        "; its next run cannot be computed (ZeroDivisionError: boom); the schedule is paused "
        "(remove it and add it again)")
    assert rows["fine"]["last_outcome"] == "ok" and not rows["fine"]["paused"]
    assert query(db, "SELECT count(*) AS n FROM schedule_locks")[0]["n"] == 0
    assert query(db, "SELECT count(*) AS n FROM schedule_runs WHERE outcome = 'running'")[0]["n"] == 0
