"""eFiction's own backup (admin → Backup): no CREATE TABLE, bare `INSERT INTO t VALUES("…")` rows
mapped by eFiction's table layouts; chapter files under the archive's `storiespath`; pairing
categories read as relationships. Fixtures: backup35 (3.5.x, chapter files in `storiesef/`),
backup30 (3.0–3.3 layouts, text in the database, table prefix `arc_`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fanarchive.domain.formats._efiction_fields import add_categories
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.formats.detect import detect
from fanarchive.domain.formats.efiction_dump import EfictionDumpParser
from fanarchive.domain.text import count_words
from fanarchive.domain.work import ParsedWork, SeriesRef, Source

PARSER = EfictionDumpParser()
DUMP35 = "Tidewater_Archive12-05-2026.sql"
DUMP30 = "Harrow_Archive02-02-2009.sql"
GULLS_FILE = "storiesef/1/5.txt"


@pytest.fixture
def backup35(fixtures_dir: Path) -> Path:
    return fixtures_dir / "efiction" / "backup35"


@pytest.fixture
def backup30(fixtures_dir: Path) -> Path:
    return fixtures_dir / "efiction" / "backup30"


def _source(folder: Path, name: str, data: bytes | None = None, lost: str = "") -> SourceFile:
    """The dump with the files beside it, but for `lost`."""

    def sibling(relative: str) -> bytes | None:
        path = folder / relative
        return path.read_bytes() if path.is_file() and relative != lost else None

    return SourceFile(
        name=str(folder / name), data=data or (folder / name).read_bytes(), open_sibling=sibling
    )


def _parse(source: SourceFile) -> list[ParsedWork]:
    assert detect(source).name == "efiction-dump"
    return PARSER.parse(source)


def _edited(folder: Path, name: str, old: bytes, new: bytes) -> SourceFile:
    data = (folder / name).read_bytes()
    assert old in data
    return _source(folder, name, data.replace(old, new))


def test_a_35_backup_without_column_names_reads_every_field(
    backup35: Path, assert_valid_works: Callable[..., dict[str, Any]]
) -> None:
    works = _parse(_source(backup35, DUMP35))
    assert_valid_works(works)
    low, ledger, gulls = works
    assert [(w.title, w.authors) for w in works] == [
        ("Low Water", ["Wren Ashdown"]),
        ("The Ferry Ledger", ["Mara Quill", "corin_lake"]),
        ("Gull Weather", ["Wren Ashdown"]),
    ]
    assert low.tags == {
        "rating": ["Teen And Up Audiences"],
        "warning": ["Major Character Death"],
        "category": [],
        "fandom": [],
        "relationship": ["Wren/Soren"],
        "character": ["Wren Ashdown", "Soren Vell"],
        "freeform": ["Romance"],
    }
    # A slashed genre is no pairing; both categories stay in metadata as paths.
    assert low.metadata["categories"] == ["Slash Pairings > Wren/Soren", "General > Hurt/Comfort"]
    assert (ledger.tags["relationship"], gulls.tags["relationship"]) == (["Mara/Tobin"], ["Ilse/Corin"])
    assert (low.published, low.updated, low.status, low.stats) == (
        "2012-06-01",
        "2012-06-20",
        "complete",
        {"words": 69, "reads": 140, "reviews": 1},
    )
    assert low.summary == "<p>Wren waits for the tide; Soren doesn't.</p>"
    assert ledger.summary == "<p>Mara keeps the books; Tobin keeps <i>interrupting</i>.</p>"
    assert low.source == Source(
        "efiction-dump",
        "tidewater.example.net/efiction",
        "http://tidewater.example.net/efiction/viewstory.php?sid=1",
        "1",
    )
    url = "http://tidewater.example.net/efiction/viewseries.php?seriesid=1"
    assert (low.series, gulls.series) == (
        [SeriesRef("Tidewater Letters", 1, url)],
        [SeriesRef("Tidewater Letters", 2, url)],
    )
    flood = low.chapters[1]
    assert (flood.title, flood.notes, flood.end_notes) == (
        "Flood",
        "<p>Thanks to Mara, who knows the tide tables.</p>",
        "<p>See you at the ferry.</p>",
    )
    assert low.metadata["efiction_layouts"] == [
        "authors 3.0–3.5.x (10 values)",
        "categories 3.0–3.5.x (9 values)",
        "chapters 3.0–3.5.x (13 values)",
        "characters 3.0–3.5.x (5 values)",
        "classes 3.0–3.5.x (3 values)",
        "classtypes 3.0–3.5.x (3 values)",
        "coauthors 3.0–3.5.x (2 values)",
        "inseries 3.0, 3.5.x (5 values)",
        "ratings 3.0–3.5.x (4 values)",
        "series 3.5.x (14 values; its number columns hold numbers in 1 of 1 rows, 3.0–3.3's in 0)",
        "settings 3.0–3.5.x (55 values)",
        "stories 3.0–3.5.x (21 values)",
    ]
    assert low.doubts[0].startswith(
        "The backup names no columns (eFiction's own backup format); they were taken from "
        "eFiction's table layouts: authors 3.0–3.5.x (10 values); "
    )


def test_chapter_text_comes_from_the_storiespath_folder_word_for_word(backup35: Path) -> None:
    low, ledger, gulls = _parse(_source(backup35, DUMP35))
    # Each chapter is filed under its own author's uid: page two of the ledger is corin_lake's.
    files = {
        "Slack Tide": "1/1.txt",
        "Flood": "1/2.txt",
        "Ledger, Page One": "3/3.txt",
        "Ledger, Page Two": "2/4.txt",
        "Gull Weather": "1/5.txt",
    }
    for chapter in low.chapters + ledger.chapters + gulls.chapters:
        source_text = (backup35 / "storiesef" / files[chapter.title or ""]).read_text("utf-8")
        assert chapter.words == count_words(source_text) > 0
    assert low.chapters[0].html.startswith("<p>Wren counted the mooring rings")
    assert not any("left empty" in doubt for work in (low, ledger, gulls) for doubt in work.doubts)
    assert not any("missing_chapter_files" in work.metadata for work in (low, ledger, gulls))


def test_a_chapter_file_the_dump_promises_is_missing_loudly(backup35: Path) -> None:
    gulls = _parse(_source(backup35, DUMP35, lost=GULLS_FILE))[2]
    assert [c.html for c in gulls.chapters] == [""]
    assert gulls.metadata["missing_chapter_files"] == ["storiesef/1/5.txt"]
    assert gulls.doubts[-1] == (
        "1 of 1 chapters have text the dump says exists (the archive keeps chapters as files in "
        "storiesef/) but no file for it beside the dump: storiesef/1/5.txt; those chapters were left empty."
    )


def test_an_absolute_storiespath_is_looked_for_beside_the_dump(backup35: Path) -> None:
    source = _edited(backup35, DUMP35, b'"storiesef", "files"', b'"/var/www/tidewater/storiesef", "files"')
    low = _parse(source)[0]
    assert [c.words for c in low.chapters] == [39, 29]
    gulls = _parse(source)[2]
    assert gulls.doubts[-1] == (
        "The archive's storiespath '/var/www/tidewater/storiesef' is not a folder beside the dump; "
        "chapter files were looked for in storiesef/."
    )


def test_a_34_backup_maps_the_older_layouts_by_their_evidence(
    backup30: Path, assert_valid_works: Callable[..., dict[str, Any]]
) -> None:
    [work] = _parse(_source(backup30, DUMP30))
    assert_valid_works([work])
    assert (work.title, work.authors, work.published, work.updated) == (
        "Sailcloth",
        ["Nell Harrow"],
        "2009-02-01",
        "2009-02-02",
    )
    assert work.tags["relationship"] == ["Nell/Arlo"] and work.tags["freeform"] == ["Fluff"]
    assert work.series == [
        SeriesRef("Jetty Nights", 1, "http://harrow.example.com/archive/viewseries.php?seriesid=3")
    ]
    assert (
        "series 3.0–3.3 (14 values; its number columns hold numbers in 1 of 1 rows, 3.5.x's in 0)"
        in (work.metadata["efiction_layouts"])
    )
    assert "stories 3.0–3.5.x without the challenges module (20 values)" in work.metadata["efiction_layouts"]
    assert "inseries 3.3 (6 values)" in work.metadata["efiction_layouts"]
    # Text kept in the database, its escaped line breaks and quotes restored; no file was needed.
    assert work.chapters[0].html == (
        "<p>Nell mended the sail by lamplight.<br>Arlo held the lamp too close and singed her sleeve.</p>\n"
        '<p>"Again," she said, "and you\'re sleeping on the jetty."</p>'
    )
    assert [c.words for c in work.chapters] == [25, 12]
    assert "missing_chapter_files" not in work.metadata


def test_a_row_of_an_unknown_length_gives_only_the_shared_columns(backup35: Path) -> None:
    # A module added a column at the end of `stories`: the first 20, shared by every 3.x, still read.
    source = _edited(backup35, DUMP35, b'"140", "0");', b'"140", "0", "extra");')
    low = _parse(source)[0]
    assert (low.title, low.stats["reads"]) == ("Low Water", 140)
    assert (
        "stories: only its first 20 columns, which every 3.x layout shares (no known layout has 22 values)"
        in low.metadata["efiction_layouts"]
    )


def test_a_row_too_short_for_any_layout_is_refused_by_name(backup35: Path) -> None:
    source = _edited(
        backup35,
        DUMP35,
        b"# Dump of fanfiction_chapters \r\n",
        b'# Dump of fanfiction_chapters \r\nINSERT INTO fanfiction_chapters VALUES("9", "Short");\r\n',
    )
    with pytest.raises(
        ParseError,
        match=r"a row of `fanfiction_chapters` has 2 values, and no eFiction 3.0–3.5.x layout of `chapters` "
        r"is that short \(they have 13\)",
    ):
        PARSER.parse(source)


def test_the_co_authors_flag_of_a_3x_story_is_no_uid(backup35: Path) -> None:
    # `stories.coauthors` is "1" (has co-authors) on the ledger; without the table's rows nobody is added,
    # least of all uid 1.
    source = _edited(backup35, DUMP35, b'INSERT INTO fanfiction_coauthors VALUES("2", "2");\r\n', b"")
    assert _parse(source)[1].authors == ["Mara Quill"]


@pytest.mark.parametrize(
    ("leaf", "relationship"),
    [
        ("Bill/Bob", "Bill/Bob"),
        ("Bob & Don", "Bob/Don"),
        ("Ilse x Corin", "Ilse/Corin"),
        ("Odile and Bram", "Odile/Bram"),
        ("Bill/Bob/Olu", "Bill/Bob/Olu"),
        ("John Billson / Jane Billson", "John Billson/Jane Billson"),
        ("Pairing: Wren/Soren", "Wren/Soren"),
        ("Hurt/Comfort", None),
        ("Fluff (Shonen-ai/Yaoi)", None),
        ("Alex", None),
        ("Other Slash Pairing", None),
        ("Multiple Slash Pairings", None),
    ],
)
def test_pairing_categories(leaf: str, relationship: str | None) -> None:
    work = ParsedWork(title="Any")
    add_categories(work, [f"Slash Pairings > {leaf}"])
    assert work.tags["relationship"] == ([relationship] if relationship else [])
    assert work.metadata["categories"] == [f"Slash Pairings > {leaf}"]


def test_the_utf8_backup_of_a_utf8_archive_reads_right(backup35: Path) -> None:
    # eFiction 3.5's backup_utf8.php runs utf8_encode() over every value: an archive whose text
    # was UTF-8 already comes out encoded twice. Each value is repaired on its own.
    twice = "Søren Vell — “the ferryman”".encode().decode("latin-1").encode()
    source = _edited(backup35, DUMP35, b"Soren Vell", twice)
    assert _parse(source)[0].tags["character"] == ["Wren Ashdown", "Søren Vell — “the ferryman”"]


def test_a_url_setting_that_is_no_address_gives_no_source_address(backup35: Path) -> None:
    source = _edited(backup35, DUMP35, b'"http://tidewater.example.net/efiction"', b'"http://[tidewater"')
    low = _parse(source)[0]
    assert low.source == Source("efiction-dump")
    assert (
        "The archive's url setting 'http://[tidewater' is not an address (Invalid IPv6 URL); works have none."
        in low.doubts
    )
