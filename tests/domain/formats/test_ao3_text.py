from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from fanarchive.domain.formats.ao3_text import AO3TextParser
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.formats.detect import detect
from fanarchive.domain.text import count_words, html_to_text
from fanarchive.domain.work import ParsedWork

PARSER = AO3TextParser()
_MARKERS = re.compile(
    r"^(Chapter \d+(: .*)?|Chapter Text|Work Text:|Summary:|Notes:|\(See the end of the (chapter|work) for (more )?notes\.\))$"
)


def _parse(path: Path) -> ParsedWork:
    source = SourceFile(name=str(path), data=path.read_bytes())
    assert detect(source).name == "ao3-text"
    [work] = PARSER.parse(source)
    return work


def test_shared_sample_has_every_chapter_in_place(
    samples_dir: Path, assert_valid_works: Callable[..., dict]
) -> None:
    work = _parse(samples_dir / "ao3-work.txt")
    assert_valid_works([work])
    assert [c.title for c in work.chapters] == [
        "Infatuation", "Self-Sacrifice", "Obstinance", "Remorse", "Regret", "Confidence", "Hope", "Love",
    ]  # fmt: skip
    assert [c.number for c in work.chapters] == list(range(1, 9))
    assert [bool(c.summary) for c in work.chapters] == [False] + [True] * 7
    assert [bool(c.notes) for c in work.chapters] == [True, True, False, False, False, True, False, True]
    assert [bool(c.end_notes) for c in work.chapters] == [True, False, False, True, True, False, True, True]
    assert work.chapters[0].html.startswith("<p>Infatuated is not a term")
    assert work.chapters[7].end_notes is not None and "The Walk Home" in work.chapters[7].end_notes
    assert all(c.words == count_words(c.html) > 1000 for c in work.chapters)
    assert work.end_notes is None


def test_shared_sample_loses_and_repeats_nothing(samples_dir: Path) -> None:
    raw = (samples_dir / "ao3-work.txt").read_text(encoding="utf-8").splitlines()
    expected = Counter(line.strip() for line in raw if line.strip() and not _MARKERS.match(line.strip()))
    work = _parse(samples_dir / "ao3-work.txt")
    pieces = [work.summary, work.notes, work.end_notes]
    for chapter in work.chapters:
        pieces += [chapter.summary, chapter.notes, chapter.html, chapter.end_notes]
    recovered = Counter(line.strip() for piece in pieces if piece for line in html_to_text(piece).split("\n"))
    assert recovered == expected


def test_own_fixture_with_header_trailers_and_work_end_notes(
    fixtures_dir: Path, assert_valid_works: Callable[..., dict]
) -> None:
    work = _parse(fixtures_dir / "ao3" / "full-work.txt")
    assert_valid_works([work])
    assert work.title == "Honey and Charts"
    assert work.authors == ["inkwell_moth", "Ferris Lane"]
    assert work.tags["rating"] == ["Teen And Up Audiences"]
    assert work.tags["character"] == ["Ada Renner", "Mira Quell", "Tobias Hale"]
    assert work.tags["freeform"] == ["Slow Burn", "Bees", "Chapter 2 Is Short"]
    assert work.language == "English"
    assert (work.published, work.updated, work.status, work.chapters_expected) == (
        "2024-01-12",
        "2024-03-02",
        "complete",
        2,
    )
    assert work.stats == {
        "words": 1234,
        "chapters": 2,
        "comments": 38,
        "kudos": 412,
        "bookmarks": 61,
        "hits": 5120,
    }
    assert [(s.title, s.position) for s in work.series] == [("Tidelines", 2)]
    assert [(r.relation, r.title, r.authors) for r in work.related] == [
        ("inspired", "Low Water", ["quietharbour"])
    ]
    first, second = work.chapters
    assert first.summary == "<p>The first storm of the year.</p>"
    assert first.end_notes == "<p>The storm was real; I was there.</p>"
    assert "<p>Chapter 3</p>" in first.html and "That line above is prose" in first.html
    assert "<p>“You'll wear a hole through it,” Tobias said — and set down a mug.</p>" in first.html
    assert second.title == "Thursdays" and second.end_notes is None
    assert work.end_notes == "<p>The end of the work, with thanks.</p>"
    assert work.doubts == []


def test_one_shot_uses_work_text(fixtures_dir: Path) -> None:
    work = _parse(fixtures_dir / "ao3" / "one-shot.txt")
    assert (work.title, work.authors) == ("Low Water", ["quietharbour"])
    [chapter] = work.chapters
    assert chapter.title is None and chapter.html.startswith("<p>At low water")
    assert chapter.end_notes == "<p>Written in one sitting.</p>"
    assert work.doubts and "end notes" in work.doubts[0]


def test_malformed_pages_are_refused_with_a_reason(fixtures_dir: Path) -> None:
    with pytest.raises(ParseError, match="no `Chapter N` heading"):
        PARSER.parse(SourceFile("x.txt", (fixtures_dir / "ao3" / "no-heading.txt").read_bytes()))
    with pytest.raises(ParseError, match="not an AO3 page"):
        PARSER.parse(SourceFile("x.txt", b"Just some text.\nNothing else.\n"))
    assert PARSER.sniff(SourceFile("x.txt", b"Just some text.\n")) == 0.0
