"""EPUBs re-packed by calibre: a cover page first, files split into `*_split_NNN.xhtml` (a book's
title alone in the first, a long chapter over two), toc.ncx pointing into the split files. No empty
chapter comes of them, and chapters are numbered by their place."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from fanarchive.domain.formats.base import SourceFile
from fanarchive.domain.formats.detect import detect
from fanarchive.domain.text import count_words, html_to_text
from fanarchive.domain.work import ParsedWork, SeriesRef
from support.calibre_repack import calibre_repack
from support.epub_builder import CONTAINER, generic_book, pack, pack_dir
from support.fanficfare_books import essentials, write_book


def _files(folder: Path) -> dict[str, bytes | str]:
    return {
        f.relative_to(folder).as_posix(): f.read_bytes() for f in sorted(folder.rglob("*")) if f.is_file()
    }


def _unpack(data: bytes) -> dict[str, bytes | str]:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return {name: book.read(name) for name in book.namelist() if name != "mimetype"}


def _read(name: str, data: bytes, expected_format: str) -> ParsedWork:
    source = SourceFile(name, data)
    parser = detect(source)
    assert parser.name == expected_format
    [work] = parser.parse(source)
    return work


_LAMPLIGHTERS = [
    (1, "Prologue", "Every lamp on Quay Street had a name, and Marguerite knew all of them."),
    (
        2,
        "Chapter 1",  # at position 2: the author's own numbering, kept as the title
        "The ladder was older than the town charter.\nJules carried it anyway, complaining at every rung.\n"
        "By the ninth lamp the snow had started, soft and sideways.\n\u201cNine more,\u201d Marguerite said. "
        "Jules groaned.".replace("\u201c", '"').replace("\u201d", '"'),
    ),
    (3, "Chapter 2: The Ferry", "The ferry lamp burned whale oil and smelled of it."),
]


_BAD_NCX = {
    "missing": None,
    "not XML": "<ncx><navMap><navPoint",
    "entities": '<?xml version="1.0"?><!DOCTYPE ncx [<!ENTITY a "aaaa">]><ncx>&a;</ncx>',
}


@pytest.mark.parametrize("ncx", ["kept", *_BAD_NCX])
def test_calibre_split_epub(fixtures_dir: Path, assert_valid_works: Callable[..., dict], ncx: str) -> None:
    """With its toc.ncx, or without a usable one (then a split file with no heading continues the
    last): the same three chapters, and a broken table of contents is no reason to refuse a book."""
    files = _files(fixtures_dir / "epub" / "calibre-split")
    if ncx in _BAD_NCX:
        bad = _BAD_NCX[ncx]
        if bad is None:
            del files["toc.ncx"]
        else:
            files["toc.ncx"] = bad
    work = _read("lamplighters.epub", pack(files), "epub")
    assert_valid_works([work])
    assert (work.title, work.authors, work.published) == ("The Lamplighters", ["Odile Fenn"], "2022-10-31")
    # The cover page and the title-only first split file are no chapters; split 002 and 003 are one.
    assert [(c.number, c.title, html_to_text(c.html)) for c in work.chapters] == _LAMPLIGHTERS
    assert [c.words for c in work.chapters] == [count_words(text) for _n, _t, text in _LAMPLIGHTERS]
    assert work.series == [SeriesRef("Harbour Lights", 2)]


@pytest.mark.parametrize(("story_id", "options"), [(1, {}), (1001, {"add_chapter_numbers": "true"})])
def test_calibre_repacked_fanficfare_epub_reads_as_the_original(
    story_id: int, options: dict[str, str], assert_valid_works: Callable[..., dict]
) -> None:
    original = write_book(story_id, "epub", options)
    repacked = pack(calibre_repack(_unpack(original.data), split={"OEBPS/file0002.xhtml"}))
    assert b"file0002_split_001.xhtml" in repacked and b"titlepage.xhtml" in repacked
    expected = _read("original.epub", original.data, "fanficfare-epub")
    work = _read("repacked.epub", repacked, "fanficfare-epub")
    assert_valid_works([work])
    assert essentials(work) == essentials(expected)
    assert [c.number for c in work.chapters] == list(range(1, len(original.story.chapter_titles) + 1))
    assert all(c.words for c in work.chapters)


def test_calibre_repacked_generic_epub_without_a_table_of_contents(
    assert_valid_works: Callable[..., dict],
) -> None:
    docs = {
        "title.xhtml": "<h1>Three Lamps</h1><p>by Odile Fenn</p>",
        "one.xhtml": "<h2>Chapter 1: Red</h2><div><p>The first lamp burned red.</p><p>It smoked.</p>"
        "<p>Nobody minded the smoke.</p><p>Not even the baker.</p></div>",
        "two.xhtml": "<h2>Chapter 3</h2><p>The second lamp burned green.</p>",
    }
    book = generic_book(
        list(docs), docs, "<dc:title>Three Lamps</dc:title><dc:creator>Odile Fenn</dc:creator>"
    )
    work = _read("lamps.epub", pack(calibre_repack(book, split={"one.xhtml"})), "epub")
    assert_valid_works([work])
    assert [(c.number, c.title, html_to_text(c.html)) for c in work.chapters] == [
        (1, "Red", "The first lamp burned red.\nIt smoked.\nNobody minded the smoke.\nNot even the baker."),
        (2, "Chapter 3", "The second lamp burned green."),  # not at position 3: kept
    ]


def test_an_image_page_after_the_first_chapter_is_kept(assert_valid_works: Callable[..., dict]) -> None:
    docs = {
        "a.xhtml": "<h2>Dusk</h2><p>The lamps came on.</p>",
        "map.xhtml": '<div><img src="map.png" alt="A map of Quay Street"/></div>',
        "b.xhtml": "<h2>Dawn</h2><p>The lamps went out.</p>",
    }
    book = generic_book(list(docs), docs, "<dc:title>Quay Street</dc:title>")
    work = _read("quay.epub", pack(book), "epub")
    assert_valid_works([work])
    assert [(c.number, c.title) for c in work.chapters] == [(1, "Dusk"), (2, None), (3, "Dawn")]


def test_ao3_epub_re_packed_by_calibre_reads_as_the_original(fixtures_dir: Path) -> None:
    folder = fixtures_dir / "epub" / "ao3-calibre"
    files = {name: data for name, data in _files(folder).items() if name != "mimetype"}
    # Chapter 2 ("Rust") is the spine's Salt_in_the_Gears_split_000.xhtml: cut in two.
    repacked = pack(calibre_repack(files, split={"Salt_in_the_Gears_split_000.xhtml"}))
    original = _read("salt.epub", pack_dir(folder), "ao3-epub")
    work = _read("salt-repacked.epub", repacked, "ao3-epub")
    assert [(c.number, c.title, c.words) for c in work.chapters] == [(1, "Brass", 16), (2, "Rust", 20)]
    assert work.chapters[0].html == original.chapters[0].html
    assert html_to_text(work.chapters[1].html) == html_to_text(original.chapters[1].html)
    assert work.doubts == []


def _calibre_page(body: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head>'
        '<title>Quay Street</title></head><body class="calibre"><div class="calibre1">'
        f"{body}</div></body></html>"
    )


def test_calibre_split_by_size_with_anchors_in_the_middle_of_files(
    assert_valid_works: Callable[..., dict],
) -> None:
    """A book converted from one HTML file and split by size only: chapters start at anchors in
    the middle of split files, inside calibre's wrapper div, and one chapter runs across files."""
    split_000 = (
        '<h1 class="calibre2">Quay Street</h1><p class="calibre3">by Odile Fenn</p>'
        '<h2 class="calibre2" id="ch1">Dusk</h2><p class="calibre3">The lamps came on one by one.</p>'
        '<h2 class="calibre2" id="ch2">Chapter 7</h2><p class="calibre3">Jules counted the ladders.</p>'
    )
    split_001 = (
        '<p class="calibre3">There were nine, and one was missing.</p>'
        '<h2 class="calibre2" id="ch3">Dawn</h2><p class="calibre3">The lamps went out.</p>'
    )
    ncx = (
        '<?xml version="1.0" encoding="utf-8"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" '
        'version="2005-1"><navMap>'
        + "".join(
            f'<navPoint id="n{n}" playOrder="{n}"><navLabel><text>{label}</text></navLabel>'
            f'<content src="{src}"/></navPoint>'
            for n, (label, src) in enumerate(
                [
                    ("Dusk", "index_split_000.xhtml#ch1"),
                    ("Chapter 7", "index_split_000.xhtml#ch2"),
                    ("Dawn", "index_split_001.xhtml#ch3"),
                ],
                start=1,
            )
        )
        + "</navMap></ncx>"
    )
    opf = (
        '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Quay Street</dc:title>'
        "<dc:creator>Odile Fenn</dc:creator></metadata><manifest>"
        '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>'
        '<item id="html" href="index_split_000.xhtml" media-type="application/xhtml+xml"/>'
        '<item id="html1" href="index_split_001.xhtml" media-type="application/xhtml+xml"/>'
        '</manifest><spine toc="ncx"><itemref idref="html"/><itemref idref="html1"/></spine></package>'
    )
    files: dict[str, bytes | str] = {
        "META-INF/container.xml": CONTAINER.format(opf="content.opf"),
        "content.opf": opf,
        "toc.ncx": ncx,
        "index_split_000.xhtml": _calibre_page(split_000),
        "index_split_001.xhtml": _calibre_page(split_001),
    }
    work = _read("quay.epub", pack(files), "epub")
    assert_valid_works([work])
    assert [(c.number, c.title, html_to_text(c.html)) for c in work.chapters] == [
        (1, "Dusk", "The lamps came on one by one."),
        (2, "Chapter 7", "Jules counted the ladders.\nThere were nine, and one was missing."),
        (3, "Dawn", "The lamps went out."),
    ]
