"""Resumable crawls: `newsarchive crawl URL --job NAME`, Scrapy's JOBDIR underneath.

Scrapy keeps a job's queue and seen-request fingerprints in JOBDIR and saves them
when the crawl stops cleanly (Ctrl-C once, --max-pages): the next run with the
same JOBDIR continues from that queue. A crawl killed outright (SIGKILL, power
cut) never saves them, and what it left behind is worse than nothing: the
fingerprint file says pages were seen whose requests are lost with the queue,
so Scrapy would silently skip them. ``JobGuard`` notices such a kill (its
marker file is still there) and drops that state, so the run starts again from
its start URL; the pages archived before the kill are then asked for with their
validators (scraper.conditional) and come back 304 or with an unchanged content
hash, so nothing is stored twice. A job that finished drops its state too, so
the next run of a nightly job is a fresh crawl.

Each run of a job starts from the site's ways in again (the home page, feed, robots.txt
and sitemaps: WAY_IN), though an earlier run fetched them and Scrapy's
seen requests would drop them: there the run finds what the site published since the
last one, and puts it ahead of the queue earlier runs left (spiders.base.RUN_PRIORITY),
which it works through after. ``JobDupeFilter`` lets a way in past the seen requests
once a run, and ``JobScheduler`` fetches a way in an earlier run left queued only when
this run has not asked for it afresh, so no page is fetched twice in a run.
"""
from __future__ import annotations

import json
import logging
import os
import re
import shutil
from pathlib import Path
from typing import Optional, Union

from scrapy import signals
from scrapy.core.scheduler import Scheduler
from scrapy.dupefilters import RFPDupeFilter
from scrapy.exceptions import NotConfigured
from scrapy.http import Request

from .hosts import with_root_path

# A request for one of the site's ways in (its home page, feed, robots.txt, a sitemap): the run
# of the crawl's --job that asked for it (spiders.base.ArticleSpider.job_run). Each run of a job
# asks for its ways in again, though an earlier run fetched them (JobDupeFilter), and fetches
# each once however many copies earlier runs left queued (JobScheduler); one marked ONCE_A_JOB
# (a sitemap its index dates before the job began) is read once in the job.
WAY_IN = "newsarchive_way_in"
ONCE_A_JOB = "newsarchive_once_a_job"

logger = logging.getLogger(__name__)

MARKER = "newsarchive-running.json"
JOB_FILE = "newsarchive-job.json"
# What Scrapy keeps in JOBDIR: the scheduler's disk queues, the dupefilter's fingerprints,
# and the spider's state dict.
SCRAPY_STATE = ("requests.queue", "requests.seen", "spider.state")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


class JobError(Exception):
    """A job that cannot run: a bad name, or one already running or started for another URL."""


def job_dir(db_path: Union[str, os.PathLike], name: str) -> Path:
    """``<archive dir>/<archive name>.jobs/NAME``: beside the archive whose crawl it is."""
    if not _NAME.match(name or ""):
        raise JobError(f"bad job name {name!r}: use letters, digits, '.', '_' and '-'")
    db = Path(db_path)
    return db.parent / f"{db.name}.jobs" / name


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _process_start(pid: int) -> Optional[str]:
    """When process ``pid`` started, as Linux counts it (the boot's id and the start time after
    boot, in clock ticks); None where that cannot be read (another system, no such process)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
        boot = Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
        return f"{boot}:{stat[stat.rindex(')') + 2:].split()[19]}"  # field 22, starttime
    except (OSError, ValueError, IndexError):
        return None


def _running_pid(jobdir: Path) -> Optional[int]:
    """The process running the job in ``jobdir`` (its marker's), if alive and not this one.
    The marker also says when that process started: after a reboot (a power cut, a killed
    container) its id may be another program's, and that program is not running the job."""
    running = _read_json(jobdir / MARKER)
    pid = int((running or {}).get("pid") or 0)
    if pid == os.getpid() or not _pid_alive(pid):
        return None
    started = running.get("started")
    if started is not None and _process_start(pid) not in (None, started):
        return None
    return pid


def _read_json(path: Path) -> Optional[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def check_job(jobdir: Union[str, os.PathLike], spider: str, start_url: str) -> None:
    """Refuse a job that another process is running, or that crawls something else;
    else note what this job crawls (newsarchive crawl calls this before it starts)."""
    jobdir = Path(jobdir)
    pid = _running_pid(jobdir)
    if pid is not None:
        raise JobError(f"the job in {jobdir} is already running (process {pid})")
    job = _read_json(jobdir / JOB_FILE)
    known = job and (job.get("spider"), with_root_path(str(job.get("start_url"))))
    if job and known != (spider, with_root_path(start_url)):
        raise JobError(f"the job in {jobdir} crawls {job.get('start_url')} with the "
                       f"{job.get('spider')!r} spider; give this crawl another job name")
    try:
        jobdir.mkdir(parents=True, exist_ok=True)
        (jobdir / JOB_FILE).write_text(json.dumps({"spider": spider, "start_url": start_url}),
                                       encoding="utf-8")
    except OSError as exc:
        raise JobError(f"cannot use the job directory {jobdir}: {exc.strerror or exc}") from None


def _drop_scrapy_state(jobdir: Path) -> None:
    for name in SCRAPY_STATE:
        path = jobdir / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


class JobGuard:
    """Extension: on when JOBDIR is set. Detects a killed run and makes its job safe to resume."""

    def __init__(self, crawler, jobdir: Path) -> None:
        self.crawler = crawler
        self.jobdir = jobdir
        pid = _running_pid(jobdir)
        if pid is not None:
            raise JobError(f"the job in {jobdir} is already running (process {pid})")
        # Extensions are built before the scheduler opens JOBDIR, so stale state can still go.
        if (jobdir / MARKER).exists():
            logger.warning("The last run of the job in %s was killed; its queue is lost, so this run "
                           "starts again from the start URL (archived pages are not stored twice)",
                           jobdir)
            _drop_scrapy_state(jobdir)
            crawler.stats.set_value("newsarchive/job_recovered", True)
        jobdir.mkdir(parents=True, exist_ok=True)
        (jobdir / MARKER).write_text(json.dumps({"pid": os.getpid(), "started": _process_start(os.getpid())}),
                                     encoding="utf-8")

    @classmethod
    def from_crawler(cls, crawler):
        jobdir = crawler.settings.get("JOBDIR")
        if not jobdir:
            raise NotConfigured
        guard = cls(crawler, Path(jobdir))
        crawler.signals.connect(guard.spider_closed, signal=signals.spider_closed)
        return guard

    def spider_closed(self, spider=None, reason: Optional[str] = None) -> None:
        # Runs after the scheduler saved its queue: a clean stop can be resumed as Scrapy intends.
        if reason == "finished":
            _drop_scrapy_state(self.jobdir)
            (self.jobdir / JOB_FILE).unlink(missing_ok=True)
        (self.jobdir / MARKER).unlink(missing_ok=True)


class JobDupeFilter(RFPDupeFilter):
    """Scrapy's duplicate filter (DUPEFILTER_CLASS), but a request for a way in (WAY_IN)
    that an earlier run of the job saw passes once in each run: Scrapy keeps every request a job
    made in JOBDIR/requests.seen, so the home page, feed and sitemaps of a continued job were
    never fetched again, and the articles published since were found only after its backlog.
    A way in marked ONCE_A_JOB passes once in the job, as any page."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.ways_in: set[bytes] = set()  # the fingerprints of the ways in this run asked for

    def request_seen(self, request: Request) -> bool:
        if request.meta.get(WAY_IN) is None:
            return super().request_seen(request)
        fingerprint = self.fingerprinter.fingerprint(request)
        # Kept in requests.seen as every request of the job; seen there, only ONCE_A_JOB stops it.
        if fingerprint in self.ways_in or (super().request_seen(request) and request.meta.get(ONCE_A_JOB)):
            return True
        self.ways_in.add(fingerprint)
        return False

    def ask_for(self, request: Request) -> bool:
        """Note that this run asks for the way in ``request``; False if it did already."""
        fingerprint = self.fingerprinter.fingerprint(request)
        if fingerprint in self.ways_in:
            return False
        self.ways_in.add(fingerprint)
        return True


class JobScheduler(Scheduler):
    """Scrapy's scheduler (SCHEDULER), passing over a way in that an earlier run of the job left
    queued (a sitemap not read yet when --max-pages stopped that run) if this run asked for it
    already (JobDupeFilter). Taken from the queue first, it is this run's request for it, and
    the run asks for it no more."""

    def next_request(self) -> Optional[Request]:
        request = super().next_request()
        while request is not None and self._asked_for_already(request):
            self.stats.inc_value("newsarchive/ways_in_asked_again")
            request = super().next_request()
        return request

    def _asked_for_already(self, request: Request) -> bool:
        run = request.meta.get(WAY_IN)
        if run is None or run == self.spider.job_run() or not isinstance(self.df, JobDupeFilter):
            return False  # no way in, or this run's own
        return not self.df.ask_for(request)
