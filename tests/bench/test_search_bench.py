"""The search bench end to end on a tiny corpus: the report's shape and that every engine answers
the same query the same way. Timings are never asserted."""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from fanarchive.bench.fiction_prose import english as english_words
from fanarchive.bench.search_corpus import SearchCorpus
from fanarchive.bench.search_fts5 import Fts5Engine
from fanarchive.bench.search_mix import FACET_LIMIT, FILTER_KINDS, SEARCH_KINDS, make_mix
from fanarchive.bench.search_tantivy import BackendEngine, RawTantivyEngine, record_to_document
from fanarchive.cli.main import main
from fanarchive.search.tantivy_backend import TantivyBackend

WORKS = 150
LISTING_WORKS = 3000
KINDS = ("rating", "warning", "category", "fandom", "relationship", "character", "freeform")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("search-corpus") / "corpus"
    main(["bench", "corpus", "--works", str(WORKS), "--out", str(out), "--max-chapter-words", "150"])
    return out


def test_corpus_files(corpus: Path) -> None:
    summary = json.loads((corpus / "corpus.json").read_text())
    records = [json.loads(line) for line in (corpus / "works.jsonl").read_text().splitlines()]
    tags = [json.loads(line) for line in (corpus / "tags.jsonl").read_text().splitlines()]
    assert summary["works"] == len(records) == WORKS
    assert [r["work_id"] for r in records] == list(range(1, WORKS + 1))
    assert set(summary["tags_by_kind"]) == set(KINDS) and summary["tags"] > 30_000
    assert len(tags) == summary["tags"] + summary["synonyms"]
    assert summary["words"] == sum(r["words"] for r in records)
    assert (corpus / "vocabulary.txt").read_text().split()[:5] == ["the", "to", "and", "of", "a"]
    # Word counts are exact; chapters are capped at about 150 words (whole sentences are drawn).
    assert all(r["chapters_count"] == len(r["chapters"]) for r in records)
    assert all(r["words"] == sum(len(c["text"].split()) for c in r["chapters"]) for r in records)
    chapters = [len(c["text"].split()) for r in records for c in r["chapters"]]
    assert 120 < sum(chapters) / len(chapters) < 180 and min(chapters) >= 5
    # Uses count works: the rating tags' uses add up to the works.
    assert sum(t["uses"] for t in tags if t["kind"] == "rating") == WORKS
    synonyms = [t for t in tags if t["canonical_id"] is not None]
    by_id = {t["tag_id"]: t for t in tags}
    assert synonyms and all(by_id[s["canonical_id"]]["kind"] == s["kind"] == "character" for s in synonyms)
    document = record_to_document(records[0])
    assert document.work_id == 1 and set(document.tags) == set(KINDS)
    assert document.updated >= document.published


def test_same_seed_same_records_and_fandoms_hold_their_characters() -> None:
    first, second, other = (SearchCorpus(seed=s) for s in (5, 5, 6))
    a = [first.record(i, max_chapter_words=100) for i in range(1, 30)]
    assert a == [second.record(i, max_chapter_words=100) for i in range(1, 30)]
    assert a != [other.record(i, max_chapter_words=100) for i in range(1, 30)]
    fandoms_of: dict[str, set[str]] = {}
    for fandom in first.base.fandoms:
        for character in fandom.characters:
            fandoms_of.setdefault(character, set()).add(fandom.name)
    for record in a:
        fandoms = {name for _, name in record["tags"]["fandom"]}
        assert all(fandoms_of[name] & fandoms for _, name in record["tags"]["character"])
        assert record["crossover"] == (len(fandoms) > 1)
    epic = SearchCorpus(seed=5)
    lengths = [epic.record(i, bodies=False)["words"] for i in range(1, 400)]
    assert max(lengths) > 100_000 and sorted(lengths)[200] < 10_000  # one-shots and a tail of epics


def test_chapters_are_english_prose_in_which_the_characters_speak(corpus: Path) -> None:
    english = set(english_words().words)
    for line in (corpus / "works.jsonl").read_text().splitlines()[:40]:
        record = json.loads(line)
        text = " ".join(c["text"] for c in record["chapters"])
        words = re.findall(r"[a-z]+", text.lower())
        names = {w for _, name in record["tags"]["character"] for w in re.findall(r"[a-z]+", name.lower())}
        assert sum(w in english or w in names for w in words) == len(words)
        if record["words"] > 1000:
            assert any(f"” {name} said." in text for _, name in record["tags"]["character"])


@pytest.fixture(scope="module")
def listing_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough works (no bodies: the filter mix needs none) for the tag bands to mean something."""
    out = tmp_path_factory.mktemp("filter-corpus") / "corpus"
    main(["bench", "corpus", "--works", str(LISTING_WORKS), "--out", str(out), "--no-bodies"])
    return out


def _report(corpus: Path, mix: str, tmp_path: Path) -> dict[str, Any]:
    out = tmp_path / f"{mix}.json"
    args = ["bench", mix, "--corpus", str(corpus), "--queries", "6", "--warmup", "2", "--out", str(out)]
    assert main(args) == 0
    report: dict[str, Any] = json.loads(out.read_text())
    return report


def _check_shape(report: dict[str, Any], kinds: tuple[str, ...], works: int = WORKS) -> None:
    # The search mix times raw tantivy twice: with tantivy's snippet generator and without.
    bare = {"tantivy_raw_nosnippets"} if kinds == SEARCH_KINDS else set()
    assert set(report["results"]) == {"tantivy_ours", "tantivy_raw", "sqlite_fts5", *bare}
    for per_kind in report["results"].values():
        assert set(per_kind) == set(kinds)
        for figures in per_kind.values():
            assert figures["n"] == 6
            assert 0 < figures["p50_ms"] <= figures["p95_ms"] <= figures["p99_ms"]
    snippet_cost = {"raw_snippets_over_query"} if bare else set()
    assert set(report["ratios"]) == {"ours_over_raw", "fts5_over_ours", *snippet_cost}
    assert set(report["ratios"]["ours_over_raw"]) == set(kinds)
    assert len(report["load"]["start"]) == 3 and report["load"]["during"]
    assert report["corpus"]["works"] == works
    for name in ("tantivy", "sqlite_fts5"):
        assert report["indexes"][name]["bytes"] > 0 and report["indexes"][name]["build_s"] > 0
    assert set(report["examples"]) == set(kinds)


def test_filter_mix_every_engine_same_totals_and_pages(listing_corpus: Path, tmp_path: Path) -> None:
    report = _report(listing_corpus, "filter", tmp_path)
    _check_shape(report, FILTER_KINDS, LISTING_WORKS)
    assert (
        report["examples"]["filter"]["sort"] == "kudos" and len(report["examples"]["filter"]["include"]) == 2
    )
    for engine in ("tantivy_raw", "sqlite_fts5"):
        for kind in ("filter", "tag_page"):
            row = report["agreement"][engine][kind]
            assert row == {"queries": 6, "same_total": 6, "same_page": 6}, (engine, kind)
    # The queries exercise what they claim: results to agree on, and exclusions that remove works.
    ours = BackendEngine("ours", TantivyBackend(listing_corpus / "indexes" / "tantivy"))
    filters = [q for q in make_mix(listing_corpus, "filter", 6, 1) if q.kind == "filter"]
    totals = [ours.run(q)[1] for q in filters]
    without_exclusion = [ours.run(dataclasses.replace(q, exclude=()))[1] for q in filters]
    ours.close()
    assert all(totals) and any(a < b for a, b in zip(totals, without_exclusion, strict=True))
    # The second run finds the indexes built and reports their first build.
    again = _report(listing_corpus, "filter", tmp_path)
    assert again["indexes"]["tantivy"]["reused"] is True
    assert again["indexes"]["tantivy"]["build_s"] == report["indexes"]["tantivy"]["build_s"]


def _visible_tag_counts(corpus: Path, include: tuple[int, ...], kind: str) -> Counter[int]:
    """How many listed works carry each tag of `kind`, counted from the corpus itself."""
    counts: Counter[int] = Counter()
    for line in (corpus / "works.jsonl").read_text().splitlines():
        record = json.loads(line)
        if not record["restricted"] and set(include) <= set(record["filter_tag_ids"]):
            counts.update(int(tag_id) for tag_id, _ in record["tags"][kind])
    return counts


def test_raw_tantivy_counts_facets_exactly(listing_corpus: Path) -> None:
    raw = RawTantivyEngine(listing_corpus / "indexes" / "tantivy")
    pages = [q for q in make_mix(listing_corpus, "filter", 3, 1) if q.kind == "tag_page"]
    for q in pages:
        facets = raw.facets(raw.query(q)[0])
        for kind in ("character", "freeform"):
            expected = _visible_tag_counts(listing_corpus, q.include, kind)
            top = sorted(expected.values(), reverse=True)[:FACET_LIMIT]
            assert [count for _, count in facets[kind]] == top, (q, kind)
            assert all(expected[tag_id] == count for tag_id, count in facets[kind])


def test_search_mix_engines_agree(corpus: Path, tmp_path: Path) -> None:
    report = _report(corpus, "search", tmp_path)
    _check_shape(report, SEARCH_KINDS)
    for kind in SEARCH_KINDS:
        assert report["agreement"]["tantivy_raw"][kind]["same_total"] == 6, kind
        assert report["agreement"]["tantivy_raw_nosnippets"][kind]["same_total"] == 6, kind
        assert report["ratios"]["raw_snippets_over_query"][kind]["p50"] > 0
    for kind in ("words", "words_tag"):
        assert report["agreement"]["sqlite_fts5"][kind]["same_total"] == 6, kind
    # FTS5 holds a work's chapters in one column, so a phrase may also match across a chapter
    # break: it finds every work ours finds, and perhaps a few more.
    ours = BackendEngine("ours", TantivyBackend(corpus / "indexes" / "tantivy"))
    fts5 = Fts5Engine(corpus / "indexes" / "fts5.sqlite3")
    phrases = [q for q in make_mix(corpus, "search", 6, 1) if q.kind == "phrase"]
    assert len(phrases) == 6
    for q in phrases:
        total, fts5_total = ours.run(q)[1], fts5.run(q)[1]
        assert 0 < total <= fts5_total
    ours.close()
    fts5.close()
