"""Text made fit for XML 1.0. Imported titles and chapters can hold C0 control characters, lone
surrogates (from JSON `\\ud800` escapes) or U+FFFE/U+FFFF; XML 1.0 forbids them, so a document holding
one is ill-formed (lxml refuses to build it, e-readers refuse to open it, and a lone surrogate cannot
even be encoded as UTF-8). Every writer of XML passes its text through `xml_safe` first."""

from __future__ import annotations

import re

# XML 1.0's Char production, inverted: C0 controls except tab, LF and CR; the surrogate block;
# U+FFFE and U+FFFF. (C1 controls are allowed, if discouraged, and are left alone.)
_NOT_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` less every character XML 1.0 forbids."""
    return _NOT_XML_CHAR.sub("", text)
