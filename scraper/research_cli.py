"""The read commands of `newsarchive`: search, show, export, stats, serve.

Each is a thin shell over a library function in ``archive/`` (or
``scraper.serve``). Exit codes as in ``scraper.cli``: 0 ok; 1 nothing to show
(unknown article, no article matches); 2 bad input (a missing, empty or
foreign archive file, a broken search query, a bad date). The archive is
opened read-only and never created or changed.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from .arguments import port_number, row_count
from .stdout import terminal_text, utf8_stdout

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
UNRANKED_NOTE = ("note: every word of this query occurs in at least half of the archive, so relevance cannot "
                 "rank the matches: newest published first (add a rarer word to rank them)")

ANSI_HIGHLIGHT = ("\x1b[1;33m", "\x1b[0m")
PLAIN_HIGHLIGHT = ("[", "]")


def _fail(message: str, code: int) -> int:
    print(f"newsarchive: {message}", file=sys.stderr)
    return code


def _guarded(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Map the archive's errors to one stderr line and an exit code (a closed pipe, `| head`,
    goes on to scraper.cli.main, which stops quietly)."""
    def run(args: argparse.Namespace) -> int:
        from archive.errors import ArchiveError
        from archive.readonly import NotFound

        try:
            return command(args)
        except NotFound as exc:
            return _fail(str(exc), EXIT_FAILED)
        except ArchiveError as exc:
            return _fail(str(exc), EXIT_USAGE)
    return run


def _drop_stdout() -> None:
    """Point standard output at /dev/null, so Python's flush at exit cannot fail (and complain) again."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


@contextmanager
def _writing_stdout() -> Iterator[None]:
    """Write to standard output in the block, then flush; a full disk (> /dev/full) is one line, exit 2.

    A closed pipe (BrokenPipeError) goes on to ``scraper.cli.main``, which stops quietly.
    """
    from archive.readonly import BadRequest

    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        _drop_stdout()
        raise BadRequest(f"cannot write to standard output: {exc.strerror or exc}") from None


def _filters(args: argparse.Namespace):
    from archive.filters import ArticleFilter

    return ArticleFilter(site=args.site, author=args.author, since=args.since, until=args.until,
                         has_takeaways=args.has_takeaways, all_versions=args.all_versions)


def _no_match(what: str, filters) -> int:
    described = filters.describe()
    parts = ["no articles match", what, f"({described})" if described else ""]
    return _fail(" ".join(part for part in parts if part), EXIT_FAILED)


# -- search -------------------------------------------------------------------

def cmd_search(args: argparse.Namespace) -> int:
    from archive.readonly import reading_archive
    from archive.search import NEWEST_FIRST, search_articles

    color = not args.json and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    filters = _filters(args)
    with reading_archive(args.db) as db:
        hits = search_articles(db, args.query, filters, args.limit,
                               highlight=ANSI_HIGHLIGHT if color else PLAIN_HIGHLIGHT)
    if not hits:
        return _no_match(repr(args.query), filters)
    if hits.order == NEWEST_FIRST:
        print(UNRANKED_NOTE, file=sys.stderr)
    if args.json:
        utf8_stdout()
    with _writing_stdout():
        if args.json:
            for hit in hits:
                print(json.dumps(hit, ensure_ascii=False))
        else:
            print(terminal_text(search_results_text(hits), keep=ANSI_HIGHLIGHT))
    return EXIT_OK


def search_results_text(hits: list[dict]) -> str:
    """Ranked hits: rank, date and title on one line, byline, URL and snippet aligned beneath."""
    rank_width = len(str(len(hits)))
    indent = " " * (rank_width + 2)
    lines = []
    for rank, hit in enumerate(hits, 1):
        date = (hit["published_at"] or "undated")[:10]
        version = f" (version {hit['version_no']})" if hit["version_no"] > 1 else ""
        lines.append(f"{str(rank).rjust(rank_width)}  {date:10}  {hit['title'] or '(untitled)'}{version}")
        byline = " · ".join(part for part in (", ".join(hit["authors"]), hit["site"], f"id {hit['article_id']}") if part)
        lines.append(f"{indent}{byline}")
        lines.append(f"{indent}{hit['url']}")
        lines.append(f"{indent}{' '.join((hit['snippet'] or '').split())}")
        lines.append("")
    return "\n".join(lines).rstrip("\n")


# -- show -----------------------------------------------------------------------

LAST_TWO = "last two"


def cmd_show(args: argparse.Namespace) -> int:
    from archive.readonly import reading_archive
    from archive.show import diff_versions, load_version, render_article

    ref = int(args.article) if args.article.strip().isdecimal() else args.article
    with reading_archive(args.db) as db:
        if args.diff is not None:
            text = diff_versions(db, ref, None if args.diff == LAST_TWO else args.diff)
        else:
            text = render_article(load_version(db, ref, args.version))
    with _writing_stdout():
        sys.stdout.write(terminal_text(text))
    return EXIT_OK


# -- export ---------------------------------------------------------------------

def cmd_export(args: argparse.Namespace) -> int:
    from archive.export import export
    from archive.readonly import BadRequest, reading_archive

    filters = _filters(args)
    to_file = args.output not in (None, "-")  # `-o -` is standard output, as `parse -` reads standard input
    with reading_archive(args.db) as db:
        if not to_file:
            utf8_stdout()
            with _writing_stdout():
                count = export(db, sys.stdout, args.format, filters)
        else:
            target = Path(args.output)
            _refuse_the_archive_files(target, Path(args.db))
            count = _export_to_file(db, target, args.format, filters)
    if count == 0:
        return _no_match("", filters)
    if to_file:
        print(f"newsarchive: exported {count} article versions to {args.output}", file=sys.stderr)
    return EXIT_OK


def _refuse_the_archive_files(target: Path, db: Path) -> None:
    """-o must not name the archive nor SQLite's files beside it (overwriting its WAL loses committed articles)."""
    from archive.readonly import BadRequest

    archive = db.resolve()
    for suffix, what in (("", "the archive itself"), ("-wal", "the archive's write-ahead log"),
                         ("-shm", "the archive's shared-memory file"), ("-journal", "the archive's journal")):
        named = archive.with_name(archive.name + suffix)
        if target.resolve() == named or (target.exists() and named.exists() and os.path.samefile(target, named)):
            raise BadRequest(f"-o {target} is {what}")


def _export_to_file(db, target: Path, fmt: str, filters) -> int:
    """Write beside the target and rename when done: an interrupted or empty export leaves no file.

    A target that exists and is not a regular file (/dev/null, a named pipe) is written directly.
    """
    from archive.export import export
    from archive.readonly import BadRequest

    if target.exists() and not target.is_file():
        try:
            with target.open("w", encoding="utf-8", newline="") as out:
                return export(db, out, fmt, filters)
        except OSError as exc:
            raise BadRequest(f"cannot write {target}: {exc.strerror or exc}") from None
    partial = target.with_name(target.name + ".partial")
    try:
        out = partial.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        raise BadRequest(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        try:
            with out:
                count = export(db, out, fmt, filters)
        except OSError as exc:  # a full disk
            raise BadRequest(f"cannot write {target}: {exc.strerror or exc}") from None
        if count:
            os.replace(partial, target)
        return count
    finally:
        partial.unlink(missing_ok=True)


# -- stats ------------------------------------------------------------------------

def cmd_stats(args: argparse.Namespace) -> int:
    from archive.readonly import reading_archive
    from archive.stats import archive_stats, stats_text

    with reading_archive(args.db) as db:
        stats = archive_stats(db, top_authors=args.top, crawls=args.crawls)
    if args.json:
        utf8_stdout()
    with _writing_stdout():
        if args.json:
            print(json.dumps(stats, ensure_ascii=False, indent=2))
        else:
            sys.stdout.write(terminal_text(stats_text(stats)))
    return EXIT_OK


# -- serve ---------------------------------------------------------------------------

def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    try:
        serve(args.db, host=args.host, port=args.port)
    except OSError as exc:
        return _fail(f"cannot serve on {args.host}:{args.port}: {exc.strerror or exc}", EXIT_FAILED)
    except KeyboardInterrupt:
        pass
    return EXIT_OK


# -- the parsers ------------------------------------------------------------------------

def _add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default="archive.db", help="archive file (default: archive.db)")


def _add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--site", help="only this site (host name, e.g. news.example.com, or an address on it)")
    p.add_argument("--author", help="only articles with this byline name (any case)")
    p.add_argument("--since", metavar="DATE", help="published on or after (2025-09-01 or 2025-09-01T12:00:00Z)")
    p.add_argument("--until", metavar="DATE", help="published on or before (a date includes the whole day)")
    p.add_argument("--has-takeaways", action="store_true", help="only articles with key takeaways")
    p.add_argument("--all-versions", action="store_true",
                   help="every archived version, not only each article's current one")



def add_commands(sub: "argparse._SubParsersAction") -> None:
    """Add search, show, export, stats and serve to the `newsarchive` subcommands."""
    p = sub.add_parser("search", help="full-text search of the archive, best matches first")
    p.add_argument("query", help='FTS5 query: words (matched by stem; open-source is "open source"), "a phrase", '
                                  'OR, NOT, title:word, prefix* (a query with one matches all its words as written)')
    _add_db(p)
    _add_filters(p)
    p.add_argument("--limit", type=row_count, default=20, help="results to show (default: 20)")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(func=_guarded(cmd_search))

    p = sub.add_parser("show", help="print one article as a reader would read it")
    p.add_argument("article", metavar="URL|ID", help="the article's id, its URL (also without https://) "
                                                     "or its shortlink (https://site/?p=123)")
    _add_db(p)
    which = p.add_mutually_exclusive_group()
    which.add_argument("--version", type=row_count, metavar="N", help="an older version (1 = first)")
    which.add_argument("--diff", nargs="?", const=LAST_TWO, metavar="A..B",
                       help="what changed between two versions (default: the current one and the one before it in time)")
    p.set_defaults(func=_guarded(cmd_show))

    p = sub.add_parser("export", help="export articles as JSON Lines or CSV")
    _add_db(p)
    p.add_argument("--format", choices=("jsonl", "csv"), default="jsonl", help="default: jsonl")
    _add_filters(p)
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default, or -: standard output)")
    p.set_defaults(func=_guarded(cmd_export))

    p = sub.add_parser("stats", help="articles per site, author and month; crawl history")
    _add_db(p)
    p.add_argument("--top", type=row_count, default=10, help="authors to list (default: 10)")
    p.add_argument("--crawls", type=row_count, default=10, help="latest crawls to list (default: 10)")
    p.add_argument("--json", action="store_true", help="as one JSON object")
    p.set_defaults(func=_guarded(cmd_stats))

    p = sub.add_parser("serve", help="browse and query the archive in Datasette (read-only)")
    _add_db(p)
    p.add_argument("--host", default="127.0.0.1", help="interface (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=port_number, default=8001, help="port (default: 8001)")
    p.set_defaults(func=_guarded(cmd_serve))
