"""Downloads through the archive: the work page's links, the streamed and cached files, and the
round trip of the demo works and the shared samples."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from tests.domain.exports.epubcheck import epubcheck
from tests.domain.exports.test_txt_writer import round_trip_shape

from fanarchive.archive.demo import load_demo
from fanarchive.archive.exports.interchange import parsed_from_work
from fanarchive.archive.imports.run import run_import
from fanarchive.archive.models import Chapter, StatCounter, Work
from fanarchive.domain.exports import calibre
from fanarchive.domain.formats.base import SourceFile
from fanarchive.domain.formats.detect import parse_source

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
MakeWork = Callable[..., Work]


@pytest.fixture
def no_calibre(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(calibre, "CONVERTER", "fanarchive-no-such-ebook-convert")


@pytest.fixture
def samples() -> Path:
    if not SAMPLES.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"shared samples not found at {SAMPLES}")
        pytest.skip("shared samples not found")
    return SAMPLES


def _body(response: Any) -> bytes:
    assert response.streaming, "downloads must stream from the file, not sit whole in memory"
    return b"".join(response.streaming_content)


def test_work_page_links_each_format_it_can_make(
    client: Client, make_work: MakeWork, no_calibre: None
) -> None:
    work = make_work("Harbour Lights", chapters=1)
    page = client.get(f"/works/{work.pk}").content.decode()
    block = page[page.index('<nav class="download"') :]
    block = block[: block.index("</nav>")]
    for ext, label in (("epub", "EPUB"), ("pdf", "PDF"), ("html", "HTML"), ("txt", "Plain text")):
        assert f'<a href="/downloads/{work.pk}/Harbour_Lights.{ext}" download>{label}</a>' in block
    assert "mobi" not in block and "azw3" not in block
    assert client.get(f"/downloads/{work.pk}/Harbour_Lights.mobi").status_code == 404


def test_download_streams_an_attachment_and_unknown_formats_are_not_found(
    client: Client, make_work: MakeWork
) -> None:
    work = make_work("Harbour Lights")
    response = client.get(f"/downloads/{work.pk}/Harbour_Lights.epub")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/epub+zip"
    assert response["Content-Disposition"] == 'attachment; filename="Harbour_Lights.epub"'
    book = zipfile.ZipFile(io.BytesIO(_body(response)))
    assert "OEBPS/chapter-0003.xhtml" in book.namelist()
    text = _body(client.get(f"/downloads/{work.pk}/Harbour_Lights.txt")).decode()
    assert text.startswith("Harbour Lights\nby quietharbour\n\nhttp://")
    assert client.get(f"/downloads/{work.pk}/Harbour_Lights.docx").status_code == 404
    assert client.get(f"/downloads/{work.pk}/Harbour_Lights").status_code == 404
    assert client.get("/downloads/999999/Nothing.epub").status_code == 404


def test_a_changed_chapter_gives_a_new_file_and_a_hit_does_not(
    client: Client, make_work: MakeWork, settings: Any
) -> None:
    work = make_work("Harbour Lights")
    url = f"/downloads/{work.pk}/Harbour_Lights.txt"
    first = _body(client.get(url)).decode()
    folder = Path(settings.HOME) / "downloads" / str(work.pk)
    [cached] = folder.glob("*.txt")
    StatCounter.objects.update_or_create(work=work, defaults={"hits": 9999})
    assert _body(client.get(url)).decode() == first and list(folder.glob("*.txt")) == [cached]
    # Changed behind the work's back, as a direct edit would: the download still notices.
    Chapter.objects.filter(work=work, position=2).update(body="<p>The gulls had all gone south.</p>")
    second = _body(client.get(url)).decode()
    assert "The gulls had all gone south." in second and "counted the gulls" in first
    assert "The tide came in for the 2 time" in first and "The tide came in for the 2 time" not in second
    [fresh] = folder.glob("*.txt")
    assert fresh != cached and not cached.exists()


def test_demo_works_and_shared_samples_round_trip_as_txt(samples: Path) -> None:
    load_demo()
    assert run_import([str(samples)]).failures == []
    works = list(Work.objects.order_by("pk"))
    assert len(works) >= 8
    for work in works:
        from fanarchive.archive.exports.cache import open_download

        with open_download(work, "txt") as handle:
            [back] = parse_source(SourceFile(f"{work.pk}.txt", handle.read()))
        original = parsed_from_work(work)
        assert round_trip_shape(back) == round_trip_shape(original), work.title
        assert len(back.chapters) == work.chapters.count()


@pytest.mark.slow
def test_epubcheck_finds_nothing_in_the_demo_works_and_shared_samples(samples: Path, tmp_path: Path) -> None:
    from fanarchive.archive.exports.cache import open_download

    load_demo()
    assert run_import([str(samples)]).failures == []
    paths = []
    for work in Work.objects.order_by("pk"):
        path = tmp_path / f"work-{work.pk}.epub"
        with open_download(work, "epub") as handle:
            path.write_bytes(handle.read())
        paths.append(path)
    assert len(paths) >= 8
    assert epubcheck(paths) == {path.name: [] for path in paths}


def _require_calibre() -> None:
    if calibre.calibre_available():
        return
    if os.environ.get("CI"):
        pytest.fail("calibre is not installed (scripts/test.sh installs it)")
    pytest.skip("calibre is not installed")


@pytest.mark.slow
def test_calibre_reads_our_epub_and_makes_kindle_files(make_work: MakeWork, tmp_path: Path) -> None:
    import subprocess

    from fanarchive.archive.exports.cache import open_download

    _require_calibre()
    work = make_work("Harbour Lights", authors=("Ferris Lane", "quietharbour"), language="English")
    epub = tmp_path / "work.epub"
    with open_download(work, "epub") as handle:
        epub.write_bytes(handle.read())
    meta = subprocess.run(["ebook-meta", str(epub)], capture_output=True, text=True, check=True).stdout
    fields = {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in meta.splitlines()) if v}
    assert fields["Title"] == "Harbour Lights"
    assert fields["Author(s)"] == "Ferris Lane & quietharbour"
    assert fields["Languages"] == "eng"
    assert "Saltmarsh Chronicles" in fields["Tags"] and "Found Family" in fields["Tags"]
    for extension in ("mobi", "azw3"):
        with open_download(work, extension) as handle:
            data = handle.read()
        # Both are PalmDB files whose type/creator field reads BOOKMOBI.
        assert data[60:68] == b"BOOKMOBI", extension


def test_readers_asking_at_once_wait_for_one_maker(
    make_work: MakeWork, monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path
) -> None:
    import threading
    import time

    from fanarchive.archive.exports import cache as downloads
    from fanarchive.domain.exports import EXPORT_FORMATS, ExportFormat

    settings.HOME = tmp_path
    work = make_work("Slow to Print")
    made: list[int] = []
    txt = EXPORT_FORMATS["txt"]

    def slow_write(parsed: Any, context: Any, out: Any) -> None:
        made.append(1)
        time.sleep(0.5)  # long enough for every reader to arrive while the first is writing
        txt.write(parsed, context, out)

    slow = ExportFormat("txt", "txt", txt.media_type, txt.label, slow_write)
    monkeypatch.setitem(EXPORT_FORMATS, "txt", slow)
    # Read in this thread: the readers below share no database connection with the test's.
    parsed = parsed_from_work(work)
    monkeypatch.setattr(downloads, "parsed_from_work", lambda _work: parsed)
    bodies: list[bytes] = []

    def read() -> None:
        with downloads.open_download(work, "txt") as file:
            bodies.append(file.read())

    readers = [threading.Thread(target=read) for _ in range(4)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    assert len(made) == 1 and len(bodies) == 4 and len(set(bodies)) == 1
    assert b"Slow to Print" in bodies[0]


def test_pdf_is_offered_only_where_it_can_be_made(
    make_work: MakeWork, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fanarchive.domain.exports import pdf

    work = make_work("Paper")
    assert ".pdf" in client.get(f"/works/{work.pk}/chapters/1").content.decode()
    monkeypatch.setattr(pdf.ctypes.util, "find_library", lambda name: None)
    pdf.pdf_available.cache_clear()
    try:
        assert ".pdf" not in client.get(f"/works/{work.pk}/chapters/1").content.decode()
        response = client.get(f"/downloads/{work.pk}/Paper.pdf")
        assert response.status_code == 404
    finally:
        pdf.pdf_available.cache_clear()
