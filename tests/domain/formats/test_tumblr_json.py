from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from fanarchive.domain.formats._tumblr_npf import inline_html
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.formats.tumblr_json import TumblrJsonParser
from fanarchive.domain.work import ParsedWork

PARSER = TumblrJsonParser()


def _fixture(fixtures_dir: Path) -> list[ParsedWork]:
    path = fixtures_dir / "tumblr" / "posts-v2.json"
    source = SourceFile(name=str(path), data=path.read_bytes())
    assert PARSER.sniff(source) == 0.95
    return PARSER.parse(source)


def _parse(data: object) -> list[ParsedWork]:
    return PARSER.parse(SourceFile(name="p.json", data=json.dumps(data).encode()))


def test_v2_response_gives_one_work_per_post(
    fixtures_dir: Path, assert_valid_works: Callable[..., dict]
) -> None:
    works = _fixture(fixtures_dir)
    data = assert_valid_works(works)
    assert [w.title for w in works] == [
        "the bell over the door rang…",
        "Lighthouse Drabble",
        "Lighthouse headcanons",
        "they built a very bad snowman.",
    ]
    assert [w.authors for w in works] == [["maplewren"]] * 4
    assert [w.published for w in works] == ["2015-01-11", "2015-01-12", "2015-01-13", "2015-01-14"]
    assert [w["prompt"] for w in data["works"]] == [
        {
            "asker": "quillfeather",
            "text": "<p>could you write the one where they meet in the <i>rain</i>?</p>",
        },
        None,
        {"asker": "quillfeather", "text": "<p>do you have any lighthouse headcanons?</p>"},
        {"asker": None, "text": "<p>Anonymous asked about snow.</p>"},
    ]
    assert [w.tags["freeform"] for w in works] == [
        ["maple writes", "tea shop au", "wren x soren"],
        ["drabble"],
        ["headcanons", "lighthouse keepers"],
        [],
    ]
    assert [w.stats for w in works] == [{"notes": 214}, {"notes": 9}, {"notes": 33}, {}]
    assert [(w.chapters[0].number, w.chapters[0].words) for w in works] == [(1, 18), (1, 10), (1, 24), (1, 6)]
    assert [w.metadata.get("asker") for w in works] == ["quillfeather", None, "quillfeather", "Anonymous"]
    assert (
        works[0].source.url
        == "https://maplewren.tumblr.com/post/712345678901234567/could-you-write-the-rain-one"
    )
    assert (works[0].source.format, works[0].source.site, works[0].source.id) == (
        "tumblr-json",
        "tumblr.com",
        "712345678901234567",
    )


def test_legacy_answer_is_sanitised_and_its_own_trail_item_is_not_a_reblog(fixtures_dir: Path) -> None:
    answer = _fixture(fixtures_dir)[0]
    assert answer.chapters[0].html == (
        "<p>the bell over the door rang twice before wren looked up.</p>"
        "<p>soren stood dripping on the mat.</p><p><b>end.</b></p>"
    )
    assert "reblog_trail" not in answer.metadata
    assert answer.doubts == [
        "The post has no title; 'the bell over the door rang…' was made from its first words."
    ]


def test_npf_blocks_ask_layout_and_formatting(fixtures_dir: Path) -> None:
    npf = _fixture(fixtures_dir)[2]
    assert npf.chapters[0].html == (
        "<p><strong>mira </strong><strong><em>keeps</em></strong><em> a logbook</em> of every ship, "
        "even the tiny ones.</p>"
        '<ul><li>she names the gulls</li><li>she hates <a href="https://example.org/fog" rel="nofollow noopener">'
        "fog horns</a></li></ul>"
        "<blockquote><p>the sea is never quiet</p></blockquote>"
    )
    assert npf.metadata["unsupported_blocks"] == ["audio"]
    assert npf.doubts == [
        "The post's opening heading 'Lighthouse headcanons' was read as its title.",
        "Blocks with no text form (audio) were left out of the text.",
    ]


def test_reblog_that_added_nothing_takes_the_trail(fixtures_dir: Path) -> None:
    reblog = _fixture(fixtures_dir)[3]
    assert reblog.chapters[0].html == "<p>they built a very bad snowman.</p>"
    assert reblog.metadata["reblog_trail"] == [
        {
            "blog": "maplewren",
            "post_id": "712345678901230000",
            "html": "<p>Anonymous asked about snow.</p><p>they built a very bad snowman.</p>",
        }
    ]
    assert reblog.metadata["reblogged_root_name"] == "maplewren"
    assert reblog.source.url == "https://tidewatcher.tumblr.com/post/712345678901240000"
    assert "The post is a reblog that added nothing" in reblog.doubts[0]


def test_bare_list_and_single_post() -> None:
    post = {"type": "text", "id": 5, "blog_name": "wren", "title": "T", "body": "<p>a b</p>", "tags": []}
    [from_list] = _parse([post])
    [single] = _parse(post)
    assert (from_list.title, single.title, single.source.id, single.chapters[0].words) == ("T", "T", "5", 2)
    [anonymous] = _parse(
        {"type": "answer", "id": 6, "asking_name": "Anonymous", "question": "q?", "answer": "a."}
    )
    assert anonymous.prompt is not None and (anonymous.prompt.asker, anonymous.prompt.text) == (
        None,
        "<p>q?</p>",
    )


@pytest.mark.parametrize(
    ("timestamp", "published"),
    [(1420934400, "2015-01-11"), (1420934400123, "2015-01-11"), (1420934400.5, "2015-01-11"), (10**30, None)],
)
def test_timestamps_in_seconds_or_milliseconds(
    timestamp: float, published: str | None, assert_valid_works: Callable[..., dict]
) -> None:
    post = {
        "type": "text",
        "id": 5,
        "blog_name": "wren",
        "title": "T",
        "body": "<p>a</p>",
        "timestamp": timestamp,
    }
    [work] = _parse(post)
    assert_valid_works([work])
    assert work.published == published
    if published is None:
        assert work.metadata["timestamp"] == timestamp
        assert work.doubts == [f"The post's timestamp {timestamp!r} is not a date; none was set."]


def test_headings_quotes_and_ordered_lists() -> None:
    [work] = _parse(
        {
            "id": 7,
            "blog": {"name": "wren"},
            "content": [
                {"type": "text", "text": "Part two", "subtype": "heading2"},
                {"type": "text", "text": "one", "subtype": "ordered-list-item"},
                {"type": "text", "text": "two", "subtype": "ordered-list-item"},
                {"type": "text", "text": "big words", "subtype": "quote"},
                {
                    "type": "image",
                    "media": [{"url": "https://64.media.tumblr.com/x.png"}],
                    "alt_text": "a gull",
                },
            ],
            "layout": [{"type": "rows", "display": [{"blocks": [0]}, {"blocks": [3]}, {"blocks": [1, 2]}]}],
        }
    )
    assert work.authors == ["wren"]
    assert work.chapters[0].html == (
        "<h3>Part two</h3><blockquote><p>big words</p></blockquote><ol><li>one</li><li>two</li></ol>"
        '<p><img src="https://64.media.tumblr.com/x.png" alt="a gull"></p>'
    )


def test_overlapping_ranges_nest() -> None:
    assert inline_html("a<b", [{"start": 0, "end": 3, "type": "italic"}]) == "<em>a&lt;b</em>"
    assert inline_html("abc", [{"start": 1, "end": 9, "type": "mention", "blog": {"name": "wren"}}]) == (
        'a<a href="https://wren.tumblr.com/">bc</a>'
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"works": []}', "not tumblr post JSON"),
        (b'{"response": {"posts": [{"title": "x"}]}}', "post 1 is not a tumblr post"),
        (b'{"response": {"posts": []}}', "the JSON holds no posts"),
        (b'{"response": {"posts": [', "not valid JSON"),
    ],
)
def test_json_that_is_not_tumblr_fails(data: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        PARSER.parse(SourceFile(name="x.json", data=data))


def test_sniff(fixtures_dir: Path) -> None:
    not_posts = fixtures_dir / "tumblr" / "not-posts.json"
    assert PARSER.sniff(SourceFile(name="n.json", data=not_posts.read_bytes())) == 0.0
    assert PARSER.sniff(SourceFile(name="w.json", data=b'{"works": [{"title": "x"}]}')) == 0.0
