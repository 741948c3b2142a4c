"""Whatever bytes a reader is handed, it gives works or a ParseError: never another exception.
Random bytes test the front doors; the fixtures, mutated (bytes flipped, cut, hostile tokens
spliced in, EPUB members edited and re-zipped), test the paths deep inside each reader."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.formats.detect import parse_source
from fanarchive.domain.formats.registry import all_parsers
from fanarchive.domain.work import works_to_json
from support import odt_builder

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
PARSERS = sorted(parser.name for parser in all_parsers())
# Tokens that broke readers before: unclosed links, a number past any count, surrogate escapes,
# entity declarations, deep nesting, NUL and control characters, stray markup.
HOSTILE = [
    b"[a](" * 50,
    b"9" * 60,
    b"-" + b"9" * 30,
    b"\\ud800",
    b"\\udc00\\ud800",
    b'<!DOCTYPE x [<!ENTITY a "aaaa">]>&a;',
    b"<div>" * 300,
    b"[" * 300,
    b"{" * 300,
    b"\x00\x01\x1b\xff\xfe",
    b"</p></body></html>",
    b"Published: 01/01/99999999999",
    b"Updated: 99/99/99",
    b"Chapters: 99999999999999999999/?",
    b"Words: 1e999",
    b"'),(",
    b"\r\n\r\n",
    b"\xe2\x80\xa8",
]
_FORMAT_FIXTURES = {
    "ao3-html": ["ao3-html/*.html"],
    "ao3-text": ["ao3/*.txt"],
    "efiction-dump": ["efiction/archive/backup.sql"],
    "efiction-html": ["efiction/*.html"],
    "efiction-text": ["efiction/*.txt"],
    "fanarchive-txt": ["fanarchive_txt/*.txt"],
    "fanficfare-html": ["fanficfare/*.html"],
    "fanficfare-txt": ["fanficfare/*.txt"],
    "ffn-html": ["ffn/*.html"],
    "ffn-mirror-text": ["ffn/mirror-*.txt"],
    "html": ["plain/*.html"],
    "markdown": ["plain/*.md"],
    "plain-text": ["plain/*.txt"],
    "tumblr-json": ["tumblr/*.json"],
    "tumblr-text": ["tumblr/*.txt"],
}
_EPUB_FIXTURES = {"epub": "ao3-calibre", "ao3-epub": "ao3-calibre", "fanficfare-epub": "fanficfare"}


def _fixture_cases() -> list[tuple[str, Path]]:
    cases = []
    for format_name, patterns in _FORMAT_FIXTURES.items():
        for pattern in patterns:
            cases.extend((format_name, path) for path in sorted(FIXTURES.glob(pattern)))
    return cases


def _read(format_name: str, name: str, data: bytes) -> None:
    try:
        works = parse_source(SourceFile(name=name, data=data), format_name)
    except ParseError:
        return
    assert works
    works_to_json(works).encode("utf-8")  # what a reader hands on can be stored and written out


def _zip_epub(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", members.pop("mimetype", b"application/epub+zip"), zipfile.ZIP_STORED)
        for name, data in members.items():
            archive.writestr(name, data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _epub_members(directory: str) -> dict[str, bytes]:
    root = FIXTURES / "epub" / directory
    return {
        str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()
    }


_edits = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=1),
        st.sampled_from(["replace", "insert", "delete", "cut"]),
        st.one_of(st.sampled_from(HOSTILE), st.binary(min_size=1, max_size=16)),
    ),
    min_size=1,
    max_size=4,
)


def _mutate(data: bytes, edits: list[tuple[float, str, bytes]]) -> bytes:
    for where, operation, payload in edits:
        position = int(where * len(data))
        if operation == "replace":
            data = data[:position] + payload + data[position + len(payload) :]
        elif operation == "insert":
            data = data[:position] + payload + data[position:]
        elif operation == "delete":
            data = data[:position] + data[position + len(payload) * 8 :]
        else:
            data = data[:position]
    return data


@pytest.mark.parametrize("format_name", PARSERS)
@given(data=st.binary(max_size=4096))
def test_any_bytes_give_works_or_a_parse_error(format_name: str, data: bytes) -> None:
    _read(format_name, "upload.bin", data)


@pytest.mark.parametrize(
    ("format_name", "path"), _fixture_cases(), ids=lambda value: str(value).rsplit("/", 2)[-1]
)
@given(edits=_edits)
def test_mutated_fixtures_give_works_or_a_parse_error(format_name: str, path: Path, edits: list) -> None:
    _read(format_name, path.name, _mutate(path.read_bytes(), edits))


@pytest.mark.parametrize("format_name", sorted(_EPUB_FIXTURES))
@given(edits=_edits, member=st.integers(min_value=0, max_value=50), whole=st.booleans())
def test_mutated_epubs_give_works_or_a_parse_error(
    format_name: str, edits: list, member: int, whole: bool
) -> None:
    members = _epub_members(_EPUB_FIXTURES[format_name])
    if whole:  # the zip itself damaged
        data = _mutate(_zip_epub(members), edits)
    else:  # one member's XML or XHTML edited, the zip sound
        name = sorted(members)[member % len(members)]
        members[name] = _mutate(members[name], edits)
        data = _zip_epub(members)
    _read(format_name, "book.epub", data)


def _odt_members() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(odt_builder.styled_document())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@given(edits=_edits, member=st.integers(min_value=0, max_value=50), whole=st.booleans())
def test_mutated_odts_give_works_or_a_parse_error(edits: list, member: int, whole: bool) -> None:
    members = _odt_members()
    mimetype = members.pop("mimetype").decode()
    if whole:  # the zip itself damaged
        data = _mutate(odt_builder.pack(dict(members), mimetype), edits)
    else:  # one member's XML edited (content, styles, meta, manifest), the zip sound
        name = sorted(members)[member % len(members)]
        members[name] = _mutate(members[name], edits)
        data = odt_builder.pack(dict(members), mimetype)
    _read("odt", "story.odt", data)


@given(edits=_edits)
def test_mutated_work_json_gives_works_or_a_parse_error(edits: list) -> None:
    source = FIXTURES / "ao3" / "full-work.txt"
    works = parse_source(SourceFile(name=source.name, data=source.read_bytes()), "ao3-text")
    _read("work-json", "works.json", _mutate(works_to_json(works).encode(), edits))
