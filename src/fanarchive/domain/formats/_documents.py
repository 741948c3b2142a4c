"""What the plain text, Markdown, DOCX and generic HTML readers share once their blocks are split:
a title that falls back to the file name, header fields, and sanitised, counted chapters."""

from __future__ import annotations

import re

from fanarchive.domain.formats._chapters import Outline
from fanarchive.domain.formats.base import SourceFile
from fanarchive.domain.sanitize import sanitize_html
from fanarchive.domain.tags import (
    TagKind,
    kind_for_label,
    official_category,
    official_rating,
    official_warning,
)
from fanarchive.domain.text import count_words, html_to_text, text_to_html
from fanarchive.domain.work import ParsedChapter, ParsedWork, Source

# `Title: …` style lines at the top of a document; the labels a reader is likely to type.
HEADER_FIELD = re.compile(r"^\s*(?P<label>[A-Z][A-Za-z' ]{0,24}?)\s*:\s+(?P<value>\S.*)$")
_AUTHOR_LABELS = frozenset({"author", "authors", "by", "writer", "written by", "pseud"})
_SUMMARY_LABELS = frozenset({"summary", "description", "blurb"})
_NOTES_LABELS = frozenset({"notes", "note", "author's notes", "a/n", "disclaimer"})
# Elements that show something without any text: a chapter holding only these is not empty.
_MEDIA = re.compile(r"<(?:img|svg|video|audio|picture|object|embed|iframe)\b", re.I)


def title_from_name(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    if "." in base:
        base = base.rsplit(".", 1)[0]
    return " ".join(re.sub(r"[_]+", " ", base).split()) or "Untitled"


def apply_header(work: ParsedWork, fields: list[tuple[str, str]]) -> bool:
    """Header fields onto the work; True when one named the title."""
    titled = False
    for label, value in fields:
        key = label.strip().lower()
        if key == "title":
            work.title, titled = value.strip(), True
        elif key in _AUTHOR_LABELS:
            work.authors = [a.strip() for a in re.split(r",|&| and ", value) if a.strip()]
        elif key in _SUMMARY_LABELS:
            work.summary = sanitize_html(text_to_html(value)) or None
        elif key in _NOTES_LABELS:
            work.notes = sanitize_html(text_to_html(value)) or None
        elif key == "language":
            work.language = value.strip()
        elif (kind := kind_for_label(label)) is not None:
            add_tags(work, kind, [v.strip() for v in value.split(",")])
        else:
            work.metadata[label.strip()] = value.strip()
    return titled


def add_tags(work: ParsedWork, kind: TagKind, names: list[str]) -> None:
    """Names under a source label of `kind`, moved to AO3's fixed sets where they belong there."""
    for name in names:
        if not name or name.lower() == "none":
            continue
        if kind is TagKind.RATING:
            rating = official_rating(name)
            if rating:
                work.add_tag(TagKind.RATING, rating)
            else:
                work.metadata.setdefault("rating", name)
                work.doubts.append(f"The rating {name!r} is not one of AO3's; it was kept in metadata.")
        elif kind is TagKind.WARNING:
            warning = official_warning(name)
            work.add_tag(TagKind.WARNING if warning else TagKind.FREEFORM, warning or name)
        elif kind is TagKind.CATEGORY:
            category = official_category(name)
            work.add_tag(TagKind.CATEGORY if category else TagKind.FREEFORM, category or name)
        else:
            work.add_tag(kind, name)


def _is_empty(html: str) -> bool:
    return not html_to_text(html).strip() and not _MEDIA.search(html)


def build_work(
    source: SourceFile, outline: Outline, format_name: str, work: ParsedWork | None = None
) -> ParsedWork:
    """The work from split blocks. `work` may carry header fields already read."""
    if work is None:
        work = ParsedWork(title="")
    work.source = Source(format=format_name)
    work.doubts.extend(outline.doubts)
    if not work.title:
        if outline.title:
            work.title = outline.title
        else:
            work.title = title_from_name(source.name)
            work.doubts.append("The document names no title; the file name was used.")
    if outline.preface:
        preface = sanitize_html("\n".join(block.html for block in outline.preface)).strip()
        if preface:
            work.notes = "\n".join(part for part in (work.notes, preface) if part)
            work.doubts.append("The text before the first chapter heading was read as the work's notes.")
    for chapter in outline.chapters:
        html = sanitize_html(chapter.html).strip()
        if _is_empty(html) and len(outline.chapters) > 1 and not chapter.title:
            continue
        work.chapters.append(
            ParsedChapter(
                number=len(work.chapters) + 1, title=chapter.title, html=html, words=count_words(html)
            )
        )
    if not work.authors:
        work.doubts.append("The document names no author.")
    return work
