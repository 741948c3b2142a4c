from __future__ import annotations

from fanarchive.domain.exclusions import SavedExclusions, narrowed
from fanarchive.domain.query import SearchQuery


def test_nothing_saved_changes_nothing() -> None:
    query = SearchQuery(text="x", exclude_tag_ids=(3,), crossover=True, words_min=5)
    assert narrowed(query, SavedExclusions()) is query


def test_saved_exclusions_add_to_what_the_query_asks() -> None:
    saved = SavedExclusions(
        tag_ids=(3, 4), creator_ids=(9,), languages=("de",), words_from=100, words_to=5000
    )
    query = narrowed(SearchQuery(exclude_tag_ids=(1, 3), words_min=500, words_max=9000), saved)
    assert query.exclude_tag_ids == (1, 3, 4)
    assert query.exclude_creator_ids == (9,)
    assert query.exclude_languages == ("de",)
    # The tighter bound wins on each side.
    assert (query.words_min, query.words_max) == (500, 5000)
    assert narrowed(SearchQuery(), saved).words_min == 100


def test_excluded_crossovers_leave_none_even_on_a_crossovers_only_page() -> None:
    saved = SavedExclusions(crossovers=True)
    assert narrowed(SearchQuery(), saved).crossover is False
    assert narrowed(SearchQuery(crossover=False), saved).work_ids is None
    assert narrowed(SearchQuery(crossover=True), saved).work_ids == ()
