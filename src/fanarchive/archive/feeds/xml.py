"""Building feed documents with lxml, so every value is escaped by the serialiser and nothing is
pasted into markup by hand."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time

from lxml import etree

from fanarchive.domain.xml_text import xml_safe

ATOM = "http://www.w3.org/2005/Atom"
# OPDS uses DCMI Terms (dcterms), not the older elements/1.1 namespace.
DC = "http://purl.org/dc/terms/"
OPDS = "http://opds-spec.org/2010/catalog"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"

ATOM_NSMAP: dict[str | None, str] = {None: ATOM}
OPDS_NSMAP: dict[str | None, str] = {None: ATOM, "dc": DC, "opds": OPDS, "opensearch": OPENSEARCH}


def clean(text: str) -> str:
    """Every value set on a feed element: lxml refuses what XML 1.0 forbids, and an imported title
    can hold it."""
    return xml_safe(text)


def root(tag: str, nsmap: Mapping[str | None, str], namespace: str = ATOM) -> etree._Element:
    return etree.Element(f"{{{namespace}}}{tag}", nsmap=dict(nsmap))


def sub(
    parent: etree._Element,
    tag: str,
    text: str | None = None,
    attrs: Mapping[str, str] | None = None,
    namespace: str = ATOM,
) -> etree._Element:
    element = etree.SubElement(parent, f"{{{namespace}}}{tag}")
    for name, value in (attrs or {}).items():
        element.set(name, clean(value))
    if text is not None:
        element.text = clean(text)
    return element


def timestamp(value: date | datetime) -> str:
    """An RFC 3339 date-time in UTC, as Atom's date constructs require. Dates count as midnight UTC."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.min, tzinfo=UTC)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def serialise(document: etree._Element) -> bytes:
    data: bytes = etree.tostring(document, xml_declaration=True, encoding="utf-8", pretty_print=True)
    return data
