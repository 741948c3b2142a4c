from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from tests.domain.exports.epubcheck import epubcheck
from tests.domain.exports.samples import nasty_work, tidy_work

from fanarchive.bench.long_work import long_work
from fanarchive.domain.exports import ExportContext
from fanarchive.domain.exports.epub import write_epub
from fanarchive.domain.work import ParsedWork

CONTEXT = ExportContext(work_url="https://archive.example/works/7", archive_name="Harbour Archive")
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}


def _epub(work: ParsedWork, context: ExportContext = CONTEXT) -> zipfile.ZipFile:
    out = io.BytesIO()
    write_epub(work, context, out)
    return zipfile.ZipFile(io.BytesIO(out.getvalue()))


def _xml(book: zipfile.ZipFile, name: str) -> etree._Element:
    return etree.fromstring(book.read(name))


def _text(book: zipfile.ZipFile, name: str) -> str:
    """The body's text, a space between the texts of elements, as a reader would see the words."""
    body = _xml(book, name).find("x:body", NS)
    return " ".join(" ".join(body.itertext()).split())


def test_layout_and_package_metadata() -> None:
    book = _epub(tidy_work())
    assert book.namelist() == [
        "mimetype", "META-INF/container.xml", "OEBPS/style.css", "OEBPS/preface.xhtml",
        "OEBPS/chapter-0001.xhtml", "OEBPS/chapter-0002.xhtml", "OEBPS/afterword.xhtml",
        "OEBPS/nav.xhtml", "OEBPS/toc.ncx", "OEBPS/content.opf",
    ]  # fmt: skip
    assert book.read("mimetype") == b"application/epub+zip"
    assert book.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
    opf = _xml(book, "OEBPS/content.opf")
    meta = opf.find("opf:metadata", NS)

    def dc(name: str) -> list[str]:
        return [e.text or "" for e in meta.findall(f"dc:{name}", NS)]

    assert dc("title") == ["The Keeper's Ledger"]
    assert dc("creator") == ["quietharbour", "Ferris Lane"]
    assert dc("language") == ["en"]
    assert dc("source") == ["https://archive.example/works/7"]
    assert dc("date") == ["2023-01-05"]
    assert dc("description") == ["Ada keeps the light; Mira keeps the accounts."]
    assert dc("subject") == [
        "Teen And Up Audiences", "No Archive Warnings Apply", "F/F", "Saltmarsh Chronicles",
        "Ada Renner/Mira Quell", "Ada Renner", "Mira Quell", "Lighthouses", "Slow Burn",
    ]  # fmt: skip
    assert dc("identifier") == ["urn:uuid:" + CONTEXT.identifier.removeprefix("urn:uuid:")]
    properties = {(m.get("property"), m.get("refines")): m.text for m in meta.findall("opf:meta", NS)}
    assert properties[("belongs-to-collection", None)] == "Ledgers of the Coast"
    assert properties[("collection-type", "#series0")] == "series"
    assert properties[("group-position", "#series0")] == "2"
    spine = [ref.get("idref") for ref in opf.find("opf:spine", NS)]
    manifest = {item.get("id"): item.get("href") for item in opf.find("opf:manifest", NS)}
    assert [manifest[i] for i in spine] == [
        "preface.xhtml", "chapter-0001.xhtml", "chapter-0002.xhtml", "afterword.xhtml",
    ]  # fmt: skip
    nav = _xml(book, "OEBPS/nav.xhtml")
    assert [a.text for a in nav.findall(".//x:nav[@id='toc']//x:a", NS)] == [
        "Preface", "Chapter 1: Low Tide", "Chapter 2: High Water", "Afterword",
    ]  # fmt: skip
    ncx = _xml(book, "OEBPS/toc.ncx")
    assert [t.text for t in ncx.findall(".//ncx:navLabel/ncx:text", NS)][1] == "Chapter 1: Low Tide"


def test_preface_chapters_and_afterword_keep_every_note_in_its_place() -> None:
    book = _epub(tidy_work())
    preface = _text(book, "OEBPS/preface.xhtml")
    for expected in (
        "The Keeper's Ledger",
        "by quietharbour, Ferris Lane",
        "https://archive.example/works/7 on Harbour Archive",
        "Relationship: Ada Renner/Mira Quell",
        "Characters: Ada Renner, Mira Quell",
        "Series: Part 2 of Ledgers of the Coast",
        "Published: 2023-01-05 Completed: 2023-02-11 Words: 30 Chapters: 2/2 Comments: 3 Kudos: 42 Hits: 1,234",
        "Summary Ada keeps the light; Mira keeps the accounts. Notes Written for a winter exchange.",
    ):
        assert expected in preface
    first = _text(book, "OEBPS/chapter-0001.xhtml")
    assert first.endswith(
        "Chapter 1: Low Tide Chapter Summary The ledger arrives wet. "
        "Chapter Notes Before the chapter: a map would help. "
        "The ledger came ashore in a crate of herring. Ada dried it page by page. "
        "Chapter End Notes After the chapter: the map is in the next one."
    )
    assert _text(book, "OEBPS/chapter-0002.xhtml").endswith(
        "Chapter 2: High Water Mira read the columns aloud. 灯台の光が回っていた。"
    )
    assert _text(book, "OEBPS/afterword.xhtml").endswith(
        "Afterword End Notes Thank you for reading to the end. Related works Inspired by: Salt Accounts by Wren Calloway"
    )
    afterword = book.read("OEBPS/afterword.xhtml").decode()
    assert '<a href="https://example.org/works/9">Salt Accounts</a> by Wren Calloway' in afterword


def test_identifier_is_the_same_for_every_download_of_a_work() -> None:
    def identifier(context: ExportContext) -> str:
        opf = _xml(_epub(tidy_work(), context), "OEBPS/content.opf")
        return str(opf.findtext(".//dc:identifier", namespaces=NS))

    again = ExportContext(work_url="https://archive.example/works/7", archive_name="Other name")
    other = ExportContext(work_url="https://archive.example/works/8")
    assert identifier(CONTEXT) == identifier(again) != identifier(other)


def test_hostile_markup_is_removed_and_misplaced_markup_mended() -> None:
    book = _epub(nasty_work())
    raw = book.read("OEBPS/chapter-0001.xhtml").decode()
    for forbidden in ("<script", "onclick", "javascript:", "<img", "/works/3", "<center", "<font", "summary=", 'href="#nowhere"'):  # fmt: skip
        assert forbidden not in raw
    chapter = _xml(book, "OEBPS/chapter-0001.xhtml")
    assert chapter.xpath("//x:span/x:p | //x:span/x:div | //x:ul/x:p", namespaces=NS) == []
    assert [li.getparent().tag.split("}")[1] for li in chapter.iterfind(".//x:li", NS)] == [
        "ul",
        "ul",
        "ol",
    ] * 2
    assert chapter.xpath("//x:a[@id='note_one']/text()", namespaces=NS) == ["Anchor"]
    assert chapter.xpath("//x:a[@href='#note_one']", namespaces=NS) == []  # its target was renamed
    assert chapter.xpath("//x:a/@href", namespaces=NS).count("https://example.org/") == 2
    text = _text(book, "OEBPS/chapter-0001.xhtml")
    # Every word a reader could see survives, images as their alt text.
    for words in ("Opening line.", "bad link", "relative one", "a paragraph", "An item outside any list",
                  "[image: a lighthouse]", "[image]", "Centred", "Numbered", "Loose dd", "and italic"):  # fmt: skip
        assert words in text
    # The ids a fragment brings stay unique across the notes and text of one file.
    ids = chapter.xpath("//@id")
    assert len(ids) == len(set(ids))


def test_a_one_shot_is_headed_work_text_and_has_no_afterword() -> None:
    work = tidy_work()
    work.chapters = work.chapters[:1]
    work.chapters[0].title = None
    work.end_notes, work.related = None, []
    book = _epub(work)
    assert "OEBPS/afterword.xhtml" not in book.namelist()
    assert _text(book, "OEBPS/chapter-0001.xhtml").startswith(
        "Work Text Chapter Summary The ledger arrives wet."
    )


@pytest.mark.slow
def test_epubcheck_finds_nothing_in_tidy_hostile_and_very_long_works(tmp_path: Path) -> None:
    long = long_work()
    assert len(long.chapters) == 150 and 300_000 <= long.words < 310_000
    books = {"tidy.epub": tidy_work(), "nasty.epub": nasty_work(), "long.epub": long}
    for name, work in books.items():
        with (tmp_path / name).open("wb") as out:
            write_epub(work, CONTEXT, out)
    assert epubcheck([tmp_path / name for name in books]) == {name: [] for name in books}
