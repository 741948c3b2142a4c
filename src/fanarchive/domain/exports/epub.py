"""EPUB 3 (with an NCX for older readers), written chapter by chapter straight into the zip so that a
long work never sits whole in memory. Checked by epubcheck in the tests."""

from __future__ import annotations

import datetime as dt
import zipfile
from html import escape
from typing import BinaryIO

from fanarchive.domain.exports._labels import chapter_heading, preface_rows, related_item, tag_rows
from fanarchive.domain.exports._xhtml import to_xhtml
from fanarchive.domain.exports.context import ExportContext
from fanarchive.domain.languages import language_tag
from fanarchive.domain.sanitize import sanitize_html
from fanarchive.domain.text import html_to_text
from fanarchive.domain.work import ParsedWork
from fanarchive.domain.xml_text import xml_safe

STYLE = """body{font-family:serif;line-height:1.5;margin:0 1em}p{margin:0 0 .8em}
.center{text-align:center}.align-center{text-align:center}.align-right{text-align:right}
blockquote{margin:.5em 0 1em 1em;padding-left:.8em;border-left:2px solid #999}
dt{font-weight:bold}dd{margin:0 0 .4em 1.2em}h1,h2{line-height:1.2}.big{font-size:larger}
span.p,span.div,span.blockquote,span.ul,span.ol,span.li,span.dl,span.pre,span.table{display:block}"""

CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>
"""


def _page(title: str, lang: str, body: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="{lang}" xml:lang="{lang}">\n'
        f'<head><meta charset="UTF-8"/><title>{escape(title)}</title>'
        '<link rel="stylesheet" type="text/css" href="style.css"/></head>\n'
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def _section(title: str, html: str | None, css: str, ids: set[str]) -> str:
    body = to_xhtml(html, ids)
    if not body:
        return ""
    return f'<section class="{css}"><h3>{escape(title)}</h3><blockquote>{body}</blockquote></section>\n'


def _preface(work: ParsedWork, context: ExportContext) -> str:
    ids: set[str] = set()
    rows = "".join(
        f"<dt>{escape(label)}:</dt><dd>{escape(text)}</dd>\n" for label, text in preface_rows(work)
    )
    return (
        f'<section epub:type="titlepage" class="preface"><h1>{escape(work.title)}</h1>\n'
        f'<p class="byline">by {escape(", ".join(work.authors))}</p>\n'
        f'<p class="message"><a href="{escape(context.work_url)}">{escape(context.work_url)}</a>'
        f" on {escape(context.archive_name)}</p>\n<dl>\n{rows}</dl>\n"
        + _section("Summary", work.summary, "summary", ids)
        + _section("Notes", work.notes, "notes", ids)
        + "</section>"
    )


def _opf(
    work: ParsedWork, context: ExportContext, lang: str, chapter_files: list[str], afterword: bool
) -> str:
    modified = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    meta = [
        f'<dc:identifier id="uid">{escape(context.identifier)}</dc:identifier>',
        f"<dc:title>{escape(work.title)}</dc:title>",
        f"<dc:language>{escape(lang)}</dc:language>",
        f'<meta property="dcterms:modified">{modified}</meta>',
        f"<dc:source>{escape(context.work_url)}</dc:source>",
        f"<dc:publisher>{escape(context.archive_name)}</dc:publisher>",
    ]
    meta += [
        f'<dc:creator id="creator{i}">{escape(name)}</dc:creator>' for i, name in enumerate(work.authors)
    ]
    if work.published:
        meta.append(f"<dc:date>{escape(work.published)}</dc:date>")
    if work.summary:
        meta.append(f"<dc:description>{escape(html_to_text(sanitize_html(work.summary)))}</dc:description>")
    meta += [f"<dc:subject>{escape(name)}</dc:subject>" for _k, _l, names in tag_rows(work) for name in names]
    for index, series in enumerate(work.series):
        meta.append(
            f'<meta property="belongs-to-collection" id="series{index}">{escape(series.title)}</meta>'
        )
        meta.append(f'<meta refines="#series{index}" property="collection-type">series</meta>')
        if series.position:
            meta.append(f'<meta refines="#series{index}" property="group-position">{series.position}</meta>')
    files = ["preface.xhtml", *chapter_files] + (["afterword.xhtml"] if afterword else [])
    items = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>',
        '<item id="css" href="style.css" media-type="text/css"/>',
    ]
    items += [
        f'<item id="f{i}" href="{name}" media-type="application/xhtml+xml"/>' for i, name in enumerate(files)
    ]
    spine = "".join(f'<itemref idref="f{i}"/>' for i in range(len(files)))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" xml:lang="en">\n'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n' + "\n".join(meta) + "\n</metadata>\n"
        "<manifest>\n" + "\n".join(items) + f'\n</manifest>\n<spine toc="ncx">{spine}</spine>\n</package>\n'
    )


def _navigation(
    work: ParsedWork, context: ExportContext, lang: str, entries: list[tuple[str, str]]
) -> tuple[str, str]:
    items = "".join(f'<li><a href="{href}">{escape(label)}</a></li>' for href, label in entries)
    first_chapter = entries[1][0] if len(entries) > 1 else entries[0][0]
    nav = _page(
        work.title,
        lang,
        f'<nav epub:type="toc" id="toc"><h1>Contents</h1><ol>{items}</ol></nav>\n'
        f'<nav epub:type="landmarks" hidden=""><ol><li><a epub:type="titlepage" href="preface.xhtml">Preface</a></li>'
        f'<li><a epub:type="bodymatter" href="{first_chapter}">Start</a></li></ol></nav>',
    )
    points = "".join(
        f'<navPoint id="p{i}" playOrder="{i + 1}"><navLabel><text>{escape(label)}</text></navLabel>'
        f'<content src="{href}"/></navPoint>'
        for i, (href, label) in enumerate(entries)
    )
    ncx = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">\n'
        f'<head><meta name="dtb:uid" content="{escape(context.identifier)}"/><meta name="dtb:depth" content="1"/>'
        '<meta name="dtb:totalPageCount" content="0"/><meta name="dtb:maxPageNumber" content="0"/></head>\n'
        f"<docTitle><text>{escape(work.title)}</text></docTitle>\n<navMap>{points}</navMap>\n</ncx>\n"
    )
    return nav, ncx


def _put(book: zipfile.ZipFile, name: str, document: str) -> None:
    """Every text file of the book goes in through here, less what XML 1.0 forbids: a control
    character in a title or chapter would otherwise make the file ill-formed, and one strip of the
    finished document covers every field, heading, label and attribute written into it."""
    book.writestr(name, xml_safe(document))


def write_epub(work: ParsedWork, context: ExportContext, out: BinaryIO) -> None:
    lang = language_tag(work.language or "") or "en"
    total = len(work.chapters)
    chapter_files = [f"chapter-{i:04d}.xhtml" for i in range(1, total + 1)]
    afterword = bool(work.end_notes or work.related)
    entries = [("preface.xhtml", "Preface")]
    entries += [
        (name, chapter_heading(c.number, c.title, total))
        for name, c in zip(chapter_files, work.chapters, strict=True)
    ]
    if afterword:
        entries.append(("afterword.xhtml", "Afterword"))
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as book:
        book.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        _put(book, "META-INF/container.xml", CONTAINER)
        _put(book, "OEBPS/style.css", STYLE)
        _put(book, "OEBPS/preface.xhtml", _page(work.title, lang, _preface(work, context)))
        for name, chapter in zip(chapter_files, work.chapters, strict=True):
            heading = chapter_heading(chapter.number, chapter.title, total)
            ids: set[str] = set()
            body = (
                f'<section epub:type="chapter" class="chapter"><h2>{escape(heading)}</h2>\n'
                + _section("Chapter Summary", chapter.summary, "summary", ids)
                + _section("Chapter Notes", chapter.notes, "notes", ids)
                + f'<div class="userstuff">{to_xhtml(chapter.html, ids)}</div>\n'
                + _section("Chapter End Notes", chapter.end_notes, "endnotes", ids)
                + "</section>"
            )
            _put(book, f"OEBPS/{name}", _page(heading, lang, body))
        if afterword:
            related = "".join(f"<li>{related_item(r)}</li>" for r in work.related)
            body = (
                '<section epub:type="afterword"><h2>Afterword</h2>\n'
                + _section("End Notes", work.end_notes, "endnotes", set())
                + (f"<h3>Related works</h3><ul>{related}</ul>" if related else "")
                + "</section>"
            )
            _put(book, "OEBPS/afterword.xhtml", _page("Afterword", lang, body))
        nav, ncx = _navigation(work, context, lang, entries)
        _put(book, "OEBPS/nav.xhtml", nav)
        _put(book, "OEBPS/toc.ncx", ncx)
        _put(book, "OEBPS/content.opf", _opf(work, context, lang, chapter_files, afterword))
