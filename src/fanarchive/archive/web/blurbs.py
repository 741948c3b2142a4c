"""Everything a works listing shows about each work, fetched in a fixed number of queries however
long the page is."""

from __future__ import annotations

from dataclasses import dataclass, field

from fanarchive.archive.access import Viewer, credited_creatorships, posted_chapter_counts, tags_with_works
from fanarchive.archive.models import SerialWork, StatCounter, Tag, Tagging, Work
from fanarchive.archive.pagecache.dependencies import shows_works
from fanarchive.domain.tags import TAG_KINDS, TagKind


@dataclass
class _Rows:
    """What a page's blurbs show beyond their works' own columns, by work id."""

    authors: dict[int, list[tuple[str, str]]] = field(default_factory=dict)  # (pseud name, username)
    tags: dict[int, dict[str, list[Tag]]] = field(default_factory=dict)
    stats: dict[int, StatCounter] = field(default_factory=dict)
    chapters_posted: dict[int, int] = field(default_factory=dict)
    # Every series holding a visible work is visible to whoever sees the work.
    series: dict[int, list[SerialWork]] = field(default_factory=dict)


class _PageRows:
    """The rows behind one page's blurbs, read for all of them together the first time any blurb
    is asked for one. A page whose blurbs all come from kept fragments (templatetags/fragments.py:
    only the work's id is read to find them) reads none: most of a listing's cost when the page
    itself is made again after the index changed."""

    def __init__(self, ids: list[int]) -> None:
        self.ids = ids
        self._rows: _Rows | None = None

    def get(self) -> _Rows:
        if self._rows is None:
            self._rows = _read_rows(self.ids)
        return self._rows


def _read_rows(ids: list[int]) -> _Rows:
    rows = _Rows()
    for work_id, pseud_name, username in credited_creatorships(ids).values_list(
        "work_id", "pseud__name", "pseud__user__username"
    ):
        rows.authors.setdefault(work_id, []).append((pseud_name, username))
    for tagging in Tagging.objects.filter(work_id__in=ids).select_related("tag").order_by("position", "id"):
        rows.tags.setdefault(tagging.work_id, {}).setdefault(tagging.tag.kind, []).append(tagging.tag)
    rows.stats = {counter.work_id: counter for counter in StatCounter.objects.filter(work_id__in=ids)}
    rows.chapters_posted = posted_chapter_counts(ids)
    for serial in SerialWork.objects.filter(work_id__in=ids).select_related("series").order_by("series_id"):
        rows.series.setdefault(serial.work_id, []).append(serial)
    return rows


class Blurb:
    """One work as a listing shows it: the work, and (read with the rest of its page's, see
    _PageRows) its byline, tags, stats, posted chapters and series."""

    def __init__(self, work: Work, page: _PageRows) -> None:
        self.work = work
        self._page = page

    @property
    def authors(self) -> list[tuple[str, str]]:  # (pseud name, username)
        return self._page.get().authors.get(self.work.pk, [])

    @property
    def tags(self) -> dict[str, list[Tag]]:
        return self._page.get().tags.get(self.work.pk, {})

    @property
    def stats(self) -> StatCounter | None:
        return self._page.get().stats.get(self.work.pk)

    @property
    def chapters_posted(self) -> int:
        return self._page.get().chapters_posted.get(self.work.pk, 0)

    @property
    def series(self) -> list[SerialWork]:
        return self._page.get().series.get(self.work.pk, [])

    def tags_of(self, kind: TagKind) -> list[Tag]:
        return self.tags.get(kind.value, [])

    @property
    def rating(self) -> str:
        names = [tag.name for tag in self.tags_of(TagKind.RATING)]
        return names[0] if names else "Not Rated"

    @property
    def tag_groups(self) -> list[tuple[TagKind, list[Tag]]]:
        tags = self.tags
        return [(kind, tags[kind.value]) for kind in TAG_KINDS if tags.get(kind.value)]

    @property
    def chapters_label(self) -> str:
        expected = self.work.expected_chapters
        return f"{self.chapters_posted}/{expected if expected else '?'}"


def build_blurbs(works: list[Work]) -> list[Blurb]:
    """The blurbs of these works, in this order; their rows are read (in five queries, however
    many works) only when one of them is first asked for."""
    ids = [work.pk for work in works]
    shows_works(ids)  # a page with these blurbs is kept only while these works are unchanged
    page = _PageRows(ids)
    return [Blurb(work, page) for work in works]


def fandom_counts(viewer: Viewer, limit: int | None = None) -> list[tuple[Tag, int]]:
    """Fandoms by how many of the works this viewer may see are filed under them."""
    rows = tags_with_works(viewer, TagKind.FANDOM.value).order_by("-works", "name")  # type: ignore[misc]
    if limit:
        rows = rows[:limit]
    return [(tag, tag.works) for tag in rows]  # type: ignore[attr-defined]
