"""File names that are not UTF-8: `café.warc.gz` named on a Latin-1 system reaches Python as
``'caf\\udce9.warc.gz'`` (os.fsdecode), which SQLite refuses. Every command that takes such a file
reads it, and what the archive records of the name is text, each byte that is not UTF-8 as
``\\xNN``; `schedule add`, which must open the file by its recorded name at every run, refuses
it in one line instead. Before, import-warc and schedule add died in a UnicodeEncodeError
traceback, and crawl --via urls and crawl --warc stored none of the articles they fetched.
"""
from __future__ import annotations

import html
import json
import os
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import LOOPBACK, FrontPageSite, articles_line, assert_one_clean_line, run_cli, serving_site
from tests.warcs import html_capture, record_at, write_warc

# A terminal in a UTF-8 locale such as en_US.UTF-8, whose stdout refuses lone surrogates (the
# C.UTF-8 locale of a test machine lets them through, which would hide a print of the name).
UTF8_TERMINAL = {"PYTHONIOENCODING": "utf-8:strict"}
STORY = "/2025/09/10/harbour-expansion/"


@pytest.fixture
def latin1_name(tmp_path):
    """``latin1_name("urls", ".txt")``: the path tmp_path/urls-café.txt with é as the Latin-1
    byte 0xE9, and how the archive records it, tmp_path/urls-caf\\xe9.txt."""
    def named(stem: str, suffix: str) -> tuple[Path, str]:
        name = f"{stem}-caf".encode() + b"\xe9" + suffix.encode()
        return tmp_path / os.fsdecode(name), f"{tmp_path.resolve()}/{stem}-caf\\xe9{suffix}"

    probe, _ = named("probe", "")
    try:
        probe.touch()
    except OSError as exc:  # APFS and some network filesystems take UTF-8 names only
        pytest.skip(f"this filesystem refuses names that are not UTF-8: {exc}")
    probe.unlink()
    return named


def _story(base: str = "https://news.example") -> bytes:
    title = "Harbour expansion approved"
    text = ("The harbour board approved the expansion on Tuesday after two years of study and a long "
            "debate in the council chamber. The project adds two deep-water berths.")
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f'<link rel="canonical" href="{base}{STORY}"><meta property="og:type" content="article">'
            f'<meta property="article:published_time" content="2025-09-10T08:00:00+00:00"></head>'
            f'<body class="single single-post"><article class="post hentry"><h1 class="entry-title">{title}</h1>'
            f'<div class="entry-content"><p>{html.escape(text)}</p></div></article></body></html>').encode()


class _Site(FrontPageSite):
    def front_page(self):
        return [(STORY, "Harbour expansion approved")]

    def article(self, path):
        return _story(self.base) if path == STORY else None


@pytest.fixture(scope="module")
def site():
    with serving_site(_Site) as handler:
        yield handler


def _one(db: Path, sql: str):
    with sqlite3.connect(db) as conn:
        (row,) = conn.execute(sql).fetchall()
        return row[0]


def test_import_warc_of_a_file_whose_name_is_not_utf8(tmp_path, latin1_name):
    warc, recorded = latin1_name("news", ".warc.gz")
    plain = tmp_path / "plain.warc.gz"  # warcio's writer cannot name such a file in its warcinfo
    write_warc(plain, [html_capture("https://news.example" + STORY, _story())])
    plain.rename(warc)
    db = tmp_path / "a.db"
    result = run_cli("import-warc", str(warc), "--db", str(db), "-q", env=UTF8_TERMINAL)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "articles           new 1, changed 0, unchanged 0" in result.stdout
    assert json.loads(_one(db, "SELECT args FROM crawls")) == {"files": [recorded]}
    assert _one(db, "SELECT warc_file FROM versions") == recorded


def test_crawl_via_urls_of_a_file_whose_name_is_not_utf8(tmp_path, latin1_name, site):
    urls, recorded = latin1_name("urls", ".txt")
    urls.write_text(site.base + STORY + "\n", encoding="utf-8")
    db = tmp_path / "a.db"
    result = run_cli("crawl", str(urls), "--via", "urls", "--db", str(db), "-q", *LOOPBACK, env=UTF8_TERMINAL)
    assert articles_line(result) == "articles           new 1, changed 0, unchanged 0"
    assert f"crawl #1 of {urls} into" in result.stdout  # the name printed as its own bytes
    assert json.loads(_one(db, "SELECT args FROM crawls"))["urls_file"] == recorded


def test_crawl_warc_into_a_directory_whose_name_is_not_utf8(tmp_path, latin1_name, site):
    warc_dir, recorded_dir = latin1_name("warcs", "")
    db, recorded_db = latin1_name("archive", ".db")
    result = run_cli("crawl", site.base + "/", "--db", str(db), "--warc", str(warc_dir), "-q", *LOOPBACK,
                     env=UTF8_TERMINAL)
    assert articles_line(result) == "articles           new 1, changed 0, unchanged 0"
    (warc,) = warc_dir.iterdir()
    warc_file, warc_offset = json.loads(_one(db, "SELECT json_array(warc_file, warc_offset) FROM versions"))
    assert warc_file == f"{recorded_dir}/{warc.name}"
    assert record_at(warc, warc_offset)[:2] == ("response", site.base + STORY)
    info = record_at(warc, 0)[2].decode()  # the warcinfo names the archive as the crawl's args do
    assert f"newsarchive-archive: {recorded_db}" in info


def test_schedule_add_refuses_a_urls_file_whose_name_is_not_utf8(tmp_path, latin1_name):
    """Each run opens the file by the name the archive keeps, which is text only: refused before
    the archive is created or opened."""
    urls, recorded = latin1_name("urls", ".txt")
    urls.write_text("https://news.example/\n", encoding="utf-8")
    db = tmp_path / "a.db"
    result = run_cli("schedule", "add", "nightly", "--url", str(urls), "--via", "urls", "--every", "1d",
                     "--db", str(db), env=UTF8_TERMINAL)
    assert result.returncode == 2
    assert_one_clean_line(result, f"the URLs file {recorded}: its name is not UTF-8 text (rename it)")
    assert not db.exists()
