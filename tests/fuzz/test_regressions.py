"""Every input the fuzzers found (tests/fuzz/regressions/<reader>/) replayed through its reader:
the reader answers with works or a documented parse error, never anything else. Inputs whose
reader is not fixed yet are listed in KNOWN_CRASHES and expected to fail (strictly: a fix turns
the mark red, so it is removed with the fix)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fuzz.targets import REGRESSIONS, SUFFIXES, parsers, run_one

# "<reader>/<file>": what goes wrong, until the reader is fixed.
KNOWN_CRASHES: dict[str, str] = {}


def _cases() -> list[object]:
    cases: list[object] = []
    for path in sorted(REGRESSIONS.glob("*/*")):
        key = f"{path.parent.name}/{path.name}"
        marks = [pytest.mark.xfail(strict=True, reason=KNOWN_CRASHES[key])] if key in KNOWN_CRASHES else []
        cases.append(pytest.param(path, id=key, marks=marks))
    return cases


@pytest.mark.parametrize("path", _cases())
def test_regression_input_gives_works_or_a_documented_error(path: Path) -> None:
    run_one(parsers()[path.parent.name], path.read_bytes())


def test_every_reader_has_a_fuzz_target_and_every_known_crash_a_file() -> None:
    assert set(SUFFIXES) == set(parsers())
    assert {path.parent.name for path in REGRESSIONS.glob("*/*")} <= set(parsers())
    assert all((REGRESSIONS / key).is_file() for key in KNOWN_CRASHES)
