"""`newsarchive` stopped by SIGTERM, and read by a pipe that closes early (`| head -1`)."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from scraper.warc_import import archive_warcs
from tests.conftest import PAGES, ROOT
from tests.warcs import html_capture, write_warc

NAMES = ["jnews", "classic", "relative_date", "windows1252"]


def pages_warc(path: Path) -> Path:
    captures = []
    for name in NAMES:
        url = json.loads((PAGES / f"{name}.expected.json").read_text())["url"]
        captures.append(html_capture(url, (PAGES / f"{name}.html").read_bytes()))
    write_warc(path, captures)
    return path


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("signals")
    warc = pages_warc(tmp / "pages.warc.gz")
    db = tmp / "archive.db"
    assert archive_warcs([warc], db).articles_new == len(NAMES)
    return warc, db


def run_python(code: str, **kwargs) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, **kwargs)


def crawl_rows(db: Path, spider: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT status, finished_at IS NOT NULL, articles_new, articles_changed "
                            "FROM crawls WHERE spider = ?", [spider]).fetchall()


# SIGTERM: what Ctrl-C does -------------------------------------------------------------------

def test_import_warc_stopped_by_sigterm_is_marked_interrupted_and_exits_143(tmp_path, archive):
    warc, _ = archive
    db = tmp_path / "archive.db"
    # The import sends itself SIGTERM once two articles are stored, as `kill PID` would.
    result = run_python(f"""
        import os, signal, sys
        import scraper.warc_import as wi
        from scraper.cli import main
        handle = wi._Importer.handle
        def handle_then_stop(self, path, entry):
            handle(self, path, entry)
            if self.summary.articles_new == 2:
                os.kill(os.getpid(), signal.SIGTERM)
        wi._Importer.handle = handle_then_stop
        sys.exit(main(["import-warc", {str(warc)!r}, "--db", {str(db)!r}, "-q"]))
    """)
    assert result.returncode == 128 + signal.SIGTERM, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == "newsarchive: interrupted (SIGTERM)"
    assert crawl_rows(db, "import-warc") == [("interrupted", 1, 2, 0)]


def test_reparse_stopped_by_sigterm_is_marked_interrupted_and_exits_143(tmp_path, archive):
    _, source = archive
    db = tmp_path / "archive.db"
    db.write_bytes(source.read_bytes())
    with sqlite3.connect(db) as conn:  # as if an older parser had made every record
        conn.execute("UPDATE versions SET content_hash = 'sha256:older-parser', "
                     "record_json = json_set(record_json, '$.title', 'As an older parser read it')")
    result = run_python(f"""
        import os, signal, sys
        import scraper.reparse as rp
        from scraper.cli import main
        reparse = rp._Reparser.reparse
        def reparse_then_stop(self, article_id):
            reparse(self, article_id)
            if self.summary.changed == 2:
                os.kill(os.getpid(), signal.SIGTERM)
        rp._Reparser.reparse = reparse_then_stop
        sys.exit(main(["reparse", "--db", {str(db)!r}, "-q"]))
    """)
    assert result.returncode == 128 + signal.SIGTERM, result.stderr
    assert result.stderr.strip() == "newsarchive: interrupted (SIGTERM)"
    assert crawl_rows(db, "reparse") == [("interrupted", 1, 0, 2)]


def test_ctrl_c_still_exits_130(tmp_path, archive):
    warc, _ = archive
    db = tmp_path / "archive.db"
    result = run_python(f"""
        import sys
        import scraper.warc_import as wi
        from scraper.cli import main
        def interrupted(self, path, entry):
            raise KeyboardInterrupt
        wi._Importer.handle = interrupted
        sys.exit(main(["import-warc", {str(warc)!r}, "--db", {str(db)!r}, "-q"]))
    """)
    assert (result.returncode, result.stderr.strip()) == (130, "newsarchive: interrupted")


# A reader that goes away -------------------------------------------------------------------

def commands(warc: Path, db: Path) -> dict[str, list[str]]:
    return {
        "parse": ["parse", str(PAGES / "classic.html")],
        "reparse": ["reparse", "--db", str(db), "-q"],
        "import-warc": ["import-warc", str(warc), "--db", str(db), "-q"],
        "search": ["search", "the", "--db", str(db)],
        "show": ["show", "1", "--db", str(db)],
        "export": ["export", "-o", "-", "--db", str(db)],
        "stats": ["stats", "--db", str(db)],
    }


@pytest.mark.parametrize("command", ["parse", "reparse", "import-warc", "search", "show", "export", "stats"])
def test_a_reader_that_goes_away_gets_no_traceback(tmp_path, archive, command):
    """`newsarchive COMMAND | head -1`: the pipe closed before the output was written."""
    warc, source = archive
    db = tmp_path / "archive.db"
    db.write_bytes(source.read_bytes())
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before anything is written
    try:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        result = subprocess.run([sys.executable, "-m", "scraper.cli", *commands(warc, db)[command]],
                                cwd=ROOT, env=env, stdout=write_end, stderr=subprocess.PIPE,
                                text=True, timeout=120)
    finally:
        os.close(write_end)
    assert "Traceback" not in result.stderr and "Error" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
