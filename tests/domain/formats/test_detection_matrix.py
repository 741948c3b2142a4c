"""One table of every fixture we hold (and the two shared samples) -> the parser auto-detection must
pick and what comes out. A new fixture file that is not in the table fails the completeness test, so
the table stays the single place that says how every input is recognised."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from fanarchive.archive.imports.sources import sibling_reader
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.formats.detect import detect, parse_source
from fanarchive.domain.formats.registry import all_parsers
from fanarchive.domain.text import count_words, html_to_text
from fanarchive.domain.work import works_to_json
from support import docx_builder, epub_builder, odt_builder

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


UNDETECTED = ""  # the parser name of a row that detection must refuse


@dataclass(frozen=True)
class Row:
    parser: str
    # Chapters of each work, in order; a malformed file has none and an `error` fragment instead.
    chapters: tuple[int, ...] = ()
    error: str | None = None


# Every file under tests/fixtures/, by its path there.
FILE_ROWS: dict[str, Row] = {
    "ao3/full-work.txt": Row("ao3-text", (2,)),
    "ao3/one-shot.txt": Row("ao3-text", (1,)),
    # A malformed AO3 copy that the AO3 reader refuses still reads as plain prose.
    "ao3/no-heading.txt": Row("plain-text", (1,)),
    "ao3-html/multi-chapter.html": Row("ao3-html", (3,)),
    "ao3-html/old-form.html": Row("ao3-html", (2,)),
    "ao3-html/one-shot.html": Row("ao3-html", (1,)),
    "ao3-html/empty-chapters.html": Row("ao3-html", error="div#chapters holds no chapter text"),
    "ao3-html/no-chapters.html": Row("ao3-html", error="no div#chapters: not an AO3 HTML download"),
    "ao3-page/full-work.html": Row("ao3-page", (3,)),
    "ao3-page/one-shot.html": Row("ao3-page", (1,)),
    "ao3-page/chapter-1.html": Row("ao3-page", (1,)),
    "ao3-page/chapter-2-html-only.html": Row("ao3-page", (1,)),
    "ao3-page/chapter-3.html": Row("ao3-page", (1,)),
    "ao3-page/download.html": Row("ao3-html", (3,)),
    "ao3-page/adult-warning.html": Row("ao3-page", error="'adult content' warning page"),
    "ao3-page/registered-only.html": Row("ao3-page", error="only available to registered users"),
    "efiction/archive/backup.sql": Row("efiction-dump", (2, 2, 1)),
    # eFiction's own backup: no CREATE TABLE, no column lists (3.5.x, and 3.0–3.3 layouts).
    "efiction/backup35/Tidewater_Archive12-05-2026.sql": Row("efiction-dump", (2, 2, 1)),
    "efiction/backup30/Harrow_Archive02-02-2009.sql": Row("efiction-dump", (2,)),
    "efiction/printable.html": Row("efiction-html", (3,)),
    "efiction/printable.txt": Row("efiction-text", (2,)),
    "efiction/skin-cp1252.html": Row("efiction-html", (2,)),
    "efiction/not-efiction.txt": Row("plain-text", (1,)),
    "fanarchive_txt/keepers-ledger.txt": Row("fanarchive-txt", (2,)),
    "fanficfare/ao3-table.html": Row("fanficfare-html", (2,)),
    "fanficfare/ffn-lines.html": Row("fanficfare-html", (1,)),
    "fanficfare/meridian.txt": Row("fanficfare-txt", (2,)),
    "ffn/crossover-oneshot.html": Row("ffn-html", (1,)),
    "ffn/fictionpress.html": Row("ffn-html", (1,)),
    "ffn/lantern-1.html": Row("ffn-html", (1,)),
    "ffn/lantern-2.html": Row("ffn-html", (1,)),
    "ffn/lantern-3.html": Row("ffn-html", (1,)),
    "ffn/truncated.html": Row("ffn-html", error="no #storytext block"),
    "ffn/not-ffn.html": Row("html", (1,)),
    "ffn/mirror-1.txt": Row("ffn-mirror-text", (1,)),
    "ffn/mirror-2.txt": Row("ffn-mirror-text", (1,)),
    "ffn/mirror-3.txt": Row("ffn-mirror-text", (1,)),
    "ffn/mirror-skip.txt": Row("ffn-mirror-text", error="entry 3 does not follow entry 2"),
    "ffn/mirror-unlisted.txt": Row("ffn-mirror-text", error="is not in the chapter index"),
    "plain/bell-tower.txt": Row("plain-text", (2,)),
    "plain/lamplighter.txt": Row("plain-text", (4,)),
    "plain/parcel-post-wrapped.txt": Row("plain-text", (2,)),
    "plain/kettle-page.html": Row("html", (2,)),
    "plain/chapter-articles.html": Row("html", (3,)),
    "plain/salt-and-iron.md": Row("markdown", (2,)),
    "tumblr/asks.txt": Row("tumblr-text", (1, 1, 1, 1)),
    "tumblr/blog-page.txt": Row("tumblr-text", (1, 1, 1, 1, 1)),
    "tumblr/reblogs-crlf.txt": Row("tumblr-text", (1, 1, 1)),
    "tumblr/posts-v2.json": Row("tumblr-json", (1, 1, 1, 1)),
    "tumblr/not-tumblr.txt": Row("plain-text", (1,)),
    # JSON that no JSON reader takes is data: nothing claims it, not even plain text.
    "tumblr/not-posts.json": Row(UNDETECTED, error="unknown format: no parser recognises this file"),
}

# Folders that are one input: an EPUB's unpacked tree, packed by test_epub's helper.
FOLDER_ROWS: dict[str, Row] = {
    "epub/ao3-calibre": Row("ao3-epub", (2,)),
    "epub/fanficfare": Row("fanficfare-epub", (2,)),
    # calibre's re-pack: cover page, title-only first split file, a chapter over two split files.
    "epub/calibre-split": Row("epub", (3,)),
}

# Files never read on their own: the dump names them and reads them beside itself.
READ_THROUGH = {
    "efiction/archive/stories": "efiction/archive/backup.sql",
    "efiction/backup35/storiesef": "efiction/backup35/Tidewater_Archive12-05-2026.sql",
}

# Near misses of a family: its parser must not claim them, and says why when forced.
NEAR_MISSES: dict[str, tuple[str, str | None]] = {
    "ao3/no-heading.txt": ("ao3-text", "has no `Chapter N` heading above it"),
    "efiction/not-efiction.txt": ("efiction-text", "the first line is not `TITLE by AUTHOR`"),
    "ffn/not-ffn.html": ("ffn-html", "no #profile_top block"),
    "tumblr/not-posts.json": ("tumblr-json", "not tumblr post JSON"),
    # Prose with "she asked:" in it: the tumblr reader could read it, so only its sniff is checked.
    "tumblr/not-tumblr.txt": ("tumblr-text", None),
}


def _fixture_source(relative: str) -> SourceFile:
    path = FIXTURES / relative
    return SourceFile(path.name, path.read_bytes(), open_sibling=sibling_reader(path.parent))


def _generic_epub() -> SourceFile:
    return SourceFile("causeway.epub", epub_builder.causeway_book())


def _work_json() -> SourceFile:
    # Our own interchange form read back: the printable page's work, as `fanarchive parse --json` prints it.
    works = parse_source(_fixture_source("efiction/printable.txt"))
    return SourceFile("printable.json", works_to_json(works).encode())


def _gzipped_dump() -> SourceFile:
    path = FIXTURES / "efiction" / "archive" / "backup.sql"
    return SourceFile("backup.sql.gz", gzip.compress(path.read_bytes()), sibling_reader(path.parent))


# Inputs the tests build in memory, from the same helpers their own tests use.
BUILT_ROWS: dict[str, tuple[Callable[[], SourceFile], Row]] = {
    "docx: styled": (lambda: SourceFile("orchard.docx", docx_builder.styled_document()), Row("docx", (2,))),
    "docx: page breaks": (
        lambda: SourceFile("tide.docx", docx_builder.page_break_document()),
        Row("docx", (2,)),
    ),
    "odt: styled": (lambda: SourceFile("salt.odt", odt_builder.styled_document()), Row("odt", (2,))),
    "odt: page breaks": (
        lambda: SourceFile("tides.odt", odt_builder.page_break_document()),
        Row("odt", (2,)),
    ),
    "epub: generic": (_generic_epub, Row("epub", (2,))),
    "efiction dump: gzip": (_gzipped_dump, Row("efiction-dump", (2, 2, 1))),
    "work JSON: printable page read back": (_work_json, Row("work-json", (2,))),
}

SAMPLE_ROWS: dict[str, Row] = {
    "ao3-work.txt": Row("ao3-text", (8,)),
    "efiction-story.txt": Row("efiction-text", (26,)),
}


def _source_for(key: str, samples_dir: Path | None = None) -> SourceFile:
    kind, _, name = key.partition(":")
    if kind == "file":
        return _fixture_source(name)
    if kind == "folder":
        return SourceFile(f"{Path(name).name}.epub", epub_builder.pack_dir(FIXTURES / name))
    if kind == "built":
        return BUILT_ROWS[name][0]()
    assert samples_dir is not None
    path = samples_dir / name
    return SourceFile(path.name, path.read_bytes())


ALL_ROWS: dict[str, Row] = (
    {f"file:{name}": row for name, row in FILE_ROWS.items()}
    | {f"folder:{name}": row for name, row in FOLDER_ROWS.items()}
    | {f"built:{name}": row for name, (_build, row) in BUILT_ROWS.items()}
    | {f"sample:{name}": row for name, row in SAMPLE_ROWS.items()}
)


@pytest.fixture
def source_for(request: pytest.FixtureRequest) -> Callable[[str], SourceFile]:
    def get(key: str) -> SourceFile:
        samples = request.getfixturevalue("samples_dir") if key.startswith("sample:") else None
        return _source_for(key, samples)

    return get


# Fixtures of other suites that no reader is meant to detect (the sanitiser's XSS vectors).
NOT_READER_FIXTURES = ("xss",)


def test_the_table_names_every_fixture_file() -> None:
    covered_folders = (*FOLDER_ROWS, *READ_THROUGH, *NOT_READER_FIXTURES)
    on_disk = {p.relative_to(FIXTURES).as_posix() for p in FIXTURES.rglob("*") if p.is_file()}
    missing = sorted(
        name
        for name in on_disk
        if name not in FILE_ROWS and not any(name.startswith(f"{folder}/") for folder in covered_folders)
    )
    assert missing == [], f"fixture files with no row in the detection matrix: {missing}"
    stale = sorted(name for name in (*FILE_ROWS, *NEAR_MISSES, *READ_THROUGH.values()) if name not in on_disk)
    stale += sorted(name for name in (*FOLDER_ROWS, *READ_THROUGH) if not (FIXTURES / name).is_dir())
    assert stale == [], f"rows for fixtures that no longer exist: {stale}"


def test_every_registered_parser_has_a_row() -> None:
    expected = {row.parser for row in ALL_ROWS.values() if row.error is None}
    registered = {parser.name for parser in all_parsers()}
    assert sorted(registered - expected) == []
    assert sorted(expected - registered) == []


@pytest.mark.parametrize("key", sorted(ALL_ROWS))
def test_detection_picks_the_expected_parser_and_reads_the_file(
    key: str, source_for: Callable[[str], SourceFile], assert_valid_works: Callable[..., dict[str, Any]]
) -> None:
    row = ALL_ROWS[key]
    source = source_for(key)
    if row.parser == UNDETECTED:
        with pytest.raises(ParseError, match=row.error):
            detect(source)
        return
    assert detect(source).name == row.parser
    if row.error is not None:
        with pytest.raises(ParseError, match=row.error):
            parse_source(source)
        return
    works = parse_source(source)
    assert_valid_works(works)
    assert tuple(len(work.chapters) for work in works) == row.chapters
    for work in works:
        assert work.title.strip()
        assert work.words > 0
        for chapter in work.chapters:
            assert html_to_text(chapter.html).strip(), f"{work.title}: chapter {chapter.number} has no text"
            assert chapter.words > 0
            # Chapter words are the chapter text's alone, counted by our rules, whatever the source said.
            assert chapter.words == count_words(chapter.html)


@pytest.mark.parametrize("key", sorted(ALL_ROWS))
def test_no_two_parsers_tie_for_the_top_score(key: str, source_for: Callable[[str], SourceFile]) -> None:
    source = source_for(key)
    scores = sorted(((parser.sniff(source), parser.name) for parser in all_parsers()), reverse=True)
    (best, winner), (runner_up, second) = scores[0], scores[1]
    assert best > runner_up or best == 0.0, (
        f"{winner} and {second} both score {best}: the winner is picked by name"
    )


@pytest.mark.parametrize("name", sorted(NEAR_MISSES))
def test_near_misses_are_not_claimed_by_their_family(name: str) -> None:
    family, refusal = NEAR_MISSES[name]
    source = _fixture_source(name)
    [parser] = [parser for parser in all_parsers() if parser.name == family]
    assert parser.sniff(source) == 0.0
    if FILE_ROWS[name].parser == UNDETECTED:
        with pytest.raises(ParseError, match="unknown format"):
            detect(source)
    else:
        assert detect(source).name == FILE_ROWS[name].parser != family
    if refusal is not None:
        with pytest.raises(ParseError, match=refusal):
            parse_source(source, family)
