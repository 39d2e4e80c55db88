"""The README's example queries run, as printed, against a real archive and return what they say."""
from __future__ import annotations

import gzip
import re
import sqlite3

import pytest

from archive import ArchiveStore
from scraper.extract import parse_article
from scraper.sample_site import SampleSite
from tests.conftest import ROOT

BASE = "http://127.0.0.1:8642/"


def readme_blocks(language: str) -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## The archive", 1)[1].split("\n## ", 1)[0]
    return re.findall(rf"```{language}\n(.*?)```", section, re.S)


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory):
    """An archive of 30 sample-site articles (the NATO seed article among them), one of
    them changed into a second version, one crawl with one failure."""
    site = SampleSite(articles=320)
    truths = [t for t in site.ground_truth(BASE)]
    chosen = [t for t in truths if "nato" in t["url"]] + [t for t in truths if "nato" not in t["url"]][:28]
    path = tmp_path_factory.mktemp("readme") / "archive.db"
    with ArchiveStore(path) as store:
        crawl = store.begin_crawl("news", BASE)
        for truth in chosen:
            status, ctype, body = site.render(truth["url"][len(BASE) - 1:], BASE)
            assert status == 200
            record = parse_article(body, url=truth["url"])
            store.store(record, raw_html=body, fetched_at="2025-09-10T00:00:00Z", crawl_id=crawl,
                        content_type=ctype)
        changed = chosen[-1]["url"]
        site.update_article(changed, title="A corrected headline")
        body = site.render(changed[len(BASE) - 1:], BASE)[2]
        store.store(parse_article(body, url=changed), raw_html=body,
                    fetched_at="2025-09-11T00:00:00Z", crawl_id=crawl)
        store.record_failure(crawl, BASE + "gone/", "HTTP 404", 404)
        store.finish_crawl(crawl, "finished", {"articles_new": len(chosen), "articles_changed": 1,
                                               "failures": 1})
    return path


def test_readme_has_the_examples():
    assert len(readme_blocks("sql")) >= 5
    assert len(readme_blocks("python")) == 2


@pytest.mark.parametrize("index", range(6))
def test_readme_sql_example_runs_and_finds_rows(archive_path, index):
    blocks = readme_blocks("sql")
    if index >= len(blocks):
        pytest.skip("fewer examples")
    db = sqlite3.connect(archive_path)
    statements = [s.strip() for s in blocks[index].split(";") if s.strip()
                  and not all(line.startswith("--") for line in s.strip().splitlines())]
    assert statements
    for statement in statements:
        rows = db.execute(statement).fetchall()
        assert rows, f"no rows from: {statement}"


def test_readme_sql_examples_answer_correctly(archive_path):
    newest, search, per_author, sections_and_takeaways, versions, crawls = readme_blocks("sql")[:6]
    db = sqlite3.connect(archive_path)
    rows = db.execute(newest.strip().rstrip(";")).fetchall()
    dates = [row[1] for row in rows]
    assert dates == sorted(dates, reverse=True) and len(rows) == 5
    rows = db.execute(search.strip().rstrip(";")).fetchall()
    assert any("NATO" in title for title, _ in rows)
    assert all("[" in snippet for _, snippet in rows)
    rows = db.execute(per_author.strip().rstrip(";")).fetchall()
    assert sum(count for _, count in rows) >= 29  # every article has at least one author
    rows = db.execute(versions.strip().rstrip(";")).fetchall()
    assert [r[1] for r in rows] == [1, 2] and rows[1][3] == "A corrected headline"


def test_readme_python_example(archive_path, monkeypatch):
    monkeypatch.chdir(archive_path.parent)
    scope: dict = {}
    exec(readme_blocks("python")[0], scope)  # noqa: S102 - the README's own snippet
    db = sqlite3.connect(archive_path)
    (content,) = db.execute("SELECT content FROM raw_pages WHERE version_id = 1").fetchone()
    assert scope["html"] == gzip.decompress(content)
    assert scope["html"].lstrip().lower().startswith(b"<!doctype html")


def test_readme_library_calls(archive_path):
    nato = next(t for t in SampleSite(articles=320).ground_truth(BASE) if "natos" in t["url"])
    with ArchiveStore(archive_path) as store:
        assert any("NATO" in (hit.get("title") or "") for hit in store.search("nato"))
        assert store.get_article(nato["url"]).title == nato["title"]
        assert b"<html" in store.raw_html(nato["url"])[:2000]
        assert len(store.versions(nato["url"])) == 1


def test_readme_read_only_library_example_leaves_an_old_archive_as_it_was(tmp_path, monkeypatch):
    """ArchiveStore, the README's only library route, upgraded a schema-1 archive in place to read one article."""
    archive = tmp_path / "archive.db"
    archive.write_bytes((ROOT / "tests" / "data" / "archive-schema-v1.sqlite").read_bytes())
    before = archive.read_bytes()
    monkeypatch.chdir(tmp_path)
    scope: dict = {"url": "https://news.example.com/2025/09/01/story-0/"}
    exec(readme_blocks("python")[1], scope)  # noqa: S102 - the README's own snippet
    assert scope["record"].title == "Story number 0 (updated)" and scope["page"].startswith(b"<html")
    assert archive.read_bytes() == before
