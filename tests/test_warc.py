"""`crawl --warc DIR`: WARC/1.1 files of every request and response, linked from the archive,
and the round trip back through `import-warc`."""
from __future__ import annotations

import gzip
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders

from archive import ArchiveStore
from scraper.warc_reader import read_warc
from scraper.warc_writer import RotatingWarcWriter, WarcError, parse_size
from tests.conftest import LOOPBACK, PAGES, ROOT, SiteHandler, run_cli, serving
from tests.warcs import chunked, encode, record_at

NAME = re.compile(r"^newsarchive-\d{14}-\d{5}\.warc\.gz$")


def read_records(path: Path) -> list[dict]:
    """Every record of a file, read by warcio with digest checking on."""
    records = []
    with path.open("rb") as fh:
        iterator = ArchiveIterator(fh, check_digests="raise")
        for record in iterator:
            headers = record.rec_headers
            body = record.content_stream().read()
            records.append({
                "type": record.rec_type, "uri": headers.get_header("WARC-Target-URI"),
                "id": headers.get_header("WARC-Record-ID"),
                "concurrent": headers.get_header("WARC-Concurrent-To"),
                "http": record.http_headers, "body": body,
                "offset": iterator.get_record_offset(), "version": headers.protocol,
            })
    return records


def warcinfo_fields(record: dict) -> dict[str, str]:
    lines = record["body"].decode().strip().splitlines()
    return dict(line.split(": ", 1) for line in lines)


# The writer ---------------------------------------------------------------------------------

def _pair(writer: RotatingWarcWriter, n: int):
    url = f"http://127.0.0.1/{n}/"
    body = f"<html><body>page {n}</body></html>".encode()
    response = writer.response_record(
        url, StatusAndHeaders("200 OK", [("Content-Length", str(len(body)))], protocol="HTTP/1.1"),
        body, {"WARC-Date": "2025-09-09T10:00:00.000001Z"})
    request = writer.request_record(
        url, StatusAndHeaders(f"GET /{n}/ HTTP/1.1", [("Host", "127.0.0.1")], is_http_request=True),
        b"", {"WARC-Date": "2025-09-09T10:00:00.000001Z"})
    return [request, response]


def test_writer_rotates_and_starts_every_file_with_warcinfo(tmp_path):
    (tmp_path / "newsarchive-20250909100000-00000.warc.gz").write_bytes(b"someone else's")
    writer = RotatingWarcWriter(tmp_path, {"software": "newsarchive/test", "isPartOf": "crawl-x"},
                                max_size=3000, started=__import__("datetime").datetime(2025, 9, 9, 10))
    written = [writer.write(_pair(writer, n)) for n in range(12)]
    writer.close()

    assert (tmp_path / "newsarchive-20250909100000-00000.warc.gz").read_bytes() == b"someone else's"
    files = writer.files
    assert len(files) >= 3
    assert [f.name for f in files] == [f"newsarchive-20250909100000-{n:05d}.warc.gz"
                                       for n in range(1, len(files) + 1)]
    for path in files:
        records = read_records(path)
        assert [r["type"] for r in records][0] == "warcinfo"
        assert [r["type"] for r in records].count("warcinfo") == 1
        assert warcinfo_fields(records[0]) == {"software": "newsarchive/test", "isPartOf": "crawl-x"}
        assert all(r["version"] == "WARC/1.1" for r in records)
        assert path.stat().st_size < 3000 + 1000  # closed at the first write past the limit
    for n, (path, (request_offset, response_offset)) in enumerate(written):
        assert record_at(path, request_offset)[:2] == ("request", f"http://127.0.0.1/{n}/")
        assert record_at(path, response_offset) == (
            "response", f"http://127.0.0.1/{n}/", f"<html><body>page {n}</body></html>".encode())


@pytest.mark.parametrize("text, size", [(1, 1), ("1000", 1000), ("200K", 204800), ("1G", 1024 ** 3),
                                        ("3mb", 3 * 1024 ** 2)])
def test_warc_max_size_accepts_bytes_and_units(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "0", "-5", "big", "1T", "1.5G"])
def test_warc_max_size_refuses_junk(text):
    with pytest.raises(WarcError, match="WARC_MAX_SIZE must be"):
        parse_size(text)


def test_crawl_refuses_an_unusable_warc_dir_before_fetching(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    db = tmp_path / "archive.db"
    result = run_cli("crawl", "http://127.0.0.1:9/", "--db", str(db), "--warc", str(blocker / "warc"))
    assert result.returncode == 2
    assert result.stderr.startswith(f"newsarchive: cannot create the WARC directory {blocker / 'warc'}")
    assert len(result.stderr.splitlines()) == 1
    result = run_cli("crawl", "http://127.0.0.1:9/", "--db", str(db), "--warc", str(tmp_path / "w"),
                     "-s", "WARC_MAX_SIZE=lots")
    assert result.returncode == 2 and "WARC_MAX_SIZE must be" in result.stderr
    result = run_cli("crawl", "http://127.0.0.1:9/", "--db", str(db), "--warc", str(tmp_path / "w"),
                     "-s", "WARC_GZIP_LEVEL=11")
    assert result.returncode == 2
    assert result.stderr == "newsarchive: WARC_GZIP_LEVEL must be 1 to 9, not '11'\n"
    assert not db.exists()


# A server that compresses and chunks, as real ones do -----------------------------------------

ARTICLE = (PAGES / "jnews.html").read_bytes()
ARTICLE_GZ = gzip.compress(ARTICLE, mtime=0)


class _GzipHandler(SiteHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if self.path != "/":
            return self._send(404, b"")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=UTF-8")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("ETag", '"v1"')
        self.end_headers()
        self.wfile.write(chunked(ARTICLE_GZ, 1000))


@pytest.fixture
def gzip_server():
    with serving(_GzipHandler) as base:
        yield base + "/"


def test_responses_are_recorded_as_received_and_linked_from_the_archive(tmp_path, gzip_server):
    db, warc_dir = tmp_path / "archive.db", tmp_path / "warc"
    result = run_cli("crawl", gzip_server, "--db", str(db), "--warc", str(warc_dir), "-q", *LOOPBACK)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "new 1, changed 0" in result.stdout
    (path,) = sorted(warc_dir.iterdir())
    assert NAME.match(path.name)
    assert f"WARC files         1 (first: {path})" in result.stdout
    records = read_records(path)
    assert [(r["type"], r["uri"]) for r in records[:5]] == [
        ("warcinfo", None),
        ("request", gzip_server + "robots.txt"), ("response", gzip_server + "robots.txt"),
        ("request", gzip_server), ("response", gzip_server)]
    # The page's relative links were followed, and their 404s recorded as well.
    later = records[5:]
    assert later and [r["type"] for r in later] == ["request", "response"] * (len(later) // 2)
    assert {r["http"].get_statuscode() for r in later if r["type"] == "response"} == {"404"}
    info = warcinfo_fields(records[0])
    assert info["software"].startswith("newsarchive/")
    assert info["robots"] == "obey"
    assert info["newsarchive-spider"] == "news"
    assert info["newsarchive-start-url"] == gzip_server
    assert info["http-header-user-agent"].startswith("newsarchive/")
    request, response = records[3], records[4]
    assert request["concurrent"] == response["id"]
    assert request["http"].protocol == "GET" and request["http"].get_header("Host") == gzip_server[7:-1]
    assert "gzip" in request["http"].get_header("Accept-Encoding")
    # The body as the server sent it: still gzip, de-chunked, with a Content-Length that fits.
    http = response["http"]
    assert http.get_statuscode() == "200"
    assert http.get_header("Content-Encoding") == "gzip"
    assert http.get_header("Transfer-Encoding") is None
    assert http.get_header("Content-Length") == str(len(ARTICLE_GZ))
    assert http.get_header("ETag") == '"v1"'
    with path.open("rb") as fh:
        fh.seek(response["offset"])
        raw = next(iter(ArchiveIterator(fh))).raw_stream.read()
    assert raw == ARTICLE_GZ
    assert response["body"] == ARTICLE  # warcio decodes it as any WARC reader would

    with sqlite3.connect(db) as conn:
        (url, warc_file, warc_offset, raw_size) = conn.execute(
            "SELECT v.url, v.warc_file, v.warc_offset, r.size FROM versions v "
            "JOIN raw_pages r ON r.version_id = v.id").fetchone()
    assert (url, warc_file, warc_offset, raw_size) == (gzip_server, str(path), response["offset"],
                                                      len(ARTICLE))

    imported = tmp_path / "imported.db"
    result = run_cli("import-warc", str(path), "--db", str(imported), "-q")
    assert result.returncode == 0, result.stderr
    with ArchiveStore(db) as crawled, ArchiveStore(imported) as again:
        assert again.get_article(gzip_server).content_hash == crawled.get_article(gzip_server).content_hash
        assert again.raw_html(gzip_server) == crawled.raw_html(gzip_server) == ARTICLE


# The sample site, crawled whole and imported back ----------------------------------------------

@pytest.fixture(scope="module")
def round_trip(tmp_path_factory):
    from scraper.sample_site import SampleSite, SampleSiteServer

    site = SampleSite(articles=40)
    tmp = tmp_path_factory.mktemp("warc-round-trip")
    crawled, imported, warc_dir = tmp / "crawled.db", tmp / "imported.db", tmp / "warc"
    with SampleSiteServer(site) as server:
        crawl = run_cli("crawl", server.url, "--db", str(crawled), "--warc", str(warc_dir), "-q",
                        "-s", "WARC_MAX_SIZE=200K", *LOOPBACK)
        truth = site.ground_truth(server.url)
        start_url = server.url
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    files = sorted(warc_dir.iterdir())
    result = run_cli("import-warc", *map(str, files), "--db", str(imported), "-q")
    assert result.returncode == 0, result.stderr[-3000:]
    return {"crawled": crawled, "imported": imported, "files": files, "truth": truth,
            "start_url": start_url, "import_out": result.stdout}


@pytest.mark.slow
def test_crawl_writes_valid_rotated_warc_files(round_trip):
    files = round_trip["files"]
    assert len(files) >= 3  # 40 articles and their listings are ~3 MB: rotated at 200K
    assert all(NAME.match(f.name) for f in files)
    assert len({f.name.rsplit("-", 1)[0] for f in files}) == 1  # one crawl, one timestamp
    by_uri: dict[str, list[dict]] = {}
    part_of = set()
    for path in files:
        records = read_records(path)  # every record parses and its digests match
        assert records[0]["type"] == "warcinfo"
        assert [r["type"] for r in records[1:]].count("warcinfo") == 0
        info = warcinfo_fields(records[0])
        part_of.add(info["isPartOf"])
        assert (info["newsarchive-spider"], info["newsarchive-start-url"], info["robots"]) == (
            "news", round_trip["start_url"], "obey")
        ids = {r["id"]: r for r in records}
        for record in records[1:]:
            assert record["type"] in ("request", "response")
            assert record["version"] == "WARC/1.1"
            by_uri.setdefault(record["uri"], []).append(record)
            if record["type"] == "request":
                assert ids[record["concurrent"]]["type"] == "response"  # pairs share a file
        assert len(list(read_warc(path))) == len(records)  # and our own reader agrees
    assert len(part_of) == 1
    for truth in round_trip["truth"]:
        types = sorted(r["type"] for r in by_uri[truth["url"]])
        assert types == ["request", "response"], truth["url"]


@pytest.mark.slow
def test_imported_warcs_hold_the_same_records_as_the_crawl(round_trip):
    query = ("SELECT a.url, v.url, v.content_hash, v.record_json, v.http_status, v.warc_file, "
             "v.warc_offset, a.version_count FROM articles a "
             "JOIN versions v ON v.id = a.current_version_id ORDER BY a.url")
    with sqlite3.connect(round_trip["crawled"]) as conn:
        crawled = conn.execute(query).fetchall()
    with sqlite3.connect(round_trip["imported"]) as conn:
        imported = conn.execute(query).fetchall()
        crawl = conn.execute("SELECT spider, status, articles_new FROM crawls").fetchall()
    assert {row[0] for row in crawled} == {t["url"] for t in round_trip["truth"]}
    assert len(crawled) == 40
    # Same articles, same content hashes, same field values, and the same WARC records.
    assert imported == crawled
    assert crawl == [("import-warc", "finished", 40)]
    assert "new 40, changed 0, unchanged 0" in round_trip["import_out"]
    with ArchiveStore(round_trip["crawled"]) as a, ArchiveStore(round_trip["imported"]) as b:
        for truth in round_trip["truth"][:10]:
            assert b.get_article(truth["url"]) == a.get_article(truth["url"])
            assert b.raw_html(truth["url"]) == a.raw_html(truth["url"])


@pytest.mark.slow
def test_versions_point_at_the_response_record_of_their_page(round_trip):
    with sqlite3.connect(round_trip["crawled"]) as conn:
        rows = conn.execute("SELECT id, url, warc_file, warc_offset FROM versions").fetchall()
    files = {str(f) for f in round_trip["files"]}
    with ArchiveStore(round_trip["crawled"]) as store:
        for version_id, url, warc_file, offset in rows:
            assert warc_file in files
            rec_type, uri, body = record_at(Path(warc_file), offset)
            assert (rec_type, uri) == ("response", url)
            assert body == store.raw_html(url)


@pytest.mark.slow
def test_scrapy_crawl_with_warc_dir_setting(tmp_path, sample_server):
    db, warc_dir = tmp_path / "scrapy.db", tmp_path / "warc"
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"start_url={sample_server.url}",
         "-s", f"ARCHIVE_DB={db}", "-s", f"WARC_DIR={warc_dir}", "-s", "CLOSESPIDER_ITEMCOUNT=5",
         "-s", "LOG_LEVEL=WARNING", *LOOPBACK],
        cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    (path,) = sorted(warc_dir.iterdir())
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT url, warc_file, warc_offset FROM versions").fetchall()
    assert len(rows) >= 5
    for url, warc_file, offset in rows:
        assert warc_file == str(path)
        assert record_at(path, offset)[:2] == ("response", url)


# Every coding the crawl asks for, crawled and imported back ---------------------------------

# Articles, each served in a content coding the crawl accepts (Accept-Encoding: gzip, deflate,
# br, zstd); "gzip, br" is gzip, then br over it.
CODED = {"/br/": ("jnews", "br"), "/zstd/": ("classic", "zstd"), "/stacked/": ("foxiz_seed", "gzip, br"),
         "/deflate/": ("tagdiv", "raw-deflate")}


class _CodingsHandler(SiteHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if self.path == "/":
            links = "".join(f'<li><a href="{path}">Story {n}</a></li>' for n, path in enumerate(CODED))
            body, coding = f"<html><head><title>Home</title></head><body><ul>{links}</ul></body></html>".encode(), None
        elif self.path in CODED:
            name, coding = CODED[self.path]
            body = encode((PAGES / f"{name}.html").read_bytes(), coding)
        else:
            return self._send(404, b"")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=UTF-8")
        if coding:
            self.send_header("Content-Encoding", coding.replace("raw-deflate", "deflate"))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_a_crawl_of_br_and_zstd_pages_imports_back_to_the_same_archive(tmp_path):
    # br failed to import ("'brotli.Decompressor' object has no attribute 'unused_data'") and
    # zstd stayed compressed ("not an article"): the crawl's own WARC lost those articles.
    db, warc_dir = tmp_path / "archive.db", tmp_path / "warc"
    with serving(_CodingsHandler) as base:
        crawl = run_cli("crawl", base + "/", "--db", str(db), "--warc", str(warc_dir), "-q", *LOOPBACK)
    assert crawl.returncode == 0, crawl.stderr[-2000:]
    imported = tmp_path / "imported.db"
    result = run_cli("import-warc", *map(str, sorted(warc_dir.iterdir())), "--db", str(imported), "-q")
    assert result.returncode == 0, result.stderr
    query = ("SELECT a.url, v.url, v.content_hash, v.record_json, a.version_count FROM articles a "
             "JOIN versions v ON v.id = a.current_version_id ORDER BY a.url")
    with sqlite3.connect(db) as conn:
        crawled = conn.execute(query).fetchall()
    with sqlite3.connect(imported) as conn:
        again = conn.execute(query).fetchall()
    assert len(crawled) == len(CODED)
    assert again == crawled
    with ArchiveStore(db) as a, ArchiveStore(imported) as b:
        for url, *_ in crawled:
            assert b.raw_html(url) == a.raw_html(url)


def test_two_crawls_with_304s_import_back_to_the_same_last_seen_times(tmp_path):
    # The second crawl revalidates (If-None-Match): the sample site answers 304 and the crawl
    # moves each article's last seen. The import skipped 304s: last seen stayed at crawl one.
    from datetime import datetime

    from scraper.sample_site import SampleSite, SampleSiteServer

    db, imported = tmp_path / "crawled.db", tmp_path / "imported.db"
    with SampleSiteServer(SampleSite(articles=6)) as server:
        for n in (1, 2):
            crawl = run_cli("crawl", server.url, "--db", str(db), "--warc", str(tmp_path / f"warc{n}"),
                            "-q", *LOOPBACK)
            assert crawl.returncode == 0, crawl.stderr[-2000:]
    assert "not modified" in crawl.stdout
    files = sorted((tmp_path / "warc2").iterdir()) + sorted((tmp_path / "warc1").iterdir())
    result = run_cli("import-warc", *map(str, files), "--db", str(imported), "-q")
    assert result.returncode == 0, result.stderr
    assert "not modified (304) 6" in result.stdout
    query = "SELECT url, version_count, last_seen_at, gone_at FROM articles ORDER BY url"
    with sqlite3.connect(db) as conn:
        crawled = conn.execute(query).fetchall()
    with sqlite3.connect(imported) as conn:
        again = conn.execute(query).fetchall()
    assert len(crawled) == 6 and [r[:2] + r[3:] for r in again] == [r[:2] + r[3:] for r in crawled]

    def moment(text):
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    for (_, _, seen_crawl, _), (_, _, seen_import, _) in zip(crawled, again):
        # The crawl stamps whole seconds when it handles the answer; the WARC has its arrival.
        assert abs((moment(seen_crawl) - moment(seen_import)).total_seconds()) < 2
