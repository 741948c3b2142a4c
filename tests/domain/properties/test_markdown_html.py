"""markdown_to_html gives what `markdown.markdown(text, extensions=["sane_lists"],
output_format="html")` gave, though it reuses its converters and leaves out the inline patterns and
block processors a text has no character for: on texts made of every piece of syntax those need
(and of the tabs and carriage returns that can turn into a hard break), converted one after
another so that each converter meets texts of every kind, and after a text that failed."""

from __future__ import annotations

import gc
import random
import tracemalloc
from typing import Any

import markdown
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from markdown import blockprocessors

from fanarchive.domain.formats import _markdown_html
from fanarchive.domain.formats._markdown_html import markdown_to_html

_PIECES = [
    "word", "Other words", " ", "é", "\n", "\n\n", "  \n", "\t", " \t\n", "\r", "\r\n", "    ",
    "*", "**", "_", "__", "*em*", "**strong**", "_em_", "`", "`code`", "``a`b``", "\\", "\\*", "\\[",
    "[", "]", "(", ")", "[a](http://x.y)", "[a][r]", "[r]", "![i](s.png)", "![i][r]", "\n[r]: http://r.s\n",
    "<", ">", "\n> ", "> quoted", "<b>", "</b>", "<http://x.y>", "<a@b.c>", "<!-- c -->", "\n<div>\nblock\n</div>\n",
    "&", "&amp;", "&#35;", "&copy;", "# ", "\n## Chapter\n", "\n- ", "\n* ", "\n1. ", "\n---\n", "\n===\n",
    "<p class=\"scene-break\">* * *</p>", "\x02", "\x03",
]  # fmt: skip


def _reference(text: str) -> str:
    return markdown.markdown(text, extensions=["sane_lists"], output_format="html")


def _texts(count: int, seed: int) -> list[str]:
    chance = random.Random(seed)
    texts = []
    for _ in range(count):
        # Most texts draw on a few kinds of piece only, so that most patterns are left out.
        pieces = chance.sample(_PIECES, chance.randint(1, 12))
        texts.append("".join(chance.choice(pieces) for _ in range(chance.randint(1, 60))))
    return texts


def test_generated_texts_convert_as_markdown_markdown_does() -> None:
    texts = _texts(1500, seed=15)
    assert len({frozenset(_markdown_html._not_needed(t, _markdown_html._INLINE_NEEDS)) for t in texts}) > 20
    for text in texts:
        assert markdown_to_html(text) == _reference(text), repr(text)


@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
@example("line one\t\nline two")
@example("a  \r\nb")
@example("[a]\n\n[a]: http://x.y")
@example("a \x02 \x02\nb")  # Python-Markdown deletes STX and ETX first: a hard break
def test_any_text_converts_as_markdown_markdown_does(text: str) -> None:
    assert markdown_to_html(text) == _reference(text)


def test_a_text_that_fails_leaves_nothing_behind_for_the_next(monkeypatch: pytest.MonkeyPatch) -> None:
    real_run = blockprocessors.ParagraphProcessor.run

    def run(self: blockprocessors.ParagraphProcessor, parent: Any, blocks: list[str]) -> None:
        if blocks and "BOOM" in blocks[0]:  # inside a list item: the parser's state says "list"
            raise ValueError("the test's failure")
        real_run(self, parent, blocks)

    monkeypatch.setattr(blockprocessors.ParagraphProcessor, "run", run)
    with pytest.raises(ValueError):
        markdown_to_html("- item one\n- item BOOM")
    monkeypatch.setattr(blockprocessors.ParagraphProcessor, "run", real_run)
    for text in ("plain words\n\nmore", "- item one\n- item two", "> quoted\n\nplain"):
        assert markdown_to_html(text) == _reference(text)


def test_a_kept_converter_lets_go_of_the_text_it_converted() -> None:
    # The reader child keeps its converters for the whole import under a memory limit.
    text = "She walked *slowly* down the road.\n\n" * 40_000  # about 1.4 MB
    markdown_to_html("warm up")
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        markdown_to_html(text)
        del text
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert kept < 1_000_000, f"{kept / 2**20:.1f} MB kept after the call returned"
