"""Readers run in a child process under limits, so that no file can take the importer down: a
reader that recurses, hangs or eats memory costs one child, not the run. One long-lived child
handles file after file (starting a process per file would cost more than most parses), several
of them queued at once; it is replaced when it dies or passes a limit. The child sends the works
back as work JSON; reader_link holds the importer's end of it.

This module never imports Django: the child only reads files."""

from __future__ import annotations

import resource
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.reduction import ForkingPickler
from typing import Generic, TypeVar

from fanarchive.archive.imports.reader_link import ChildLink, StartFailed
from fanarchive.domain.formats.base import SourceFile
from fanarchive.domain.work import ParsedWork, works_from_json, works_to_json

DEFAULT_TIMEOUT = 10.0
DEFAULT_MEMORY_MB = 512
_MB = 1024 * 1024
# How far the import reads ahead of the works it stores: enough files for the child to go on
# reading while a batch (BATCH_WORKS) is stored, and a bound on what waits in memory meanwhile
# (the files and their answers; at least one file is always in flight, however big).
READ_AHEAD_FILES = 32
READ_AHEAD_BYTES = 16 * _MB
# A file for the child: its SourceFile, where it came from (for the files beside it), a format name.
Request = tuple[SourceFile, tuple[str, ...], str | None]
_Item = TypeVar("_Item")


class ReadFailed(Exception):
    """The file could not be read: the message is the one-line reason shown beside its name."""


@dataclass(frozen=True)
class WorkerLimits:
    timeout: float = DEFAULT_TIMEOUT
    memory_mb: int = DEFAULT_MEMORY_MB


def _serve(connection: Connection, memory_mb: int) -> None:
    # Imported here so that the child pays for the readers once, before its memory limit starts.
    from fanarchive.archive.imports.sources import sibling_reader_for
    from fanarchive.domain.formats.detect import parse_source

    _die_with_parent()
    if memory_mb > 0:
        # Address space, not resident memory: the only limit the kernel enforces at allocation,
        # so a runaway reader gets MemoryError instead of the machine's OOM killer.
        limit = _address_space_now() + memory_mb * _MB
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    # After a MemoryError even pickling a short answer can fail (the heap is left fragmented at
    # the limit), which would pass for a crash: that answer is pickled in advance.
    out_of_memory = ForkingPickler.dumps(("memory", ""))
    connection.send(("ready", ""))
    while True:
        try:
            request = connection.recv()
        except EOFError:
            return
        except MemoryError:  # a file too big to take in: the rest of it is still in the socket
            connection.send_bytes(out_of_memory)
            return
        name, data, origin, format_name = request
        try:
            source = SourceFile(name=name, data=data, open_sibling=sibling_reader_for(origin))
            works = parse_source(source, format_name)
            answer: tuple[str, str] = ("ok", works_to_json(works, indent=None))
        except MemoryError:
            answer = ("memory", "")
        except RecursionError:
            answer = ("error", "nested too deeply to read")
        except SystemError as error:
            # A C extension returning failure without an exception: at the address-space limit,
            # an allocation that failed without saying so. The child is replaced, as for memory.
            lost = "without exception set" in str(error)
            answer = ("memory", "") if lost else ("error", _one_line(error))
        except Exception as error:  # any reader failure is this file's, never the run's
            answer = ("error", _one_line(error))
        del request, data
        try:
            if answer[0] == "memory":
                connection.send_bytes(out_of_memory)
            else:
                connection.send(answer)
        except MemoryError:  # a reader short of memory may fail otherwise (SystemError), then this
            connection.send_bytes(out_of_memory)


def _address_space_now() -> int:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except OSError:
        return 0


def _one_line(error: BaseException) -> str:
    text = str(error.args[0]) if isinstance(error, KeyError) and error.args else str(error)
    from fanarchive.domain.formats.base import ParseError

    if not isinstance(error, ParseError):
        text = f"could not be parsed ({type(error).__name__}: {text})"
    text = " ".join(text.split())
    return text if len(text) <= 300 else text[:297] + "..."


class ReaderPool:
    """One child process at a time, started on first use and after each death. It is a plain
    `python -m` subprocess rather than multiprocessing's spawn, which would re-import whatever
    __main__ the parent runs (gunicorn, a test runner) in the child.

    Several files are in flight at once (READ_AHEAD_FILES, READ_AHEAD_BYTES): the child reads them
    one after another while the caller stores the works of those before, so on two cores parsing
    and storing overlap. Answers are handed over in file order. Each file gets the whole timeout,
    counted from when the child could start on it (the previous file's answer, or its own sending);
    a file past it, or one that kills the child or passes the memory limit, costs the child: it is
    replaced, and the files queued behind are sent again to the new one."""

    def __init__(self, limits: WorkerLimits | None = None) -> None:
        self.limits = limits or WorkerLimits()
        self._link: ChildLink | None = None
        self._in_flight = 0

    def __enter__(self) -> ReaderPool:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def child_pid(self) -> int | None:
        return None if self._link is None else self._link.process.pid

    def start(self) -> None:
        """Start the child now rather than on the first file (the bench times files alone)."""
        if self._link is None:
            self._start()

    def _start(self) -> ChildLink:
        try:
            self._link = ChildLink.start(__name__, self.limits.memory_mb)
        except StartFailed as error:
            raise ReadFailed(str(error)) from None
        return self._link

    def _kill(self) -> None:
        if self._link is not None:
            self._link.kill()
        self._link, self._in_flight = None, 0

    def close(self) -> None:
        """Ends the child: gently when it has nothing left to read, at once otherwise (the run is
        being interrupted: nothing of the child's is kept)."""
        if self._link is not None and self._in_flight:
            self._kill()
        elif self._link is not None:
            self._link.close()
        self._link, self._in_flight = None, 0

    def parse(self, source: SourceFile, origin: tuple[str, ...], format_name: str | None) -> list[ParsedWork]:
        [(_item, works)] = list(self.parse_each([source], lambda _source: (source, origin, format_name)))
        if isinstance(works, ReadFailed):
            raise works
        assert works is not None
        return works

    def parse_each(
        self,
        items: Iterable[_Item],
        request_of: Callable[[_Item], Request | None],
        before_waiting: Callable[[], None] | None = None,
        patience: Callable[[], float] | None = None,
    ) -> Iterator[tuple[_Item, list[ParsedWork] | ReadFailed | None]]:
        """Each item with its works, or the ReadFailed saying why it has none (None for an item that
        is no request), in order. Up to READ_AHEAD_FILES items are taken ahead and their files sent
        to the child before the first one's works are handed over.

        `before_waiting` is called when the child's answer is not in yet, before waiting for it; with
        `patience`, only if the answer is still not in after that many seconds (the import waits for
        the next file's works while its batch is not due, then stores the batch and waits on)."""
        slots: deque[_Slot[_Item]] = deque()
        remaining = iter(items)
        more = True
        try:
            while True:
                more = more and self._take_ahead(slots, remaining, request_of)
                if not slots:
                    return
                head = slots[0]
                if head.in_flight:
                    if before_waiting is not None:
                        self._wait_for_answer(before_waiting, patience)
                    self._settle_head(slots)
                slots.popleft()
                yield head.item, head.outcome
        finally:
            if self._in_flight:
                # Left before the end (an error, Ctrl-C): no answer of this run may reach the next.
                self._kill()

    def _take_ahead(
        self,
        slots: deque[_Slot[_Item]],
        remaining: Iterator[_Item],
        request_of: Callable[[_Item], Request | None],
    ) -> bool:
        """Takes items and sends their files while under the read-ahead limits; False once there
        are no more items."""
        while len(slots) < READ_AHEAD_FILES and (
            self._in_flight == 0 or sum(slot.size for slot in slots if slot.in_flight) < READ_AHEAD_BYTES
        ):
            try:
                item = next(remaining)
            except StopIteration:
                return False
            slot = _Slot(item, request_of(item))
            slots.append(slot)
            if slot.request is not None:
                self._dispatch(slot)
        return True

    def _dispatch(self, slot: _Slot[_Item]) -> None:
        assert slot.request is not None
        source, origin, format_name = slot.request
        try:
            link = self._link or self._start()
        except ReadFailed as error:
            slot.outcome, slot.in_flight = error, False
            return
        link.send((source.name, source.data, origin, format_name))
        slot.sent_at, slot.in_flight = time.monotonic(), True
        self._in_flight += 1

    def _wait_for_answer(
        self, before_waiting: Callable[[], None], patience: Callable[[], float] | None
    ) -> None:
        if self._answer_waiting():
            return
        if patience is not None and (seconds := patience()) > 0 and self._answer_within(seconds):
            return
        before_waiting()

    def _answer_waiting(self) -> bool:
        return self._answer_within(0)

    def _answer_within(self, seconds: float) -> bool:
        return self._link is not None and self._link.answer_within(seconds)

    def _settle_head(self, slots: deque[_Slot[_Item]]) -> None:
        """Waits for the first file's answer (until its time is up) and records its outcome. When
        that costs the child, the files behind it go to a new one."""
        head, link = slots[0], self._link
        assert link is not None
        started = max(head.sent_at, link.last_answer_at)
        answered = link.answer_within(max(0.0, started + self.limits.timeout - time.monotonic()))
        head.in_flight = False
        self._in_flight -= 1
        if not answered:
            head.outcome = ReadFailed(
                f"took longer than {self.limits.timeout:g} s (FANARCHIVE_IMPORT_TIMEOUT)"
            )
        else:
            answer = link.take()
            if answer is None:
                head.outcome = ReadFailed(f"the reader process died ({_exit_reason(link.exit_code())})")
            elif answer[0] == "memory":
                # The child may be left fragmented or half-broken after a MemoryError: start afresh.
                head.outcome = ReadFailed(
                    f"needed more than {self.limits.memory_mb} MB (FANARCHIVE_IMPORT_MEMORY_MB)"
                )
            elif answer[0] == "error":
                head.outcome = ReadFailed(answer[1])
                return
            else:
                head.outcome = works_from_json(answer[1])
                return
        self._kill()
        for slot in list(slots)[1:]:
            if slot.in_flight:
                slot.in_flight = False
                self._dispatch(slot)


@dataclass
class _Slot(Generic[_Item]):
    """An item on its way: its request, and its outcome once known (None for an item that is no
    request); `in_flight` while the child has its file and has not answered."""

    item: _Item
    request: Request | None
    outcome: list[ParsedWork] | ReadFailed | None = None
    in_flight: bool = False
    sent_at: float = 0.0

    @property
    def size(self) -> int:
        return 0 if self.request is None else len(self.request[0].data)


def _exit_reason(code: int | None) -> str:
    if code is None:
        return "no exit status"
    if code < 0:
        return f"killed by {signal.Signals(-code).name}"
    return f"exit status {code}"


def _die_with_parent() -> None:
    """A child stuck in a reader must not outlive an importer killed with kill -9 (Linux only)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


if __name__ == "__main__":
    _serve(Connection(int(sys.argv[1])), int(sys.argv[2]))
