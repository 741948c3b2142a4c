from __future__ import annotations

import json
from collections.abc import Callable

from fanarchive.domain.tags import TagKind
from fanarchive.domain.work import (
    ParsedChapter,
    ParsedWork,
    Prompt,
    RelatedWork,
    SeriesRef,
    Source,
    work_from_dict,
    work_to_dict,
    works_from_json,
    works_to_json,
)


def _full_work() -> ParsedWork:
    work = ParsedWork(
        title="Lanterns",
        authors=["inkwell_moth", "Ferris Lane"],
        summary="<p>Sum</p>",
        notes="<p>N</p>",
        end_notes="<p>E</p>",
        language="English",
        status="in-progress",
        published="2024-01-02",
        updated="2024-02-03",
        chapters_expected=5,
        stats={"kudos": 3, "hits": 40},
        chapters=[ParsedChapter(number=1, html="<p>one two</p>", title="Start", words=2)],
        prompt=Prompt(asker="Anonymous", text="<p>Write lanterns</p>"),
        series=[SeriesRef(title="Lights", position=2)],
        related=[RelatedWork(relation="inspired_by", title="Candles", url="https://example.org/w/1")],
        source=Source(
            format="ao3-html", site="archiveofourown.org", url="https://archiveofourown.org/works/9", id="9"
        ),
        metadata={"Packaged": "2024-02-04"},
        doubts=["The date order was guessed."],
    )
    work.add_tag(TagKind.FANDOM, "Lights (TV)")
    work.add_tag(TagKind.FANDOM, "Lights (TV)")
    return work


def test_round_trip_through_json(assert_valid_works: Callable[[list[ParsedWork]], dict]) -> None:
    work = _full_work()
    data = assert_valid_works([work])
    assert data["works"][0]["words"] == 2
    assert set(data["works"][0]["tags"]) == {
        "rating", "warning", "category", "fandom", "relationship", "character", "freeform",
    }  # fmt: skip
    assert data["works"][0]["tags"]["fandom"] == ["Lights (TV)"]
    again = works_from_json(works_to_json([work]))
    assert again == [work]
    assert work_from_dict(json.loads(json.dumps(work_to_dict(work)))) == work
