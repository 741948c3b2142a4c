"""Readers run in a child process under limits, so that no file can take the importer down: a
reader that recurses, hangs or eats memory costs one child, not the run. One long-lived child
handles file after file (starting a process per file would cost more than most parses); it is
replaced when it dies or passes a limit. The child sends the works back as work JSON.

This module never imports Django: the child only reads files."""

from __future__ import annotations

import resource
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import NoReturn, TypeVar

from fanarchive.domain.formats.base import SourceFile
from fanarchive.domain.work import ParsedWork, works_from_json, works_to_json

DEFAULT_TIMEOUT = 10.0
DEFAULT_MEMORY_MB = 512
_MB = 1024 * 1024
_STARTUP_TIMEOUT = 120
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
    connection.send(("ready", ""))
    while True:
        try:
            request = connection.recv()
        except EOFError:
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
        except Exception as error:  # any reader failure is this file's, never the run's
            answer = ("error", _one_line(error))
        del request, data
        connection.send(answer)


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
    __main__ the parent runs (gunicorn, a test runner) in the child."""

    def __init__(self, limits: WorkerLimits | None = None) -> None:
        self.limits = limits or WorkerLimits()
        self._process: subprocess.Popen[bytes] | None = None
        self._connection: Connection | None = None

    def __enter__(self) -> ReaderPool:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Start the child now rather than on the first file (the bench times files alone)."""
        if self._connection is None:
            self._start()

    def _start(self) -> Connection:
        ours, theirs = socket.socketpair()
        with theirs:
            process = subprocess.Popen(
                [sys.executable, "-m", __name__, str(theirs.fileno()), str(self.limits.memory_mb)],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        connection = Connection(ours.detach())
        self._process, self._connection = process, connection
        # Start-up (importing the readers) is not the file's time: wait for it apart, generously.
        try:
            started = connection.poll(_STARTUP_TIMEOUT) and connection.recv() == ("ready", "")
        except (EOFError, OSError):
            started = False
        if not started:
            self._kill()
            raise ReadFailed(f"the reader process did not start within {_STARTUP_TIMEOUT} s")
        return connection

    def _kill(self) -> None:
        if self._connection is not None:
            self._connection.close()
        if self._process is not None:
            self._process.kill()
            self._process.wait()
        self._process = self._connection = None

    def _exit_code(self) -> int | None:
        """The child's exit status once its end of the socket is gone; None if it lingers (it is
        killed next) or never started."""
        if self._process is None:
            return None
        try:
            return self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return None

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()  # the child sees end of input and leaves
        if self._process is not None:
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = self._connection = None

    def parse(self, source: SourceFile, origin: tuple[str, ...], format_name: str | None) -> list[ParsedWork]:
        return self._answer(self._send((source, origin, format_name)))

    def parse_each(
        self,
        items: Iterable[_Item],
        request_of: Callable[[_Item], Request | None],
        before_waiting: Callable[[], None] | None = None,
        patience: Callable[[], float] | None = None,
    ) -> Iterator[tuple[_Item, list[ParsedWork] | ReadFailed | None]]:
        """Each item with its works, or the ReadFailed saying why it has none (None for an item that
        is no request), in order. The next file is sent to the child before this one's works are
        handed over, so the child parses it while the caller stores them: on two cores parsing and
        storing overlap. It is sent only once the child has answered, so neither side ever blocks
        writing to the other, and each file still gets the whole timeout, counted from its send.

        `before_waiting` is called when the child's answer is not in yet, before waiting for it; with
        `patience`, only if the answer is still not in after that many seconds (the import waits for
        the next file's works while its batch is not due, then stores the batch and waits on)."""
        pending: tuple[_Item, float | ReadFailed] | None = None
        for item in items:
            request = request_of(item)
            if pending is not None and before_waiting is not None:
                self._wait_for_answer(before_waiting, patience)
            done = None if pending is None else (pending[0], self._outcome(pending[1]))
            pending = None
            if request is None:
                if done is not None:
                    yield done
                yield item, None
                continue
            try:
                pending = (item, self._send(request))
            except ReadFailed as error:
                pending = (item, error)
            if done is not None:
                yield done
        if pending is not None:
            if before_waiting is not None:
                self._wait_for_answer(before_waiting, patience)
            yield pending[0], self._outcome(pending[1])

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
        connection = self._connection
        try:
            return connection is not None and connection.poll(seconds)
        except OSError:
            return False

    def _outcome(self, sent: float | ReadFailed) -> list[ParsedWork] | ReadFailed:
        if isinstance(sent, ReadFailed):
            return sent
        try:
            return self._answer(sent)
        except ReadFailed as error:
            return error

    def _send(self, request: Request) -> float:
        """Sends one file to the child; returns when, for its timeout. ReadFailed if the child is
        gone (it is restarted for the next file)."""
        source, origin, format_name = request
        connection = self._connection or self._start()
        try:
            connection.send((source.name, source.data, origin, format_name))
        except OSError:
            self._died()
        return time.monotonic()

    def _died(self) -> NoReturn:
        code = self._exit_code()
        self._kill()
        raise ReadFailed(f"the reader process died ({_exit_reason(code)})") from None

    def _answer(self, sent_at: float) -> list[ParsedWork]:
        connection = self._connection
        if connection is None:
            raise ReadFailed("the reader process died (no exit status)")
        try:
            ready = connection.poll(max(0.0, sent_at + self.limits.timeout - time.monotonic()))
            answer = connection.recv() if ready else None
        except (EOFError, OSError):
            self._died()
        if answer is None:
            self._kill()
            raise ReadFailed(f"took longer than {self.limits.timeout:g} s (FANARCHIVE_IMPORT_TIMEOUT)")
        status, payload = answer
        if status == "memory":
            # The child may be left fragmented or half-broken after a MemoryError: start afresh.
            self._kill()
            raise ReadFailed(f"needed more than {self.limits.memory_mb} MB (FANARCHIVE_IMPORT_MEMORY_MB)")
        if status == "error":
            raise ReadFailed(payload)
        return works_from_json(payload)


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
