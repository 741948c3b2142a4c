"""SearchDocuments for a batch of works, in a fixed number of queries whatever the batch size."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q

from fanarchive.archive.access import credited_creatorships, posted_chapters, seen_q
from fanarchive.archive.models import Chapter, FilterTagging, Tag, Tagging, Work
from fanarchive.domain.languages import language_tag
from fanarchive.domain.text import html_to_text
from fanarchive.domain.visibility import Visibility, audience
from fanarchive.search.documents import ChapterText, SearchDocument, TagEntry


def build_documents(work_ids: list[int]) -> list[SearchDocument]:
    works = list(Work.objects.filter(pk__in=work_ids).select_related("stats"))
    if not works:
        return []
    ids = [work.pk for work in works]
    authors: dict[int, list[str]] = defaultdict(list)
    creator_ids: dict[int, list[int]] = defaultdict(list)
    for work_id, name, user_id in credited_creatorships(ids).values_list(
        "work_id", "pseud__name", "pseud__user_id"
    ):
        authors[work_id].append(name)
        creator_ids[work_id].append(user_id)
    chapters: dict[int, list[ChapterText]] = defaultdict(list)
    chapter_notes: dict[int, list[str]] = defaultdict(list)
    for work_id, position, title, body, chapter_note, chapter_end_note in (
        posted_chapters(Chapter.objects.filter(work_id__in=ids))
        .order_by("work_id", "position")
        .values_list("work_id", "position", "title", "body", "notes", "end_notes")
    ):
        chapters[work_id].append(ChapterText(number=position, title=title, text=html_to_text(body)))
        chapter_notes[work_id] += [html_to_text(n) for n in (chapter_note, chapter_end_note) if n]
    tags: dict[int, dict[str, list[tuple[int, str]]]] = defaultdict(lambda: defaultdict(list))
    tag_names: dict[int, list[str]] = defaultdict(list)
    canonical_ids: set[int] = set()
    for work_id, tag_id, name, kind, merger_id, merger_name in Tagging.objects.filter(
        work_id__in=ids
    ).values_list("work_id", "tag_id", "tag__name", "tag__kind", "tag__merger_id", "tag__merger__name"):
        shown = (merger_id, merger_name) if merger_id else (tag_id, name)
        if shown not in tags[work_id][kind]:
            tags[work_id][kind].append(shown)
        tag_names[work_id] += [name] + ([merger_name] if merger_name else [])
        canonical_ids.add(shown[0])
    synonyms: dict[int, list[str]] = defaultdict(list)
    # A work answers `tag:` searches for the synonyms of its tags too, but only for those a guest
    # may see used (access.py's rule): a synonym only a draft uses must not make a public work
    # findable by its name. (Conservative: a work's document learns of a newly public synonym when
    # it is next indexed.)
    public = Tagging.objects.filter(seen_q(Visibility(), "work__"), tag=OuterRef("pk"))
    for merger_id, name in (
        Tag.objects.filter(merger_id__in=canonical_ids)
        .filter(Exists(public))
        .values_list("merger_id", "name")
    ):
        synonyms[merger_id].append(name)
    filter_ids: dict[int, list[int]] = defaultdict(list)
    for work_id, tag_id in FilterTagging.objects.filter(work_id__in=ids).values_list("work_id", "tag_id"):
        filter_ids[work_id].append(tag_id)

    documents = []
    for work in works:
        stats = getattr(work, "stats", None)
        work_tags = {kind: list(pairs) for kind, pairs in tags[work.pk].items()}
        names = list(tag_names[work.pk])
        for pairs in work_tags.values():
            for tag_id, _name in pairs:
                names += synonyms.get(tag_id, [])
        notes = [html_to_text(n) for n in (work.notes, work.end_notes) if n] + chapter_notes[work.pk]
        documents.append(
            SearchDocument(
                work_id=work.pk,
                title=work.title,
                authors=authors[work.pk],
                creator_ids=sorted(set(creator_ids[work.pk])),
                summary=html_to_text(work.summary),
                notes="\n".join(notes),
                chapters=chapters[work.pk],
                filter_tag_ids=sorted(filter_ids[work.pk]),
                tag_names=list(dict.fromkeys(names)),
                tags=work_tags,
                language=(language_tag(work.language) or work.language).lower(),
                complete=work.complete,
                crossover=len(work_tags.get("fandom", [])) > 1,
                words=work.word_count,
                chapters_count=len(chapters[work.pk]),
                chapters_expected=work.expected_chapters,
                kudos=stats.kudos if stats else 0,
                hits=stats.hits if stats else 0,
                comments=stats.comments if stats else 0,
                bookmarks=stats.bookmarks if stats else 0,
                published=work.published,
                updated=work.updated,
                restricted=work.restricted,
                posted=work.posted,
                hidden=work.hidden_by_admin,
            )
        )
    return documents


def tag_entries(tag_ids: set[int] | None = None) -> list[TagEntry]:
    """Autocomplete entries for these tags and their synonyms (all tags when None)."""
    query = Tag.objects.select_related("merger")
    if tag_ids is not None:
        related = set(
            Tag.objects.filter(pk__in=tag_ids).exclude(merger=None).values_list("merger_id", flat=True)
        )
        wanted = set(tag_ids) | related
        query = query.filter(Q(pk__in=wanted) | Q(merger_id__in=wanted))
    tags = list(query)
    filed_ids = {tag.merger_id or tag.pk for tag in tags}
    uses = dict(
        FilterTagging.objects.filter(tag_id__in=filed_ids)
        .values("tag_id")
        .annotate(n=Count("id"))
        .values_list("tag_id", "n")
    )
    audiences = _audiences({tag.pk for tag in tags} if tag_ids is not None else None)
    return [
        TagEntry(
            tag_id=tag.pk,
            name=tag.name,
            kind=tag.kind,
            canonical_id=tag.merger_id,
            canonical_name=tag.merger.name if tag.merger else None,
            uses=uses.get(tag.merger_id or tag.pk, 0),
            audiences=frozenset(audiences.get(tag.pk, ())),
        )
        for tag in tags
    ]


def _audiences(tag_ids: set[int] | None) -> dict[int, set[int]]:
    """Each tag's audience codes: those of the posted works (drafts have none) that carry it or are
    filed under it, the rule of archive/access.py's visible_tags (a synonym only through its own
    uses).

    One EXISTS a code and table, each stopping at the first such work, joined rather than tested
    with IN: a tag on 100,000 works costs a few index probes, not a pass over its uses."""
    checks = {}
    for hidden in (False, True):
        for restricted in (False, True):
            flags = {"work__posted": True, "work__hidden_by_admin": hidden, "work__restricted": restricted}
            carried = Exists(Tagging.objects.filter(tag=OuterRef("pk"), **flags))
            filed = Exists(FilterTagging.objects.filter(tag=OuterRef("pk"), **flags))
            checks[f"audience_{audience(hidden=hidden, restricted=restricted)}"] = carried | filed
    tags = Tag.objects.all() if tag_ids is None else Tag.objects.filter(pk__in=tag_ids)
    return {
        row["pk"]: {int(name.rsplit("_", 1)[1]) for name in checks if row[name]}
        for row in tags.annotate(**checks).values("pk", *checks)
    }
