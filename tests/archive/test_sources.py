"""What `fanarchive import` makes of zip files before any parser sees them."""

from __future__ import annotations

import zipfile
from pathlib import Path

from fanarchive.archive.imports.sources import (
    MAX_ZIP_MEMBERS,
    SourceProblem,
    iter_sources,
    zip_sibling_reader,
)
from fanarchive.domain.formats.base import SourceFile
from support import hostile_files

STORY = b"Chapter 1\n\nThe harbour was quiet.\n"


def _encrypt_flag(path: Path, member: str) -> None:
    # Python cannot write encrypted zips; setting the encryption bit is what a reader meets.
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    data[info.header_offset + 6] |= 0x01  # the local file header's flags
    position = data.index(b"PK\x01\x02")  # then the member's central directory entry, found by name
    while position != -1:
        name_length = int.from_bytes(data[position + 28 : position + 30], "little")
        if data[position + 46 : position + 46 + name_length].decode() == member:
            data[position + 8] |= 0x01
        position = data.find(b"PK\x01\x02", position + 4)
    path.write_bytes(bytes(data))


def test_an_encrypted_member_is_one_failure_and_the_rest_is_read(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr("locked.txt", STORY)
        archive.writestr("open.txt", STORY)
    _encrypt_flag(bundle, "locked.txt")
    found = list(iter_sources([str(bundle)]))
    assert [type(item).__name__ for item in found] == ["SourceProblem", "LocatedSource"]
    problem, story = found
    assert isinstance(problem, SourceProblem) and isinstance(story, SourceFile)
    assert problem.name == f"{bundle}:locked.txt" and "encrypted" in problem.reason
    assert story.name == f"{bundle}:open.txt" and story.data == STORY
    with zipfile.ZipFile(bundle) as archive:
        assert zip_sibling_reader(archive, "")("locked.txt") is None  # missing, not a crash


def test_only_the_stories_folder_beside_a_dump_is_read_through_it(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr("backup/backup.sql", b"-- dump\n")
        archive.writestr("backup/stories/2/4.txt", b"chapter text the dump reads")
        archive.writestr("library/stories/harbour.txt", STORY)
    names = [item.name for item in iter_sources([str(bundle)])]
    assert names == [f"{bundle}:backup/backup.sql", f"{bundle}:library/stories/harbour.txt"]


def test_zips_are_checked_before_any_member_is_unpacked(tmp_path: Path) -> None:
    cases = hostile_files.write_zips(tmp_path)
    found = {
        item.name.split("/")[-1]: item.reason
        for name in ("bomb.zip", "members.zip", "nested.zip")
        for item in iter_sources([str(tmp_path / name)])
        if isinstance(item, SourceProblem)
    }
    assert set(cases) >= {"bomb.zip", "members.zip", "nested.zip"}
    assert found == {
        "bomb.zip:story.txt": "a zip bomb: packed 1,028 times, over the limit MAX_ZIP_RATIO=100",
        "members.zip": "unpacks to 2,700 MB, over the limit MAX_ZIP_UNPACKED_BYTES=1,024 MB",
        "nested.zip:inner.zip": "a zip inside a zip: unpack it first (nested zips are not read)",
    }


def test_a_zip_of_too_many_members_is_refused_whole(tmp_path: Path) -> None:
    bundle = tmp_path / "many.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        for n in range(MAX_ZIP_MEMBERS + 1):
            archive.writestr(f"{n}.txt", "")
    [problem] = list(iter_sources([str(bundle)]))
    assert isinstance(problem, SourceProblem)
    assert problem.reason == "10,001 files in the zip, over the limit MAX_ZIP_MEMBERS=10,000"
