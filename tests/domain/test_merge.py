from __future__ import annotations

from fanarchive.domain.merge import is_partial, merge_partial_works
from fanarchive.domain.work import IndexEntry, ParsedChapter, ParsedWork, Source

INDEX = [IndexEntry(number=n, title=f"Part {n}") for n in (1, 2, 3)]


def _page(number: int, updated: str, story: str = "123") -> ParsedWork:
    return ParsedWork(
        title=f"Story {story} as of {updated}",
        authors=["ferris"],
        updated=updated,
        chapters=[ParsedChapter(number=number, html=f"<p>text {number}</p>", title=f"Part {number}")],
        index=list(INDEX),
        source=Source(format="ffn-html", site="www.fanfiction.net", id=story),
    )


def test_pages_of_one_story_merge_in_chapter_order() -> None:
    whole = ParsedWork(title="Other", chapters=[ParsedChapter(number=1, html="<p>x</p>")])
    pages = [
        _page(3, "2024-03-01"),
        whole,
        _page(1, "2024-01-01"),
        _page(2, "2024-02-01"),
        _page(1, "2024-04-01", "999"),
    ]
    merged = merge_partial_works(pages)
    assert [w.title for w in merged] == ["Story 123 as of 2024-03-01", "Other", "Story 999 as of 2024-04-01"]
    story = merged[0]
    assert [c.number for c in story.chapters] == [1, 2, 3]
    assert not is_partial(story) and is_partial(merged[2])


def test_a_later_copy_of_a_chapter_replaces_the_earlier() -> None:
    old, new = _page(2, "2024-01-01"), _page(2, "2024-05-01")
    new.chapters[0].html = "<p>revised</p>"
    merged = merge_partial_works([new, old])
    assert [c.html for c in merged[0].chapters] == ["<p>revised</p>"]
    assert merged[0].updated == "2024-05-01"
