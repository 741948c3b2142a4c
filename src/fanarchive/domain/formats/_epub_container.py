"""The EPUB container: zip, META-INF/container.xml, the OPF package's Dublin Core metadata and its
spine. Readers follow the spine in order, never manifest ids or file names, which calibre and
FanFicFare number however they like."""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass, field
from urllib.parse import unquote

import lxml.etree

from fanarchive.domain.formats.base import ParseError, SourceFile

MIMETYPE = b"application/epub+zip"
_CONTAINER = "META-INF/container.xml"
_NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
}
_DOCUMENT_TYPES = frozenset({"application/xhtml+xml", "text/html", "application/x-dtbook+xml"})
# The most a spine document or the OPF may inflate to: a zip bomb is bad input, not a work.
_MAX_ENTRY = 64 * 1024 * 1024


@dataclass
class SpineDocument:
    path: str
    data: bytes


@dataclass
class EpubBook:
    opf_path: str
    # Dublin Core element name (title, creator, subject, ...) -> values in document order.
    dc: dict[str, list[str]] = field(default_factory=dict)
    # <meta name=... content=...> (EPUB 2, calibre) and <meta property=...>text</meta> (EPUB 3).
    meta: dict[str, str] = field(default_factory=dict)
    contributors: list[str] = field(default_factory=list)
    spine: list[SpineDocument] = field(default_factory=list)

    def first(self, name: str) -> str | None:
        values = self.dc.get(name) or []
        return values[0] if values else None


def looks_like_epub(source: SourceFile) -> bool:
    """The zip's first entry is `mimetype` holding application/epub+zip, as OCF requires."""
    head = source.head(128)
    return head.startswith(b"PK\x03\x04") and b"mimetype" in head[:64] and MIMETYPE in head


def _read(book: zipfile.ZipFile, name: str, what: str) -> bytes:
    try:
        info = book.getinfo(name)
    except KeyError:
        raise ParseError(f"{what} {name!r} is missing from the EPUB") from None
    if info.file_size > _MAX_ENTRY:
        raise ParseError(f"{what} {name!r} is larger than {_MAX_ENTRY // (1024 * 1024)} MB unpacked")
    try:
        return book.read(info)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise ParseError(f"{what} {name!r} cannot be unpacked: {error}") from None


def _xml(data: bytes, what: str) -> lxml.etree._Element:
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, recover=True)
    try:
        root = lxml.etree.fromstring(data, parser)
    except lxml.etree.XMLSyntaxError as error:
        raise ParseError(f"{what} is not well-formed XML: {error}") from None
    if root is None:
        raise ParseError(f"{what} is not XML")
    return root


def open_zip(source: SourceFile) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(source.data))
    except zipfile.BadZipFile:
        raise ParseError("not a readable zip file (truncated or damaged)") from None


def read_book(source: SourceFile, with_spine: bool = True, spine_limit: int | None = None) -> EpubBook:
    archive = open_zip(source)
    names = set(archive.namelist())
    if _CONTAINER not in names:
        raise ParseError("a zip but not an EPUB: it has no META-INF/container.xml")
    container = _xml(_read(archive, _CONTAINER, "container"), "META-INF/container.xml")
    rootfiles = container.xpath("//c:rootfile/@full-path", namespaces=_NS) or container.xpath(
        "//*[local-name()='rootfile']/@full-path"
    )
    if not rootfiles:
        raise ParseError("META-INF/container.xml names no OPF package (no rootfile)")
    opf_path = str(rootfiles[0])
    opf = _xml(_read(archive, opf_path, "OPF package"), opf_path)
    book = EpubBook(opf_path=opf_path)
    _read_metadata(book, opf)
    if with_spine:
        _read_spine(book, archive, opf, names, spine_limit)
    return book


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _read_metadata(book: EpubBook, opf: lxml.etree._Element) -> None:
    metadata = next((el for el in opf if _local(el.tag) == "metadata"), None)
    if metadata is None:
        return
    # EPUB 2 packages may nest Dublin Core in <dc-metadata>; walk every descendant.
    for element in metadata.iter():
        name = _local(element.tag)
        namespace = str(element.tag)[1:].split("}")[0] if str(element.tag).startswith("{") else ""
        text = " ".join("".join(element.itertext()).split())
        if namespace == _NS["dc"] and text:
            if name == "contributor":
                book.contributors.append(text)
            else:
                book.dc.setdefault(name, []).append(text)
        elif name == "meta":
            key = element.get("name") or element.get("property")
            value = element.get("content") if element.get("name") else text
            if key and value and not element.get("refines"):
                book.meta.setdefault(key, value)


def _read_spine(
    book: EpubBook,
    archive: zipfile.ZipFile,
    opf: lxml.etree._Element,
    names: set[str],
    limit: int | None,
) -> None:
    base = posixpath.dirname(book.opf_path)
    manifest: dict[str, tuple[str, str]] = {}
    for item in opf.iter("{*}item"):
        href, ident = item.get("href"), item.get("id")
        if href and ident:
            path = posixpath.normpath(posixpath.join(base, unquote(href.split("#")[0])))
            manifest[ident] = (path, item.get("media-type") or "")
    itemrefs = list(opf.iter("{*}itemref"))
    if not itemrefs:
        raise ParseError(f"the OPF package {book.opf_path!r} has an empty spine")
    for itemref in itemrefs[:limit]:
        idref = itemref.get("idref") or ""
        if idref not in manifest:
            raise ParseError(f"the spine points at {idref!r}, which the manifest does not list")
        path, media_type = manifest[idref]
        if media_type and media_type not in _DOCUMENT_TYPES:
            continue
        if path not in names:
            raise ParseError(f"the spine points at {path!r}, which the zip lacks")
        book.spine.append(SpineDocument(path=path, data=_read(archive, path, "spine document")))
