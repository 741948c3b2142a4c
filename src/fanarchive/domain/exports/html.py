"""One self-contained HTML file, laid out like AO3's own HTML download (div#preface, dl.tags,
div#chapters, div#afterword) so that AO3 tools, and our own importer, read it back."""

from __future__ import annotations

from html import escape
from typing import BinaryIO

from fanarchive.domain.exports._labels import chapter_heading, preface_rows, related_item
from fanarchive.domain.exports.context import ExportContext
from fanarchive.domain.languages import language_tag
from fanarchive.domain.sanitize import sanitize_html
from fanarchive.domain.work import ParsedWork
from fanarchive.domain.xml_text import xml_safe

STYLE = """body{font-family:Georgia,serif;max-width:42em;margin:2em auto;padding:0 1em;line-height:1.6}
dl.tags dt{font-weight:bold}dl.tags dd{margin:0 0 .5em 1.5em}.userstuff p{margin:0 0 1em}
blockquote.userstuff{border-left:3px solid #ccc;margin:.5em 0 1em;padding-left:1em}.center{text-align:center}
h2.heading{margin-top:2.5em}.endnotes{border-top:1px solid #ccc;margin-top:2em}"""


def _block(title: str, html: str | None, css: str = "") -> str:
    html = sanitize_html(html)
    if not html.strip():
        return ""
    return (
        f'<div class="{css}"><p>{escape(title)}</p><blockquote class="userstuff">{html}</blockquote></div>\n'
    )


def write_html(work: ParsedWork, context: ExportContext, out: BinaryIO) -> None:
    def put(text: str) -> None:
        # Controls are parse errors in HTML too, the PDF is written from this file through an XML
        # tree, and a lone surrogate cannot be encoded at all.
        out.write(xml_safe(text).encode("utf-8"))

    lang = language_tag(work.language or "") or "en"
    put(f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="UTF-8">\n')
    put(f"<title>{escape(work.title)}</title>\n")
    for author in work.authors:
        put(f'<meta name="author" content="{escape(author)}">\n')
    put(f"<style>{STYLE}</style>\n</head>\n<body>\n")
    put('<div id="preface">\n<p class="message">')
    put(
        f'<a href="{escape(context.work_url)}">{escape(context.work_url)}</a> on {escape(context.archive_name)}</p>\n'
    )
    put('<div class="meta">\n<dl class="tags">\n')
    for label, text in preface_rows(work):
        put(f"<dt>{escape(label)}:</dt>\n<dd>{escape(text)}</dd>\n")
    put("</dl>\n")
    put(f'<h1>{escape(work.title)}</h1>\n<div class="byline">by {escape(", ".join(work.authors))}</div>\n')
    put(_block("Summary", work.summary))
    put(_block("Notes", work.notes))
    put('</div>\n</div>\n<div id="chapters" class="userstuff">\n')
    total = len(work.chapters)
    for chapter in work.chapters:
        put('<div class="meta group">\n')
        if total > 1 or chapter.title:
            put(f'<h2 class="heading">{escape(chapter_heading(chapter.number, chapter.title, total))}</h2>\n')
        put(_block("Chapter Summary", chapter.summary))
        put(_block("Chapter Notes", chapter.notes))
        put(f'</div>\n<div class="userstuff">{sanitize_html(chapter.html)}</div>\n')
        put(_block("Chapter End Notes", chapter.end_notes, "endnotes"))
    put('</div>\n<div id="afterword">\n')
    put(_block("End Notes", work.end_notes, "endnotes"))
    if work.related:
        put('<div class="related"><p>Related works</p><ul>')
        for related in work.related:
            put(f"<li>{related_item(related)}</li>")
        put("</ul></div>\n")
    put(
        f'<p class="message">Downloaded from <a href="{escape(context.work_url)}">{escape(context.archive_name)}</a></p>\n'
    )
    put("</div>\n</body>\n</html>\n")
