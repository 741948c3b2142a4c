"""A work full of characters XML 1.0 forbids still makes a well-formed EPUB (and HTML/TXT that can
be encoded): control characters and lone surrogates come in with imported titles and text."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from tests.domain.exports.epubcheck import epubcheck
from tests.domain.exports.samples import tidy_work

from fanarchive.domain.exports import ExportContext
from fanarchive.domain.exports.epub import write_epub
from fanarchive.domain.exports.html import write_html
from fanarchive.domain.exports.txt import write_txt
from fanarchive.domain.work import ParsedWork, SeriesRef

CONTEXT = ExportContext(work_url="https://archive.example/works/7", archive_name="Harbour\x0b Archive")
BAD = "\x00\x01\x08\x0b\x0c\x0e\x1b\x1f\ud800\udfff\ufffe\uffff"


def control_work() -> ParsedWork:
    work = tidy_work()
    work.title = f"Storm{BAD} Damage"
    work.authors = [f"quiet{BAD}harbour", "Ferris Lane"]
    work.summary = f"<p>Ada{BAD} keeps the light.</p>"
    work.notes = f"<p title='a{BAD}b'>Notes{BAD}</p>"
    work.end_notes = f"<p>End{BAD}</p>"
    for kind, names in work.tags.items():
        work.tags[kind] = [f"{name}{BAD}" for name in names]
    work.series = [SeriesRef(title=f"Tides{BAD}", position=1)]
    for chapter in work.chapters:
        chapter.title = f"Low{BAD} Tide"
        chapter.summary = f"<p>Wet{BAD}</p>"
        chapter.notes = f"<p>Map{BAD}</p>"
        chapter.end_notes = f"<p>After{BAD}</p>"
        chapter.html = f"<p>The{BAD} ledger <em>came{BAD}</em> ashore.</p><p>{BAD}</p>"
    return work


def _epub_bytes(work: ParsedWork) -> bytes:
    out = io.BytesIO()
    write_epub(work, CONTEXT, out)
    return out.getvalue()


def test_every_xml_file_of_the_epub_is_well_formed_and_keeps_the_words() -> None:
    book = zipfile.ZipFile(io.BytesIO(_epub_bytes(control_work())))
    names = [n for n in book.namelist() if n.endswith((".xhtml", ".opf", ".ncx", ".xml"))]
    assert len(names) >= 7
    for name in names:
        etree.fromstring(book.read(name))  # raises on an ill-formed file
    opf = etree.fromstring(book.read("OEBPS/content.opf"))
    assert opf.findtext(".//{http://purl.org/dc/elements/1.1/}title") == "Storm Damage"
    chapter = book.read("OEBPS/chapter-0001.xhtml").decode()
    assert "The ledger <em>came</em> ashore." in chapter


def test_html_and_txt_downloads_are_encodable_and_clean() -> None:
    for writer in (write_html, write_txt):
        out = io.BytesIO()
        writer(control_work(), CONTEXT, out)
        text = out.getvalue().decode("utf-8")
        # TXT wraps with textwrap, which reads \x0b and \x0c as spaces before the strip sees them.
        assert "Storm Damage" in " ".join(text.split())
        assert not any(ch in text for ch in BAD), writer


@pytest.mark.slow
def test_epubcheck_accepts_a_work_full_of_control_characters(tmp_path: Path) -> None:
    path = tmp_path / "controls.epub"
    path.write_bytes(_epub_bytes(control_work()))
    assert epubcheck([path]) == {"controls.epub": []}
