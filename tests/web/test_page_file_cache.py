"""The page cache's file store (archive/pagecache/filestore.py): Django's file cache, uncompressed,
culling now and then instead of on every set."""

from __future__ import annotations

from pathlib import Path

from fanarchive.archive.pagecache.filestore import CULL_EVERY, PageFileCache


def _store(folder: Path, entries: int) -> PageFileCache:
    return PageFileCache(str(folder), {"OPTIONS": {"MAX_ENTRIES": entries, "CULL_FREQUENCY": 2}})


def test_pages_are_kept_as_they_are_and_read_back(tmp_path: Path) -> None:
    store = _store(tmp_path, 100)
    page = {"body": b"<p>" + b"the harbour " * 2000 + b"</p>", "headers": [("Content-Type", "text/html")]}
    store.set("page:1", page, 60)
    assert store.get("page:1") == page
    (kept,) = tmp_path.glob("*.page")
    assert b"the harbour the harbour" in kept.read_bytes()  # not compressed
    assert store.touch("page:1", 120) and store.get("page:1") == page
    store.set("gone", "x", -1)
    assert store.get("gone", "missing") == "missing"


def test_a_full_folder_is_culled_once_a_batch_of_sets(tmp_path: Path) -> None:
    store = _store(tmp_path, 10)
    for n in range(CULL_EVERY):
        store.set(f"page:{n}", n, 60)
    # No walk of the folder after the first set: past the limit, nothing was culled yet.
    assert len(list(tmp_path.glob("*.page"))) == CULL_EVERY
    store.set("page:next", 0, 60)
    # The batch's first set culls (half the entries, CULL_FREQUENCY 2) before it writes.
    assert len(list(tmp_path.glob("*.page"))) == CULL_EVERY // 2 + 1


def test_files_of_djangos_own_compressed_backend_are_never_read(tmp_path: Path) -> None:
    from django.core.cache.backends.filebased import FileBasedCache

    FileBasedCache(str(tmp_path), {}).set("page:1", "compressed", 60)
    assert _store(tmp_path, 100).get("page:1") is None
