from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from fanarchive.domain.formats._ffn_dates import read_ffn_date
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.formats.ffn_html import FfnHtmlParser
from fanarchive.domain.merge import is_partial, merge_partial_works
from fanarchive.domain.work import ParsedWork

PARSER = FfnHtmlParser(today=lambda: dt.date(2026, 3, 10))


def _source(path: Path) -> SourceFile:
    return SourceFile(name=str(path), data=path.read_bytes())


def _parse(path: Path) -> ParsedWork:
    source = _source(path)
    assert PARSER.sniff(source) == 0.95
    [work] = PARSER.parse(source)
    return work


def _page(meta: str, breadcrumb: str = "", select: str = "") -> bytes:
    return (
        f"<html><body><div id=pre_story_links>{breadcrumb}</div><div id=profile_top>"
        "<b class='xcontrast_txt'>T</b> By: <a href='/u/1/a'>a</a>"
        f"<span class='xgray xcontrast_txt'>{meta}</span></div>{select}"
        "<div id=storytext><p>One two three.</p></div></body></html>"
    ).encode()


def test_first_chapter_page_has_every_field(
    fixtures_dir: Path, assert_valid_works: Callable[..., dict]
) -> None:
    work = _parse(fixtures_dir / "ffn" / "lantern-1.html")
    data = assert_valid_works([work])
    assert (work.title, work.authors, work.language) == ("The Lantern Keeper", ["Ferris Lane"], "English")
    assert work.summary == (
        "<p>Wren tends the lanterns of the harbour town. Soren wants to know why one of them never goes out. "
        "<i>Slow burn</i>, eventual fluff.</p>"
    )
    assert data["works"][0]["tags"] == {
        "rating": ["Teen And Up Audiences"],
        "warning": [],
        "category": [],
        "fandom": ["Skyward Lanterns"],
        "relationship": ["Wren A./Soren V."],
        "character": ["Wren A.", "Soren V.", "Old Tamsin"],
        "freeform": ["Romance", "Hurt/Comfort"],
    }
    assert (work.status, work.published, work.updated, work.chapters_expected) == (
        "complete",
        "2014-05-13",
        "2015-01-11",
        3,
    )
    assert work.stats == {"chapters": 3, "words": 1204, "reviews": 1024, "favs": 2001, "follows": 1500}
    assert [(e.number, e.title) for e in work.index] == [
        (1, "Oil and Wicks"),
        (2, "Chapter 2. 10 Years Later"),
        (3, "The Lamp That Stayed Lit"),
    ]
    [chapter] = work.chapters
    assert (chapter.number, chapter.title, chapter.words) == (1, "Oil and Wicks", 61)
    assert chapter.html.startswith("<p><strong>A/N:</strong> Thank you for reading!")
    assert "<hr>" in chapter.html and "script" not in chapter.html and "style" not in chapter.html
    assert (work.source.format, work.source.site, work.source.id) == ("ffn-html", "fanfiction.net", "9876543")
    assert work.source.url == "https://www.fanfiction.net/s/9876543/1/The-Lantern-Keeper"
    assert work.metadata == {
        "author_id": "4455667",
        "rating": "Fiction T",
        "genres": "Romance/Hurt/Comfort",
        "characters": "[Wren A., Soren V.] Old Tamsin",
        "breadcrumb": ["Books", "Skyward Lanterns"],
    }
    assert work.doubts == [
        "FanFiction.Net's rating 'Fiction T' was mapped to AO3's 'Teen And Up Audiences'; the scales differ."
    ]
    assert is_partial(work)


def test_three_chapter_pages_merge_into_the_whole_story(
    fixtures_dir: Path, assert_valid_works: Callable[..., dict]
) -> None:
    pages = [_parse(fixtures_dir / "ffn" / f"lantern-{n}.html") for n in (3, 1, 2)]
    assert [(p.chapters[0].number, p.chapters[0].title) for p in pages] == [
        (3, "The Lamp That Stayed Lit"),
        (1, "Oil and Wicks"),
        (2, "Chapter 2. 10 Years Later"),
    ]
    [story] = merge_partial_works(pages)
    assert_valid_works([story])
    assert not is_partial(story)
    assert [(c.number, c.title, c.words) for c in story.chapters] == [
        (1, "Oil and Wicks", 61),
        (2, "Chapter 2. 10 Years Later", 31),
        (3, "The Lamp That Stayed Lit", 28),
    ]
    assert story.chapters[2].html.endswith("<p>The end.</p>")
    assert (story.title, story.chapters_expected, len(story.index)) == ("The Lantern Keeper", 3, 3)


def test_one_shot_crossover_with_yearless_and_relative_dates(
    fixtures_dir: Path, assert_valid_works: Callable[..., dict]
) -> None:
    work = _parse(fixtures_dir / "ffn" / "crossover-oneshot.html")
    assert_valid_works([work])
    assert work.tags["fandom"] == ["Skyward Lanterns", "Tidewater"]
    assert work.tags["character"] == ["Wren A.", "Captain Hale"]
    assert (work.tags["relationship"], work.tags["freeform"]) == ([], ["Humor"])
    assert work.tags["rating"] == ["General Audiences"]
    assert (work.published, work.updated) == ("2025-05-17", "2026-03-10")
    assert (work.status, work.chapters_expected, work.index) == ("in-progress", None, [])
    assert work.stats == {"words": 312, "favs": 4}
    assert [(c.number, c.title, c.words) for c in work.chapters] == [(1, None, 17)]
    assert work.summary == "<p>Two ferrymen, two rivers &amp; one very confused goat.</p>"
    assert work.source.url == "https://www.fanfiction.net/s/5550001/1/Ferry-Crossing"
    assert len(work.doubts) == 3
    assert "'5/17' carries no year" in work.doubts[1] and "'8h ago' is relative" in work.doubts[2]
    assert not is_partial(work)


def test_fictionpress_page(fixtures_dir: Path, assert_valid_works: Callable[..., dict]) -> None:
    work = _parse(fixtures_dir / "ffn" / "fictionpress.html")
    assert_valid_works([work])
    assert (work.source.site, work.source.id) == ("fictionpress.com", "3300221")
    assert work.tags["fandom"] == ["Original Work"]
    assert work.tags["freeform"] == ["Adventure", "Drama", "Fantasy"]
    assert work.tags["rating"] == ["Mature"]
    assert (work.status, work.chapters_expected, work.stats["chapters"]) == ("in-progress", None, 4)
    assert (work.published, work.updated) == ("2019-01-05", "2019-03-03")
    assert [(c.number, c.title) for c in work.chapters] == [(2, "Tollgate")]
    assert [e.title for e in work.index] == ["The Salt Gate", "Tollgate", "North of Nowhere", "Brine"]


def test_brief_crossover_breadcrumb_groups_and_missing_fields() -> None:
    meta = "Rated: Fiction MA - Spanish - [Ana, Bea] [Cy, Di, Ed] Fay - Words: 1.000 - Published: 1/5/2015"
    source = SourceFile(name="x.html", data=_page(meta, "<a href='/c'>Crossover - Alpha &amp; Beta</a>"))
    [work] = PARSER.parse(source)
    assert work.tags["fandom"] == ["Alpha", "Beta"]
    assert work.tags["relationship"] == ["Ana/Bea", "Cy/Di/Ed"]
    assert work.tags["character"] == ["Ana", "Bea", "Cy", "Di", "Ed", "Fay"]
    assert (work.tags["rating"], work.tags["freeform"], work.language) == (["Explicit"], [], "Spanish")
    # FFN shows no `Updated:` before a second chapter: the story was last updated when published.
    assert (work.published, work.updated, work.stats) == ("2015-01-05", "2015-01-05", {})
    assert (work.source.id, work.source.site) == (None, "fanfiction.net")


def test_no_selected_option_falls_back_with_a_doubt() -> None:
    select = "<select id=chap_select><option value=1>1. A<option value=2>2. B</select>"
    [work] = PARSER.parse(SourceFile(name="x.html", data=_page("Rated: Fiction K - English", select=select)))
    assert [(c.number, c.title) for c in work.chapters] == [(1, "A")]
    assert "No chapter is selected in the chapter list; chapter 1 was assumed." in work.doubts


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("truncated.html", "no #storytext block"),
        ("not-ffn.html", "no #profile_top block"),
    ],
)
def test_malformed_pages_fail_clearly(fixtures_dir: Path, name: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        PARSER.parse(_source(fixtures_dir / "ffn" / name))


def test_sniff_only_claims_ffn_pages(fixtures_dir: Path) -> None:
    assert PARSER.sniff(_source(fixtures_dir / "ffn" / "truncated.html")) == 0.85
    assert PARSER.sniff(_source(fixtures_dir / "ffn" / "not-ffn.html")) == 0.0
    assert PARSER.sniff(_source(fixtures_dir / "ao3" / "full-work.txt")) == 0.0


@pytest.mark.parametrize(
    ("value", "iso", "guessed"),
    [
        ("@1420934400", "2015-01-11", False),
        ("1/5/2015", "2015-01-05", False),
        ("Jan 5, 2015", "2015-01-05", False),
        ("Mar 2", "2026-03-02", True),
        ("12/24", "2025-12-24", True),
        ("35m ago", "2026-03-10", True),
        ("2d ago", "2026-03-08", True),
        ("someday", None, True),
        ("@999999999999", None, True),
        ("99999999 days ago", None, True),
        ("99999999999999999999h ago", None, True),
    ],
)
def test_ffn_date_forms(value: str, iso: str | None, guessed: bool) -> None:
    reading = read_ffn_date(value, dt.date(2026, 3, 10), "Updated")
    assert (reading.iso, reading.doubt is not None) == (iso, guessed)


def test_out_of_range_dates_are_doubts_not_crashes() -> None:
    assert read_ffn_date("@999999999999", dt.date(2026, 3, 10), "Updated").doubt == (
        "Updated '@999999999999' is out of range as a unix time; it was kept in metadata."
    )
    assert read_ffn_date("99999999 days ago", dt.date(2026, 3, 10), "Published").doubt == (
        "Published '99999999 days ago' reaches back before any calendar date; it was kept in metadata."
    )


@pytest.mark.parametrize(
    ("url", "site", "story_id"),
    [
        ("https://www.fanfiction.net/s/123/1/Slug", "fanfiction.net", "123"),
        ("https://m.fanfiction.net/s/123/1/", "fanfiction.net", "123"),
        ("//M.FanFiction.net/s/123/1/", "fanfiction.net", "123"),
        ("m.fanfiction.net/s/123/1/", "fanfiction.net", "123"),
        ("www.fanfiction.net/s/123/1/", "fanfiction.net", "123"),
        ("https://fictionpress.com/s/77/1/", "fictionpress.com", "77"),
        ("https://m.fictionpress.com/s/77/1/", "fictionpress.com", "77"),
        ("www.fictionpress.com/s/77/1/", "fictionpress.com", "77"),
        ("http://[fanfiction.net/s/5/1/", "fanfiction.net", "5"),
    ],
)
def test_site_is_the_bare_host_for_every_url_form(url: str, site: str, story_id: str) -> None:
    # The summary names the other site: only the page's own address may decide.
    meta = "Rated: Fiction K - English - Words: 3 - Published: 1/5/2015 - id: " + story_id
    page = _page(meta).replace(b"<html>", f"<html><head><link rel='canonical' href='{url}'></head>".encode())
    other = b"fanfiction.net" if site == "fictionpress.com" else b"fictionpress"
    page = page.replace(b"<p>One two three.</p>", b"<p>One two three, also on " + other + b".</p>")
    [work] = PARSER.parse(SourceFile(name="x.html", data=page))
    assert (work.source.site, work.source.id, work.source.url) == (site, story_id, url)
