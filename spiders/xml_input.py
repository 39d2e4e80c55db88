"""Reading a sitemap or feed body as XML the forgiving way, and saying where it broke."""
from __future__ import annotations

import re
from typing import Any, Optional

from lxml import etree

UTF8_BOM = b"\xef\xbb\xbf"
# Blank lines and byte order marks before the first tag: what a WordPress plugin or theme file
# saved with a BOM or with a blank line after its closing ``?>`` prints before every sitemap
# and feed. XML allows nothing before ``<?xml``, so lxml reports it ("XML declaration allowed
# only at the start of the document") though it reads the document whole, as feed readers do.
_OUTPUT_BEFORE_XML = re.compile(rb"(?:[ \t\r\n]|" + re.escape(UTF8_BOM) + rb")+(?=<)")


class NotXML(ValueError):
    """The body could not be parsed at all (the message says why)."""


def without_output_before_xml(body: bytes) -> tuple[bytes, int]:
    """``body`` without the blank lines and stray byte order marks a server printed before its
    first tag (a BOM it starts with stays, as the document's own sign of its encoding), and
    how many lines that took away."""
    bom = UTF8_BOM if body.startswith(UTF8_BOM) else b""
    match = _OUTPUT_BEFORE_XML.match(body, len(bom))
    if match is None:
        return body, 0
    return bom + body[match.end():], body.count(b"\n", 0, match.end())


def parse_xml(body: bytes) -> tuple[Any, Optional[str]]:
    """``(root or None, problem)``: lxml in recover mode keeps what it can read of a
    malformed file; ``problem`` names the first error's line. No entities are
    resolved and nothing is fetched. Raises NotXML when nothing could be parsed.
    Blank lines and byte order marks before the first tag are no problem
    (without_output_before_xml); lines are numbered as the server sent them."""
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True,
                             remove_comments=True, remove_pis=True, huge_tree=True)
    body, lines_before = without_output_before_xml(body)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise NotXML(f"not XML: {exc}") from None
    errors = [e for e in parser.error_log if e.level >= etree.ErrorLevels.ERROR]
    problem = f"line {errors[0].line + lines_before}: {errors[0].message.strip()}" if errors else None
    return root, problem
