"""Small text helpers shared by the extraction modules."""
from __future__ import annotations

import re
from typing import Optional

from lxml import etree


# The characters str.split() and str.isspace() treat as white space, but for the
# space itself (all of them are below U+3001), split into the ASCII ones and the rest.
_OTHER_SPACE = tuple(c for c in map(chr, range(0x3001)) if c.isspace() and c != " ")
_OTHER_ASCII_SPACE = tuple(c for c in _OTHER_SPACE if c.isascii())


_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)


def alnum_key(text: str) -> str:
    """``text`` lower-cased with all but letters and digits removed: how a title, a site
    name and a headline are compared ("Ex News | Harbor" and "ex-news harbor" agree)."""
    return _NON_ALNUM.sub("", text.lower())


def collapse(text: str) -> str:
    """``" ".join(text.split())``: runs of white space as one space, stripped.

    Most paragraphs are already in that form, and finding that out with a few
    substring tests is two to four times faster than splitting a paragraph into
    words and joining them again; on short text (under ~80 characters, ~250 with
    non-ASCII characters, which have more white space to look for) the split wins."""
    if len(text) < 80 or text[0] == " " or text[-1] == " " or "  " in text:
        return " ".join(text.split())
    if text.isascii():
        spaces = _OTHER_ASCII_SPACE
    elif len(text) < 250:
        return " ".join(text.split())
    else:
        spaces = _OTHER_SPACE
    for space in spaces:
        if space in text:
            return " ".join(text.split())
    return text


def clean(text: Optional[str]) -> Optional[str]:
    """Collapse runs of white space (including NBSP) and strip; None for empty."""
    if not text:
        return None
    # str.split() splits on exactly the characters regex \s matches (NBSP too),
    # several times faster than re.sub on long text.
    return collapse(text) or None


# Trees are plain lxml.etree (lxml.html's per-element Python class lookup costs
# more than the parse itself on a 100 KB page), so this stands in for
# HtmlElement.text_content(): the XPath string value, evaluated in C.
text_content = etree.XPath("string()", smart_strings=False)


def drop_tree(element) -> None:
    """Remove ``element`` and its subtree, keeping its tail text in place."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail:
        previous = element.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + tail
        else:
            previous.tail = (previous.tail or "") + tail
    parent.remove(element)


def text_of(element) -> str:
    """The visible text of an element with white space normalized ("" if none)."""
    if element is None:
        return ""
    return clean(text_content(element)) or ""
