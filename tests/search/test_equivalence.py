"""The tantivy backend answers exactly as the brute-force reference on a random archive."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from fanarchive.domain.query import SearchQuery, Sort
from fanarchive.search import _tantivy_facets
from fanarchive.search.documents import ChapterText, SearchDocument, TagEntry
from fanarchive.search.memory_backend import MemoryBackend
from fanarchive.search.tantivy_backend import TantivyBackend

WORDS = "dragon knight tea winter sea castle red door café naïve storm quiet".split()
KINDS = ("rating", "warning", "fandom", "freeform")


def random_docs(seed: int, n: int) -> list[SearchDocument]:
    rnd = random.Random(seed)
    docs = []
    for work_id in range(1, n + 1):
        tags = {
            kind: sorted({(i, f"{kind} {i}") for i in rnd.sample(range(1, 9), rnd.randint(0, 3))})
            for kind in KINDS
        }
        tags = {kind: [(tid + 10 * KINDS.index(kind), name) for tid, name in v] for kind, v in tags.items()}
        docs.append(
            SearchDocument(
                work_id,
                " ".join(rnd.choices(WORDS, k=rnd.randint(1, 3))),
                [rnd.choice(["ann", "bob", "cat"])],
                " ".join(rnd.choices(WORDS, k=5)),
                notes=rnd.choice(["", "storm notes"]),
                chapters=[
                    ChapterText(c, "", " ".join(rnd.choices(WORDS, k=20)))
                    for c in range(1, rnd.randint(1, 3) + 1)
                ],
                filter_tag_ids=[t for v in tags.values() for t, _ in v],
                tag_names=[name for v in tags.values() for _, name in v],
                tags=tags,
                language=rnd.choice(["en", "fr"]),
                complete=rnd.random() < 0.5,
                crossover=rnd.random() < 0.2,
                words=rnd.randint(0, 5000),
                kudos=rnd.randint(0, 20),
                hits=rnd.randint(0, 20),
                comments=rnd.randint(0, 5),
                bookmarks=rnd.randint(0, 5),
                published=dt.date(2020, 1, 1) + dt.timedelta(rnd.randint(0, 60)),
                updated=dt.date(2021, 1, 1) + dt.timedelta(rnd.randint(0, 60)),
                restricted=rnd.random() < 0.2,
                posted=rnd.random() < 0.9,
                hidden=rnd.random() < 0.05,
            )
        )
    return docs


QUERIES = [
    SearchQuery(),
    SearchQuery(text="dragon", sort=Sort.KUDOS),
    SearchQuery(text="dragon storm", per_page=100),
    SearchQuery(text='"red door" OR storm', sort=Sort.TITLE, descending=True),
    SearchQuery(text="-knight title:sea", sort=Sort.HITS),
    SearchQuery(text="cafe naive", sort=Sort.WORDS, viewer_can_see_restricted=True),
    SearchQuery(include_tag_ids=(21,), exclude_tag_ids=(1,), sort=Sort.AUTHOR),
    SearchQuery(any_tag_ids=((2, 3), (31, 32)), complete=True, sort=Sort.PUBLISHED, descending=False),
    SearchQuery(words_min=1000, words_max=3000, crossover=False, sort=Sort.COMMENTS),
    SearchQuery(updated_from=dt.date(2021, 1, 20), published_to=dt.date(2020, 2, 1), sort=Sort.BOOKMARKS),
    SearchQuery(language="fr", text="tag:fandom", page=2, per_page=7, sort=Sort.UPDATED),
    SearchQuery(text="(tea OR winter) -(castle OR quiet)", per_page=100),
]


@pytest.mark.parametrize(("seed", "segment_size"), [(1, None), (2, None), (3, 2)])
def test_tantivy_matches_the_reference(
    tmp_path: Path, seed: int, segment_size: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    facet_limit = 10
    if segment_size is not None:
        # Segments keep fewer buckets than a kind has tags: the counts must be made exact again.
        monkeypatch.setattr(_tantivy_facets, "SEGMENT_SIZE", segment_size)
        facet_limit = segment_size
    docs = random_docs(seed, 150)
    memory, tantivy = MemoryBackend(), TantivyBackend(tmp_path)
    for backend in (memory, tantivy):
        # Several commits: several segments, so facet counts must merge exactly.
        for start in range(0, len(docs), 40):
            backend.index(docs[start : start + 40])
            backend.commit()
        backend.delete([5, 6, 7])
        backend.commit()
    for query in QUERIES:
        asked = SearchQuery(**{**query.__dict__, "facets": True, "facet_limit": facet_limit})
        expected, got = memory.search(asked), tantivy.search(asked)
        assert got.total == expected.total, query
        if query.effective_sort is Sort.RELEVANCE:
            assert set(got.ids) == set(expected.ids), query
        else:
            assert got.ids == expected.ids, query
        assert got.facets == expected.facets, query
        assert set(got.snippets) == set(expected.snippets), query
    tantivy.close()


def random_tags(seed: int) -> list[TagEntry]:
    """Names sharing words and prefixes, uses with many ties, synonyms of canonical tags."""
    rnd = random.Random(seed)
    stems = ["harry", "harrow", "hart", "potter", "pot", "tea", "team", "winter", "win", "sea"]
    kinds = ["fandom", "character", "relationship", "freeform"]
    entries: list[TagEntry] = []
    for tag_id in range(1, 400):
        name = " ".join(rnd.choices(stems, k=rnd.randint(1, 3))) + rnd.choice(["", " x", f" {tag_id}"])
        canonical = rnd.choice(entries) if entries and rnd.random() < 0.15 else None
        entries.append(
            TagEntry(
                tag_id,
                name,
                canonical.kind if canonical else rnd.choice(kinds),
                canonical.tag_id if canonical and canonical.canonical_id is None else None,
                canonical.name if canonical and canonical.canonical_id is None else None,
                rnd.choice([0, 1, 1, 2, 5, 5, 5, 40]),
            )
        )
    return entries


@pytest.mark.parametrize("seed", [1, 2])
def test_tantivy_autocomplete_matches_the_reference(tmp_path: Path, seed: int) -> None:
    tags = random_tags(seed)
    memory, tantivy = MemoryBackend(), TantivyBackend(tmp_path)
    for backend in (memory, tantivy):
        backend.index_tags(tags)
        backend.commit()
    typed = ["h", "har", "harry", "harry p", "pot", "te", "tea", "win", "sea 1", "potter 3", "x", "zz"]
    for text in typed:
        for limit, kind in ((10, None), (3, None), (25, None), (10, "character")):
            assert tantivy.autocomplete_tags(text, limit, kind) == memory.autocomplete_tags(
                text, limit, kind
            ), (
                text,
                limit,
                kind,
            )
    tantivy.close()
