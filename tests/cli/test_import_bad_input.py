"""`fanarchive import` on a folder of everything that goes wrong in the wild, next to works that are
fine: every bad file gets one line naming it and why, every good work is stored, and a second run
changes nothing."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path
from typing import Any

from support import docx_builder, epub_builder
from support.cli import run_cli as _cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _dump(database: Path) -> dict[str, list[tuple[Any, ...]]]:
    with sqlite3.connect(database) as connection:
        return {
            table: connection.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
            for table in ("archive_work", "archive_chapter", "archive_tagging")
        }


def _stored(database: Path) -> set[tuple[str, str, int]]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT w.title, w.source_format, COUNT(c.id) FROM archive_work w "
            "JOIN archive_chapter c ON c.work_id = w.id GROUP BY w.id"
        ).fetchall()
    return set(rows)


def _inbox(root: Path) -> Path:
    inbox = root / "inbox"
    inbox.mkdir()
    # Several works in mixed formats, one of them in a subfolder.
    with zipfile.ZipFile(inbox / "bundle.zip", "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.write(FIXTURES / "ao3-html" / "one-shot.html", "one-shot.html")
        bundle.write(FIXTURES / "tumblr" / "asks.txt", "tumblr/asks.txt")
        bundle.write(FIXTURES / "fanficfare" / "meridian.txt", "meridian.txt")
        bundle.writestr("salt.epub", epub_builder.pack_dir(FIXTURES / "epub" / "ao3-calibre"))
        bundle.writestr("orchard.docx", docx_builder.styled_document())
    # Cut short: no central directory left.
    whole = (inbox / "bundle.zip").read_bytes()
    (inbox / "truncated.zip").write_bytes(whole[: len(whole) // 2])
    # Readable directory, one member's stored bytes changed: the other member still comes through.
    damaged = inbox / "damaged.zip"
    with zipfile.ZipFile(damaged, "w", zipfile.ZIP_STORED) as archive:
        archive.write(FIXTURES / "ffn" / "lantern-1.html", "pages/lantern-1.html")
        archive.write(FIXTURES / "plain" / "lamplighter.txt", "pages/lamplighter.txt")
    data = damaged.read_bytes()
    prose = (FIXTURES / "plain" / "lamplighter.txt").read_bytes()[200:240]
    assert data.count(prose) == 1
    damaged.write_bytes(data.replace(prose, prose.swapcase()))
    (inbox / "garbage.bin").write_bytes(bytes((n * 7919 + 13) % 256 for n in range(4096)))
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    with (inbox / "huge.txt").open("wb") as big:
        big.truncate(3 * 1024 * 1024)
    # Windows-1252 with CRLF line ends, as eFiction pages were saved.
    (inbox / "ferryman.txt").write_bytes((FIXTURES / "efiction" / "printable.txt").read_bytes())
    (inbox / "honey.txt").write_bytes((FIXTURES / "ao3" / "full-work.txt").read_bytes())
    (inbox / "bell-tower.txt").write_bytes((FIXTURES / "plain" / "bell-tower.txt").read_bytes())
    return inbox


def test_bad_files_are_named_once_each_and_the_good_works_stored_once(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    home = tmp_path / "home"
    first = _cli("import", str(inbox), "--max-size", "2", home=home)

    assert first.returncode == 1
    assert first.stdout.splitlines()[-1] == "imported 12, updated 0, unchanged 0, failed 6"
    lines = first.stderr.splitlines()
    assert [line for line in lines if not line.startswith(("failed: ", "importing"))] == []
    failures = sorted(line for line in lines if line.startswith("failed: "))
    binary = (
        "unknown format: binary data that no parser recognises (not text, not a known e-book or document)"
    )
    assert failures[1:] == [
        f"failed: {inbox / 'empty.txt'}: empty file",
        f"failed: {inbox / 'garbage.bin'}: {binary}",
        f"failed: {inbox / 'huge.txt'}: too large: 3 MB is over the 2 MB limit",
        f"failed: {inbox / 'picture.png'}: {binary}",
        f"failed: {inbox / 'truncated.zip'}: not a readable zip file (File is not a zip file)",
    ]
    assert failures[0] == (
        f"failed: {inbox / 'damaged.zip'}:pages/lamplighter.txt: damaged inside the zip "
        "(Bad CRC-32 for file 'pages/lamplighter.txt')"
    )

    database = home / "fanarchive.sqlite3"
    assert _stored(database) == {
        # bundle.zip
        ("Driftwood", "ao3-html", 1),
        ("Tea Shop AU, part one", "tumblr-text", 1),
        ("honestly? i don't. some days i…", "tumblr-text", 1),
        ("Lighthouse starter", "tumblr-text", 1),
        ("*wraps both hands around the mug*…", "tumblr-text", 1),
        ("The Log of the Meridian", "fanficfare-txt", 2),
        ("Salt in the Gears", "ao3-epub", 2),
        ("The Orchard Keeper", "docx", 2),
        # damaged.zip's intact member
        ("The Lantern Keeper", "ffn-html", 1),
        # loose files
        ("The Ferryman's Daughter", "efiction-text", 2),
        ("Honey and Charts", "ao3-text", 2),
        ("bell-tower", "plain-text", 2),
    }
    with sqlite3.connect(database) as connection:
        [(notes,)] = connection.execute(
            "SELECT c.notes FROM archive_chapter c JOIN archive_work w ON w.id = c.work_id "
            "WHERE w.title = 'The Ferryman''s Daughter' AND c.position = 1"
        ).fetchall()
    assert notes == "<p>A short one to start \u2013 the \u201creal\u201d story begins next week.</p>"

    before = _dump(database)
    second = _cli("import", str(inbox), "--max-size", "2", home=home)
    assert second.returncode == 1
    assert second.stdout.splitlines()[-1] == "imported 0, updated 0, unchanged 12, failed 6"
    assert sorted(line for line in second.stderr.splitlines() if line.startswith("failed: ")) == failures
    assert _dump(database) == before
