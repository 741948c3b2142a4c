"""`fanarchive bench import`: parse-only and full-import throughput on a generated corpus.

Peers measured in the same run: for parsing, the bare decode (lxml or json) of the same bytes, the
floor any parser pays; for storing, raw sqlite3 inserts of the same chapter text, the floor any
importer pays. Ratios against them travel across machines better than seconds do."""

from __future__ import annotations

import contextlib
import gc
import json
import os
import resource
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import lxml.html

from fanarchive.bench.corpus import CorpusGenerator
from fanarchive.bench.measure import machine, summary, timed
from fanarchive.bench.prose import ProseGenerator
from fanarchive.domain.formats.base import SourceFile
from fanarchive.domain.formats.detect import parse_source
from fanarchive.domain.work import ParsedChapter, ParsedWork, Source, works_to_json

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


_SEED_BATCH = 2000


def seed_existing(count: int, seed: int) -> float:
    """Put `count` small works in the archive before the timed import (by bulk insert, through
    do_seed_bench_works), a third each found by source id, by URL and by neither (title and text
    hash), so that every lookup an import makes meets a table of that size. Returns the seconds."""
    from fanarchive.archive.actions.imports import do_seed_bench_works

    prose = ProseGenerator(seed + 1)
    started = time.perf_counter()
    for start in range(0, count, _SEED_BATCH):
        batch = []
        for number in range(start, min(start + _SEED_BATCH, count)):
            kind = number % 3
            source = Source(
                format="bench-seed",
                site="seed.invalid" if kind == 0 else None,
                id=str(number) if kind == 0 else None,
                url=f"https://seed.invalid/works/{number}" if kind == 1 else None,
            )
            chapter = ParsedChapter(number=1, html=f"<p>{prose.paragraph()}</p><p>{prose.paragraph()}</p>")
            batch.append(
                ParsedWork(title=prose.title(), published="2020-01-01", chapters=[chapter], source=source)
            )
        do_seed_bench_works(batch)
    return time.perf_counter() - started


def _reset_peak_rss() -> None:
    """Linux: writing 5 to clear_refs resets this process's peak RSS (VmHWM) to its current RSS."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_rss_mb(pid: str = "self") -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


class _ChildPeak(threading.Thread):
    """Samples the peak RSS of this process's children (the reader child) every 0.2 s: the
    rusage of ended children would count a forked child's copy of the parent before its exec."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak: float | None = None
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.2):
            for children in Path("/proc/self/task").glob("*/children"):
                with contextlib.suppress(OSError):
                    for pid in children.read_text().split():
                        if (rss := _peak_rss_mb(pid)) is not None:
                            self.peak = max(self.peak or 0.0, rss)


def _cpu_seconds() -> tuple[float, float]:
    """User and system CPU of this process, and of its children that have ended (the reader child
    is waited for when the import closes its pool)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _timed_import(corpus_dir: Path, existing: int, seed: int) -> dict[str, Any]:
    """The full import as `fanarchive import` runs it (files parsed in the sandboxed child while
    this process stores), then the search index built from the outbox, each timed; peak RSS of
    this process during the import (reset first) and of the reader child (sampled)."""
    from fanarchive.archive.imports.run import run_import
    from fanarchive.archive.indexing.indexer import drain_all
    from fanarchive.archive.indexing.service import get_backend

    seed_s = seed_existing(existing, seed) if existing else 0.0
    gc.collect()
    _reset_peak_rss()
    cpu_before = _cpu_seconds()
    child_peak = _ChildPeak()
    child_peak.start()
    started = time.perf_counter()
    report = run_import([str(corpus_dir)], max_bytes=1 << 40)
    import_s = time.perf_counter() - started
    child_peak.stopped.set()
    importer_cpu_s, reader_cpu_s = (
        after - before for after, before in zip(_cpu_seconds(), cpu_before, strict=True)
    )
    peak = _peak_rss_mb()
    started = time.perf_counter()
    indexed = drain_all(get_backend())
    index_s = time.perf_counter() - started
    return {
        "existing_works": existing,
        "seed_s": seed_s,
        "seconds": import_s,
        "index_s": index_s,
        "indexed_works": indexed,
        "imported": report.counts,
        "failed": report.failed,
        "failures": report.failures[:5],
        # CPU seconds, which a busy shared machine changes far less than wall-clock seconds.
        "cpu_s_importer": importer_cpu_s,
        "cpu_s_reader_child": reader_cpu_s,
        "peak_rss_mb_importer": peak,
        "peak_rss_mb_reader_child": child_peak.peak,
    }


def run(
    megabytes: float,
    seed: int,
    repeats: int,
    keep: Path | None,
    *,
    existing: int = 0,
    parse_figures: bool = True,
) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="fanarchive-bench-"))
    corpus_dir = keep or workdir / "corpus"
    corpus_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    corpus = write_corpus(corpus_dir, megabytes, seed)
    corpus["generate_s"] = time.perf_counter() - started
    mb = corpus["bytes"] / 1048576
    works = corpus["works"]
    result: dict[str, Any] = {"benchmark": "import", "machine": machine(), "corpus": corpus}
    if parse_figures:
        result.update(_parse_figures(corpus_dir, mb, works, repeats))

    os.environ["FANARCHIVE_HOME"] = str(workdir / "home")
    from fanarchive.cli.setup import setup_django

    setup_django(migrate=True)
    timed_import = _timed_import(corpus_dir, existing, seed)
    import_s, index_s = timed_import["seconds"], timed_import["index_s"]
    if "parse_sandbox" in result:
        # What the sandbox adds to one whole import (which parses in it), as a share of that import.
        sandbox = result["parse_sandbox"]
        extra_s = sandbox["with_sandbox"]["median_s"] - sandbox["without_sandbox"]["median_s"]
        sandbox["share_of_full_import"] = extra_s / import_s
    files = _files(corpus_dir)
    parsed = [work for name, data in files for work in parse_source(SourceFile(name=name, data=data))]
    del files
    raw_s = _raw_sqlite_floor(parsed, workdir / "raw.sqlite3")
    result["full_import_sqlite"] = {
        **timed_import,
        "mb_per_s": mb / import_s,
        "works_per_s": works / import_s,
        "ms_per_work": 1000 * import_s / works,
        "mb_per_importer_cpu_s": mb / timed_import["cpu_s_importer"],
        "mb_per_s_with_index": mb / (import_s + index_s),
        "load_average_after": os.getloadavg()[0],
        "peer_raw_sqlite_insert_s": raw_s,
        "ratio_to_raw_sqlite_insert": import_s / raw_s if raw_s else None,
    }
    return result


def _parse_figures(corpus_dir: Path, mb: float, works: int, repeats: int) -> dict[str, Any]:
    files = _files(corpus_dir)
    parse = summary(timed(lambda: _parse_all(files), repeats))
    floor = summary(timed(lambda: _decode_floor(files), repeats))
    return {
        "parse_only": {
            **parse,
            "mb_per_s": mb / parse["median_s"],
            "works_per_s": works / parse["median_s"],
            "peer_decode_only_median_s": floor["median_s"],
            "ratio_to_decode_only": parse["median_s"] / floor["median_s"],
            "by_format": _parse_by_format(files),
        },
        "parse_sandbox": _sandbox_comparison(files, repeats, mb),
    }
