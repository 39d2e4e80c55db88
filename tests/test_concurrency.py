"""Concurrency: readers (search, export, show, serve, and a library reader holding its connection)
while a crawl writes never fail and never see a half-written article; two crawls writing to one
archive at once both finish with nothing lost or duplicated."""
from __future__ import annotations

import itertools
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from archive.readonly import reading_archive
from scraper.research_cli import UNRANKED_NOTE
from scraper.sample_site import SampleSite, SampleSiteServer
from tests.archive_consistency import half_written
from tests.conftest import LOOPBACK, ROOT, run_cli
from tests.test_serve import Server, free_port

ENV = dict(os.environ, PYTHONPATH=str(ROOT))

# One statement, so one snapshot: versions whose rows do not match their own record.
BROKEN_VERSIONS_SQL = """
SELECT count(*) AS versions, coalesce(sum(
    (SELECT count(*) FROM sections s WHERE s.version_id = v.id) != json_array_length(v.record_json, '$.sections')
 OR (SELECT count(*) FROM takeaways t WHERE t.version_id = v.id) != json_array_length(v.record_json, '$.takeaways')
 OR (SELECT count(*) FROM comments c WHERE c.version_id = v.id) != json_array_length(v.record_json, '$.comments')
 OR (SELECT count(*) FROM raw_pages r WHERE r.version_id = v.id) != 1
 OR (SELECT count(*) FROM articles a WHERE a.current_version_id = v.id) != 1), 0) AS broken
FROM versions v
"""


def start_crawl(url, db, *settings):
    return subprocess.Popen([sys.executable, "-m", "scraper.cli", "crawl", url, "--db", str(db), "-q", *settings],
                            cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def clean(stderr: str) -> bool:
    return "Traceback" not in stderr and "locked" not in stderr and "corrupt" not in stderr


# Two crawls at once: no throttling, so that their writes overlap.
QUICK = ("-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0.01", "-s", "RANDOMIZE_DOWNLOAD_DELAY=False")


def assert_finished_with_each_article_once(crawls, outputs, db, articles: int) -> set[str]:
    """Every crawl exited cleanly, the file is sound and holds ``articles`` articles of one version each; their URLs."""
    for crawl, (_, err) in zip(crawls, outputs):
        assert crawl.returncode == 0 and clean(err), err[-3000:]
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert half_written(conn) == []
        urls = [row[0] for row in conn.execute("SELECT url FROM articles")]
        assert conn.execute("SELECT count(*), max(version_count) FROM articles").fetchone() == (articles, 1)
        assert conn.execute("SELECT count(*) FROM versions").fetchone()[0] == articles
    assert len(urls) == len(set(urls))
    return set(urls)


class HeldReader(threading.Thread):
    """A library reader that opens the archive before the crawl starts and keeps its connection
    (a long export, a notebook): each read is one transaction, checked whole, its count noted."""

    def __init__(self, db):
        super().__init__(daemon=True)
        self.db, self.counts, self.errors = db, [], []
        self.opened, self.stop = threading.Event(), threading.Event()

    def run(self):
        try:
            with reading_archive(self.db) as held:
                self.opened.set()
                while True:
                    problems = half_written(held.conn)
                    if problems:
                        self.errors.append(problems[:3])
                    self.counts.append(held.conn.execute("SELECT count(*) FROM articles").fetchone()[0])
                    if self.stop.is_set():
                        break
                    time.sleep(0.05)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            self.errors.append(repr(exc))
        finally:
            self.opened.set()


class ServePoller(threading.Thread):
    """Asks `newsarchive serve`'s JSON API, over and over, whether any version is half-written."""

    def __init__(self, server):
        super().__init__(daemon=True)
        self.server, self.results, self.errors = server, [], []
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            try:
                (row,) = self.server.get("/archive.json", sql=BROKEN_VERSIONS_SQL, _shape="array")
                self.results.append(row)
                if row["broken"]:
                    self.errors.append(row)
            except Exception as exc:  # noqa: BLE001 - reported by the test
                self.errors.append(repr(exc))
            time.sleep(0.1)


def read_with_the_cli(db, query, truth, rng):
    """export, search and show, as a user would run them; returns the number of articles exported."""
    export = run_cli("export", "--format", "jsonl", "--db", str(db), timeout=60)
    assert export.returncode == 0 and export.stderr == "", export.stderr
    records = [json.loads(line) for line in export.stdout.splitlines()]
    ids = [r["article_id"] for r in records]
    assert len(ids) == len(set(ids))                 # each article once, at its current version
    for record in records:
        assert record["version_no"] == record["version_count"] == 1
        expected = truth[record["article_url"]]
        assert (record["title"], len(record["sections"]), len(record["comments"])) == (
            expected["title"], len(expected["sections"]), len(expected["comments"])), record["article_url"]

    search = run_cli("search", query, "--json", "--db", str(db), timeout=60)
    # While the archive is small the word may be in half of it: then the documented note says so.
    assert search.returncode == 0 and search.stderr in ("", UNRANKED_NOTE + "\n"), search.stderr
    assert {json.loads(line)["url"] for line in search.stdout.splitlines()} <= set(truth)

    chosen = rng.choice(records)
    show = run_cli("show", str(chosen["article_id"]), "--db", str(db), timeout=60)
    assert show.returncode == 0 and show.stderr == "", show.stderr
    assert chosen["title"] in show.stdout
    return len(records)


@pytest.mark.slow
def test_readers_during_a_crawl_never_fail_or_see_a_half_written_article(tmp_path):
    articles = 150
    rng = random.Random(7)
    site = SampleSite(articles=articles, seed=43)
    db = tmp_path / "archive.db"
    with SampleSiteServer(site) as server:
        truth = {t["url"]: t for t in site.ground_truth(server.url)}
        # An archive from an earlier, partial crawl: so every read command has articles to
        # answer with (exit 0 every time) from the first moment of the crawl on.
        seed = run_cli("crawl", server.url, "--db", str(db), "--max-pages", "20", "-q", *LOOPBACK, timeout=120)
        assert seed.returncode == 0, seed.stderr[-2000:]
        conn = sqlite3.connect(db)  # read-write, so that closing it removes the -wal again
        seeded = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        title = conn.execute("SELECT title FROM versions ORDER BY id LIMIT 1").fetchone()[0]
        conn.close()
        assert 0 < seeded < articles
        query = max(re.findall(r"[A-Za-z]+", title), key=len)
        # No one has the archive open now: the case where a reader must still lock properly.
        assert not (tmp_path / "archive.db-wal").exists()

        held = HeldReader(db)
        held.start()
        assert held.opened.wait(30) and not held.errors, held.errors
        srv = Server(db, free_port())
        poller = None
        try:
            srv.wait_until_up()
            poller = ServePoller(srv)
            poller.start()
            crawl = start_crawl(server.url, db, "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0.05",
                                "-s", "RANDOMIZE_DOWNLOAD_DELAY=False")
            rounds_during_crawl, exported = 0, []
            while crawl.poll() is None:
                exported.append(read_with_the_cli(db, query, truth, rng))
                rounds_during_crawl += crawl.poll() is None
            _, err = crawl.communicate(timeout=60)
            exported.append(read_with_the_cli(db, query, truth, rng))
        finally:
            # stopped whatever failed: a reader left polling would run on into the next tests
            for reader in (held, poller):
                if reader is not None:
                    reader.stop.set()
                    reader.join(30)
            assert srv.stop() == 0

    assert crawl.returncode == 0 and clean(err), err[-3000:]
    assert held.errors == [] and poller.errors == [], (held.errors[:3], poller.errors[:3])
    # The readers really overlapped the writing, and saw it grow commit by commit.
    assert rounds_during_crawl >= 2
    assert exported == sorted(exported) and exported[0] >= seeded and exported[-1] == articles
    assert held.counts == sorted(held.counts) and held.counts[0] == seeded and held.counts[-1] == articles
    assert any(seeded < n < articles for n in held.counts)
    served = [r["versions"] for r in poller.results]
    assert served == sorted(served) and any(seeded < n < articles for n in served)
    with sqlite3.connect(db) as conn:
        statuses = [row[0] for row in conn.execute("SELECT status FROM crawls ORDER BY id")]
        assert statuses == ["closespider_pagecount", "finished"]
        assert conn.execute("SELECT articles_new FROM crawls WHERE id = 2").fetchone()[0] == articles - seeded
        assert half_written(conn) == []


@pytest.mark.slow
def test_two_crawls_into_one_new_archive_at_once_lose_and_duplicate_nothing(tmp_path):
    sites = [SampleSite(articles=80, seed=51), SampleSite(articles=70, seed=52)]
    db = tmp_path / "archive.db"
    with SampleSiteServer(sites[0]) as first, SampleSiteServer(sites[1]) as second:
        servers = [first, second]
        truths = [{t["url"] for t in site.ground_truth(srv.url)} for site, srv in zip(sites, servers)]
        # Both start on an archive that does not exist yet: they race to create it too.
        crawls = [start_crawl(srv.url, db, *QUICK) for srv in servers]
        outputs = [crawl.communicate(timeout=120) for crawl in crawls]
        starts = [srv.url for srv in servers]
    assert assert_finished_with_each_article_once(crawls, outputs, db, 150) == truths[0] | truths[1]
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        rows = {row["start_url"]: dict(row) for row in conn.execute("SELECT * FROM crawls")}
    assert sorted(rows) == sorted(starts)
    for start, truth in zip(starts, truths):
        row = rows[start]
        assert (row["status"], row["articles_new"], row["articles_changed"], row["failures"]) == (
            "finished", len(truth), 0, 0), row
        with sqlite3.connect(db) as conn:  # each crawl's versions are its own site's articles
            mine = {r[0] for r in conn.execute(
                "SELECT a.url FROM versions v JOIN articles a ON a.id = v.article_id WHERE v.crawl_id = ?",
                [row["id"]])}
        assert mine == truth
    # They really wrote at the same time: their versions interleave (A ... B ... A ... B).
    with sqlite3.connect(db) as conn:
        order = [row[0] for row in conn.execute("SELECT crawl_id FROM versions ORDER BY id")]
    switches = sum(1 for x, y in itertools.pairwise(order) if x != y)
    assert switches >= 3, order


@pytest.mark.slow
def test_two_crawls_of_one_site_at_once_archive_each_article_once(tmp_path):
    """The same articles reached by two spiders at once (links and sitemap): each is stored by
    whichever crawl gets there first, and the other finds it archived."""
    articles = 80
    site = SampleSite(articles=articles, seed=53)
    db = tmp_path / "archive.db"
    with SampleSiteServer(site) as server:
        truth = {t["url"] for t in site.ground_truth(server.url)}
        crawls = [start_crawl(server.url, db, *QUICK),
                  start_crawl(server.url, db, "--via", "sitemap", *QUICK)]
        outputs = [crawl.communicate(timeout=120) for crawl in crawls]
    assert assert_finished_with_each_article_once(crawls, outputs, db, articles) == truth
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        rows = [dict(row) for row in conn.execute("SELECT * FROM crawls ORDER BY spider")]
    assert [(r["spider"], r["status"], r["failures"], r["articles_changed"]) for r in rows] == [
        ("news", "finished", 0, 0), ("sitemap", "finished", 0, 0)]
    # Every article reached by each crawl: stored by it, or found already there (unchanged, or for
    # the sitemap spider skipped because its lastmod is older than the other crawl's fetch).
    assert rows[0]["articles_skipped"] == 0
    for row in rows:
        assert row["articles_new"] + row["articles_unchanged"] + row["articles_skipped"] == articles, row
    assert sum(row["articles_new"] for row in rows) == articles
    a, b = rows  # they ran at the same time (timestamps to the second)
    assert a["started_at"] <= b["finished_at"] and b["started_at"] <= a["finished_at"]


def test_a_reader_opened_before_a_writer_sees_its_commits_not_a_torn_file(tmp_path):
    """A read command that opened the archive while no one else had it open, then a crawl starts
    and checkpoints its pages into the file: the reader sees the new articles, whole. (Opened
    ``immutable``, it kept its stale pages, then read "database disk image is malformed".)"""
    import dataclasses

    from archive import ArchiveStore
    from tests.research_archive import build_research_archive

    research = build_research_archive(tmp_path / "archive.db", articles=14)
    assert not (tmp_path / "archive.db-wal").exists()
    with reading_archive(research.path) as reader:
        assert reader.conn.execute("SELECT count(*) FROM articles").fetchone() == (14,)
        with ArchiveStore(research.path) as store:
            record = store.get_article(research.nato_url)
            for n in range(200):
                url = f"http://127.0.0.1:8642/2025/11/01/new-{n}/"
                store.store(dataclasses.replace(record, url=url, canonical_url=url, content_hash=None,
                                                post_id=f"http://127.0.0.1:8642/?p={1000 + n}"),  # posts of their own
                            raw_html=os.urandom(2000) * 4, fetched_at="2025-11-03T00:00:00Z")
            store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            assert reader.conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert reader.conn.execute("SELECT count(*) FROM articles").fetchone() == (214,)
            assert half_written(reader.conn) == []
