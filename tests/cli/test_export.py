from __future__ import annotations

import zipfile
from pathlib import Path

from fanarchive.domain.work import ParsedChapter, ParsedWork, Source, works_to_json
from support.cli import run_cli as _cli


def _archive_with_one_work(home: Path) -> None:
    work = ParsedWork(
        title="Ferry Crossing",
        authors=["quietharbour"],
        chapters=[ParsedChapter(number=n, html=f"<p>Crossing {n} of the grey water.</p>") for n in (1, 2)],
        source=Source(format="work-json", id="ferry"),
    )
    (home / "ferry.json").write_text(works_to_json([work]))
    assert _cli("import", str(home / "ferry.json"), home=home).returncode == 0


def test_export_writes_the_download_file(tmp_path: Path) -> None:
    _archive_with_one_work(tmp_path)
    result = _cli("export", "1", "--format", "epub", "-o", str(tmp_path / "out.epub"), home=tmp_path)
    assert result.returncode == 0, result.stderr
    names = zipfile.ZipFile(tmp_path / "out.epub").namelist()
    assert names[0] == "mimetype" and "OEBPS/chapter-0002.xhtml" in names
    result = _cli("export", "1", "--format", "txt", "-o", "-", home=tmp_path)
    assert result.stdout.startswith("Ferry Crossing\nby quietharbour\n")
    assert (
        "Chapter 2\n=========\n\nChapter Text\n------------\n\nCrossing 2 of the grey water.\n"
        in result.stdout
    )


def test_export_says_plainly_what_is_missing(tmp_path: Path) -> None:
    _archive_with_one_work(tmp_path)
    # A PATH without calibre's ebook-convert.
    result = _cli(
        "export", "1", "--format", "mobi", "-o", str(tmp_path / "out.mobi"), home=tmp_path, path=str(tmp_path)
    )
    assert result.returncode == 2
    assert "MOBI is not available here" in result.stderr
    assert "install calibre" in result.stderr and "apt-get install calibre" in result.stderr
    assert not (tmp_path / "out.mobi").exists()
    result = _cli("export", "1", "--format", "docx", "-o", str(tmp_path / "out.docx"), home=tmp_path)
    assert (
        result.returncode == 2
        and "unknown format 'docx' (known: epub, pdf, html, txt, azw3, mobi)" in result.stderr
    )
    result = _cli("export", "7", "-o", str(tmp_path / "out.epub"), home=tmp_path)
    assert result.returncode == 2 and "no work with id 7" in result.stderr
    assert not (tmp_path / "out.epub").exists()
