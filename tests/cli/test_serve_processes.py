"""`fanarchive serve` as real processes: eight processes opening its index 500 times each while it
answers HTTP requests never fail nor change the index; its indexer and worker killed with kill -9
come back; the server itself killed with kill -9 takes its children with it, so a new one starts."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.search.test_concurrent_open import open_concurrently

from fanarchive.search.tantivy_backend import TantivyBackend

WORKS = 4


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _children(pid: int) -> dict[str, int]:
    """The indexer and worker started by process `pid`, by subcommand."""
    found: dict[str, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        ours = len(argv) > 3 and argv[1:3] == [b"-m", b"fanarchive.cli.main"]
        # Not gunicorn's forked workers, which share the server's command line.
        if ppid == pid and ours and argv[3] in (b"indexer", b"worker"):
            found[argv[3].decode()] = int(entry.name)
    return found


def _all_children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _health(port: int) -> tuple[int, dict[str, object]]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _wait(predicate: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():  # type: ignore[operator]
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"not within {timeout} s: {what}")


def _start_serve(home: Path, port: int) -> subprocess.Popen[bytes]:
    # Eight processes hammer the index beside it: a request queued past the load-shedding limit on a
    # busy machine would be a 503 this test is not about.
    env = dict(os.environ, FANARCHIVE_HOME=str(home), FANARCHIVE_LOAD_SHED_QUEUE_MS="0")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "fanarchive.cli.main",
            "serve",
            "--port",
            str(port),
            "--no-demo",
            "--workers",
            "1",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, int, subprocess.Popen[bytes]]]:
    home = tmp_path / "home"
    sources = tmp_path / "sources"
    sources.mkdir()
    for n in range(WORKS):
        (sources / f"work-{n}.txt").write_text(f"Lantern {n}\n\nThe harbour bell rang {n} times.\n")
    env = dict(os.environ, FANARCHIVE_HOME=str(home))
    subprocess.run([sys.executable, "-m", "fanarchive.cli.main", "import", str(sources)], env=env, check=True)
    port = _free_port()
    server = _start_serve(home, port)
    try:
        _wait(lambda: _health(port)[0] == 200, 60, "the server answers /healthz with 200")
        _wait(lambda: TantivyBackend(home / "search").count() == WORKS, 60, "the indexer indexed the works")
        yield home, port, server
    finally:
        children = _children(server.pid)
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=30)
        for pid in children.values():
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.mark.slow
def test_eight_processes_open_the_served_index_500_times_each(
    served: tuple[Path, int, subprocess.Popen[bytes]],
) -> None:
    home, port, _server = served
    started = time.monotonic()
    results: list[list[int]] = []
    thread = threading.Thread(
        target=lambda: results.append(
            open_concurrently(home / "search", processes=8, opens=500, expected=WORKS)
        )
    )
    thread.start()
    requests = http_failures = 0
    while thread.is_alive():
        for url in ("/works", "/healthz", "/works?q=harbour"):
            requests += 1
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{url}", timeout=30) as answer:
                    if answer.status != 200:
                        http_failures += 1
            except (urllib.error.URLError, OSError):
                http_failures += 1
    thread.join()
    elapsed = time.monotonic() - started
    print(f"4000 opens in {elapsed:.1f} s ({4000 / elapsed:.0f}/s), {requests} HTTP requests")
    assert results == [[0] * 8]
    assert http_failures == 0 and requests > 0
    assert TantivyBackend(home / "search").count() == WORKS


@pytest.mark.slow
def test_killed_indexer_worker_and_server_come_back(
    served: tuple[Path, int, subprocess.Popen[bytes]],
) -> None:
    home, port, server = served
    _wait(lambda: set(_children(server.pid)) == {"indexer", "worker"}, 10, "indexer and worker running")
    for name in ("indexer", "worker"):
        old = _children(server.pid)[name]
        os.kill(old, signal.SIGKILL)
        _wait(
            lambda name=name, old=old: _children(server.pid).get(name, old) != old,  # type: ignore[misc]
            10,
            f"the {name} restarted",
        )
    children = _children(server.pid)
    web_workers = _all_children(server.pid)
    os.kill(server.pid, signal.SIGKILL)
    server.wait()
    _wait(
        lambda: not any(_alive(pid) for pid in [*children.values(), *web_workers]),
        10,
        "the children exited with the server",
    )
    again = _start_serve(home, port)
    try:
        _wait(lambda: _health(port)[0] == 200, 60, "a new server answers /healthz with 200")
        _status, body = _health(port)
        assert body["index"] is True and body["database"] is True
        # The new indexer took the index: a work imported now is searchable.
        (home / "late.txt").write_text("Late arrival\n\nA quiet orchard.\n")
        env = dict(os.environ, FANARCHIVE_HOME=str(home))
        subprocess.run(
            [sys.executable, "-m", "fanarchive.cli.main", "import", str(home / "late.txt")],
            env=env,
            check=True,
        )
        _wait(lambda: TantivyBackend(home / "search").count() == WORKS + 1, 30, "the new indexer indexed it")
    finally:
        again.terminate()
        again.wait(timeout=30)
