from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.formats.detect import detect
from fanarchive.domain.formats.docx import DocxParser

PARSER = DocxParser()
_spec = importlib.util.spec_from_file_location("docx_builder", Path(__file__).with_name("docx_builder.py"))
assert _spec is not None and _spec.loader is not None
builder = importlib.util.module_from_spec(_spec)
sys.modules["docx_builder"] = builder
_spec.loader.exec_module(builder)


def test_styles_runs_and_core_properties(assert_valid_works: Callable[..., dict]) -> None:
    source = SourceFile("orchard.docx", builder.styled_document())
    assert detect(source).name == "docx"
    [work] = PARSER.parse(source)
    assert_valid_works([work])
    assert (work.title, work.authors) == ("The Orchard Keeper", ["Marisol Endicott"])
    assert [(c.number, c.title, c.words) for c in work.chapters] == [(1, "Blossom", 26), (2, "Windfall", 12)]
    assert work.chapters[0].html == (
        "<p>Winnie climbed the <em>wrong</em> tree, as she always did, and the <strong>whole</strong> orchard laughed.</p>\n"
        "<p>“Again?” said her brother — not unkindly.</p>\n<hr>\n<p>The apples were small that year.</p>"
    )
    assert work.chapters[1].html == (
        '<h3>A Smaller Heading</h3>\n<p align="center">o0o</p>\n<p>After the storm they gathered what had fallen.</p>'
    )
    assert work.doubts == [
        "The author is the document's author property, which may be whoever made the file."
    ]


def test_page_breaks_hint_at_chapters(assert_valid_works: Callable[..., dict]) -> None:
    [work] = PARSER.parse(SourceFile("tides.docx", builder.page_break_document()))
    assert_valid_works([work])
    assert work.title == "tides" and work.authors == []
    assert [(c.title, c.words) for c in work.chapters] == [("Low Tide", 15), ("High Tide", 13)]
    assert work.chapters[1].html == "<p>By evening the pier was half as long, and nobody remarked on it.</p>"
    assert work.doubts == [
        "The document has no chapter headings; its page breaks were read as chapter breaks.",
        "The document names no title; the file name was used.",
        "The document names no author.",
    ]


def test_truncated_docx_names_the_problem() -> None:
    data = builder.styled_document()
    source = SourceFile("broken.docx", data[: len(data) // 2])
    assert detect(source).name == "docx"
    with pytest.raises(ParseError, match="zip archive is truncated or damaged"):
        PARSER.parse(source)


def test_zip_without_a_document_is_not_docx() -> None:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes/readme.txt", "hello")
    source = SourceFile("other.zip", buffer.getvalue())
    assert PARSER.sniff(source) == 0.0
    with pytest.raises(ParseError, match=r"no word/document\.xml"):
        PARSER.parse(source)


def test_runs_inside_links_insertions_tags_and_controls_are_kept(
    assert_valid_works: Callable[..., dict],
) -> None:
    [work] = PARSER.parse(SourceFile("letters.docx", builder.wrapped_runs_document()))
    assert_valid_works([work])
    assert [(c.title, c.words) for c in work.chapters] == [("Letters", 14)]
    assert work.chapters[0].html == (
        '<p>She said <a href="https://example.org/lanterns" rel="nofollow noopener"><em>goodbye</em> twice</a> and left.</p>\n'
        "<p>Then the map<strong> burned</strong> near Harrowgate at dawn.</p>"
    )
