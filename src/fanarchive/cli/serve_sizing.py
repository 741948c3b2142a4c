"""How many gunicorn workers and threads `fanarchive serve` runs when not told.

Python runs one thread at a time per process, so CPU-bound page work scales with processes, not
threads: two workers per core keep every core busy while others wait on the database, the cache
files or the network. Threads cover the waits inside one worker. Each worker costs about
WORKER_MB of memory (Django, the templates, the search reader), so the count is capped to what fits
in half the available memory, leaving the rest to the database, the indexer and the page cache."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

WORKER_MB = 150
THREADS = 4


@dataclass(frozen=True)
class Sizing:
    workers: int
    threads: int


def available_memory_mb(meminfo: Path = Path("/proc/meminfo")) -> int | None:
    """MemAvailable from /proc/meminfo (Linux), or None where there is no such file."""
    try:
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def usable_cores() -> int:
    """Cores this process may run on (a container's CPU set), not every core of the machine."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def size(cores: int, memory_mb: int | None) -> Sizing:
    """workers = min(2 × cores, memory_mb ÷ 2 ÷ WORKER_MB), at least 1; THREADS threads each."""
    workers = 2 * cores
    if memory_mb is not None:
        workers = min(workers, memory_mb // 2 // WORKER_MB)
    return Sizing(workers=max(1, workers), threads=THREADS)


def this_machine() -> Sizing:
    return size(usable_cores(), available_memory_mb())
