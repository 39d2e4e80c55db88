"""The sample site's data: articles, their lazily generated bodies, and taxonomy.

Everything is derived from ``(articles, seed)``. Metadata for every article is
built eagerly (cheap: titles, dates, authors, taxonomy); bodies and comments
are generated on first use from a per-article ``random.Random`` and kept in a
bounded cache, so a 10,000-article site builds in about a second.
"""
from __future__ import annotations

import json
import math
import random
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from importlib import resources
from typing import Optional

from . import textgen, vocab

UTC = timezone.utc
SITE_START = date(2023, 11, 1)
SITE_END = date(2025, 10, 31)          # the newest article is published on this day
WORDS_PER_MINUTE = 238
OFFSETS = [(0, 0), (1, 0), (2, 0), (-4, 0), (-5, 0), (-7, 0), (5, 30), (9, 0), (10, 0)]
OFFSET_WEIGHTS = [18, 26, 12, 14, 10, 5, 6, 5, 4]
CATEGORY_WEIGHTS = [18, 16, 15, 13, 10, 10, 10, 8]


@dataclass
class Para:
    """One paragraph: its visible text and at most one inline markup span.

    ``span`` is ``(start, end, kind, target)`` over ``text``; kind is ``a``
    (internal link, target = article index), ``ext`` (external link, target =
    URL), ``strong`` or ``em``. Markup never changes the visible text.
    """
    text: str
    span: Optional[tuple] = None


@dataclass
class SectionData:
    heading: str
    level: int
    paragraphs: list


@dataclass
class CommentData:
    id: int
    parent: Optional[int]
    author: str
    author_url: Optional[str]
    by_post_author: bool
    when: datetime
    paragraphs: list
    depth: int = 1


@dataclass
class Content:
    intro: list
    sections: list
    takeaways_heading: Optional[str]
    takeaways: list
    takeaways_after: int        # how many sections come before the takeaways
    ad_after: Optional[int]     # the ad block follows this many sections
    comments: list
    image_caption: Optional[str] = None

    def word_count(self) -> int:
        words = 0
        for p in self.intro:
            words += len(p.text.split())
        for s in self.sections:
            words += len(s.heading.split()) + sum(len(p.text.split()) for p in s.paragraphs)
        if self.takeaways:
            words += len((self.takeaways_heading or "").split()) + sum(len(t.split()) for t in self.takeaways)
        return words


@dataclass
class Article:
    index: int
    post_id: int
    slug: str
    published: datetime          # aware, in the article's local offset
    modified: datetime
    title: str = ""
    subtitle: Optional[str] = None
    authors: list = field(default_factory=list)       # indexes into vocab.AUTHORS
    categories: list = field(default_factory=list)    # indexes into vocab.CATEGORIES
    tags: list = field(default_factory=list)          # tag slugs
    date_mode: str = "full"          # full | no_jsonld | text_only
    date_display: str = "time"       # time | text | none (how .meta-date shows the date)
    show_updated: bool = False
    author_ref: str = "inline"       # inline | id (JSON-LD author by @id reference)
    takeaway_style: Optional[str] = "ul"   # ul | ol | box | None
    heading_level: int = 2
    comments_open: bool = True
    n_comments: int = 0
    entities: bool = False           # wptexturize-style numeric entities (&#8217;)
    has_image: bool = True
    has_ad: bool = False
    closing_section: bool = False
    is_seed: bool = False
    fixed_reading_time: Optional[int] = None
    content_override: Optional[Content] = None   # set by SampleSite.update_article

    @property
    def path(self) -> str:
        d = self.published
        return f"/{d.year:04d}/{d.month:02d}/{d.day:02d}/{self.slug}/"

    @property
    def content_seed(self) -> str:
        return f"content/{self.post_id}/{self.slug}"


def load_seed() -> dict:
    text = resources.files(__package__).joinpath("data/seed_article.json").read_text(encoding="utf-8")
    return json.loads(text)


def iso_local(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds")


def iso_utc(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def long_date(dt: datetime) -> str:
    return f"{dt:%B} {dt.day}, {dt.year}"


def short_date(dt: datetime) -> str:
    return f"{dt:%b} {dt.day}, {dt.year}"


def clock(dt: datetime) -> str:
    hour = dt.hour % 12 or 12
    return f"{hour}:{dt.minute:02d} {'am' if dt.hour < 12 else 'pm'}"


def reading_time(article: Article, content: Content) -> int:
    if article.fixed_reading_time is not None:
        return article.fixed_reading_time
    return max(1, math.ceil(content.word_count() / WORDS_PER_MINUTE))


def _tz(hours: int, minutes: int) -> timezone:
    sign = -1 if hours < 0 else 1
    return timezone(sign * timedelta(hours=abs(hours), minutes=minutes))


def _weighted(rng: random.Random, items, weights):
    return rng.choices(items, weights=weights, k=1)[0]


class Catalog:
    """Articles, taxonomy and listing indexes for one ``(articles, seed)``."""

    def __init__(self, articles: int, seed: int):
        if articles < 1:
            raise ValueError("a sample site needs at least one article")
        self.seed = seed
        self.tags: dict[str, str] = {}                # slug -> name
        self.articles: list[Article] = []
        self.by_path: dict[str, int] = {}
        self.by_post_id: dict[int, int] = {}
        self._build(articles)
        self.reindex()

    # -- construction -------------------------------------------------
    def _build(self, count: int) -> None:
        rng = random.Random(f"sample-site/{self.seed}/{count}")
        seed_data = load_seed()
        seed_pub = datetime.fromisoformat(seed_data["published"])
        days = (SITE_END - SITE_START).days
        stamps = []
        for k in range(count - 1):
            day = days if k == 0 else rng.randrange(days + 1)
            hours, minutes = _weighted(rng, OFFSETS, OFFSET_WEIGHTS)
            local = datetime.combine(SITE_START + timedelta(days=day), datetime.min.time())
            local = local.replace(hour=rng.randint(6, 21), minute=rng.randrange(60),
                                  second=rng.randrange(60), tzinfo=_tz(hours, minutes))
            stamps.append((local, False))
        stamps.append((seed_pub, True))
        stamps.sort(key=lambda s: (s[0].astimezone(UTC), s[1]))

        post_id = 1180
        slugs: set = set()
        for index, (published, is_seed) in enumerate(stamps):
            post_id += rng.randint(2, 9)
            art_rng = random.Random(f"article/{self.seed}/{post_id}")
            if is_seed:
                article = self._seed_article(index, post_id, published, seed_data)
            else:
                article = self._random_article(index, post_id, published, art_rng, slugs)
            slugs.add(article.slug)
            self.articles.append(article)

    def _register_tag(self, name: str) -> str:
        slug = textgen.slugify(name)
        self.tags.setdefault(slug, name)
        return slug

    def _seed_article(self, index: int, post_id: int, published: datetime, data: dict) -> Article:
        cat_index = {c[0]: i for i, c in enumerate(vocab.CATEGORIES)}
        author_index = {a[0]: i for i, a in enumerate(vocab.AUTHORS)}
        return Article(
            index=index, post_id=post_id, slug=data["slug"], published=published,
            modified=datetime.fromisoformat(data["modified"]), title=data["title"],
            subtitle=data["subtitle"], authors=[author_index[a] for a in data["authors"]],
            categories=[cat_index[c] for c in data["categories"]],
            tags=[self._register_tag(t) for t in data["tags"]],
            date_mode="full", date_display="none", show_updated=False, author_ref="id",
            takeaway_style=data["takeaways_style"], heading_level=2,
            comments_open=data["comments_open"], n_comments=0, entities=True, has_image=False,
            has_ad=False, closing_section=True, is_seed=True,
            fixed_reading_time=data["reading_time_minutes"])

    def _random_article(self, index: int, post_id: int, published: datetime,
                        rng: random.Random, slugs: set) -> Article:
        cat = _weighted(rng, range(len(vocab.CATEGORIES)), CATEGORY_WEIGHTS)
        cat_slug = vocab.CATEGORIES[cat][1]
        categories = [cat]
        if rng.random() < 0.2:
            categories.append(rng.choice([i for i in range(len(vocab.CATEGORIES)) if i != cat]))
        staff = vocab.CATEGORY_AUTHORS[cat_slug]
        authors = [rng.choices(staff, weights=[5, 3, 2, 1][:len(staff)], k=1)[0]]
        if rng.random() < 0.12:
            authors.append(rng.choice([i for i in range(len(vocab.AUTHORS)) if i not in authors]))
        lex = vocab.LEXICON[cat_slug]
        tags = [self._register_tag(t) for t in rng.sample(lex["tags"], rng.randint(2, 5))]

        focus = textgen.make_focus(rng, cat_slug)
        filler = textgen.Filler(rng, focus)
        for attempt in range(40):
            title = filler.headline(rng.choice(vocab.TITLES))
            slug = textgen.slugify(title)
            if slug not in slugs and len(title) < 110:
                break
        else:
            n = 2
            while f"{slug}-{n}" in slugs:
                n += 1
            slug = f"{slug}-{n}"
        subtitle = filler.headline(rng.choice(vocab.SUBTITLES)) if rng.random() < 0.9 else None

        r = rng.random()
        date_mode = "text_only" if r < 0.05 else "no_jsonld" if r < 0.15 else "full"
        if date_mode == "text_only":
            date_display = "text"
        else:
            date_display = _weighted(rng, ["time", "text", "none"], [65, 30, 5])
        if rng.random() < 0.3:
            modified = published
        else:
            modified = published + timedelta(minutes=rng.randint(5, 60 * 24 * 20))
        latest = datetime(2025, 11, 1, 6, 0, tzinfo=UTC)
        if modified > latest:
            modified = max(published, latest.astimezone(published.tzinfo))
        modified = modified.replace(microsecond=0)
        show_updated = date_mode != "text_only" and modified != published and rng.random() < 0.4

        takeaway_style = _weighted(rng, ["ul", "ol", "box", None], [42, 20, 13, 25])
        return Article(
            index=index, post_id=post_id, slug=slug, published=published, modified=modified,
            title=title, subtitle=subtitle, authors=authors, categories=categories, tags=tags,
            date_mode=date_mode, date_display=date_display, show_updated=show_updated,
            author_ref="id" if rng.random() < 0.5 else "inline", takeaway_style=takeaway_style,
            heading_level=3 if rng.random() < 0.15 else 2,
            comments_open=rng.random() >= 0.15,
            n_comments=_weighted(rng, [0, 1, 2, 3, 4, 5], [30, 15, 15, 15, 12, 13]),
            entities=rng.random() < 0.5, has_image=rng.random() < 0.8, has_ad=rng.random() < 0.45,
            closing_section=takeaway_style is not None and rng.random() < 0.35)

    def reindex(self) -> None:
        """(Re)build the listing indexes (newest first)."""
        self.by_path = {a.path: a.index for a in self.articles}
        self.by_post_id = {a.post_id: a.index for a in self.articles}
        newest = list(reversed(range(len(self.articles))))
        self.newest = newest
        self.by_category = {c[1]: [] for c in vocab.CATEGORIES}
        self.by_tag: dict[str, list] = {}
        self.by_author = {a[1]: [] for a in vocab.AUTHORS}
        self.primary: dict[str, list] = {c[1]: [] for c in vocab.CATEGORIES}
        for i in newest:
            a = self.articles[i]
            for c in a.categories:
                self.by_category[vocab.CATEGORIES[c][1]].append(i)
            self.primary[vocab.CATEGORIES[a.categories[0]][1]].append(i)
            for t in a.tags:
                self.by_tag.setdefault(t, []).append(i)
            for au in a.authors:
                self.by_author[vocab.AUTHORS[au][1]].append(i)
        self._related_pos = {}
        for slug, items in self.primary.items():
            for pos, i in enumerate(items):
                self._related_pos[i] = (slug, pos)

    # -- lazily generated bodies -----------------------------------------
    def related(self, index: int, count: int = 4) -> list[int]:
        slug, pos = self._related_pos[index]
        pool = self.primary[slug]
        out: list[int] = []
        for delta in (1, -1, 2, -2, 3, -3, 4, -4, 5, -5):
            j = pos + delta
            if 0 <= j < len(pool) and pool[j] != index and pool[j] not in out:
                out.append(pool[j])
            if len(out) == count:
                return out
        for j in self.newest:          # tiny sites: fill from everything
            if j != index and j not in out:
                out.append(j)
            if len(out) == count:
                break
        return out

    def generate_content(self, article: Article) -> Content:
        if article.content_override is not None:
            return article.content_override
        if article.is_seed:
            return self._seed_content(article)
        rng = random.Random(article.content_seed)
        cat_slug = vocab.CATEGORIES[article.categories[0]][1]
        focus = textgen.make_focus(rng, cat_slug)
        filler = textgen.Filler(rng, focus)
        used: set = set()

        intro_first = filler.fill(rng.choice(vocab.INTRO_SENTENCES))
        intro = [intro_first + " " + textgen.paragraph(filler, used, rng.randint(2, 4))]
        if rng.random() < 0.4:
            intro.append(textgen.paragraph(filler, used, rng.randint(2, 4)))

        n_sections = rng.randint(3, 8)
        headings: list[str] = []
        while len(headings) < n_sections:
            h = filler.headline(rng.choice(vocab.HEADINGS))
            if h not in headings:
                headings.append(h)
        sections = []
        for h in headings:
            paras = [textgen.paragraph(filler, used, rng.randint(3, 6)) for _ in range(rng.randint(1, 3))]
            sections.append(SectionData(h, article.heading_level, paras))

        takeaways_heading, takeaways = None, []
        if article.takeaway_style:
            if article.takeaway_style == "box":
                takeaways_heading = rng.choice(vocab.TAKEAWAY_HEADINGS_BOX)
            else:
                takeaways_heading = filler.headline(rng.choice(vocab.TAKEAWAY_HEADINGS_LIST))
            items = rng.sample(vocab.TAKEAWAYS, rng.randint(3, 6))
            takeaways = [filler.fill(t) for t in items]
        takeaways_after = len(sections)
        if article.closing_section:
            sections.append(SectionData(
                filler.headline(rng.choice(vocab.CLOSING_HEADINGS)), article.heading_level,
                [" ".join(filler.fill(s) for s in rng.sample(vocab.CLOSING_SENTENCES, 2))]))

        # Inline markup spans, chosen once so pages stay stable.
        def decorate(text: str) -> Para:
            r = rng.random()
            if r >= 0.26:
                return Para(text)
            words = [m.span() for m in re.finditer(r"[A-Za-z][\w’-]*", text)]
            if len(words) < 6:
                return Para(text)
            i = rng.randrange(len(words) - 4)
            j = i + rng.randint(1, 3)
            span_start, span_end = words[i][0], words[j][1]
            if r < 0.12 and article.index > 0:
                return Para(text, (span_start, span_end, "a", rng.randrange(article.index)))
            if r < 0.15:
                url = rng.choice(["https://www.un.org/en/", "https://www.oecd.org/", "https://www.who.int/",
                                  "https://www.nature.com/", "https://www.ipcc.ch/", "https://www.bbc.co.uk/news"])
                return Para(text, (span_start, span_end, "ext", url))
            return Para(text, (span_start, span_end, "strong" if r < 0.21 else "em", None))

        content = Content(
            intro=[decorate(p) for p in intro],
            sections=[SectionData(s.heading, s.level, [decorate(p) for p in s.paragraphs]) for s in sections],
            takeaways_heading=takeaways_heading, takeaways=takeaways, takeaways_after=takeaways_after,
            ad_after=(rng.randrange(1, takeaways_after) if article.has_ad and takeaways_after > 1 else None),
            comments=self._comments(article, rng, filler),
            image_caption=(filler.fill(rng.choice([
                "{Actor} at a meeting in {place}.", "A view of {place} earlier this year.",
                "Officials from {org} speaking to reporters.", "{Actor} gathered in {place} on Monday."]))
                if article.has_image else None),
        )
        return content

    def _seed_content(self, article: Article) -> Content:
        data = load_seed()
        sections = [SectionData(s["heading"], s["level"], [Para(p) for p in s["paragraphs"]])
                    for s in data["sections"]]
        return Content(intro=[Para(p) for p in data["intro"]], sections=sections,
                       takeaways_heading=data["takeaways_heading"], takeaways=list(data["takeaways"]),
                       takeaways_after=data["takeaways_after_section"], ad_after=None, comments=[])

    def _comments(self, article: Article, rng: random.Random, filler) -> list:
        comments: list[CommentData] = []
        when = article.published
        for k in range(article.n_comments):
            when = when + timedelta(minutes=rng.randint(20, 60 * 30))
            parent = None
            if comments and rng.random() < 0.45:
                candidates = [c for c in comments if c.depth < 3]
                if candidates:
                    parent = rng.choice(candidates)
            by_author = parent is not None and rng.random() < 0.2
            if by_author:
                name, url = vocab.AUTHORS[article.authors[0]][0], None
            else:
                name = rng.choice([n for n in vocab.READER_NAMES if not parent or n != parent.author])
                url = f"https://{textgen.slugify(name).replace('-', '')}.example.org/" if rng.random() < 0.2 else None
            paras = textgen.comment_text(filler, parent.author if parent else None)
            comments.append(CommentData(
                id=article.post_id * 8 + k + 3000, parent=parent.id if parent else None, author=name,
                author_url=url, by_post_author=by_author, when=when.replace(microsecond=0),
                paragraphs=paras, depth=parent.depth + 1 if parent else 1))
        # Depth-first display order: each top-level comment followed by its replies.
        children: dict = {}
        for c in comments:
            children.setdefault(c.parent, []).append(c)
        ordered: list = []

        def walk(pid):
            for c in children.get(pid, []):
                ordered.append(c)
                walk(c.id)
        walk(None)
        return ordered
