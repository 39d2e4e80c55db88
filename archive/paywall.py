"""Articles that went behind a paywall: the page now serves a teaser of the text the archive holds.

A site that locks its articles some days after publication (or meters them) serves the same URL
with a few paragraphs and a subscribe prompt. Stored as a version, that teaser became the article's
current text: `show` printed it cut short and `search` (current versions) no longer found the
article by the words past it. So a fetch that is a teaser of the current version adds no version:
the article gets ``articles.paywalled_at`` instead, and the current version keeps the full text.
"""
from __future__ import annotations

import json
from typing import Optional

from scraper.record import ArticleRecord

from .identity import headline_key

# Words a teaser may end with that the full text does not have at that place: a sentence cut
# off mid-word ("Tues…"), a "Subscribe to read on" line the paywall writes into the text.
TEASER_TAIL_WORDS = 30
# A current version itself marked not free holds the text as the paywall served it then: a
# metered site (Google asks metered pages to say isAccessibleForFree false too) serves the
# whole text under the mark until the day it locks the story. A capture counts as that lock
# only when it keeps at most this share of the words: an editor trimming the end of a story
# rarely cuts half of it, while a teaser keeps a few paragraphs.
LOCKED_SHARE = 0.5

# The SET clause for a fetch that served a teaser at :fetched_at: the first such fetch since
# the page was last seen whole sets it; one older than the last sighting (an import of an old
# capture) does not, as the page was seen after it (whole: paywalled_at is NULL).
WENT_BEHIND_PAYWALL_SQL = ("paywalled_at = CASE WHEN paywalled_at IS NULL AND last_seen_at > :fetched_at "
                           "THEN NULL ELSE coalesce(paywalled_at, :fetched_at) END")
# The SET clause for a fetch at :fetched_at that was no teaser (the page is free again, or
# serves the whole text under its paywall mark, or has a new version): as FOUND_AGAIN_SQL.
PAYWALL_LIFTED_SQL = "paywalled_at = CASE WHEN paywalled_at <= :fetched_at THEN NULL ELSE paywalled_at END"

_VERSION_SQL = ("SELECT title, body_text, json_extract(record_json, '$.authors'), "
                "json_extract(record_json, '$.accessible_for_free') FROM versions WHERE id = ?")


def teases(conn, version_id: int, record: ArticleRecord) -> bool:
    """Whether ``record`` (a fetch of the article's own page) is only a teaser of the stored
    version ``version_id``: the record says the article is not accessible for free and is a
    teaser of the version (is_teaser). A version itself marked not free (a metered page, or the
    teaser a story locked from its first capture served) is followed by a teaser only if the
    capture keeps at most LOCKED_SHARE of its words; a smaller cut is an edit like any other.
    Costs a query only for a record marked not free."""
    if record.accessible_for_free is not False:
        return False
    row = conn.execute(_VERSION_SQL, [version_id]).fetchone()
    if row is None:
        return False
    title, body_text, authors_json, version_free = row
    try:
        authors = json.loads(authors_json) if authors_json else []
    except ValueError:
        return False
    body_text = body_text or ""
    if version_free == 0 and len(record.body_text.split()) > LOCKED_SHARE * len(body_text.split()):
        return False  # json_extract gives JSON false as 0
    return is_teaser(record, title, authors, body_text)


def is_teaser(record: ArticleRecord, title: Optional[str], authors: list, body_text: str) -> bool:
    """Whether ``record``'s text is a teaser of a text ``body_text`` under headline ``title`` and
    byline ``authors``: the same headline (up to spacing and case) and byline, fewer words, and
    its words are the first words of ``body_text``, in order, except in its last paragraph, which
    may end otherwise for at most TEASER_TAIL_WORDS words (a sentence cut off mid-word, "Subscribe
    to read on"). Anything else is an edit, a version as before: a new headline or byline, a
    paragraph changed before the last, a longer text. (An edit of the last paragraph alone, a
    few words long, is taken for the cut: the page no longer shows what follows it.)"""
    if headline_key(record.title) != headline_key(title) or list(record.authors) != list(authors):
        return False
    words, full = record.body_text.split(), body_text.split()
    if len(words) >= len(full):
        return False
    shared = 0
    for word, full_word in zip(words, full):
        if word != full_word:
            break
        shared += 1
    last_paragraph = record.body_text.rstrip().rsplit("\n\n", 1)[-1]
    return len(words) - shared <= min(TEASER_TAIL_WORDS, len(last_paragraph.split()))
