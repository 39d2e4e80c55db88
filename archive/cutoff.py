"""Pages cut off before their end: a fetch of an archived article whose HTML stops short.

A server that closes the connection early without having said how long its answer is (no
Content-Length), or a PHP page that dies half-way (a fatal error: the server still ends its
answer properly, and may print the error in the page), answers 200 with a page that stops
before its end. HTTP tells only a body cut short of its Content-Length (a failure row,
"response cut short"); such a page was parsed, and its text, cut where the page stopped, became
the article's new version and current text ('changed'), until the next whole fetch stored the
whole text again as a third. What gives such a page away: it stops before ``</html>``, where
the page of the article's current version has one, and its text is the current version's cut
off (see cut_off).
"""
from __future__ import annotations

import re
import zlib
from os.path import commonprefix
from typing import Optional

from scraper.record import ArticleRecord

from .errors import ArchiveError
from .paywall import spaced
from .rawpages import decompress_page

_HTML_END = re.compile(rb"</html\s*>", re.IGNORECASE)
# What a cut page's text may end with that the whole text does not have there: the word the
# cut fell in, and the error a dying PHP page prints where it stopped ("Fatal error: Allowed
# memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in
# /var/www/html/wp-includes/class-wpdb.php on line 2056", 150 characters).
CUT_TAIL_CHARS = 300

_CURRENT_SQL = ("SELECT r.content, r.encoding, v.body_text FROM versions v "
                "JOIN raw_pages r ON r.version_id = v.id WHERE v.id = ?")


def ends_whole(raw_html: bytes) -> bool:
    """Whether the page has its closing ``</html>`` tag (one cut off has not)."""
    return _HTML_END.search(raw_html) is not None


def cut_off(conn, version_id: int, record: ArticleRecord, raw_html: bytes) -> Optional[str]:
    """Why ``raw_html`` (``record`` parsed from it), a fetch of the page of the article whose
    current version is ``version_id``, is that page cut off before its end; None if it is not
    known to be. It is when it stops before ``</html>``, the current version's page has one,
    and its text is shorter and starts as the current version's does, up to at most
    CUT_TAIL_CHARS characters at its end. A page that was always written without ``</html>``
    is never taken for one cut off; nor is a page whose text changed further from its end
    (an edit)."""
    if ends_whole(raw_html):
        return None
    row = conn.execute(_CURRENT_SQL, [version_id]).fetchone()
    if row is None:
        return None
    content, encoding, whole_text = row
    try:
        whole_page = decompress_page(content, encoding)
    except (OSError, EOFError, zlib.error, ArchiveError):
        return None
    if not ends_whole(whole_page):
        return None
    text, whole = spaced(record.body_text or ""), spaced(whole_text or "")
    if len(text) >= len(whole) or len(text) - len(commonprefix([text, whole])) > CUT_TAIL_CHARS:
        return None
    return (f"page cut short: it stops before </html> with {len(text)} of the {len(whole)} characters "
            f"of text archived")
