"""OpenDocument styles, as an ODT's text needs them: what a paragraph or span style makes bold,
italic, underlined, struck, centred, a heading, the title or the start of a page. LibreOffice puts
the author's direct formatting into automatic styles (`P1`, `T1`) in content.xml whose parents are
the named styles of styles.xml (`Heading_20_1`, `Title`), so a property is looked up along that
chain."""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.etree

from fanarchive.domain.formats._odf_package import OFFICE

STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_BOLD_WEIGHTS = frozenset({"bold", "600", "700", "800", "900"})
_HEADING_NAME = re.compile(r"^heading[\s_]*(?:20_)?(\d)$", re.I)
# A style's parent chain longer than this is a loop or an attack; real documents nest a few deep.
_MAX_CHAIN = 32


@dataclass(frozen=True)
class TextFormat:
    bold: bool = False
    italic: bool = False
    underline: bool = False
    strike: bool = False

    def wrap(self, html: str) -> str:
        if not html.strip(" "):
            return html
        if self.underline:
            html = f"<u>{html}</u>"
        if self.italic:
            html = f"<em>{html}</em>"
        if self.bold:
            html = f"<strong>{html}</strong>"
        if self.strike:
            html = f"<s>{html}</s>"
        return html


@dataclass(frozen=True)
class ParagraphFormat:
    text: TextFormat = TextFormat()
    centred: bool = False
    page_break_before: bool = False
    page_break_after: bool = False
    is_title: bool = False
    # The outline level a heading style gives a plain text:p (text:h carries its own).
    level: int | None = None


class Styles:
    def __init__(self, *roots: lxml.etree._Element | None) -> None:
        self._styles: dict[tuple[str, str], lxml.etree._Element] = {}
        # List style name -> level -> whether that level is numbered.
        self._lists: dict[str, dict[int, bool]] = {}
        for root in roots:
            if root is None:
                continue
            for container in (f"{OFFICE}styles", f"{OFFICE}automatic-styles"):
                for holder in root.iter(container):
                    self._collect(holder)
        self._paragraphs: dict[str, ParagraphFormat] = {}
        self._texts: dict[str, TextFormat] = {}

    def _collect(self, holder: lxml.etree._Element) -> None:
        for style in holder:
            name = style.get(f"{STYLE}name")
            if not name:
                continue
            if style.tag == f"{STYLE}style":
                self._styles[(style.get(f"{STYLE}family") or "", name)] = style
            elif style.tag == f"{TEXT}list-style":
                levels: dict[int, bool] = {}
                for level_style in style:
                    level = level_style.get(f"{TEXT}level") or ""
                    if level.isdigit() and len(level) < 3:
                        levels[int(level)] = level_style.tag == f"{TEXT}list-level-style-number"
                self._lists[name] = levels

    def _chain(self, family: str, name: str | None) -> list[lxml.etree._Element]:
        chain: list[lxml.etree._Element] = []
        seen: set[str] = set()
        while name and name not in seen and len(chain) < _MAX_CHAIN:
            seen.add(name)
            style = self._styles.get((family, name))
            if style is None:
                break
            chain.append(style)
            name = style.get(f"{STYLE}parent-style-name")
        return chain

    @staticmethod
    def _property(chain: list[lxml.etree._Element], kind: str, attribute: str) -> str | None:
        for style in chain:  # nearest first: a style overrides its parents
            for properties in style.iter(f"{STYLE}{kind}"):
                value = properties.get(attribute)
                if value is not None:
                    return str(value)
        return None

    def _text_format(self, chain: list[lxml.etree._Element]) -> TextFormat:
        def on(attribute: str) -> bool:
            value = self._property(chain, "text-properties", attribute)
            return value is not None and value != "none"

        return TextFormat(
            bold=(self._property(chain, "text-properties", f"{FO}font-weight") or "") in _BOLD_WEIGHTS,
            italic=(self._property(chain, "text-properties", f"{FO}font-style") or "")
            in ("italic", "oblique"),
            underline=on(f"{STYLE}text-underline-style"),
            strike=on(f"{STYLE}text-line-through-style"),
        )

    def text(self, name: str | None) -> TextFormat:
        if not name:
            return TextFormat()
        if name not in self._texts:
            self._texts[name] = self._text_format(self._chain("text", name))
        return self._texts[name]

    def paragraph(self, name: str | None) -> ParagraphFormat:
        if not name:
            return ParagraphFormat()
        if name not in self._paragraphs:
            self._paragraphs[name] = self._paragraph_format(name)
        return self._paragraphs[name]

    def _paragraph_format(self, name: str) -> ParagraphFormat:
        chain = self._chain("paragraph", name)
        names = [name] + [
            label
            for style in chain
            for label in (style.get(f"{STYLE}name"), style.get(f"{STYLE}display-name"))
            if label
        ]
        level: int | None = None
        for style in chain:
            outline = style.get(f"{STYLE}default-outline-level") or ""
            if outline.isdigit() and len(outline) < 3:
                level = int(outline) or None
                break
        if level is None:
            level = next((int(m.group(1)) for n in names if (m := _HEADING_NAME.match(n))), None)
        return ParagraphFormat(
            text=self._text_format(chain),
            centred=self._property(chain, "paragraph-properties", f"{FO}text-align") == "center",
            page_break_before=self._property(chain, "paragraph-properties", f"{FO}break-before") == "page",
            page_break_after=self._property(chain, "paragraph-properties", f"{FO}break-after") == "page",
            is_title=any(n.lower() == "title" for n in names),
            level=level,
        )

    def numbered_list(self, name: str | None, level: int) -> bool:
        return bool(name) and self._lists.get(name or "", {}).get(level, False)
