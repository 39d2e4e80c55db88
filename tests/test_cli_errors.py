"""Bad input gets one clear line and a non-zero exit, never a traceback, and no archive damage."""
from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import sqlite3
import subprocess
import sys

import pytest

from tests.conftest import LOOPBACK, ROOT, assert_one_clean_line, run_cli


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_parse_empty_file(tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    result = run_cli("parse", str(empty))
    assert result.returncode == 2
    assert result.stdout == ""
    assert_one_clean_line(result, "empty.html", "empty document")


def test_parse_binary_file(tmp_path):
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    result = run_cli("parse", str(binary))
    assert result.returncode == 2
    assert_one_clean_line(result, "image.png", "binary")


def test_parse_non_html_file(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("just some plain text\nwith two lines\n")
    result = run_cli("parse", str(text))
    assert result.returncode == 2
    assert_one_clean_line(result, "notes.txt", "no HTML")


def test_parse_missing_file(tmp_path):
    result = run_cli("parse", str(tmp_path / "nope.html"))
    assert result.returncode == 2
    assert_one_clean_line(result, "nope.html")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_crawl_unreachable_url_leaves_no_archive(tmp_path):
    db = tmp_path / "archive.db"
    result = run_cli("crawl", f"http://127.0.0.1:{_closed_port()}/", "--db", str(db), "-q", *LOOPBACK,
                     "-s", "RETRY_TIMES=0")
    assert result.returncode == 1
    assert_one_clean_line(result, "could not crawl", "connection refused", "archive was not changed")
    # The site is unreachable: said as such, not as a robots.txt that forbids it (RFC 9309).
    assert "forbids" not in result.stderr.splitlines()[-1]
    assert not db.exists()


def test_crawl_unreachable_url_keeps_existing_archive(tmp_path, sample_server):
    db = tmp_path / "archive.db"
    first = run_cli("crawl", sample_server.url, "--db", str(db), "-q", "--max-pages", "30", *LOOPBACK)
    assert first.returncode == 0, first.stderr
    before = digest(db)
    result = run_cli("crawl", f"http://127.0.0.1:{_closed_port()}/", "--db", str(db), "-q", *LOOPBACK,
                     "-s", "RETRY_TIMES=0")
    assert result.returncode == 1
    assert digest(db) == before


def test_crawl_non_news_site(tmp_path, static_server):
    folder, url = static_server
    (folder / "index.html").write_text(
        "<html><head><title>My recipes</title></head><body><h1>Recipes</h1>"
        "<ul><li><a href='soup.html'>Soup</a></li><li><a href='cake.html'>Cake</a></li></ul></body></html>")
    (folder / "soup.html").write_text("<html><body><p>Boil water. Add vegetables.</p><a href='index.html'>home</a></body></html>")
    (folder / "cake.html").write_text("<html><body><ul><li>flour</li><li>eggs</li></ul></body></html>")
    db = tmp_path / "archive.db"
    result = run_cli("crawl", url, "--db", str(db), "-q", *LOOPBACK)
    assert result.returncode == 1
    assert_one_clean_line(result, "no news articles found", "4 pages fetched")  # /, index.html, soup, cake
    assert not db.exists()


def test_no_articles_message_names_what_kept_the_crawl_from_them(tmp_path, static_server, sample_server):
    """robots.txt disallowing the article links, or --max-pages, are said, not left to guess."""
    folder, url = static_server
    (folder / "robots.txt").write_text("User-agent: *\nDisallow: /news/\n")
    (folder / "index.html").write_text("<html><body><h1>Latest</h1>" + "".join(
        f"<a href='news/story-{i}.html'>Story {i}</a>" for i in range(3)) + "</body></html>")
    result = run_cli("crawl", url, "--db", str(tmp_path / "a.db"), "-q", *LOOPBACK)
    assert result.returncode == 1
    assert_one_clean_line(result, "no news articles found", "robots.txt disallowed 3 of its links")
    result = run_cli("crawl", sample_server.url, "--db", str(tmp_path / "b.db"), "-q", "--max-pages", "1", *LOOPBACK)
    assert result.returncode == 1
    assert_one_clean_line(result, "no news articles found", "the crawl stopped at --max-pages")


def test_crawl_into_non_sqlite_file_refuses_and_keeps_it(tmp_path, sample_server):
    db = tmp_path / "notes.db"
    db.write_text("my precious notes, not a database\n" * 20)
    before = digest(db)
    result = run_cli("crawl", sample_server.url, "--db", str(db), "-q", *LOOPBACK)
    assert result.returncode == 2
    assert_one_clean_line(result, "not an SQLite database")
    assert digest(db) == before


def test_crawl_into_corrupt_archive_refuses_and_keeps_it(tmp_path, sample_server):
    db = tmp_path / "archive.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE t (x TEXT)")
        conn.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 200)
    data = bytearray(db.read_bytes())
    data[4096:8192] = b"\xde\xad\xbe\xef" * 1024  # smash the second page
    db.write_bytes(bytes(data))
    before = digest(db)
    result = run_cli("crawl", sample_server.url, "--db", str(db), "-q", *LOOPBACK)
    assert result.returncode == 2
    assert_one_clean_line(result)
    assert "corrupt" in result.stderr or "not a newsarchive archive" in result.stderr
    assert digest(db) == before


def test_crawl_into_foreign_sqlite_db_refuses(tmp_path, sample_server):
    db = tmp_path / "other.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE customers (name TEXT)")
    before = digest(db)
    result = run_cli("crawl", sample_server.url, "--db", str(db), "-q", *LOOPBACK)
    assert result.returncode == 2
    assert_one_clean_line(result, "not a newsarchive archive")
    assert digest(db) == before


def test_crawl_bad_url():
    result = run_cli("crawl", "ftp://example.invalid/", "-q")
    assert result.returncode == 2
    assert_one_clean_line(result, "not an http(s) URL")
    for typed, hint in (("example.invalid", "did you mean https://example.invalid?"),
                        ("news.example.invalid/politics/", "did you mean https://news.example.invalid/politics/?")):
        result = run_cli("crawl", typed, "-q")
        assert result.returncode == 2
        assert_one_clean_line(result, "not an http(s) URL", hint)
    result = run_cli("crawl", "http://[object Object]/", "-q")
    assert result.returncode == 2
    assert_one_clean_line(result, "not an http(s) URL: 'http://[object Object]/'")


@pytest.mark.parametrize("via", ["site", "sitemap", "feed"])
@pytest.mark.parametrize("url, reason", [("http://127.0.0.1:99999/", "Port out of range 0-65535"),
                                         ("http://127.0.0.1:abc/", "Port could not be cast to integer value")])
def test_crawl_start_url_with_a_port_urllib_refuses(via, url, reason, tmp_path):
    """urlsplit takes the URL and Scrapy's Request raises later, from inside the crawl: refused first."""
    db = tmp_path / "a.db"
    result = run_cli("crawl", url, "--via", via, "--db", str(db), "-q")
    assert result.returncode == 2
    assert_one_clean_line(result, f"not an http(s) URL: {url!r} ({reason}")
    assert len(result.stderr.strip().splitlines()) == 1 and not db.exists()


# Every command, a bad argument: one line naming the problem and where the usage is, exit 2.
SHIFT_JIS_TOKYO = b"\x93\x8c\x8b\x9e".decode("utf-8", "surrogateescape")
BAD_ARGUMENTS = [
    ([], "required: COMMAND"),
    (["bogus"], "invalid choice: 'bogus'"),
    (["parse"], "required: FILE"),
    (["crawl"], "required: url"),
    (["crawl", "http://127.0.0.1:9/", "--max-pages", "0"], "--max-pages: must be at least 1"),
    (["crawl", "http://127.0.0.1:9/", "--via", "carrier-pigeon"], "--via: invalid choice"),
    (["crawl", "http://127.0.0.1:9/", "--bogus"], "unrecognized arguments: --bogus"),
    # Said by the command it was given to, with the option meant; abbreviations are not taken.
    (["crawl", "http://127.0.0.1:9/", "--maxpages", "5"],
     "newsarchive crawl: unrecognized arguments: --maxpages 5; did you mean --max-pages? (see newsarchive crawl --help)"),
    (["crawl", "http://127.0.0.1:9/", "--max-page", "5"], "--max-page 5; did you mean --max-pages?"),
    (["search", "nato", "--lim", "3"], "newsarchive search: unrecognized arguments: --lim 3"),
    (["import-warc"], "required: FILE"),
    (["reparse", "extra"], "unrecognized arguments: extra"),
    (["demo", "--articles", "0"], "--articles: must be at least 1"),
    (["demo", "--port", "http"], "--port: 'http' is not a port number"),
    (["sample-site", "--port", "-5"], "--port: a port is a number from 0 to 65535"),
    (["sample-site", "--port", "70000"], "--port: a port is a number from 0 to 65535"),
    (["schedule"], "required: ACTION"),
    (["schedule", "add", "nightly"], "required: --url"),
    (["schedule", "add", "nightly", "--url", "https://example.com/", "--every", "1h", "--cron", "0 * * * *"],
     "not allowed with argument"),
    (["schedule", "pause"], "required: name"),
    (["schedule", "run-due", "--parallel", "none"], "'none' is not a whole number"),
    (["scheduler", "--parallel", "0"], "--parallel: must be at least 1"),
    (["search"], "required: query"),
    (["search", "nato", "--limit", "-1"], "--limit: must be at least 1"),
    (["show"], "required: URL|ID"),
    (["show", "1", "--version", "0"], "--version: must be at least 1"),
    (["export", "--format", "xml"], "--format: invalid choice: 'xml'"),
    (["stats", "--top", "many"], "'many' is not a whole number"),
    (["serve", "--port", "abc"], "--port: 'abc' is not a port number"),
    # "東京" typed in a Shift_JIS terminal: bytes that are not UTF-8 reach Python as lone
    # surrogates, which SQLite, URLs and regular expressions refused with a traceback
    (["search", SHIFT_JIS_TOKYO], "newsarchive search: the query is not UTF-8 text"),
    (["search", "nato", "--author", SHIFT_JIS_TOKYO], "--author is not UTF-8 text"),
    (["show", SHIFT_JIS_TOKYO], "the article is not UTF-8 text"),
    (["export", "--site", SHIFT_JIS_TOKYO], "--site is not UTF-8 text"),
    (["crawl", "http://127.0.0.1:9/" + SHIFT_JIS_TOKYO], "the url is not UTF-8 text"),
    (["crawl", "http://127.0.0.1:9/", "--include", SHIFT_JIS_TOKYO], "--include is not UTF-8 text"),
    (["schedule", "add", "nightly", "--url", "http://127.0.0.1:9/" + SHIFT_JIS_TOKYO, "--every", "1d"],
     "--url is not UTF-8 text"),
]


def test_file_names_may_be_any_bytes(tmp_path):
    """A file name is not text: the Shift_JIS bytes of one are a file name like any other."""
    page = tmp_path / ("page-" + SHIFT_JIS_TOKYO + ".html")
    page.write_bytes(b"<html><body><h1>Title</h1><p>Some text.</p></body></html>")
    result = run_cli("parse", str(page))
    assert result.returncode == 0 and '"title": "Title"' in result.stdout, result.stderr


@pytest.mark.parametrize("argv,problem", BAD_ARGUMENTS, ids=[" ".join(a) or "(none)" for a, _ in BAD_ARGUMENTS])
def test_every_command_answers_a_bad_argument_with_one_line(argv, problem, capsys, tmp_path, monkeypatch):
    from scraper.cli import main

    monkeypatch.chdir(tmp_path)  # nothing may be created, even by a default --db
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    out, err = capsys.readouterr()
    assert exit_.value.code == 2 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("newsarchive") and problem in err, err
    assert "--help)" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


# -- an archive that cannot be written ---------------------------------------------------------
@contextlib.contextmanager
def read_only(path):
    """Make ``path`` (a file or a directory) unwritable, even for root (an immutable file
    via chattr, where permission bits would not stop root); skips the test where neither works."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("running as root without chattr +i: cannot make a file read-only")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_crawl_into_missing_directory_refuses_before_crawling(tmp_path, sample_server):
    db = tmp_path / "nonexist" / "x.db"
    result = run_cli("crawl", sample_server.url, "--db", str(db), "-q", "--max-pages", "5", *LOOPBACK)
    assert result.returncode == 2 and result.stdout == ""
    assert_one_clean_line(result, f"cannot create the archive {db}", "does not exist")
    assert len(result.stderr.splitlines()) == 1


def test_crawl_into_read_only_archive_refuses_and_keeps_it(tmp_path, sample_server):
    db = tmp_path / "archive.db"
    first = run_cli("crawl", sample_server.url, "--db", str(db), "-q", "--max-pages", "20", *LOOPBACK)
    assert first.returncode == 0, first.stderr
    before = digest(db)
    with read_only(db):
        result = run_cli("crawl", sample_server.url, "--db", str(db), "-q", *LOOPBACK)
    assert result.returncode == 2 and result.stdout == ""
    assert_one_clean_line(result, f"cannot write to the archive {db}")
    assert len(result.stderr.splitlines()) == 1
    assert digest(db) == before


@pytest.mark.parametrize("existing", [True, False], ids=["archive", "new archive"])
def test_crawl_into_read_only_directory_refuses(existing, tmp_path, sample_server):
    """SQLite keeps its -wal beside the archive: a read-only directory cannot hold a crawl."""
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "archive.db"
    if existing:
        first = run_cli("crawl", sample_server.url, "--db", str(db), "-q", "--max-pages", "20", *LOOPBACK)
        assert first.returncode == 0, first.stderr
    before = sorted(p.name for p in folder.iterdir())
    digests = {p.name: digest(p) for p in folder.iterdir()}
    with read_only(folder):
        result = run_cli("crawl", sample_server.url, "--db", str(db), "-q", *LOOPBACK)
    assert result.returncode == 2 and result.stdout == ""
    verb = "write to" if existing else "create"
    assert_one_clean_line(result, f"cannot {verb} the archive {db}", f"its directory {folder} is not writable")
    assert len(result.stderr.splitlines()) == 1
    assert sorted(p.name for p in folder.iterdir()) == before
    assert {p.name: digest(p) for p in folder.iterdir()} == digests


# The archive fills up after three articles: a real SQLITE_FULL ("database or disk is full").
DISK_FILLS_UP = """
import sys
from archive.store import ArchiveStore
stored = []
original = ArchiveStore.store
def store(self, *args, **kwargs):
    if len(stored) == 3:
        pages = self.db.execute("PRAGMA page_count").fetchone()[0]
        self.db.execute(f"PRAGMA max_page_count = {pages}")
    stored.append(original(self, *args, **kwargs))
    return stored[-1]
ArchiveStore.store = store
from scraper.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_archive_failing_mid_crawl_is_one_line_per_article_and_an_error(tmp_path, sample_server):
    """Neither the record nor the raw HTML goes to the log; the summary counts the errors,
    names the first, and the crawl stops (the next article would fail the same way)."""
    script = tmp_path / "disk_fills_up.py"
    script.write_text(DISK_FILLS_UP)
    db = tmp_path / "archive.db"
    result = subprocess.run([sys.executable, str(script), "crawl", sample_server.url, "--db", str(db), "-q",
                             *LOOPBACK], cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert len(result.stderr) < 20_000 and "<html" not in result.stderr.lower()
    assert "ArticleRecord" not in result.stderr and "raw_html" not in result.stderr
    assert_one_clean_line(result, "database or disk is full", "the crawl stopped there")
    assert "new 3, changed 0" in result.stdout
    errors = next(line for line in result.stdout.splitlines() if line.strip().startswith("errors"))
    assert int(errors.split()[1]) >= 1 and "(first: could not store http" in errors
    assert "database or disk is full" in errors
    with sqlite3.connect(db) as conn:  # what was archived before stays archived, intact
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


BAD_SETTINGS = [
    ("DOWNLOAD_DELAY=abc", "-s DOWNLOAD_DELAY=abc: DOWNLOAD_DELAY takes a number, not 'abc'"),
    ("RETRY_TIMES=abc", "-s RETRY_TIMES=abc: RETRY_TIMES takes a whole number, not 'abc'"),
    ("NEWSARCHIVE_CONDITIONAL=maybe", "NEWSARCHIVE_CONDITIONAL is True or False, not 'maybe'"),
    ('DOWNLOAD_SLOTS={"a.com": {concurrency: 1}}', "DOWNLOAD_SLOTS takes a JSON object, and this is not JSON"),
    ("DOWNLOAD_SLOTS=[1]", "DOWNLOAD_SLOTS takes a JSON object ({...}), not '[1]'"),
    ("RETRY_HTTP_CODES=503,soon", "RETRY_HTTP_CODES takes whole numbers separated by commas, not 'soon'"),
    # a zero per-domain concurrency made the crawl wait for a slot for ever, deaf to Ctrl-C
    ("CONCURRENT_REQUESTS_PER_DOMAIN=0", "-s CONCURRENT_REQUESTS_PER_DOMAIN=0: CONCURRENT_REQUESTS_PER_DOMAIN "
     "must be at least 1"),
    ("DOWNLOAD_DELAY=-1", "-s DOWNLOAD_DELAY=-1: DOWNLOAD_DELAY cannot be negative"),
    ("AUTOTHROTTLE_TARGET_CONCURRENCY=0", "AUTOTHROTTLE_TARGET_CONCURRENCY must be more than 0"),
    ('DOWNLOAD_SLOTS={"127.0.0.1": {"concurrency": 0}}', "the concurrency of '127.0.0.1' must be a whole number "
     "of at least 1"),
]


@pytest.mark.parametrize("setting,problem", BAD_SETTINGS, ids=[s for s, _ in BAD_SETTINGS])
def test_crawl_refuses_a_bad_setting_value_before_crawling(setting, problem, tmp_path, static_server):
    folder, url = static_server
    (folder / "index.html").write_text("<html><body><a href='a.html'>a</a></body></html>")
    result = run_cli("crawl", url, "--db", str(tmp_path / "a.db"), "-q", "-s", setting)
    assert result.returncode == 2 and result.stdout == ""
    assert_one_clean_line(result, problem)
    assert len(result.stderr.splitlines()) == 1
    assert list(tmp_path.iterdir()) == [folder]


def test_crawl_passes_good_and_unknown_settings_through(tmp_path, sample_server):
    result = run_cli("crawl", sample_server.url, "--db", str(tmp_path / "a.db"), "-q", "--max-pages", "20",
                     *LOOPBACK, "-s", "DOWNLOAD_TIMEOUT=7.5", "-s", "NEWSARCHIVE_CONDITIONAL=false",
                     "-s", "RETRY_HTTP_CODES=500,503", "-s", 'DOWNLOAD_SLOTS={"x.example": {"delay": 1}}',
                     "-s", "WARC_MAX_SIZE=10M", "-s", "SOME_EXTENSION_SETTING=anything")
    assert result.returncode == 0, result.stderr
