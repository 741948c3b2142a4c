"""Builds the DOCX fixtures in memory with python-docx, so the tests show exactly what they hold."""

from __future__ import annotations

import io

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK


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


def _save(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
