"""`newsarchive schedule ...` and `newsarchive scheduler`: thin shells over archive.schedules
(storage) and scraper.scheduling (running)."""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import sqlite3
import sys
from pathlib import Path
from typing import Any, Sequence

from .arguments import CommandParser, positive_int
from .hosts import split_url

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


class UsageError(ValueError):
    """Bad input: one line for the user, exit 2, nothing changed."""


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"newsarchive: {message}", file=sys.stderr)
    return code


# Checking input before anything is written --------------------------------

def _check_name(name: str) -> str:
    if not _NAME.fullmatch(name or ""):
        raise UsageError(f"bad schedule name {name!r}: use letters, digits, '.', '_' and '-' "
                         "(at most 64, starting with a letter or digit)")
    return name


def _check_target(url: str, via: str) -> str:
    """The start URL; with --via urls, the URLs file, stored as an absolute path."""
    if via == "urls":
        from archive.filenames import file_name_text

        path = Path(url).expanduser().resolve()
        if not path.is_file():
            raise UsageError(f"cannot read the URLs file {url}: no such file")
        if file_name_text(str(path)) != str(path):
            # Every run opens the file by the name kept in the archive, which holds text only.
            raise UsageError(f"a schedule cannot keep the URLs file {file_name_text(str(path))}: its name "
                             "is not UTF-8 text (rename it)")
        return str(path)
    parts = split_url(url)
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"not an http(s) URL: {url!r}")
    return url


def _crawl_parser() -> argparse.ArgumentParser:
    from .cli import build_parser

    parser = build_parser()
    for action in parser._subparsers._group_actions:  # argparse keeps subparsers here
        if isinstance(action, argparse._SubParsersAction) and "crawl" in action.choices:
            return action.choices["crawl"]
    raise RuntimeError("the crawl command is missing")  # a programming error, not bad input


def check_crawl_options(url: str, via: str, options: Sequence[str]) -> None:
    """Parse the options exactly as `newsarchive crawl` will, so a bad one fails now, not at 3 a.m."""
    from .cli import _settings_pairs
    from .ways_in import spider_and_args

    parser = _crawl_parser()

    def error(message: str) -> None:
        raise UsageError(f"bad crawl option after --: {message}")

    parser.error = error  # type: ignore[method-assign]
    marker = "\0schedule"  # --db is the schedule's: an option that changes it is refused
    if any(option in ("-h", "--help") for option in options):
        raise UsageError("bad crawl option after --: -h (see newsarchive crawl --help)")
    args = parser.parse_args([url, "--db", marker, "--via", via, *options])
    if args.db != marker or args.via != via:
        raise UsageError("give --db and --via to `schedule add` itself, not after --")
    try:
        _settings_pairs(args.set)
        spider_and_args(args)
    except ValueError as exc:
        raise UsageError(f"bad crawl option after --: {exc}") from None


# Opening the archive ------------------------------------------------------

def _read_only(db_path: str):
    """The archive opened read-only, for commands that only look (and must not create it)."""
    from sqlite_utils import Database

    from archive import ArchiveStore
    from archive.check import _reader_uri

    path = Path(db_path)
    if not path.is_file():
        raise UsageError(f"there is no archive at {db_path}")
    ArchiveStore.check(path)
    with path.open("rb") as f:
        header = f.read(100)
    return Database(sqlite3.connect(_reader_uri(path, header), uri=True, timeout=30))


def _writable(db_path: str, *, create: bool = False):
    from archive import ArchiveStore

    if not create and not Path(db_path).is_file():
        raise UsageError(f"there is no archive at {db_path}")
    return ArchiveStore(db_path)


# Commands -----------------------------------------------------------------

def cmd_add(args: argparse.Namespace) -> int:
    from archive.schedules import add_schedule, now_utc

    from .schedule_rules import Rule

    name = _check_name(args.name)
    rule = Rule.parse(args.every, args.cron)
    url = _check_target(args.url, args.via)
    check_crawl_options(url, args.via, args.crawl_options)
    first_run = rule.first_run(now_utc())  # before the archive is opened (and maybe created)
    with _writable(args.db, create=True) as archive:
        schedule = add_schedule(archive.db, name, url, via=args.via, every_seconds=rule.every_seconds,
                                cron=rule.cron, crawl_options=args.crawl_options, next_run_at=first_run)
    print(f"schedule {name}: {url} via {args.via}, {rule.describe()}; "
          f"next run {schedule['next_run_at']}")
    return EXIT_OK


def _outcome(row: dict[str, Any]) -> str:
    if not row["last_outcome"]:
        return "never run"
    if row["last_outcome"] == "running":
        return f"running (pid {row['lock_pid']} on {row['lock_host']})" if row["lock_pid"] else "running"
    text = row["last_outcome"]
    if row["last_crawl_id"]:
        text += f", crawl #{row['last_crawl_id']}"
    if row["last_outcome"] == "ok" and row["last_crawl_status"] is not None:
        text += (f": new {row['last_articles_new']}, changed {row['last_articles_changed']}, "
                 f"unchanged {row['last_articles_unchanged']}, errors {row['last_failures']}")
    elif row["last_message"]:
        text += f": {row['last_message']}"
    return text


def cmd_list(args: argparse.Namespace) -> int:
    from archive.schedules import list_schedules

    from .schedule_rules import Rule

    db = _read_only(args.db)
    try:
        rows = list_schedules(db)
    finally:
        db.close()
    if args.json:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        return EXIT_OK
    if not rows:
        print(f"no schedules in {args.db} (add one: newsarchive schedule add NAME --url URL --every 6h)")
        return EXIT_OK
    table = [("NAME", "VIA", "RULE", "NEXT RUN", "LAST RUN", "OUTCOME", "URL")]
    for row in rows:
        table.append((row["name"], row["via"], Rule.of(row).describe(),
                      "paused" if row["paused"] else row["next_run_at"],
                      row["last_started_at"] or "-", _outcome(row), row["url"]))
    widths = [max(len(str(r[i])) for r in table) for i in range(len(table[0]) - 1)]
    for r in table:
        print("  ".join(str(v).ljust(w) for v, w in zip(r, widths)) + "  " + r[-1])
    return EXIT_OK


def _change(args: argparse.Namespace, action) -> int:
    name = _check_name(args.name)
    with _writable(args.db) as archive:
        action(archive.db, name)  # an unknown name (or no schedule tables) changes nothing
    print(f"schedule {name}: {args.command_done}")
    return EXIT_OK


def cmd_pause(args: argparse.Namespace) -> int:
    from archive.schedules import set_paused

    args.command_done = "paused"
    return _change(args, lambda db, name: set_paused(db, name, True))


def cmd_resume(args: argparse.Namespace) -> int:
    from archive.schedules import set_paused

    args.command_done = "resumed"
    return _change(args, lambda db, name: set_paused(db, name, False))


def cmd_remove(args: argparse.Namespace) -> int:
    from archive.schedules import remove_schedule

    args.command_done = "removed (its past runs stay in the archive)"
    return _change(args, remove_schedule)


def _print_flush(line: str) -> None:
    try:
        print(line, flush=True)  # a scheduler's output goes to a journal or a log file as it happens
    except OSError as exc:
        _output_lost(exc)


def _output_lost(exc: OSError) -> None:
    """Standard output cannot be written any more: the terminal a scheduler was left running
    in closed (EIO), the reader of its pipe quit, its log's disk is full. The runner goes on;
    its lines go nowhere from now on, as after `| head -1` (so that the flush at exit cannot
    fail again), and every run is still recorded in the archive (schedule list)."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    try:
        print(f"newsarchive: cannot write the output ({exc.strerror or exc}); going on without it: "
              "`schedule list` shows the runs", file=sys.stderr, flush=True)
    except OSError:
        pass  # the same closed terminal


def cmd_run_due(args: argparse.Namespace) -> int:
    from .scheduling import run_due

    if not Path(args.db).is_file():
        raise UsageError(f"there is no archive at {args.db}")
    done = run_due(args.db, parallel=args.parallel, report=_print_flush)
    _print_flush(done.summary())
    failed = [r for r in done.results if r.outcome != "ok"]
    return EXIT_FAILED if failed else EXIT_OK


def cmd_scheduler(args: argparse.Namespace) -> int:
    from .scheduling import run_scheduler

    if not Path(args.db).is_file():
        raise UsageError(f"there is no archive at {args.db}")
    if not math.isfinite(args.poll) or args.poll <= 0:  # nan passed "<= 0" and then polled nonstop
        raise UsageError(f"--poll must be a number of seconds more than 0, not {args.poll}")
    run_scheduler(args.db, poll=args.poll, parallel=args.parallel, report=_print_flush)
    return EXIT_OK


def _guarded(command):
    """Expected problems become one line and exit 2; nothing has been written when they happen."""
    def run(args: argparse.Namespace) -> int:
        from archive import ArchiveError

        from .schedule_rules import RuleError
        from .scheduling import ArchiveMoved

        try:
            return command(args)
        except ArchiveMoved as exc:  # crawls may have run and been recorded: not a usage error
            return _fail(str(exc), EXIT_FAILED)
        except (UsageError, RuleError, ArchiveError) as exc:
            return _fail(str(exc))
        except sqlite3.Error as exc:  # e.g. the archive stayed locked by a writer past the timeout
            return _fail(f"{args.db}: {exc}", EXIT_FAILED)
    return run




class _ActionParser(CommandParser):
    """Splits off everything after ``--`` as crawl options.

    argparse itself cannot: a ``*`` positional after NAME is matched (empty) before
    the options, so the words after ``--`` would be "unrecognized arguments".
    """

    def parse_known_args(self, args=None, namespace=None):
        args = list(sys.argv[1:] if args is None else args)
        extra: list[str] = []
        if "--" in args:
            cut = args.index("--")
            args, extra = args[:cut], args[cut + 1:]
        namespace, rest = super().parse_known_args(args, namespace)
        if extra:
            if not hasattr(namespace, "crawl_options"):
                self.error(f"unrecognized arguments: -- {' '.join(extra)}")
            namespace.crawl_options = extra
        return namespace, rest


def add_commands(sub: argparse._SubParsersAction) -> None:
    db_help = "archive file (default: archive.db)"
    p = sub.add_parser("schedule", help="recurring crawls kept in the archive: add, list, pause, "
                                         "resume, remove, run-due")
    actions = p.add_subparsers(dest="schedule_command", required=True, metavar="ACTION",
                               parser_class=_ActionParser)

    a = actions.add_parser("add", help="add a recurring crawl",
                           usage="newsarchive schedule add NAME --url URL (--every 6h | --cron EXPR) "
                                 "[--via site|sitemap|feed|urls] [--db FILE] [-- CRAWL OPTIONS]")
    a.add_argument("name", help="a name for it (letters, digits, . _ -)")
    a.add_argument("--url", required=True, help="start URL (with --via urls: a file of URLs)")
    a.add_argument("--via", choices=["site", "sitemap", "feed", "urls"], default="site",
                   help="how the crawl finds articles, as in `newsarchive crawl --via` (default: site)")
    rule = a.add_mutually_exclusive_group(required=True)
    rule.add_argument("--every", metavar="INTERVAL", help="e.g. 30m, 6h, 1d, 1h30m; the first run is due at once")
    rule.add_argument("--cron", metavar="EXPR", help='a cron expression in UTC, e.g. "0 */6 * * *"')
    a.add_argument("--db", default="archive.db", help=db_help + "; created if missing")
    # After --: options for each crawl, as `newsarchive crawl` takes them (_ActionParser).
    a.epilog = ("After --, options for every crawl of this schedule as `newsarchive crawl` takes them, "
                "e.g. -- --max-pages 500 -s DOWNLOAD_DELAY=2")
    a.set_defaults(func=_guarded(cmd_add), crawl_options=[])

    a = actions.add_parser("list", help="schedules with their next run, last run and its outcome")
    a.add_argument("--db", default="archive.db", help=db_help)
    a.add_argument("--json", action="store_true", help="one JSON object per schedule")
    a.set_defaults(func=_guarded(cmd_list))

    for name, command, text in (("pause", cmd_pause, "stop running a schedule until resumed"),
                                ("resume", cmd_resume, "run a paused schedule again"),
                                ("remove", cmd_remove, "delete a schedule (its crawls stay archived)")):
        a = actions.add_parser(name, help=text)
        a.add_argument("name")
        a.add_argument("--db", default="archive.db", help=db_help)
        a.set_defaults(func=_guarded(command))

    a = actions.add_parser("run-due", help="run the schedules that are due, once, then exit "
                                           "(for cron or a systemd timer)")
    a.add_argument("--db", default="archive.db", help=db_help)
    a.add_argument("--parallel", type=positive_int, default=1, metavar="N",
                   help="crawls at once (default: 1)")
    a.set_defaults(func=_guarded(cmd_run_due))

    p = sub.add_parser("scheduler", help="stay in the foreground and run scheduled crawls as they "
                                         "come due (Ctrl-C, SIGTERM or SIGHUP stops)")
    p.add_argument("--db", default="archive.db", help=db_help)
    p.add_argument("--poll", type=float, default=60.0, metavar="SECONDS",
                   help="how often to look for new or changed schedules (default: 60)")
    p.add_argument("--parallel", type=positive_int, default=1, metavar="N",
                   help="crawls at once (default: 1)")
    p.set_defaults(func=_guarded(cmd_scheduler))
