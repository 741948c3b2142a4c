"""eFiction's story fields mapped onto a work, shared by the printable-page parsers (text and HTML)
and the archive-backup parser, so that a story reads the same whichever form it arrives in.

eFiction has categories (a tree, shown as `A > B` paths), characters, a rating, and any number of
classification types (Genres, Warnings, an archive's own such as `Pairing type`)."""

from __future__ import annotations

import datetime as dt
import re

from fanarchive.domain.sanitize import sanitize_html
from fanarchive.domain.tags import (
    TagKind,
    kind_for_label,
    official_category,
    official_rating,
    official_warning,
)
from fanarchive.domain.text import text_to_html
from fanarchive.domain.work import ParsedWork, SeriesRef

DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
_PAIRING_LABEL = re.compile(r"^Pair(?:ing)?s?:?\s+", re.I)
# How archives join the people of a pairing: `Bill/Bob` (threesomes `Bill/Bob/Olu`), `Bill & Bob`,
# `Bill x Bob`, `Bill and Bob`. The words need spaces around them (`Alex`, `Sandy` are names).
_JOINER = re.compile(r"\s*/\s*|\s*&\s*|\s+(?:and|x|×)\s+", re.I)
# Slashed genre names that categories hold as often as pairings: never a relationship.
_NOT_PAIRINGS = frozenset(
    {"hurt/comfort", "action/adventure", "sci-fi/fantasy", "science fiction/fantasy", "romance/drama",
     "drama/romance", "angst/drama", "humor/parody", "horror/suspense", "mystery/suspense",
     "crime/mystery", "poetry/songfic"}
)  # fmt: skip
# Labels whose values are read into fields of their own rather than kept as tags.
_NOT_TAGS = ("Rated", "Rating", "Series", "Challenges")
_HANDLED = frozenset(
    {"Summary", "Story Notes", "Completed", "Word count", "Read", "Reviews", "Chapters", "Published",
     "Updated", "Characters", "Genre", "Genres", "Warning", "Warnings", "Categories", "Pairing", "Pairings"}
)  # fmt: skip


def split_list(value: str) -> list[str]:
    """A comma list as eFiction prints it; `None` means the list is empty."""
    return [item.strip() for item in value.split(",") if item.strip() and item.strip().lower() != "none"]


def date_order(values: list[str]) -> tuple[bool, bool]:
    """(day first, certain): eFiction's default is dd/mm/yy; a part above 12 settles it."""
    parts = [m.groups() for v in values if (m := DATE.match(v))]
    if any(int(a) > 12 for a, _b, _y in parts):
        return True, True
    if any(int(b) > 12 for _a, b, _y in parts):
        return False, True
    return True, not parts


def iso_date(value: str, day_first: bool) -> str | None:
    match = DATE.match(value.strip())
    # A part longer than a year is no date (and a 5,000-digit one would stop int() itself).
    if not match or any(len(g) > 4 for g in match.groups()):
        return None
    first, second, year = (int(g) for g in match.groups())
    day, month = (first, second) if day_first else (second, first)
    year += 2000 if year < 70 else (1900 if year < 100 else 0)
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:  # 31 February, month 13: not a date
        return None


def add_characters(work: ParsedWork, names: list[str]) -> None:
    for name in names:
        work.add_tag(TagKind.CHARACTER, name)


def add_genres(work: ParsedWork, names: list[str]) -> None:
    for name in names:
        work.add_tag(TagKind.FREEFORM, name)


def add_warnings(work: ParsedWork, names: list[str]) -> None:
    for name in names:
        official = official_warning(name)
        work.add_tag(TagKind.WARNING if official else TagKind.FREEFORM, official or name)


def add_rating(work: ParsedWork, value: str, key: str) -> None:
    """An AO3 rating as a tag; any other is kept in metadata under `key` (the label it came with)."""
    rating = official_rating(value)
    if rating:
        work.add_tag(TagKind.RATING, rating)
        return
    work.metadata.setdefault(key, value)
    work.doubts.append(
        f"The archive's rating {value!r} is not one of AO3's; it was kept in metadata as {key!r}."
    )


def pairing(leaf: str) -> str | None:
    """The relationship a category's last part names (`Bill/Bob`, `Bob & Don`, `Wren x Soren`,
    `Odile and Bram`, `Pairing: A/B`) in AO3's `A/B` form, or None when it names no pairing."""
    leaf = _PAIRING_LABEL.sub("", leaf.strip())
    if leaf.lower() in _NOT_PAIRINGS:
        return None
    people = [part.strip() for part in _JOINER.split(leaf)]
    # A joiner inside brackets joins genres, not people: `Fluff (Shonen-ai/Yaoi)`.
    if len(people) < 2 or not all(people) or any(_unbalanced(person) for person in people):
        return None
    return "/".join(people)


def _unbalanced(text: str) -> bool:
    return text.count("(") != text.count(")") or text.count("[") != text.count("]")


def add_categories(work: ParsedWork, paths: list[str]) -> None:
    """Paths are kept as given; a last part that names two people or more (`Slash Pairings >
    Bill/Bob`) is also read as their relationship."""
    if paths:
        work.metadata["categories"] = paths
    for path in paths:
        relationship = pairing(path.split(">")[-1])
        if relationship:
            work.add_tag(TagKind.RELATIONSHIP, relationship)
            work.doubts.append(f"The category {path!r} was read as the relationship of its last part.")


def add_classification(work: ParsedWork, label: str, names: list[str]) -> None:
    """One classification type (eFiction's `classtypes`) by its title: Genres and Warnings as above,
    a type whose title names an AO3 tag kind as that kind, any other kept in metadata and as
    freeforms."""
    kind = kind_for_label(label)
    if kind is TagKind.WARNING:
        add_warnings(work, names)
    elif kind is TagKind.CATEGORY:
        for name in names:
            official = official_category(name)
            work.add_tag(TagKind.CATEGORY if official else TagKind.FREEFORM, official or name)
    elif kind is TagKind.RATING:
        if any(official_rating(name) is None for name in names):
            work.metadata[label] = ", ".join(names)
        for name in names:
            add_rating(work, name, label)
    elif kind is not None:
        for name in names:
            work.add_tag(kind, name)
    else:
        work.metadata[label] = ", ".join(names)
        add_genres(work, names)


def add_series(work: ParsedWork, title: str, position: int | None = None, url: str | None = None) -> None:
    if title and title.lower() != "none":
        work.series.append(SeriesRef(title=title, position=position, url=url))


def note_missing_fandom(work: ParsedWork, where: str = "page") -> None:
    if not work.tags["fandom"]:
        work.doubts.append(f"The {where} names no fandom; none was set.")


def apply_fields(work: ParsedWork, fields: dict[str, str], html: dict[str, str] | None = None) -> None:
    """The labelled fields of a printable page (label -> plain value). `html` holds the marked-up
    form of fields that carry it (Summary, Story Notes) when the page had markup."""
    html = html or {}
    dates = [fields.get("Published", ""), fields.get("Updated", "")]
    day_first, certain = date_order([d for d in dates if d])
    if not certain:
        work.doubts.append(
            "The dates could be day/month or month/day; eFiction's default, day first, was assumed."
        )
    work.published = iso_date(fields.get("Published", ""), day_first)
    work.updated = iso_date(fields.get("Updated", ""), day_first)
    for label, attribute in (("Summary", "summary"), ("Story Notes", "notes")):
        marked_up = html.get(label) or (text_to_html(fields[label]) if fields.get(label) else "")
        if marked_up:
            setattr(work, attribute, sanitize_html(marked_up).strip() or None)
    completed = fields.get("Completed", "").lower()
    work.status = "complete" if completed == "yes" else ("in-progress" if completed == "no" else None)
    for label, stat in (
        ("Word count", "words"),
        ("Read", "reads"),
        ("Reviews", "reviews"),
        ("Chapters", "chapters"),
    ):
        if fields.get(label, "").replace(",", "").isdigit():
            work.stats[stat] = int(fields[label].replace(",", ""))
    if work.status == "complete" and "chapters" in work.stats:
        work.chapters_expected = work.stats["chapters"]
    add_characters(work, split_list(fields.get("Characters", "")))
    for label in ("Genre", "Genres"):
        add_genres(work, split_list(fields.get(label, "")))
    for label in ("Warning", "Warnings"):
        add_warnings(work, split_list(fields.get(label, "")))
    for label in ("Rated", "Rating"):
        if value := fields.get(label):
            add_rating(work, value, label)
    for label in ("Pairing", "Pairings"):
        for name in split_list(fields.get(label, "")):
            work.add_tag(TagKind.RELATIONSHIP, name)
    add_categories(work, split_list(fields.get("Categories", "")))
    for label, value in fields.items():
        if label not in _HANDLED:
            work.metadata[label] = value
            if label not in _NOT_TAGS:
                add_genres(work, split_list(value))
    add_series(work, fields.get("Series", ""))
    note_missing_fandom(work)
