"""Plain text: UTF-8, paragraphs separated by blank lines, AO3's labels kept as headings.

The layout is one our importer reads back (domain/formats/fanarchive_txt.py): the preface's
`Label: value` lines, then sections whose headings are underlined, `=` under a chapter's heading
and `-` under a labelled block (`Chapter Notes`, `Chapter Text`, ...). An underline must be exactly
as long as its heading, so prose that happens to read `Notes` is never taken for one."""

from __future__ import annotations

from typing import BinaryIO

from fanarchive.domain.exports._labels import RELATION_LABELS, preface_rows
from fanarchive.domain.exports.context import ExportContext
from fanarchive.domain.sanitize import sanitize_html
from fanarchive.domain.text import html_to_text
from fanarchive.domain.work import ParsedWork
from fanarchive.domain.xml_text import xml_safe


def paragraphs(html: str | None) -> str:
    """One paragraph per block of the HTML, separated by blank lines."""
    lines = html_to_text(sanitize_html(html)).split("\n")
    return "\n\n".join(" ".join(line.split()) for line in lines if line.strip())


def heading(text: str, rule: str) -> str:
    return f"{text}\n{rule * len(text)}"


def chapter_title_line(number: int, title: str | None) -> str:
    return f"Chapter {number}: {title}" if title else f"Chapter {number}"


def write_txt(work: ParsedWork, context: ExportContext, out: BinaryIO) -> None:
    def put(text: str = "") -> None:
        # A lone surrogate cannot be encoded, and controls only garble a reader's screen.
        out.write((xml_safe(text) + "\n").encode("utf-8"))

    def block(label: str, html: str | None) -> None:
        text = paragraphs(html)
        if text:
            put()
            put(heading(label, "-"))
            put()
            put(text)

    put(" ".join(work.title.split()))
    if work.authors:
        put(f"by {', '.join(work.authors)}")
    put()
    put(f"{context.work_url} on {context.archive_name}")
    put()
    for label, text in preface_rows(work):
        put(f"{label}: {text}")
    block("Summary", work.summary)
    block("Notes", work.notes)
    for chapter in work.chapters:
        put()
        put()
        put(heading(chapter_title_line(chapter.number, chapter.title), "="))
        block("Chapter Summary", chapter.summary)
        block("Chapter Notes", chapter.notes)
        put()
        put(heading("Chapter Text", "-"))
        put()
        text = paragraphs(chapter.html)
        if text:
            put(text)
        block("Chapter End Notes", chapter.end_notes)
    if work.end_notes or work.related:
        put()
        put()
        put(heading("Afterword", "="))
        block("End Notes", work.end_notes)
        if work.related:
            put()
            put(heading("Related Works", "-"))
            put()
            for related in work.related:
                label = RELATION_LABELS.get(related.relation, related.relation)
                by = f" by {', '.join(related.authors)}" if related.authors else ""
                where = f" <{related.url}>" if related.url else ""
                put(f"{label}: {related.title}{by}{where}")
