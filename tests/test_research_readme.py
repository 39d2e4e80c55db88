"""The README's "Finding things" commands, run as a user types them, against a real archive."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess

import pytest

from tests.conftest import ROOT
from tests.research_archive import CORRECTED_TITLE, build_research_archive

BASE = "https://news.example.com/"
NEWSARCHIVE = ROOT / ".venv" / "bin" / "newsarchive"


def finding_things_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Finding things", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```\n(.*?)```", section, re.S)
    # Drop the trailing "# comment" (a '#' after two spaces, outside the command's quotes).
    return [re.sub(r"\s{2,}#.*$", "", line).strip() for line in block.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("readme-finding")
    build_research_archive(folder / "archive.db", base=BASE)
    return folder


def run_line(line: str, cwd) -> subprocess.CompletedProcess:
    """One README line through the shell (so `> file` works), with the installed `newsarchive` on PATH."""
    env = dict(os.environ, PATH=f"{NEWSARCHIVE.parent}{os.pathsep}{os.environ['PATH']}", PYTHONPATH=str(ROOT))
    return subprocess.run(["bash", "-c", line], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_the_readme_shows_every_read_command():
    commands = finding_things_commands()
    assert {line.split()[1] for line in commands} == {"search", "show", "export", "stats", "serve"}
    assert all(line.startswith("newsarchive ") for line in commands)


@pytest.mark.skipif(not NEWSARCHIVE.exists(), reason="newsarchive is not installed in .venv")
def test_every_readme_command_works_as_written(workdir):
    checked = set()
    for line in finding_things_commands():
        if line.split()[1] == "serve":
            continue  # runs until stopped: tests/test_serve.py starts it the same way on a free port
        result = run_line(line, workdir)
        assert result.returncode == 0, (line, result.stderr)
        assert "Traceback" not in result.stderr
        out = result.stdout
        if line.startswith('newsarchive search "nato summit"'):
            assert "NATO" in out.splitlines()[0] and "[" in out
        elif "--json" in line:
            hits = [json.loads(row) for row in out.splitlines()]
            assert hits and all("S Haynes" in hit["authors"] for hit in hits)
        elif line.startswith("newsarchive show https://"):
            assert out.startswith("Rutte and Prime Minister")
        elif "--version 1" in line:
            assert "Version 1 of 2" in out and CORRECTED_TITLE not in out
        elif "--diff" in line:
            assert f"+{CORRECTED_TITLE}" in out.splitlines()
        elif "-o articles.jsonl" in line:
            rows = [json.loads(row) for row in (workdir / "articles.jsonl").read_text().splitlines()]
            assert len(rows) == 40 and all(r["site"] == "news.example.com" for r in rows)
        elif "> articles.csv" in line:
            rows = list(csv.DictReader(io.StringIO((workdir / "articles.csv").read_text())))
            assert len(rows) == 40
        elif line == "newsarchive stats":
            assert out.startswith("40 articles, 41 versions")
        else:
            raise AssertionError(f"the test does not know what {line!r} should print")
        checked.add(line)
    assert len(checked) == len(finding_things_commands()) - 1
