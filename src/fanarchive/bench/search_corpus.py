"""`fanarchive bench corpus`: a seeded synthetic archive in the form the search benches load fast.

The works' shape (one-shots, multi-chapter works, a tail of 100k+ word epics), fandoms with their
own characters and relationships, Zipf freeforms and the fixed rating/warning/category tags come
from `CorpusGenerator`; this module adds what search needs that it lacks: plain chapter text
with the word statistics of English fiction (`fiction_prose`: real English words, Zipf's and
Heaps' laws, no sentence repeated more than chance, so a two-word query is as selective as on
real prose), tag ids, synonyms for autocomplete, and a streaming writer.

DIR holds three files:
  works.jsonl   one SearchDocument-like record a line (see `record_to_document`)
  tags.jsonl    one tag a line: tag_id, name, kind, canonical_id (synonyms), uses
  vocabulary.txt the English word list, commonest first (the benches draw query words from it)
  corpus.json   what was generated: seed, counts, words, bytes, seconds
"""

from __future__ import annotations

import bisect
import itertools
import json
import random
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fanarchive.bench.corpus import CorpusGenerator
from fanarchive.bench.fiction_prose import StoryProse, english
from fanarchive.domain.tags import CATEGORIES, RATINGS, WARNINGS

LANGUAGES = (("en", 0.9), ("es", 0.03), ("de", 0.03), ("fr", 0.025), ("zh", 0.015))
TITLE_RANKS = (150, 5000)  # title words: common enough to read as titles, never stop words


def _cumulative(weights: list[float]) -> list[float]:
    return list(itertools.accumulate(weights))


class TagRegistry:
    """Stable ids for every tag of the corpus, in generation order, and how often each is used."""

    def __init__(self) -> None:
        self.ids: dict[tuple[str, str], int] = {}
        self.uses: Counter[int] = Counter()
        self.synonyms: list[tuple[int, str, str, int]] = []  # id, name, kind, canonical id

    def id(self, kind: str, name: str) -> int:
        key = (kind, name)
        found = self.ids.get(key)
        if found is None:
            found = self.ids[key] = len(self.ids) + len(self.synonyms) + 1
        return found

    def add_synonym(self, kind: str, name: str, canonical: int) -> None:
        if (kind, name) not in self.ids:
            self.synonyms.append((len(self.ids) + len(self.synonyms) + 1, name, kind, canonical))

    def entries(self) -> Iterator[dict[str, Any]]:
        for (kind, name), tag_id in self.ids.items():
            yield {
                "tag_id": tag_id,
                "name": name,
                "kind": kind,
                "canonical_id": None,
                "uses": self.uses[tag_id],
            }
        for tag_id, name, kind, canonical in self.synonyms:
            yield {"tag_id": tag_id, "name": name, "kind": kind, "canonical_id": canonical, "uses": 0}


class SearchCorpus:
    def __init__(
        self,
        seed: int = 1,
        fandoms: int = 400,
        freeforms: int = 20_000,
    ) -> None:
        self.base = CorpusGenerator(seed=seed, fandoms=fandoms, freeforms=freeforms)
        self.random = random.Random(seed * 1_000_003 + 7)
        self.english = english()
        self.tags = TagRegistry()
        for kind, names in (("rating", RATINGS), ("warning", WARNINGS), ("category", CATEGORIES)):
            for name in names:
                self.tags.id(kind, name)
        for fandom in self.base.fandoms:
            self.tags.id("fandom", fandom.name)
            for character in fandom.characters:
                canonical = self.tags.id("character", character)
                if self.random.random() < 0.1:  # "Family Given" written the other way round
                    self.tags.add_synonym("character", " ".join(reversed(character.split())), canonical)
            for relationship in fandom.relationships:
                self.tags.id("relationship", relationship)
        for name in self.base.freeforms:
            self.tags.id("freeform", name)
        self.fandom_cumulative = _cumulative(self.base.fandom_weights)
        self.freeform_cumulative = _cumulative(self.base.freeform_weights)
        self.language_cumulative = _cumulative([weight for _, weight in LANGUAGES])
        self.title_words = self.english.words[TITLE_RANKS[0] : TITLE_RANKS[1]]

    def _title(self) -> str:
        return " ".join(
            self.random.choice(self.title_words) for _ in range(self.random.randint(1, 4))
        ).title()

    def record(
        self, work_id: int, bodies: bool = True, max_chapter_words: int | None = None
    ) -> dict[str, Any]:
        rnd, base, tags = self.random, self.base, self.tags
        fandoms = [
            base.fandoms[bisect.bisect(self.fandom_cumulative, rnd.random() * self.fandom_cumulative[-1])]
        ]
        if rnd.random() < 0.08:
            other = base.fandoms[
                bisect.bisect(self.fandom_cumulative, rnd.random() * self.fandom_cumulative[-1])
            ]
            if other is not fandoms[0]:
                fandoms.append(other)
        by_kind: dict[str, list[str]] = {
            "rating": [rnd.choices(RATINGS, [3, 6, 5, 3, 3])[0]],
            "warning": sorted(set(rnd.choices(WARNINGS, [5, 2, 1, 8, 0.5, 0.3], k=rnd.randint(1, 2)))),
            "category": sorted(set(rnd.choices(CATEGORIES, [2, 4, 3, 6, 1, 1], k=rnd.randint(1, 2)))),
            "fandom": [f.name for f in fandoms],
            "relationship": [],
            "character": [],
        }
        for fandom in fandoms:
            by_kind["character"] += rnd.sample(
                fandom.characters, min(len(fandom.characters), rnd.randint(1, 6))
            )
            by_kind["relationship"] += rnd.sample(
                fandom.relationships, min(len(fandom.relationships), rnd.randint(0, 3))
            )
        by_kind["freeform"] = list(
            dict.fromkeys(
                rnd.choices(base.freeforms, cum_weights=self.freeform_cumulative, k=rnd.randint(0, 12))
            )
        )
        pairs = {
            kind: [(tags.id(kind, name), name) for name in dict.fromkeys(names)]
            for kind, names in by_kind.items()
        }
        ids = [tag_id for kind_pairs in pairs.values() for tag_id, _ in kind_pairs]
        tags.uses.update(ids)

        lengths = base._chapter_words()  # the one shared definition of work shapes
        if max_chapter_words:
            lengths = [min(length, max_chapter_words) for length in lengths]
        # One story's prose for the whole work: its own words recur and its characters speak.
        story = StoryProse(rnd, names=by_kind["character"], words=self.english)
        chapters, words = [], 0
        for number, length in enumerate(lengths, start=1):
            if bodies:
                text, counted = story.text(length)
            else:
                text, counted = "", length  # the work keeps its nominal length for word filters
            words += counted
            title = self._title() if len(lengths) > 1 and rnd.random() < 0.7 else ""
            chapters.append({"number": number, "title": title, "text": text})
        complete = len(lengths) == 1 or rnd.random() < 0.7
        published = base.start.toordinal() + rnd.randrange(6000)
        updated = published + (rnd.randrange(1, 400) if len(lengths) > 1 else 0)
        hits = int(rnd.paretovariate(1.2) * 150)
        summary = " ".join(story.sentence() for _ in range(rnd.randint(1, 4)))
        return {
            "work_id": work_id,
            "title": self._title(),
            "authors": [rnd.choice(base.authors) for _ in range(1 if rnd.random() < 0.95 else 2)],
            "summary": summary,
            "notes": story.sentence() if rnd.random() < 0.4 else "",
            "chapters": chapters,
            "filter_tag_ids": ids,
            "tag_names": [name for kind_pairs in pairs.values() for _, name in kind_pairs],
            "tags": pairs,
            "language": LANGUAGES[bisect.bisect(self.language_cumulative, rnd.random())][0],
            "complete": complete,
            "crossover": len(fandoms) > 1,
            "words": words,
            "chapters_count": len(lengths),
            "chapters_expected": len(lengths) if complete else None,
            "kudos": int(hits * rnd.uniform(0.02, 0.15)),
            "hits": hits,
            "comments": int(hits * rnd.uniform(0.0, 0.02)),
            "bookmarks": int(hits * 0.01),
            "published": published,  # proleptic ordinals: cheap to write and to read
            "updated": updated,
            "restricted": rnd.random() < 0.03,
        }


def write_search_corpus(
    out: Path, works: int, seed: int = 1, bodies: bool = True, max_chapter_words: int | None = None
) -> dict[str, Any]:
    """Stream `works` records to out/works.jsonl, then the tags and a summary; returns the summary."""
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    corpus = SearchCorpus(seed=seed)
    setup_s = time.perf_counter() - started
    total_words = chapters = 0
    with (out / "works.jsonl").open("w", encoding="utf-8") as stream:
        for work_id in range(1, works + 1):
            record = corpus.record(work_id, bodies=bodies, max_chapter_words=max_chapter_words)
            total_words += record["words"]
            chapters += record["chapters_count"]
            stream.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
            stream.write("\n")
    with (out / "tags.jsonl").open("w", encoding="utf-8") as stream:
        for entry in corpus.tags.entries():
            stream.write(json.dumps(entry, ensure_ascii=False) + "\n")
    (out / "vocabulary.txt").write_text("\n".join(corpus.english.words) + "\n")
    kinds = Counter(kind for kind, _ in corpus.tags.ids)
    summary = {
        "seed": seed,
        "works": works,
        "bodies": bodies,
        "max_chapter_words": max_chapter_words,
        "words": total_words,
        "chapters": chapters,
        "tags": len(corpus.tags.ids),
        "tags_by_kind": dict(kinds),
        "synonyms": len(corpus.tags.synonyms),
        "vocabulary": len(corpus.english.words),
        "bytes": (out / "works.jsonl").stat().st_size,
        "setup_s": round(setup_s, 3),
        "generate_s": round(time.perf_counter() - started, 3),
    }
    (out / "corpus.json").write_text(json.dumps(summary, indent=2) + "\n")
    return summary
