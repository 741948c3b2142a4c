"""Real FanFicFare output, written offline by FanFicFare's own writers from its `test1.com` test site
(fanficfare/adapters/adapter_test1.py): no network, no files of ours pretending to be its output.

`write_book` runs FanFicFare in-process (as its CLI does: defaults.ini, then our personal.ini, then
[overrides]) and returns the file's bytes with the story's metadata as FanFicFare holds it, which is
what the readers are checked against."""

from __future__ import annotations

import io
import logging
import os
from dataclasses import dataclass
from html import unescape
from typing import Any

from fanficfare import adapters, writers
from fanficfare.configurable import Configuration

from fanarchive.domain.text import html_to_text
from fanarchive.domain.work import ParsedWork

FORMATS = ("epub", "html", "txt")

# Stories of our own for ids >= 1000 (adapter_test1 reads them from [teststory:ID]); chapter texts
# are still the adapter's. "Chapter 7" sits at position 3 on purpose: a title naming another number.
PERSONAL_INI = """
[defaults]
is_adult:true

[teststory:1001]
title:Skipping Stones
author_list:Wren Halloway,Pell Ashdown
authorId_list:71,72
authorUrl_list:http://test1.com?authid=71,http://test1.com?authid=72
datePublished:2021-06-01
dateUpdated:2022-01-09
numWords:2,048
status:Completed
language:English
rating:Teen
category_list:Millpond Tales
genre_list:Friendship,Angst
warnings_list:Drowning
characters_list:Wren,Pell
ships_list:Wren & Pell
chaptertitles:Skipping Stones,The Far Bank,Chapter 7,Chapter 4,Epilogue
"""


@dataclass(frozen=True)
class Story:
    """What FanFicFare itself says about the story it wrote."""

    title: str
    authors: list[str]
    status: str
    published: str
    updated: str
    language: str
    # The site's chapter titles, before FanFicFare adds its "N. " numbering, and the chapter
    # HTML it was given.
    chapter_titles: list[str]
    chapter_html: list[str]
    categories: list[str]
    characters: list[str]
    ships: list[str]
    story_id: str


@dataclass(frozen=True)
class Book:
    format: str
    data: bytes
    story: Story

    @property
    def name(self) -> str:
        return f"story.{self.format}"


def _configuration(url: str, file_format: str, options: dict[str, str]) -> Configuration:
    configuration = Configuration(adapters.getConfigSectionsFor(url), file_format)
    configuration.read([os.path.join(os.path.dirname(adapters.__file__), "..", "defaults.ini")])
    configuration.read_string(PERSONAL_INI)
    if not configuration.has_section("overrides"):
        configuration.add_section("overrides")
    for name, value in options.items():
        configuration.set("overrides", name, value)
    return configuration


def write_book(story_id: int, file_format: str, options: dict[str, str] | None = None) -> Book:
    """FanFicFare's `file_format` output of test1.com's story `story_id`, with our [overrides]."""
    logging.getLogger("fanficfare").setLevel(logging.WARNING)  # it logs every chapter at DEBUG
    url = f"http://test1.com?sid={story_id}"
    configuration = _configuration(url, file_format, options or {})
    adapter = adapters.getAdapter(configuration, url)
    out = io.BytesIO()
    writers.getWriter(file_format, configuration, adapter).writeStory(outstream=out)
    story = adapter.getStory()

    def listed(name: str) -> list[str]:
        return [unescape(value) for value in story.getList(name)]

    return Book(
        format=file_format,
        data=out.getvalue(),
        story=Story(
            title=unescape(story.getMetadata("title")).strip(),
            authors=listed("author"),
            status=story.getMetadata("status"),
            published=story.getMetadata("datePublished"),
            updated=story.getMetadata("dateUpdated"),
            language=story.getMetadata("language"),
            chapter_titles=[unescape(chapter["title"]) for chapter in story.chapters],
            chapter_html=[chapter["html"] for chapter in story.getChapters()],
            categories=listed("category"),
            characters=listed("characters"),
            ships=listed("ships"),
            story_id=story.getMetadata("storyId"),
        ),
    )


def essentials(work: ParsedWork) -> dict[str, Any]:
    """What must come out the same whichever of FanFicFare's formats (or calibre's re-pack of its
    EPUB) a story is read from: everything but the HTML's markup and the format's name."""
    return {
        "title": work.title,
        "authors": work.authors,
        "tags": work.tags,
        "status": work.status,
        "dates": (work.published, work.updated),
        "language": work.language,
        "summary": " ".join(html_to_text(work.summary or "").split()),
        "series": work.series,
        "stats": work.stats,
        "chapters_expected": work.chapters_expected,
        "chapters": [(c.number, c.title, c.words) for c in work.chapters],
        "source": (work.source.site, work.source.url, work.source.id),
    }
