"""Crawl traps end by themselves: a 20-article site (tests/trap_site.py) with one trap each,
crawled over HTTP on 127.0.0.1. Each crawl is capped by --max-pages well above what the
site needs (about 90 pages), so a trap that is not caught shows as a crawl that reached the cap."""
from __future__ import annotations

import re
import sqlite3
from urllib.parse import quote, urlsplit

import pytest
from w3lib.url import canonicalize_url

from tests.conftest import LOOPBACK, run_cli
from tests.trap_site import ARTICLES, TrapServer

CAP = "300"


def crawl(mode, tmp_path, *options, cap=CAP):
    db = tmp_path / "a.db"
    with TrapServer(mode) as server:
        result = run_cli("crawl", server.url, "--db", str(db), *LOOPBACK, "--max-pages", cap, *options,
                         timeout=120)
        requests = list(server.requests)
    assert result.returncode == 0, result.stderr[-2000:]
    with sqlite3.connect(db) as conn:
        urls = [row[0] for row in conn.execute("SELECT url FROM articles")]
    return result, urls, requests


@pytest.mark.parametrize("mode", ["jsessionid", "session"])
def test_session_ids_in_links_make_no_new_pages(mode, tmp_path):
    """Every link with a fresh session id: before, each fetch was a new URL (330 requests to the cap)
    and with ;jsessionid= each became a new article (121 of a 20-article site)."""
    result, urls, requests = crawl(mode, tmp_path)
    assert len(urls) == ARTICLES, urls
    assert not [url for url in urls if re.search(r"[;?]", url)]
    assert "stopped" not in result.stdout
    assert len(requests) < 150


def test_a_path_that_repeats_a_segment_is_not_fetched(tmp_path):
    """A relative link news/ on every page: /news/news/news/... grew for ever (each of the
    site's ~90 pages leads to two more here, then it ends)."""
    result, urls, requests = crawl("relgrow", tmp_path, cap="600")
    assert len(urls) == ARTICLES
    assert not [path for path in requests if "/news/news/news/" in path]
    assert "stopped" not in result.stdout
    assert re.search(r"not fetched .*\d+ with a path that repeats a segment", result.stdout), result.stdout


@pytest.mark.parametrize("mode", ["pagination", "pagination_empty", "pagination_offset"])
def test_endless_pagination_ends(mode, tmp_path):
    """/page/N/ (or ?start=N) answering 200 for any N, with the same listing or none: fetched to
    the cap (?start=N until this test was added)."""
    result, urls, requests = crawl(mode, tmp_path)
    assert len(urls) == ARTICLES
    assert len([path for path in requests if re.match(r"/page/|/\?start=", path)]) < 10, requests
    assert "stopped" not in result.stdout


def test_a_calendar_that_links_months_for_ever_ends(tmp_path):
    """An events calendar links every day of a month and the month before and after it, for
    every month: the crawl went from month to month to the cap (a minute's crawl of a 20-article
    site reached 2037). Now the walk goes on while months list articles, and across one empty
    month, but not two, both ways."""
    result, urls, requests = crawl("calendar", tmp_path)
    assert len(urls) == ARTICLES
    assert "stopped" not in result.stdout
    months = sorted({path[:9] for path in requests if re.fullmatch(r"/\d{4}/\d{2}/(\d{2}/)?", path)})
    # from September 2025 (linked on every page): back to an empty August and July; on to
    # October's article, then an empty November and December
    assert months == ["/2025/07/", "/2025/08/", "/2025/09/", "/2025/10/", "/2025/11/", "/2025/12/"], months
    assert re.search(r"not fetched .*\d+ next page\(s\) or calendar date\(s\) of a listing", result.stdout), result.stdout


def test_other_sort_orders_filters_and_views_of_a_listing_are_not_fetched(tmp_path):
    """The home page and categories link themselves sorted (?orderby=, ?order=), viewed (?view=grid,
    ?per_page=) and filtered (?filter_topic=a,b, ?tag=a+b) otherwise, each added to the page's own:
    fetched to the cap, every combination a new URL."""
    result, urls, requests = crawl("facets", tmp_path)
    assert len(urls) == ARTICLES
    assert "stopped" not in result.stdout
    queries = [path.split("?", 1)[1] for path in requests if "?" in path]
    assert not [q for q in queries if re.search(r"orderby|order=|view=|per_page|filter_", q)], queries
    # a category's first tag filter may be the way to a tag (/?tag=nato), tags combined are not
    assert queries and all(re.fullmatch(r"tag=[a-z]+", q) for q in queries), queries
    assert re.search(r"not fetched .*\d+ other sort order\(s\), filter\(s\) or view\(s\) of a listing",
                     result.stdout), result.stdout


def test_print_pdf_and_amp_copies_of_an_article_are_not_fetched(tmp_path):
    """Each article links its copies (?output=print, ?format=pdf, ?view=print, ?printpage=y,
    ?outputType=amp, Joomla's ?tmpl=component&print=1...): each was fetched, 11 pages more
    for every article."""
    from tests.trap_site import site

    result, urls, requests = crawl("print", tmp_path)
    assert len(urls) == ARTICLES
    articles = {article.path for article in site().articles}
    copies = [path for path in requests if "?" in path and path.split("?")[0] in articles]
    assert not copies, copies
    assert len([path for path in requests if path in articles]) == ARTICLES


def _spider():
    from scrapy.utils.test import get_crawler
    from spiders.news import NewsSpider

    return NewsSpider.from_crawler(get_crawler(NewsSpider), start_url="http://h/")


def _links(spider, hrefs):
    from scraper.extract import load_document

    html = "<html><body>" + "".join(f"<a href='{href}'>x</a>" for href in hrefs) + "</body></html>"
    return list(spider.links_to_follow(load_document(html, "http://h/")))


# A query that names its page: WordPress's shortlink, a script's id, a directory's index script,
# a translation, Joomla's article and blog-layout category, a file a script serves, a tag filter.
# A script's query names its page even with a listing's parameter in it (read.php?sort=1234),
# and a filter of a listing the crawl does not know is the way to its articles (/news?filter=sport).
KEPT = ["/?p=123", "/article.php?id=5", "/news/?id=5", "/2025/09/01/story/?lang=fr", "/get.php?pdf=report-2024",
        "/index.php?option=com_content&view=article&id=5", "/category/world/?tag=nato",
        "/index.php?option=com_content&view=category&layout=blog&id=3", "/read.php?sort=1234",
        "/list.aspx?orderby=date&id=7", "/news?filter=sport"]


def test_print_pdf_and_amp_copies_by_query_lead_to_the_article_and_a_query_that_names_a_page_is_kept():
    spider = _spider()
    assert _links(spider, KEPT) == [canonicalize_url("http://h" + href) for href in KEPT]
    assert _links(_spider(), [
        "/a/?output=print", "/a/?format=pdf", "/a/?view=print", "/a/?printpage=y", "/a/?outputType=amp",
        "/a/?tmpl=component&print=1&p=7", "/a/?print=1", "/a/?mode=print", "/a/?pdf=1", "/a/?printable=true",
    ]) == ["http://h/a/", "http://h/a/?p=7"]


def test_other_sort_orders_filters_and_views_lead_to_the_listing_itself():
    spider = _spider()
    assert _links(spider, KEPT) == [canonicalize_url("http://h" + href) for href in KEPT]
    spider = _spider()
    assert _links(spider, [
        "/b/?orderby=title&order=asc", "/b/?filter_color=red,blue&query_type_color=or&view=grid",
        "/b/?sort_by=created&sort_order=DESC&per_page=50", "/c/?paged=2&orderby=date", "/d/?view=list&p=4",
        "/b/?order=asc&orderby=title",
    ]) == ["http://h/b/", "http://h/c/?paged=2", "http://h/d/?p=4"]
    # counted as links to another order, filter or view of a listing, each once
    assert spider.crawler.stats.get_value("newsarchive/listing_variants") == 5


def test_a_filter_leads_to_its_listing_when_the_crawl_knows_the_listing():
    """A filter lists fewer articles than its listing: followed to the listing when that is linked
    (or the page it is on), as a filtered listing otherwise, and a filtered listing's next page
    keeps its filter. Before, every ?filter= led to the listing, linked or not."""
    spider = _spider()
    assert _links(spider, ["/shop/?filter=sale", "/shop/", "/shop/?filter=new&orderby=price"]) == [
        "http://h/shop/?filter=sale", "http://h/shop/"]
    page = "http://h/news?filter=sport"
    assert list(_spider().follow_hrefs(["/news?filter=sport&page=2", "/news?filter=politics"],
                                       lambda href: "http://h" + href, page_url=page)) == [
        "http://h/news?filter=sport&page=2", "http://h/news?filter=politics"]


def test_a_link_that_adds_values_to_the_filters_of_its_page_is_not_followed_from_it():
    from spiders.news import links_left_out

    why = links_left_out("http://h/category/world/?tag=nato", listing_ends=False)
    assert why("http://h/category/world/?tag=nato+economy") == "newsarchive/listing_variants"
    assert why("http://h/category/world/?tag=economy%2Cnato") == "newsarchive/listing_variants"
    assert why("http://h/category/world/?paged=2&tag=nato") is None  # its next page
    assert why("http://h/category/world/?tag=economy") is None  # another tag
    assert why("http://h/category/sport/?tag=nato+economy") is None
    assert why("http://h/2025/09/01/story/") is None
    # a page without a query, or a script's (its query names the page), leaves every link in
    assert links_left_out("http://h/category/world/", listing_ends=False) is None
    assert links_left_out("http://h/article.php?title=Budget", listing_ends=False) is None


def test_next_pages_and_calendar_dates_end_with_a_listing_that_repeats_itself():
    from spiders.news import links_left_out, repeats_before

    assert repeats_before(None, 7) == 0
    assert repeats_before((7, 0), 7) == 1 and repeats_before((7, 1), 7) == 2
    assert repeats_before((8, 3), 7) == 0
    assert repeats_before(7, 7) == 1  # queued by a --job before repeats were counted
    why = links_left_out("http://h/events/month/2025-10/", listing_ends=True)
    for url in ("http://h/page/3/", "http://h/?start=40", "http://h/news/?offset=20", "http://h/2025/11/",
                "http://h/2025/11/05/", "http://h/2025/", "http://h/events/month/2025-11/", "http://h/?m=202511",
                "http://h/events/?month=11&year=2025"):
        assert why(url) == "newsarchive/repeated_listings", url
    for url in ("http://h/2025/11/05/story/", "http://h/category/world/", "http://h/?p=2025", "http://h/story/1850/x/"):
        assert why(url) is None, url


def test_a_page_whose_url_ends_in_a_number_like_a_year_is_no_calendar_date():
    """Drupal's /node/2034, /p/1999, a report's /reports/annual/2024 and a script's
    ?id=5&date=... were calendar dates: left out of what a listing lists (every page of a
    Drupal listing listed 'the same') and not followed from a listing that repeated itself."""
    from spiders.news import links_left_out

    why = links_left_out("http://h/news?page=3", listing_ends=True)
    for url in ("http://h/node/2034", "http://h/p/1999", "http://h/reports/annual/2024",
                "http://h/elections/results/2019/", "http://h/read.php?id=5&date=2025-09-14",
                "http://h/story/?day=3&id=12"):
        assert why(url) is None, url
    for url in ("http://h/2025/", "http://h/archive/2025/", "http://h/news/archive/2025/09/", "http://h/2025-09/",
                "http://h/events/year/2025/", "http://h/?date=2025-09-14", "http://h/news/?m=202509&paged=2"):
        assert why(url) == "newsarchive/repeated_listings", url


def test_a_next_page_is_compared_with_the_page_before_it_in_its_own_listing():
    """A month's archive linked from the home page listed what the home page does (its ten
    latest posts), counted as a repeat, and its page 2 was not followed."""
    from spiders.news import continues_listing

    assert not continues_listing("http://h/", "http://h/2025/11/")  # a calendar from elsewhere
    assert not continues_listing("http://h/", "http://h/news?page=1")  # another listing's page
    assert not continues_listing("http://h/2025/09/01/story/", "http://h/2025/09/")
    for page, url in (("http://h/", "http://h/page/2/"), ("http://h/page/2/", "http://h/page/3/"),
                      ("http://h/2025/11/", "http://h/2025/11/page/2/"),
                      ("http://h/news?page=1", "http://h/news?page=2"),
                      ("http://h/2025/10/", "http://h/2025/11/"), ("http://h/2025/10/", "http://h/2025/10/14/"),
                      ("http://h/2025/10/page/2/", "http://h/2025/11/"), ("http://h/?m=202510", "http://h/?m=202511"),
                      ("http://h/events/month/2025-10/", "http://h/events/month/2025-11/")):
        assert continues_listing(page, url), (page, url)


def test_what_a_listing_lists_leaves_out_other_sites_and_its_own_url():
    """A share link carrying the page's own URL made each page of an endless listing list
    something new."""
    from spiders.news import listing_of

    def lists(url, *more):
        hrefs = ["/a/", "http://h/b/", "/page/9/", f"https://share.example/?u={quote(url, safe='')}",
                 f"/login/?redirect_to={quote(url, safe='')}", "mailto:?body=" + url, *more]
        return listing_of(hrefs, url, lambda href: href.startswith("http://h/"))

    assert lists("http://h/page/2/") == lists("http://h/page/3/")
    assert lists("http://h/page/2/") != lists("http://h/page/3/", "/c/")
    assert lists("http://h/page/2/") != lists("http://h/page/2/", "/login/?redirect_to=http%3A%2F%2Fh%2Fb%2F")


def test_dead_links_do_not_starve_the_home_page_s_articles(tmp_path):
    """The home page ends with 3,000 links to dead pages: fetched depth first (the last link
    found first), they used --max-pages before all of the home page's own articles were reached."""
    from tests.trap_site import site

    db = tmp_path / "a.db"
    with TrapServer("manylinks") as server:
        result = run_cli("crawl", server.url, "--db", str(db), *LOOPBACK, "--max-pages", "300", timeout=120)
        home = site().respond("/", server.url)[2].decode()
    articles = {url for url in re.findall(r'href="([^"]+/20\d\d/\d\d/\d\d/[^"/]+/)"', home)}
    with sqlite3.connect(db) as conn:
        urls = {row[0] for row in conn.execute("SELECT url FROM articles")}
    assert len(articles) >= 10 and articles <= urls, sorted(articles - urls)


def test_the_summary_says_max_pages_stopped_the_crawl_and_the_crawl_row_records_it(tmp_path):
    """Without --job, a crawl cut short by --max-pages said nothing of it, and the crawls row's
    args left max_pages out (while --max-depth was recorded)."""
    import json

    db = tmp_path / "a.db"
    with TrapServer("manylinks") as server:
        result = run_cli("crawl", server.url, "--db", str(db), *LOOPBACK, "--max-pages", "50", timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "stopped            at --max-pages 50:" in result.stdout, result.stdout
    with sqlite3.connect(db) as conn:
        args = json.loads(conn.execute("SELECT args FROM crawls").fetchone()[0])
    assert args["max_pages"] == "50"


def test_session_ids_leave_urls_but_not_a_script_s_story_id():
    from scraper.hosts import without_tracking

    assert without_tracking("http://h/story/;jsessionid=1A2B?p=2") == "http://h/story/?p=2"
    assert without_tracking("http://h/a/?sid=9f&PHPSESSID=x&page=2&_=1700000000000") == "http://h/a/?page=2"
    assert without_tracking("http://h/?sid=9f") == "http://h/"
    # Slash's and PHP-Nuke's story ids: the query names the page on a script's path
    assert without_tracking("http://h/article.pl?sid=06/01/01/1234") == "http://h/article.pl?sid=06/01/01/1234"
    assert (without_tracking("http://h/modules.php?name=News&sid=12&PHPSESSID=x")
            == "http://h/modules.php?name=News&sid=12")
    assert without_tracking("http://h/a/?sidebar=1&_=x") == "http://h/a/?sidebar=1&_=x"


def test_a_canonical_link_without_the_session_id_names_the_page():
    """/story/;jsessionid=X took its canonical /story/ for a section above it: every fetch
    became an article of its own."""
    from archive.identity import article_url, same_document
    from scraper.record import ArticleRecord

    record = ArticleRecord(url="http://h/2025/09/01/story/;jsessionid=1A2B",
                           canonical_url="http://h/2025/09/01/story/")
    assert article_url(record) == "http://h/2025/09/01/story/"
    assert same_document("http://h/2025/09/01/story/;jsessionid=1A2B", "http://h/2025/09/01/story/")


def crawl_lookalike(mode, tmp_path):
    """Crawl the site LOOKALIKES[mode] and check that each of its articles is archived; the
    result and the paths requested."""
    from tests.trap_site import LOOKALIKES

    result, urls, requests = crawl(mode, tmp_path)
    paths = {urlsplit(url).path for url in urls}
    assert set(LOOKALIKES[mode].articles) <= paths, sorted(set(LOOKALIKES[mode].articles) - paths)
    return result, requests


@pytest.mark.parametrize("mode", ["numbered", "months", "filters"])
def test_sites_that_look_like_a_trap_lose_no_article(mode, tmp_path):
    """Each site lost articles to a trap rule.
    numbered: Drupal's /node/2034 and /reports/report-3/2003 were taken for calendar years, so
    every listing page listed 'the same' and its articles were next pages: 10 of 30 archived.
    months: November's archive lists what the home page does, so its page 2 was not followed:
    19 of 34 archived.
    filters: ?filter=sport, the only way to a category, led to /news: 5 of 36 archived."""
    result, requests = crawl_lookalike(mode, tmp_path)
    assert "not fetched" not in result.stdout, result.stdout


def test_a_listing_that_goes_on_for_ever_with_a_share_link_on_each_page_ends(tmp_path):
    """Each /page/N/ links AddToAny's share#url=<its own URL>: every page looked new to the
    repeat rule, and the crawl went on to the cap."""
    result, requests = crawl_lookalike("shared", tmp_path)
    assert len([path for path in requests if path.startswith("/page/")]) < 5, requests
    assert "stopped" not in result.stdout


def test_not_fetched_counts_each_url_once_and_none_fetched_from_another_page(tmp_path):
    """?page=2 repeats the home page and links ?page=3 twice and ?page=9; an article links
    ?page=9, fetched. The summary said 3 (?page=3 twice, ?page=9 fetched after all)."""
    result, requests = crawl_lookalike("leftout", tmp_path)
    assert "/?page=9" in requests and "/?page=3" not in requests, requests
    assert re.search(r"not fetched +1 URL \(1 next page\(s\)", result.stdout), result.stdout
