from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.formats.detect import detect
from fanarchive.domain.formats.markdown import MarkdownParser

PARSER = MarkdownParser()


def test_front_matter_headings_emphasis_and_breaks(
    fixtures_dir: Path, assert_valid_works: Callable[..., dict]
) -> None:
    source = SourceFile("salt-and-iron.md", (fixtures_dir / "plain" / "salt-and-iron.md").read_bytes())
    assert detect(source).name == "markdown"
    assert PARSER.sniff(source) == 0.5
    [work] = PARSER.parse(source)
    assert_valid_works([work])
    assert (work.title, work.authors) == ("Salt and Iron", ["Corwin Baytree"])
    assert work.tags["fandom"] == ["Lanternfall (Video Game)"]
    assert work.tags["relationship"] == ["Hesper Vane/Ilse Corran"]
    assert work.tags["freeform"] == ["Slow Burn", "Found Family"]
    assert work.notes == "<p>Written for the winter exchange. Thanks to <em>M.</em> for reading it first.</p>"
    assert [(c.number, c.title, c.words) for c in work.chapters] == [(1, "The Forge", 34), (2, "Quench", 11)]
    assert work.chapters[0].html == (
        "<p>Hesper had never trusted a blacksmith who <em>whistled</em>. Whistling meant confidence, "
        "and confidence meant <strong>mistakes</strong>.</p>\n"
        "<p>Ilse whistled the whole time she worked.</p>\n<hr>\n"
        "<p>“It’s only iron,” Ilse said — which was, Hesper felt, exactly the problem.</p>"
    )
    assert work.chapters[1].html == (
        "<hr>\n<p>The water hissed. <em>Everything</em> hissed, that week.</p>\n<hr>\n<p>She kept the nail.</p>"
    )
    assert work.doubts == [
        "The text before the first chapter heading was read as the work's notes.",
    ]


def test_lone_title_heading_and_one_chapter(assert_valid_works: Callable[..., dict]) -> None:
    data = b"# The Quiet Mill\n\nThe wheel had _stopped_ turning.\n\nNobody minded.\n"
    [work] = PARSER.parse(SourceFile("mill.md", data))
    assert_valid_works([work])
    assert work.title == "The Quiet Mill"
    assert [(c.title, c.html, c.words) for c in work.chapters] == [
        (None, "<p>The wheel had <em>stopped</em> turning.</p>\n<p>Nobody minded.</p>", 7)
    ]


def test_sniff_scores_lose_to_specific_formats() -> None:
    assert PARSER.sniff(SourceFile("notes.md", b"Just some words.\n")) == 0.3
    assert PARSER.sniff(SourceFile("notes.txt", b"Just some words.\n")) == 0.0
    assert PARSER.sniff(SourceFile("notes.txt", b"# Heading\n\nWords.\n")) == 0.3
    assert PARSER.sniff(SourceFile("x.md", b"\x00\x01\x02garbage")) == 0.0


def test_empty_markdown_is_refused() -> None:
    with pytest.raises(ParseError, match="empty file"):
        detect(SourceFile("empty.md", b"\n\n"))
    with pytest.raises(ParseError, match="empty file"):
        PARSER.parse(SourceFile("empty.md", b""))
    with pytest.raises(ParseError, match="no text"):
        PARSER.parse(SourceFile("rules.md", b"---\n\n***\n"))


def test_untitled_chapter_holding_only_an_image_is_kept(assert_valid_works: Callable[..., dict]) -> None:
    text = (
        "# The Cartographer\n\n"
        "## Chapter 1\n\nTomas drew the valley from memory, and got the river wrong.\n\n"
        "## Chapter 2\n\n![The corrected map](https://example.org/map.png)\n\n"
        "## Chapter 3\n\nThe river, for its part, never forgave him.\n"
    )
    [work] = PARSER.parse(SourceFile("map.md", text.encode()))
    assert_valid_works([work])
    assert [(c.number, c.title, c.words) for c in work.chapters] == [
        (1, None, 11),
        (2, None, 0),
        (3, None, 8),
    ]
    assert work.chapters[1].html == '<p><img alt="The corrected map" src="https://example.org/map.png"></p>'
