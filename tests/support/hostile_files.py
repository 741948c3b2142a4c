"""A corpus of hostile files, one for each case in issue 12's "Limits on untrusted input", written
beside good ones. Big inputs are generated compressed (zip members, EPUB chapters) so the corpus
stays a few MB on disk however large the files claim to be; the few plain big files are written
sparsely where the format allows, else made in the test's tmp folder and deleted with it."""

from __future__ import annotations

import json
import zipfile
import zlib
from pathlib import Path

from support import epub_builder, odt_builder

_MB = 1024 * 1024


def _deflated_zeros(size: int, byte: bytes = b"a") -> tuple[bytes, int]:
    """A raw deflate stream of `size` copies of `byte` and its CRC, made in 1 MB steps."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = byte * _MB
    crc = 0
    parts = []
    for _ in range(size // _MB):
        parts.append(compressor.compress(block))
        crc = zlib.crc32(block, crc)
    parts.append(compressor.flush())
    return b"".join(parts), crc


def _precompressed_zip(path: Path, members: list[tuple[str, bytes, int, int]]) -> None:
    """A zip whose members are given already deflated (name, raw deflate, crc, size): thirty
    members of 90 MB take one compression, not thirty."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, raw, crc, size in members:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.file_size, info.compress_size, info.CRC = size, len(raw), crc
            info.header_offset = archive.fp.tell()  # type: ignore[union-attr]
            archive.fp.write(info.FileHeader())  # type: ignore[union-attr]
            archive.fp.write(raw)  # type: ignore[union-attr]
            archive.filelist.append(info)
            archive.NameToInfo[name] = info
            archive.start_dir = archive.fp.tell()  # type: ignore[union-attr]


def _work_json(work: dict[str, object]) -> str:
    return json.dumps({"works": [work]})


def _chapter_work(title: str, **fields: object) -> dict[str, object]:
    return {
        "title": title,
        "authors": ["hostile"],
        "chapters": [{"number": 1, "html": "<p>words</p>"}],
        **fields,
    }


def write_hostile(folder: Path) -> dict[str, str]:
    """Writes every hostile file into `folder`; answers {file name: what it is}."""
    folder.mkdir(parents=True, exist_ok=True)
    cases: dict[str, str] = {}

    def put(name: str, what: str, data: bytes | str) -> None:
        (folder / name).write_bytes(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
        cases[name] = what

    put("links.md", "Markdown [a]( 50,000 times", "# Links\n\n" + "[a](" * 50_000)
    attributes = " ".join(f"a{n}=x" for n in range(200_000))
    put(
        "attributes.html",
        "a tag with 200,000 attributes",
        f"<html><body><p {attributes}>text</p></body></html>",
    )
    put(
        "one-line.html", "a 40 MB single line", "<html><body><p>" + "word " * (8 * _MB) + "</p></body></html>"
    )
    put("nested.html", "deeply nested HTML", "<html><body>" + "<div>" * 100_000 + "x" + "</div>" * 100_000)
    put("one-line.md", "20 MB one-line Markdown", "# Title\n\n" + "word " * (4 * _MB))
    put("nested.json", "deeply nested JSON", '{"works": [' + "[" * 100_000 + "]" * 100_000 + "]}")
    put(
        "digits.json",
        "5,000-digit integers",
        '{"works": [{"title": "Digits", "chapters": [{"number": ' + "9" * 5000 + ', "html": "<p>x</p>"}]}]}',
    )
    put(
        "huge-numbers.json",
        "huge integers in dates and counts",
        _work_json(
            _chapter_work(
                "Huge numbers",
                published="99999999999-99-99",
                chapters_expected=10**30,
                stats={"kudos": 10**40, "words": -(10**25)},
            )
        ),
    )
    put(
        "surrogates.json",
        "lone surrogates in JSON",
        '{"works": [{"title": "\\ud800 lone", "authors": ["\\udfff"], "chapters": [{"number": 1, "html": "<p>\\ud800</p>"}]}]}',
    )
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{n} "{("&lol%s;" % (n - 1 if n > 1 else "")) * 10}">' for n in range(1, 10))
        + ']><html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head><body><p>&lol9;</p></body></html>'
    )
    put(
        "entities.epub",
        "an XML entity declaration (billion laughs) in an EPUB chapter",
        _epub({"book/c1.xhtml": laughs}, ["c1.xhtml"]),
    )
    put(
        "entities.odt",
        "an XML entity declaration (billion laughs) in an ODT's content.xml",
        odt_builder.pack(
            {
                "content.xml": laughs.split("<html", 1)[0]
                + odt_builder.content("<text:p>&lol9;</text:p>").split("\n", 1)[1]
            }
        ),
    )
    put("huge-spine.epub", "an EPUB whose spine lists huge files", _huge_spine_epub())
    put("big.sql", "a big SQL dump", _big_dump())
    put(
        "bad-types.json",
        "a work JSON whose reader raises on wrong types",
        _work_json({"title": ["not", "text"], "chapters": "x"}),
    )
    put("garbage.docx", "a DOCX that is not a zip at all", b"PK\x03\x04" + bytes(range(256)) * 8)

    cases.update(write_zips(folder))
    return cases


def write_zips(folder: Path) -> dict[str, str]:
    """The zip cases alone: a few MB on disk, whatever they claim."""
    folder.mkdir(parents=True, exist_ok=True)
    cases: dict[str, str] = {}
    raw, crc = _deflated_zeros(99 * _MB)
    _precompressed_zip(folder / "bomb.zip", [("story.txt", raw, crc, 99 * _MB)])
    cases["bomb.zip"] = "a zip bomb: about 100 KB inflating to 99 MB"
    raw, crc = _deflated_zeros(90 * _MB)
    _precompressed_zip(folder / "members.zip", [(f"part-{n}.txt", raw, crc, 90 * _MB) for n in range(30)])
    cases["members.zip"] = "a zip of 30 members of 90 MB each"
    with zipfile.ZipFile(folder / "nested.zip", "w") as nested:
        nested.writestr("inner.zip", (folder / "bomb.zip").read_bytes())
    cases["nested.zip"] = "a zip inside a zip"
    return cases


def _epub(docs: dict[str, str | bytes], spine: list[str]) -> bytes:
    items = "".join(
        f'<item id="i{n}" href="{name}" media-type="application/xhtml+xml"/>' for n, name in enumerate(spine)
    )
    refs = "".join(f'<itemref idref="i{n}"/>' for n in range(len(spine)))
    opf = (
        '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Hostile</dc:title></metadata>'
        f"<manifest>{items}</manifest><spine>{refs}</spine></package>"
    )
    files: dict[str, bytes | str] = {
        "META-INF/container.xml": epub_builder.CONTAINER.format(opf="book/package.opf"),
        "book/package.opf": opf,
        **docs,
    }
    return epub_builder.pack(files)


def _huge_spine_epub() -> bytes:
    # Each chapter claims 80 MB of text: deflated it is 80 KB, so the EPUB stays small.
    body = epub_builder.page("<p>" + "word " * (16 * _MB) + "</p>")
    return _epub({f"book/c{n}.xhtml": body for n in range(4)}, [f"c{n}.xhtml" for n in range(4)])


def _big_dump() -> bytes:
    # One row a line, as mysqldump --skip-extended-insert writes it: no line is long, there are many.
    rows = "".join(
        f"INSERT INTO `fanfiction_stories` VALUES ({n},'Story {n}','summary',1,'2020-01-01 00:00:00',1000);\n"
        for n in range(300_000)
    )
    return (
        "CREATE TABLE `fanfiction_stories` (`sid` int(11), `title` varchar(200), `summary` text, "
        "`uid` int(11), `date` datetime, `wordcount` int(11));\n" + rows
    ).encode()


def write_good(folder: Path, count: int) -> list[str]:
    """`count` small good works as work JSON, Markdown and plain text; answers their titles. Work n
    holds the word quillon<n:04d>, found in no other, so that a search for it finds that work."""
    folder.mkdir(parents=True, exist_ok=True)
    titles = []
    for n in range(count):
        title = f"Harbour lantern {n} quillon{n:04d}"
        titles.append(title)
        body = f"The keeper of lantern {n} wrote quillon{n:04d} in the ledger before the tide turned."
        match n % 3:
            case 0:
                work = _chapter_work(title, summary=f"<p>{body}</p>")
                work["chapters"] = [{"number": 1, "html": f"<p>{body}</p>" * 20}]
                (folder / f"good-{n:03d}.json").write_text(_work_json(work))
            case 1:
                (folder / f"good-{n:03d}.md").write_text(f"# {title}\n\n" + (body + "\n\n") * 20)
            case _:
                # Plain text has no title line: the reader names the work after its file.
                titles[-1] = f"good-{n:03d}"
                (folder / f"good-{n:03d}.txt").write_text((body + "\n\n") * 20)
    return titles
