"""`fanarchive parse FILE --json` on one input of every format family, in process: what it prints is
work JSON that validates against the published schema, with the works the file holds."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from fanarchive.cli.main import main
from fanarchive.domain.formats.registry import all_parsers
from support import docx_builder, epub_builder, odt_builder

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _fixture(relative: str) -> Callable[[Path], Path]:
    return lambda _tmp: FIXTURES / relative


def _written(name: str, make: Callable[[], bytes]) -> Callable[[Path], Path]:
    def write(tmp: Path) -> Path:
        path = tmp / name
        path.write_bytes(make())
        return path

    return write


def _generic_epub() -> bytes:
    files = epub_builder.generic_book(
        spine=["one.xhtml", "two.xhtml"],
        docs={
            "one.xhtml": "<h1>Low Water</h1><p>Fen walked the causeway before the tide turned.</p>",
            "two.xhtml": "<h1>High Water</h1><p>By dusk the causeway was a rumour.</p>",
        },
        metadata="<dc:title>The Causeway</dc:title><dc:creator>Tamsin Orrell</dc:creator>",
    )
    data: bytes = epub_builder.pack(files)
    return data


def _gzipped_dump(tmp: Path) -> Path:
    # Beside a copy of the chapter files, as an archive's backup folder would hold them.
    folder = FIXTURES / "efiction" / "archive"
    for chapter in (folder / "stories").rglob("*.txt"):
        target = tmp / chapter.relative_to(folder)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(chapter.read_bytes())
    path = tmp / "backup.sql.gz"
    path.write_bytes(gzip.compress((folder / "backup.sql").read_bytes()))
    return path


# label -> (input, the format each work's source names, titles of its works, chapters of each)
FAMILIES: dict[str, tuple[Callable[[Path], Path], str, list[str], list[int]]] = {
    "AO3 text": (_fixture("ao3/full-work.txt"), "ao3-text", ["Honey and Charts"], [2]),
    "AO3 HTML": (_fixture("ao3-html/old-form.html"), "ao3-html", ["Ferry Crossings"], [2]),
    "AO3 page": (_fixture("ao3-page/full-work.html"), "ao3-page", ["Lanterns Over Harrow Bay"], [3]),
    "AO3 EPUB": (
        _written("salt.epub", lambda: epub_builder.pack_dir(FIXTURES / "epub" / "ao3-calibre")),
        "ao3-epub",
        ["Salt in the Gears"],
        [2],
    ),
    "eFiction text": (_fixture("efiction/printable.txt"), "efiction-text", ["The Ferryman's Daughter"], [2]),
    "eFiction HTML": (_fixture("efiction/skin-cp1252.html"), "efiction-html", ["Salt on the Wind"], [2]),
    "eFiction backup": (
        _gzipped_dump,
        "efiction-dump",
        ["The Lamplighter's Apprentice", "Salt on the Wind", "Pell Counts the Boats"],
        [2, 2, 1],
    ),
    "FFN page": (_fixture("ffn/crossover-oneshot.html"), "ffn-html", ["Ferry Crossing"], [1]),
    "FFN mirror": (_fixture("ffn/mirror-2.txt"), "ffn-mirror-text", ["Harbour Lights"], [1]),
    "tumblr text": (
        _fixture("tumblr/asks.txt"),
        "tumblr-text",
        [
            "Tea Shop AU, part one",
            "honestly? i don't. some days i\u2026",
            "Lighthouse starter",
            "*wraps both hands around the mug*\u2026",
        ],
        [1, 1, 1, 1],
    ),
    "tumblr JSON": (
        _fixture("tumblr/posts-v2.json"),
        "tumblr-json",
        [
            "the bell over the door rang\u2026",
            "Lighthouse Drabble",
            "Lighthouse headcanons",
            "they built a very bad snowman.",
        ],
        [1, 1, 1, 1],
    ),
    "FanFicFare EPUB": (
        _written("map.epub", lambda: epub_builder.pack_dir(FIXTURES / "epub" / "fanficfare")),
        "fanficfare-epub",
        ["The Cartographer's Apprentice"],
        [2],
    ),
    "FanFicFare HTML": (_fixture("fanficfare/ffn-lines.html"), "fanficfare-html", ["Under the Weir"], [1]),
    "FanFicFare TXT": (
        _fixture("fanficfare/meridian.txt"),
        "fanficfare-txt",
        ["The Log of the Meridian"],
        [2],
    ),
    "fanarchive TXT": (
        _fixture("fanarchive_txt/keepers-ledger.txt"),
        "fanarchive-txt",
        ["The Keeper's Ledger"],
        [2],
    ),
    "plain text": (_fixture("plain/lamplighter.txt"), "plain-text", ["The Lamplighter's Ledger"], [4]),
    "Markdown": (_fixture("plain/salt-and-iron.md"), "markdown", ["Salt and Iron"], [2]),
    "generic HTML": (_fixture("plain/kettle-page.html"), "html", ["The Kettle Society"], [2]),
    "EPUB": (_written("causeway.epub", _generic_epub), "epub", ["The Causeway"], [2]),
    "DOCX": (
        _written("orchard.docx", lambda: docx_builder.styled_document()),
        "docx",
        ["The Orchard Keeper"],
        [2],
    ),
    "ODT": (_written("salt.odt", lambda: odt_builder.styled_document()), "odt", ["The Salt Road"], [2]),
}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        resources.files("fanarchive.domain").joinpath("work.schema.json").read_text()
    )
    return loaded


def _parse_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["parse", *args, "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    data: dict[str, Any] = json.loads(out)
    return data


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_parse_prints_schema_valid_work_json(
    family: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], schema: dict[str, Any]
) -> None:
    make, source_format, titles, chapters = FAMILIES[family]
    path = make(tmp_path)
    data = _parse_json(capsys, str(path))
    jsonschema.validate(data, schema)
    works = data["works"]
    assert [work["source"]["format"] for work in works] == [source_format] * len(works)
    assert [len(work["chapters"]) for work in works] == chapters
    assert [work["title"] for work in works] == titles
    for work in works:
        assert all(chapter["words"] > 0 and chapter["html"] for chapter in work["chapters"])


def test_parse_reads_its_own_output_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    printed = _parse_json(capsys, str(FIXTURES / "efiction" / "printable.html"))
    path = tmp_path / "ledger.json"
    path.write_text(json.dumps(printed))
    assert _parse_json(capsys, str(path)) == printed
    assert printed["works"][0]["source"]["format"] == "efiction-html"


def test_format_overrides_detection(capsys: pytest.CaptureFixture[str]) -> None:
    data = _parse_json(capsys, str(FIXTURES / "ao3" / "full-work.txt"), "--format", "plain-text")
    assert [work["source"]["format"] for work in data["works"]] == ["plain-text"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ao3-html/no-chapters.html"], "no div#chapters: not an AO3 HTML download"),
        (["ao3/full-work.txt", "--format", "no-such-format"], "unknown format 'no-such-format' (known: "),
        (["no/such/file.txt"], "cannot be read: No such file or directory"),
    ],
)
def test_unreadable_input_says_why_and_prints_no_json(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(FIXTURES / args[0])
    status = main(["parse", path, *args[1:], "--json"])
    out, err = capsys.readouterr()
    assert status in (1, 2)
    assert out == ""
    assert err.startswith(f"{path}: {message}")


def test_every_registered_format_is_tried() -> None:
    # work-json is read by test_parse_reads_its_own_output_back.
    tried = {source_format for _make, source_format, _titles, _chapters in FAMILIES.values()}
    assert sorted({parser.name for parser in all_parsers()} - tried) == ["work-json"]
