"""The chapter a snippet comes from: the fast ASCII path chooses exactly as analysing every word does."""

from __future__ import annotations

import random

import pytest

from fanarchive.search import snippets
from fanarchive.search.analysis import analyze
from fanarchive.search.snippets import _AsciiQuery, best_chapter


def _by_analysis(chapters: list[str], matches: list[tuple[list[str], bool]]) -> int | None:
    # The definition: most phrases held as phrases, then most distinct words, then the earliest.
    wanted = {word for words, _phrase in matches for word in words}
    best: tuple[int, int, int] | None = None
    for index, text in enumerate(chapters):
        tokens = analyze(text)
        phrases = sum(
            1
            for words, phrase in matches
            if phrase
            and len(words) > 1
            and any(tokens[i : i + len(words)] == words for i in range(len(tokens)))
        )
        distinct = len(wanted & set(tokens))
        if distinct and (best is None or (phrases, distinct, -index) > best):
            best = (phrases, distinct, -index)
    return None if best is None else -best[2]


def test_fast_choice_equals_the_definition_on_random_chapters() -> None:
    rng = random.Random(7)
    words = [
        "tide",
        "gull",
        "lamp",
        "keeper",
        "salt",
        "x1",
        "Tide",
        "GULL",
        "lamp's",
        "keeper-boat",
        "ä",
        "café",
    ]
    gaps = [
        " ",
        ", ",
        ". ",
        "\n\n",
        " -- ",
        "_",
        "'",
        " (",
        ") ",
        "\u201c",
        "\u201d ",
        "\u2019",
        " \u2014 ",
        "\u2026",
    ]
    for _ in range(600):
        chapters = [
            "".join(rng.choice(words) + rng.choice(gaps) for _ in range(rng.randrange(0, 25)))
            for _ in range(rng.randrange(1, 6))
        ]
        query = [rng.choice(words) for _ in range(rng.randrange(1, 4))]
        matches = [(analyze(" ".join(query)), rng.random() < 0.5), (analyze(rng.choice(words)), False)]
        matches = [(m, phrase) for m, phrase in matches if m]
        assert best_chapter(chapters, matches) == _by_analysis(chapters, matches), (chapters, matches)


def test_chapters_in_typographic_quotes_take_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    # Fiction's dialogue: “The lamp’s out,” she said — no word is analysed in Python for it.
    def refuse(text: str) -> list[str]:
        raise AssertionError(f"analysed: {text!r}")

    monkeypatch.setattr(snippets, "analyze", refuse)
    chapters = ["\u201cNo,\u201d he said.", "\u201cThe lamp\u2019s out\u2026\u201d \u2014 keeper"]
    assert best_chapter(chapters, [(["lamp", "s", "out"], True), (["keeper"], False)]) == 1
    assert best_chapter(chapters, [(["no"], False)]) == 0


def test_a_phrase_outranks_scattered_words_and_case_is_folded() -> None:
    chapters = ["The lamp went out. The keeper slept.", "Nobody saw the LAMP-KEEPER that night."]
    assert best_chapter(chapters, [(["lamp", "keeper"], True)]) == 1
    assert best_chapter(chapters, [(["lamp", "keeper"], False)]) == 0
    assert best_chapter(chapters, [(["storm"], False)]) is None


def test_words_and_phrases_are_matched_whole_at_every_edge() -> None:
    query = _AsciiQuery({"the", "door"}, [["the", "door"]])
    cases = {
        "the door opened": (1, 2),  # at the very start
        "open the door": (1, 2),  # at the very end
        "xthe door": (0, 1),
        "1the door": (0, 1),
        "_the door": (1, 2),  # an underscore separates tokens, as in the analyser
        "the doors": (0, 1),
        "the\n\n--door": (1, 2),
        "lathe door": (0, 1),
        "the the door": (1, 2),
    }
    for text, expected in cases.items():
        tokens = analyze(text)
        definition = (
            int(any(tokens[i : i + 2] == ["the", "door"] for i in range(len(tokens)))),
            len({"the", "door"} & set(tokens)),
        )
        assert query.score(text) == expected == definition, text
