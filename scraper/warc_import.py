"""Archiving the articles in existing WARC files: `newsarchive import-warc FILE... --db archive.db`.

Ours (``crawl --warc``) or anyone's, such as Common Crawl's news crawl: every
``response`` record with status 200 and an HTML payload goes through the same
extraction (``scraper.extract``) and the same ``ArchiveStore.store`` as a crawl,
with the record's WARC-Target-URI as the URL and its WARC-Date as the fetch time.
What else a crawl records is recorded too, once every file is read, in capture order:
a 304 moves an article's last seen, a 404, 410 or redirect to the home page (directly or
through a chain of redirects captured in the files) marks it gone and is a failure row, and
a revisit record is its original's content captured again, the original found in the files
or, failing that, in the archive. A story split over pages is archived as a crawl archives it:
each capture of its first page with the captures of its later pages nearest it (see
_Importer.store_stories). Each import is one ``crawls`` row (spider ``import-warc``).
Each article is its own transaction, so a damaged file loses nothing stored before the damage.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Optional, Sequence, Union

from archive import ArchiveError, ArchiveStore
from archive.crawls import GONE_STATUSES, IMPORT_SPIDER
from archive.lookups import StoredCapture, archived_pages, stored_capture
from archive.rawpages import LaterPage

from .extract import NotHTMLError, load_document, merge_pages, parse_document
from .extract.pages import first_page_url, later_page_urls
from .media import may_be_page
from .hosts import is_home_page, join_url, page_url, redirects_home
from .warc_reader import WarcEntry, WarcFileError, has_digest, read_record_at, read_warc

SPIDER = IMPORT_SPIDER


class WarcInputError(Exception):
    """An input file that cannot be opened at all (missing, a directory, unreadable)."""


@dataclass
class ImportSummary:
    db_path: str
    files: int = 0
    records: int = 0
    responses: int = 0
    articles_new: int = 0
    articles_changed: int = 0
    articles_unchanged: int = 0
    paywalled: int = 0               # of the unchanged: captures serving a teaser of the archived text
    skipped_non_html: int = 0
    skipped_non_article: int = 0
    skipped_status: int = 0          # responses other than 200 (redirects, 404s, 304s)
    skipped_truncated: int = 0       # payloads the crawler cut short (WARC-Truncated)
    not_modified: int = 0            # articles a 304 capture saw unchanged (last seen moved)
    gone: int = 0                    # articles a 404, 410 or redirect home took down
    revisits: int = 0                # revisit records (captures of content recorded before)
    revisits_archived: int = 0       # of those, whose original capture was found in the archive
    revisits_unresolved: int = 0     # of those, whose original capture was in neither
    stories: int = 0                 # captures of a story's first page archived with later pages
    later_pages: int = 0             # the later pages' captures merged into them
    later_pages_alone: int = 0       # later pages archived on their own: no first page in the files
    later_pages_left_out: int = 0    # later pages not archived: no capture of the first page near them
    errors: list[str] = field(default_factory=list)
    damaged_files: int = 0
    crawl_id: Optional[int] = None
    archive_error: Optional[str] = None
    elapsed_seconds: float = 0.0
    article_ids: set[int] = field(default_factory=set, repr=False)  # the articles archived or seen

    @property
    def articles(self) -> int:
        """How many articles the captures archived were of (``archived`` counts captures)."""
        return len(self.article_ids)

    @property
    def archived(self) -> int:
        return self.articles_new + self.articles_changed + self.articles_unchanged

    @property
    def ok(self) -> bool:
        return (not self.errors and self.archive_error is None
                and (self.archived or self.not_modified or self.gone) > 0)

    def progress_text(self, path: str) -> str:
        return (f"{Path(path).name}  records {self.records}  articles new {self.articles_new}"
                f" changed {self.articles_changed} unchanged {self.articles_unchanged}"
                f"  skipped {self.skipped}  errors {len(self.errors)}")

    @property
    def skipped(self) -> int:
        return (self.skipped_non_html + self.skipped_non_article + self.skipped_status
                + self.skipped_truncated)

    def problem(self) -> Optional[str]:
        """Why the import was not a full success, in one line; None when it was."""
        if self.archive_error:
            return self.archive_error
        if self.errors:
            captures = f" ({self.archived} captures)" if self.archived != self.articles else ""
            kept = (f"; the {_count(self.articles, 'article')} read{captures} were archived"
                    if self.archived else "")
            return f"{_count(len(self.errors), 'problem')} reading the WARC files{kept}"
        if not (self.archived or self.not_modified or self.gone):
            return (f"no news articles found in {_count(self.files, 'WARC file')} ({self.records} records, "
                    f"{self.responses} responses); the archive was not changed")
        return None

    def lines(self) -> list[str]:
        head = (f"import #{self.crawl_id} of {_count(self.files, 'WARC file')} into {self.db_path}"
                if self.crawl_id else f"import of {_count(self.files, 'WARC file')} (nothing archived)")
        return [
            head,
            f"  records            {self.records} ({self.responses} responses) in {self.elapsed_seconds:.1f}s",
            f"  articles           new {self.articles_new}, changed {self.articles_changed},"
            f" unchanged {self.articles_unchanged}" + (f" (paywalled {self.paywalled})" if self.paywalled else ""),
            f"  skipped            {self.skipped} (not HTML {self.skipped_non_html},"
            f" not an article {self.skipped_non_article}, not status 200 {self.skipped_status},"
            f" truncated {self.skipped_truncated})",
            f"  errors             {len(self.errors)}",
        ] + self.later_lines()

    def later_lines(self) -> list[str]:
        lines = []
        if self.not_modified or self.gone:
            lines.append(f"  seen again         not modified (304) {self.not_modified},"
                         f" taken down (404, 410, redirect home) {self.gone}")
        if self.revisits:
            found = (f"; {self.revisits_archived} matched to captures already in the archive"
                     if self.revisits_archived else "")
            missing = (f"; {_count(self.revisits_unresolved, 'revisit record')} whose original capture was"
                       " neither in these files nor among the archived articles" if self.revisits_unresolved else "")
            lines.append(f"  revisits           {self.revisits}{found}{missing}")
        if self.stories or self.later_pages_alone or self.later_pages_left_out:
            alone = (f"; {_count(self.later_pages_alone, 'later page')} archived on its own, its first page"
                     " not in these files" if self.later_pages_alone else "")
            left_out = (f"; {_count(self.later_pages_left_out, 'later page')} left out, captured more than an"
                        " hour from its first page" if self.later_pages_left_out else "")
            lines.append(f"  split over pages   {_count(self.stories, 'story capture')} with"
                         f" {_count(self.later_pages, 'later page')} merged{alone}{left_out}")
        return lines


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


Progress = Callable[[ImportSummary, str], None]


def check_inputs(paths: Sequence[Union[str, Path]]) -> list[Path]:
    """Every input must be a readable file before anything is imported."""
    if not paths:
        raise WarcInputError("no WARC files were given")
    checked = []
    for path in map(Path, paths):
        if not path.exists():
            raise WarcInputError(f"{path}: no such file")
        if path.is_dir():
            raise WarcInputError(f"{path}: is a directory, not a WARC file")
        try:
            path.open("rb").close()
        except OSError as exc:
            raise WarcInputError(f"{path}: cannot read it: {exc.strerror or exc}") from None
        if any(path.resolve() == seen.resolve() for seen in checked):
            continue  # given twice (a shell glob and its name): read once
        checked.append(path)
    return checked


def wanted(rec_type: str, http_headers) -> bool:
    """Payloads worth keeping in memory: responses that may be HTML (no type counts)."""
    return (rec_type == "response" and http_headers is not None
            and may_be_page(http_headers.get_header("Content-Type")))


def fetch_stamp(moment: datetime) -> str:
    """A fetch time as the archive stores it, ISO 8601 in UTC; a WARC/1.1 date's fraction of
    a second is kept (to the microsecond), so captures within one second keep their order."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ" if moment.microsecond else "%Y-%m-%dT%H:%M:%SZ")


def fetch_time(entry: WarcEntry) -> datetime:
    """The record's WARC-Date (the fetch time), or now if it has none that parses."""
    try:
        moment = datetime.fromisoformat((entry.date or "").strip())
    except ValueError:
        return datetime.now(timezone.utc)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _own_keys(entry: WarcEntry) -> list[tuple]:
    """The keys a revisit may name this response by."""
    keys = [("id", entry.warc_header("WARC-Record-ID")),
            ("capture", _uri(entry.url), _when(entry.date)),
            ("digest", entry.warc_header("WARC-Payload-Digest"))]
    return [key for key in keys if all(key[1:])]


def _original_keys(entry: WarcEntry) -> tuple:
    """The keys of the capture a revisit says it repeats, the surest first."""
    keys = [("id", entry.warc_header("WARC-Refers-To")),
            ("capture", _uri(entry.warc_header("WARC-Refers-To-Target-URI") or entry.url),
             _when(entry.warc_header("WARC-Refers-To-Date"))),
            ("digest", entry.warc_header("WARC-Payload-Digest"))]
    return tuple(key for key in keys if all(key[1:]))


def _uri(text: Optional[str]) -> Optional[str]:
    return text.strip().strip("<>") if text else None


def _when(text: Optional[str]) -> Optional[datetime]:
    try:
        moment = datetime.fromisoformat((text or "").strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


# Redirects Scrapy follows: one from an article's page to the site's home page takes it down,
# directly or through other redirects (a permalink changed, then the post unpublished).
_REDIRECTS = (301, 302, 303, 307, 308)
# A crawler follows a redirect at once (Scrapy, wget) or soon after (Heritrix queues it): the
# next hop is the target's capture nearest the redirect within this time; one from another
# crawl says nothing of this one. At most Scrapy's REDIRECT_MAX_TIMES hops are followed.
_HOP_WINDOW = timedelta(hours=1)
_MAX_HOPS = 20


@dataclass(order=True)
class _Later:
    """A capture applied once every file is read, in capture order: a 304, a takedown (404,
    410, a redirect home), another redirect (home, perhaps, through the next hops) or a
    revisit, which say something of captures read anywhere."""
    when: datetime
    kind: str = field(compare=False)        # 'not-modified', 'gone', 'redirect', 'revisit'
    path: Path = field(compare=False)
    number: int = field(compare=False)
    url: str = field(compare=False)
    http_status: Optional[int] = field(compare=False, default=None)
    etag: Optional[str] = field(compare=False, default=None)
    last_modified: Optional[str] = field(compare=False, default=None)
    refers_to: tuple = field(compare=False, default=())  # a revisit's keys for its original
    target: Optional[str] = field(compare=False, default=None)  # where a redirect sends
    # A revisit's original as the archive may know it: its page, its WARC-Refers-To-Date, and
    # the payload digest both share.
    original: tuple[str, Optional[str], Optional[str]] = field(compare=False, default=("", None, None))


@dataclass(order=True)
class _StoryPage:
    """A capture of a page of a story split over pages, set aside until every file is read:
    its other pages may be anywhere in the files. Only where it is is kept, not the page."""
    when: datetime
    url: str = field(compare=False)
    first_page: str = field(compare=False)  # the story's page 1 (_page_key): its own URL for page 1
    is_first: bool = field(compare=False)
    path: Path = field(compare=False)
    offset: int = field(compare=False)
    number: int = field(compare=False)
    merged: bool = field(compare=False, default=False)  # a later page some story took


def _redirect_target(entry: WarcEntry) -> Optional[str]:
    """Where a redirect record sends (its Location, made absolute); None for other answers."""
    location = (entry.http_header("Location") or "").strip()
    if entry.http_status not in _REDIRECTS or not location or not entry.url:
        return None
    return join_url(entry.url, location)


def _nearest(captures: list[_StoryPage], when: datetime) -> Optional[_StoryPage]:
    """Of ``captures``, the one nearest ``when`` within _HOP_WINDOW (the earlier of two as near)."""
    near = [(abs(page.when - when), page.when, index) for index, page in enumerate(captures)
            if abs(page.when - when) <= _HOP_WINDOW]
    return captures[min(near)[2]] if near else None


def _page_key(url: str) -> str:
    """A URL as redirects name it and captures are found by: one spelling, no fragment."""
    return page_url(join_url(url, "") or url)


class _Importer:
    """One import run: the lazily opened archive and the running summary."""

    def __init__(self, db_path: str, paths: list[Path], summary: ImportSummary) -> None:
        self.db_path = db_path
        self.paths = paths
        self.summary = summary
        self.store: Optional[ArchiveStore] = None
        self.failures: list[tuple[str, str, Optional[int]]] = []
        self.later: list[_Later] = []
        # Where each response was (file, offset, record number), by the keys a revisit names
        # its original with: record id, (target URI, date), payload digest.
        self.originals: dict[tuple, tuple[Path, int, int]] = {}
        # Every answer captured, by page: (when, where it redirected to, or None for a page),
        # for following a redirect's next hops.
        self.answers: dict[str, list[tuple[datetime, Optional[str]]]] = {}
        # Captures of the pages of stories split over pages, until every file is read, and
        # the first pages found (_page_key).
        self.story_pages: list[_StoryPage] = []
        self.first_pages: set[str] = set()

    def open_store(self) -> ArchiveStore:
        # Opened at the first article, so an import that finds none leaves the archive untouched.
        if self.store is None:
            self.store = ArchiveStore(self.db_path)
            self.summary.crawl_id = self.store.begin_crawl(
                SPIDER, None, {"files": [str(p) for p in self.paths]})
        return self.store

    def fail(self, message: str, url: str, http_status: Optional[int] = None) -> None:
        self.summary.errors.append(message)
        self.failures.append((url, message, http_status))

    def handle(self, path: Path, entry: WarcEntry) -> None:
        if entry.rec_type in ("response", "revisit") and entry.url and entry.http_headers is not None:
            self.note_answer(entry)
        if entry.rec_type == "revisit":
            self.summary.revisits += 1
            self.later.append(_Later(
                fetch_time(entry), "revisit", path, entry.number, entry.url or "",
                etag=entry.http_header("ETag"), last_modified=entry.http_header("Last-Modified"),
                refers_to=_original_keys(entry), original=(
                    _uri(entry.warc_header("WARC-Refers-To-Target-URI")) or entry.url or "",
                    entry.warc_header("WARC-Refers-To-Date"), entry.warc_header("WARC-Payload-Digest"))))
            return
        if entry.rec_type != "response" or entry.http_headers is None:
            return  # warcinfo, request, metadata: nothing to parse
        self.summary.responses += 1
        for key in _own_keys(entry):
            self.originals.setdefault(key, (path, entry.offset, entry.number))
        self.capture(path, entry, fetch_time(entry), defer=True)

    def note_answer(self, entry: WarcEntry) -> None:
        self.answers.setdefault(_page_key(entry.url), []).append((fetch_time(entry), _redirect_target(entry)))

    def capture(self, path: Path, entry: WarcEntry, fetched_at: datetime, defer: bool,
                warc: Optional[tuple[Optional[str], Optional[int]]] = None) -> None:
        """A response (or the original a revisit names, at the revisit's time and URL); ``warc``
        names the record the page is in, when not ``entry``'s own in ``path``."""
        summary = self.summary
        status = entry.http_status
        if status != 200:
            summary.skipped_status += 1
            later = self.takedown_or_not_modified(path, entry, fetched_at)
            if later is not None:
                if defer:
                    self.later.append(later)
                else:
                    self.apply(later)
            return
        content_type = entry.http_header("Content-Type")
        if not may_be_page(content_type):
            summary.skipped_non_html += 1
            return
        if entry.truncated:
            # Common Crawl cuts payloads over 1 MiB: half a page would be a wrong record.
            summary.skipped_truncated += 1
            return
        url = entry.url or ""
        if not url:
            self.fail(f"{path}: record {entry.number}: a response without WARC-Target-URI",
                      f"{path}#record-{entry.number}", status)
            return
        if entry.decode_error:
            self.fail(f"{path}: record {entry.number} ({url}): {entry.decode_error}", url, status)
            return
        try:
            doc = load_document(entry.body, url, content_type=content_type, fetched_at=fetched_at)
        except NotHTMLError:
            summary.skipped_non_html += 1
            return
        record = parse_document(doc)
        # The same rule as the crawl's RecordValidationPipeline.
        if not record.is_article or (not record.title and not record.body_text):
            summary.skipped_non_article += 1
            return
        first_page = first_page_url(doc)
        if warc is None and (first_page is not None or record.page_urls):
            # A page of a story split over pages: archived with the story's other pages.
            self.story_pages.append(_StoryPage(fetched_at, url, _page_key(first_page or url), first_page is None,
                                               path, entry.offset, entry.number))
            return
        self.store_entry(path, entry, record, fetched_at, warc)

    def store_entry(self, path: Path, entry: WarcEntry, record, fetched_at: datetime,
                    warc: Optional[tuple[Optional[str], Optional[int]]] = None,
                    later_pages: Sequence[LaterPage] = ()) -> None:
        """Archive ``record``, parsed from the response ``entry`` in ``path``."""
        warc_file, warc_offset = warc or (str(path.resolve()), entry.offset)
        self.store_capture(record, entry.body, fetched_at, entry.http_status, entry.http_header("Content-Type"),
                           entry.http_header("ETag"), entry.http_header("Last-Modified"),
                           warc_file, warc_offset, later_pages=later_pages)

    def store_capture(self, record, raw_html: bytes, fetched_at: datetime, status: Optional[int],
                      content_type: Optional[str], etag: Optional[str], last_modified: Optional[str],
                      warc_file: Optional[str], warc_offset: Optional[int],
                      compressed_html: Optional[bytes] = None, later_pages: Sequence[LaterPage] = ()) -> None:
        summary = self.summary
        result = self.open_store().store(
            record, raw_html=raw_html, fetched_at=fetch_stamp(fetched_at),
            http_status=status, crawl_id=summary.crawl_id, content_type=content_type,
            etag=etag, last_modified=last_modified, warc_file=warc_file, warc_offset=warc_offset,
            compressed_html=compressed_html, later_pages=later_pages,
        )
        setattr(summary, f"articles_{result.status}", getattr(summary, f"articles_{result.status}") + 1)
        summary.paywalled += result.paywalled
        summary.article_ids.add(result.article_id)

    def store_stories(self) -> None:
        """Each capture of a story's first page set aside so far, archived as a crawl archives
        the story (spiders.base.ArticleSpider.story_request): one version of all its pages'
        text (extract.merge_pages), their HTML in raw_later_pages. Its later pages are the
        captures of the URLs its page-links block names (and those their own blocks add)
        nearest it in time, within _HOP_WINDOW: a crawler fetches them at once or soon after.
        As in a crawl, the first page not captured (or no article) ends the story, merge_pages
        naming the pages missing; a capture of a later page may serve two captures of page 1."""
        firsts = sorted(page for page in self.story_pages if page.is_first)
        self.story_pages = [page for page in self.story_pages if not page.is_first]
        by_url: dict[str, list[_StoryPage]] = {}
        for page in self.story_pages:
            by_url.setdefault(_page_key(page.url), []).append(page)
        for first in firsts:
            self.first_pages.add(first.first_page)
            read = self.read_story_page(first)
            if read is None:
                continue
            entry, doc, record = read
            later: list[tuple[LaterPage, object]] = []
            pending = list(record.page_urls)
            seen = {_page_key(first.url), *map(_page_key, pending)}
            while pending:
                page = _nearest(by_url.get(_page_key(pending.pop(0)), []), first.when)
                read = self.read_story_page(page) if page is not None else None
                if read is None or not read[2].is_article:
                    break
                page.merged = True
                later.append((LaterPage(page.url, read[0].body, read[0].http_header("Content-Type")), read[2]))
                more = [url for url in later_page_urls(read[1], first.url) if _page_key(url) not in seen]
                seen.update(map(_page_key, more))
                pending += more
            self.summary.stories += bool(later)
            self.summary.later_pages += len(later)
            self.store_entry(first.path, entry, merge_pages(record, [page_record for _, page_record in later]),
                             first.when, later_pages=[page for page, _ in later])

    def settle_later_pages(self) -> None:
        """The later pages' captures no story took. One whose first page is in the files was
        captured more than an hour from every capture of it, and is left out: a crawl never
        archives a later page alone. One whose first page is not (the files hold only part of
        a crawl) is archived as before, an article at its own URL, its problems saying why."""
        pages, self.story_pages = self.story_pages, []
        for page in sorted(pages):
            if page.merged:
                continue
            if page.first_page in self.first_pages:
                self.summary.later_pages_left_out += 1
                continue
            read = self.read_story_page(page)
            if read is None:
                continue
            entry, _, record = read
            record.problems.append(f"a later page of {page.first_page}, whose first page is not in the WARC files")
            self.summary.later_pages_alone += 1
            self.store_entry(page.path, entry, record, page.when)

    def read_story_page(self, page: _StoryPage):
        """(entry, document, record) of a capture set aside, read again; None (a failure) if
        it cannot be."""
        try:
            entry = read_record_at(page.path, page.offset, keep_payload=wanted, number=page.number)
            entry.url = page.url  # a revisit's URL, when it is the original's content
            doc = load_document(entry.body, page.url, content_type=entry.http_header("Content-Type"),
                                fetched_at=page.when)
        except (WarcFileError, OSError, NotHTMLError) as exc:
            self.fail(f"{page.path}: record {page.number}: a page of a story split over pages cannot be "
                      f"read again: {exc}", page.url)
            return None
        return entry, doc, parse_document(doc)

    def takedown_or_not_modified(self, path: Path, entry: WarcEntry, when: datetime) -> Optional[_Later]:
        """What a crawl records of this answer: a 304 (the article seen, unchanged), a 404 or 410,
        or a redirect, which takes the article down if it leads to its site's home page (that
        is decided once every file is read: the next hops may be captured anywhere)."""
        url, status = entry.url or "", entry.http_status
        if not url:
            return None
        if status == 304:
            return _Later(when, "not-modified", path, entry.number, url, 304,
                          entry.http_header("ETag"), entry.http_header("Last-Modified"))
        if status in GONE_STATUSES:
            return _Later(when, "gone", path, entry.number, url, status)
        target = _redirect_target(entry)
        if target is not None:
            return _Later(when, "redirect", path, entry.number, url, status, target=target)
        return None

    def lands_home(self, item: _Later) -> bool:
        """Whether the redirect ``item`` took its page to the site's home page, at once or
        through the next hops captured in these files, as the crawl, which follows redirects,
        sees it. A hop whose target was not captured, a loop and a chain longer than the
        crawl follows end nowhere: no takedown is guessed."""
        target, when, seen = item.target, item.when, {_page_key(item.url)}
        hops = 1
        while target is not None and not is_home_page(target):
            key = _page_key(target)
            if key in seen or hops == _MAX_HOPS:
                return False
            seen.add(key)
            hop = self.next_hop(key, when)
            if hop is None:
                return False
            (when, target), hops = hop, hops + 1
        return redirects_home(item.url, target)

    def next_hop(self, key: str, when: datetime) -> Optional[tuple[datetime, str]]:
        """The capture of page ``key`` nearest ``when`` (within _HOP_WINDOW), if a redirect."""
        near = [(abs(at - when), at, target) for at, target in self.answers.get(key, ())
                if abs(at - when) <= _HOP_WINDOW]
        if not near:
            return None
        _, at, target = min(near, key=lambda answer: answer[:2])
        return (at, target) if target is not None else None

    def settled(self, item: _Later) -> Optional[_Later]:
        """``item``, a redirect as the takedown it is or None (it led to a page)."""
        if item.kind != "redirect":
            return item
        return replace(item, kind="gone") if self.lands_home(item) else None

    def apply_later(self) -> None:
        """The 304s, takedowns and revisits, in capture order, once every capture is archived:
        files come in any order, and a 404 older than an article's last capture is no takedown."""
        later, self.later = [item for item in map(self.settled, sorted(self.later)) if item], []
        # A 304 or 404 of a page no article was archived from changes nothing: with nothing
        # else archived, the archive stays untouched (no crawls row), as after a crawl.
        known = set() if self.store is not None else archived_pages(
            self.db_path, [item.url for item in later if item.kind != "revisit"])
        for item in later:
            if item.kind == "revisit" or self.store is not None or item.url in known:
                self.apply(item)

    def apply(self, item: _Later) -> None:
        summary = self.summary
        item = self.settled(item)
        if item is None:
            return
        if item.kind == "revisit":
            self.revisit(item)
        elif item.kind == "not-modified" and (self.store is not None or archived_pages(self.db_path, [item.url])):
            marked = self.open_store().mark_unchanged_at(
                item.url, fetch_stamp(item.when), summary.crawl_id,
                etag=item.etag, last_modified=item.last_modified)
            summary.not_modified += marked
        elif item.kind == "gone" and (self.store is not None or archived_pages(self.db_path, [item.url])):
            # The failure row a crawl writes for this answer (spiders.base: "HTTP 404", and
            # "redirects to the home page" with the first redirect's status).
            reason = f"HTTP {item.http_status}" if item.http_status in GONE_STATUSES else "redirects to the home page"
            summary.gone += self.open_store().record_takedown(
                summary.crawl_id, item.url, reason, item.http_status, fetch_stamp(item.when))

    def revisit(self, item: _Later) -> None:
        """A revisit record: its original's content, captured again at the revisit's time and
        URL; the original is looked for in these files, then in the archive."""
        found = next((self.originals[key] for key in item.refers_to if key in self.originals), None)
        if found is None:
            stored = self.archived_original(item)
            if stored is None:
                self.summary.revisits_unresolved += 1
                return
            self.summary.revisits_archived += 1
            # A fetch of the archived content, as the archive holds it: unchanged if it is the
            # current version's (last seen moves, a gone mark older than it is cleared, as
            # after a 304), else where its time puts it, as any capture.
            record = replace(stored.record, url=item.url or stored.url, content_hash=None)
            self.store_capture(record, stored.raw_html, item.when, 200, stored.content_type,
                               item.etag, item.last_modified, stored.warc_file, stored.warc_offset,
                               compressed_html=stored.compressed_html)
            return
        path, offset, number = found
        try:
            original = read_record_at(path, offset, keep_payload=wanted, number=number)
        except (WarcFileError, OSError) as exc:
            self.fail(f"{item.path}: record {item.number}: a revisit whose original cannot be "
                      f"read again: {exc}", item.url or f"{item.path}#record-{item.number}")
            return
        if item.url:
            original.url = item.url
        self.capture(path, original, item.when, defer=False)

    def archived_original(self, item: _Later) -> Optional[StoredCapture]:
        """The archived fetch a revisit repeats: a version fetched from the page it names at its
        WARC-Refers-To-Date, or whose stored page has its payload digest. The archive keeps
        each page as decoded (no Content-Encoding), which is the payload a digest covers
        when the server sent it unencoded; anything else matches nothing."""
        url, date, digest = item.original
        if not url:
            return None
        return stored_capture(self.store if self.store is not None else self.db_path, url, date,
                              (lambda page: has_digest(digest, page)) if digest else None)

    def finish(self, status: str) -> None:
        if self.store is None:
            return
        summary = self.summary
        try:
            for url, reason, http_status in self.failures:
                self.store.record_failure(summary.crawl_id, url, reason, http_status)
            self.store.finish_crawl(summary.crawl_id, status, {
                "pages_fetched": summary.responses,
                "articles_new": summary.articles_new,
                "articles_changed": summary.articles_changed,
                "articles_unchanged": summary.articles_unchanged + summary.not_modified,
                "articles_skipped": summary.skipped,
            })
        finally:
            self.store.close()


def archive_warcs(paths: Sequence[Union[str, Path]], db_path: Union[str, Path],
                  progress: Optional[Progress] = None) -> ImportSummary:
    """Archive the articles found in WARC files; returns what was done.

    Raises WarcInputError if an input cannot be opened and ArchiveError if the
    archive cannot be used, both before anything is imported. Damage in a file is
    reported in ``summary.errors`` (file, record number, offset) and reading goes on
    at the next record found after it; what was stored before the damage stays stored.
    """
    files = check_inputs(paths)
    ArchiveStore.check(db_path)
    if not Path(db_path).exists() and not Path(db_path).parent.is_dir():
        raise ArchiveError(f"cannot create {db_path}: directory {Path(db_path).parent} does not exist")
    started = time.monotonic()
    summary = ImportSummary(db_path=str(db_path))
    importer = _Importer(str(db_path), files, summary)
    status = "interrupted"
    try:
        for path in files:
            summary.files += 1
            damage: list[WarcFileError] = []

            def damaged(exc: WarcFileError, path: Path = path) -> None:
                # Reported, and the reader goes on at the next record it can find.
                summary.damaged_files += not damage
                damage.append(exc)
                importer.fail(str(exc), f"{path}#record-{exc.number}")

            try:
                for entry in read_warc(path, keep_payload=wanted, on_damage=damaged):
                    summary.records += 1
                    importer.handle(path, entry)
                    if progress is not None:
                        progress(summary, str(path))
            except WarcFileError as exc:
                damaged(exc)
            except OSError as exc:
                summary.damaged_files += 1
                importer.fail(f"{path}: cannot read it: {exc.strerror or exc}", str(path))
        importer.store_stories()
        importer.apply_later()
        importer.store_stories()  # the story pages revisit records repeat
        importer.settle_later_pages()
        status = "errors" if summary.errors else "finished"
    except ArchiveError as exc:
        summary.archive_error = str(exc)
        status = "archive_error"
    finally:
        summary.elapsed_seconds = time.monotonic() - started
        try:
            importer.finish(status)
        except ArchiveError as exc:
            summary.archive_error = summary.archive_error or str(exc)
    return summary
