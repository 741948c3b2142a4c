from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from fanarchive.domain.formats.ao3_html import AO3HtmlParser
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.formats.detect import detect
from fanarchive.domain.text import count_words, html_to_text
from fanarchive.domain.work import ParsedWork, RelatedWork, SeriesRef, Source

PARSER = AO3HtmlParser()


def _parse(fixtures_dir: Path, name: str) -> ParsedWork:
    path = fixtures_dir / "ao3-html" / name
    source = SourceFile(name=str(path), data=path.read_bytes())
    assert detect(source).name == "ao3-html"
    [work] = PARSER.parse(source)
    return work


def test_current_form_multi_chapter(fixtures_dir: Path, assert_valid_works: Callable[..., dict]) -> None:
    work = _parse(fixtures_dir, "multi-chapter.html")
    assert_valid_works([work])
    assert work.title == "The Lamp at Gull Point"
    assert work.authors == ["saltmarsh_quill", "Petra Vell"]
    assert work.tags == {
        "rating": ["Teen And Up Audiences"],
        "warning": ["Graphic Depictions Of Violence", "Major Character Death"],
        "category": ["F/M", "Gen"],
        "fandom": ["Tidewatch (TV)"],
        "relationship": ["Wren Alder/Osei Marlow"],
        "character": ["Wren Alder", "Osei Marlow", "The Harbourmaster"],
        "freeform": ["Lighthouses", "Storms", "Found Family"],
    }
    assert work.language == "English"
    assert (work.published, work.updated, work.status, work.chapters_expected) == (
        "2023-05-01",
        "2023-06-10",
        "complete",
        3,
    )
    assert work.stats == {"words": 101, "chapters": 3}
    assert work.words == 101
    assert work.series == [SeriesRef("Gull Point Logs", 2, "https://archiveofourown.org/series/3141592")]
    assert work.metadata == {"collections": ["Coastal Fest 2023"]}
    assert work.related == [
        RelatedWork("inspired_by", "Salt Lines", "https://archiveofourown.org/works/111", ["brine"]),
        RelatedWork("inspired", "The Keeper's Daughter", "https://archiveofourown.org/works/222", ["tern"]),
    ]
    assert work.source == Source(
        "ao3-html", "archiveofourown.org", "https://archiveofourown.org/works/48151623", "48151623"
    )
    assert work.summary == "<p>Wren keeps the lamp lit. The sea keeps testing her.</p>"
    assert work.notes == "<p>Written for the coastal fest.</p><p>Thanks to my beta, who knows knots.</p>"
    assert work.end_notes == "<p>Thank you for reading to the end.</p>"
    assert [(c.number, c.title) for c in work.chapters] == [(1, "The Lamp"), (2, None), (3, "Low Tide")]
    placed = [(c.summary, c.notes, c.end_notes) for c in work.chapters]
    assert placed == [
        (
            "<p>A storm comes in.</p>",
            "<p>The lamp is real; I visited it.</p>",
            "<p>More soon, storms permitting.</p>",
        ),
        (None, None, "<p>The log entries are invented.</p>"),
        ("<p>Morning, at last.</p>", None, None),
    ]
    assert html_to_text(work.chapters[1].html).split("\n") == [
        "Osei came up the path at dawn with a crate of oil and a face full of salt.",
        "Keeper’s log, fourth of June: glass cracked, lamp holding.",
        "She let him in without a word.",
    ]
    assert "<blockquote>" in work.chapters[1].html
    # A paragraph of text reading "Notes" stays text: chapter text is never searched for labels.
    assert html_to_text(work.chapters[2].html).startswith("Notes\nThat was all the Harbourmaster wrote")
    assert [c.words for c in work.chapters] == [35, 34, 32]
    assert all(c.words == count_words(c.html) for c in work.chapters)
    assert work.doubts == []


def test_older_form_bare_headings_and_singular_labels(
    fixtures_dir: Path, assert_valid_works: Callable[..., dict]
) -> None:
    work = _parse(fixtures_dir, "old-form.html")
    assert_valid_works([work])
    assert (work.title, work.authors) == ("Ferry Crossings", ["lanternfish"])
    assert work.tags["fandom"] == ["Harbour Lights", "Tidewatch (TV)"]
    assert work.tags["warning"] == ["No Archive Warnings Apply"]
    assert work.tags["character"] == ["Jonah Pike"]
    assert work.tags["freeform"] == ["Crossover"]
    assert (work.published, work.updated, work.status, work.chapters_expected) == (
        "2011-09-03",
        "2011-10-15",
        "in-progress",
        None,
    )
    assert [(c.number, c.title) for c in work.chapters] == [(1, "The Morning Boat"), (2, "Fog")]
    assert work.chapters[0].notes == "<p>First fic here, be kind.</p>"
    assert [c.end_notes for c in work.chapters] == [None, None]
    assert work.summary == "<p>Two ferries, one pilot.</p>"
    assert work.source.id == "40213"
    assert work.words == 34


def test_one_shot_text_directly_in_chapters(
    fixtures_dir: Path, assert_valid_works: Callable[..., dict]
) -> None:
    work = _parse(fixtures_dir, "one-shot.html")
    assert_valid_works([work])
    assert (work.title, work.authors, work.language) == ("Driftwood", ["Anonymous"], "Español")
    assert work.tags["warning"] == ["Creator Chose Not To Use Archive Warnings"]
    assert len(work.chapters) == 1
    [chapter] = work.chapters
    assert (chapter.number, chapter.title, chapter.summary, chapter.notes, chapter.end_notes) == (
        1,
        None,
        None,
        None,
        None,
    )
    assert chapter.words == 24
    # The Notes label announced only end notes; they are the work's, read from the afterword.
    assert (work.notes, work.end_notes) == (None, "<p>Written in one sitting.</p>")
    assert (work.status, work.chapters_expected, work.published, work.updated) == (
        "complete",
        1,
        "2022-12-24",
        None,
    )
    assert work.source.url == "https://archiveofourown.org/works/5550001"


def test_sniff_scores() -> None:
    assert PARSER.sniff(SourceFile("a.txt", b"Chapter Text\nChapter 1: Hello\n")) == 0.0
    assert PARSER.sniff(SourceFile("a.html", b'<html><body><div id="preface"></div></body></html>')) == 0.0
    marked = b'<div id="preface"></div><div id="chapters"><div class="userstuff"><p>x</p></div></div>'
    assert PARSER.sniff(SourceFile("a.html", marked)) >= 0.8


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("no-chapters.html", "no div#chapters"),
        ("empty-chapters.html", "div#chapters holds no chapter text"),
    ],
)
def test_malformed_downloads(fixtures_dir: Path, name: str, message: str) -> None:
    path = fixtures_dir / "ao3-html" / name
    with pytest.raises(ParseError, match=message):
        PARSER.parse(SourceFile(str(path), path.read_bytes()))


def test_binary_garbage_is_refused() -> None:
    with pytest.raises(ParseError, match="binary"):
        PARSER.parse(SourceFile("x.html", b"\x00\x01\x02" * 100))


def test_missing_title_falls_back_with_doubt() -> None:
    html = (
        b'<html><head><title>Quiet Harbour - someone</title></head><body><div id="preface"></div>'
        b'<div id="chapters"><div class="userstuff"><p>One two three.</p></div></div></body></html>'
    )
    [work] = PARSER.parse(SourceFile("x.html", html))
    assert work.title == "Quiet Harbour"
    assert work.chapters[0].words == 3
    assert work.doubts == [
        "The download has no h1 title; the title was taken from the page title or file name.",
        "The download names no author.",
    ]


def test_chapter_text_quoting_the_message_stays_chapter_text(
    fixtures_dir: Path, assert_valid_works: Callable[..., dict]
) -> None:
    page = (fixtures_dir / "ao3-html" / "one-shot.html").read_text(encoding="utf-8")
    quoted = (
        '<p>The card read: Posted originally on the <a href="https://example.org/x">pier</a>, '
        "by a gull with no manners.</p>"
    )
    page = page.replace("<p>La marea trajo", quoted + "\n      <p>La marea trajo")
    # A long afterword paragraph that quotes the words is not the message either.
    long = "Posted originally on the pier, then again on the dunes. " * 6
    page = page.replace('  <p class="message">Please', f'  <p>{long}</p>\n  <p class="message">Please')
    [work] = PARSER.parse(SourceFile("driftwood.html", page.encode()))
    assert_valid_works([work])
    [chapter] = work.chapters
    assert html_to_text(chapter.html).splitlines() == [
        "The card read: Posted originally on the pier, by a gull with no manners.",
        "La marea trajo un tronco blanco hasta la puerta del faro.",
        "Wren lo secó junto al fuego y lo talló durante todo el invierno.",
    ]
    assert work.source.url == "https://archiveofourown.org/works/5550001"
    assert work.metadata["afterword_extra"] == [long.strip()]


def test_chapter_zero_is_numbered_by_position(assert_valid_works: Callable[..., dict]) -> None:
    html = (
        b'<html><body><div id="preface"><h1>Zero Hour</h1><div class="byline">by tidewright</div>'
        b'<dl class="tags"><dt>Stats:</dt><dd>Published: 2024-02-02 Chapters: 2/0</dd></dl></div>'
        b'<div id="chapters"><h2>Chapter 0: Before</h2><div class="userstuff"><p>First light.</p></div>'
        b'<h2>Chapter 1: After</h2><div class="userstuff"><p>Second light came.</p></div></div></body></html>'
    )
    [work] = PARSER.parse(SourceFile("zero.html", html))
    assert_valid_works([work])
    assert [(c.number, c.title, c.words) for c in work.chapters] == [(1, "Before", 2), (2, "After", 3)]
    assert (work.chapters_expected, work.stats["chapters"]) == (None, 2)
    assert work.doubts == [
        "The source numbers a chapter 0; chapters are numbered by their place in the work."
    ]
