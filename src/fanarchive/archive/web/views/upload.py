"""A work from a file: the author uploads it, it is read in the import's limited worker and becomes
a draft of theirs, and a review page shows what the reader doubted before they edit or post it."""

from __future__ import annotations

import logging
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from fanarchive.archive.access import access_own_work
from fanarchive.archive.actions.imports import do_import_work
from fanarchive.archive.imports.run import read_upload
from fanarchive.archive.imports.worker import ReadFailed, WorkerLimits
from fanarchive.archive.models import User
from fanarchive.domain.formats.registry import all_parsers

logger = logging.getLogger(__name__)


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
    limit = settings.UPLOAD_MAX_MB * 1024 * 1024
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        # The name as the author knows it; never a path.
        name = Path(file.name or "upload").name or "upload"
        problem = ""
        if file.size is not None and file.size > limit:
            problem = f"it is larger than {settings.UPLOAD_MAX_MB} MB"
        else:
            limits = WorkerLimits(timeout=settings.IMPORT_TIMEOUT, memory_mb=settings.IMPORT_MEMORY_MB)
            try:
                works = read_upload(name, b"".join(file.chunks()), limits)
            except ReadFailed as error:
                problem = str(error)
            else:
                if len(works) != 1:
                    problem = f"it holds {len(works)} works; upload one work at a time"
        if not problem:
            # As in `fanarchive import`: text the database refuses is the file's fault, not a 500.
            try:
                outcome = do_import_work(works[0], owner=_uploader(request), draft=True)
            except Exception as error:
                logger.warning("upload %r not stored", name, exc_info=True)
                problem = f"it could not be stored ({type(error).__name__})"
            else:
                return HttpResponseRedirect(reverse("upload_review", args=[outcome.work_id]))
        form.add_error("file", f"“{name}” could not be made into a draft: {problem}.")
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
