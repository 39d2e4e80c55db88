"""Share links: the page's "share on X" buttons, as (network, url) pairs.

A link counts when its URL is a share *intent* (``facebook.com/sharer``,
``twitter.com/intent/tweet``, Jetpack's ``?share=facebook``...), or, inside a
share block, a ``mailto:`` or a copy-link button. Profile links ("follow us
on X") are not share links. Only absolute http(s) URLs are kept, and mailto:
for e-mail sharing.
"""
from __future__ import annotations

import re
from itertools import compress
from operator import methodcaller
from typing import Optional
from urllib.parse import parse_qs, urlsplit

from lxml import etree

from ..record import ShareLink
from .text import clean

# Share-link hrefs contain one of these. New hrefs are joined into one
# lower-cased string and searched with str.find, so the per-anchor Python work
# is done only for the few anchors that match (a case-insensitive regex
# alternation costs ~13 us per href, a loop of substring tests ~2 us).
_WORDS = ("share", "intent", "submit", "pin/create", "whatsapp", "wa.me/", "t.me/", "telegram.me",
          "addtoany", "mailto:", "compose", "getpocket", "flipboard", "tumblr", "dialog/feed", "dialog/share",
          "b.hatena.ne.jp/")


# What each href seen so far is: a site's menus, footer and sidebar repeat the
# same links on every page, so only the hrefs a page adds are searched.
_PLAIN, _WORD, _ODD = 0, 1, 2  # _ODD: a line break in it, or lower() changes its length
_HREF_KINDS: dict[str, int] = {}
_HREF_KINDS_MAX = 20_000


# A page has hundreds of anchors and a handful of share links: the per-anchor
# steps below are map() and compress() calls, which loop in C.
_HREF = methodcaller("get", "href", "")


def _candidate_anchors(anchors: list) -> list:
    """The ``anchors`` whose href, lower-cased, contains one of :data:`_WORDS`, in document order."""
    hrefs = list(map(_HREF, anchors))
    kinds = _HREF_KINDS
    if len(kinds) > _HREF_KINDS_MAX:
        kinds.clear()
    marks = list(map(kinds.get, hrefs))
    if None in marks:  # hrefs not seen before
        _learn([href for href in dict.fromkeys(hrefs) if href not in kinds], kinds)
        marks = list(map(kinds.__getitem__, hrefs))
    if _ODD in marks:
        return _candidates_one_by_one(anchors, hrefs)
    # the marks are now _PLAIN (0) or _WORD (1): true exactly for the candidates
    return list(compress(anchors, marks))


def _learn(hrefs: list, kinds: dict) -> None:
    """Record the kind of each of ``hrefs``: the ordinary ones are joined into one
    lower-cased string and searched with str.find, one pass per word."""
    plain = []
    for href in hrefs:
        if "\n" in href or len(href.lower()) != len(href):
            kinds[href] = _ODD
        else:
            kinds[href] = _PLAIN
            plain.append(href)
    if not plain:
        return
    joined = "\n".join(plain).lower()
    for word in _WORDS:
        at = joined.find(word)
        while at >= 0:
            kinds[plain[joined.count("\n", 0, at)]] = _WORD
            end = joined.find("\n", at)
            if end < 0:
                break
            at = joined.find(word, end)  # next href


def _candidates_one_by_one(anchors, hrefs) -> list:
    """:func:`_candidate_anchors` for the rare page with an href that a joined search
    cannot place (lower-casing changes its length, or it holds a line break): each
    href is searched on its own."""
    return [a for a, href in zip(anchors, hrefs) if any(word in href.lower() for word in _WORDS)]


# host suffix -> network
_HOSTS = (
    ("facebook.com", "facebook"), ("fb.com", "facebook"), ("twitter.com", "twitter"),
    ("x.com", "twitter"), ("linkedin.com", "linkedin"), ("whatsapp.com", "whatsapp"),
    ("wa.me", "whatsapp"), ("t.me", "telegram"), ("telegram.me", "telegram"),
    ("reddit.com", "reddit"), ("pinterest.com", "pinterest"), ("tumblr.com", "tumblr"),
    ("vk.com", "vk"), ("getpocket.com", "pocket"), ("flipboard.com", "flipboard"),
    ("bsky.app", "bluesky"), ("threads.net", "threads"), ("threads.com", "threads"),
    ("line.me", "line"), ("xing.com", "xing"), ("mix.com", "mix"), ("digg.com", "digg"),
    ("news.ycombinator.com", "hackernews"), ("weibo.com", "weibo"), ("ok.ru", "odnoklassniki"),
    ("viber.com", "viber"), ("skype.com", "skype"), ("mastodon.social", "mastodon"),
    ("buffer.com", "buffer"), ("bufferapp.com", "buffer"), ("evernote.com", "evernote"),
    ("b.hatena.ne.jp", "hatena"),
)
# Path/query fragments that make a URL on those hosts a share intent, not a profile.
_INTENT_RE = re.compile(
    r"sharer|share|intent|/submit|pin/create|/send|/msg|dialog/feed|shareArticle|"
    r"widgets/share|/post\b|compose|add\?|/save|/bookmarklet|[?&](?:u|url|text|body|href)="
    r"|^/entry/",  # Hatena Bookmark: b.hatena.ne.jp/entry/<the page's URL>
    re.I,
)
_NETWORK_ALIASES = {
    "x": "twitter", "tweet": "twitter", "fb": "facebook", "mail": "email", "e-mail": "email",
    "gmail": "email", "linked-in": "linkedin", "copy": "copy-link", "copylink": "copy-link",
    "copy-url": "copy-link", "clipboard": "copy-link", "pinterest-pin": "pinterest",
    "press-this": "pressthis", "print": None, "blog": "blogger",
}
# Query parameters in which a share endpoint on the site's own or its platform's host names the
# network: Jetpack's ?share=facebook, Blogger's share-post.g?target=twitter ("blog": BlogThis!).
_NETWORK_PARAMS = ("share", "target")
_CLASS_NETWORK_RE = re.compile(
    r"(?:^|[-_ ])(facebook|twitter|linkedin|whatsapp|telegram|reddit|pinterest|tumblr|email|"
    r"mail|copy|clipboard|pocket|flipboard|bluesky|threads|line|vk|x)(?:$|[-_ ])",
    re.I,
)


def _network_from_host(host: str) -> Optional[str]:
    host = host.lower().split(":")[0]
    for suffix, network in _HOSTS:
        if host == suffix or host.endswith("." + suffix):
            return network
    return None


_ANCESTOR_ATTRS = etree.XPath("ancestor::*/@class | ancestor::*/@id", smart_strings=False)
_SHARE_WORDS = ("share", "sharing", "addtoany", "a2a", "social", "addthis", "essb", "ssba", "heateor")
# Share buttons of *other* posts (related-post cards, widgets) do not count.
_FOREIGN_WORDS = ("related", "widget", "yarpp")


def _context(a) -> str:
    """The class and id values of ``a``'s ancestors, lower-cased, in one string. Blogger's
    "widget Blog" gadget holds the post itself: its "widget" does not make the post's
    share buttons those of a sidebar."""
    context = " ".join(_ANCESTOR_ATTRS(a))
    if "widget Blog" in context:
        context = _BLOGGER_POSTS.sub(" ", context)
    return context.lower()


_BLOGGER_POSTS = re.compile(r"\bwidget Blog\b")


def _in_share_block(context: str) -> bool:
    return any(word in context for word in _SHARE_WORDS)


def _classify(doc, a, context: str) -> Optional[ShareLink]:
    href = (a.get("href") or "").strip()
    low = href.lower()
    cls = a.get("class") or ""
    if low.startswith("mailto:"):
        if not _in_share_block(context) and "?" not in href:
            return None  # a contact address, not "share by e-mail"
        return ShareLink("email", clean(href) or href)
    url = doc.absolute(href) if href and not low.startswith("#") else None
    if url:
        parts = urlsplit(url)
        network = _network_from_host(parts.netloc)
        if network == "pinterest" and "pin/create" not in url.lower():
            network = None if not _INTENT_RE.search(parts.path + "?" + parts.query) else network
        if network:
            if _INTENT_RE.search(parts.path + "?" + parts.query):
                return ShareLink(network, url)
            return None  # a profile link
        if "addtoany.com" in parts.netloc.lower():
            name = parts.path.rstrip("/").rsplit("/", 1)[-1].lower()
            name = _NETWORK_ALIASES.get(name, name)
            return ShareLink(name, url) if name else None
        query = parse_qs(parts.query)
        for param in _NETWORK_PARAMS if "share" in parts.path.lower() else _NETWORK_PARAMS[:1]:
            if param in query:  # Jetpack: https://site/post/?share=facebook&nb=1
                name = query[param][0].lower()
                name = _NETWORK_ALIASES.get(name, name)
                return ShareLink(name, url) if name else None
    # A copy-link button counts only when its href is the (absolute) URL to copy;
    # the usual href="#" + data-link="..." is a script hook, not a link.
    if url and _in_share_block(context):
        match = _CLASS_NETWORK_RE.search(
            cls + " " + (a.get("aria-label") or "") + " " + (a.get("title") or ""))
        if match and _NETWORK_ALIASES.get(match.group(1).lower(), match.group(1).lower()) == "copy-link":
            return ShareLink("copy-link", url)
    return None


def extract(doc) -> list[ShareLink]:
    links: list[ShareLink] = []
    seen = set()
    seen_hrefs = set()
    contexts: dict = {}  # share buttons are siblings: one ancestor walk per parent
    for a in _candidate_anchors(doc.listed("a")):
        href = a.get("href")
        if href in seen_hrefs:
            continue
        parent = a.getparent()
        context = contexts.get(parent)
        if context is None:
            context = contexts[parent] = _context(a)
        if any(word in context for word in _FOREIGN_WORDS):
            continue
        seen_hrefs.add(href)
        link = _classify(doc, a, context)
        if link is None:
            continue
        key = (link.network, link.url)
        if key not in seen:
            seen.add(key)
            links.append(link)
    return links
