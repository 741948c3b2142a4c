from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.formats.detect import detect
from fanarchive.domain.formats.efiction_html import EfictionHtmlParser
from fanarchive.domain.text import count_words
from fanarchive.domain.work import ParsedWork, SeriesRef, Source

PARSER = EfictionHtmlParser()


def _parse(data: bytes, name: str = "page.html") -> ParsedWork:
    source = SourceFile(name=name, data=data)
    assert detect(source).name == "efiction-html"
    [work] = PARSER.parse(source)
    return work


def test_default_template_page(fixtures_dir: Path, assert_valid_works: Callable[..., dict]) -> None:
    work = _parse((fixtures_dir / "efiction" / "printable.html").read_bytes())
    assert_valid_works([work])
    assert (work.title, work.authors) == ("The Harbourmaster's Ledger", ["Marisol Vane"])
    assert work.summary == (
        "<p>Odile finds a ledger that balances <em>too</em> well, and Bram is asked to count the fish twice.</p>"
    )
    # Story notes end where the table of contents begins; the contents are not notes.
    assert (
        work.notes
        == "<p>Thanks to <strong>quillfeather</strong> for the arithmetic.<br>\nAll errors are Bram's.</p>"
    )
    assert work.tags == {
        "rating": ["Teen And Up Audiences"],
        "warning": ["No Archive Warnings Apply"],
        "category": [],
        "fandom": [],
        "relationship": ["Odile/Bram"],
        "character": ["Odile Marsh", "Bram Hollis", "Captain Ysolde"],
        "freeform": ["Mystery", "Humour", "Fishy Business", "Het"],
    }
    assert work.metadata == {
        "sid": 12,
        "categories": ["Lanternlight Saga > Odile and Bram", "Lanternlight Saga > Gen"],
        "Rated": "Teen And Up Audiences",
        "Pairing type": "Het",
        "Challenges": "None",
        "Series": "Lamps Along the Quay",
    }
    assert (work.status, work.published, work.updated, work.chapters_expected) == (
        "complete",
        "2010-02-28",
        "2010-03-03",
        3,
    )
    assert work.stats == {"words": 1204, "reads": 2318, "chapters": 3}
    assert work.series == [SeriesRef("Lamps Along the Quay")]
    assert work.source == Source(
        "efiction-html",
        "lanternlight.example.org/fiction",
        "http://lanternlight.example.org/fiction/viewstory.php?sid=12",
        "12",
    )
    assert work.doubts == [
        "The category 'Lanternlight Saga > Odile and Bram' was read as the relationship of its last part.",
        "The page names no fandom; none was set.",
    ]
    one, two, three = work.chapters
    assert [(c.number, c.title) for c in work.chapters] == [(1, "Debits"), (2, "Credits"), (3, "Balance")]
    assert (one.notes, one.end_notes) == ("<p>The ledger is real; the fish are not.</p>", None)
    assert one.html == (
        "<p>The ledger had a green cover and a smell of tar.</p>\n"
        "<p>Odile turned the pages slowly. Every column added up, every line, every year back to the flood.</p>\n"
        "<p>“Nobody’s books balance,” she said. “Not even mine.”</p>"
    )
    # Text with <br><br> between its paragraphs becomes paragraphs.
    assert two.html == (
        "<p>Bram counted the fish.</p>\n"
        "<p>Then he counted them again, because she had asked, and got a different number.</p>"
    )
    assert (two.notes, two.end_notes) == (None, "<p>Fish counts were <i>not</i> audited.</p>")
    assert (three.notes, three.end_notes) == (
        "<p>Last one!</p>",
        "<p>Thank you for reading.<br>More lamps soon.</p>",
    )
    # Back-to-top links, the copyright and "archived at" lines are the page's, not the story's.
    assert "Back to top" not in three.html and "archived" not in (three.end_notes or "")
    assert [c.words for c in work.chapters] == [36, 18, 18]
    assert all(c.words == count_words(c.html) for c in work.chapters)


def test_other_skin_in_windows_1252(fixtures_dir: Path, assert_valid_works: Callable[..., dict]) -> None:
    work = _parse((fixtures_dir / "efiction" / "skin-cp1252.html").read_bytes())
    assert_valid_works([work])
    assert (work.title, work.authors, work.summary) == (
        "Salt on the Wind",
        ["Tobiah Reed"],
        "<p>Captain Ysolde remembers the year the sea froze.</p>",
    )
    assert work.stats == {"words": 77, "reads": 204, "reviews": 4, "chapters": 2}
    assert work.tags["rating"] == [] and work.metadata["Rating"] == "Adults Only"
    assert work.tags["warning"] == [] and work.tags["freeform"] == ["Humour", "Sea Monsters"]
    assert (work.status, work.published, work.updated) == ("in-progress", "2010-01-01", "2010-01-03")
    assert (
        "The dates could be day/month or month/day; eFiction's default, day first, was assumed."
        in work.doubts
    )
    assert work.source == Source("efiction-html")  # no absolute link: no site, so no id to match on
    assert [c.title for c in work.chapters] == ["Spindrift", "Ballast"]
    assert work.chapters[0].html == (
        "<p>The winter the sea froze, Ysolde was nine and already “too old for stories”.</p>\n"
        "<p>She sat on the wreck of the ‘Marguerite’ until the lamps came on.</p>"
    )
    assert (
        work.chapters[1].html == "<p>Spring came back all at once – café tables out on the quay by noon.</p>"
    )
    assert work.chapters[1].end_notes == "<p>More soon.</p>"
    assert [c.words for c in work.chapters] == [27, 14]


_PAGE = (
    '<html><head><meta charset="{charset}"></head><body>'
    '<div id="pagetitle">{title} by <a href="viewuser.php?uid=1">Ilya</a></div>'
    '<span class="label">Summary:</span> s<br><span class="label">Word count:</span> 3 '
    '<span class="label">Completed:</span> Yes<br>{chapters}</body></html>'
)


def test_meta_charset_is_honoured() -> None:
    page = _PAGE.format(
        charset="koi8-r",
        title="Маяк",
        chapters='<div class="chaptertitle">Ночь by <a href="viewuser.php?uid=1">Ilya</a></div><div class="chapter">Свет горит.</div>',
    )
    work = _parse(page.encode("koi8-r"))
    assert (work.title, work.chapters[0].title, work.chapters[0].html) == (
        "Маяк",
        "Ночь",
        "<p>Свет горит.</p>",
    )


def test_notes_without_a_chapter_container_are_read_as_text_with_a_doubt() -> None:
    page = _PAGE.format(
        charset="utf-8",
        title="Lamp",
        chapters='<h3>One by <a href="viewuser.php?uid=1">Ilya</a></h3><b>Author\'s Notes:</b> hello<p>The lamp.</p>',
    )
    work = _parse(page.encode())
    assert work.chapters[0].notes is None and work.chapters[0].html == "hello<p>The lamp.</p>"
    assert (
        "Chapter 1's author's notes could not be told from its text; all of it was read as text."
        in work.doubts
    )


def test_no_byline() -> None:
    page = b'<html><body><p>Summary: x</p><a href="viewuser.php?uid=1">Ilya</a> Word count: 3 Completed: Yes</body></html>'
    with pytest.raises(
        ParseError, match=r"no `TITLE by AUTHOR` byline with an eFiction author link \(viewuser.php\)"
    ):
        PARSER.parse(SourceFile("page.html", page))


def test_no_chapters() -> None:
    page = _PAGE.format(charset="utf-8", title="Lamp", chapters="<p>Nothing here.</p>")
    with pytest.raises(
        ParseError, match=r"no chapter heading \(`chaptertitle`, or a heading ending `by Ilya`\)"
    ):
        PARSER.parse(SourceFile("page.html", page.encode()))


def test_sniff(fixtures_dir: Path) -> None:
    assert PARSER.sniff(SourceFile("a.html", b"<html><body><p>Hello</p></body></html>")) == 0.0
    text_page = SourceFile("p.txt", (fixtures_dir / "efiction" / "printable.txt").read_bytes())
    assert PARSER.sniff(text_page) == 0.0 and detect(text_page).name == "efiction-text"


_CHAPTER = '<div class="chaptertitle">Night by <a href="viewuser.php?uid=1">Ilya</a></div><div class="chapter">The lamp\ue000 burns\ue001 low.</div>'


def test_private_use_characters_in_the_page_do_not_pass_for_markers(
    assert_valid_works: Callable[..., dict],
) -> None:
    page = _PAGE.format(charset="utf-8", title="Lamp\ue001\ue000C9", chapters=_CHAPTER)
    work = _parse(page.encode())
    assert_valid_works([work])
    assert (work.title, work.authors, len(work.chapters)) == ("LampC9", ["Ilya"], 1)
    assert work.chapters[0].html == "<p>The lamp burns low.</p>"


def test_image_only_author_link(assert_valid_works: Callable[..., dict]) -> None:
    avatar = '<a href="viewuser.php?uid=1"><img src="avatar.png" alt=" Ilya  K "></a>'
    page = _PAGE.format(charset="utf-8", title="Lamp", chapters=_CHAPTER).replace(
        '<a href="viewuser.php?uid=1">Ilya</a></div><span', f"{avatar}</div><span"
    )
    work = _parse(page.encode())
    assert_valid_works([work])
    assert (work.title, work.authors) == ("Lamp", ["Ilya K"])
    bare = page.replace(avatar, '<a href="viewuser.php?uid=1"><img src="avatar.png"></a>')
    work = _parse(bare.encode())
    assert_valid_works([work])
    assert (work.title, work.authors, work.chapters[0].title) == ("Lamp", [], "Night")
    assert (
        "The byline's author link shows no name (an image without alt text?); no author was set."
        in work.doubts
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"<html>\x00\x01 viewuser.php", r"^binary data, not text$"), (b"\xff\xfe<\x00h", r"truncated data$")],
)
def test_undecodable_page(data: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        PARSER.parse(SourceFile("page.html", data))
