"""`newsarchive serve`: a real Datasette on a loopback port, queried through its JSON API, read-only."""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from archive import ArchiveStore
from tests.conftest import ROOT, run_cli
from tests.research_archive import CORRECTED_TITLE, assert_one_line, build_research_archive


@pytest.fixture(scope="module")
def research(tmp_path_factory):
    return build_research_archive(tmp_path_factory.mktemp("serve") / "archive.db")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Server:
    def __init__(self, db, port):
        self.base = f"http://127.0.0.1:{port}"
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "scraper.cli", "serve", "--db", str(db), "--port", str(port)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def wait_until_up(self, timeout=60.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"serve exited {self.process.returncode}: {self.process.stderr.read()}")
            try:
                self.get("/-/versions.json")
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        raise AssertionError("serve did not come up")

    def get(self, path, **params):
        url = self.base + path + ("?" + urllib.parse.urlencode(params) if params else "")
        with urllib.request.urlopen(url, timeout=10) as response:
            return json.load(response)

    def status_of(self, path, data=None, **params):
        url = self.base + path + ("?" + urllib.parse.urlencode(params) if params else "")
        try:
            with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise AssertionError("serve did not stop on SIGTERM")
        return self.process.returncode


@pytest.fixture(scope="module")
def server(research):
    before = digest(research.path)
    srv = Server(research.path, free_port())
    srv.archive_digest = before
    try:
        srv.wait_until_up()
        yield srv
    finally:
        returncode = srv.stop()
    assert returncode == 0
    assert digest(research.path) == before


def test_tables_through_the_json_api(server, research):
    rows = server.get("/archive/articles.json", _shape="array", _size="max")
    assert sorted(r["url"] for r in rows) == sorted(t["url"] for t in research.truths)
    rows = server.get("/archive/current_versions.json", _shape="array", _col="title",
                      article_url=research.changed_url)
    assert [r["title"] for r in rows] == [CORRECTED_TITLE]


def test_full_text_search_is_wired_up(server, research):
    for table in ("versions", "current_versions"):
        rows = server.get(f"/archive/{table}.json", _search="nato", _shape="array", _col="title")
        assert {r["title"] for r in rows} >= {t["title"] for t in research.truths if "NATO" in t["title"]}
    assert server.get("/archive/versions.json", _search="zzqqxxnotaword", _shape="array") == []


def test_canned_queries(server, research):
    versions = server.get("/archive/article_versions.json", _shape="array", url=research.changed_url)
    assert [v["version_no"] for v in versions] == [1, 2] and versions[1]["title"] == CORRECTED_TITLE
    latest = server.get("/archive/latest_articles.json", _shape="array")
    dates = [r["published_at"] for r in latest]
    assert len(latest) == len(research.truths) and dates == sorted(dates, reverse=True)
    takeaway = next(t for t in research.truths if t["takeaways"])["takeaways"][0]
    found = server.get("/archive/search_takeaways.json", _shape="array", text=takeaway[5:25].upper())
    assert takeaway in [r["takeaway"] for r in found]
    failures = server.get("/archive/crawl_failures.json", _shape="array")
    assert [(f["url"], f["reason"], f["http_status"]) for f in failures] == [
        ("http://127.0.0.1:8642/gone/", "HTTP 404", 404)]


def test_every_table_and_column_is_described(server, research):
    metadata = server.get("/-/metadata.json")["databases"]["archive"]
    hidden = {t["name"] for t in server.get("/archive.json")["tables"] if t["hidden"]}
    conn = sqlite3.connect(research.path.resolve().as_uri() + "?immutable=1", uri=True)
    try:
        names = [row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'")]
        shown = [name for name in names if name not in hidden]
        assert {"articles", "versions", "current_versions", "sections", "comments", "crawls"} <= set(shown)
        for name in shown:
            described = metadata["tables"][name]
            assert described["description"], name
            for (column,) in conn.execute("SELECT name FROM pragma_table_info(?)", [name]):
                assert described["columns"][column], (name, column)
    finally:
        conn.close()
    assert metadata["tables"]["versions"]["columns"]["record_json"].startswith("record_json (the complete record")
    assert metadata["tables"]["versions"]["fts_table"] == "versions_fts"


def test_writes_are_refused(server, research):
    assert server.status_of("/archive.json", sql="DELETE FROM articles") == 400
    assert server.status_of("/archive.json", sql="UPDATE articles SET url = 'x'") == 400
    # Datasette 0.65 answers a POST to a read-only canned query with an error page.
    assert server.status_of("/archive/article_versions", data=b"url=x") >= 400
    assert server.get("/archive.json", sql="SELECT count(*) AS n FROM articles", _shape="array") == [
        {"n": len(research.truths)}]
    assert digest(research.path) == server.archive_digest


def test_bad_archive_and_busy_port_are_one_line_errors(tmp_path, research):
    assert_one_line(run_cli("serve", "--db", str(tmp_path / "none.db")), 2, "no archive at")
    assert not (tmp_path / "none.db").exists()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert_one_line(run_cli("serve", "--db", str(research.path), "--port", str(port), timeout=60), 1,
                        f"cannot serve on 127.0.0.1:{port}")


def test_an_archive_in_use_is_served_read_only_and_shows_new_articles(tmp_path):
    research = build_research_archive(tmp_path / "archive.db", articles=14)
    with ArchiveStore(research.path) as store:  # a crawl has it open: the -wal file exists
        assert (tmp_path / "archive.db-wal").exists()
        srv = Server(research.path, free_port())
        try:
            srv.wait_until_up()
            assert len(srv.get("/archive/articles.json", _shape="array")) == 14
            record = store.get_article(research.nato_url)
            url = "http://127.0.0.1:8642/2025/11/01/a-new-article/"
            # another post (with the copied post ID and publication time it would be this one, moved)
            store.store(dataclasses.replace(record, url=url, canonical_url=url, title="A New Article",
                                            post_id="http://127.0.0.1:8642/?p=999999", content_hash=None),
                        raw_html=b"<html></html>", fetched_at="2025-11-03T00:00:00Z")
            titles = [r["title"] for r in srv.get("/archive/current_versions.json", _shape="array")]
            assert "A New Article" in titles and len(titles) == 15
            assert srv.status_of("/archive.json", sql="DELETE FROM articles") == 400
        finally:
            assert srv.stop() == 0
        assert store.counts()["articles"] == 15


@pytest.mark.parametrize("name", ["news#2025.db", "what?.db", "50%25.db"])
def test_a_file_name_with_uri_characters_is_served(tmp_path, research, name):
    """Datasette put the name into an SQLite URI as it was: `news#2025.db` opened (and created) an
    empty `news`, `50%25.db` failed on every page."""
    path = tmp_path / name
    path.write_bytes(research.path.read_bytes())
    srv = Server(path, free_port())
    try:
        srv.wait_until_up()
        served = srv.process.stdout.readline().split(" at ", 1)[1].strip()
        assert served.startswith(srv.base + "/")
        rows = srv.get(served[len(srv.base):] + "/articles.json", _shape="array", _size="max")
        assert len(rows) == len(research.truths)
    finally:
        assert srv.stop() == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, name + "-shm", name + "-wal"])
    assert path.read_bytes() == research.path.read_bytes()
