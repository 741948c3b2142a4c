"""FanFiction.Net's story metadata line, shared by its chapter pages and anything that copies it:

`Rated: Fiction T - English - Romance/Angst - [Harry P., Draco M.] Hermione G. - Chapters: 12 -
Words: 48,213 - Reviews: 1,024 - Favs: 2,001 - Follows: 1,500 - Updated: 1/5/2015 - Published:
5/13/2014 - Status: Complete - id: 1234567`

Only `Rated:` and the language are always there; genres and characters are unlabelled and either
may be missing, so a segment is a genre list only when every part of it is one of FFN's genres."""

from __future__ import annotations

import datetime as dt
import re

from fanarchive.domain.formats._ffn_dates import read_ffn_date
from fanarchive.domain.tags import TagKind
from fanarchive.domain.work import ParsedWork

# FanFiction.Net's fixed genre list; `Hurt/Comfort` is one genre despite its slash.
GENRES = frozenset({
    "Adventure", "Angst", "Crime", "Drama", "Family", "Fantasy", "Friendship", "General", "Horror",
    "Humor", "Hurt/Comfort", "Mystery", "Parody", "Poetry", "Romance", "Sci-Fi", "Spiritual",
    "Supernatural", "Suspense", "Tragedy", "Western",
})  # fmt: skip
# FFN's ratings (fictionratings.com) have no exact AO3 equivalent; these are the nearest.
_AO3_RATINGS = {
    "K": "General Audiences",
    "K+": "General Audiences",
    "T": "Teen And Up Audiences",
    "M": "Mature",
    "MA": "Explicit",
}
_LABELLED = re.compile(r"^(Rated|Chapters|Words|Reviews|Favs|Follows|Updated|Published|Status|id):\s*(.*)$")
_NUMBER_STATS = {
    "Chapters": "chapters",
    "Words": "words",
    "Reviews": "reviews",
    "Favs": "favs",
    "Follows": "follows",
}
_GROUP = re.compile(r"\[([^\]]*)\]")


def split_genres(segment: str) -> list[str] | None:
    """The genres of `Romance/Hurt/Comfort`, or None when the segment is not a genre list."""
    parts = segment.split("/")
    genres: list[str] = []
    index = 0
    while index < len(parts):
        pair = "/".join(parts[index : index + 2])
        if pair in GENRES:
            genres.append(pair)
            index += 2
        elif parts[index].strip() in GENRES:
            genres.append(parts[index].strip())
            index += 1
        else:
            return None
    return genres


def read_meta_line(line: str) -> dict[str, str]:
    """Field name -> value. Unlabelled segments come out as `Language`, `Genres` and `Characters`."""
    fields: dict[str, str] = {}
    unlabelled: list[str] = []
    for raw in re.split(r"\s+-\s+", " ".join(line.split())):
        segment = raw.strip()
        if not segment:
            continue
        if match := _LABELLED.match(segment):
            fields[match.group(1)] = match.group(2).strip()
        else:
            unlabelled.append(segment)
    if unlabelled:
        fields["Language"] = unlabelled.pop(0)
    if unlabelled and split_genres(unlabelled[0]) is not None:
        fields["Genres"] = unlabelled.pop(0)
    if unlabelled:
        fields["Characters"] = " - ".join(unlabelled)
    return fields


def _number(value: str) -> int | None:
    digits = value.replace(",", "").strip()
    return int(digits) if digits.isdigit() else None


def apply_meta(work: ParsedWork, fields: dict[str, str], today: dt.date) -> None:
    """Fills `work` from the metadata line's fields (see read_meta_line)."""
    if rated := fields.get("Rated"):
        label = " ".join(rated.split())
        work.metadata["rating"] = label
        code = label.split()[-1]
        if official := _AO3_RATINGS.get(code):
            work.add_tag(TagKind.RATING, official)
            work.doubts.append(
                f"FanFiction.Net's rating {label!r} was mapped to AO3's {official!r}; the scales differ."
            )
        else:
            work.doubts.append(f"The rating {label!r} has no AO3 equivalent; it was kept in metadata.")
    work.language = fields.get("Language") or work.language
    if genres := fields.get("Genres"):
        work.metadata["genres"] = genres
        for genre in split_genres(genres) or []:
            work.add_tag(TagKind.FREEFORM, genre)
    if characters := fields.get("Characters"):
        work.metadata["characters"] = characters
        for group in _GROUP.findall(characters):
            names = [name.strip() for name in group.split(",") if name.strip()]
            for name in names:
                work.add_tag(TagKind.CHARACTER, name)
            if len(names) > 1:
                work.add_tag(TagKind.RELATIONSHIP, "/".join(names))
        for name in _GROUP.sub(",", characters).split(","):
            work.add_tag(TagKind.CHARACTER, name.strip())
    for label, stat in _NUMBER_STATS.items():
        if label in fields and (value := _number(fields[label])) is not None:
            work.stats[stat] = value
    for label in ("Published", "Updated"):
        if label in fields:
            reading = read_ffn_date(fields[label], today, label)
            if reading.doubt:
                work.doubts.append(reading.doubt)
            if reading.iso is None:
                work.metadata[label.lower()] = fields[label]
            setattr(work, label.lower(), reading.iso)
    if work.updated is None:
        # FFN leaves `Updated:` out until a second chapter is posted.
        work.updated = work.published
    # FFN shows `Status: Complete` only on finished stories; a story without it is in progress.
    work.status = "complete" if fields.get("Status", "").lower() == "complete" else "in-progress"
    if work.status == "complete" and "chapters" in work.stats:
        work.chapters_expected = work.stats["chapters"]
    if story_id := fields.get("id", "").strip():
        work.source.id = story_id
