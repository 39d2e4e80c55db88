"""`newsarchive export`: JSONL keeps whole records, CSV flattens them, both stream in constant memory."""
from __future__ import annotations

import csv
import dataclasses
import gc
import hashlib
import io
import json
import os
import subprocess
import sys
import tracemalloc

import pytest

from archive import ArchiveStore
from archive.bulk import bulk_store_new
from archive.export import CSV_COLUMNS, export, iter_versions
from archive.filters import ArticleFilter
from archive.readonly import BadRequest, reading_archive
from scraper.record import ArticleRecord
from tests.conftest import ROOT, run_cli
from tests.research_archive import (ADDED_TAKEAWAY, CORRECTED_TITLE, assert_one_line, build_research_archive,
                                    run_cli_into_full_disk)


@pytest.fixture(scope="module")
def research(tmp_path_factory):
    return build_research_archive(tmp_path_factory.mktemp("export") / "archive.db")


def exported(research, fmt="jsonl", **filters) -> str:
    out = io.StringIO(newline="")
    with reading_archive(research.path) as db:
        export(db, out, fmt, ArticleFilter(**filters))
    return out.getvalue()


def test_jsonl_is_the_whole_record_plus_archive_fields(research):
    lines = exported(research).splitlines()
    assert len(lines) == len(research.truths)
    rows = [json.loads(line) for line in lines]
    with ArchiveStore(research.path) as store:
        for row in rows:
            assert ArticleRecord.from_dict(row) == store.get_article(row["article_id"])
    changed = next(r for r in rows if r["article_url"] == research.changed_url)
    assert (changed["version_no"], changed["version_count"], changed["fetched_at"]) == (2, 2, "2025-11-02T08:00:00Z")
    assert changed["title"] == CORRECTED_TITLE and changed["takeaways"][-1] == ADDED_TAKEAWAY
    threaded = next(r for r in rows if r["article_url"] == research.threaded_url)
    assert any(c["parent"] for c in threaded["comments"]) and threaded["sections"][0]["paragraphs"]
    assert {"version_id", "http_status", "crawl_id"} <= set(rows[0])


def test_all_versions_gives_one_row_per_version(research):
    rows = [json.loads(line) for line in exported(research, all_versions=True).splitlines()]
    assert len(rows) == len(research.truths) + 1
    changed = [r for r in rows if r["article_url"] == research.changed_url]
    assert [r["version_no"] for r in changed] == [1, 2]
    assert changed[0]["title"] != CORRECTED_TITLE


def test_csv_flattens_lists_sections_takeaways_and_comments(research):
    rows = list(csv.DictReader(io.StringIO(exported(research, "csv"))))
    assert len(rows) == len(research.truths) and list(rows[0]) == list(CSV_COLUMNS)
    # columns added later come last: a reader of the older files finds every column where it was
    assert CSV_COLUMNS.index("content_hash") == 30 and CSV_COLUMNS[-5:] == (
        "gone_at", "gone_status", "post_id", "accessible_for_free", "paywalled_at")
    truth = next(t for t in research.truths if t["url"] == research.threaded_url)
    row = next(r for r in rows if r["article_url"] == research.threaded_url)
    assert row["authors"] == "; ".join(truth["authors"]) and row["tags"] == "; ".join(truth["tags"])
    assert row["categories"] == "; ".join(truth["categories"])
    assert row["post_id"].endswith(f"/?p={row['post_id'].rsplit('=', 1)[-1]}") and row["post_id"].startswith("http")
    assert row["comment_count"] == str(len(truth["comments"]))
    first = truth["sections"][0]
    assert row["sections"].startswith(f"{'#' * first['level']} {first['heading']}\n\n{first['paragraphs'][0]}")
    assert all(f"## {s['heading']}" in row["sections"] for s in truth["sections"] if s["level"] == 2)
    edited = next(r for r in rows if r["article_url"] == research.changed_url)
    expected = next(t for t in research.truths if t["url"] == research.changed_url)["takeaways"]
    assert edited["takeaways"].split("\n") == [*expected, ADDED_TAKEAWAY]
    assert row["published_at"] == truth["published_at"] and row["title"] == truth["title"]


def test_filters_apply_to_export(research):
    rows = [json.loads(line) for line in exported(research, has_takeaways=True).splitlines()]
    assert rows and all(r["takeaways"] for r in rows)
    assert len(rows) == sum(bool(t["takeaways"]) for t in research.truths)
    assert exported(research, until="2000-01-01") == ""
    assert exported(research, "csv", site="elsewhere.example") == ""  # not even a header
    with pytest.raises(BadRequest):
        exported(research, "xml")


def test_cli_export_to_stdout_and_to_a_file(research, tmp_path):
    db = ["--db", str(research.path)]
    before = hashlib.sha256(research.path.read_bytes()).hexdigest()
    result = run_cli("export", *db)
    assert result.returncode == 0, result.stderr
    assert result.stdout == exported(research)

    for dash in (["-o", "-"], ["--output=-"]):  # `-` is standard output, not a file named "-"
        result = run_cli("export", "--format", "csv", *dash, *db, cwd=tmp_path)
        assert result.returncode == 0 and result.stderr == "", result.stderr
        # (run_cli reads text, so the CSV line ends \r\n arrive as \n)
        assert result.stdout == exported(research, "csv").replace("\r\n", "\n") and not (tmp_path / "-").exists()

    target = tmp_path / "out.csv"
    result = run_cli("export", "--format", "csv", "--has-takeaways", "-o", str(target), *db)
    assert result.returncode == 0 and result.stdout == "", result.stderr
    assert target.read_bytes().decode("utf-8") == exported(research, "csv", has_takeaways=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]  # no .partial left

    nothing = tmp_path / "none.jsonl"
    assert_one_line(run_cli("export", "--author", "Nobody At All", "-o", str(nothing), *db), 1,
                    "no articles match", "author Nobody At All")
    assert not nothing.exists()
    assert_one_line(run_cli("export", "--since", "2025-02-30", *db), 2, "--since")
    for option in ("--author", "--site", "--since", "--until"):  # `--author "$UNSET"` must not export everything
        assert_one_line(run_cli("export", option, "", "-o", str(nothing), *db), 2, f"{option} is empty")
        assert not nothing.exists()
    assert_one_line(run_cli("export", "-o", str(research.path), *db), 2, "is the archive itself")
    assert_one_line(run_cli("export", "-o", str(tmp_path / "no" / "dir.jsonl"), *db), 2, "cannot write")
    assert hashlib.sha256(research.path.read_bytes()).hexdigest() == before


class CountingSink(io.TextIOBase):
    """A text stream that only counts what is written, so the output takes no memory."""
    def __init__(self):
        self.chars = 0

    def write(self, text):
        self.chars += len(text)
        return len(text)


def test_export_streams_in_constant_memory(research, tmp_path):
    """2,000 versions (~13 MB of records): the peak allocation stays a small fraction of that."""
    with ArchiveStore(research.path) as store:
        originals = [store.get_article(t["url"]) for t in research.truths]
    big = tmp_path / "big.db"
    clones = (dataclasses.replace(rec, url=f"{rec.url}{n}/", canonical_url=f"{rec.url}{n}/", content_hash=None)
              for n in range(50) for rec in originals)
    with ArchiveStore(big) as store:
        assert bulk_store_new(store.db, ((rec, b"<html></html>") for rec in clones),
                              fetched_at="2025-11-01T00:00:00Z") == 2000
    for fmt in ("jsonl", "csv"):
        sink = CountingSink()
        with reading_archive(big) as db:
            gc.collect()
            tracemalloc.start()
            try:
                assert export(db, sink, fmt) == 2000
                _, peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
        assert sink.chars > 10_000_000
        assert peak < sink.chars / 20, (fmt, peak, sink.chars)


def test_iter_versions_never_holds_more_than_one_row(research):
    with reading_archive(research.path) as db:
        rows = iter_versions(db)
        first = next(rows)
        assert set(first) >= {"article_id", "record"}
        rows.close()  # an abandoned export closes its cursor


def test_a_reader_that_stops_early_gets_no_traceback(research):
    """`newsarchive export | head -n 1`: the closed pipe ends the export quietly."""
    script = (f'"{sys.executable}" -m scraper.cli export --db "{research.path}" | head -n 1; '
              'echo "exit=${PIPESTATUS[0]}" >&2')
    result = subprocess.run(["bash", "-c", script], env=dict(os.environ, PYTHONPATH=str(ROOT)),
                            capture_output=True, text=True, timeout=120)
    assert json.loads(result.stdout)["article_id"] == 1
    assert result.stderr.strip() == "exit=0", result.stderr


@pytest.mark.parametrize("args", [[], ["--format", "csv"], ["-o", "-"]])
def test_a_full_disk_on_standard_output_is_one_line_exit_2(research, args):
    assert_one_line(run_cli_into_full_disk("export", *args, "--db", str(research.path)), 2,
                    "cannot write to standard output: No space left on device")


def test_a_full_disk_under_an_export_file_is_one_line_and_leaves_no_file(research, tmp_path, monkeypatch):
    import archive.export
    from scraper.research_cli import _export_to_file

    def fill_the_disk(db, out, fmt, filters):
        out.write("x" * 100)
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(archive.export, "export", fill_the_disk)
    with reading_archive(research.path) as db:
        with pytest.raises(BadRequest, match="cannot write .*out.jsonl: No space left on device"):
            _export_to_file(db, tmp_path / "out.jsonl", "jsonl", ArticleFilter())
    assert list(tmp_path.iterdir()) == []


def test_cli_refuses_to_write_over_the_archive_or_the_files_beside_it(research, tmp_path):
    copy = tmp_path / "copy.db"
    copy.write_bytes(research.path.read_bytes())
    (tmp_path / "copy.db-wal").write_bytes(b"")          # as a crawl in progress would leave them
    (tmp_path / "copy.db-shm").write_bytes(b"")
    os.link(copy, tmp_path / "hardlink.db")
    os.symlink(tmp_path / "copy.db-wal", tmp_path / "wal-link")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    for target, what in (("copy.db", "the archive itself"), ("copy.db-wal", "write-ahead log"),
                         ("copy.db-shm", "shared-memory file"), ("copy.db-journal", "journal"),
                         ("hardlink.db", "the archive itself"), ("wal-link", "write-ahead log"),
                         ("./sub/../copy.db-wal", "write-ahead log")):
        (tmp_path / "sub").mkdir(exist_ok=True)
        assert_one_line(run_cli("export", "-o", target, "--db", "copy.db", cwd=tmp_path), 2, what)
    (tmp_path / "sub").rmdir()
    # (-shm is SQLite's index of the WAL, which any reader of the archive fills in)
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert {**after, "copy.db-shm": b""} == before


def test_jsonl_of_versions_archived_by_an_older_newsarchive_has_every_field(tmp_path):
    """A version's record_json holds the fields its release knew: JSONL of a schema-1 archive had no
    post_id, page_urls or accessible_for_free, nor its comments' published_at_raw."""
    old = tmp_path / "old.db"
    old.write_bytes((ROOT / "tests" / "data" / "archive-schema-v1.sqlite").read_bytes())
    before = old.read_bytes()
    result = run_cli("export", "--db", str(old), "--all-versions")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    fields = {f.name for f in dataclasses.fields(ArticleRecord)}
    comment_fields = {"author", "published_at", "published_at_raw", "text", "id", "parent"}
    assert len(rows) == 4 and all(fields <= row.keys() for row in rows)
    assert all(row["page_urls"] == [] and row["post_id"] is None and row["accessible_for_free"] is None
               for row in rows)
    comments = [comment for row in rows for comment in row["comments"]]
    assert comments and all(comment.keys() == comment_fields for comment in comments)
    assert old.read_bytes() == before
