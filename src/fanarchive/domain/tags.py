"""Tag kinds in AO3's display order, AO3's fixed tag sets, and label normalisation."""

from __future__ import annotations

import unicodedata
from enum import StrEnum

import regex


class TagKind(StrEnum):
    # Declaration order is AO3's display order; TAG_KINDS relies on it.
    RATING = "rating"
    WARNING = "warning"
    CATEGORY = "category"
    FANDOM = "fandom"
    RELATIONSHIP = "relationship"
    CHARACTER = "character"
    FREEFORM = "freeform"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]

    @property
    def plural_label(self) -> str:
        return KIND_PLURAL_LABELS[self]


TAG_KINDS: tuple[TagKind, ...] = tuple(TagKind)

KIND_LABELS: dict[TagKind, str] = {
    TagKind.RATING: "Rating",
    TagKind.WARNING: "Archive Warning",
    TagKind.CATEGORY: "Category",
    TagKind.FANDOM: "Fandom",
    TagKind.RELATIONSHIP: "Relationship",
    TagKind.CHARACTER: "Character",
    TagKind.FREEFORM: "Additional Tags",
}

KIND_PLURAL_LABELS: dict[TagKind, str] = {
    TagKind.RATING: "Ratings",
    TagKind.WARNING: "Archive Warnings",
    TagKind.CATEGORY: "Categories",
    TagKind.FANDOM: "Fandoms",
    TagKind.RELATIONSHIP: "Relationships",
    TagKind.CHARACTER: "Characters",
    TagKind.FREEFORM: "Additional Tags",
}

# AO3's fixed tag sets: these are the only canonical tags of their kinds.
RATINGS: tuple[str, ...] = (
    "Not Rated",
    "General Audiences",
    "Teen And Up Audiences",
    "Mature",
    "Explicit",
)
WARNINGS: tuple[str, ...] = (
    "Creator Chose Not To Use Archive Warnings",
    "Graphic Depictions Of Violence",
    "Major Character Death",
    "No Archive Warnings Apply",
    "Rape/Non-Con",
    "Underage Sex",
)
CATEGORIES: tuple[str, ...] = ("F/F", "F/M", "Gen", "M/M", "Multi", "Other")

# Older or abbreviated spellings seen in the wild, mapped to AO3's current names.
_WARNING_ALIASES: dict[str, str] = {
    "underage": "Underage Sex",
    "choose not to use archive warnings": "Creator Chose Not To Use Archive Warnings",
    "creator chose not to use archive warnings": "Creator Chose Not To Use Archive Warnings",
    "no archive warnings apply": "No Archive Warnings Apply",
    "graphic depictions of violence": "Graphic Depictions Of Violence",
    "major character death": "Major Character Death",
    "rape/non-con": "Rape/Non-Con",
    "non-con": "Rape/Non-Con",
    "rape": "Rape/Non-Con",
    "underage sex": "Underage Sex",
}
_RATING_ALIASES: dict[str, str] = {
    "not rated": "Not Rated",
    "general audiences": "General Audiences",
    "general": "General Audiences",
    "g": "General Audiences",
    "teen and up audiences": "Teen And Up Audiences",
    "teen and up": "Teen And Up Audiences",
    "teen": "Teen And Up Audiences",
    "t": "Teen And Up Audiences",
    "mature": "Mature",
    "m": "Mature",
    "explicit": "Explicit",
    "e": "Explicit",
}

# Source field labels (AO3 text/HTML, eFiction, FanFicFare) mapped to the kind they hold.
_LABEL_KINDS: dict[str, TagKind] = {
    "rating": TagKind.RATING,
    "ratings": TagKind.RATING,
    "rated": TagKind.RATING,
    "archive warning": TagKind.WARNING,
    "archive warnings": TagKind.WARNING,
    "warning": TagKind.WARNING,
    "warnings": TagKind.WARNING,
    "category": TagKind.CATEGORY,
    "categories": TagKind.CATEGORY,
    "fandom": TagKind.FANDOM,
    "fandoms": TagKind.FANDOM,
    "relationship": TagKind.RELATIONSHIP,
    "relationships": TagKind.RELATIONSHIP,
    "pairing": TagKind.RELATIONSHIP,
    "pairings": TagKind.RELATIONSHIP,
    "ships": TagKind.RELATIONSHIP,
    "character": TagKind.CHARACTER,
    "characters": TagKind.CHARACTER,
    "additional tags": TagKind.FREEFORM,
    "additional tag": TagKind.FREEFORM,
    "freeform": TagKind.FREEFORM,
    "freeforms": TagKind.FREEFORM,
    "genre": TagKind.FREEFORM,
    "genres": TagKind.FREEFORM,
    "tags": TagKind.FREEFORM,
}


def normalise_label(text: str) -> str:
    """Tag names as AO3 stores them: NFC, inner whitespace folded, ends trimmed."""
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    return " ".join(text.split())


def tag_key(name: str) -> str:
    """The comparison key two tag names share when AO3 would treat them as the same tag."""
    return normalise_label(name).casefold()


def kind_for_label(label: str) -> TagKind | None:
    """The tag kind a source field label holds (`Additional Tags:` -> freeform), or None."""
    return _LABEL_KINDS.get(tag_key(label).rstrip(":"))


def official_warning(name: str) -> str | None:
    """AO3's name for an archive warning, or None when `name` is not one (so it is a freeform)."""
    return _WARNING_ALIASES.get(tag_key(name))


def official_rating(name: str) -> str | None:
    return _RATING_ALIASES.get(tag_key(name))


def official_category(name: str) -> str | None:
    key = tag_key(name)
    for category in CATEGORIES:
        if category.casefold() == key:
            return category
    return None


def sort_kinds(kinds: list[TagKind]) -> list[TagKind]:
    order = {kind: index for index, kind in enumerate(TAG_KINDS)}
    return sorted(kinds, key=order.__getitem__)


# AO3 spells the characters that URLs cannot carry in a path segment this way: /tags/F*s*F/works.
_URL_ESCAPES = (("/", "*s*"), ("&", "*a*"), (".", "*d*"), ("?", "*q*"), ("#", "*h*"))


def tag_to_url_part(name: str) -> str:
    for char, escape in _URL_ESCAPES:
        name = name.replace(char, escape)
    return name


def tag_from_url_part(part: str) -> str:
    for char, escape in reversed(_URL_ESCAPES):
        part = part.replace(escape, char)
    return part


# AO3's media categories, in its order. A fandom's medium is a wrangling decision on AO3; here it is
# read off the disambiguation AO3 itself puts in fandom names, "Name (TV)", until staff set one.
MEDIA: tuple[str, ...] = (
    "Anime & Manga",
    "Books & Literature",
    "Cartoons & Comics & Graphic Novels",
    "Celebrities & Real People",
    "Movies",
    "Music & Bands",
    "Other Media",
    "Theater",
    "TV Shows",
    "Video Games",
    "Uncategorized Fandoms",
)
_MEDIA_MARKERS: dict[str, str] = {
    "anime": "Anime & Manga",
    "manga": "Anime & Manga",
    "manhwa": "Anime & Manga",
    "novel": "Books & Literature",
    "novels": "Books & Literature",
    "book": "Books & Literature",
    "books": "Books & Literature",
    "comics": "Cartoons & Comics & Graphic Novels",
    "comic": "Cartoons & Comics & Graphic Novels",
    "cartoon": "Cartoons & Comics & Graphic Novels",
    "webcomic": "Cartoons & Comics & Graphic Novels",
    "rpf": "Celebrities & Real People",
    "movie": "Movies",
    "movies": "Movies",
    "film": "Movies",
    "band": "Music & Bands",
    "music": "Music & Bands",
    "musical": "Theater",
    "theatre": "Theater",
    "theater": "Theater",
    "play": "Theater",
    "tv": "TV Shows",
    "tv series": "TV Shows",
    "web series": "TV Shows",
    "video game": "Video Games",
    "video games": "Video Games",
    "game": "Video Games",
    "podcast": "Other Media",
    "radio": "Other Media",
}
_TRAILING_PARENTHESIS = regex.compile(r"\(([^()]*)\)\s*$")


def media_for_fandom(name: str) -> str:
    """The AO3 media category a fandom name points to, or "Uncategorized Fandoms"."""
    found = _TRAILING_PARENTHESIS.search(name)
    if found is None:
        return MEDIA[-1]
    marker = found.group(1).strip().casefold()
    if marker in _MEDIA_MARKERS:
        return _MEDIA_MARKERS[marker]
    for word in marker.replace("/", " ").split():
        if word in _MEDIA_MARKERS:
            return _MEDIA_MARKERS[word]
    return MEDIA[-1]
