"""Every input the fuzzers found (tests/fuzz/regressions/<reader>/) replayed through its reader:
the reader answers with works or a documented parse error, never anything else. Inputs whose
reader is not fixed yet are listed in KNOWN_CRASHES and expected to fail (strictly: a fix turns
the mark red, so it is removed with the fix)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fuzz.targets import REGRESSIONS, SUFFIXES, parsers, run_one

# "<reader>/<file>": what goes wrong, until the reader is fixed.
KNOWN_CRASHES: dict[str, str] = {
    "ao3-text/crash-2ba0902267c33b034d518e68ed11a7d1e014f79a": "ValueError: int() of a malformed chapters field (_ao3_fields.py:92)",
    "efiction-html/crash-af2ef15209f7144f75b3185ddc0ca5adb1f6ce3f": "ValueError from lxml (efiction_html.py:99): a control character set as an element tail",
    "ao3-html/crash-050e8ad6a16c0b227390c4ff68975057046d6c63": (
        "ValueError from lxml (_markup.py:28): text with NUL or control characters is not XML compatible"
    ),
    "docx/crash-519b7f6f5e8ab74166a469b00381fb3b8bee0d05": (
        "NotImplementedError from zipfile (docx.py:195): a member claims zip version 22.3"
    ),
    "efiction-html/crash-342c8c3f254083a3372769b3d27e6ca637ab2cc4": (
        "ValueError from lxml (efiction_html.py:108): control characters are not XML compatible"
    ),
    "efiction-text/crash-bd16aa578403a471a02e11585ee639aafa383397": (
        "IndexError: list index out of range (efiction_text.py:132)"
    ),
    "fanarchive-txt/crash-cb9dc28f3d192a612b472c43760e5477294c482f": (
        "ValueError: int('2/') on a chapters field (_ao3_fields.py:92)"
    ),
    "html/crash-8e56d9a7ad836d844b186de26b0ba77b91a0356f": (
        "ValueError from lxml (_markup.py:28): text with NUL or control characters is not XML compatible"
    ),
    "markdown/crash-92af66a06cba6b693124b3d25a04ee7e8ccc6a41": (
        "ValueError from lxml (_markup.py:28): text with NUL or control characters is not XML compatible"
    ),
}


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
