"""The parser never raises: mutated sample pages and hostile markup give a record or a clean
"not an article", never an exception, and nothing dangerous or unbounded reaches the record."""
from __future__ import annotations

import json
import random
import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from scraper.extract import parse_article
from scraper.hosts import split_url
from scraper.record import LIMITS
from scraper.sample_site import SampleSite
from tests.conftest import PAGES

BASE = "http://127.0.0.1:8642/"


def _sample_pages() -> list[tuple[str, bytes]]:
    site = SampleSite(articles=320)
    truths = site.ground_truth(BASE)
    chosen = truths[::40]
    pages = [(t["url"], site.render(t["url"][len(BASE) - 1:], BASE)[2]) for t in chosen]
    for html in sorted(PAGES.glob("*.html")):
        spec = json.loads(html.with_name(html.stem + ".expected.json").read_text())
        pages.append((spec["url"], html.read_bytes()))
    return pages


SOURCES = _sample_pages()
_TAG = re.compile(rb"<[^<>]{0,200}>")


def _truncate(data: bytes, rnd: random.Random) -> bytes:
    return data[: rnd.randrange(len(data) + 1)]


def _shuffle_lines(data: bytes, rnd: random.Random) -> bytes:
    lines = data.split(b"\n")
    rnd.shuffle(lines)
    return b"\n".join(lines)


def _delete_tags(data: bytes, rnd: random.Random) -> bytes:
    return _TAG.sub(lambda m: b"" if rnd.random() < 0.3 else m.group(0), data)


def _nest_deeply(data: bytes, rnd: random.Random) -> bytes:
    depth = rnd.choice([500, 5000, 50000])
    at = rnd.randrange(len(data) + 1)
    return data[:at] + b"<div><span>" * depth + b"deep" + data[at:]


def _huge_attribute(data: bytes, rnd: random.Random) -> bytes:
    big = b"x" * rnd.choice([10_000, 1_000_000])
    return data.replace(b"<h1", b'<h1 data-junk="' + big + b'" title="' + big + b'"', 1)


def _invalid_utf8(data: bytes, rnd: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rnd.randrange(1, 50)):
        out[rnd.randrange(len(out))] = rnd.choice([0x80, 0xC0, 0xFE, 0xFF, 0xED])
    return bytes(out)


def _nul_bytes(data: bytes, rnd: random.Random) -> bytes:
    at = rnd.randrange(len(data) + 1)
    return data[:at] + b"\x00" * rnd.randrange(1, 4) + data[at:]


def _swap_encoding(data: bytes, rnd: random.Random) -> bytes:
    declared = rnd.choice([b"utf-16", b"iso-2022-jp", b"x-unknown-enc", b"utf-7", b"windows-1251"])
    return re.sub(rb'charset="?[\w-]+"?', b'charset="' + declared + b'"', data, count=1)


# URLs that urllib refuses (ValueError): what broken scripts and templates write into pages.
REFUSED_URLS = ["http://[object Object]/", "//[::1", "https://[bad/share?u=1", "http://[::1/x",
                "https://exa\uff03mple.com/x", "//]", "http://a]b/"]


def _broken_urls(data: bytes, rnd: random.Random) -> bytes:
    def swap(match):
        if rnd.random() > 0.3:
            return match.group(0)
        return match.group(1) + rnd.choice(REFUSED_URLS).encode("utf-8") + b'"'
    return re.sub(rb'((?:href|src|content|action)=")[^"]*"', swap, data)


MUTATIONS = [_truncate, _shuffle_lines, _delete_tags, _nest_deeply, _huge_attribute,
             _invalid_utf8, _nul_bytes, _swap_encoding, _broken_urls]


def check_record(record) -> None:
    data = record.to_dict()
    json.dumps(data)  # JSON-ready
    if record.is_article:
        assert record.content_hash and record.content_hash.startswith("sha256:")
    else:
        assert record.sections == [] and record.body_text == ""
    # (Whether script text stays out is checked on intact markup, below: once a
    # mutation deletes a <script> tag, its code is visible text to a browser too.)
    for image in record.images:
        assert image.url.startswith(("http://", "https://"))
    for link in record.share_links:
        assert link.url.startswith(("http://", "https://", "mailto:"))
    assert not record.title or len(record.title) <= LIMITS["title"]
    assert len(record.body_text) <= LIMITS["body_text"]
    if record.body_text:
        # word_count is counted from the spaces of the body's collapsed blocks: it must still be the split's count.
        assert record.word_count == len(record.body_text.split())
    assert len(record.sections) <= LIMITS["sections"]
    assert len(record.comments) <= LIMITS["comments"]
    assert len(record.images) <= LIMITS["images"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=st.sampled_from(range(len(SOURCES))),
       mutations=st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=3),
       seed=st.integers(0, 2**32 - 1))
def test_mutated_pages_never_raise(source, mutations, seed):
    url, data = SOURCES[source]
    rnd = random.Random(seed)
    for mutate in mutations:
        data = mutate(data, rnd)
    check_record(parse_article(data, url=url))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_never_raise(data):
    check_record(parse_article(data, url="http://127.0.0.1:8642/x/"))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=2000))
def test_arbitrary_text_never_raises(text):
    check_record(parse_article(text))


HOSTILE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Hostile</title>
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Hostile <script>alert(1)<\\/script> headline",
 "image": ["javascript:alert(1)", "data:image/png;base64,AAAA", "https://cdn.example/ok.jpg"],
 "author": {"name": "<img src=x onerror=alert(1)>"}}</script>
<style>body{background:url(javascript:alert(1))}</style></head>
<body class="post-template-default single single-post"><article class="post"><h1 class="entry-title">Hostile page</h1>
<div class="entry-content"><p>First paragraph of the story with enough words to count as an article body here.</p>
<script>document.write('INJECTED SCRIPT TEXT')</script><style>.x{color:red}/* INJECTED STYLE */</style>
<noscript>INJECTED NOSCRIPT</noscript><template>INJECTED TEMPLATE</template>
<p><img src="javascript:alert(1)" alt="bad"><img src="data:image/gif;base64,R0lGOD" alt="data">
<img src="https://cdn.example/real.jpg" alt="real"> Second paragraph.</p>
<p><a href="javascript:alert(1)">click</a> and <a href="data:text/html,hi">data</a></p>
<div class="sharedaddy"><a href="javascript:share()">Share</a>
<a href="https://www.facebook.com/sharer/sharer.php?u=https://x.example/a">Facebook</a></div>
</div></article></body></html>"""


def test_hostile_page_keeps_scripts_and_bad_urls_out():
    record = parse_article(HOSTILE, url="https://x.example/a/")
    blob = json.dumps(record.to_dict())
    for marker in ("INJECTED", "alert(1)", "javascript:", "data:image", "data:text", "onerror"):
        assert marker not in blob, marker
    assert [i.url for i in record.images if "real.jpg" in i.url or "ok.jpg" in i.url]
    assert "Second paragraph." in record.body_text


BROKEN_URLS = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Ferry service resumes</title>
<base href="{bad}"><link rel="canonical" href="{bad}"><meta property="og:url" content="{bad}">
<meta property="og:image" content="{bad}"><meta property="og:image" content="https://cdn.example/ferry.jpg">
<script type="application/ld+json">{{"@type": "NewsArticle", "url": "{bad}", "mainEntityOfPage": "{bad}",
 "image": "{bad}", "author": {{"@type": "Person", "name": "Ann Lee", "url": "{bad}"}}}}</script></head>
<body class="single single-post"><article class="post"><h1 class="entry-title">Ferry service resumes</h1>
<div class="entry-content"><p>The ferry runs again after a winter of repairs to the harbour ramp and the pier.</p>
<p><img src="{bad}" alt="broken"><img src="/img/pier.jpg" alt="pier"> <a href="{bad}">a link</a> More text.</p>
<div class="sharedaddy"><a href="https://www.facebook.com/sharer/sharer.php?u={bad}">Facebook</a>
<a href="{bad}">Share</a><a href="https://twitter.com/intent/tweet?url=https://x.example/a">X</a></div>
</div></article><div id="respond"><h3 id="reply-title">Leave a Reply</h3>
<form id="commentform" action="{bad}" method="post"><label for="author">Name</label>
<input id="author" name="author"></form></div></body></html>"""


@pytest.mark.parametrize("bad", REFUSED_URLS)
def test_urls_urllib_refuses_cost_the_url_not_the_record(bad):
    """One URL that urlsplit raises on (a bracketed host, a host that normalizes to a
    delimiter) anywhere in the page: the rest of the record is read as usual."""
    html = BROKEN_URLS.format(bad=bad)
    for page_url in ("https://x.example/2025/ferry/", "http://[::1"):
        record = parse_article(html, url=page_url)
        check_record(record)
        assert record.is_article and record.title == "Ferry service resumes"
        assert record.authors == ["Ann Lee"]
        assert "ferry runs again" in record.body_text
        assert "https://cdn.example/ferry.jpg" in [i.url for i in record.images]
        assert "https://twitter.com/intent/tweet?url=https://x.example/a" in [s.url for s in record.share_links]
        assert record.comment_form is not None and record.comment_form.action is None
        assert record.canonical_url is None
        urls = [i.url for i in record.images] + [s.url for s in record.share_links]
        assert all(split_url(url) is not None for url in urls), urls
    # with a good page URL, relative URLs still resolve, against it (the <base> is ignored)
    record = parse_article(html, url="https://x.example/2025/ferry/")
    assert "https://x.example/img/pier.jpg" in [i.url for i in record.images]


def test_absurdly_long_fields_are_bounded():
    para = "word " * 50
    html = ("<html><head><title>" + "T" * 100_000 + "</title></head>"
            + "<body class='single single-post'><article><h1>" + "H" * 100_000
            + "</h1><div class='entry-content'>"
            + "".join(f"<h2>Section {i}</h2><p>{para}</p>" for i in range(3000))
            + "<ol class='comment-list'>"
            + "".join(f"<li class='comment' id='comment-{i}'><article class='comment-body'>"
                      f"<div class='comment-content'><p>c{i}</p></div></article></li>" for i in range(5000))
            + "</ol></div></article></body></html>")
    record = parse_article(html, url="https://x.example/long/")
    check_record(record)
    assert len(record.title) == LIMITS["title"]
    assert len(record.sections) == LIMITS["sections"]
    assert "truncated" in " ".join(record.problems)


def test_body_text_holds_what_the_bounded_sections_hold():
    # The paragraphs were cut (50,000 characters each, 500 sections) but body_text kept every word:
    # search found words in 600,000 characters that show and the exports never printed.
    huge = "word " * 20_000
    html = ("<html><body class='single single-post'><article><h1>Long</h1><div class='entry-content'>"
            f"<p>{huge}</p><p>Second paragraph.</p>"
            + "".join(f"<h2>Section {i}</h2><p>Paragraph of section {i}.</p>" for i in range(600))
            + "</div></article></body></html>")
    record = parse_article(html, url="https://x.example/huge/")
    check_record(record)
    pieces = [*record.intro, *(p for s in record.sections for p in s.paragraphs), *record.takeaways]
    assert record.body_text.split("\n\n") == pieces
    assert len(record.sections) == LIMITS["sections"] and len(record.intro[0]) == LIMITS["paragraph"]
    assert "Paragraph of section 499." in record.body_text and "section 500." not in record.body_text
    assert record.word_count == len(record.body_text.split())
    assert len(record.body_text) < 2 * LIMITS["paragraph"] + 600 * 40


@pytest.mark.parametrize("depth", [10_000, 200_000])
def test_deep_nesting_does_not_recurse_to_death(depth):
    html = "<html><body><article><h1>Deep</h1><div class='entry-content'>" + "<div>" * depth + \
        "<p>Buried paragraph text.</p>" + "</div>" * depth + "</div></article></body></html>"
    check_record(parse_article(html, url="https://x.example/deep/"))


def test_a_broken_surrogate_escape_in_json_ld_is_one_replacement_character():
    # json.loads keeps the half of an emoji that "\ud83d" alone leaves; hashing (and storing)
    # the record then raised UnicodeEncodeError and the page was lost.
    html = ('<html><head><title>Broken</title><script type="application/ld+json">'
            '{"@type": "NewsArticle", "headline": "Broken \\ud83d emoji \\ud83d\\ude00",'
            ' "author": {"name": "A \\udc00 B"}}</script></head><body><article><h1>Broken</h1>'
            '<div class="entry-content"><p>Text of the article body here with words.</p></div>'
            '</article></body></html>')
    record = parse_article(html, url="https://x.example/a")
    assert record.title == "Broken \ufffd emoji \U0001F600"
    assert record.authors == ["A \ufffd B"]
    check_record(record)


@pytest.mark.parametrize("value", ['"Line one\nline two"', "NaN", "123456789012345678901234567890"])
def test_json_ld_that_only_a_lenient_reader_takes_is_still_read(value):
    # Raw newlines inside strings (common in hand-written JSON-LD), NaN and integers beyond
    # 64 bits are refused by orjson, the fast reader; json.loads(strict=False) takes them.
    html = ('<html><head><title>T</title><script type="application/ld+json">'
            '{"@type": "NewsArticle", "headline": "Harbour plan approved", "x": ' + value + '}'
            '</script></head><body><p>Body text.</p></body></html>')
    record = parse_article(html, url="https://x.example/a")
    assert record.title == "Harbour plan approved"
