"""The bookmark form (a work's, a series', or a work elsewhere's), and the bookmark list's filters."""

from __future__ import annotations

from typing import Any

from django import forms

from fanarchive.archive.actions.bookmarks import BookmarkFields, ExternalFields
from fanarchive.archive.models import Bookmark, Pseud, User
from fanarchive.archive.web.forms.work import TagListField
from fanarchive.domain.tags import TagKind


class BookmarkForm(forms.Form):
    pseud = forms.ModelChoiceField(queryset=Pseud.objects.none(), empty_label=None, label="Bookmarker")
    notes = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="HTML: links, emphasis, paragraphs and lists are kept; anything else is removed.",
    )
    tags = TagListField(kind=TagKind.FREEFORM, label="Your tags", required=False)
    rec = forms.BooleanField(required=False, label="Rec", help_text="Recommend it to others.")
    private = forms.BooleanField(required=False, label="Private bookmark", help_text="Only you see it.")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pseud_field: forms.ModelChoiceField[Pseud] = self.fields["pseud"]  # type: ignore[assignment]
        pseud_field.queryset = user.pseuds.order_by("-is_default", "name")

    def bookmark_fields(self) -> BookmarkFields:
        data = self.cleaned_data
        return BookmarkFields(
            pseud=data["pseud"],
            notes=data["notes"],
            tag_names=data["tags"],
            private=data["private"],
            rec=data["rec"],
        )


class ExternalBookmarkForm(BookmarkForm):
    """A work that lives elsewhere: what the bookmarker says of it, then the bookmark itself."""

    url = forms.URLField(label="URL", max_length=500, assume_scheme="https")
    title = forms.CharField(max_length=255)
    creator = forms.CharField(max_length=255, label="Creator")
    fandoms = TagListField(kind=TagKind.FANDOM, label="Fandoms", required=False)
    summary = forms.CharField(required=False, max_length=1250, widget=forms.Textarea(attrs={"rows": 4}))

    field_order = [
        "url",
        "title",
        "creator",
        "fandoms",
        "summary",
        "pseud",
        "notes",
        "tags",
        "rec",
        "private",
    ]

    def external_fields(self) -> ExternalFields:
        data = self.cleaned_data
        return ExternalFields(
            title=data["title"],
            url=data["url"],
            creator=data["creator"],
            fandom_names=data["fandoms"],
            summary=data["summary"],
        )


def initial_for(bookmark: Bookmark) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "pseud": bookmark.pseud_id,
        "notes": bookmark.notes,
        "tags": [tag.name for tag in bookmark.tags.all()],
        "rec": bookmark.rec,
        "private": bookmark.private,
    }
    if bookmark.external is not None:
        external = bookmark.external
        initial |= {
            "url": external.url,
            "title": external.title,
            "creator": external.creator,
            "fandoms": [tag.name for tag in external.fandoms.all()],
            "summary": external.summary,
        }
    return initial
