"""What every search backend answers alike, run against each factory in conftest.BACKENDS."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from fanarchive.domain.query import SearchQuery, Sort
from fanarchive.domain.visibility import Visibility, audience
from fanarchive.search.backend import SearchBackend
from fanarchive.search.documents import ChapterText, FacetCount, SearchDocument, Snippet, TagEntry

from .conftest import (
    FAMILY_META,
    FANDOM_A,
    FANDOM_B,
    FOUND_FAMILY,
    GENERAL,
    MATURE,
    SHIP,
    TEEN,
    TIME_TRAVEL,
    VISIBLE,
    corpus,
)


def found(backend: SearchBackend, text: str = "", **kw: object) -> set[int]:
    result = backend.search(SearchQuery(text=text, per_page=100, **kw))  # type: ignore[arg-type]
    assert result.total == len(result.ids)
    return set(result.ids)


def ordered(backend: SearchBackend, text: str = "", **kw: object) -> list[int]:
    return backend.search(SearchQuery(text=text, per_page=100, **kw)).ids  # type: ignore[arg-type]


# --- the search box ---------------------------------------------------------------------


def test_a_word_is_found_in_title_summary_notes_and_text(backend: SearchBackend) -> None:
    assert found(backend, "dragon") == {1, 2, 7}


def test_every_word_must_match(backend: SearchBackend) -> None:
    assert found(backend, "knight snow") == {1}
    assert found(backend, "knight sea") == set()


def test_words_may_match_in_different_fields(backend: SearchBackend) -> None:
    assert found(backend, "winter dragon") == {2}  # title/summary + text


def test_exact_phrase(backend: SearchBackend) -> None:
    assert found(backend, '"red door"') == {3}
    assert found(backend, '"door red"') == set()


def test_or(backend: SearchBackend) -> None:
    assert found(backend, "knight OR sea") == {1, 3, 7}
    assert found(backend, "(knight OR waves) dragon") == {1, 7}


def test_excluded_word(backend: SearchBackend) -> None:
    assert found(backend, "dragon -knight") == {2, 7}
    assert found(backend, '-dragon -"red door"') == {8}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title:dragon", {1}),
        ("author:ann", {1, 3}),
        ('author:"ann author"', {1, 3}),
        ("summary:tea", {2}),
        ("notes:beta", {7}),
        ('tag:"found family"', {1, 7}),
        ("tag:families", {7}),  # a synonym's name
        ("text:dragon", {2}),
        ("title:(song OR tea)", {2, 7}),
    ],
)
def test_field_prefixes(backend: SearchBackend, text: str, expected: set[int]) -> None:
    assert found(backend, text) == expected


def test_accents_fold(backend: SearchBackend) -> None:
    assert found(backend, "cafe") == {3}
    assert found(backend, "CAFÉ") == {3}


def test_title_and_summary_rank_above_body(backend: SearchBackend) -> None:
    ids = ordered(backend, "dragon")
    assert ids[0] == 1  # title and summary
    assert ids.index(1) < ids.index(2)  # body only


def test_relevance_is_the_default_sort_with_text(backend: SearchBackend) -> None:
    assert ordered(backend, "dragon") == ordered(backend, "dragon", sort=Sort.RELEVANCE)


def test_unreadable_query_gets_a_message_and_a_plain_search(backend: SearchBackend) -> None:
    result = backend.search(SearchQuery(text='knight "snow'))
    assert result.message is not None and "quotation mark" in result.message
    assert result.ids == [1]
    assert backend.search(SearchQuery(text="knight snow")).message is None


def test_text_with_no_searchable_word_lists_everything(backend: SearchBackend) -> None:
    assert found(backend, "&& !!") == VISIBLE


# --- snippets ---------------------------------------------------------------------------


def test_snippet_marks_the_match_and_names_its_chapter(backend: SearchBackend) -> None:
    result = backend.search(SearchQuery(text="gold"))
    snippet = result.snippets[1]
    assert snippet.chapter == 2
    assert "<mark>gold</mark>" in snippet.html
    assert "beast slept beside its" in snippet.html


def test_snippet_is_escaped(backend: SearchBackend) -> None:
    html = backend.search(SearchQuery(text="board")).snippets[2].html
    assert "<mark>board</mark>" in html
    assert "&quot;x &lt; y &amp; z&quot;" in html or "x &lt; y &amp; z" in html
    assert "<" not in html.replace("<mark>", "").replace("</mark>", "")


def test_no_snippet_without_a_text_match(backend: SearchBackend) -> None:
    result = backend.search(SearchQuery(text="title:dragon"))
    assert result.ids == [1]
    assert result.snippets == {}


# --- filters ----------------------------------------------------------------------------


def test_include_tags_all_required(backend: SearchBackend) -> None:
    assert found(backend, include_tag_ids=(FANDOM_A,)) == {1, 2, 3}
    assert found(backend, include_tag_ids=(FANDOM_A, FOUND_FAMILY)) == {1}
    assert found(backend, include_tag_ids=(FAMILY_META,)) == {1, 7}


def test_exclude_tags(backend: SearchBackend) -> None:
    assert found(backend, exclude_tag_ids=(FANDOM_A,)) == {7, 8}
    assert found(backend, exclude_tag_ids=(FANDOM_A, FANDOM_B)) == {8}


def test_any_of_tags(backend: SearchBackend) -> None:
    assert found(backend, any_tag_ids=((SHIP, TIME_TRAVEL),)) == {2, 3}
    assert found(backend, any_tag_ids=((SHIP, TIME_TRAVEL), (TEEN,))) == {3}


def test_filters_combine_with_text(backend: SearchBackend) -> None:
    assert found(backend, "dragon", include_tag_ids=(GENERAL,)) == {2, 7}
    assert found(backend, "dragon", exclude_tag_ids=(MATURE,), complete=True) == {7}


def test_complete(backend: SearchBackend) -> None:
    assert found(backend, complete=True) == {1, 3, 7}
    assert found(backend, complete=False) == {2, 8}


def test_crossover(backend: SearchBackend) -> None:
    assert found(backend, crossover=True) == {3}
    assert found(backend, crossover=False) == VISIBLE - {3}


def test_word_range_is_inclusive(backend: SearchBackend) -> None:
    assert found(backend, words_min=1200, words_max=5000) == {1, 2}
    assert found(backend, words_min=5001) == {3}
    assert found(backend, words_max=800) == {7, 8}


def test_date_ranges_are_inclusive(backend: SearchBackend) -> None:
    assert found(backend, updated_from=dt.date(2022, 1, 1), updated_to=dt.date(2022, 8, 8)) == {2, 7}
    assert found(backend, published_to=dt.date(2019, 5, 5)) == {3, 8}
    assert found(backend, published_from=dt.date(2022, 1, 1)) == {7}


def test_language(backend: SearchBackend) -> None:
    assert found(backend, language="fr") == {3}
    assert found(backend, language="EN") == {1, 2, 7}


# Accounts credited on the corpus's works: Ann (1) wrote 1 and co-wrote 3; 8 has none (imported).
CREATORS = {1: [1], 2: [2], 3: [3, 1], 4: [4], 5: [4], 6: [4], 7: [5]}


def test_a_readers_saved_exclusions_leave_out_creators_and_languages(
    empty_backend: SearchBackend,
) -> None:
    empty_backend.index([dataclasses.replace(d, creator_ids=CREATORS.get(d.work_id, [])) for d in corpus()])
    empty_backend.commit()
    assert found(empty_backend, exclude_creator_ids=(1,)) == {2, 7, 8}
    assert found(empty_backend, exclude_creator_ids=(2, 5)) == {1, 3, 8}
    assert found(empty_backend, "dragon", exclude_creator_ids=(1,)) == {2, 7}
    assert found(empty_backend, exclude_languages=("EN",)) == {3, 8}
    assert found(empty_backend, exclude_languages=("fr", "de"), exclude_creator_ids=(5,)) == {1, 2}
    counted = empty_backend.search(SearchQuery(facets=True, exclude_creator_ids=(1,)))
    assert counted.total == 3
    assert {f.tag_id: f.count for f in counted.facets["fandom"]} == {FANDOM_A: 1, FANDOM_B: 1}


def test_restrict_to_work_ids(backend: SearchBackend) -> None:
    assert found(backend, work_ids=(2, 3, 5, 99)) == {2, 3}
    assert found(backend, work_ids=()) == set()


# --- sorts and pages --------------------------------------------------------------------

_KEYS = {
    Sort.UPDATED: lambda d: d.updated,
    Sort.PUBLISHED: lambda d: d.published,
    Sort.KUDOS: lambda d: d.kudos,
    Sort.HITS: lambda d: d.hits,
    Sort.COMMENTS: lambda d: d.comments,
    Sort.BOOKMARKS: lambda d: d.bookmarks,
    Sort.WORDS: lambda d: d.words,
    Sort.TITLE: lambda d: d.title.casefold(),
    Sort.AUTHOR: lambda d: d.authors[0].casefold(),
}


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("sort", list(_KEYS))
def test_sorts(backend: SearchBackend, sort: Sort, descending: bool) -> None:
    visible = [d for d in corpus() if d.work_id in VISIBLE]
    expected = [d.work_id for d in sorted(visible, key=_KEYS[sort], reverse=descending)]
    assert ordered(backend, sort=sort, descending=descending) == expected


def test_sort_by_title_spells_out_the_order(backend: SearchBackend) -> None:
    # Case-insensitive: "an Untitled Thing" sorts among the A's.
    assert ordered(backend, sort=Sort.TITLE) == [8, 3, 7, 1, 2]


def test_default_listing_sort_is_updated_newest_first(backend: SearchBackend) -> None:
    assert ordered(backend) == [3, 7, 2, 1, 8]


def test_ties_break_by_work_id(empty_backend: SearchBackend) -> None:
    twins = [SearchDocument(i, "Same", ["x"], kudos=5) for i in (3, 1, 2)]
    empty_backend.index(twins)
    empty_backend.commit()
    assert ordered(empty_backend, sort=Sort.KUDOS, descending=False) == [1, 2, 3]
    assert ordered(empty_backend, sort=Sort.TITLE, descending=True) == [3, 2, 1]


def test_pages_and_exact_total(backend: SearchBackend) -> None:
    pages = [backend.search(SearchQuery(per_page=2, page=p)) for p in (1, 2, 3, 4)]
    assert [p.total for p in pages] == [5, 5, 5, 5]
    assert [p.ids for p in pages] == [[3, 7], [2, 1], [8], []]


# --- facets -----------------------------------------------------------------------------


def test_facets_count_the_whole_result_not_the_page(backend: SearchBackend) -> None:
    result = backend.search(SearchQuery(per_page=1, facets=True))
    assert len(result.ids) == 1
    assert result.facets["rating"] == [
        FacetCount(GENERAL, "General Audiences", 2),
        FacetCount(MATURE, "Mature", 1),
        FacetCount(TEEN, "Teen And Up Audiences", 1),
    ]
    assert result.facets["fandom"] == [
        FacetCount(FANDOM_A, "Fandom A", 3),
        FacetCount(FANDOM_B, "Fandom B", 2),
    ]
    assert result.facets["freeform"] == [
        FacetCount(FOUND_FAMILY, "Found Family", 2),
        FacetCount(TIME_TRAVEL, "Time Travel", 1),
    ]
    assert result.facets["character"] == []


def test_facets_follow_the_filters_and_the_limit(backend: SearchBackend) -> None:
    result = backend.search(SearchQuery(text="dragon", facets=True, facet_limit=1))
    assert result.facets["rating"] == [FacetCount(GENERAL, "General Audiences", 2)]
    assert result.facets["fandom"] == [FacetCount(FANDOM_A, "Fandom A", 2)]


def test_no_facets_unless_asked(backend: SearchBackend) -> None:
    assert backend.search(SearchQuery()).facets == {}


def test_facet_ties_at_the_cut_come_out_by_name_however_many_tie(empty_backend: SearchBackend) -> None:
    # 45 freeforms on one work each, and one on two: 44 tie for the other nine places, more than
    # any backend fetches at first. Names run against ids, so an order by id would show.
    names = [f"Trope {chr(ord('z') - n // 26)}{chr(ord('z') - n % 26)}" for n in range(45)]
    docs = [
        SearchDocument(n + 1, f"Work {n}", ["a"], tags={"freeform": [(500 + n, names[n])]}) for n in range(45)
    ]
    docs[0].tags["freeform"].append((500 + 44, names[44]))
    empty_backend.index(docs)
    empty_backend.commit()
    shown = empty_backend.search(SearchQuery(facets=True, facet_limit=10)).facets["freeform"]
    assert shown[0] == FacetCount(544, names[44], 2)
    assert shown[1:] == [
        FacetCount(500 + n, names[n], 1) for n in sorted(range(44), key=lambda n: names[n])[:9]
    ]


def test_a_renamed_tag_shows_its_new_name(empty_backend: SearchBackend) -> None:
    tagged = [SearchDocument(n, f"Work {n}", ["a"], tags={"fandom": [(70, "Old Name")]}) for n in range(1, 6)]
    empty_backend.index([*tagged, SearchDocument(6, "Untagged", ["a"])])
    empty_backend.commit()
    # More works carried the old name than carry the new one: the old one's traces must not win.
    empty_backend.delete([4, 5])
    empty_backend.index([dataclasses.replace(doc, tags={"fandom": [(70, "New Name")]}) for doc in tagged[:3]])
    empty_backend.commit()
    result = empty_backend.search(SearchQuery(facets=True))
    assert result.facets["fandom"] == [FacetCount(70, "New Name", 3)]


# --- who may see what -------------------------------------------------------------------


def test_restricted_works_only_for_those_allowed(backend: SearchBackend) -> None:
    assert found(backend, "secret") == set()
    assert found(backend, include_tag_ids=(GENERAL,)) == {2, 7}
    assert found(backend, "secret", viewer_can_see_restricted=True) == {4}
    assert found(backend, viewer_can_see_restricted=True) == VISIBLE | {4}


@pytest.mark.parametrize("allowed", [False, True])
def test_drafts_and_hidden_works_never_appear(backend: SearchBackend, allowed: bool) -> None:
    assert found(backend, "draft OR hidden", viewer_can_see_restricted=allowed) == set()
    assert found(backend, "title:work", viewer_can_see_restricted=allowed) == set()
    assert found(backend, work_ids=(5, 6), viewer_can_see_restricted=allowed) == set()
    result = backend.search(SearchQuery(facets=True, viewer_can_see_restricted=allowed))
    rated = len(VISIBLE) - 1  # work 8 has no rating
    assert sum(f.count for f in result.facets["rating"]) == rated + allowed


def test_hidden_works_only_for_staff_drafts_never(backend: SearchBackend) -> None:
    """query.visibility is the one rule: staff (viewer_can_see_hidden) see what admins hid."""
    staff = {"viewer_can_see_restricted": True, "viewer_can_see_hidden": True}
    assert found(backend, "draft OR hidden", **staff) == {6}
    assert found(backend, work_ids=(5, 6), **staff) == {6}
    assert found(backend, **staff) == VISIBLE | {4, 6}


def test_autocomplete_offers_a_tag_only_to_who_may_see_a_work_using_it(backend: SearchBackend) -> None:
    """TagEntry.audiences: the codes of the posted works using a tag (domain.visibility.audience)."""
    public, restricted, hidden, draft_only = (
        frozenset({audience(hidden=False, restricted=False)}),
        frozenset({audience(hidden=False, restricted=True)}),
        frozenset({audience(hidden=True, restricted=False)}),
        frozenset[int](),
    )
    backend.index_tags(
        [
            TagEntry(2001, "Quokka Public", "freeform", audiences=public),
            TagEntry(2002, "Quokka Members", "freeform", audiences=restricted),
            TagEntry(2003, "Quokka Hidden", "freeform", audiences=hidden),
            TagEntry(2004, "Quokka Draft", "freeform", audiences=draft_only),
            TagEntry(2005, "Quokka Both", "freeform", audiences=public | hidden),
        ]
    )
    backend.commit()
    guest = Visibility()
    member = Visibility(restricted=True)
    staff = Visibility(restricted=True, hidden=True)
    assert sorted(names(backend, "quokka")) == ["Quokka Both", "Quokka Public"]
    assert sorted(names(backend, "quokka", visibility=guest)) == ["Quokka Both", "Quokka Public"]
    assert sorted(names(backend, "quokka", visibility=member)) == [
        "Quokka Both",
        "Quokka Members",
        "Quokka Public",
    ]
    assert sorted(names(backend, "quokka", visibility=staff)) == [
        "Quokka Both",
        "Quokka Hidden",
        "Quokka Members",
        "Quokka Public",
    ]
    assert names(backend, "quokka draft", visibility=staff) == []


# --- writes -----------------------------------------------------------------------------


def test_delete(backend: SearchBackend) -> None:
    backend.delete([1, 12345])
    backend.commit()
    assert found(backend, "knight") == set()
    assert backend.count() == 7


def test_indexing_an_id_again_replaces_it(backend: SearchBackend) -> None:
    changed = dataclasses.replace(corpus()[0], title="Renamed Entirely", summary="", chapters=[])
    backend.index([changed, changed])
    backend.commit()
    assert backend.count() == 8
    assert found(backend, "knight") == set()
    assert found(backend, "renamed") == {1}


def test_writes_are_invisible_until_commit(backend: SearchBackend) -> None:
    backend.index([SearchDocument(50, "Brand New", ["x"], chapters=[ChapterText(1, "", "zebra")])])
    backend.delete([2])
    assert found(backend, "zebra") == set()
    assert 2 in found(backend)
    backend.commit()
    assert found(backend, "zebra") == {50}
    assert 2 not in found(backend)


def test_clear(backend: SearchBackend) -> None:
    backend.clear()
    backend.commit()
    assert backend.count() == 0
    assert found(backend) == set()
    assert backend.autocomplete_tags("harry") == []


# --- tag autocomplete -------------------------------------------------------------------


def names(backend: SearchBackend, text: str, **kw: object) -> list[str]:
    return [s.name for s in backend.autocomplete_tags(text, **kw)]  # type: ignore[arg-type]


def test_autocomplete_by_prefix_exact_first(backend: SearchBackend) -> None:
    assert names(backend, "harry potter") == [
        "Harry Potter",
        "Harry Potter - J. K. Rowling",
    ]  # the movies synonym folds into its canonical


def test_autocomplete_infix_after_prefix(backend: SearchBackend) -> None:
    assert names(backend, "pot") == ["Potterwatch", "Harry Potter - J. K. Rowling", "Harry Potter"]
    assert names(backend, "comf") == ["Hurt/Comfort"]


def test_autocomplete_shows_a_synonym_with_its_canonical(backend: SearchBackend) -> None:
    [suggestion] = backend.autocomplete_tags("hp")
    assert (suggestion.name, suggestion.canonical_id) == ("HP", 1000)
    assert suggestion.canonical_name == "Harry Potter - J. K. Rowling"
    assert suggestion.is_synonym


def test_autocomplete_limit_kind_and_nothing(backend: SearchBackend) -> None:
    assert names(backend, "har", limit=1) == ["Harry Potter - J. K. Rowling"]
    assert names(backend, "harry", kind="character") == ["Harry Potter"]
    assert names(backend, "zzz") == []
    assert names(backend, "  ") == []


def test_autocomplete_tag_delete_and_replace(backend: SearchBackend) -> None:
    backend.delete_tags([1004])
    backend.commit()
    assert "Potterwatch" not in names(backend, "pot")


def test_snippet_chapter_is_right_after_empty_chapters(empty_backend: SearchBackend) -> None:
    chapters = [ChapterText(1, "", ""), ChapterText(2, "", "  "), ChapterText(4, "", "  The naïve dragon  ")]
    empty_backend.index([SearchDocument(9, "Gaps", ["x"], chapters=chapters)])
    empty_backend.commit()
    snippet = empty_backend.search(SearchQuery(text="naive")).snippets[9]
    assert snippet == Snippet(4, "The <mark>naïve</mark> dragon")


def test_long_chapter_snippet_is_a_passage_around_the_match(empty_backend: SearchBackend) -> None:
    text = "Plain filler words go here. " * 40 + "The lantern glowed. " + "More filler follows now. " * 40
    empty_backend.index([SearchDocument(9, "Long", ["x"], chapters=[ChapterText(1, "", text)])])
    empty_backend.commit()
    html = empty_backend.search(SearchQuery(text="lantern")).snippets[9].html
    assert "<mark>lantern</mark>" in html
    assert html.startswith("…") and html.endswith("…")
    assert len(html) < 400


def test_backend_follows_the_protocol_and_empty_restrictions_match_nothing(backend: SearchBackend) -> None:
    assert isinstance(backend, SearchBackend)
    assert found(backend, work_ids=()) == set()
    assert found(backend, any_tag_ids=((),)) == set()


def test_phrase_snippet_comes_from_the_chapter_holding_the_phrase(empty_backend: SearchBackend) -> None:
    chapters = [
        ChapterText(n, "", f"Part {n} of Driftwood, where the tide of Driftwood turns.") for n in (1, 2, 3)
    ]
    chapters.append(ChapterText(4, "", "Driftwood washes up. Part of it is 3 feet long."))
    empty_backend.index([SearchDocument(5, "Driftwood", ["x"], chapters=chapters)])
    empty_backend.commit()
    result = empty_backend.search(SearchQuery(text='"part 3 of driftwood"'))
    assert result.ids == [5]
    assert result.snippets[5].chapter == 3
    assert "<mark>3</mark>" in result.snippets[5].html
    words = empty_backend.search(SearchQuery(text="feet driftwood"))
    assert words.snippets[5].chapter == 4
