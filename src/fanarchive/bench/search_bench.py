"""`fanarchive bench search|filter`: one fixed query mix (search_mix.py) timed on every engine in
the same run: our TantivyBackend through SearchQuery, raw tantivy over the same index, SQLite FTS5,
and PostgreSQL through our PostgresBackend when a URL is given and the backend exists.

Indexes are built once per corpus under CORPUS/indexes (timed; the time is kept beside the index
and reported again by later runs) unless `rebuild`. Each engine answers a warm-up set of other
queries first; then every query of the mix is timed on each engine in turn (the order rotates per
query, so load from other processes spreads over all engines alike)."""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from fanarchive.bench.measure import machine
from fanarchive.bench.search_exclusions import reader_exclusions, time_exclusions
from fanarchive.bench.search_fts5 import Fts5Engine, build_fts5
from fanarchive.bench.search_mix import MIXES, BenchQuery, make_mix
from fanarchive.bench.search_tantivy import (
    Answer,
    BackendEngine,
    RawTantivyEngine,
    build_ours,
    directory_bytes,
    index_corpus,
)
from fanarchive.search.tantivy_backend import TantivyBackend

ENGINES = ("tantivy_ours", "tantivy_raw", "tantivy_raw_nosnippets", "sqlite_fts5", "postgres")
# Raw tantivy again without snippets: with it, the search mix shows what snippets cost (issue 16).
SEARCH_ONLY = ("tantivy_raw_nosnippets",)


class Engine(Protocol):
    name: str

    def run(self, q: BenchQuery) -> Answer: ...

    def close(self) -> None: ...


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _built(stamp: Path, rebuild: bool, build: Callable[[], None], size: Callable[[], int]) -> dict[str, Any]:
    """Build (timed) unless an earlier run left a finished build here; its figures either way."""
    if stamp.exists() and not rebuild:
        return {**json.loads(stamp.read_text()), "reused": True}
    started, load = time.perf_counter(), _load()
    build()
    figures = {"build_s": round(time.perf_counter() - started, 2), "load_before": load, "load_after": _load()}
    figures["bytes"] = size()
    stamp.write_text(json.dumps(figures) + "\n")
    return {**figures, "reused": False}


PG_SCHEMA = "fanarchive_bench"  # its own schema: never the archive's search tables


def postgres_backend(url: str) -> Any | None:
    """Our PostgresBackend for `url`, or None while it does not exist in this tree."""
    try:
        from fanarchive.search.postgres_fulltext_backend import PostgresBackend
    except ImportError:
        return None
    return PostgresBackend(url, schema=PG_SCHEMA)


def _pg_bytes(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind = 'r'",
            (PG_SCHEMA,),
        ).fetchone()
    return int(row[0]) if row else 0


def open_engines(
    corpus: Path, names: list[str], pg_url: str | None, rebuild: bool
) -> tuple[list[Engine], dict[str, Any]]:
    root = corpus / "indexes"
    root.mkdir(exist_ok=True)
    engines: list[Engine] = []
    builds: dict[str, Any] = {}
    tantivy_dir = root / "tantivy"
    if {"tantivy_ours", "tantivy_raw", "tantivy_raw_nosnippets"} & set(names):
        # Raw tantivy reads the index ours built: one build serves both.
        builds["tantivy"] = _built(
            root / "tantivy.json",
            rebuild,
            lambda: build_ours(corpus, tantivy_dir),
            lambda: directory_bytes(tantivy_dir),
        )
    if "tantivy_ours" in names:
        engines.append(BackendEngine("tantivy_ours", TantivyBackend(tantivy_dir)))
    if "tantivy_raw" in names:
        engines.append(RawTantivyEngine(tantivy_dir))
    if "tantivy_raw_nosnippets" in names:
        engines.append(RawTantivyEngine(tantivy_dir, snippets=False))
    if "sqlite_fts5" in names:
        path = root / "fts5.sqlite3"
        builds["sqlite_fts5"] = _built(
            root / "fts5.json", rebuild, lambda: build_fts5(corpus, path), lambda: path.stat().st_size
        )
        engines.append(Fts5Engine(path))
    if "postgres" in names:
        backend = postgres_backend(pg_url) if pg_url else None
        if backend is None or pg_url is None:
            builds["postgres"] = {
                "skipped": "no --pg URL" if not pg_url else "no PostgresBackend in this tree"
            }
        else:
            url = pg_url
            builds["postgres"] = _built(
                root / "postgres.json",
                rebuild,
                lambda: index_corpus(backend, corpus),
                lambda: _pg_bytes(url),
            )
            engines.append(BackendEngine("postgres", backend))
    return engines, builds


def percentiles(seconds: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in seconds)
    cuts = statistics.quantiles(ms, n=100, method="inclusive") if len(ms) > 1 else ms * 99
    return {
        "p50_ms": round(cuts[49], 3),
        "p95_ms": round(cuts[94], 3),
        "p99_ms": round(cuts[98], 3),
        "mean_ms": round(statistics.fmean(ms), 3),
        "n": len(ms),
    }


def run(
    corpus: Path,
    mix: str,
    per_kind: int = 100,
    warmup: int = 10,
    seed: int = 1,
    engines: list[str] | None = None,
    pg_url: str | None = None,
    rebuild: bool = False,
) -> dict[str, Any]:
    names = list(
        engines
        or [e for e in ENGINES if (e != "postgres" or pg_url) and (mix == "search" or e not in SEARCH_ONLY)]
    )
    load_start = _load()
    opened, builds = open_engines(corpus, names, pg_url, rebuild)
    queries = make_mix(corpus, mix, per_kind, seed)
    timed = set(queries)
    warm = [q for q in make_mix(corpus, mix, warmup, seed + 1000) if q not in timed]
    for engine in opened:
        for q in warm:
            engine.run(q)
    seconds: dict[str, dict[str, list[float]]] = {e.name: {k: [] for k in MIXES[mix]} for e in opened}
    answers: dict[str, list[Answer]] = {e.name: [] for e in opened}
    load_samples = []
    for number, q in enumerate(queries):
        if number % 50 == 0:
            load_samples.append(_load())
        turn = number % len(opened) if opened else 0
        for engine in opened[turn:] + opened[:turn]:
            started = time.perf_counter()
            answer = engine.run(q)
            seconds[engine.name][q.kind].append(time.perf_counter() - started)
            answers[engine.name].append(answer)
    exclusions = _exclusions(corpus, mix, opened, queries, seed)
    for engine in opened:
        engine.close()
    results = {
        name: {kind: percentiles(s) for kind, s in kinds.items() if s} for name, kinds in seconds.items()
    }
    return {
        "benchmark": f"search-{mix}",
        "machine": machine(),
        "load": {"start": load_start, "during": load_samples, "end": _load()},
        "corpus": {**json.loads((corpus / "corpus.json").read_text()), "path": str(corpus)},
        "mix": {"kinds": list(MIXES[mix]), "per_kind": per_kind, "warmup": len(warm), "seed": seed},
        "indexes": builds,
        "results": results,
        "ratios": ratios(results),
        "agreement": agreement(queries, answers),
        "examples": {kind: next(q.describe() for q in queries if q.kind == kind) for kind in MIXES[mix]},
        **({"exclusions": exclusions} if exclusions else {}),
    }


def _exclusions(
    corpus: Path, mix: str, opened: list[Engine], queries: list[BenchQuery], seed: int
) -> dict[str, Any] | None:
    """The filter mix's listings for a reader with saved exclusions and one without (issue 14),
    on our backends (they take the exclusions as the listing service passes them)."""
    ours = [e for e in opened if isinstance(e, BackendEngine)]
    if mix != "filter" or not ours:
        return None
    saved = reader_exclusions(corpus, seed)
    return time_exclusions([(e.name, e.run) for e in ours], queries, saved, percentiles, time.perf_counter)


def ratios(results: dict[str, dict[str, dict[str, float]]]) -> dict[str, Any]:
    """ours/raw is our overhead; peer/ours is how many times faster ours is than the peer."""
    out: dict[str, Any] = {}
    raw, bare = results.get("tantivy_raw"), results.get("tantivy_raw_nosnippets")
    if raw and bare:
        # Raw tantivy's time with snippets over its time without: what the snippets cost.
        out["raw_snippets_over_query"] = {
            kind: {p: round(raw[kind][f"{p}_ms"] / b[f"{p}_ms"], 2) for p in ("p50", "p95")}
            for kind, b in bare.items()
            if kind in raw and b["p50_ms"] and b["p95_ms"]
        }
    ours = results.get("tantivy_ours")
    if ours is None:
        return out
    for peer, label in (
        ("tantivy_raw", "ours_over_raw"),
        ("sqlite_fts5", "fts5_over_ours"),
        ("postgres", "postgres_over_ours"),
    ):
        if peer not in results:
            continue
        out[label] = {}
        for kind, mine in ours.items():
            other = results[peer].get(kind)
            if not other:
                continue
            a, b = (mine, other) if label == "ours_over_raw" else (other, mine)
            out[label][kind] = {
                p: round(a[f"{p}_ms"] / b[f"{p}_ms"], 2) if b[f"{p}_ms"] else None for p in ("p50", "p95")
            }
    return out


def agreement(queries: list[BenchQuery], answers: dict[str, list[Answer]]) -> dict[str, Any]:
    """Per engine and kind, how many queries gave the same total as our backend (and, for listings
    sorted by a counter, the same first page): equivalence, not speed."""
    ours = answers.get("tantivy_ours")
    out: dict[str, Any] = {}
    if ours is None:
        return out
    for name, theirs in answers.items():
        if name == "tantivy_ours":
            continue
        per_kind: dict[str, dict[str, int]] = {}
        for q, mine, other in zip(queries, ours, theirs, strict=True):
            if q.kind == "autocomplete":
                continue
            row = per_kind.setdefault(q.kind, {"queries": 0, "same_total": 0, "same_page": 0})
            row["queries"] += 1
            row["same_total"] += mine[1] == other[1]
            row["same_page"] += mine[0] == other[0]
        out[name] = per_kind
    return out
