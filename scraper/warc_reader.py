"""Reading WARC files record by record, noticing damage warcio lets pass.

warcio is lenient: a file cut mid-record simply ends early, and a record whose
Content-Length is wrong only prints a warning. An archivist importing a damaged
file needs to know, so :func:`read_warc` checks each record's length and that
the whole file was read, and raises :class:`WarcFileError` naming the file,
the record number and its offset. Records read before the damage were already
yielded: a caller that stored them keeps them.
"""
from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import io
import os
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Optional, Union

import brotli
from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataReader
from warcio.digestverifyingreader import DigestVerifyingReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParserException

if sys.version_info >= (3, 14):
    from compression import zstd
else:
    from backports import zstd

# What a damaged file makes warcio (or the zlib and parsing code under it) raise.
_DAMAGE = (ArchiveLoadFailed, StatusAndHeadersParserException, EOFError, zlib.error,
           ValueError, IndexError, KeyError, UnicodeError)


class WarcFileError(Exception):
    """A WARC file that cannot be read past some record, with one clear message."""

    def __init__(self, path: Union[str, Path], number: int, offset: Optional[int], reason: str):
        self.path, self.number, self.offset, self.reason = str(path), number, offset, reason
        known = offset is not None and offset >= 0  # warcio's offset is meaningless in some damage
        where = f"record {number}" + (f" (offset {offset})" if known else "")
        super().__init__(f"{path}: {where}: {reason}")


@dataclass
class WarcEntry:
    """One record: its place in the file, its WARC and HTTP headers, and its payload."""
    number: int                         # 1, 2, ... in file order (the warcinfo is 1)
    offset: int                         # where the record starts in the file
    rec_type: str                       # 'warcinfo', 'request', 'response', ...
    url: Optional[str]                  # WARC-Target-URI
    date: Optional[str]                 # WARC-Date
    http_headers: Optional[StatusAndHeaders]
    body: bytes                         # HTTP payload with transfer and content codings undone
    decode_error: Optional[str] = None  # why ``body`` could not be decoded (it is then raw)
    truncated: Optional[str] = None     # WARC-Truncated: the crawler kept only part of the payload
    dechunked: Optional[bytes] = field(default=None, repr=False)  # (while reading) a chunked payload, dechunked
    warc_headers: Optional[StatusAndHeaders] = field(default=None, repr=False)  # all its WARC headers

    def warc_header(self, name: str) -> Optional[str]:
        return self.warc_headers.get_header(name) if self.warc_headers is not None else None

    @property
    def http_status(self) -> Optional[int]:
        if self.http_headers is None or self.rec_type == "request":
            return None
        try:
            return int(self.http_headers.get_statuscode())
        except (TypeError, ValueError):
            return None

    def http_header(self, name: str) -> Optional[str]:
        return self.http_headers.get_header(name) if self.http_headers is not None else None


def _one_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = lines[0] if lines else type(exc).__name__
    if "non-chunked gzip" in text:
        return ("the file is one gzip stream, not one gzip member per record "
                "(`warcio recompress` fixes that)")
    if text.startswith("Unknown archive format"):
        return "not a WARC record (is this a WARC file?)"
    if text.startswith("Invalid WARC record"):
        return "corrupt data where a WARC record should start"
    # warcio quotes the offending line, which in a damaged file is binary noise.
    text = text.removeprefix("ERROR: ").split(", first line")[0]
    return "".join(c if c.isprintable() else "?" for c in text)[:200]


@contextlib.contextmanager
def _quiet_warcio() -> Iterator[None]:
    """warcio prints its warnings on stderr; ours are raised and reported instead."""
    with contextlib.redirect_stderr(io.StringIO()):
        yield


KeepPayload = Callable[[str, Optional[StatusAndHeaders]], bool]


def read_warc(path: Union[str, Path], keep_payload: Optional[KeepPayload] = None,
              on_damage: Optional[Callable[[WarcFileError], None]] = None) -> Iterator[WarcEntry]:
    """Yield every record of a WARC file (gzip per record, or uncompressed).

    ``keep_payload(rec_type, http_headers)`` says which payloads the caller wants;
    the others are still read through (to check their length) but not kept, so a
    video in someone's WARC costs no memory. ``body`` is then empty.

    Damage raises :class:`WarcFileError`; with ``on_damage``, it is handed to that
    instead and reading goes on at the next record found after it (the next gzip
    member that opens a WARC record, or the next ``WARC/1.x`` line in an uncompressed
    file), so flipped bytes in the middle of a file lose one record, not the rest.
    Record numbers after a gap count on from the damaged record.
    """
    path = Path(path)
    with path.open("rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size == 0:
            raise WarcFileError(path, 1, 0, "the file is empty")
        gzipped = fh.read(2) == b"\x1f\x8b"
        numbered = [0]
        start = 0
        while True:
            try:
                yield from _records_from(path, fh, start, size, keep_payload, numbered, on_damage)
                return
            except WarcFileError as exc:
                if on_damage is None:
                    raise
                on_damage(exc)
                damaged_at = exc.offset if exc.offset is not None and exc.offset >= start else start
                start = _next_record(fh, damaged_at + 1, gzipped)
                if start is None:
                    return


def _records_from(path: Path, fh, start: int, size: int, keep_payload: Optional[KeepPayload],
                  numbered: list, on_damage: Optional[Callable[[WarcFileError], None]] = None
                  ) -> Iterator[WarcEntry]:
    fh.seek(start)
    # Digests are checked (where a record has them) as the record is read through.
    records = ArchiveIterator(fh, check_digests=True)
    records.loader.wrap_digest_verifying_stream = _verifying_stream
    while True:
        numbered[0] += 1
        number = numbered[0]
        offset = records.offset
        try:
            with _quiet_warcio():
                record = next(records)
        except StopIteration:
            # warcio stops quietly at a cut-off gzip member or header: anything
            # left unread means the file is damaged there.
            if records.offset < size:
                raise WarcFileError(path, number, records.offset,
                                    "cut short or corrupt: it cannot be read from here on") from None
            return
        except _DAMAGE as exc:
            raise WarcFileError(path, number, offset, _one_line(exc)) from None
        if record.format != "warc":
            raise WarcFileError(path, number, offset, "not a WARC record (is this a WARC file?)")
        keep = keep_payload is None or keep_payload(record.rec_type, record.http_headers)
        entry = _entry(path, number, records, record, keep)
        digest = _digest_mismatch(record, entry)
        entry.dechunked = None  # needed for that check only
        if digest is None:
            yield entry
            continue
        # The record's bytes are not the ones written; the file's structure is sound, so
        # reading goes on at the next record, but nothing of this one may be used.
        damage = WarcFileError(path, number, entry.offset, f"its content does not match its {digest} "
                               "(damaged since it was written)")
        if on_damage is None:
            raise damage
        on_damage(damage)


def _verifying_stream(stream, rec_type, rec_headers, digest_checker, length=None):
    """warcio's ArcWarcRecordLoader.wrap_digest_verifying_stream, hashing a record once:
    its payload digest is checked only when no block digest (which covers the payload) is
    there. Both doubled the time a file took to read."""
    block = rec_headers.get_header("WARC-Block-Digest")
    payload = None if block else rec_headers.get_header("WARC-Payload-Digest")
    if not block and not payload:
        return stream, False
    return DigestVerifyingReader(stream, length, digest_checker, record_type=rec_type,
                                 payload_digest=payload, block_digest=block,
                                 segment_number=rec_headers.get_header("WARC-Segment-Number")), True


def _digest_mismatch(record, entry: WarcEntry) -> Optional[str]:
    """Which digest header the record's content fails (None if all it has pass).

    The block digest covers every byte of the record's block, payload included: where it
    is there, the payload digest is not checked (see _verifying_stream). A payload digest
    is taken two ways by the tools that write WARCs (of a chunked payload as sent, which
    warcio checks, or without its chunking, as the standard says): either is accepted; it
    is not checked where the crawler cut the payload short (WARC-Truncated), where tools
    differ too.
    """
    checker = getattr(record, "digest_checker", None)
    if checker is None or checker.passed is not False:
        return None
    problems = checker.problems
    if any(problem.startswith("block digest failed") for problem in problems):
        return "WARC-Block-Digest"
    if not any(problem.startswith("payload digest failed") for problem in problems):
        return None  # a digest in an algorithm hashlib does not know: nothing was checked
    headers = record.rec_headers
    if headers.get_header("WARC-Block-Digest") or entry.truncated:
        return None
    http = record.http_headers
    if http is not None and (http.get_header("Transfer-Encoding") or "").strip().lower() == "chunked":
        dechunked = entry.dechunked
        if dechunked is None or _digest_matches(headers.get_header("WARC-Payload-Digest"), dechunked):
            return None
    return "WARC-Payload-Digest"


def _digest_matches(header: str, data: bytes) -> bool:
    """Whether ``data`` may have the digest ``header``: an algorithm hashlib does not know
    cannot say it is wrong."""
    return has_digest(header, data) is not False


def has_digest(header: str, data: bytes) -> Optional[bool]:
    """Whether ``data`` has the digest ``header`` (``sha1:BASE32``; base16 and base64 too);
    None for an algorithm hashlib does not know (nothing can be said)."""
    algorithm, _, value = header.strip().partition(":")
    try:
        digest = hashlib.new(algorithm.lower().replace("-", ""), data).digest()
    except ValueError:
        return None
    value = value.strip()
    for decode in (base64.b32decode, bytes.fromhex, base64.b64decode, base64.urlsafe_b64decode):
        try:
            if decode(value) == digest:
                return True
        except (ValueError, binascii.Error):
            continue
    return False


def read_record_at(path: Union[str, Path], offset: int, keep_payload: Optional[KeepPayload] = None,
                   number: int = 0) -> WarcEntry:
    """The one record that starts at ``offset`` (read before by read_warc, which numbered it
    ``number``); raises WarcFileError if it cannot be read or its digest fails now."""
    path = Path(path)
    with path.open("rb") as fh:
        fh.seek(offset)
        records = _records_from(path, fh, offset, os.fstat(fh.fileno()).st_size, keep_payload,
                                [number - 1])
        entry = next(records, None)
    if entry is None:
        raise WarcFileError(path, number, offset, "no record there")
    return entry


_GZIP_MEMBER = b"\x1f\x8b\x08"
_WARC_LINE = (b"WARC/1.0\r\n", b"WARC/1.1\r\n")


def _next_record(fh, after: int, gzipped: bool) -> Optional[int]:
    """Where the next readable record starts at or after ``after``; None if none does."""
    marker = _GZIP_MEMBER if gzipped else b"WARC/1."
    block = 1 << 20
    position = after
    while True:
        fh.seek(position)
        data = fh.read(block + 16)
        if not data:
            return None
        at = data.find(marker)
        while 0 <= at < block:
            if _opens_record(data[at:], gzipped):
                return position + at
            at = data.find(marker, at + 1)
        if len(data) <= block:
            return None
        position += block


def _opens_record(data: bytes, gzipped: bool) -> bool:
    if not gzipped:
        return data.startswith(_WARC_LINE)
    try:
        head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[:4096], 16)
    except zlib.error:
        return False
    return head.startswith(_WARC_LINE)


class _CutShort(Exception):
    """A compressed stream that stops before its end, or turns corrupt after a good start."""


def _gunzip(data: bytes) -> tuple[bytes, bool]:
    """Every gzip member, as GzipFile reads them; bytes after the last one are ignored."""
    out = []
    while True:
        unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out.append(unpacker.decompress(data))
        if not unpacker.eof:
            return b"".join(out), False
        data = unpacker.unused_data
        if not data.startswith(b"\x1f\x8b"):
            return b"".join(out), True


def _inflate(data: bytes) -> tuple[bytes, bool]:
    """zlib's format, or raw deflate (some Microsoft servers send that), as Scrapy's _inflate."""
    unpacker = zlib.decompressobj()
    try:
        out = unpacker.decompress(data)
    except zlib.error:
        unpacker = zlib.decompressobj(-zlib.MAX_WBITS)
        out = unpacker.decompress(data)
    return out, unpacker.eof


def _unbrotli(data: bytes) -> tuple[bytes, bool]:
    unpacker = brotli.Decompressor()
    out = unpacker.process(data)
    return out, unpacker.is_finished()


def _unzstd(data: bytes) -> tuple[bytes, bool]:
    """Every frame, as ZstdFile reads them."""
    out = []
    while True:
        unpacker = zstd.ZstdDecompressor()
        out.append(unpacker.decompress(data))
        if not unpacker.eof:
            return b"".join(out), False
        data = unpacker.unused_data
        if not data:
            return b"".join(out), True


# Content codings as the crawl decodes them (Scrapy's HttpCompressionMiddleware: the crawl
# asks for "gzip, deflate, br, zstd" and also takes x-gzip), with the same modules.
_DECODERS = {"gzip": _gunzip, "x-gzip": _gunzip, "deflate": _inflate, "br": _unbrotli, "zstd": _unzstd}


def _undo_coding(data: bytes, coding: str) -> bytes:
    """``data`` with one content coding undone. A payload that is not in that coding from
    its first bytes is taken as not encoded at all (servers do mislabel; parsing then
    judges it), as warcio did; one that starts right and breaks later is cut short."""
    try:
        out, complete = _DECODERS[coding](data)
    except (zlib.error, brotli.error, zstd.ZstdError) as exc:
        if _starts_as(data, coding):
            raise _CutShort(coding) from exc
        return data
    if not complete and data:
        raise _CutShort(coding)
    return out


def _starts_as(data: bytes, coding: str) -> bool:
    try:
        _DECODERS[coding](data[:16])
    except (zlib.error, brotli.error, zstd.ZstdError):
        return False
    return True


def content_codings(http_headers: StatusAndHeaders) -> list[str]:
    """The Content-Encoding codings in the order they were applied ("gzip, br": gzip first)."""
    return [coding.strip().lower()
            for name, value in http_headers.headers if name.lower() == "content-encoding"
            for coding in value.split(",") if coding.strip()]


def decode_content(body: bytes, codings: list[str]) -> bytes:
    """Undo the codings, last applied first, as Scrapy does: it stops at one it does not
    know ("identity", a charset a server put there), leaving the body as decoded so far."""
    for coding in reversed(codings):
        if coding not in _DECODERS:
            break
        body = _undo_coding(body, coding)
    return body


def _decode_payload(record, raw: bytes) -> tuple[bytes, Optional[str], Optional[bytes]]:
    """Undo chunking (warcio's reader) and the content codings (gzip, deflate, br, zstd);
    returns the body, why it could not be decoded, and the payload dechunked (if chunked).

    A compressed stream that stops before its end (cut short, as Common Crawl cuts
    payloads over 1 MiB, or corrupt) is an error, not a page cut in half.
    """
    headers = record.http_headers
    body, dechunked = raw, None
    try:
        if (headers.get_header("Transfer-Encoding") or "").strip().lower() == "chunked":
            with _quiet_warcio():
                body = dechunked = ChunkedDataReader(io.BytesIO(raw)).read()
        body = decode_content(body, content_codings(headers))
    except _CutShort as exc:
        return body, f"cannot decode the HTTP payload: its {exc} stream is cut short or corrupt", dechunked
    except Exception as exc:  # any other codec error: the payload is bad, the file is not
        return raw, f"cannot decode the HTTP payload: {_one_line(exc)}", dechunked
    return body, None, dechunked


def _read_through(stream, keep: bool) -> tuple[bytes, int]:
    if keep:
        data = stream.read()
        return data, len(data)
    size = 0
    while chunk := stream.read(1 << 16):
        size += len(chunk)
    return b"", size


def _entry(path: Path, number: int, records: ArchiveIterator, record, keep: bool) -> WarcEntry:
    try:
        with _quiet_warcio():
            raw, size = _read_through(record.raw_stream, keep)
            offset = records.get_record_offset()
    except _DAMAGE as exc:
        raise WarcFileError(path, number, records.offset, _one_line(exc)) from None
    if records.err_count:
        # warcio found no record separator where Content-Length said the record ends.
        raise WarcFileError(path, number, offset, "its length does not match its Content-Length header")
    expected = record.payload_length if record.http_headers is not None else record.length
    if expected is not None and expected >= 0 and size < expected:
        raise WarcFileError(path, number, offset,
                            f"cut short: {size} of its {expected} payload bytes are there")
    headers = record.rec_headers
    body, decode_error, dechunked = raw, None, None
    if record.http_headers is not None and keep:
        body, decode_error, dechunked = _decode_payload(record, raw)
    return WarcEntry(
        number=number, offset=offset, rec_type=record.rec_type,
        url=headers.get_header("WARC-Target-URI"), date=headers.get_header("WARC-Date"),
        http_headers=record.http_headers, body=body, decode_error=decode_error,
        truncated=headers.get_header("WARC-Truncated"), dechunked=dechunked, warc_headers=headers,
    )
