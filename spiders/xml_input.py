"""Reading a sitemap or feed body as XML the forgiving way, and saying where it broke."""
from __future__ import annotations

from typing import Any, Optional

from lxml import etree


class NotXML(ValueError):
    """The body could not be parsed at all (the message says why)."""


def parse_xml(body: bytes) -> tuple[Any, Optional[str]]:
    """``(root or None, problem)``: lxml in recover mode keeps what it can read of a
    malformed file; ``problem`` names the first error's line. No entities are
    resolved and nothing is fetched. Raises NotXML when nothing could be parsed."""
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True,
                             remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise NotXML(f"not XML: {exc}") from None
    errors = [e for e in parser.error_log if e.level >= etree.ErrorLevels.ERROR]
    problem = f"line {errors[0].line}: {errors[0].message.strip()}" if errors else None
    return root, problem
