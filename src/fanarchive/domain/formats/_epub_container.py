"""The EPUB container: zip, META-INF/container.xml, the OPF package's Dublin Core metadata and its
spine. Readers follow the spine in order, never manifest ids or file names, which calibre and
FanFicFare number however they like."""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass, field
from urllib.parse import unquote

import lxml.etree

from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.limits import DEFAULT_LIMITS, LimitExceeded

MIMETYPE = b"application/epub+zip"
_CONTAINER = "META-INF/container.xml"
_NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
}
_DOCUMENT_TYPES = frozenset({"application/xhtml+xml", "text/html", "application/x-dtbook+xml"})
# The most a spine document or the OPF may inflate to, and all of them together: a zip bomb is bad
# input, not a work. Text deflates to a fifth or a tenth; a member declaring more than _MAX_RATIO
# times its packed size (past a size where that matters) is a bomb.
_MAX_ENTRY = DEFAULT_LIMITS.max_member_bytes
_MAX_TOTAL = DEFAULT_LIMITS.max_unpacked_bytes
_MAX_RATIO = DEFAULT_LIMITS.max_compression_ratio
_RATIO_FLOOR = 1024 * 1024
# What zipfile raises on members it cannot unpack: damaged deflate streams (zlib.error), encrypted
# members (RuntimeError), compression methods it lacks (NotImplementedError), short reads.
_UNPACK_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    RuntimeError,
    NotImplementedError,
    OSError,
    EOFError,
    ValueError,
)


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
    # Where the table of contents (toc.ncx) points: (document path, fragment or None), in its
    # order. calibre's split files are told apart from chapters by it.
    toc_targets: list[tuple[str, str | None]] = field(default_factory=list)
    # Documents the OPF's <guide> calls the cover (calibre's titlepage.xhtml, FanFicFare's cover).
    cover_paths: set[str] = field(default_factory=set)

    def first(self, name: str) -> str | None:
        values = self.dc.get(name) or []
        return values[0] if values else None


def looks_like_epub(source: SourceFile) -> bool:
    """The zip's first entry is `mimetype` holding application/epub+zip, as OCF requires."""
    head = source.head(128)
    return head.startswith(b"PK\x03\x04") and b"mimetype" in head[:64] and MIMETYPE in head


class _Members:
    """The zip's members, each read once, with a cap on what they unpack to altogether."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.names = set(archive.namelist())
        self.unpacked = 0
        self.read_once: dict[str, bytes] = {}

    def read(self, name: str, what: str) -> bytes:
        if name in self.read_once:
            return self.read_once[name]
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            raise ParseError(f"{what} {name!r} is missing from the EPUB") from None
        if info.file_size > _MAX_ENTRY:
            raise LimitExceeded(
                "max_member_bytes", _MAX_ENTRY, f"{what} {name!r} unpacks to {info.file_size:,} bytes"
            )
        if info.file_size > _RATIO_FLOOR and info.file_size > _MAX_RATIO * max(info.compress_size, 1):
            raise LimitExceeded(
                "max_compression_ratio",
                _MAX_RATIO,
                f"{what} {name!r} claims to unpack {info.file_size} bytes from {info.compress_size}: "
                f"more than {_MAX_RATIO} times its size, a zip bomb",
            )
        if self.unpacked + info.file_size > _MAX_TOTAL:
            raise LimitExceeded(
                "max_unpacked_bytes",
                _MAX_TOTAL,
                f"the EPUB unpacks to more than {_MAX_TOTAL // (1024 * 1024)} MB in all",
            )
        try:
            data = self.archive.read(info)
        except _UNPACK_ERRORS as error:
            raise ParseError(f"{what} {name!r} cannot be unpacked: {error or type(error).__name__}") from None
        self.unpacked += len(data)
        self.read_once[name] = data
        return data


def _xml(data: bytes, what: str) -> lxml.etree._Element:
    # No DTD is loaded and no entity expanded (billion laughs, external files): a package that
    # declares entities is refused outright, as no real EPUB needs them.
    parser = lxml.etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=True
    )
    if b"<!ENTITY" in data:
        raise ParseError(f"{what} declares XML entities, which an EPUB never needs")
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
    except _UNPACK_ERRORS:
        raise ParseError("not a readable zip file (truncated or damaged)") from None


def read_book(source: SourceFile, with_spine: bool = True, spine_limit: int | None = None) -> EpubBook:
    members = _Members(open_zip(source))
    if _CONTAINER not in members.names:
        raise ParseError("a zip but not an EPUB: it has no META-INF/container.xml")
    container = _xml(members.read(_CONTAINER, "container"), "META-INF/container.xml")
    rootfiles = container.xpath("//c:rootfile/@full-path", namespaces=_NS) or container.xpath(
        "//*[local-name()='rootfile']/@full-path"
    )
    if not rootfiles:
        raise ParseError("META-INF/container.xml names no OPF package (no rootfile)")
    opf_path = str(rootfiles[0])
    opf = _xml(members.read(opf_path, "OPF package"), opf_path)
    book = EpubBook(opf_path=opf_path)
    _read_metadata(book, opf)
    if with_spine:
        _read_spine(book, members, opf, spine_limit)
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
    members: _Members,
    opf: lxml.etree._Element,
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
    _read_guide(book, opf, base)
    _read_ncx(book, members, opf, manifest)
    seen: set[str] = set()
    for itemref in itemrefs[:limit]:
        idref = itemref.get("idref") or ""
        if idref not in manifest:
            raise ParseError(f"the spine points at {idref!r}, which the manifest does not list")
        path, media_type = manifest[idref]
        if (media_type and media_type not in _DOCUMENT_TYPES) or path in seen:
            continue  # a document the spine names twice is still one document
        if path not in members.names:
            raise ParseError(f"the spine points at {path!r}, which the zip lacks")
        seen.add(path)
        book.spine.append(SpineDocument(path=path, data=members.read(path, "spine document")))


def _href_path(base: str, href: str) -> tuple[str, str | None]:
    path, _, fragment = href.partition("#")
    return posixpath.normpath(posixpath.join(base, unquote(path))), fragment or None


def _read_guide(book: EpubBook, opf: lxml.etree._Element, base: str) -> None:
    for reference in opf.iter("{*}reference"):
        href = reference.get("href")
        # Only the cover: a "title-page" may be FanFicFare's, whose metadata list is read.
        if href and (reference.get("type") or "").casefold() == "cover":
            book.cover_paths.add(_href_path(base, href)[0])


def _read_ncx(
    book: EpubBook, members: _Members, opf: lxml.etree._Element, manifest: dict[str, tuple[str, str]]
) -> None:
    """The NCX's navPoints in document order. A missing or broken NCX only loses the hints it
    gives; the spine alone still reads."""
    spine = next(opf.iter("{*}spine"), None)
    ncx_id = spine.get("toc") if spine is not None else None
    ncx = manifest.get(ncx_id or "") or next(
        (entry for entry in manifest.values() if entry[1] == "application/x-dtbncx+xml"), None
    )
    if ncx is None or ncx[0] not in members.names:
        return
    try:
        root = _xml(members.read(ncx[0], "table of contents"), ncx[0])
    except ParseError:
        return
    base = posixpath.dirname(ncx[0])
    for content in root.iter("{*}content"):
        src = content.get("src")
        if src:
            book.toc_targets.append(_href_path(base, src))
