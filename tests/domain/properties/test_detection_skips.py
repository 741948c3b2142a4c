"""Detection asks the surest readers first and stops once no reader left could win: it must pick
what asking every reader picks, and no reader may score above the `surest` it declares."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fanarchive.domain.formats.base import ParseError, Parser, SourceFile
from fanarchive.domain.formats.detect import MIN_CONFIDENCE, detect
from fanarchive.domain.formats.registry import all_parsers

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

# Each family's markers, so that generated files are claimed by several readers at once.
_MARKERS = [
    "Chapter Text\n------------\n", "Stats: ", "Work Text:", "Chapter 1: One\n", "Chapters: 3 Completed: Yes Word count: 9\n",
    "Summary: ", "Categories: ", "Archive of Our Own", "archiveofourown.org", 'id="workskin"', "work meta group",
    "could have adult content", 'id="profile_top"', "id=storytext", "viewuser.php", 'id="pagetitle"', "word count:",
    "CREATE TABLE `fanfiction_stories` (", "INSERT INTO fanfiction_chapters ", "# Heading\n", "#tag #other\n",
    "anonymous asked:\n", "wren asked: hi\n", "14 notes\n", "Title @handle\n", "<html>", "<p>", "<h1>T</h1>",
    '<a name="section0001"></a><h2>One</h2>', "<b>Packaged:</b>", "by Author\n", "Story URL: x\n", "Publisher: y\n",
    'id="preface"', 'id="chapters"', "Posted originally on the", '{"works": [', '"blog_name": "x", "post_url": "y"',
    "\n", "\r\n", "words ", "\u00e9", "\x01",
]  # fmt: skip
_NAMES = st.sampled_from(["a.txt", "a.html", "a.md", "a.json", "a.sql", "a"])
files = st.builds(
    lambda name, parts: SourceFile(name=name, data="".join(parts).encode()),
    _NAMES,
    st.lists(st.sampled_from(_MARKERS), min_size=1, max_size=30),
)


def _asking_every_reader(source: SourceFile) -> Parser | None:
    scored = sorted(
        ((parser.sniff(source), parser.name, parser) for parser in all_parsers()), key=lambda i: (-i[0], i[1])
    )
    return scored[0][2] if scored[0][0] >= MIN_CONFIDENCE else None


def _check(source: SourceFile) -> None:
    for parser in all_parsers():
        assert parser.sniff(source) <= parser.surest, f"{parser.name} scores above its surest"
    expected = _asking_every_reader(source)
    if expected is None or not source.data.strip():
        with pytest.raises(ParseError, match=r"unknown format|empty file"):
            detect(source)
    else:
        assert detect(source).name == expected.name


@pytest.mark.parametrize(
    "path", sorted(p.relative_to(FIXTURES).as_posix() for p in FIXTURES.rglob("*") if p.is_file())
)
def test_detection_of_every_fixture_is_that_of_asking_every_reader(path: str) -> None:
    data = (FIXTURES / path).read_bytes()
    if data.strip():
        _check(SourceFile(name=path, data=data))


@given(files)
def test_detection_of_files_many_readers_claim_is_that_of_asking_every_reader(source: SourceFile) -> None:
    _check(source)
