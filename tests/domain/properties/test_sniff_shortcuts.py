"""The shortcuts that keep sniffing cheap decide exactly as the work they skip: a head decoded once
a file is the head each reader decoded, and each plain-string test rules out only files that the
regex or line-by-line match behind it would have ruled out too."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from fanarchive.domain.formats._tumblr_lines import TAGS, ask_match
from fanarchive.domain.formats.ao3_page import _AO3_NAMES
from fanarchive.domain.formats.base import SourceFile
from fanarchive.domain.formats.efiction_dump import _SQL_KEYWORDS, _SQL_STATEMENT
from fanarchive.domain.formats.efiction_text import _starts_a_line
from fanarchive.domain.formats.plain import looks_like_text
from fanarchive.domain.formats.tumblr_text import _NAME_CHARACTERS, _may_open_a_line
from fanarchive.domain.text import normalise_indentation

# Line breaks of every kind str.splitlines() knows, indentation, the letters of the names looked
# for in both cases, and the two characters outside ASCII that lower to ASCII letters.
_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_ALPHABET = _BREAKS + " \t\u00a0\u3000#-.:@İKkIiAaRrCcHhVvEeOoFfUuWwNnGgSsdb\u00e9\u201c"
_WORDS = ["archive of our own", "ARCHİVE OF OUR OWN", "ArchiveOfOurOwn.org", "archiveofo\u212aurown", "Chapters: ",
          "Summary: ", "Categories: ", " asked", "anonymous", "wren-writes", "#tag", "she", "\u00a0"]  # fmt: skip
heads = st.lists(st.sampled_from(_WORDS) | st.text(alphabet=_ALPHABET, max_size=6), max_size=24).map("".join)


@given(st.binary(max_size=300), st.lists(st.integers(0, 320), min_size=1, max_size=4))
@example(b"caf\xc3\xa9", [4, 5, 9])
@example(b"\xef\xbb\xbfa\xff\xc3", [1, 4, 6])
def test_head_text_is_each_readers_own_decode(data: bytes, sizes: list[int]) -> None:
    source = SourceFile(name="x", data=data)
    for size in sizes * 2:  # asked again, it answers from what it kept
        assert source.head_text(size) == source.head(size).decode("utf-8", "ignore")
        assert source.head_utf8(size) == source.head_text(size).encode()


@given(heads)
@example("ARCHİVE OF OUR OWN")
@example("archive of our own")
@example("ArchiveOfOurOwn.ORG")
def test_ao3_names_in_lowered_utf8_as_in_lowered_text(head: str) -> None:
    for name in _AO3_NAMES:
        assert (name in head.encode().lower()) == (name.decode() in head.lower())


@given(heads, st.sampled_from(["Chapters: ", "Summary: ", "Categories: "]))
@example("x\rSummary: ", "Summary: ")
@example("x\nSummary: ", "Summary: ")
def test_starts_a_line_is_the_multiline_caret(head: str, words: str) -> None:
    assert _starts_a_line(head, words) == bool(re.search("^" + re.escape(words), head, re.M))


@given(heads)
@example("  wren-writes asked: hi")
@example("x\u2029\u00a0#tag one")
@example("she said\nanonymous asked:\nwhat")
def test_tumblr_shortcut_never_hides_an_ask_or_a_tags_line(head: str) -> None:
    lines = [normalise_indentation(line).rstrip() for line in head.splitlines()]
    if any(ask_match(line) for line in lines):
        assert _may_open_a_line(head, " asked", _NAME_CHARACTERS)
    if any(TAGS.match(line) for line in lines):
        assert _may_open_a_line(head, "#", "")


@given(st.binary(max_size=200))
@example(b"INSERT INTO stories ")
@example(b"x\nlock tables `a` ")
def test_sql_keywords_are_in_every_head_the_statement_pattern_matches(head: bytes) -> None:
    if _SQL_STATEMENT.search(head):
        assert any(keyword in head.lower() for keyword in _SQL_KEYWORDS)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@given(st.binary(max_size=400) | st.text(max_size=200).map(str.encode))
@example(b"a" * 99 + b"\x01")
@example(b"a" * 98 + b"\x01\x02")
def test_looks_like_text_counts_controls_as_the_latin1_regex_did(head: bytes) -> None:
    sample = head.decode("latin-1")
    expected = (
        True
        if head.startswith((b"\xff\xfe", b"\xfe\xff"))
        else bool(head.strip())
        and b"\x00" not in head
        and len(_CONTROL.findall(sample)) <= len(sample) * 0.01
    )
    assert looks_like_text(head) == expected
