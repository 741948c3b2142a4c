"""A creator's chapter pages: add a chapter, edit one, delete one (after a confirmation page), post
or schedule a chapter draft, and the "Manage chapters" page (order, expected count, complete, and
for a work draft the time it goes up).

Every page reaches the work through access_own_work: anyone who is not one of its accepted
creators, staff included, gets the same 404 as for a work that does not exist; a chapter position
the work does not have is that 404 too. Chapter drafts are reached here by position, never by the
reading URLs, which show posted chapters only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateformat import format as date_format
from django.utils.timezone import localtime
from django.views.decorators.http import require_http_methods, require_POST

from fanarchive.archive.access import MAX_ROW_ID, access_own_work
from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.chapters import (
    ChapterText,
    do_add_chapter,
    do_delete_chapter,
    do_edit_chapter,
    do_post_chapter,
    do_reorder_chapters,
    do_set_chapter_count,
)
from fanarchive.archive.actions.scheduling import do_schedule, do_schedule_work, do_unschedule
from fanarchive.archive.models import Chapter, Work
from fanarchive.domain.authored_text import HTML, MAX_CHAPTER_CHARS, TEXT_FORMATS
from fanarchive.domain.limits import DEFAULT_LIMITS

# The chapter form's buttons, by the value of its `action` field. Anything else saves a draft (or,
# for a posted chapter, the text): nothing is posted by a request that did not ask for it.
POST, DRAFT, SCHEDULE, UNSCHEDULE = "post", "draft", "schedule", "unschedule"
_NOTES_CHARS = 5_000


def _schedule_field(help_text: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        required=False,
        label="Post at",
        help_text=help_text,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


def _name_time_zone(form: forms.Form) -> None:
    # Typed times are read in the site's time zone (Django's current one): say which.
    form.fields["scheduled_for"].label = f"Post at ({settings.TIME_ZONE} time)"


class ChapterForm(forms.Form):
    title = forms.CharField(max_length=255, required=False, label="Chapter title")
    summary = forms.CharField(max_length=1_250, required=False, widget=forms.Textarea(attrs={"rows": 4}))
    notes = forms.CharField(
        max_length=_NOTES_CHARS,
        required=False,
        label="Notes at the beginning",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    end_notes = forms.CharField(
        max_length=_NOTES_CHARS,
        required=False,
        label="Notes at the end",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    text_format = forms.ChoiceField(
        choices=TEXT_FORMATS, initial=HTML, label="The text below is", widget=forms.RadioSelect
    )
    body = forms.CharField(
        max_length=MAX_CHAPTER_CHARS, label="Chapter text", widget=forms.Textarea(attrs={"rows": 20})
    )
    scheduled_for = _schedule_field(
        "For a draft: it is posted at that minute. Leave empty to post it yourself."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _name_time_zone(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.data.get("action") == SCHEDULE and not data.get("scheduled_for"):
            self.add_error("scheduled_for", "Choose when to post it.")
        return data

    def chapter_text(self) -> ChapterText:
        data = self.cleaned_data
        return ChapterText(
            title=data["title"],
            summary=data["summary"],
            notes=data["notes"],
            end_notes=data["end_notes"],
            body=data["body"],
            text_format=data["text_format"],
        )


class ChapterCountForm(forms.Form):
    expected_chapters = forms.IntegerField(
        min_value=1,
        max_value=DEFAULT_LIMITS.max_chapters,
        required=False,
        label="Expected number of chapters",
        help_text="Leave empty for “?”: you do not know yet.",
    )
    complete = forms.BooleanField(required=False, label="This work is complete")


class ScheduleWorkForm(forms.Form):
    scheduled_for = _schedule_field(
        "The work draft and its chapters (less those with times of their own) go up then."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _name_time_zone(self)


class ChapterOrderForm(forms.Form):
    """One position box per chapter, named for its id; the chapters are put in the order of the
    numbers typed, ties kept in their current order."""

    def __init__(self, *args: Any, chapters: list[Chapter], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chapters = chapters
        for chapter in chapters:
            self.fields[f"position_{chapter.pk}"] = forms.IntegerField(
                min_value=1, max_value=len(chapters), initial=chapter.position, label=str(chapter)
            )

    def rows(self) -> list[tuple[Chapter, forms.BoundField]]:
        return [(chapter, self[f"position_{chapter.pk}"]) for chapter in self.chapters]

    def order(self) -> list[int]:
        wanted = {c.pk: (self.cleaned_data[f"position_{c.pk}"], c.position) for c in self.chapters}
        return sorted(wanted, key=wanted.__getitem__)


def _own_chapter(work: Work, position: int) -> Chapter:
    chapter = work.chapters.filter(position=position).first() if 0 < position <= MAX_ROW_ID else None
    if chapter is None:
        raise Http404("No such chapter")
    return chapter


def _initial(chapter: Chapter) -> dict[str, Any]:
    return {
        "title": chapter.title,
        "summary": chapter.summary,
        "notes": chapter.notes,
        "end_notes": chapter.end_notes,
        "body": chapter.body,
        "text_format": HTML,
        "scheduled_for": chapter.scheduled_for,
    }


def _save_draft_state(chapter: Chapter, action: str, form: ChapterForm) -> str:
    """Post, schedule or unschedule a chapter draft as the form asks; the message for the author.
    A draft saved with a time is scheduled for it, and one saved with the time emptied is not."""
    if action == POST:
        do_post_chapter(chapter)
        return "The chapter is posted."
    when = form.cleaned_data["scheduled_for"]
    if action == UNSCHEDULE or (when is None and chapter.scheduled_for is not None):
        do_unschedule(chapter)
        return "The chapter draft is saved, and no longer scheduled."
    if when is not None and when != chapter.scheduled_for:
        do_schedule(chapter, when)
    if chapter.scheduled_for is not None:
        return f"The chapter draft is saved, to be posted at {date_format(localtime(chapter.scheduled_for), 'Y-m-d H:i T')}."
    return "The chapter draft is saved."


@login_required
@require_http_methods(["GET", "POST"])
def chapter_new(request: HttpRequest, work_id: int) -> HttpResponse:
    work = access_own_work(request.user, work_id)
    form = ChapterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", DRAFT)
        try:
            with transaction.atomic():
                chapter = do_add_chapter(work, form.chapter_text(), posted=action == POST)
                note = (
                    "The chapter is posted." if chapter.posted else _save_draft_state(chapter, action, form)
                )
        except ActionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, note)
            return redirect("chapters_manage", work_id=work.pk)
    return render(request, "archive/chapter_form.html", {"form": form, "work": work, "chapter": None})


@login_required
@require_http_methods(["GET", "POST"])
def chapter_edit(request: HttpRequest, work_id: int, position: int) -> HttpResponse:
    work = access_own_work(request.user, work_id)
    chapter = _own_chapter(work, position)
    form = ChapterForm(request.POST or None, initial=_initial(chapter))
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", DRAFT)
        try:
            with transaction.atomic():
                do_edit_chapter(chapter, form.chapter_text())
                note = "The chapter is saved." if chapter.posted else _save_draft_state(chapter, action, form)
        except ActionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, note)
            return redirect("chapters_manage", work_id=work.pk)
    return render(request, "archive/chapter_form.html", {"form": form, "work": work, "chapter": chapter})


@login_required
@require_http_methods(["GET", "POST"])
def chapter_delete(request: HttpRequest, work_id: int, position: int) -> HttpResponse:
    work = access_own_work(request.user, work_id)
    chapter = _own_chapter(work, position)
    error = None
    if request.method == "POST":
        try:
            do_delete_chapter(chapter)
        except ActionError as refused:
            error = str(refused)
        else:
            messages.success(request, f"{chapter} is deleted.")
            return redirect("chapters_manage", work_id=work.pk)
    return render(request, "archive/chapter_delete.html", {"work": work, "chapter": chapter, "error": error})


@login_required
@require_POST
def chapter_post(request: HttpRequest, work_id: int, position: int) -> HttpResponse:
    work = access_own_work(request.user, work_id)
    chapter = _own_chapter(work, position)
    if do_post_chapter(chapter):
        messages.success(request, f"{chapter} is posted.")
    return redirect("chapters_manage", work_id=work.pk)


@login_required
@require_http_methods(["GET", "POST"])
def chapters_manage(request: HttpRequest, work_id: int) -> HttpResponse:
    work = access_own_work(request.user, work_id)
    chapters = list(work.chapters.order_by("position"))
    submitted = request.POST.get("form") if request.method == "POST" else None
    order_form = ChapterOrderForm(request.POST if submitted == "order" else None, chapters=chapters)
    count_form = ChapterCountForm(
        request.POST if submitted == "count" else None,
        initial={"expected_chapters": work.expected_chapters, "complete": work.complete},
    )
    schedule_form = ScheduleWorkForm(
        request.POST if submitted == "schedule" else None, initial={"scheduled_for": work.scheduled_for}
    )
    if submitted == "schedule" and schedule_form.is_valid():
        when = schedule_form.cleaned_data["scheduled_for"]
        try:
            if request.POST.get("action") == UNSCHEDULE or when is None:
                do_unschedule(work)
                note = "The work is no longer scheduled: it stays a draft."
            else:
                do_schedule_work(work, when)
                note = f"The work will be posted at {date_format(localtime(when), 'Y-m-d H:i T')}."
        except ActionError as error:
            schedule_form.add_error("scheduled_for", str(error))
        else:
            messages.success(request, note)
            return redirect("chapters_manage", work_id=work.pk)
    if submitted == "order" and order_form.is_valid():
        try:
            do_reorder_chapters(work, order_form.order())
        except ActionError as error:
            order_form.add_error(None, str(error))
        else:
            messages.success(request, "The chapters are in their new order.")
            return redirect("chapters_manage", work_id=work.pk)
    if submitted == "count" and count_form.is_valid():
        data = count_form.cleaned_data
        try:
            do_set_chapter_count(work, expected=data["expected_chapters"], complete=data["complete"])
        except ActionError as error:
            count_form.add_error(None, str(error))
        else:
            messages.success(request, "The chapter count is saved.")
            return redirect("chapters_manage", work_id=work.pk)
    return render(
        request,
        "archive/chapters_manage.html",
        {
            "work": work,
            "chapters": chapters,
            "order_form": order_form,
            "count_form": count_form,
            "schedule_form": schedule_form,
        },
    )
