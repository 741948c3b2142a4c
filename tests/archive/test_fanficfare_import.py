"""FanFicFare's real output through the real import: each form of a story, and calibre's re-pack of
its EPUB, stored once; a second import of the same file changes nothing, and every stored chapter
holds the words FanFicFare was given."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from fanarchive.archive.imports.run import run_import
from fanarchive.archive.models import Work
from fanarchive.domain.text import count_words
from support.calibre_repack import calibre_repack
from support.epub_builder import pack
from support.fanficfare_books import Book, write_book

pytestmark = pytest.mark.django_db


def _calibre(book: Book) -> bytes:
    with zipfile.ZipFile(io.BytesIO(book.data)) as epub:
        files: dict[str, bytes | str] = {n: epub.read(n) for n in epub.namelist() if n != "mimetype"}
    return pack(calibre_repack(files, split={"OEBPS/file0002.xhtml"}))


@pytest.mark.parametrize("form", ["epub", "html", "txt", "calibre-epub"])
def test_a_second_import_changes_nothing(tmp_path: Path, form: str) -> None:
    book = write_book(1001, form.removeprefix("calibre-"), {"add_chapter_numbers": "true"})
    path = tmp_path / f"skipping-stones.{book.format}"
    path.write_bytes(_calibre(book) if form.startswith("calibre") else book.data)
    first = run_import([str(path)])
    assert first.failures == [] and first.counts["imported"] == 1
    second = run_import([str(path)])
    assert second.failures == [] and second.counts["unchanged"] == 1
    [work] = Work.objects.all()
    assert (work.title, work.source_site, work.source_id) == ("Skipping Stones", "test1.com", "1001")
    chapters = list(work.chapters.order_by("position").values_list("position", "title", "word_count"))
    assert chapters == [
        (position, title, count_words(html))
        for position, (title, html) in enumerate(
            zip(
                ["Skipping Stones", "The Far Bank", "Chapter 7", "", "Epilogue"],
                book.story.chapter_html,
                strict=True,
            ),
            start=1,
        )
    ]
