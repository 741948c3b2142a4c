"""Turns the paths a user gives `fanarchive import` into SourceFiles: plain files, whole folders, and
zip files of fan works (an EPUB, DOCX or ODT is a zip too, but it is one work, not a folder)."""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from fanarchive.domain.formats.base import SourceFile

DEFAULT_MAX_BYTES = 100 * 1024 * 1024
# A database dump reads its chapter files itself (<storiespath>/<uid>/<chapid>.txt beside it, the
# folder `stories` unless the archive's settings name another, such as `storiesef`).
_DUMP_SUFFIXES = (".sql", ".sql.gz")
_CHAPTER_FILE = re.compile(r"([^/]+)/\d+/\d+\.txt")
# Zips that are documents in their own right, not folders of works.
_DOCUMENT_MARKERS = ("mimetype", "word/document.xml", "META-INF/container.xml")


# A zip of works is unpacked in the importer's own process, so it is checked before any member is
# read: a 100 KB zip can claim gigabytes. Past these the zip, or the member, is refused by name.
MAX_ZIP_MEMBERS = 10_000
MAX_ZIP_UNPACKED_BYTES = 1024 * 1024 * 1024
# Text compresses about 3-10 times; past 1 MB, a member claiming over 100 times is a bomb.
MAX_ZIP_RATIO = 100
_RATIO_FLOOR = 1024 * 1024


@dataclass
class SourceProblem:
    name: str
    reason: str


@dataclass
class LocatedSource(SourceFile):
    """A SourceFile that says where it came from, so that a reader in another process can open the
    files beside it: ("dir", folder) or ("zip", zip path, folder inside the zip)."""

    origin: tuple[str, ...] = ()


def sibling_reader_for(origin: tuple[str, ...]) -> Callable[[str], bytes | None]:
    if len(origin) == 2 and origin[0] == "dir":
        return sibling_reader(Path(origin[1]))
    if len(origin) == 3 and origin[0] == "zip":
        zip_path, folder = origin[1], origin[2]

        def read(relative: str) -> bytes | None:
            try:
                with zipfile.ZipFile(zip_path) as archive:
                    return zip_sibling_reader(archive, folder)(relative)
            except (zipfile.BadZipFile, OSError):
                return None

        return read
    return lambda _path: None


def sibling_reader(base: Path) -> Callable[[str], bytes | None]:
    def read(relative: str) -> bytes | None:
        candidate = (base / relative).resolve()
        # A dump names its chapter files; never let it reach outside its own folder.
        if base.resolve() not in candidate.parents or not candidate.is_file():
            return None
        return candidate.read_bytes()

    return read


# What reading one zip member can raise besides BadZipFile: a damaged deflate stream (zlib.error), an
# encrypted member (RuntimeError), a compression method Python lacks (NotImplementedError).
_MEMBER_ERRORS = (zipfile.BadZipFile, OSError, EOFError, zlib.error, RuntimeError, NotImplementedError)


def zip_sibling_reader(archive: zipfile.ZipFile, folder: str) -> Callable[[str], bytes | None]:
    names = set(archive.namelist())

    def read(relative: str) -> bytes | None:
        name = f"{folder}{relative}" if folder else relative
        if name not in names:
            return None
        try:
            return archive.read(name)
        except _MEMBER_ERRORS:
            return None  # a damaged chapter file is a missing one: the dump's reader says which

    return read


def is_document_zip(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False
    return any(marker in names for marker in _DOCUMENT_MARKERS)


def _is_dump(name: str) -> bool:
    return name.lower().endswith(_DUMP_SUFFIXES)


def _is_chapter_store(folder: Path) -> bool:
    """A folder of eFiction chapter files: `stories`, or one whose folders are all named by number
    (the authors' uids)."""
    if folder.name == "stories":
        return True
    try:
        folders = [child.name for child in folder.iterdir() if child.is_dir()]
    except OSError:
        return False
    return bool(folders) and all(name.isdigit() for name in folders)


def _chapter_stores(names: list[str]) -> tuple[str, ...]:
    """The folders of chapter files beside a dump among a zip's member names."""
    beside = {f"{name.rsplit('/', 1)[0]}/" if "/" in name else "" for name in names if _is_dump(name)}
    stores = {f"{folder}stories/" for folder in beside}
    for name in names:
        for folder in beside:
            if name.startswith(folder) and (match := _CHAPTER_FILE.fullmatch(name[len(folder) :])):
                stores.add(f"{folder}{match.group(1)}/")
    return tuple(sorted(stores))


# A browser's "Save Page As" (complete) puts a page's styles, scripts and images in `<page>_files`
# beside `<page>.html`: parts of that page, never works of their own.
_PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")


def _page_folders(names: set[str]) -> tuple[str, ...]:
    """The `<page>_files/` folders among a zip's member names that have their page beside them."""
    return tuple(
        f"{name[: -len(suffix)]}_files/"
        for name in names
        for suffix in _PAGE_SUFFIXES
        if name.lower().endswith(suffix)
    )


def _is_page_folder(folder: Path) -> bool:
    stem = folder.name.removesuffix("_files")
    return stem != folder.name and any(
        (folder.parent / f"{stem}{suffix}").is_file() for suffix in _PAGE_SUFFIXES
    )


def expand_paths(paths: list[str]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(
                    d for d in dirs if not d.startswith(".") and not _is_page_folder(Path(root) / d)
                )
                # Chapter files of an eFiction dump are read through the dump, not one by one.
                if _is_chapter_store(Path(root)) and any(
                    _is_dump(p.name) for p in Path(root).parent.iterdir()
                ):
                    dirs[:] = []
                    continue
                for name in sorted(files):
                    if not name.startswith("."):
                        yield Path(root) / name
        else:
            yield path


def iter_sources(
    paths: list[str], max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[SourceFile | SourceProblem]:
    for path in expand_paths(paths):
        name = str(path)
        if not path.exists():
            yield SourceProblem(name, "no such file or folder")
            continue
        size = path.stat().st_size
        if size > max_bytes:
            yield SourceProblem(
                name, f"too large: {size / 1048576:.0f} MB is over the {max_bytes / 1048576:.0f} MB limit"
            )
            continue
        if path.suffix.lower() == ".zip" and not is_document_zip(path):
            yield from _zip_members(path, max_bytes)
            continue
        try:
            data = path.read_bytes()
        except OSError as error:
            yield SourceProblem(name, f"cannot be read: {error.strerror or error}")
            continue
        yield LocatedSource(
            name=name, data=data, open_sibling=sibling_reader(path.parent), origin=("dir", str(path.parent))
        )


def _zip_members(path: Path, max_bytes: int) -> Iterator[SourceFile | SourceProblem]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        yield SourceProblem(str(path), f"not a readable zip file ({error})")
        return
    with archive:
        problem = _zip_problem(archive)
        if problem:
            yield SourceProblem(str(path), problem)
            return
        # Chapter files of a dump, read through the dump: <storiespath>/ folders beside a dump.
        read_through = _chapter_stores(archive.namelist())
        read_through += _page_folders(set(archive.namelist()))
        for info in archive.infolist():
            member = f"{path}:{info.filename}"
            if info.is_dir() or Path(info.filename).name.startswith("."):
                continue
            if info.file_size > max_bytes:
                yield SourceProblem(member, f"too large: {info.file_size / 1048576:.0f} MB inside the zip")
                continue
            if info.file_size > _RATIO_FLOOR and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
                ratio = info.file_size // max(info.compress_size, 1)
                yield SourceProblem(
                    member,
                    f"a zip bomb: packed {ratio:,} times, over the limit MAX_ZIP_RATIO={MAX_ZIP_RATIO}",
                )
                continue
            if info.filename.lower().endswith(".zip"):
                yield SourceProblem(member, "a zip inside a zip: unpack it first (nested zips are not read)")
                continue
            folder = info.filename.rsplit("/", 1)[0] + "/" if "/" in info.filename else ""
            if read_through and info.filename.startswith(read_through):
                continue
            try:
                data = archive.read(info)
            except RuntimeError as error:
                yield SourceProblem(member, f"cannot be read inside the zip ({error})")
                continue
            except Exception as error:  # _MEMBER_ERRORS and whatever else a damaged member raises
                yield SourceProblem(member, f"damaged inside the zip ({error})")
                continue
            yield LocatedSource(
                name=member,
                data=data,
                open_sibling=zip_sibling_reader(archive, folder),
                origin=("zip", str(path), folder),
            )


def _zip_problem(archive: zipfile.ZipFile) -> str | None:
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        return f"{len(infos):,} files in the zip, over the limit MAX_ZIP_MEMBERS={MAX_ZIP_MEMBERS:,}"
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_ZIP_UNPACKED_BYTES:
        return (
            f"unpacks to {unpacked / 1048576:,.0f} MB, over the limit "
            f"MAX_ZIP_UNPACKED_BYTES={MAX_ZIP_UNPACKED_BYTES // 1048576:,} MB"
        )
    return None
