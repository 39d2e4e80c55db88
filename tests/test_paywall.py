"""Articles that go behind a paywall. A site that locks its stories some days after publication
serves the same URL with a few paragraphs and JSON-LD isAccessibleForFree false; the nightly
re-crawl archived that teaser as the article's new current version: `show` printed it cut short,
`search` no longer found the story by the words past the teaser, and nothing said why. A teaser of
the archived text now adds no version: the article gets articles.paywalled_at, the summary counts
it (`unchanged 2 (paywalled 1)`), and `show` says so above the full text."""
from __future__ import annotations

import csv
import dataclasses
import html
import io
import itertools
import json
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import scraper.reparse
from archive import ArchiveStore
from archive.paywall import TEASER_TAIL_CHARS
from archive.readonly import reading_archive
from archive.show import diff_versions, load_version, render_article
from scraper.extract import parse_article
from scraper.warc_import import archive_warcs
from tests.conftest import LOOPBACK, FrontPageSite, articles_line, run_cli, serving_site
from tests.warcs import html_capture, write_warc

NIGHT_1 = datetime(2025, 9, 10, 2, 0, tzinfo=timezone.utc)
HARBOUR = "Harbour dredging starts after two years"
# Twelve paragraphs; the teaser keeps the first three. "Kittiwakes" is in paragraph 9 only.
PARAGRAPHS = [f"Paragraph {n}: the port authority said the dredging of the inner harbour would "
              f"take {n + 2} months, and ships would be diverted meanwhile." for n in range(12)]
PARAGRAPHS[9] = "Paragraph 9: birdwatchers fear for the kittiwakes nesting on the old pier."
TEASER = 3


def article_page(url: str, title: str = HARBOUR, paragraphs=PARAGRAPHS, *, free=None,
                 author: str = "Ann Lee", prompt: str = "") -> bytes:
    """A WordPress post with Yoast-like JSON-LD; ``free`` False marks it for subscribers as
    Google asks (isAccessibleForFree false, the locked section named by hasPart)."""
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
            "datePublished": "2025-09-09T08:00:00+00:00", "author": {"@type": "Person", "name": author}}
    if free is not None:
        data["isAccessibleForFree"] = free
    if free is False:
        data["hasPart"] = {"@type": "WebPageElement", "isAccessibleForFree": False, "cssSelector": ".paywall"}
    text = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'<link rel="canonical" href="{url}"><meta property="og:type" content="article">'
            f'<script type="application/ld+json">{json.dumps(data)}</script></head>'
            f'<body class="single single-post"><article class="post hentry">'
            f'<h1 class="entry-title">{html.escape(title)}</h1>'
            f'<div class="entry-content">{text}{prompt}</div></article></body></html>').encode()


def teaser_page(url: str, title: str = HARBOUR, **kwargs) -> bytes:
    return article_page(url, title, PARAGRAPHS[:TEASER], free=False,
                        prompt='<div class="paywall-prompt">Subscribe to read the rest.</div>', **kwargs)


# --- a loopback site, crawled three nights ---------------------------------------------------

# path -> what the page is each night: "full", "free" (full, marked free), "teaser",
# "edited" (a teaser under a new headline)
NIGHTS = {
    "/2025/09/09/harbour-dredging/": ["full", "teaser", "free"],
    "/2025/09/09/locked-from-the-start/": ["teaser", "teaser", "teaser"],
    "/2025/09/09/council-budget/": ["full", "edited", "edited"],
}
TITLES = {"/2025/09/09/harbour-dredging/": HARBOUR,
          "/2025/09/09/locked-from-the-start/": "Locked from the start",
          "/2025/09/09/council-budget/": "Council budget passes"}


class _Site(FrontPageSite):
    night = 0
    name = "Coast Times"

    def front_page(self):
        return [(path, TITLES[path]) for path in NIGHTS]

    def article(self, path):
        if path not in NIGHTS:
            return None
        url, title, state = self.base + path, TITLES[path], NIGHTS[path][self.night]
        if state == "edited":
            return teaser_page(url, title + ": the vote, line by line")
        if state == "teaser":
            return teaser_page(url, title)
        return article_page(url, title, free=True if state == "free" else None)


@pytest.fixture
def site():
    with serving_site(_Site, night=0) as handler:
        yield handler


def test_a_story_gone_behind_the_paywall_keeps_its_full_text(tmp_path, site):
    db = tmp_path / "archive.db"
    harbour, locked, council = (site.base + path for path in NIGHTS)
    crawl = ("crawl", site.base + "/", "--db", str(db), "-q", *LOOPBACK)
    # night 1: the locked story's first capture is all there is: archived, marked not free
    assert articles_line(run_cli(*crawl)) == "articles           new 3, changed 0, unchanged 0"

    site.night = 1
    # before: "changed 2, unchanged 1", the harbour story's current text three paragraphs long
    assert articles_line(run_cli(*crawl)) == "articles           new 0, changed 1, unchanged 2 (paywalled 1)"
    with ArchiveStore(db) as store:
        assert len(store.versions(harbour)) == 1 and store.get_article(harbour).body_text.count("Paragraph") == 12
        (paywalled_at, first_seen) = store.db.execute(
            "SELECT paywalled_at, first_seen_at FROM articles WHERE url = ?", [harbour]).fetchone()
        assert paywalled_at > first_seen
        # found by a word only past the teaser, in current versions
        assert [hit["url"] for hit in store.search("kittiwakes")] == [harbour]
        # a paywalled page under a new headline is an edit: a version, marked not free
        assert [v["title"] for v in store.versions(council)] == [
            "Council budget passes", "Council budget passes: the vote, line by line"]
        assert store.get_article(council).accessible_for_free is False
        assert store.get_article(locked).accessible_for_free is False
        assert store.db.execute("SELECT count(*) FROM articles WHERE paywalled_at IS NOT NULL").fetchone()[0] == 1

    shown = run_cli("show", harbour, "--db", str(db))
    assert shown.returncode == 0, shown.stderr
    fetched = shown.stdout.split("Version 1 of 1, fetched ")[1][:10]
    assert f"Paywalled: since {paywalled_at[:10]} the page serves a teaser; this is the full text " \
           f"captured on {fetched}\n" in shown.stdout
    assert "kittiwakes" in shown.stdout and "Paragraph 11" in shown.stdout
    shown = run_cli("show", locked, "--db", str(db))
    assert "Paywalled: the page marks the article for subscribers only" in shown.stdout

    site.night = 2  # free again: the mark goes, no version
    assert articles_line(run_cli(*crawl)) == "articles           new 0, changed 0, unchanged 3"
    with ArchiveStore(db) as store:
        assert store.db.execute("SELECT paywalled_at, version_count FROM articles WHERE url = ?",
                                [harbour]).fetchone() == (None, 1)
    assert "Paywalled" not in run_cli("show", harbour, "--db", str(db)).stdout


# --- the archive's rules, on pages parsed as a crawl parses them ---------------------------------

URL = "https://coast.test/2025/09/09/harbour-dredging/"


def fetch(store: ArchiveStore, night: int, page: bytes, url: str = URL):
    fetched = NIGHT_1 + timedelta(days=night)
    record = parse_article(page, url=url, fetched_at=fetched)
    return store.store(record, raw_html=page, fetched_at=fetched.strftime("%Y-%m-%dT%H:%M:%SZ"))


def paywalled_at(store: ArchiveStore, url: str = URL):
    return store.db.execute("SELECT paywalled_at FROM articles WHERE url = ?", [url]).fetchone()[0]


@pytest.fixture
def store(tmp_path: Path):
    with ArchiveStore(tmp_path / "archive.db") as opened:
        yield opened


@pytest.mark.parametrize("teaser", [
    teaser_page(URL),
    # cut mid-sentence, and a subscribe line the paywall plugin writes into the text
    article_page(URL, paragraphs=PARAGRAPHS[:2] + [PARAGRAPHS[2][:40] + "…"], free=False),
    article_page(URL, paragraphs=PARAGRAPHS[:3] + ["You have reached your limit of free articles. "
                                                   "Subscribe for full access to every story."], free=False),
    # a cut mid-sentence, then the prompt (before: a version, as was a prompt of two paragraphs)
    article_page(URL, paragraphs=PARAGRAPHS[:2] + [PARAGRAPHS[2][:40] + "…", "Subscribe to read the rest."],
                 free=False),
    article_page(URL, paragraphs=PARAGRAPHS[:3] + ["This story is for subscribers.",
                                                   "Subscribe from $1 a week. Already a subscriber? Log in."],
                 free=False),
    # marked by article:content_tier instead of JSON-LD
    article_page(URL, paragraphs=PARAGRAPHS[:3]).replace(
        b"<head>", b'<head><meta property="article:content_tier" content="locked">'),
])
def test_a_teaser_of_the_archived_text_adds_no_version(store, teaser):
    assert fetch(store, 0, article_page(URL)).status == "new"
    record = parse_article(teaser, url=URL, fetched_at=NIGHT_1 + timedelta(days=1))
    assert record.accessible_for_free is False and record.word_count < 100
    assert store.is_unchanged(record)  # the crawl need not compress the page
    result = fetch(store, 1, teaser)
    assert (result.status, result.paywalled, result.version_no) == ("unchanged", True, 1)
    assert paywalled_at(store) == "2025-09-11T02:00:00Z"
    assert fetch(store, 2, teaser).paywalled and paywalled_at(store) == "2025-09-11T02:00:00Z"  # since the first
    assert len(store.versions(URL)) == 1 and "kittiwakes" in store.get_article(URL).body_text


@pytest.mark.parametrize("capture", [
    article_page(URL, HARBOUR + " (updated)", PARAGRAPHS[:TEASER], free=False),     # a new headline
    article_page(URL, paragraphs=PARAGRAPHS[:TEASER], free=False, author="Ben Ray"),  # another byline
    article_page(URL, paragraphs=[PARAGRAPHS[0], "A corrected second paragraph."] + PARAGRAPHS[2:6],
                 free=False),                   # an edit more than TEASER_TAIL_CHARS before the cut
    # a notice in the story's place (before: taken for a teaser, the withdrawal never archived)
    article_page(URL, paragraphs=["This article has been withdrawn following a legal complaint. "
                                  "We apologise to those concerned."], free=False),
    article_page(URL, paragraphs=PARAGRAPHS + ["A new last paragraph."], free=False),  # longer
    article_page(URL, paragraphs=PARAGRAPHS[:TEASER]),                            # not marked: a cut
    article_page(URL, paragraphs=PARAGRAPHS[:TEASER], free=True),
    article_page(URL, paragraphs=PARAGRAPHS[:TEASER] + [
        " ".join(["More words the full text never had."] * (TEASER_TAIL_CHARS // 35 + 1))], free=False),
])
def test_what_is_no_teaser_is_a_version_as_before(store, capture):
    fetch(store, 0, article_page(URL))
    result = fetch(store, 1, capture)
    assert (result.status, result.paywalled) == ("changed", False)
    assert paywalled_at(store) is None


def test_a_notice_on_a_site_marking_every_story_not_free_is_a_version(store):
    fetch(store, 0, article_page(URL, free=False))
    notice = article_page(URL, paragraphs=["This article has been withdrawn following a legal complaint."],
                          free=False)
    assert (fetch(store, 1, notice).status, paywalled_at(store)) == ("changed", None)
    assert "withdrawn" in store.get_article(URL).body_text


JA_TITLE = "上野公園の桜が満開に"
# Japanese has no spaces between words: each paragraph is one "word" to str.split(). Three long
# paragraphs and three short ones.
JA_PARAGRAPHS = [
    "東京の桜が満開になりました。上野公園には朝から多くの花見客が訪れ、シートを広げて春の一日を楽しんでいます。",
    "気象庁によると、今年の満開は平年より三日早く、今週末まで見頃が続く見込みです。公園の管理事務所は混雑に備えています。",
    "都内の公園では夜桜のライトアップも始まり、夜遅くまで多くの人が桜並木を歩いていました。屋台も数多く並んでいます。",
    "花見客は週末にかけてさらに増える見込みです。",
    "ごみの持ち帰りが呼びかけられています。",
    "来週は雨の予報です。",
]


@pytest.mark.parametrize("capture, teaser", [
    # the first paragraph and the paywall's prompt
    (JA_PARAGRAPHS[:1] + ["この記事は有料会員限定です。続きは会員登録でお読みいただけます。"], True),
    # a notice in the story's place (before: taken for a teaser, a one-paragraph text being all
    # "last paragraph", and in Japanese that paragraph a single "word")
    (["この記事は削除されました。"], False),
    # half of the paragraphs but most of the characters: an editor's cut (before: a teaser, by words)
    (JA_PARAGRAPHS[:3], False),
])
def test_japanese_text_goes_by_the_same_rule(store, capture, teaser):
    """A site marking every story not free (so a teaser keeps at most half of the characters)."""
    def page(paragraphs):
        return article_page(URL, JA_TITLE, paragraphs, free=False).replace(b'lang="en"', b'lang="ja"')
    fetch(store, 0, page(JA_PARAGRAPHS))
    result = fetch(store, 1, page(capture))
    assert (result.status, result.paywalled) == (("unchanged", True) if teaser else ("changed", False))
    assert (paywalled_at(store) is not None) is teaser


def test_the_first_capture_of_a_locked_story_is_archived_and_what_follows_it_versions(store):
    """Nothing fuller is archived: the teaser is the article, marked not free; a shorter capture
    after it (the paywall keeps less) is a version too."""
    result = fetch(store, 0, teaser_page(URL))
    assert result.status == "new" and store.get_article(URL).accessible_for_free is False
    shorter = article_page(URL, paragraphs=PARAGRAPHS[:2], free=False)
    assert fetch(store, 1, shorter).status == "changed" and paywalled_at(store) is None


def test_a_metered_story_locked_later_keeps_its_full_text(store):
    """A metered site marks every story not free and serves it whole until the day it locks it:
    the teaser then is no version. A capture marked so that keeps more than half of the words
    is an editor's cut, a version."""
    fetch(store, 0, article_page(URL, free=False))
    result = fetch(store, 1, teaser_page(URL))
    assert (result.status, result.paywalled, result.version_no) == ("unchanged", True, 1)
    assert paywalled_at(store) == "2025-09-11T02:00:00Z" and "kittiwakes" in store.get_article(URL).body_text
    trimmed = article_page(URL, paragraphs=PARAGRAPHS[:8], free=False)
    assert fetch(store, 2, trimmed).status == "changed" and paywalled_at(store) is None


def test_free_again_clears_the_mark_and_a_304_keeps_it(store):
    fetch(store, 0, article_page(URL))
    fetch(store, 1, teaser_page(URL))
    # a 304 answers the teaser's validators: the page still serves it
    assert store.mark_unchanged(URL, "2025-09-12T02:00:00Z")
    assert paywalled_at(store) == "2025-09-11T02:00:00Z"
    result = fetch(store, 3, article_page(URL, free=True))
    assert (result.status, result.paywalled) == ("unchanged", False)
    assert paywalled_at(store) is None
    # gone behind it again: since the new first teaser
    fetch(store, 4, teaser_page(URL))
    assert paywalled_at(store) == "2025-09-14T02:00:00Z"
    # the whole text served under the paywall mark (a metered page) is no teaser either
    fetch(store, 5, article_page(URL, free=False))
    assert paywalled_at(store) is None and len(store.versions(URL)) == 1


def test_a_new_version_clears_the_mark(store):
    fetch(store, 0, article_page(URL))
    fetch(store, 1, teaser_page(URL))
    assert fetch(store, 2, article_page(URL, HARBOUR + ", at last")).status == "changed"
    assert paywalled_at(store) is None


def test_an_old_teaser_capture_imported_late_adds_nothing(store):
    """A WARC of night 2 imported after night 3's crawl: the teaser falls after the full text
    of night 1 on the timeline and adds no version; the page was seen whole since, so no mark."""
    fetch(store, 0, article_page(URL))
    fetch(store, 2, article_page(URL, HARBOUR + ", at last"))
    result = fetch(store, 1, teaser_page(URL))
    assert (result.status, result.paywalled, result.version_no) == ("unchanged", True, 1)
    assert len(store.versions(URL)) == 2 and paywalled_at(store) is None


# A page's text each night, for the timelines below: the whole text, a teaser of it, and the
# whole text edited (its last paragraph)
WHOLE, LOCKED = article_page(URL), teaser_page(URL)
EDITED = article_page(URL, paragraphs=PARAGRAPHS[:11] + ["Paragraph 11: an update added later."])


def history(db: Path, captures) -> tuple:
    """The article's versions (fetch time, headline, text) in time order, the current one's fetch
    time, its paywall mark and first and last sightings, after storing ``captures`` ((night, page)
    pairs) in the order given."""
    with ArchiveStore(db) as store:
        for night, page in captures:
            fetch(store, night, page)
        versions = store.db.execute("SELECT fetched_at, title, body_text FROM versions").fetchall()
        article = store.db.execute(
            "SELECT v.fetched_at, a.paywalled_at, a.first_seen_at, a.last_seen_at FROM articles a "
            "JOIN versions v ON v.id = a.current_version_id").fetchone()
    return sorted(versions), article


@pytest.mark.parametrize("captures", [
    # the archive began after the lock: the whole text of the night before imported late
    # (before: two versions, the teaser current, no mark)
    [(0, WHOLE), (1, LOCKED)],
    # a teaser older than the one that set the mark (before: the mark stayed at night 3)
    [(0, WHOLE), (1, LOCKED), (3, LOCKED)],
    # an edit before the lock, imported after it (before: a copy of night 0's text dated night 2,
    # a teaser fetch, became current over the edit)
    [(0, WHOLE), (1, EDITED), (2, LOCKED)],
    # an edit between two teasers: it clears the mark and the teaser after it sets it again
    [(0, WHOLE), (1, LOCKED), (2, EDITED), (3, LOCKED)],
    # locked from the first capture, free for a night, locked again
    [(0, LOCKED), (1, WHOLE), (2, LOCKED)],
], ids=["whole-then-teaser", "older-teaser", "edit-then-teaser", "edit-between-teasers", "freed-for-a-night"])
def test_captures_in_any_order_give_what_date_order_gives(tmp_path, captures):
    """import-warc and the crawl store old captures as they come: whatever their order, the
    versions and marks are those of the same captures in date order."""
    in_date_order = history(tmp_path / "dated.db", captures)
    for n, order in enumerate(itertools.permutations(captures)):
        assert history(tmp_path / f"{n}.db", order) == in_date_order, [night for night, _ in order]


def test_the_whole_text_imported_after_its_teaser_takes_its_place(tmp_path):
    """import-warc of the night-2 WARC (the teaser), then of the night-1 WARC (the whole text)."""
    nights = tmp_path / "night2.warc.gz", tmp_path / "night1.warc.gz"
    write_warc(nights[0], [html_capture(URL, teaser_page(URL), date="2025-09-11T02:00:00Z")])
    write_warc(nights[1], [html_capture(URL, article_page(URL), date="2025-09-10T02:00:00Z")])
    db = tmp_path / "archive.db"
    assert archive_warcs([nights[0]], db).articles_new == 1
    summary = archive_warcs([nights[1]], db)
    # before: changed 1 as well, but a second version, the teaser staying current
    assert (summary.articles_new, summary.articles_changed, summary.articles_unchanged) == (0, 1, 0)
    with ArchiveStore(db) as store:
        assert len(store.versions(URL)) == 1 and paywalled_at(store) == "2025-09-11T02:00:00Z"
        assert [hit["url"] for hit in store.search("kittiwakes")] == [URL]


def test_show_says_which_text_it_prints(store):
    fetch(store, 0, article_page(URL))
    fetch(store, 1, article_page(URL, HARBOUR + ", at last"))
    fetch(store, 2, teaser_page(URL, HARBOUR + ", at last"))
    store.db.conn.commit()
    current, first = load_version(store.db, URL), load_version(store.db, URL, 1)
    assert "Paywalled: since 2025-09-12 the page serves a teaser; this is the full text captured on " \
           "2025-09-11\n" in render_article(current)
    assert "Paywalled" not in render_article(first)  # a whole text: the page served no teaser then


def test_show_of_an_older_teaser_version_says_what_that_version_is(store):
    """Locked from the first capture (version 1, the teaser), free the next night (version 2),
    locked again: `show --version 1` said "since ... the page serves a teaser", the article's
    mark, over the one version that is only a teaser."""
    fetch(store, 0, teaser_page(URL))
    fetch(store, 1, article_page(URL, free=True))
    fetch(store, 2, teaser_page(URL))
    store.db.conn.commit()
    first = render_article(load_version(store.db, URL, 1))
    assert "Paywalled: the page marks the article for subscribers only; this may be only the teaser " \
           "it served\n" in first and "since" not in first
    assert "Paywalled: since 2025-09-12 the page serves a teaser; this is the full text captured on " \
           "2025-09-11\n" in render_article(load_version(store.db, URL))
    diff = diff_versions(store.db, URL, "1..2")
    assert "changed: accessible_for_free: False -> True\n" in diff
    assert "\n-Paywalled: the page marks the article for subscribers only" in diff


def test_reparse_and_import_warc_take_paywalled_articles(tmp_path):
    """Both go through the same writer: an import of the nights' captures in date order marks the
    article as the crawl does; reparse re-reads the full text it kept and adds nothing."""
    warc = tmp_path / "nights.warc.gz"
    write_warc(warc, [html_capture(URL, article_page(URL), date="2025-09-10T02:00:00Z"),
                      html_capture(URL, teaser_page(URL), date="2025-09-11T02:00:00Z"),
                      html_capture(URL, teaser_page(URL), date="2025-09-12T02:00:00Z")])
    db = tmp_path / "archive.db"
    summary = archive_warcs([warc], db)
    assert (summary.articles_new, summary.articles_changed, summary.articles_unchanged) == (1, 0, 2)
    assert "unchanged 2 (paywalled 2)" in "\n".join(summary.lines())
    with ArchiveStore(db) as store:
        assert paywalled_at(store) == "2025-09-11T02:00:00Z" and len(store.versions(URL)) == 1
    summary = scraper.reparse.reparse_archive(db)
    assert (summary.checked, summary.changed, summary.unchanged, summary.failed) == (1, 0, 1, 0)
    with ArchiveStore(db) as store:
        assert paywalled_at(store) == "2025-09-11T02:00:00Z" and len(store.versions(URL)) == 1


def test_reparse_adds_no_version_for_the_mark_alone(tmp_path):
    """An archive made before the field: every page of a subscription site says it is not free
    (metered ones too); reading that is no reason for a version of each article."""
    db = tmp_path / "archive.db"
    page = article_page(URL, free=False)
    with ArchiveStore(db) as store:
        record = parse_article(page, url=URL, fetched_at=NIGHT_1)
        before = dataclasses.replace(record, accessible_for_free=None)
        store.store(before, raw_html=page, fetched_at="2025-09-10T02:00:00Z")
        store.db.execute("UPDATE versions SET record_json = json_remove(record_json, '$.accessible_for_free')")
        store.db.conn.commit()
    summary = scraper.reparse.reparse_archive(db)
    assert (summary.changed, summary.unchanged) == (0, 1)


def test_export_and_stats_carry_the_mark(tmp_path):
    db = tmp_path / "archive.db"
    with ArchiveStore(db) as store:
        fetch(store, 0, article_page(URL))
        fetch(store, 1, teaser_page(URL))
    result = run_cli("export", "--format", "jsonl", "--db", str(db))
    (row,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert (row["paywalled_at"], row["accessible_for_free"]) == ("2025-09-11T02:00:00Z", None)
    result = run_cli("export", "--format", "csv", "--db", str(db))
    header, row = csv.reader(io.StringIO(result.stdout))
    assert header[-3:] == ["post_id", "accessible_for_free", "paywalled_at"]
    assert row[-2:] == ["", "2025-09-11T02:00:00Z"]
    with reading_archive(db) as conn:
        from archive.stats import archive_stats, stats_text
        stats = archive_stats(conn)
    assert stats["paywalled"] == 1
    assert "\n1 article behind a paywall since archived" in stats_text(stats)
