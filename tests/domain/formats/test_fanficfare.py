from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.formats.detect import detect
from fanarchive.domain.formats.fanficfare_html import FanficfareHtmlParser
from fanarchive.domain.formats.fanficfare_txt import FanficfareTxtParser
from fanarchive.domain.text import count_words

HTML = FanficfareHtmlParser()
TXT = FanficfareTxtParser()


def _source(fixtures_dir: Path, name: str) -> SourceFile:
    return SourceFile(name, (fixtures_dir / "fanficfare" / name).read_bytes())


def test_html_table_title_page_from_ao3(fixtures_dir: Path, assert_valid_works: Callable[..., dict]) -> None:
    source = _source(fixtures_dir, "ao3-table.html")
    assert detect(source).name == "fanficfare-html"
    [work] = HTML.parse(source)
    assert_valid_works([work])
    assert (work.title, work.authors, work.language) == (
        "The Cartographer's Apprentice",
        ["Linnea Harrow"],
        "English",
    )
    assert work.tags == {
        "rating": ["Teen And Up Audiences"],
        "warning": ["No Archive Warnings Apply"],
        "category": ["F/F", "Gen"],
        "fandom": ["Inkwell Isles (Video Game)", "Compass & Quill (Web Series)"],
        "relationship": ["Maren Tullow/Odette Firth"],
        "character": ["Maren Tullow", "Odette Firth"],
        "freeform": ["Slow Burn", "Maps"],
    }
    assert (work.status, work.published, work.updated, work.chapters_expected) == (
        "in-progress", "2021-03-04", "2021-04-18", None,
    )  # fmt: skip
    assert work.stats == {"chapters": 2, "words": 1204, "kudos": 87}
    assert (
        work.summary
        == "<p>Maren draws maps of places that <em>aren't there yet</em>.</p><p>Odette wants one of them.</p>"
    )
    assert (work.source.site, work.source.url, work.source.id) == (
        "archiveofourown.org", "https://archiveofourown.org/works/4815162", "4815162",
    )  # fmt: skip
    assert work.metadata == {"Packaged": "2023-11-02 08:15:44"}
    assert [(c.number, c.title, c.words) for c in work.chapters] == [(1, "Soundings", 24), (2, None, 12)]
    assert "<strong>three</strong>" in work.chapters[0].html and "<hr>" in work.chapters[0].html
    assert "script" not in work.chapters[1].html and "alert" not in work.chapters[1].html
    assert work.doubts == []


def test_html_b_lines_title_page_from_ffn(
    fixtures_dir: Path, assert_valid_works: Callable[..., dict]
) -> None:
    [work] = HTML.parse(_source(fixtures_dir, "ffn-lines.html"))
    assert_valid_works([work])
    assert (work.title, work.authors) == ("Under the Weir", ["bramblecourt"])
    assert work.tags["fandom"] == ["Riverlight Chronicles"]
    assert work.tags["freeform"] == ["Adventure", "Hurt/Comfort"]
    assert work.tags["rating"] == ["Teen And Up Audiences"]
    assert (work.status, work.chapters_expected, work.stats) == ("complete", 1, {"chapters": 1, "words": 23})
    assert work.summary == "<p>Tobin falls in. Ash does not let go.</p>"
    assert (work.source.site, work.source.id) == ("fanfiction.net", "1122334")
    [chapter] = work.chapters
    assert chapter.title == "One-shot"
    assert chapter.html == (
        "<p>The water was colder than Tobin had promised, and faster.</p>\n"
        "<p>Ash held on to the root and to him, and did not let go.</p>"
    )
    assert chapter.words == 24


def test_txt_crlf_wrapped_with_table_of_contents(
    fixtures_dir: Path, assert_valid_works: Callable[..., dict]
) -> None:
    source = _source(fixtures_dir, "meridian.txt")
    assert b"\r\n" in source.data
    assert detect(source).name == "fanficfare-txt"
    [work] = TXT.parse(source)
    assert_valid_works([work])
    assert (work.title, work.authors) == ("The Log of the Meridian", ["Saltcellar"])
    assert work.summary == (
        "<p>The lighthouse keeper's daughter finds a ship's log washed up in a bottle, "
        "dated forty years in the future, and written in her own hand.</p>"
    )
    assert work.tags["warning"] == ["Major Character Death"]
    assert work.tags["freeform"] == ["Drama", "Mystery", "Shipwrecks"]
    assert work.tags["fandom"] == ["Driftwood Saga"] and work.tags["rating"] == ["Mature"]
    assert (work.status, work.published, work.updated, work.chapters_expected) == (
        "complete", "2019-05-01", "2019-06-12", 2,
    )  # fmt: skip
    assert work.stats == {"chapters": 2, "words": 2345}
    assert (work.source.format, work.source.id) == ("fanficfare-txt", "777888")
    assert [(c.number, c.title, c.words) for c in work.chapters] == [(1, "Flotsam", 74), (2, "Jetsam", 40)]
    assert work.chapters[0].html == (
        "<p>The bottle was green, the cork was black, and the paper inside smelled of somebody else's kitchen. "
        "Nell unrolled it on the lamp-room floor and read it twice before she let herself believe the date.</p>\n"
        "<p><em>Fourth of March, 2061</em>, it said. <strong>Wind from the north-east.</strong> "
        "The handwriting was hers — the crossed sevens, the looping d — and she had never written it.</p>\n"
        "<hr>\n<p>Captain Brandt did not believe her.<br>\nHe did not believe anyone before breakfast.</p>"
    )
    assert "End file" not in work.chapters[1].html
    assert all(c.words == count_words(c.html) for c in work.chapters)


def test_malformed_fanficfare_files(fixtures_dir: Path) -> None:
    page = (fixtures_dir / "fanficfare" / "ao3-table.html").read_text()
    with pytest.raises(ParseError, match="no chapter anchors"):
        HTML.parse(SourceFile("x.html", page.replace('name="section', 'name="part').encode()))
    text = (fixtures_dir / "fanficfare" / "meridian.txt").read_text(encoding="utf-8")
    with pytest.raises(ParseError, match="no chapter title line"):
        TXT.parse(SourceFile("x.txt", text.replace("        Chapter", "Chapter").encode()))
    with pytest.raises(ParseError, match="by AUTHOR"):
        TXT.parse(SourceFile("x.txt", text.replace("by Saltcellar", "Saltcellar").encode()))
    assert TXT.sniff(SourceFile("x.txt", (fixtures_dir / "plain" / "lamplighter.txt").read_bytes())) == 0.0


_LABELS = [
    ("Category", "Lantern Coast, M/M"),
    ("Genre", "Romance, Gen"),
    ("Rating", "Fiction T"),
    ("Warnings", "Major Character Death, Peril"),
    ("Status", "Completed"),
    ("Chapters", "1"),
    ("Packaged", "2024-03-03 10:00:00"),
]
_URL = "https://m.FanFiction.net/s/5566/1/Lantern"


def _three_forms() -> list[tuple[str, list]]:
    from tests.domain.formats.test_epub import generic_book, pack

    from fanarchive.domain.formats.epub import FanFicFareEpubParser

    lines = "".join(f"<b>{label}:</b> {value}<br />\n" for label, value in _LABELS)
    html = (
        f'<html><body><h1><a href="{_URL}">Lanterns</a> by wickwright</h1>\n{lines}'
        '<a name="section0001"><h2>Chapter One</h2></a><p>The lanterns were lit at dusk.</p></body></html>'
    )
    txt = "Lanterns\r\nby wickwright\r\n\r\n" + "".join(f"{label}: {value}\r\n" for label, value in _LABELS)
    txt += f"Story URL: {_URL}\r\n\r\n\r\n\tChapter One\r\n\r\nThe lanterns were lit at dusk.\r\n"
    book = generic_book(
        ["title.xhtml", "c1.xhtml"],
        {
            "title.xhtml": f'<h3><a href="{_URL}">Lanterns</a> by <a href="#">wickwright</a></h3><div>{lines}</div>',
            "c1.xhtml": "<h3>Chapter One</h3><p>The lanterns were lit at dusk.</p>",
        },
        "<dc:title>Lanterns</dc:title>",
    )
    return [
        ("html", HTML.parse(SourceFile("l.html", html.encode()))),
        ("txt", TXT.parse(SourceFile("l.txt", txt.encode()))),
        ("epub", FanFicFareEpubParser().parse(SourceFile("l.epub", pack(book)))),
    ]


def test_the_three_forms_map_the_same_labels_alike(assert_valid_works: Callable[..., dict]) -> None:
    for form, [work] in _three_forms():
        assert_valid_works([work])
        assert work.tags == {
            "rating": [],
            "warning": ["Major Character Death"],
            "category": ["M/M", "Gen"],
            "fandom": ["Lantern Coast"],
            "relationship": [],
            "character": [],
            "freeform": ["Romance", "Peril"],
        }, form
        assert work.metadata == {"rating": "Fiction T", "Packaged": "2024-03-03 10:00:00"}, form
        assert (work.status, work.chapters_expected, [c.number for c in work.chapters]) == (
            "complete",
            1,
            [1],
        ), form
        assert (work.source.site, work.source.id, work.source.url) == ("fanfiction.net", "5566", _URL), form
