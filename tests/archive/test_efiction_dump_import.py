"""A whole eFiction archive comes in with one `fanarchive import backup.sql`, and a second run
changes nothing."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from fanarchive.archive.imports.run import run_import
from fanarchive.archive.models import SerialWork, Work
from support.cli import run_cli as _cli

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "efiction" / "archive"


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    copy = tmp_path / "lanternlight"
    shutil.copytree(FIXTURE, copy)
    return copy


def test_one_command_imports_the_archive_and_a_second_run_changes_nothing(
    archive: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    first = _cli("import", str(archive / "backup.sql"), home=home)
    assert first.returncode == 0, first.stderr
    assert "imported 3, updated 0, unchanged 0, failed 0" in first.stdout
    again = _cli("import", str(archive / "backup.sql"), home=home)
    assert "imported 0, updated 0, unchanged 3, failed 0" in again.stdout
    # The folder imports the same works: the chapter files are read through the dump, not as works.
    folder = _cli("import", str(archive), home=home)
    assert "imported 0, updated 0, unchanged 3, failed 0" in folder.stdout
    # So does a zip of the folder, chapter files read from inside the zip.
    packed = shutil.make_archive(str(tmp_path / "lanternlight"), "zip", archive.parent, archive.name)
    zipped = _cli("import", packed, home=home)
    assert "imported 0, updated 0, unchanged 3, failed 0" in zipped.stdout


@pytest.mark.django_db
def test_stored_works_keep_authors_series_tags_and_chapter_files(archive: Path) -> None:
    report = run_import([str(archive / "backup.sql")])
    assert (report.counts, report.failures) == ({"imported": 3, "updated": 0, "unchanged": 0}, [])
    works = {work.title: work for work in Work.objects.all()}
    assert sorted(works) == ["Pell Counts the Boats", "Salt on the Wind", "The Lamplighter's Apprentice"]
    lamp, salt = works["The Lamplighter's Apprentice"], works["Salt on the Wind"]
    assert list(lamp.creatorships.order_by("position").values_list("pseud__name", flat=True)) == [
        "Marisol Vane",
        "Juniper Hale",
    ]
    assert (lamp.source_site, lamp.source_id, lamp.complete, lamp.word_count) == (
        "lanternlight.example.org/fiction",
        "1",
        True,
        74,
    )
    assert sorted(lamp.taggings.values_list("tag__kind", "tag__name")) == [
        ("character", "Bram Hollis"),
        ("character", "Odile Marsh"),
        ("freeform", "Het"),
        ("freeform", "Romance"),
        ("rating", "Teen And Up Audiences"),
        ("relationship", "Odile/Bram"),
        ("warning", "Major Character Death"),
    ]
    assert list(salt.chapters.values_list("position", "title", "word_count")) == [
        (1, "Spindrift", 46),
        (2, "Ballast", 31),
    ]
    assert "“too old for stories”" in salt.chapters.get(position=1).body
    assert (salt.complete, str(salt.published), salt.stats.hits) == (False, "2010-01-01", 204)
    places = {
        (s.work.title, s.series.title, s.position)
        for s in SerialWork.objects.select_related("series", "work")
    }
    assert places == {
        ("The Lamplighter's Apprentice", "Lamps Along the Quay", 1),
        ("Salt on the Wind", "Lamps Along the Quay", 2),
    }


@pytest.mark.django_db
def test_a_newer_dump_updates_in_place(archive: Path) -> None:
    run_import([str(archive / "backup.sql")])
    dump = archive / "backup.sql"
    dump.write_bytes(
        dump.read_bytes().replace(b"counted again, and got a fish.", b"counted again, and got two fish.")
    )
    report = run_import([str(dump)])
    assert report.counts == {"imported": 0, "updated": 1, "unchanged": 2}
    pell = Work.objects.get(title="Pell Counts the Boats")
    assert "got two fish" in pell.chapters.get().body and Work.objects.count() == 3


@pytest.mark.django_db
def test_missing_chapter_file_still_imports_with_a_doubt(archive: Path) -> None:
    (archive / "stories" / "2" / "5.txt").unlink()
    report = run_import([str(archive / "backup.sql")])
    assert report.counts["imported"] == 3 and report.failures == []
    salt = Work.objects.get(title="Salt on the Wind")
    assert salt.chapters.get(position=2).body == ""
    assert (
        "Chapter 2's text is neither in the dump nor in stories/2/5.txt beside it; the chapter was left empty."
        in salt.source_extra["doubts"]
    )


@pytest.mark.django_db
def test_truncated_dump_is_one_failure_naming_the_file(archive: Path) -> None:
    dump = archive / "backup.sql"
    data = dump.read_bytes()
    dump.write_bytes(data[: data.index(b"Captain Ysolde remembers")])
    report = run_import([str(dump)])
    assert report.works == 0 and Work.objects.count() == 0
    [(name, reason)] = report.failures
    assert name == str(dump) and reason.startswith(
        "the dump is truncated: its last statement is cut off inside a quoted string"
    )


@pytest.mark.django_db
def test_open_series_with_two_authors_stays_one_series(archive: Path) -> None:
    run_import([str(archive / "backup.sql")])
    assert SerialWork.objects.values("series").distinct().count() == 1
    parts = SerialWork.objects.order_by("position").select_related("series", "work")
    assert {part.series.title for part in parts} == {"Lamps Along the Quay"}
    assert [part.position for part in parts] == [1, 2]
    authors = [set(part.work.creatorships.values_list("pseud__name", flat=True)) for part in parts]
    assert authors[0] != authors[1]  # two authors' stories, one series
    run_import([str(archive / "backup.sql")])  # a second run keeps it one series
    assert SerialWork.objects.values("series").distinct().count() == 1


@pytest.mark.django_db
def test_a_gzipped_dump_reads_its_chapter_files_and_they_are_not_works_of_their_own(archive: Path) -> None:
    dump = archive / "backup.sql"
    with dump.open("rb") as plain, gzip.open(archive / "backup.sql.gz", "wb") as packed:
        shutil.copyfileobj(plain, packed)
    dump.unlink()
    for folder in (archive, shutil.make_archive(str(archive), "zip", archive)):
        report = run_import([str(folder)])
        assert report.failures == [] and report.files == 1
    assert Work.objects.count() == 3
