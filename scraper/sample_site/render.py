"""HTML/XML rendering of the sample site in a Foxiz-like WordPress theme."""
from __future__ import annotations

import hashlib
import html
import json
import math
from email.utils import format_datetime
from typing import Optional
from urllib.parse import quote

from . import chrome, vocab
from .model import (UTC, Article, Catalog, Content, clock, iso_local, long_date,
                    reading_time, short_date)
from .sitemaps import Sitemaps

SITE = vocab.SITE_NAME
PER_PAGE = 12
SEARCH_PER_PAGE = 10
_BLANK = ' target="_blank"'

_TEXTURIZE = str.maketrans({"’": "&#8217;", "‘": "&#8216;", "“": "&#8220;", "”": "&#8221;",
                            "—": "&#8212;", "–": "&#8211;", "…": "&#8230;"})


def _atom_date(dt) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def esc(text: str, entities: bool = False) -> str:
    out = html.escape(text, quote=True)
    return out.translate(_TEXTURIZE) if entities else out


def jsonld(data) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/")


def gravatar(key: str, size: int) -> str:
    digest = hashlib.md5(key.encode("utf-8")).hexdigest()
    return f"https://secure.gravatar.com/avatar/{digest}?s={size}&#038;d=mm&#038;r=g"


COMMENT_FORM = (
    '<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Leave a Reply '
    '<small><a rel="nofollow" id="cancel-comment-reply-link" href="{path}#respond" style="display:none;">Cancel reply</a>'
    '</small></h3><form action="{action}" method="post" id="commentform" class="comment-form" novalidate>'
    '<p class="comment-notes"><span id="email-notes">Your email address will not be published.</span> '
    '<span class="required-field-message">Required fields are marked <span class="required">*</span></span></p>'
    '<p class="comment-form-comment"><label for="comment">Comment <span class="required">*</span></label> '
    '<textarea id="comment" name="comment" cols="45" rows="8" maxlength="65525" required></textarea></p>'
    '<p class="comment-form-author"><label for="author">Name <span class="required">*</span></label> '
    '<input id="author" name="author" type="text" value="" size="30" maxlength="245" autocomplete="name" required /></p>'
    '<p class="comment-form-email"><label for="email">Email <span class="required">*</span></label> '
    '<input id="email" name="email" type="email" value="" size="30" maxlength="100" aria-describedby="email-notes" '
    'autocomplete="email" required /></p>'
    '<p class="comment-form-url"><label for="url">Website</label> '
    '<input id="url" name="url" type="url" value="" size="30" maxlength="200" autocomplete="url" /></p>'
    '<p class="comment-form-cookies-consent"><input id="wp-comment-cookies-consent" name="wp-comment-cookies-consent" '
    'type="checkbox" value="yes" /> <label for="wp-comment-cookies-consent">Save my name, email, and website in this '
    'browser for the next time I comment.</label></p>'
    '<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment" /> '
    "<input type='hidden' name='comment_post_ID' value='{post_id}' id='comment_post_ID' /> "
    "<input type='hidden' name='comment_parent' id='comment_parent' value='0' /></p></form></div>"
)


def comment_form_truth(base: str) -> dict:
    return {
        "heading": "Leave a Reply",
        "action": base + "/wp-comments-post.php",
        "method": "post",
        "notes": "Your email address will not be published. Required fields are marked *",
        "required_marker": "*",
        "fields": [
            {"name": "comment", "type": "textarea", "label": "Comment", "required": True},
            {"name": "author", "type": "text", "label": "Name", "required": True},
            {"name": "email", "type": "email", "label": "Email", "required": True},
            {"name": "url", "type": "url", "label": "Website", "required": False},
            {"name": "wp-comment-cookies-consent", "type": "checkbox",
             "label": "Save my name, email, and website in this browser for the next time I comment.",
             "required": False},
        ],
    }


class Renderer:
    """Renders pages for one base URL; caches the chrome shared by all pages."""

    def __init__(self, catalog: Catalog, base: str, content_for):
        self.cat = catalog
        self.base = base                   # no trailing slash
        self.content_for = content_for
        self._chrome: dict = {}
        self._sitemaps: Optional[Sitemaps] = None

    # -- helpers -----------------------------------------------------------
    def url(self, path: str) -> str:
        return self.base + path

    def art_url(self, a: Article) -> str:
        return self.base + a.path

    def image_url(self, a: Article, size: str = "1200x800") -> str:
        d = a.published
        return f"{self.base}/wp-content/uploads/{d.year:04d}/{d.month:02d}/{a.slug[:60]}-{size}.png"

    def cat_link(self, ci: int, rel: bool = True) -> str:
        name, slug, _ = vocab.CATEGORIES[ci]
        rel_attr = ' rel="category tag"' if rel else ""
        return (f'<a class="p-category category-id-{ci + 2}" href="{self.base}/category/{slug}/"'
                f'{rel_attr}>{esc(name)}</a>')

    # -- chrome --------------------------------------------------------------
    def chrome(self) -> dict:
        if not self._chrome:
            self._chrome = {
                "assets": chrome.head_assets_template().replace("%(base)s", (self.base + "/").replace("/", "\\/")),
                "header": self._header(),
                "sidebar": self._sidebar(),
                "footer": self._footer(),
            }
        return self._chrome

    def _mini_card(self, i: int, title_tag: str = "span") -> str:
        a = self.cat.articles[i]
        u = self.art_url(a)
        img = (f'<div class="feat-holder"><a class="p-flink" href="{u}"><img loading="lazy" width="330" height="220" '
               f'src="{self.image_url(a, "330x220")}" alt="" /></a></div>' if a.has_image else "")
        return (f'<div class="p-wrap p-grid-small-1" data-pid="{a.post_id}">{img}<div class="p-content">'
                f'<{title_tag} class="entry-title h4"><a class="p-url" href="{u}">{esc(a.title)}</a>'
                f'</{title_tag}><span class="meta-el">{short_date(a.published)}</span></div></div>')

    def _menu_items(self, mega: bool) -> str:
        out = [f'<li id="menu-item-10" class="menu-item menu-item-type-custom menu-item-object-custom menu-item-home menu-item-10">'
               f'<a href="{self.base}/"><span>Home</span></a></li>']
        for ci, (name, slug, _) in enumerate(vocab.CATEGORIES):
            item_id = 20 + ci
            inner = ""
            if mega:
                cards = "".join(self._mini_card(i) for i in self.cat.by_category[slug][:3])
                inner = (f'<div class="mega-dropdown is-mega-category"><div class="rb-container edge-padding">'
                         f'<div class="mega-dropdown-inner"><div class="mega-header mega-header-fw"><span class="h4">'
                         f'{esc(name)}</span><a class="mega-link is-meta" href="{self.base}/category/{slug}/"><span>Show More'
                         f'</span>{chrome.icon("cright")}</a></div><div class="block-wrap block-small block-grid '
                         f'block-grid-small-1 rb-columns rb-col-5 is-gap-10"><div class="block-inner">{cards}</div></div>'
                         f'</div></div></div>')
            out.append(f'<li id="menu-item-{item_id}" class="menu-item menu-item-type-taxonomy menu-item-object-category '
                       f'{"menu-item-has-children is-mega-menu type-category " if mega else ""}menu-item-{item_id}">'
                       f'<a href="{self.base}/category/{slug}/"><span>{esc(name)}</span></a>{inner}</li>')
        out.append(f'<li id="menu-item-40" class="menu-item menu-item-type-post_type menu-item-object-page menu-item-40">'
                   f'<a href="{self.base}/about/"><span>About</span></a></li>')
        return "".join(out)

    def _header(self) -> str:
        b = self.base
        social = "".join(
            f'<a class="social-link-{n}" aria-label="{n.title()}" data-title="{n.title()}" href="{u}" target="_blank" '
            f'rel="noopener nofollow">{chrome.icon(n)}</a>'
            for n, u in (("facebook", "https://www.facebook.com/samplenews"), ("twitter", "https://twitter.com/samplenews"),
                         ("linkedin", "https://www.linkedin.com/company/samplenews"), ("rss", b + "/feed/")))
        return (
            f'<div id="reading-progress-bar" class="reading-indicator"><span id="reading-progress"></span></div>'
            f'<div id="site-header" class="header-wrap rb-section header-set-1 header-1 header-wrapper style-shadow has-quick-menu">'
            f'<div class="topsite-wrap fw-wrap"><div class="rb-container edge-padding"><div class="topsite-inner">'
            f'<div class="topsite-left"><span class="top-tagline">{esc(vocab.SITE_TAGLINE)}</span></div>'
            f'<div class="topsite-right header-social-list">{social}</div></div></div></div>'
            f'<div id="navbar-outer" class="navbar-outer"><div id="sticky-holder" class="sticky-holder">'
            f'<div class="navbar-wrap"><div class="rb-container edge-padding"><div class="navbar-inner">'
            f'<div class="navbar-left"><div class="logo-wrap is-text-logo site-branding">'
            f'<p class="logo-title h1"><a class="logo" href="{b}/" title="{SITE}"><span class="logo-text">{SITE}</span></a></p>'
            f'<p class="site-description is-hidden">{esc(vocab.SITE_TAGLINE)}</p></div>'
            f'<nav id="site-navigation" class="main-menu-wrap" aria-label="main menu"><ul id="menu-main-1" '
            f'class="main-menu rb-menu large-menu" itemscope itemtype="https://www.schema.org/SiteNavigationElement">'
            f'{self._menu_items(True)}</ul></nav></div>'
            f'<div class="navbar-right"><div class="wnav-holder header-dropdown-outer"><a href="#" class="search-trigger" '
            f'aria-label="search">{chrome.icon("search")}</a><div class="header-dropdown header-search-form">'
            f'<form method="get" action="{b}/" class="rb-search-form search-form" role="search"><div class="search-form-inner">'
            f'<span class="search-icon">{chrome.icon("search")}</span><span class="search-text"><input type="text" '
            f'class="field" placeholder="Search Headlines, News..." value="" name="s"/></span><span class="rb-search-submit">'
            f'<input type="submit" value="Search"/>{chrome.icon("cright")}</span></div></form></div></div>'
            f'<div class="dark-mode-toggle-wrap"><div class="dark-mode-toggle"><span class="dark-mode-slide">'
            f'{chrome.icon("moon")}</span></div></div></div></div></div></div></div></div>'
            f'<div id="header-mobile" class="header-mobile"><div class="header-mobile-wrap"><div class="mbnav edge-padding">'
            f'<div class="navbar-left"><div class="mobile-toggle-wrap"><a href="#" class="mobile-menu-trigger" '
            f'aria-label="mobile trigger">{chrome.icon("menu")}</a></div><div class="mobile-logo-wrap is-text-logo site-branding">'
            f'<p class="logo-title h1"><a href="{b}/" title="{SITE}">{SITE}</a></p></div></div></div>'
            f'<div class="mobile-collapse"><div class="collapse-holder"><div class="collapse-inner"><nav class="mobile-menu-wrap edge-padding">'
            f'<ul id="mobile-menu" class="mobile-menu">{self._menu_items(False)}</ul></nav>'
            f'<div class="collapse-footer"><div class="collapse-copyright">© 2025 {SITE}. All Rights Reserved.</div></div>'
            f'</div></div></div></div></div></div>')

    def _sidebar(self) -> str:
        b = self.base
        recent = "".join(
            f'<li><a href="{self.art_url(self.cat.articles[i])}">{esc(self.cat.articles[i].title)}</a>'
            f'<span class="widget-date">{long_date(self.cat.articles[i].published)}</span></li>'
            for i in self.cat.newest[:6])
        cats = "".join(
            f'<li class="cat-item cat-item-{ci + 2}"><a href="{b}/category/{slug}/">{esc(name)}</a> '
            f'({len(self.cat.by_category[slug])})</li>' for ci, (name, slug, _) in enumerate(vocab.CATEGORIES))
        popular = sorted(self.cat.by_tag.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:18]
        cloud = "".join(
            f'<a href="{b}/tag/{slug}/" class="tag-cloud-link tag-link-{n + 100} tag-link-position-{n + 1}" '
            f'style="font-size: {8 + min(14, len(items) // 3)}pt;" aria-label="{esc(self.cat.tags[slug])} '
            f'({len(items)} items)">{esc(self.cat.tags[slug])}</a>'
            for n, (slug, items) in enumerate(sorted(popular)))
        return (
            f'<div class="sidebar-wrap single-sidebar"><div class="sidebar-inner clearfix">'
            f'<div id="search-2" class="widget rb-section w-sidebar clearfix widget_search"><form role="search" method="get" '
            f'class="search-form" action="{b}/"><label><span class="screen-reader-text">Search for:</span>'
            f'<input type="search" class="search-field" placeholder="Search &hellip;" value="" name="s" /></label>'
            f'<input type="submit" class="search-submit" value="Search" /></form></div>'
            f'<div id="recent-posts-2" class="widget rb-section w-sidebar clearfix widget_recent_entries">'
            f'<h2 class="widget-title">Recent Posts</h2><nav aria-label="Recent Posts"><ul>{recent}</ul></nav></div>'
            f'<div id="newsletter-3" class="widget rb-section w-sidebar clearfix widget-newsletter"><div class="newsletter-box">'
            f'<h2 class="widget-title newsletter-title">Subscribe to our newsletter</h2><p class="newsletter-description">'
            f'The day’s most important stories, explained. Delivered every weekday morning.</p>'
            f'<form class="newsletter-form" method="post" action="{b}/?na=s"><input type="hidden" name="nlang" value="" />'
            f'<label class="screen-reader-text" for="nl-email">Email</label><input id="nl-email" class="tnp-email" type="email" '
            f'name="ne" placeholder="Your email address" required /><button type="submit" class="tnp-submit">Subscribe</button>'
            f'</form><p class="newsletter-privacy">By signing up, you agree to our <a href="{b}/privacy-policy/">privacy policy'
            f'</a>. You can unsubscribe at any time.</p></div></div>'
            f'<div id="categories-2" class="widget rb-section w-sidebar clearfix widget_categories"><h2 class="widget-title">'
            f'Categories</h2><nav aria-label="Categories"><ul>{cats}</ul></nav></div>'
            f'<div id="tag_cloud-2" class="widget rb-section w-sidebar clearfix widget_tag_cloud"><h2 class="widget-title">'
            f'Popular Topics</h2><div class="tagcloud">{cloud}</div></div>'
            f'</div></div>')

    def _footer(self) -> str:
        b = self.base
        cats = "".join(f'<li><a href="{b}/category/{slug}/">{esc(name)}</a></li>' for name, slug, _ in vocab.CATEGORIES)
        authors = "".join(f'<li><a href="{b}/author/{slug}/">{esc(name)}</a></li>' for name, slug, _ in vocab.AUTHORS[:6])
        return (
            f'<footer class="footer-wrap rb-section left-dot"><div class="footer-inner"><div class="rb-container edge-padding">'
            f'<div class="footer-columns"><div class="footer-col"><div class="widget widget_text"><h2 class="widget-title">'
            f'About {SITE}</h2><div class="textwidget"><p>{SITE} is an independent newsroom covering world affairs, politics, '
            f'business, technology, science, health, climate and culture. We are funded by our readers.</p>'
            f'<p><a href="{b}/about/">Learn more about us</a></p></div></div></div>'
            f'<div class="footer-col"><div class="widget widget_nav_menu"><h2 class="widget-title">Sections</h2>'
            f'<ul class="menu">{cats}</ul></div></div>'
            f'<div class="footer-col"><div class="widget widget_nav_menu"><h2 class="widget-title">Our Writers</h2>'
            f'<ul class="menu">{authors}</ul></div></div>'
            f'<div class="footer-col"><div class="widget widget_nav_menu"><h2 class="widget-title">Company</h2><ul class="menu">'
            f'<li><a href="{b}/about/">About Us</a></li><li><a href="{b}/contact/">Contact</a></li>'
            f'<li><a href="{b}/privacy-policy/">Privacy Policy</a></li><li><a href="{b}/feed/">RSS Feed</a></li></ul></div></div>'
            f'</div><div class="footer-copyright"><div class="copyright-inner"><p class="copyright">© 2025 {SITE}. '
            f'All Rights Reserved.</p><p class="powered">Proudly powered by WordPress | Theme: Foxiz</p></div></div>'
            f'</div></div></footer>'
            f'<a id="back-top" class="back-top" href="#" aria-label="back to top">{chrome.icon("up")}</a>'
            f'<div id="cookie-notice" role="dialog" class="cookie-notice cookie-notice-hidden cookie-revoke-hidden cn-position-bottom" '
            f'aria-label="Cookie Notice" style="background-color: rgba(50,50,58,1);"><div class="cookie-notice-container" '
            f'style="color: #fff"><span id="cn-notice-text" class="cn-text-container">We use cookies to ensure that we give you '
            f'the best experience on our website. If you continue to use this site we will assume that you are happy with it.'
            f'</span><span id="cn-notice-buttons" class="cn-buttons-container"><a href="#" id="cn-accept-cookie" '
            f'data-cookie-set="accept" class="cn-set-cookie cn-button" aria-label="Ok">Ok</a><a href="{b}/privacy-policy/" '
            f'target="_blank" id="cn-more-info" class="cn-more-info cn-button" aria-label="Privacy policy">Privacy policy</a>'
            f'</span><span id="cn-close-notice" data-cookie-set="accept" class="cn-close-icon" title="No"></span></div></div>')

    def _foot_scripts(self) -> str:
        params = {"ajaxurl": self.base + "/wp-admin/admin-ajax.php", "darkModeID": "RubyDarkMode",
                  "yesPersonalized": "", "cookieDomain": "", "cookiePath": "/", "notice": "Your request is being processed",
                  "sticky": "1", "stickyM": "1", "infiniteload": "0", "shareLinks": ["facebook", "twitter", "linkedin",
                                                                                    "whatsapp", "email"]}
        cn = {"ajaxUrl": self.base + "/wp-admin/admin-ajax.php", "nonce": "3f0b7c9e2a", "hideEffect": "fade",
              "position": "bottom", "onScroll": False, "onScrollOffset": 100, "onClick": False, "cookieName":
              "cookie_notice_accepted", "cookieTime": 2592000, "cookieTimeRejected": 2592000, "globalCookie": False,
              "redirection": False, "cache": True, "revokeCookies": False, "revokeCookiesOpt": "automatic"}
        return (f'<script id="foxiz-global-js-extra">\n/* <![CDATA[ */\nvar foxizParams = {jsonld(params)};\n'
                f'var cnArgs = {jsonld(cn)};\n/* ]]> */\n</script>\n'
                f'<script id="foxiz-global-js">\n{chrome.THEME_SCRIPT}</script>\n')

    # -- page skeleton ---------------------------------------------------------
    def page(self, *, title: str, head: str, body_class: str, main: str, ents: bool = False,
             sidebar: bool = True) -> bytes:
        ch = self.chrome()
        side = ch["sidebar"] if sidebar else ""
        out = (
            '<!DOCTYPE html>\n<html lang="en-US">\n<head>\n<meta charset="UTF-8">\n'
            '<meta http-equiv="X-UA-Compatible" content="IE=edge">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<link rel="profile" href="https://gmpg.org/xfn/11">\n'
            f'<title>{esc(title, ents)}</title>\n{head}'
            f"<link rel='dns-prefetch' href='//fonts.googleapis.com' />\n"
            f'<link rel="alternate" type="application/rss+xml" title="{SITE} &raquo; Feed" href="{self.base}/feed/" />\n'
            f'{ch["assets"]}'
            f'<meta name="generator" content="WordPress {chrome.WP_VERSION}" />\n'
            f'<script async src="https://www.googletagmanager.com/gtag/js?id=G-SAMPLE0NEWS"></script>\n'
            f'<script>\n{chrome.GTAG_SCRIPT}</script>\n</head>\n'
            f'<body class="{body_class} wp-embed-responsive menu-ani-1 hover-ani-1 btn-ani-1 is-rm-1 lmeta-dot loader-1 '
            f'is-hd-1 is-standard-1 is-mstick yes-tstick is-backtop none-m-backtop" data-theme="default">\n'
            f'{chrome.icon_sprite()}\n<div class="site-outer">\n{ch["header"]}\n'
            f'<div class="site-wrap">\n{main.replace("<!--sidebar-->", side)}\n</div>\n'
            f'{ch["footer"]}\n</div>\n{self._foot_scripts()}</body>\n</html>\n'
        )
        return out.encode("utf-8")

    def _common_meta(self, *, url: str, og_type: str, og_title: str, description: str,
                     robots: str = "index, follow, max-image-preview:large, max-snippet:-1, max-video-preview:-1",
                     ents: bool = False) -> str:
        return (f"<meta name='robots' content='{robots}' />\n"
                f'<meta name="description" content="{esc(description, ents)}" />\n'
                f'<link rel="canonical" href="{url}" />\n'
                f'<meta property="og:locale" content="en_US" />\n'
                f'<meta property="og:type" content="{og_type}" />\n'
                f'<meta property="og:title" content="{esc(og_title, ents)}" />\n'
                f'<meta property="og:description" content="{esc(description, ents)}" />\n'
                f'<meta property="og:url" content="{url}" />\n'
                f'<meta property="og:site_name" content="{SITE}" />\n')

    def _site_graph(self) -> list:
        b = self.base
        return [
            {"@type": "WebSite", "@id": f"{b}/#website", "url": f"{b}/", "name": SITE,
             "description": vocab.SITE_TAGLINE, "publisher": {"@id": f"{b}/#organization"},
             "potentialAction": [{"@type": "SearchAction", "target": {"@type": "EntryPoint",
                                  "urlTemplate": f"{b}/?s={{search_term_string}}"},
                                  "query-input": {"@type": "PropertyValueSpecification", "valueRequired": True,
                                                  "valueName": "search_term_string"}}],
             "inLanguage": "en-US"},
            {"@type": "Organization", "@id": f"{b}/#organization", "name": SITE, "url": f"{b}/",
             "logo": {"@type": "ImageObject", "inLanguage": "en-US", "@id": f"{b}/#/schema/logo/image/",
                      "url": f"{b}/wp-content/uploads/2023/11/sample-news-logo.png",
                      "contentUrl": f"{b}/wp-content/uploads/2023/11/sample-news-logo.png",
                      "width": 512, "height": 512, "caption": SITE},
             "image": {"@id": f"{b}/#/schema/logo/image/"},
             "sameAs": ["https://www.facebook.com/samplenews", "https://x.com/samplenews"]},
        ]

    def person_id(self, ai: int) -> str:
        slug = vocab.AUTHORS[ai][1]
        return f"{self.base}/#/schema/person/{hashlib.md5(slug.encode()).hexdigest()}"

    # -- article page -----------------------------------------------------------
    def para_html(self, p, ents: bool) -> str:
        if not p.span:
            return esc(p.text, ents)
        start, end, kind, target = p.span
        before, inner, after = esc(p.text[:start], ents), esc(p.text[start:end], ents), esc(p.text[end:], ents)
        if kind == "a":
            inner = f'<a href="{self.art_url(self.cat.articles[target])}">{inner}</a>'
        elif kind == "ext":
            inner = f'<a href="{target}" target="_blank" rel="noopener">{inner}</a>'
        else:
            inner = f"<{kind}>{inner}</{kind}>"
        return before + inner + after

    def article(self, a: Article) -> bytes:
        c: Content = self.content_for(a)
        e = a.entities
        b = self.base
        url = self.art_url(a)
        rt = reading_time(a, c)
        cats = [vocab.CATEGORIES[ci] for ci in a.categories]
        tag_names = [self.cat.tags[t] for t in a.tags]
        author_names = [vocab.AUTHORS[ai][0] for ai in a.authors]
        description = a.subtitle or (c.intro[0].text[:152].rsplit(" ", 1)[0] + "…")
        img = self.image_url(a) if a.has_image else None
        structured_dates = a.date_mode != "text_only"

        # <head>
        head = [self._common_meta(url=url, og_type="article", og_title=a.title, description=description, ents=e)]
        head.append('<meta property="article:publisher" content="https://www.facebook.com/samplenews" />\n')
        if structured_dates:
            head.append(f'<meta property="article:published_time" content="{iso_local(a.published)}" />\n')
            if a.modified != a.published:
                head.append(f'<meta property="article:modified_time" content="{iso_local(a.modified)}" />\n')
        head.append(f'<meta property="article:section" content="{esc(cats[0][0])}" />\n')
        head += [f'<meta property="article:tag" content="{esc(t)}" />\n' for t in tag_names]
        if img:
            head.append(f'<meta property="og:image" content="{img}" />\n<meta property="og:image:width" content="1200" />\n'
                        f'<meta property="og:image:height" content="800" />\n<meta property="og:image:type" content="image/png" />\n')
        head.append(f'<meta name="author" content="{esc(", ".join(author_names))}" />\n'
                    f'<meta name="twitter:card" content="summary_large_image" />\n'
                    f'<meta name="twitter:title" content="{esc(a.title, e)}" />\n'
                    f'<meta name="twitter:description" content="{esc(description, e)}" />\n'
                    + (f'<meta name="twitter:image" content="{img}" />\n' if img else "") +
                    f'<meta name="twitter:creator" content="@samplenews" />\n<meta name="twitter:site" content="@samplenews" />\n'
                    f'<meta name="twitter:label1" content="Written by" />\n'
                    f'<meta name="twitter:data1" content="{esc(" and ".join(author_names))}" />\n'
                    f'<meta name="twitter:label2" content="Est. reading time" />\n'
                    f'<meta name="twitter:data2" content="{rt} minute{"s" if rt != 1 else ""}" />\n')
        if a.date_mode == "full":
            head.append(f'<script type="application/ld+json" class="yoast-schema-graph">'
                        f'{jsonld(self._article_graph(a, c, url, img, description, tag_names, cats))}</script>\n')
        head.append(f"<link rel='shortlink' href='{b}/?p={a.post_id}' />\n")

        # header
        cat_links = "".join(self.cat_link(ci) for ci in a.categories)
        by = " and ".join(f'<a href="{b}/author/{vocab.AUTHORS[ai][1]}/" rel="author">{esc(vocab.AUTHORS[ai][0], e)}</a>'
                          for ai in a.authors)
        meta = [f'<span class="meta-el meta-author">{by}</span>']
        if a.date_display == "time":
            meta.append(f'<span class="meta-el meta-date">{chrome.icon("clock")}<time class="published" '
                        f'datetime="{iso_local(a.published)}">{long_date(a.published)}</time></span>')
        elif a.date_display == "text":
            meta.append(f'<span class="meta-el meta-date">{chrome.icon("clock")}{long_date(a.published)}</span>')
        if a.show_updated:
            meta.append(f'<span class="meta-el meta-update">Last updated: <time class="updated" '
                        f'datetime="{iso_local(a.modified)}">{long_date(a.modified)} {clock(a.modified)}</time></span>')
        meta.append(f'<span class="meta-el meta-read">{rt} Min Read</span>')
        avatar = gravatar(vocab.AUTHORS[a.authors[0]][1], 42)
        header = (
            f'<header class="single-header">'
            f'<div class="s-cats ecat-bg-{vocab.CATEGORIES[a.categories[0]][1]} ecat-size-big"><div class="p-categories">'
            f'{cat_links}</div></div>'
            f'<h1 class="s-title fw-headline">{esc(a.title, e)}</h1>'
            f'<div class="single-meta meta-s-default yes-0"><div class="smeta-in"><a class="meta-el meta-avatar" '
            f'href="{b}/author/{vocab.AUTHORS[a.authors[0]][1]}/"><img alt="" src="{avatar}" class="avatar avatar-42 photo" '
            f'height="42" width="42" decoding="async"/></a><div class="smeta-sec"><div class="smeta-bottom meta-text">'
            f'<div class="meta-inner is-meta">{"".join(meta)}</div></div></div></div>'
            f'<div class="smeta-extra"><a class="meta-el meta-bookmark" href="#" aria-label="Save">{chrome.icon("bookmark")}</a>'
            f'<a class="meta-el meta-print" href="#" onclick="window.print();return false;" aria-label="Print">'
            f'{chrome.icon("print")}</a></div></div>'
            + (f'<h2 class="s-tagline">{esc(a.subtitle, e)}</h2>' if a.subtitle else "")
            + '</header>')
        if img:
            header += (f'<div class="s-feat-outer"><div class="s-feat"><img width="1200" height="800" src="{img}" '
                       f'class="attachment-foxiz_crop_o1 size-foxiz_crop_o1 wp-post-image" alt="{esc(a.title, e)}" '
                       f'decoding="async" fetchpriority="high" /></div>'
                       + (f'<div class="feat-caption meta-text"><span class="caption-text meta-bold">'
                          f'{esc(c.image_caption, e)}</span></div>' if c.image_caption else "")
                       + '</div>')

        # body
        body = ["".join(f"<p>{self.para_html(p, e)}</p>\n" for p in c.intro)]
        for k, s in enumerate(c.sections):
            if k == c.takeaways_after:
                body.append(self._takeaways(a, c, e))
            if c.ad_after is not None and k == c.ad_after:
                body.append(self._ad(a))
            body.append(f'<h{s.level} class="wp-block-heading">{esc(s.heading, e)}</h{s.level}>\n')
            body += [f"<p>{self.para_html(p, e)}</p>\n" for p in s.paragraphs]
        if c.takeaways_after >= len(c.sections):
            body.append(self._takeaways(a, c, e))

        share = self._share(a, url)
        tags = "".join(f'<a href="{b}/tag/{t}/" rel="tag">{esc(self.cat.tags[t])}</a>' for t in a.tags)
        boxes = "".join(
            f'<div class="usr-holder author-box"><div class="ubox"><div class="ubox-header"><div class="ubox-avatar">'
            f'<a href="{b}/author/{vocab.AUTHORS[ai][1]}/"><img alt="" src="{gravatar(vocab.AUTHORS[ai][1], 100)}" '
            f'class="avatar avatar-100 photo" height="100" width="100" loading="lazy" decoding="async"/></a></div>'
            f'<div class="ubox-name"><span class="meta-label">Written by</span> <a class="meta-author-url" '
            f'href="{b}/author/{vocab.AUTHORS[ai][1]}/">{esc(vocab.AUTHORS[ai][0])}</a></div></div>'
            f'<div class="ubox-description"><p>{esc(vocab.AUTHORS[ai][2])}</p></div></div></div>'
            for ai in a.authors)
        classes = " ".join(
            [f"post-{a.post_id}", "post", "type-post", "status-publish", "format-standard"]
            + (["has-post-thumbnail"] if img else [])
            + [f"category-{cat[1]}" for cat in cats] + [f"tag-{t}" for t in a.tags])
        article_html = (
            f'<article id="post-{a.post_id}" class="{classes}">'
            f'{header}<div class="s-ct"><div class="entry-content rbct clearfix">\n{"".join(body)}</div>'
            f'{share}<div class="efoot"><div class="efoot-bar entry-tags"><span class="blabel">Tags:</span>{tags}</div></div>'
            f'{boxes}</div></article>')

        related = "".join(
            f'<div class="p-wrap p-list-small-2" data-pid="{self.cat.articles[i].post_id}"><div class="p-content">'
            f'<h4 class="entry-title"><a class="p-url" href="{self.art_url(self.cat.articles[i])}" rel="bookmark">'
            f'{esc(self.cat.articles[i].title)}</a></h4><div class="p-meta"><span class="meta-el meta-category">'
            f'{esc(vocab.CATEGORIES[self.cat.articles[i].categories[0]][0])}</span></div></div></div>'
            for i in self.cat.related(a.index))
        related_html = (f'<div class="sfoter-sec single-related related-sec"><div class="block-h heading-layout-1">'
                        f'<div class="heading-inner"><h3 class="heading-title"><span>Related News</span></h3></div></div>'
                        f'<div class="block-wrap block-small block-list"><div class="block-inner">{related}</div></div></div>')

        comments = self._comments(a, c, url, e)
        main = (f'<div class="single-standard-1 is-sidebar-right"><div class="rb-container edge-padding">'
                f'<div class="grid-container"><div class="s-ct-wrap">{article_html}{related_html}{comments}</div>'
                f'<!--sidebar--></div></div></div>')
        return self.page(title=f"{a.title} - {SITE}", head="".join(head), ents=e, main=main,
                         body_class=f"post-template-default single single-post postid-{a.post_id} single-format-standard")

    def _article_graph(self, a, c, url, img, description, tag_names, cats) -> dict:
        if a.author_ref == "id":
            refs = [{"@id": self.person_id(ai)} for ai in a.authors]
        else:
            refs = [{"@type": "Person", "name": vocab.AUTHORS[ai][0], "url": f"{self.base}/author/{vocab.AUTHORS[ai][1]}/"}
                    for ai in a.authors]
        article = {
            "@type": "NewsArticle", "@id": f"{url}#article", "isPartOf": {"@id": url},
            "author": refs[0] if len(refs) == 1 else refs, "headline": a.title,
            "datePublished": iso_local(a.published), "dateModified": iso_local(a.modified),
            "mainEntityOfPage": {"@id": url}, "wordCount": c.word_count(), "commentCount": len(c.comments),
            "publisher": {"@id": f"{self.base}/#organization"},
        }
        if img:
            article["image"] = {"@id": f"{url}#primaryimage"}
            article["thumbnailUrl"] = img
        article.update({"keywords": tag_names, "articleSection": [cat[0] for cat in cats], "inLanguage": "en-US"})
        if a.comments_open:
            article["potentialAction"] = [{"@type": "CommentAction", "name": "Comment", "target": [f"{url}#respond"]}]
        page = {"@type": "WebPage", "@id": url, "url": url, "name": f"{a.title} - {SITE}",
                "isPartOf": {"@id": f"{self.base}/#website"}, "datePublished": iso_local(a.published),
                "dateModified": iso_local(a.modified), "description": description,
                "breadcrumb": {"@id": f"{url}#breadcrumb"}, "inLanguage": "en-US",
                "potentialAction": [{"@type": "ReadAction", "target": [url]}]}
        graph = [article, page]
        if img:
            page["primaryImageOfPage"] = {"@id": f"{url}#primaryimage"}
            graph.append({"@type": "ImageObject", "inLanguage": "en-US", "@id": f"{url}#primaryimage", "url": img,
                          "contentUrl": img, "width": 1200, "height": 800})
        graph.append({"@type": "BreadcrumbList", "@id": f"{url}#breadcrumb", "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "Home", "item": f"{self.base}/"},
            {"@type": "ListItem", "position": 2, "name": cats[0][0], "item": f"{self.base}/category/{cats[0][1]}/"},
            {"@type": "ListItem", "position": 3, "name": a.title}]})
        graph += self._site_graph()
        if a.author_ref == "id":
            for ai in a.authors:
                name, slug, bio = vocab.AUTHORS[ai]
                graph.append({"@type": "Person", "@id": self.person_id(ai), "name": name,
                              "image": {"@type": "ImageObject", "inLanguage": "en-US",
                                        "@id": f"{self.base}/#/schema/person/image/{slug}",
                                        "url": gravatar(slug, 96).replace("&#038;", "&"), "caption": name},
                              "description": bio, "url": f"{self.base}/author/{slug}/"})
        return {"@context": "https://schema.org", "@graph": graph}

    def _takeaways(self, a: Article, c: Content, e: bool) -> str:
        if not a.takeaway_style or not c.takeaways:
            return ""
        items = "".join(f"<li>{esc(t, e)}</li>" for t in c.takeaways)
        if a.takeaway_style == "box":
            return (f'<div class="key-takeaways takeaways-box"><h3 class="takeaways-title">{esc(c.takeaways_heading, e)}</h3>'
                    f'<ul class="takeaways-list">{items}</ul></div>\n')
        lvl = a.heading_level
        tag = a.takeaway_style
        return (f'<h{lvl} class="wp-block-heading">{esc(c.takeaways_heading, e)}</h{lvl}>\n'
                f'<{tag} class="wp-block-list">{items}</{tag}>\n')

    def _ad(self, a: Article) -> str:
        slot = 4000000000 + a.post_id
        return ('<div class="ad-wrap ad-inline"><span class="ad-label">Advertisement</span><div class="ad-slot">'
                '<ins class="adsbygoogle" style="display:block; text-align:center;" data-ad-layout="in-article" '
                f'data-ad-format="fluid" data-ad-client="ca-pub-0000000000000000" data-ad-slot="{slot}"></ins>'
                '<script>(adsbygoogle = window.adsbygoogle || []).push({});</script></div></div>\n')

    def _share(self, a: Article, url: str) -> str:
        t = quote(a.title)
        u = quote(url, safe="")
        links = [
            ("facebook", "Facebook", f"https://www.facebook.com/sharer.php?u={u}"),
            ("twitter", "X", f"https://twitter.com/intent/tweet?text={t}&amp;url={u}&amp;via=samplenews"),
            ("linkedin", "LinkedIn", f"https://www.linkedin.com/shareArticle?mini=true&amp;url={u}&amp;title={t}"),
            ("whatsapp", "WhatsApp", f"https://api.whatsapp.com/send?text={t}%20{u}"),
            ("email", "Email", f"mailto:?subject={t}&amp;body=I%20found%20this%20article%20interesting%3A%20{u}"),
        ]
        inner = "".join(
            f'<a class="share-action share-trigger icon-{n}" aria-label="Share on {label}" href="{href}" '
            f'data-title="{label}" rel="nofollow noopener"{"" if n == "email" else _BLANK}>'
            f'{chrome.icon(n)}<span class="share-label-text">{label}</span></a>'
            for n, label, href in links)
        return (f'<div class="e-shared-sec entry-sec"><div class="e-shared-header h4">{chrome.icon("comment")}'
                f'<span class="share-label">Share This Article</span></div><div class="rbbsl tooltips-n effect-fadeout is-bg">'
                f'{inner}</div></div>')

    def _comments(self, a: Article, c: Content, url: str, e: bool) -> str:
        parts = ['<div class="comment-box-wrap entry-sec">']
        if a.comments_open:
            parts.append('<a class="comment-box-header" href="#respond"><span class="comment-box-title h4">'
                         'Leave a Comment</span></a>')
        parts.append('<div id="comments" class="comments-area">')
        if c.comments:
            n = len(c.comments)
            parts.append(f'<h3 class="comments-title">{n} Comment{"s" if n != 1 else ""}</h3><ol class="comment-list">')
            parts.append(self._comment_tree(a, c, url, e))
            parts.append("</ol>")
        if a.comments_open:
            parts.append(COMMENT_FORM.format(path=a.path, action=self.base + "/wp-comments-post.php", post_id=a.post_id))
        else:
            parts.append('<p class="no-comments">Comments are closed.</p>')
        parts.append("</div></div>")
        return "".join(parts)

    def _comment_tree(self, a: Article, c: Content, url: str, e: bool) -> str:
        kids: dict = {}
        for cm in c.comments:
            kids.setdefault(cm.parent, []).append(cm)
        counter = {"all": 0, "thread": 0}

        def render(cm) -> str:
            parity = "even" if counter["all"] % 2 == 0 else "odd alt"
            counter["all"] += 1
            classes = ["comment"]
            if cm.by_post_author:
                classes += ["byuser", f"comment-author-{vocab.AUTHORS[a.authors[0]][1]}", "bypostauthor"]
            classes.append(parity)
            if cm.depth == 1:
                classes.append("thread-even" if counter["thread"] % 2 == 0 else "thread-odd thread-alt")
                counter["thread"] += 1
            classes.append(f"depth-{cm.depth}")
            children = kids.get(cm.id, [])
            if children:
                classes.append("parent")
            name = esc(cm.author, e)
            if cm.author_url:
                name = f'<a href="{cm.author_url}" class="url" rel="ugc external nofollow">{name}</a>'
            text = "".join(f"<p>{esc(p, e)}</p>\n" for p in cm.paragraphs)
            reply = (f'<div class="reply"><a rel="nofollow" class="comment-reply-link" href="?replytocom={cm.id}#respond" '
                     f'data-commentid="{cm.id}" data-postid="{a.post_id}" data-belowelement="div-comment-{cm.id}" '
                     f'data-respondelement="respond" data-replyto="Reply to {esc(cm.author)}" '
                     f'aria-label="Reply to {esc(cm.author)}">Reply</a></div>' if a.comments_open and cm.depth < 5 else "")
            out = (f'<li id="comment-{cm.id}" class="{" ".join(classes)}"><article id="div-comment-{cm.id}" class="comment-body">'
                   f'<footer class="comment-meta"><div class="comment-author vcard"><img alt="" src="{gravatar(cm.author, 50)}" '
                   f'class="avatar avatar-50 photo" height="50" width="50" loading="lazy" decoding="async"/>'
                   f'<b class="fn">{name}</b> <span class="says">says:</span></div><div class="comment-metadata">'
                   f'<a href="{url}#comment-{cm.id}"><time datetime="{iso_local(cm.when)}">{long_date(cm.when)} at '
                   f'{clock(cm.when)}</time></a></div></footer><div class="comment-content">{text}</div>{reply}</article>')
            if children:
                out += '<ol class="children">' + "".join(render(k) for k in children) + "</ol>"
            return out + "</li>"

        return "".join(render(cm) for cm in kids.get(None, []))

    # -- listings ---------------------------------------------------------------
    def card(self, i: int, first: bool = False) -> str:
        a = self.cat.articles[i]
        u = self.art_url(a)
        c_links = "".join(self.cat_link(ci, rel=False) for ci in a.categories[:1])
        authors = " and ".join(f'<a href="{self.base}/author/{vocab.AUTHORS[ai][1]}/">{esc(vocab.AUTHORS[ai][0])}</a>'
                               for ai in a.authors)
        img = (f'<div class="feat-holder"><div class="p-featured"><a class="p-flink" href="{u}" title="{esc(a.title)}">'
               f'<img loading="{"eager" if first else "lazy"}" decoding="async" width="420" height="280" '
               f'src="{self.image_url(a, "420x280")}" alt="{esc(a.title)}" /></a></div></div>' if a.has_image else "")
        summary = f'<p class="entry-summary">{esc(a.subtitle)}</p>' if a.subtitle else ""
        return (f'<article class="p-wrap p-list p-list-2" data-pid="{a.post_id}">{img}'
                f'<div class="p-content"><div class="p-categories p-top">{c_links}</div>'
                f'<h3 class="entry-title"><a class="p-url" href="{u}" rel="bookmark">{esc(a.title)}</a></h3>{summary}'
                f'<div class="p-meta"><div class="meta-inner is-meta"><span class="meta-el meta-author">By {authors}</span>'
                f'<span class="meta-el meta-date"><time datetime="{iso_local(a.published)}">{short_date(a.published)}</time>'
                f'</span></div></div></div></article>\n')

    def pagination(self, base_path: str, page: int, pages: int, query: str = "") -> str:
        if pages <= 1:
            return ""

        def href(n: int) -> str:
            return f"{self.base}{base_path}{'' if n == 1 else f'page/{n}/'}{query}"
        out = ['<nav class="pagination-wrap pagination-number" aria-label="Posts navigation">']
        if page > 1:
            out.append(f'<a class="prev page-numbers" href="{href(page - 1)}">Previous</a>')
        shown = sorted({1, pages} | {n for n in range(page - 2, page + 3) if 1 <= n <= pages})
        last = 0
        for n in shown:
            if n - last > 1:
                out.append('<span class="page-numbers dots">&hellip;</span>')
            if n == page:
                out.append(f'<span aria-current="page" class="page-numbers current">{n}</span>')
            else:
                out.append(f'<a class="page-numbers" href="{href(n)}">{n}</a>')
            last = n
        if page < pages:
            out.append(f'<a class="next page-numbers" href="{href(page + 1)}">Next</a>')
        out.append("</nav>")
        return "".join(out)

    def listing(self, *, items: list, page: int, per_page: int, base_path: str, heading: str, body_class: str,
                description: str, kind: str, query: str = "", title: Optional[str] = None,
                noindex: bool = False, header_extra: str = "") -> Optional[bytes]:
        pages = max(1, math.ceil(len(items) / per_page))
        if page > pages:
            return None
        chunk = items[(page - 1) * per_page: page * per_page]
        url = f"{self.base}{base_path}{'' if page == 1 else f'page/{page}/'}{query}"
        page_title = title or heading
        full_title = f"{page_title}{f' - Page {page} of {pages}' if page > 1 else ''} - {SITE}"
        robots = "noindex, follow" if noindex else "index, follow, max-image-preview:large, max-snippet:-1, max-video-preview:-1"
        head = self._common_meta(url=url, og_type="website", og_title=full_title, description=description, robots=robots)
        head += '<meta name="twitter:card" content="summary_large_image" />\n<meta name="twitter:site" content="@samplenews" />\n'
        if page > 1:
            head += f'<link rel="prev" href="{self.base}{base_path}{"" if page == 2 else f"page/{page - 1}/"}{query}" />\n'
        if page < pages:
            head += f'<link rel="next" href="{self.base}{base_path}page/{page + 1}/{query}" />\n'
        page_type = ["CollectionPage", "SearchResultsPage"] if kind == "search" else "CollectionPage"
        graph = [{"@type": page_type, "@id": url, "url": url, "name": full_title,
                  "isPartOf": {"@id": f"{self.base}/#website"}, "description": description,
                  "breadcrumb": {"@id": f"{url}#breadcrumb"}, "inLanguage": "en-US"},
                 {"@type": "BreadcrumbList", "@id": f"{url}#breadcrumb", "itemListElement": [
                     {"@type": "ListItem", "position": 1, "name": "Home", "item": f"{self.base}/"},
                     {"@type": "ListItem", "position": 2, "name": heading}]}] + self._site_graph()
        head += (f'<script type="application/ld+json" class="yoast-schema-graph">'
                 f'{jsonld({"@context": "https://schema.org", "@graph": graph})}</script>\n')
        cards = "".join(self.card(i, first=(n == 0)) for n, i in enumerate(chunk))
        if not chunk:
            cards = ('<div class="search-empty"><p>Sorry, but nothing matched your search terms. '
                     'Please try again with some different keywords.</p></div>')
        tag = "h1" if kind != "home" else "h2"
        main = (f'<div class="archive-outer is-sidebar-right"><div class="rb-container edge-padding">'
                f'<header class="archive-header"><{tag} class="archive-title">{esc(heading)}</{tag}>'
                f'<div class="archive-description">{esc(description)}</div>{header_extra}</header>'
                f'<div class="grid-container"><div class="archive-inner"><div class="block-wrap archive-grid block-list">'
                f'<div class="block-inner">{cards}</div></div>{self.pagination(base_path, page, pages, query)}</div>'
                f'<!--sidebar--></div></div></div>')
        return self.page(title=full_title, head=head, body_class=body_class, main=main)

    def static_page(self, *, path: str, page_id: int, title: str, paragraphs: list, kind: str = "WebPage") -> bytes:
        url = self.url(path)
        desc = paragraphs[0][:150]
        head = self._common_meta(url=url, og_type="website", og_title=f"{title} - {SITE}", description=desc)
        graph = [{"@type": kind, "@id": url, "url": url, "name": f"{title} - {SITE}",
                  "isPartOf": {"@id": f"{self.base}/#website"}, "inLanguage": "en-US"}] + self._site_graph()
        head += (f'<script type="application/ld+json" class="yoast-schema-graph">'
                 f'{jsonld({"@context": "https://schema.org", "@graph": graph})}</script>\n')
        body = "".join(f"<p>{esc(p)}</p>" for p in paragraphs)
        main = (f'<div class="page-outer is-sidebar-right"><div class="rb-container edge-padding"><div class="grid-container">'
                f'<div class="s-ct-wrap"><article id="post-{page_id}" class="post-{page_id} page type-page status-publish">'
                f'<header class="single-header"><h1 class="s-title">{esc(title)}</h1></header>'
                f'<div class="s-ct"><div class="entry-content rbct clearfix">{body}</div></div></article></div>'
                f'<!--sidebar--></div></div></div>')
        return self.page(title=f"{title} - {SITE}", head=head, main=main,
                         body_class=f"page-template-default page page-id-{page_id}")

    def not_found(self) -> bytes:
        head = "<meta name='robots' content='noindex, follow' />\n" \
               f'<meta property="og:title" content="Page not found - {SITE}" />\n' \
               f'<meta property="og:site_name" content="{SITE}" />\n'
        main = (f'<div class="page404-wrap rb-container edge-padding"><div class="page404-inner">'
                f'<h1 class="page404-title">Oops! Nothing was found</h1><p class="page404-description">The page requested '
                f'couldn’t be found. This could be a spelling error in the URL or a removed page.</p>'
                f'<a class="page404-btn" href="{self.base}/">Back to Homepage</a></div></div>')
        return self.page(title=f"Page not found - {SITE}", head=head, main=main, body_class="error404", sidebar=False)

    # -- feeds ------------------------------------------------------------------
    def feed(self) -> bytes:
        b = self.base
        newest = self.cat.newest[:20]
        last = max((self.cat.articles[i].modified for i in newest), key=lambda d: d.astimezone(UTC))
        items = []
        for i in newest:
            a = self.cat.articles[i]
            cats = "".join(f"<category><![CDATA[{vocab.CATEGORIES[ci][0]}]]></category>" for ci in a.categories)
            cats += "".join(f"<category><![CDATA[{self.cat.tags[t]}]]></category>" for t in a.tags)
            creators = "".join(f"<dc:creator><![CDATA[{vocab.AUTHORS[ai][0]}]]></dc:creator>" for ai in a.authors)
            desc = a.subtitle or a.title
            items.append(
                f"<item>\n<title>{esc(a.title)}</title>\n<link>{self.art_url(a)}</link>\n"
                f"<comments>{self.art_url(a)}#respond</comments>\n"
                f"{creators}\n<pubDate>{format_datetime(a.published.astimezone(UTC))}</pubDate>\n{cats}\n"
                f'<guid isPermaLink="false">{b}/?p={a.post_id}</guid>\n'
                f"<description><![CDATA[{desc}]]></description>\n"
                f"<slash:comments>{a.n_comments}</slash:comments>\n</item>\n")
        xml = ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"\n'
               '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
               '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
               '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
               '\txmlns:atom="http://www.w3.org/2005/Atom"\n'
               '\txmlns:sy="http://purl.org/rss/1.0/modules/syndication/"\n'
               '\txmlns:slash="http://purl.org/rss/1.0/modules/slash/"\n\t>\n<channel>\n'
               f"<title>{SITE}</title>\n"
               f'<atom:link href="{b}/feed/" rel="self" type="application/rss+xml" />\n'
               f"<link>{b}/</link>\n<description>{esc(vocab.SITE_TAGLINE)}</description>\n"
               f"<lastBuildDate>{format_datetime(last.astimezone(UTC))}</lastBuildDate>\n"
               "<language>en-US</language>\n<sy:updatePeriod>\n\thourly\t</sy:updatePeriod>\n"
               "<sy:updateFrequency>\n\t1\t</sy:updateFrequency>\n"
               f"<generator>https://wordpress.org/?v={chrome.WP_VERSION}</generator>\n"
               + "".join(items) + "</channel>\n</rss>\n")
        return xml.encode("utf-8")

    def atom(self) -> bytes:
        """``/feed/atom/``: the same newest 20 posts as the RSS feed, with ``updated`` and authors."""
        b = self.base
        newest = self.cat.newest[:20]
        last = max((self.cat.articles[i].modified for i in newest), key=lambda d: d.astimezone(UTC))
        entries = []
        for i in newest:
            a = self.cat.articles[i]
            authors = "".join(f"<author><name>{esc(vocab.AUTHORS[ai][0])}</name>"
                              f"<uri>{b}/author/{vocab.AUTHORS[ai][1]}/</uri></author>" for ai in a.authors)
            cats = "".join(f'<category scheme="{b}" term="{esc(vocab.CATEGORIES[ci][0])}" />' for ci in a.categories)
            entries.append(
                f"<entry>\n{authors}\n<title type=\"html\"><![CDATA[{a.title}]]></title>\n"
                f'<link rel="alternate" type="text/html" href="{self.art_url(a)}" />\n'
                f"<id>{b}/?p={a.post_id}</id>\n<updated>{_atom_date(a.modified)}</updated>\n"
                f"<published>{_atom_date(a.published)}</published>\n{cats}\n"
                f"<summary type=\"html\"><![CDATA[{a.subtitle or a.title}]]></summary>\n"
                f'<link rel="replies" type="text/html" href="{self.art_url(a)}#comments" thr:count="{a.n_comments}" />\n'
                "</entry>\n")
        xml = ('<?xml version="1.0" encoding="UTF-8"?><feed\n'
               '  xmlns="http://www.w3.org/2005/Atom"\n'
               '  xmlns:thr="http://purl.org/syndication/thread/1.0"\n'
               '  xml:lang="en-US"\n  >\n'
               f'<title type="text">{SITE}</title>\n<subtitle type="text">{esc(vocab.SITE_TAGLINE)}</subtitle>\n'
               f"<updated>{_atom_date(last)}</updated>\n"
               f'<link rel="alternate" type="text/html" href="{b}/" />\n<id>{b}/feed/atom/</id>\n'
               f'<link rel="self" type="application/atom+xml" href="{b}/feed/atom/" />\n'
               f'<generator uri="https://wordpress.org/" version="{chrome.WP_VERSION}">WordPress</generator>\n'
               + "".join(entries) + "</feed>\n")
        return xml.encode("utf-8")

    def sitemaps(self) -> Sitemaps:
        if self._sitemaps is None:
            self._sitemaps = Sitemaps(self)
        return self._sitemaps

    def robots(self) -> bytes:
        return (f"User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n"
                f"Sitemap: {self.base}/sitemap.xml\nSitemap: {self.base}/news-sitemap.xml\n").encode("utf-8")
