"""Backups that restore: one tar file holding a consistent copy of the database, the secret key,
the media files and a manifest that says what is inside and lets a restore check it.

Kept: the database (SQLite through the online backup API, PostgreSQL through `pg_dump` in custom
format, both a single snapshot taken while the archive serves), `secret_key` (sessions, password
reset links and signed URLs stay valid after a restore) and `media/` (uploaded files exist nowhere
else). Left out: `search/` (rebuilt from the database, which is the source of truth), `tasks.sqlite3`
(queued background tasks: hits and clean-ups that the next run recreates) and `static/` (generated).

A restore replaces the database whole (the SQLite file, or pg_restore into a bare schema), below
the models and so outside actions/: no row is written through the ORM.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

FORMAT = "fanarchive-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
LEFT_OUT = {
    "search/": "the search index: rebuilt from the database by `fanarchive restore`",
    "tasks.sqlite3": "queued background tasks: hit counts and clean-ups the next run recreates",
    "static/": "generated static files",
}
# What the manifest counts, to check a restore brought everything back.
COUNTED_MODELS = ("archive.Work", "archive.Chapter", "archive.Tag", "archive.User")


class BackupError(Exception):
    """The backup cannot be made or restored; the message says why."""


@dataclass
class BackupResult:
    path: Path
    size: int
    seconds: float
    manifest: dict[str, Any]


def database_kind() -> str:
    from django.db import connection

    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _counted_tables() -> dict[str, str]:
    from django.apps import apps

    return {
        label.split(".")[1].lower() + "s": apps.get_model(label)._meta.db_table for label in COUNTED_MODELS
    }


def _read_state(cursor: Any) -> tuple[dict[str, int], list[list[str]]]:
    """Counts and applied migrations, read through `cursor` inside the snapshot being saved."""
    counts = {}
    for name, table in _counted_tables().items():
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[name] = int(cursor.fetchone()[0])
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return counts, [[str(app), str(name)] for app, name in cursor.fetchall()]


def find_pg_tool(name: str) -> str:
    """`pg_dump`/`pg_restore` on PATH, else the newest under /usr/lib/postgresql/*/bin (Debian
    keeps them there); a newer client reads older servers, not the reverse."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
        reverse=True,
    )
    if candidates:
        return str(candidates[0])
    if found := shutil.which(name):
        return found
    raise BackupError(f"{name} not found on PATH or under /usr/lib/postgresql/*/bin")


def _pg_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        raise BackupError("DATABASE_URL is not set")
    return url


def _search_schemas() -> list[str]:
    from django.conf import settings

    from fanarchive.search._pg_schema import rebuild_schema

    schema = str(settings.SEARCH_POSTGRES_SCHEMA or _default_search_schema())
    return [schema, rebuild_schema(schema)]


def _default_search_schema() -> str:
    from fanarchive.search.postgres_fulltext_backend import DEFAULT_SCHEMA

    return str(DEFAULT_SCHEMA)


def _copy_sqlite(target: Path) -> tuple[dict[str, int], list[list[str]]]:
    from django.conf import settings

    source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]), timeout=60)
    copy = sqlite3.connect(str(target))
    try:
        # One step (pages=-1): the copy is a single read snapshot. Stepping would restart the
        # copy on every commit of another process, and with busy writers never finish.
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        return _read_state(copy.cursor())
    finally:
        copy.close()
        source.close()


def _dump_postgres(target: Path) -> tuple[dict[str, int], list[list[str]]]:
    import psycopg

    url = _pg_url()
    with psycopg.connect(url) as conn, conn.cursor() as cursor:
        # Counts and pg_dump share one exported snapshot, so the manifest describes exactly
        # the dump; the transaction stays open until pg_dump has finished.
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        row = cursor.fetchone()
        assert row is not None
        snapshot = str(row[0])
        state = _read_state(cursor)
        command = [find_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-acl"]
        command += [f"--snapshot={snapshot}", f"--file={target}"]
        command += [f"--exclude-schema={schema}" for schema in _search_schemas()]
        done = subprocess.run([*command, f"--dbname={url}"], capture_output=True, text=True)
        if done.returncode:
            raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
        cursor.execute("COMMIT")
    return state


def _snapshot(kind: str, target: Path) -> tuple[dict[str, int], list[list[str]]]:
    import psycopg

    if kind == "sqlite":
        from django.conf import settings

        if not Path(str(settings.DATABASES["default"]["NAME"])).is_file():
            raise BackupError("this archive has no database yet: nothing to back up")
    try:
        return _copy_sqlite(target) if kind == "sqlite" else _dump_postgres(target)
    except (sqlite3.Error, psycopg.Error) as error:
        if "no such table" in str(error) or "does not exist" in str(error):
            raise BackupError("this archive has no database yet: nothing to back up") from None
        raise BackupError(f"cannot read the database: {error}") from None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _kept_files(home: Path) -> Iterator[tuple[str, Path]]:
    secret = home / "secret_key"
    if secret.is_file():
        yield "secret_key", secret
    media = home / "media"
    if media.is_dir():
        for path in sorted(media.rglob("*")):
            if path.is_file():
                yield path.relative_to(home).as_posix(), path


class _PacedWriter(io.RawIOBase):
    """A file that writes at most `limit` bytes a second, so a backup does not take all of the
    disk from the archive it copies (like rsync --bwlimit)."""

    def __init__(self, handle: IO[bytes], limit: int | None) -> None:
        self._handle, self._limit, self._start, self._written = handle, limit, time.monotonic(), 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = memoryview(data)
        step = min(len(view), self._limit or len(view)) or 1
        for offset in range(0, len(view), step):
            self._handle.write(view[offset : offset + step])
            self._written += len(view[offset : offset + step])
            if self._limit:
                ahead = self._written / self._limit - (time.monotonic() - self._start)
                if ahead > 0:
                    time.sleep(ahead)
        return len(view)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
    tar.addfile(info, io.BytesIO(data))


def create_backup(target: Path, bytes_per_second: int | None = None) -> BackupResult:
    """Write the backup to `target` atomically: a partial file beside it, fsynced, then renamed,
    so a killed backup never leaves a file under the target name."""
    from django.conf import settings

    from fanarchive import __version__

    started = time.monotonic()
    home = Path(settings.HOME)
    kind = database_kind()
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="fanarchive-backup-") as scratch:
        database = Path(scratch) / DATABASE_FILES[kind]
        counts, migrations = _snapshot(kind, database)
        kept = list(_kept_files(home))
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "fanarchive_version": __version__,
            "database": {"kind": kind, "file": database.name, "sha256": _sha256(database)},
            "migrations": migrations,
            "counts": counts,
            "files": {name: _sha256(path) for name, path in kept},
            "left_out": LEFT_OUT,
        }
        handle, partial_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".partial", dir=target.parent
        )
        partial = Path(partial_name)
        try:
            with os.fdopen(handle, "wb") as raw:
                paced = io.BufferedWriter(_PacedWriter(raw, bytes_per_second), buffer_size=1 << 16)
                with tarfile.open(fileobj=paced, mode="w|") as tar:
                    _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
                    tar.add(database, arcname=database.name)
                    for name, path in kept:
                        tar.add(path, arcname=name)
                paced.flush()
                raw.flush()
                os.fsync(raw.fileno())
            partial.chmod(0o600)  # it holds the secret key
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        _fsync_dir(target.parent)
    return BackupResult(target, target.stat().st_size, time.monotonic() - started, manifest)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- restore -------------------------------------------------------------------------------------


def read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = tar.extractfile(MANIFEST)
        manifest: dict[str, Any] = json.loads(member.read()) if member else {}
    except (KeyError, ValueError) as error:
        raise BackupError(f"not a fanarchive backup: no readable {MANIFEST} ({error})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError("not a fanarchive backup: the manifest names another format")
    if not isinstance(manifest.get("format_version"), int) or manifest["format_version"] > FORMAT_VERSION:
        raise BackupError(
            f"backup format version {manifest.get('format_version')} is newer than this fanarchive "
            f"reads ({FORMAT_VERSION}); upgrade fanarchive first"
        )
    return manifest


def _check_migrations(manifest: dict[str, Any]) -> int:
    """Refuse a backup from a newer fanarchive; answer how many migrations the restore will run."""
    from django.db.migrations.loader import MigrationLoader

    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    applied = {(app, name) for app, name in manifest["migrations"]}
    unknown = sorted(applied - on_disk)
    if unknown:
        listed = ", ".join(f"{app}.{name}" for app, name in unknown[:5])
        raise BackupError(f"the backup is from a newer fanarchive (migrations unknown here: {listed})")
    return len(on_disk - applied)


def archive_is_empty() -> bool:
    from django.db import connection

    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in _counted_tables().values():
            if table in tables:
                cursor.execute(f'SELECT 1 FROM "{table}" LIMIT 1')
                if cursor.fetchone():
                    return False
    return True


def _extract_checked(tar: tarfile.TarFile, manifest: dict[str, Any], into: Path) -> None:
    tar.extractall(into, filter="data")
    expected = {manifest["database"]["file"]: manifest["database"]["sha256"], **manifest["files"]}
    for name, digest in expected.items():
        path = into / name
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(f"the backup is damaged: {name} is missing or does not match its checksum")


def _restore_sqlite(database: Path) -> tuple[dict[str, int], list[list[str]]]:
    from django.conf import settings
    from django.db import connections

    connections.close_all()
    live = Path(str(settings.DATABASES["default"]["NAME"]))
    incoming = live.with_name(live.name + ".restoring")
    shutil.copyfile(database, incoming)
    with incoming.open("rb+") as handle:
        os.fsync(handle.fileno())
    for suffix in ("-wal", "-shm"):
        Path(str(live) + suffix).unlink(missing_ok=True)
    os.replace(incoming, live)
    _fsync_dir(live.parent)
    with contextlib.closing(sqlite3.connect(str(live))) as conn:
        return _read_state(conn.cursor())


def _restore_postgres(dump: Path) -> tuple[dict[str, int], list[list[str]]]:
    import psycopg
    from django.db import connections

    connections.close_all()
    url = _pg_url()
    # The target is empty (or --force said to overwrite it): start from a bare public schema so
    # the dump's tables and sequences go in whole. Search schemas go too: restore rebuilds them.
    with psycopg.connect(url, autocommit=True) as conn:
        for schema in ["public", *_search_schemas()]:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        conn.execute("CREATE SCHEMA public")
    command = [
        find_pg_tool("pg_restore"),
        "--no-owner",
        "--no-acl",
        "--exit-on-error",
        "--single-transaction",
    ]
    done = subprocess.run([*command, f"--dbname={url}", str(dump)], capture_output=True, text=True)
    if done.returncode:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()}")
    with psycopg.connect(url) as conn, conn.cursor() as cursor:
        return _read_state(cursor)


def restore_backup(source: Path, force: bool = False) -> dict[str, Any]:
    """Bring a backup back into this archive: check it, load the database, put the kept files
    back, migrate if the backup is older. The caller rebuilds the search index."""
    from django.conf import settings

    home = Path(settings.HOME)
    try:
        tar = tarfile.open(source, mode="r:")  # noqa: SIM115 - closed by the `with` below
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"cannot read {source}: {error}") from None
    with tar, tempfile.TemporaryDirectory(prefix="fanarchive-restore-") as scratch:
        manifest = read_manifest(tar)
        kind = manifest["database"]["kind"]
        if kind != database_kind():
            raise BackupError(
                f"the backup holds a {kind} database but this archive uses {database_kind()}; "
                "set DATABASE_URL to match"
            )
        pending = _check_migrations(manifest)
        if not force and not archive_is_empty():
            raise BackupError(
                "the archive is not empty; restore into an empty one, or pass --force to replace it"
            )
        _extract_checked(tar, manifest, Path(scratch))
        database = Path(scratch) / manifest["database"]["file"]
        counts, migrations = _restore_sqlite(database) if kind == "sqlite" else _restore_postgres(database)
        if counts != manifest["counts"] or migrations != manifest["migrations"]:
            raise BackupError(
                f"the restored database does not match the manifest: {counts} != {manifest['counts']}"
            )
        for name in manifest["files"]:
            target = home / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(scratch) / name, target)
        if (home / "secret_key").exists():
            (home / "secret_key").chmod(0o600)
    # The search index is left in place: the caller's rebuild replaces it by a generation swap.
    # Deleting the directory would also delete the lock files of any process holding it.
    return {**manifest, "pending_migrations": pending}
