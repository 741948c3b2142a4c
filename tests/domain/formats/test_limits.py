"""Each reader refuses hostile input with a ParseError (LimitExceeded names the limit), never a hang,
a crash or gigabytes of memory. Every case here crashed, hung or blew up memory before the limits."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from fanarchive.domain.formats._ao3_fields import read_stats
from fanarchive.domain.formats._efiction_fields import iso_date
from fanarchive.domain.formats._mysql_dump import read_tables
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.formats.detect import check_input, parse_source
from fanarchive.domain.formats.efiction_html import _site_and_sid
from fanarchive.domain.formats.registry import parser_named
from fanarchive.domain.limits import DEFAULT_LIMITS, LimitExceeded, ReaderLimits, bounded_int, whole_number
from fanarchive.domain.work import ParsedWork

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def _parse(name: str, data: bytes, format_name: str) -> list:
    return parse_source(SourceFile(name=name, data=data), format_name)


def test_limit_exceeded_is_a_parse_error_naming_the_limit() -> None:
    error = LimitExceeded("max_depth", 200, "the JSON")
    assert isinstance(error, ParseError)
    assert "max_depth=200" in str(error)


def test_markdown_with_thousands_of_unclosed_links_is_refused() -> None:
    # Python-Markdown scans ahead from every `](`: 50,000 of them held the parser for minutes.
    with pytest.raises(LimitExceeded, match="max_markdown_links"):
        _parse("links.md", b"# T\n\n" + b"[a](" * 50_000, "markdown")


def test_a_tag_with_thousands_of_attributes_is_refused() -> None:
    attributes = " ".join(f"a{i}=1" for i in range(5_000)).encode()
    page = b"<html><body><p " + attributes + b">text</p></body></html>"
    for format_name in ("html", "ao3-html", "ffn-html", "efiction-html"):
        with pytest.raises(ParseError, match="max_attributes=256"):
            _parse("page.html", page, format_name)


def test_a_real_page_with_a_few_attributes_still_reads() -> None:
    page = FIXTURES / "plain" / "kettle-page.html"
    assert _parse(page.name, page.read_bytes(), "html")


def test_a_line_longer_than_the_limit_is_refused_before_any_reader() -> None:
    line = b"word " * (DEFAULT_LIMITS.max_line_chars // 5 + 1)
    with pytest.raises(LimitExceeded, match="max_line_chars"):
        _parse("one-line.txt", line, "plain-text")


def test_input_larger_than_the_limit_is_refused() -> None:
    small = ReaderLimits(max_input_bytes=1_000)
    with pytest.raises(LimitExceeded, match="max_input_bytes=1000"):
        check_input(SourceFile(name="big.txt", data=b"x\n" * 600), small)


@pytest.mark.parametrize(
    ("format_name", "document"),
    [
        ("work-json", '{"works": ' + "[" * 100_000 + "]" * 100_000 + "}"),
        ("tumblr-json", '{"response": {"posts": ' + "[" * 100_000 + "]" * 100_000 + "}}"),
    ],
)
def test_deeply_nested_json_is_refused_not_a_recursion_error(format_name: str, document: str) -> None:
    with pytest.raises(LimitExceeded, match="max_depth"):
        _parse("deep.json", document.encode(), format_name)


def test_json_nested_past_max_depth_but_within_the_stack_is_refused() -> None:
    deep = '{"works": [' + '{"a": ' * 300 + "1" + "}" * 300 + "]}"
    with pytest.raises(LimitExceeded, match="max_depth=200"):
        _parse("deep.json", deep.encode(), "work-json")


def test_a_number_of_thousands_of_digits_is_refused() -> None:
    # Past 4,300 digits int() raises a bare ValueError; long before, dates overflow.
    document = '{"works": [{"title": "x", "stats": {"words": ' + "9" * 5_000 + "}}]}"
    with pytest.raises(LimitExceeded, match="max_integer_digits"):
        _parse("big.json", document.encode(), "work-json")
    with pytest.raises(LimitExceeded):
        bounded_int("1" * 101)
    assert bounded_int("0000042") == 42


def test_lone_surrogates_in_json_become_replacement_characters() -> None:
    work = {
        "title": "Half \\ud800 a pair",
        "chapters": [{"number": 1, "title": "a", "html": "<p>x\\udc00y</p>"}],
    }
    document = json.dumps({"works": [work]}).replace("\\\\u", "\\u")
    [parsed] = _parse("surrogate.json", document.encode(), "work-json")
    assert parsed.title == "Half \ufffd a pair"
    assert "\ufffd" in parsed.chapters[0].html
    parsed.title.encode("utf-8")  # what failed before: no encoder takes a lone surrogate
    # A real pair, escaped the way json.dumps writes it, stays the character it is.
    [paired] = _parse(
        "pair.json", json.dumps({"works": [{**work, "title": "\U0001f56f"}]}).encode(), "work-json"
    )
    assert paired.title == "\U0001f56f"


def _epub(opf_prefix: str, member: bytes, compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr(
            "META-INF/container.xml",
            '<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
            '<rootfile full-path="content.opf"/></rootfiles></container>',
        )
        archive.writestr(
            "content.opf",
            f'<?xml version="1.0"?>{opf_prefix}<package xmlns="http://www.idpf.org/2007/opf" version="2.0">'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>T</dc:title></metadata>'
            '<manifest><item id="c" href="c.xhtml" media-type="application/xhtml+xml"/></manifest>'
            '<spine><itemref idref="c"/></spine></package>',
        )
        archive.writestr("c.xhtml", member, compress_type=compress)
    return buffer.getvalue()


_PAGE = b'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>The lamp.</p></body></html>'


def test_an_epub_declaring_xml_entities_is_refused() -> None:
    laughs = '<!DOCTYPE package [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    with pytest.raises(ParseError, match="entities"):
        _parse("laughs.epub", _epub(laughs, _PAGE), "epub")
    assert _parse("plain.epub", _epub("", _PAGE), "epub")


def test_an_epub_member_larger_than_the_limit_is_refused() -> None:
    big = _PAGE.replace(b"The lamp.", b"lamp " * (DEFAULT_LIMITS.max_member_bytes // 5 + 1))
    with pytest.raises(LimitExceeded, match="max_member_bytes"):
        _parse("big.epub", _epub("", big, zipfile.ZIP_STORED), "epub")


def test_an_sql_dump_with_more_rows_than_the_limit_is_refused() -> None:
    dump = (FIXTURES / "efiction" / "archive" / "backup.sql").read_bytes()
    everything = read_tables([dump], lambda _name: True)
    rows = sum(len(table.rows) for table in everything.values())
    with pytest.raises(LimitExceeded, match=f"max_sql_rows={rows - 1}"):
        read_tables([dump], lambda _name: True, ReaderLimits(max_sql_rows=rows - 1))


def test_efiction_dates_that_are_no_day_are_none() -> None:
    assert iso_date("31/02/09", day_first=True) is None
    assert iso_date("14/05/09", day_first=True) == "2009-05-14"


def test_an_epub_document_whose_xml_declaration_never_ends_is_a_parse_error() -> None:
    # The reader itself, not the net in parse_source: str.index raised a bare ValueError here.
    book = _epub("", b'<?xml version="1.0" encoding="utf-8" <html><body><p>x</p></body></html>')
    with pytest.raises(ParseError, match="never ends"):
        parser_named("epub").parse(SourceFile(name="book.epub", data=book))


def test_efiction_html_with_control_characters_reads() -> None:
    page = (FIXTURES / "efiction" / "printable.html").read_bytes()
    middle = len(page) * 3 // 4
    [work] = parser_named("efiction-html").parse(
        SourceFile(name="printable.html", data=page[:middle] + b"\x01" + page[middle + 1 :])
    )
    assert work.chapters


def test_a_work_with_more_chapters_than_the_limit_is_refused() -> None:
    text = "".join(f"Chapter {n}\n\nThe lamp, {n} times.\n\n" for n in range(1, 31)).encode()
    assert len(parse_source(SourceFile(name="serial.txt", data=text), "plain-text")[0].chapters) == 30
    with pytest.raises(LimitExceeded, match="max_chapters=29"):
        parse_source(SourceFile(name="serial.txt", data=text), "plain-text", ReaderLimits(max_chapters=29))


def test_ao3_html_with_control_characters_reads() -> None:
    # outer_html put a tail back on the element, which lxml refuses when it holds a control character.
    page = b"\x01" * 13 + (FIXTURES / "ao3-html" / "empty-chapters.html").read_bytes()
    middle = int(len(page) * 0.3125)
    works = parser_named("ao3-html").parse(
        SourceFile(name="work.html", data=page[:middle] + b"\x01" + page[middle + 1 :])
    )
    assert works


def test_ao3_stats_that_are_no_numbers_are_left_out() -> None:
    # int("?") and int("1-2") raised a bare ValueError out of the AO3 readers.
    work = ParsedWork(title="t")
    read_stats(work, "Chapters: ?/1 Words: 1-2 Kudos: 1,204")
    assert work.stats == {"chapters": 0, "words": 0, "kudos": 1204}
    assert whole_number("\u0664\u0662") is None  # Arabic-Indic digits: \d matches them


def test_an_efiction_story_link_with_a_bad_host_still_gives_the_sid() -> None:
    assert _site_and_sid("Archived at http://[a]/efiction/viewstory.php?sid=3") == (None, None, "3")
