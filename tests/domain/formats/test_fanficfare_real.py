"""FanFicFare's real EPUB, HTML and TXT output (written by FanFicFare itself, offline, from its
test1.com site): every form of one story reads to the same work, and to what FanFicFare says about it."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import pytest

from fanarchive.domain.formats.base import SourceFile
from fanarchive.domain.formats.detect import detect
from fanarchive.domain.text import count_words
from fanarchive.domain.work import ParsedWork
from support.fanficfare_books import FORMATS, Book, essentials, write_book

# (story id, FanFicFare options): nine chapters with entities and unicode in titles, "Chapter 7" at
# position 8; the same numbered by add_chapter_numbers; a complete French story; twenty authors and
# more categories; and a story of our own, numbered, whose "Chapter 7" sits at position 3.
STORIES: list[tuple[int, dict[str, str]]] = [
    (1, {}),
    (1, {"add_chapter_numbers": "true"}),
    (22, {}),
    (673, {}),
    (1001, {"add_chapter_numbers": "true"}),
    # The rest of test1.com's kinds and FanFicFare's options that change the files' shape.
    *(
        pytest.param(story_id, options, marks=pytest.mark.slow)
        for story_id, options in [
            (664, {}),  # entities and &nbsp; in the title and the author
            (92, {}),  # images
            (1000, {}),  # defaults.ini's own custom story: "3. Chapter 3" at position 4
            (2, {"include_tocpage": "false"}),  # TXT with no table of contents
            (3, {"windows_eol": "false", "wrap_width": "0"}),
            (4, {"strip_chapter_numbers": "true", "add_chapter_numbers": "true"}),
            (1, {"keep_summary_html": "true"}),  # the summary's HTML in the TXT too
            (5, {"titlepage_use_table": "true"}),
        ]
    ),
]
_STATUSES = {"Completed": "complete", "In-Progress": "in-progress"}


@cache
def _book(story_id: int, file_format: str, options: tuple[tuple[str, str], ...]) -> Book:
    return write_book(story_id, file_format, dict(options))


def _read(book: Book) -> ParsedWork:
    source = SourceFile(book.name, book.data)
    parser = detect(source)
    assert parser.name == f"fanficfare-{book.format}"
    [work] = parser.parse(source)
    return work


def _expected_title(site_title: str, position: int) -> str | None:
    """The one rule for every format: the site's title as given, FanFicFare's own "N. " numbering
    left out; only a bare "Chapter N" at position N says nothing a reader does not see already."""
    return None if site_title == f"Chapter {position}" else site_title


@pytest.mark.parametrize(("story_id", "options"), STORIES)
@pytest.mark.parametrize("file_format", FORMATS)
def test_fanficfare_output_reads_as_fanficfare_describes_it(
    story_id: int, options: dict[str, str], file_format: str, assert_valid_works: Callable[..., dict]
) -> None:
    book = _book(story_id, file_format, tuple(options.items()))
    story = book.story
    work = _read(book)
    assert_valid_works([work])
    assert (work.title, work.authors) == (story.title, story.authors)
    assert (work.status, work.published, work.updated) == (
        _STATUSES[story.status],
        story.published,
        story.updated,
    )
    assert work.language == (story.language or None)
    assert (work.tags["fandom"], work.tags["character"], work.tags["relationship"]) == (
        story.categories,
        story.characters,
        story.ships,
    )
    assert [(c.number, c.title) for c in work.chapters] == [
        (position, _expected_title(title, position))
        for position, title in enumerate(story.chapter_titles, start=1)
    ]
    # Every word FanFicFare was given for a chapter, in every form it writes.
    assert [c.words for c in work.chapters] == [count_words(html) for html in story.chapter_html]
    assert (work.source.url, work.source.id) == (f"http://test1.com?sid={story.story_id}", story.story_id)


@pytest.mark.parametrize(("story_id", "options"), STORIES)
def test_the_three_forms_of_a_story_read_alike(story_id: int, options: dict[str, str]) -> None:
    works = {fmt: _read(_book(story_id, fmt, tuple(options.items()))) for fmt in FORMATS}
    assert essentials(works["html"]) == essentials(works["epub"])
    assert essentials(works["txt"]) == essentials(works["epub"])
