"""Which character encoding a page's bytes are in, for text a reader would recognise.

The order is a browser's (byte-order mark, HTTP header, ``<meta charset>``, then a
guess), with the corrections an archive needs where sites are misconfigured: bytes
that are UTF-8 are read as UTF-8 whatever a header or meta says (legacy code pages all
but never form valid multi-byte UTF-8 sequences, while servers and templates often
declare a default charset that is wrong); a stray invalid byte in a UTF-8 page does
not turn the page into another encoding; a ``<meta charset>`` after the first 4 KB
(behind inline CSS) is still read; an undeclared page is guessed by bs4's sniffer
(charset-normalizer under it), except that a page in Latin script gets the code page of its ``lang`` (the detector
cannot tell windows-1252 from windows-1250 on a mostly English page).

:func:`utf8_candidate` is the cheap path every page takes: bytes declared UTF-8 (or
undeclared and valid UTF-8) go to libxml2 as they are. Only when libxml2 reports invalid
UTF-8 in a page declared UTF-8, or a page declares another encoding or none and is not
UTF-8, does :func:`encoding_of` weigh the evidence.
"""
from __future__ import annotations

import codecs
import re
from typing import Iterator, Optional

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom

_UTF16_32 = ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be")

# WHATWG labels that Python's codec registry does not know.
_ALIASES = {
    "iso_8859_8_i": "iso8859_8", "csiso88598i": "iso8859_8", "logical": "iso8859_8",
    "x_mac_cyrillic": "mac_cyrillic", "x_mac_ukrainian": "mac_cyrillic", "x_mac_roman": "mac_roman",
    "x_gbk": "gbk", "x_euc_jp": "euc_jp", "x_cp1250": "cp1250", "x_cp1251": "cp1251",
    "x_cp1252": "cp1252", "x_cp1253": "cp1253", "x_cp1254": "cp1254", "x_cp1255": "cp1255",
    "x_cp1256": "cp1256", "x_cp1257": "cp1257", "x_cp1258": "cp1258", "dos_874": "cp874",
}


def _search_alias(name: str):
    target = _ALIASES.get(name.replace("-", "_"))
    return codecs.lookup(target) if target else None


codecs.register(_search_alias)


# Codecs Python has that no page is written in: a page declaring one is read as if it declared
# nothing (rot13, base64, zlib and the like are not text encodings at all).
_NOT_PAGE_CODECS = frozenset({"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape",
                              "utf-7"})


def _page_codec(name: Optional[str]) -> Optional[str]:
    """``name`` if pages can be written in it, else None."""
    if not name:
        return None
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_PAGE_CODECS:
        return None
    return name


def _header_encoding(content_type: Optional[str]) -> Optional[str]:
    return _page_codec(http_content_type_encoding(content_type))


def _body_encoding(data: bytes) -> Optional[str]:
    return _page_codec(html_body_declared_encoding(data))


class BinaryContent(ValueError):
    """The bytes are not text."""


# Bytes no text page has (C0 controls other than tab, newlines, form feed and escape).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
_BINARY_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"PK\x03\x04", b"\x1f\x8b", b"BZh",
                 b"\x7fELF", b"RIFF", b"OggS", b"ID3", b"\x00\x00\x01\x00", b"wOFF", b"wOF2")


def text_bytes(data: bytes, content_type: Optional[str]) -> tuple[bytes, Optional[str]]:
    """``data`` without stray NUL bytes (which browsers drop), and its encoding when that is
    UTF-16 or UTF-32 (which keep their NULs); raises :class:`BinaryContent` for images,
    archives and the like."""
    if data.startswith(_BINARY_MAGIC):
        raise BinaryContent("binary content, not HTML")
    if data.find(b"\x00") < 0:
        return data, None
    wide = wide_encoding(data, content_type)
    if wide:
        return data, wide
    head = data[:8192]
    if (len(head) - len(head.translate(None, _CONTROL))) * 100 > len(head):
        raise BinaryContent("binary content, not HTML")
    return data.replace(b"\x00", b""), None


def wide_encoding(data: bytes, content_type: Optional[str]) -> Optional[str]:
    """UTF-16 or UTF-32 by the byte-order mark, the header, or the pattern of NULs
    that an ASCII-heavy UTF-16 page without either has."""
    bom_encoding, _ = read_bom(data)
    if bom_encoding in _UTF16_32:
        return bom_encoding
    declared = _header_encoding(content_type)
    if declared in _UTF16_32:
        return declared
    head = data[:4096]
    half = len(head) // 2
    if half >= 16:
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if odd > half * 0.6 and even < half * 0.05:
            return "utf-16-le"
        if even > half * 0.6 and odd < half * 0.05:
            return "utf-16-be"
    return None


def utf8_candidate(data: bytes, content_type: Optional[str]) -> tuple[Optional[bytes], bool]:
    """``data`` for libxml2 to read as UTF-8, and whether that is certain, when the page says
    it is UTF-8 (not certain: the caller checks that libxml2 found it valid, else
    :func:`encoding_of`) or says nothing and is (mostly) UTF-8; (None, False) when it
    declares another encoding or is not UTF-8 (then :func:`decode`)."""
    bom_encoding, bom = read_bom(data)
    if bom_encoding is not None:
        return (data[len(bom):], True) if bom_encoding == "utf-8" else (None, False)
    declared = _header_encoding(content_type) or _body_encoding(data)
    if declared == "utf-8":
        return data, False
    if declared is None and is_mostly_utf8(data):
        return data, True
    return None, False


def decode(data: bytes, content_type: Optional[str], wide: Optional[str] = None) -> str:
    """The page's text, by the evidence in the module docstring (``wide``: what
    :func:`text_bytes` found)."""
    return data.decode(wide or encoding_of(data, content_type), "replace")


def encoding_of(data: bytes, content_type: Optional[str]) -> str:
    bom_encoding, _ = read_bom(data)
    if bom_encoding is not None:
        return bom_encoding
    if is_mostly_utf8(data):
        return "utf-8"
    for declared in (_header_encoding(content_type), _meta_encoding(data)):
        # UTF-8 was ruled out above; a <meta> naming UTF-16 in a page of single bytes
        # means UTF-8 to browsers, so it is ignored as well.
        if declared and declared != "utf-8" and declared not in _UTF16_32:
            return declared
    return _guess(data)


def is_mostly_utf8(data: bytes) -> bool:
    """Valid UTF-8, or UTF-8 with a few stray bytes: at least twice as many valid multi-byte
    characters as invalid bytes. Text in legacy code pages scores far below (Shift_JIS
    and GBK pages one valid sequence to five invalid ones, single-byte ones none)."""
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", "replace")
    literal = data.count(b"\xef\xbf\xbd")  # U+FFFD written in the page itself
    invalid = text.count("\ufffd") - literal
    valid = len(text) - len(text.encode("ascii", "ignore")) - invalid - literal
    return valid > 0 and valid >= 2 * invalid


_LATE_META = re.compile(rb"<meta[^>]{0,200}?charset", re.I)


def _meta_encoding(data: bytes) -> Optional[str]:
    """The ``<meta charset>`` in the first 4 KB as browsers' prescan finds it, else one
    further down the first 64 KB (inline CSS or scripts before it), which browsers
    switch to when their parser reaches it."""
    declared = _body_encoding(data)
    if declared:
        return declared
    match = _LATE_META.search(data, 3000, 65536)
    return _body_encoding(data[match.start():match.start() + 1024]) if match else None


# Latin-script languages whose legacy Windows code page is not windows-1252.
_LATIN_CODE_PAGES = {
    "pl": "cp1250", "cs": "cp1250", "sk": "cp1250", "hu": "cp1250", "hr": "cp1250", "sl": "cp1250",
    "ro": "cp1250", "bs": "cp1250", "sr": "cp1250", "tr": "cp1254", "az": "cp1254",
    "lt": "cp1257", "lv": "cp1257", "et": "cp1257", "vi": "cp1258",
}
_HTML_LANG = re.compile(rb"<html[^>]*?\slang\s*=\s*[\"']?([a-zA-Z]{2,3})", re.I)
_LATIN_DETECTED = frozenset({
    "cp1250", "cp1252", "cp1254", "cp1257", "cp1258", "latin_1", "iso8859_2", "iso8859_3",
    "iso8859_4", "iso8859_9", "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15",
    "iso8859_16", "mac_roman", "mac_latin2", "mac_iceland", "mac_turkish", "cp437", "cp850",
    "cp858", "ascii", "iso8859_1",
})
_HIGH_BYTES = bytes(range(0x80, 0x100))
_HIGH_RUN = re.compile(rb"[\x80-\xff]{3,}")


def _latin_script(sample: bytes) -> bool:
    """Whether a legacy page's text is in Latin script: its non-ASCII bytes are accents and
    quotes among ASCII letters ("café", "ação"), not whole words of them as in Cyrillic,
    Greek, Arabic, Hebrew, Thai or any CJK encoding."""
    high = len(sample) - len(sample.translate(None, _HIGH_BYTES))
    return sum(map(len, _HIGH_RUN.findall(sample))) * 5 < high


def _known(names) -> Iterator[str]:
    """Those of the encoding ``names`` Python has a codec for, by the codec's name (``latin_1``)."""
    for name in names:
        try:
            yield codecs.lookup(name).name.replace("-", "_")
        except LookupError:
            continue


def _guess(data: bytes) -> str:
    """An undeclared, non-UTF-8 page's encoding."""
    sample = data[:65536]
    if not _latin_script(sample):
        # bs4's sniffer (over charset-normalizer) knows the legacy code pages; 1-3 ms, so only
        # pages in other scripts ask it. UTF-8 and the page's declarations were ruled out.
        from bs4.dammit import EncodingDetector

        # Its first answers are what the page declares, which Python may not know ("x-unknown-enc"
        # raised LookupError): the first one it knows, else its own guess.
        detected = next(_known(EncodingDetector(sample, is_html=True, exclude_encodings=["utf-8"]).encodings),
                        "cp1252")
        if detected not in _LATIN_DETECTED:
            return detected
    lang = _HTML_LANG.search(data, 0, 8192)
    return _LATIN_CODE_PAGES.get(lang.group(1).decode("ascii").lower() if lang else "", "cp1252")
