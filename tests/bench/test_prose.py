"""The bench's fiction prose has the word statistics of English fiction: Zipf's law over the
ranks, Heaps' law for the vocabulary's growth, real English words, and sentences that do not
repeat more than chance (issue 16). Fitted on a million generated words."""

from __future__ import annotations

import math
import random
import re
from collections import Counter

import pytest

from fanarchive.bench.fiction_prose import StoryProse, english

MILLION = 1_000_000
TOKEN = re.compile(r"[a-z]+")


def _slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of log y over log x."""
    xs = [math.log(x) for x, _ in points]
    ys = [math.log(y) for _, y in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def zipf_exponent(tokens: list[str], ranks: int = 1000) -> float:
    counts = sorted(Counter(tokens).values(), reverse=True)[:ranks]
    return -_slope([(rank, count) for rank, count in enumerate(counts, start=1)])


def heaps_beta(tokens: list[str]) -> float:
    """β of V = K n^β, fitted on the distinct words seen after 10^3 .. 10^6 words (4 points a decade)."""
    marks = {int(10 ** (e / 4)) for e in range(12, 25)}
    seen: set[str] = set()
    points: list[tuple[float, float]] = []
    for n, token in enumerate(tokens, start=1):
        seen.add(token)
        if n in marks:
            points.append((n, len(seen)))
    return _slope(points)


@pytest.fixture(scope="module")
def library() -> tuple[list[str], list[str]]:
    """A million words of stories of fan-fiction lengths (Pareto, most short, a few long), read
    back as a reader's tokens would be; and every sentence."""
    rnd = random.Random(11)
    tokens: list[str] = []
    sentences: list[str] = []
    while len(tokens) < MILLION:
        story = StoryProse(rnd, names=["Ada Quill", "Tobias"])
        left = min(int(rnd.paretovariate(1.3) * 3000), 200_000)
        while left > 0:
            text, _ = story.text(min(left, 4000))
            left -= 4000
            tokens += TOKEN.findall(text.lower())
            sentences += re.split(r"(?<=[.?!])\s+", text)
    return tokens[:MILLION], sentences


def test_word_frequencies_follow_zipf(library: tuple[list[str], list[str]]) -> None:
    # English is about 1 over its first thousand ranks (two real fan works: 1.07 and 1.08).
    assert 0.85 <= zipf_exponent(library[0]) <= 1.15


def test_vocabulary_grows_as_heaps_law_says(library: tuple[list[str], list[str]]) -> None:
    # Independent draws from the whole word list give 0.64; fiction 0.5-0.6.
    assert 0.45 <= heaps_beta(library[0]) <= 0.6
    distinct = len(set(library[0]))
    assert 10_000 < distinct < 60_000


def test_one_long_story_reuses_its_words_like_a_novel() -> None:
    story = StoryProse(random.Random(3))
    tokens: list[str] = []
    while len(tokens) < 32_000:
        tokens += TOKEN.findall(story.text(2000)[0].lower())
    # A real 31,622-word fan work holds about 3,800 distinct words; independent draws, 7,300.
    assert 2_500 < len(set(tokens[:31_622])) < 5_000


def test_no_sentence_repeats_more_than_chance(library: tuple[list[str], list[str]]) -> None:
    counts = Counter(library[1])
    assert len(library[1]) > 50_000
    assert max(counts.values()) <= 2


def test_words_are_english_and_counts_exact() -> None:
    known = set(english().words) | {"said", "ada", "quill"}
    story = StoryProse(random.Random(5), names=["Ada Quill"])
    text, counted = story.text(5000)
    assert counted == len(text.split()) and 5000 <= counted <= 5500  # speakers' names add a few
    assert set(TOKEN.findall(text.lower())) <= known
    assert "Ada Quill said." in text and "\n\n" in text


def test_same_seed_same_prose() -> None:
    first, second, other = (StoryProse(random.Random(s)).text(800) for s in (2, 2, 3))
    assert first == second != other
