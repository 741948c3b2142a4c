"""Issue 15 item 9: the same story met again under another file name, or inside a zip, updates the
work already here instead of making a copy, because a source without id or URL is matched on the
hash of its chapters' text."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from tests.archive.test_reclean_migration import _latest, _migrate

from fanarchive.archive.actions.imports import IMPORTED, UNCHANGED, UPDATED, do_import_work
from fanarchive.archive.imports.run import run_import
from fanarchive.archive.models import Chapter, User, Work
from fanarchive.domain.fingerprint import text_hash
from fanarchive.domain.work import ParsedChapter, ParsedWork, Source

# Invented prose; a plain-text file with no title line, so the reader names the work after the file.
STORY = (
    "The lantern swung in the salt wind, and Wren counted the gulls twice over.\n\n"
    "She did not trust the tide that night, nor the keeper who kept it.\n"
)
OTHER = "The ferry left without its bell, and nobody on the quay would say why.\n"


def _import(*paths: Path) -> list[str]:
    report = run_import([str(path) for path in paths], sandbox=False)
    assert report.failed == 0, report.failures
    return [work["status"] for outcome in report.outcomes for work in outcome.works]


@pytest.mark.django_db
def test_a_renamed_copy_updates_the_work_instead_of_duplicating_it(tmp_path: Path) -> None:
    (tmp_path / "harbour.txt").write_text(STORY)
    (tmp_path / "harbour (1).txt").write_text(STORY)
    assert _import(tmp_path / "harbour.txt") == [IMPORTED]
    assert _import(tmp_path / "harbour (1).txt") in ([UPDATED], [UNCHANGED])
    assert Work.objects.count() == 1
    assert _import(tmp_path / "harbour (1).txt") == [UNCHANGED]


@pytest.mark.django_db
def test_the_same_file_inside_a_zip_is_the_same_work(tmp_path: Path) -> None:
    (tmp_path / "harbour.txt").write_text(STORY)
    with zipfile.ZipFile(tmp_path / "both.zip", "w") as archive:
        archive.writestr("copy.txt", STORY)
        archive.writestr("ferry.txt", OTHER)
    _import(tmp_path / "harbour.txt")
    _import(tmp_path / "both.zip")
    assert Work.objects.count() == 2
    assert sorted(Work.objects.values_list("word_count", flat=True)) == [14, 28]


@pytest.mark.django_db
def test_markup_and_spacing_do_not_change_the_text_hash(tmp_path: Path) -> None:
    """An HTML page and a text file of the same words are one story."""
    (tmp_path / "harbour.txt").write_text(STORY)
    paragraphs = "".join(f"<p>{part}</p>\n" for part in STORY.split("\n\n"))
    (tmp_path / "saved.html").write_text(
        f"<html><head><title>Saved</title></head><body>{paragraphs}</body></html>"
    )
    _import(tmp_path / "harbour.txt", tmp_path / "saved.html")
    assert Work.objects.count() == 1


def _parsed(text: str, source: Source) -> ParsedWork:
    return ParsedWork(
        title="Harbour",
        authors=["wren"],
        chapters=[ParsedChapter(number=1, html=f"<p>{text}</p>")],
        source=source,
    )


@pytest.mark.django_db
def test_sources_with_their_own_ids_are_never_matched_on_text() -> None:
    """Two archive entries that happen to carry the same text (a re-post) stay two works."""
    first = do_import_work(_parsed(OTHER, Source(format="ao3-html", site="archiveofourown.org", id="1")))
    second = do_import_work(_parsed(OTHER, Source(format="ao3-html", site="archiveofourown.org", id="2")))
    assert first.work_id != second.work_id and second.status == IMPORTED


@pytest.mark.django_db
def test_an_authors_draft_upload_is_never_found_by_its_text() -> None:
    owner = User.objects.create(username="wren")
    draft = do_import_work(_parsed(OTHER, Source(format="plain-text")), owner=owner, draft=True)
    assert Work.objects.get(pk=draft.work_id).text_hash == ""
    archived = do_import_work(_parsed(OTHER, Source(format="plain-text")))
    assert archived.status == IMPORTED and archived.work_id != draft.work_id


@pytest.mark.django_db
def test_the_stored_hash_is_the_hash_of_the_stored_bodies() -> None:
    """The migration's backfill hashes stored bodies: it must agree with what the import stored."""
    stored = do_import_work(_parsed("Ada &amp; <em>Wren</em>   at the  quay", Source(format="html")))
    work = Work.objects.get(pk=stored.work_id)
    bodies = list(Chapter.objects.filter(work=work).order_by("position").values_list("body", flat=True))
    assert work.text_hash == text_hash(bodies) != ""
    assert text_hash(["<p>Ada &amp; Wren at the quay</p>"]) == work.text_hash
    assert text_hash(["<p></p>", ""]) == ""


BEFORE = [("archive", "0009_api_and_text_hash")]
AFTER = [("archive", "0010_backfill_text_hash")]


@pytest.mark.django_db(transaction=True)
def test_migration_fills_the_hash_of_imported_works_only() -> None:
    old = _migrate(BEFORE)
    Work = old.get_model("archive", "Work")
    Chapter = old.get_model("archive", "Chapter")
    dates = {"published": "2024-01-01", "updated": "2024-01-01"}
    imported = Work.objects.create(title="a", content_hash="c" * 64, **dates)
    written_here = Work.objects.create(title="b", **dates)
    for work in (imported, written_here):
        Chapter.objects.create(work=work, position=2, body="<p>second</p>")
        Chapter.objects.create(work=work, position=1, body="<p>first</p>")
    try:
        Work = _migrate(AFTER).get_model("archive", "Work")
        assert Work.objects.get(pk=imported.pk).text_hash == text_hash(["<p>first</p>", "<p>second</p>"])
        assert Work.objects.get(pk=written_here.pk).text_hash == ""
    finally:
        _migrate(list(_latest()))
