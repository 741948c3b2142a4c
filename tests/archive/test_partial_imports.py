"""One FanFiction.Net page is one chapter: pages of a story, given together or in separate runs,
make one work."""

from __future__ import annotations

from pathlib import Path

import pytest

from fanarchive.archive.imports.run import run_import
from fanarchive.archive.models import Work
from fanarchive.domain.work import IndexEntry, ParsedChapter, ParsedWork, Source, works_to_json

pytestmark = pytest.mark.django_db


def _page(number: int, text: str = "") -> str:
    work = ParsedWork(
        title="Paper Boats",
        authors=["ferris"],
        updated="2024-02-0" + str(number),
        chapters=[
            ParsedChapter(number=number, title=f"Part {number}", html=f"<p>Chapter {number} {text}</p>")
        ],
        index=[IndexEntry(number=n, title=f"Part {n}") for n in (1, 2, 3)],
        chapters_expected=3,
        source=Source(format="work-json", site="fanfiction.net", id="4242"),
    )
    return works_to_json([work])


def test_pages_given_together_and_later_make_one_work(tmp_path: Path) -> None:
    for number in (3, 1):
        (tmp_path / f"page{number}.json").write_text(_page(number))
    report = run_import([str(tmp_path)])
    assert report.counts["imported"] == 1 and report.failed == 0
    work = Work.objects.get()
    assert list(work.chapters.values_list("position", "title")) == [(1, "Part 1"), (3, "Part 3")]

    later = tmp_path / "later"
    later.mkdir()
    (later / "page2.json").write_text(_page(2))
    assert run_import([str(later)]).counts["updated"] == 1
    assert run_import([str(later)]).counts["unchanged"] == 1
    (later / "page2.json").write_text(_page(2, "revised"))
    assert run_import([str(later)]).counts["updated"] == 1
    work = Work.objects.get()
    assert list(work.chapters.values_list("position", flat=True)) == [1, 2, 3]
    assert "revised" in work.chapters.get(position=2).body
    assert work.complete
