"""The reader worker: a real child process under real limits. A file past the time or memory limit
fails naming the setting, the child is replaced, and the next file is read as if nothing happened."""

from __future__ import annotations

from pathlib import Path

from fanarchive.archive.imports.sources import LocatedSource, iter_sources
from fanarchive.archive.imports.worker import ReaderPool, ReadFailed, WorkerLimits

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _small() -> LocatedSource:
    path = FIXTURES / "plain" / "bell-tower.txt"
    return LocatedSource(name=str(path), data=path.read_bytes(), origin=("dir", str(path.parent)))


def _slow() -> LocatedSource:
    # Several MB of Markdown in short lines: seconds of work for the reader, within its limits.
    text = "# A long one\n\n" + "".join(
        f"Paragraph {n} with *some* emphasis and **strong** text.\n\n" for n in range(60_000)
    )
    return LocatedSource(name="long.md", data=text.encode())


def _failure(pool: ReaderPool, source: LocatedSource) -> str:
    try:
        pool.parse(source, source.origin, None)
    except ReadFailed as error:
        return str(error)
    raise AssertionError(f"{source.name} was read")


def test_a_file_past_the_time_limit_fails_naming_it_and_the_next_file_is_read() -> None:
    with ReaderPool(WorkerLimits(timeout=1, memory_mb=512)) as pool:
        assert pool.parse(_small(), _small().origin, None)  # the child is up: its start-up is not timed
        assert _failure(pool, _slow()) == "took longer than 1 s (FANARCHIVE_IMPORT_TIMEOUT)"
        works = pool.parse(_small(), _small().origin, None)
    assert works[0].chapters


def test_a_file_past_the_memory_limit_fails_naming_it_and_the_next_file_is_read() -> None:
    with ReaderPool(WorkerLimits(timeout=60, memory_mb=8)) as pool:
        assert _failure(pool, _slow()) == "needed more than 8 MB (FANARCHIVE_IMPORT_MEMORY_MB)"
    with ReaderPool(WorkerLimits(timeout=60, memory_mb=512)) as pool:
        assert pool.parse(_small(), _small().origin, None)[0].chapters


def test_a_reader_error_is_one_line_and_keeps_the_child() -> None:
    with ReaderPool() as pool:
        reason = _failure(
            pool, LocatedSource(name="x.json", data=b'{"works": [{"title": 1, "chapters": 5}]}')
        )
        child = pool.child_pid
        assert "\n" not in reason and reason
        assert pool.parse(_small(), _small().origin, None)
        assert pool.child_pid == child


def test_a_dump_in_a_zip_reads_its_chapter_files_from_the_worker(tmp_path: Path) -> None:
    import zipfile

    bundle = tmp_path / "backup.zip"
    base = FIXTURES / "efiction" / "archive"
    with zipfile.ZipFile(bundle, "w") as archive:
        for file in base.rglob("*"):
            if file.is_file():
                archive.write(file, f"site/{file.relative_to(base).as_posix()}")
    sources = [s for s in iter_sources([str(bundle)]) if isinstance(s, LocatedSource)]
    assert [s.origin for s in sources] == [("zip", str(bundle), "site/")]
    with ReaderPool() as pool:
        works = pool.parse(sources[0], sources[0].origin, None)
    assert works and all(work.chapters for work in works)
