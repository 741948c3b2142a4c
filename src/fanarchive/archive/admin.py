"""Staff screens. Tag wrangling goes through the same actions as everything else, so FilterTagging
and the search outbox stay right whichever screen made the change."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.tags import (
    do_make_canonical,
    do_merge_tag,
    refresh_filter_taggings,
    works_under_tags,
)
from fanarchive.archive.models import MetaTagging, Pseud, Series, Tag, TagParent, User, Work
from fanarchive.domain.tags import normalise_label, tag_key


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


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
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
            obj.name = normalise_label(obj.name)
            obj.key = tag_key(obj.name)
            super().save_model(request, obj, form, change)
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
        super().save_related(request, form, formsets, change)
        # Meta tags edited inline change what works are found under: recompute for them all.
        refresh_filter_taggings(works_under_tags([form.instance.pk]))

    @admin.action(description="Make the selected tags canonical")
    def make_canonical(self, request: HttpRequest, queryset: QuerySet[Tag]) -> None:
        for tag in queryset:
            try:
                do_make_canonical(tag)
            except ActionError as error:
                self.message_user(request, str(error), level=messages.ERROR)


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["title", "updated", "complete", "posted", "restricted", "hidden_by_admin"]
    list_filter = ["complete", "posted", "restricted", "hidden_by_admin", "source_format"]
    search_fields = ["title"]
    fields = ["title", "posted", "restricted", "hidden_by_admin"]
    readonly_fields = ["title"]

    def save_model(self, request: HttpRequest, obj: Work, form: ModelForm, change: bool) -> None:  # type: ignore[type-arg]
        from fanarchive.archive.actions.outbox import enqueue_reindex

        with transaction.atomic():
            super().save_model(request, obj, form, change)
            enqueue_reindex([obj.pk])


admin.site.register(User)
admin.site.register(Pseud)
admin.site.register(Series)
