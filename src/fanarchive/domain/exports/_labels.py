"""The preface every download opens with: AO3's labels, in AO3's order."""

from __future__ import annotations

from fanarchive.domain.tags import TAG_KINDS, TagKind
from fanarchive.domain.work import ParsedWork

STAT_LABELS = (("published", "Published"), ("updated", "Updated"), ("words", "Words"), ("chapters", "Chapters"),
               ("kudos", "Kudos"), ("bookmarks", "Bookmarks"), ("hits", "Hits"))  # fmt: skip


def tag_rows(work: ParsedWork) -> list[tuple[TagKind, str, list[str]]]:
    """(kind, label, names) for every kind the work has tags of."""
    rows = []
    for kind in TAG_KINDS:
        names = work.tags.get(kind.value, [])
        if names:
            rows.append((kind, kind.plural_label if len(names) > 1 else kind.label, names))
    return rows


def stats_line(work: ParsedWork) -> list[tuple[str, str]]:
    values = {
        "published": work.published,
        "updated": work.updated if work.updated != work.published else None,
        "words": f"{work.words:,}",
        "chapters": f"{len(work.chapters)}/{work.chapters_expected or '?'}",
        "kudos": f"{work.stats['kudos']:,}" if "kudos" in work.stats else None,
        "bookmarks": f"{work.stats['bookmarks']:,}" if "bookmarks" in work.stats else None,
        "hits": f"{work.stats['hits']:,}" if "hits" in work.stats else None,
    }
    label = dict(STAT_LABELS)
    if work.status == "complete" and values["updated"]:
        label["updated"] = "Completed"
    return [(label[key], value) for key, _ in STAT_LABELS if (value := values[key])]


def chapter_heading(number: int, title: str | None, total: int) -> str:
    if total == 1 and not title:
        return "Work Text"
    return f"Chapter {number}: {title}" if title else f"Chapter {number}"
