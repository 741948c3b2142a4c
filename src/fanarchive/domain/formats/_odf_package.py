"""The OpenDocument package around an ODT: a zip whose `mimetype` member names the document type,
with content.xml (the text), styles.xml (named styles), meta.xml (title and author) and
META-INF/manifest.xml (which members are encrypted). Read with lxml under fixed limits rather than
through an ODF library, so that what an upload can make the parser do is decided here: no DTD, no
entity, no network, no huge tree, and no member inflating past the reader limits."""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass, field

import lxml.etree

from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.limits import DEFAULT_LIMITS, LimitExceeded, ReaderLimits

ODT_MIMETYPE = "application/vnd.oasis.opendocument.text"
# A template (.ott) holds a text document like any other.
_TEXT_MIMETYPES = frozenset({ODT_MIMETYPE, f"{ODT_MIMETYPE}-template"})
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
DC = "{http://purl.org/dc/elements/1.1/}"
_MANIFEST = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"
# Below this a high ratio costs nothing, and tiny repetitive XML parts compress very well.
_RATIO_FLOOR = 1024 * 1024
# What zipfile raises for damage it does not wrap in BadZipFile, and for members it cannot open.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
    OSError,
    ValueError,
)


@dataclass
class OdfPackage:
    content: lxml.etree._Element
    styles: lxml.etree._Element | None
    meta: dict[str, str] = field(default_factory=dict)


def declared_mimetype(source: SourceFile) -> str | None:
    """The `mimetype` member's text when the zip stores it first, as ODF requires: read from the
    head without opening the zip, so that sniffing stays cheap."""
    head = source.head(256)
    if not head.startswith(b"PK\x03\x04") or head[30:38] != b"mimetype":
        return None
    if head[8:10] != b"\x00\x00":  # deflated against the spec: its bytes are not the text
        return None
    start = 30 + int.from_bytes(head[26:28], "little") + int.from_bytes(head[28:30], "little")
    size = int.from_bytes(head[18:22], "little")  # stored, so packed size is the text's length
    value = head[start : start + min(size, 100)]
    return value.decode("ascii", "replace").strip() if value else None


def _check_sizes(archive: zipfile.ZipFile, limits: ReaderLimits) -> None:
    members = archive.infolist()
    total = sum(info.file_size for info in members)
    if total > limits.max_unpacked_bytes:
        raise LimitExceeded(
            "max_unpacked_bytes",
            limits.max_unpacked_bytes,
            f"the ODT's members inflate to {total:,} bytes",
        )
    for info in members:
        if info.flag_bits & 0x1:
            raise ParseError(f"the ODT is encrypted: {info.filename} needs a password")
        if info.file_size > _RATIO_FLOOR and info.file_size > limits.max_compression_ratio * max(
            info.compress_size, 1
        ):
            raise LimitExceeded(
                "max_compression_ratio",
                limits.max_compression_ratio,
                f"the ODT looks like a zip bomb: {info.filename} would inflate from "
                f"{info.compress_size:,} bytes to {info.file_size:,}",
            )


def _read(archive: zipfile.ZipFile, name: str, limits: ReaderLimits) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > limits.max_member_bytes:
        raise LimitExceeded(
            "max_member_bytes",
            limits.max_member_bytes,
            f"the ODT's {name} unpacks to {info.file_size:,} bytes",
        )
    try:
        with archive.open(info) as member:
            # The header's size may lie: never read past what the limit allows.
            data = member.read(limits.max_member_bytes + 1)
    except _ZIP_ERRORS as error:
        raise ParseError(
            f"the ODT is damaged: {name} does not unpack ({error or type(error).__name__})"
        ) from None
    if len(data) > limits.max_member_bytes:
        raise LimitExceeded("max_member_bytes", limits.max_member_bytes, f"the ODT's {name} unpacks further")
    return data


def parse_xml(data: bytes, name: str) -> lxml.etree._Element:
    # ODF never declares a DTD; one in an upload is there to expand entities (billion laughs) or
    # to reach for files, so it is refused before lxml sees it.
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ParseError(f"the ODT's {name} declares a DTD or XML entities, which OpenDocument never uses")
    parser = lxml.etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
    )
    try:
        root = lxml.etree.fromstring(data, parser)
    except lxml.etree.XMLSyntaxError as error:
        if "Excessive depth" in str(error):  # libxml2's own guard, at 256 levels without huge_tree
            raise LimitExceeded(
                "max_depth", DEFAULT_LIMITS.max_depth, f"the ODT's {name} is nested too deeply"
            ) from None
        raise ParseError(f"the ODT's {name} is not well-formed XML ({error})") from None
    if root is None:
        raise ParseError(f"the ODT's {name} is empty")
    return root


def _encrypted(manifest: lxml.etree._Element) -> bool:
    """ODF encrypts members itself (the zip stays plain) and says so in the manifest."""
    for entry in manifest.iter(f"{_MANIFEST}file-entry"):
        if entry.get(f"{_MANIFEST}full-path") == "content.xml":
            return entry.find(f"{_MANIFEST}encryption-data") is not None
    return False


def _meta(root: lxml.etree._Element) -> dict[str, str]:
    found: dict[str, str] = {}
    wanted = {f"{DC}title": "title", f"{META}initial-creator": "initial-creator", f"{DC}creator": "creator"}
    for element in root.iter(*wanted):
        text = " ".join("".join(element.itertext()).split())
        if text:
            found.setdefault(wanted[str(element.tag)], text)
    return found


def open_package(source: SourceFile, limits: ReaderLimits = DEFAULT_LIMITS) -> OdfPackage:
    try:
        archive = zipfile.ZipFile(io.BytesIO(source.data))
    except _ZIP_ERRORS as error:
        raise ParseError(f"not a readable ODT: the zip archive is truncated or damaged ({error})") from None
    with archive:
        names = set(archive.namelist())
        mimetype = _read(archive, "mimetype", limits) if "mimetype" in names else None
        declared = mimetype.decode("ascii", "replace").strip() if mimetype is not None else None
        if declared is not None and declared not in _TEXT_MIMETYPES:
            raise ParseError(f"not an OpenDocument text: the package says it is {declared[:80]!r}")
        if "content.xml" not in names:
            raise ParseError("not an OpenDocument text: the zip file has no content.xml")
        _check_sizes(archive, limits)
        manifest = _read(archive, "META-INF/manifest.xml", limits)
        if manifest is not None and _encrypted(parse_xml(manifest, "META-INF/manifest.xml")):
            raise ParseError("the ODT is password-protected: its content.xml is encrypted")
        content = parse_xml(_read(archive, "content.xml", limits) or b"", "content.xml")
        styles_data = _read(archive, "styles.xml", limits)
        meta_data = _read(archive, "meta.xml", limits)
    if content.tag != f"{OFFICE}document-content":
        raise ParseError("not an OpenDocument text: content.xml holds no office:document-content")
    body = content.find(f"{OFFICE}body")
    if body is None or body.find(f"{OFFICE}text") is None:
        kinds = [str(child.tag).rsplit("}", 1)[-1] for child in (body if body is not None else [])]
        what = f" (it holds office:{kinds[0]})" if kinds else ""
        raise ParseError(f"not an OpenDocument text: content.xml has no office:text body{what}")
    styles = parse_xml(styles_data, "styles.xml") if styles_data else None
    meta = _meta(parse_xml(meta_data, "meta.xml")) if meta_data else {}
    return OdfPackage(content=content, styles=styles, meta=meta)
