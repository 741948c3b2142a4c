from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.formats.tumblr_text import TumblrTextParser
from fanarchive.domain.work import ParsedWork

PARSER = TumblrTextParser()
NO_BLOG = "The copied post does not name its blog; no author was set."


def _source(path: Path) -> SourceFile:
    return SourceFile(name=str(path), data=path.read_bytes())


def _parse_text(text: str) -> list[ParsedWork]:
    return PARSER.parse(SourceFile(name="posts.txt", data=text.encode()))


def test_four_posts_run_together(fixtures_dir: Path, assert_valid_works: Callable[..., dict]) -> None:
    source = _source(fixtures_dir / "tumblr" / "asks.txt")
    assert PARSER.sniff(source) == 0.9
    works = PARSER.parse(source)
    data = assert_valid_works(works)
    assert [w.title for w in works] == [
        "Tea Shop AU, part one",
        "honestly? i don't. some days i…",
        "Lighthouse starter",
        "*wraps both hands around the mug*…",
    ]
    assert [w["prompt"] for w in data["works"]] == [
        {
            "asker": "maplewren",
            "text": "<p>could you write the one where they meet in the rain? the tea shop one!!</p>",
        },
        {"asker": None, "text": "<p>hi!! how do you keep writing every day?</p>"},
        None,
        {"asker": "quillfeather", "text": "<p>*slides a cup of cocoa across the table* you look cold.</p>"},
    ]
    assert [w.tags["freeform"] for w in works] == [
        ["maple writes", "tea shop au", "wren x soren"],
        ["ask games", "writing"],
        ["starter", "open rp"],
        [],
    ]
    first = works[0].chapters[0]
    # Lowercase prose stays lowercase; the no-break-space indentation is gone.
    assert first.html == (
        "<p>the bell over the door rang twice before wren looked up.</p>\n"
        "<p>soren stood dripping on the mat, holding a broken umbrella like a bouquet.</p>\n"
        '<p>"you\'re letting the cold in," she said, and did not mean it at all.</p>'
    )
    assert [w.chapters[0].words for w in works] == [38, 30, 25, 25]
    assert [len(w.chapters) for w in works] == [1, 1, 1, 1]
    assert works[0].doubts == [NO_BLOG]
    assert works[1].doubts == [
        'The post has no title; "honestly? i don\'t. some days i…" was made from its first words.',
        NO_BLOG,
    ]
    assert works[2].doubts == ["The first line 'Lighthouse starter' was read as the post's title.", NO_BLOG]
    assert (works[1].metadata, works[2].metadata) == ({"asker": "Anonymous"}, {})
    assert {(w.source.format, w.source.site) for w in works} == {("tumblr-text", "tumblr.com")}


def test_title_line_after_an_answer_is_a_doubt_and_same_line_asks() -> None:
    works = _parse_text(
        "Anonymous asked: what is the lighthouse called?\n\n"
        "it has no name. everyone just calls it the lamp.\n\n"
        "Snow Day\n\n"
        "mira-writes asked:\n"
        "snow day!\n\n"
        "they built a very bad snowman.\n"
    )
    assert [(w.title, w.prompt.asker if w.prompt else "-") for w in works] == [
        ("it has no name. everyone just…", None),
        ("Snow Day", "mira-writes"),
    ]
    assert works[0].prompt is not None and works[0].prompt.text == "<p>what is the lighthouse called?</p>"
    assert works[0].chapters[0].html == "<p>it has no name. everyone just calls it the lamp.</p>"
    assert works[1].doubts[0] == "The line 'Snow Day' between two posts was read as the next post's title."


def test_ask_without_blank_line_is_read_as_one_line_with_a_doubt() -> None:
    [work] = _parse_text("wren asked:\nwhat did soren bring?\na broken umbrella.\nand tea.\n#soren\n")
    assert work.prompt is not None and work.prompt.text == "<p>what did soren bring?</p>"
    assert work.chapters[0].html == "<p>a broken umbrella.</p>\n<p>and tea.</p>"
    assert work.tags["freeform"] == ["soren"]
    assert "No blank line separates the ask from the answer; the ask was read as one line." in work.doubts


def test_plain_prose_is_not_claimed(fixtures_dir: Path) -> None:
    assert PARSER.sniff(_source(fixtures_dir / "tumblr" / "not-tumblr.txt")) == 0.0
    assert PARSER.sniff(_source(fixtures_dir / "ao3" / "full-work.txt")) == 0.0
    assert PARSER.sniff(_source(fixtures_dir / "efiction" / "printable.txt")) == 0.0
    prose = SourceFile(name="p.txt", data=b"Mira asked:\nshe asked:\nhe asked\n")
    assert PARSER.sniff(prose) == 0.0


@pytest.mark.parametrize("data", [b"", b"  \n\n \n"])
def test_empty_text_fails(data: bytes) -> None:
    with pytest.raises(ParseError, match="no text"):
        PARSER.parse(SourceFile(name="x.txt", data=data))


def test_both_tumblr_readers_make_titles_the_same_way() -> None:
    import json

    from fanarchive.domain.formats._tumblr_titles import made_title
    from fanarchive.domain.formats.tumblr_json import TumblrJsonParser

    body = "the kettle sang twice before anyone moved at all"
    [from_text] = _parse_text(body + "\n")
    post = {"type": "text", "id": 9, "blog_name": "wren", "body": f"<p>{body}</p>"}
    [from_json] = TumblrJsonParser().parse(SourceFile("p.json", json.dumps(post).encode()))
    assert (
        from_text.title
        == from_json.title
        == made_title(f"<p>{body}</p>")
        == "the kettle sang twice before anyone…"
    )
    assert made_title("<p>two words</p>") == "two words" and made_title("<p> </p>") is None


def test_blog_page_copy_splits_at_notes_and_reblog_lines(
    fixtures_dir: Path, assert_valid_works: Callable[..., dict]
) -> None:
    # Copied whole from a blog page: the blog's header, then each post closed by its tags, notes
    # count and date, or by its date alone.
    source = _source(fixtures_dir / "tumblr" / "blog-page.txt")
    assert PARSER.sniff(source) == 0.9
    works = PARSER.parse(source)
    assert_valid_works(works)
    assert [w.title for w in works] == [
        "he tried. he watched three videos…",
        "The Long Way Round",
        "matches, a broken compass, two letters…",
        "Snow Day",
        "the gulls on the shop roof…",
    ]
    assert [(w.prompt.asker, w.prompt.text) if w.prompt else None for w in works] == [
        (None, "<p>do you think soren ever learned to fix the umbrella?</p>"),
        None,
        ("quillfeather", "<p>what does the lighthouse keeper keep in the drawer by the lamp?</p>"),
        None,
        None,
    ]
    assert [w.tags["freeform"] for w in works] == [
        ["ask", "soren", "tea shop au"],
        ["tea shop au", "wren x soren", "my writing"],
        ["lighthouse au", "asks"],
        [],
        ["gulls"],
    ]
    assert [w.stats for w in works] == [{"notes": 14}, {"notes": 231}, {"notes": 1204}, {}, {"notes": 2}]
    assert [w.published for w in works] == [
        "2026-12-03",
        "2026-12-01",
        "2026-11-30",
        "2026-11-28",
        "2026-11-27",
    ]
    assert [w.chapters[0].words for w in works] == [28, 72, 20, 24, 11]
    # Nothing of the page's frame is left in a post's text.
    for work in works:
        text = work.chapters[0].html
        assert "notes" not in text and "reblogged" not in text and "#" not in text and "2026" not in text
        assert "The Long Way Round" not in text and "Snow Day" not in text
    assert [w.authors for w in works] == [["wrenwrites"], ["wrenwrites"], [], ["wrenwrites"], ["wrenwrites"]]
    assert works[0].metadata == {
        "asker": "Anonymous",
        "blog": "wrenwrites",
        "blog_description": "fics, asks and the occasional tea shop au",
    }
    assert works[2].metadata["reblogged_from_name"] == "quillfeather"
    assert works[2].doubts[-1] == (
        "The post was reblogged by wrenwrites from quillfeather; the copy does not say which blog "
        "wrote it, so no author was set."
    )
    assert works[1].doubts == [
        "The first line 'The Long Way Round' was read as the post's title.",
        "The blog name 'wrenwrites' heading the copied page was read as the author.",
    ]


def test_dashboard_reblogs_with_crlf_and_no_asks_first(fixtures_dir: Path) -> None:
    source = _source(fixtures_dir / "tumblr" / "reblogs-crlf.txt")
    assert PARSER.sniff(source) == 0.9
    works = PARSER.parse(source)
    assert [(w.title, w.authors, w.stats) for w in works] == [
        ("the gulls in this one!! i…", ["mira-writes"], {"notes": 2300}),
        ("Low Tide", [], {"notes": 1}),
        ("only in the mornings, before the…", [], {}),
    ]
    assert [w.metadata.get("reblogged_from_name") for w in works] == ["lanternlight", "mira-writes", None]
    assert works[0].chapters[0].html == "<p>the gulls in this one!! i can hear them from here</p>"
    assert (
        works[2].prompt is not None and works[2].prompt.text == "<p>is the lighthouse keeper ever lonely?</p>"
    )
    assert works[1].tags["freeform"] == ["lighthouse au", "low tide"]


def test_text_posts_without_asks_are_claimed_by_their_frame() -> None:
    page = "Low Tide\n\nthe sea went out.\n#low tide\n12 notes\n\nHigh Tide\n\nit came back.\n#high tide\n4 notes\n"
    assert PARSER.sniff(SourceFile(name="p.txt", data=page.encode())) == 0.8
    assert [w.title for w in _parse_text(page)] == ["Low Tide", "High Tide"]
    # Tags alone (a story that ends with a hashtag) are not enough.
    assert PARSER.sniff(SourceFile(name="p.txt", data=b"the end.\n#done\n")) == 0.0


def test_a_lone_first_word_is_a_blog_header_only_when_posts_follow() -> None:
    [work] = _parse_text("hello\nthe lamp was lit at six.\n\nand put out at dawn.\n")
    assert work.authors == [] and work.chapters[0].words == 12
    # A header of more than three lines is the first post's text, not a header.
    works = _parse_text("wren\none\ntwo\nthree\n\nAnonymous asked:\nhi?\n\nhello.\n")
    assert works[0].chapters[0].html == "<p>wren</p>\n<p>one</p>\n<p>two</p>\n<p>three</p>"


@pytest.mark.parametrize(
    ("line", "count"),
    [("1 note", 1), ("14 notes", 14), ("1,204 notes", 1204), ("2.3k notes", 2300), ("12K notes", 12000)],
)
def test_notes_counts(line: str, count: int) -> None:
    from fanarchive.domain.formats._tumblr_lines import notes_count

    assert notes_count(line) == count
    assert notes_count(f"{line} later") is None


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("Dec 3rd, 2026", "2026-12-03"),
        ("Posted on December 1, 2026 at 9:14pm", "2026-12-01"),
        ("27 November 2026", "2026-11-27"),
        ("2026-11-30", "2026-11-30"),
        ("posted: sept. 2nd 2026, 10:01", "2026-09-02"),
        ("February 30, 2026", None),
        ("Smarch 3, 2026", None),
        ("on Dec 3rd, 2026 she left", None),
    ],
)
def test_date_lines(line: str, date: str | None) -> None:
    from fanarchive.domain.formats._tumblr_lines import post_date

    assert post_date(line) == date
