"""The bookmark form (a work's, a series', or a work elsewhere's), and the bookmark list's filters."""

from __future__ import annotations

from functools import cache
from typing import Any

from django import forms
from django.utils.safestring import SafeString

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

    def __init__(self, *args: Any, user: User | None, **kwargs: Any) -> None:
        """`user`: whose pseuds it offers (None: a form whose pseud field is taken out)."""
        super().__init__(*args, **kwargs)
        if user is not None:
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


def box_fields(bookmark: Bookmark | None) -> SafeString:
    """The fields of the bookmark box on a work's or a series' page, filled from `bookmark` (None:
    a new one). The box names none of the reader's pseuds (one only a draft uses is a name only
    the draft says): the bookmark keeps its pseud, or takes the default, and the full form (on the
    reader's own page) chooses. So a new one's fields are the same for every reader."""
    if bookmark is None:
        return _new_box_fields()
    return _box_form(initial_for(bookmark)).as_div()


@cache
def _new_box_fields() -> SafeString:
    # Rendered once per process: the form renderer was a tenth of a member's chapter page.
    return _box_form(None).as_div()


def _box_form(initial: dict[str, Any] | None) -> BookmarkForm:
    # Its own ids: the page holds other forms (comments) with fields of the same names.
    form = BookmarkForm(user=None, initial=initial, auto_id="bookmark_%s")
    del form.fields["pseud"]
    return form
