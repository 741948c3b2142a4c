"""The bench's fiction prose has the word statistics of English fiction: Zipf's law over the
ranks, Heaps' law for the vocabulary's growth, real English words, and sentences that do not
repeat more than chance (issue 16). Fitted on a million generated words."""

from __future__ import annotations

import html
import random
import re
from collections import Counter
from pathlib import Path

import pytest

from fanarchive.bench.corpus import CorpusGenerator
from fanarchive.bench.fiction_prose import StoryProse, english
from fanarchive.bench.prose_stats import TOKEN, generated_library, heaps_beta, run, zipf_exponent

MILLION = 1_000_000


@pytest.fixture(scope="module")
def library() -> tuple[list[str], list[str]]:
    return generated_library(MILLION, seed=11)


def test_word_frequencies_follow_zipf(library: tuple[list[str], list[str]]) -> None:
    # English is about 1 over its first thousand ranks (two real fan works: 1.07 and 1.08).
    assert 0.85 <= zipf_exponent(library[0]) <= 1.15


def test_vocabulary_grows_as_heaps_law_says(library: tuple[list[str], list[str]]) -> None:
    # Independent draws from the whole word list give 0.64; fiction 0.5-0.6.
    assert 0.45 <= (heaps_beta(library[0]) or 0) <= 0.6
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


def test_bench_prose_measures_generated_and_real_text_alike(tmp_path: Path) -> None:
    # A text of our own: a small vocabulary used over and over, one sentence said three times.
    words = [f"w{chr(97 + i % 7)}{chr(97 + i % 5)}" for i in range(3000)]
    real = tmp_path / "novel.txt"
    real.write_text(" ".join(words) + ". Same again. Same again. Same again.")
    report = run(words=20_000, seed=2, compare=[real])
    generated, compared = report["generated"], report["compared"]["novel.txt"]
    assert generated["words"] == 20_000 and 0.8 < generated["zipf_exponent"] < 1.2
    assert generated["max_sentence_repeats"] <= 2 and generated["words_per_s"] > 0
    assert compared["max_sentence_repeats"] == 3 and compared["distinct_words"] == 37


def test_import_corpus_works_are_stories_in_english() -> None:
    """The import bench's corpus (bench/corpus.py) writes the same fiction: it used about 180
    distinct words in all; each work now has its own words and its characters speak."""
    works = list(CorpusGenerator(seed=4, fandoms=10, freeforms=100).works(20, max_chapter_words=3000))
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", c.html)) for w in works for c in w.chapters)
    assert len(set(TOKEN.findall(text.lower()))) > 3000
    assert all(
        any(f"” {name} said." in c.html for name in work.tags["character"] for c in work.chapters)
        for work in works
        if work.words > 1500
    )
