from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.domain.exports.samples import nasty_work, tidy_work

from fanarchive.domain.exports import ExportContext
from fanarchive.domain.exports.txt import write_txt
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.formats.detect import detect, parse_source
from fanarchive.domain.formats.fanarchive_txt import FanarchiveTextParser
from fanarchive.domain.sanitize import sanitize_html
from fanarchive.domain.text import html_to_text
from fanarchive.domain.work import ParsedWork

CONTEXT = ExportContext(work_url="https://archive.example/works/7", archive_name="Harbour Archive")


def _txt(work: ParsedWork) -> bytes:
    out = io.BytesIO()
    write_txt(work, CONTEXT, out)
    return out.getvalue()


def _words(html: str | None) -> str:
    return " ".join(html_to_text(sanitize_html(html)).split())


def round_trip_shape(work: ParsedWork) -> dict[str, object]:
    """What a download must carry back: title, authors, tags by kind, chapter titles, where each
    note sits, and the text (as a reader sees it: words, not markup)."""
    return {
        "title": work.title,
        "authors": work.authors,
        "tags": {kind: names for kind, names in work.tags.items() if names},
        "language": work.language,
        "series": [(s.title, s.position) for s in work.series],
        "status": work.status,
        "dates": (work.published, work.updated),
        "work_notes": [_words(work.summary), _words(work.notes), _words(work.end_notes)],
        "chapters": [
            (c.number, c.title, _words(c.summary), _words(c.notes), _words(c.html), _words(c.end_notes))
            for c in work.chapters
        ],
    }


def test_layout_is_paragraphs_and_underlined_headings(fixtures_dir: Path) -> None:
    # The fixture is the expected download, byte for byte.
    assert _txt(tidy_work()) == (fixtures_dir / "fanarchive_txt" / "keepers-ledger.txt").read_bytes()


def test_download_reads_back_with_nothing_lost_or_moved(
    fixtures_dir: Path, assert_valid_works: Callable[[list[ParsedWork]], dict]
) -> None:
    source = SourceFile(
        "keepers-ledger.txt", (fixtures_dir / "fanarchive_txt" / "keepers-ledger.txt").read_bytes()
    )
    assert detect(source).name == "fanarchive-txt"
    [back] = parse_source(source)
    assert round_trip_shape(back) == round_trip_shape(tidy_work())
    data = assert_valid_works([back])["works"][0]
    assert data["source"] == {
        "format": "fanarchive-txt",
        "site": "archive.example",
        "url": "https://archive.example/works/7",
        "id": "7",
    }
    assert data["metadata"]["archive_name"] == "Harbour Archive"
    assert data["stats"] == {"words": 30, "chapters": 2, "comments": 3, "kudos": 42, "hits": 1234}
    assert data["chapters_expected"] == 2
    assert [(r.relation, r.title, r.url) for r in back.related] == [
        ("inspired_by", "Salt Accounts", "https://example.org/works/9")
    ]
    assert (
        back.chapters[0].html
        == "<p>The ledger came ashore in a crate of herring.</p>\n<p>Ada dried it page by page.</p>"
    )


def test_hostile_markup_leaves_only_its_words() -> None:
    text = _txt(nasty_work()).decode()
    assert "alert" not in text and "steal" not in text and "<" not in text.split("Related Works")[0]
    [back] = parse_source(SourceFile("storm.txt", text.encode()))
    assert round_trip_shape(back) == round_trip_shape(nasty_work())


def test_prose_that_looks_like_a_heading_stays_prose() -> None:
    work = tidy_work()
    work.chapters[
        1
    ].html = "<p>Notes</p><p>-----</p><p>Chapter 9: Not Real</p><p>=====</p><p>Chapter Text</p>"
    [back] = parse_source(SourceFile("x.txt", _txt(work)))
    assert [c.title for c in back.chapters] == ["Low Tide", "High Water"]
    assert _words(back.chapters[1].html) == "Notes ----- Chapter 9: Not Real ===== Chapter Text"


def test_one_shot_without_title_or_notes() -> None:
    work = tidy_work()
    work.chapters = work.chapters[1:]
    work.chapters[0].number, work.chapters[0].title = 1, None
    work.summary = work.notes = work.end_notes = None
    work.related, work.chapters_expected = [], 1
    [back] = parse_source(SourceFile("x.txt", _txt(work)))
    assert round_trip_shape(back) == round_trip_shape(work)


def test_the_ao3_text_parser_keeps_its_own_files(fixtures_dir: Path) -> None:
    ao3 = SourceFile("full-work.txt", (fixtures_dir / "ao3" / "full-work.txt").read_bytes())
    assert FanarchiveTextParser().sniff(ao3) == 0.0
    assert detect(ao3).name == "ao3-text"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("The Title\nby someone\n\nJust prose, no chapters.\n", "no underlined `Chapter Text` heading"),
        (
            "Rating: General Audiences\n\n\nChapter 1\n=========\n\nChapter Text\n------------\n\nHello.\n",
            "does not start with the work's title",
        ),
        (
            "The Title\nby someone\n\nhttps://x.example/works/1 on X\n\nthis line is not a field\n\n\nChapter 1\n=========\n\n"
            "Chapter Text\n------------\n\nHello.\n",
            "preface line 'this line is not a field' is not `Label: value`",
        ),
    ],
)
def test_malformed_downloads_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ParseError, match=message.replace("(", r"\(").replace("`", "`")):
        FanarchiveTextParser().parse(SourceFile("bad.txt", text.encode()))


def test_title_with_a_colon_reads_back(fixtures_dir: Path) -> None:
    text = (fixtures_dir / "fanarchive_txt" / "keepers-ledger.txt").read_text(encoding="utf-8")
    titled = text.replace("The Keeper's Ledger\n", "Saltmarsh: The Keeper's Ledger\n", 1)
    [work] = FanarchiveTextParser().parse(SourceFile("ledger.txt", titled.encode()))
    assert (work.title, work.authors) == ("Saltmarsh: The Keeper's Ledger", ["quietharbour", "Ferris Lane"])
    assert work.source.url == "https://archive.example/works/7"
    assert [c.number for c in work.chapters] == [1, 2]


def test_download_without_its_url_line_is_refused(fixtures_dir: Path) -> None:
    text = (fixtures_dir / "fanarchive_txt" / "keepers-ledger.txt").read_text(encoding="utf-8")
    headless = text.replace("https://archive.example/works/7 on Harbour Archive\n", "", 1)
    with pytest.raises(ParseError, match="`URL on ARCHIVE` line"):
        FanarchiveTextParser().parse(SourceFile("ledger.txt", headless.encode()))


def test_chapter_zero_and_zero_expected_chapters_stay_valid(
    fixtures_dir: Path, assert_valid_works: Callable[[list[ParsedWork]], dict]
) -> None:
    text = (fixtures_dir / "fanarchive_txt" / "keepers-ledger.txt").read_text(encoding="utf-8")
    text = text.replace("Chapter 1: Low Tide\n", "Chapter 0: Low Tide\n").replace(
        "Chapters: 2/2", "Chapters: 2/0"
    )
    [work] = FanarchiveTextParser().parse(SourceFile("ledger.txt", text.encode()))
    assert_valid_works([work])
    assert [(c.number, c.title) for c in work.chapters] == [(1, "Low Tide"), (2, "High Water")]
    assert (work.chapters_expected, work.stats["chapters"]) == (None, 2)
    assert work.doubts == [
        "The source numbers a chapter 0; chapters are numbered by their place in the work."
    ]
