"""Issue 4's round trip: a work downloaded as HTML or EPUB and read back comes back with the same
title, authors, tags by kind, chapter titles, notes placement and text."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from fanarchive.domain.exports.context import ExportContext
from fanarchive.domain.exports.epub import write_epub
from fanarchive.domain.exports.html import write_html
from fanarchive.domain.formats.base import SourceFile
from fanarchive.domain.formats.detect import detect, parse_source
from fanarchive.domain.text import html_to_text
from fanarchive.domain.work import ParsedWork

CONTEXT = ExportContext(work_url="https://example.org/works/7")
WRITERS = {"html": (write_html, "ao3-html"), "epub": (write_epub, "ao3-epub")}


def _text(html: str | None) -> str:
    return html_to_text(html or "")


def _shape(work: ParsedWork) -> dict[str, object]:
    return {
        "title": work.title,
        "authors": work.authors,
        "tags": {kind: names for kind, names in work.tags.items() if names},
        "work notes": (_text(work.summary), _text(work.notes), _text(work.end_notes)),
        "chapters": [
            (c.title, _text(c.summary), _text(c.notes), _text(c.end_notes), _text(c.html))
            for c in work.chapters
        ],
        "series": [(s.title, s.position) for s in work.series],
        "language": work.language,
    }


def _round_trip(work: ParsedWork, kind: str, name: str) -> ParsedWork:
    write, parser_name = WRITERS[kind]
    buffer = io.BytesIO()
    write(work, CONTEXT, buffer)
    source = SourceFile(f"{name}.{kind}", buffer.getvalue())
    assert detect(source).name == parser_name
    [back] = parse_source(source)
    return back


@pytest.mark.parametrize("kind", sorted(WRITERS))
@pytest.mark.parametrize("sample", ["ao3-work.txt", "efiction-story.txt"])
def test_shared_samples_survive_download_and_import(
    samples_dir: Path, sample: str, kind: str, assert_valid_works: Callable[..., dict]
) -> None:
    [work] = parse_source(SourceFile(sample, (samples_dir / sample).read_bytes()))
    back = _round_trip(work, kind, Path(sample).stem)
    assert_valid_works([back])
    assert _shape(back) == _shape(work)
    assert len(back.chapters) == len(work.chapters) > 1
    assert [c.words for c in back.chapters] == [c.words for c in work.chapters]
    assert (back.source.site, back.source.url, back.source.id) == ("example.org", CONTEXT.work_url, "7")


@pytest.mark.parametrize("kind", sorted(WRITERS))
@pytest.mark.parametrize("fixture", ["multi-chapter.html", "old-form.html", "one-shot.html"])
def test_own_fixtures_survive_download_and_import(fixtures_dir: Path, fixture: str, kind: str) -> None:
    [work] = parse_source(SourceFile(fixture, (fixtures_dir / "ao3-html" / fixture).read_bytes()))
    back = _round_trip(work, kind, Path(fixture).stem)
    assert _shape(back) == _shape(work)
    assert [r.title for r in back.related] == [r.title for r in work.related]
    assert [r.relation for r in back.related] == [r.relation for r in work.related]
    assert (back.published, back.updated) == (work.published, work.updated)
