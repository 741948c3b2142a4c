from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from fanarchive.domain.formats._ffn_index_line import IndexLineError, figure, read_index_line
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.formats.ffn_mirror_text import FfnMirrorTextParser
from fanarchive.domain.merge import is_partial, merge_partial_works
from fanarchive.domain.work import ParsedWork

PARSER = FfnMirrorTextParser()
NO_ID = "The mirror gives no story id; one was made from the author's handle and the title."


def _source(path: Path) -> SourceFile:
    return SourceFile(name=str(path), data=path.read_bytes())


def _parse(path: Path) -> ParsedWork:
    source = _source(path)
    assert PARSER.sniff(source) == 0.9
    [work] = PARSER.parse(source)
    return work


def test_chapter_two_page(fixtures_dir: Path, assert_valid_works: Callable[..., dict]) -> None:
    work = _parse(fixtures_dir / "ffn" / "mirror-2.txt")
    assert_valid_works([work])
    assert (work.title, work.authors, work.metadata) == (
        "Harbour Lights",
        ["quillfeather"],
        {"handle": "@quillfeather"},
    )
    assert [(e.number, e.title, e.stats) for e in work.index] == [
        (1, "Prologue: Low Tide", {"words": 1204, "votes": 3, "reviews": 0}),
        (2, "Chapter 2. 10 Years Later", {"words": 1204, "votes": 3, "reviews": 0}),
        (3, "3 Bells", {"words": 980, "votes": 1200, "reviews": 14}),
        (4, "The Long Night", {"words": 2100, "votes": 12, "reviews": 4}),
    ]
    [chapter] = work.chapters
    assert (chapter.number, chapter.title, chapter.words) == (2, "Chapter 2. 10 Years Later", 32)
    # No-break-space indentation is dropped; each line is a paragraph; the index is not text.
    assert chapter.html == (
        "<p>The ferry came in late, as it always did in autumn.</p>\n"
        "<p>Wren counted the passengers: nine, ten, eleven — and one more, hunched under a green umbrella.</p>\n"
        '<p>"You kept the lamps," he said.</p>'
    )
    assert work.stats == {"chapters": 4}
    assert (work.source.format, work.source.site, work.source.id) == (
        "ffn-mirror-text",
        None,
        "@quillfeather/Harbour Lights",
    )
    assert work.doubts == [NO_ID]
    assert is_partial(work)


def test_three_pages_merge(fixtures_dir: Path, assert_valid_works: Callable[..., dict]) -> None:
    pages = [_parse(fixtures_dir / "ffn" / f"mirror-{n}.txt") for n in (2, 3, 1)]
    [story] = merge_partial_works(pages)
    assert_valid_works([story])
    assert [(c.number, c.title, c.words) for c in story.chapters] == [
        (1, "Prologue: Low Tide", 20),
        (2, "Chapter 2. 10 Years Later", 32),
        (3, "3 Bells", 12),
    ]
    assert is_partial(story) and len(story.index) == 4


def test_index_split_by_expected_numbers() -> None:
    reading = read_index_line("1. Top 3. Reasons 100 1 0 2. Counting 1 2 3 1,500 1 0 3. 2 Be 5 5 5")
    assert [(e.number, e.title, e.stats["words"]) for e in reading.entries] == [
        (1, "Top 3. Reasons", 100),
        (2, "Counting 1 2 3", 1500),
        (3, "2 Be", 5),
    ]
    assert reading.ambiguous == []


def test_ambiguous_split_is_a_doubt() -> None:
    text = "Tides @wren\nC\nSome words.\n1. A 1 1 1 2. B 1 1 1 2. C 1 1 1 3. D 1 1 1\n"
    [work] = PARSER.parse(SourceFile(name="x.txt", data=text.encode()))
    assert [e.title for e in work.index] == ["A 1 1 1 2. B", "C", "D"]
    assert [(c.number, c.words) for c in work.chapters] == [(2, 2)]
    assert work.doubts == [
        NO_ID,
        "The chapter index was split by its numbering; entry 1's title 'A 1 1 1 2. B' "
        "could also be read as holding another entry.",
    ]


def test_loose_title_match_is_a_doubt() -> None:
    text = "Tides @wren\nChapter 2: Storm\nRain.\n1. Calm 10 1 0 2. Storm 20 1 0\n"
    [work] = PARSER.parse(SourceFile(name="x.txt", data=text.encode()))
    assert [(c.number, c.title) for c in work.chapters] == [(2, "Chapter 2: Storm")]
    assert work.doubts[-1] == (
        "The chapter title 'Chapter 2: Storm' matches the index only loosely or more than once; "
        "it was read as chapter 2."
    )


@pytest.mark.parametrize(("text", "value"), [("1,204", 1204), ("1.2k", 1200), ("3", 3), ("2M", 2000000)])
def test_figures(text: str, value: int) -> None:
    assert figure(text) == value


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "mirror-skip.txt",
            r"entry 3 does not follow entry 2 \(the next number found is 4\)",
        ),
        (
            "mirror-unlisted.txt",
            "the chapter title on line two, 'A Chapter Not Listed', is not in the chapter index",
        ),
    ],
)
def test_malformed_pages_fail_clearly(fixtures_dir: Path, name: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        PARSER.parse(_source(fixtures_dir / "ffn" / name))


def test_other_malformed_shapes() -> None:
    with pytest.raises(ParseError, match="the first line is not `TITLE @handle`"):
        PARSER.parse(SourceFile(name="x.txt", data=b"Tides\nA\ntext\n1. A 1 1 1\n"))
    with pytest.raises(ParseError, match="the last line is not the chapter index"):
        PARSER.parse(SourceFile(name="x.txt", data=b"Tides @w\nA\ntext\nmore text\n"))
    with pytest.raises(IndexLineError, match=r"does not start with `1\. `"):
        read_index_line("2. A 1 1 1")


def test_sniff_needs_the_index_line(fixtures_dir: Path) -> None:
    plain = SourceFile(name="x.txt", data=b"Notes for @ferris\nJust some text.\nMore text.\n")
    assert PARSER.sniff(plain) == 0.0
    assert PARSER.sniff(_source(fixtures_dir / "ao3" / "full-work.txt")) == 0.0
    assert PARSER.sniff(_source(fixtures_dir / "ffn" / "lantern-1.html")) == 0.0


def test_a_thousand_entry_index_with_numbered_titles() -> None:
    line = " ".join(f"{n}. Chapter {n}. Part {n % 7} {1000 + n:,} {n % 13} {n % 5}" for n in range(1, 1001))
    text = f"Tides @wren\nChapter 500. Part 3\nA line.\n{line}\n"
    [work] = PARSER.parse(SourceFile(name="x.txt", data=text.encode()))
    assert [e.number for e in work.index] == list(range(1, 1001))
    assert (work.index[999].title, work.index[999].stats) == (
        "Chapter 1000. Part 6",
        {"words": 2000, "votes": 12, "reviews": 0},
    )
    assert [(c.number, c.words) for c in work.chapters] == [(500, 2)]
