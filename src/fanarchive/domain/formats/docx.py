"""Word documents (.docx) through python-docx: the `Title` style and heading styles give the title and
chapters, bold/italic/underline runs are kept, centred paragraphs stay centred, page breaks hint at
chapters when no heading is styled or typed, and the core properties supply title and author."""

from __future__ import annotations

import html as htmllib
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from itertools import groupby
from typing import Any

import docx
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from fanarchive.domain.formats._chapters import Block, is_scene_break, scene_break_html, split_chapters
from fanarchive.domain.formats._documents import build_work
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.limits import DEFAULT_LIMITS
from fanarchive.domain.text import normalise_indentation
from fanarchive.domain.work import ParsedWork

_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.I)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Word fills the title property with these when nobody set one.
_PLACEHOLDER_AUTHORS = frozenset(
    {"python-docx", "microsoft office user", "user", "author", "unknown", "owner"}
)
_PLACEHOLDER_TITLES = re.compile(r"^(?:microsoft word - .*|untitled|document\d*|title)$", re.I)
# python-docx holds every part in memory: refuse packages that would inflate beyond reason.
_MAX_UNCOMPRESSED = DEFAULT_LIMITS.max_unpacked_bytes
_MAX_RATIO = 200
# Below this a high ratio costs nothing, and tiny repetitive XML parts compress very well.
_RATIO_FLOOR = 1024 * 1024
# What zipfile raises for damage it does not wrap in BadZipFile, and for members it cannot open.
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError)
# Containers whose runs are not part of the text as it reads now: tracked deletions and moves away,
# and the fallback copy Word keeps beside newer markup (mc:AlternateContent).
_HIDDEN = frozenset(
    {
        f"{_W}del",
        f"{_W}moveFrom",
        "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",
    }
)


def _run_html(run: Any) -> str:
    pieces: list[str] = []
    for child in run._r:  # text, tabs and line breaks in document order
        tag = child.tag
        if tag == f"{_W}t":
            pieces.append(htmllib.escape(child.text or "", quote=False))
        elif tag == f"{_W}tab":
            pieces.append(" ")
        elif tag == f"{_W}br" and child.get(f"{_W}type") not in ("page", "column"):
            pieces.append("<br />")
    text = "".join(pieces)
    if not text.strip(" "):
        return text
    if run.underline:
        text = f"<u>{text}</u>"
    if run.italic:
        text = f"<em>{text}</em>"
    if run.bold:
        text = f"<strong>{text}</strong>"
    if run.font.strike:
        text = f"<s>{text}</s>"
    return text


def _runs(element: Any, link: Any = None) -> Iterator[tuple[Any, Any]]:
    """The `w:r` elements under `element` in document order, each with the `w:hyperlink` holding it.
    Runs sit inside hyperlinks, insertions, smart tags and content controls, not only directly in
    the paragraph; a run's own content (text boxes in drawings) is not searched."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _HIDDEN:
            continue
        if tag == f"{_W}r":
            yield child, link
        elif tag == f"{_W}hyperlink":
            yield from _runs(child, child)
        else:
            yield from _runs(child, link)


def _paragraph_text(paragraph: Paragraph) -> str:
    return "".join(Run(r, paragraph).text for r, _link in _runs(paragraph._p))


def _paragraph_html(paragraph: Paragraph) -> str:
    pieces: list[str] = []
    for link, group in groupby(_runs(paragraph._p), key=lambda pair: pair[1]):
        inner = "".join(_run_html(Run(r, paragraph)) for r, _link in group)
        url = Hyperlink(link, paragraph).url if link is not None else ""
        # Only web addresses become links; bookmarks and file paths mean nothing off the author's disk.
        if url.lower().startswith(("http://", "https://")) and inner.strip():
            inner = f'<a href="{htmllib.escape(url, quote=True)}">{inner}</a>'
        pieces.append(inner)
    return "".join(pieces)


def _has_page_break(paragraph: Paragraph) -> bool:
    if paragraph.paragraph_format.page_break_before:
        return True
    return any(br.get(f"{_W}type") == "page" for br in paragraph._p.iter(f"{_W}br"))


def _paragraph_block(paragraph: Paragraph, page_break: bool) -> Block | None:
    text = normalise_indentation(_paragraph_text(paragraph)).strip()
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if not text:
        return None
    if style.lower() == "title":
        return Block(html=f"<p>{htmllib.escape(text, quote=False)}</p>", text=text, is_title=True)
    if heading := _HEADING_STYLE.match(style):
        level = int(heading.group(1))
        tag = f"h{min(level + 1, 6)}"
        return Block(html=f"<{tag}>{htmllib.escape(text, quote=False)}</{tag}>", text=text, level=level)
    if is_scene_break(text):
        return Block(html=scene_break_html(text), text="", page_break=page_break)
    inner = _paragraph_html(paragraph).strip()
    inner = re.sub(r"^(?:<br />|[\s\u00a0])+", "", inner)
    centred = paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
    opening = '<p align="center">' if centred else "<p>"
    return Block(html=f"{opening}{inner}</p>", text=text, page_break=page_break)


def _table_block(table: Table) -> Block:
    rows = []
    for row in table.rows:
        cells = "".join(f"<td>{htmllib.escape(cell.text, quote=False)}</td>" for cell in row.cells)
        rows.append(f"<tr>{cells}</tr>")
    text = " ".join(cell.text for row in table.rows for cell in row.cells)
    return Block(html=f"<table>{''.join(rows)}</table>", text=text)


def _check_sizes(archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    total = sum(info.file_size for info in members)
    if total > _MAX_UNCOMPRESSED:
        raise ParseError(
            f"the DOCX is too large: its parts inflate to {total:,} bytes "
            f"(the limit is {_MAX_UNCOMPRESSED // (1024 * 1024)} MB)"
        )
    for info in members:
        if info.file_size > _RATIO_FLOOR and info.file_size > _MAX_RATIO * max(info.compress_size, 1):
            raise ParseError(
                f"the DOCX looks like a zip bomb: {info.filename} would inflate from "
                f"{info.compress_size:,} bytes to {info.file_size:,} (more than {_MAX_RATIO} times)"
            )


def _check_members(archive: zipfile.ZipFile) -> None:
    for info in archive.infolist():
        if info.flag_bits & 0x1:
            raise ParseError(f"the DOCX is encrypted: {info.filename} needs a password")
    try:
        broken = archive.testzip()
    except zipfile.BadZipFile as error:
        raise ParseError(f"the DOCX is damaged ({error})") from None
    except (zlib.error, EOFError) as error:
        # testzip names the member only for checksum errors; find the one that fails to inflate.
        raise ParseError(
            f"the DOCX is damaged: {_failing_member(archive)} does not decompress ({error})"
        ) from None
    except (NotImplementedError, RuntimeError) as error:
        raise ParseError(f"the DOCX cannot be opened ({error})") from None
    if broken is not None:
        raise ParseError(f"the DOCX is damaged: {broken} fails its checksum")


def _failing_member(archive: zipfile.ZipFile) -> str:
    for info in archive.infolist():
        try:
            with archive.open(info) as member:
                while member.read(1 << 20):
                    pass
        except _ZIP_ERRORS:
            return info.filename
    return "a member"


def _open(source: SourceFile) -> Document:
    try:
        with zipfile.ZipFile(io.BytesIO(source.data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                raise ParseError("not a Word document: the zip file has no word/document.xml")
            _check_sizes(archive)
            _check_members(archive)
    except ParseError:
        raise
    except zipfile.BadZipFile as error:
        raise ParseError(f"not a readable DOCX: the zip archive is truncated or damaged ({error})") from None
    except (*_ZIP_ERRORS, ValueError) as error:
        # zipfile raises NotImplementedError for a central directory claiming a version it lacks.
        raise ParseError(f"not a readable DOCX: the zip archive is damaged ({error})") from None
    try:
        return docx.Document(io.BytesIO(source.data))
    except (PackageNotFoundError, KeyError, ValueError, *_ZIP_ERRORS) as error:
        raise ParseError(f"not a readable DOCX ({type(error).__name__}: {error})") from None
    except SyntaxError as error:  # lxml's XMLSyntaxError
        raise ParseError(f"the DOCX's XML is malformed ({error})") from None


class DocxParser:
    name = "docx"
    surest = 0.9
    description = (
        "a Word document (.docx): heading styles, bold and italic runs, page breaks, core properties"
    )

    def sniff(self, source: SourceFile) -> float:
        head = source.head(65536)
        if not head.startswith(b"PK\x03\x04"):
            return 0.0
        if b"word/document.xml" in head or b"word/" in head:
            return 0.9
        try:
            with zipfile.ZipFile(io.BytesIO(source.data)) as archive:
                return 0.9 if "word/document.xml" in archive.namelist() else 0.0
        except (*_ZIP_ERRORS, ValueError):
            return 0.5 if source.suffix == "docx" else 0.0

    def parse(self, source: SourceFile) -> list[ParsedWork]:
        document = _open(source)
        blocks: list[Block] = []
        page_break = False
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                blocks.append(_table_block(item))
                continue
            breaks_here = _has_page_break(item)
            block = _paragraph_block(item, page_break or bool(item.paragraph_format.page_break_before))
            # A break inside a paragraph (usually at its end) starts the page of the next one.
            page_break = (page_break and block is None) or (
                breaks_here and not item.paragraph_format.page_break_before
            )
            if block is not None:
                blocks.append(block)
        if not any(block.text for block in blocks):
            raise ParseError("the document holds no text")
        work = ParsedWork(title="")
        properties = document.core_properties
        outline = split_chapters(blocks)
        if (
            outline.title is None
            and properties.title
            and not _PLACEHOLDER_TITLES.match(properties.title.strip())
        ):
            work.title = properties.title.strip()
        author = (properties.author or "").strip()
        if author and author.lower() not in _PLACEHOLDER_AUTHORS:
            work.authors = [a.strip() for a in re.split(r"[;,]", author) if a.strip()]
            work.doubts.append(
                "The author is the document's author property, which may be whoever made the file."
            )
        return [build_work(source, outline, self.name, work)]


PARSERS = [DocxParser()]
