"""FanFicFare's title-page entries (`Label: value`, labels from its defaults.ini) onto a work: tag
kinds as AO3 shows them, ISO dates, status, declared stats, and the source from the story URL."""

from __future__ import annotations

import re
from datetime import datetime

from fanarchive.domain.formats._ao3_fields import site_of
from fanarchive.domain.formats._chapters import title_at
from fanarchive.domain.formats._documents import add_tags
from fanarchive.domain.tags import TagKind, official_category
from fanarchive.domain.text import html_to_text
from fanarchive.domain.work import ParsedWork, SeriesRef, Source

# Where the story id sits in the URLs of the sites FanFicFare reads most.
_STORY_IDS = tuple(
    re.compile(pattern, re.I)
    for pattern in (
        r"archiveofourown\.org/works/(\d+)",
        r"(?:fanfiction\.net|fictionpress\.com)/s/(\d+)",
        r"royalroad\.com/fiction/(\d+)",
        r"wattpad\.com/story/(\d+)",
        # eFiction's viewstory.php?sid=, and every other site that names its stories by `sid=`
        r"[?&]sid=(\d+)",
        r"/threads/[^/]*?\.?(\d+)/?",
    )
)
_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%m/%d/%Y",
    "%d/%m/%Y",
)
# FanFicFare's add_chapter_numbers (chapter_title_add_pattern `${number}. ${title}`).
_ADDED_NUMBER = re.compile(r"^(?P<number>\d+)\.\s+(?P<title>\S.*)$", re.S)
_LINK = re.compile(r"<a\b[^>]*?\bhref\s*=\s*[\"']([^\"']+)", re.I)
_SERIES = re.compile(r"^(?P<title>.+?)\s*\[(?P<position>\d+)\]$")
_STATS = {"words": "words", "chapters": "chapters", "kudos": "kudos", "hits": "hits", "comments": "comments",
          "bookmarks": "bookmarks", "reviews": "reviews", "favs": "favs", "follows": "follows"}  # fmt: skip
_LIST_KINDS = {
    "characters": TagKind.CHARACTER,
    "relationships": TagKind.RELATIONSHIP,
    "ships": TagKind.RELATIONSHIP,
    "fandoms": TagKind.FANDOM,
    "freeform tags": TagKind.FREEFORM,
    "additional tags": TagKind.FREEFORM,
    "warnings": TagKind.WARNING,
    "rating": TagKind.RATING,
    "ao3 categories": TagKind.CATEGORY,
}
# Every label FanFicFare writes by default, so that a wrapped line that merely contains a colon is
# not taken for a new entry.
KNOWN_LABELS = frozenset(
    {"title", "author", "author url", "story url", "summary", "category", "genre", "language", "characters",
     "relationships", "series", "series url", "status", "published", "updated", "packaged", "rating",
     "warnings", "chapters", "words", "publisher", "site abbrev", "story id", "author id", "extra tags",
     "file format", "file extension", "downloader version", "fandoms", "freeform tags", "ao3 categories",
     "comments", "kudos", "hits", "bookmarks", "collections", "reviews", "favs", "follows", "source"}
)  # fmt: skip


def chapter_title(raw: str, position: int) -> str | None:
    """One rule for FanFicFare's three formats: the site's title, without the "N. " FanFicFare adds
    when N is the chapter's position, and without a "Chapter N" that only repeats the position
    ("Chapter 3: The Fall" at 3 is "The Fall"; "Chapter 7" at position 8 is kept whole)."""
    title = " ".join(raw.split())
    added = _ADDED_NUMBER.match(title)
    if added and int(added.group("number")) == position:
        title = added.group("title")
    return title_at(title, position)


def plain_entries(entries: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The HTML and EPUB title pages' entries as the TXT one gives them: plain text, and the series
    link (which TXT writes as its own `Series URL` line) as a `Series URL` entry."""
    plain = [(label, " ".join(html_to_text(html).split())) for label, html in entries]
    labels = {label.casefold() for label, _value in entries}
    for label, html in entries:
        link = _LINK.search(html)
        if label.casefold() == "series" and link and "series url" not in labels:
            plain.append(("Series URL", link.group(1)))
    return plain


def _items(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def iso_date(value: str) -> str | None:
    value = " ".join(value.split())
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern).date().isoformat()
        except ValueError:
            continue
    return None


def source_for(url: str | None, publisher: str | None, format_name: str) -> Source:
    source = Source(format=format_name, site=site_of(url) or publisher or None, url=url or None)
    for pattern in _STORY_IDS if url else ():
        if match := pattern.search(url or ""):
            source.id = match.group(1)
            break
    return source


def apply_entries(
    work: ParsedWork, entries: list[tuple[str, str]], format_name: str, url: str | None = None
) -> None:
    """Plain-text values by label; the summary is set by the caller, which knows its markup. `url`
    is the story's address when the file gives it outside the entries (the title's link)."""
    values = {label.strip().lower(): value.strip() for label, value in entries}
    url = values.get("story url") or values.get("source") or url
    work.source = source_for(url, values.get("publisher"), format_name)
    ao3 = work.source.site == "archiveofourown.org"
    for label, value in entries:
        key = label.strip().lower()
        if not value or key in (
            "summary",
            "title",
            "author",
            "story url",
            "source",
            "publisher",
            "series url",
        ):
            continue
        if key == "category":
            # FanFicFare fills Category with the fandoms for AO3 and FFN, and with whatever a site
            # calls its categories elsewhere.
            # A site's own categories may be AO3's (M/M, Gen): those are categories.
            for name in _items(value):
                add_tags(work, TagKind.CATEGORY if official_category(name) else TagKind.FANDOM, [name])
            if not ao3 and work.source.site not in ("fanfiction.net", "fictionpress.com"):
                work.doubts.append(f"The categories {value!r} were read as fandoms.")
        elif key == "genre":
            for name in _items(value):
                add_tags(work, TagKind.CATEGORY if official_category(name) else TagKind.FREEFORM, [name])
        elif key in _LIST_KINDS:
            add_tags(work, _LIST_KINDS[key], _items(value))
        elif key == "language":
            work.language = value
        elif key == "status":
            lowered = value.lower()
            work.status = (
                "complete"
                if lowered.startswith("complete")
                else (
                    "in-progress"
                    if lowered.startswith(("in-progress", "in progress", "wip", "incomplete"))
                    else None
                )
            )
            if work.status is None:
                work.metadata["status"] = value
        elif key in ("published", "updated"):
            date = iso_date(value)
            setattr(work, key, date)
            if date is None:
                work.doubts.append(f"The {key} date {value!r} could not be read.")
        elif key in _STATS and value.replace(",", "").isdigit():
            work.stats[_STATS[key]] = int(value.replace(",", ""))
        elif key == "series":
            found = _SERIES.match(value)
            title = found.group("title") if found else value
            work.series.append(SeriesRef(title=title, position=int(found.group("position")) if found else None,
                                         url=values.get("series url")))  # fmt: skip
        else:
            work.metadata[label.strip()] = value
    if work.status == "complete" and work.stats.get("chapters"):
        work.chapters_expected = work.stats["chapters"]
