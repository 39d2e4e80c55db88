"""Static page chrome: the inline CSS, scripts and icon sprite a WordPress theme
of the Foxiz kind ships with every page.

Real WordPress pages weigh 100-200 KB, most of it styles, scripts, menus and
widgets rather than the article. The sample site reproduces that weight with
realistic material (WordPress' generated global styles, block-library rules, a
theme stylesheet, the emoji loader, a theme script) so that crawlers and parsers
are exercised on pages shaped like the real thing.
"""
from __future__ import annotations

from functools import lru_cache

WP_VERSION = "6.6.2"
THEME_VERSION = "2.5.3"

_COLORS = [
    ("black", "#000000"), ("cyan-bluish-gray", "#abb8c3"), ("white", "#ffffff"),
    ("pale-pink", "#f78da7"), ("vivid-red", "#cf2e2e"), ("luminous-vivid-orange", "#ff6900"),
    ("luminous-vivid-amber", "#fcb900"), ("light-green-cyan", "#7bdcb5"),
    ("vivid-green-cyan", "#00d084"), ("pale-cyan-blue", "#8ed1fc"), ("vivid-cyan-blue", "#0693e3"),
    ("vivid-purple", "#9b51e0"),
]
_GRADIENTS = [
    ("vivid-cyan-blue-to-vivid-purple", "linear-gradient(135deg,rgba(6,147,227,1) 0%,rgb(155,81,224) 100%)"),
    ("light-green-cyan-to-vivid-green-cyan", "linear-gradient(135deg,rgb(122,220,180) 0%,rgb(0,208,130) 100%)"),
    ("luminous-vivid-amber-to-luminous-vivid-orange", "linear-gradient(135deg,rgba(252,185,0,1) 0%,rgba(255,105,0,1) 100%)"),
    ("luminous-vivid-orange-to-vivid-red", "linear-gradient(135deg,rgba(255,105,0,1) 0%,rgb(207,46,46) 100%)"),
    ("very-light-gray-to-cyan-bluish-gray", "linear-gradient(135deg,rgb(238,238,238) 0%,rgb(169,184,195) 100%)"),
    ("cool-to-warm-spectrum", "linear-gradient(135deg,rgb(74,234,220) 0%,rgb(151,120,209) 20%,rgb(207,42,186) 40%,rgb(238,44,130) 60%,rgb(251,105,98) 80%,rgb(254,248,76) 100%)"),
    ("blush-light-purple", "linear-gradient(135deg,rgb(255,206,236) 0%,rgb(152,150,240) 100%)"),
    ("blush-bordeaux", "linear-gradient(135deg,rgb(254,205,165) 0%,rgb(254,45,45) 50%,rgb(107,0,62) 100%)"),
    ("luminous-dusk", "linear-gradient(135deg,rgb(255,203,112) 0%,rgb(199,81,192) 50%,rgb(65,88,208) 100%)"),
    ("pale-ocean", "linear-gradient(135deg,rgb(255,245,203) 0%,rgb(182,227,212) 50%,rgb(51,167,181) 100%)"),
    ("electric-grass", "linear-gradient(135deg,rgb(202,248,128) 0%,rgb(113,206,126) 100%)"),
    ("midnight", "linear-gradient(135deg,rgb(2,3,129) 0%,rgb(40,116,252) 100%)"),
]
_FONT_SIZES = [("small", "13px"), ("medium", "20px"), ("large", "36px"), ("x-large", "42px")]
_SPACING = [("20", "0.44rem"), ("30", "0.67rem"), ("40", "1rem"), ("50", "1.5rem"),
            ("60", "2.25rem"), ("70", "3.38rem"), ("80", "5.06rem")]
_SHADOWS = [("natural", "6px 6px 9px rgba(0, 0, 0, 0.2)"), ("deep", "12px 12px 50px rgba(0, 0, 0, 0.4)"),
            ("sharp", "6px 6px 0px rgba(0, 0, 0, 0.2)"),
            ("outlined", "6px 6px 0px -3px rgba(255, 255, 255, 1), 6px 6px rgba(0, 0, 0, 1)"),
            ("crisp", "6px 6px 0px rgba(0, 0, 0, 1)")]

# Category accent colours (by category slug), as Foxiz prints them per site.
CATEGORY_COLORS = {
    "world": "#1e73be", "politics": "#c0392b", "business": "#16a085", "technology": "#8e44ad",
    "science": "#2c3e50", "health": "#d35400", "climate": "#27ae60", "arts-culture": "#b7950b",
}


@lru_cache(maxsize=1)
def global_styles() -> str:
    """WordPress' generated ``global-styles-inline-css`` (theme.json presets)."""
    out = [":root{"]
    out += [f"--wp--preset--aspect-ratio--{a}: {b};" for a, b in
            (("square", "1"), ("4-3", "4/3"), ("3-4", "3/4"), ("3-2", "3/2"), ("2-3", "2/3"),
             ("16-9", "16/9"), ("9-16", "9/16"))]
    out += [f"--wp--preset--color--{n}: {v};" for n, v in _COLORS]
    out += [f"--wp--preset--gradient--{n}: {v};" for n, v in _GRADIENTS]
    out += [f"--wp--preset--font-size--{n}: {v};" for n, v in _FONT_SIZES]
    out += [f"--wp--preset--spacing--{n}: {v};" for n, v in _SPACING]
    out += [f"--wp--preset--shadow--{n}: {v};" for n, v in _SHADOWS]
    out.append("}")
    out.append(":where(.is-layout-flex){gap: 0.5em;}:where(.is-layout-grid){gap: 0.5em;}"
               "body .is-layout-flex{display: flex;}.is-layout-flex{flex-wrap: wrap;align-items: center;}"
               ".is-layout-flex > :is(*, div){margin: 0;}body .is-layout-grid{display: grid;}"
               ".is-layout-grid > :is(*, div){margin: 0;}:where(.wp-block-columns.is-layout-flex){gap: 2em;}"
               ":where(.wp-block-columns.is-layout-grid){gap: 2em;}:where(.wp-block-post-template.is-layout-flex){gap: 1.25em;}"
               ":where(.wp-block-post-template.is-layout-grid){gap: 1.25em;}")
    for kind, prop in (("color", "color"), ("background-color", "background-color"), ("border-color", "border-color")):
        for n, _ in _COLORS:
            out.append(f".has-{n}-{kind}{{{prop}: var(--wp--preset--color--{n}) !important;}}")
    for n, _ in _GRADIENTS:
        out.append(f".has-{n}-gradient-background{{background: var(--wp--preset--gradient--{n}) !important;}}")
    for n, _ in _FONT_SIZES:
        out.append(f".has-{n}-font-size{{font-size: var(--wp--preset--font-size--{n}) !important;}}")
    out.append(":where(.wp-block-post-template.is-layout-flex){gap: 1.25em;}"
               ":where(.wp-block-pullquote){font-size: 1.5em;line-height: 1.6;}")
    return "".join(out)


BLOCK_LIBRARY_CSS = """\
.wp-block-audio :where(figcaption){margin-bottom:1em;margin-top:.5em}.wp-block-audio audio{min-width:300px;width:100%}
.wp-block-button__link{box-sizing:border-box;cursor:pointer;display:inline-block;text-align:center;word-break:break-word}
.wp-block-button__link.aligncenter{text-align:center}.wp-block-button__link.alignright{text-align:right}
:where(.wp-block-button__link){border-radius:9999px;box-shadow:none;padding:calc(.667em + 2px) calc(1.333em + 2px);text-decoration:none}
.wp-block-buttons>.wp-block-button.has-custom-width{max-width:none}.wp-block-buttons>.wp-block-button.has-custom-width .wp-block-button__link{width:100%}
.wp-block-buttons.is-vertical{flex-direction:column}.wp-block-buttons.is-vertical>.wp-block-button:last-child{margin-bottom:0}
.wp-block-columns{align-items:normal!important;box-sizing:border-box;display:flex;flex-wrap:wrap!important}
@media (min-width:782px){.wp-block-columns{flex-wrap:nowrap!important}}
.wp-block-columns.are-vertically-aligned-top{align-items:flex-start}.wp-block-columns.are-vertically-aligned-center{align-items:center}
.wp-block-columns.are-vertically-aligned-bottom{align-items:flex-end}
@media (max-width:781px){.wp-block-columns:not(.is-not-stacked-on-mobile)>.wp-block-column{flex-basis:100%!important}}
@media (min-width:782px){.wp-block-columns:not(.is-not-stacked-on-mobile)>.wp-block-column{flex-basis:0;flex-grow:1}.wp-block-columns:not(.is-not-stacked-on-mobile)>.wp-block-column[style*=flex-basis]{flex-grow:0}}
.wp-block-column{flex-grow:1;min-width:0;overflow-wrap:break-word;word-break:break-word}
.wp-block-cover,.wp-block-cover-image{align-items:center;background-position:50%;box-sizing:border-box;display:flex;justify-content:center;min-height:430px;overflow:hidden;overflow:clip;padding:1em;position:relative}
.wp-block-cover .has-background-dim:not([class*=-background-color]),.wp-block-cover-image .has-background-dim:not([class*=-background-color]){background-color:#000}
.wp-block-embed.alignleft,.wp-block-embed.alignright,.wp-block[data-align=left]>[data-type="core/embed"],.wp-block[data-align=right]>[data-type="core/embed"]{max-width:360px;width:100%}
.wp-block-embed{overflow-wrap:break-word}.wp-block-embed :where(figcaption){margin-bottom:1em;margin-top:.5em}.wp-block-embed iframe{max-width:100%}
.wp-block-embed__wrapper{position:relative}.wp-embed-responsive .wp-has-aspect-ratio .wp-block-embed__wrapper:before{content:"";display:block;padding-top:50%}
.wp-embed-responsive .wp-has-aspect-ratio iframe{bottom:0;height:100%;left:0;position:absolute;right:0;top:0;width:100%}
.wp-block-gallery:not(.has-nested-images),.blocks-gallery-grid:not(.has-nested-images){display:flex;flex-wrap:wrap;list-style-type:none;margin:0;padding:0}
.wp-block-group{box-sizing:border-box}:where(.wp-block-group.wp-block-group-is-layout-constrained){position:relative}
h1.has-background,h2.has-background,h3.has-background,h4.has-background,h5.has-background,h6.has-background{padding:1.25em 2.375em}
.wp-block-image img{box-sizing:border-box;height:auto;max-width:100%;vertical-align:bottom}
.wp-block-image[style*=border-radius] img,.wp-block-image[style*=border-radius]>a{border-radius:inherit}
.wp-block-image.aligncenter{text-align:center}.wp-block-image.alignfull img,.wp-block-image.alignwide img{height:auto;width:100%}
.wp-block-image .aligncenter,.wp-block-image .alignleft,.wp-block-image .alignright,.wp-block-image.aligncenter,.wp-block-image.alignleft,.wp-block-image.alignright{display:table}
.wp-block-image .aligncenter>figcaption,.wp-block-image .alignleft>figcaption,.wp-block-image .alignright>figcaption{caption-side:bottom;display:table-caption}
.wp-block-image :where(figcaption){margin-bottom:1em;margin-top:.5em}
ol,ul{box-sizing:border-box}:where(.wp-block-navigation.has-background .wp-block-navigation-item a:not(.wp-element-button)),:where(.wp-block-navigation.has-background .wp-block-navigation-submenu a:not(.wp-element-button)){padding:.5em 1em}
.is-small-text{font-size:.875em}.is-regular-text{font-size:1em}.is-large-text{font-size:2.25em}.is-larger-text{font-size:3em}
.has-drop-cap:not(:focus):first-letter{float:left;font-size:8.4em;font-style:normal;font-weight:100;line-height:.68;margin:.05em .1em 0 0;text-transform:uppercase}
p.has-drop-cap.has-background{overflow:hidden}p.has-background{padding:1.25em 2.375em}:where(p.has-text-color:not(.has-link-color)) a{color:inherit}
.wp-block-pullquote{box-sizing:border-box;margin:0 0 1em;overflow-wrap:break-word;padding:4em 0;text-align:center}
.wp-block-pullquote blockquote,.wp-block-pullquote cite,.wp-block-pullquote p{color:inherit}.wp-block-pullquote cite,.wp-block-pullquote footer{position:relative}
.wp-block-quote{box-sizing:border-box;overflow-wrap:break-word}.wp-block-quote.is-large:where(:not(.is-style-plain)),.wp-block-quote.is-style-large:where(:not(.is-style-plain)){margin-bottom:1em;padding:0 1em}
.wp-block-search__button{margin-left:10px;word-break:normal}.wp-block-search__button.has-icon{line-height:0}
.wp-block-search__inside-wrapper{display:flex;flex:auto;flex-wrap:nowrap;max-width:100%}.wp-block-search__label{width:100%}
.wp-block-search__input{appearance:none;border:1px solid #949494;flex-grow:1;margin-left:0;margin-right:0;min-width:3rem;padding:8px;text-decoration:unset!important}
.wp-block-separator{border:none;border-top:2px solid}.wp-block-separator.is-style-dots{background:none!important;border:none;height:auto;line-height:1;text-align:center}
.wp-block-social-links{background:none;box-sizing:border-box;margin-left:0;padding-left:0;padding-right:0;text-indent:0}
.wp-block-social-links .wp-social-link a,.wp-block-social-links .wp-social-link a:hover{border-bottom:0;box-shadow:none;text-decoration:none}
.wp-block-table{overflow-x:auto}.wp-block-table table{border-collapse:collapse;width:100%}.wp-block-table td,.wp-block-table th{border:1px solid;padding:.5em}
.wp-block-video{box-sizing:border-box}.wp-block-video video{vertical-align:middle;width:100%}
.screen-reader-text{border:0;clip:rect(1px,1px,1px,1px);clip-path:inset(50%);height:1px;margin:-1px;overflow:hidden;padding:0;position:absolute;width:1px;word-wrap:normal!important}
.screen-reader-text:focus{background-color:#ddd;clip:auto!important;clip-path:none;color:#444;display:block;font-size:1em;height:auto;left:5px;line-height:normal;padding:15px 23px 14px;text-decoration:none;top:5px;width:auto;z-index:100000}
html :where(.has-border-color){border-style:solid}html :where([style*=border-top-color]){border-top-style:solid}
html :where(img[class*=wp-image-]){height:auto;max-width:100%}:where(figure){margin:0 0 1em}
html :where(.is-position-sticky){--wp-admin--admin-bar--position-offset:var(--wp-admin--admin-bar--height,0px)}
@media screen and (max-width:600px){html :where(.is-position-sticky){--wp-admin--admin-bar--position-offset:0px}}
"""

THEME_CSS = """\
:root{--g-color:#ff184e;--g-color-90:#ff184ee6;--dark-accent:#191c20;--dark-accent-90:#191c20e6;--dark-accent-0:#191c2000;--body-fcolor:#282828;
--meta-fcolor:#666;--meta-b-fcolor:#282828;--flex-gray-7:#88888812;--flex-gray-15:#88888826;--flex-gray-40:#88888866;--heading-color:inherit;
--solid-white:#fff;--h1-size:40px;--h2-size:32px;--h3-size:23px;--h4-size:20px;--h5-size:17px;--h6-size:15px;--body-fsize:17px;--rem-mini:.8rem;
--el-spacing:12px;--round-3:3px;--round-5:5px;--round-7:7px;--hyperlink-line-color:var(--g-color);--mbnav-height:42px;--submenu-bg:#fff;
--indicator-bg-from:#ff0084;--indicator-bg-to:#2c2cf8;--indicator-height:4px;--alert-bg:#ff6c6c;--alert-color:#fff;--default-box-shadow:0 3px 12px #00000012}
[data-theme=dark],.light-scheme{--solid-white:#000;--body-fcolor:#fff;--meta-fcolor:#aaa;--meta-b-fcolor:#fff;--dark-accent:#101010;--submenu-bg:#191c20;
--default-box-shadow:0 3px 12px #ffffff12}
*,:after,:before{box-sizing:border-box}html{-webkit-text-size-adjust:100%;font-size:16px}
body{margin:0;padding:0;font-family:"Encode Sans Condensed",-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;font-size:var(--body-fsize);
line-height:1.7;color:var(--body-fcolor);background-color:var(--solid-white);-webkit-font-smoothing:antialiased;-moz-osx-font-smoothing:grayscale;text-rendering:optimizeLegibility}
a{color:inherit;text-decoration:none;transition:all .25s cubic-bezier(.32,.74,.57,1)}a:focus{outline:0}img{max-width:100%;height:auto;vertical-align:middle}
h1,h2,h3,h4,h5,h6,.h1,.h2,.h3,.h4,.h5,.h6{font-family:"Oxygen",sans-serif;font-weight:700;line-height:1.2;color:var(--heading-color);margin:0;-ms-word-wrap:break-word;word-wrap:break-word}
h1,.h1{font-size:var(--h1-size);letter-spacing:-.02em}h2,.h2{font-size:var(--h2-size);letter-spacing:-.025em}h3,.h3{font-size:var(--h3-size);letter-spacing:-.015em}
h4,.h4{font-size:var(--h4-size)}h5,.h5{font-size:var(--h5-size)}h6,.h6{font-size:var(--h6-size)}
.site-outer{position:relative;display:block;max-width:100vw;background-color:var(--solid-white)}.site-wrap{position:relative;display:block;min-height:45vh;margin:0;padding:0}
.rb-container{position:static;display:block;width:100%;max-width:var(--rb-width,1280px);margin-right:auto;margin-left:auto}
.edge-padding{padding-right:20px;padding-left:20px}.rb-section ul,.rb-menu,.main-menu{margin:0;padding:0;list-style:none}
.header-wrap{position:relative;display:block}.navbar-wrap{position:relative;z-index:999;display:block}.navbar-inner{position:relative;display:flex;align-items:stretch;justify-content:space-between;min-height:var(--nav-height,60px)}
.navbar-left,.navbar-right,.navbar-center{display:flex;align-items:stretch;flex-flow:row nowrap}.navbar-left{flex-grow:1}
.logo-wrap{display:flex;align-items:center;flex-shrink:0;max-height:100%;margin-right:20px}.logo-wrap a{display:flex;align-items:center}.logo-text{font-size:26px;font-weight:900;letter-spacing:-.03em}
.main-menu{display:flex;align-items:stretch;flex-flow:row wrap}.main-menu>li{position:relative;display:flex;align-items:center}
.main-menu>li>a{display:flex;align-items:center;height:var(--nav-height,60px);padding:0 var(--menu-item-spacing,12px);font-size:var(--main-menu-fsize,15px);font-weight:700;white-space:nowrap}
.main-menu .sub-menu,.mega-dropdown{position:absolute;z-index:9999;top:100%;right:0;left:0;visibility:hidden;min-width:200px;transition:all .25s ease;opacity:0;background-color:var(--submenu-bg);box-shadow:var(--default-box-shadow)}
.main-menu li:hover>.sub-menu,.main-menu li:hover>.mega-dropdown{visibility:visible;opacity:1}.mega-dropdown-inner{padding:20px 0}
.mega-header{display:flex;align-items:center;justify-content:space-between;margin-bottom:15px;padding-bottom:10px;border-bottom:1px solid var(--flex-gray-15)}
.mega-link{font-size:var(--rem-mini);display:inline-flex;align-items:center;gap:5px}
.block-wrap{position:relative;display:block}.block-inner{display:flex;flex-flow:row wrap;flex-grow:1;row-gap:var(--bottom-spacing,35px)}
.rb-columns{display:flex;flex-flow:row wrap}.rb-col-4>.block-inner>*{flex-basis:25%;width:25%}.rb-col-5>.block-inner>*{flex-basis:20%;width:20%}
.is-gap-10{margin-right:-10px;margin-left:-10px}.is-gap-10>.block-inner>*{padding-right:10px;padding-left:10px}
.p-wrap{position:relative;display:block}.p-content{position:relative;display:block}.feat-holder{position:relative;max-width:100%;margin-bottom:var(--el-spacing)}
.p-featured{position:relative;display:block;overflow:hidden;padding-bottom:60%;border-radius:var(--wrap-border,var(--round-3))}.p-featured img{position:absolute;top:0;left:0;width:100%;height:100%;object-fit:cover}
.p-categories{display:flex;flex-flow:row wrap;gap:var(--el-spacing)}.p-category{font-size:var(--cat-fsize,13px);font-weight:700;text-transform:uppercase;letter-spacing:.03em}
.entry-title{word-break:break-word}.entry-title a{display:inline;background-image:linear-gradient(var(--hyperlink-line-color),var(--hyperlink-line-color));background-repeat:no-repeat;background-position:left 100%;background-size:0 1px}
.entry-title a:hover{background-size:100% 1px}.entry-summary{margin-top:var(--el-spacing);font-size:15px;color:var(--meta-fcolor)}
.p-meta{display:block;margin-top:var(--el-spacing)}.meta-inner{display:flex;flex-flow:row wrap;align-items:center;gap:5px 10px}
.is-meta,.meta-text,.meta-el{font-family:"Encode Sans Condensed",sans-serif;font-size:var(--meta-fsize,13px);font-weight:400;color:var(--meta-fcolor)}
.meta-el a{color:var(--meta-b-fcolor);font-weight:700}.lmeta-dot .meta-el:not(:last-child):after{display:inline-block;margin-left:10px;content:"\\2022";opacity:.5}
.single-header{position:relative;display:block;margin-bottom:30px}.s-cats{margin-bottom:15px}.s-title{font-size:var(--h1-size);margin-bottom:15px}
.s-tagline{font-size:var(--h4-size);font-weight:400;line-height:1.5;margin-top:15px;color:var(--meta-fcolor)}
.single-meta{display:flex;align-items:center;flex-flow:row wrap;justify-content:space-between;gap:15px;margin-top:15px}
.smeta-in{display:flex;align-items:center;gap:12px}.meta-avatar img{width:42px;height:42px;border-radius:100%}
.s-feat-outer{margin-bottom:30px}.s-feat img{width:100%;border-radius:var(--round-5)}.feat-caption{margin-top:7px;font-size:13px;color:var(--meta-fcolor)}
.s-ct{position:relative;display:block}.rbct{font-size:var(--body-fsize);line-height:1.8}.rbct>*{margin-top:0;margin-bottom:1.5rem}
.rbct p{margin-bottom:1.5rem}.rbct h2,.rbct h3{margin-top:2rem;margin-bottom:1rem}.rbct ul,.rbct ol{padding-left:1.25em}.rbct li{margin-bottom:.5rem}
.rbct a:not(.wp-element-button){text-decoration:underline;text-decoration-color:var(--hyperlink-line-color);text-underline-offset:3px}
.key-takeaways{padding:25px 30px;border-left:4px solid var(--g-color);border-radius:var(--round-5);background:var(--flex-gray-7)}
.key-takeaways .takeaways-title{margin-top:0;font-size:var(--h4-size)}.key-takeaways ul{margin-bottom:0}
.ad-wrap{display:flex;flex-direction:column;align-items:center;margin:30px 0;padding:15px 0;border-top:1px solid var(--flex-gray-15);border-bottom:1px solid var(--flex-gray-15)}
.ad-label{font-size:11px;letter-spacing:.1em;text-transform:uppercase;color:var(--meta-fcolor);margin-bottom:8px}.ad-slot{min-height:250px;width:300px}
.e-shared-sec{display:flex;align-items:center;flex-flow:row wrap;gap:15px;margin-top:30px}.share-label{font-weight:700}
.rbbsl{display:flex;flex-flow:row wrap;gap:7px}.rbbsl a{display:inline-flex;align-items:center;gap:5px;height:36px;padding:0 12px;color:#fff;border-radius:var(--round-3);font-size:14px}
.rbbsl .icon-facebook{background:#3b5998}.rbbsl .icon-twitter{background:#000}.rbbsl .icon-linkedin{background:#0077b5}.rbbsl .icon-whatsapp{background:#00e676}.rbbsl .icon-email{background:#333}
.entry-tags{display:flex;flex-flow:row wrap;gap:7px;margin-top:30px}.entry-tags a{padding:3px 10px;font-size:13px;border:1px solid var(--flex-gray-15);border-radius:var(--round-3)}
.author-box{display:block;margin-top:30px;padding:25px;border-radius:var(--round-7);background:var(--flex-gray-7)}.ubox-header{display:flex;align-items:center;gap:15px}
.ubox-avatar img{width:80px;height:80px;border-radius:100%}.ubox-description{margin-top:12px;font-size:15px}
.related-sec{margin-top:40px}.heading-title{position:relative;font-size:var(--h4-size);margin-bottom:20px}.heading-title span{position:relative;display:inline-block;padding-bottom:7px}
.heading-title span:after{position:absolute;bottom:0;left:0;width:40px;height:3px;content:"";background:var(--g-color)}
.comment-box-wrap{margin-top:40px}.comment-box-header{display:flex;align-items:center;justify-content:center;padding:12px;border:1px solid var(--flex-gray-15);border-radius:var(--round-5);font-weight:700}
.comments-area{margin-top:30px}.comment-list,.comment-list .children{margin:0;padding:0;list-style:none}.comment-list .children{margin-left:40px}
.comment-body{position:relative;display:block;margin-bottom:25px;padding-bottom:25px;border-bottom:1px solid var(--flex-gray-15)}
.comment-author{display:flex;align-items:center;gap:10px}.comment-author .avatar{width:40px;height:40px;border-radius:100%}.comment-author .says{display:none}
.comment-metadata{font-size:13px;color:var(--meta-fcolor);margin:5px 0 10px 50px}.comment-content p{margin-bottom:.75rem}.comment-reply-link{font-size:13px;font-weight:700}
.comment-respond{margin-top:30px}.comment-reply-title{font-size:var(--h4-size);margin-bottom:15px}.comment-form p{margin-bottom:15px}
.comment-form label{display:block;margin-bottom:5px;font-size:14px;font-weight:700}.comment-form .required{color:var(--alert-bg)}
.comment-form input[type=text],.comment-form input[type=email],.comment-form input[type=url],.comment-form textarea{width:100%;padding:10px 15px;border:1px solid var(--flex-gray-15);border-radius:var(--round-3);background:var(--flex-gray-7)}
.comment-form-cookies-consent{display:flex;align-items:flex-start;gap:8px}.comment-form-cookies-consent label{display:inline;font-weight:400}
.form-submit .submit,.newsletter-form button,.search-form button{padding:10px 25px;cursor:pointer;color:#fff;border:0;border-radius:var(--round-3);background:var(--g-color);font-weight:700}
.no-comments{font-weight:700;color:var(--meta-fcolor)}
.grid-container{display:flex;flex-flow:row wrap;margin-right:-20px;margin-left:-20px}.grid-container>*{padding-right:20px;padding-left:20px}
.s-ct-wrap,.archive-inner{flex:0 0 66.67%;width:66.67%}.sidebar-wrap{flex:0 0 33.33%;width:33.33%}
.widget{margin-bottom:40px}.widget-title{font-size:var(--h5-size);margin-bottom:15px;padding-bottom:7px;border-bottom:2px solid var(--g-color)}
.widget ul{margin:0;padding:0;list-style:none}.widget li{padding:7px 0;border-bottom:1px dashed var(--flex-gray-15)}.widget-date{display:block;font-size:12px;color:var(--meta-fcolor)}
.tagcloud{display:flex;flex-flow:row wrap;gap:6px}.tagcloud a{font-size:13px!important;padding:2px 9px;border:1px solid var(--flex-gray-15);border-radius:var(--round-3)}
.newsletter-box{padding:25px;text-align:center;color:#fff;border-radius:var(--round-7);background:var(--dark-accent)}.newsletter-form{display:flex;gap:7px;margin-top:15px}
.newsletter-form input{flex-grow:1;padding:10px;border:0;border-radius:var(--round-3)}
.archive-header{padding:40px 0 30px}.archive-title{font-size:var(--h1-size)}.archive-description{margin-top:10px;color:var(--meta-fcolor)}
.archive-grid .p-wrap{padding-bottom:30px;margin-bottom:30px;border-bottom:1px solid var(--flex-gray-15)}
.pagination-wrap{display:flex;flex-flow:row wrap;justify-content:center;gap:7px;margin:40px 0}
.page-numbers{display:inline-flex;align-items:center;justify-content:center;min-width:36px;height:36px;padding:0 10px;border:1px solid var(--flex-gray-15);border-radius:var(--round-3);font-weight:700}
.page-numbers.current{color:#fff;border-color:var(--g-color);background:var(--g-color)}.page-numbers.dots{border:0}
.footer-wrap{margin-top:60px;padding:50px 0 20px;color:#ddd;background:var(--dark-accent)}.footer-columns{display:flex;flex-flow:row wrap;gap:40px}
.footer-col{flex:1 1 200px}.footer-col .widget-title{color:#fff}.footer-copyright{margin-top:30px;padding-top:20px;font-size:13px;border-top:1px solid #ffffff1a}
.cookie-notice{position:fixed;z-index:100000;bottom:0;left:0;width:100%;padding:15px 20px;font-size:14px;color:#fff;background:#32323a}
.cookie-notice-container{display:flex;flex-flow:row wrap;align-items:center;justify-content:center;gap:15px}.cn-button{padding:6px 20px;color:#fff;border-radius:3px;background:#00a99d}
.mobile-menu-wrap{display:none}.rbi{display:inline-block;width:1em;height:1em;fill:currentColor}.search-form{display:flex;gap:7px}.search-form input{flex-grow:1}
.reading-indicator{position:fixed;z-index:99999;top:0;left:0;width:100%;height:var(--indicator-height)}.reading-indicator span{display:block;height:100%;background:linear-gradient(to right,var(--indicator-bg-from),var(--indicator-bg-to))}
.back-top{position:fixed;z-index:999;right:20px;bottom:20px;opacity:0}.back-top.is-show{opacity:1}
@media (max-width:1024px){:root{--h1-size:34px;--h2-size:28px;--h3-size:21px;--body-fsize:16px}.s-ct-wrap,.archive-inner,.sidebar-wrap{flex-basis:100%;width:100%}
.rb-col-5>.block-inner>*{flex-basis:33.33%;width:33.33%}}
@media (max-width:767px){:root{--h1-size:26px;--h2-size:23px;--h3-size:19px;--h4-size:17px;--body-fsize:16px}.navbar-wrap .main-menu-wrap{display:none}
.mobile-menu-wrap{display:block}.rb-col-4>.block-inner>*,.rb-col-5>.block-inner>*{flex-basis:100%;width:100%}.comment-list .children{margin-left:20px}}
"""


def category_css() -> str:
    out = []
    for slug, color in CATEGORY_COLORS.items():
        out.append(f".category-{slug} .p-category,.p-category.category-{slug}{{color:{color}}}"
                   f".category-{slug} .s-title a:hover{{color:{color}}}"
                   f".ecat-bg-{slug}{{--cat-highlight:{color};--cat-highlight-90:{color}e6}}"
                   f"body.category-{slug} .archive-title:after{{background:{color}}}")
    return "".join(out)


EMOJI_SCRIPT = """\
window._wpemojiSettings = {"baseUrl":"https:\\/\\/s.w.org\\/images\\/core\\/emoji\\/15.0.3\\/72x72\\/","ext":".png","svgUrl":"https:\\/\\/s.w.org\\/images\\/core\\/emoji\\/15.0.3\\/svg\\/","svgExt":".svg","source":{"concatemoji":"%(base)swp-includes\\/js\\/wp-emoji-release.min.js?ver=%(wp)s"}};
/*! This file is auto-generated */
!function(i,n){var o,s,e;function c(e){try{var t={supportTests:e,timestamp:(new Date).valueOf()};sessionStorage.setItem(o,JSON.stringify(t))}catch(e){}}function p(e,t,n){e.clearRect(0,0,e.canvas.width,e.canvas.height),e.fillText(t,0,0);var t=new Uint32Array(e.getImageData(0,0,e.canvas.width,e.canvas.height).data),r=(e.clearRect(0,0,e.canvas.width,e.canvas.height),e.fillText(n,0,0),new Uint32Array(e.getImageData(0,0,e.canvas.width,e.canvas.height).data));return t.every(function(e,t){return e===r[t]})}function u(e,t,n){switch(t){case"flag":return n(e,"\\ud83c\\udff3\\ufe0f\\u200d\\u26a7\\ufe0f","\\ud83c\\udff3\\ufe0f\\u200b\\u26a7\\ufe0f")?!1:!n(e,"\\ud83c\\uddfa\\ud83c\\uddf3","\\ud83c\\uddfa\\u200b\\ud83c\\uddf3")&&!n(e,"\\ud83c\\udff4\\udb40\\udc67\\udb40\\udc62\\udb40\\udc65\\udb40\\udc6e\\udb40\\udc67\\udb40\\udc7f","\\ud83c\\udff4\\u200b\\udb40\\udc67\\u200b\\udb40\\udc62\\u200b\\udb40\\udc65\\u200b\\udb40\\udc6e\\u200b\\udb40\\udc67\\u200b\\udb40\\udc7f");case"emoji":return!n(e,"\\ud83d\\udc26\\u200d\\u2b1b","\\ud83d\\udc26\\u200b\\u2b1b")}return!1}function f(e,t,n){var r="undefined"!=typeof WorkerGlobalScope&&self instanceof WorkerGlobalScope?new OffscreenCanvas(300,150):i.createElement("canvas"),a=r.getContext("2d",{willReadFrequently:!0}),o=(a.textBaseline="top",a.font="600 32px Arial",{});return e.forEach(function(e){o[e]=t(a,e,n)}),o}function t(e){var t=i.createElement("script");t.src=e,t.defer=!0,i.head.appendChild(t)}"undefined"!=typeof Promise&&(o="wpEmojiSettingsSupports",s=["flag","emoji"],n.supports={everything:!0,everythingExceptFlag:!0},e=new Promise(function(e){i.addEventListener("DOMContentLoaded",e,{once:!0})}),new Promise(function(t){var n=function(){try{var e=JSON.parse(sessionStorage.getItem(o));if("object"==typeof e&&"number"==typeof e.timestamp&&(new Date).valueOf()<e.timestamp+604800&&"object"==typeof e.supportTests)return e.supportTests}catch(e){}return null}();if(!n){if("undefined"!=typeof Worker&&"undefined"!=typeof OffscreenCanvas&&"undefined"!=typeof URL&&URL.createObjectURL&&"undefined"!=typeof Blob)try{var e="postMessage("+f.toString()+"("+[JSON.stringify(s),u.toString(),p.toString()].join(",")+"));",r=new Blob([e],{type:"text/javascript"}),a=new Worker(URL.createObjectURL(r),{name:"wpTestEmojiSupports"});return void(a.onmessage=function(e){c(n=e.data),a.terminate(),t(n)})}catch(e){}c(n=f(s,u,p))}t(n)}).then(function(e){for(var t in e)n.supports[t]=e[t],n.supports.everything=n.supports.everything&&n.supports[t],"flag"!==t&&(n.supports.everythingExceptFlag=n.supports.everythingExceptFlag&&n.supports[t]);n.supports.everythingExceptFlag=n.supports.everythingExceptFlag&&!n.supports.flag,n.DOMReady=!1,n.readyCallback=function(){n.DOMReady=!0}}).then(function(){return e}).then(function(){var e;n.supports.everything||(n.readyCallback(),(e=n.source||{}).concatemoji?t(e.concatemoji):e.wpemoji&&e.twemoji&&(t(e.twemoji),t(e.wpemoji)))}))}((window,document),window._wpemojiSettings);
"""

EMOJI_CSS = ("img.wp-smiley, img.emoji {display: inline !important;border: none !important;box-shadow: none !important;"
             "height: 1em !important;width: 1em !important;margin: 0 0.07em !important;vertical-align: -0.1em !important;"
             "background: none !important;padding: 0 !important;}")

THEME_SCRIPT = """\
(function ($) {
  'use strict';
  var FOXIZ_MAIN_SCRIPT = window.FOXIZ_MAIN_SCRIPT || {};
  FOXIZ_MAIN_SCRIPT.init = function () {
    this._body = document.body;
    this.themeSettings = window.foxizParams || {};
    this.ajaxURL = (window.foxizCoreParams || {}).ajaxurl || '/wp-admin/admin-ajax.php';
    this.readingIndicator();
    this.stickyNavigation();
    this.backTop();
    this.megaMenuHover();
    this.darkModeToggle();
    this.shareTrigger();
    this.cookieNotice();
    this.lazyImages();
    this.commentReplyLinks();
  };
  FOXIZ_MAIN_SCRIPT.readingIndicator = function () {
    var indicator = document.getElementById('reading-progress');
    var content = document.querySelector('.entry-content');
    if (!indicator || !content) { return; }
    var update = function () {
      var rect = content.getBoundingClientRect();
      var total = rect.height - window.innerHeight;
      var done = Math.min(Math.max(-rect.top, 0), Math.max(total, 1));
      indicator.style.width = (100 * done / Math.max(total, 1)).toFixed(2) + '%';
    };
    window.addEventListener('scroll', update, {passive: true});
    update();
  };
  FOXIZ_MAIN_SCRIPT.stickyNavigation = function () {
    var header = document.getElementById('navbar-outer');
    if (!header || !this._body.classList.contains('is-mstick')) { return; }
    var lastY = 0, offset = header.offsetTop + header.offsetHeight;
    window.addEventListener('scroll', function () {
      var y = window.pageYOffset;
      header.classList.toggle('sticky-on', y > offset);
      header.classList.toggle('sticky-up', y < lastY && y > offset);
      lastY = y;
    }, {passive: true});
  };
  FOXIZ_MAIN_SCRIPT.backTop = function () {
    var button = document.getElementById('back-top');
    if (!button) { return; }
    window.addEventListener('scroll', function () {
      button.classList.toggle('is-show', window.pageYOffset > 400);
    }, {passive: true});
    button.addEventListener('click', function (e) {
      e.preventDefault();
      window.scrollTo({top: 0, behavior: 'smooth'});
    });
  };
  FOXIZ_MAIN_SCRIPT.megaMenuHover = function () {
    var items = document.querySelectorAll('.main-menu > li.is-mega-menu');
    Array.prototype.forEach.call(items, function (item) {
      var timer;
      item.addEventListener('mouseenter', function () { clearTimeout(timer); item.classList.add('mega-hover'); });
      item.addEventListener('mouseleave', function () { timer = setTimeout(function () { item.classList.remove('mega-hover'); }, 150); });
    });
  };
  FOXIZ_MAIN_SCRIPT.darkModeToggle = function () {
    var toggles = document.querySelectorAll('.dark-mode-toggle');
    var key = 'RubyDarkMode';
    var apply = function (mode) { document.body.setAttribute('data-theme', mode); };
    try { if (localStorage.getItem(key)) { apply(localStorage.getItem(key)); } } catch (e) {}
    Array.prototype.forEach.call(toggles, function (toggle) {
      toggle.addEventListener('click', function (e) {
        e.preventDefault();
        var next = document.body.getAttribute('data-theme') === 'dark' ? 'default' : 'dark';
        apply(next);
        try { localStorage.setItem(key, next); } catch (err) {}
      });
    });
  };
  FOXIZ_MAIN_SCRIPT.shareTrigger = function () {
    var links = document.querySelectorAll('.share-trigger');
    Array.prototype.forEach.call(links, function (link) {
      link.addEventListener('click', function (e) {
        if (link.href.indexOf('mailto:') === 0) { return; }
        e.preventDefault();
        window.open(link.href, 'Share', 'width=600,height=500,scrollbars=no,toolbar=no,menubar=no,status=no,resizable=yes');
      });
    });
  };
  FOXIZ_MAIN_SCRIPT.cookieNotice = function () {
    var notice = document.getElementById('cookie-notice');
    if (!notice) { return; }
    if (document.cookie.indexOf('cookie_notice_accepted=') !== -1) { notice.style.display = 'none'; return; }
    var accept = document.getElementById('cn-accept-cookie');
    if (accept) {
      accept.addEventListener('click', function (e) {
        e.preventDefault();
        var expires = new Date(Date.now() + 2592000000).toUTCString();
        document.cookie = 'cookie_notice_accepted=true; expires=' + expires + '; path=/; SameSite=Lax';
        notice.style.display = 'none';
      });
    }
  };
  FOXIZ_MAIN_SCRIPT.lazyImages = function () {
    if (!('IntersectionObserver' in window)) { return; }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting && entry.target.dataset.src) {
          entry.target.src = entry.target.dataset.src;
          observer.unobserve(entry.target);
        }
      });
    }, {rootMargin: '200px'});
    Array.prototype.forEach.call(document.querySelectorAll('img[data-src]'), function (img) { observer.observe(img); });
  };
  FOXIZ_MAIN_SCRIPT.commentReplyLinks = function () {
    var respond = document.getElementById('respond');
    if (!respond) { return; }
    var cancel = document.getElementById('cancel-comment-reply-link');
    var parentField = document.getElementById('comment_parent');
    Array.prototype.forEach.call(document.querySelectorAll('.comment-reply-link'), function (link) {
      link.addEventListener('click', function (e) {
        var match = /replytocom=(\\d+)/.exec(link.getAttribute('href'));
        if (!match || !parentField) { return; }
        e.preventDefault();
        parentField.value = match[1];
        var body = document.getElementById('div-comment-' + match[1]);
        if (body) { body.parentNode.insertBefore(respond, body.nextSibling); }
        if (cancel) { cancel.style.display = ''; }
      });
    });
    if (cancel) {
      cancel.addEventListener('click', function (e) {
        e.preventDefault();
        if (parentField) { parentField.value = '0'; }
        document.getElementById('comments').appendChild(respond);
        cancel.style.display = 'none';
      });
    }
  };
  window.FOXIZ_MAIN_SCRIPT = FOXIZ_MAIN_SCRIPT;
  document.addEventListener('DOMContentLoaded', function () { FOXIZ_MAIN_SCRIPT.init(); });
})(window.jQuery);
"""

GTAG_SCRIPT = """\
window.dataLayer = window.dataLayer || [];
function gtag(){dataLayer.push(arguments);}
gtag('consent', 'default', {'ad_storage': 'denied', 'analytics_storage': 'granted', 'wait_for_update': 500});
gtag('js', new Date());
gtag('config', 'G-SAMPLE0NEWS', {'anonymize_ip': true, 'cookie_flags': 'SameSite=None;Secure'});
"""

# Icon sprite (24x24 outline icons).
_ICONS = {
    "search": "M15.5 14h-.79l-.28-.27A6.471 6.471 0 0 0 16 9.5 6.5 6.5 0 1 0 9.5 16c1.61 0 3.09-.59 4.23-1.57l.27.28v.79l5 4.99L20.49 19l-4.99-5zm-6 0C7.01 14 5 11.99 5 9.5S7.01 5 9.5 5 14 7.01 14 9.5 11.99 14 9.5 14z",
    "menu": "M3 18h18v-2H3v2zm0-5h18v-2H3v2zm0-7v2h18V6H3z",
    "close": "M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z",
    "facebook": "M22 12.06C22 6.53 17.52 2.05 12 2.05S2 6.53 2 12.06c0 5 3.66 9.13 8.44 9.88v-6.99H7.9v-2.89h2.54V9.85c0-2.5 1.49-3.89 3.78-3.89 1.09 0 2.24.2 2.24.2v2.46h-1.26c-1.24 0-1.63.77-1.63 1.56v1.88h2.78l-.44 2.89h-2.34v6.99C18.34 21.19 22 17.06 22 12.06z",
    "twitter": "M17.75 3h3.07l-6.7 7.66L22 21h-6.17l-4.83-6.32L5.47 21H2.4l7.17-8.19L2 3h6.33l4.37 5.77L17.75 3zm-1.08 16.17h1.7L7.4 4.73H5.58l11.09 14.44z",
    "linkedin": "M19 3a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h14m-.5 15.5v-5.3a3.26 3.26 0 0 0-3.26-3.26c-.85 0-1.84.52-2.32 1.3v-1.11h-2.79v8.37h2.79v-4.93c0-.77.62-1.4 1.39-1.4a1.4 1.4 0 0 1 1.4 1.4v4.93h2.79M6.88 8.56a1.68 1.68 0 0 0 1.68-1.68c0-.93-.75-1.69-1.68-1.69a1.69 1.69 0 0 0-1.69 1.69c0 .93.76 1.68 1.69 1.68m1.39 9.94v-8.37H5.5v8.37h2.77z",
    "whatsapp": "M16.75 13.96c.25.13.41.2.46.3.06.11.04.61-.21 1.18-.2.56-1.24 1.1-1.7 1.12-.46.02-.47.36-2.96-.73-2.49-1.09-3.99-3.75-4.11-3.92-.12-.17-.96-1.38-.92-2.61.05-1.22.69-1.8.95-2.04.24-.26.51-.29.68-.26h.47c.15 0 .36-.06.55.45l.69 1.87c.06.13.1.28.01.44l-.27.41-.39.42c-.12.12-.26.25-.12.5.12.26.62 1.09 1.32 1.78.91.88 1.71 1.17 1.95 1.3.24.14.39.12.54-.04l.81-.94c.19-.25.35-.19.58-.11l1.67.88M12 2a10 10 0 0 1 10 10 10 10 0 0 1-10 10c-1.97 0-3.8-.57-5.35-1.55L2 22l1.55-4.65A9.969 9.969 0 0 1 2 12 10 10 0 0 1 12 2m0 2a8 8 0 0 0-8 8c0 1.72.54 3.31 1.46 4.61L4.5 19.5l2.89-.96A7.95 7.95 0 0 0 12 20a8 8 0 0 0 8-8 8 8 0 0 0-8-8z",
    "email": "M20 4H4c-1.1 0-1.99.9-1.99 2L2 18c0 1.1.9 2 2 2h16c1.1 0 2-.9 2-2V6c0-1.1-.9-2-2-2zm0 4-8 5-8-5V6l8 5 8-5v2z",
    "clock": "M11.99 2C6.47 2 2 6.48 2 12s4.47 10 9.99 10C17.52 22 22 17.52 22 12S17.52 2 11.99 2zM12 20c-4.42 0-8-3.58-8-8s3.58-8 8-8 8 3.58 8 8-3.58 8-8 8zm.5-13H11v6l5.25 3.15.75-1.23-4.5-2.67z",
    "comment": "M21.99 4c0-1.1-.89-2-1.99-2H4c-1.1 0-2 .9-2 2v12c0 1.1.9 2 2 2h14l4 4-.01-18zM18 14H6v-2h12v2zm0-3H6V9h12v2zm0-3H6V6h12v2z",
    "moon": "M12 3a9 9 0 1 0 9 9c0-.46-.04-.92-.1-1.36a5.389 5.389 0 0 1-4.4 2.26 5.403 5.403 0 0 1-3.14-9.8c-.44-.06-.9-.1-1.36-.1z",
    "cright": "M10 6 8.59 7.41 13.17 12l-4.58 4.59L10 18l6-6z",
    "up": "M7.41 15.41 12 10.83l4.59 4.58L18 14l-6-6-6 6z",
    "bookmark": "M17 3H7c-1.1 0-1.99.9-1.99 2L5 21l7-3 7 3V5c0-1.1-.9-2-2-2zm0 15-5-2.18L7 18V5h10v13z",
    "rss": "M6.18 15.64a2.18 2.18 0 0 1 2.18 2.18C8.36 19 7.38 20 6.18 20 5 20 4 19 4 17.82a2.18 2.18 0 0 1 2.18-2.18M4 4.44A15.56 15.56 0 0 1 19.56 20h-2.83A12.73 12.73 0 0 0 4 7.27V4.44m0 5.66a9.9 9.9 0 0 1 9.9 9.9h-2.83A7.07 7.07 0 0 0 4 12.93V10.1z",
    "print": "M19 8H5c-1.66 0-3 1.34-3 3v6h4v4h12v-4h4v-6c0-1.66-1.34-3-3-3zm-3 11H8v-5h8v5zm3-7c-.55 0-1-.45-1-1s.45-1 1-1 1 .45 1 1-.45 1-1 1zm-1-9H6v4h12V3z",
}


@lru_cache(maxsize=1)
def icon_sprite() -> str:
    symbols = "".join(f'<symbol id="rbi-{name}" viewBox="0 0 24 24"><path d="{d}"/></symbol>'
                      for name, d in _ICONS.items())
    return ('<svg xmlns="http://www.w3.org/2000/svg" style="display:none" aria-hidden="true">'
            + symbols + "</svg>")


def icon(name: str) -> str:
    return f'<svg class="rbi rbi-{name}" aria-hidden="true"><use href="#rbi-{name}"></use></svg>'


@lru_cache(maxsize=1)
def head_assets_template() -> str:
    """Styles and scripts of <head>; ``%(base)s`` is replaced by the site's base URL."""
    parts = [
        "<script>\n" + EMOJI_SCRIPT.replace("%(wp)s", WP_VERSION) + "</script>\n",
        "<style id='wp-emoji-styles-inline-css'>\n" + EMOJI_CSS + "\n</style>\n",
        "<style id='wp-block-library-inline-css'>\n" + BLOCK_LIBRARY_CSS + "</style>\n",
        "<style id='classic-theme-styles-inline-css'>\n/*! This file is auto-generated */\n"
        ".wp-block-button__link{color:#fff;background-color:#32373c;border-radius:9999px;box-shadow:none;text-decoration:none;"
        "padding:calc(.667em + 2px) calc(1.333em + 2px);font-size:1.125em}.wp-block-file__button{background:#32373c;color:#fff;text-decoration:none}\n</style>\n",
        "<style id='global-styles-inline-css'>\n" + global_styles() + "\n</style>\n",
        "<style id='foxiz-main-inline-css'>\n" + THEME_CSS + category_css() + "\n</style>\n",
    ]
    return "".join(parts)
