"""`newsarchive search`: bm25 ranking with the title weighted, highlighted snippets, filters, bad input."""
from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
from functools import partial

import pytest

from archive import ArchiveStore
from archive.errors import ArchiveError
from archive.filters import ArticleFilter
from archive.readonly import BadRequest, reading_archive
from archive.search import search_articles
from scraper.record import ArticleRecord, Section
from tests.conftest import run_cli
from tests.research_archive import (CORRECTED_TITLE, SITE, assert_one_line, build_research_archive,
                                    run_cli_into_full_disk)


@pytest.fixture(scope="module")
def research(tmp_path_factory):
    return build_research_archive(tmp_path_factory.mktemp("search") / "archive.db")


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def search(research, query, **filters):
    with reading_archive(research.path) as db:
        return search_articles(db, query, ArticleFilter(**filters), limit=50)


def test_finds_matches_with_highlighted_snippets_best_first(research):
    hits = search(research, "nato")
    assert {h["url"] for h in hits} >= {t["url"] for t in research.truths if "NATO" in t["title"]}
    assert all("[NATO]" in h["snippet"] or "[nato]" in h["snippet"].lower() for h in hits)
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores)  # bm25: lower is better
    assert hits[0]["authors"] and hits[0]["site"] == SITE


def _record(url, title, body):
    return ArticleRecord(url=url, canonical_url=url, site="news.example.com", is_article=True,
                         title=title, intro=[body], sections=[Section("More", 2, [body])],
                         body_text=body + "\n\n" + body, published_at="2025-01-01T00:00:00Z")


def test_a_title_match_outranks_a_body_match(tmp_path):
    path = tmp_path / "archive.db"
    filler = "The council met again on Tuesday to discuss the budget and the schedule. " * 4
    with ArchiveStore(path) as store:
        # The body-only article mentions the word three times; the title match once.
        store.store(_record("https://news.example.com/a/", "Budget talks continue",
                            filler + "Dredging dredging dredging was mentioned."),
                    raw_html=b"<html></html>", fetched_at="2025-01-02T00:00:00Z")
        store.store(_record("https://news.example.com/b/", "Harbour dredging starts", filler),
                    raw_html=b"<html></html>", fetched_at="2025-01-02T00:00:00Z")
    with reading_archive(path) as db:
        hits = search_articles(db, "dredging")
    assert [h["url"] for h in hits] == ["https://news.example.com/b/", "https://news.example.com/a/"]


def test_current_versions_by_default_every_version_on_request(research):
    assert search(research, '"corrected headline"')[0]["url"] == research.changed_url
    old_title = next(t["title"] for t in research.truths if t["url"] == research.changed_url)
    phrase = '"' + old_title.split(" ", 1)[1] + '"'
    assert [h for h in search(research, phrase) if h["url"] == research.changed_url] == []
    old = [h for h in search(research, phrase, all_versions=True) if h["url"] == research.changed_url]
    assert [h["version_no"] for h in old] == [1] and old[0]["title"] == old_title


def test_filters_narrow_the_results(research):
    everything = search(research, "the")
    assert len(everything) == len(research.truths)
    by_url = {t["url"]: t for t in research.truths}

    author = by_url[everything[0]["url"]]["authors"][0]
    hits = search(research, "the", author=author.upper())
    assert hits and all(author in by_url[h["url"]]["authors"] for h in hits)
    assert len(hits) == sum(author in t["authors"] for t in research.truths)

    hits = search(research, "the", has_takeaways=True)
    expected = {u for u, t in by_url.items() if t["takeaways"]}
    assert {h["url"] for h in hits} == expected and 0 < len(expected) < len(by_url)

    assert len(search(research, "the", site="www." + SITE)) == len(research.truths)
    assert search(research, "the", site="elsewhere.example") == []


def test_site_takes_an_address_pasted_from_a_browser(research):
    """Sites are host names; an address with its scheme, port or path found nothing (exit 1, "no articles match")."""
    everything = len(research.truths)
    for typed in ("http://127.0.0.1:8642/", "https://www.127.0.0.1/2025/09/09/", "127.0.0.1:8642", "127.0.0.1/news/"):
        assert len(search(research, "the", site=typed)) == everything, typed
    assert search(research, "the", site="http://elsewhere.example/127.0.0.1/") == []


def test_since_and_until_compare_published_dates_a_date_including_its_whole_day(research):
    nato = next(t for t in research.truths if "natos" in t["url"])  # published 2025-09-09T13:05:00Z
    day = nato["published_at"][:10]
    hits = search(research, "rutte", since=day, until=day)
    assert [h["url"] for h in hits] == [nato["url"]]
    assert search(research, "rutte", until="2025-09-09T13:04:59Z") == []
    assert search(research, "rutte", since="2025-09-09T15:05:00+02:00") != []   # = 13:05:00Z, inclusive
    assert search(research, "rutte", since="2025-09-09T13:05:01Z") == []
    assert search(research, "rutte", since="2025-09-10") == []


def test_since_and_until_with_a_fraction_of_a_second(research):
    """Published dates are whole seconds: 13:05:00Z is before 13:05:00.5Z, which --since rounded down to it."""
    assert search(research, "rutte", since="2025-09-09T13:05:00.5Z") == []
    assert search(research, "rutte", since="2025-09-09T13:04:59.999999Z") != []
    assert search(research, "rutte", until="2025-09-09T13:05:00.5Z") != []
    assert search(research, "rutte", until="2025-09-09T13:04:59.999Z") == []


def _exhaustive_ranking(path, query, limit):
    """What ranking every match and then keeping current versions gives: the reference for the fast path."""
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute(
            "SELECT a.url FROM versions_fts JOIN versions v ON v.id = versions_fts.rowid "
            "JOIN articles a ON a.id = v.article_id WHERE versions_fts MATCH ? AND v.id = a.current_version_id "
            "ORDER BY bm25(versions_fts, 10.0, 5.0, 1.0) LIMIT ?", (query, limit))]


def _bound_best_matches(monkeypatch, best):
    """Look for a page among at most ``best`` of the best matches (None: as shipped); returns the list that
    gets an entry each time a search falls back to ranking every match."""
    import archive.search as search_module
    if best:
        monkeypatch.setattr(search_module, "_BEST", best)
        monkeypatch.setattr(search_module, "_BEST_PER_HIT", best)
    ranked_all = []
    rank_every_match = search_module._page
    monkeypatch.setattr(search_module, "_page", lambda *a, **k: ranked_all.append(1) or rank_every_match(*a, **k))
    return ranked_all


@pytest.mark.parametrize("best", [None, 1], ids=["as shipped", "one match per hit"])
def test_a_page_is_exactly_the_best_current_versions_even_when_old_versions_rank_higher(tmp_path, best,
                                                                                      monkeypatch):
    # With best=1, fewer of the best matches than there are old versions: the page needs every match ranked.
    ranked_all = _bound_best_matches(monkeypatch, best)
    path = tmp_path / "archive.db"
    filler = "The council met again on Tuesday to discuss the budget and the schedule. " * 3
    with ArchiveStore(path) as store:
        for n in range(24):
            url = f"https://news.example.com/{n}/"
            # The first version of every third article says "zeppelin" most often of all;
            # its correction keeps the word once. Old versions crowd the top of the ranking.
            if n % 3 == 0:
                store.store(_record(url, f"Story {n}", filler + "Zeppelin zeppelin zeppelin zeppelin."),
                            raw_html=b"<html></html>", fetched_at="2025-01-02T00:00:00Z")
            words = " ".join(["zeppelin"] * (1 + n % 4)) if n % 2 == 0 or n % 3 == 0 else "airship"
            store.store(_record(url, f"Story {n} corrected", filler + words + " sighted."),
                        raw_html=b"<html></html>", fetched_at="2025-01-03T00:00:00Z")
        for n in range(24, 60):  # zeppelins are news: most articles are about something else
            store.store(_record(f"https://news.example.com/{n}/", f"Story {n}", filler),
                        raw_html=b"<html></html>", fetched_at="2025-01-03T00:00:00Z")
    with reading_archive(path) as db:
        for limit in (1, 3, 5, 50):
            hits = search_articles(db, "zeppelin", limit=limit)
            assert hits.order == "relevance"
            assert [h["url"] for h in hits] == _exhaustive_ranking(path, "zeppelin", limit)
            assert all(h["version_no"] == (2 if int(h["url"].split("/")[-2]) % 3 == 0 else 1) for h in hits)
        assert len(search_articles(db, "zeppelin", limit=50)) == len(_exhaustive_ranking(path, "zeppelin", 50)) > 8
        # The test means something only if old versions do crowd the top of the full ranking.
        everything = search_articles(db, "zeppelin", ArticleFilter(all_versions=True), limit=8)
        assert [h["version_no"] for h in everything] == [1] * 8
    assert bool(ranked_all) == bool(best)


def _prefix_archive(path):
    filler = "The council met again on Tuesday to discuss the schedule. " * 3
    words = {"a": "The regulator fined the bank.", "b": "Regulators met the banks.",
             "c": "A regulatory review of regulatory rules began.", "d": "Regular trains resumed.",
             "e": "The regulation passed.", "f": "Nothing to see."}
    with ArchiveStore(path) as store:
        for key, sentence in words.items():
            store.store(_record(f"https://news.example.com/{key}/", f"Story {key}", filler + sentence),
                        raw_html=b"<html></html>", fetched_at="2025-01-02T00:00:00Z")


def _keys(hits):
    return sorted(h["url"].split("/")[-2] for h in hits)


def _search_keys(db, query, **filters):
    """The URL keys (a, b, ...) of a search's hits, sorted."""
    return _keys(search_articles(db, query, ArticleFilter(**filters), limit=50))


def test_a_prefix_matches_words_as_written_and_plain_words_by_stem(tmp_path):
    path = tmp_path / "archive.db"
    _prefix_archive(path)
    with reading_archive(path) as db:
        keys = partial(_search_keys, db)
        # Stemmed, "regulator*" would be "regul*" and find regular trains and the regulation too.
        assert keys("regulator*") == ["a", "b", "c"]
        assert keys("regul*") == ["a", "b", "c", "d", "e"]
        assert keys("regulator") == ["a", "b", "e"]  # by stem: regulator, regulators, regulation
        assert keys("regulator* fined") == ["a"]
        assert keys("regulator* OR regular*") == ["a", "b", "c", "d"]
        assert keys('"regulatory rev"*') == ["c"]
        assert keys("regulator*", site="news.example.com") == ["a", "b", "c"]  # the filtered path
        assert keys("title:regulator*") == []
        hits = search_articles(db, "regulators*")
        assert _keys(hits) == ["b"] and "[Regulators]" in hits[0]["snippet"] and hits[0]["score"] < 0


def test_a_prefix_search_ranks_exactly_like_bm25_over_the_unstemmed_index(tmp_path):
    path = tmp_path / "archive.db"
    _prefix_archive(path)
    with ArchiveStore(path) as store:  # a second version of "a", so old versions take part
        store.store(_record("https://news.example.com/a/", "Regulators act", "Regulators regulators."),
                    raw_html=b"<html></html>", fetched_at="2025-01-03T00:00:00Z")
    with sqlite3.connect(path) as conn:
        exhaustive = [row[0].split("/")[-2] for row in conn.execute(
            "SELECT a.url FROM versions_fts_unstemmed f JOIN versions v ON v.id = f.rowid "
            "JOIN articles a ON a.id = v.article_id WHERE f.versions_fts_unstemmed MATCH 'regulator*' "
            "AND v.id = a.current_version_id ORDER BY bm25(versions_fts_unstemmed, 10.0, 5.0, 1.0)")]
    with reading_archive(path) as db:
        assert [h["url"].split("/")[-2] for h in search_articles(db, "regulator*")] == exhaustive
    assert exhaustive[0] == "a" and len(exhaustive) == 3


def test_the_unstemmed_index_follows_edits_made_with_sql(tmp_path):
    """The triggers keep it, and versions_fts, in step with versions edited by any tool."""
    path = tmp_path / "archive.db"
    _prefix_archive(path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE versions SET body_text = 'Zeppelins overhead.' WHERE url LIKE '%/f/'")
        conn.execute("UPDATE versions SET warc_file = 'x.warc.gz', warc_offset = 0 WHERE url LIKE '%/e/'")
        conn.execute("DELETE FROM versions WHERE url LIKE '%/d/'")  # foreign keys are off here
        for index in ("versions_fts", "versions_fts_unstemmed"):
            conn.execute(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)")
        def count(query):
            return conn.execute("SELECT count(*) FROM versions_fts_unstemmed WHERE versions_fts_unstemmed "
                                "MATCH ?", [query]).fetchone()[0]
        assert (count("zeppelin*"), count("nothing"), count("regular*"), count("regulation*")) == (1, 0, 0, 1)
        assert conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE "
                            "'%VIRTUAL TABLE%USING FTS%content=_versions_indexed_text_%' ORDER BY rowid").fetchall() == [
            ("versions_fts",), ("versions_fts_unstemmed",)]
        # Tools that find an FTS table by its content= (Datasette, sqlite-utils) find the stemmed one for
        # the text as indexed (schema 10: the indexes are over that view, archive.fold); `serve` names
        # it for versions and current_versions.
        assert conn.execute("SELECT name FROM sqlite_master WHERE sql LIKE "
                            "'%VIRTUAL TABLE%USING FTS%content=[versions_indexed_text]%'").fetchall() == [
            ("versions_fts",)]


@pytest.fixture(scope="module")
def harbour_archive(tmp_path_factory):
    """160 stories, 64 about a harbour, every length different (no two scores tie, so "the best" has one answer).

    Bylines, dates, takeaways and sites vary; one writer covers the harbour far
    more than the archive at large (a filter that passes few of the best
    matches though many versions), and 12 stories have a corrected version.
    """
    path = tmp_path_factory.mktemp("harbour") / "archive.db"
    filler = "The council met again on Tuesday to discuss the schedule and the budget. "
    with ArchiveStore(path) as store:
        for n in range(160):
            about_harbour = n % 5 < 2
            body = (filler * (1 + n % 5) + "more " * n + " ".join(["harbour"] * (1 + n % 7))
                    if about_harbour else filler + "more " * n)
            author = "Rare Writer" if n % 23 == 0 else "Dock Writer" if about_harbour and n % 3 == 0 else "Staff"
            record = dataclasses.replace(
                _record(f"https://{'news' if n % 4 else 'port'}.example.com/{n}/", f"Story {n}", body),
                site="news.example.com" if n % 4 else "port.example.com", authors=[author],
                published_at=f"2025-{1 + n % 12:02d}-01T00:00:00Z", takeaways=["A point."] if n % 3 == 1 else [])
            store.store(record, raw_html=b"<html></html>", fetched_at="2025-01-02T00:00:00Z")
            if n % 13 == 0:
                corrected = dataclasses.replace(record, body_text=record.body_text + " Corrected.")
                store.store(corrected, raw_html=b"<html>2</html>", fetched_at="2025-01-03T00:00:00Z")
    return path


# Each filter, and the same condition written out for the exhaustive ranking below.
HARBOUR_FILTERS = {
    "rare author": ({"author": "rare writer"}, "EXISTS (SELECT 1 FROM version_authors va JOIN authors au "
                    "ON au.id = va.author_id WHERE va.version_id = v.id AND au.name = 'Rare Writer')"),
    "harbour author": ({"author": "Dock Writer"}, "EXISTS (SELECT 1 FROM version_authors va JOIN authors au "
                       "ON au.id = va.author_id WHERE va.version_id = v.id AND au.name = 'Dock Writer')"),
    "since": ({"since": "2025-11-01"}, "v.published_at >= '2025-11-01'"),
    "until": ({"until": "2025-02-01"}, "v.published_at < '2025-02-02'"),
    "site": ({"site": "port.example.com"}, "a.site = 'port.example.com'"),
    "takeaways": ({"has_takeaways": True}, "EXISTS (SELECT 1 FROM takeaways t WHERE t.version_id = v.id)"),
    "author and dates": ({"author": "Staff", "since": "2025-03-01", "until": "2025-09-30"},
                         "v.published_at >= '2025-03-01' AND v.published_at < '2025-10-01' AND EXISTS (SELECT 1 "
                         "FROM version_authors va JOIN authors au ON au.id = va.author_id "
                         "WHERE va.version_id = v.id AND au.name = 'Staff')"),
}


@pytest.mark.parametrize("query, index", [("harbour", "versions_fts"), ("harbo*", "versions_fts_unstemmed")])
@pytest.mark.parametrize("best", [None, 1], ids=["as shipped", "one match per hit"])
def test_a_filtered_page_is_exactly_the_best_matches_that_pass_even_when_few_do(harbour_archive, best, query,
                                                                                 index, monkeypatch):
    """Whether a page is found among the best matches or needs all of them ranked, it is the page ranking all gives."""
    # With best=1, as few of the best matches as a page has hits: most filters then need every match ranked.
    ranked_all = _bound_best_matches(monkeypatch, best)
    with sqlite3.connect(harbour_archive) as conn:
        def exhaustive(condition, limit):
            return [row[0] for row in conn.execute(
                f"SELECT a.url FROM {index} JOIN versions v ON v.id = {index}.rowid "
                f"JOIN articles a ON a.id = v.article_id WHERE {index} MATCH ? "
                f"AND v.id = a.current_version_id AND {condition} "
                f"ORDER BY bm25({index}, 10.0, 5.0, 1.0) LIMIT ?", [query, limit])]
        expected = {(name, limit): exhaustive(condition, limit) for name, (_, condition) in HARBOUR_FILTERS.items()
                    for limit in (1, 2, 3, 50)}
    assert len(expected[("rare author", 50)]) == 3 and len(expected[("since", 50)]) == 11
    assert all(len(expected[(name, 3)]) == 3 for name in HARBOUR_FILTERS)
    with reading_archive(harbour_archive) as db:
        for (name, limit), urls in expected.items():
            hits = search_articles(db, query, ArticleFilter(**HARBOUR_FILTERS[name][0]), limit=limit)
            assert hits.order == "relevance" and [h["url"] for h in hits] == urls, (name, limit)
            assert [h["score"] for h in hits] == sorted(h["score"] for h in hits)
    # Both ways of finding a page were taken, or this test would prove one only.
    assert (0 < len(ranked_all) < len(expected)) if best else not ranked_all


def test_words_in_half_the_archive_or_more_come_newest_published_first_not_ranked(research):
    hits = search(research, "the")
    assert hits.order == "newest" and {h["score"] for h in hits} == {None}
    with sqlite3.connect(research.path) as conn:
        newest = [row[0] for row in conn.execute(
            "SELECT a.url FROM articles a JOIN versions v ON v.id = a.current_version_id "
            "ORDER BY v.published_at IS NULL, v.published_at DESC, v.id DESC")]
        archived = [row[0] for row in conn.execute("SELECT url FROM articles ORDER BY current_version_id DESC")]
    assert [h["url"] for h in hits] == newest != archived  # the sample site is not archived in date order
    dates = [h["published_at"] for h in hits]
    assert dates == sorted(dates, reverse=True)
    assert all("[" in h["snippet"] for h in hits)
    # A rarer word beside it, or an OR, and bm25 ranks again.
    for query in ("the nato", "the OR nato"):
        ranked = search(research, query)
        assert ranked.order == "relevance" and all(h["score"] is not None for h in ranked)


def test_cli_says_when_results_are_newest_first(research):
    result = run_cli("search", "the", "--db", str(research.path), "--limit", "3", "--json")
    assert result.returncode == 0, result.stderr
    assert "newest published first" in result.stderr and len(result.stdout.splitlines()) == 3
    assert all(json.loads(line)["score"] is None for line in result.stdout.splitlines())
    ranked = run_cli("search", "nato", "--db", str(research.path), "--limit", "3")
    assert ranked.returncode == 0 and ranked.stderr == ""


@pytest.mark.parametrize("query", ['"unbalanced', "AND OR", "title:", "nosuchcolumn:word", "(", "NOT"])
def test_broken_fts_syntax_is_a_bad_request(research, query):
    with pytest.raises(BadRequest, match="bad search query"):
        search(research, query)


@pytest.mark.parametrize("value", ["2025-13-01", "yesterday", "2025/09/09", "09-09-2025"])
def test_bad_dates_are_bad_requests(research, value):
    with pytest.raises(BadRequest, match="--since takes an ISO date"):
        search(research, "nato", since=value)


def test_user_strings_never_become_sql(research):
    before = digest(research.path)
    for evil in ["x'); DROP TABLE articles; --", "nato\" OR 1=1 --"]:
        for kwargs in ({}, {"site": evil}, {"author": evil}):
            try:
                assert search(research, evil if not kwargs else "nato", **kwargs) == []
            except BadRequest:
                pass
    assert digest(research.path) == before
    with sqlite3.connect(research.path) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == len(research.truths)


# -- the command ----------------------------------------------------------------

def test_cli_table_and_json(research):
    result = run_cli("search", "nato", "--db", str(research.path), "--limit", "2")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("1  2025-") and "NATO" in lines[0]
    assert lines[2].startswith("   http://127.0.0.1:8642/") and "[NATO]" in lines[3]
    assert sum(line[:1].isdigit() for line in lines) == 2

    result = run_cli("search", '"corrected headline"', "--db", str(research.path), "--json")
    assert result.returncode == 0, result.stderr
    hits = [json.loads(line) for line in result.stdout.splitlines()]
    assert [h["title"] for h in hits] == [CORRECTED_TITLE] and "[Corrected Headline]" in hits[0]["snippet"]


def test_cli_bad_query_no_match_and_bad_date(research):
    db = ["--db", str(research.path)]
    assert_one_line(run_cli("search", '"unbalanced', *db), 2, "bad search query")
    assert_one_line(run_cli("search", "AND OR", *db), 2, "bad search query")
    assert_one_line(run_cli("search", "nato", "--since", "2030-01-01", *db), 1, "no articles match",
                    "since 2030-01-01")
    assert_one_line(run_cli("search", "nato", "--until", "soon", *db), 2, "--until takes an ISO date")


def test_cli_refuses_missing_foreign_and_corrupt_files_without_touching_them(tmp_path):
    missing = tmp_path / "nope.db"
    assert_one_line(run_cli("search", "nato", "--db", str(missing)), 2, f"no archive at {missing}")
    assert not missing.exists()

    foreign = tmp_path / "other.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE customers (name TEXT)")
    text = tmp_path / "notes.db"
    text.write_text("not a database\n" * 20)
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    for path, message in ((foreign, "not a newsarchive archive"), (text, "not an SQLite database"),
                          (empty, "is empty")):
        before = digest(path)
        assert_one_line(run_cli("search", "nato", "--db", str(path)), 2, message)
        assert digest(path) == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db", "notes.db", "other.db"]


def test_cli_reports_a_damaged_archive_in_one_line_and_leaves_it_alone(research, tmp_path):
    damaged = tmp_path / "damaged.db"
    data = bytearray(research.path.read_bytes())
    # Keep the header page (the schema) and smash everything after the second page.
    data[8192:-4096] = (b"\xde\xad\xbe\xef" * len(data))[:len(data) - 4096 - 8192]
    damaged.write_bytes(bytes(data))
    before = digest(damaged)
    assert_one_line(run_cli("search", "nato", "--db", str(damaged)), 2, "is corrupt")
    assert digest(damaged) == before


# -- everyday words with hyphens and apostrophes; bylines written with ’ --------------------

def _vocabulary_archive(path):
    filler = "The council met again on Tuesday to discuss the schedule. " * 3
    stories = {"a": ("Open-source licences", "The open-source licence was signed.", ["Marcus O’Neill"]),
               "b": ("Licences", "An open source licence, spaced.", ["Ann Smith‐Jones"]),   # U+2010 hyphen
               "c": ("Code", "The source code is open to all.", ["Staff"]),
               "d": ("Cases", "COVID-19 cases rose again.", ["Staff"]),
               "e": ("Quotes", "O’Neill said the e-mail was sent.", ["Marcus O'Neill"]),
               "f": ("More quotes", "Mr O'Neill's office said so.", ["Staff"])}
    with ArchiveStore(path) as store:
        for key, (title, sentence, authors) in stories.items():
            store.store(dataclasses.replace(_record(f"https://news.example.com/{key}/", title, filler + sentence),
                                            authors=authors),
                        raw_html=b"<html></html>", fetched_at="2025-01-02T00:00:00Z")


def test_words_with_hyphens_and_apostrophes_search_as_the_phrase_of_their_parts(tmp_path):
    path = tmp_path / "archive.db"
    _vocabulary_archive(path)
    with reading_archive(path) as db:
        keys = partial(_search_keys, db)
        assert keys("open-source") == keys('"open source"') == ["a", "b"]
        assert keys("COVID-19") == ["d"] and keys("e-mail") == ["e"]
        assert keys("O'Neill") == keys("O’Neill") == ["e", "f"] and keys("O'Neill's") == ["f"]
        assert keys("title:open-source") == ["a"] and keys("open-sour*") == ["a", "b"]
        assert keys("open-source OR COVID-19") == ["a", "b", "d"] and keys("open-source NOT spaced") == ["a"]
        assert keys("NEAR(open-source signed, 3)") == ["a"] and keys("open-source", site="news.example.com") == ["a", "b"]
    db_arg = ["--db", str(path)]
    for query in ("open-source", "a-b", "O'Neill", "COVID-19", "e-mail"):
        result = run_cli("search", query, *db_arg, "--json")
        assert result.returncode in (0, 1) and "Traceback" not in result.stderr, (query, result.stderr)
        assert "syntax error" not in result.stderr and "no such column" not in result.stderr, query
    assert sorted(json.loads(line)["url"][-2] for line in run_cli("search", "O'Neill", *db_arg, "--json")
                  .stdout.splitlines()) == ["e", "f"]


@pytest.mark.parametrize("query", ['"nato summit"', "rutte OR nato", "nato AND rutte", "nato NOT summit",
                                   "NEAR(nato rutte, 10)", "regulat*", "title:nato", "nato -title:summit",
                                   "nato-title:summit", "{title subtitle}:nato", "-{title}:nato", '"a-b"',
                                   "^nato", "nato + summit", "(nato OR rutte) AND summit", '"unbalanced'])
def test_the_documented_query_syntax_is_passed_to_fts5_unchanged(research, query):
    from archive.search import joined_words_as_phrases
    assert joined_words_as_phrases(query) == query


def test_author_treats_apostrophe_and_hyphen_variants_alike(tmp_path):
    path = tmp_path / "archive.db"
    _vocabulary_archive(path)
    with reading_archive(path) as db:
        def keys(**filters):
            return _keys(search_articles(db, "council", ArticleFilter(**filters), limit=50))
        # The byline of "a" prints O’Neill (U+2019), that of "e" O'Neill: either spelling finds both.
        for name in ("Marcus O'Neill", "marcus o’neill", "MARCUS O‘NEILL", "Marcus Oʼneill"):
            assert keys(author=name) == ["a", "e"], name
        assert keys(author="Ann Smith-Jones") == keys(author="ann smith‐jones") == ["b"]
        assert keys(author="Marcus ONeill") == [] and keys(author="Staff") == ["c", "d", "f"]
        rows = [json.loads(line) for line in _exported(db, ArticleFilter(author="Marcus O'Neill")).splitlines()]
        assert sorted(row["url"][-2] for row in rows) == ["a", "e"]
    result = run_cli("search", "council", "--db", str(path), "--author", "Marcus O'Neill", "--json")
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 2, result.stderr


def _exported(db, filters):
    import io
    from archive.export import export
    out = io.StringIO()
    export(db, out, "jsonl", filters)
    return out.getvalue()



# -- dates in every accepted form; empty filter values ------------------------------------

@pytest.mark.parametrize("day, next_day", [("2025-09-09", "2025-09-10"), ("20250909", "20250910"),
                                           ("2025-W37-2", "2025-W37-3"), ("2025W372", "2025W373")])
def test_a_date_only_until_includes_its_whole_day_in_every_accepted_form(research, day, next_day):
    nato = next(t for t in research.truths if "natos" in t["url"])  # published 2025-09-09T13:05:00Z
    assert [h["url"] for h in search(research, "rutte", since=day, until=day)] == [nato["url"]]
    assert search(research, "rutte", since=next_day) == []
    assert search(research, "rutte", until="20250909T130459Z") == []   # a compact datetime stays a moment
    assert search(research, "rutte", until="20250909T130500Z") != []


@pytest.mark.parametrize("option", ["site", "author", "since", "until"])
@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_filter_value_is_refused_not_ignored(research, option, value):
    with pytest.raises(BadRequest, match=f"--{option} is empty"):
        search(research, "nato", **{option: value})
    assert_one_line(run_cli("search", "nato", "--db", str(research.path), f"--{option}", value), 2,
                    f"--{option} is empty")


# -- a query too common to rank: newest published first -----------------------------------

@pytest.fixture(scope="module")
def dated_archive(tmp_path_factory):
    """60 stories that all say "the", two thirds "budget", archived in an order unlike their publication
    order; 5 undated, 6 with a corrected version, two writers, two sites."""
    path = tmp_path_factory.mktemp("dated") / "archive.db"
    filler = "The council met again on Tuesday to discuss the schedule. "
    with ArchiveStore(path) as store:
        for n in range(60):
            published = None if n % 12 == 5 else f"2025-{1 + (n * 7) % 12:02d}-{1 + (n * 11) % 28:02d}T{n % 24:02d}:00:00Z"
            record = dataclasses.replace(
                _record(f"https://{'news' if n % 3 else 'port'}.example.com/{n}/", f"Story {n}",
                        filler + ("budget " if n % 3 else "") + "more " * n),
                published_at=published, authors=["Rare Writer" if n % 9 == 0 else "Staff"],
                site="news.example.com" if n % 3 else "port.example.com")
            store.store(record, raw_html=b"<html></html>", fetched_at="2025-01-02T00:00:00Z")
            if n % 10 == 0:
                store.store(dataclasses.replace(record, body_text=record.body_text + " Corrected."),
                            raw_html=b"<html>2</html>", fetched_at="2025-01-03T00:00:00Z")
    return path


DATED_FILTERS = {
    "none": ({}, "v.id = a.current_version_id"),
    "all versions": ({"all_versions": True}, "1"),
    "rare author": ({"author": "Rare Writer"}, "v.id = a.current_version_id AND EXISTS (SELECT 1 FROM "
                    "version_authors va JOIN authors au ON au.id = va.author_id WHERE va.version_id = v.id "
                    "AND au.name = 'Rare Writer')"),
    "until": ({"until": "2025-06-30"}, "v.id = a.current_version_id AND v.published_at < '2025-07-01'"),
    "site": ({"site": "port.example.com"}, "v.id = a.current_version_id AND a.site = 'port.example.com'"),
}


@pytest.mark.parametrize("query", ["the", "the*", "council the", "budget"])
@pytest.mark.parametrize("newest", [None, 0, 3], ids=["as shipped", "every match collected", "few looked at"])
def test_a_query_too_common_to_rank_comes_newest_published_first_undated_last(dated_archive, query, newest,
                                                                           monkeypatch):
    import archive.search as search_module
    if newest is not None:  # how many of the newest versions are looked at before every match is collected
        monkeypatch.setattr(search_module, "_NEWEST", newest)
        monkeypatch.setattr(search_module, "_NEWEST_PER_HIT", 1)
    collected = []
    collect_all = search_module._newest_of_all_matches
    monkeypatch.setattr(search_module, "_newest_of_all_matches",
                        lambda *a: collected.append(1) or collect_all(*a))
    index = "versions_fts_unstemmed" if "*" in query else "versions_fts"
    with sqlite3.connect(dated_archive) as conn:
        def expected(condition, limit):
            return [row[0] for row in conn.execute(
                f"SELECT a.url || ' v' || v.version_no FROM versions v JOIN articles a ON a.id = v.article_id "
                f"WHERE {condition} AND v.id IN (SELECT rowid FROM {index} WHERE {index} MATCH ?) "
                f"ORDER BY v.published_at IS NULL, v.published_at DESC, v.id DESC LIMIT ?", [query, limit])]
        archived = [row[0] for row in conn.execute(
            "SELECT a.url || ' v' || v.version_no FROM versions v JOIN articles a ON a.id = v.article_id "
            "WHERE v.id = a.current_version_id ORDER BY v.id DESC")]
        assert expected("v.id = a.current_version_id", 60) != archived
    with reading_archive(dated_archive) as db:
        for name, (filters, condition) in DATED_FILTERS.items():
            for limit in (1, 4, 20, 100):
                hits = search_articles(db, query, ArticleFilter(**filters), limit=limit)
                assert hits.order == "newest" and {h["score"] for h in hits} <= {None}, (name, limit)
                assert [f"{h['url']} v{h['version_no']}" for h in hits] == expected(condition, limit), (name, limit)
                assert all(h["snippet"] for h in hits)
        undated = search_articles(db, "the", limit=100)[-5:]
        assert [h["published_at"] for h in undated] == [None] * 5
    # Both ways of finding the page were taken where they can be, or this test would prove one only.
    if newest == 0:
        assert collected and not search_module._NEWEST
    else:  # most pages come from the newest versions; a third of those do not say "budget"
        assert len(collected) < 4 * len(DATED_FILTERS) and (collected or query != "budget")


def test_a_limit_beyond_sqlite_is_one_line_exit_2(research):
    result = run_cli("search", "nato", "--db", str(research.path), "--limit", "99999999999999999999")
    assert result.returncode == 2 and result.stdout == "" and "Traceback" not in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "must be at most 9223372036854775807" in result.stderr
    with reading_archive(research.path) as db:
        with pytest.raises(ArchiveError, match="from 1 to 9223372036854775807"):
            search_articles(db, "nato", limit=10 ** 20)
        assert len(search_articles(db, "nato", limit=2 ** 63 - 1)) > 1


@pytest.mark.parametrize("args", [["nato"], ["nato", "--json"], ["the", "--json"]])
def test_a_full_disk_on_standard_output_is_one_line_exit_2(research, args):
    result = run_cli_into_full_disk("search", *args, "--db", str(research.path))
    lines = [line for line in result.stderr.splitlines() if not line.startswith("note: ")]  # the unranked note
    assert result.returncode == 2 and "Traceback" not in result.stderr and "Exception" not in result.stderr
    assert lines == ["newsarchive: cannot write to standard output: No space left on device"], result.stderr


def test_a_reader_that_stops_early_gets_no_traceback(research):
    """`newsarchive search ... | head -n 1` stays quiet, as before the full-disk check."""
    import os
    import subprocess
    import sys
    from tests.conftest import ROOT
    script = (f'"{sys.executable}" -m scraper.cli search nato --json --limit 50 --db "{research.path}" | head -n 1; '
              'echo "exit=${PIPESTATUS[0]}" >&2')
    result = subprocess.run(["bash", "-c", script], env=dict(os.environ, PYTHONPATH=str(ROOT)),
                            capture_output=True, text=True, timeout=120)
    assert json.loads(result.stdout)["article_id"]
    assert result.stderr.strip() == "exit=0", result.stderr
