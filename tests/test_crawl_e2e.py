"""End to end: a real Scrapy crawl of the sample site over HTTP into a real SQLite archive,
checked against the site's ground truth."""
from __future__ import annotations

import json
import shutil
import sqlite3

import pytest

from archive import ArchiveStore
from tests.conftest import LOOPBACK, assert_one_clean_line, run_cli

pytestmark = pytest.mark.slow

COMPARED = ("title", "subtitle", "authors", "published_at", "modified_at", "reading_time_minutes",
            "language", "intro", "sections", "takeaways_heading", "takeaways", "comments_open",
            "comment_form", "comments", "tags", "categories", "canonical_url")


@pytest.fixture(scope="module")
def crawled(tmp_path_factory, sample_server):
    db = tmp_path_factory.mktemp("crawl") / "archive.db"
    result = run_cli("crawl", sample_server.url, "--db", str(db), *LOOPBACK)
    assert result.returncode == 0, result.stderr[-3000:]
    return db, result


def test_every_article_archived_once_and_nothing_else(crawled, sample_site, sample_server):
    db, _ = crawled
    truth_urls = {t["url"] for t in sample_site.ground_truth(sample_server.url)}
    with sqlite3.connect(db) as conn:
        urls = [row[0] for row in conn.execute("SELECT url FROM articles")]
        versions = conn.execute("SELECT count(*) FROM versions").fetchone()[0]
    assert len(urls) == len(set(urls))
    assert set(urls) == truth_urls
    assert versions == len(truth_urls) >= 300


def test_records_are_faithful_to_ground_truth(crawled, sample_site, sample_server):
    db, _ = crawled
    mismatches = []
    with ArchiveStore(db) as store:
        for truth in sample_site.ground_truth(sample_server.url):
            record = store.get_article(truth["url"]).to_dict()
            for field in COMPARED:
                if field in truth and record[field] != truth[field]:
                    mismatches.append((truth["url"], field, record[field], truth[field]))
    assert not mismatches, json.dumps(mismatches[:5], indent=1, ensure_ascii=False)


def test_seed_article_archived_whole(crawled, sample_server):
    db, _ = crawled
    url = sample_server.url + "2025/09/09/rutte-and-prime-minister-discuss-natos-evolving-security-landscape/"
    with ArchiveStore(db) as store:
        record = store.get_article(url)
        raw = store.raw_html(url)
    assert record.title == "Rutte and Prime Minister Discuss NATO’s Evolving Security Landscape"
    assert record.authors == ["S Haynes"]
    assert record.reading_time_minutes == 8
    assert [s.heading for s in record.sections][:2] == [
        "Assessing the Doha Situation and its Regional Impact", "NATO’s Role in a Fractured World"]
    assert record.takeaways_heading == "Key Takeaways from the Prime Minister-Rutte Meeting"
    assert len(record.takeaways) == 5
    assert record.comment_form.heading == "Leave a Reply"
    assert "Share This Article" not in record.body_text
    assert "Leave a Comment" not in record.body_text
    assert b"Rutte" in raw and raw.lstrip().lower().startswith(b"<!doctype html")


def test_summary_and_crawl_row(crawled, sample_site):
    db, result = crawled
    count = len(sample_site.ground_truth("http://x/"))
    assert f"new {count}, changed 0, unchanged 0" in result.stdout
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        crawl = conn.execute("SELECT * FROM crawls").fetchone()
    assert crawl["spider"] == "news"
    assert crawl["articles_new"] == count
    assert crawl["pages_fetched"] > count  # listing pages were fetched too
    assert crawl["finished_at"] is not None


def test_full_text_search_finds_seed(crawled):
    db, _ = crawled
    with ArchiveStore(db) as store:
        hits = store.search("Doha escalation", limit=5)
    assert hits and "Rutte" in hits[0]["title"]


def test_recrawl_of_unchanged_site_adds_nothing(crawled, sample_server, tmp_path, sample_site):
    db = tmp_path / "again.db"
    shutil.copy(crawled[0], db)
    tables = ("articles", "versions", "sections", "takeaways", "comments", "raw_pages")

    def counts():
        with sqlite3.connect(db) as conn:
            return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}

    before = counts()
    result = run_cli("crawl", sample_server.url, "--db", str(db), "-q", *LOOPBACK)
    assert result.returncode == 0, result.stderr[-2000:]
    count = len(sample_site.ground_truth("http://x/"))
    assert f"new 0, changed 0, unchanged {count}" in result.stdout
    assert counts() == before


def test_changed_article_becomes_second_version(tmp_path):
    from scraper.sample_site import SampleSite, SampleSiteServer

    site = SampleSite(articles=300, seed=7)
    db = tmp_path / "archive.db"
    with SampleSiteServer(site) as server:
        assert run_cli("crawl", server.url, "--db", str(db), "-q", *LOOPBACK).returncode == 0
        target = site.ground_truth(server.url)[3]
        old_title = target["title"]
        site.update_article(target["url"], title=old_title + " (updated)")
        result = run_cli("crawl", server.url, "--db", str(db), "-q", *LOOPBACK)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "new 0, changed 1, unchanged 299" in result.stdout
    with ArchiveStore(db) as store:
        assert store.get_article(target["url"]).title == old_title + " (updated)"
        assert store.get_article(target["url"], version=1).title == old_title
        assert [v["version_no"] for v in store.versions(target["url"])] == [1, 2]


def test_scrapy_crawl_from_repository_root(tmp_path, sample_server):
    """`scrapy crawl news -a start_url=URL` works the Scrapy way, with the same pipelines."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    db = tmp_path / "scrapy.db"
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"start_url={sample_server.url}",
         "-s", f"ARCHIVE_DB={db}", "-s", "CLOSESPIDER_ITEMCOUNT=20", "-s", "LOG_LEVEL=INFO", *LOOPBACK],
        cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    with ArchiveStore(db) as store:
        assert store.counts()["articles"] >= 20


def test_demo_command(tmp_path):
    result = run_cli("demo", "--port", "0", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "archive.db").exists()
    out = result.stdout
    assert "Serving the sample news site (320 articles) at http://127.0.0.1:" in out
    assert "new 320, changed 0, unchanged 0" in out
    assert "Newest articles:" in out
    assert "Full-text search for 'NATO'" in out
    assert "Rutte" in out


def _listening(port: int = 0):
    import socket

    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen()
    return sock


def _leave_server_side_time_wait(port: int) -> None:
    """A connection to ``port`` closed by its server first: the port is then in TIME_WAIT on the
    server's side, which a bind without SO_REUSEADDR takes for a port in use."""
    import socket

    with _listening(port) as listener:
        client = socket.create_connection(("127.0.0.1", port))
        conn, _ = listener.accept()
        conn.close()
        client.recv(1)
        client.close()


def test_demo_run_again_recrawls_the_same_urls(tmp_path):
    """The port is part of every URL: a second demo serves the site where the archive's first
    found it, or refuses; a taken port on the first run is said, not silently swapped."""
    import re

    def demo(*options):
        return run_cli("demo", "--articles", "8", "-q", *options, cwd=tmp_path)

    with _listening() as held:
        taken = held.getsockname()[1]
        first = demo("--port", str(taken))
    assert first.returncode == 0, first.stderr[-3000:]
    moved = re.search(rf"Port {taken} is in use, so the sample site is served on port (\d+) instead", first.stdout)
    assert moved, first.stdout
    port = int(moved.group(1))
    assert f"at http://127.0.0.1:{port}/" in first.stdout and "new 8, changed 0" in first.stdout

    _leave_server_side_time_wait(port)
    second = demo()
    assert second.returncode == 0, second.stderr[-3000:]
    assert f"at http://127.0.0.1:{port}/" in second.stdout
    assert "new 0, changed 0, unchanged 8" in second.stdout
    assert "The archive now holds 8 articles in 8 versions from 2 crawls." in second.stdout
    assert "Run it again and the re-crawl adds nothing new" in second.stdout

    db = tmp_path / "archive.db"
    before = db.read_bytes()
    with _listening(port):
        third = demo()
    assert third.returncode == 1 and third.stdout == ""
    assert_one_clean_line(third, f"port {port} on 127.0.0.1 is in use", "archived a second time")
    assert db.read_bytes() == before
