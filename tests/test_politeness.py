"""Politeness against the sample site: robots.txt, delays, a User-Agent that names us, and
retries that wait as long as the site asks (Retry-After) or back off when it does not say."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from scraper import __version__
from scraper.crawl import build_settings
from scraper.middlewares import contact_user_agent, retry_after_seconds
from scraper.sample_site import SampleSite, SampleSiteServer
from tests.conftest import LOOPBACK, assert_one_clean_line, run_cli
from tests.test_cli_errors import digest


@pytest.fixture
def site():
    return SampleSite(articles=30, seed=11)


@pytest.fixture
def server(site):
    with SampleSiteServer(site) as server:
        yield server


def crawl(server, db, *extra):
    result = run_cli("crawl", server.url, "--db", str(db), "-q", *LOOPBACK, *extra, timeout=120)
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    return result


def archived_urls(db):
    with sqlite3.connect(db) as conn:
        return {row[0] for row in conn.execute("SELECT url FROM articles")}


def failures(db):
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT url, reason, http_status FROM crawl_failures").fetchall()


def gaps(server, path):
    times = [hit.at for hit in server.traffic.hits(path)]
    return [b - a for a, b in zip(times, times[1:])]


# -- defaults and parsing (no crawl) ------------------------------------------------

def test_default_settings_are_polite(tmp_path):
    settings = build_settings(str(tmp_path / "a.db"))
    assert settings.getbool("ROBOTSTXT_OBEY")
    assert settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") <= 4
    assert settings.getfloat("DOWNLOAD_DELAY") > 0
    assert {429, 503} <= {int(c) for c in settings.getlist("RETRY_HTTP_CODES")}
    middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
    assert middlewares["scrapy.downloadermiddlewares.retry.RetryMiddleware"] is None
    assert settings.getbool("NEWSARCHIVE_CRAWL_DELAY") and "scraper.middlewares.CrawlDelayMiddleware" in middlewares
    assert middlewares["scraper.middlewares.RetryAfterMiddleware"] == 550


def test_retry_after_header_parsing():
    now = datetime(2025, 9, 9, 10, 0, 0, tzinfo=timezone.utc)
    assert retry_after_seconds(b"120") == 120.0
    assert retry_after_seconds(b" 0 ") == 0.0
    date = format_datetime(now + timedelta(seconds=30), usegmt=True).encode()
    assert retry_after_seconds(date, now=now.timestamp()) == pytest.approx(30.0)
    past = format_datetime(now - timedelta(hours=1), usegmt=True).encode()
    assert retry_after_seconds(past, now=now.timestamp()) == 0.0
    assert retry_after_seconds(b"soon") is None
    assert retry_after_seconds(b"-5") is None
    assert retry_after_seconds(None) is None


def test_contact_user_agent():
    assert contact_user_agent("https://a.example/contact") == f"newsarchive/{__version__} (+https://a.example/contact)"
    assert contact_user_agent("") == f"newsarchive/{__version__}"


# -- crawls of the sample site --------------------------------------------------------

@pytest.mark.slow
def test_robots_txt_disallow_is_obeyed(tmp_path, site, server):
    banned = [site.article_path(i) for i in (2, 5, 9)]
    server.override("/robots.txt", "User-agent: *\n" + "".join(f"Disallow: {p}\n" for p in banned))
    db = tmp_path / "a.db"
    result = crawl(server, db)
    assert result.returncode == 0, result.stderr[-2000:]
    for path in banned:
        assert server.requests(path) == 0, path
    assert server.requests("/robots.txt") == 1
    expected = {server.url.rstrip("/") + site.article_path(i) for i in range(len(site))}
    assert archived_urls(db) == expected - {server.url.rstrip("/") + p for p in banned}


@pytest.mark.slow
def test_user_agent_names_project_and_settable_contact(tmp_path, server):
    result = crawl(server, tmp_path / "a.db", "--max-pages", "5",
                   "-s", "NEWSARCHIVE_CONTACT_URL=https://archivist.example.org/contact")
    assert result.returncode == 0, result.stderr[-2000:]
    agents = {hit.headers.get("User-Agent") for hit in server.log}
    assert agents == {f"newsarchive/{__version__} (+https://archivist.example.org/contact)"}
    assert server.requests("/robots.txt") == 1  # robots.txt was asked for with that name too


@pytest.mark.slow
def test_explicit_user_agent_wins(tmp_path, server):
    result = crawl(server, tmp_path / "a.db", "--max-pages", "3", "-s", "USER_AGENT=ExampleArchiveBot/2.0",
                   "-s", "NEWSARCHIVE_CONTACT_URL=https://ignored.example/")
    assert result.returncode == 0, result.stderr[-2000:]
    assert {hit.headers.get("User-Agent") for hit in server.log} == {"ExampleArchiveBot/2.0"}


@pytest.mark.slow
def test_default_delays_space_out_requests(tmp_path, server):
    """Without the loopback overrides: AutoThrottle and DOWNLOAD_DELAY keep one request at a time,
    spaced out, even though this server answers in milliseconds."""
    result = run_cli("crawl", server.url, "--db", str(tmp_path / "a.db"), "-q", "--max-pages", "5",
                     timeout=120)
    assert "Traceback" not in result.stderr, result.stderr[-2000:]  # listings only: exit 1 is fine
    times = sorted(hit.at for hit in server.log)
    assert len(times) >= 5
    spacing = [b - a for a, b in zip(times, times[1:])]
    assert server.traffic.max_in_flight == 1
    assert min(spacing) >= 0.1, spacing        # DOWNLOAD_DELAY 0.25 s, randomized down to half
    assert times[-1] - times[0] >= 0.8, spacing  # AutoThrottle starts at 1 s and comes down slowly


def page_spacing(server) -> list[float]:
    times = sorted(hit.at for hit in server.log if hit.path != "/robots.txt")
    return [b - a for a, b in zip(times, times[1:])]


@pytest.mark.slow
def test_robots_txt_crawl_delay_is_obeyed(tmp_path, server):
    """Crawl-delay: 1 puts a second between requests, even under AutoThrottle (which starts at
    1 s and comes down) and without the random jitter that would go below it. (Two requests
    at a time: Scrapy still downloads what it had queued after --max-pages stops the crawl.)"""
    server.override("/robots.txt", "User-agent: *\nCrawl-delay: 1\n")
    result = run_cli("crawl", server.url, "--db", str(tmp_path / "a.db"), "-q", "--max-pages", "4",
                     "-s", "CONCURRENT_REQUESTS=2", timeout=120)
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    spacing = page_spacing(server)
    assert len(spacing) >= 3 and min(spacing) >= 0.95, spacing


@pytest.mark.slow
def test_crawl_delay_is_capped(tmp_path, server):
    """A robots.txt asking for 10 minutes a request would stall a nightly crawl: capped at
    NEWSARCHIVE_CRAWL_DELAY_MAX seconds."""
    server.override("/robots.txt", "User-agent: newsarchive\nCrawl-delay: 600\n")
    result = crawl(server, tmp_path / "a.db", "--max-pages", "4", "-s", "NEWSARCHIVE_CRAWL_DELAY_MAX=0.5",
                   "-s", "CONCURRENT_REQUESTS=2")
    assert result.returncode in (0, 1), result.stderr[-2000:]
    spacing = page_spacing(server)
    assert len(spacing) >= 3 and min(spacing) >= 0.45 and max(spacing) < 5, spacing


@pytest.mark.slow
def test_503_with_retry_after_seconds_is_waited_for(tmp_path, site, server):
    path = site.article_path(4)
    server.inject(path, status=503, times=1, retry_after=1)
    db = tmp_path / "a.db"
    result = crawl(server, db)
    assert result.returncode == 0, result.stderr[-2000:]
    assert [h.status for h in server.traffic.hits(path)] == [503, 200]
    assert gaps(server, path)[0] >= 0.9
    assert server.url.rstrip("/") + path in archived_urls(db)
    assert failures(db) == []


@pytest.mark.slow
def test_429_with_retry_after_http_date_is_waited_for(tmp_path, site, server):
    path = site.article_path(6)
    def two_seconds_from_now():
        return format_datetime(datetime.now(timezone.utc) + timedelta(seconds=2), usegmt=True)

    server.inject(path, status=429, times=1, retry_after=two_seconds_from_now)
    db = tmp_path / "a.db"
    result = crawl(server, db)
    assert result.returncode == 0, result.stderr[-2000:]
    assert [h.status for h in server.traffic.hits(path)] == [429, 200]
    # An HTTP date has whole seconds: 2 s ahead means more than 1 s of waiting.
    assert gaps(server, path)[0] >= 0.9
    assert server.url.rstrip("/") + path in archived_urls(db)


@pytest.mark.slow
def test_retry_after_is_capped(tmp_path, site, server):
    path = site.article_path(7)
    server.inject(path, status=503, times=1, retry_after=3600)
    db = tmp_path / "a.db"
    result = crawl(server, db, "-s", "RETRY_AFTER_MAX=1")
    assert result.returncode == 0, result.stderr[-2000:]
    assert 0.9 <= gaps(server, path)[0] < 10
    assert server.url.rstrip("/") + path in archived_urls(db)


@pytest.mark.slow
def test_exponential_backoff_without_retry_after(tmp_path, site, server):
    path = site.article_path(8)
    server.inject(path, status=503, times=2)
    db = tmp_path / "a.db"
    result = crawl(server, db, "-s", "RETRY_BACKOFF_BASE=0.4")
    assert result.returncode == 0, result.stderr[-2000:]
    assert [h.status for h in server.traffic.hits(path)] == [503, 503, 200]
    first, second = gaps(server, path)
    assert first >= 0.35 and second >= 0.75, (first, second)   # 0.4 s, then 0.8 s
    assert server.url.rstrip("/") + path in archived_urls(db)


@pytest.mark.slow
def test_gives_up_after_retry_times_and_records_the_failure(tmp_path, site, server):
    path = site.article_path(10)
    server.inject(path, status=429, times=100, retry_after=0)
    db = tmp_path / "a.db"
    result = crawl(server, db, "-s", "RETRY_TIMES=2")
    assert result.returncode == 0, result.stderr[-2000:]
    assert server.requests(path) == 3          # the first try and two retries
    url = server.url.rstrip("/") + path
    assert failures(db) == [(url, "HTTP 429", 429)]
    assert url not in archived_urls(db)
    assert len(archived_urls(db)) == len(site) - 1
    assert "errors             1" in result.stdout


@pytest.mark.slow
def test_retry_after_pauses_the_whole_site(tmp_path, site, server):
    """A 429 with Retry-After means "no requests before then", not only "do not retry this one"."""
    path = site.article_path(len(site) - 1)   # the newest: most of the crawl is still ahead
    server.inject(path, status=429, times=1, retry_after=2)
    result = crawl(server, tmp_path / "a.db")
    assert result.returncode == 0, result.stderr[-2000:]
    refused, retried = server.traffic.hits(path)
    assert (refused.status, retried.status) == (429, 200)
    arrivals = sorted(hit.at for hit in server.log if hit.at >= refused.at)
    # Other pages still wanted fetching, yet the site got a quiet spell of the 2 s it asked for
    # (it starts when the crawler has read the 429), ended by the retry and the rest of the crawl.
    # (How much of the crawl is still ahead depends on Scrapy's crawl order: 3 to 63 requests
    # were seen; what matters is that some were waiting and none went out during the pause.)
    assert len([t for t in arrivals if t > retried.at]) >= 1
    gap, gap_end = max((b - a, b) for a, b in zip(arrivals, arrivals[1:]))
    assert gap >= 1.8, gap
    # When the pause ends the retry and the requests that waited behind it go out together,
    # in no fixed order; on a loaded machine that burst can take a few hundred milliseconds.
    assert gap_end - 0.1 <= retried.at <= gap_end + 1.0
    assert len(archived_urls(tmp_path / "a.db")) == len(site)


@pytest.mark.parametrize("status", [503, 429])
def test_a_robots_txt_the_server_cannot_give_forbids_the_crawl(tmp_path, site, server, status):
    """RFC 9309: a robots.txt answered with a server error is "unreachable", and the crawler
    must assume complete disallow (429 is the site asking us to back off, taken the same way).
    Scrapy read the error page as an empty robots.txt and crawled everything."""
    server.inject("/robots.txt", status=status, times=None)
    db = tmp_path / "a.db"
    result = crawl(server, db, "-s", "RETRY_TIMES=1", "-s", "RETRY_BACKOFF_BASE=0.1")
    assert result.returncode == 1, result.stdout + result.stderr[-2000:]
    assert {hit.path for hit in server.log} == {"/robots.txt"}
    assert f"robots.txt answered HTTP {status}" in result.stderr, result.stderr[-2000:]
    assert not db.exists() or archived_urls(db) == set()


@pytest.mark.parametrize("fault, arg, via, cause", [
    ("hang", 3, "site", "timed out"),            # no answer within DOWNLOAD_TIMEOUT
    ("reset", None, "site", "connection lost"),  # the connection reset (TCP RST)
    ("hang", 0, "sitemap", "connection lost"),   # the connection closed without an answer
])
def test_a_robots_txt_that_gets_no_answer_forbids_the_crawl(tmp_path, site, server, fault, arg, via, cause):
    """RFC 9309: a robots.txt unreachable because of a network error forbids the whole site
    too, after the retries, however the pages answer. Scrapy logged the error and crawled
    everything; the sitemap spider then blamed the sitemaps robots.txt kept it from."""
    db = tmp_path / "a.db"
    assert crawl(server, db, "--max-pages", "5").returncode == 0
    before = digest(db)
    server.traffic.reset()
    server.inject("/robots.txt", times=None, kind=fault, arg=arg)
    result = crawl(server, db, "--via", via, "-s", "DOWNLOAD_TIMEOUT=1", "-s", "RETRY_TIMES=1",
                   "-s", "RETRY_BACKOFF_BASE=0.1")
    assert result.returncode == 1, result.stdout + result.stderr[-2000:]
    assert [hit.path for hit in server.log] == ["/robots.txt"] * 2  # the first try and one retry
    assert_one_clean_line(result, "could not crawl", f"its robots.txt could not be fetched ({cause})",
                          "forbids crawling it (RFC 9309)", "archive was not changed")
    assert digest(db) == before


@pytest.mark.parametrize("robots, options, asked", [
    ("404", (), 1),                                 # RFC 9309: 4xx, no rules; all allowed
    ("reset", ("-s", "ROBOTSTXT_OBEY=False"), 0),   # robots.txt ignored, so never asked for
])
def test_a_crawl_without_robots_rules_goes_on(tmp_path, site, server, robots, options, asked):
    if robots == "404":
        server.inject("/robots.txt", status=404, times=None)
    else:
        server.inject("/robots.txt", times=None, kind=robots)
    db = tmp_path / "a.db"
    result = crawl(server, db, *options)
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    assert server.requests("/robots.txt") == asked
    assert len(archived_urls(db)) == len(site)
