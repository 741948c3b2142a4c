from __future__ import annotations

import datetime as dt

import pytest

from fanarchive.domain.query import (
    All,
    Any,
    Field,
    Match,
    Not,
    SearchQuery,
    Sort,
    parse_query,
    positive_matches,
    query_from_params,
)


def node(text: str) -> object:
    parsed = parse_query(text)
    assert parsed.message is None, parsed.message
    return parsed.node


def test_empty_text_has_no_query() -> None:
    assert parse_query("   ").node is None


def test_words_are_all_required() -> None:
    assert node("red dragon") == All((Match("red"), Match("dragon")))


def test_phrase_and_smart_quotes() -> None:
    assert node('"red dragon"') == Match("red dragon", phrase=True)
    assert node("\u201cred dragon\u201d") == Match("red dragon", phrase=True)


def test_or_binds_tighter_than_and() -> None:
    assert node("a b OR c") == All((Match("a"), Any((Match("b"), Match("c")))))
    assert node("a | b") == Any((Match("a"), Match("b")))


def test_lowercase_or_is_a_word() -> None:
    assert node("this or that") == All((Match("this"), Match("or"), Match("that")))


def test_exclusion() -> None:
    assert node("dragon -knight") == All((Match("dragon"), Not(Match("knight"))))
    assert node('NOT "red door"') == Not(Match("red door", phrase=True))
    assert node("x-men") == Match("x-men")


def test_fields_and_aliases() -> None:
    assert node("title:dragon") == Match("dragon", Field.TITLE)
    assert node('TAG:"Found Family"') == Match("Found Family", Field.TAG, phrase=True)
    assert node("authors:ann") == Match("ann", Field.AUTHOR)
    assert node("-summary:tea") == Not(Match("tea", Field.SUMMARY))
    assert node("text:(a OR b)") == Any((Match("a", Field.TEXT), Match("b", Field.TEXT)))


def test_a_space_after_a_field_is_forgiven() -> None:
    assert node("title: dragon") == Match("dragon", Field.TITLE)


def test_unknown_field_is_plain_text() -> None:
    assert node("Re:Zero") == Match("Re:Zero")


def test_parentheses_group() -> None:
    assert node("(a OR b) (c OR d)") == All((Any((Match("a"), Match("b"))), Any((Match("c"), Match("d")))))


@pytest.mark.parametrize(
    ("text", "problem", "fallback"),
    [
        ('dragon "knight', "quotation mark", All((Match("dragon"), Match("knight")))),
        ("(dragon knight", "parenthesis is not closed", All((Match("dragon"), Match("knight")))),
        ("dragon) knight", "closing parenthesis", All((Match("dragon"), Match("knight")))),
        ("dragon OR", "OR", Match("dragon")),
        ("OR dragon", "OR", Match("dragon")),
        ("dragon title:", "title:", All((Match("dragon"), Match("title")))),
        ("dragon NOT", "NOT", Match("dragon")),
        ("() dragon", "empty", Match("dragon")),
        ('"', "quotation mark", None),
        ("(" * 5000 + "a", "too many parentheses", Match("a")),
    ],
)
def test_unreadable_queries_explain_and_fall_back(text: str, problem: str, fallback: object) -> None:
    parsed = parse_query(text)
    assert parsed.message is not None and problem in parsed.message
    assert parsed.node == fallback


def test_positive_matches_skip_exclusions() -> None:
    parsed = parse_query("a (b OR -c) -d title:e")
    assert [m.text for m in positive_matches(parsed.node)] == ["a", "b", "e"]


def test_effective_sort_and_direction() -> None:
    assert SearchQuery().effective_sort is Sort.UPDATED
    assert SearchQuery(text="x").effective_sort is Sort.RELEVANCE
    assert SearchQuery(sort=Sort.RELEVANCE).effective_sort is Sort.UPDATED
    assert SearchQuery(sort=Sort.TITLE).effective_descending is False
    assert SearchQuery(sort=Sort.KUDOS).effective_descending is True
    assert SearchQuery(sort=Sort.KUDOS, descending=False).effective_descending is False


def test_paging_is_clamped() -> None:
    assert (SearchQuery(page=3, per_page=10).offset, SearchQuery(page=3, per_page=10).limit) == (20, 10)
    assert (SearchQuery(page=0, per_page=1000).offset, SearchQuery(per_page=1000).limit) == (0, 100)


def test_params_are_read() -> None:
    query = query_from_params(
        {
            "q": "dragon",
            "include": ["1", "2,3"],
            "exclude": "4",
            "any": ["5,6", "7"],
            "complete": "1",
            "crossover": "0",
            "words_from": "1,000",
            "words_to": "5000",
            "updated_from": "2020-01-02",
            "published_to": "2021-12-31",
            "language": "EN",
            "sort": "kudos",
            "order": "asc",
            "page": "3",
            "per_page": "50",
        },
        facets=True,
    )
    assert query == SearchQuery(
        text="dragon",
        include_tag_ids=(1, 2, 3),
        exclude_tag_ids=(4,),
        any_tag_ids=((5, 6), (7,)),
        complete=True,
        crossover=False,
        words_min=1000,
        words_max=5000,
        updated_from=dt.date(2020, 1, 2),
        published_to=dt.date(2021, 12, 31),
        language="en",
        sort=Sort.KUDOS,
        descending=False,
        page=3,
        per_page=50,
        facets=True,
    )
    assert query.problems == ()


def test_bad_params_are_ignored_and_reported() -> None:
    query = query_from_params(
        {
            "include": "1,x",
            "words_from": "lots",
            "updated_to": "yesterday",
            "sort": "best",
            "complete": "maybe",
        }
    )
    assert query == SearchQuery(include_tag_ids=(1,))
    assert len(query.problems) == 5
    assert any("yesterday" in p for p in query.problems)


def test_params_round_trip() -> None:
    query = SearchQuery(
        text="a b",
        include_tag_ids=(1,),
        exclude_tag_ids=(2, 3),
        any_tag_ids=((4, 5),),
        complete=False,
        crossover=True,
        words_min=10,
        updated_from=dt.date(2020, 1, 1),
        published_to=dt.date(2020, 2, 2),
        language="fr",
        sort=Sort.TITLE,
        descending=True,
        page=2,
        per_page=30,
    )
    params: dict[str, list[str]] = {}
    for key, value in query.to_params():
        params.setdefault(key, []).append(value)
    assert query_from_params(params) == query
    assert SearchQuery().to_params() == []
