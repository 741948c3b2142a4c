"""`fanarchive bench import`: parse-only and full-import throughput on a generated corpus.

Peers measured in the same run: for parsing, the bare decode (lxml or json) of the same bytes, the
floor any parser pays; for storing, raw sqlite3 inserts of the same chapter text, the floor any
importer pays. Ratios against them travel across machines better than seconds do."""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import lxml.html

from fanarchive.bench.corpus import CorpusGenerator
from fanarchive.bench.measure import machine, summary, timed
from fanarchive.domain.formats.base import SourceFile
from fanarchive.domain.formats.detect import parse_source
from fanarchive.domain.work import ParsedWork, works_to_json

Writer = Callable[[ParsedWork], tuple[str, bytes]]


def _work_json(work: ParsedWork) -> tuple[str, bytes]:
    return "json", works_to_json([work], indent=None).encode()


def corpus_writers() -> dict[str, Writer]:
    """Every file format the corpus is written in, in turn: what the importer will meet."""
    writers: dict[str, Writer] = {"work-json": _work_json}
    try:
        from fanarchive.bench.corpus_formats import extra_writers
    except ImportError:
        return writers
    writers.update(extra_writers())
    return writers


def write_corpus(directory: Path, megabytes: float, seed: int) -> dict[str, Any]:
    generator = CorpusGenerator(seed=seed)
    writers = list(corpus_writers().items())
    target = int(megabytes * 1024 * 1024)
    written = works = 0
    per_format: dict[str, int] = {}
    while written < target:
        work = generator.work(works + 1)
        name, write = writers[works % len(writers)]
        extension, data = write(work)
        (directory / f"{works + 1:07d}.{extension}").write_bytes(data)
        written += len(data)
        works += 1
        per_format[name] = per_format.get(name, 0) + 1
    return {"bytes": written, "works": works, "files_by_format": per_format, "seed": seed}


def _files(directory: Path) -> list[tuple[str, bytes]]:
    return [(str(path), path.read_bytes()) for path in sorted(directory.iterdir())]


def _parse_all(files: list[tuple[str, bytes]]) -> int:
    return sum(len(parse_source(SourceFile(name=name, data=data))) for name, data in files)


def _parse_by_format(files: list[tuple[str, bytes]]) -> dict[str, dict[str, float]]:
    """One timed pass per reader: which formats cost what (MB/s and works/s each)."""
    groups: dict[str, list[tuple[str, bytes]]] = {}
    for name, data in files:
        groups.setdefault(Path(name).suffix.lstrip("."), []).append((name, data))
    report = {}
    for extension, group in sorted(groups.items()):
        started = time.perf_counter()
        works = _parse_all(group)
        seconds = time.perf_counter() - started
        megabytes = sum(len(data) for _name, data in group) / 1048576
        report[extension] = {"files": len(group), "mb": megabytes, "mb_per_s": megabytes / seconds,
                             "works_per_s": works / seconds}  # fmt: skip
    return report


def _sandbox_comparison(files: list[tuple[str, bytes]], repeats: int, mb: float) -> dict[str, Any]:
    """Parsing with and without the sandbox, alternated in the same run so that both see the same
    machine: the overhead is what the limits cost the import."""
    inside: list[float] = []
    outside: list[float] = []
    from fanarchive.archive.imports.worker import ReaderPool

    for _ in range(repeats):
        outside.extend(timed(lambda: _parse_all(files), 1))
        with ReaderPool() as pool:
            pool.start()
            started = time.perf_counter()
            for name, data in files:
                pool.parse(SourceFile(name=name, data=data), (), None)
            inside.append(time.perf_counter() - started)
    without, with_ = summary(outside), summary(inside)
    return {
        "without_sandbox": {**without, "mb_per_s": mb / without["median_s"]},
        "with_sandbox": {**with_, "mb_per_s": mb / with_["median_s"]},
        "ratio_with_to_without": with_["median_s"] / without["median_s"],
    }


def _decode_floor(files: list[tuple[str, bytes]]) -> None:
    for name, data in files:
        if name.endswith(".json"):
            json.loads(data)
        elif name.endswith((".html", ".htm")):
            lxml.html.document_fromstring(data)
        else:
            data.decode("utf-8", errors="replace")


def _raw_sqlite_floor(works: list[ParsedWork], path: Path) -> float:
    """Seconds to store the same chapter text with bare sqlite3, one transaction per work."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE chapter (work INTEGER, position INTEGER, body TEXT)")
    started = time.perf_counter()
    for number, work in enumerate(works):
        with connection:
            connection.executemany(
                "INSERT INTO chapter VALUES (?, ?, ?)", [(number, c.number, c.html) for c in work.chapters]
            )
    seconds = time.perf_counter() - started
    connection.close()
    return seconds


def run(megabytes: float, seed: int, repeats: int, keep: Path | None) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="fanarchive-bench-"))
    corpus_dir = keep or workdir / "corpus"
    corpus_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    corpus = write_corpus(corpus_dir, megabytes, seed)
    corpus["generate_s"] = time.perf_counter() - started
    files = _files(corpus_dir)
    mb = corpus["bytes"] / 1048576
    parse = summary(timed(lambda: _parse_all(files), repeats))
    floor = summary(timed(lambda: _decode_floor(files), repeats))
    by_format = _parse_by_format(files)
    sandbox = _sandbox_comparison(files, repeats, mb)

    os.environ["FANARCHIVE_HOME"] = str(workdir / "home")
    from fanarchive.cli.setup import setup_django

    setup_django(migrate=True)
    from fanarchive.archive.imports.run import run_import

    started = time.perf_counter()
    report = run_import([str(corpus_dir)], max_bytes=1 << 40)
    import_s = time.perf_counter() - started
    # What the sandbox adds to one whole import (which parses in it), as a share of that import.
    extra_s = sandbox["with_sandbox"]["median_s"] - sandbox["without_sandbox"]["median_s"]
    sandbox["share_of_full_import"] = extra_s / import_s
    parsed = [work for name, data in files for work in parse_source(SourceFile(name=name, data=data))]
    raw_s = _raw_sqlite_floor(parsed, workdir / "raw.sqlite3")
    works = corpus["works"]
    return {
        "benchmark": "import",
        "machine": machine(),
        "corpus": corpus,
        "parse_only": {
            **parse,
            "mb_per_s": mb / parse["median_s"],
            "works_per_s": works / parse["median_s"],
            "peer_decode_only_median_s": floor["median_s"],
            "ratio_to_decode_only": parse["median_s"] / floor["median_s"],
            "by_format": by_format,
        },
        "parse_sandbox": sandbox,
        "full_import_sqlite": {
            "seconds": import_s,
            "mb_per_s": mb / import_s,
            "works_per_s": works / import_s,
            "imported": report.counts,
            "failed": report.failed,
            "peer_raw_sqlite_insert_s": raw_s,
            "ratio_to_raw_sqlite_insert": import_s / raw_s if raw_s else None,
        },
    }
