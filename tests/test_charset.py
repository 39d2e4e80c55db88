"""Pages in the encodings, and with the encoding mistakes, that real news sites serve.

Each page is an article whose text a reader recognises in a browser; the record must
carry that text, not mojibake, whether the charset is declared in the HTTP header, in a
late <meta>, wrongly, or not at all.
"""
from __future__ import annotations

import gzip

import pytest

from scraper.extract import NotHTMLError, load_document, parse_article
from scraper.extract import charset

URL = "https://news.example/2025/10/10/story/"


def page(title: str, paragraphs: list[str], *, meta: str = "", lang: str = "en", css: int = 0) -> str:
    """An article page; ``meta`` is the head's charset declaration, ``css`` bytes of inline
    style come before it (themes that print their CSS first)."""
    style = f"<style>{'.x{color:red}' * (css // 12)}</style>" if css else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<!DOCTYPE html><html lang="{lang}"><head>{style}{meta}<title>{title}</title>'
            f'<meta property="og:type" content="article"></head><body><article>'
            f'<h1 class="entry-title">{title}</h1><div class="entry-content">{body}</div>'
            f'</article></body></html>')


RUSSIAN = ("Москва готовится к зиме",
           ["Коммунальные службы Москвы завершили подготовку к зимнему сезону.",
            "На улицы города выйдут более десяти тысяч единиц снегоуборочной техники."])
CHINESE = ("朱镕基出席经济论坛并发表讲话",
           ["论坛于周一在北京开幕，来自各国的代表参加了会议。", "与会者讨论了经济增长和贸易合作等议题。"])
HEBREW = ("ממשלת ישראל אישרה את התקציב",
          ["הממשלה אישרה הלילה את הצעת התקציב לשנה הבאה.", "שר האוצר אמר כי התקציב יביא לצמיחה כלכלית."])
JAPANESE = ("大阪で国際見本市が開幕",
            ["大阪市で二十日、国際見本市が開幕した。", "世界四十か国から約千社が出展している。"])
ENGLISH = ("Café owners’ “summer of discontent”",
           ["Café owners say the summer’s heatwave has cut takings by a fifth.",
            "“We’ve never seen anything like it,” said Zoë, who runs one in Brighton."])
POLISH = ("Łódź: nowa linia tramwajowa już działa",
          ["Pierwsze tramwaje wyjechały na trasę w środę rano.", "Mieszkańcy chwalą krótszy czas dojazdu."])
TURKISH = ("İstanbul'da trafik yoğunluğu arttı",
           ["Şehirde sabah saatlerinde trafik yoğunluğu yüzde kırkı aştı.", "Sürücüler alternatif güzergâhlar arıyor."])


def assert_reads(record, text) -> None:
    title, paragraphs = text
    assert record.title == title
    assert record.body_text == "\n\n".join(paragraphs)


@pytest.mark.parametrize("text, encoding, lang", [
    (RUSSIAN, "windows-1251", "ru"), (CHINESE, "gbk", "zh"), (HEBREW, "iso-8859-8", "he"),
    (ENGLISH, "windows-1252", "en"), (POLISH, "windows-1250", "pl"), (TURKISH, "iso-8859-9", "tr"),
    (JAPANESE, "shift_jis", "ja"),
])
def test_an_undeclared_legacy_page_is_read_in_its_encoding(text, encoding, lang):
    # Before, every page windows-1252 could decode was read as windows-1252.
    data = page(*text, lang=lang).encode(encoding)
    assert_reads(parse_article(data, url=URL), text)


def test_a_meta_charset_behind_inline_css_is_read():
    data = page(*RUSSIAN, meta='<meta charset="windows-1251">', lang="ru", css=7000).encode("cp1251")
    assert data.index(b"charset") > 6000
    assert_reads(parse_article(data, url=URL), RUSSIAN)


def test_a_whatwg_label_python_does_not_know():
    data = page(*HEBREW, meta='<meta charset="iso-8859-8-i">', lang="he").encode("iso-8859-8")
    assert_reads(parse_article(data, url=URL), HEBREW)


def test_undeclared_utf8_cut_off_inside_a_character_stays_utf8():
    # A download cut short inside the last character made the whole page windows-1252.
    data = page(*JAPANESE, lang="ja").encode("utf-8")
    data = data[:data.index("している。".encode()) + 1]
    record = parse_article(data, url=URL)
    assert record.title == JAPANESE[0]
    assert record.body_text.startswith(JAPANESE[1][0] + "\n\n世界四十か国から約千社が出展")


def test_a_stray_byte_in_a_utf8_page_under_a_latin1_header_stays_one_character():
    data = page(*ENGLISH).encode("utf-8").replace("heatwave".encode(), b"heat\x92wave")
    record = parse_article(data, url=URL, content_type="text/html; charset=ISO-8859-1")
    assert record.title == ENGLISH[0]
    assert "summer’s heat\ufffdwave" in record.body_text


def test_a_utf8_header_on_a_windows_1252_page_is_not_believed():
    # The server's default charset on a legacy page: a browser shows U+FFFD for every
    # accent and quote; the archive keeps what the author wrote.
    data = page(*ENGLISH, meta='<meta charset="utf-8">').encode("cp1252")
    for content_type in ("text/html; charset=utf-8", None):
        assert_reads(parse_article(data, url=URL, content_type=content_type), ENGLISH)


def test_a_header_charset_is_read_and_beats_a_wrong_meta():
    data = page(*RUSSIAN, meta='<meta charset="utf-8">', lang="ru").encode("koi8-r")
    assert_reads(parse_article(data, url=URL, content_type="text/html; charset=koi8-r"), RUSSIAN)


def test_a_meta_naming_utf16_on_a_page_of_single_bytes_means_utf8():
    data = page(*JAPANESE, meta='<meta charset="utf-16">', lang="ja").encode("utf-8")
    assert_reads(parse_article(data, url=URL), JAPANESE)


@pytest.mark.parametrize("content_type", ["text/html; charset=utf-16le", None])
def test_utf16_without_a_byte_order_mark(content_type):
    data = page(*ENGLISH).encode("utf-16-le")
    assert_reads(parse_article(data, url=URL, content_type=content_type), ENGLISH)


def test_nul_bytes_in_a_page_are_dropped_as_browsers_drop_them():
    for at in (200, 9000):  # before and after the first 8 KB
        html = page(ENGLISH[0], [ENGLISH[1][0], "The nine-hour shift " + "is long. " * 1000])
        cut = html.index("nine-hour") + len("nine")
        data = html.encode("utf-8")
        data = data[:cut] + b"\x00" + data[cut:]
        data = (b" " * at) + data if at > 8000 else data
        record = parse_article(data, url=URL)
        assert "The nine-hour shift" in record.body_text and "\ufffd" not in record.body_text


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    gzip.compress(page(*ENGLISH).encode() * 20),
    bytes(range(256)) * 40,
])
def test_binary_content_is_still_refused(data):
    with pytest.raises(NotHTMLError, match="binary content"):
        load_document(data, URL)


@pytest.mark.parametrize("text, encoding", [(RUSSIAN, "cp1251"), (CHINESE, "gbk"), (JAPANESE, "shift_jis"),
                                            (HEBREW, "iso-8859-8"), (ENGLISH, "cp1252")])
def test_legacy_text_is_not_taken_for_utf8_with_stray_bytes(text, encoding):
    data = page(*text).encode(encoding)
    assert not charset.is_mostly_utf8(data)
    assert charset.is_mostly_utf8(page(*text).encode("utf-8"))


def test_parse_takes_the_content_type_a_crawl_would_have_had(tmp_path):
    # A KOI8-R page whose template still says windows-1251: only the header tells.
    import json

    from tests.conftest import run_cli

    saved = tmp_path / "page.html"
    saved.write_bytes(page(*RUSSIAN, meta='<meta charset="windows-1251">', lang="ru").encode("koi8-r"))
    wrong = run_cli("parse", str(saved), "--url", URL)
    right = run_cli("parse", str(saved), "--url", URL, "--content-type", "text/html; charset=KOI8-R")
    assert wrong.returncode == right.returncode == 0
    assert json.loads(wrong.stdout)["title"] != RUSSIAN[0]
    assert json.loads(right.stdout)["title"] == RUSSIAN[0]


@pytest.mark.parametrize("label", ["rot13", "base64", "hex", "zlib", "idna", "punycode", "undefined"])
def test_a_charset_no_page_is_written_in_counts_as_none(label):
    # Python has codecs by these names; decoding a page with them raised (and stopped an
    # import-warc of a whole file at that record).
    data = page(*ENGLISH, meta=f'<meta charset="{label}">').encode("cp1252")
    for content_type in (f"text/html; charset={label}", None):
        assert_reads(parse_article(data, url=URL, content_type=content_type), ENGLISH)


def test_a_false_utf8_header_is_caught_behind_a_hundred_markup_errors():
    # lxml keeps a parse's first 100 errors: 120 stray end tags before the first accent hid the
    # invalid-encoding error, and the page kept U+FFFD for every accent.
    html = page(*ENGLISH).replace("<article>", "<article>" + "</div>" * 120)
    record = parse_article(html.encode("cp1252"), url=URL, content_type="text/html; charset=utf-8")
    assert_reads(record, ENGLISH)


@pytest.mark.parametrize("label", ["x-unknown-enc", "klingon"])
def test_an_unknown_charset_on_a_page_in_another_script_is_guessed(label):
    # The encoding sniffer offers the page's own declaration first: one Python has no codec for
    # raised LookupError out of parse_article (found by the mutation fuzz test).
    data = page(*RUSSIAN, meta=f'<meta charset="{label}">', lang="ru").encode("cp1251")
    assert_reads(parse_article(data, url=URL), RUSSIAN)
