"""Small text helpers shared by the extraction modules."""
from __future__ import annotations

from typing import Optional

from lxml import etree


def clean(text: Optional[str]) -> Optional[str]:
    """Collapse runs of white space (including NBSP) and strip; None for empty."""
    if not text:
        return None
    # str.split() splits on exactly the characters regex \s matches (NBSP too),
    # several times faster than re.sub on long text.
    return " ".join(text.split()) or None


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
