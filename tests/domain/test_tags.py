from __future__ import annotations

import pytest

from fanarchive.domain.tags import (
    MEDIA,
    TAG_KINDS,
    TagKind,
    kind_for_label,
    media_for_fandom,
    normalise_label,
    official_rating,
    official_warning,
    sort_kinds,
    tag_from_url_part,
    tag_key,
    tag_to_url_part,
)


def test_kinds_are_in_ao3_display_order() -> None:
    assert [kind.value for kind in TAG_KINDS] == [
        "rating", "warning", "category", "fandom", "relationship", "character", "freeform",
    ]  # fmt: skip
    assert sort_kinds([TagKind.FREEFORM, TagKind.RATING, TagKind.FANDOM]) == [
        TagKind.RATING, TagKind.FANDOM, TagKind.FREEFORM,
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("Additional Tags:", TagKind.FREEFORM),
        ("Archive Warning", TagKind.WARNING),
        ("Archive Warnings:", TagKind.WARNING),
        ("Relationships", TagKind.RELATIONSHIP),
        ("Genres:", TagKind.FREEFORM),
        ("Fandom", TagKind.FANDOM),
        ("Summary", None),
    ],
)
def test_kind_for_label(label: str, kind: TagKind | None) -> None:
    assert kind_for_label(label) == kind


def test_official_names() -> None:
    assert official_warning("underage") == "Underage Sex"
    assert official_warning("graphic depictions of violence") == "Graphic Depictions Of Violence"
    assert official_warning("Yaoi") is None
    assert official_rating("teen and up audiences") == "Teen And Up Audiences"


def test_normalisation_and_keys() -> None:
    assert normalise_label("  Found\u00a0 Family ") == "Found Family"
    assert tag_key("FOUND family") == tag_key("found  Family")


@pytest.mark.parametrize("name", ["F/F", "Mr. & Mrs. Smith", "Who? #1", "Plain"])
def test_url_escapes_round_trip(name: str) -> None:
    part = tag_to_url_part(name)
    assert "/" not in part and "?" not in part and "#" not in part
    assert tag_from_url_part(part) == name


def test_url_escapes_match_ao3() -> None:
    assert tag_to_url_part("Harry Potter/Draco Malfoy") == "Harry Potter*s*Draco Malfoy"
    assert tag_to_url_part("Dr. Who & Co") == "Dr*d* Who *a* Co"


@pytest.mark.parametrize(
    ("name", "media"),
    [
        ("The Lighthouse Keepers (TV)", "TV Shows"),
        ("Starfall Academy (Video Game)", "Video Games"),
        ("Naruto (Anime & Manga)", "Anime & Manga"),
        ("Saltmarsh (Novels)", "Books & Literature"),
        ("Hamilton - Miranda (Musical)", "Theater"),
        ("Some Band (Band)", "Music & Bands"),
        ("Saltmarsh Chronicles - Ada Renner", "Uncategorized Fandoms"),
        ("Thing (2019)", "Uncategorized Fandoms"),
    ],
)
def test_media_read_off_fandom_names(name: str, media: str) -> None:
    assert media_for_fandom(name) == media
    assert media in MEDIA
