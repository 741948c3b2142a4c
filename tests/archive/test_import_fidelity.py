"""Import fidelity, per format (issue 15, "Done when"): every fixture file of every reader, and the
DOCX, ODT and EPUB files the builders make, imported as `fanarchive import` imports them, then
imported again. The second import is "unchanged" and changes no row anywhere in the archive; and
every stored chapter has the words of its chapter in the source, counted from the source's own
structure (tests/support/source_chapters.py) and never through the reader.

Fixtures join by folder: a new file under tests/fixtures/ is imported here without a line in this
file; a new reader needs its chapters' definition in source_chapters.EXTRACTORS."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps

from fanarchive.archive.actions.imports import UNCHANGED
from fanarchive.archive.imports.run import ImportReport, run_import
from fanarchive.archive.imports.sources import sibling_reader
from fanarchive.archive.models import Chapter, Work
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.formats.detect import detect
from fanarchive.domain.text import count_words, count_words_text
from support import docx_builder, epub_builder, odt_builder
from support.source_chapters import EXTRACTORS

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# The sanitiser's attack vectors are not fan works.
NOT_WORKS = ("xss",)
# eFiction's printable text runs each chapter's notes into its text under `Author's Notes:` and
# `End Notes:` labels, with nothing to say where a note ends: its chapters are compared with their
# notes.
NOTES_IN_TEXT = frozenset({"efiction-text"})
# Fixtures failing because of another helper's open issue-15 item: {path: item number}.
OPEN_ITEMS: dict[str, int] = {}


@dataclass(frozen=True)
class Input:
    name: str
    make: Callable[[Path], Path]  # writes the file to import into a temporary folder, or finds it


def _fixture_files() -> list[Path]:
    """Every file a user could import: unpacked EPUB folders and the chapter files an eFiction
    dump reads beside itself are not inputs of their own."""
    files = []
    for path in sorted(FIXTURES.rglob("*")):
        relative = path.relative_to(FIXTURES)
        if not path.is_file() or relative.parts[0] in NOT_WORKS:
            continue
        folders = [FIXTURES / Path(*relative.parts[:depth]) for depth in range(1, len(relative.parts))]
        if any((folder / "mimetype").exists() for folder in folders):
            continue
        if path.suffix != ".sql" and any(any(f.glob("*.sql")) for f in folders[1:]):
            continue
        files.append(path)
    return files


def _epub_folders() -> list[Path]:
    return sorted(path.parent for path in FIXTURES.rglob("mimetype"))


def _written(name: str, build: Callable[[], bytes]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        target = folder / name
        target.write_bytes(build())
        return target

    return make


def _found(path: Path) -> Callable[[Path], Path]:
    return lambda _folder: path


def _packed(folder: Path) -> Callable[[Path], Path]:
    return _written(f"{folder.name}.epub", lambda: epub_builder.pack_dir(folder))


INPUTS = [
    *(Input(path.relative_to(FIXTURES).as_posix(), _found(path)) for path in _fixture_files()),
    *(
        Input(f"{folder.relative_to(FIXTURES).as_posix()}.epub", _packed(folder))
        for folder in _epub_folders()
    ),
    Input("built: styled.docx", _written("orchard.docx", docx_builder.styled_document)),
    Input("built: page-breaks.docx", _written("tide.docx", docx_builder.page_break_document)),
    Input("built: styled.odt", _written("salt.odt", odt_builder.styled_document)),
    Input("built: page-breaks.odt", _written("tides.odt", odt_builder.page_break_document)),
    Input("built: generic.epub", _written("causeway.epub", epub_builder.causeway_book)),
]


def _params() -> list[Any]:
    params = []
    for item in INPUTS:
        marks = []
        if item.name in OPEN_ITEMS:
            marks.append(pytest.mark.xfail(strict=True, reason=f"issue 15 item {OPEN_ITEMS[item.name]}"))
        params.append(pytest.param(item, id=item.name, marks=marks))
    return params


def _archive_rows() -> dict[str, list[dict[str, Any]]]:
    """Every row of every archive table: what "nothing changed" is checked against."""
    return {
        model._meta.db_table: list(model._default_manager.order_by("pk").values())
        for model in apps.get_app_config("archive").get_models()
    }


def _import(path: Path) -> ImportReport:
    # In this process (no worker): what is tested is what is stored, not the sandbox.
    report = run_import([str(path)], sandbox=False)
    assert report.failures == [], report.failures
    return report


def _stored_chapters(report: ImportReport) -> list[Chapter]:
    ids = [work["work_id"] for outcome in report.outcomes for work in outcome.works]
    return [
        chapter for work_id in ids for chapter in Chapter.objects.filter(work_id=work_id).order_by("position")
    ]


@pytest.mark.parametrize("item", _params())
def test_import_twice_changes_nothing_and_keeps_every_word(item: Input, tmp_path: Path) -> None:
    path = item.make(tmp_path)
    source = SourceFile(path.name, path.read_bytes(), open_sibling=sibling_reader(path.parent))
    try:
        reader = detect(source).name
        first = run_import([str(path)], sandbox=False)
    except ParseError as error:
        pytest.skip(f"not a work: {error} (the detection matrix checks the refusal)")
    if first.failures and not first.works:
        pytest.skip(f"refused by its reader: {first.failures[0][1]} (the detection matrix checks it)")
    assert first.failures == [], first.failures
    rows = _archive_rows()

    second = _import(path)
    assert second.counts == {"imported": 0, "updated": 0, UNCHANGED: first.works}
    assert _archive_rows() == rows, "the second import changed rows"

    chapters = _stored_chapters(second)
    assert chapters, "no chapter stored"
    for chapter in chapters:
        assert chapter.word_count == count_words(chapter.body), f"chapter {chapter.position}: stale count"
    if reader == "tumblr-text":
        _assert_tumblr_text_words(source, second)
        return
    assert reader in EXTRACTORS, f"say how {reader}'s chapters are found in source_chapters.EXTRACTORS"
    expected = EXTRACTORS[reader](source, [chapter.title or None for chapter in chapters])
    if reader in NOTES_IN_TEXT:
        got = [count_words(c.body) + count_words(c.notes) + count_words(c.end_notes) for c in chapters]
    else:
        got = [count_words(chapter.body) for chapter in chapters]
    assert got == expected, f"{reader}: words per chapter stored {got}, in the source {expected}"


# What a copied tumblr page prints around posts, written here from tumblr's pages, not the reader.
_TUMBLR_FRAME = re.compile(
    r"^(?:#\S.*|\d[\d,.]*[kK]? notes?|[\w-]+ reblogged (?:this from )?[\w-]+(?: and added:?)?|[\w-]+ asked\b.*)$"
    # Dates under posts: "Dec 3rd, 2026", "Posted on December 1, 2026 at 9:14pm", "2026-11-30".
    r"|^(?:Posted on )?(?:\w+ \d+\w*,? \d{4}|\d+ \w+ \d{4}|\d{4}-\d\d-\d\d)(?: at [\d:]+[ap]m)?$"
)
_ASKED = re.compile(r"^[\w-]+ asked[:;]?\s*(.*)$")


def _assert_tumblr_text_words(source: SourceFile, report: ImportReport) -> None:
    """A copied tumblr page has no chapter element: every word of the file is a post's text, its
    ask, its title line, or the page's frame (tags, notes counts, reblog lines, `NAME asked:`, the
    blog's header), so the posts' words are what is left when the rest is taken out."""
    lines = [line.strip() for line in source.text().replace("\r\n", "\n").split("\n")]
    frame = [line for line in lines if _TUMBLR_FRAME.match(line)]
    asked_rest = [match.group(1) for line in lines if (match := _ASKED.match(line))]
    works = Work.objects.filter(pk__in=[w["work_id"] for o in report.outcomes for w in o.works])
    title_lines = [work.title for work in works if work.title in lines]
    header = [works[0].source_extra["metadata"].get(key, "") for key in ("blog", "blog_description")]
    prompts = [
        count_words(work.source_extra["prompt"]["text"]) for work in works if work.source_extra["prompt"]
    ]
    outside = (
        count_words_text("\n".join(frame + title_lines + header))
        - count_words_text("\n".join(asked_rest))
        + sum(prompts)
    )
    bodies = sum(count_words(chapter.body) for chapter in _stored_chapters(report))
    assert bodies == count_words_text("\n".join(lines)) - outside


def test_every_fixture_folder_is_an_input() -> None:
    folders = {item.name.split("/")[0] for item in INPUTS if "/" in item.name}
    on_disk = {path.name for path in FIXTURES.iterdir() if path.is_dir()} - set(NOT_WORKS)
    assert folders == on_disk
    assert {".docx", ".odt", ".epub"} <= {
        Path(item.name).suffix for item in INPUTS if item.name.startswith("built")
    }
