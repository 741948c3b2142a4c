"""The pieces of AO3's download layout that are read the same wherever they appear: the `dl.tags`
list, the Stats line, chapter headings and the URL of a work. Shared by the HTML download, AO3's
EPUB and our own EPUB, which all keep AO3's labels."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

from lxml.html import HtmlElement as Element

from fanarchive.domain.formats._markup import text_of
from fanarchive.domain.limits import whole_number
from fanarchive.domain.tags import (
    TagKind,
    kind_for_label,
    official_category,
    official_rating,
    official_warning,
)
from fanarchive.domain.work import ParsedWork, SeriesRef

_HEADING = re.compile(r"^Chapter\s+(\d+)\s*(?:[:.]\s*(.*))?$", re.I)
STAT_FIELD = re.compile(
    r"(Published|Updated|Completed|Words|Chapters|Comments|Kudos|Bookmarks|Hits):\s*([\d,/?-]+)"
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SERIES_PART = re.compile(r"Part\s+(\d+)\s+of\s*$")
_WORK_ID = re.compile(r"/works/(\d+)")
_STORY_IDS = (re.compile(r"/s/(\d+)"), re.compile(r"[?&](?:sid|storyid|story_id)=(\d+)", re.I))
_OFFICIAL = {
    TagKind.RATING: official_rating,
    TagKind.WARNING: official_warning,
    TagKind.CATEGORY: official_category,
}


def tag_names(dd: Element) -> list[str]:
    """A dd's tag names: its links' texts when AO3 linked them, else its text split on commas
    (AO3 forbids commas in tag names)."""
    links = [text_of(a) for a in dd.iter("a")]
    if links:
        return [name for name in links if name]
    return [name.strip() for name in text_of(dd).split(",") if name.strip()]


def add_tags(work: ParsedWork, kind: TagKind, names: list[str]) -> None:
    check = _OFFICIAL.get(kind)
    for name in names:
        work.add_tag(kind, (check(name) if check else None) or name)


def read_series(dd: Element) -> list[SeriesRef]:
    """`Part 2 of <a>Title</a>, Part 1 of <a>Other</a>` (AO3) or `Part 2 of Title` (our writer)."""
    refs: list[SeriesRef] = []
    links = list(dd.iter("a"))
    if links:
        for link in links:
            before = link.getprevious()
            lead = (before.tail if before is not None else dd.text) or ""
            part = _SERIES_PART.search(" ".join(lead.split()))
            position = int(part.group(1)) if part else None
            refs.append(SeriesRef(title=text_of(link), position=position, url=link.get("href")))
        return refs
    text = text_of(dd)
    for match in re.finditer(r"(?:Part\s+(\d+)\s+of\s+)?(.+?)(?=,\s*Part\s+\d+\s+of\s|$)", text):
        if match.group(2).strip():
            position = int(match.group(1)) if match.group(1) else None
            refs.append(SeriesRef(title=match.group(2).strip(), position=position))
    return refs


def read_stats(work: ParsedWork, text: str) -> None:
    for name, value in STAT_FIELD.findall(text):
        if name in ("Published", "Updated", "Completed"):
            if _DATE.match(value):
                if name == "Published":
                    work.published = value
                else:
                    work.updated = value
                    if name == "Completed":
                        work.status = "complete"
        elif name == "Chapters":
            done, _, expected = value.partition("/")
            work.stats["chapters"] = whole_number(done) or 0
            if expected and expected != "?" and (whole_number(expected) or 0) >= 1:
                work.chapters_expected = whole_number(expected)
                work.status = work.status or ("complete" if done == expected else "in-progress")
            elif expected == "?":
                work.status = work.status or "in-progress"
        else:
            work.stats[name.lower()] = whole_number(value) or 0


def read_tag_list(work: ParsedWork, dl: Element) -> None:
    """AO3's `dl.tags`: dt labels (singular or plural, with their colon) and dd values."""
    extra: dict[str, Any] = {}
    for dt in dl.iter("dt"):
        dd = dt.getnext()
        if dd is None or dd.tag != "dd":
            continue
        label = text_of(dt).rstrip(":").strip()
        key = label.casefold()
        kind = kind_for_label(label)
        if kind is not None:
            add_tags(work, kind, tag_names(dd))
        elif key == "language":
            work.language = text_of(dd) or None
        elif key == "series":
            for ref in read_series(dd):
                if all(ref.title != known.title for known in work.series):
                    work.series.append(ref)
        elif key in ("collection", "collections"):
            work.metadata["collections"] = tag_names(dd)
        elif key == "stats":
            read_stats(work, text_of(dd))
        else:
            extra[label] = text_of(dd)
    if extra:
        work.metadata.setdefault("preface_fields", {}).update(extra)


def is_tag_list(dl: Element) -> bool:
    labels = {text_of(dt).rstrip(":").strip().casefold() for dt in dl.iter("dt")}
    return "stats" in labels or any(kind_for_label(label) is not None for label in labels)


def read_heading(text: str, position: int) -> tuple[int, str | None]:
    """`Chapter 3: Title`, `Chapter 3`, our one-shot's `Work Text`, or (older AO3) a bare title."""
    found = _HEADING.match(text)
    if found:
        return int(found.group(1)), (found.group(2) or "").strip() or None
    if text.casefold() in ("work text", "work text:", ""):
        return position, None
    return position, text


def number_from_one(work: ParsedWork) -> None:
    """The work JSON numbers chapters from 1. A source that starts at `Chapter 0` (a prologue) has
    every chapter renumbered by its reading position, so that none shares a number."""
    low = [chapter.number for chapter in work.chapters if chapter.number < 1]
    if not low:
        return
    for position, chapter in enumerate(work.chapters, start=1):
        chapter.number = position
    work.doubts.append(
        f"The source numbers a chapter {low[0]}; chapters are numbered by their place in the work."
    )


def work_id(url: str | None) -> str | None:
    if not url:
        return None
    for pattern in (_WORK_ID, *_STORY_IDS):
        found = pattern.search(url)
        if found:
            return found.group(1)
    return None


def site_of(url: str | None) -> str | None:
    """A story URL's site as every reader names it: the host, lower-cased, without `www.` or `m.`,
    so that the same story read from two forms is known as one."""
    if not url:
        return None
    try:
        host = urlparse(url.strip()).hostname
    except ValueError:
        return None
    for prefix in ("www.", "m."):
        if host and host.startswith(prefix):
            host = host[len(prefix) :]
    return host or None
