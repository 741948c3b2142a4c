"""Everything a works listing shows about each work, fetched in a fixed number of queries however
long the page is."""

from __future__ import annotations

from dataclasses import dataclass, field

from fanarchive.archive.access import Viewer, credited_creatorships, posted_chapter_counts, tags_with_works
from fanarchive.archive.models import SerialWork, StatCounter, Tag, Tagging, Work
from fanarchive.archive.pagecache.dependencies import shows_works
from fanarchive.domain.tags import TAG_KINDS, TagKind


@dataclass
class Blurb:
    work: Work
    authors: list[tuple[str, str]] = field(default_factory=list)  # (pseud name, username)
    tags: dict[str, list[Tag]] = field(default_factory=dict)
    stats: StatCounter | None = None
    chapters_posted: int = 0
    # Every series holding a visible work is visible to whoever sees the work.
    series: list[SerialWork] = field(default_factory=list)

    def tags_of(self, kind: TagKind) -> list[Tag]:
        return self.tags.get(kind.value, [])

    @property
    def rating(self) -> str:
        names = [tag.name for tag in self.tags_of(TagKind.RATING)]
        return names[0] if names else "Not Rated"

    @property
    def tag_groups(self) -> list[tuple[TagKind, list[Tag]]]:
        return [(kind, self.tags[kind.value]) for kind in TAG_KINDS if self.tags.get(kind.value)]

    @property
    def chapters_label(self) -> str:
        expected = self.work.expected_chapters
        return f"{self.chapters_posted}/{expected if expected else '?'}"


def build_blurbs(works: list[Work]) -> list[Blurb]:
    ids = [work.pk for work in works]
    shows_works(ids)  # a page with these blurbs is kept only while these works are unchanged
    blurbs = {work.pk: Blurb(work=work) for work in works}
    if not ids:
        return []
    for work_id, pseud_name, username in credited_creatorships(ids).values_list(
        "work_id", "pseud__name", "pseud__user__username"
    ):
        blurbs[work_id].authors.append((pseud_name, username))
    for tagging in Tagging.objects.filter(work_id__in=ids).select_related("tag").order_by("position", "id"):
        blurbs[tagging.work_id].tags.setdefault(tagging.tag.kind, []).append(tagging.tag)
    for counter in StatCounter.objects.filter(work_id__in=ids):
        blurbs[counter.work_id].stats = counter
    for work_id, count in posted_chapter_counts(ids).items():
        blurbs[work_id].chapters_posted = count
    for serial in SerialWork.objects.filter(work_id__in=ids).select_related("series").order_by("series_id"):
        blurbs[serial.work_id].series.append(serial)
    return [blurbs[work_id] for work_id in ids]


def fandom_counts(viewer: Viewer, limit: int | None = None) -> list[tuple[Tag, int]]:
    """Fandoms by how many of the works this viewer may see are filed under them."""
    rows = tags_with_works(viewer, TagKind.FANDOM.value).order_by("-works", "name")  # type: ignore[misc]
    if limit:
        rows = rows[:limit]
    return [(tag, tag.works) for tag in rows]  # type: ignore[attr-defined]
