"""Small text helpers shared by the extraction modules."""
from __future__ import annotations

import re
from typing import Optional

from lxml import etree

_SPACE = re.compile(r"\s+")


def clean(text: Optional[str]) -> Optional[str]:
    """Collapse runs of white space (including NBSP) and strip; None for empty."""
    if text is None:
        return None
    text = _SPACE.sub(" ", text.replace("\xa0", " ")).strip()
    return text or None


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
