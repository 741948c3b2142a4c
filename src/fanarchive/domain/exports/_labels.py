"""The preface every download opens with: AO3's labels, in AO3's order."""

from __future__ import annotations

from html import escape

from fanarchive.domain.sanitize import web_url
from fanarchive.domain.tags import TAG_KINDS, TagKind
from fanarchive.domain.work import ParsedWork, RelatedWork

STAT_LABELS = (("published", "Published"), ("updated", "Updated"), ("words", "Words"), ("chapters", "Chapters"),
               ("comments", "Comments"), ("kudos", "Kudos"), ("bookmarks", "Bookmarks"),
               ("hits", "Hits"))  # fmt: skip

RELATION_LABELS = {"inspired_by": "Inspired by", "inspired": "Inspired", "translation_of": "Translation of",
                   "translated_as": "Translated as"}  # fmt: skip


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
    }
    # As on AO3's work page: comments, kudos and bookmarks appear once there are some.
    for counter in ("comments", "kudos", "bookmarks"):
        values[counter] = f"{work.stats[counter]:,}" if work.stats.get(counter) else None
    values["hits"] = f"{work.stats['hits']:,}" if "hits" in work.stats else None
    label = dict(STAT_LABELS)
    if work.status == "complete" and values["updated"]:
        label["updated"] = "Completed"
    return [(label[key], value) for key, _ in STAT_LABELS if (value := values[key])]


def preface_rows(work: ParsedWork) -> list[tuple[str, str]]:
    """(label, text) of the preface's list, as AO3 prints it: tags by kind, language, series, stats."""
    rows = [(label, ", ".join(names)) for _kind, label, names in tag_rows(work)]
    if work.language:
        rows.append(("Language", work.language))
    for series in work.series:
        rows.append(
            ("Series", f"Part {series.position} of {series.title}" if series.position else series.title)
        )
    rows.append(("Stats", " ".join(f"{label}: {value}" for label, value in stats_line(work))))
    return rows


def chapter_heading(number: int, title: str | None, total: int) -> str:
    if total == 1 and not title:
        return "Work Text"
    return f"Chapter {number}: {title}" if title else f"Chapter {number}"


def related_item(related: RelatedWork) -> str:
    """One related work as an HTML list item's content: relation, linked title, and its authors."""
    title = escape(related.title)
    if url := web_url(related.url):
        title = f'<a href="{escape(url)}">{title}</a>'
    by = f" by {escape(', '.join(related.authors))}" if related.authors else ""
    return f"{escape(RELATION_LABELS.get(related.relation, related.relation))}: {title}{by}"
