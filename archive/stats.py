"""What is in an archive: articles per site, per author, per month of publication, and the crawls."""
from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from .reading import check_limit, paywalled_column
from .tables import text_table

UNDATED = "undated"


def archive_stats(db: Database, top_authors: int = 10, crawls: int = 10) -> dict[str, Any]:
    """Counts over each article's current version, and the latest ``crawls`` crawl runs (newest first)."""
    check_limit(top_authors)
    check_limit(crawls)
    totals = dict(zip(("articles", "versions", "crawls", "failures"), db.execute("""SELECT
        (SELECT count(*) FROM articles), (SELECT count(*) FROM versions),
        (SELECT count(*) FROM crawls), (SELECT count(*) FROM crawl_failures)""").fetchone()))
    # articles whose page serves only a teaser of the archived text (articles.paywalled_at)
    (paywalled,) = db.execute(f"SELECT count(paywalled_at) FROM (SELECT {paywalled_column(db)} FROM articles)"
                              ).fetchone()
    return {
        "totals": totals,
        "paywalled": paywalled,
        "sites": _rows(db, """
            SELECT site, count(*) AS articles, sum(version_count) AS versions,
                   min(first_seen_at) AS first_seen, max(last_seen_at) AS last_seen
            FROM articles GROUP BY site ORDER BY articles DESC, site""", {}),
        "authors": _rows(db, """
            SELECT au.name AS author, count(*) AS articles
            FROM articles a JOIN version_authors va ON va.version_id = a.current_version_id
            JOIN authors au ON au.id = va.author_id
            GROUP BY au.id ORDER BY articles DESC, au.name LIMIT :limit""", {"limit": top_authors}),
        "months": _rows(db, """
            SELECT coalesce(substr(v.published_at, 1, 7), :undated) AS month, count(*) AS articles
            FROM articles a JOIN versions v ON v.id = a.current_version_id
            GROUP BY month ORDER BY month""", {"undated": UNDATED}),
        "crawls": _rows(db, """
            SELECT id, started_at, finished_at, spider, start_url, status, pages_fetched,
                   articles_new, articles_changed, articles_unchanged, failures
            FROM crawls ORDER BY id DESC LIMIT :limit""", {"limit": crawls}),
    }


def _rows(db: Database, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    return list(db.query(sql, params))


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def stats_text(stats: dict[str, Any]) -> str:
    """The stats as aligned text tables."""
    t = stats["totals"]
    parts = [", ".join(_count(t[key], noun) for key, noun in (
        ("articles", "article"), ("versions", "version"), ("crawls", "crawl"), ("failures", "failed page")))]
    if stats.get("paywalled"):
        parts.append(f"{_count(stats['paywalled'], 'article')} behind a paywall since archived: "
                     "the page serves a teaser, the archive keeps the full text")
    parts += ["", "Articles per site", text_table(stats["sites"], ["site", "articles", "versions",
                                                                     "first_seen", "last_seen"])]
    parts += ["", f"Top {len(stats['authors'])} authors", text_table(stats["authors"], ["author", "articles"])]
    parts += ["", "Articles per month published", text_table(stats["months"], ["month", "articles"])]
    parts += ["", "Crawls (newest first)", text_table(stats["crawls"], [
        "id", "started_at", "spider", "status", "pages_fetched", "articles_new",
        "articles_changed", "articles_unchanged", "failures"])]
    return "\n".join(parts) + "\n"
