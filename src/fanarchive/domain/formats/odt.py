"""OpenDocument text (.odt, LibreOffice's own format): `text:h` headings give the chapters as DOCX
heading styles do, the `Title` paragraph style the title, automatic styles the bold, italic,
underlined and struck spans and centred paragraphs, hard page breaks hint at chapters, footnotes
follow their chapter, and meta.xml supplies title and author. Read with lxml (see _odf_package)."""

from __future__ import annotations

import html as htmllib
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field

import lxml.etree

from fanarchive.domain.formats._chapters import (
    Block,
    Outline,
    is_scene_break,
    scene_break_html,
    split_chapters,
)
from fanarchive.domain.formats._documents import build_work
from fanarchive.domain.formats._odf_package import (
    ODT_MIMETYPE,
    OdfPackage,
    declared_mimetype,
    open_package,
)
from fanarchive.domain.formats._odf_styles import TEXT, ParagraphFormat, Styles
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.limits import DEFAULT_LIMITS, LimitExceeded, ReaderLimits, whole_number
from fanarchive.domain.text import normalise_indentation
from fanarchive.domain.work import ParsedWork

_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
_XLINK = "{http://www.w3.org/1999/xlink}"
_SUFFIXES = ("odt", "ott")
_TEXT_MIMETYPES = (ODT_MIMETYPE, f"{ODT_MIMETYPE}-template")
# ODF collapses runs of these in character data to one space; text:s and text:tab spell real ones.
_WHITESPACE = re.compile(r"[ \t\r\n]+")
# More spaces than this in one text:s is layout, not prose, and a count like 10**9 is an attack.
_MAX_SPACES = 100
_PLACEHOLDER_AUTHORS = frozenset({"user", "author", "unknown", "owner", "libreoffice", "openoffice"})
_PLACEHOLDER_TITLES = re.compile(r"^(?:untitled(?:\s*\d+)?|document\d*|title)$", re.I)
# Body elements that hold no text of the document as it reads: generated indexes, the deleted
# text of tracked changes, declarations, forms, and LibreOffice's record of where pages fell.
_SKIPPED_BLOCKS = frozenset(
    {
        f"{TEXT}tracked-changes",
        f"{TEXT}table-of-content",
        f"{TEXT}illustration-index",
        f"{TEXT}table-index",
        f"{TEXT}object-index",
        f"{TEXT}user-index",
        f"{TEXT}alphabetical-index",
        f"{TEXT}bibliography",
        f"{TEXT}sequence-decls",
        f"{TEXT}variable-decls",
        f"{TEXT}user-field-decls",
        f"{TEXT}dde-connection-decls",
        f"{TEXT}soft-page-break",
        f"{_OFFICE}forms",
    }
)
# Inline elements whose content is not the text as it reads: comments, the cached number of a
# numbered heading, hidden text, soft page breaks.
_SKIPPED_INLINE = frozenset(
    {
        f"{_OFFICE}annotation",
        f"{_OFFICE}annotation-end",
        f"{TEXT}number",
        f"{TEXT}hidden-text",
        f"{TEXT}hidden-paragraph",
        f"{TEXT}soft-page-break",
        f"{TEXT}note-citation",
        f"{TEXT}tracked-changes",
    }
)


@dataclass
class _NotedBlock(Block):
    """A block and the footnotes cited in it, which follow the chapter it ends up in."""

    notes: list[str] = field(default_factory=list)


class _Inline:
    """The text of one paragraph as HTML and as plain text, whitespace collapsed as ODF says."""

    def __init__(self) -> None:
        self.html: list[str] = []
        self.text: list[str] = []
        self.notes: list[str] = []
        self._after_space = True  # leading whitespace of a paragraph is dropped

    def chars(self, raw: str) -> None:
        collapsed = _WHITESPACE.sub(" ", raw)
        if self._after_space and collapsed.startswith(" "):
            collapsed = collapsed[1:]
        if collapsed:
            self._after_space = collapsed.endswith(" ")
            self.html.append(htmllib.escape(collapsed, quote=False))
            self.text.append(collapsed)

    def literal(self, html: str, text: str, after_space: bool = False) -> None:
        self.html.append(html)
        self.text.append(text)
        self._after_space = after_space

    def wrap_from(self, start: int, opening: str, closing: str) -> None:
        inner = "".join(self.html[start:])
        del self.html[start:]
        self.html.append(f"{opening}{inner}{closing}" if inner.strip() else inner)

    def plain(self) -> str:
        return "".join(self.text)


class _Reader:
    def __init__(self, package: OdfPackage, limits: ReaderLimits) -> None:
        self.styles = Styles(package.styles, package.content)
        self.limits = limits
        self.images = 0
        self.blocks: list[Block] = []
        self._page_break = False

    def _deeper(self, depth: int) -> int:
        if depth >= self.limits.max_depth:
            raise LimitExceeded(
                "max_depth", self.limits.max_depth, "the ODT's content.xml is nested too deeply"
            )
        return depth + 1

    # Inline content -------------------------------------------------------------------------

    def inline(self, element: lxml.etree._Element, out: _Inline, depth: int) -> None:
        depth = self._deeper(depth)
        if element.text:
            out.chars(element.text)
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIPPED_INLINE:
                pass
            elif tag == f"{TEXT}s":
                count = min(whole_number(child.get(f"{TEXT}c") or "1", self.limits) or 1, _MAX_SPACES)
                out.literal(" " * count, " " * count, after_space=False)
            elif tag == f"{TEXT}tab":
                out.literal(" ", " ", after_space=True)
            elif tag == f"{TEXT}line-break":
                out.literal("<br />", "\n", after_space=True)
            elif tag == f"{TEXT}span":
                start = len(out.html)
                self.inline(child, out, depth)
                text_format = self.styles.text(child.get(f"{TEXT}style-name"))
                out.html[start:] = [text_format.wrap("".join(out.html[start:]))]
            elif tag == f"{TEXT}a":
                start = len(out.html)
                self.inline(child, out, depth)
                url = child.get(f"{_XLINK}href") or ""
                # Only web addresses become links; bookmarks and file paths mean nothing off the author's disk.
                if url.lower().startswith(("http://", "https://")):
                    out.wrap_from(start, f'<a href="{htmllib.escape(url, quote=True)}">', "</a>")
            elif tag == f"{TEXT}note":
                self._note(child, out, depth)
            elif tag.startswith(_DRAW):
                self.images += sum(1 for _ in child.iter(f"{_DRAW}image"))
            else:  # fields, ruby, meta, bookmarks: their content is the text as it reads
                self.inline(child, out, depth)
            if child.tail:
                out.chars(child.tail)

    def _note(self, note: lxml.etree._Element, out: _Inline, depth: int) -> None:
        citation_element = note.find(f"{TEXT}note-citation")
        citation = ""
        if citation_element is not None:
            citation = citation_element.get(f"{TEXT}label") or "".join(citation_element.itertext())
        citation = " ".join(citation.split())[:20] or str(len(out.notes) + 1)
        mark = f"<sup>{htmllib.escape(citation, quote=False)}</sup>"
        out.literal(mark, "", after_space=False)
        body = note.find(f"{TEXT}note-body")
        paragraphs: list[str] = []
        for paragraph in body.iter(f"{TEXT}p", f"{TEXT}h") if body is not None else []:
            inner = _Inline()
            self.inline(paragraph, inner, depth)
            out.notes.extend(inner.notes)
            if "".join(inner.html).strip():
                paragraphs.append("".join(inner.html).strip())
        if paragraphs:
            out.notes.append(f"<p>{mark} {'<br />'.join(paragraphs)}</p>")

    # Blocks ---------------------------------------------------------------------------------

    def body(self, element: lxml.etree._Element, depth: int) -> None:
        depth = self._deeper(depth)
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIPPED_BLOCKS:
                continue
            if tag in (f"{TEXT}p", f"{TEXT}h"):
                self._paragraph(child, depth)
            elif tag == f"{TEXT}list":
                self._list_block(child, depth)
            elif tag == f"{_TABLE}table":
                self._add(self._table(child, depth), ParagraphFormat())
            elif tag.startswith(_DRAW):
                self.images += sum(1 for _ in child.iter(f"{_DRAW}image"))
            else:  # sections, changed regions kept in the text, and anything newer than us
                self.body(child, depth)

    def _add(self, block: Block | None, style: ParagraphFormat) -> None:
        # A break after a paragraph, or before one with no text, starts the page of the next block.
        if block is not None:
            block.page_break = self._page_break or style.page_break_before
            self.blocks.append(block)
            self._page_break = style.page_break_after
        else:
            self._page_break = self._page_break or style.page_break_before or style.page_break_after

    def _paragraph(self, element: lxml.etree._Element, depth: int) -> None:
        style = self.styles.paragraph(element.get(f"{TEXT}style-name"))
        out = _Inline()
        self.inline(element, out, depth)
        text = normalise_indentation(out.plain()).strip()
        if not text:
            self._add(None, style)
            return
        level = _outline_level(element) if element.tag == f"{TEXT}h" else style.level
        if style.is_title:
            block = _NotedBlock(html=f"<p>{htmllib.escape(text, quote=False)}</p>", text=text, is_title=True)
        elif level is not None:
            tag = f"h{min(level + 1, 6)}"
            block = _NotedBlock(
                html=f"<{tag}>{htmllib.escape(text, quote=False)}</{tag}>", text=text, level=level
            )
        elif is_scene_break(text):
            block = _NotedBlock(html=scene_break_html(text), text="")
        else:
            inner = re.sub(r"^(?:<br />|[\s\u00a0])+", "", "".join(out.html).strip())
            inner = style.text.wrap(inner)
            opening = '<p align="center">' if style.centred else "<p>"
            block = _NotedBlock(html=f"{opening}{inner}</p>", text=text)
        block.notes = out.notes
        self._add(block, style)

    def _list_block(self, element: lxml.etree._Element, depth: int) -> None:
        if element.find(f".//{TEXT}h") is not None:
            # Headings numbered through a list are still the document's chapters: read them one by one.
            for item in element:
                for child in item if isinstance(item.tag, str) else ():
                    if child.tag in (f"{TEXT}p", f"{TEXT}h"):
                        self._paragraph(child, depth)
                    elif child.tag == f"{TEXT}list":
                        self._list_block(child, self._deeper(depth))
            return
        notes: list[str] = []
        html, text = self._list(element, depth, 1, None, notes)
        if text.strip():
            self._add(_NotedBlock(html=html, text=text, notes=notes), ParagraphFormat())

    def _list(
        self, element: lxml.etree._Element, depth: int, level: int, inherited: str | None, notes: list[str]
    ) -> tuple[str, str]:
        depth = self._deeper(depth)
        style_name = element.get(f"{TEXT}style-name") or inherited
        items: list[str] = []
        texts: list[str] = []
        for item in element:
            if item.tag not in (f"{TEXT}list-item", f"{TEXT}list-header"):
                continue
            paragraphs: list[str] = []
            nested_lists: list[str] = []
            for child in item:
                if child.tag in (f"{TEXT}p", f"{TEXT}h"):
                    out = _Inline()
                    self.inline(child, out, depth)
                    notes.extend(out.notes)
                    if "".join(out.html).strip():
                        paragraphs.append("".join(out.html).strip())
                        texts.append(out.plain().strip())
                elif child.tag == f"{TEXT}list":
                    nested, nested_text = self._list(child, depth, level + 1, style_name, notes)
                    if nested_text.strip():
                        nested_lists.append(nested)
                        texts.append(nested_text)
            if paragraphs or nested_lists:
                items.append(f"<li>{'<br />'.join(paragraphs)}{''.join(nested_lists)}</li>")
        tag = "ol" if self.styles.numbered_list(style_name, level) else "ul"
        return f"<{tag}>{''.join(items)}</{tag}>", "\n".join(texts)

    def _table(self, element: lxml.etree._Element, depth: int) -> Block | None:
        self._deeper(depth)
        rows: list[str] = []
        texts: list[str] = []
        for row in element.iter(f"{_TABLE}table-row"):
            cells: list[str] = []
            for cell in row:
                if cell.tag != f"{_TABLE}table-cell":
                    continue  # covered cells are the hidden part of a merged one
                text = " ".join(" ".join(p.itertext()) for p in cell.iter(f"{TEXT}p", f"{TEXT}h"))
                text = " ".join(text.split())
                cells.append(f"<td>{htmllib.escape(text, quote=False)}</td>")
                texts.append(text)
            rows.append(f"<tr>{''.join(cells)}</tr>")
        text = " ".join(t for t in texts if t)
        return _NotedBlock(html=f"<table>{''.join(rows)}</table>", text=text) if text else None


def _outline_level(heading: lxml.etree._Element) -> int:
    level = heading.get(f"{TEXT}outline-level") or "1"
    return int(level) if level.isdigit() and 0 < len(level) < 3 and int(level) > 0 else 1


def _notes_after(blocks: list[Block]) -> Block | None:
    notes = [note for block in blocks for note in getattr(block, "notes", [])]
    if not notes:
        return None
    return Block(html=f'<div class="footnotes">{"".join(notes)}</div>', text=" ")


def _place_notes(outline: Outline) -> None:
    """Each chapter's footnotes after its text, as a printed chapter ends with them."""
    for chapter in outline.chapters:
        if (notes := _notes_after(chapter.blocks)) is not None:
            chapter.blocks.append(notes)
    if (notes := _notes_after(outline.preface)) is not None:
        outline.preface.append(notes)


class OdtParser:
    name = "odt"
    surest = 0.9
    description = (
        "an OpenDocument text (.odt, LibreOffice): headings, bold and italic spans, lists, footnotes, "
        "page breaks, title and author from meta.xml"
    )

    def sniff(self, source: SourceFile) -> float:
        if not source.head(4).startswith(b"PK\x03\x04"):
            return 0.0
        declared = declared_mimetype(source)
        if declared is not None:
            return 0.9 if declared in _TEXT_MIMETYPES else 0.0
        fallback = 0.5 if source.suffix in _SUFFIXES else 0.0
        try:
            with zipfile.ZipFile(io.BytesIO(source.data)) as archive:
                names = set(archive.namelist())
                if "content.xml" not in names:
                    return 0.0
                if "mimetype" not in names:
                    return fallback
                info = archive.getinfo("mimetype")
                if info.file_size > 200:
                    return 0.0
                return (
                    0.9 if archive.read(info).decode("ascii", "replace").strip() in _TEXT_MIMETYPES else 0.0
                )
        except (
            zipfile.BadZipFile,
            zlib.error,
            OSError,
            EOFError,
            ValueError,
            RuntimeError,
            NotImplementedError,
        ):
            return fallback

    def parse(self, source: SourceFile, limits: ReaderLimits = DEFAULT_LIMITS) -> list[ParsedWork]:
        package = open_package(source, limits)
        reader = _Reader(package, limits)
        body = package.content.find(f"{_OFFICE}body/{_OFFICE}text")
        assert body is not None  # open_package refuses a package without one
        reader.body(body, 0)
        blocks = reader.blocks
        if not any(block.text.strip() for block in blocks):
            raise ParseError("the document holds no text")
        outline = split_chapters(blocks)
        _place_notes(outline)
        work = ParsedWork(title="")
        meta_title = package.meta.get("title", "")
        if outline.title is None and meta_title and not _PLACEHOLDER_TITLES.match(meta_title):
            work.title = meta_title
        author = package.meta.get("initial-creator") or package.meta.get("creator") or ""
        if author and author.lower() not in _PLACEHOLDER_AUTHORS:
            work.authors = [a.strip() for a in re.split(r"[;,]", author) if a.strip()]
            work.doubts.append(
                "The author is the document's creator property, which may be whoever made the file."
            )
        if reader.images:
            work.doubts.append(f"The document's images were left out ({reader.images}).")
        return [build_work(source, outline, self.name, work)]


PARSERS = [OdtParser()]
