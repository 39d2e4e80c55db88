"""Small text helpers shared by the extraction modules."""
from __future__ import annotations

import re
from typing import Optional

_SPACE = re.compile(r"\s+")


def clean(text: Optional[str]) -> Optional[str]:
    """Collapse runs of white space (including NBSP) and strip; None for empty."""
    if text is None:
        return None
    text = _SPACE.sub(" ", text.replace("\xa0", " ")).strip()
    return text or None


def text_of(element) -> str:
    """The visible text of an element with white space normalized ("" if none)."""
    if element is None:
        return ""
    return clean(element.text_content()) or ""
