"""The bundled sample site: deterministic, crawlable, and faithful to its own ground truth."""
from __future__ import annotations

import collections
import http.client
import json
import re
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html
import pytest

from scraper.sample_site import SampleSite, SampleSiteServer

ROOT = Path(__file__).resolve().parent.parent
SEED_TXT = ROOT / "scraper" / "sample_site" / "data" / "seed_article.txt"
SEED_PATH = "/2025/09/09/rutte-and-prime-minister-discuss-natos-evolving-security-landscape/"
BASE = "http://127.0.0.1:8642/"
TRUTH_KEYS = {"url", "canonical_url", "title", "subtitle", "authors", "published_at", "modified_at",
              "reading_time_minutes", "language", "intro", "sections", "takeaways_heading", "takeaways",
              "comments_open", "comment_form", "comments", "tags", "categories"}


@pytest.fixture(scope="module")
def site():
    return SampleSite()


@pytest.fixture(scope="module")
def truth(site):
    return site.ground_truth(BASE)


@pytest.fixture(scope="module")
def server(site):
    with SampleSiteServer(site) as srv:
        yield srv


def fetch(url: str, method: str = "GET"):
    req = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


# -- an independent reading of an article page, by its documented markup ------------
def _text(el) -> str:
    return " ".join(el.text_content().split())


def _utc(value: str) -> str:
    return datetime.fromisoformat(value).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def read_article(html: bytes) -> dict:
    doc = lxml.html.fromstring(html)
    graph = None
    for script in doc.xpath('//script[@type="application/ld+json"]'):
        graph = json.loads(script.text)["@graph"]
    news = next((n for n in graph or [] if n.get("@type") == "NewsArticle"), None)
    meta = {m.get("property"): m.get("content") for m in doc.xpath("//meta[@property]")}
    if news:
        published, modified = _utc(news["datePublished"]), _utc(news["dateModified"])
    elif "article:published_time" in meta:
        published = _utc(meta["article:published_time"])
        modified = _utc(meta["article:modified_time"]) if "article:modified_time" in meta else None
    else:
        visible = _text(doc.cssselect(".single-meta .meta-date")[0])
        published = datetime.strptime(visible, "%B %d, %Y").strftime("%Y-%m-%dT00:00:00Z")
        modified = None
    content = doc.cssselect("div.s-ct > div.entry-content.rbct")[0]
    intro, sections, takeaways_heading, takeaways = [], [], None, []
    for el in content:
        classes = el.get("class") or ""
        if el.tag in ("h2", "h3"):
            nxt = el.getnext()
            if nxt is not None and nxt.tag in ("ul", "ol"):
                takeaways_heading = _text(el)
            else:
                sections.append({"heading": _text(el), "level": int(el.tag[1]), "paragraphs": []})
        elif el.tag in ("ul", "ol"):
            takeaways = [_text(li) for li in el.cssselect("li")]
        elif "key-takeaways" in classes:
            takeaways_heading = _text(el.cssselect(".takeaways-title")[0])
            takeaways = [_text(li) for li in el.cssselect("li")]
        elif el.tag == "p":
            (sections[-1]["paragraphs"] if sections else intro).append(_text(el))
        else:
            assert "ad-wrap" in classes, classes
    comments = []
    for li in doc.cssselect("ol.comment-list li.comment"):
        parent = li.getparent().getparent()
        body = li.cssselect("article.comment-body")[0]
        comments.append({
            "author": _text(body.cssselect(".comment-author .fn")[0]),
            "published_at": _utc(body.cssselect(".comment-metadata time")[0].get("datetime")),
            "text": "\n\n".join(_text(p) for p in body.cssselect(".comment-content p")),
            "id": li.get("id"),
            "parent": parent.get("id") if parent.tag == "li" else None,
            "published_at_raw": None,  # the time is machine-readable
        })
    form = doc.cssselect("form#commentform")
    tagline = doc.cssselect("h2.s-tagline")
    return {
        "canonical_url": doc.xpath('//link[@rel="canonical"]/@href')[0],
        "title": _text(doc.cssselect("h1.s-title")[0]),
        "subtitle": _text(tagline[0]) if tagline else None,
        "authors": [_text(a) for a in doc.cssselect(".single-meta .meta-author a[rel=author]")],
        "published_at": published,
        "modified_at": modified,
        "reading_time_minutes": int(_text(doc.cssselect(".meta-read")[0]).split()[0]),
        "intro": intro,
        "sections": sections,
        "takeaways_heading": takeaways_heading,
        "takeaways": takeaways,
        "comments_open": bool(form),
        "comment_action": form[0].get("action") if form else None,
        "comments": comments,
        "tags": [_text(a) for a in doc.cssselect(".entry-tags a[rel=tag]")],
        "categories": [_text(a) for a in doc.cssselect(".s-cats a[rel~=category]")],
        "body_class": doc.xpath("//body/@class")[0],
        "og_type": meta.get("og:type"),
        "closed_notice": [_text(p) for p in doc.cssselect("p.no-comments")],
        "has_jsonld": graph is not None,
    }


# -- determinism ----------------------------------------------------------------------
def test_two_builds_are_byte_identical(site):
    other = SampleSite(articles=320, seed=2025)
    paths = [a.path for a in site.articles] + ["/", "/page/2/", "/category/world/", "/feed/", "/sitemap.xml",
                                               "/tag/nato/", "/author/s-haynes/", "/?s=budget", "/about/"]
    for path in paths:
        assert site.render(path, BASE) == other.render(path, BASE), path
    assert site.ground_truth(BASE) == other.ground_truth(BASE)
    different = SampleSite(articles=320, seed=7)
    assert [a.title for a in different.articles] != [a.title for a in site.articles]


def test_base_url_only_changes_absolute_links(site):
    path = site.articles[123].path
    one = site.render(path, "http://127.0.0.1:1111/")[2].decode()
    two = site.render(path, "http://127.0.0.1:2222/")[2].decode()
    assert one != two
    assert one.replace("127.0.0.1:1111", "127.0.0.1:2222").replace("127.0.0.1%3A1111", "127.0.0.1%3A2222") == two
    assert "http://127.0.0.1:1111/wp-comments-post.php" in one or "Comments are closed." in one


# -- content --------------------------------------------------------------------------
def test_site_is_large_and_varied(site, truth):
    assert len(truth) == len(site) == 320
    assert all(set(t) == TRUTH_KEYS for t in truth)
    assert len({t["url"] for t in truth}) == 320
    assert len({t["title"] for t in truth}) == 320
    assert len({t["intro"][0] for t in truth}) == 320
    authors = collections.Counter(a for t in truth for a in t["authors"])
    assert len(authors) == 12 and "S Haynes" in authors
    assert 15 <= sum(len(t["authors"]) == 2 for t in truth) <= 60
    categories = collections.Counter(c for t in truth for c in t["categories"])
    assert set(categories) == {"World", "Politics", "Business", "Technology", "Science", "Health", "Climate",
                               "Arts & Culture"}
    assert all(2 <= len(t["tags"]) <= 5 for t in truth)
    published = sorted(t["published_at"] for t in truth)
    assert published[0] < "2023-11-10" and published[-1].startswith("2025-10-31")
    assert len({a.published.utcoffset() for a in site.articles}) >= 5
    assert all(3 <= len(t["sections"]) <= 9 for t in truth)
    assert all(1 <= len(s["paragraphs"]) <= 3 for t in truth for s in t["sections"])
    assert sum(any(s["level"] == 3 for s in t["sections"]) for t in truth) >= 20
    assert 0.6 < sum(bool(t["takeaways"]) for t in truth) / 320 < 0.9
    assert {a.takeaway_style for a in site.articles} == {"ul", "ol", "box", None}
    closed = sum(not t["comments_open"] for t in truth) / 320
    assert 0.08 < closed < 0.22
    assert all((t["comment_form"] is None) == (not t["comments_open"]) for t in truth)
    assert sum(len(t["comments"]) for t in truth) > 400
    assert any(c["parent"] for t in truth for c in t["comments"])
    assert max(len(t["comments"]) for t in truth) == 5
    modes = collections.Counter(a.date_mode for a in site.articles)
    assert modes["full"] > 240 and 15 <= modes["no_jsonld"] <= 50 and 8 <= modes["text_only"] <= 30


def test_reading_time_follows_word_count(site, truth):
    for a, t in zip(site.articles, truth):
        if a.is_seed:
            continue
        words = sum(len(p.split()) for p in t["intro"])
        words += sum(len(s["heading"].split()) + sum(len(p.split()) for p in s["paragraphs"]) for s in t["sections"])
        if t["takeaways"]:
            words += len(t["takeaways_heading"].split()) + sum(len(x.split()) for x in t["takeaways"])
        assert t["reading_time_minutes"] == max(1, -(-words // 238)), t["url"]


def test_seed_article_has_the_seed_text(site, truth):
    lines = [line.strip() for line in SEED_TXT.read_text(encoding="utf-8").splitlines() if line.strip()]
    seed = next(t for t in truth if t["url"] == BASE.rstrip("/") + SEED_PATH)
    assert seed["title"] == lines[0] == "Rutte and Prime Minister Discuss NATO’s Evolving Security Landscape"
    assert seed["authors"] == ["S Haynes"]
    assert seed["reading_time_minutes"] == 8
    assert seed["subtitle"] == lines[3]
    assert seed["intro"] == [lines[4]]
    assert seed["published_at"].startswith("2025-09-09T")
    headings = [s["heading"] for s in seed["sections"]]
    assert headings == [
        "Assessing the Doha Situation and its Regional Impact", "NATO’s Role in a Fractured World",
        "The Specter of Escalation: Examining Potential Flashpoints", "Balancing Deterrence and Diplomacy",
        "Tradeoffs in NATO’s Security Commitments", "Future Focus: Strategic Adaptation and Resilience",
        "What to Watch Next in NATO’s Security Posture", "Stay Informed on Transatlantic Security"]
    watch = seed["sections"][6]["paragraphs"]
    assert len(watch) == 2 and watch[1].startswith("It is important to note that public statements")
    assert seed["takeaways_heading"] == "Key Takeaways from the Prime Minister-Rutte Meeting"
    assert seed["takeaways"] == [line.lstrip("• ").strip() for line in lines if line.startswith("•")]
    assert len(seed["takeaways"]) == 5
    # Every body line of the seed text is in the ground truth, in order.
    body = [seed["title"], "S Haynes", "8 Min Read", seed["subtitle"], *seed["intro"]]
    for s in seed["sections"]:
        if s["heading"] == "Stay Informed on Transatlantic Security":
            body += [seed["takeaways_heading"], *("• " + x for x in seed["takeaways"])]
        body += [s["heading"], *s["paragraphs"]]
    body += ["Share This Article", "Leave a Comment", "Leave a Reply",
             "Your email address will not be published. Required fields are marked *"]
    assert body == [line.replace("  • ", "• ") for line in lines]
    assert seed["comments_open"] and seed["comments"] == []
    page = site.render(SEED_PATH, BASE)[2].decode()
    assert "Share This Article" in page and 'class="comment-box-header" href="#respond"' in page


def test_every_article_page_matches_its_ground_truth(site, truth):
    for a, t in zip(site.articles, truth):
        status, ctype, body = site.render(a.path, BASE)
        assert status == 200 and ctype.startswith("text/html")
        page = read_article(body)
        for key in ("canonical_url", "title", "subtitle", "authors", "published_at", "modified_at",
                    "reading_time_minutes", "intro", "sections", "takeaways_heading", "takeaways",
                    "comments_open", "comments", "tags", "categories"):
            assert page[key] == t[key], (t["url"], key, page[key], t[key])
        assert page["comment_action"] == (BASE + "wp-comments-post.php" if t["comments_open"] else None)
        assert page["closed_notice"] == ([] if t["comments_open"] else ["Comments are closed."])
        assert page["og_type"] == "article"
        assert page["body_class"].startswith(
            f"post-template-default single single-post postid-{a.post_id} single-format-standard")
        assert page["has_jsonld"] == (a.date_mode == "full")


def test_text_only_dates_leave_no_machine_readable_date(site, truth):
    checked = 0
    for a, t in zip(site.articles, truth):
        if a.date_mode != "text_only":
            continue
        html = site.render(a.path, BASE)[2].decode()
        header = html[html.index('<header class="single-header">'):html.index("</header>")]
        assert "<time" not in header and "article:published_time" not in html and "ld+json" not in html
        visible = f"{a.published:%B} {a.published.day}, {a.published.year}"
        assert visible in header
        assert t["published_at"] == a.published.strftime("%Y-%m-%dT00:00:00Z") and t["modified_at"] is None
        checked += 1
    assert checked >= 8


def test_key_content_is_in_the_html(site, truth):
    for t in (truth[0], truth[150], truth[-1]):
        html = site.render(urlsplit(t["url"]).path, BASE)[2].decode()
        doc = lxml.html.fromstring(html)
        assert doc.findtext(".//title") == f"{t['title']} - Sample News"
        assert doc.xpath('//meta[@property="og:site_name"]/@content') == ["Sample News"]
        assert doc.xpath('//meta[@property="og:url"]/@content') == [t["url"]]
        assert doc.xpath('//meta[@property="article:tag"]/@content') == t["tags"]
        assert doc.xpath('//meta[@property="article:section"]/@content') == [t["categories"][0]]
        assert doc.cssselect(".meta-read")[0].text_content() == f"{t['reading_time_minutes']} Min Read"
        text = " ".join(doc.text_content().split())
        assert t["sections"][-1]["paragraphs"][-1] in text
        shares = doc.cssselect(".e-shared-sec a")
        assert len(shares) == 5 and all(
            t["url"].replace(":", "%3A").replace("/", "%2F") in s.get("href") for s in shares)
        assert len(doc.cssselect(".related-sec a.p-url")) == 4
        assert doc.cssselect(".author-box .ubox-description")
        assert "Subscribe to our newsletter" in text and "We use cookies" in text
        assert 60_000 < len(html.encode()) < 130_000


def test_page_weight_is_realistic(site):
    stats = site.page_size_stats(BASE)
    assert stats["pages"] == 320
    assert 60_000 <= stats["min"] and stats["max"] <= 130_000 and 90_000 <= stats["mean"] <= 120_000
    html = site.render(SEED_PATH, BASE)[2].decode()
    # The weight is styles, scripts and chrome, not padding comments.
    assert html.count("<!--") <= 2
    assert sum(len(m) for m in re.findall(r"<style[^>]*>.*?</style>", html, re.S)) > 30_000


# -- listings, feeds and the odd paths --------------------------------------------------------
def test_listing_pages_are_clearly_not_articles(site):
    for path, body_class in (("/", "home blog"), ("/page/3/", "home blog paged"),
                             ("/category/health/", "archive category category-health"),
                             ("/category/world/page/2/", "archive category category-world"),
                             ("/tag/nato/", "archive tag tag-nato"), ("/author/s-haynes/", "archive author"),
                             ("/?s=budget", "search search-results")):
        status, _, body = site.render(path, BASE)
        assert status == 200, path
        doc = lxml.html.fromstring(body)
        assert doc.xpath("//body/@class")[0].startswith(body_class), path
        assert doc.xpath('//meta[@property="og:type"]/@content') == ["website"]
        graph = json.loads(doc.xpath('//script[@type="application/ld+json"]')[0].text)["@graph"]
        assert "CollectionPage" in json.dumps(graph[0]["@type"]) and not any(
            n.get("@type") == "NewsArticle" for n in graph)
        cards = doc.cssselect("article.p-wrap h3.entry-title a")
        assert len(cards) >= 2, path
        assert not doc.xpath('//meta[@property="article:published_time"]')
    home = lxml.html.fromstring(site.render("/", BASE)[2])
    cards = [a.get("href") for a in home.cssselect("article.p-wrap h3 a")]
    assert cards == [BASE.rstrip("/") + site.articles[i].path for i in range(319, 307, -1)]
    assert BASE + "page/2/" in [a.get("href") for a in home.cssselect(".pagination-wrap a")]
    about = lxml.html.fromstring(site.render("/about/", BASE)[2])
    assert about.xpath("//body/@class")[0].startswith("page-template-default page")
    assert site.render("/?s=zzzzqqq", BASE)[0] == 200
    assert b"search-no-results" in site.render("/?s=zzzzqqq", BASE)[2]


def test_unknown_paths_are_404(site):
    for path in ("/nope/", "/2025/09/09/no-such-article/", "/category/nope/", "/page/999/", "/tag/nope/",
                 "/wp-admin/", "/favicon.ico"):
        status, ctype, body = site.render(path, BASE)
        assert status == 404, path
        assert b'class="error404' in body and ctype.startswith("text/html")
    assert site.render("/wp-comments-post.php", BASE)[0] == 405


def test_robots_sitemap_and_feed(server, site):
    base = server.url
    status, headers, body = fetch(base + "robots.txt")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    assert body.decode() == (f"User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n"
                             f"Sitemap: {base}sitemap.xml\nSitemap: {base}news-sitemap.xml\n")

    # /sitemap.xml is a sitemap index; its child sitemaps list every page once.
    status, _, body = fetch(base + "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    index = ET.fromstring(body)
    assert status == 200 and index.tag == "{%s}sitemapindex" % ns["s"]
    urls = []
    for child in index.findall("s:sitemap", ns):
        assert child.findtext("s:lastmod", namespaces=ns)
        status, _, child_body = fetch(child.findtext("s:loc", namespaces=ns))
        assert status == 200
        urls += ET.fromstring(child_body).findall("s:url", ns)
    locs = [u.findtext("s:loc", namespaces=ns) for u in urls]
    truth_urls = {t["url"] for t in site.ground_truth(base)}
    assert truth_urls <= set(locs)
    assert base in locs and base + "category/world/" in locs
    assert len(locs) == len(set(locs)) == 320 + 1 + 8
    assert all(u.findtext("s:lastmod", namespaces=ns) for u in urls)

    status, headers, body = fetch(base + "feed/")
    assert status == 200 and "rss" in headers["Content-Type"]
    channel = ET.fromstring(body).find("channel")
    items = channel.findall("item")
    assert len(items) == 20
    dc = "{http://purl.org/dc/elements/1.1/}creator"
    newest = site.articles[-1]
    assert items[0].findtext("title") == newest.title
    assert items[0].findtext("link") == base.rstrip("/") + newest.path
    dates = [parsedate_to_datetime(i.findtext("pubDate")) for i in items]
    assert dates == sorted(dates, reverse=True)
    assert all(i.findtext(dc) and i.findall("category") for i in items)


def test_server_speaks_http_properly(server, site):
    base = server.url
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", base) and server.port == int(base.rsplit(":", 1)[1][:-1])
    status, headers, body = fetch(base + SEED_PATH.lstrip("/"))
    assert status == 200 and b"Rutte" in body and int(headers["Content-Length"]) == len(body)
    status, headers, body = fetch(base + SEED_PATH.lstrip("/"), method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 60_000
    assert fetch(base + "does-not-exist/")[0] == 404
    status, headers, _ = fetch(base + "wp-comments-post.php")
    assert status == 405 and headers["Allow"] == "POST"
    # Missing trailing slash redirects like WordPress does (urllib follows it).
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", SEED_PATH.rstrip("/"))
    resp = conn.getresponse()
    resp.read()
    assert resp.status == 301 and resp.getheader("Location") == base + SEED_PATH.lstrip("/")
    # Keep-alive: several requests on one connection.
    for path in ("/", "/category/science/", SEED_PATH, "/feed/"):
        conn.request("GET", path)
        resp = conn.getresponse()
        assert resp.status == 200 and len(resp.read()) > 1000
    conn.close()


def test_server_handles_many_concurrent_requests(server, site):
    urls = [server.url + a.path.lstrip("/") for a in site.articles[:200]] * 2
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=48) as pool:
        results = list(pool.map(fetch, urls))
    elapsed = time.perf_counter() - started
    assert all(status == 200 for status, _, _ in results)
    assert results[0][2] == results[200][2]
    assert elapsed < 20


def test_every_article_reachable_from_home_by_following_links(server, site):
    base = server.url
    host = urlsplit(base).netloc
    seen = {base}
    frontier = [base]
    pages = {}

    def get(url):
        return url, fetch(url)

    with ThreadPoolExecutor(max_workers=16) as pool:
        while frontier:
            batch, frontier = frontier, []
            for url, (status, headers, body) in pool.map(get, batch):
                pages[url] = status
                if status != 200 or not headers["Content-Type"].startswith("text/html"):
                    continue
                doc = lxml.html.fromstring(body)
                for href in doc.xpath("//a/@href"):
                    link = urldefrag(urljoin(url, href))[0]
                    parts = urlsplit(link)
                    if parts.netloc != host or parts.query or parts.scheme != "http":
                        continue
                    if link not in seen:
                        seen.add(link)
                        frontier.append(link)
    truth_urls = {t["url"] for t in site.ground_truth(base)}
    assert truth_urls <= {u for u, s in pages.items() if s == 200}
    assert all(status == 200 for status in pages.values()), [u for u, s in pages.items() if s != 200][:5]
    assert base + "category/arts-culture/page/2/" in pages and base + "about/" in pages


def test_every_article_reachable_through_category_pagination_alone(site):
    reached = set()
    base = BASE.rstrip("/")
    for _, slug, _ in __import__("scraper.sample_site.vocab", fromlist=["x"]).CATEGORIES:
        page, path = 1, f"/category/{slug}/"
        while True:
            status, _, body = site.render(path, BASE)
            assert status == 200
            doc = lxml.html.fromstring(body)
            reached |= {a.get("href") for a in doc.cssselect("article.p-wrap h3 a")}
            nxt = doc.cssselect(".pagination-wrap a.next")
            if not nxt:
                break
            page += 1
            assert nxt[0].get("href") == f"{base}/category/{slug}/page/{page}/"
            path = urlsplit(nxt[0].get("href")).path
    assert reached == {base + a.path for a in site.articles}


# -- mutation -------------------------------------------------------------------------
def test_update_article_changes_page_and_ground_truth():
    site = SampleSite(articles=300, seed=7)
    before = site.ground_truth(BASE)
    target = before[3]
    path = urlsplit(target["url"]).path
    old_page = site.render(path, BASE)[2]
    old_home = site.render("/", BASE)[2]
    site.update_article(target["url"], title=target["title"] + " (updated)",
                        append_paragraph="Editor’s note: this article was updated with new figures & quotes.")
    after = site.ground_truth(BASE)
    new = after[3]
    assert new["title"] == target["title"] + " (updated)"
    assert new["url"] == target["url"]
    assert new["sections"][-1]["paragraphs"][-1] == \
        "Editor’s note: this article was updated with new figures & quotes."
    assert new["sections"][:-1] == target["sections"][:-1]
    assert new["modified_at"] is None or new["modified_at"] > (target["modified_at"] or target["published_at"])
    assert new["published_at"] == target["published_at"]
    assert [t for i, t in enumerate(after) if i != 3] == [t for i, t in enumerate(before) if i != 3]
    new_page = site.render(path, BASE)[2]
    assert new_page != old_page
    page = read_article(new_page)
    for key in ("title", "sections", "modified_at", "intro", "takeaways", "comments"):
        assert page[key] == new[key], key
    assert b"figures &amp; quotes" in new_page
    assert site.render("/", BASE)[2] != old_home or site.articles[3].index not in site.catalog.newest[:12]
    # by index, with an explicit time and a replaced intro
    site.update_article(5, intro=["A new first paragraph."], modified_at="2025-11-02T09:00:00Z")
    t5 = site.ground_truth(BASE)[5]
    assert t5["intro"] == ["A new first paragraph."]
    if site.articles[5].date_mode != "text_only":
        assert t5["modified_at"] == "2025-11-02T09:00:00Z"
    assert read_article(site.render(site.articles[5].path, BASE)[2])["intro"] == ["A new first paragraph."]
    with pytest.raises(TypeError):
        site.update_article(5, colour="red")
    with pytest.raises(KeyError):
        site.update_article(BASE + "2020/01/01/missing/", title="x")


def test_large_site_builds_quickly():
    started = time.perf_counter()
    big = SampleSite(articles=10_000, seed=1)
    built = time.perf_counter() - started
    assert len(big) == 10_000 and built < 8
    started = time.perf_counter()
    for a in big.articles[::100]:
        assert big.render(a.path, BASE)[0] == 200
    assert time.perf_counter() - started < 5
    assert len({a.path for a in big.articles}) == 10_000
    assert any(a.is_seed for a in big.articles)
