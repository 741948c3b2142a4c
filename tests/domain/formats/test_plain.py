from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from fanarchive.domain.formats._chapters import chapter_heading, is_scene_break, number_value
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.formats.detect import detect
from fanarchive.domain.formats.plain import PlainTextParser
from fanarchive.domain.text import count_words
from fanarchive.domain.work import ParsedWork

PARSER = PlainTextParser()


def _parse(name: str, data: bytes) -> ParsedWork:
    source = SourceFile(name=name, data=data)
    assert detect(source).name == "plain-text"
    [work] = PARSER.parse(source)
    return work


@pytest.mark.parametrize(
    ("line", "title", "number"),
    [
        ("Chapter 1", None, 1),
        ("Chapter One", None, 1),
        ("CHAPTER XII", None, 12),
        ("Chapter 3: The Ford", "The Ford", 3),
        ("Chapter Twenty-One - Ashes", "Ashes", 21),
        ("Prologue", "Prologue", None),
        ("Epilogue: Years Later", "Epilogue: Years Later", None),
        ("Interlude", "Interlude", None),
        ("Part II", "Part II", None),
    ],
)
def test_chapter_headings(line: str, title: str | None, number: int | None) -> None:
    heading = chapter_heading(line)
    assert heading is not None and (heading.title, heading.number) == (title, number)


@pytest.mark.parametrize(
    "line", ["Chapter one was over.", "Part of me wanted to stay", "Prologues are dull", ""]
)
def test_prose_is_not_a_heading(line: str) -> None:
    assert chapter_heading(line) is None


def test_scene_breaks_and_numbers() -> None:
    assert all(is_scene_break(b) for b in ("***", "* * *", "~~~", "---", "#", "o0o", "xXx"))
    assert not any(is_scene_break(b) for b in ("Oh.", "no", "A * B"))
    assert (number_value("xiv"), number_value("forty-two"), number_value("seven"), number_value("zed")) == (
        14, 42, 7, None,
    )  # fmt: skip


def test_header_chapters_and_scene_breaks(
    fixtures_dir: Path, assert_valid_works: Callable[..., dict]
) -> None:
    work = _parse("lamplighter.txt", (fixtures_dir / "plain" / "lamplighter.txt").read_bytes())
    assert_valid_works([work])
    assert (work.title, work.authors) == ("The Lamplighter's Ledger", ["Perrin Ashdown"])
    assert work.summary == "<p>A ledger goes missing the night the harbour lamps fail.</p>"
    assert work.tags["rating"] == ["Teen And Up Audiences"]
    assert work.tags["fandom"] == ["Clockwork Harbour (Original)"]
    assert work.tags["character"] == ["Isolde Marr", "Tam Keyworth"]
    assert [(c.number, c.title) for c in work.chapters] == [
        (1, "Prologue"), (2, "The Ford"), (3, None), (4, "Epilogue"),
    ]  # fmt: skip
    # No-break-space indentation dropped; smart quotes and dashes kept; both kinds of break kept.
    assert work.chapters[0].html.startswith("<p>The lamps went out")
    assert work.chapters[1].html == (
        "<p>Isolde kept the ledger under her arm the way other people kept a cat—close, and ready to be scratched.</p>\n"
        "<p>“You’re late,” Tam said.<br>She was not late. She was exactly on time, which he found worse.</p>\n"
        "<hr>\n<p>By morning the ledger was gone.</p>\n"
        '<p align="center">o0o</p>\n'
        "<p>The harbourmaster did not believe in thieves; he believed in tides.</p>"
    )
    assert [c.words for c in work.chapters] == [31, 55, 9, 13]
    assert all(c.words == count_words(c.html) for c in work.chapters)
    assert work.doubts == []


def test_hard_wrapped_text_is_rejoined(fixtures_dir: Path, assert_valid_works: Callable[..., dict]) -> None:
    work = _parse("parcel.txt", (fixtures_dir / "plain" / "parcel-post-wrapped.txt").read_bytes())
    assert_valid_works([work])
    assert (work.title, work.authors) == ("The Parcel Post", ["Wendeline Crouch"])
    assert [c.title for c in work.chapters] == [None, None]
    first = work.chapters[0].html.split("\n")
    assert len(first) == 4 and first[-1] == "<hr>"
    assert first[0].startswith(
        "<p>The ferry to Saltmarsh ran twice a day, and Odile Farrant had missed both of them,"
    )
    assert first[2] == (
        "<p>“You’ll want the post boat,” he said at last. “It doesn’t take passengers. "
        "It takes parcels. You’d have to be a parcel.”</p>"
    )
    assert [c.words for c in work.chapters] == [97, 85]
    assert work.doubts == ["The text was hard-wrapped at 72 columns; its lines were rejoined."]


def test_one_paragraph_per_line_titled_by_file_name(fixtures_dir: Path) -> None:
    work = _parse("stories/bell-tower.txt", (fixtures_dir / "plain" / "bell-tower.txt").read_bytes())
    assert work.title == "bell-tower"
    assert work.doubts == [
        "The document names no title; the file name was used.",
        "The document names no author.",
    ]
    assert [c.html.count("<p>") for c in work.chapters] == [3, 2]
    assert work.chapters[1].html == (
        "<p>The third time, she brought chalk.</p>\n"
        "<p>She marked every step with a small white cross, and in the morning there were two without.</p>"
    )


TEXT = "Title: Één Regen\n\nChapter 1\n\n“Café,” she said — twice.\n\nChapter 2\n\nThe rain stopped.\n"


def test_windows_1252_and_utf16_files() -> None:
    for data in (TEXT.replace("Één", "Een").encode("cp1252"), TEXT.encode("utf-16")):
        work = _parse("rain.txt", data)
        assert work.title in ("Een Regen", "Één Regen")
        assert work.chapters[0].html == "<p>“Café,” she said — twice.</p>"
        assert [c.words for c in work.chapters] == [4, 3]


def test_existing_formats_still_win(fixtures_dir: Path) -> None:
    for path, name in (("ao3/full-work.txt", "ao3-text"), ("efiction/printable.txt", "efiction-text")):
        assert detect(SourceFile(name=path, data=(fixtures_dir / path).read_bytes())).name == name


def test_binary_garbage_and_blank_text_are_refused() -> None:
    garbage = bytes(range(256)) * 8
    assert PARSER.sniff(SourceFile("x.txt", garbage)) == 0.0
    with pytest.raises(ParseError, match=r"unknown format|empty"):
        detect(SourceFile("x.bin", garbage))
    with pytest.raises(ParseError, match="binary data"):
        PARSER.parse(SourceFile("x.txt", garbage))
    with pytest.raises(ParseError, match="no text"):
        PARSER.parse(SourceFile("x.txt", b"* * *\n\n~~~\n"))


def test_json_is_data_not_prose() -> None:
    data = b'{"posts": [{"kind": "not a story"}]}'
    assert PARSER.sniff(SourceFile("x.txt", data)) == 0.0
    # Braces alone do not make JSON: a story may open with a bracketed line.
    assert PARSER.sniff(SourceFile("x.txt", b"[Author's note: enjoy]\n\nThe rain came.\n")) == 0.25
