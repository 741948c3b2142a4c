"""Parsing overlaps storing: ReaderPool.parse_each sends several files to the child before it hands
over the first file's works, and still gives every file its own outcome, in order, under the limits:
a file that hangs or kills the child costs that file alone, and the files queued behind it are sent
again to the new child."""

from __future__ import annotations

import os
import signal

import pytest
from tests.archive.test_import_worker import _slow, _small

from fanarchive.archive.imports import worker
from fanarchive.archive.imports.sources import LocatedSource
from fanarchive.archive.imports.worker import ReaderPool, ReadFailed, Request, WorkerLimits


def _request_of(item: LocatedSource | str) -> Request | None:
    return None if isinstance(item, str) else (item, item.origin, None)


def _titled(title: str) -> LocatedSource:
    return LocatedSource(name=f"{title}.md", data=f"# {title}\n\nThe text of {title}.\n".encode())


@pytest.mark.parametrize(
    ("read_ahead", "expected"),
    [
        (None, ["sent 1", "sent 2", "sent 3", "stored 1", "stored 2", "stored 3"]),
        (2, ["sent 1", "sent 2", "stored 1", "sent 3", "stored 2", "stored 3"]),
    ],
)
def test_files_are_sent_ahead_of_the_works_handed_over_up_to_the_limit(
    monkeypatch: pytest.MonkeyPatch, read_ahead: int | None, expected: list[str]
) -> None:
    if read_ahead is not None:
        monkeypatch.setattr(worker, "READ_AHEAD_FILES", read_ahead)
    events: list[str] = []

    def request_of(item: str) -> Request:
        events.append(f"sent {item}")
        return _small(), _small().origin, None

    with ReaderPool() as pool:
        for item, works in pool.parse_each(["1", "2", "3"], request_of):
            assert isinstance(works, list) and works[0].chapters
            events.append(f"stored {item}")
    assert events == expected


def test_each_file_keeps_its_outcome_and_order_when_one_fails_between_others() -> None:
    problem = "not a request"
    items: list[LocatedSource | str] = [_small(), _slow(), problem, _small()]

    def request_of(item: LocatedSource | str) -> Request | None:
        return None if isinstance(item, str) else (item, item.origin, None)

    with ReaderPool(WorkerLimits(timeout=1, memory_mb=512)) as pool:
        pool.start()
        outcomes = list(pool.parse_each(items, request_of))
    assert [item for item, _works in outcomes] == items
    first, slow, none, last = (works for _item, works in outcomes)
    assert isinstance(first, list) and isinstance(last, list) and last[0].chapters
    assert isinstance(slow, ReadFailed) and str(slow) == "took longer than 1 s (FANARCHIVE_IMPORT_TIMEOUT)"
    assert none is None


def test_a_hung_file_among_files_in_flight_costs_only_itself_and_the_rest_come_in_order() -> None:
    items: list[LocatedSource | str] = [
        _titled("One"),
        _slow(),
        _titled("Two"),
        "a problem",
        _titled("Three"),
    ]
    with ReaderPool(WorkerLimits(timeout=1, memory_mb=512)) as pool:
        pool.start()
        first_child = pool.child_pid
        outcomes = list(pool.parse_each(items, _request_of))
        assert pool.child_pid not in (None, first_child)  # the hung child was replaced
    assert [item for item, _works in outcomes] == items
    one, slow, two, problem, three = (works for _item, works in outcomes)
    assert isinstance(slow, ReadFailed) and str(slow) == "took longer than 1 s (FANARCHIVE_IMPORT_TIMEOUT)"
    assert problem is None
    assert [works[0].title for works in (one, two, three) if isinstance(works, list)] == [
        "One",
        "Two",
        "Three",
    ]


def test_a_child_killed_with_files_queued_behind_its_file_loses_none_of_them() -> None:
    items = [_titled("One"), _slow(), _titled("Two"), _titled("Three")]
    outcomes: list[tuple[str, list[str] | str]] = []
    with ReaderPool(WorkerLimits(timeout=60, memory_mb=512)) as pool:
        for source, works in pool.parse_each(items, _request_of):
            if source.name == "One.md":
                # The child has moved on to the long file, the last two are queued behind it.
                pid = pool.child_pid
                assert pid is not None
                os.kill(pid, signal.SIGKILL)
            assert works is not None
            outcomes.append(
                (source.name, str(works) if isinstance(works, ReadFailed) else [w.title for w in works])
            )
    assert outcomes == [
        ("One.md", ["One"]),
        ("long.md", "the reader process died (killed by SIGKILL)"),
        ("Two.md", ["Two"]),
        ("Three.md", ["Three"]),
    ]


def test_leaving_a_run_early_ends_the_child_with_its_queued_files() -> None:
    with ReaderPool() as pool:
        run = pool.parse_each([_titled("One"), _slow(), _titled("Two")], _request_of)
        next(run)
        pid = pool.child_pid
        run.close()
        assert pool.child_pid is None and pid is not None
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)  # reaped, not left reading the queued files
        assert pool.parse(_titled("Four"), (), None)[0].title == "Four"
