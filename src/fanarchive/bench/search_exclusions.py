"""The filter bench's reader with saved exclusions (issue 14 "Speed"): 50 excluded tags and 20
muted creators, merged into each listing query exactly as the listing service merges them
(`domain.exclusions.narrowed`). Every listing query of the filter mix is timed for that reader and
for a reader without exclusions, alternately in the same run, on each of our backends; the target
is p95 <= 50 ms and at most 1.3x the reader without exclusions."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from fanarchive.bench.search_mix import BenchQuery, load_tags
from fanarchive.bench.search_tantivy import Answer, creator_id, iter_records
from fanarchive.domain.exclusions import SavedExclusions

EXCLUDED_TAGS = 50
MUTED_CREATORS = 20
TARGET_P95_MS = 50.0
TARGET_RATIO = 1.3
LISTING_KINDS = ("filter", "tag_page")
# Authors are counted over the first works only: a 1M-work corpus is not read whole for them.
AUTHOR_SAMPLE = 20_000


def reader_exclusions(corpus: Path, seed: int) -> SavedExclusions:
    """A seeded reader who excludes 50 tags (two warnings or categories, the rest characters,
    relationships and freeforms from the common to the rare) and mutes 20 creators (ten of the
    most prolific, ten others): exclusions that do remove works from most listings."""
    rnd = random.Random(f"{seed}:exclusions")
    tags = [t for t in load_tags(corpus) if t.uses > 0]
    broad = sorted((t for t in tags if t.kind in ("warning", "category")), key=lambda t: -t.uses)[1:9]
    named = sorted(
        (t for t in tags if t.kind in ("character", "relationship", "freeform")), key=lambda t: -t.uses
    )
    chosen = rnd.sample(broad, min(2, len(broad)))
    head, tail = named[:500], named[500:]
    chosen += rnd.sample(head, min(24, len(head)))
    chosen += rnd.sample(tail, min(EXCLUDED_TAGS - len(chosen), len(tail)))
    authors: Counter[str] = Counter()
    for record in islice(iter_records(corpus), AUTHOR_SAMPLE):
        authors.update(record["authors"])
    ranked = [name for name, _ in authors.most_common()]
    muted = ranked[:10] + rnd.sample(ranked[10:], min(MUTED_CREATORS - 10, len(ranked[10:])))
    return SavedExclusions(
        tag_ids=tuple(t.tag_id for t in chosen[:EXCLUDED_TAGS]),
        creator_ids=tuple(creator_id(a) for a in muted[:MUTED_CREATORS]),
    )


Run = Callable[[BenchQuery, SavedExclusions], Answer]


def time_exclusions(
    engines: Sequence[tuple[str, Run]],
    queries: Sequence[BenchQuery],
    saved: SavedExclusions,
    percentiles: Callable[[list[float]], dict[str, float]],
    clock: Callable[[], float],
) -> dict[str, Any]:
    """The report's `exclusions` section: per engine, the listing queries timed without and with
    the reader's exclusions (alternating which goes first), their ratio, and whether the target
    holds; totals show how many works the exclusions took away."""
    listings = [q for q in queries if q.kind in LISTING_KINDS]
    plain = SavedExclusions()
    results: dict[str, Any] = {}
    for name, run in engines:
        seconds: dict[str, list[float]] = {"without": [], "with": []}
        totals = {"without": 0, "with": 0}
        for number, q in enumerate(listings):
            order = [("without", plain), ("with", saved)]
            for label, exclusions in order if number % 2 == 0 else order[::-1]:
                started = clock()
                _, total = run(q, exclusions)
                seconds[label].append(clock() - started)
                totals[label] += total
        if not listings:
            continue
        without, with_ = percentiles(seconds["without"]), percentiles(seconds["with"])
        ratio = {
            p: round(with_[f"{p}_ms"] / without[f"{p}_ms"], 2) if without[f"{p}_ms"] else None
            for p in ("p50", "p95")
        }
        results[name] = {
            "without_exclusions": without,
            "with_exclusions": with_,
            "with_over_without": ratio,
            "totals": totals,
            "within_target": with_["p95_ms"] <= TARGET_P95_MS
            and ratio["p95"] is not None
            and ratio["p95"] <= TARGET_RATIO,
        }
    return {
        "reader": {
            "excluded_tags": len(saved.tag_ids),
            "muted_creators": len(saved.creator_ids),
            "tag_ids": list(saved.tag_ids),
            "creator_ids": list(saved.creator_ids),
        },
        "kinds": list(LISTING_KINDS),
        "queries": len(listings),
        "target": {"p95_ms": TARGET_P95_MS, "with_over_without_p95": TARGET_RATIO},
        "results": results,
    }
