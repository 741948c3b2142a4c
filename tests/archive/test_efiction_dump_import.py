"""A whole eFiction archive comes in with one `fanarchive import backup.sql`, and a second run
changes nothing."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fanarchive.archive.imports.run import run_import
from fanarchive.archive.models import Chapter, SerialWork, Work
from fanarchive.domain.text import count_words
from support.cli import run_cli as _cli

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "efiction" / "archive"
# eFiction 3.5's own backup: no column names, chapter files in storiesef/.
BACKUP35 = FIXTURE.parent / "backup35"
DUMP35 = "Tidewater_Archive12-05-2026.sql"


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURE, tmp_path / "lanternlight"))


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
        "1 of 2 chapters have text the dump says exists (the dump holds no text for them, so eFiction "
        "kept it in files) but no file for it beside the dump: stories/2/5.txt; those chapters were left empty."
        in salt.source_extra["doubts"]
    )
    # Stored, and named as incomplete so that the run does not pass for a whole one.
    assert report.to_dict()["counts"]["incomplete"] == 1
    assert report.incomplete == [
        (
            f"{archive / 'backup.sql'} [Salt on the Wind]",
            "stored without the text of 1 chapter(s): no file stories/2/5.txt",
        )
    ]


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


@pytest.fixture
def backup35(tmp_path: Path) -> Path:
    return Path(shutil.copytree(BACKUP35, tmp_path / "tidewater"))


def test_an_efiction_backup_with_a_missing_chapter_file_imports_and_fails_loudly(
    backup35: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    lost = backup35 / "storiesef" / "1" / "5.txt"
    text = lost.read_bytes()
    lost.unlink()
    first = _cli("import", str(backup35), home=home)
    # The chapter files in storiesef/ are read through the dump, not imported as works of their own.
    assert "imported 3, updated 0, unchanged 0, failed 0, incomplete 1" in first.stdout
    assert first.returncode == 1
    assert (
        f"incomplete: {backup35 / DUMP35} [Gull Weather]: stored without the text of 1 chapter(s): "
        "no file storiesef/1/5.txt"
    ) in first.stderr
    again = _cli("import", str(backup35 / DUMP35), home=home)
    assert "imported 0, updated 0, unchanged 3, failed 0, incomplete 1" in again.stdout
    packed = shutil.make_archive(str(tmp_path / "tidewater"), "zip", backup35.parent, backup35.name)
    zipped = _cli("import", packed, home=home)
    assert "imported 0, updated 0, unchanged 3, failed 0, incomplete 1" in zipped.stdout
    # The file found, the work gets its text, and the run is whole.
    lost.write_bytes(text)
    found = _cli("import", str(backup35), home=home)
    assert "imported 0, updated 1, unchanged 2, failed 0\n" in found.stdout and found.returncode == 0
    twice = _cli("import", str(backup35), home=home)
    assert "imported 0, updated 0, unchanged 3, failed 0\n" in twice.stdout and twice.returncode == 0


@pytest.mark.django_db
def test_stored_backup_chapters_have_the_words_of_their_files(backup35: Path) -> None:
    report = run_import([str(backup35)])
    assert report.counts == {"imported": 3, "updated": 0, "unchanged": 0}
    assert (report.failures, report.incomplete) == ([], [])
    # Every file of storiesef/ is one chapter: the stored counts are the files' own.
    files = sorted((backup35 / "storiesef").rglob("*.txt"))
    assert sorted(Chapter.objects.values_list("word_count", flat=True)) == sorted(
        count_words(path.read_text("utf-8")) for path in files
    )
    ledger = Work.objects.get(title="The Ferry Ledger")
    assert sorted(ledger.taggings.filter(tag__kind="relationship").values_list("tag__name", flat=True)) == [
        "Mara/Tobin"
    ]


@pytest.mark.django_db(transaction=True)
def test_the_staff_import_page_names_works_stored_without_their_chapter_files(admin_client: Client) -> None:
    # An uploaded dump has no files beside it: every chapter of a file-stored archive is missing.
    upload = SimpleUploadedFile(DUMP35, (BACKUP35 / DUMP35).read_bytes())
    page = admin_client.post("/admin/archive/work/import/", {"uploads": [upload]}).content.decode()
    assert "imported 3, updated 0, unchanged 0, failed 0, incomplete 3" in page
    assert "(imported, incomplete: stored without the text of 2 chapter(s): no file storiesef/1/1.txt" in page
