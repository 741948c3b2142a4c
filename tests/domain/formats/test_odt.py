from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import pytest

from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.formats.detect import detect, parse_source
from fanarchive.domain.formats.odt import OdtParser
from fanarchive.domain.limits import LimitExceeded
from support import docx_builder, epub_builder
from support import odt_builder as builder

PARSER = OdtParser()


def _chapters(body: str, name: str = "story.odt") -> list[tuple[str | None, str]]:
    [work] = PARSER.parse(SourceFile(name, builder.document(body)))
    return [(chapter.title, chapter.html) for chapter in work.chapters]


def test_headings_spans_lists_notes_and_meta(assert_valid_works: Callable[..., dict]) -> None:
    source = SourceFile("salt.odt", builder.styled_document())
    assert detect(source).name == "odt"
    [work] = PARSER.parse(source)
    assert_valid_works([work])
    # The Title paragraph wins over meta.xml's dc:title; meta:initial-creator over dc:creator.
    assert (work.title, work.authors) == ("The Salt Road", ["Ines Calloway"])
    assert [(c.number, c.title, c.words) for c in work.chapters] == [(1, "The Well", 35), (2, None, 17)]
    assert work.chapters[0].html == (
        "<p>She drew <strong>cold</strong> water from the <em>old</em> well<sup>1</sup>, and the   rope creaked.</p>\n"
        "<p>Her mother called:<br>“Mind the <u>edge</u>!”</p>\n"
        "<ul><li>bread</li><li>salt<ol><li>coarse</li></ol></li></ul>\n"
        "<hr>\n"
        "<p><em>The road went <s>east</s> west.</em></p>\n"
        "<h3>A Smaller Heading</h3>\n"
        '<p align="center">o0o</p>\n'
        '<div class="footnotes"><p><sup>1</sup> Dug in <em>1802</em>.</p></div>'
    )
    # Only web links are kept; the comment (office:annotation) and the image are not text.
    assert work.chapters[1].html == (
        '<p>They followed the <a href="https://example.org/map" rel="nofollow noopener">old map</a> and the notes<sup>2</sup>.</p>\n'
        "<p>At the coast they stopped.</p>\n"
        '<div class="footnotes"><p><sup>2</sup> Lost since.</p></div>'
    )
    assert work.doubts == [
        "The author is the document's creator property, which may be whoever made the file.",
        "The document's images were left out (1).",
    ]


def test_page_breaks_hint_at_chapters_and_meta_gives_the_title(
    assert_valid_works: Callable[..., dict],
) -> None:
    [work] = PARSER.parse(SourceFile("tides.odt", builder.page_break_document()))
    assert_valid_works([work])
    assert (work.title, work.authors) == ("Tides", ["Ines Calloway"])
    assert [(c.title, c.words) for c in work.chapters] == [("Low Tide", 11), ("High Tide", 13)]
    assert work.chapters[1].html == "<p>By evening the pier was half as long, and nobody remarked on it.</p>"
    assert "The document has no chapter headings; its page breaks were read as chapter breaks." in work.doubts


def test_soft_page_breaks_are_layout_not_chapters() -> None:
    body = (
        '<text:p text:style-name="Text_20_body">Low Tide</text:p>'
        "<text:p>The water went out.</text:p><text:soft-page-break/><text:p>It came back.</text:p>"
    )
    assert _chapters(body) == [(None, "<p>Low Tide</p>\n<p>The water went out.</p>\n<p>It came back.</p>")]


def test_placeholder_meta_falls_back_to_the_file_name() -> None:
    data = builder.document(
        "<text:p>Words.</text:p>", builder.meta(title="Untitled 1", initial_creator="User")
    )
    [work] = PARSER.parse(SourceFile("harbour_lights.odt", data))
    assert (work.title, work.authors) == ("harbour lights", [])
    assert work.doubts == [
        "The document names no title; the file name was used.",
        "The document names no author.",
    ]


def test_whitespace_spaces_tabs_and_indentation() -> None:
    body = (
        '<text:p>  <text:s text:c="6"/>Indented\n   text<text:tab/>after a tab, '
        'a<text:s text:c="99999999999999999999999999"/>b<text:s/>c</text:p>'
    )
    [(_title, html)] = _chapters(body)
    assert html == "<p>Indented text after a tab, a" + " " * 100 + "b c</p>"


def test_images_and_text_boxes_are_left_out_with_a_doubt() -> None:
    body = (
        '<text:p>Before<draw:image xlink:href="Pictures/a.png"/> and <draw:frame><draw:text-box>'
        "<text:p>Caption</text:p></draw:text-box></draw:frame>after.</text:p>"
        '<draw:frame text:anchor-type="page"><draw:image xlink:href="Pictures/b.png"/></draw:frame>'
    )
    [work] = PARSER.parse(SourceFile("pictures.odt", builder.document(body)))
    assert work.chapters[0].html == "<p>Before and after.</p>"
    assert "The document's images were left out (2)." in work.doubts


def test_tracked_deletions_indexes_and_tables() -> None:
    body = (
        "<text:tracked-changes><text:changed-region text:id='c1'><text:deletion>"
        "<text:p>Deleted words.</text:p></text:deletion></text:changed-region></text:tracked-changes>"
        "<text:table-of-content><text:index-body><text:p>Contents 1</text:p></text:index-body></text:table-of-content>"
        "<text:p>Kept<text:change text:change-id='c1'/> words.</text:p>"
        "<table:table><table:table-row><table:table-cell><text:p>Day</text:p></table:table-cell>"
        "<table:table-cell><text:p>Miles</text:p></table:table-cell><table:covered-table-cell/></table:table-row>"
        "</table:table>"
        "<text:section text:name='S1'><text:p>In a section.</text:p></text:section>"
    )
    assert _chapters(body) == [
        (
            None,
            "<p>Kept words.</p>\n<table><tbody><tr><td>Day</td><td>Miles</td></tr></tbody></table>\n<p>In a section.</p>",
        )
    ]


def test_headings_inside_a_list_are_still_chapters() -> None:
    body = (
        '<text:list text:style-name="L2"><text:list-item><text:h text:outline-level="1">Arrival</text:h></text:list-item></text:list>'
        "<text:p>They came by boat.</text:p>"
        '<text:list text:style-name="L2"><text:list-item><text:h text:outline-level="1">Departure</text:h></text:list-item></text:list>'
        "<text:p>They left by road.</text:p>"
    )
    assert _chapters(body) == [
        ("Arrival", "<p>They came by boat.</p>"),
        ("Departure", "<p>They left by road.</p>"),
    ]


def test_sniff_knows_odt_from_other_zips() -> None:
    assert PARSER.sniff(SourceFile("salt.odt", builder.styled_document())) == 0.9
    template = builder.pack(
        {"content.xml": builder.content("<text:p>x</text:p>")}, f"{builder.MIMETYPE}-template"
    )
    assert PARSER.sniff(SourceFile("letter.ott", template)) == 0.9
    sheet = builder.pack({"content.xml": "<x/>"}, "application/vnd.oasis.opendocument.spreadsheet")
    assert PARSER.sniff(SourceFile("sums.ods", sheet)) == 0.0
    assert PARSER.sniff(SourceFile("book.epub", epub_builder.pack({"content.xml": "<x/>"}))) == 0.0
    assert PARSER.sniff(SourceFile("orchard.docx", docx_builder.styled_document())) == 0.0
    # No mimetype member: the suffix alone makes it a guess, and a broken zip is no worse.
    bare = builder.pack({"content.xml": builder.content("<text:p>Bare.</text:p>")}, mimetype=None)
    assert PARSER.sniff(SourceFile("bare.odt", bare)) == 0.5
    assert PARSER.sniff(SourceFile("bare.zip", bare)) == 0.0
    assert PARSER.sniff(SourceFile("odd.odt", b"PK\x03\x04" + b"\x00" * 100)) == 0.5
    # A mimetype deflated against the spec is read from the zip rather than from the head.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", builder.MIMETYPE)
        archive.writestr("content.xml", builder.content("<text:p>Deflated.</text:p>"))
    assert PARSER.sniff(SourceFile("deflated.bin", buffer.getvalue())) == 0.9
    [work] = PARSER.parse(SourceFile("bare.odt", bare))
    assert work.chapters[0].html == "<p>Bare.</p>"


def _laughs() -> bytes:
    entities = "".join(
        f'<!ENTITY lol{n} "{("&lol%s;" % (n - 1 if n > 1 else "")) * 10}">' for n in range(1, 10)
    )
    declaration = f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">{entities}]>'
    body = builder.content("<text:p>&lol9;</text:p>").split("\n", 1)[1]
    return builder.pack({"content.xml": declaration + body})


def _encrypted_manifest() -> bytes:
    manifest = builder.MANIFEST.replace(
        'manifest:full-path="content.xml" manifest:media-type="text/xml"/>',
        'manifest:full-path="content.xml" manifest:media-type="text/xml">'
        '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="AAAA"/></manifest:file-entry>',
    )
    return builder.pack({"content.xml": b"\x8a\x01\x93 not XML", "META-INF/manifest.xml": manifest})


def _nested(depth: int) -> bytes:
    return builder.document(
        "<text:p>" + "<text:span>" * depth + "deep" + "</text:span>" * depth + "</text:p>"
    )


HOSTILE: dict[str, tuple[Callable[[], bytes], type[ParseError], str]] = {
    "billion laughs": (_laughs, ParseError, r"content\.xml declares a DTD or XML entities"),
    "nesting past our limit": (
        lambda: _nested(250),
        LimitExceeded,
        r"nested too deeply: over the reader limit max_depth=200",
    ),
    "nesting past libxml2's": (lambda: _nested(5000), LimitExceeded, r"max_depth"),
    "zip bomb": (
        lambda: builder.document("<text:p>" + " " * 4_000_000 + "x</text:p>"),
        LimitExceeded,
        r"zip bomb: content\.xml would inflate from [\d,]+ bytes to 4,00\d,\d{3}",
    ),
    "declared size": (
        lambda: docx_builder.declared_size(builder.styled_document(), 300 * 1024 * 1024, "content.xml"),
        LimitExceeded,
        r"inflate to 31\d,\d{3},\d{3} bytes: over the reader limit max_unpacked_bytes",
    ),
    "damaged member": (
        lambda: docx_builder.damaged_member(builder.styled_document(), "content.xml"),
        ParseError,
        r"damaged: content\.xml does not unpack",
    ),
    "zip-encrypted member": (
        lambda: docx_builder.encrypted_member(builder.styled_document(), "content.xml"),
        ParseError,
        r"encrypted: content\.xml needs a password",
    ),
    "password-protected": (
        _encrypted_manifest,
        ParseError,
        r"password-protected: its content\.xml is encrypted",
    ),
    "truncated": (
        lambda: builder.styled_document()[:700],
        ParseError,
        r"zip archive is truncated or damaged",
    ),
    "no content.xml": (
        lambda: builder.pack({"styles.xml": builder.STYLES}),
        ParseError,
        r"has no content\.xml",
    ),
    "malformed XML": (
        lambda: builder.pack({"content.xml": "<office:document-content>"}),
        ParseError,
        r"not well-formed XML",
    ),
    "a spreadsheet body": (
        lambda: builder.pack(
            {"content.xml": builder.content("").replace("office:text>", "office:spreadsheet>")}
        ),
        ParseError,
        r"no office:text body \(it holds office:spreadsheet\)",
    ),
    "no text": (lambda: builder.document("<text:p> </text:p>"), ParseError, r"the document holds no text"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_files_are_refused_cleanly(case: str) -> None:
    build, error, message = HOSTILE[case]
    source = SourceFile("hostile.odt", build())
    assert detect(source).name == "odt"
    with pytest.raises(error, match=message):
        parse_source(source)


def test_ordinary_padding_still_reads() -> None:
    # A long but honest document compresses well too; under the ratio floor it is read.
    data = builder.document("<text:p>" + " " * 500_000 + "Honest words.</text:p>")
    [work] = PARSER.parse(SourceFile("padded.odt", data))
    assert work.chapters[0].html == "<p>Honest words.</p>"
