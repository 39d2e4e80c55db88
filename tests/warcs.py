"""Writing WARC files in tests the way other crawlers do, with warcio itself (not our writer)."""
from __future__ import annotations

import gzip
import io
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import brotli
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

if sys.version_info >= (3, 14):
    from compression import zstd
else:
    from backports import zstd


@dataclass
class Capture:
    """One HTTP response as it crossed the wire: ``payload`` is already content/transfer-encoded."""
    url: str
    payload: bytes
    headers: list[tuple[str, str]] = field(default_factory=list)
    status: str = "200 OK"
    date: str = "2025-09-10T08:15:30Z"
    rec_type: str = "response"
    warc_headers: dict[str, str] = field(default_factory=dict)
    by_record_id: bool = False  # a revisit naming its original as wget does: WARC-Refers-To only


def _raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-15)
    return packer.compress(data) + packer.flush()


# Content codings as servers apply them; "raw-deflate" is sent as "deflate" (what some
# Microsoft servers send), "deflate" is zlib's format, as RFC 9110 says.
CODERS = {
    "gzip": gzip.compress, "x-gzip": gzip.compress, "deflate": zlib.compress,
    "raw-deflate": _raw_deflate, "br": brotli.compress, "zstd": zstd.compress,
}


def encode(data: bytes, encoding: Optional[str]) -> bytes:
    """``data`` with the Content-Encoding ``encoding`` applied: "gzip, br" is gzip, then br."""
    for coding in (encoding or "").split(","):
        if coding.strip():
            data = CODERS[coding.strip()](data)
    return data


def chunked(data: bytes, size: int = 700) -> bytes:
    parts = [b"%x\r\n%s\r\n" % (len(data[i:i + size]), data[i:i + size]) for i in range(0, len(data), size)]
    return b"".join(parts) + b"0\r\n\r\n"


def html_capture(url: str, html: bytes, *, encoding: Optional[str] = None, chunk: bool = False,
                 date: str = "2025-09-10T08:15:30Z", content_type: str = "text/html; charset=UTF-8") -> Capture:
    headers = [("Content-Type", content_type), ("Server", "nginx")]
    payload = encode(html, encoding)
    if encoding:
        headers.append(("Content-Encoding", encoding.replace("raw-deflate", "deflate")))
    if chunk:
        payload = chunked(payload)
        headers.append(("Transfer-Encoding", "chunked"))
    else:
        headers.append(("Content-Length", str(len(payload))))
    return Capture(url, payload, headers, date=date)


def write_warc(path: Path, captures: list[Capture], *, compress: bool = True) -> list[int]:
    """Write a warcinfo record, then each capture; returns each capture's record offset."""
    offsets = []
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=compress, warc_version="1.1")
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test-crawler/1.0"}))
        for capture in captures:
            if capture.rec_type == "metadata":
                record = writer.create_warc_record(
                    capture.url, "metadata", payload=io.BytesIO(capture.payload),
                    length=len(capture.payload), warc_headers_dict={"WARC-Date": capture.date})
            elif capture.rec_type == "revisit":
                # As Heritrix writes one: the HTTP headers, no payload, and the original's target
                # URI, date and payload digest (the original must be written before); or as wget
                # --warc-dedup does (by_record_id): the original's record ID and payload digest.
                original = written[capture.payload.decode()]
                http = StatusAndHeaders(capture.status, capture.headers, protocol="HTTP/1.1")
                record = writer.create_revisit_record(
                    capture.url, digest=original.rec_headers.get_header("WARC-Payload-Digest"),
                    refers_to_uri=original.rec_headers.get_header("WARC-Target-URI"),
                    refers_to_date=original.rec_headers.get_header("WARC-Date"), http_headers=http,
                    warc_headers_dict={"WARC-Date": capture.date, **capture.warc_headers})
                if capture.by_record_id:
                    record.rec_headers.remove_header("WARC-Refers-To-Target-URI")
                    record.rec_headers.remove_header("WARC-Refers-To-Date")
                    record.rec_headers.add_header("WARC-Refers-To",
                                                  original.rec_headers.get_header("WARC-Record-ID"))
            else:
                http = StatusAndHeaders(capture.status, capture.headers, protocol="HTTP/1.1")
                record = writer.create_warc_record(
                    capture.url, "response", payload=io.BytesIO(capture.payload),
                    length=len(capture.payload), http_headers=http,
                    warc_headers_dict={"WARC-Date": capture.date, **capture.warc_headers})
            fh.flush()
            offsets.append(fh.tell())
            writer.write_record(record)
            if capture.rec_type == "response":
                written[f"{capture.url} {capture.date}"] = record
    return offsets


def revisit(url: str, date: str, of: Capture, *, by_record_id: bool = False) -> Capture:
    """A revisit record of ``url`` at ``date`` repeating the capture ``of``, which write_warc
    must have written before (in this file or an earlier one); ``by_record_id``: as wget writes it."""
    return Capture(url, f"{of.url} {of.date}".encode(), [("Content-Type", "text/html; charset=UTF-8")],
                   date=date, rec_type="revisit", warc_headers={"WARC-Profile": IDENTICAL},
                   by_record_id=by_record_id)


IDENTICAL = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
written: dict[str, object] = {}  # every response record write_warc wrote, by "URL DATE"


def record_at(path: Path, offset: int):
    """The (rec_type, target URI, decoded payload) of the record that starts at ``offset``."""
    with path.open("rb") as fh:
        fh.seek(offset)
        record = next(iter(ArchiveIterator(fh)))
        return (record.rec_type, record.rec_headers.get_header("WARC-Target-URI"),
                record.content_stream().read())
