"""A reproducible synthetic archive: many short one-shots and a long tail of epics, Zipf-distributed
tags of all seven kinds over tens of thousands of tags, fandoms whose characters and relationships
belong together, spread dates, kudos and hits. The same seed always gives the same archive."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

from fanarchive.bench.prose import ProseGenerator
from fanarchive.domain.tags import CATEGORIES, RATINGS, WARNINGS
from fanarchive.domain.text import count_words
from fanarchive.domain.work import ParsedChapter, ParsedWork, Source, empty_tags


@dataclass(frozen=True)
class Fandom:
    name: str
    characters: tuple[str, ...]
    relationships: tuple[str, ...]


class CorpusGenerator:
    def __init__(self, seed: int = 1, fandoms: int = 400, freeforms: int = 20000) -> None:
        self.random = random.Random(seed)
        self.prose = ProseGenerator(seed)
        self.fandoms = [self._fandom(index) for index in range(fandoms)]
        self.fandom_weights = [1.0 / (rank + 1) ** 1.1 for rank in range(fandoms)]
        self.freeforms = [f"Freeform {self._syllables(2)} {index}" for index in range(freeforms)]
        self.freeform_weights = [1.0 / (rank + 1) for rank in range(freeforms)]
        self.authors = [f"{self._syllables(2).lower()}_{index}" for index in range(max(50, fandoms * 10))]
        self.start = dt.date(2009, 1, 1)

    def _syllables(self, count: int) -> str:
        parts = ["ka", "lo", "mi", "ren", "sa", "tor", "vel", "ny", "qua", "dris", "el", "fen", "gor", "hal"]
        return "".join(self.random.choice(parts) for _ in range(count)).title()

    def _fandom(self, index: int) -> Fandom:
        name = f"{self._syllables(3)} Chronicles {index} ({self.random.choice(['TV', 'Video Game', 'Novels', 'Anime'])})"
        characters = tuple(
            f"{self._syllables(2)} {self._syllables(3)}" for _ in range(self.random.randint(4, 40))
        )
        pairs = {
            "/".join(sorted(self.random.sample(characters, 2))) for _ in range(self.random.randint(2, 25))
        }
        return Fandom(name, characters, tuple(sorted(pairs)))

    def _chapter_words(self) -> list[int]:
        rnd = self.random
        shape = rnd.random()
        if shape < 0.6:  # one-shots
            return [int(rnd.lognormvariate(7.4, 0.8)) + 100]
        if shape < 0.99:  # ordinary multi-chapter works
            return [int(rnd.lognormvariate(7.6, 0.5)) + 200 for _ in range(rnd.randint(2, 12))]
        # the long tail of 100k+ word epics
        return [int(rnd.lognormvariate(8.2, 0.3)) + 500 for _ in range(rnd.randint(30, 120))]

    def work(self, number: int, *, max_chapter_words: int | None = None) -> ParsedWork:
        rnd = self.random
        tags = empty_tags()
        fandoms = [rnd.choices(self.fandoms, self.fandom_weights)[0]]
        if rnd.random() < 0.08:
            fandoms.append(rnd.choices(self.fandoms, self.fandom_weights)[0])
        tags["fandom"] = list(dict.fromkeys(f.name for f in fandoms))
        tags["rating"] = [rnd.choices(RATINGS, [3, 6, 5, 3, 3])[0]]
        tags["warning"] = sorted(set(rnd.choices(WARNINGS, [5, 2, 1, 8, 0.5, 0.3], k=rnd.randint(1, 2))))
        tags["category"] = sorted(set(rnd.choices(CATEGORIES, [2, 4, 3, 6, 1, 1], k=rnd.randint(1, 2))))
        for fandom in fandoms:
            tags["character"] += rnd.sample(fandom.characters, min(len(fandom.characters), rnd.randint(1, 6)))
            tags["relationship"] += rnd.sample(
                fandom.relationships, min(len(fandom.relationships), rnd.randint(0, 3))
            )
        tags["freeform"] = list(
            dict.fromkeys(rnd.choices(self.freeforms, self.freeform_weights, k=rnd.randint(0, 12)))
        )
        self.prose.begin_story(tags["character"])  # the work's own words recur; its characters speak
        lengths = self._chapter_words()
        if max_chapter_words:
            lengths = [min(length, max_chapter_words) for length in lengths]
        published = self.start + dt.timedelta(days=rnd.randrange(6000))
        updated = published + dt.timedelta(days=rnd.randrange(1, 400) if len(lengths) > 1 else 0)
        chapters = []
        for position, words in enumerate(lengths, start=1):
            html = self.prose.chapter_html(words)
            chapters.append(
                ParsedChapter(
                    number=position,
                    html=html,
                    title=self.prose.title() if len(lengths) > 1 and rnd.random() < 0.7 else None,
                    notes=f"<p>{self.prose.sentence()}</p>" if rnd.random() < 0.3 else None,
                    end_notes=f"<p>{self.prose.sentence()}</p>" if rnd.random() < 0.2 else None,
                    words=count_words(html),
                )
            )
        complete = rnd.random() < 0.7 or len(lengths) == 1
        popularity = rnd.paretovariate(1.2)
        hits = int(popularity * 150)
        return ParsedWork(
            title=self.prose.title(),
            authors=[rnd.choice(self.authors) for _ in range(1 if rnd.random() < 0.95 else 2)],
            summary=f"<p>{self.prose.paragraph()}</p>",
            notes=f"<p>{self.prose.sentence()}</p>" if rnd.random() < 0.4 else None,
            language="English"
            if rnd.random() < 0.9
            else rnd.choice(["Español", "Deutsch", "Français", "中文"]),
            tags=tags,
            status="complete" if complete else "in-progress",
            published=published.isoformat(),
            updated=updated.isoformat(),
            chapters_expected=len(lengths) if complete else None,
            stats={"hits": hits, "kudos": int(hits * rnd.uniform(0.02, 0.15)), "bookmarks": int(hits * 0.01)},
            chapters=chapters,
            source=Source(format="bench-corpus", site="bench.invalid", id=str(number)),
        )

    def works(self, count: int, **options: int) -> Iterator[ParsedWork]:
        for number in range(1, count + 1):
            yield self.work(number, **options)
