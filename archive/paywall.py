"""Articles that went behind a paywall: the page now serves a teaser of the text the archive holds.

A site that locks its articles some days after publication (or meters them) serves the same URL
with a few paragraphs and a subscribe prompt. Stored as a version, that teaser became the article's
current text: `show` printed it cut short and `search` (current versions) no longer found the
article by the words past it. So a fetch that is a teaser of the current version adds no version:
the article gets ``articles.paywalled_at`` instead, and the current version keeps the full text.
"""
from __future__ import annotations

import json
from os.path import commonprefix
from typing import NamedTuple, Optional

from scraper.record import ArticleRecord

from .identity import headline_key

# Texts are compared by characters, spacing aside, so that Chinese and Japanese (no spaces
# between words: a whole paragraph splits as one "word") go by the same rule as English.
#
# A teaser starts as the full text does, for at least this many characters or the full text's
# whole first paragraph when that is shorter: a sentence or so of English (some 15 words), two
# or three of Japanese. A paywall shows at least that much; a notice replacing the story ("This
# article has been withdrawn…", この記事は削除されました。) shares none of it.
TEASER_START_CHARS = 100
# What a teaser may end with that the full text does not have there, across any number of
# paragraphs: a sentence cut off ("…" glued to the last word, or mid-word) and the prompt the
# paywall writes into the text ("This story is for subscribers." / "Subscribe from $1 a week.
# Already a subscriber? Log in.", 87 characters; a plugin's "You have reached your limit of free
# articles. Subscribe for full access to every story.", 88; a box listing the offer's benefits,
# 200 to 250). A paragraph changed further from the end than this is an edit: a version.
TEASER_TAIL_CHARS = 300
# A current version itself marked not free holds the text as the paywall served it then: a
# metered site (Google asks metered pages to say isAccessibleForFree false too) serves the
# whole text under the mark until the day it locks the story. A capture counts as that lock
# only when it keeps at most this share of the characters: an editor trimming the end of a
# story rarely cuts half of it, while a teaser keeps a few paragraphs.
LOCKED_SHARE = 0.5

# The SET clause for a fetch that served a teaser at :fetched_at: the first such fetch since
# the page was last seen whole sets it; one older than the last sighting (an import of an old
# capture) does not, as the page was seen after it (whole: paywalled_at is NULL); a teaser
# older than the one that set the mark moves it back to it (the caller stores a teaser so only
# when it is no older than the current version: no version, no whole sighting the archive
# knows of, lies between them; a sighting that changed nothing is kept only as last_seen_at).
WENT_BEHIND_PAYWALL_SQL = ("paywalled_at = CASE WHEN paywalled_at IS NULL AND last_seen_at > :fetched_at "
                           "THEN NULL ELSE min(coalesce(paywalled_at, :fetched_at), :fetched_at) END")
# The SET clause for a fetch at :fetched_at that was no teaser (the page is free again, or
# serves the whole text under its paywall mark, or has a new version): as FOUND_AGAIN_SQL.
PAYWALL_LIFTED_SQL = "paywalled_at = CASE WHEN paywalled_at <= :fetched_at THEN NULL ELSE paywalled_at END"

_VERSION_SQL = ("SELECT title, body_text, json_extract(record_json, '$.authors'), "
                "json_extract(record_json, '$.accessible_for_free') FROM versions WHERE id = ?")


class Text(NamedTuple):
    """What a teaser is compared by: headline, byline, body text, and whether the page said
    anyone may read it (``free``: True, False, or None where it did not say)."""
    title: Optional[str]
    authors: list
    body_text: str
    free: Optional[bool]


def teases(conn, version_id: int, record: ArticleRecord) -> bool:
    """Whether ``record`` (a fetch of the article's own page) is only a teaser of the stored
    version ``version_id``: the record says the article is not accessible for free and its text
    is a teaser of the version's (is_teaser). Costs a query only for a record marked not free."""
    if record.accessible_for_free is not False:
        return False
    stored = _stored_text(conn, version_id)
    return stored is not None and is_teaser(_record_text(record), stored)


def teased_by(conn, version_id: int, record: ArticleRecord) -> bool:
    """The other way round: whether the stored version ``version_id`` is only a teaser of
    ``record``'s text (is_teaser: the version marked not free), ``record`` an older capture of
    the page imported late (the archive began after the story was locked, and a WARC of the
    night before holds the whole text)."""
    stored = _stored_text(conn, version_id)
    return stored is not None and is_teaser(stored, _record_text(record))


def is_teaser(teaser: Text, full: Text) -> bool:
    """Whether ``teaser``, a page marked not free, is only a teaser of ``full``: the same
    headline (up to spacing and case) and byline, a shorter text, which starts as ``full``'s
    does (at least TEASER_START_CHARS characters or its first paragraph, spacing aside) and ends
    otherwise for at most TEASER_TAIL_CHARS characters (a sentence cut off, "Subscribe to read
    on" paragraphs). Anything else is an edit, a version as before: a new headline or byline, a
    notice in the story's place, a paragraph changed further from the end, a longer text. (An
    edit of the last TEASER_TAIL_CHARS characters alone is taken for the cut: the page no
    longer shows what follows it.) A ``full`` text itself marked not free (a metered page, or the teaser a story
    locked from its first capture served) is teased only by a text keeping at most LOCKED_SHARE
    of its characters; a smaller cut is an edit like any other."""
    if teaser.free is not False or headline_key(teaser.title) != headline_key(full.title) \
            or list(teaser.authors) != list(full.authors):
        return False
    text, full_text = spaced(teaser.body_text), spaced(full.body_text)
    if len(text) >= len(full_text) or (full.free is False and len(text) > LOCKED_SHARE * len(full_text)):
        return False
    shared = len(commonprefix([text, full_text]))
    first_paragraph = spaced(full.body_text.strip().split("\n\n", 1)[0])
    return shared >= min(TEASER_START_CHARS, len(first_paragraph)) and len(text) - shared <= TEASER_TAIL_CHARS


def spaced(text: str) -> str:
    """``text`` with every run of spacing (paragraph breaks too) as one space."""
    return " ".join(text.split())


def _record_text(record: ArticleRecord) -> Text:
    return Text(record.title, list(record.authors), record.body_text or "", record.accessible_for_free)


def _stored_text(conn, version_id: int) -> Optional[Text]:
    """Version ``version_id``'s Text, None if there is none or its record is unreadable."""
    row = conn.execute(_VERSION_SQL, [version_id]).fetchone()
    if row is None:
        return None
    title, body_text, authors_json, free = row
    try:
        authors = json.loads(authors_json) if authors_json else []
    except ValueError:
        return None
    # json_extract gives JSON true/false as 1/0
    return Text(title, authors, body_text or "", None if free is None else bool(free))
