"""Many processes opening one tantivy index at once: none fails, none wipes it (VERSION is
replaced atomically, the version check runs under a flock), and an index another process holds
open is never dropped for a new layout."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from tests.search.conftest import corpus

from fanarchive.search.backend import IndexBusy
from fanarchive.search.tantivy_backend import TantivyBackend

# Opens the index `opens` times the way a process does (a new backend, then a count) and prints
# how many opens failed or saw another count than expected.
OPENER = """
import sys
from fanarchive.search.tantivy_backend import TantivyBackend
path, opens, expected = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
failures = 0
for _ in range(opens):
    try:
        backend = TantivyBackend(path)
        if backend.count() != expected:
            failures += 1
        backend.close()
    except Exception as error:
        print(repr(error), file=sys.stderr)
        failures += 1
print(failures)
"""


def open_concurrently(path: Path, processes: int, opens: int, expected: int) -> list[int]:
    children = [
        subprocess.Popen(
            [sys.executable, "-c", OPENER, str(path), str(opens), str(expected)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    return [int(child.communicate(timeout=600)[0].strip() or "-1") for child in children]


def test_four_processes_opening_at_once_never_wipe_the_index(tmp_path: Path) -> None:
    backend = TantivyBackend(tmp_path)
    backend.index(corpus())
    backend.commit()
    expected = backend.count()
    backend.close()
    assert expected > 0
    assert open_concurrently(tmp_path, processes=4, opens=25, expected=expected) == [0, 0, 0, 0]
    assert TantivyBackend(tmp_path).count() == expected
    assert (tmp_path / "VERSION").read_text().strip() != ""


def test_an_index_of_an_older_layout_held_open_elsewhere_is_not_dropped(tmp_path: Path) -> None:
    first = TantivyBackend(tmp_path)
    first.index(corpus())
    first.commit()
    expected = first.count()
    first.close()
    (tmp_path / "VERSION").write_text("0\n")
    # Another process holds the index open (its shared flock) while this one opens it.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, fcntl; f = open(sys.argv[1], 'a+'); fcntl.flock(f, fcntl.LOCK_SH); "
            "print('held', flush=True); sys.stdin.read()",
            str(tmp_path / ".fanarchive.holders"),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(IndexBusy):
            TantivyBackend(tmp_path)
        assert (tmp_path / "works").exists()
    finally:
        holder.kill()
        holder.wait()
    # The holder died, and with it its lock: the upgrade goes ahead.
    assert TantivyBackend(tmp_path).count() == 0
    assert expected > 0


def test_a_rebuild_replaces_the_index_for_readers_in_other_processes(tmp_path: Path) -> None:
    reader = TantivyBackend(tmp_path)
    builder = TantivyBackend(tmp_path)
    builder.index(corpus())
    builder.commit()
    expected = reader.count()
    assert expected > 0
    # Four processes keep opening the index while it is rebuilt, three times, with the same works:
    # every open finds the whole index, never an empty or half-built one.
    openers = [
        subprocess.Popen(
            [sys.executable, "-c", OPENER, str(tmp_path), "40", str(expected)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    for _ in range(3):
        builder.rebuild(lambda fresh: fresh.index(corpus()))
    assert [int(child.communicate(timeout=600)[0].strip() or "-1") for child in openers] == [0, 0, 0, 0]
    # A rebuild with fewer works: this process's older backend follows the swap.
    builder.rebuild(lambda fresh: fresh.index(corpus()[:2]))
    assert reader.count() == 2
    assert TantivyBackend(tmp_path).count() == 2
    # Only the live generation and the one before it are kept.
    assert sorted(p.name for p in tmp_path.glob("gen-*")) == ["gen-3", "gen-4"]
    assert not (tmp_path / "works").exists()


def test_a_writer_killed_with_sigkill_leaves_no_stale_lock(tmp_path: Path) -> None:
    """tantivy's `.tantivy-writer.lock` is an flock: busy while its holder lives, free once it dies."""
    TantivyBackend(tmp_path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from fanarchive.search.tantivy_backend import TantivyBackend; "
            "b = TantivyBackend(sys.argv[1]); b._writer(); print('writing', flush=True); sys.stdin.read()",
            str(tmp_path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "writing"
        with pytest.raises(IndexBusy):
            TantivyBackend(tmp_path).index(corpus())
    finally:
        holder.kill()
        holder.wait()
    backend = TantivyBackend(tmp_path)
    backend.index(corpus())
    backend.commit()
    assert backend.count() > 0


def test_an_index_of_an_older_layout_is_dropped_after_rebuilds_too(tmp_path: Path) -> None:
    # Two rebuilds leave only gen-N/: the old-layout check must see it there, not only at the root,
    # or a new layout would be opened over old files.
    builder = TantivyBackend(tmp_path)
    builder.index(corpus())
    builder.commit()
    for _ in range(2):
        builder.rebuild(lambda fresh: fresh.index(corpus()))
    builder.close()
    assert not (tmp_path / "works").exists() and list(tmp_path.glob("gen-*"))
    (tmp_path / "VERSION").write_text("0\n")
    reopened = TantivyBackend(tmp_path)
    assert reopened.count() == 0
    assert not list(tmp_path.glob("gen-*")) and not (tmp_path / "GENERATION").exists()
