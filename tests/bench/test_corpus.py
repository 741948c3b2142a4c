from __future__ import annotations

from fanarchive.bench.corpus import CorpusGenerator
from fanarchive.domain.text import count_words
from fanarchive.domain.work import works_to_json


def test_same_seed_same_corpus() -> None:
    first = works_to_json(list(CorpusGenerator(seed=7, fandoms=20, freeforms=200).works(5)))
    second = works_to_json(list(CorpusGenerator(seed=7, fandoms=20, freeforms=200).works(5)))
    other = works_to_json(list(CorpusGenerator(seed=8, fandoms=20, freeforms=200).works(5)))
    assert first == second != other


def test_works_are_whole_and_tagged_consistently() -> None:
    generator = CorpusGenerator(seed=3, fandoms=10, freeforms=100)
    fandom_of_character = {c: f.name for f in generator.fandoms for c in f.characters}
    for work in generator.works(30, max_chapter_words=400):
        assert work.chapters and all(c.words == count_words(c.html) > 0 for c in work.chapters)
        assert len(work.tags["rating"]) == 1 and work.tags["warning"] and work.tags["category"]
        assert all(fandom_of_character[c] in work.tags["fandom"] for c in work.tags["character"])
        assert work.published is not None and work.updated is not None and work.updated >= work.published
