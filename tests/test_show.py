"""`newsarchive show`: one article as a reader reads it, older versions, and what changed."""
from __future__ import annotations

import hashlib
import json

import pytest

from archive.readonly import BadRequest, NotFound, reading_archive
from archive.show import diff_versions, load_version, render_article
from tests.conftest import run_cli
from tests.research_archive import (ADDED_TAKEAWAY, BASE, CORRECTED_TITLE, assert_one_line, build_research_archive,
                                    run_cli_into_full_disk)


@pytest.fixture(scope="module")
def research(tmp_path_factory):
    return build_research_archive(tmp_path_factory.mktemp("show") / "archive.db")


def truth_of(research, url):
    return next(t for t in research.truths if t["url"] == url)


def shown(research, ref, version=None):
    with reading_archive(research.path) as db:
        return render_article(load_version(db, ref, version))


def test_renders_every_part_in_reading_order(research):
    truth = truth_of(research, research.threaded_url)
    text = shown(research, research.threaded_url)
    lines = text.splitlines()
    assert lines[0] == truth["title"] and set(lines[1]) == {"="}
    flat = " ".join(text.split())  # paragraphs are wrapped; compare the words
    assert truth["subtitle"] in flat
    byline = next(line for line in lines if line.startswith("By "))
    assert all(name in byline for name in truth["authors"])
    assert truth["published_at"][:10] in byline and f"{truth['reading_time_minutes']} min read" in byline
    # Intro, then each section heading followed by its paragraphs, then the takeaways.
    positions = [flat.index(truth["intro"][0])]
    for section in truth["sections"]:
        positions.append(flat.index(f"{'#' * section['level']} {section['heading']}"))
        positions.append(flat.index(section["paragraphs"][0]))
    if truth["takeaways"]:
        positions += [flat.index(f"• {item}") for item in truth["takeaways"]]
    assert positions == sorted(positions)
    assert "; ".join(truth["categories"]) in text and "; ".join(truth["tags"]) in text


def test_comments_show_authors_dates_and_reply_nesting(research):
    truth = truth_of(research, research.threaded_url)
    text = shown(research, research.threaded_url)
    assert f"Comments ({len(truth['comments'])})" in text
    lines = text.splitlines()
    indent_of = {}
    for comment in truth["comments"]:
        when = comment["published_at"].replace("T", " ")[:16]
        line = next(line for line in lines if line.strip().lstrip("↳ ").startswith(comment["author"])
                    and when in line)
        indent_of[comment["id"]] = len(line) - len(line.lstrip())
        first_words = " ".join(comment["text"].split()[:5])
        assert first_words in " ".join(text.split())
    for comment in truth["comments"]:
        if comment["parent"]:
            assert indent_of[comment["id"]] > indent_of[comment["parent"]]
        else:
            assert indent_of[comment["id"]] == 0
    assert any(c["parent"] for c in truth["comments"])


def test_by_id_and_older_versions(research):
    with reading_archive(research.path) as db:
        current = load_version(db, research.changed_url)
        by_id = load_version(db, current.article_id)
        first = load_version(db, research.changed_url, 1)
    assert current.version_no == 2 and current.version_count == 2 and by_id == current
    assert current.record.title == CORRECTED_TITLE
    assert first.record.title == truth_of(research, research.changed_url)["title"]
    assert "Version 1 of 2" in render_article(first)


def test_diff_summarizes_changed_fields_and_shows_a_unified_diff(research):
    old_title = truth_of(research, research.changed_url)["title"]
    with reading_archive(research.path) as db:
        text = diff_versions(db, research.changed_url)
        same = diff_versions(db, research.changed_url, "2..2")
    assert f"changed: title: {old_title!r} -> {CORRECTED_TITLE!r}" in text
    assert "changed: takeaways: changed (" in text
    assert "changed: sections" not in text and "changed: authors" not in text
    assert f"-{old_title}" in text.splitlines() and f"+{CORRECTED_TITLE}" in text.splitlines()
    assert f"+  • {ADDED_TAKEAWAY}" in text.splitlines()
    assert "no content changes" in same


def test_unknown_articles_versions_and_ranges(research):
    with reading_archive(research.path) as db:
        with pytest.raises(NotFound, match="no article"):
            load_version(db, "https://nowhere.example/a/")
        with pytest.raises(NotFound, match="no article"):
            load_version(db, 9999)
        with pytest.raises(NotFound, match="has no version 3"):
            load_version(db, research.changed_url, 3)
        with pytest.raises(NotFound, match="only one version"):
            diff_versions(db, research.nato_url)
        with pytest.raises(BadRequest, match="A..B"):
            diff_versions(db, research.changed_url, "1-2")
        with pytest.raises(NotFound, match="has no version 7"):
            diff_versions(db, research.changed_url, "1..7")


def test_a_url_as_a_browser_shows_it_finds_its_article(research):
    url = research.changed_url
    assert url.startswith("http://") and url.endswith("/")
    with reading_archive(research.path) as db:
        article_id = load_version(db, url).article_id
        for spelling in (url + "?utm_source=newsletter&fbclid=x#comments", url[:-1],
                         "https://" + url[len("http://"):]):
            assert load_version(db, spelling).article_id == article_id, spelling
        with pytest.raises(NotFound):
            load_version(db, url + "not-this/")


def test_a_url_without_its_scheme_finds_its_article(research):
    # Copied from a browser's address bar, which hides the scheme: "there is no article ...".
    url = research.changed_url
    bare = url[len("http://"):]
    assert bare.startswith("127.0.0.1:8642/") and bare.endswith("/")
    with reading_archive(research.path) as db:
        article_id = load_version(db, url).article_id
        for typed in (bare, bare[:-1], bare + "?utm_source=x#comments", "//" + bare):
            assert load_version(db, typed).article_id == article_id, typed
        assert diff_versions(db, bare) == diff_versions(db, url)
        # a word, the slug alone or a site without a path is no article's URL
        slug = url.rstrip("/").rsplit("/", 1)[1]
        for word in ("story", slug, "127.0.0.1:8642", "127.0.0.1:8642/", "3.14"):
            with pytest.raises(NotFound, match="no article"):
                load_version(db, word)


def test_a_shortlink_finds_the_article_whose_page_names_it(research):
    # WordPress's <link rel="shortlink"> (https://site/?p=123), as shared on social media.
    with reading_archive(research.path) as db:
        changed = load_version(db, research.changed_url)
        nato = load_version(db, research.nato_url)
        shortlink = changed.record.post_id
        assert shortlink.startswith(BASE + "?p=")
        number = shortlink.rsplit("=", 1)[1]
        bare = BASE[len("http://"):]
        for typed in (shortlink, shortlink + "&utm_source=twitter&utm_medium=social", bare + "?p=" + number,
                      "https://" + bare + "?page_id=" + number, BASE + "index.php?p=" + number + "&share=x",
                      BASE[:-1] + "?p=" + number):
            assert load_version(db, typed).article_id == changed.article_id, typed
        assert load_version(db, nato.record.post_id).article_id == nato.article_id
        assert diff_versions(db, shortlink) == diff_versions(db, research.changed_url)
        for other in (BASE + "?p=1", BASE + "?p=" + number + "0", BASE + "?q=" + number,
                      "http://elsewhere.example/?p=" + number):
            with pytest.raises(NotFound, match="no article"):
                load_version(db, other)


def test_cli_show_by_a_url_without_its_scheme_or_by_a_shortlink(research):
    db = ["--db", str(research.path)]
    by_url = run_cli("show", research.changed_url, *db)
    bare = research.changed_url[len("http://"):]
    with reading_archive(research.path) as conn:
        shortlink = load_version(conn, research.changed_url).record.post_id
    for typed in (bare.rstrip("/"), shortlink[len("http://"):] + "&utm_source=twitter"):
        result = run_cli("show", typed, *db)
        assert (result.returncode, result.stdout) == (0, by_url.stdout), (typed, result.stderr)
    assert_one_line(run_cli("show", "story", *db), 1, "there is no article story in the archive")
    assert_one_line(run_cli("show", BASE + "?p=1", *db), 1, f"there is no article {BASE}?p=1 in the archive")


def test_cli_show_version_and_diff(research):
    db = ["--db", str(research.path)]
    before = hashlib.sha256(research.path.read_bytes()).hexdigest()
    result = run_cli("show", research.changed_url, *db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(CORRECTED_TITLE + "\n")
    with reading_archive(research.path) as conn:
        article_id = load_version(conn, research.changed_url).article_id
    old = run_cli("show", str(article_id), "--version", "1", *db)
    assert old.returncode == 0 and "Version 1 of 2" in old.stdout and CORRECTED_TITLE not in old.stdout
    diff = run_cli("show", str(article_id), "--diff", *db)
    assert diff.returncode == 0 and f"+{CORRECTED_TITLE}" in diff.stdout
    ranged = run_cli("show", research.changed_url, "--diff", "1..2", *db)
    assert ranged.stdout == diff.stdout
    assert_one_line(run_cli("show", "https://nowhere.example/a/", *db), 1, "no article")
    assert_one_line(run_cli("show", research.nato_url, "--diff", *db), 1, "only one version")
    assert_one_line(run_cli("show", research.nato_url, "--diff", "one..two", *db), 2, "A..B")
    assert_one_line(run_cli("show", research.nato_url, "--version", "4", *db), 1, "has no version 4")
    assert hashlib.sha256(research.path.read_bytes()).hexdigest() == before


HUGE = "99999999999999999999999"  # beyond SQLite's largest integer, 2**63 - 1


@pytest.mark.parametrize("args, message", [
    ([HUGE], "an article id is a whole number up to 9223372036854775807"),
    (["ID", "--version", HUGE], "--version: must be at most 9223372036854775807"),
    (["ID", "--diff", f"1..{HUGE}"], "a version number is a whole number up to 9223372036854775807"),
    (["ID", "--diff", f"{HUGE}..1"], "a version number is a whole number up to 9223372036854775807"),
    (["ID", "--diff", "²..1"], "--diff takes two version numbers"),   # a digit int() cannot read
])
def test_cli_huge_and_odd_numbers_are_one_line_exit_2(research, args, message):
    with reading_archive(research.path) as db:
        article_id = load_version(db, research.changed_url).article_id
    result = run_cli("show", *[str(article_id) if a == "ID" else a for a in args], "--db", str(research.path))
    assert result.returncode == 2 and result.stdout == "" and "Traceback" not in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr


def test_huge_numbers_are_bad_requests_in_the_library(research):
    with reading_archive(research.path) as db:
        with pytest.raises(BadRequest, match="up to 9223372036854775807"):
            load_version(db, int(HUGE))
        with pytest.raises(BadRequest, match="up to 9223372036854775807"):
            load_version(db, HUGE)   # digits that name no URL are an id
        with pytest.raises(BadRequest, match="up to 9223372036854775807"):
            load_version(db, research.changed_url, int(HUGE))
        with pytest.raises(BadRequest, match="up to 9223372036854775807"):
            diff_versions(db, research.changed_url, f"1..{HUGE}")
        with pytest.raises(NotFound, match="has no version 9223372036854775807"):
            load_version(db, research.changed_url, 2 ** 63 - 1)   # the largest is a fair question


@pytest.mark.parametrize("extra", [[], ["--diff"]])
def test_a_full_disk_on_standard_output_is_one_line_exit_2(research, extra):
    assert_one_line(run_cli_into_full_disk("show", research.changed_url, *extra, "--db", str(research.path)), 2,
                    "cannot write to standard output: No space left on device")


def test_a_terminal_that_is_not_utf8_gets_text_and_data_without_a_traceback(research, tmp_path):
    """In a Latin-1 (or Shift_JIS, or Windows code page) locale, an apostrophe printed as ’ made
    show, search and export end in a UnicodeEncodeError traceback. Text for the terminal now
    prints what the encoding cannot as "?"; JSON and CSV are UTF-8, as `export -o FILE` writes them."""
    latin1 = {"PYTHONIOENCODING": "latin-1"}
    for args in (["show", research.nato_url], ["search", "rutte"], ["stats"]):
        result = run_cli(*args, "--db", str(research.path), env=latin1)
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "I?ll be watching" in run_cli("show", research.nato_url, "--db", str(research.path), env=latin1).stdout
    for fmt in ("jsonl", "csv"):
        result = run_cli("export", "--format", fmt, "--db", str(research.path), env=latin1)
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
        written = tmp_path / f"export.{fmt}"
        assert run_cli("export", "--format", fmt, "--db", str(research.path), "-o", str(written)).returncode == 0
        assert result.stdout == written.read_text(encoding="utf-8") and "’" in result.stdout
    result = run_cli("search", "rutte", "--json", "--db", str(research.path), env=latin1)
    assert result.returncode == 0 and "’" in result.stdout, result.stderr


ESCAPING_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><script type="application/ld+json">'
    '{"@type": "NewsArticle", "headline": "Harbour \\u001b]52;c;aGk=\\u0007dredging \\u001b[2J plan",'
    ' "author": {"@type": "Person", "name": "Ann \\u001b[8m Lee"}, "datePublished": "2025-01-01T00:00:00Z"}'
    '</script></head><body class="single single-post"><article class="post"><h1 class="entry-title">x</h1>'
    '<div class="entry-content"><p>The harbour \x1b]8;;http://elsewhere.example/\x07dredging\x1b]8;;\x07'
    ' plan was approved by the council after a long debate about its costs.</p></div></article></body></html>')


def test_control_characters_from_a_page_never_reach_the_terminal(tmp_path):
    """A page's text keeps the ESC and BEL it carried (its JSON-LD's \\u001b, a raw byte), and show,
    search and stats printed them: the terminal cleared its screen, hid the byline, took a forged
    link and was asked to write the clipboard (OSC 52). Each now shows as U+FFFD."""
    from archive import ArchiveStore
    from scraper.extract import parse_article

    path = tmp_path / "archive.db"
    url = "http://127.0.0.1:8642/2025/01/01/harbour/"
    record = parse_article(ESCAPING_PAGE.encode(), url=url)
    assert "\x1b" in record.title and "\x1b" in record.authors[0] and "\x1b" in record.body_text
    with ArchiveStore(path) as store:
        store.store(record, raw_html=ESCAPING_PAGE.encode(), fetched_at="2025-01-02T00:00:00Z")
    for args in (["show", url], ["search", "dredging"], ["stats"]):
        result = run_cli(*args, "--db", str(path))
        assert result.returncode == 0, result.stderr
        assert not set(result.stdout) & {"\x1b", "\x07"} and "\ufffd" in result.stdout, args
    shown = run_cli("show", url, "--db", str(path)).stdout
    assert "Harbour \ufffd]52;c;aGk=\ufffddredging \ufffd[2J plan" in shown
    exported = run_cli("export", "--db", str(path)).stdout  # data keeps the text as archived
    assert json.loads(exported)["title"] == record.title
    from scraper.research_cli import ANSI_HIGHLIGHT
    from scraper.stdout import terminal_text
    on, off = ANSI_HIGHLIGHT  # search's own highlighting in a terminal stays
    assert terminal_text(f"{on}harbour{off} \x1b[2J", keep=ANSI_HIGHLIGHT) == f"{on}harbour{off} \ufffd[2J"
