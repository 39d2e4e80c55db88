"""The sample site's ways in: sitemap index, news sitemap, WordPress core sitemaps, gzip, Atom."""
from __future__ import annotations

import gzip
import time
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone

import pytest

from scraper.sample_site import SampleSite

BASE = "http://127.0.0.1:8642/"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def site():
    return SampleSite(articles=120, seed=11)


def get(site, path):
    status, ctype, body = site.render(path, BASE)
    assert status == 200, path
    return ctype, body


def urls_of(body: bytes) -> dict[str, ET.Element]:
    return {u.findtext(SM + "loc"): u for u in ET.fromstring(body).iter(SM + "url")}


def children_of(body: bytes) -> list[tuple[str, str]]:
    root = ET.fromstring(body)
    assert root.tag == SM + "sitemapindex"
    return [(s.findtext(SM + "loc"), s.findtext(SM + "lastmod")) for s in root.iter(SM + "sitemap")]


def path_of(url: str) -> str:
    return "/" + url[len(BASE):]


def instant(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def test_sitemap_index_covers_every_article_once_with_lastmod(site):
    truth = {t["url"] for t in site.ground_truth(BASE)}
    children = children_of(get(site, "/sitemap.xml")[1])
    months = [loc for loc, _ in children if "/sitemap-posts-" in loc]
    assert len(months) > 12 and all(lastmod for _, lastmod in children)
    seen = []
    for loc, lastmod in children:
        entries = urls_of(get(site, path_of(loc))[1])
        seen += [u for u in entries if u in truth]
        # The child's lastmod is its newest entry's.
        assert instant(lastmod) == max(instant(e.findtext(SM + "lastmod")) for e in entries.values())
    assert sorted(seen) == sorted(truth)
    month = months[0].rsplit("sitemap-posts-", 1)[1][:7]
    assert all(f"/{month.replace('-', '/')}/" in u for u in urls_of(get(site, f"/sitemap-posts-{month}.xml")[1]))
    assert site.render("/sitemap-posts-1999-01.xml", BASE)[0] == 404


def test_news_sitemap_lists_recent_articles_with_date_and_title(site):
    entries = urls_of(get(site, "/news-sitemap.xml")[1])
    by_url = {BASE.rstrip("/") + a.path: a for a in site.articles}
    newest = max(a.published for a in site.articles)
    recent = {u for u, a in by_url.items() if a.published >= newest - timedelta(days=30)}
    assert set(entries) == recent and 0 < len(recent) < len(by_url)
    for url, entry in entries.items():
        news = entry.find(NEWS + "news")
        assert instant(news.findtext(NEWS + "publication_date")) == by_url[url].published
        assert news.findtext(NEWS + "title") == by_url[url].title
        assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Sample News"


def test_wordpress_core_sitemaps(site):
    children = [loc for loc, _ in children_of(get(site, "/wp-sitemap.xml")[1])]
    assert children[0] == BASE + "wp-sitemap-posts-post-1.xml"
    posts = urls_of(get(site, "/wp-sitemap-posts-post-1.xml")[1])
    assert set(posts) == {t["url"] for t in site.ground_truth(BASE)}
    assert all(e.findtext(SM + "lastmod") for e in posts.values())
    assert BASE + "category/world/" in urls_of(get(site, "/wp-sitemap-taxonomies-category-1.xml")[1])
    assert BASE + "author/s-haynes/" in urls_of(get(site, "/wp-sitemap-users-1.xml")[1])
    assert site.render("/wp-sitemap-posts-post-2.xml", BASE)[0] == 404


def test_gzip_sitemap_is_served_compressed(site):
    ctype, body = get(site, "/sitemap-posts.xml.gz")
    assert ctype == "application/x-gzip" and body[:2] == b"\x1f\x8b"
    assert set(urls_of(gzip.decompress(body))) == {t["url"] for t in site.ground_truth(BASE)}
    assert body == SampleSite(articles=120, seed=11).render("/sitemap-posts.xml.gz", BASE)[2]


def test_robots_names_the_sitemaps(site):
    robots = get(site, "/robots.txt")[1].decode()
    assert f"Sitemap: {BASE}sitemap.xml" in robots and f"Sitemap: {BASE}news-sitemap.xml" in robots


def test_atom_feed_beside_rss_with_dates_and_authors(site):
    ctype, body = get(site, "/feed/atom/")
    assert ctype.startswith("application/atom+xml")
    entries = ET.fromstring(body).findall(ATOM + "entry")
    truth = {t["url"]: t for t in site.ground_truth(BASE)}
    rss_links = [i.findtext("link") for i in ET.fromstring(get(site, "/feed/")[1]).iter("item")]
    atom_links = [e.find(ATOM + "link").get("href") for e in entries]
    assert atom_links == rss_links and len(atom_links) == 20
    for entry, url in zip(entries, atom_links):
        t = truth[url]
        assert [a.findtext(ATOM + "name") for a in entry.findall(ATOM + "author")] == t["authors"]
        assert entry.findtext(ATOM + "title") == t["title"]
        published = instant(entry.findtext(ATOM + "published"))
        assert instant(entry.findtext(ATOM + "updated")) >= published
        if not t["published_at"].endswith("T00:00:00Z"):   # pages that show only a day
            assert published == instant(t["published_at"])


def test_update_article_moves_lastmod_and_updated_forward():
    site = SampleSite(articles=60, seed=3)
    a = site.articles[-1]                     # newest: in the news sitemap and the feeds
    url = BASE.rstrip("/") + a.path
    month = f"/sitemap-posts-{a.published:%Y-%m}.xml"

    def dates():
        atom = {e.find(ATOM + "link").get("href"): e.findtext(ATOM + "updated")
                for e in ET.fromstring(get(site, "/feed/atom/")[1]).iter(ATOM + "entry")}
        return [urls_of(get(site, month)[1])[url].findtext(SM + "lastmod"),
                urls_of(get(site, "/news-sitemap.xml")[1])[url].findtext(SM + "lastmod"),
                urls_of(gzip.decompress(get(site, "/sitemap-posts.xml.gz")[1]))[url].findtext(SM + "lastmod"),
                urls_of(get(site, "/wp-sitemap-posts-post-1.xml")[1])[url].findtext(SM + "lastmod"),
                atom[url]]

    before = dates()
    started = datetime.now(timezone.utc).replace(microsecond=0)
    site.update_article(url, title="Changed")
    after = dates()
    for old, new in zip(before, after):
        # An edit made now is dated now, later than any fetch made before it.
        assert instant(new) > instant(old) and instant(new) >= started
    month_index = dict(children_of(get(site, "/sitemap.xml")[1]))
    assert instant(month_index[BASE + month.lstrip("/")]) >= started


def test_sitemaps_of_a_large_site_are_cheap():
    started = time.perf_counter()
    big = SampleSite(articles=10_000, seed=1)
    for path in ("/sitemap.xml", "/news-sitemap.xml", "/wp-sitemap.xml", "/wp-sitemap-posts-post-5.xml",
                 "/sitemap-posts.xml.gz", "/feed/atom/"):
        assert big.render(path, BASE)[0] == 200, path
    assert big.render("/wp-sitemap-posts-post-6.xml", BASE)[0] == 404
    assert time.perf_counter() - started < 10
