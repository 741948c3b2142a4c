"""Parsing overlaps storing: ReaderPool.parse_each sends the next file to the child before it hands
over the last file's works, and still gives every file its own outcome, in order, under the limits."""

from __future__ import annotations

from tests.archive.test_import_worker import _slow, _small

from fanarchive.archive.imports.sources import LocatedSource
from fanarchive.archive.imports.worker import ReaderPool, ReadFailed, Request, WorkerLimits


def test_the_next_file_is_in_the_child_before_the_last_ones_works_are_handed_over() -> None:
    events: list[str] = []
    items = ["first", "second", "third"]

    def request_of(item: str) -> Request:
        events.append(f"sent {item}")
        return _small(), _small().origin, None

    with ReaderPool() as pool:
        for item, works in pool.parse_each(items, request_of):
            assert isinstance(works, list) and works[0].chapters
            events.append(f"stored {item}")
    assert events == [
        "sent first",
        "sent second",
        "stored first",
        "sent third",
        "stored second",
        "stored third",
    ]


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
