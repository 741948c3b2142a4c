"""File what a fuzz run found: `python tests/fuzz/triage.py READER WORKDIR` replays each crash-*
artifact in WORKDIR and files it under regressions/READER/ unless an input already filed there
fails the same way (same exception type at the same line of fanarchive), as crash triage does, so a
known bug found again by another input does not fail the run. Exit status 1 when anything is new."""

from __future__ import annotations

import shutil
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for fuzz.*

from fuzz.targets import REGRESSIONS, parsers, run_one


def signature(reader: str, path: Path) -> str:
    """How the reader fails on this input: the exception and the innermost fanarchive line."""
    if not path.name.startswith("crash-"):
        return path.name.split("-")[0]  # timeout-*, oom-*: not replayed here, one of each kind
    try:
        run_one(parsers()[reader], path.read_bytes())
    except Exception as error:
        frames = [f for f in traceback.extract_tb(error.__traceback__) if "/fanarchive/" in f.filename]
        where = f"{frames[-1].filename.rsplit('/fanarchive/', 1)[-1]}:{frames[-1].lineno}" if frames else "?"
        return f"{type(error).__name__} at {where}"
    return "fixed"


def main() -> int:
    reader, workdir = sys.argv[1], Path(sys.argv[2])
    filed = REGRESSIONS / reader
    known = {signature(reader, path) for path in filed.glob("*")} if filed.is_dir() else set()
    new = 0
    for artifact in sorted(workdir.glob("*-*")):
        if artifact.name.split("-")[0] not in ("crash", "timeout", "oom"):
            continue
        found = signature(reader, artifact)
        if found in known or found == "fixed":
            continue
        filed.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(artifact, filed / artifact.name)
        known.add(found)
        new = 1
        print(f"fuzz {reader}: new finding {found}: tests/fuzz/regressions/{reader}/{artifact.name}")
    return new


if __name__ == "__main__":
    sys.exit(main())
