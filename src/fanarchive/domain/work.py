"""The interchange form every parser produces and every exporter and importer consumes.

Its JSON form ("work JSON") is a public contract, documented in docs/work-json.md and
docs/work.schema.json: extend it compatibly, never rename or drop a key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from fanarchive.domain.tags import TAG_KINDS, TagKind

SCHEMA_VERSION = 1

STATUSES = ("complete", "in-progress")


def empty_tags() -> dict[str, list[str]]:
    return {kind.value: [] for kind in TAG_KINDS}


@dataclass
class ParsedChapter:
    number: int
    html: str
    title: str | None = None
    summary: str | None = None
    notes: str | None = None
    end_notes: str | None = None
    words: int = 0
    published: str | None = None


@dataclass
class IndexEntry:
    """One line of a source's table of contents, kept when the file holds only part of the work."""

    number: int
    title: str
    stats: dict[str, int] = field(default_factory=dict)


@dataclass
class Prompt:
    asker: str | None
    text: str


@dataclass
class SeriesRef:
    title: str
    position: int | None = None
    url: str | None = None


@dataclass
class RelatedWork:
    # "inspired_by" (this work was inspired by it), "inspired" (it was inspired by this one),
    # "translation_of", "translated_as"
    relation: str
    title: str
    url: str | None = None
    authors: list[str] = field(default_factory=list)


@dataclass
class Source:
    format: str
    site: str | None = None
    url: str | None = None
    id: str | None = None


@dataclass
class ParsedWork:
    title: str
    authors: list[str] = field(default_factory=list)
    summary: str | None = None
    notes: str | None = None
    end_notes: str | None = None
    language: str | None = None
    tags: dict[str, list[str]] = field(default_factory=empty_tags)
    status: str | None = None
    published: str | None = None
    updated: str | None = None
    chapters_expected: int | None = None
    stats: dict[str, int] = field(default_factory=dict)
    chapters: list[ParsedChapter] = field(default_factory=list)
    index: list[IndexEntry] = field(default_factory=list)
    prompt: Prompt | None = None
    series: list[SeriesRef] = field(default_factory=list)
    related: list[RelatedWork] = field(default_factory=list)
    source: Source = field(default_factory=lambda: Source(format="unknown"))
    # Source fields that have no place above (eFiction classes, FFN genres as given, ...), kept
    # verbatim so that nothing the source said is lost.
    metadata: dict[str, Any] = field(default_factory=dict)
    doubts: list[str] = field(default_factory=list)

    def tags_of(self, kind: TagKind) -> list[str]:
        return self.tags.setdefault(kind.value, [])

    def add_tag(self, kind: TagKind, name: str) -> None:
        names = self.tags_of(kind)
        if name and name not in names:
            names.append(name)

    @property
    def words(self) -> int:
        return sum(chapter.words for chapter in self.chapters)


def work_to_dict(work: ParsedWork) -> dict[str, Any]:
    tags = empty_tags()
    for kind, names in work.tags.items():
        tags[kind] = list(names)
    return {
        "title": work.title,
        "authors": list(work.authors),
        "summary": work.summary,
        "notes": work.notes,
        "end_notes": work.end_notes,
        "language": work.language,
        "tags": tags,
        "status": work.status,
        "published": work.published,
        "updated": work.updated,
        "chapters_expected": work.chapters_expected,
        "words": work.words,
        "stats": dict(work.stats),
        "chapters": [
            {
                "number": c.number,
                "title": c.title,
                "summary": c.summary,
                "notes": c.notes,
                "end_notes": c.end_notes,
                "html": c.html,
                "words": c.words,
                "published": c.published,
            }
            for c in work.chapters
        ],
        "index": [{"number": e.number, "title": e.title, "stats": dict(e.stats)} for e in work.index],
        "prompt": None if work.prompt is None else {"asker": work.prompt.asker, "text": work.prompt.text},
        "series": [{"title": s.title, "position": s.position, "url": s.url} for s in work.series],
        "related": [
            {"relation": r.relation, "title": r.title, "url": r.url, "authors": list(r.authors)}
            for r in work.related
        ],
        "source": {
            "format": work.source.format,
            "site": work.source.site,
            "url": work.source.url,
            "id": work.source.id,
        },
        "metadata": dict(work.metadata),
        "doubts": list(work.doubts),
    }


def work_from_dict(data: dict[str, Any]) -> ParsedWork:
    tags = empty_tags()
    for kind, names in (data.get("tags") or {}).items():
        tags[kind] = [str(name) for name in names]
    source = data.get("source") or {}
    prompt = data.get("prompt")
    return ParsedWork(
        title=data["title"],
        authors=list(data.get("authors") or []),
        summary=data.get("summary"),
        notes=data.get("notes"),
        end_notes=data.get("end_notes"),
        language=data.get("language"),
        tags=tags,
        status=data.get("status"),
        published=data.get("published"),
        updated=data.get("updated"),
        chapters_expected=data.get("chapters_expected"),
        stats={str(k): int(v) for k, v in (data.get("stats") or {}).items()},
        chapters=[
            ParsedChapter(
                number=int(c["number"]),
                html=c["html"],
                title=c.get("title"),
                summary=c.get("summary"),
                notes=c.get("notes"),
                end_notes=c.get("end_notes"),
                words=int(c.get("words") or 0),
                published=c.get("published"),
            )
            for c in data.get("chapters") or []
        ],
        index=[
            IndexEntry(number=int(e["number"]), title=e["title"], stats=dict(e.get("stats") or {}))
            for e in data.get("index") or []
        ],
        prompt=None if not prompt else Prompt(asker=prompt.get("asker"), text=prompt["text"]),
        series=[
            SeriesRef(title=s["title"], position=s.get("position"), url=s.get("url"))
            for s in data.get("series") or []
        ],
        related=[
            RelatedWork(
                relation=r["relation"],
                title=r["title"],
                url=r.get("url"),
                authors=list(r.get("authors") or []),
            )
            for r in data.get("related") or []
        ],
        source=Source(
            format=source.get("format") or "unknown",
            site=source.get("site"),
            url=source.get("url"),
            id=source.get("id"),
        ),
        metadata=dict(data.get("metadata") or {}),
        doubts=list(data.get("doubts") or []),
    )


def works_to_json(works: list[ParsedWork], indent: int | None = 2) -> str:
    return json.dumps({"works": [work_to_dict(w) for w in works]}, ensure_ascii=False, indent=indent)


def works_from_json(text: str) -> list[ParsedWork]:
    data = json.loads(text)
    return [work_from_dict(item) for item in data["works"]]
