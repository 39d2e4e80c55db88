"""Resume: a crawl with --job that is SIGKILLed mid-crawl and started again ends with every
article archived exactly once; a job stopped cleanly continues where it stopped."""
from __future__ import annotations

import html
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest

from scraper.sample_site import SampleSite, SampleSiteServer
from tests.conftest import LOOPBACK, ROOT, FrontPageSite, article_page, run_cli, serving_site


def archive_state(db):
    with sqlite3.connect(db) as conn:
        urls = [row[0] for row in conn.execute("SELECT url FROM articles")]
        per_article = conn.execute("SELECT max(version_count), count(*) FROM articles").fetchone()
        versions = conn.execute("SELECT count(*) FROM versions").fetchone()[0]
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        conn.row_factory = sqlite3.Row
        crawls = [dict(row) for row in conn.execute("SELECT * FROM crawls ORDER BY id")]
    return urls, per_article, versions, integrity, crawls


def _crawl_process(args: list[str], stdout) -> subprocess.Popen:
    """`newsarchive ARGS` started in a process of its own (stderr piped), not waited for."""
    return subprocess.Popen([sys.executable, "-m", "scraper.cli", *args], cwd=ROOT,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)),
                            stdout=stdout, stderr=subprocess.PIPE, text=True)


def _wait_for_articles(process: subprocess.Popen, db, articles: int, timeout: float = 60) -> None:
    """Until the archive holds ``articles``, the process has ended, or ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while count_articles(db) < articles and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)


def _kill_mid_crawl(args: list[str], db, articles: int, delay: float) -> None:
    """`newsarchive ARGS`, slowed down by ``delay`` seconds a request so that the kill lands
    mid-crawl, SIGKILLed once the archive holds ``articles``."""
    first = _crawl_process([*args, "-s", "AUTOTHROTTLE_ENABLED=False", "-s", f"DOWNLOAD_DELAY={delay}",
                            "-s", "RANDOMIZE_DOWNLOAD_DELAY=False"], stdout=subprocess.DEVNULL)
    try:
        _wait_for_articles(first, db, articles)
        assert first.poll() is None, "the first run ended before it could be killed: " + first.stderr.read()
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)


def count_articles(db) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0  # not created yet


def test_bad_job_name_is_refused(tmp_path):
    result = run_cli("crawl", "http://127.0.0.1:9/", "--db", str(tmp_path / "a.db"), "--job", "../escape")
    assert result.returncode == 2
    assert "bad job name" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "a.db").exists()


@pytest.mark.slow
def test_sigkilled_crawl_resumes_without_duplicates_or_gaps(tmp_path):
    site = SampleSite(articles=300, seed=31)
    db = tmp_path / "archive.db"
    jobdir = tmp_path / "archive.db.jobs" / "nightly"
    with SampleSiteServer(site) as server:
        _kill_mid_crawl(["crawl", server.url, "--db", str(db), "--job", "nightly", "-q"], db, 60, delay=0.02)
        before_kill = count_articles(db)
        assert 60 <= before_kill < 300
        assert (jobdir / "newsarchive-running.json").exists()
        _, _, _, _, crawls = archive_state(db)
        assert [c["status"] for c in crawls] == ["running"]
        with sqlite3.connect(db) as conn:
            archived_first = {row[0] for row in conn.execute("SELECT url FROM articles")}
        fetched_first = server.traffic.counts(status=200)
        server.traffic.reset()

        second = run_cli("crawl", server.url, "--db", str(db), "--job", "nightly", "-q", *LOOPBACK, timeout=120)
        assert second.returncode == 0, second.stderr[-3000:]
        assert "Traceback" not in second.stderr
        assert "was killed" in second.stderr   # the user is told why it starts over

        truth = {t["url"] for t in site.ground_truth(server.url)}
        urls, (max_versions, articles), versions, integrity, crawls = archive_state(db)
        assert integrity == "ok"
        assert len(urls) == len(set(urls)) == articles == 300
        assert set(urls) == truth
        assert versions == 300 and max_versions == 1      # nothing archived twice
        assert [c["status"] for c in crawls] == ["interrupted", "finished"]
        assert crawls[0]["articles_new"] == before_kill   # rebuilt from its versions
        assert crawls[1]["articles_new"] == 300 - before_kill
        assert all(json.loads(c["args"])["job"] == "nightly" for c in crawls)
        # What the first run archived came back 304 and was not downloaded again.
        base = server.url.rstrip("/")
        second_200 = server.traffic.counts(status=200)
        for url in archived_first:
            path = url[len(base):]
            assert fetched_first[path] == 1 and second_200[path] == 0, path
        assert "not modified" in second.stdout
    # A finished job leaves nothing to resume: the next run is a fresh crawl.
    assert not (jobdir / "requests.seen").exists()
    assert not (jobdir / "newsarchive-running.json").exists()


@pytest.mark.slow
def test_cleanly_stopped_job_continues_where_it_stopped(tmp_path):
    site = SampleSite(articles=60, seed=37)
    db = tmp_path / "archive.db"
    with SampleSiteServer(site) as server:
        first = run_cli("crawl", server.url, "--db", str(db), "--job", "j1", "--max-pages", "40", "-q", *LOOPBACK,
                        timeout=120)
        assert "Traceback" not in first.stderr, first.stderr[-3000:]
        assert "  stopped            at --max-pages, run the same command again to continue" in first.stdout
        assert (tmp_path / "archive.db.jobs" / "j1" / "requests.seen").exists()
        other = run_cli("crawl", server.url + "category/world/", "--db", str(db), "--job", "j1", "-q", *LOOPBACK)
        assert other.returncode == 2 and "another job name" in other.stderr

        second = run_cli("crawl", server.url, "--db", str(db), "--job", "j1", "-q", *LOOPBACK, timeout=120)
        assert second.returncode == 0, second.stderr[-3000:]
        urls, (max_versions, articles), versions, integrity, crawls = archive_state(db)
        assert set(urls) == {t["url"] for t in site.ground_truth(server.url)}
        assert versions == articles == 60 and max_versions == 1
        assert [c["status"] for c in crawls] == ["closespider_pagecount", "finished"]
        # Scrapy's own resume: no page was downloaded twice across the two runs (robots.txt and
        # the home page, where each run looks for what the site published since, once per run).
        fetched = server.traffic.counts(status=200)
        assert fetched.pop("/robots.txt") == 2 and fetched.pop("/") == 2
        assert max(fetched.values()) == 1


@pytest.mark.slow
def test_ctrl_c_says_the_crawl_was_interrupted_and_the_same_command_continues(tmp_path):
    site = SampleSite(articles=60, seed=41)
    db = tmp_path / "archive.db"
    with SampleSiteServer(site) as server:
        args = ["crawl", server.url, "--db", str(db), "--job", "j2", "-q"]
        first = _crawl_process([*args, "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0.05",
                                "-s", "DOWNLOAD_DELAY_JITTER=0"], stdout=subprocess.PIPE)
        try:
            _wait_for_articles(first, db, 10)
            assert first.poll() is None, "the first run ended before Ctrl-C: " + first.stderr.read()
        finally:
            first.send_signal(signal.SIGINT)  # what Ctrl-C sends
            out, err = first.communicate(timeout=60)
        assert first.returncode == 130, err[-3000:]
        assert "Traceback" not in err
        assert "  stopped            interrupted, run the same command again to continue" in out
        ours = [line for line in err.splitlines() if line.startswith("newsarchive:")]
        assert ours == ["newsarchive: the crawl was interrupted (Ctrl-C) before its end; "
                        "run the same command again to continue job 'j2'"]
        urls, _, _, _, crawls = archive_state(db)
        assert 10 <= len(urls) < 60 and [c["status"] for c in crawls] == ["shutdown"]

        second = run_cli(*args, *LOOPBACK, timeout=120)
        assert second.returncode == 0, second.stderr[-3000:]
        assert "stopped" not in second.stdout and "newsarchive:" not in second.stderr
        urls, (max_versions, articles), versions, integrity, crawls = archive_state(db)
        assert set(urls) == {t["url"] for t in site.ground_truth(server.url)}
        assert versions == articles == 60 and max_versions == 1 and integrity == "ok"
        assert [c["status"] for c in crawls] == ["shutdown", "finished"]


def test_a_job_takes_its_start_url_with_or_without_the_slash_of_a_bare_host(tmp_path):
    site = SampleSite(articles=20, seed=43)
    db = tmp_path / "archive.db"
    with SampleSiteServer(site) as server:
        bare = server.url.rstrip("/")  # http://127.0.0.1:PORT
        first = run_cli("crawl", bare, "--db", str(db), "--job", "j3", "--max-pages", "10", "-q", *LOOPBACK,
                    "-s", "CONCURRENT_REQUESTS=1")  # breadth first, 32 at once would fetch every article
        assert first.returncode == 0, first.stderr[-3000:]
        assert f"crawl #1 of {server.url} into" in first.stdout
        second = run_cli("crawl", server.url, "--db", str(db), "--job", "j3", "-q", *LOOPBACK)
        assert second.returncode == 0, second.stderr[-3000:]
        third = run_cli("crawl", bare, "--db", str(db), "--job", "j3", "--max-pages", "5", "-q", *LOOPBACK)
        assert third.returncode == 0, third.stderr[-3000:]


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_a_stop_does_not_wait_out_a_retry_after_pause_and_the_job_keeps_the_page(tmp_path, stop):
    """A site that answers 503 with Retry-After: 60 pauses the crawl's requests to it; Ctrl-C
    (or the SIGTERM of a scheduler or systemd) then waited out the whole pause, up to
    RETRY_AFTER_MAX (120 s), before the crawl stopped, and fetched the waiting pages after all.
    Now the crawl stops at once, and the waiting requests stay in the job for the next run."""
    site = SampleSite(articles=20, seed=43)
    db = tmp_path / "archive.db"
    with SampleSiteServer(site) as server:
        refused = site.article_path(len(site) - 1)  # the newest: linked from the home page
        server.inject(refused, status=503, times=1, retry_after=60)
        args = ["crawl", server.url, "--db", str(db), "--job", "paused", "-q"]
        first = _crawl_process([*args, *LOOPBACK], stdout=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 60
            while not server.requests(refused, status=503) and first.poll() is None \
                    and time.monotonic() < deadline:
                time.sleep(0.05)
            assert first.poll() is None, "the first run ended before the stop: " + first.stderr.read()
            time.sleep(0.5)  # the retry is waiting now
        finally:
            asked = time.monotonic()
            first.send_signal(stop)
            out, err = first.communicate(timeout=120)
        took = time.monotonic() - asked
        assert first.returncode == 128 + stop, err[-3000:]
        assert took < 15, f"the stop waited {took:.0f} s for the site's Retry-After"
        assert server.requests(refused) == 1  # not fetched again after the stop
        assert "  stopped            interrupted, run the same command again to continue" in out

        second = run_cli(*args, *LOOPBACK, timeout=120)
        assert second.returncode == 0, second.stderr[-3000:]
        urls, (max_versions, articles), versions, integrity, crawls = archive_state(db)
        assert set(urls) == {t["url"] for t in site.ground_truth(server.url)}
        assert versions == articles == 20 and max_versions == 1 and integrity == "ok"


def test_a_killed_job_whose_process_id_another_process_took_is_not_running(tmp_path):
    """After a power cut (or a killed container) the job's marker names a process id that,
    after the reboot, another program may have: the job was refused as "already running",
    every night, until someone deleted the marker by hand."""
    site = SampleSite(articles=20, seed=47)
    db = tmp_path / "archive.db"
    marker = tmp_path / "archive.db.jobs" / "nightly" / "newsarchive-running.json"
    args = ["crawl", None, "--db", str(db), "--job", "nightly", "-q"]
    with SampleSiteServer(site) as server:
        args[1] = server.url
        _kill_mid_crawl(args, db, 3, delay=0.1)
        other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
        try:
            stale = json.loads(marker.read_text())
            marker.write_text(json.dumps({**stale, "pid": other.pid}))  # the id, now another program's
            second = run_cli(*args, *LOOPBACK, timeout=120)
        finally:
            other.kill()
            other.wait()
        assert second.returncode == 0, second.stderr[-3000:]
        assert "already running" not in second.stderr and "was killed" in second.stderr
        urls, (max_versions, articles), versions, integrity, crawls = archive_state(db)
        assert articles == versions == 20 and max_versions == 1


def test_a_job_whose_process_is_alive_is_refused(tmp_path):
    from scraper.jobs import MARKER, JobError, _process_start, check_job

    jobdir = tmp_path / "archive.db.jobs" / "nightly"
    jobdir.mkdir(parents=True)
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        (jobdir / MARKER).write_text(json.dumps({"pid": other.pid, "started": _process_start(other.pid)}))
        with pytest.raises(JobError, match=f"already running \\(process {other.pid}\\)"):
            check_job(jobdir, "news", "http://127.0.0.1:9/")
        (jobdir / MARKER).write_text(json.dumps({"pid": other.pid}))  # a marker written before this
        with pytest.raises(JobError, match="already running"):
            check_job(jobdir, "news", "http://127.0.0.1:9/")
    finally:
        other.kill()
        other.wait()
    check_job(jobdir, "news", "http://127.0.0.1:9/")  # gone: the job may run


class _NightlySite(FrontPageSite):
    """A news site that publishes as the test goes: ``published`` articles, those from number
    ``tonight`` on published now. Its front page links the newest 10 and its next page (/page/2/
    ...), its feed lists them all, and its sitemap index (/sitemap.xml, found as robots.txt
    names none) lists a sitemap of 5 articles each, oldest first, dated by its newest article
    (the 39th article goes into the last one). Every path asked for goes into ``fetched``."""
    published = 38
    tonight = 10 ** 6
    fetched: list = []
    _EARLIER = datetime(2025, 10, 1, tzinfo=timezone.utc)

    @staticmethod
    def story_path(number: int) -> str:
        return f"/news/story-{number}/"

    def published_at(self, number: int) -> datetime:
        return datetime.now(timezone.utc) if number >= self.tonight else self._EARLIER + timedelta(hours=number)

    def newest(self, skip: int, count: int) -> list[tuple[str, str]]:
        first = self.published - 1 - skip
        return [(self.story_path(n), f"Harbour story number {n}") for n in range(first, max(first - count, -1), -1)]

    def front_page(self):
        return self.newest(0, 10) + [("/page/2/", "Older stories")]

    def article(self, path):
        numbers = [n for n in range(self.published) if self.story_path(n) == path]
        if not numbers:
            return None
        n = numbers[0]
        return article_page(self.base, (path, f"Harbour story number {n}", "Ann Lee", self.published_at(n).isoformat(),
                                        [f"Story {n}: the council approved the harbour plan on a close vote.",
                                         "Residents who opposed the scheme said they would keep campaigning."], []))

    def do_GET(self):
        path = self.path.split("?")[0]
        self.fetched.append(path)
        if path.startswith("/page/") or path == "/author/":
            number = int(path.strip("/").split("/")[-1]) if path.startswith("/page/") else 1
            links = "".join(f'<h2><a href="{self.base}{link}">{html.escape(headline)}</a></h2>'
                            for link, headline in self.newest((number - 1) * 10, 10))
            if number * 10 < self.published:
                links += f'<a href="{self.base}/page/{number + 1}/">Older</a>'
            return self._send(200, f"<html><head><title>Page {number}</title></head><body class='archive'>{links}"
                                   "</body></html>".encode())
        if path == "/feed/":
            items = "".join(f"<item><title>{html.escape(headline)}</title><link>{self.base}{link}</link></item>"
                            for link, headline in self.newest(0, self.published))
            return self._send(200, f'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>{items}'
                                   '</channel></rss>'.encode(), "application/rss+xml")
        if path == "/sitemap.xml" or path.startswith("/sitemap-"):
            return self._send(200, self._sitemap(path).encode(), "application/xml")
        return super().do_GET()

    def _sitemap(self, path: str) -> str:
        xmlns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        if path == "/sitemap.xml":
            entries = "".join(
                f"<sitemap><loc>{self.base}/sitemap-{k}.xml</loc><lastmod>"
                f"{self.published_at(min(5 * k + 4, self.published - 1)).isoformat()}</lastmod></sitemap>"
                for k in range((self.published + 4) // 5))
            return f'<?xml version="1.0"?><sitemapindex {xmlns}>{entries}</sitemapindex>'
        k = int(path[len("/sitemap-"):-len(".xml")])
        entries = "".join(f"<url><loc>{self.base}{self.story_path(n)}</loc></url>"
                          for n in range(5 * k, min(5 * k + 5, self.published)))
        return f'<?xml version="1.0"?><urlset {xmlns}>{entries}</urlset>'


def _archived_urls(db) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [url for (url,) in conn.execute("SELECT url FROM articles WHERE version_count = 1")]


@pytest.mark.parametrize("via", ["site", "feed", "sitemap"])
def test_each_run_of_a_job_reads_the_ways_in_again_before_its_backlog(tmp_path, via):
    """A nightly `crawl --job nightly --max-pages N` that stopped with pages queued went on with
    that queue the next night and never asked for the site's home page, feed or sitemaps again
    (Scrapy's seen requests dropped them): the night's new article was archived neither that night
    nor when the backlog was done, only by the fresh crawl of the night after the job finished.
    Each run now reads them again first, puts what they list ahead of the backlog, and then works
    through the backlog, nothing fetched twice."""
    db = tmp_path / "archive.db"
    with serving_site(_NightlySite, fetched=[]) as site:
        def crawl(*options):
            site.fetched.clear()
            result = run_cli("crawl", site.base + "/", "--db", str(db), "--job", "nightly", "--via", via,
                             *options, *LOOPBACK, "-s", "CONCURRENT_REQUESTS=1", timeout=120)
            assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-3000:]
            # robots.txt: read for Scrapy's robots.txt check, and by --via sitemap for its sitemaps
            fetched = Counter(path for path in site.fetched if path != "/robots.txt")
            assert max(fetched.values()) == 1, fetched  # nothing twice in a run
            return result, fetched

        first, fetched_first = crawl("--max-pages", "14")  # robots.txt, the sitemaps and a few articles
        assert "  stopped            at --max-pages, run the same command again to continue" in first.stdout
        before = set(_archived_urls(db))
        site.tonight, site.published = site.published, site.published + 1  # tonight's article
        tonight = site.base + site.story_path(site.tonight)

        second, fetched_second = crawl("--max-pages", "12")
        archived = set(_archived_urls(db))
        assert tonight in archived, sorted(fetched_second)
        assert "  stopped            at --max-pages, run the same command again to continue" in second.stdout
        assert f"articles           new {len(archived - before)}, changed 0, unchanged 0" in second.stdout

        third, fetched_third = crawl()  # the rest of the backlog
        assert "stopped" not in third.stdout
        archived = _archived_urls(db)
        assert len(archived) == len(set(archived)) == 39
        articles = Counter(path for path in fetched_first + fetched_second + fetched_third
                           if path.startswith("/news/"))
        assert len(articles) == 39 and max(articles.values()) == 1  # each article fetched once


def test_a_run_fetches_each_way_in_once_whatever_earlier_runs_left_queued(tmp_path):
    """A run that asks for the home page or a sitemap again may find a copy an earlier run left
    in the job's queue (stopped before fetching it): whichever comes first is fetched, the other
    passed over. A sitemap its index dates before the job began is read once in the job."""
    from scrapy import Request
    from scrapy.utils.test import get_crawler

    from scraper import settings
    from scraper.jobs import JobScheduler
    from scraper.jobs import WAY_IN
    from spiders.sitemap import SitemapArticleSpider

    state = {}  # what Scrapy's SpiderState keeps in the job between runs

    def run():
        crawler = get_crawler(SitemapArticleSpider, {
            "JOBDIR": str(tmp_path), "DUPEFILTER_CLASS": settings.DUPEFILTER_CLASS,
            "SCHEDULER_DISK_QUEUE": settings.SCHEDULER_DISK_QUEUE,
            "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.ScrapyPriorityQueue"})  # the default needs an engine
        crawler.spider = spider = SitemapArticleSpider.from_crawler(crawler, start_url="http://127.0.0.1:9/")
        spider.state = state
        scheduler = JobScheduler.from_crawler(crawler)
        scheduler.open(spider)
        return spider, scheduler, crawler.stats

    def ask(spider, scheduler, changed_sitemap: bool) -> list[bool]:
        return [scheduler.enqueue_request(request) for request in (
            spider.way_in("http://127.0.0.1:9/"),
            spider.way_in("http://127.0.0.1:9/sitemap-1.xml", every_run=changed_sitemap),
            spider.way_in("http://127.0.0.1:9/sitemap-2.xml", every_run=False),
            Request("http://127.0.0.1:9/news/story/"))]

    def fetched(scheduler) -> list[tuple[str, int]]:
        requests = iter(scheduler.next_request, None)
        return [(request.url[len("http://127.0.0.1:9"):], request.meta.get(WAY_IN)) for request in requests]

    spider, scheduler, _ = run()
    assert ask(spider, scheduler, changed_sitemap=False) == [True, True, True, True]
    scheduler.close("closespider_pagecount")  # nothing fetched: all four stay queued

    spider, scheduler, stats = run()
    assert spider.job_run() == 2
    # The home page the first run left queued comes first: this run's request for it...
    first = scheduler.next_request()
    assert (first.url, first.meta[WAY_IN]) == ("http://127.0.0.1:9/", 1)
    # ... so the run asks for it no more. sitemap-1 changed since: asked for again; sitemap-2 did not.
    assert ask(spider, scheduler, changed_sitemap=True) == [False, True, False, False]
    # sitemap-1 asked for afresh first (the first run's copy passed over), then the first run's queue.
    assert fetched(scheduler) == [("/sitemap-1.xml", 2), ("/sitemap-2.xml", 1), ("/news/story/", None)]
    assert stats.get_value("newsarchive/ways_in_asked_again") == 1
    scheduler.close("finished")
