"""Saved AO3 pages through the real import: the full view, its chapter pages and AO3's download of
the same work are one work; a page saved with its `_files` folder is one work, not one per file."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from fanarchive.archive.imports.run import run_import
from fanarchive.archive.models import Work

pytestmark = pytest.mark.django_db

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "ao3-page"
CHAPTER_PAGES = ("chapter-1.html", "chapter-2-html-only.html", "chapter-3.html")


def _counts(*names: str) -> dict[str, int]:
    report = run_import([str(PAGES / name) for name in names])
    assert report.failures == []
    return report.counts


def _the_work() -> Work:
    [work] = Work.objects.all()
    assert (work.source_site, work.source_id) == ("archiveofourown.org", "40516273")
    return work


def test_full_page_then_chapter_pages_then_the_download_are_one_work() -> None:
    assert _counts("full-work.html")["imported"] == 1
    work = _the_work()
    assert list(work.chapters.order_by("position").values_list("position", "title", "word_count")) == [
        (1, "The Lamp Room", 71),
        (2, "", 54),
        (3, "Low Tide", 54),
    ]
    assert work.complete and work.expected_chapters == 3
    # Each chapter page holds a chapter the archive already has, word for word.
    for name in CHAPTER_PAGES:
        assert _counts(name)["unchanged"] == 1
    assert _counts("download.html")["updated"] == 1
    assert _counts("download.html")["unchanged"] == 1
    assert _counts("full-work.html")["updated"] == 1
    assert _counts("full-work.html")["unchanged"] == 1
    work = _the_work()
    assert work.source_format == "ao3-page" and work.chapters.count() == 3


def test_chapter_pages_one_by_one_build_the_whole_work() -> None:
    assert _counts("chapter-3.html")["imported"] == 1
    assert _counts("chapter-1.html")["updated"] == 1
    assert _counts("chapter-2-html-only.html")["updated"] == 1
    for name in CHAPTER_PAGES:
        assert _counts(name)["unchanged"] == 1
    work = _the_work()
    assert list(work.chapters.order_by("position").values_list("position", flat=True)) == [1, 2, 3]
    assert "light that must not go out" in work.summary and "harbour wall" in work.end_notes
    assert work.complete
    assert _counts("full-work.html")["updated"] == 1
    assert _counts("full-work.html")["unchanged"] == 1
    assert Work.objects.count() == 1


def test_chapter_pages_given_together_are_one_work() -> None:
    assert _counts(*CHAPTER_PAGES)["imported"] == 1
    assert _counts(*CHAPTER_PAGES)["unchanged"] == 1
    assert _the_work().chapters.count() == 3


def _save_complete(folder: Path) -> Path:
    """What "Save Page As, complete" leaves: the page and its `_files` folder of styles, scripts,
    images and an embedded frame's page."""
    folder.mkdir()
    shutil.copy(PAGES / "full-work.html", folder / "Lanterns Over Harrow Bay.html")
    files = folder / "Lanterns Over Harrow Bay_files"
    files.mkdir()
    (files / "01-core.css").write_text("#workskin { margin: 0 auto; }\nbody { color: #2a2a2a; }\n")
    (files / "application.js").write_text("jQuery(function ($) { $('.collapsed').hide(); });\n")
    (files / "saved_resource.html").write_text("<html><body><p>A frame of the page.</p></body></html>")
    (files / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    return folder


def test_a_page_saved_with_its_files_folder_is_one_work(tmp_path: Path) -> None:
    folder = _save_complete(tmp_path / "saved")
    report = run_import([str(folder)])
    assert (report.files, report.failures, report.counts["imported"]) == (1, [], 1)
    assert _the_work().title == "Lanterns Over Harrow Bay"


def test_a_zip_of_a_saved_page_is_one_work(tmp_path: Path) -> None:
    folder = _save_complete(tmp_path / "saved")
    packed = tmp_path / "saved.zip"
    with zipfile.ZipFile(packed, "w") as archive:
        for path in sorted(folder.rglob("*")):
            archive.write(path, path.relative_to(folder).as_posix())
    report = run_import([str(packed)])
    assert (report.files, report.failures, report.counts["imported"]) == (1, [], 1)


def test_a_folder_named_like_files_without_its_page_is_still_read(tmp_path: Path) -> None:
    folder = tmp_path / "notes_files"
    folder.mkdir()
    shutil.copy(PAGES / "one-shot.html", folder / "one-shot.html")
    assert run_import([str(tmp_path)]).counts["imported"] == 1


def test_a_warning_page_fails_by_name_and_stores_nothing() -> None:
    report = run_import([str(PAGES / "adult-warning.html")])
    [(name, reason)] = report.failures
    assert name.endswith("adult-warning.html") and "Yes, Continue" in reason
    assert Work.objects.count() == 0
