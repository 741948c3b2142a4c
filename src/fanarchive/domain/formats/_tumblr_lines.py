"""The lines of a copied tumblr page that are not post text: what a theme or the dashboard prints
around each post (tags, notes counts, dates, reblog lines) and the blog's own header at the top of a page.
They mark where one post ends and the next begins, and are kept as the post's fields."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# Blog names are lowercase letters, digits and hyphens, at most 32 characters.
BLOG_NAME = r"[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?"
_BLOG_LINE = re.compile(rf"^{BLOG_NAME}$")
# Prose pronouns are never askers ("she asked:").
_ASKED = re.compile(
    rf"^(?P<name>Anonymous|anonymous|{BLOG_NAME}) asked"
    r"(?:\s*[:;]?\s*$|[:;]\s+(?P<rest>\S.*)$)"
)
_PRONOUNS = frozenset({"he", "she", "they", "i", "we", "you", "it", "someone", "everyone", "nobody", "who"})
TAGS = re.compile(r"^#[^#\s][^#]*(?:#[^#]+)*$")
# "14 notes", "1 note", "1,204 notes", "12.5k notes": themes print the count under each post.
_NOTES = re.compile(r"^(?P<count>\d[\d,]*(?:\.\d+)?)(?P<thousands>[kK])? notes?$")
# "wrenwrites reblogged this from pinebird" (blog pages; "and added:" when text was added) and
# "wrenwrites reblogged pinebird" (the dashboard).
_REBLOG = re.compile(
    rf"^(?P<by>{BLOG_NAME}) reblogged (?:this from )?(?P<source>{BLOG_NAME})(?P<added> and added:?)?$"
)
# The date a theme prints under a post: "Dec 3rd, 2026", "December 3, 2026 at 9:14pm",
# "Posted on 3 December 2026", "2026-12-03". English month names: tumblr's own pages are in English.
_DATE = re.compile(
    r"^(?:posted(?: on)?:? )?(?:"
    r"(?P<month>[a-z]{3,9})\.? (?P<day>\d{1,2})(?:st|nd|rd|th)?,? (?P<year>\d{4})"
    r"|(?P<day2>\d{1,2})(?:st|nd|rd|th)? (?P<month2>[a-z]{3,9}),? (?P<year2>\d{4})"
    r"|(?P<iso>\d{4}-\d{2}-\d{2})"
    r")(?:,? (?:at )?\d{1,2}:\d{2}(?::\d{2})? ?(?:am|pm)?)?$",
    re.IGNORECASE,
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
# A blog page's header (name, then a description of a line or two) is this short.
_HEADER_LINES = 3


@dataclass(frozen=True)
class Reblog:
    by: str
    source: str
    added: bool  # "and added:": the text below is the reblogger's own


def ask_match(line: str) -> re.Match[str] | None:
    """`NAME asked:` (themes vary the punctuation: `asked;`, `asked`), the ask maybe on the same line."""
    match = _ASKED.match(line)
    if match is None or match.group("name").lower() in _PRONOUNS:
        return None
    return match


def notes_count(line: str) -> int | None:
    match = _NOTES.match(line)
    if match is None:
        return None
    number = float(match.group("count").replace(",", ""))
    return round(number * 1000) if match.group("thousands") else int(number)


def post_date(line: str) -> str | None:
    """The ISO date of a date line a theme prints under a post, or None for any other line."""
    match = _DATE.match(line)
    if match is None:
        return None
    if match.group("iso"):
        text = match.group("iso")
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    month = _MONTHS.get((match.group("month") or match.group("month2")).lower())
    day, year = match.group("day") or match.group("day2"), match.group("year") or match.group("year2")
    if month is None:
        return None
    try:
        return dt.date(int(year), month, int(day)).isoformat()
    except ValueError:
        return None


def reblog_line(line: str) -> Reblog | None:
    match = _REBLOG.match(line)
    return (
        None
        if match is None
        else Reblog(match.group("by"), match.group("source"), added=bool(match.group("added")))
    )


def ends_post(line: str) -> bool:
    """A tags line, a notes count or a date: what a theme prints under a post, so the post is over."""
    return bool(TAGS.match(line)) or notes_count(line) is not None or post_date(line) is not None


def blog_header(lines: list[str], has_posts: bool) -> tuple[str, list[str], int] | None:
    """(blog name, description lines, index after the header) when the copy opens with a blog page's
    header: a lone blog name, at most two description lines, then a blank line. Only a copy that
    holds posts (an ask, tags or notes line) has one: otherwise the lines are the post itself."""
    first = next((i for i, line in enumerate(lines) if line), None)
    if not has_posts or first is None or not _BLOG_LINE.match(lines[first]):
        return None
    end = next((i for i in range(first, len(lines)) if not lines[i]), len(lines))
    if end - first > _HEADER_LINES or end == len(lines):
        return None
    block = lines[first + 1 : end]
    if any(ends_post(line) or reblog_line(line) or ask_match(line) for line in block):
        return None
    return lines[first], block, end
