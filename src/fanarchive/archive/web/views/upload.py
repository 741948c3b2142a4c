"""A work from a file: the author uploads it, it is read in the import's limited worker and becomes
a draft of theirs, and a review page shows what the reader doubted before they edit or post it."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from fanarchive.archive.access import access_own_work
from fanarchive.archive.imports.drafts import DraftRefused, draft_from_upload
from fanarchive.archive.models import User
from fanarchive.domain.formats.registry import all_parsers


class UploadForm(forms.Form):
    file = forms.FileField(
        help_text="DOCX, ODT, EPUB, HTML (an AO3, FanFiction.Net or eFiction page too), Markdown, plain "
        "text, work JSON: every format fanarchive reads."
    )


def _uploader(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required
    return request.user


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST" and form.is_valid():
        try:
            work_id = draft_from_upload(_uploader(request), form.cleaned_data["file"])
        except DraftRefused as error:
            form.add_error("file", str(error))
        else:
            return HttpResponseRedirect(reverse("upload_review", args=[work_id]))
    return _page(request, form)


def _page(request: HttpRequest, form: UploadForm) -> HttpResponse:
    formats = sorted(parser.name for parser in all_parsers())
    context = {"form": form, "max_mb": settings.UPLOAD_MAX_MB, "formats": formats}
    return render(request, "archive/upload.html", context)


@login_required
def upload_review(request: HttpRequest, work_id: int) -> HttpResponse:
    work = access_own_work(request.user, work_id)
    extra = work.source_extra or {}
    return render(
        request,
        "archive/upload_review.html",
        {
            "work": work,
            "doubts": extra.get("doubts") or [],
            "byline": extra.get("byline") or [],
            "source_format": (extra.get("uploaded_from") or {}).get("format", ""),
            "chapters": work.chapters.order_by("position"),
            "edit_url": reverse("work_edit", args=[work.pk]),
            "post_url": reverse("work_post", args=[work.pk]),
            "preview_url": reverse("work_preview", args=[work.pk]),
        },
    )
