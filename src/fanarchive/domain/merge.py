"""Putting a work back together from files that each hold part of it (one FanFiction.Net chapter
page per file): the parts share the source's id and carry the whole table of contents in `index`."""

from __future__ import annotations

import copy

from fanarchive.domain.work import ParsedChapter, ParsedWork


def is_partial(work: ParsedWork) -> bool:
    return bool(work.index) and len(work.chapters) < len(work.index)


def identity(work: ParsedWork) -> tuple[str, str] | None:
    if not work.source.id:
        return None
    return (work.source.site or work.source.format, work.source.id)


def merge_parts(base: ParsedWork, part: ParsedWork) -> ParsedWork:
    """`base` with `part`'s chapters added, or replacing its copies of them: `part` is the file that
    arrived last. Work-level metadata comes from whichever says it was updated later."""
    newer, older = (part, base) if (part.updated or "") >= (base.updated or "") else (base, part)
    merged = copy.deepcopy(newer)
    chapters: dict[int, ParsedChapter] = {c.number: c for c in base.chapters}
    chapters.update({c.number: c for c in part.chapters})
    merged.chapters = [copy.deepcopy(chapters[number]) for number in sorted(chapters)]
    if len(older.index) > len(merged.index):
        merged.index = copy.deepcopy(older.index)
    merged.doubts = list(dict.fromkeys(older.doubts + newer.doubts))
    # A part that does not show a work-level text keeps the other part's: AO3's chapter pages show
    # the work's summary and notes on the first chapter only, its end notes and the works inspired
    # by it on the last.
    for name in ("summary", "notes", "end_notes"):
        if getattr(merged, name) is None:
            setattr(merged, name, getattr(older, name))
    known = {(r.relation, r.title, r.url) for r in merged.related}
    merged.related += [copy.deepcopy(r) for r in older.related if (r.relation, r.title, r.url) not in known]
    return merged


def merge_partial_works(works: list[ParsedWork]) -> list[ParsedWork]:
    """Whole works as they are; parts of one work (same source identity) merged into one, in the
    position of the first part. Where two parts hold the same chapter, the later-updated one wins."""
    groups: dict[tuple[str, str], list[ParsedWork]] = {}
    order: list[ParsedWork | tuple[str, str]] = []
    for work in works:
        key = identity(work)
        if key is None or not work.index:
            order.append(work)
            continue
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(work)
    result: list[ParsedWork] = []
    for item in order:
        if isinstance(item, ParsedWork):
            result.append(item)
            continue
        parts = sorted(groups[item], key=lambda part: part.updated or "")
        merged = parts[0]
        for part in parts[1:]:
            merged = merge_parts(merged, part)
        result.append(merged)
    return result
