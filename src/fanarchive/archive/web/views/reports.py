"""Reporting a work or a comment to staff: a form anyone may send (guests too), rate-limited, with
a honeypot field. What a viewer cannot see they cannot report: the same 404 as for nothing."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from fanarchive.archive.access import access_comment, access_work
from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.reports import do_report, report_guest_hash
from fanarchive.archive.models import Comment, User, Work
from fanarchive.archive.web.forms.reports import ReportForm
from fanarchive.archive.web.ratelimits import limit_reached
from fanarchive.archive.web.security import client_ip

THANKS = "Thank you: staff will look at your report."


def _report(request: HttpRequest, work: Work, comment: Comment | None, back: str, title: str) -> HttpResponse:
    form = ReportForm(request.POST or None)
    if request.method == "POST":
        member = isinstance(request.user, User)
        if (limited := limit_reached(request, "report" if member else "report_guest")) is not None:
            return limited
        if form.is_valid():
            if form.cleaned_data["website"]:
                # A bot filled in the field people never see: it is thanked, and nothing is kept.
                messages.success(request, THANKS)
                return redirect(back)
            try:
                do_report(
                    reason=form.cleaned_data["reason"],
                    reporter=request.user if isinstance(request.user, User) else None,
                    guest_hash="" if member else report_guest_hash(client_ip(request) or ""),
                    work=work if comment is None else None,
                    comment=comment,
                )
            except ActionError as error:
                form.add_error("reason", str(error))
            else:
                messages.success(request, THANKS)
                return redirect(back)
    status = 400 if request.method == "POST" else 200
    return render(request, "archive/report.html", {"form": form, "title": title, "back": back}, status=status)


@require_http_methods(["GET", "POST"])
def report_work(request: HttpRequest, work_id: int) -> HttpResponse:
    work = access_work(request.user, work_id)
    return _report(request, work, None, reverse("work", args=[work.pk]), f"Report “{work.title}”")


@require_http_methods(["GET", "POST"])
def report_comment(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = access_comment(request.user, comment_id)
    back = reverse("work", args=[comment.work_id])
    return _report(request, comment.work, comment, back, f"Report a comment on “{comment.work.title}”")
