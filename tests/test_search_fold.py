"""Full-width, half-width and compatibility forms find each other: ＮＨＫ and NHK, ２０２５年 and 2025年,
ｶﾀｶﾅ and カタカナ, ﬁnance and finance, whichever was stored and whichever is typed.

unicode61 folds case and accents, not these: each form found only itself. The indexes now hold the
text folded (Unicode NFKC, archive.fold) and the query is folded too; the snippet still shows the
text as the page wrote it. The archive is a loopback crawl of a small site with such text.
"""
from __future__ import annotations

import sqlite3

import pytest

from archive import SCHEMA_VERSION, ArchiveStore
from archive.filters import ArticleFilter
from archive.readonly import reading_archive
from archive.search import search_articles
from tests.conftest import (LOOPBACK, FrontPageSite, article_page, articles_line, run_cli, serving_site,
                            stored_one_by_one_and_in_bulk)
from tests.old_schema import as_schema_9

# path, title, byline, published, paragraphs, takeaways
ARTICLES = [
    # Written full-width and half-width, as Japanese news and older Japanese sites write them.
    ("/ja/nhk-digital/", "ＮＨＫ、２０２５年からﾃﾞｼﾞﾀﾙ放送を拡充", "佐藤花子", "2025-03-01T09:00:00+09:00",
     ["日本放送協会（ＮＨＫ）は２０２５年４月から、ﾃﾞｼﾞﾀﾙ放送の番組表をｶﾀｶﾅでも表示すると発表しました。",
      "番組の詳細はウェブサイトで公開されます。"], []),
    # The same words written the usual way.
    ("/ja/half-width/", "NHK World、2025年にカタカナ用語集を公開", "鈴木一郎", "2025-03-02T09:00:00+09:00",
     ["NHK Worldは2025年、カタカナ語の用語集を公開した。", "finance などの英語も解説する。"], []),
    # A PDF's ligatures (ﬁ), and a trademark sign that must not join the word before it.
    ("/en/finance/", "Public ﬁnance review ordered", "S Haynes", "2025-03-03T10:00:00+00:00",
     ["The ﬁnance ministry said the ﬁgures for the year would be revised.", "Sales of the Switch™ console rose."], []),
    # Stories with none of those words (a word in half the archive or more cannot be ranked).
    *((f"/en/harbour-{n}/", f"Harbour dredging, part {n}", "S Haynes", f"2025-02-0{n}T10:00:00+00:00",
       ["The harbour board started dredging the eastern channel.", "Work continues through the winter."], [])
      for n in range(1, 5)),
]


class _Site(FrontPageSite):
    name = "Folding News"

    def front_page(self):
        return [article[:2] for article in ARTICLES]

    def article(self, path):
        for article in ARTICLES:
            if path == article[0]:
                return article_page(self.base, article)
        return None


@pytest.fixture(scope="module")
def archive_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("fold") / "archive.db"
    with serving_site(_Site) as site:
        articles_line(run_cli("crawl", site.base + "/", "--db", str(db), "-q", *LOOPBACK))
    return db


def search(db, query, **filters):
    with reading_archive(db) as conn:
        return search_articles(conn, query, ArticleFilter(**filters), limit=50)


def found(hits):
    return {hit["url"].split("/")[-2]: hit["snippet"] for hit in hits}


def copy_of(archive_db, path):
    with sqlite3.connect(archive_db) as source, sqlite3.connect(path) as copy:
        source.backup(copy)
    return path


@pytest.mark.parametrize("queries, hits", [
    # Latin letters and digits full-width (the stemmed index; the CJK index with 年)
    (("NHK", "ＮＨＫ", "nhk"), {"nhk-digital": "[ＮＨＫ]", "half-width": "[NHK]"}),
    (("2025年", "２０２５年"), {"nhk-digital": "[２０２５年]", "half-width": "[2025年]"}),
    # half-width katakana, also with its sound marks (ﾃﾞ is デ)
    (("カタカナ", "ｶﾀｶﾅ"), {"nhk-digital": "[ｶﾀｶﾅ]", "half-width": "[カタカナ]"}),
    (("デジタル", "ﾃﾞｼﾞﾀﾙ", "デジタル放送"), {"nhk-digital": "[ﾃﾞｼﾞﾀﾙ"}),
    # a ligature, by stem and by prefix (the unstemmed index)
    (("finance", "ﬁnance", "fin*", "ﬁn*"), {"finance": "[ﬁnance]", "half-width": "[finance]"}),
    (("figures", "ﬁgure"), {"finance": "[ﬁgures]"}),
])
def test_each_form_finds_the_other_and_the_snippet_shows_the_text_as_written(archive_db, queries, hits):
    for query in queries:
        result = found(search(archive_db, query))
        assert set(result) == set(hits), query
        for path, marked in hits.items():
            assert marked in result[path], (query, result[path])


def test_the_snippet_is_the_stored_text_only_the_index_is_folded(archive_db):
    (hit,) = search(archive_db, "title:デジタル")
    assert hit["snippet"] == "ＮＨＫ、２０２５年から[ﾃﾞｼﾞﾀﾙ]放送を拡充" == hit["title"].replace("ﾃﾞｼﾞﾀﾙ", "[ﾃﾞｼﾞﾀﾙ]")
    (hit,) = search(archive_db, "ministry")
    assert hit["snippet"] == "The ﬁnance [ministry] said the ﬁgures for the year would be revised.\n\n" \
                             "Sales of the Switch…"
    # ™ stays a mark between words (its NFKC, "TM", would have made "switchtm" of "Switch™")
    assert "[Switch]™" in found(search(archive_db, "switch"))["finance"]
    assert search(archive_db, "switchtm") == []


def test_only_the_versions_whose_text_folds_have_folded_text_and_the_indexes_agree_with_it(archive_db):
    with sqlite3.connect(archive_db) as conn:
        folded = dict(conn.execute("SELECT a.url, f.title FROM versions_folded f "
                                   "JOIN versions v ON v.id = f.version_id JOIN articles a ON a.id = v.article_id"))
        assert {url.split("/")[-2]: title for url, title in folded.items()} == {
            "nhk-digital": "NHK、2025年からデジタル放送を拡充", "finance": "Public finance review ordered"}
        _integrity_check(conn)


def _integrity_check(conn):
    # rank 1: each index also against its content (the view of the text as indexed; the CJK index's own)
    for index in ("versions_fts", "versions_fts_unstemmed", "versions_fts_cjk"):
        conn.execute(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)")


def test_the_indexes_follow_versions_rewritten_changed_and_deleted(archive_db, tmp_path):
    path = copy_of(archive_db, tmp_path / "edited.db")
    with ArchiveStore(path) as store:
        url = next(hit["url"] for hit in search(path, "NHK") if "nhk-digital" in hit["url"])
        version_id = store.db.execute("SELECT current_version_id FROM articles WHERE url = ?", [url]).fetchone()[0]
        # The same page fetched earlier (an old WARC imported late) takes the version's place: its row
        # is rewritten, the update trigger takes its folded text out and the writer puts it back.
        result = store.store(store.get_article(url), raw_html=store.raw_html(url), fetched_at="2025-01-01T00:00:00Z")
        assert (result.status, result.version_id) == ("unchanged", version_id)
        assert store.db.execute("SELECT count(*) FROM versions_folded WHERE version_id = ?",
                                [version_id]).fetchone()[0] == 1
        _integrity_check(store.db.conn)
    assert "[ＮＨＫ]" in found(search(path, "NHK"))["nhk-digital"]

    # Another tool changing or deleting a version's text: the folded row goes, the indexes follow.
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE versions SET title = 'Tokyo', body_text = 'Tokyo news' WHERE id = ?", [version_id])
        conn.execute("DELETE FROM versions WHERE title LIKE 'Public%'")  # foreign keys are off here
        assert conn.execute("SELECT count(*) FROM versions_folded").fetchone()[0] == 0
        _integrity_check(conn)
    assert found(search(path, "tokyo")) == {"nhk-digital": "[Tokyo]"}
    assert set(found(search(path, "NHK"))) == set(found(search(path, "finance"))) == {"half-width"}


def test_an_archive_of_the_previous_schema_is_folded_when_opened(archive_db, tmp_path):
    path = copy_of(archive_db, tmp_path / "schema9.db")
    with sqlite3.connect(path) as conn:
        as_schema_9(conn)
        versions = conn.execute("SELECT * FROM versions ORDER BY id").fetchall()
    # Read commands never migrate: each form finds only itself, as it did.
    assert set(found(search(path, "NHK"))) == {"half-width"}
    assert found(search(path, "ＮＨＫ")) == {"nhk-digital": "[ＮＨＫ]、２０２５年からﾃﾞｼﾞﾀﾙ放送を拡充"}
    with ArchiveStore(path) as store:
        assert store.db.execute("SELECT value FROM newsarchive_meta WHERE key = 'schema_version'"
                                ).fetchone()[0] == str(SCHEMA_VERSION) == "10"
        assert store.db.execute("SELECT count(*) FROM versions_folded").fetchone()[0] == 2
        assert store.db.execute("SELECT * FROM versions ORDER BY id").fetchall() == versions
        _integrity_check(store.db.conn)
    assert found(search(path, "NHK"))["nhk-digital"].startswith("[ＮＨＫ]")
    assert set(found(search(path, "ｶﾀｶﾅ"))) == {"nhk-digital", "half-width"}
    assert set(found(search(path, "ﬁnance"))) == {"finance", "half-width"}


def test_a_failed_upgrade_leaves_the_archive_as_it_was(archive_db, tmp_path, monkeypatch):
    import archive.schema
    from archive.errors import ArchiveError

    path = copy_of(archive_db, tmp_path / "schema9.db")
    with sqlite3.connect(path) as conn:
        as_schema_9(conn)
    schema = "SELECT type, name, sql FROM sqlite_master ORDER BY name"
    with sqlite3.connect(path) as conn:
        before = conn.execute(schema).fetchall(), conn.execute("SELECT * FROM versions ORDER BY id").fetchall()

    def disk_full(*args):
        raise ArchiveError("disk full (simulated)")
    monkeypatch.setattr(archive.schema, "index_versions", disk_full)  # the last step of 9 -> 10
    with pytest.raises(ArchiveError, match="simulated"):
        ArchiveStore(path)
    with sqlite3.connect(path) as conn:
        assert (conn.execute(schema).fetchall(), conn.execute("SELECT * FROM versions ORDER BY id").fetchall()) \
            == before
        for index in ("versions_fts", "versions_fts_unstemmed"):
            conn.execute(f"INSERT INTO {index}({index}, rank) VALUES ('integrity-check', 1)")
    assert set(found(search(path, "ＮＨＫ"))) == {"nhk-digital"}
    monkeypatch.undo()
    with ArchiveStore(path):  # the next open upgrades it
        pass
    assert set(found(search(path, "NHK"))) == {"nhk-digital", "half-width"}


def test_the_bulk_loader_folds_what_store_folds(archive_db, tmp_path):
    one_by_one, bulk = stored_one_by_one_and_in_bulk(archive_db, tmp_path, batch=3)
    rows = "SELECT * FROM versions_folded ORDER BY version_id"
    with sqlite3.connect(one_by_one) as a, sqlite3.connect(bulk) as b:
        _integrity_check(b)
        assert a.execute(rows).fetchall() == b.execute(rows).fetchall() != []
        cjk = "SELECT rowid, * FROM versions_fts_cjk ORDER BY rowid"
        assert a.execute(cjk).fetchall() == b.execute(cjk).fetchall() != []
    assert found(search(bulk, "ｶﾀｶﾅ")) == found(search(one_by_one, "ｶﾀｶﾅ"))


def test_the_command_prints_the_text_as_written(archive_db):
    result = run_cli("search", "NHK", "--db", str(archive_db))
    assert result.returncode == 0, result.stderr
    assert "[ＮＨＫ]" in result.stdout and "[NHK]" in result.stdout
    assert "ＮＨＫ、２０２５年からﾃﾞｼﾞﾀﾙ放送を拡充" in result.stdout  # the title line


# -- the folding itself ------------------------------------------------------------------------

@pytest.mark.parametrize("text, folded", [
    ("ＮＨＫ ２０２５年 ｶﾀｶﾅ ﾃﾞｼﾞﾀﾙ ﾊﾟｿｺﾝ ｰ ﬁnance", "NHK 2025年 カタカナ デジタル パソコン ー finance"),
    ("ｶ\u3099", "ガ"),                    # a combining sound mark joins the kana too
    ("Ⅻ m² ① ſ ﺍ", "XII m2 1 s ا"),       # numerals, superscripts, long s, Arabic presentation forms
    # symbols and punctuation stay: folded, they would join or split words
    ("Switch™ ½ ㈱ ℃ ㍻ …\u00a0\u3000！", "Switch™ ½ ㈱ ℃ ㍻ …\u00a0\u3000！"),
    ("plain ASCII", "plain ASCII"), ("“curly” café 北京 서울", "“curly” café 北京 서울"), (None, None),
])
def test_fold(text, folded):
    from archive.fold import fold
    assert fold(text) == folded


def test_the_characters_fold_passes_over_are_left_as_they_are():
    from archive.fold import _UNCHANGED, fold
    passed_over = [chr(code) for low, high in _UNCHANGED for code in range(ord(low), ord(high) + 1)]
    assert {"a", "é", "“", "\u00a0", "、", "か", "北", "서"} <= set(passed_over)
    # folded alone, and after a letter that is folded (ﬁ; a combining sound mark would join it)
    assert [char for char in passed_over if fold(char) != char] == []
    assert [char for char in passed_over if fold("ﬁ" + char) != "fi" + char] == ["\u3099", "\u309a"]
    assert [char for char in "ª²³µ¹ºゟヿ〸〹〺" if fold(char) == char] == []  # letters and digits just outside
