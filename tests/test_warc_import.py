"""`newsarchive import-warc`: others' WARC files (Common Crawl style), damaged files, bad input."""
from __future__ import annotations

import gzip
import io
import json
import re
import sqlite3
from pathlib import Path

import pytest

from archive import ArchiveStore
from scraper.extract import parse_article
from scraper.progress import ProgressLine
from scraper.warc_import import WarcInputError, archive_warcs, fetch_time
from scraper.warc_reader import WarcEntry, WarcFileError, read_warc
from tests.conftest import PAGES, run_cli
from tests.warcs import Capture, chunked, html_capture, record_at, revisit, write_warc


def page(name: str) -> tuple[str, bytes]:
    expected = json.loads((PAGES / f"{name}.expected.json").read_text())
    return expected["url"], (PAGES / f"{name}.html").read_bytes()


def expected_record(name: str, date: str):
    """What the crawl's extraction makes of the page, fetched at the record's WARC-Date."""
    url, html = page(name)
    moment = fetch_time(WarcEntry(0, 0, "response", url, date, None, b""))
    return parse_article(html, url, content_type="text/html; charset=UTF-8", fetched_at=moment)


def common_crawl_style(path: Path) -> list[int]:
    """A news-crawl WARC: encoded payloads, a redirect, an image, a listing page, metadata."""
    jnews_url, jnews = page("jnews")
    foxiz_url, foxiz = page("foxiz_seed")
    classic_url, classic = page("classic")
    category_url, category = page("category")
    tagdiv_url, tagdiv = page("tagdiv")
    cut = html_capture(tagdiv_url, tagdiv, encoding="gzip")
    cut.payload = cut.payload[:len(cut.payload) // 2]
    cut.warc_headers = {"WARC-Truncated": "length"}
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    return write_warc(path, [
        html_capture(jnews_url, jnews, encoding="gzip"),                        # 0
        html_capture(foxiz_url, foxiz, encoding="deflate", chunk=True),          # 1
        Capture("https://news.example.com/logo.png", png,
                [("Content-Type", "image/png"), ("Content-Length", str(len(png)))]),  # 2
        html_capture(category_url, category),                                    # 3
        Capture("https://news.example.com/old/", b"",
                [("Location", "https://news.example.com/new/"), ("Content-Length", "0")],
                status="301 Moved Permanently"),                                  # 4
        Capture(jnews_url, b"via: test\r\n", rec_type="metadata"),                # 5
        html_capture(classic_url, classic, chunk=True, date="2025-09-11T06:00:00.123456Z"),  # 6
        cut,                                                                      # 7
    ])


def test_common_crawl_style_warc_is_archived_with_the_same_extraction(tmp_path):
    warc = tmp_path / "CC-NEWS-20250910.warc.gz"
    offsets = common_crawl_style(warc)
    db = tmp_path / "archive.db"
    seen = []
    summary = archive_warcs([warc], db, progress=lambda s, path: seen.append(s.records))

    assert (summary.records, summary.responses) == (9, 7)  # warcinfo + 8; metadata is no response
    assert (summary.articles_new, summary.articles_changed, summary.articles_unchanged) == (3, 0, 0)
    assert (summary.skipped_non_html, summary.skipped_non_article, summary.skipped_status,
            summary.skipped_truncated) == (1, 1, 1, 1)
    assert summary.errors == [] and summary.problem() is None
    assert seen == list(range(1, 10))

    with ArchiveStore(db) as store:
        for name, index, date, fetched in [
                ("jnews", 0, "2025-09-10T08:15:30Z", "2025-09-10T08:15:30Z"),
                ("foxiz_seed", 1, "2025-09-10T08:15:30Z", "2025-09-10T08:15:30Z"),
                ("classic", 6, "2025-09-11T06:00:00.123456Z", "2025-09-11T06:00:00.123456Z")]:
            url, html = page(name)
            assert store.get_article(url) == expected_record(name, date)
            assert store.raw_html(url) == html  # decoded: chunking and gzip/deflate undone
            row = store.db.execute(
                "SELECT v.fetched_at, v.warc_file, v.warc_offset, v.http_status FROM versions v "
                "JOIN articles a ON a.current_version_id = v.id WHERE a.url = ? OR v.url = ?",
                [url, url]).fetchone()
            assert row == (fetched, str(warc.resolve()), offsets[index], 200)
            assert record_at(warc, row[2])[:2] == ("response", url)
        crawl = store.crawl(summary.crawl_id)
    assert crawl["spider"] == "import-warc"
    assert crawl["status"] == "finished"
    assert crawl["args"] == {"files": [str(warc)]}
    assert (crawl["pages_fetched"], crawl["articles_new"], crawl["articles_skipped"]) == (7, 3, 4)


def test_importing_the_same_warc_again_changes_nothing(tmp_path):
    warc = tmp_path / "news.warc"
    common_crawl_style(warc)
    db = tmp_path / "archive.db"
    archive_warcs([warc], db)
    again = archive_warcs([warc], db)
    assert (again.articles_new, again.articles_changed, again.articles_unchanged) == (0, 0, 3)
    with ArchiveStore(db) as store:
        assert store.counts() == {"articles": 3, "versions": 3, "crawls": 2, "failures": 0}


def test_an_old_warc_imported_after_a_newer_one_does_not_roll_articles_back(tmp_path):
    url, html = page("classic")
    edited = html.replace(b"<p>The plan raises spending", b"<p>Updated: the plan raises spending", 1)
    assert edited != html
    old, new = tmp_path / "2025-09.warc.gz", tmp_path / "2025-10.warc.gz"
    write_warc(old, [html_capture(url, html, date="2025-09-10T08:00:00Z")])
    write_warc(new, [html_capture(url, edited, date="2025-10-10T08:00:00Z")])
    in_order, reversed_ = tmp_path / "in-order.db", tmp_path / "reversed.db"
    archive_warcs([old, new], in_order)
    archive_warcs([new], reversed_)
    late = archive_warcs([old], reversed_)
    assert (late.articles_new, late.articles_changed, late.articles_unchanged) == (0, 1, 0)
    for db in (in_order, reversed_):
        with ArchiveStore(db) as store:
            assert "Updated: the plan" in store.get_article(url).body_text
            assert {v["fetched_at"][:7] for v in store.versions(url)} == {"2025-09", "2025-10"}
    again = archive_warcs([old, new], reversed_)
    assert (again.articles_new, again.articles_changed, again.articles_unchanged) == (0, 0, 2)


def test_captures_within_one_second_keep_their_order(tmp_path):
    # WARC/1.1 dates carry fractions of a second (ours do): they were cut to whole seconds,
    # so the capture read last became current, not the one made last.
    url, html = page("classic")
    newer = html.replace(b"<p>The plan raises spending", b"<p>Updated: the plan raises spending", 1)
    warc = tmp_path / "same-second.warc.gz"
    write_warc(warc, [html_capture(url, newer, date="2025-09-10T08:15:30.900000Z"),
                      html_capture(url, html, date="2025-09-10T08:15:30.1Z")])
    archive_warcs([warc], tmp_path / "a.db")
    with ArchiveStore(tmp_path / "a.db") as store:
        assert "Updated: the plan" in store.get_article(url).body_text
        assert sorted(v["fetched_at"] for v in store.versions(url)) == [
            "2025-09-10T08:15:30.100000Z", "2025-09-10T08:15:30.900000Z"]
        (last_seen,) = store.db.execute("SELECT last_seen_at FROM articles").fetchone()
    assert last_seen == "2025-09-10T08:15:30.900000Z"


def test_uncompressed_warc_is_read_too(tmp_path):
    url, html = page("tagdiv")
    warc = tmp_path / "plain.warc"
    offsets = write_warc(warc, [html_capture(url, html)], compress=False)
    summary = archive_warcs([warc], tmp_path / "a.db")
    assert summary.articles_new == 1
    assert record_at(warc, offsets[0])[1] == url


def test_pages_a_server_mislabels_are_imported_as_the_crawl_archives_them(tmp_path):
    # The crawl parses text/plain and application/octet-stream responses that hold HTML
    # (servers mislabel pages so); the import skipped them, so a crawl's own WARC lost them.
    plain_url, plain = page("tagdiv")
    octet_url, octet = page("classic")
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    warc = tmp_path / "mislabelled.warc.gz"
    write_warc(warc, [
        html_capture(plain_url, plain, content_type="text/plain; charset=utf-8"),
        html_capture(octet_url, octet, content_type="application/octet-stream"),
        html_capture("https://news.example.com/logo", png, content_type="application/octet-stream"),
        html_capture("https://news.example.com/style.css", b"body{color:red}", content_type="text/css"),
    ])
    summary = archive_warcs([warc], tmp_path / "a.db")
    assert summary.articles_new == 2 and summary.skipped_non_html == 2 and summary.errors == []
    with ArchiveStore(tmp_path / "a.db") as store:
        assert store.get_article(plain_url).title and store.get_article(octet_url).title


def test_a_file_given_twice_is_read_once(tmp_path):
    url, html = page("tagdiv")
    warc = tmp_path / "one.warc.gz"
    write_warc(warc, [html_capture(url, html)])
    result = run_cli("import-warc", str(warc), str(tmp_path / "." / "one.warc.gz"), "--db",
                     str(tmp_path / "a.db"), "-q")
    assert result.returncode == 0, result.stderr
    assert "import #1 of 1 WARC file into" in result.stdout  # was "of 2 WARC files", unchanged 1
    assert "new 1, changed 0, unchanged 0" in result.stdout


def test_a_warc_without_articles_leaves_the_archive_untouched(tmp_path):
    url, html = page("category")
    warc = tmp_path / "listing.warc.gz"
    write_warc(warc, [html_capture(url, html)])
    db = tmp_path / "archive.db"
    result = run_cli("import-warc", str(warc), "--db", str(db), "-q")
    assert result.returncode == 1
    assert "no news articles found in 1 WARC file (" in result.stderr
    assert not db.exists()


def test_a_payload_that_cannot_be_decoded_is_one_error_and_the_rest_is_archived(tmp_path):
    bad_url, html = page("jnews")
    good_url, good = page("classic")
    broken = html_capture(bad_url, html, encoding="gzip")
    broken.payload = broken.payload[:len(broken.payload) // 2]  # as if cut at a size limit
    broken.headers = [(k, str(len(broken.payload)) if k == "Content-Length" else v)
                      for k, v in broken.headers]
    warc = tmp_path / "mixed.warc.gz"
    write_warc(warc, [broken, html_capture(good_url, good)])
    db = tmp_path / "archive.db"
    result = run_cli("import-warc", str(warc), "--db", str(db), "-q")
    assert result.returncode == 1, result.stderr
    assert (f"{warc}: record 2 ({bad_url}): cannot decode the HTTP payload: "
            "its gzip stream is cut short or corrupt") in result.stderr
    assert "Traceback" not in result.stderr
    assert "new 1, changed 0, unchanged 0" in result.stdout
    with ArchiveStore(db) as store:
        assert store.get_article(good_url).title
        (crawl_id,) = store.db.execute("SELECT id FROM crawls").fetchone()
        assert store.crawl(crawl_id)["status"] == "errors"
        assert [f["url"] for f in store.crawl_failures(crawl_id)] == [bad_url]


@pytest.mark.parametrize("encoding", ["br", "zstd", "gzip", "x-gzip", "deflate", "raw-deflate",
                                      "gzip, br", "br, gzip", "deflate, zstd"])
@pytest.mark.parametrize("chunk", [False, True])
def test_every_content_encoding_the_crawl_accepts_is_decoded(tmp_path, encoding, chunk):
    # The crawl asks for "gzip, deflate, br, zstd" and Scrapy decodes each (stacked ones
    # last-applied first); the import failed on br ("'brotli.Decompressor' object has no
    # attribute 'unused_data'") and kept zstd compressed, so the page was "not an article".
    url, html = page("classic")
    warc = tmp_path / "encoded.warc.gz"
    write_warc(warc, [html_capture(url, html, encoding=encoding, chunk=chunk)])
    (entry,) = [e for e in read_warc(warc) if e.rec_type == "response"]
    assert entry.decode_error is None and entry.body == html
    summary = archive_warcs([warc], tmp_path / "a.db")
    assert summary.errors == [] and summary.articles_new == 1
    with ArchiveStore(tmp_path / "a.db") as store:
        assert store.raw_html(url) == html
        assert store.get_article(url) == expected_record("classic", "2025-09-10T08:15:30Z")


@pytest.mark.parametrize("encoding, broken", [("br", "br"), ("zstd", "zstd"), ("gzip, br", "br"),
                                              ("br, gzip", "gzip")])
def test_a_cut_short_br_or_zstd_payload_is_an_error_not_half_a_page(tmp_path, encoding, broken):
    url, html = page("jnews")
    cut = html_capture(url, html, encoding=encoding)
    cut.payload = cut.payload[:len(cut.payload) // 2]
    cut.headers = [(k, str(len(cut.payload)) if k == "Content-Length" else v) for k, v in cut.headers]
    warc = tmp_path / "cut.warc.gz"
    write_warc(warc, [cut])
    summary = archive_warcs([warc], tmp_path / "a.db")
    assert summary.articles_new == 0
    assert summary.errors == [f"{warc}: record 2 ({url}): cannot decode the HTTP payload: "
                              f"its {broken} stream is cut short or corrupt"]


@pytest.mark.parametrize("label", ["identity", "UTF-8", "gzip"])
def test_a_payload_labelled_with_a_coding_it_is_not_in_is_read_as_it_is(tmp_path, label):
    # Servers mislabel: Scrapy stops at a coding it does not know, and warcio read a payload
    # that is not gzip from its first byte as plain; both still parse the page.
    url, html = page("jnews")
    capture = html_capture(url, html)
    capture.headers.append(("Content-Encoding", label))
    warc = tmp_path / "mislabelled.warc.gz"
    write_warc(warc, [capture])
    summary = archive_warcs([warc], tmp_path / "a.db")
    assert summary.errors == [] and summary.articles_new == 1


# Revisits, takedowns, 304s -------------------------------------------------------------------

def _article_row(db: Path, url: str):
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT version_count, first_seen_at, last_seen_at, gone_at, gone_status "
                            "FROM articles WHERE url = ?", [url]).fetchone()


def test_a_revisit_is_a_capture_of_its_originals_content_at_its_own_date(tmp_path):
    # wget --warc-dedup and others write a revisit record where a payload was seen before:
    # they were ignored, uncounted, and the article's last seen time did not move.
    url, html = page("classic")
    other_url, other = page("jnews")
    original = html_capture(url, html, date="2025-09-01T08:00:00Z")
    first = html_capture(other_url, other, date="2025-09-01T08:00:00Z")
    old, new = tmp_path / "old.warc.gz", tmp_path / "new.warc.gz"
    write_warc(old, [original, first])
    write_warc(new, [revisit(url, "2025-09-20T08:00:00Z", original),
                     revisit(other_url, "2025-09-21T08:00:00Z", first)])
    db = tmp_path / "a.db"
    # Files in any order: the revisits are read before their originals.
    summary = archive_warcs([new, old], db)
    assert (summary.revisits, summary.revisits_unresolved) == (2, 0)
    assert (summary.articles_new, summary.articles_changed, summary.articles_unchanged) == (2, 0, 2)
    assert _article_row(db, url) == (1, "2025-09-01T08:00:00Z", "2025-09-20T08:00:00Z", None, None)
    assert _article_row(db, other_url)[:3] == (1, "2025-09-01T08:00:00Z", "2025-09-21T08:00:00Z")
    assert "  revisits           2" in summary.lines()


def test_revisits_whose_original_is_not_in_the_files_are_counted_and_said(tmp_path):
    url, html = page("classic")
    original = html_capture(url, html, date="2025-09-01T08:00:00Z")
    old, new = tmp_path / "old.warc.gz", tmp_path / "new.warc.gz"
    write_warc(old, [original])
    other_url, other = page("jnews")
    write_warc(new, [revisit(url, "2025-09-20T08:00:00Z", original), html_capture(other_url, other)])
    summary = archive_warcs([new], tmp_path / "a.db")
    assert (summary.revisits, summary.revisits_unresolved, summary.articles_new) == (1, 1, 1)
    assert ("  revisits           1; 1 revisit record whose original capture was neither in these files"
            " nor among the archived articles" in summary.lines())
    assert summary.problem() is None


def test_revisits_of_captures_imported_before_are_found_in_the_archive(tmp_path):
    # An archivist runs wget --warc-dedup or Heritrix every week against a CDX of the earlier
    # crawls and imports each week's WARC after the others: the revisits' originals are in the
    # archive, not in the files given. They were counted as not found, and the articles' last
    # seen stayed at their first capture, as if they had not been seen for weeks.
    names = {"wget": "classic", "heritrix": "jnews", "back": "foxiz_seed", "late": "tagdiv",
             "gzip": "block_theme", "edited": "comments_closed"}
    urls = {key: page(name)[0] for key, name in names.items()}
    first = "2025-09-01T08:00:00Z"
    captures = {key: html_capture(*page(name), date=first) for key, name in names.items()}
    # Served gzip-encoded: the payload digest is of the gzip bytes, not of the page the archive
    # keeps; only a WARC-Refers-To-Date (Heritrix writes one, wget does not) finds its capture.
    for key in ("heritrix", "gzip"):
        captures[key] = html_capture(*page(names[key]), encoding="gzip", date=first)
    url, html = page(names["edited"])
    edit = html_capture(url, html.replace(b"extra beds", b"extra wards"), date="2025-09-03T08:00:00Z")
    week1, week2, week3 = (tmp_path / f"week{n}.warc.gz" for n in (1, 2, 3))
    write_warc(week1, [*captures.values(), edit])
    write_warc(week2, [
        Capture(urls["back"], b"", [("Content-Type", "text/html")], status="404 Not Found",
                date="2025-09-05T08:00:00Z"),
        Capture(urls["late"], b"", [("Content-Type", "text/html")], status="404 Not Found",
                date="2025-09-20T08:00:00Z")])
    revisited = "2025-09-08T08:00:00Z"
    write_warc(week3, [
        # wget names the page as fetched: here without its trailing slash
        revisit(urls["wget"].rstrip("/"), revisited, captures["wget"], by_record_id=True),
        revisit(urls["heritrix"], revisited, captures["heritrix"]),
        revisit(urls["back"], revisited, captures["back"], by_record_id=True),
        revisit(urls["late"], "2025-09-15T08:00:00Z", captures["late"], by_record_id=True),
        revisit(urls["gzip"], revisited, captures["gzip"], by_record_id=True),
        # the first content again, after the edit: a version again
        revisit(urls["edited"], revisited, captures["edited"], by_record_id=True),
    ])
    db = tmp_path / "a.db"
    assert archive_warcs([week1], db).articles_new == 6
    assert archive_warcs([week2], db).gone == 2
    summary = archive_warcs([week3], db)

    for key in ("wget", "heritrix", "back"):
        assert _article_row(db, urls[key]) == (1, first, revisited, None, None), key
    # A takedown after the revisit stands: the page was seen, then it went.
    assert _article_row(db, urls["late"]) == (1, first, "2025-09-15T08:00:00Z", "2025-09-20T08:00:00Z", 404)
    assert _article_row(db, urls["gzip"]) == (1, first, first, None, None)
    assert _article_row(db, urls["edited"])[:3] == (3, first, revisited)
    with ArchiveStore(db) as store:
        assert "extra beds" in store.get_article(urls["edited"]).body_text
        versions = store.db.execute(
            "SELECT version_no, fetched_at, crawl_id, warc_file, warc_offset FROM versions v "
            "JOIN articles a ON a.id = v.article_id WHERE a.url = ? ORDER BY fetched_at",
            [urls["edited"]]).fetchall()
    # The revisit's version points at the record holding its page: the first capture's.
    assert [v[:3] for v in versions] == [(1, first, 1), (2, "2025-09-03T08:00:00Z", 1), (3, revisited, 3)]
    assert versions[2][3:] == versions[0][3:] and versions[0][3] == str(week1.resolve())
    assert (summary.revisits, summary.revisits_archived, summary.revisits_unresolved) == (6, 5, 1)
    assert (summary.articles_new, summary.articles_changed, summary.articles_unchanged) == (0, 1, 4)
    assert summary.problem() is None
    assert ("  revisits           6; 5 matched to captures already in the archive; 1 revisit record whose"
            " original capture was neither in these files nor among the archived articles") in summary.lines()


def test_revisits_found_in_the_archive_alone_change_it_and_others_leave_it_untouched(tmp_path):
    url, html = page("classic")
    original = html_capture(url, html, date="2025-09-01T08:00:00Z")
    other_url, other = page("jnews")
    elsewhere = html_capture(other_url, other, date="2025-09-01T08:00:00Z")
    old, new, unknown = (tmp_path / f"{name}.warc.gz" for name in ("old", "new", "unknown"))
    write_warc(old, [original])
    write_warc(tmp_path / "never-imported.warc.gz", [elsewhere])
    write_warc(new, [revisit(url, "2025-09-08T08:00:00Z", original, by_record_id=True)])
    write_warc(unknown, [revisit(other_url, "2025-09-08T08:00:00Z", elsewhere, by_record_id=True)])
    db = tmp_path / "a.db"
    archive_warcs([old], db)
    before = db.read_bytes()
    summary = archive_warcs([unknown], db)
    assert summary.revisits_unresolved == 1
    assert summary.problem().startswith("no news articles found") and db.read_bytes() == before
    result = run_cli("import-warc", str(new), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "revisits           1; 1 matched to captures already in the archive" in result.stdout
    assert "unchanged 1" in result.stdout
    assert _article_row(db, url)[2] == "2025-09-08T08:00:00Z"


def _taken_down_warcs(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    names = {"gone410": "jnews", "gone404": "classic", "home301": "foxiz_seed", "nm304": "tagdiv",
             "back": "block_theme"}
    urls = {key: page(name)[0] for key, name in names.items()}
    jan, mar = tmp_path / "jan.warc.gz", tmp_path / "mar.warc.gz"
    captures = []
    for key, name in names.items():
        capture = html_capture(*page(name), date="2025-01-10T08:00:00Z")
        capture.headers.append(("ETag", '"v1"'))
        captures.append(capture)
    # "back" answered 404 in February, then was there again in April.
    captures.append(html_capture(*page("block_theme"), date="2025-04-10T08:00:00Z"))
    write_warc(jan, captures)
    home = urls["home301"].split("/", 3)
    write_warc(mar, [
        Capture(urls["gone410"], b"<html><body>Gone</body></html>", [("Content-Type", "text/html")],
                status="410 Gone", date="2025-03-10T08:00:00Z"),
        Capture(urls["gone404"], b"<html><body>Not found</body></html>", [("Content-Type", "text/html")],
                status="404 Not Found", date="2025-03-10T08:00:00Z"),
        Capture(urls["home301"], b"", [("Location", "/"), ("Content-Length", "0")],
                status="301 Moved Permanently", date="2025-03-10T08:00:00Z"),
        Capture(urls["nm304"], b"", [("ETag", '"v2"')], status="304 Not Modified",
                date="2025-03-10T08:00:00Z"),
        Capture(urls["back"], b"", [("Content-Type", "text/html")], status="404 Not Found",
                date="2025-02-10T08:00:00Z"),
        # Not the home page: no takedown.
        Capture(urls["back"] + "amp/", b"", [("Location", urls["back"]), ("Content-Length", "0")],
                status="301 Moved Permanently", date="2025-03-10T08:00:00Z"),
    ])
    assert home[2]
    return jan, mar, urls


@pytest.mark.parametrize("order", ["in order", "reversed", "two imports"])
def test_takedowns_and_304s_are_recorded_as_a_crawl_records_them(tmp_path, order):
    # A crawl marks an article gone on a 404, 410 or redirect to the home page, and moves its
    # last seen on a 304; the import skipped those captures as "not status 200".
    jan, mar, urls = _taken_down_warcs(tmp_path)
    db = tmp_path / "a.db"
    if order == "two imports":
        archive_warcs([jan], db)
        summary = archive_warcs([mar], db)
    else:
        summary = archive_warcs([jan, mar] if order == "in order" else [mar, jan], db)
    assert (summary.gone, summary.not_modified) == (3, 1)
    assert summary.problem() is None
    march = "2025-03-10T08:00:00Z"
    for key, status in [("gone410", 410), ("gone404", 404), ("home301", 301)]:
        assert _article_row(db, urls[key])[2:] == ("2025-01-10T08:00:00Z", march, status), key
    assert _article_row(db, urls["nm304"])[2:] == (march, None, None)
    # A 404 older than the article's last capture is no takedown.
    assert _article_row(db, urls["back"])[2:] == ("2025-04-10T08:00:00Z", None, None)
    with ArchiveStore(db) as store:
        (etag,) = store.db.execute("SELECT etag FROM articles WHERE url = ?", [urls["nm304"]]).fetchone()
        crawl = store.crawl(summary.crawl_id)
    assert etag == '"v2"'
    assert crawl["status"] == "finished"
    assert ("  seen again         not modified (304) 1, taken down (404, 410, redirect home) 3"
            in summary.lines())


def test_takedowns_imported_are_failed_pages_as_a_crawls_are(tmp_path):
    # A crawl writes a crawl_failures row for each takedown; the import marked the articles gone
    # and wrote none, so `stats` and serve's "crawl failures" query did not show them.
    jan, mar, urls = _taken_down_warcs(tmp_path)
    db = tmp_path / "a.db"
    archive_warcs([jan], db)
    summary = archive_warcs([mar], db)
    march = "2025-03-10T08:00:00Z"
    with ArchiveStore(db) as store:
        assert store.crawl(summary.crawl_id)["failures"] == 3
        # The crawl's reason texts (spiders.base), at the capture's time; a 404 older than the
        # article's last capture took nothing down and is no failed page.
        assert sorted(map(dict.items, store.crawl_failures(summary.crawl_id))) == sorted(map(dict.items, [
            {"url": urls["gone410"], "reason": "HTTP 410", "http_status": 410, "failed_at": march},
            {"url": urls["gone404"], "reason": "HTTP 404", "http_status": 404, "failed_at": march},
            {"url": urls["home301"], "reason": "redirects to the home page", "http_status": 301,
             "failed_at": march}]))
    stats = run_cli("stats", "--db", str(db))
    assert "3 failed pages" in stats.stdout, stats.stdout + stats.stderr
    # The same captures imported again are the same failed pages: no more rows.
    again = archive_warcs([mar], db)
    assert again.gone == 3
    with ArchiveStore(db) as store:
        assert store.crawl(again.crawl_id)["failures"] == 0
        assert store.db.execute("SELECT count(*) FROM crawl_failures").fetchone()[0] == 3


def _redirect(url: str, to: str, date: str, status: str = "301 Moved Permanently") -> Capture:
    return Capture(url, b"", [("Location", to), ("Content-Length", "0")], status=status, date=date)


def test_a_chain_of_redirects_to_the_home_page_takes_the_article_down(tmp_path):
    # Sites that changed their permalinks unpublish a post through two redirects: the old
    # address to the new one, the new one to the front page. Each hop is a record of its own;
    # only a single redirect home was seen as a takedown. The crawl, which follows redirects,
    # marks the article gone (with the first redirect's status), and so does the import now.
    names = {"chain": "classic", "three": "jnews", "lives": "foxiz_seed", "unseen": "tagdiv",
             "loop": "block_theme", "later": "comments_closed"}
    urls = {key: page(name)[0] for key, name in names.items()}
    jan, mar = tmp_path / "jan.warc.gz", tmp_path / "mar.warc.gz"
    write_warc(jan, [html_capture(*page(name), date="2025-01-10T08:00:00Z") for name in names.values()])
    at, soon = "2025-03-10T08:00:00Z", "2025-03-10T08:00:02Z"

    home_of = {key: "/".join(urls[key].split("/")[:3]) + "/" for key in names}

    def moved(key: str) -> str:
        return home_of[key] + "p/" + key + "/"

    write_warc(mar, [
        # the old permalink, then the new one sent home (302), the home page itself
        _redirect(urls["chain"], moved("chain"), at),
        _redirect(moved("chain"), "/", soon, "302 Found"),
        html_capture(home_of["chain"], b"<html><body class='home'>Front page</body></html>", date=soon),
        # three hops, captured in another order
        _redirect(moved("three") + "amp/", home_of["three"], soon),
        _redirect(moved("three"), moved("three") + "amp/", soon, "307 Temporary Redirect"),
        _redirect(urls["three"], moved("three"), at, "308 Permanent Redirect"),
        # a new permalink that is there: no takedown
        _redirect(urls["lives"], moved("lives"), at),
        html_capture(moved("lives"), page("foxiz_seed")[1], date=soon),
        # a new permalink never captured: where it led is not known, so nothing is guessed
        _redirect(urls["unseen"], moved("unseen"), at),
        # a loop
        _redirect(urls["loop"], moved("loop"), at),
        _redirect(moved("loop"), urls["loop"], soon),
        # the new permalink sent home only a week later: another crawl's answer
        _redirect(urls["later"], moved("later"), at),
        _redirect(moved("later"), "/", "2025-03-17T08:00:00Z"),
    ])
    db = tmp_path / "a.db"
    archive_warcs([jan], db)
    summary = archive_warcs([mar], db)
    assert summary.gone == 2 and summary.problem() is None
    assert _article_row(db, urls["chain"])[3:] == (at, 301)
    assert _article_row(db, urls["three"])[3:] == (at, 308)
    for key in ("lives", "unseen", "loop", "later"):
        assert _article_row(db, urls[key])[3:] == (None, None), key
    with ArchiveStore(db) as store:
        assert {(f["url"], f["reason"], f["http_status"]) for f in store.crawl_failures(summary.crawl_id)} == {
            (urls["chain"], "redirects to the home page", 301),
            (urls["three"], "redirects to the home page", 308)}


def test_takedowns_of_pages_never_archived_leave_the_archive_untouched(tmp_path):
    jan, mar, urls = _taken_down_warcs(tmp_path)
    summary = archive_warcs([mar], tmp_path / "a.db")
    assert (summary.gone, summary.not_modified) == (0, 0)
    assert not (tmp_path / "a.db").exists()


# Damaged files -------------------------------------------------------------------------------

def _articles(names: list[str]):
    return [html_capture(*page(name)) for name in names]


def test_truncated_and_corrupt_files_lose_nothing_already_archived(tmp_path):
    db = tmp_path / "archive.db"
    first = tmp_path / "a.warc.gz"
    write_warc(first, _articles(["jnews", "classic"]))
    assert archive_warcs([first], db).articles_new == 2
    with sqlite3.connect(db) as conn:
        before = conn.execute("SELECT id, content_hash, record_json FROM versions ORDER BY id").fetchall()

    cut = tmp_path / "b-cut.warc.gz"
    cut_offsets = write_warc(cut, _articles(["foxiz_seed", "tagdiv", "block_theme"]))
    data = cut.read_bytes()
    cut.write_bytes(data[:cut_offsets[1] + (cut_offsets[2] - cut_offsets[1]) // 2])  # mid tagdiv
    garbage = tmp_path / "c-garbage.warc.gz"
    garbage.write_bytes(b"this is not a WARC file at all\n" * 40)
    spliced = tmp_path / "d-spliced.warc.gz"
    offsets = write_warc(spliced, _articles(["french", "amp", "comments_closed"]))
    data = spliced.read_bytes()
    spliced.write_bytes(data[:offsets[1]] + b"\x1f\x8b\x08\x00 garbage " * 30 + data[offsets[2]:])
    last = tmp_path / "e.warc.gz"
    write_warc(last, _articles(["windows1252", "generic_nonwp"]))

    result = run_cli("import-warc", str(cut), str(garbage), str(spliced), str(last),
                     "--db", str(db), "-q")
    assert result.returncode == 1
    err = result.stderr
    assert "Traceback" not in err
    assert f"{cut}: record 3 (offset {cut_offsets[1]}): cut short" in err
    assert f"{garbage}: record 1 (offset 0): not a WARC record" in err
    assert f"{spliced}: record 3 (offset " in err
    # The spliced file's garbage costs its one record: reading goes on at the next gzip member.
    assert "3 problems reading the WARC files; the 5 articles read were archived" in err
    assert "new 5, changed 0, unchanged 0" in result.stdout

    with ArchiveStore(db) as store:
        urls = {row[0] for row in store.db.execute("SELECT url FROM versions")}
        assert {page(n)[0] for n in ["foxiz_seed", "french", "comments_closed", "windows1252",
                                     "generic_nonwp"]} <= urls
        assert page("tagdiv")[0] not in urls and page("amp")[0] not in urls
        crawl = store.crawl(2)
        assert crawl["status"] == "errors" and crawl["failures"] == 3
        failures = [f["reason"] for f in store.crawl_failures(2)]
    assert len(failures) == 3 and failures[0].startswith(f"{cut}: record 3")
    with sqlite3.connect(db) as conn:
        after = conn.execute("SELECT id, content_hash, record_json FROM versions ORDER BY id").fetchall()
    assert after[:2] == before


def test_the_error_line_counts_articles_not_captures(tmp_path):
    # Six articles captured twice each, and a damaged file: the line said "the 12 articles
    # read were archived".
    names = ["jnews", "classic", "foxiz_seed", "tagdiv", "block_theme", "french"]
    first, second = tmp_path / "a.warc.gz", tmp_path / "b.warc.gz"
    write_warc(first, _articles(names))
    write_warc(second, [html_capture(*page(n), date="2025-09-11T08:00:00Z") for n in names])
    garbage = tmp_path / "c.warc.gz"
    garbage.write_bytes(b"not a WARC file\n" * 40)
    summary = archive_warcs([first, second, garbage], tmp_path / "a.db")
    assert summary.problem() == ("1 problem reading the WARC files; the 6 articles read "
                                 "(12 captures) were archived")


@pytest.mark.parametrize("compress", [True, False])
def test_damage_inside_a_file_loses_that_record_not_the_rest(tmp_path, compress):
    # Bytes flipped in the middle of one record (a bad disk block, a broken copy): before,
    # every record after it was lost, though each is its own gzip member.
    names = ["jnews", "classic", "foxiz_seed", "tagdiv", "block_theme", "french"]
    warc = tmp_path / ("damaged.warc.gz" if compress else "damaged.warc")
    offsets = write_warc(warc, _articles(names), compress=compress)
    data = bytearray(warc.read_bytes())
    # Inside foxiz_seed's record: its compressed payload, or (uncompressed, where only the
    # structure can be checked) its WARC headers.
    at = (offsets[2] + offsets[3]) // 2 if compress else offsets[2] + 2
    data[at:at + 400] = bytes(b ^ 0x5A for b in data[at:at + 400])
    warc.write_bytes(bytes(data))

    summary = archive_warcs([warc], tmp_path / "a.db")
    assert summary.damaged_files == 1 and len(summary.errors) == 1
    assert f"{warc}: record 4 (offset {offsets[2]})" in summary.errors[0]
    assert summary.articles_new == 5
    with ArchiveStore(tmp_path / "a.db") as store:
        urls = {row[0] for row in store.db.execute("SELECT url FROM versions")}
    assert urls == {page(n)[0] for n in names if n != "foxiz_seed"}


@pytest.mark.parametrize("where", ["payload", "http headers"])
def test_a_record_whose_digest_does_not_match_is_reported_and_not_archived(tmp_path, where):
    # In an uncompressed file nothing but the digests shows a payload overwritten in place
    # (a bad disk block): it was archived silently, exit 0.
    names = ["jnews", "classic", "foxiz_seed", "tagdiv"]
    warc = tmp_path / "bitrot.warc"
    offsets = write_warc(warc, _articles(names), compress=False)
    data = bytearray(warc.read_bytes())
    record = bytes(data[offsets[1]:offsets[2]])
    start = offsets[1] + record.index(b"\r\n\r\nHTTP/1.1") + 4
    at = start + record[start - offsets[1]:].index(b"\r\n\r\n") + 4 + 3000 if where == "payload" else start + 20
    data[at:at + 64] = b"x" * 64
    warc.write_bytes(bytes(data))

    db = tmp_path / "a.db"
    result = run_cli("import-warc", str(warc), "--db", str(db), "-q")
    assert result.returncode == 1
    assert (f"{warc}: record 3 (offset {offsets[1]}): its content does not match its "
            "WARC-Block-Digest (damaged since it was written)") in result.stderr
    assert "new 3, changed 0, unchanged 0" in result.stdout
    with ArchiveStore(db) as store:
        urls = {row[0] for row in store.db.execute("SELECT url FROM versions")}
    assert urls == {page(n)[0] for n in names if n != "classic"}


def test_a_payload_digest_alone_is_checked_and_a_dechunked_one_is_right(tmp_path):
    # WARC/1.0 says a payload digest is of the payload without its transfer coding, which many
    # tools (warcio among them) get wrong: either reading of a chunked payload is accepted.
    import base64
    import hashlib

    url, html = page("jnews")
    other_url, other = page("classic")
    gzipped = gzip.compress(html, mtime=0)
    dechunked = html_capture(url, html, encoding="gzip", chunk=True)
    dechunked.payload = chunked(gzipped)
    digest = "sha1:" + base64.b32encode(hashlib.sha1(gzipped).digest()).decode()
    mismatched = html_capture(other_url, other)
    warc = tmp_path / "payload-digests.warc"
    offsets = write_warc(warc, [dechunked, mismatched], compress=False)
    data = warc.read_bytes()
    # Keep each record's length: drop its block digest, set its payload digest.
    records = [data[offsets[0]:offsets[1]], data[offsets[1]:]]
    for i, value in enumerate([digest, "sha1:" + "A" * 32]):
        records[i] = re.sub(rb"WARC-Block-Digest: [^\r]*\r\n", b"", records[i])
        records[i] = re.sub(rb"WARC-Payload-Digest: [^\r]*", b"WARC-Payload-Digest: " + value.encode(),
                            records[i])
    warc.write_bytes(data[:offsets[0]] + b"".join(records))
    summary = archive_warcs([warc], tmp_path / "a.db")
    assert summary.articles_new == 1
    assert summary.errors == [f"{warc}: record 3 (offset {offsets[0] + len(records[0])}): its content "
                              "does not match its WARC-Payload-Digest (damaged since it was written)"]


@pytest.mark.parametrize("damage, message", [
    (lambda data, offsets: data[:offsets[1] + 9], "cut short or corrupt"),          # in a gzip header
    (lambda data, offsets: data[:offsets[1] + 60], "cut short or corrupt"),         # mid gzip member
    (lambda data, offsets: b"", "the file is empty"),
    (lambda data, offsets: b"\x00\xff" * 500, "not a WARC record"),
])
def test_reader_names_the_damaged_record(tmp_path, damage, message):
    warc = tmp_path / "x.warc.gz"
    offsets = write_warc(warc, _articles(["jnews", "classic"]))
    warc.write_bytes(damage(warc.read_bytes(), offsets))
    with pytest.raises(WarcFileError, match=message) as caught:
        list(read_warc(warc))
    assert str(caught.value).startswith(f"{warc}: record ")


@pytest.mark.parametrize("keep", [None, lambda rec_type, http_headers: False])
def test_uncompressed_file_cut_mid_payload(tmp_path, keep):
    """Found whether or not the payload is kept in memory."""
    warc = tmp_path / "x.warc"
    offsets = write_warc(warc, _articles(["jnews", "classic"]), compress=False)
    warc.write_bytes(warc.read_bytes()[:offsets[1] + 1500])
    entries = []
    with pytest.raises(WarcFileError, match=r"record 3 \(offset \d+\): cut short: \d+ of its \d+ payload bytes"):
        for entry in read_warc(warc, keep_payload=keep):
            entries.append(entry)
    assert [e.rec_type for e in entries] == ["warcinfo", "response"]
    assert bool(entries[1].body) is (keep is None)


def test_missing_file_is_one_clear_line_and_exit_2(tmp_path):
    good = tmp_path / "good.warc.gz"
    write_warc(good, _articles(["jnews"]))
    db = tmp_path / "archive.db"
    result = run_cli("import-warc", str(good), str(tmp_path / "nope.warc.gz"), "--db", str(db))
    assert result.returncode == 2
    assert result.stderr == f"newsarchive: {tmp_path / 'nope.warc.gz'}: no such file\n"
    assert not db.exists()
    with pytest.raises(WarcInputError, match="is a directory"):
        archive_warcs([tmp_path], db)


def test_a_bad_archive_is_refused_before_reading(tmp_path):
    good = tmp_path / "good.warc.gz"
    write_warc(good, _articles(["jnews"]))
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n" * 20)
    result = run_cli("import-warc", str(good), "--db", str(notes))
    assert result.returncode == 2
    assert result.stderr == f"newsarchive: {notes} is not an SQLite database\n"


# Progress ------------------------------------------------------------------------------------

class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_one_line_redrawn_on_a_terminal_and_plain_lines_in_a_log(tmp_path):
    warc = tmp_path / "news.warc.gz"
    common_crawl_style(warc)
    terminal, log = _Terminal(), io.StringIO()
    lines = [ProgressLine(terminal, interval=0), ProgressLine(log, log_interval=0)]

    def progress(summary, path):
        for line in lines:
            line.update(summary.progress_text(path))

    archive_warcs([warc], tmp_path / "a.db", progress=progress)
    for line in lines:
        line.clear()
    shown = terminal.getvalue()
    assert "\n" not in shown
    assert shown.count("\r\033[K") == 9 + 1  # a redraw per record, then cleared
    assert "news.warc.gz  records 9  articles new 3 changed 0 unchanged 0  skipped 4  errors 0" in shown
    assert shown.endswith("\r\033[K")
    logged = log.getvalue().splitlines()
    assert len(logged) == 9 and "\r" not in log.getvalue()
    assert logged[-1].endswith("records 9  articles new 3 changed 0 unchanged 0  skipped 4  errors 0")
