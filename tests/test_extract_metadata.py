"""Metadata extraction: the fixture pages end to end, then each fallback-chain link on inline HTML."""
from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from scraper.extract import load_document, metadata, parse_article
from scraper.extract.dates import to_utc_iso
from scraper.record import ArticleRecord, Image

PAGES = Path(__file__).resolve().parent / "pages"
EXPECTED = sorted(PAGES.glob("*.expected.json"))

# The record fields metadata.fill owns.
METADATA_KEYS = (
    "url", "canonical_url", "post_id", "accessible_for_free", "site", "site_name", "language", "title", "authors",
    "published_at", "modified_at", "reading_time_minutes", "tags", "categories", "images",
)

FETCHED = datetime(2025, 9, 12, 12, 0, tzinfo=timezone.utc)


def _fetched_at(spec: dict):
    value = spec.get("fetched_at")
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


@pytest.mark.parametrize("expected_path", EXPECTED, ids=lambda p: p.name.split(".")[0])
def test_fixture_metadata(expected_path):
    spec = json.loads(expected_path.read_text(encoding="utf-8"))
    html = expected_path.with_name(expected_path.name.replace(".expected.json", ".html"))
    record = parse_article(html.read_bytes(), url=spec["url"], fetched_at=_fetched_at(spec))
    got = record.to_dict()
    expect = spec["expect"]
    keys = [k for k in METADATA_KEYS if k in expect]
    mismatches = {k: {"got": got[k], "want": expect[k]} for k in keys if got[k] != expect[k]}
    assert mismatches == {}
    assert record.url == spec["url"]


def test_fixtures_cover_metadata_fields():
    if not EXPECTED:
        pytest.skip("no fixture pages yet")
    covered = set()
    for path in EXPECTED:
        covered |= set(json.loads(path.read_text(encoding="utf-8"))["expect"])
    assert {"title", "authors", "published_at", "canonical_url"} <= covered


# --- helpers -----------------------------------------------------------------

def meta(html: str, url: str = "https://www.example.com/2025/09/09/post/", fetched_at=FETCHED) -> ArticleRecord:
    """metadata.fill alone (independent of the body extractor)."""
    doc = load_document(html, url, fetched_at=fetched_at)
    record = ArticleRecord(url=url)
    metadata.fill(doc, record)
    return record


def page(head: str = "", body: str = "", lang: str = "en-US", body_class: str = "single single-post") -> str:
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{head}</head>'
            f'<body class="{body_class}">{body}</body></html>')


def ld(obj) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


# --- dates: to_utc_iso -------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("2025-09-09T10:42:17+01:00", "2025-09-09T09:42:17Z"),
    ("2025-09-09T10:42:17Z", "2025-09-09T10:42:17Z"),
    ("2025-09-09T10:42:17.123+0200", "2025-09-09T08:42:17Z"),
    ("2025-09-09 10:42:17", "2025-09-09T10:42:17Z"),          # naive -> UTC
    ("2025-09-09", "2025-09-09T00:00:00Z"),                   # date only -> midnight UTC
    ("September 9, 2025", "2025-09-09T00:00:00Z"),
    ("Sep 9th, 2025 at 3:05 pm", "2025-09-09T15:05:00Z"),
    ("9 September 2025", "2025-09-09T00:00:00Z"),
    ("Posted on September 9, 2025", "2025-09-09T00:00:00Z"),
    # US zones by their generic names: daylight saving time as the date falls
    ("Updated: Sept. 9, 2025, 10:32 a.m. ET", "2025-09-09T14:32:00Z"),
    ("Jan 9, 2025 at 10:32 am ET", "2025-01-09T15:32:00Z"),
    ("Sep 9, 2025 at 10:32 am PT", "2025-09-09T17:32:00Z"),
    ("March 9, 2025 3:00 PM CT", "2025-03-09T20:00:00Z"),     # the day DST began
    ("Published 10:32 AM EDT, Tue September 9, 2025", "2025-09-09T14:32:00Z"),
    ("September 9, 2025 ET", "2025-09-09T00:00:00Z"),         # a bare date stays a date
    # a date with more of the meta line after it
    ("September 9, 2025 · 3 min read", "2025-09-09T00:00:00Z"),
    ("Sep 9, 2025 | Local News", "2025-09-09T00:00:00Z"),
    ("Harbor Desk — 9 September 2025", "2025-09-09T00:00:00Z"),
    ("not a date", None),
    ("", None),
    (None, None),
])
def test_to_utc_iso(text, expected):
    assert to_utc_iso(text) == expected


@pytest.mark.parametrize("text, expected", [
    # the labels European sites put before their dates
    ("Publié le 9 septembre 2025 à 14h32", "2025-09-09T14:32:00Z"),
    ("Veröffentlicht am 09.09.2025, 14.32 Uhr", "2025-09-09T14:32:00Z"),
    ("Aktualisiert am 09.09.2025, 16:05 Uhr", "2025-09-09T16:05:00Z"),
    ("Stand: 09.09.2025 14:32 Uhr", "2025-09-09T14:32:00Z"),
    ("Publicado: 09/09/2025 - 10:15 CEST", "2025-09-09T08:15:00Z"),
    ("Actualizado: 09/09/2025 - 14:32 CEST", "2025-09-09T12:32:00Z"),
    ("Publicado el 9 de septiembre de 2025", "2025-09-09T00:00:00Z"),
    ("Publicado em 9 de setembro de 2025, às 14:32", "2025-09-09T14:32:00Z"),
    ("Pubblicato il 9 settembre 2025", "2025-09-09T00:00:00Z"),
    ("Gepubliceerd op 9 september 2025", "2025-09-09T00:00:00Z"),
    # the first date, when a second label or a bracket follows it
    ("Publié le 9 septembre 2025 à 14h32, modifié à 16h05", "2025-09-09T14:32:00Z"),
    ("9 settembre 2025 (modifica il 10 settembre 2025 | 08:15)", "2025-09-09T00:00:00Z"),
    ("Posted September 9, 2025, updated September 10, 2025", "2025-09-09T00:00:00Z"),
    # a clock time alone is no date (dateparser would make it today's)
    ("08:15", None),
    ("14.32 Uhr", None),
])
def test_to_utc_iso_labels_in_other_languages(text, expected):
    assert to_utc_iso(text) == expected


@pytest.mark.parametrize("text, languages, expected", [
    ("Published: 09 Sep 2025 12:10 PM IST", None, "2025-09-09T06:40:00Z"),      # India, not Israel
    ("Updated: Tue, 09 Sep 2025 02:32 PM (IST)", None, "2025-09-09T09:02:00Z"),
    ("September 9, 2025 IST", None, "2025-09-09T00:00:00Z"),                  # a bare date stays a date
    ("Sep 9, 2025 at 10:32 am (ET)", None, "2025-09-09T14:32:00Z"),           # bracketed like IST
    ("प्रकाशित: 9 सितंबर 2025, 14:32 IST", ["hi"], "2025-09-09T09:02:00Z"),
    ("نشر في: الثلاثاء 9 سبتمبر 2025 - 02:20 م", ["ar"], "2025-09-09T14:20:00Z"),
    ("发布时间：2025年09月09日14:32", ["zh"], "2025-09-09T14:32:00Z"),
])
def test_dates_of_indian_arabic_and_chinese_pages(text, languages, expected):
    assert to_utc_iso(text, languages=languages) == expected


def test_hatom_abbr_published_title_is_the_date():
    """Blogger's classic themes: <abbr class="published" title="ISO">7:15 AM</abbr>."""
    html = page("", '<div class="post hentry"><h3 class="post-title">T</h3><div class="post-footer">'
                    '<abbr class="published" title="2025-09-09T07:15:00-07:00">7:15 AM</abbr></div></div>')
    assert meta(html).published_at == "2025-09-09T14:15:00Z"


def test_a_charset_in_content_language_is_no_language():
    html = ('<html><head><meta http-equiv="Content-Language" content="utf-8"><title>T</title></head>'
            '<body><p>x</p></body></html>')
    assert meta(html).language is None


def test_times_without_a_zone_are_read_in_the_sites_zone():
    """WordPress prints visible and comment times in the site's zone without naming it; the
    theme's <time datetime> (Yoast's JSON-LD is in UTC whatever the zone) gives the offset."""
    head = ld({"@type": "NewsArticle", "headline": "H", "datePublished": "2025-09-04T05:30:00+00:00"})
    body = '<article><h1>H</h1><time class="entry-date" datetime="2025-09-04T07:30:00+02:00">4 Sep</time></article>'
    doc = load_document(page(head, body), "https://example.de/a/", fetched_at=FETCHED)
    assert to_utc_iso("September 4, 2025 9:12 am", doc) == "2025-09-04T07:12:00Z"
    assert to_utc_iso("09.09.2025, 14.32 Uhr", doc) == "2025-09-09T12:32:00Z"
    assert to_utc_iso("September 4, 2025", doc) == "2025-09-04T00:00:00Z"         # a bare date stays a date
    assert to_utc_iso("Publicado: 09/09/2025 - 10:15 CEST", doc) == "2025-09-09T08:15:00Z"  # its own zone
    assert to_utc_iso("2025-09-04T09:12:00Z", doc) == "2025-09-04T09:12:00Z"
    assert to_utc_iso("2 hours ago", doc) == "2025-09-12T10:00:00Z"
    # a page that gives no offset but UTC: as before
    utc = load_document(page(head, "<article><h1>H</h1></article>"), "https://example.de/a/")
    assert to_utc_iso("September 4, 2025 9:12 am", utc) == "2025-09-04T09:12:00Z"


def test_comment_times_in_the_sites_zone():
    html = page('<meta property="article:published_time" content="2025-09-04T07:30:00+05:30">',
                '<article><h1>H</h1><p>Text.</p></article><div id="comments"><ol class="comment-list">'
                '<li id="comment-5" class="comment"><div class="comment-author"><b class="fn">Ravi</b></div>'
                '<div class="comment-metadata"><a href="#comment-5">September 8, 2025 at 6:41 pm</a></div>'
                '<div class="comment-content"><p>Good piece.</p></div></li></ol></div>')
    record = parse_article(html, url="https://example.in/a/")
    assert record.comments[0].published_at == "2025-09-08T13:11:00Z"


def test_to_utc_iso_relative_uses_fetched_at():
    doc = load_document(page(), "https://example.com/", fetched_at=FETCHED)
    assert to_utc_iso("3 days ago", doc) == "2025-09-09T00:00:00Z"  # a day, as a bare date
    assert to_utc_iso("2 hours ago", doc) == "2025-09-12T10:00:00Z"


def test_relative_dates_do_not_move_with_the_fetch_time():
    """Counted to the second from the fetch, "3 days ago" moved on every crawl and made an
    unchanged article a new version: it is read to the precision it gives."""
    def at(moment, text):
        return to_utc_iso(text, load_document(page(), "https://example.com/", fetched_at=moment))
    first, later = datetime(2025, 9, 12, 12, 0, 4, tzinfo=timezone.utc), datetime(2025, 9, 12, 18, 30, tzinfo=timezone.utc)
    assert at(first, "3 days ago") == at(later, "3 days ago") == "2025-09-09T00:00:00Z"
    assert at(first, "il y a 3 jours") == "2025-09-09T00:00:00Z"
    assert at(first, "vor 2 Stunden") == at(first.replace(minute=40), "vor 2 Stunden") == "2025-09-12T10:00:00Z"
    assert at(first, "5 minutes ago") == "2025-09-12T11:55:00Z"
    assert at(first, "an hour ago") == "2025-09-12T11:00:00Z"
    assert at(first, "yesterday at 10:32") == "2025-09-11T10:32:00Z"


def test_to_utc_iso_french():
    doc = load_document(page(lang="fr-FR"), "https://example.fr/", fetched_at=FETCHED)
    assert to_utc_iso("9 septembre 2025", doc) == "2025-09-09T00:00:00Z"
    assert to_utc_iso("9 septembre 2025", languages=["fr"]) == "2025-09-09T00:00:00Z"


# --- URLs, site, language ----------------------------------------------------

def test_canonical_link_is_made_absolute_and_site_drops_www():
    record = meta(page('<link rel="canonical" href="/2025/09/09/post/">'
                       '<meta property="og:url" content="https://other.example.org/x/">'),
                  url="https://www.example.com/2025/09/09/post/?utm_source=x")
    assert record.canonical_url == "https://www.example.com/2025/09/09/post/"
    assert record.site == "example.com"
    assert record.url == "https://www.example.com/2025/09/09/post/?utm_source=x"
    assert meta(page(), url="https://WWW.Example.COM:8080/x").site == "example.com"


def test_canonical_falls_back_to_og_url_then_jsonld():
    record = meta(page('<meta property="og:url" content="https://news.example.org/a/">'))
    assert record.canonical_url == "https://news.example.org/a/"
    assert record.site == "news.example.org"
    record = meta(page(ld({"@type": "NewsArticle", "headline": "H",
                           "mainEntityOfPage": {"@id": "https://example.net/story/"}})))
    assert record.canonical_url == "https://example.net/story/"
    record = meta(page())
    assert record.canonical_url is None
    assert record.site == "example.com"  # from the fetched url


def test_javascript_canonical_is_rejected():
    record = meta(page('<link rel="canonical" href="javascript:alert(1)">'
                       '<meta property="og:url" content="https://example.com/real/">'))
    assert record.canonical_url == "https://example.com/real/"


@pytest.mark.parametrize("head, lang, expected", [
    ("", "en-US", "en"),
    ('<meta property="og:locale" content="fr_FR">', "", "fr"),
    (ld({"@type": "NewsArticle", "headline": "H", "inLanguage": "de-DE"}), "", "de"),
    ('<meta http-equiv="Content-Language" content="es-ES">', "", "es"),
    ("", "", None),
])
def test_language_chain(head, lang, expected):
    html = page(head, lang=lang).replace(' lang=""', "")
    assert meta(html).language == expected


def test_site_name_from_the_wordpress_feed_link():
    """WordPress without an SEO plugin: no og:site_name, but every page names its feed."""
    head = ('<link rel="alternate" type="application/rss+xml" title="Harborville Herald &raquo; Feed" href="/feed/">'
            '<link rel="alternate" type="application/rss+xml" title="Harborville Herald &raquo; Comments Feed" href="/c/">')
    assert meta(page(head)).site_name == "Harborville Herald"
    assert meta(page('<meta property="og:site_name" content="HH">' + head)).site_name == "HH"


def test_site_name_from_publisher_reference():
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "NewsArticle", "headline": "H", "publisher": {"@id": "#org"}},
        {"@type": "Organization", "@id": "#org", "name": "The Daily Ledger"},
    ]}
    assert meta(page(ld(graph))).site_name == "The Daily Ledger"
    assert meta(page('<meta property="og:site_name" content="OG Name">' + ld(graph))).site_name == "OG Name"


# --- title -------------------------------------------------------------------

def test_title_prefers_jsonld_headline_and_unescapes_entities():
    html = page(ld({"@type": "NewsArticle", "headline": "Rock &amp; Roll&#8217;s Return"})
                + '<meta property="og:title" content="Other - Site">',
                "<article><h1>Visible</h1></article>")
    assert meta(html).title == "Rock & Roll’s Return"


def test_title_from_a_jsonld_headline_with_the_site_name():
    """Rank Math fills headline with the SEO title: " - Site Name" comes off when the page names the site."""
    head = '<meta property="og:site_name" content="The Deccan Ledger">'
    html = page(head + ld({"@type": "NewsArticle", "headline": "RBI Holds Repo Rate - The Deccan Ledger"}))
    assert meta(html).title == "RBI Holds Repo Rate"
    # without evidence of the site's name a headline keeps its parts
    assert meta(page(ld({"@type": "NewsArticle", "headline": "Opinion | Why the rate held"}))).title \
        == "Opinion | Why the rate held"


@pytest.mark.parametrize("og_title", [
    "NATO Talks Resume - The Daily Ledger",
    "NATO Talks Resume | The Daily Ledger",
    "NATO Talks Resume – The Daily Ledger",
    "The Daily Ledger | NATO Talks Resume",
])
def test_og_title_site_suffix_is_stripped(og_title):
    html = page(f'<meta property="og:site_name" content="The Daily Ledger">'
                f'<meta property="og:title" content="{og_title}">')
    assert meta(html).title == "NATO Talks Resume"


def test_og_title_suffix_recognised_from_the_host_or_the_visible_headline():
    html = page('<meta property="og:title" content="Budget Passes - Valley Courier">')
    assert meta(html, url="https://valleycourier.org/x/").title == "Budget Passes"
    html = page('<meta property="og:title" content="Budget Passes - Late Vote - Courier Online">',
                "<article><h1>Budget Passes - Late Vote</h1></article>")
    assert meta(html).title == "Budget Passes - Late Vote"
    # a dash inside a headline is kept when nothing says it is a suffix
    html = page('<meta property="og:title" content="Rutte - what comes next">')
    assert meta(html).title == "Rutte - what comes next"


def test_og_title_double_encoded_entity():
    html = page('<meta property="og:title" content="NATO&amp;#8217;s Role">')
    assert meta(html).title == "NATO’s Role"


def test_title_h1_inside_article_beats_site_logo_h1_then_title_tag():
    html = page("<title>Fallback | Site</title>",
                '<header id="masthead"><h1 class="site-title">Site</h1></header>'
                '<article><h1 class="entry-title">Real &amp; Headline</h1></article>')
    assert meta(html).title == "Real & Headline"
    html = page('<meta property="og:site_name" content="My Site"><title>Only Title &#8211; Here - My Site</title>')
    assert meta(html).title == "Only Title – Here"


# --- authors -----------------------------------------------------------------

def test_authors_jsonld_graph_id_reference():
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "NewsArticle", "headline": "H",
         "author": [{"@id": "https://ex.com/#/person/1"}, {"@id": "https://ex.com/#/person/2"}]},
        {"@type": "Person", "@id": "https://ex.com/#/person/1", "name": "S Haynes"},
        {"@type": "Person", "@id": "https://ex.com/#/person/2", "name": "Jane Roe"},
    ]}
    html = page(ld(graph), '<span class="byline">By Someone Else</span>')
    assert meta(html).authors == ["S Haynes", "Jane Roe"]


def test_byline_links_add_the_coauthors_a_one_author_jsonld_left_out():
    article = ld({"@type": "Article", "headline": "H", "author": {"@type": "Person", "name": "Priya Raman"}})
    byline = ('<article><h1>H</h1><h4 class="author-name"><a href="/author/priya/">Priya Raman</a>, '
              '<a href="/author/tomas/">Tomás Ferreira</a></h4></article>')
    assert meta(page(article, byline)).authors == ["Priya Raman", "Tomás Ferreira"]
    # Links that do not name the JSON-LD's author are another story's: the JSON-LD stands.
    other = ('<article><h1>H</h1><span class="byline"><a href="/author/ann/">Ann Lee</a> and '
             '<a href="/author/bo/">Bo Chan</a></span></article>')
    assert meta(page(article, other)).authors == ["Priya Raman"]
    # Unlinked byline text is not trusted to add names ("Priya Raman, Staff Writer").
    plain = '<article><h1>H</h1><span class="byline">By Priya Raman, Staff Writer</span></article>'
    assert meta(page(article, plain)).authors == ["Priya Raman"]


def test_authors_jsonld_string_list_and_dedupe():
    html = page(ld({"@type": "Article", "headline": "H",
                    "author": ["A. Writer", {"@type": "Person", "name": "a. writer"}, "https://ex.com/me"]}))
    assert meta(html).authors == ["A. Writer"]


def test_authors_meta_then_rel_author_rejects_urls():
    html = page('<meta property="article:author" content="https://facebook.com/someone">'
                '<meta name="author" content="Omar Haddad">')
    assert meta(html).authors == ["Omar Haddad"]
    html = page("", '<article><h1>T</h1><a rel="author" href="/author/x/">Lena Watts</a></article>')
    assert meta(html).authors == ["Lena Watts"]


def test_visible_byline_split_and_by_prefix():
    html = page("", '<article><h1>T</h1><div class="byline">By Ann Lee and Bo Chan</div></article>')
    assert meta(html).authors == ["Ann Lee", "Bo Chan"]
    html = page("", '<article><h1>T</h1><span class="meta-author">By Ann Lee, Bo Chan</span></article>')
    assert meta(html).authors == ["Ann Lee", "Bo Chan"]
    html = page("", '<article><h1>T</h1><div class="jeg_meta_author"><span class="meta_text">by</span> '
                    '<a href="/author/oh/">Omar Haddad</a></div></article>')
    assert meta(html).authors == ["Omar Haddad"]


@pytest.mark.parametrize("byline, names", [
    ("Ann Lee | Staff Writer", ["Ann Lee"]),
    ("By Ann Lee • 5 min read", ["Ann Lee"]),
    ("Written by Ann Lee on September 9, 2025", ["Ann Lee"]),
    ("By Ann Lee on Tuesday, Sep 9", ["Ann Lee"]),
    ("Ann Lee, Senior Reporter", ["Ann Lee"]),
    ("By Ann Lee, Bo Chan and Cy Diaz", ["Ann Lee", "Bo Chan", "Cy Diaz"]),
    ("Ann Lee, Redakteurin", ["Ann Lee"]),
    ("Harbor Ledger Staff", ["Harbor Ledger Staff"]),   # a role alone is the byline's author
    ("By Jon Onley", ["Jon Onley"]),                    # "on" inside a name is no date
    # other languages' conjunctions, bracketed roles, places and agency credits
    ("Por María Sosa Troya y Clara Blanchar", ["María Sosa Troya", "Clara Blanchar"]),
    ("di Marco Galluzzo e Monica Guerzoni", ["Marco Galluzzo", "Monica Guerzoni"]),
    ("Jan de Vries en Piet Jansen", ["Jan de Vries", "Piet Jansen"]),
    ("José Ortega y Gasset", ["José Ortega y Gasset"]),  # "y" inside one name
    ("Par Claire Dupont (Bruxelles, correspondante) et Philippe Jacqué (Bruxelles)",
     ["Claire Dupont", "Philippe Jacqué"]),
    ("Von Anna Müller und Jens Schmidt, Berlin", ["Anna Müller", "Jens Schmidt"]),
    ("By Jane Doe, Reuters", ["Jane Doe"]),
    ("dpa", ["dpa"]),                                   # an agency alone is the byline's author
])
def test_visible_byline_without_roles_and_dates(byline, names):
    html = page("", f'<article><h1>T</h1><span class="byline">{byline}</span></article>')
    assert meta(html).authors == names
    # the same in an author meta tag
    assert meta(page(f'<meta name="author" content="{byline}">')).authors == names


@pytest.mark.parametrize("name, names", [
    ("van der Berg, Anna Maria", ["van der Berg, Anna Maria"]),   # surname first, led by its particle
    ("de la Cruz, Juan", ["de la Cruz, Juan"]),
    ("Anna Maria van der Berg, Tom Lee", ["Anna Maria van der Berg", "Tom Lee"]),
    ("Claire Dubois, Tom Reyes", ["Claire Dubois", "Tom Reyes"]),
])
def test_surname_first_names_stay_one_person(name, names):
    assert meta(page(ld({"@type": "NewsArticle", "headline": "H",
                         "author": {"@type": "Person", "name": name}}))).authors == names
    assert meta(page(f'<meta name="author" content="{name}">')).authors == names
    assert meta(page("", f'<article><h1>T</h1><span class="byline">By {name}</span></article>')).authors == names


def test_dublin_core_creator_is_surname_first():
    # Dublin Core's convention: dc.creator "Smith, John" is one person; an author tag's
    # "Smith, John" is not read that way (one-word parts there are agencies: "AFP, dpa")
    assert meta(page('<meta name="dc.creator" content="Smith, John">')).authors == ["Smith, John"]
    assert meta(page('<meta name="dc.creator" content="Claire Dubois, Tom Reyes">')).authors == [
        "Claire Dubois", "Tom Reyes"]
    assert meta(page('<meta name="author" content="AFP, dpa">')).authors == ["AFP", "dpa"]


def test_comment_authors_are_never_authors():
    html = page("", '<article><h1>T</h1><p>Text</p></article>'
                    '<div id="comments"><ol class="comment-list"><li class="comment">'
                    '<div class="comment-author vcard"><b class="fn"><a rel="author external" href="https://x.org">Troll</a></b>'
                    '<span class="author">Troll</span></div></li></ol></div>'
                    '<div id="respond"><span class="byline">By Form</span></div>')
    assert meta(html).authors == []


# --- dates -------------------------------------------------------------------

def test_published_jsonld_beats_meta_and_dom():
    html = page(ld({"@type": "NewsArticle", "headline": "H", "datePublished": "2025-09-09T10:42:17+01:00",
                    "dateModified": "2025-09-10T08:00:00+00:00"})
                + '<meta property="article:published_time" content="2024-01-01T00:00:00+00:00">',
                '<article><h1>T</h1><time class="entry-date published" datetime="2023-01-01">x</time></article>')
    record = meta(html)
    assert record.published_at == "2025-09-09T09:42:17Z"
    assert record.published_at_raw == "2025-09-09T10:42:17+01:00"
    assert record.modified_at == "2025-09-10T08:00:00Z"


def test_published_meta_then_time_then_visible():
    html = page('<meta property="article:published_time" content="2025-09-04T07:30:00+00:00">'
                '<meta property="article:modified_time" content="2025-09-04T09:12:40+00:00">')
    record = meta(html)
    assert (record.published_at, record.modified_at) == ("2025-09-04T07:30:00Z", "2025-09-04T09:12:40Z")
    html = page("", '<article><h1>T</h1><span class="posted-on">'
                    '<time class="entry-date published" datetime="2025-08-28T22:05:00+00:00">Aug 28</time>'
                    '<time class="updated" datetime="2025-08-29T13:30:00+00:00">Aug 29</time></span></article>')
    record = meta(html)
    assert (record.published_at, record.modified_at) == ("2025-08-28T22:05:00Z", "2025-08-29T13:30:00Z")
    html = page("", '<article><h1>T</h1><div class="jeg_meta_date"><a href="#">September 3, 2025</a></div></article>')
    record = meta(html)
    assert record.published_at == "2025-09-03T00:00:00Z"
    assert record.published_at_raw == "September 3, 2025"


def test_itemprop_date_published():
    html = page("", '<article><h1>T</h1><span itemprop="datePublished" content="2025-09-01T08:00:00-04:00">Sept 1</span></article>')
    assert meta(html).published_at == "2025-09-01T12:00:00Z"


def test_tagdiv_entry_date_updated_is_the_publication_date_not_a_modification():
    html = page("", '<article><h1>T</h1><span class="td-post-date">'
                    '<time class="entry-date updated td-module-date" datetime="2025-09-06T19:20:45+00:00">Sep 6</time>'
                    '</span></article>')
    record = meta(html)
    assert record.published_at == "2025-09-06T19:20:45Z"
    assert record.modified_at is None


def test_block_theme_modified_date_block():
    html = page("", '<main><h1 class="wp-block-post-title">T</h1>'
                    '<div class="wp-block-post-date"><time datetime="2025-09-04T07:30:00+00:00">Sep 4</time></div>'
                    '<div class="wp-block-post-date wp-block-post-date__modified-date">'
                    '<time datetime="2025-09-05T10:00:00+00:00">Sep 5</time></div></main>')
    record = meta(html)
    assert (record.published_at, record.modified_at) == ("2025-09-04T07:30:00Z", "2025-09-05T10:00:00Z")


def test_unparseable_date_keeps_raw_and_notes_a_problem():
    html = page('<meta property="article:published_time" content="sometime last spring, maybe">')
    record = meta(html)
    assert record.published_at is None
    assert record.published_at_raw == "sometime last spring, maybe"
    assert any("published_at" in p and "sometime last spring" in p for p in record.problems)


def test_unparseable_structured_date_falls_through_to_a_parseable_one():
    html = page('<meta property="article:published_time" content="TBD">',
                '<article><h1>T</h1><time class="entry-date published" datetime="2025-09-05T15:45:00-05:00">x</time></article>')
    record = meta(html)
    assert record.published_at == "2025-09-05T20:45:00Z"
    assert record.published_at_raw == "2025-09-05T15:45:00-05:00"


def test_relative_visible_date():
    html = page("", '<article><h1>T</h1><span class="meta-date">3 days ago</span></article>')
    record = meta(html, fetched_at=datetime(2025, 9, 12, 12, 0, tzinfo=timezone.utc))
    assert record.published_at == "2025-09-09T00:00:00Z"
    assert record.published_at_raw == "3 days ago"


@pytest.mark.parametrize("element, expected", [
    ('<div class="timestamp vossi-timestamp">Updated 5:02 PM EDT, Tue September 9, 2025</div>', "2025-09-09T21:02:00Z"),
    ('<span class="datum">09.09.2025, 14.32 Uhr</span>', "2025-09-09T14:32:00Z"),
])
def test_visible_date_classes_beyond_wordpress(element, expected):
    assert meta(page("", f"<article><h1>T</h1>{element}<p>Body</p></article>")).published_at == expected


def test_french_visible_date():
    html = page("", '<article><h1>T</h1><span class="cm-post-date"><a href="#">9 septembre 2025</a></span>'
                    '<span class="cm-author">Par <a href="/author/cb/">Camille Bernard</a></span></article>',
                lang="fr-FR")
    record = meta(html)
    assert record.language == "fr"
    assert record.published_at == "2025-09-09T00:00:00Z"
    assert record.authors == ["Camille Bernard"]


def test_comment_and_sidebar_dates_are_ignored():
    html = page("", '<article><h1>T</h1><p>Body</p></article>'
                    '<aside class="widget"><span class="post-date">September 1, 2025</span></aside>'
                    '<ol class="comment-list"><li class="comment"><time datetime="2025-09-10T08:15:00+02:00">x</time></li></ol>')
    record = meta(html)
    assert record.published_at is None
    assert record.published_at_raw is None
    assert record.problems == []


# --- JSON-LD robustness ------------------------------------------------------

def test_invalid_jsonld_is_ignored():
    html = page('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Broken",</script>'
                '<meta property="og:title" content="From OG">'
                '<meta property="article:published_time" content="2025-09-09T10:00:00Z">',
                '<article><h1>Visible</h1><span class="byline">By Real Person</span></article>')
    record = meta(html)
    assert record.title == "From OG"
    assert record.authors == ["Real Person"]
    assert record.published_at == "2025-09-09T10:00:00Z"


# --- reading time ------------------------------------------------------------

@pytest.mark.parametrize("head, body, expected", [
    (ld({"@type": "Article", "headline": "H", "timeRequired": "PT8M"}), "", 8),
    (ld({"@type": "Article", "headline": "H", "timeRequired": "PT1H5M"}), "", 65),
    ("", '<span class="meta-el meta-read">8 Min Read</span>', 8),
    ("", '<span class="rt-reading-time"><span class="rt-label rt-prefix">Reading Time: </span>'
         '<span class="rt-time">4</span> <span class="rt-label rt-postfix">minutes</span></span>', 4),
    ("", '<div class="jeg_meta_reading_time"><span>Reading Time: 3 mins read</span></div>', 3),
    ("", "<div><span>5 min read</span></div>", 5),
    ('<meta name="twitter:label2" content="Est. reading time"><meta name="twitter:data2" content="6 minutes">', "", 6),
    ("", "<p>It takes 10 minutes to walk there, a short stroll for most readers of this paper.</p>", None),
])
def test_reading_time_chain(head, body, expected):
    assert meta(page(head, f"<article><h1>T</h1>{body}</article>")).reading_time_minutes == expected


# --- tags and categories -----------------------------------------------------

def test_taxonomy_from_jsonld():
    html = page(ld({"@type": "NewsArticle", "headline": "H", "keywords": "NATO, Diplomacy,nato",
                    "articleSection": ["World"]}))
    record = meta(html)
    assert record.tags == ["NATO", "Diplomacy"]
    assert record.categories == ["World"]


def test_tags_are_the_posts_tags_not_the_seo_keywords():
    """Rank Math's JSON-LD keywords are SEO focus keywords; the post's tag links are its tags."""
    html = page(ld({"@type": "NewsArticle", "headline": "H", "keywords": "RBI,repo rate"}),
                '<article><h1>H</h1><div class="tags-links"><a href="/tag/rbi/" rel="tag">RBI</a> '
                '<a href="/tag/monetary-policy/" rel="tag">Monetary policy</a></div></article>')
    assert meta(html).tags == ["RBI", "Monetary policy"]


def test_categories_from_jsonld_without_the_tags_aioseo_adds():
    html = page('<meta property="article:tag" content="adolescents"><meta property="article:tag" content="sleep">'
                + ld({"@type": "NewsArticle", "headline": "H", "articleSection": "Family Health, adolescents, sleep"}))
    record = meta(html)
    assert record.tags == ["adolescents", "sleep"]
    assert record.categories == ["Family Health"]
    # a category named like a tag stays a category
    html = page('<meta property="article:tag" content="Politics">'
                + ld({"@type": "NewsArticle", "headline": "H", "articleSection": "Politics"}))
    assert meta(html).categories == ["Politics"]


def test_taxonomy_from_meta():
    html = page('<meta property="article:tag" content="Coffee"><meta property="article:tag" content="Brazil">'
                '<meta property="article:section" content="Business">')
    record = meta(html)
    assert record.tags == ["Coffee", "Brazil"]
    assert record.categories == ["Business"]
    # the Guardian's form: every tag in one meta, separated by commas
    guardian = meta(page('<meta property="article:tag" content="Inflation,Economics,Bank of England">'))
    assert guardian.tags == ["Inflation", "Economics", "Bank of England"]


def test_taxonomy_classic_rel_category_tag_vs_rel_tag():
    html = page("", '<article><h1>T</h1><footer class="entry-footer">'
                    '<span class="cat-links"><a href="/category/local/" rel="category tag">Local Government</a>, '
                    '<a href="/category/edu/" rel="category tag">Education</a></span>'
                    '<span class="tags-links"><a href="/tag/budget/" rel="tag">budget</a>, '
                    '<a href="/tag/schools/" rel="tag">schools</a></span></footer></article>'
                    '<aside class="widget"><a class="tag-cloud-link" href="/tag/other/" rel="tag">other</a></aside>')
    record = meta(html)
    assert record.categories == ["Local Government", "Education"]
    assert record.tags == ["budget", "schools"]


def test_taxonomy_block_theme_terms():
    html = page("", '<main><h1 class="wp-block-post-title">T</h1>'
                    '<div class="taxonomy-category wp-block-post-terms"><a href="/category/env/" rel="tag">Environment</a></div>'
                    '<div class="taxonomy-post_tag wp-block-post-terms"><a href="/tag/flooding/" rel="tag">Flooding</a>'
                    '<span>, </span><a href="/tag/rotterdam/" rel="tag">Rotterdam</a></div></main>')
    record = meta(html)
    assert record.categories == ["Environment"]
    assert record.tags == ["Flooding", "Rotterdam"]


def test_article_section_meta_is_completed_by_category_links():
    html = page('<meta property="article:section" content="Business">',
                '<article><h1>T</h1><div class="jeg_meta_category"><a href="/category/business/" rel="category tag">Business</a>'
                '<a href="/category/business/markets/" rel="category tag">Markets</a></div></article>')
    assert meta(html).categories == ["Business", "Markets"]


# --- images ------------------------------------------------------------------

def test_images_og_jsonld_and_figures_deduplicated():
    graph = {"@graph": [
        {"@type": "NewsArticle", "headline": "H", "image": {"@id": "https://ex.com/p/#primaryimage"}},
        {"@type": "ImageObject", "@id": "https://ex.com/p/#primaryimage",
         "url": "https://ex.com/wp-content/uploads/lead.jpg", "caption": "Lead caption"},
    ]}
    html = page('<meta property="og:image" content="https://ex.com/wp-content/uploads/lead.jpg">'
                '<meta property="og:image:alt" content="Lead alt">' + ld(graph),
                '<article><h1>T</h1>'
                '<img src="/wp-content/uploads/lead-860x484.jpg" alt="Lead again">'
                '<figure class="wp-block-image"><img src="/wp-content/uploads/tug-1024x576.jpg" alt="A tug">'
                '<figcaption>A tug in the port.</figcaption></figure>'
                '<img class="avatar avatar-96" src="https://secure.gravatar.com/avatar/x">'
                '<img src="javascript:alert(1)" alt="evil">'
                '<img src="data:image/svg+xml,%3Csvg%3E" data-src="/wp-content/uploads/lazy.jpg" alt="Lazy">'
                '<div class="inline-single-ad"><img src="/wp-content/uploads/banner-728.jpg" alt="Ad image"></div>'
                '</article>', )
    images = meta(html, url="https://ex.com/p/").images
    assert images == [
        Image(url="https://ex.com/wp-content/uploads/lead.jpg", alt="Lead alt", caption="Lead caption"),
        Image(url="https://ex.com/wp-content/uploads/tug-1024x576.jpg", alt="A tug", caption="A tug in the port."),
        Image(url="https://ex.com/wp-content/uploads/lazy.jpg", alt="Lazy", caption=None),
    ]


def test_javascript_and_data_image_urls_rejected():
    html = page('<meta property="og:image" content="javascript:alert(1)">'
                + ld({"@type": "NewsArticle", "headline": "H", "image": ["data:image/png;base64,AAAA", "ftp://x/y.jpg"]}),
                '<article><h1>T</h1><img src="javascript:void(0)"></article>')
    assert meta(html).images == []


# --- speed guard -------------------------------------------------------------

def test_structured_dates_never_import_dateparser(monkeypatch):
    from scraper.extract import dates

    def boom(*args, **kwargs):
        raise AssertionError("dateparser called for an ISO date")

    monkeypatch.setattr(dates, "_with_dateparser", boom)
    html = page(ld({"@type": "NewsArticle", "headline": "H", "datePublished": "2025-09-09T10:42:17+01:00"}),
                '<article><h1>T</h1><span class="posted-on">September 9, 2025</span></article>')
    assert meta(html).published_at == "2025-09-09T09:42:17Z"


# --- listings ------------------------------------------------------------------

def test_listing_pages_read_structured_data_only():
    cards = "".join(
        f'<article class="post"><h2 class="entry-title"><a href="/p{i}/">Post {i}</a></h2>'
        f'<span class="byline"><a rel="author" href="/author/x/">Card Author</a></span>'
        f'<time class="entry-date published" datetime="2025-09-0{i + 1}T10:00:00Z">x</time>'
        f'<a href="/category/world/" rel="category tag">World</a><img src="/card{i}.jpg" alt="c"></article>'
        for i in range(3)
    )
    html = page('<meta property="og:title" content="World Archives - The Ledger">'
                '<meta property="og:site_name" content="The Ledger">'
                '<meta property="og:image" content="https://www.example.com/logo-card.png">',
                f"<main>{cards}</main>", body_class="archive category category-world")
    record = meta(html, url="https://www.example.com/category/world/")
    assert record.title == "World Archives"
    assert record.authors == []
    assert (record.published_at, record.published_at_raw) == (None, None)
    assert (record.tags, record.categories) == ([], [])
    assert [i.url for i in record.images] == ["https://www.example.com/logo-card.png"]


# --- properties -------------------------------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=datetime(1995, 1, 1), max_value=datetime(2090, 1, 1)),
       st.integers(min_value=-12 * 60, max_value=14 * 60).map(lambda m: m - m % 15))
def test_iso_round_trip(moment, offset_minutes):
    from datetime import timedelta

    moment = moment.replace(microsecond=0, tzinfo=timezone(timedelta(minutes=offset_minutes)))
    expected = moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert to_utc_iso(moment.isoformat()) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40, alphabet=st.characters(blacklist_categories=("Cs",), max_codepoint=0x2FF)))
def test_to_utc_iso_never_raises_and_is_well_formed(text):
    result = to_utc_iso(text)
    assert result is None or (len(result) == 20 and result.endswith("Z") and result[10] == "T")


# The common date forms read without dateparser must read exactly as dateparser reads them,
# including after a dateparser upgrade.
COMMON_FORMS = [
    ("en", "1 second ago"), ("en", "45 minutes ago"), ("en", "3 Hours ago"), ("en", "2 days ago"),
    ("en", "1 week ago"), ("en", "12 weeks ago"), ("en", "999 days ago"),
    ("fr", "9 septembre 2025"), ("fr", "1 février 2024"), ("fr", "31 décembre 1999"), ("fr", "15 août 2025"),
    ("de", "9. September 2025"), ("de", "1 März 2024"), ("de", "30. Dezember 2023"), ("de", "7. mai 2021"),
]


@pytest.mark.parametrize("language,text", COMMON_FORMS)
def test_common_date_forms_read_as_dateparser_reads_them(language, text):
    from datetime import datetime, timezone

    import dateparser

    from scraper.extract.dates import _common_form

    base = datetime(2025, 9, 12, 8, 30, 15, tzinfo=timezone.utc)
    ours = _common_form(text, language, base)
    theirs = dateparser.parse(text, languages=[language], settings={
        "RETURN_AS_TIMEZONE_AWARE": True, "TIMEZONE": "UTC", "TO_TIMEZONE": "UTC",
        "RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"})
    assert ours is not None and ours == theirs


# --- the post ID -------------------------------------------------------------

CARDS = ('<article id="post-11" class="post-11 post"><h2><a href="/a/">A</a></h2></article>'
         '<article id="post-12" class="post-12 post"><h2><a href="/b/">B</a></h2></article>')


@pytest.mark.parametrize("head, body_class, body, url, expected", [
    # the shortlink first: it names the install's home (a subdirectory install is another one)
    ("<link rel='shortlink' href='https://www.example.com/a/?p=7' />", "single postid-99", "",
     None, "https://www.example.com/a/?p=7"),
    ('<link rel="shortlink" href="/node/4821">', "", "", None, "https://www.example.com/node/4821"),
    # a static front page's shortlink is the home page: no post
    ("<link rel='shortlink' href='https://www.example.com/' />", "single", "", None, None),
    # then WordPress's body class, then the page's one <article id="post-N">
    ("", "single single-post postid-123", CARDS, None, "123"),
    ("", "single", '<article id="post-77" class="post-77 post"><p>text</p></article>', None, "77"),
    # a listing's cards are other posts: its body classes say so, or there are several
    ("<link rel='shortlink' href='https://www.example.com/?p=5' />", "archive category", CARDS, None, None),
    ("", "", CARDS, None, None),
    ("", "", '<article id="post-11"><h2>A</h2></article>', "https://www.example.com/", None),
    ("", "single", "<p>no post id</p>", None, None),
])
def test_post_id_chain(head, body_class, body, url, expected):
    record = meta(page(head=head, body=body, body_class=body_class), **({"url": url} if url else {}))
    assert record.post_id == expected


def test_the_post_id_is_no_part_of_the_content_hash():
    from scraper.record import compute_content_hash
    record = parse_article((PAGES / "foxiz_seed.html").read_bytes(),
                           url="https://news.example.com/2025/09/09/rutte-and-prime-minister-discuss-natos-evolving-security-landscape/")
    assert record.post_id == "https://news.example.com/?p=123"
    import dataclasses
    assert compute_content_hash(dataclasses.replace(record, post_id=None)) == record.content_hash


# --- free to read, or for subscribers -----------------------------------------

LOCKED_PART = {"@type": "WebPageElement", "isAccessibleForFree": False, "cssSelector": ".paywall"}


@pytest.mark.parametrize("head, body, expected", [
    # JSON-LD on the article: a boolean, or the strings sites write
    (ld({"@type": "NewsArticle", "headline": "H", "isAccessibleForFree": False}), "", False),
    (ld({"@type": "NewsArticle", "headline": "H", "isAccessibleForFree": True}), "", True),
    (ld({"@type": "NewsArticle", "isAccessibleForFree": "False"}), "", False),
    (ld({"@type": "NewsArticle", "isAccessibleForFree": "true"}), "", True),
    (ld({"@type": "NewsArticle", "isAccessibleForFree": "0"}), "", False),
    (ld({"@type": "NewsArticle", "isAccessibleForFree": "1"}), "", True),
    (ld({"@type": "NewsArticle", "isAccessibleForFree": "https://schema.org/False"}), "", False),
    (ld({"@type": "NewsArticle", "isAccessibleForFree": "maybe"}), "", None),
    # only the locked section says it (Google's hasPart); a part without a selector says nothing
    (ld({"@type": "NewsArticle", "hasPart": LOCKED_PART}), "", False),
    (ld({"@type": "NewsArticle", "hasPart": [{"@type": "WebPageElement", "cssSelector": ".intro"}, LOCKED_PART]}),
     "", False),
    (ld({"@type": "NewsArticle", "hasPart": {**LOCKED_PART, "cssSelector": None}}), "", None),
    # in a Yoast-style @graph, on the article or on the page
    (ld({"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage", "@id": "#page"}, {"@type": "NewsArticle", "isAccessibleForFree": "False"}]}), "", False),
    (ld({"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage", "isAccessibleForFree": False}, {"@type": "NewsArticle", "headline": "H"}]}), "", False),
    # the article's own word wins over its page's
    (ld({"@graph": [{"@type": "WebPage", "isAccessibleForFree": False},
                    {"@type": "NewsArticle", "isAccessibleForFree": True}]}), "", True),
    # Facebook's article:content_tier
    ('<meta property="article:content_tier" content="locked">', "", False),
    ('<meta property="article:content_tier" content="metered">', "", False),
    ('<meta property="article:content_tier" content="free">', "", True),
    ('<meta property="article:content_tier" content="premium">', "", None),
    # microdata in the article's scope (Google's other documented form), not an event's on the page
    ("", '<article itemscope itemtype="https://schema.org/NewsArticle"><h1 itemprop="headline">H</h1>'
         '<meta itemprop="isAccessibleForFree" content="False"><p>Text.</p></article>', False),
    ("", '<article itemscope itemtype="http://schema.org/NewsArticle"><meta itemprop="isAccessibleForFree" '
         'content="true"><div class="paywall" itemprop="hasPart" itemscope itemtype="http://schema.org/WebPageElement">'
         '<meta itemprop="isAccessibleForFree" content="false"></div></article>', False),
    ("", '<div itemscope itemtype="https://schema.org/Event"><meta itemprop="isAccessibleForFree" '
         'content="false"></div>', None),
    ('<meta name="isAccessibleForFree" content="false">', "", None),  # no site writes it so
    # a class named "premium" or "paywall" is no statement: a menu's, a subscribe button's
    ("", '<nav><a class="premium" href="/subscribe/">Premium</a></nav><div class="paywall">Subscribe</div>', None),
    ("", "<p>Nothing said.</p>", None),
])
def test_accessible_for_free_chain(head, body, expected):
    assert meta(page(head=head, body=body)).accessible_for_free is expected


def test_a_listing_reads_no_microdata_of_its_cards():
    cards = ('<article itemscope itemtype="https://schema.org/NewsArticle"><meta itemprop="isAccessibleForFree" '
             'content="false"><h2><a href="/a/">A</a></h2></article>')
    assert meta(page(body=cards, body_class="archive category")).accessible_for_free is None


def test_accessible_for_free_is_no_part_of_the_content_hash():
    from scraper.record import compute_content_hash
    record = parse_article((PAGES / "foxiz_seed.html").read_bytes(),
                           url="https://news.example.com/2025/09/09/rutte-and-prime-minister-discuss-natos-evolving-security-landscape/")
    assert record.accessible_for_free is None
    for value in (True, False):
        assert compute_content_hash(dataclasses.replace(record, accessible_for_free=value)) == record.content_hash


# --- layouts probed in tests/pages/wild_* -------------------------------------

def test_title_loses_a_full_width_bar_and_the_site_name():
    """Japanese and Chinese titles append the site name after "｜" without spaces."""
    html = page('<meta property="og:title" content="金沢市議会、新庁舎の建設費を承認｜北陸日報">'
                '<meta property="og:site_name" content="北陸日報">', lang="ja")
    assert meta(html).title == "金沢市議会、新庁舎の建設費を承認"


def test_title_loses_the_publication_a_medium_headline_ends_in():
    """Medium's JSON-LD headline is "<title> - <publication>", the publication its publisher
    while og:site_name says Medium."""
    head = ('<meta property="og:site_name" content="Medium">'
            + ld({"@type": "NewsArticle", "headline": "The bus stop nobody could find - The Civic Desk",
                  "publisher": {"@type": "Organization", "name": "The Civic Desk"}}))
    assert meta(page(head), "https://medium.com/the-civic-desk/x-7c1e").title == "The bus stop nobody could find"


def test_byline_split_at_the_japanese_comma():
    assert meta(page(body='<article><h1>T</h1><span class="byline">佐藤健一、中村優</span></article>')).authors == [
        "佐藤健一", "中村優"]


def test_a_byline_of_people_over_an_organization_author():
    """A live blog's JSON-LD credits the broadcaster; the byline names its reporters."""
    head = ld({"@type": "LiveBlogPosting", "headline": "T", "author": {"@type": "Organization", "name": "Omroep Veluwe"}})
    body = ('<article><h1>T</h1><span class="article__byline">Door <a href="/redactie/sanne">Sanne de Vries</a> '
            'en <a href="/redactie/joost">Joost Bakker</a></span></article>')
    assert meta(page(head, body, lang="nl")).authors == ["Sanne de Vries", "Joost Bakker"]
    assert meta(page(head, "<article><h1>T</h1></article>", lang="nl")).authors == ["Omroep Veluwe"]


def test_japanese_visible_dates_in_japan_time():
    """No structured date: "2025年9月9日 14時32分" in a <time> without datetime, "更新：…" in the
    updated span, both Japan time (+09:00) on a page in Japanese."""
    body = ('<article><h1>T</h1><div class="article-meta"><time class="article-date">2025年9月9日 14時32分</time>'
            '<span class="article-updated">更新：2025年9月10日 9時05分</span></div><p>本文。</p></article>')
    record = meta(page(body=body, lang="ja"))
    assert (record.published_at, record.modified_at) == ("2025-09-09T05:32:00Z", "2025-09-10T00:05:00Z")


def test_blogger_posts_gadget_is_not_a_sidebar():
    """Blogger calls every gadget a widget, the posts' "widget Blog" too: its byline and labels count."""
    html = page(body="""<div class="main section" id="main"><div class="widget Blog" id="Blog1"><div class="post hentry">
      <h3 class="post-title entry-title">T</h3><div class="post-body entry-content"><p>Text.</p></div>
      <div class="post-footer"><span class="post-author vcard">Postado por <span class="fn" itemprop="author" itemscope>
      <a class="g-profile" href="https://www.blogger.com/profile/1" rel="author"><span itemprop="name">Rafael Moura</span></a></span></span>
      <span class="post-labels">Marcadores: <a href="/search/label/Obras" rel="tag">Obras</a></span></div></div></div></div>""",
                body_class="loading")
    record = meta(html)
    assert (record.authors, record.tags) == (["Rafael Moura"], ["Obras"])


@pytest.mark.parametrize("terms, tags, categories", [
    # Hugo (Hello Friend): /tags/ and /categories/ links, each in a span, in one line
    ('<p><span class="tag"><a href="/tags/transit/">Transit</a></span> <span class="tag"><a href="/tags/buses/">Buses</a>'
     '</span></p><p><span class="tag"><a href="/categories/news/">News</a></span></p>', ["Transit", "Buses"], ["News"]),
    # Squarespace: ?tag= and ?category= on the blog page
    ('<div class="blog-meta-item--categories"><a href="/news?category=Local">Local</a></div>'
     '<div class="blog-meta-item--tags">Tagged: <a href="/news?tag=elections">elections</a>, '
     '<a href="/news?tag=library">library</a></div>', ["elections", "library"], ["Local"]),
    # a link to a tag page inside a sentence, and a menu of categories, are no terms of the post
    ('<p>Read all our coverage of <a href="/tag/elections/">the elections</a> on one page, with maps and results.</p>'
     '<div class="jeg_mainmenu_wrap"><ul class="jeg_menu"><li class="menu-item"><a href="/category/economy/">Economy</a>'
     '</li><li class="menu-item"><a href="/category/sport/">Sport</a></li></ul></div>', [], []),
])
def test_term_links_known_by_their_address(terms, tags, categories):
    record = meta(page(body=f"<article><h1>T</h1><p>Text.</p>{terms}</article>"))
    assert (record.tags, record.categories) == (tags, categories)


def test_hugo_content_section_beside_the_category():
    """Hugo's opengraph prints the content section ("posts") as article:section before the categories."""
    head = '<meta property="article:section" content="posts"><meta property="article:section" content="News">'
    body = '<article><h1>T</h1><p><span class="tag"><a href="/categories/news/">News</a></span></p></article>'
    assert meta(page(head, body)).categories == ["News"]


def test_images_of_cards_nested_in_the_story_are_not_its_images():
    """Newspack's Homepage Posts block in the post content: <article> cards with thumbnails."""
    card = '<article data-post-id="{n}"><figure class="post-thumbnail"><img src="/thumb-{n}.jpg" width="400"></figure></article>'
    body = ('<main><h1>T</h1><figure class="post-thumbnail"><img src="/lead.jpg" width="1200"></figure><article class="post">'
            f'<div class="entry-content"><p>Text.</p><div class="wpnbha">{card.format(n=1)}{card.format(n=2)}</div>'
            '<figure class="wp-block-image"><img src="/inline.jpg" width="800"></figure></div></article></main>')
    assert [i.url for i in meta(page(body=body)).images] == [
        "https://www.example.com/lead.jpg", "https://www.example.com/inline.jpg"]
