"""count_words' byte-translation fast path gives the regex path's count on every text it takes."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from fanarchive.domain.text import _count_ascii_words, _count_words_regex, count_words_text

# Weighted toward the characters the fast path treats specially: joiners, hyphens, the
# punctuation it turns into breaks, ASCII word and non-word characters, and a few that send
# text back to the regex path (accented letters, CJK, Thai, Cyrillic, a non-ASCII digit).
_SPECIAL = "-'’‘“”—–…«»\u00a0_ \n\t.,!?0123456789aZ"
_OTHER = "éßñ漢字ひカไทยпривет٣\u200b"
texts = st.text(alphabet=st.sampled_from(_SPECIAL + _OTHER), max_size=80) | st.text(max_size=80)
ascii_texts = st.text(alphabet=st.characters(max_codepoint=127), max_size=200)


@given(texts)
@example("one--two")
@example("-’-")
@example("don’t “stop” — now…")
@example("a\u00a0b")
def test_fast_path_equals_regex_path(text: str) -> None:
    fast = _count_ascii_words(text)
    if fast is not None:
        assert fast == _count_words_regex(text)
    assert count_words_text(text) == _count_words_regex(text)


@given(ascii_texts)
def test_fast_path_takes_every_ascii_text(text: str) -> None:
    assert _count_ascii_words(text) == _count_words_regex(text)


def test_fast_path_takes_curly_quotes_and_refuses_other_scripts() -> None:
    assert _count_ascii_words("“Don’t,” she said — twice…") == 4
    assert _count_ascii_words("café") is None
    assert _count_ascii_words("漢字") is None
