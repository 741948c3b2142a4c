"""The text fingerprint's words (fingerprint.chapter_words) are what they were defined as: the NFC
text of html_to_text, split on whitespace and joined by single spaces."""

from __future__ import annotations

import unicodedata

from hypothesis import example, given
from hypothesis import strategies as st

from fanarchive.domain.fingerprint import chapter_words
from fanarchive.domain.text import html_to_text

# Markup, entities, every kind of whitespace html_to_text tidies, and combining marks beside it.
_PIECES = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<br/>",
        "<br>",
        "</div>",
        "<script>x</script>",
        "<!-- c -->",
        "<i>",
        "</i>",
        "&amp;",
        "&nbsp;",
        "&mdash;",
        "\u00a0",
        " ",
        "\t",
        "\n",
        "\r",
        "\u2003",
        "e",
        "\u0301",
        "A\u030a",
        "word",
        "漢字",
        "ﬁ",
        "&#x301;",
    ]
)
bodies = st.lists(_PIECES, max_size=40).map("".join) | st.text(max_size=60)


def _defined(body: str) -> str:
    return " ".join(unicodedata.normalize("NFC", html_to_text(body)).split())


@given(bodies)
@example("<p>e</p>\u0301")
@example("a\u00a0\n \u0301b")
@example("<p>one</p><p>two</p>")
def test_chapter_words_are_the_defined_words(body: str) -> None:
    assert chapter_words(body) == _defined(body)
