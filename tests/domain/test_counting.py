from __future__ import annotations

from fanarchive.domain.counting import counted


def test_one_is_singular_and_every_other_number_plural() -> None:
    assert counted(1, "work") == "1 work"
    assert counted(0, "work") == "0 works"
    assert counted(2, "file") == "2 files"
    assert counted(3, "series", "series") == "3 series"
