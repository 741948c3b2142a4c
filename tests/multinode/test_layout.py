"""The whole multi-machine layout on this one machine: a PostgreSQL primary and a streaming replica,
a redis-server, two web nodes with their own FANARCHIVE_HOMEs and one worker (tasks and the search
indexer), all sharing the database, the replica and Redis. Search is PostgreSQL's (docs/scaling.md
says why): one index every node reads, fed once from the outbox.

The page cache is off here so that every page really reads the database: a cached page would stay up
with the replica stopped whatever the router did."""

from __future__ import annotations

import http.client
import http.cookiejar
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from multinode.clusters import (
    Cluster,
    make_primary_and_replica,
    postgres_bin,
    remove,
    start_redis,
    wait_replayed,
)
from support.served import Served, archive_env, fetch, free_port, start_serve

pytestmark = pytest.mark.slow

DATABASE = "fa_multinode"
PASSWORD = "quarry-street-lanterns-9"
STORY = "---\ntitle: Lanterns over Quarry Street\nauthor: Odile Marsh\n---\n\n## Chapter 1: Dusk\n\n{text}\n"


def _missing_services() -> str | None:
    if postgres_bin() is None:
        return "PostgreSQL's server programs (initdb, pg_ctl, pg_basebackup) are not installed"
    if shutil.which("redis-server") is None or shutil.which("redis-cli") is None:
        return "redis-server is not installed"
    return None


@pytest.fixture
def layout(tmp_path: Path) -> Iterator[tuple[Cluster, Cluster, dict[str, str]]]:
    if reason := _missing_services():
        pytest.skip(f"the multi-node test needs its own servers: {reason}")
    primary, replica = make_primary_and_replica()
    redis = start_redis(free_port())
    try:
        primary.sql("postgres", f"CREATE DATABASE {DATABASE}")
        env = {
            "DATABASE_URL": primary.url(DATABASE),
            "FANARCHIVE_DATABASE_REPLICA_URL": replica.url(DATABASE),
            "FANARCHIVE_REDIS_URL": f"redis://127.0.0.1:{redis.args[2]}/0",
            "FANARCHIVE_SEARCH_BACKEND": "postgres",
            "FANARCHIVE_PAGE_CACHE_SECONDS": "0",
            # One key on every node, or a session or signed link made on one fails on the other.
            "FANARCHIVE_SECRET_KEY": "multinode-test-key-not-secret",
        }
        yield primary, replica, env
    finally:
        redis.terminate()
        redis.wait(timeout=10)
        remove(primary, replica)


def _spawn(home: Path, env: dict[str, str], *command: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "fanarchive.cli.main", *command],
        env=archive_env(home, env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _cli(home: Path, env: dict[str, str], *command: str) -> None:
    run = [sys.executable, "-m", "fanarchive.cli.main", *command]
    done = subprocess.run(run, env=archive_env(home, env), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def _import(home: Path, env: dict[str, str], sources: Path, text: str) -> None:
    sources.mkdir(exist_ok=True)
    (sources / "lanterns.md").write_text(STORY.format(text=text))
    _cli(home, env, "import", str(sources))


def _wait_for(port: int, path: str, needle: bytes, seconds: float) -> float:
    start = time.monotonic()
    while True:
        status, _, body = fetch(port, path)
        if status == 200 and needle in body:
            return time.monotonic() - start
        assert time.monotonic() - start < seconds, f"{path} on :{port} did not show {needle!r} ({status})"
        time.sleep(0.05)


def _post_kudos(port: int, work_id: int) -> http.client.HTTPResponse:
    # A guest's kudos, the page's own CSRF cookie and token sent back with it.
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", f"/works/{work_id}")
    page = connection.getresponse()
    body = page.read().decode()
    cookie = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie", "")).group(1)  # type: ignore[union-attr]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)  # type: ignore[union-attr]
    connection.request(
        "POST",
        f"/works/{work_id}/kudos",
        body=f"csrfmiddlewaretoken={token}",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie}",
            "Referer": f"http://127.0.0.1:{port}/works/{work_id}",
        },
    )
    response = connection.getresponse()
    response.read()
    return response


def _log_in(port: int, name: str, password: str) -> urllib.request.OpenerDirector:
    """A browser (its own cookie jar) logged in through the node on `port`."""
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = browser.open(f"http://127.0.0.1:{port}/accounts/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "login": name, "password": password}
    )
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/accounts/login/",
        data=form.encode(),
        headers={"Referer": f"http://127.0.0.1:{port}/accounts/login/"},
    )
    browser.open(request, timeout=30).read()
    return browser


def test_two_nodes_share_a_replicated_database_redis_and_search(
    tmp_path: Path, layout: tuple[Cluster, Cluster, dict[str, str]]
) -> None:
    primary, replica, env = layout
    # Migrated once, before any node starts (a node's start gives it only a minute).
    _cli(tmp_path / "worker", env, "indexer", "--once")
    node_a = start_serve(tmp_path / "a", env)
    nodes: list[Served] = [node_a, start_serve(tmp_path / "b", env)]
    worker = [_spawn(tmp_path / "worker", env, "worker"), _spawn(tmp_path / "worker", env, "indexer")]
    node_b = nodes[1]
    try:
        _import(tmp_path / "a", env, tmp_path / "sources", "The glassblower's lanterns swayed.")
        wait_replayed(primary, replica, DATABASE)
        # Listed, and found by full-text search, on the other node within 2 s.
        _wait_for(node_b.port, "/works", b"Lanterns over Quarry Street", 2)
        _wait_for(node_b.port, "/works?q=glassblower", b"Lanterns over Quarry Street", 2)
        # The pages were read from the replica: it has connections other than this query's own.
        others = (
            f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{DATABASE}' AND pid <> pg_backend_pid()"
        )
        assert int(replica.sql(DATABASE, others)) > 0

        # Reading (which counts a hit) leaves a reader on the replica; a write sends them to the
        # primary for a while, so that they see it whatever the replica's lag. The lag is made
        # real by pausing the replica's replay.
        status, _, _ = fetch(node_b.port, "/works/1")
        assert status == 200
        replica.sql(DATABASE, "SELECT pg_wal_replay_pause()")
        kudos = _post_kudos(node_b.port, 1)
        assert kudos.status in (200, 302, 303)
        stamp = re.search(r"fa_primary_until=[^;]+", kudos.getheader("Set-Cookie") or "")
        assert stamp is not None
        count = re.compile(rb"data-kudos-count>(\d+)<")
        own = fetch(node_b.port, "/works/1", {"Cookie": stamp.group(0)})[2]
        theirs = fetch(node_b.port, "/works/1", {"User-Agent": "someone else"})[2]
        assert count.findall(own) == [b"1"] and count.findall(theirs) == [b"0"]
        replica.sql(DATABASE, "SELECT pg_wal_replay_resume()")
        wait_replayed(primary, replica, DATABASE)
        assert count.findall(fetch(node_b.port, "/works/1")[2]) == [b"1"]
        connection = http.client.HTTPConnection("127.0.0.1", node_b.port, timeout=30)
        hits = "SELECT hits FROM archive_statcounter WHERE work_id = 1"
        before = int(primary.sql(DATABASE, hits))
        # A new visitor (another browser), so that the read really counts a hit.
        connection.request("GET", "/works/1", headers={"User-Agent": "a second reader"})
        reading = connection.getresponse()
        reading.read()
        assert int(primary.sql(DATABASE, hits)) == before + 1
        assert "fa_primary_until=" not in (reading.getheader("Set-Cookie") or "")

        # A log-in made on node A is a log-in on node B: the session lives in Redis.
        _cli(
            tmp_path / "worker",
            env | {"FANARCHIVE_SUPERUSER_PASSWORD": PASSWORD},
            "createsuperuser",
            "--username",
            "lamplighter",
            "--email",
            "lamplighter@example.org",
        )
        browser = _log_in(node_a.port, "lamplighter", PASSWORD)
        page = browser.open(f"http://127.0.0.1:{node_b.port}/", timeout=30).read()
        assert b"lamplighter" in page and b"Log out" in page
        assert primary.sql(DATABASE, "SELECT count(*) FROM django_session") == "0"
        redis_port = env["FANARCHIVE_REDIS_URL"].rsplit(":", 1)[1].split("/")[0]
        sessions = ["redis-cli", "-p", redis_port, "--scan", "--pattern", "*django.contrib.sessions.cache*"]
        assert subprocess.run(sessions, capture_output=True, check=True).stdout.strip()

        # The replica stops: both nodes keep serving, from the primary.
        replica.stop()
        for node in nodes:
            for path in ("/works", "/works/1", "/works?q=glassblower"):
                status, _, body = fetch(node.port, path)
                assert status == 200 and b"Lanterns over Quarry Street" in body, (node.port, path)

        # Node A stops: node B serves on, and what node A's import wrote stays searchable there.
        node_a.stop()
        _import(tmp_path / "a", env, tmp_path / "sources", "Then the glassblower slept.")
        _wait_for(node_b.port, "/works/1", b"glassblower slept", 2)
        _wait_for(node_b.port, "/works?q=slept", b"Lanterns over Quarry Street", 2)

        # Nothing lost or doubled between the outbox and the index.
        deadline = time.monotonic() + 10
        while primary.sql(DATABASE, "SELECT count(*) FROM archive_searchoutbox") != "0":
            assert time.monotonic() < deadline, "the outbox was not drained"
            time.sleep(0.1)
        works = primary.sql(DATABASE, "SELECT count(*) FROM archive_work")
        assert primary.sql(DATABASE, "SELECT count(*) FROM fanarchive_search.works") == works == "1"
    finally:
        for node in nodes:
            node.stop()
        for process in worker:
            process.terminate()
            process.wait(timeout=30)
