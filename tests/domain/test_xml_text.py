from __future__ import annotations

from lxml import etree

from fanarchive.domain.xml_text import xml_safe


def test_what_xml_forbids_is_removed_and_nothing_else() -> None:
    forbidden = "".join(chr(c) for c in range(0x20) if c not in (9, 10, 13)) + "\ud800\udfff\ufffe\uffff"
    assert xml_safe(f"a{forbidden}b") == "ab"
    kept = "tab\tLF\nCR\r é € \x7f\x85 𝄞 \ufffd \U0010ffff"
    assert xml_safe(kept) == kept
    # What is left is always something lxml will take as text.
    element = etree.Element("t")
    element.text = xml_safe("".join(chr(c) for c in range(0x10000) if c not in range(0xD800, 0xE000)))
    etree.fromstring(etree.tostring(element))
