"""Staff screens. Tag wrangling goes through the same actions as everything else, so FilterTagging
and the search outbox stay right whichever screen made the change."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path

from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.accounts import do_delete_account
from fanarchive.archive.actions.claims import do_approve_claim, do_refuse_claim
from fanarchive.archive.actions.reports import do_dismiss_report, do_hide_reported, do_unhide_reported
from fanarchive.archive.actions.tags import (
    check_create_tag,
    do_add_meta_tag,
    do_add_parent,
    do_create_tag,
    do_make_canonical,
    do_merge_tag,
    do_remove_meta_tag,
    do_remove_parent,
    refresh_filter_taggings,
    works_under_tags,
)
from fanarchive.archive.actions.works import do_delete_work, do_set_work_flags
from fanarchive.archive.imports.run import ImportReport
from fanarchive.archive.imports.uploads import import_folder, save_uploads
from fanarchive.archive.models import (
    Claim,
    MetaTagging,
    Pseud,
    Report,
    Series,
    Tag,
    TagParent,
    User,
    Work,
)
from fanarchive.domain.default_fandom import MAX_FANDOM_LENGTH, check_fandom_name
from fanarchive.domain.tags import TagKind


class ParentInline(admin.TabularInline):  # type: ignore[type-arg]
    model = TagParent
    fk_name = "child"
    autocomplete_fields = ["parent"]
    extra = 0
    verbose_name = "parent tag"


class MetaInline(admin.TabularInline):  # type: ignore[type-arg]
    model = MetaTagging
    fk_name = "sub"
    autocomplete_fields = ["meta"]
    extra = 0
    verbose_name = "meta tag"


class TagForm(forms.ModelForm):  # type: ignore[type-arg]
    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"])
        if self.instance.pk is not None:
            return name  # read-only once made
        try:
            return check_create_tag(name)
        except ActionError as error:
            raise forms.ValidationError(str(error)) from None


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = TagForm
    list_display = ["name", "kind", "canonical", "merger"]
    list_filter = ["kind", "canonical"]
    search_fields = ["name"]
    autocomplete_fields = ["merger"]
    fields = ["name", "kind", "canonical", "merger"]

    def get_readonly_fields(self, request: HttpRequest, obj: Tag | None = None) -> list[str]:
        # Renaming and re-kinding are not wrangling operations here; a new tag needs both.
        return ["name", "kind"] if obj is not None else []

    inlines = [ParentInline, MetaInline]
    actions = ["make_canonical"]

    def save_model(self, request: HttpRequest, obj: Tag, form: ModelForm, change: bool) -> None:  # type: ignore[type-arg]
        if not change:
            # Through the action, then onto `obj`: the admin goes on with the object it handed us.
            made = do_create_tag(obj.name, TagKind(obj.kind), canonical=obj.canonical)
            obj.pk, obj.key, obj.name = made.pk, made.key, made.name
            obj._state.adding, obj._state.db = False, made._state.db
            if obj.merger is not None:
                try:
                    do_merge_tag(made, obj.merger)
                except ActionError as error:
                    self.message_user(request, str(error), level=messages.ERROR)
                obj.refresh_from_db()
            return
        stored = Tag.objects.get(pk=obj.pk)
        wanted_canonical, wanted_merger = obj.canonical, obj.merger
        try:
            with transaction.atomic():
                if wanted_merger is not None and wanted_merger.pk != stored.merger_id:
                    if stored.canonical and not wanted_canonical:
                        do_make_canonical(obj, canonical=False)
                    do_merge_tag(obj, wanted_merger)
                elif wanted_canonical != stored.canonical:
                    do_make_canonical(obj, canonical=wanted_canonical)
        except ActionError as error:
            self.message_user(request, str(error), level=messages.ERROR)
        obj.refresh_from_db()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The inline rows go through the actions (and check_add_meta_tag), not the formsets' save.
        for formset in formsets:
            for row in formset.save(commit=False):
                if row.pk is not None:  # an existing link pointed elsewhere: remove the old one
                    self._link(request, type(row).objects.get(pk=row.pk), add=False)
                self._link(request, row, add=True)
            for row in formset.deleted_objects:
                self._link(request, row, add=False)
        # Meta tags edited inline change what works are found under: recompute for them all.
        refresh_filter_taggings(works_under_tags([form.instance.pk]))

    def _link(self, request: HttpRequest, row: MetaTagging | TagParent, *, add: bool) -> None:
        try:
            if isinstance(row, MetaTagging):
                (do_add_meta_tag if add else do_remove_meta_tag)(row.meta, row.sub)
            else:
                (do_add_parent if add else do_remove_parent)(row.child, row.parent)
        except ActionError as error:
            self.message_user(request, str(error), level=messages.ERROR)

    @admin.action(description="Make the selected tags canonical")
    def make_canonical(self, request: HttpRequest, queryset: QuerySet[Tag]) -> None:
        for tag in queryset:
            try:
                do_make_canonical(tag)
            except ActionError as error:
                self.message_user(request, str(error), level=messages.ERROR)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field, as Django's documentation shows it done."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[Any]]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class ImportFilesForm(forms.Form):
    uploads = MultipleFileField(
        help_text="Fan works in any format fanarchive reads, or zip files of them. Each file is read "
        "within FANARCHIVE_IMPORT_TIMEOUT and FANARCHIVE_IMPORT_MEMORY_MB; one that fails is listed "
        "with its reason and the others are still imported."
    )
    fandom = forms.CharField(
        required=False,
        max_length=MAX_FANDOM_LENGTH,
        help_text="The fandom of works whose file names none (most eFiction archives, FFN-mirror "
        "pages), recorded as a doubt; works that name theirs keep them. As `fanarchive import --fandom`.",
    )

    def clean_fandom(self) -> str | None:
        name = self.cleaned_data["fandom"]
        if not name.strip():
            return None
        try:
            return check_fandom_name(name)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


def import_uploads(files: list[UploadedFile[Any]], fandom: str | None = None) -> ImportReport:
    """The uploads written to a private temporary folder, then imported exactly as `fanarchive
    import FOLDER` would; the folder goes when the import ends."""
    with tempfile.TemporaryDirectory(prefix="fanarchive-upload-") as folder:
        save_uploads(files, Path(folder))
        return import_folder(Path(folder), fandom=fandom)


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["title", "updated", "complete", "posted", "restricted", "hidden_by_admin"]
    list_filter = ["complete", "posted", "restricted", "hidden_by_admin", "source_format"]
    search_fields = ["title"]
    fields = ["title", "posted", "restricted", "hidden_by_admin"]
    readonly_fields = ["title"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # works are posted or imported, never made from this screen

    change_list_template = "admin/archive/work/change_list_with_import.html"

    def get_urls(self) -> list[URLPattern]:
        # admin_view: staff only, like every admin screen; the import itself runs as the CLI's does.
        page = path("import/", self.admin_site.admin_view(self.import_files), name="archive_work_import")
        return [page, *super().get_urls()]

    def import_files(self, request: HttpRequest) -> HttpResponse:
        form = ImportFilesForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            report = import_uploads(form.cleaned_data["uploads"], form.cleaned_data["fandom"])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import files",
            "form": form,
            "report": report,
        }
        return TemplateResponse(request, "admin/archive/work/import_files.html", context)

    def save_model(self, request: HttpRequest, obj: Work, form: ModelForm, change: bool) -> None:  # type: ignore[type-arg]
        do_set_work_flags(
            obj, posted=obj.posted, restricted=obj.restricted, hidden_by_admin=obj.hidden_by_admin
        )

    def delete_model(self, request: HttpRequest, obj: Work) -> None:
        do_delete_work(obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Work]) -> None:
        for work in queryset:
            do_delete_work(work)


class ViewOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Staff look these rows up here; they change through their owners' pages and actions/,
    whose checks and reindexing the admin's generic save would skip."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(ViewOnlyAdmin):
    list_display = ["username", "email", "is_active", "is_staff", "imported", "date_joined"]
    list_filter = ["is_active", "is_staff", "imported"]
    search_fields = ["username", "email"]
    fields = ["username", "email", "is_active", "is_staff", "imported", "date_joined", "last_login"]
    actions = ["delete_orphaning_works"]

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # Deleting an account goes through do_delete_account, and only a superuser may.
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("delete_orphaning_works", None)
        return actions

    @admin.action(description="Delete the selected accounts (their works are orphaned)")
    def delete_orphaning_works(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        # Never the account doing the deleting: it would end its own session half way.
        for user in queryset.exclude(pk=request.user.pk or 0):
            do_delete_account(user, orphan_works=True)


@admin.register(Pseud)
class PseudAdmin(ViewOnlyAdmin):
    list_display = ["name", "user", "is_default"]
    search_fields = ["name", "user__username"]


@admin.register(Series)
class SeriesAdmin(ViewOnlyAdmin):
    list_display = ["title", "complete", "created_at"]
    search_fields = ["title"]


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Claims on imported accounts; those without an e-mail address wait here for staff (Open Doors)."""

    list_display = ["imported", "claimant", "state", "email", "created_at", "decided_at"]
    list_filter = ["state"]
    search_fields = ["imported__username", "claimant__username"]
    fields = ["imported", "claimant", "email", "state", "message", "created_at", "decided_at"]
    readonly_fields = ["imported", "claimant", "email", "state", "message", "created_at", "decided_at"]
    actions = ["approve", "refuse"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # claims are asked for by their claimants

    def has_delete_permission(self, request: HttpRequest, obj: Claim | None = None) -> bool:
        return False  # the record of who took which works stays

    def _decide(self, request: HttpRequest, queryset: QuerySet[Claim], decide: Any, done: str) -> None:
        for claim in queryset:
            try:
                decide(claim)
            except ActionError as error:
                self.message_user(request, f"{claim.imported}: {error}", messages.ERROR)
            else:
                self.message_user(request, f"{claim.imported}: {done}.")

    @admin.action(description="Approve: move the works to the claimant")
    def approve(self, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
        self._decide(request, queryset, do_approve_claim, "the works moved to the claimant")

    @admin.action(description="Refuse")
    def refuse(self, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
        self._decide(request, queryset, do_refuse_claim, "refused")


REPORT_FIELDS = ["state", "work", "comment", "reporter", "reason", "created_at", "handled_by", "handled_at"]


@admin.register(Report)
class ReportAdmin(ViewOnlyAdmin):
    """The staff queue of reported works and comments: open ones first. Hiding goes through
    actions/ (do_set_work_flags, do_hide_comment), so the index and counters follow."""

    list_display = ["id", "state", "work", "comment", "reporter", "created_at", "handled_by"]
    list_filter = ["state"]
    search_fields = ["reason", "work__title", "reporter__username"]
    fields = tuple(REPORT_FIELDS)
    ordering = ["state", "-created_at"]
    actions = ["hide", "unhide", "dismiss"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # The change page shows the report; the actions below are the only way to change it.
        return bool(request.user.is_staff)

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return REPORT_FIELDS

    def _handle(self, request: HttpRequest, queryset: QuerySet[Report], handle: Any, done: str) -> None:
        assert isinstance(request.user, User)
        for report in queryset.select_related("work", "comment"):
            try:
                handle(report, request.user)
            except ActionError as error:
                self.message_user(request, f"Report {report.pk}: {error}", messages.ERROR)
            else:
                self.message_user(request, f"Report {report.pk}: {done}.")

    @admin.action(description="Hide what was reported (the comment, or the work)")
    def hide(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        self._handle(request, queryset, do_hide_reported, "hidden")

    @admin.action(description="Unhide what was reported")
    def unhide(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        self._handle(request, queryset, do_unhide_reported, "shown again")

    @admin.action(description="Dismiss (nothing to do)")
    def dismiss(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        self._handle(request, queryset, do_dismiss_report, "dismissed")
