"""Scrapyd: the project deploys with `scrapyd-deploy` (scrapy.cfg's [deploy] target) to a real
Scrapyd on 127.0.0.1, and a `news` job scheduled through its HTTP API archives the sample site."""
from __future__ import annotations

import configparser
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from archive import ArchiveStore
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
PROJECT_FILES = ("scraper", "spiders", "archive", "scrapy.cfg", "pyproject.toml", "setup.py", "README.md")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def _post(url: str, fields: list[tuple[str, str]]) -> dict:
    data = urllib.parse.urlencode(fields).encode()
    with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=10) as response:
        return json.load(response)


@pytest.fixture
def scrapyd(tmp_path):
    """A real Scrapyd on a free loopback port, with its eggs, logs and queues in tmp_path."""
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = _free_port()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        f"bind_address = 127.0.0.1\nhttp_port = {port}\n"
        f"eggs_dir = {home / 'eggs'}\nlogs_dir = {home / 'logs'}\ndbs_dir = {home / 'dbs'}\n"
        "poll_interval = 0.5\nmax_proc = 1\n")
    log = (home / "scrapyd.log").open("w")
    process = subprocess.Popen([str(BIN / "scrapyd")], cwd=home, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                assert _get(url + "daemonstatus.json")["status"] == "ok"
                break
            except OSError:
                assert process.poll() is None, (home / "scrapyd.log").read_text()
                assert time.monotonic() < deadline, "Scrapyd did not start"
                time.sleep(0.2)
        yield url, home
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _project_copy(tmp_path: Path, scrapyd_url: str) -> Path:
    """The project as a user has it, with scrapy.cfg's [deploy] url pointed at the test Scrapyd
    (the build writes build/ and *.egg-info, which must not land in the shared tree)."""
    copy = tmp_path / "project"
    copy.mkdir()
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, copy / name)
    cfg = configparser.ConfigParser()
    cfg.read(copy / "scrapy.cfg")
    assert cfg["deploy"]["project"] == "newsarchive"
    cfg["deploy"]["url"] = scrapyd_url
    with (copy / "scrapy.cfg").open("w") as f:
        cfg.write(f)
    # Marks the deployed code, so the job's log shows it ran from the egg, not from this tree.
    settings = copy / "scraper" / "settings.py"
    settings.write_text(settings.read_text().replace('BOT_NAME = "newsarchive"', 'BOT_NAME = "newsarchive-egg"', 1))
    return copy


def test_scrapy_cfg_deploy_target():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "scrapy.cfg")
    assert cfg["settings"]["default"] == "scraper.settings"
    assert cfg["deploy"]["url"] == "http://127.0.0.1:6800/" and cfg["deploy"]["project"] == "newsarchive"


def test_deploy_schedule_and_archive_through_scrapyd(tmp_path, scrapyd):
    from scraper.sample_site import SampleSite, SampleSiteServer

    url, home = scrapyd
    project = _project_copy(tmp_path, url)
    deployed = subprocess.run([str(BIN / "scrapyd-deploy"), "--version", "r1"], cwd=project,
                              capture_output=True, text=True, timeout=120)
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    assert '"status": "ok"' in deployed.stdout + deployed.stderr
    assert list((home / "eggs" / "newsarchive").glob("r1*.egg"))
    assert _get(url + "listspiders.json?project=newsarchive")["spiders"] == ["feed", "news", "sitemap", "urls"]

    site = SampleSite(articles=20)
    db = tmp_path / "archive.db"
    with SampleSiteServer(site) as server:
        job = _post(url + "schedule.json", [
            ("project", "newsarchive"), ("spider", "news"), ("start_url", server.url),
            ("setting", f"ARCHIVE_DB={db}"),
            ("setting", "AUTOTHROTTLE_ENABLED=False"), ("setting", "DOWNLOAD_DELAY=0"),
        ])
        assert job["status"] == "ok", job
        deadline = time.monotonic() + 120
        while True:
            jobs = _get(url + "listjobs.json?project=newsarchive")
            if any(j["id"] == job["jobid"] for j in jobs["finished"]):
                break
            assert time.monotonic() < deadline, jobs
            time.sleep(0.5)
        start_url = server.url
        truth = {t["url"] for t in site.ground_truth(start_url)}

    log = next((home / "logs" / "newsarchive" / "news").glob(f"{job['jobid']}.log")).read_text()
    assert "Spider closed (finished)" in log, log[-3000:]
    assert "(bot: newsarchive-egg)" in log
    with ArchiveStore(db) as store:
        assert store.counts()["articles"] == 20
        crawl = store.crawl(1)
    assert crawl["spider"] == "news" and crawl["status"] == "finished" and crawl["articles_new"] == 20
    assert crawl["start_url"] == start_url
    assert "_job" not in crawl["args"]  # Scrapyd's job id is not one of the crawl's arguments
    with ArchiveStore(db) as store:
        assert {a["url"] for a in store.db.query("SELECT url FROM articles")} == truth
