from __future__ import annotations

from collections.abc import Callable

import pytest

from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.formats.detect import detect
from fanarchive.domain.formats.docx import DocxParser
from support import docx_builder as builder

PARSER = DocxParser()


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


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (builder.damaged_member, r"damaged: word/document\.xml does not decompress \(.*invalid block type"),
        (builder.encrypted_member, r"encrypted: word/document\.xml needs a password"),
    ],
)
def test_damaged_or_encrypted_members_are_named(damage: Callable[[bytes], bytes], message: str) -> None:
    source = SourceFile("damaged.docx", damage(builder.styled_document()))
    assert PARSER.sniff(source) == 0.9
    assert detect(source).name == "docx"
    with pytest.raises(ParseError, match=message):
        PARSER.parse(source)


def test_sniff_never_raises_on_a_broken_zip() -> None:
    data = builder.styled_document()
    # Too short to name word/ in its head, so sniff opens the zip, which fails inside sniff.
    assert PARSER.sniff(SourceFile("odd.bin", data[:40])) == 0.0
    assert PARSER.sniff(SourceFile("odd.docx", b"PK\x03\x04" + b"\x00" * 100)) == 0.5


def test_inflating_documents_are_refused_before_reading() -> None:
    bomb = builder.padded_document(4_000_000)
    assert len(bomb) < 50_000
    with pytest.raises(
        ParseError, match=r"word/document\.xml would inflate from [\d,]+ bytes to 4,00\d,\d{3}"
    ):
        PARSER.parse(SourceFile("bomb.docx", bomb))
    huge = builder.declared_size(builder.styled_document(), 300 * 1024 * 1024)
    with pytest.raises(
        ParseError, match=r"too large: its parts inflate to 31[45],\d{3},\d{3} bytes \(the limit is 96 MB\)"
    ):
        PARSER.parse(SourceFile("huge.docx", huge))
    # Ordinary padding (a long but honest document) still reads.
    [work] = PARSER.parse(SourceFile("padded.docx", builder.padded_document(100_000)))
    assert work.title == "The Orchard Keeper"
