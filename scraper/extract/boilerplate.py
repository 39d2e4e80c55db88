"""Which subtrees of a page are boilerplate (share bars, ads, related posts, ...).

Decisions are made on the element's tag and on its class/id *tokens*: each
token is split on ``-``/``_`` and its parts are compared with a vocabulary, so
``jeg_share_button`` and ``e-shared-sec`` are share blocks while
``has-text-align-left``, ``shadow`` or ``download`` are not. Results are cached
per attribute value, so a page's repeated class strings cost one lookup each.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .text import collapse, text_content

# Tags whose whole subtree is never article body text.
SKIP_TAGS = frozenset({
    "aside", "nav", "form", "button", "select", "textarea", "input", "label",
    "footer", "figcaption", "dialog", "menu", "fieldset", "option", "map",
    "canvas", "audio", "video", "picture", "img", "source", "track", "area",
    # AMP components that never hold article text
    "amp-ad", "amp-embed", "amp-sticky-ad", "amp-auto-ads", "amp-analytics", "amp-pixel",
    "amp-social-share", "amp-consent", "amp-user-notification", "amp-sidebar", "amp-iframe",
    "amp-video", "amp-img", "amp-anim", "amp-geo", "amp-install-serviceworker",
    "amp-call-tracking", "amp-lightbox", "amp-state", "amp-list", "amp-next-page",
})

# A token part (class/id split on - and _) equal to one of these marks boilerplate.
_PARTS = frozenset("""
share sharing shared sharer sharebar sharethis sharedaddy shareaholic addtoany a2a
addthis ssba essb sfsi swp heateor social socials socialshare
related relatedposts yarpp crp also
sidebar widget widgets widgetarea nav navigation navbar menu breadcrumb breadcrumbs
pagination pagelinks
ad ads adv advert adverts advertisement advertisements advertising adsbygoogle
adsense adslot adunit adthrive advads wpcnt wordads quads dfp gpt banner sponsored
pub publicite publicidad werbung anzeige
promo promoted
cookie cookies consent gdpr cmplz cky
newsletter subscribe subscription subscriptions signup mailchimp mc4wp optin
toc
comment comments respond commentlist commenti kommentare commentaires comentarios
bio authorbox byline meta
tags tagcloud
popup modal overlay lightbox
caption figcaption gallery
instagram tiktok
sr screenreader
""".split())

# Whole tokens (lower-cased) that are boilerplate although no single part is.
_TOKENS = frozenset("""
screen-reader-text visually-hidden sr-only d-none hidden invisible
td-a-rec td-a-ad jeg_ad jnews_ad more-link read-more readmore read-also see-also
also-read post-views print-button reading-time meta-read
page-links post-page-numbers page-nav-post
kg-bookmark-card kg-button-card kg-signup-card kg-cta-card kg-product-card
""".split()) | frozenset("""
wp-block-latest-posts wp-block-query wp-block-post-template wp-block-rss wp-block-latest-comments
wp-block-archives wp-block-categories wp-block-tag-cloud wp-block-calendar wp-block-page-list
wp-block-search wp-block-loginout wp-block-post-navigation-link wp-block-query-pagination
""".split())
# WordPress core's dynamic blocks above (the first line) list other posts, and the others show
# site furniture: an editor may put any of them in the post content, where they change whenever
# the site publishes or a reader comments. The core blocks that hold the article's own text
# (wp-block-list, -quote, -pullquote, -table, -footnotes, -details...) are not among them.
_POST_LISTS = ("wp-block-latest-posts", "wp-block-query", "wp-block-post-template", "wp-block-rss")


def lists_other_posts(value: str) -> bool:
    """Whether a class value names a core block listing other posts (Latest Posts, Query Loop, RSS)."""
    return "wp-block-" in value and any(token in _POST_LISTS for token in value.split())

# Token patterns: prefixes and fused words that splitting does not reveal.
_TOKEN_RE = re.compile(
    r"""^(?:
        td-a-rec.*|td_block_related.*|td-post-sharing.*|tdb_single_related.*|
        code-block(?:-\d+)?|ai-viewport.*|google-auto-placed|ezoic.*|
        .*table-of-contents.*|ez-toc.*|lwptoc.*|
        .*author-?(?:box|bio|info|card|profile|details|wrap|about).*|about-?(?:the-?)?author.*|
        .*relatedposts.*|post-nav.*|nav-previous|nav-next|
        .*newsletter.*|.*subscribe.*|sd-block|.*sharing.*
    )$""",
    re.X,
)
_SPLIT = re.compile(r"[-_]+")

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_SKIP_ROLES = frozenset({"navigation", "complementary", "contentinfo", "search", "dialog",
                          "alertdialog", "banner", "menu", "menubar", "toolbar"})


# State/layout modifiers ("is-sidebar-right", "has-share-buttons", "no-ads") describe
# the element they sit on, not its role: never boilerplate by themselves.
_MODIFIER_RE = re.compile(r"^(?:is|has|no|with|without|show|hide|enable|disable|yes|can)[-_]")


# Page builders name every module a widget ("elementor-widget-text-editor", SiteOrigin's
# "widget_sow-editor"): what follows the builder's prefix says what the module is.
# Builder modules that list other posts or show the post's meta line, not its text.
_BUILDER_FURNITURE = ("posts", "archive-posts", "loop-", "post-info", "post-navigation", "call-to-action",
                      "form", "login", "search-form", "portfolio")
_BUILDER_PREFIX = re.compile(r"^(?:elementor-(?:widget|element)|so-widget|siteorigin-widget|widget_sow|fl-widget)(?:[-_]+|$)")


def is_builder_module(token: str) -> bool:
    """Whether a class token names a page builder's module ("elementor-widget-text-editor")."""
    return _BUILDER_PREFIX.match(token.lower()) is not None


@lru_cache(maxsize=8192)
def token_is_boilerplate(token: str) -> bool:
    token = token.lower()
    if _MODIFIER_RE.match(token):
        return False
    builder = _BUILDER_PREFIX.match(token)
    if builder is not None:
        token = token[builder.end():]
        if not token:
            return False
        if token.startswith(_BUILDER_FURNITURE):
            return True
    if token in _TOKENS or _TOKEN_RE.match(token):
        return True
    # A BEM modifier ("node--promoted", "node--sticky") is a state of its block:
    # only the block ("node") says what the element is.
    for part in _SPLIT.split(token.split("--", 1)[0]):
        if part in _PARTS:
            return True
    return False


@lru_cache(maxsize=16384)
def attr_is_boilerplate(value: str) -> bool:
    """True when any whitespace-separated token of a class or id value is boilerplate."""
    tokens = value.split()
    # SiteOrigin Page Builder: every module is also a "widget"; Blogger: the posts are the
    # layout's "widget Blog"
    if "so-panel" in tokens or "Blog" in tokens:
        tokens = [t for t in tokens if t != "widget"]
    for token in tokens:
        if token_is_boilerplate(token):
            return True
    return False


def is_hidden(el) -> bool:
    for name, value in el.items():  # see is_boilerplate
        if name == "hidden":
            return True
        if name == "aria-hidden":
            if value.strip().lower() == "true":
                return True
        elif name == "style":
            if value and _HIDDEN_STYLE.search(value):
                return True
    return False


def is_boilerplate(el) -> bool:
    """True for an element whose whole subtree is not article text."""
    tag = el.tag
    if not isinstance(tag, str) or tag in SKIP_TAGS:
        return True
    # One items() call reads only the attributes the element has; a get() per
    # attribute name asked about costs more than that on any element with two.
    for name, value in el.items():
        if name == "class" or name == "id":
            if value and (attr_is_boilerplate(value) or ("wall" in value and _is_paywall_prompt(el, value))):
                return True
        elif name in _DATA_NAMES:
            if value and attr_is_boilerplate(value):
                return True  # hashed class names, the part named in data-testid/data-qa
        elif name == "hidden":
            return True
        elif name == "aria-hidden":
            if value and value.strip().lower() == "true":
                return True
        elif name == "style":
            if value and _HIDDEN_STYLE.search(value):
                return True
        elif name == "role":
            if value and value.strip().lower() in _SKIP_ROLES:
                return True
        elif name == "href" and tag == "a":
            if value.endswith(("#respond", "#comments", "#comment", "#reply")):
                return True  # "Leave a Comment" call-to-action
    return False


# Where sites with generated class names say what a block is: WaPo's data-qa="author-bio",
# Reuters' data-testid="promo-box", BBC's data-component="links-block".
_DATA_NAMES = frozenset({"data-testid", "data-qa", "data-component", "data-area"})
_PAYWALL_TOKEN = re.compile(r"(?:^|[-_])(?:paywall|regwall|leaky_paywall)(?:$|[-_])", re.I)
_PAYWALL_PROMPT_MAX = 300  # characters


def _is_paywall_prompt(el, value: str) -> bool:
    """A block named "paywall" that is short: the subscribe prompt ("Il vous reste 72% de cet
    article à lire"). Sites also name the subscriber-only text itself "paywall" (Google's
    markup for paywalled content points at it), and that is the article."""
    if not any(_PAYWALL_TOKEN.search(token) for token in value.split()):
        return False
    return len(collapse(text_content(el))) < _PAYWALL_PROMPT_MAX


def inside_boilerplate(el, stop=None) -> bool:
    """True when ``el`` or one of its ancestors (below ``stop``) is boilerplate."""
    while el is not None and el is not stop:
        if el.tag in ("body", "html"):
            return False
        if is_boilerplate(el):
            return True
        el = el.getparent()
    return False


# Whole-paragraph labels that carry no content (ad slots without markup hooks).
_LABELS = frozenset({
    "advertisement", "advertisements", "- advertisement -", "-advertisement-",
    "advertisement - scroll to continue", "scroll to continue with content", "ad",
    "sponsored", "sponsored content", "publicité", "anzeige", "werbung", "publicidad",
    "pubblicità", "advertentie", "スポンサーリンク", "広告", "广告",
})


# Short lines of page furniture that sit among the paragraphs on some sites: the
# reading time ("4 min read", Reuters) and no-script notices (the Guardian's live blogs).
_FURNITURE = re.compile(
    r"(?:\d+\s*(?:min(?:ute)?s?|mn)\.?\s*(?:read|de lecture|lesezeit|de lectura|de leitura)"
    r"|(?:estimated\s+)?(?:reading time|read time|temps de lecture|lesezeit|tiempo de lectura|tempo de leitura)"
    r"\s*:?\s*(?:<\s*)?\d+\s*(?:min(?:ute)?s?|mn)?\.?"
    r"|(?:please\s+)?(?:turn\s+on|enable|activate)\s+javascript\b.*|javascript\s+is\s+(?:disabled|required)\b.*"
    # counters: Medium's clap count "312", Wix's "61 views", "2 comments", "1.2K shares"
    r"|[\d.,]+\s*[km]?(?:\s*(?:views?|comments?|responses?|likes?|claps?|shares?|reads?))?)",
    re.I)


def is_label(text: str) -> bool:
    if len(text) >= 80:
        return False
    if len(text) < 40 and text.strip(" -–—:·|*[]()").lower() in _LABELS:
        return True
    return _FURNITURE.fullmatch(text.strip(" .·|")) is not None


# "Also Read: <a>Another story</a>", "Related: <a>...</a>", "Lesen Sie auch: <a>...</a>":
# a line that only points at another article (Inline Related Posts and editors' habit).
_RELATED_PREFIX = re.compile(
    r"(?:also read|read also|read more|more|related|related stories|related articles?|see also|"
    r"recommended|don'?t miss|must read|watch|listen|lesen sie auch|lesen sie mehr|mehr zum thema|auch interessant|"
    r"lire aussi|à lire aussi|a lire aussi|voir aussi|leggi anche|lee también|lea también|leia também|"
    r"veja também|lees ook|zie ook|czytaj też|czytaj także|"
    r"اقرأ أيضًا|اقرأ أيضا|اقرأ ايضا|ये भी पढ़ें|यह भी पढ़ें|इसे भी पढ़ें|延伸阅读|相关阅读|相关新闻|推荐阅读|"
    r"あわせて読みたい|合わせて読みたい|こちらもおすすめ|関連記事)"
    r"\s*(?:[:：|»›>\-–—]\s*|\s(?=\S))",
    re.I)


def is_related_line(p, text: str) -> bool:
    """Whether paragraph ``p`` (reading ``text``) is a related-story prompt: a prefix from
    :data:`_RELATED_PREFIX`, and all the rest is link text."""
    if len(text) > 300:
        return False
    match = _RELATED_PREFIX.match(text)
    if match is None:
        return False
    rest = text[match.end():].strip()
    linked = " ".join(collapse(text_content(a)) for a in p.iter("a"))
    return bool(rest) and len(rest) <= len(linked) + 3 and rest[:20] in linked
