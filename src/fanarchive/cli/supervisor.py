"""Helper processes of `fanarchive serve` (the indexer, the task worker): started so that they die
with the server, and started again, with a capped exponential back-off, when they die without it."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable

PR_SET_PDEATHSIG = 1
PARENT_PID_VARIABLE = "FANARCHIVE_PARENT_PID"


def die_with_parent() -> None:
    """preexec_fn: ask Linux to send SIGTERM when the thread that started this child dies, so a
    kill -9 of the server leaves no orphan holding the index's writer lock."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def start_child(command: list[str]) -> subprocess.Popen[bytes]:
    env = dict(os.environ, **{PARENT_PID_VARIABLE: str(os.getpid())})
    return subprocess.Popen(command, preexec_fn=die_with_parent, env=env)


def parent_is_gone() -> bool:
    """The fallback where PR_SET_PDEATHSIG is missing: a child of serve whose parent died has been
    re-parented, so its parent pid is no longer the one serve recorded."""
    expected = os.environ.get(PARENT_PID_VARIABLE)
    return expected is not None and os.getppid() != int(expected)


class Supervisor:
    """Keeps each named command running; restarts are logged to stderr."""

    def __init__(
        self,
        commands: dict[str, list[str]],
        first_delay: float = 0.5,
        max_delay: float = 30.0,
        poll: float = 0.2,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.commands = commands
        self.first_delay, self.max_delay, self.poll = first_delay, max_delay, poll
        self.log = log or (lambda line: print(line, file=sys.stderr, flush=True))
        self.children: dict[str, subprocess.Popen[bytes]] = {}
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fanarchive-supervisor", daemon=True)

    def start(self) -> None:
        # The children are started by the supervising thread itself: PR_SET_PDEATHSIG fires when
        # the parent *thread* ends, and this one lives as long as the server.
        self._thread.start()

    def _run(self) -> None:
        delays = dict.fromkeys(self.commands, self.first_delay)
        due = dict.fromkeys(self.commands, 0.0)
        started_at: dict[str, float] = {}
        while not self._stopping.is_set():
            now = time.monotonic()
            for name, command in self.commands.items():
                child = self.children.get(name)
                if child is not None and child.poll() is None:
                    if now - started_at[name] > self.max_delay:
                        delays[name] = self.first_delay  # it ran well for a while: forgive
                    continue
                if child is not None and due[name] <= started_at.get(name, 0.0):
                    # Just found dead: wait, doubling the wait each time it dies young.
                    due[name] = now + delays[name]
                    self.log(
                        f"fanarchive serve: the {name} exited with status {child.returncode}; "
                        f"restarting in {delays[name]:.1f} s"
                    )
                    delays[name] = min(delays[name] * 2, self.max_delay)
                    continue
                if now >= due[name]:
                    if child is not None:
                        self.log(f"fanarchive serve: restarting the {name}")
                    self.children[name] = start_child(command)
                    started_at[name] = time.monotonic()
            self._stopping.wait(self.poll)

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        for child in self.children.values():
            if child.poll() is None:
                child.terminate()
        for child in self.children.values():
            try:
                child.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                child.kill()
