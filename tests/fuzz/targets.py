"""One fuzz target per reader: bytes in, and the only way out besides works is a documented parse
error (ParseError and its LimitExceeded, DecodeError). Anything else is a crash to fix.

Shared by the coverage-guided driver (run.py, atheris) and the pytest that replays every saved
crash (test_regressions.py)."""

from __future__ import annotations

from pathlib import Path

from fanarchive.domain.formats.base import ParseError, Parser, SourceFile
from fanarchive.domain.formats.registry import all_parsers
from fanarchive.domain.text import DecodeError

# What a reader may raise on bad input (docs and domain/formats/base.py): anything else is a bug.
DOCUMENTED_ERRORS: tuple[type[Exception], ...] = (ParseError, DecodeError)

FUZZ = Path(__file__).resolve().parent
REGRESSIONS = FUZZ / "regressions"
FIXTURES = FUZZ.parent / "fixtures"

# The file name a reader sees: some look at the suffix (eFiction dumps, Markdown, DOCX, ODT, EPUB).
SUFFIXES = {
    "ao3-html": "html",
    "ao3-page": "html",
    "ao3-text": "txt",
    "docx": "docx",
    "efiction-dump": "sql",
    "efiction-html": "html",
    "efiction-text": "txt",
    "ao3-epub": "epub",
    "fanficfare-epub": "epub",
    "epub": "epub",
    "fanarchive-txt": "txt",
    "fanficfare-html": "html",
    "fanficfare-txt": "txt",
    "ffn-html": "html",
    "ffn-mirror-text": "txt",
    "html": "html",
    "markdown": "md",
    "odt": "odt",
    "plain-text": "txt",
    "tumblr-json": "json",
    "tumblr-text": "txt",
    "work-json": "json",
}


def parsers() -> dict[str, Parser]:
    return {parser.name: parser for parser in all_parsers()}


def run_one(parser: Parser, data: bytes) -> None:
    """Feed `data` to `parser` as a file of its kind; documented errors are fine, others escape."""
    source = SourceFile(name=f"fuzz.{SUFFIXES.get(parser.name, 'txt')}", data=data)
    try:
        parser.sniff(source)
        parser.parse(source)
    except DOCUMENTED_ERRORS:
        pass


def seeds() -> list[bytes]:
    """The project's own fixtures, text and packed e-books and documents alike: every reader starts
    from all of them, so each also learns what the others' files look like."""
    from support import docx_builder, epub_builder, odt_builder

    found = [
        path.read_bytes()
        for path in sorted(FIXTURES.rglob("*"))
        if path.is_file() and "epub" not in path.parts
    ]
    found += [
        epub_builder.pack_dir(folder) for folder in sorted((FIXTURES / "epub").iterdir()) if folder.is_dir()
    ]
    found += [docx_builder.styled_document(), docx_builder.page_break_document()]
    found += [odt_builder.styled_document(), odt_builder.page_break_document()]
    return [data for data in found if len(data) < 200_000]
