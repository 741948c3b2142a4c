"""The New Work / Edit Work form, in AO3's order: tags, title, creators, texts, associations,
privacy and comments, then the first chapter."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from fanarchive.archive.access import owned_series
from fanarchive.archive.actions.orphaning import ORPHAN_ACCOUNT
from fanarchive.archive.actions.posting import (
    INSPIRED_BY,
    TRANSLATION_OF,
    RelatedLink,
    WorkFields,
)
from fanarchive.archive.models import Pseud, Series, User, Work
from fanarchive.archive.models.works import COMMENT_PERMISSIONS
from fanarchive.domain.authored_text import HTML, MAX_CHAPTER_CHARS, TEXT_FORMATS
from fanarchive.domain.sanitize import web_url
from fanarchive.domain.tags import CATEGORIES, RATINGS, WARNINGS, TagKind, tag_key

MAX_TAG_LENGTH = 150
# "/works/12", or the same on this site's own address: a work here, not a web page elsewhere.
_LOCAL_WORK = re.compile(r"(?:https?://(?P<host>[^/?#]+))?/works/(?P<id>\d{1,10})(?:[/?#].*)?")
_PSEUD_OF_USER = re.compile(r"(?P<first>[^()]+?)\s*\((?P<second>[^()]+)\)")


class TagListField(forms.CharField):
    """Comma-separated tag names, as typed; autocomplete offers canonical tags and synonyms."""

    def __init__(self, *, kind: TagKind, **kwargs: Any) -> None:
        self.kind = kind
        attrs = {"data-autocomplete": "tags", "data-tag-kind": kind.value, "autocomplete": "off"}
        super().__init__(widget=forms.TextInput(attrs=attrs), max_length=5000, **kwargs)

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        names: list[str] = []
        keys: set[str] = set()
        for part in str(value or "").split(","):
            name = " ".join(part.split())
            if not name or tag_key(name) in keys:
                continue
            if len(name) > MAX_TAG_LENGTH:
                raise ValidationError(f"Tags can be at most {MAX_TAG_LENGTH} characters long.")
            keys.add(tag_key(name))
            names.append(name)
        return names

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")

    def prepare_value(self, value: Any) -> Any:
        return ", ".join(value) if isinstance(value, list) else value


class WorkForm(forms.Form):
    rating = forms.ChoiceField(choices=[("", "Select a rating"), *[(r, r) for r in RATINGS]])
    warnings = forms.MultipleChoiceField(
        label="Archive Warnings", choices=[(w, w) for w in WARNINGS], widget=forms.CheckboxSelectMultiple
    )
    fandoms = TagListField(kind=TagKind.FANDOM, label="Fandoms")
    categories = forms.MultipleChoiceField(
        choices=[(c, c) for c in CATEGORIES], widget=forms.CheckboxSelectMultiple, required=False
    )
    relationships = TagListField(kind=TagKind.RELATIONSHIP, required=False)
    characters = TagListField(kind=TagKind.CHARACTER, required=False)
    freeforms = TagListField(kind=TagKind.FREEFORM, label="Additional Tags", required=False)
    title = forms.CharField(max_length=255)
    pseuds = forms.ModelMultipleChoiceField(
        label="Creator/Pseud(s)", queryset=Pseud.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    cocreators = forms.CharField(
        label="Invite co-creators",
        required=False,
        max_length=2000,
        help_text='Pseud names, comma-separated; "pseud (user)" when several people use a name. '
        "They are credited once they accept.",
    )
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=1250)
    notes = forms.CharField(
        label="Notes at the beginning",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=5000,
    )
    end_notes = forms.CharField(
        label="Notes at the end", widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=5000
    )
    series: forms.ModelChoiceField[Series] = forms.ModelChoiceField(
        label="Add to one of your series", queryset=None, required=False
    )
    new_series_title = forms.CharField(label="Or a new series titled", max_length=255, required=False)
    inspired_by = forms.CharField(
        label="Inspired by",
        max_length=500,
        required=False,
        help_text="The address of a work here (/works/…) or elsewhere.",
    )
    translation_of = forms.CharField(label="Translation of", max_length=500, required=False)
    language = forms.CharField(max_length=64, required=False)
    restricted = forms.BooleanField(label="Only show your work to registered users", required=False)
    comment_permission = forms.ChoiceField(
        label="Who can comment on this work",
        choices=COMMENT_PERMISSIONS,
        widget=forms.RadioSelect,
        initial="anyone",
    )
    moderate_comments = forms.BooleanField(label="Enable comment moderation", required=False)
    text_format = forms.ChoiceField(
        label="Text format", choices=TEXT_FORMATS, widget=forms.RadioSelect, initial=HTML
    )
    multichapter = forms.BooleanField(label="This work has multiple chapters", required=False)
    expected_chapters = forms.IntegerField(
        label="Chapters planned",
        required=False,
        min_value=1,
        max_value=10_000,
        help_text="Leave empty when you do not know yet.",
    )
    chapter_title = forms.CharField(label="Chapter title", max_length=255, required=False)
    chapter_text = forms.CharField(
        label="Work text", widget=forms.Textarea(attrs={"rows": 20}), max_length=MAX_CHAPTER_CHARS
    )

    def __init__(
        self, *args: Any, user: User, host: str, with_chapter: bool = True, new: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.host = host
        pseuds: forms.ModelMultipleChoiceField[Pseud] = self.fields["pseuds"]  # type: ignore[assignment]
        pseuds.queryset = user.pseuds.order_by("-is_default", "name")
        series: forms.ModelChoiceField[Series] = self.fields["series"]  # type: ignore[assignment]
        series.queryset = owned_series(user)
        if not new:
            # A posted work's chapter count and completeness are Manage chapters' to change.
            del self.fields["multichapter"]
            del self.fields["expected_chapters"]
        if not with_chapter:
            # A work of several chapters: its chapters are edited on their own pages.
            del self.fields["chapter_title"]
            del self.fields["chapter_text"]

    def clean_cocreators(self) -> list[Pseud]:
        found: list[Pseud] = []
        for name in self.cleaned_data["cocreators"].split(","):
            name = " ".join(name.split())
            if not name:
                continue
            pseud = self._find_pseud(name)
            if pseud.user_id == self.user.pk:
                raise ValidationError(f"{name} is yours: choose your own pseuds above.")
            if pseud not in found:
                found.append(pseud)
        return found

    def _find_pseud(self, name: str) -> Pseud:
        pseuds = Pseud.objects.exclude(user__username=ORPHAN_ACCOUNT).select_related("user")
        match = _PSEUD_OF_USER.fullmatch(name)
        if match:
            first, second = match["first"].strip(), match["second"].strip()
            candidates = list(pseuds.filter(name__iexact=first, user__username__iexact=second)[:2])
            candidates = candidates or list(
                pseuds.filter(name__iexact=second, user__username__iexact=first)[:2]
            )
        else:
            candidates = list(pseuds.filter(name__iexact=name)[:2])
        if not candidates:
            raise ValidationError(f"There is no pseud named {name}.")
        if len(candidates) > 1:
            raise ValidationError(f'Several people write as {name}: write it as "pseud (user)".')
        return candidates[0]

    def _related(self, field: str, relation: str) -> list[RelatedLink]:
        value = self.cleaned_data.get(field, "").strip()
        if not value:
            return []
        match = _LOCAL_WORK.fullmatch(value)
        if match and (match["host"] is None or match["host"].lower() == self.host.lower()):
            return [RelatedLink(relation, work_id=int(match["id"]))]
        if web_url(value) is None:
            self.add_error(field, "Enter the address of a work here (/works/…) or a web address.")
            return []
        return [RelatedLink(relation, url=value)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("series") is not None and (data.get("new_series_title") or "").strip():
            self.add_error("new_series_title", "Choose an existing series or a new one, not both.")
        return data

    def work_fields(self) -> WorkFields:
        """The validated form as the posting actions take it; call after is_valid()."""
        data = self.cleaned_data
        related = self._related("inspired_by", INSPIRED_BY) + self._related("translation_of", TRANSLATION_OF)
        return WorkFields(
            title=data["title"],
            rating=data["rating"],
            warnings=list(data["warnings"]),
            fandoms=data["fandoms"],
            categories=list(data["categories"]),
            relationships=data["relationships"],
            characters=data["characters"],
            freeforms=data["freeforms"],
            pseuds=list(data["pseuds"]),
            cocreators=data["cocreators"],
            summary=data["summary"],
            notes=data["notes"],
            end_notes=data["end_notes"],
            series=data["series"],
            new_series_title=data["new_series_title"],
            related=related,
            language=data["language"],
            restricted=data["restricted"],
            comment_permission=data["comment_permission"],
            moderate_comments=data["moderate_comments"],
            chapter_title=data.get("chapter_title", ""),
            chapter_text=data.get("chapter_text", ""),
            text_format=data["text_format"],
            multichapter=data.get("multichapter", False),
            expected_chapters=data.get("expected_chapters"),
        )


def initial_for(work: Work, user: User) -> dict[str, Any]:
    """The form's fields as the work has them now; rich text is shown as the HTML it is stored as."""
    tags: dict[str, list[str]] = {kind.value: [] for kind in TagKind}
    for tagging in work.taggings.select_related("tag").order_by("position", "pk"):
        tags[tagging.tag.kind].append(tagging.tag.name)
    related = {r.relation: r for r in work.related.all()}
    series = work.serial_works.filter(series__in=owned_series(user)).select_related("series").first()
    chapter = work.chapters.order_by("position").first()

    def link(relation: str) -> str:
        found = related.get(relation)
        if found is None:
            return ""
        return f"/works/{found.target_id}" if found.target_id else found.url

    return {
        "rating": (tags["rating"] or [""])[0],
        "warnings": tags["warning"],
        "fandoms": tags["fandom"],
        "categories": tags["category"],
        "relationships": tags["relationship"],
        "characters": tags["character"],
        "freeforms": tags["freeform"],
        "title": work.title,
        "pseuds": list(work.creatorships.filter(pseud__user=user).values_list("pseud_id", flat=True)),
        "summary": work.summary,
        "notes": work.notes,
        "end_notes": work.end_notes,
        "series": series.series.pk if series else None,
        "inspired_by": link(INSPIRED_BY),
        "translation_of": link(TRANSLATION_OF),
        "language": work.language,
        "restricted": work.restricted,
        "comment_permission": work.comment_permission,
        "moderate_comments": work.moderate_comments,
        "text_format": HTML,
        "chapter_title": chapter.title if chapter else "",
        "chapter_text": chapter.body if chapter else "",
    }


class OrphanForm(forms.Form):
    """AO3's orphaning choice: the byline keeps the pseud's name, or reads orphan_account."""

    KEEP, REMOVE = "keep", "remove"
    pseud = forms.ChoiceField(
        label="Your name on the work",
        choices=[
            (KEEP, "Keep my pseud's name on the work (it moves to the orphan account)"),
            (REMOVE, "Take my pseud's name off: the work shows orphan_account"),
        ],
        widget=forms.RadioSelect,
        initial=REMOVE,
    )
