"""The importer's end of one reader child: the process, its socket, and two threads. One writes the
files to the child, one reads its answers as they come. With them several files can be in flight:
the child answers file after file while the importer stores a batch (it never waits for the
importer to read), and the importer never blocks writing a file to a child that has stopped
reading (a hung file is still killed on time, whatever is queued behind it).

This module never imports Django: the child only reads files."""

from __future__ import annotations

import contextlib
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection

STARTUP_TIMEOUT = 120
# What the receiving thread hands over: the child's answer (None once the child is gone) and when
# it came, so that the next file's time limit counts from when the child could start on it.
Answer = tuple[tuple[str, str] | None, float]


class StartFailed(Exception):
    pass


class ChildLink:
    """A started child, ready for files. `send` never blocks; answers are taken in the order the
    files were sent."""

    def __init__(self, process: subprocess.Popen[bytes], ours: socket.socket) -> None:
        self.process = process
        self._socket = ours
        # A second descriptor of the same socket for the Connection: shutting the socket down
        # wakes both threads, whichever call they are blocked in.
        self._connection = Connection(os.dup(ours.fileno()))
        self._outbox: queue.SimpleQueue[tuple[object, ...] | None] = queue.SimpleQueue()
        self._answers: queue.SimpleQueue[Answer] = queue.SimpleQueue()
        self._next: Answer | None = None
        self.last_answer_at = time.monotonic()
        self._threads: list[threading.Thread] = []

    @classmethod
    def start(cls, module: str, memory_mb: int) -> ChildLink:
        """Runs `python -m module FD MEMORY_MB` and waits for its ready message. StartFailed if it
        does not come: start-up (importing the readers) is not a file's time, and is waited for
        apart, generously."""
        ours, theirs = socket.socketpair()
        with theirs:
            process = subprocess.Popen(
                [sys.executable, "-m", module, str(theirs.fileno()), str(memory_mb)],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        link = cls(process, ours)
        try:
            started = link._connection.poll(STARTUP_TIMEOUT) and link._connection.recv() == ("ready", "")
        except (EOFError, OSError):
            started = False
        except BaseException:
            # A Ctrl-C while it starts: nothing else holds this child yet to end it.
            link.kill()
            raise
        if not started:
            link.kill()
            raise StartFailed(f"the reader process did not start within {STARTUP_TIMEOUT} s")
        link.last_answer_at = time.monotonic()
        for target in (link._send_all, link._receive_all):
            thread = threading.Thread(target=target, name=f"reader-link-{process.pid}", daemon=True)
            thread.start()
            link._threads.append(thread)
        return link

    def send(self, message: tuple[object, ...]) -> None:
        self._outbox.put(message)

    def answer_within(self, seconds: float) -> bool:
        """Whether the next answer is in (or comes within that many seconds)."""
        if self._next is None:
            try:
                self._next = self._answers.get(timeout=seconds) if seconds > 0 else self._answers.get_nowait()
            except queue.Empty:
                return False
        return True

    def take(self) -> tuple[str, str] | None:
        """The next answer (call answer_within first); None if the child is gone."""
        assert self._next is not None
        (answer, arrived), self._next = self._next, None
        if answer is not None:
            self.last_answer_at = arrived
        return answer

    def _send_all(self) -> None:
        while (message := self._outbox.get()) is not None:
            try:
                self._connection.send(message)
            except (OSError, ValueError):
                return  # the child is gone: the receiving thread says so

    def _receive_all(self) -> None:
        while True:
            try:
                answer = self._connection.recv()
            except Exception:  # end of input, or a stream broken off mid-answer: the child is gone
                self._answers.put((None, time.monotonic()))
                return
            self._answers.put((answer, time.monotonic()))

    def exit_code(self) -> int | None:
        """The child's exit status once it is gone; None if it lingers (it is killed next)."""
        try:
            return self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return None

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        self._shut()

    def close(self) -> None:
        """Lets an idle child see the end of its input and leave (killed if it lingers)."""
        self._outbox.put(None)
        self._shut()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def _shut(self) -> None:
        with contextlib.suppress(OSError):  # already shut by the child's end going
            self._socket.shutdown(socket.SHUT_RDWR)
        self._outbox.put(None)
        for thread in self._threads:
            thread.join()
        self._connection.close()
        self._socket.close()
