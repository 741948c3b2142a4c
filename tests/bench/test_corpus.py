from __future__ import annotations

from pathlib import Path

from fanarchive.bench.corpus import CorpusGenerator
from fanarchive.bench.import_bench import write_corpus
from fanarchive.domain.formats.base import SourceFile
from fanarchive.domain.formats.detect import detect, parse_source
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


def test_import_corpus_comes_in_every_form_and_reads_back(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path, 0.4, seed=2)
    assert set(corpus["files_by_format"]) == {
        "work-json",
        "ao3-html",
        "ao3-epub",
        "fanarchive-txt",
        "markdown",
    }
    readers: dict[str, set[str]] = {}
    for path in sorted(tmp_path.iterdir()):
        source = SourceFile(path.name, path.read_bytes())
        [work] = parse_source(source)
        readers.setdefault(path.suffix, set()).add(detect(source).name)
        assert work.title and work.chapters and work.words > 0
    assert readers == {
        ".json": {"work-json"},
        ".html": {"ao3-html"},
        ".epub": {"ao3-epub"},
        ".txt": {"fanarchive-txt"},
        ".md": {"markdown"},
    }
    assert sum(corpus["files_by_format"].values()) == corpus["works"] == len(list(tmp_path.iterdir()))
