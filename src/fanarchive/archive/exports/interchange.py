"""A stored work back in the interchange form, for the download writers."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from fanarchive.archive.access import credited_creatorships, visible_chapters, visible_related
from fanarchive.archive.models import Tagging, Work
from fanarchive.domain.work import (
    IndexEntry,
    ParsedChapter,
    ParsedWork,
    Prompt,
    RelatedWork,
    SeriesRef,
    Source,
    empty_tags,
)


def parsed_from_work(work: Work) -> ParsedWork:
    tags = empty_tags()
    for tagging in Tagging.objects.filter(work=work).select_related("tag").order_by("position", "id"):
        tags[tagging.tag.kind].append(tagging.tag.name)
    stats = getattr(work, "stats", None)
    chapters = list(visible_chapters(work))
    extra = work.source_extra or {}
    prompt = extra.get("prompt")
    return ParsedWork(
        title=work.title,
        authors=list(credited_creatorships([work.pk]).values_list("pseud__name", flat=True)),
        summary=work.summary or None,
        notes=work.notes or None,
        end_notes=work.end_notes or None,
        language=work.language or None,
        tags=tags,
        status="complete" if work.complete else "in-progress",
        published=work.published.isoformat(),
        updated=work.updated.isoformat(),
        chapters_expected=work.expected_chapters,
        stats={
            "words": work.word_count,
            "chapters": len(chapters),
            **(
                {
                    "kudos": stats.kudos,
                    "hits": stats.hits,
                    "comments": stats.comments,
                    "bookmarks": stats.bookmarks,
                }
                if stats
                else {}
            ),
        },
        chapters=[
            ParsedChapter(
                number=chapter.position,
                html=chapter.body,
                title=chapter.title or None,
                summary=chapter.summary or None,
                notes=chapter.notes or None,
                end_notes=chapter.end_notes or None,
                words=chapter.word_count,
                published=chapter.published.isoformat() if chapter.published else None,
            )
            for chapter in chapters
        ],
        series=[
            SeriesRef(title=serial.series.title, position=serial.position)
            for serial in work.serial_works.select_related("series")
        ],
        related=[
            RelatedWork(
                relation=r.relation, title=r.title, url=r.url or None, authors=[a for a in [r.authors] if a]
            )
            # A download is one file for every reader: it names only works a guest may see.
            for r in visible_related(AnonymousUser(), work)
        ],
        index=[
            IndexEntry(number=e["number"], title=e["title"], stats=e.get("stats", {}))
            for e in extra.get("index", [])
        ],
        prompt=Prompt(asker=prompt.get("asker"), text=prompt["text"]) if prompt else None,
        metadata=dict(extra.get("metadata", {})),
        doubts=list(extra.get("doubts", [])),
        source=Source(
            format=work.source_format or "fanarchive",
            site=work.source_site or None,
            url=work.source_url or None,
            id=work.source_id or None,
        ),
    )
