"""`newsarchive crawl --via ...` refuses bad option values with one line and exit 2, before crawling."""
from __future__ import annotations

import pytest

from tests.conftest import run_cli


@pytest.mark.parametrize("options, message", [
    (["--since", "last week"], "newsarchive: --since: not a date (YYYY-MM-DD) or ISO 8601 time: 'last week'"),
    (["--until", "2025-09-31"], "newsarchive: --until: not a date"),
    (["--since", "2025-10-01", "--until", "2025-09-01"], "newsarchive: --until (2025-09-01) is before --since"),
    (["--include", "(unclosed"], "newsarchive: --include: not a valid regular expression: '(unclosed'"),
    (["--exclude", "*"], "newsarchive: --exclude: not a valid regular expression"),
    (["--max-depth", "-1"], "newsarchive: --max-depth: expected a positive whole number"),
    (["--allow-domain", "a.com,"], "newsarchive: --allow-domain: not a domain name"),
])
def test_bad_scope_values(options, message, tmp_path):
    db = tmp_path / "a.db"
    result = run_cli("crawl", "http://127.0.0.1:9/", "--db", str(db), "--via", "sitemap", *options)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]   # one line
    assert result.stderr.startswith(message)
    assert not db.exists()


def test_missing_urls_file(tmp_path):
    result = run_cli("crawl", str(tmp_path / "nope.txt"), "--db", str(tmp_path / "a.db"), "--via", "urls")
    assert result.returncode == 2
    assert result.stderr.strip() == f"newsarchive: cannot read the URLs file {tmp_path / 'nope.txt'}: " \
                                    "No such file or directory"


def test_unknown_way_in(tmp_path):
    result = run_cli("crawl", "http://127.0.0.1:9/", "--via", "carrier-pigeon")
    assert result.returncode == 2 and "invalid choice: 'carrier-pigeon'" in result.stderr
