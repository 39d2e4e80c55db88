"""Crashes: a crawl SIGKILLed again and again at random moments never leaves a damaged archive or a
half-written article, and the resumed job completes the archive with every article exactly once."""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from scraper.sample_site import SampleSite, SampleSiteServer
from tests.archive_consistency import full_text_index_problem, half_written
from tests.conftest import LOOPBACK, ROOT, run_cli
from tests.test_resume import count_articles

ARTICLES = 150
KILLS = 3


def start_slow_crawl(url, db, job):
    """A crawl slowed to ~50 pages/s, so that a kill lands mid-crawl."""
    return subprocess.Popen(
        [sys.executable, "-m", "scraper.cli", "crawl", url, "--db", str(db), "--job", job, "-q",
         "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0.02", "-s", "RANDOMIZE_DOWNLOAD_DELAY=False"],
        cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def crawl_statuses(db):
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(row) for row in conn.execute("SELECT * FROM crawls ORDER BY id")]


@pytest.mark.slow
def test_repeated_sigkills_leave_no_half_written_article_and_the_job_completes(tmp_path):
    rng = random.Random(2026)
    site = SampleSite(articles=ARTICLES, seed=41)
    db = tmp_path / "archive.db"
    # The first kill comes a random time after the start (starting up, creating the archive or
    # crawling); the others once the run has added a few more articles, after a random pause.
    kills = [None, *(rng.randint(3, 15) for _ in range(KILLS))]
    with SampleSiteServer(site) as server:
        archived, crawl_rows = 0, 0
        for run, more in enumerate(kills, 1):
            threshold = None if more is None else archived + more
            crawl = start_slow_crawl(server.url, db, "crashy")
            try:
                if threshold is None:
                    time.sleep(rng.uniform(0.2, 2.0))
                else:
                    deadline = time.monotonic() + 60
                    while count_articles(db) < threshold and crawl.poll() is None and time.monotonic() < deadline:
                        time.sleep(0.02)
                    time.sleep(rng.uniform(0, 0.15))
                assert crawl.poll() is None, f"run {run} ended before its kill: {crawl.stderr.read()[-2000:]}"
            finally:
                crawl.send_signal(signal.SIGKILL)
                crawl.wait(timeout=30)
            assert crawl.returncode == -signal.SIGKILL
            if not db.exists():   # killed before it stored anything
                assert threshold is None
                continue

            with sqlite3.connect(db) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
                if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'versions'").fetchone():
                    assert threshold is None   # killed while creating the archive: nothing in it
                    continue
                assert half_written(conn) == []
                assert full_text_index_problem(conn) is None
                now = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
                assert conn.execute("SELECT count(*), max(version_count) FROM articles "
                                    "JOIN versions ON versions.article_id = articles.id").fetchone() in (
                    (now, 1), (0, None))
            assert (threshold or 0) <= now < ARTICLES and now >= archived
            archived = now
            statuses = [c["status"] for c in crawl_statuses(db)]
            # Earlier killed runs are marked interrupted by the next; this one's row (if it got
            # as far as making one) still says running.
            assert statuses[:crawl_rows] == ["interrupted"] * crawl_rows and set(statuses[crawl_rows:]) <= {"running"}
            assert len(statuses) - crawl_rows <= 1 and (threshold is None or len(statuses) == crawl_rows + 1)
            crawl_rows = len(statuses)

        final = run_cli("crawl", server.url, "--db", str(db), "--job", "crashy", "-q", *LOOPBACK, timeout=120)
        assert final.returncode == 0, final.stderr[-3000:]
        assert "Traceback" not in final.stderr and "was killed" in final.stderr
        truth = {t["url"]: t for t in site.ground_truth(server.url)}

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert half_written(conn) == []
        assert full_text_index_problem(conn) is None
        rows = conn.execute(
            "SELECT cv.article_url, cv.title, (SELECT count(*) FROM sections s WHERE s.version_id = cv.id), "
            "(SELECT count(*) FROM comments c WHERE c.version_id = cv.id) FROM current_versions cv").fetchall()
        assert conn.execute("SELECT count(*), max(version_count) FROM articles").fetchone() == (ARTICLES, 1)
        assert conn.execute("SELECT count(*) FROM versions").fetchone()[0] == ARTICLES
    urls = [url for url, *_ in rows]
    assert len(urls) == len(set(urls)) and set(urls) == set(truth)
    for url, title, sections, comments in rows:
        assert (title, sections, comments) == (
            truth[url]["title"], len(truth[url]["sections"]), len(truth[url]["comments"])), url
    crawls = crawl_statuses(db)
    assert [c["status"] for c in crawls] == ["interrupted"] * crawl_rows + ["finished"]
    # Each interrupted row's counts are rebuilt from its versions: together they are the site.
    assert sum(c["articles_new"] for c in crawls) == ARTICLES
    assert crawls[-1]["articles_new"] == ARTICLES - archived


def test_the_check_finds_a_half_written_version(tmp_path):
    """What the crash and concurrency tests rely on: a version missing any of its rows is reported."""
    from tests.research_archive import build_research_archive

    research = build_research_archive(tmp_path / "archive.db", articles=14)
    with sqlite3.connect(research.path) as conn:
        assert half_written(conn) == [] and full_text_index_problem(conn) is None
        for table in ("sections", "takeaways", "comments", "comment_form_fields", "version_authors",
                      "raw_pages"):
            conn.execute(f"DELETE FROM {table} WHERE rowid = (SELECT max(rowid) FROM {table})")
        conn.execute("UPDATE articles SET current_version_id = NULL WHERE id = 2")
        problems = half_written(conn)
        conn.execute("INSERT INTO versions_fts (versions_fts, rowid, title, subtitle, body_text) "
                     "SELECT 'delete', id, title, subtitle, body_text FROM versions WHERE id = 3")
        assert "malformed" in full_text_index_problem(conn)
        conn.rollback()
    for table in ("sections", "takeaways", "comments", "comment_form_fields", "version_authors",
                  "raw_pages", "article 2 "):
        assert any(table in p for p in problems), (table, problems)
