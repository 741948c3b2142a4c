"""Every reader, forced onto input that is not its format (`--format NAME` on the wrong file),
answers with works that fit the schema or a ParseError: never another exception, which would reach
the user as a crash instead of one line naming the file and the problem."""

from __future__ import annotations

import contextlib
import gzip
import io
import random
import zipfile
from collections.abc import Callable
from typing import Any

import pytest

from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.formats.detect import detect, parse_source
from fanarchive.domain.formats.registry import all_parsers


def _zip(members: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _damaged(members: dict[str, str | bytes], member: str) -> bytes:
    good = _zip(members)
    # A deflate block of the reserved type 3: zlib stops with "invalid block type".
    data = bytearray(good)
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        info = archive.getinfo(member)
    data[info.header_offset + 30 + len(info.filename) + len(info.extra)] = 0xFF
    return bytes(data)


HOSTILE: dict[str, bytes] = {
    "binary": bytes(range(256)) * 4,
    "nuls": b"\x00" * 100,
    "prose": b"Hello there.\n\nA story about nothing.\n",
    "html": b"<html><body><p>x</p></body></html>",
    "json-object": b'{"a": 1}',
    "json-list": b"[1, 2, 3]",
    "empty-zip": _zip({}),
    "mimetype-only": _zip({"mimetype": "application/epub+zip"}),
    "docx-shell": _zip({"word/document.xml": "<x/>"}),
    "damaged-epub": _damaged(
        {"mimetype": "application/epub+zip", "META-INF/container.xml": "<container/>" * 50},
        "META-INF/container.xml",
    ),
    "damaged-docx": _damaged({"word/document.xml": "<w:document/>" * 50}, "word/document.xml"),
    "odt-shell": _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"}),
    "damaged-odt": _damaged(
        {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<office:text/>" * 50},
        "content.xml",
    ),
    "gzip-sql": gzip.compress(b"INSERT INTO `x` VALUES (1);"),
    "cut-sql": b"INSERT INTO `fanfiction_stories` VALUES (1,'a",
    "private-use": "Title by Author\n\ue000\ue001 Summary: x\n".encode(),
    "utf-16": "Chapter 1\n\nhi".encode("utf-16"),
    "cp1252": "Chapter 1\n\n\u201chi\u201d".encode("cp1252"),
    "chapter-zero": b"Chapter 0: Before\n\nText.\n\nChapter 1\n\nMore.\n",
}
_random = random.Random(20261124)
HOSTILE |= {f"random-{n}": _random.randbytes(_random.randrange(1, 600)) for n in range(12)}


@pytest.mark.parametrize("parser", sorted(p.name for p in all_parsers()))
def test_a_forced_reader_answers_with_works_or_a_parse_error(
    parser: str, assert_valid_works: Callable[..., Any]
) -> None:
    for name, data in HOSTILE.items():
        source = SourceFile(f"hostile-{name}", data)
        try:
            works = parse_source(source, parser)
        except ParseError as error:
            assert str(error).strip(), (parser, name)
            continue
        assert_valid_works(works)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_detection_never_crashes(name: str) -> None:
    source = SourceFile(f"hostile-{name}", HOSTILE[name])
    with contextlib.suppress(ParseError):
        assert detect(source).name in {parser.name for parser in all_parsers()}


# Readers of text formats, called directly (not through parse_source, which also turns a failed
# decode into a ParseError): each must say so itself.
TEXT_READERS = ("efiction-text", "ffn-html", "ffn-mirror-text", "tumblr-json", "tumblr-text")


@pytest.mark.parametrize("parser", TEXT_READERS)
@pytest.mark.parametrize(
    ("data", "message"),
    [(b"Title\x00\x01\x02 by someone", r"^binary data, not text$"), (b"\xff\xfeT\x00i", r"truncated data$")],
)
def test_undecodable_bytes_are_a_parse_error(parser: str, data: bytes, message: str) -> None:
    reader = {reader.name: reader for reader in all_parsers()}[parser]
    with pytest.raises(ParseError, match=message):
        reader.parse(SourceFile("story", data))
