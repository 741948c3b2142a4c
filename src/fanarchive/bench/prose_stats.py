"""`fanarchive bench prose`: the word statistics of the bench's generated fiction, and of any real
text given beside it, measured the same way (issue 16: "Measure honestly").

- Zipf exponent: the least-squares slope of log count over log rank for the first 1,000 ranks
  (English is about 1).
- Heaps β: the slope of log distinct words over log running words, read at 4 points a decade
  from 1,000 words on (English fiction about 0.5-0.6).
- Sentence repeats: how often the commonest sentence occurs (chance: once or twice in 1M words).
"""

from __future__ import annotations

import math
import random
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

from fanarchive.bench.fiction_prose import StoryProse, english

TOKEN = re.compile(r"[a-z]+")
SENTENCE_END = re.compile(r"(?<=[.?!])\s+")
STORY_CAP = 200_000  # the longest generated story, in words (the corpus's epics reach 500k)


def _slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of log y over log x."""
    xs = [math.log(x) for x, _ in points]
    ys = [math.log(y) for _, y in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def zipf_exponent(tokens: list[str], ranks: int = 1000) -> float:
    counts = sorted(Counter(tokens).values(), reverse=True)[:ranks]
    return -_slope([(rank, count) for rank, count in enumerate(counts, start=1)])


def heaps_beta(tokens: list[str]) -> float | None:
    """β of V = K n^β over the tokens' length; None for fewer than 1,778 (two points)."""
    marks = {int(10 ** (e / 4)) for e in range(12, 4 * int(math.log10(len(tokens)) + 1))}
    seen: set[str] = set()
    points: list[tuple[float, float]] = []
    for n, token in enumerate(tokens, start=1):
        seen.add(token)
        if n in marks:
            points.append((n, len(seen)))
    return _slope(points) if len(points) > 1 else None


def generated_library(words: int, seed: int) -> tuple[list[str], list[str]]:
    """`words` running words of stories of fan-fiction lengths (Pareto: most short, a few long),
    read back as a reader's lower-case tokens, and every sentence."""
    rnd = random.Random(seed)
    tokens: list[str] = []
    sentences: list[str] = []
    while len(tokens) < words:
        story = StoryProse(rnd, names=["Ada Quill", "Tobias"])
        left = min(int(rnd.paretovariate(1.3) * 3000), STORY_CAP)
        while left > 0:
            text, _ = story.text(min(left, 4000))
            left -= 4000
            tokens += TOKEN.findall(text.lower())
            sentences += SENTENCE_END.split(text)
    return tokens[:words], sentences


def statistics(tokens: list[str], sentences: list[str]) -> dict[str, Any]:
    distinct = {n: len(set(tokens[:n])) for n in (10_000, 31_622, 100_000, 1_000_000) if n <= len(tokens)}
    repeats = Counter(sentences).most_common(1)
    beta = heaps_beta(tokens)
    return {
        "words": len(tokens),
        "zipf_exponent": round(zipf_exponent(tokens), 3),
        "heaps_beta": None if beta is None else round(beta, 3),
        "distinct_words": len(set(tokens)),
        "distinct_words_after": distinct,
        "sentences": len(sentences),
        "max_sentence_repeats": repeats[0][1] if repeats else 0,
    }


def run(words: int = 1_000_000, seed: int = 1, compare: list[Path] | None = None) -> dict[str, Any]:
    english()  # the word list loads once, outside the timing
    started = time.perf_counter()
    tokens, sentences = generated_library(words, seed)
    seconds = time.perf_counter() - started
    report: dict[str, Any] = {
        "benchmark": "prose",
        "generated": {**statistics(tokens, sentences), "seed": seed, "words_per_s": round(words / seconds)},
    }
    for path in compare or []:
        text = path.read_text(encoding="utf-8", errors="replace")
        report.setdefault("compared", {})[path.name] = statistics(
            TOKEN.findall(text.lower()), SENTENCE_END.split(text)
        )
    return report
