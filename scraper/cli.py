"""The `newsarchive` command line: a thin shell over the library functions."""
from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator, Optional, Sequence

from . import __version__
from .arguments import CommandParser, check_setting, port_number, positive_int
from .stdout import PRINTABLE

if TYPE_CHECKING:
    from .progress import ProgressLine

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _fail(message: str, code: int = EXIT_FAILED) -> int:
    print(f"newsarchive: {message}", file=sys.stderr)
    return code


def _settings_pairs(pairs: Sequence[str]) -> dict[str, str]:
    settings = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise ValueError(f"-s takes NAME=VALUE, got {pair!r}")
        check_setting(name, value)
        settings[name] = value
    return settings


def cmd_parse(args: argparse.Namespace) -> int:
    from .extract import NotHTMLError, load_document, parse_document

    status = EXIT_OK
    for name in args.files:
        try:
            data = sys.stdin.buffer.read() if name == "-" else open(name, "rb").read()
        except OSError as exc:
            status = _fail(f"{name}: {exc.strerror or exc}", EXIT_USAGE)
            continue
        try:
            doc = load_document(data, args.url, content_type=args.content_type)
        except NotHTMLError as exc:
            status = _fail(f"{name}: {exc}", EXIT_USAGE)
            continue
        record = parse_document(doc)
        print(record.to_json(indent=2 if args.pretty else None))
    return status


def cmd_crawl(args: argparse.Namespace) -> int:
    from .crawl import CrawlError, run_crawl

    try:
        settings = _settings_pairs(args.set)
        if args.max_pages:
            settings["CLOSESPIDER_PAGECOUNT"] = args.max_pages
        if args.job:
            from .jobs import JobError, job_dir
            try:
                settings["JOBDIR"] = str(job_dir(args.db, args.job))
            except JobError as exc:
                raise ValueError(str(exc)) from None
            settings["NEWSARCHIVE_JOB"] = args.job
        if args.warc:
            settings["WARC_DIR"] = _warc_dir(args.warc, settings)
        from .ways_in import spider_and_args
        spider, spider_args = spider_and_args(args)
        summary = run_crawl(args.url, args.db, spider=spider, spider_args=spider_args,
                            settings=settings, progress=not args.quiet,
                            log_level="INFO" if args.verbose else "WARNING")
    except (CrawlError, ValueError) as exc:
        return _fail(str(exc), EXIT_USAGE)
    for line in summary.lines():
        print(line)
    warc_files = summary.stats.get("newsarchive/warc_files")
    if warc_files:
        print(f"  WARC files         {len(warc_files)} (first: {warc_files[0]})")
    if summary.stats.get("newsarchive/warc_error"):
        return _fail(summary.stats["newsarchive/warc_error"])
    if summary.interrupted:
        return _fail(summary.interruption(), summary.exit_code)
    problem = summary.problem()
    if problem:
        return _fail(problem + "; the archive was not changed" if summary.crawl_id is None else problem)
    return EXIT_OK


def _warc_dir(directory: str, settings: dict) -> str:
    """Check `--warc DIR` and the WARC_* settings before crawling; ValueError says what is wrong."""
    from .warc_writer import WarcError, parse_gzip_level, parse_size, prepare_warc_dir

    try:
        if "WARC_MAX_SIZE" in settings:
            parse_size(settings["WARC_MAX_SIZE"])
        if "WARC_GZIP_LEVEL" in settings:
            parse_gzip_level(settings["WARC_GZIP_LEVEL"])
        return str(prepare_warc_dir(directory))
    except WarcError as exc:
        raise ValueError(str(exc)) from None


def _print_errors(errors: Sequence[str], limit: int = 20) -> None:
    for message in errors[:limit]:
        print(f"newsarchive: {message}", file=sys.stderr)
    if len(errors) > limit:
        print(f"newsarchive: ... and {len(errors) - limit} more", file=sys.stderr)


@contextmanager
def _progress_line(quiet: bool) -> Iterator[Optional["ProgressLine"]]:
    """A progress line redrawn on stderr (None with --quiet), cleared however the work ends."""
    from .progress import ProgressLine

    line = None if quiet else ProgressLine(sys.stderr)
    try:
        yield line
    finally:
        if line is not None:
            line.clear()


def _report(summary) -> None:
    """A summary's errors on stderr, then its lines on stdout."""
    _print_errors(summary.errors)
    for text in summary.lines():
        print(text)


def cmd_import_warc(args: argparse.Namespace) -> int:
    from archive import ArchiveError

    from .warc_import import WarcInputError, archive_warcs

    try:
        with _progress_line(args.quiet) as line:
            summary = archive_warcs(args.files, args.db, progress=line and (
                lambda s, path: line.update(s.progress_text(path))))
    except (WarcInputError, ArchiveError) as exc:
        return _fail(str(exc), EXIT_USAGE)
    _report(summary)
    problem = summary.problem()
    return _fail(problem) if problem else EXIT_OK


def cmd_reparse(args: argparse.Namespace) -> int:
    from archive import ArchiveError

    from .reparse import reparse_archive

    try:
        with _progress_line(args.quiet) as line:
            summary = reparse_archive(args.db, progress=line and (lambda s: line.update(s.progress_text())))
    except ArchiveError as exc:
        return _fail(str(exc), EXIT_USAGE)
    _report(summary)
    return _fail(f"{summary.failed} pages could not be re-parsed") if summary.failed else EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from .crawl import CrawlError
    from .demo import DemoError, run_demo

    try:
        summary = run_demo(args.db, articles=args.articles, port=args.port, progress=not args.quiet)
    except CrawlError as exc:
        return _fail(str(exc), EXIT_USAGE)
    except DemoError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"cannot serve the sample site on 127.0.0.1: {exc.strerror or exc}")
    problem = summary.problem()
    return _fail(problem) if problem else EXIT_OK


def cmd_sample_site(args: argparse.Namespace) -> int:
    from .sample_site import serve_forever

    try:
        serve_forever(args.port, articles=args.articles)
    except OSError as exc:
        return _fail(f"cannot serve on 127.0.0.1:{args.port}: {exc.strerror or exc}")
    except KeyboardInterrupt:
        pass
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = CommandParser(
        prog="newsarchive", description="Crawl news sites into a SQLite archive of normalized article records.")
    parser.add_argument("--version", action="version", version=f"newsarchive {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("parse", help="parse HTML files into records (one JSON object per file)")
    p.add_argument("files", nargs="+", metavar="FILE", help="HTML file, or - for standard input")
    p.add_argument("--url", help="the URL the page was fetched from (resolves relative links)")
    p.add_argument("--content-type", metavar="VALUE",
                   help="the page's HTTP Content-Type header, e.g. 'text/html; charset=windows-1251' "
                        "(its charset is read as a crawl reads it)")
    p.add_argument("--pretty", action="store_true", help="indent the JSON")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("crawl", help="crawl a news site into the archive")
    p.add_argument("url", help="the site's start URL, e.g. https://example.com/ (with --via urls: a file)")
    p.add_argument("--db", default="archive.db", help="archive file (default: archive.db)")
    p.add_argument("--max-pages", type=positive_int, help="stop after fetching this many pages")
    p.add_argument("--job", metavar="NAME",
                   help="make the crawl resumable: its queue is kept in ARCHIVE.jobs/NAME beside the "
                        "archive (Scrapy's JOBDIR); after Ctrl-C, --max-pages or a crash, run the same "
                        "command again to continue. A finished job starts afresh next time")
    p.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                   help="a Scrapy setting, e.g. -s DOWNLOAD_DELAY=2 (repeatable)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress line")
    p.add_argument("-v", "--verbose", action="store_true", help="Scrapy's INFO log")
    p.add_argument("--warc", metavar="DIR",
                   help="also record every request and response as WARC files in DIR "
                        "(a new file every -s WARC_MAX_SIZE bytes, default 1G)")
    from .ways_in import add_options
    add_options(p)
    p.set_defaults(func=cmd_crawl)

    p = sub.add_parser("import-warc", help="archive the news articles in WARC files (ours or others')")
    p.add_argument("files", nargs="+", metavar="FILE", help="WARC file (.warc or .warc.gz)")
    p.add_argument("--db", default="archive.db", help="archive file (default: archive.db)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress line")
    p.set_defaults(func=cmd_import_warc)

    p = sub.add_parser("reparse", help="re-extract every stored page with the current parser")
    p.add_argument("--db", default="archive.db", help="archive file (default: archive.db)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress line")
    p.set_defaults(func=cmd_reparse)

    p = sub.add_parser("demo", help="crawl the bundled sample site on loopback into ./archive.db")
    p.add_argument("--db", default="archive.db", help="archive file (default: archive.db)")
    p.add_argument("--articles", type=positive_int, default=320, help="articles on the sample site")
    p.add_argument("--port", type=port_number,
                   help="port (default: the earlier demo's in the archive, else 8642, another if taken; "
                        "0: any free port)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress line")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("sample-site", help="serve the bundled sample news site on 127.0.0.1")
    p.add_argument("--port", type=port_number, default=8642, help="port (default: 8642)")
    p.add_argument("--articles", type=positive_int, default=320, help="number of articles")
    p.set_defaults(func=cmd_sample_site)

    from .schedule_cli import add_commands as add_schedule_commands
    add_schedule_commands(sub)  # schedule add|list|pause|resume|remove|run-due, scheduler
    from .research_cli import add_commands as add_research_commands
    add_research_commands(sub)  # search, show, export, stats, serve (read-only)
    return parser


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl-C raises KeyboardInterrupt, so that the same clean-up runs
    (import-warc and reparse close their crawls row as 'interrupted', keeping its counts)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _terminate(signum: int, frame) -> None:
    raise Terminated(signum)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    # A file name that is not UTF-8 (café.txt named on a Latin-1 system) is printed as its own
    # bytes, as `ls` prints it, not a UnicodeEncodeError (a UTF-8 locale's stdout is strict);
    # text a terminal's encoding lacks (an emoji headline in a Latin-1 terminal) prints as "?".
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors=PRINTABLE)
    # SIGTERM does what Ctrl-C does, for every command. A crawl's Scrapy, the scheduler and
    # serve install handlers of their own while they run, which take its place.
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if in_main_thread else None
    try:
        code = args.func(args)
        sys.stdout.flush()  # here, so that a closed pipe is an exception caught below
        return code
    except BrokenPipeError:
        # The reader went away (`| head -1`): stop quietly, as the Python docs advise: point
        # standard output at /dev/null so that the flush at exit cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt as exc:
        signum = getattr(exc, "signum", signal.SIGINT)
        return _fail("interrupted (SIGTERM)" if signum == signal.SIGTERM else "interrupted", 128 + signum)
    finally:
        if in_main_thread and previous is not None:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
