"""`fanarchive bench corpus`: a seeded synthetic archive in the form the search benches load fast.

The works' shape (one-shots, multi-chapter works, a tail of 100k+ word epics), fandoms with their
own characters and relationships, Zipf freeforms and the fixed rating/warning/category tags come
from `CorpusGenerator`; this module adds what search needs that it lacks: a Zipf vocabulary of
tens of thousands of words (so a two-word query is as selective as on real prose), plain chapter
text made fast from a seeded pool of sentences, tag ids, synonyms for autocomplete, and a
streaming writer.

DIR holds three files:
  works.jsonl   one SearchDocument-like record a line (see `record_to_document`)
  tags.jsonl    one tag a line: tag_id, name, kind, canonical_id (synonyms), uses
  vocabulary.txt the body vocabulary, commonest first (the benches draw query words from it)
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
from fanarchive.domain.tags import CATEGORIES, RATINGS, WARNINGS

# The commonest English words by rank: the head of the Zipf curve is real English.
_ENGLISH = (
    "the and to of a he she was in it that his her you had with for on at as but not they said be "
    "him have this from one all were there what so out up if would been into when could then them "
    "more no over back like down only just now time before about know even through eyes hand away "
    "still something again door night room face looked thought asked never left light here well "
    "way long did where after how because other than think want while first right last might "
    "every came made told head under house water shadow window voice morning quiet small across "
    "against behind almost nothing himself herself little open toward another remember between"
).split()
_ONSETS = (
    "b",
    "br",
    "c",
    "d",
    "f",
    "g",
    "gr",
    "h",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "st",
    "t",
    "th",
    "v",
    "w",
)
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ea", "ou")
_CODAS = ("", "", "n", "r", "l", "s", "th", "nd", "st", "m")
LANGUAGES = (("en", 0.9), ("es", 0.03), ("de", 0.03), ("fr", 0.025), ("zh", 0.015))
SENTENCE_POOL = 200_000


def _cumulative(weights: list[float]) -> list[float]:
    return list(itertools.accumulate(weights))


class Vocabulary:
    """English function words at the head, then invented words, Zipf-weighted by rank (s = 1)."""

    def __init__(self, rnd: random.Random, size: int) -> None:
        words = list(dict.fromkeys(_ENGLISH))
        seen = set(words)
        while len(words) < size:
            word = "".join(
                rnd.choice(_ONSETS) + rnd.choice(_VOWELS) + rnd.choice(_CODAS)
                for _ in range(rnd.choices((1, 2, 3), (3, 6, 1))[0])
            )
            if len(word) > 2 and word not in seen:
                seen.add(word)
                words.append(word)
        self.words = words
        self.cumulative = _cumulative([1.0 / (rank + 1) for rank in range(size)])

    def sample(self, rnd: random.Random, k: int) -> list[str]:
        return rnd.choices(self.words, cum_weights=self.cumulative, k=k)

    def band(self, low: int, high: int) -> list[str]:
        """Words of rank low..high-1: the searchable middle of the curve, not stop words."""
        return self.words[low:high]


class Bodies:
    """Chapter text from a pool of Zipf sentences: fast (a join per chapter) and reproducible."""

    def __init__(self, rnd: random.Random, vocabulary: Vocabulary, pool: int = SENTENCE_POOL) -> None:
        self.random = rnd
        self.vocabulary = vocabulary
        self.sentences: list[str] = []
        self.lengths: list[int] = []
        for _ in range(pool):
            sentence = self.sentence()
            # About one sentence in five closes its paragraph.
            self.sentences.append(sentence + ("\n\n" if rnd.random() < 0.2 else ""))
            self.lengths.append(sentence.count(" ") + 1)
        self.mean_length = sum(self.lengths) / len(self.lengths)
        self.indexes = range(pool)

    def sentence(self) -> str:
        words = self.vocabulary.sample(self.random, self.random.randint(5, 22))
        text = " ".join(words)
        return text[0].upper() + text[1:] + self.random.choice(".....?!")

    def text(self, words: int) -> tuple[str, int]:
        """Plain text of about `words` words, and its exact word count."""
        picks = self.random.choices(self.indexes, k=max(1, round(words / self.mean_length)))
        sentences, lengths = self.sentences, self.lengths
        return " ".join([sentences[i] for i in picks]).strip(), sum([lengths[i] for i in picks])


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
        vocabulary: int = 30_000,
        fandoms: int = 400,
        freeforms: int = 20_000,
        sentence_pool: int = SENTENCE_POOL,
    ) -> None:
        self.base = CorpusGenerator(seed=seed, fandoms=fandoms, freeforms=freeforms)
        self.random = random.Random(seed * 1_000_003 + 7)
        self.vocabulary = Vocabulary(self.random, vocabulary)
        self.bodies = Bodies(self.random, self.vocabulary, sentence_pool)
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
        self.title_words = self.vocabulary.band(150, 5000)

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
        chapters, words = [], 0
        for number, length in enumerate(lengths, start=1):
            if bodies:
                text, counted = self.bodies.text(length)
            else:
                text, counted = "", length  # the work keeps its nominal length for word filters
            words += counted
            title = self._title() if len(lengths) > 1 and rnd.random() < 0.7 else ""
            chapters.append({"number": number, "title": title, "text": text})
        complete = len(lengths) == 1 or rnd.random() < 0.7
        published = base.start.toordinal() + rnd.randrange(6000)
        updated = published + (rnd.randrange(1, 400) if len(lengths) > 1 else 0)
        hits = int(rnd.paretovariate(1.2) * 150)
        summary = " ".join(self.bodies.sentence() for _ in range(rnd.randint(1, 4)))
        return {
            "work_id": work_id,
            "title": self._title(),
            "authors": [rnd.choice(base.authors) for _ in range(1 if rnd.random() < 0.95 else 2)],
            "summary": summary,
            "notes": self.bodies.sentence() if rnd.random() < 0.4 else "",
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
    (out / "vocabulary.txt").write_text("\n".join(corpus.vocabulary.words) + "\n")
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
        "vocabulary": len(corpus.vocabulary.words),
        "bytes": (out / "works.jsonl").stat().st_size,
        "setup_s": round(setup_s, 3),
        "generate_s": round(time.perf_counter() - started, 3),
    }
    (out / "corpus.json").write_text(json.dumps(summary, indent=2) + "\n")
    return summary
