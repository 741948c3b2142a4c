"""Download writers: each turns a ParsedWork into a file, written to a binary stream."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from fanarchive.domain.exports.calibre import INSTALL_HINT, calibre_available, write_azw3, write_mobi
from fanarchive.domain.exports.context import ExportContext
from fanarchive.domain.exports.epub import write_epub
from fanarchive.domain.exports.html import write_html
from fanarchive.domain.exports.pdf import PDF_HINT, pdf_available, write_pdf
from fanarchive.domain.exports.txt import write_txt
from fanarchive.domain.work import ParsedWork

Writer = Callable[[ParsedWork, ExportContext, BinaryIO], None]


def _always() -> bool:
    return True


@dataclass(frozen=True)
class ExportFormat:
    name: str
    extension: str
    media_type: str
    label: str
    write: Writer
    # Asked at the moment of use, so that installing calibre needs no restart.
    available: Callable[[], bool] = _always
    # What to tell someone who asks for the format when it is not available.
    unavailable_hint: str = ""


# In the order readers should prefer them.
EXPORT_FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("epub", "epub", "application/epub+zip", "EPUB", write_epub),
        ExportFormat("pdf", "pdf", "application/pdf", "PDF", write_pdf, pdf_available, PDF_HINT),
        ExportFormat("html", "html", "text/html; charset=utf-8", "HTML", write_html),
        ExportFormat("txt", "txt", "text/plain; charset=utf-8", "Plain text", write_txt),
        ExportFormat(
            "azw3",
            "azw3",
            "application/vnd.amazon.ebook",
            "AZW3",
            write_azw3,
            calibre_available,
            INSTALL_HINT,
        ),
        ExportFormat(
            "mobi",
            "mobi",
            "application/x-mobipocket-ebook",
            "MOBI",
            write_mobi,
            calibre_available,
            INSTALL_HINT,
        ),
    )
}


def available_formats() -> list[ExportFormat]:
    return [f for f in EXPORT_FORMATS.values() if f.available()]


__all__ = ["EXPORT_FORMATS", "ExportContext", "ExportFormat", "available_formats"]
