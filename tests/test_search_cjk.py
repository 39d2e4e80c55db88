"""Searching Chinese and Japanese news, written without spaces: a word inside a run of text is found.

unicode61 made one word of a whole run between punctuation ("中国北京市政府"), so `北京` found
nothing and `東京*` only runs that start with it. The versions with such text are indexed as
overlapping pairs of characters as well (versions_fts_cjk, archive.cjk), and a query with such
characters is asked of that index. The archive here is a loopback crawl of a small site of
Chinese, Japanese and English articles, searched through the library and the CLI.
"""
from __future__ import annotations

import json
import sqlite3

import pytest

from archive import SCHEMA_VERSION, ArchiveStore
from archive.filters import ArticleFilter
from archive.readonly import reading_archive
from archive.search import search_articles
from archive.timestamps import utc_now
from tests.conftest import (LOOPBACK, FrontPageSite, article_page, articles_line, run_cli, serving_site,
                            stored_one_by_one_and_in_bulk)
from tests.old_schema import as_schema_9

# path, title, byline, published, paragraphs, takeaways
ARTICLES = [
    ("/zh/beijing-traffic/", "北京市政府发布交通新规", "王伟", "2025-09-01T08:00:00+08:00",
     ["据新华社报道，中国北京市政府今天宣布了新的交通规定。", "新规定将于下月起实施，市民可以通过网站查询详细内容。"],
     ["新规定下月实施", "市民可在网上查询"]),
    ("/zh/shanghai-economy/", "上海经济持续增长", "李娜", "2025-09-05T08:00:00+08:00",
     ["上海市统计局发布的数据显示，今年上半年经济增长稳定。", "专家认为，上海与北京的合作将进一步加强。"], []),
    ("/ja/sakura/", "東京の桜、満開に", "佐藤花子", "2025-04-01T09:00:00+09:00",
     ["東京の桜が満開になりました。上野公園には多くの花見客が訪れています。", "気象庁によると、今週末まで見頃が続く見込みです。"], []),
    ("/ja/olympics/", "東京オリンピックの会場、一般公開へ", "鈴木一郎", "2025-07-20T09:00:00+09:00",
     ["東京オリンピック（Tokyo Olympics）の会場が来月から一般公開されます。", "大会の記念展示も行われる予定です。"], []),
    ("/en/harbour/", "Harbour dredging starts", "S Haynes", "2025-09-02T10:00:00+00:00",
     ["The harbour board started dredging the eastern channel on Monday.",
      "Dredging will continue through the winter, the board said."], []),
    # More stories in neither city, so that bm25 can rank the ones that are (a word in half of the
    # index's versions or more has no weight).
    ("/zh/guangzhou-weather/", "广州迎来今年首场台风", "陈静", "2025-08-20T08:00:00+08:00",
     ["气象台预计台风将于明天凌晨登陆，广州全市停课一天。"], []),
    ("/zh/shenzhen-tech/", "深圳科技企业加大研发投入", "张强", "2025-08-25T08:00:00+08:00",
     ["深圳多家科技企业表示，今年将继续扩大研发团队。"], []),
    ("/ja/osaka-festival/", "大阪の夏祭り、三年ぶりに開催", "田中太郎", "2025-07-25T09:00:00+09:00",
     ["大阪の天神祭が三年ぶりに開催され、多くの人でにぎわいました。"], []),
    ("/ja/kyoto-autumn/", "京都の紅葉が見頃に", "山本美咲", "2025-11-15T09:00:00+09:00",
     ["京都の寺院では紅葉が見頃を迎え、観光客が増えています。"], []),
]
EDITED_TITLE = "北京市政府修改交通新规"
CJK_INDEX = "versions_fts_cjk"


class _Site(FrontPageSite):
    name = "新闻 ニュース News"
    titles: dict = {}   # path -> an edited headline

    def front_page(self):
        return [article[:2] for article in ARTICLES]

    def article(self, path):
        for article in ARTICLES:
            if path == article[0]:
                return article_page(self.base, article, self.titles.get(path))
        return None


def _crawl(site, db):
    articles_line(run_cli("crawl", site.base + "/", "--db", str(db), "-q", *LOOPBACK))


@pytest.fixture(scope="module")
def site():
    with serving_site(_Site, titles={}) as handler:
        yield handler


@pytest.fixture(scope="module")
def archive_db(site, tmp_path_factory):
    """The site crawled twice: the Beijing story's headline edited in between (two versions)."""
    db = tmp_path_factory.mktemp("cjk") / "archive.db"
    _crawl(site, db)
    site.titles[ARTICLES[0][0]] = EDITED_TITLE
    _crawl(site, db)
    return db


def search(db, query, **filters):
    with reading_archive(db) as conn:
        return search_articles(conn, query, ArticleFilter(**filters), limit=50)


def paths(hits):
    return ["/" + hit["url"].split("/", 3)[3] for hit in hits]


def test_a_word_inside_a_run_of_chinese_is_found_title_matches_first(archive_db):
    # 北京 inside 中国北京市政府 (the body) and 北京市政府修改交通新规 (the title); and in the
    # Shanghai story's body only: the title match ranks first.
    hits = search(archive_db, "北京")
    assert paths(hits) == ["/zh/beijing-traffic/", "/zh/shanghai-economy/"]
    assert hits[0]["title"] == EDITED_TITLE and hits[0]["score"] < hits[1]["score"]
    assert hits[0]["snippet"] == "据新华社报道，中国[北京]市政府今天宣布了新的交通规定。\n\n新规定将于下月起实…"
    # a snippet that ends on a hit ends with the pair's second character, marked too
    assert hits[1]["snippet"] == "上海市统计局发布的数据显示，今年上半年经济增长稳定。\n\n专家认为，上海与[北京]…"


def test_a_three_character_word_is_found_and_characters_that_are_not_together_are_not(archive_db):
    assert paths(search(archive_db, "北京市")) == ["/zh/beijing-traffic/"]
    assert search(archive_db, "北市") == []        # 北 and 市 of 北京市, not side by side
    assert paths(search(archive_db, "上海经济")) == ["/zh/shanghai-economy/"]
    assert search(archive_db, "上海北京") == []


def test_a_single_character_is_found_wherever_it_stands(archive_db):
    # 桜 starts no run: 東京の桜、 ends with it, and 東京の桜が満開 has it inside.
    hits = search(archive_db, "桜")
    assert paths(hits) == ["/ja/sakura/"]
    assert hits[0]["snippet"] == "東京の[桜]が満開になりました。上野公園には多くの花見客が訪れています…"
    (hit,) = search(archive_db, "title:桜")
    assert hit["snippet"] == "東京の[桜]、満開に"
    assert paths(search(archive_db, '"桜"')) == ["/ja/sakura/"]
    # a word with its own ending: 満開 in 満開に and in 満開になりました
    assert paths(search(archive_db, "満開")) == ["/ja/sakura/"]


def test_chinese_or_japanese_mixed_with_other_words(archive_db):
    hits = search(archive_db, "東京 Olympics")
    assert paths(hits) == ["/ja/olympics/"]
    assert "[東京]オリンピック（Tokyo [Olympics]）" in hits[0]["snippet"]
    assert sorted(paths(search(archive_db, "東京"))) == ["/ja/olympics/", "/ja/sakura/"]
    assert paths(search(archive_db, "東京 OR 上海")) != []
    assert paths(search(archive_db, "東京 NOT 桜")) == ["/ja/olympics/"]
    assert paths(search(archive_db, "title:北京")) == ["/zh/beijing-traffic/"]
    assert paths(search(archive_db, '"東京の桜"')) == ["/ja/sakura/"]
    assert paths(search(archive_db, "東京　桜")) == ["/ja/sakura/"]     # an ideographic space between words


def test_filters_and_every_version(archive_db):
    assert paths(search(archive_db, "北京", author="李娜")) == ["/zh/shanghai-economy/"]
    assert paths(search(archive_db, "北京", since="2025-09-03")) == ["/zh/shanghai-economy/"]
    assert paths(search(archive_db, "北京", until="2025-09-03")) == ["/zh/beijing-traffic/"]
    assert paths(search(archive_db, "北京", has_takeaways=True)) == ["/zh/beijing-traffic/"]
    assert len(search(archive_db, "北京", site="127.0.0.1")) == 2
    assert search(archive_db, "北京", site="elsewhere.example") == []
    # The first headline is only in version 1, which --all-versions searches too.
    assert search(archive_db, "发布交通") == []
    old = search(archive_db, "发布交通", all_versions=True)
    assert [(hit["version_no"], hit["title"]) for hit in old] == [(1, ARTICLES[0][1])]
    assert sorted(hit["version_no"] for hit in search(archive_db, "北京市", all_versions=True)) == [1, 2]


def test_an_english_query_on_the_same_archive_is_searched_as_before(archive_db):
    hits = search(archive_db, "dredging")
    assert paths(hits) == ["/en/harbour/"] and "[dredging]" in hits[0]["snippet"].lower()
    with sqlite3.connect(archive_db) as conn:
        assert [row[0] for row in conn.execute(
            "SELECT bm25(versions_fts, 10.0, 5.0, 1.0) FROM versions_fts WHERE versions_fts MATCH 'dredging'")] \
            == [hit["score"] for hit in hits]
        # Only the versions with Chinese or Japanese text are in the CJK index.
        assert conn.execute(f"SELECT count(*) FROM {CJK_INDEX}").fetchone()[0] == 9 == \
            conn.execute("SELECT count(*) FROM versions").fetchone()[0] - 1


def test_the_command_prints_the_text_as_written_with_the_hit_marked(archive_db):
    result = run_cli("search", "北京", "--db", str(archive_db))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"1  2025-09-01  {EDITED_TITLE} (version 2)"
    assert lines[3].strip() == "据新华社报道，中国[北京]市政府今天宣布了新的交通规定。 新规定将于下月起实…"
    assert "专家认为，上海与[北京]…" in result.stdout and "北京 京市" not in result.stdout
    result = run_cli("search", "title:桜", "--json", "--db", str(archive_db))
    (hit,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert hit["snippet"] == "東京の[桜]、満開に" and hit["title"] == "東京の桜、満開に"


def _cjk_rows(conn):
    return conn.execute(f"SELECT rowid, title FROM {CJK_INDEX} ORDER BY rowid").fetchall()


def _integrity_check(conn):
    conn.execute(f"INSERT INTO {CJK_INDEX}({CJK_INDEX}, rank) VALUES ('integrity-check', 1)")


def test_an_archive_of_the_previous_schema_is_indexed_when_opened(archive_db, tmp_path):
    path = tmp_path / "schema7.db"
    with sqlite3.connect(archive_db) as source, sqlite3.connect(path) as copy:
        source.backup(copy)
        indexed = _cjk_rows(copy)
        as_schema_9(copy)
        # What schema 7 was: no CJK index, no triggers of it.
        copy.execute(f"DROP TABLE IF EXISTS {CJK_INDEX}")
        copy.execute("DROP TRIGGER IF EXISTS versions_cjk_ad")
        copy.execute("DROP TRIGGER IF EXISTS versions_cjk_au")
        copy.execute("DROP TABLE IF EXISTS raw_later_pages")  # schema 9
        copy.execute("UPDATE newsarchive_meta SET value = '7' WHERE key = 'schema_version'")
    # Read commands never migrate: the query goes to the old index, as it did (and finds nothing).
    assert search(path, "北京") == [] and paths(search(path, "dredging")) == ["/en/harbour/"]
    with ArchiveStore(path) as store:
        assert store.db.execute("SELECT value FROM newsarchive_meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
        assert _cjk_rows(store.db.conn) == indexed and len(indexed) == 9
        _integrity_check(store.db.conn)
    assert paths(search(path, "北京")) == ["/zh/beijing-traffic/", "/zh/shanghai-economy/"]
    assert paths(search(path, "桜")) == ["/ja/sakura/"]


def test_the_index_follows_versions_written_updated_and_deleted(archive_db, tmp_path):
    path = tmp_path / "edited.db"
    with sqlite3.connect(archive_db) as source, sqlite3.connect(path) as copy:
        source.backup(copy)
    with ArchiveStore(path) as store:
        url = search(path, "桜")[0]["url"]
        (version_id, fetched_at), = store.db.execute(
            "SELECT v.id, v.fetched_at FROM versions v JOIN articles a ON a.current_version_id = v.id "
            "WHERE a.url = ?", [url]).fetchall()
        # The same page fetched a day earlier (an old WARC imported late) takes the version's place:
        # its row is rewritten (the update trigger takes the old index row out, the writer puts it back).
        record = store.get_article(url)
        result = store.store(record, raw_html=store.raw_html(url), fetched_at="2025-01-01T00:00:00Z")
        assert (result.status, result.version_id) == ("unchanged", version_id)
        assert store.db.execute("SELECT fetched_at FROM versions WHERE id = ?", [version_id]).fetchone()[0] \
            != fetched_at
        assert [row[0] for row in _cjk_rows(store.db.conn)].count(version_id) == 1
        # A new version written by newsarchive is indexed, and the old one stays (it is a version too).
        edited = type(record).from_dict({**record.to_dict(), "title": "上野の桜、散り始める", "content_hash": None})
        new = store.store(edited, raw_html=b"<html></html>", fetched_at=utc_now())
        assert new.status == "changed"
        _integrity_check(store.db.conn)
    assert [hit["title"] for hit in search(path, "上野の桜")] == ["上野の桜、散り始める"]
    assert paths(search(path, "title:満開", all_versions=True)) == ["/ja/sakura/"]

    # Another tool changing or deleting a version's text leaves no stale row behind.
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE versions SET title = 'Sakura', body_text = 'Cherry blossom' WHERE id = ?", [version_id])
        conn.execute("DELETE FROM versions WHERE id = ?", [new.version_id])  # foreign keys are off here
        assert [row for row in _cjk_rows(conn) if row[0] in (version_id, new.version_id)] == []
        _integrity_check(conn)
    assert search(path, "桜", all_versions=True) == []


def test_the_bulk_loader_indexes_what_store_indexes(archive_db, tmp_path):
    one_by_one, bulk = stored_one_by_one_and_in_bulk(archive_db, tmp_path, batch=4)
    with sqlite3.connect(one_by_one) as a, sqlite3.connect(bulk) as b:
        assert _cjk_rows(a) == _cjk_rows(b) and len(_cjk_rows(a)) == 8
    assert paths(search(bulk, "北京")) == ["/zh/beijing-traffic/", "/zh/shanghai-economy/"]


@pytest.mark.parametrize("query, match", [
    ("北京市", '"北京 京市"'),                      # the phrase of its pairs
    ("桜", '"桜"*'),                                # one character: the first of a pair, or a run's last
    ("桜*", '"桜"*'),
    ('"東京の桜" Olympics', '"東京 京の の桜" Olympics'),
    ("東京、大阪", '"東京 京 、 大阪"'),             # 東京 ends at the comma: its last character too
    ("東京2020 OR title:北京", '"東京 京 2020" OR title:"北京"'),
    ("東京　大阪", '"東京" "大阪"'),                 # an ideographic space separates words
])
def test_a_query_as_pairs(query, match):
    from archive.search import as_cjk_phrases
    assert as_cjk_phrases(query)[0] == match


@pytest.mark.parametrize("snippet, pairs, shown", [
    # the pairs' spaces go; a hit on a pair of the query is a hit on both its characters; a cut pair shows both
    (" 中国 国北 \x02北京 京市\x03 市政 政府 府 ", {"北京", "京市"}, "中国[北京市]政府"),
    ("…国北 \x02北京\x03 京市…", {"北京"}, "…国[北京]市…"),
    ("…国北 \x02北京\x03…", {"北京"}, "…国[北京]…"),
    ("…国北 \x02北京 京市\x03…", {"北京", "京市", "市政"}, "…国[北京市]…"),  # the phrase cut short
    # a pair found as a prefix ("桜"*) marks its first character only
    (" 東京 京の の桜 \x02桜\x03 、 \x02桜が\x03 が ", set(), "東京の[桜]、[桜]が"),
    ("…の \x02桜が\x03…", set(), "…の[桜]が…"),
    # other text as it was, marks across it kept
    ("Tokyo  \x02東京 京  Olympics\x03 in 2020", set(), "Tokyo [東京 Olympics] in 2020"),
])
def test_a_snippet_as_written(snippet, pairs, shown):
    from archive.cjk import original_snippet
    assert original_snippet(snippet, ("[", "]"), frozenset(pairs)) == shown
