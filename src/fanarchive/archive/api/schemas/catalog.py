"""Tags (with their synonyms, meta and sub tags), fandoms with their work counts, and series."""

from __future__ import annotations

from ninja import Field, Schema

from fanarchive.archive.api.schemas.works import TagRef, WorkSummary


class TagDetail(TagRef):
    canonical: bool
    merger: TagRef | None = Field(description="For a synonym: the canonical tag it is filed under")
    synonyms: list[TagRef]
    parents: list[TagRef] = Field(description="Fandoms a character or relationship belongs to")
    metas: list[TagRef] = Field(description="Broader tags: this tag's works are listed under them too")
    subs: list[TagRef] = Field(description="Narrower tags, whose works this tag lists")


class TagSuggestionOut(TagRef):
    canonical_id: int
    canonical_name: str


class FandomCount(TagRef):
    works: int
    media: str


class SeriesEntry(Schema):
    position: int
    work: WorkSummary


class SeriesOut(Schema):
    id: int
    title: str
    summary_html: str
    notes_html: str
    complete: bool
    works: list[SeriesEntry]
