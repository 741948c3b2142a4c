"""The fixed query mixes the search benches time, drawn (seeded) from a corpus written by
`search_corpus`. docs/bench-search.md describes them; every engine answers the same list.

search mix (needs bodies):
  words         two words anywhere (title, authors, summary, notes, tags, chapter text), ranked,
                first page of 20 + exact total (+ snippets where the engine makes them)
  phrase        a two-word "exact phrase" that occurs in some chapter, same page + total
  words_tag     two words + include one medium tag, ranked, page + total
filter mix (works without bodies):
  filter        include the largest tag and a medium one, exclude a rating, warning or
                category, sort by kudos,
                first page + exact total + facets (top 10 tags of each of the seven kinds)
  tag_page      one fandom's listing (a Zipf-popular fandom), sort by updated, page + total + facets
  autocomplete  tag autocomplete for 3 to 6 typed letters of a tag name's word, 10 suggestions
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fanarchive.search.analysis import analyze

SEARCH_KINDS = ("words", "phrase", "words_tag")
FILTER_KINDS = ("filter", "tag_page", "autocomplete")
MIXES = {"search": SEARCH_KINDS, "filter": FILTER_KINDS}
PAGE = 20
FACET_LIMIT = 10
# Query words come from this band of the vocabulary's ranks: neither stop words nor hapaxes.
WORD_RANKS = (150, 3000)


@dataclass(frozen=True)
class BenchQuery:
    kind: str
    words: tuple[str, ...] = ()
    phrase: bool = False
    include: tuple[int, ...] = ()
    exclude: tuple[int, ...] = ()
    sort: str = "relevance"  # relevance, kudos or updated, always best/most/newest first
    facets: bool = False
    typed: str = ""  # autocomplete only

    @property
    def text(self) -> str:
        joined = " ".join(self.words)
        return f'"{joined}"' if self.phrase else joined

    def describe(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in ((), "", False)}


@dataclass(frozen=True)
class TagRow:
    tag_id: int
    name: str
    kind: str
    uses: int


def load_tags(corpus: Path) -> list[TagRow]:
    rows = []
    with (corpus / "tags.jsonl").open(encoding="utf-8") as stream:
        for line in stream:
            entry = json.loads(line)
            if entry["canonical_id"] is None:
                rows.append(TagRow(entry["tag_id"], entry["name"], entry["kind"], entry["uses"]))
    return rows


def _phrases(corpus: Path, rnd: random.Random, wanted: int, common: set[str]) -> list[tuple[str, str]]:
    """Adjacent word pairs from chapters of the first works (each pair holds a non-common word)."""
    found: list[tuple[str, str]] = []
    with (corpus / "works.jsonl").open(encoding="utf-8") as stream:
        for line in stream:
            record = json.loads(line)
            for chapter in record["chapters"][:3]:
                tokens = analyze(chapter["text"][:20_000])
                for _ in range(3):
                    if len(tokens) < 2:
                        break
                    i = rnd.randrange(len(tokens) - 1)
                    pair = (tokens[i], tokens[i + 1])
                    if not set(pair) <= common:
                        found.append(pair)
            if len(found) >= wanted:
                break
    return found


def make_mix(corpus: Path, mix: str, per_kind: int, seed: int) -> list[BenchQuery]:
    """`per_kind` distinct queries of each kind of the mix (distinct, so no engine's cache helps)."""
    rnd = random.Random(f"{seed}:{mix}")
    tags = load_tags(corpus)
    works = json.loads((corpus / "corpus.json").read_text())["works"]
    vocabulary = (corpus / "vocabulary.txt").read_text().split()
    band = vocabulary[WORD_RANKS[0] : WORD_RANKS[1]]
    largest = max(tags, key=lambda t: (t.uses, -t.tag_id))
    medium = [t for t in tags if 0.002 * works <= t.uses <= 0.03 * works] or sorted(
        tags, key=lambda t: -t.uses
    )[10:60]
    # Readers exclude a rating, warning or category ("Explicit", "Major Character Death"): tags
    # broad enough that excluding one removes works from most result sets.
    excludable = [
        t
        for t in tags
        if t.kind in ("rating", "warning", "category")
        and 0.01 * works <= t.uses <= 0.4 * works
        and t != largest
    ] or medium
    fandoms = sorted((t for t in tags if t.kind == "fandom"), key=lambda t: -t.uses)[:50]
    names = [t for t in tags if t.kind in ("character", "relationship", "freeform")]
    phrases = _phrases(corpus, rnd, per_kind * 3, set(vocabulary[: WORD_RANKS[0]])) if mix == "search" else []

    def one(kind: str) -> BenchQuery:
        if kind == "words":
            return BenchQuery(kind, tuple(rnd.sample(band, 2)))
        if kind == "phrase":
            return BenchQuery(kind, rnd.choice(phrases), phrase=True)
        if kind == "words_tag":
            return BenchQuery(kind, tuple(rnd.sample(band, 2)), include=(rnd.choice(medium).tag_id,))
        if kind == "filter":
            include = rnd.choice([t for t in medium if t != largest])
            exclude = rnd.choice([t for t in excludable if t not in (include, largest)])
            return BenchQuery(
                kind,
                include=(largest.tag_id, include.tag_id),
                exclude=(exclude.tag_id,),
                sort="kudos",
                facets=True,
            )
        if kind == "tag_page":
            return BenchQuery(kind, include=(rnd.choice(fandoms).tag_id,), sort="updated", facets=True)
        assert kind == "autocomplete"
        # A word of a tag's name, never the "freeform"/number filler of the synthetic names.
        words = [w for w in analyze(rnd.choice(names).name) if w.isalpha() and w != "freeform"]
        word = rnd.choice(words or ["ka"])
        return BenchQuery(kind, typed=word[: rnd.randint(3, 6)])

    queries: list[BenchQuery] = []
    for kind in MIXES[mix]:
        seen: set[BenchQuery] = set()
        for _ in range(per_kind * 20):
            if len(seen) >= per_kind:
                break
            query = one(kind)
            if query not in seen:
                seen.add(query)
                queries.append(query)
    return queries
