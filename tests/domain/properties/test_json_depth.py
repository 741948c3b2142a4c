"""The JSON readers' nesting limit, measured on the parsed value, equals the nesting of the text."""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fanarchive.domain.formats._json import _depth, load_json
from fanarchive.domain.limits import DEFAULT_LIMITS, LimitExceeded

# Strings full of brackets and escapes, so that a measure reading them as nesting would be caught.
_strings = st.text(alphabet=st.sampled_from('[]{}"\\ ab\u00e9'), max_size=8)
values = st.recursive(
    st.none() | st.booleans() | st.integers(-1000, 1000) | _strings,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_strings, children, max_size=4),
    max_leaves=40,
)


def _text_depth(text: str) -> int:
    """The nesting of brackets in JSON text, strings cut out first: what the limit means."""
    brackets = re.sub(r"[^\[\]{}]+", "", re.sub(r'"(?:[^"\\]|\\.)*"', "", text))
    return max(accumulate(1 if char in "[{" else -1 for char in brackets), default=0)


@given(values)
def test_depth_of_the_value_is_the_depth_of_its_text(value: Any) -> None:
    text = json.dumps(value)
    assert _depth(json.loads(text)) == _text_depth(text)


def test_the_limit_is_exact_and_brackets_in_strings_do_not_count() -> None:
    limit = DEFAULT_LIMITS.max_depth
    at_limit = "[" * (limit - 1) + '{"k": "[[[[{{{{"}' + "]" * (limit - 1)
    assert load_json(at_limit) is not None
    with pytest.raises(LimitExceeded, match="max_depth"):
        load_json("[" + at_limit + "]")
