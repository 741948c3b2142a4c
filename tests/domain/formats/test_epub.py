from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from fanarchive.domain.formats import _epub_container
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.formats.detect import detect
from fanarchive.domain.formats.epub import AO3EpubParser, EpubParser, FanFicFareEpubParser
from fanarchive.domain.text import html_to_text
from fanarchive.domain.work import SeriesRef, Source
from support.epub_builder import CONTAINER, generic_book, pack, pack_dir, page


def test_ao3_calibre_epub_follows_the_spine(
    fixtures_dir: Path, assert_valid_works: Callable[..., dict]
) -> None:
    source = SourceFile("salt.epub", pack_dir(fixtures_dir / "epub" / "ao3-calibre"))
    assert detect(source).name == "ao3-epub"
    [work] = AO3EpubParser().parse(source)
    assert_valid_works([work])
    assert (work.title, work.authors, work.language) == ("Salt in the Gears", ["Ilse Ruddock"], "English")
    assert work.tags == {
        "rating": ["Mature"],
        "warning": ["No Archive Warnings Apply"],
        "category": ["F/F"],
        "fandom": ["Clockwork Sea (Video Game)"],
        "relationship": ["Hesper Coil/Nadia Voss"],
        "character": ["Hesper Coil", "Nadia Voss"],
        "freeform": ["Mechanics", "Submarines"],
    }
    assert (work.published, work.updated, work.status, work.chapters_expected) == (
        "2024-02-14",
        "2024-03-01",
        "in-progress",
        3,
    )
    assert work.stats == {"words": 36, "chapters": 2}
    # File names and manifest order say otherwise; the spine puts Brass before Rust.
    assert [(c.number, c.title) for c in work.chapters] == [(1, "Brass"), (2, "Rust")]
    assert [c.words for c in work.chapters] == [16, 20]
    assert [(html_to_text(c.summary or ""), html_to_text(c.notes or ""), html_to_text(c.end_notes or ""))
            for c in work.chapters] == [
        ("", "Set before the game's second act.", "The drip will matter."),
        ("Nadia brings a lamp.", "", ""),
    ]  # fmt: skip
    assert html_to_text(work.chapters[1].html) == (
        "Nadia held the lamp high while Hesper swore at the valve in three languages.\n“Again,” Nadia said, and she laughed."
    )
    assert html_to_text(work.summary or "") == "Two engineers, one leaking hull."
    assert html_to_text(work.end_notes or "") == "Chapter three is half written."
    assert work.source == Source(
        "ao3-epub", "archiveofourown.org", "https://archiveofourown.org/works/60010203", "60010203"
    )
    assert work.doubts == []


def test_fanficfare_epub(fixtures_dir: Path, assert_valid_works: Callable[..., dict]) -> None:
    source = SourceFile("cartographer.epub", pack_dir(fixtures_dir / "epub" / "fanficfare"))
    assert detect(source).name == "fanficfare-epub"
    [work] = FanFicFareEpubParser().parse(source)
    assert_valid_works([work])
    assert (work.title, work.authors, work.language) == (
        "The Cartographer's Apprentice",
        ["quillmoth"],
        "English",
    )
    assert work.tags == {
        "rating": ["Teen And Up Audiences"],
        "warning": ["Graphic Depictions Of Violence"],
        "category": [],
        "fandom": ["Inkwell Isles"],
        "relationship": ["Tamsin Reed & Old Gallow"],
        "character": ["Tamsin Reed", "Old Gallow"],
        "freeform": ["Adventure", "Mystery", "Peril"],
    }
    assert (work.status, work.published, work.updated) == ("in-progress", "2019-07-04", "2019-08-20")
    assert work.stats == {"chapters": 2, "words": 3021, "reviews": 17}
    assert work.summary == "<p>Maps lie. Tamsin means to find out <em>why</em>.</p>"
    # The series link on the title page is the `Series URL` FanFicFare's TXT writes as a line.
    assert work.series == [
        SeriesRef("Inkwell Charts", 1, "http://www.fictionvault.example/viewseries.php?seriesid=5")
    ]
    # Title page, table of contents and update log are not chapters.
    assert [(c.number, c.title) for c in work.chapters] == [(1, "North of the Ink"), (2, "The Blank Quarter")]
    assert html_to_text(work.chapters[1].html) == (
        "The blank quarter of the map was not blank at all—only written in white ink.\nBy lamplight, the coastline appeared."
    )
    assert [c.words for c in work.chapters] == [21, 21]
    assert work.metadata == {"Packaged": "2024-01-05 10:12:44"}
    assert work.source == Source(
        "fanficfare-epub",
        "fictionvault.example",
        "http://www.fictionvault.example/viewstory.php?sid=4242",
        "4242",
    )


def test_generic_epub_one_chapter_per_spine_document(assert_valid_works: Callable[..., dict]) -> None:
    files = generic_book(
        spine=["cover.xhtml", "b.xhtml", "a.xhtml"],
        docs={
            "a.xhtml": "<h1>Second Light</h1><p>The second lamp burned green.</p>",
            "b.xhtml": "<h2>First Light</h2><p>The first lamp burned red.</p><p>It smoked.</p>",
            "cover.xhtml": "<div><br/></div>",
        },
        metadata="<dc:title>Three Lamps</dc:title><dc:creator>Odile Fenn</dc:creator><dc:language>fr</dc:language>"
        "<dc:subject>Lamps</dc:subject><dc:description>Lamps, and the people who light them.</dc:description>"
        "<dc:date>2020-03-04T00:00:00Z</dc:date>",
    )
    source = SourceFile("lamps.epub", pack(files))
    assert detect(source).name == "epub"
    assert EpubParser().sniff(source) == 0.5
    assert AO3EpubParser().sniff(source) == 0.0
    assert FanFicFareEpubParser().sniff(source) == 0.0
    [work] = EpubParser().parse(source)
    assert_valid_works([work])
    assert (work.title, work.authors, work.language, work.published) == (
        "Three Lamps",
        ["Odile Fenn"],
        "fr",
        "2020-03-04",
    )
    assert work.summary == "<p>Lamps, and the people who light them.</p>"
    assert work.tags["freeform"] == ["Lamps"]
    assert [(c.number, c.title, html_to_text(c.html), c.words) for c in work.chapters] == [
        (1, "First Light", "The first lamp burned red.\nIt smoked.", 7),
        (2, "Second Light", "The second lamp burned green.", 5),
    ]
    assert work.source == Source("epub", None, None, None)
    assert len(work.doubts) == 1 and work.doubts[0].startswith("Read as a generic EPUB")


def test_epub_parser_recognises_the_specific_kinds(fixtures_dir: Path) -> None:
    for folder, expected in (("ao3-calibre", "ao3-epub"), ("fanficfare", "fanficfare-epub")):
        [work] = EpubParser().parse(SourceFile("x.epub", pack_dir(fixtures_dir / "epub" / folder)))
        assert work.source.format == expected


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04" + b"\x00" * 26 + b"mimetypeapplication/epub+zip" + b"\xff" * 40, "not a readable zip"),
        (pack({"hello.txt": "hi"}, mimetype=False), "not an EPUB: it has no META-INF/container.xml"),
        (
            pack({"META-INF/container.xml": CONTAINER.format(opf="OEBPS/content.opf")}),
            "'OEBPS/content.opf' is missing",
        ),
        (pack({"META-INF/container.xml": "<container/>"}), "names no OPF package"),
    ],
)
def test_broken_epubs(data: bytes, message: str) -> None:
    source = SourceFile("broken.epub", data)
    assert detect(source).name == "epub"
    with pytest.raises(ParseError, match=message):
        EpubParser().parse(source)


def test_spine_pointing_at_a_missing_file() -> None:
    files = generic_book(["a.xhtml"], {"a.xhtml": "<p>Here.</p>"}, "<dc:title>Gone</dc:title>")
    del files["book/a.xhtml"]
    with pytest.raises(
        ParseError, match=re.escape("the spine points at 'book/a.xhtml', which the zip lacks")
    ):
        EpubParser().parse(SourceFile("gone.epub", pack(files)))


def test_epub_without_text_or_title() -> None:
    empty = generic_book(["a.xhtml"], {"a.xhtml": "<div></div>"}, "<dc:title>Blank</dc:title>")
    with pytest.raises(ParseError, match="no document with text"):
        EpubParser().parse(SourceFile("blank.epub", pack(empty)))
    untitled = generic_book(["a.xhtml"], {"a.xhtml": "<p>Words.</p>"}, "")
    with pytest.raises(ParseError, match="no dc:title"):
        EpubParser().parse(SourceFile("untitled.epub", pack(untitled)))


def _patched_member(data: bytes, name: str, patch: Callable[[bytearray, int, int], None]) -> bytes:
    """`data` with `patch(buffer, local_header_offset, central_header_offset)` applied for `name`."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        info = book.getinfo(name)
    buffer = bytearray(data)
    name_bytes = name.encode()
    central = next(
        at for at in _all(buffer, b"PK\x01\x02") if buffer[at + 46 : at + 46 + len(name_bytes)] == name_bytes
    )
    patch(buffer, info.header_offset, central)
    return bytes(buffer)


def _all(buffer: bytearray, needle: bytes) -> list[int]:
    found, at = [], buffer.find(needle)
    while at >= 0:
        found.append(at)
        at = buffer.find(needle, at + 1)
    return found


def _lamp_book() -> bytes:
    files = generic_book(
        ["a.xhtml"], {"a.xhtml": "<p>The lamp burned. " * 50 + "</p>"}, "<dc:title>Lamp</dc:title>"
    )
    return pack(files)


def _damage_stream(buffer: bytearray, local: int, _central: int) -> None:
    start = local + 30 + int.from_bytes(buffer[local + 26 : local + 28], "little")
    start += int.from_bytes(buffer[local + 28 : local + 30], "little")
    buffer[start] = 0xFF  # deflate block type 3: reserved, never valid


def _encrypt_flag(buffer: bytearray, local: int, central: int) -> None:
    buffer[local + 6] |= 1
    buffer[central + 8] |= 1


def _unknown_method(buffer: bytearray, local: int, central: int) -> None:
    buffer[local + 8 : local + 10] = (99).to_bytes(2, "little")
    buffer[central + 10 : central + 12] = (99).to_bytes(2, "little")


@pytest.mark.parametrize(
    ("patch", "problem"),
    [
        (_damage_stream, "invalid block type"),
        (_encrypt_flag, "encrypted"),
        (_unknown_method, "not supported"),
    ],
)
def test_members_that_cannot_be_unpacked_give_a_parse_error(
    patch: Callable[[bytearray, int, int], None], problem: str
) -> None:
    source = SourceFile("lamp.epub", _patched_member(_lamp_book(), "book/a.xhtml", patch))
    assert detect(source).name == "epub"  # sniffing never raises
    assert AO3EpubParser().sniff(source) == 0.0 and FanFicFareEpubParser().sniff(source) == 0.0
    with pytest.raises(ParseError, match=rf"spine document 'book/a.xhtml' cannot be unpacked: .*{problem}"):
        EpubParser().parse(source)


def test_zip_bombs_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = generic_book(
        ["a.xhtml"], {"a.xhtml": "<p>" + " " * (3 * 1024 * 1024) + "boom</p>"}, "<dc:title>B</dc:title>"
    )
    with pytest.raises(ParseError, match=r"'book/a.xhtml' claims to unpack .* more than 200 times its size"):
        EpubParser().parse(SourceFile("bomb.epub", pack(bomb)))
    # Many modest members: the total is capped (made small here so the test stays small).
    monkeypatch.setattr(_epub_container, "_MAX_TOTAL", 4000)
    docs = {f"c{n}.xhtml": f"<p>Chapter {n} of the long one. " * 20 + "</p>" for n in range(8)}
    with pytest.raises(ParseError, match="the EPUB unpacks to more than 0 MB in all"):
        EpubParser().parse(
            SourceFile("many.epub", pack(generic_book(list(docs), docs, "<dc:title>M</dc:title>")))
        )


def test_a_document_the_spine_names_twice_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    files = generic_book(
        ["a.xhtml"], {"a.xhtml": "<p>" + "Once upon a tide. " * 100 + "</p>"}, "<dc:title>Once</dc:title>"
    )
    opf = str(files["book/package.opf"])
    files["book/package.opf"] = opf.replace(
        "</manifest>", '<item id="again" href="a.xhtml" media-type="application/xhtml+xml"/></manifest>'
    ).replace("</spine>", '<itemref idref="again"/><itemref idref="i0"/></spine>')
    size = len(page("<p>" + "Once upon a tide. " * 100 + "</p>").encode())
    # Room for the container, the OPF and the document once, not twice.
    monkeypatch.setattr(_epub_container, "_MAX_TOTAL", size + 3000)
    [work] = EpubParser().parse(SourceFile("once.epub", pack(files)))
    assert [(c.number, c.words) for c in work.chapters] == [(1, 400)]


def _fixture_files(folder: Path) -> dict[str, bytes | str]:
    return {
        f.relative_to(folder).as_posix(): f.read_bytes() for f in sorted(folder.rglob("*")) if f.is_file()
    }


def test_fanficfare_epub_numbers_are_positions(
    fixtures_dir: Path, assert_valid_works: Callable[..., dict]
) -> None:
    """FanFicFare's "N. " is dropped only where N is the chapter's position; a number that is not
    (a site's own "0. ") stays part of the title, and chapters are numbered by their place."""
    files = _fixture_files(fixtures_dir / "epub" / "fanficfare")
    chapter = str(files["OEBPS/file0001.xhtml"], "utf-8").replace(
        "1. North of the Ink", "0. North of the Ink"
    )
    title_page = str(files["OEBPS/title_page.xhtml"], "utf-8")
    files["OEBPS/file0001.xhtml"] = chapter
    files["OEBPS/title_page.xhtml"] = title_page.replace("In-Progress", "Completed").replace(
        "<b>Chapters:</b> 2", "<b>Chapters:</b> 0"
    )
    [work] = FanFicFareEpubParser().parse(SourceFile("zero.epub", pack(files)))
    assert_valid_works([work])
    assert [(c.number, c.title) for c in work.chapters] == [
        (1, "0. North of the Ink"),
        (2, "The Blank Quarter"),
    ]
    assert (work.status, work.chapters_expected) == ("complete", None)
