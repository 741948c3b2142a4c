from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.formats.detect import detect
from fanarchive.domain.formats.efiction_text import EfictionTextParser
from fanarchive.domain.text import count_words, html_to_text
from fanarchive.domain.work import ParsedWork

PARSER = EfictionTextParser()


def _parse(path: Path) -> ParsedWork:
    source = SourceFile(name=str(path), data=path.read_bytes())
    assert detect(source).name == "efiction-text"
    [work] = PARSER.parse(source)
    return work


def test_shared_sample_has_every_field_and_chapter(
    samples_dir: Path, assert_valid_works: Callable[..., dict]
) -> None:
    work = _parse(samples_dir / "efiction-story.txt")
    assert_valid_works([work])
    assert (work.title, work.authors) == ("Trials of Love", ["tsuki"])
    assert work.summary is not None and work.summary.startswith("<p>Kakashi can no longer stand")
    assert (work.published, work.updated, work.status, work.chapters_expected) == (
        "2008-10-21",
        "2008-10-29",
        "complete",
        26,
    )
    assert work.stats == {"words": 23544, "reads": 34552, "chapters": 26}
    assert work.tags["freeform"] == ["Angst", "Romance", "Yaoi"]
    assert work.tags["warning"] == []
    assert len(work.tags["character"]) == 18 and work.tags["character"][0] == "Anko Mitarashi"
    assert work.tags["relationship"] == ["Kakashi/Iruka"]
    assert work.metadata["categories"][1] == "Shonen-ai/Yaoi Romance > Top Pairings > Kakashi and Iruka"
    assert [c.number for c in work.chapters] == list(range(1, 27))
    assert work.chapters[0].title == "The Relationship" and work.chapters[25].title == "A New Beginning"
    with_notes = [c.number for c in work.chapters if c.notes]
    assert with_notes == [1, 2, 3, 4, 5, 6, 7, 11, 13, 26]
    assert [c.number for c in work.chapters if c.end_notes] == [1, 12, 17]
    assert work.chapters[2].html.startswith("<p>Chapter 3: Revelation</p>")
    assert all(c.words == count_words(c.html) > 300 for c in work.chapters)


def test_shared_sample_loses_and_repeats_nothing(samples_dir: Path) -> None:
    lines = (samples_dir / "efiction-story.txt").read_text(encoding="utf-8").splitlines()
    body_lines = [line.strip() for line in lines[7:] if line.strip()]
    heading = re.compile(r"^Chapter \d+: .* by tsuki$")
    expected = Counter(
        line
        for line in body_lines
        if not heading.match(line) and line not in ("Author's Notes:", "End Notes:")
    )
    work = _parse(samples_dir / "efiction-story.txt")
    recovered: Counter[str] = Counter()
    for chapter in work.chapters:
        for piece in (chapter.notes, chapter.html, chapter.end_notes):
            if piece:
                recovered.update(line.strip() for line in html_to_text(piece).split("\n"))
    assert recovered == expected


def test_own_windows_1252_fixture(fixtures_dir: Path, assert_valid_works: Callable[..., dict]) -> None:
    work = _parse(fixtures_dir / "efiction" / "printable.txt")
    assert_valid_works([work])
    assert (work.title, work.authors) == ("The Ferryman's Daughter", ["Ferris Lane"])
    assert work.tags["rating"] == ["Teen And Up Audiences"]
    assert work.tags["warning"] == ["Graphic Depictions Of Violence"]
    assert work.tags["freeform"] == ["Drama", "Mystery", "Ghosts", "Slash"]
    assert work.tags["relationship"] == ["Wren/Soren"]
    assert work.metadata["Pairing type"] == "Slash"
    assert [s.title for s in work.series] == ["Night Crossings"]
    assert (work.published, work.updated, work.status) == ("2009-04-03", "2009-05-14", "in-progress")
    assert work.notes == "<p>For the night-ferry crews everywhere.</p>"
    first, second = work.chapters
    assert first.notes == "<p>A short one to start – the “real” story begins next week.</p>"
    assert first.html.startswith("<p>The river was black and still")
    assert first.end_notes == "<p>Thanks for reading!</p>"
    assert (second.number, second.title) == (2, "Crossings")
    assert second.html.endswith("<p>Somebody was already sitting in the stern.</p>")


def test_not_an_efiction_page(fixtures_dir: Path) -> None:
    with pytest.raises(ParseError, match="TITLE by AUTHOR"):
        PARSER.parse(SourceFile("x.txt", (fixtures_dir / "efiction" / "not-efiction.txt").read_bytes()))
    with pytest.raises(ParseError, match="no chapter heading"):
        PARSER.parse(SourceFile("x.txt", b"A Story by Someone\nSummary: x\n\nJust text.\n"))
