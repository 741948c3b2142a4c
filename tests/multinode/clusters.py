"""Throw-away PostgreSQL clusters and a redis-server on loopback, for the multi-node test: a primary
and a streaming replica made from it with pg_basebackup -R, each on its own free port in a temp dir."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from support.served import free_port


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_postgres(command: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root: the clusters belong to the postgres system user then.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@dataclass
class Cluster:
    bin: Path
    data: Path
    port: int

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def run(self, program: str, *args: str) -> str:
        command = _as_postgres([str(self.bin / program), *args])
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{program} failed: {done.stderr.strip()}"
        return done.stdout

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data.parent}"
        self.run("pg_ctl", "-D", str(self.data), "-o", options, "-l", f"{self.data}.log", "-w", "start")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def sql(self, database: str, query: str) -> str:
        return self.run(
            "psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database, "-Atc", query
        ).strip()


def make_primary_and_replica() -> tuple[Cluster, Cluster]:
    """In a new folder of /tmp (pytest's own are root's alone, and the servers run as postgres)."""
    binaries = postgres_bin()
    assert binaries is not None
    root = Path(tempfile.mkdtemp(prefix="fa_multinode_"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    primary = Cluster(binaries, root / "primary", free_port())
    # -A trust: initdb's pg_hba then lets loopback connect and replicate without a password.
    primary.run("initdb", "-D", str(primary.data), "-U", "postgres", "-A", "trust", "--no-sync")
    primary.start()
    replica = Cluster(binaries, root / "replica", free_port())
    primary.run(
        "pg_basebackup",
        "-h",
        "127.0.0.1",
        "-p",
        str(primary.port),
        "-U",
        "postgres",
        "-D",
        str(replica.data),
        "-R",
        "-X",
        "stream",
        "--no-sync",
    )
    replica.start()
    return primary, replica


def remove(primary: Cluster, replica: Cluster) -> None:
    replica.stop()
    primary.stop()
    shutil.rmtree(primary.data.parent, ignore_errors=True)


def wait_replayed(primary: Cluster, replica: Cluster, database: str, timeout: float = 10) -> None:
    """Until the replica has replayed everything the primary has written so far."""
    target = primary.sql(database, "SELECT pg_current_wal_lsn()")
    deadline = time.monotonic() + timeout
    while replica.sql(database, f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn") != "t":
        assert time.monotonic() < deadline, "the replica did not catch up"
        time.sleep(0.05)


def start_redis(port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while (
        subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).stdout.strip() != b"PONG"
    ):
        assert time.monotonic() < deadline and process.poll() is None, "redis-server did not start"
        time.sleep(0.1)
    return process
