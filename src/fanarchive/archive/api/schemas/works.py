"""What the works endpoints answer: a work's blurb (as a listing shows it), a page of them with
facets and snippets, and a work with its chapters."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from fanarchive.archive.web.blurbs import Blurb
from fanarchive.search.documents import FacetCount, Snippet


class Author(Schema):
    pseud: str
    username: str


class TagRef(Schema):
    id: int
    name: str
    kind: str


class Stats(Schema):
    kudos: int = 0
    hits: int = 0
    comments: int = 0
    bookmarks: int = 0


class SeriesPlace(Schema):
    id: int
    title: str
    position: int


class WorkSummary(Schema):
    id: int
    title: str
    summary_html: str
    authors: list[Author]
    tags: dict[str, list[TagRef]] = Field(description="By tag kind: rating, warning, category, fandom …")
    language: str
    complete: bool
    restricted: bool
    words: int
    chapters_posted: int
    chapters_expected: int | None
    published: dt.date
    updated: dt.date
    stats: Stats
    series: list[SeriesPlace]

    @staticmethod
    def of(blurb: Blurb) -> WorkSummary:
        work, counter = blurb.work, blurb.stats
        return WorkSummary(
            id=work.pk,
            title=work.title,
            summary_html=work.summary,
            authors=[Author(pseud=p, username=u) for p, u in blurb.authors],
            tags={
                kind: [TagRef(id=t.pk, name=t.name, kind=t.kind) for t in tags]
                for kind, tags in blurb.tags.items()
            },
            language=work.language,
            complete=work.complete,
            restricted=work.restricted,
            words=work.word_count,
            chapters_posted=blurb.chapters_posted,
            chapters_expected=work.expected_chapters,
            published=work.published,
            updated=work.updated,
            stats=Stats(
                kudos=counter.kudos, hits=counter.hits, comments=counter.comments, bookmarks=counter.bookmarks
            )
            if counter
            else Stats(),
            series=[
                SeriesPlace(id=s.series_id, title=s.series.title, position=s.position) for s in blurb.series
            ],
        )


class Facet(Schema):
    tag_id: int
    name: str
    count: int

    @staticmethod
    def of(facet: FacetCount) -> Facet:
        return Facet(tag_id=facet.tag_id, name=facet.name, count=facet.count)


class SearchSnippet(Schema):
    chapter: int
    html: str = Field(description="Escaped text with the matches in <mark>")

    @staticmethod
    def of(snippet: Snippet) -> SearchSnippet:
        return SearchSnippet(chapter=snippet.chapter, html=snippet.html)


class WorkListItem(WorkSummary):
    snippet: SearchSnippet | None = None


class WorkList(Schema):
    total: int = Field(description="Every matching work, on all pages")
    items: list[WorkListItem]
    next_cursor: str | None
    next: str | None = Field(description="The next page's URL, or null on the last page")
    facets: dict[str, list[Facet]] = Field(default_factory=dict, description="By tag kind, when facets=true")
    problems: list[str] = Field(default_factory=list, description="Parameters that were ignored, and why")
    message: str | None = Field(None, description="Why the search text was read as plain words, if it was")
