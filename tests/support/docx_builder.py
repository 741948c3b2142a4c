"""Builds the DOCX fixtures in memory with python-docx, so the tests show exactly what they hold."""

from __future__ import annotations

import io
import struct
import zipfile

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import parse_xml

_NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)


def styled_document() -> bytes:
    """Title style, Heading 1 chapters, italic and bold runs, a centred break, core properties."""
    document = docx.Document()
    document.core_properties.title = "Ignored When A Title Paragraph Exists"
    document.core_properties.author = "Marisol Endicott"
    document.add_paragraph("The Orchard Keeper", style="Title")
    document.add_paragraph("Chapter One: Blossom", style="Heading 1")
    paragraph = document.add_paragraph("Winnie climbed the ")
    paragraph.add_run("wrong").italic = True
    paragraph.add_run(" tree, as she always did, and the ")
    paragraph.add_run("whole").bold = True
    paragraph.add_run(" orchard laughed.")
    document.add_paragraph("\u00a0\u00a0“Again?” said her brother — not unkindly.")
    rule = document.add_paragraph("* * *")
    rule.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("The apples were small that year.")
    document.add_paragraph("Chapter Two: Windfall", style="Heading 1")
    document.add_paragraph("A Smaller Heading", style="Heading 2")
    centred = document.add_paragraph("o0o")
    centred.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("After the storm they gathered what had fallen.")
    return _save(document)


def page_break_document() -> bytes:
    """No headings at all: two sections separated by a page break, each opening with a short title."""
    document = docx.Document()
    document.core_properties.author = "python-docx"
    document.add_paragraph("Low Tide")
    document.add_paragraph("The pier stretched further than it had any right to.")
    last = document.add_paragraph("Gulls argued over a chip.")
    last.add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("High Tide")
    document.add_paragraph("By evening the pier was half as long, and nobody remarked on it.")
    return _save(document)


def wrapped_runs_document() -> bytes:
    """Runs that are not direct children of their paragraph: inside a web hyperlink, an internal
    (bookmark) hyperlink, a tracked insertion, a smart tag and a content control; plus a tracked
    deletion, whose text is gone from the document."""
    document = docx.Document()
    document.add_paragraph("Chapter One: Letters", style="Heading 1")
    paragraph = document.add_paragraph("She said ")
    web = paragraph.part.relate_to(
        "https://example.org/lanterns", RELATIONSHIP_TYPE.HYPERLINK, is_external=True
    )
    paragraph._p.append(
        parse_xml(
            f'<w:hyperlink {_NAMESPACES} r:id="{web}"><w:r><w:rPr><w:i/></w:rPr><w:t>goodbye</w:t></w:r>'
            '<w:r><w:t xml:space="preserve"> twice</w:t></w:r></w:hyperlink>'
        )
    )
    paragraph.add_run(" and left.")
    second = document.add_paragraph("Then ")
    second._p.append(
        parse_xml(f'<w:hyperlink {_NAMESPACES} w:anchor="_Toc1"><w:r><w:t>the map</w:t></w:r></w:hyperlink>')
    )
    second._p.append(
        parse_xml(
            f'<w:ins {_NAMESPACES} w:id="1" w:author="Ed" w:date="2024-01-01T00:00:00Z">'
            '<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve"> burned</w:t></w:r></w:ins>'
        )
    )
    second._p.append(
        parse_xml(
            f'<w:del {_NAMESPACES} w:id="2" w:author="Ed" w:date="2024-01-01T00:00:00Z">'
            '<w:r><w:delText xml:space="preserve"> and drowned</w:delText></w:r></w:del>'
        )
    )
    second._p.append(
        parse_xml(
            f'<w:smartTag {_NAMESPACES} w:uri="urn:x" w:element="place">'
            '<w:r><w:t xml:space="preserve"> near Harrowgate</w:t></w:r></w:smartTag>'
        )
    )
    second._p.append(
        parse_xml(
            f"<w:sdt {_NAMESPACES}><w:sdtPr/><w:sdtContent>"
            '<w:r><w:t xml:space="preserve"> at dawn</w:t></w:r></w:sdtContent></w:sdt>'
        )
    )
    second.add_run(".")
    return _save(document)


def _save(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def damaged_member(data: bytes, name: str = "word/document.xml") -> bytes:
    """The DOCX with the deflate stream of `name` made invalid (reserved block type) but its zip
    structure intact, as a bad disk sector leaves it."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
    start = info.header_offset + 30 + name_length + extra_length
    return data[:start] + b"\xff" + data[start + 1 :]


def encrypted_member(data: bytes, name: str = "word/document.xml") -> bytes:
    """The DOCX with `name` flagged as encrypted, in its local header and the central directory."""
    raw = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    raw[info.header_offset + 6] |= 1
    central = bytes(raw).find(b"PK\x01\x02", 0)
    while central != -1:
        name_length = struct.unpack("<H", raw[central + 28 : central + 30])[0]
        if raw[central + 46 : central + 46 + name_length] == name.encode():
            raw[central + 8] |= 1
        central = bytes(raw).find(b"PK\x01\x02", central + 4)
    return bytes(raw)


def padded_document(padding: int) -> bytes:
    """A small story whose document.xml carries `padding` spaces in a comment: a file that inflates
    far beyond its compressed size, as a zip bomb does."""
    source = zipfile.ZipFile(io.BytesIO(styled_document()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "word/document.xml":
                content = content.replace(b"<w:body>", b"<w:body><!--" + b" " * padding + b"-->", 1)
            target.writestr(info.filename, content)
    return buffer.getvalue()


def declared_size(data: bytes, size: int, name: str = "word/document.xml") -> bytes:
    """The DOCX with the central directory claiming `name` inflates to `size` bytes."""
    raw = bytearray(data)
    central = bytes(raw).find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack("<H", raw[central + 28 : central + 30])[0]
        if raw[central + 46 : central + 46 + name_length] == name.encode():
            raw[central + 24 : central + 28] = struct.pack("<I", size)
        central = bytes(raw).find(b"PK\x01\x02", central + 4)
    return bytes(raw)
