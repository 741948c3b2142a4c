"""Reports to staff of a work or a comment, and staff's answer: hide what was reported (through
the actions that hide works and comments, so the index and counters follow), unhide it, or
dismiss the report."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.comments import do_hide_comment
from fanarchive.archive.actions.works import do_set_work_flags
from fanarchive.archive.models import Comment, Report, User, Work

MAX_REASON = 5000


def report_guest_hash(address: str) -> str:
    """Keyed, so the stored value cannot be turned back into the guest's address."""
    return hmac.new(settings.SECRET_KEY.encode(), f"report|{address}".encode(), hashlib.sha256).hexdigest()


def check_report(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ActionError("Please say what is wrong.")
    if len(reason) > MAX_REASON:
        raise ActionError(f"Please keep the report under {MAX_REASON} characters.")
    return reason


@transaction.atomic
def do_report(
    *,
    reason: str,
    reporter: User | None,
    guest_hash: str = "",
    work: Work | None = None,
    comment: Comment | None = None,
) -> Report:
    """`work` or `comment` (one of them) reported to staff."""
    if (work is None) == (comment is None):
        raise ActionError("A report is of one work or one comment.")
    return Report.objects.create(
        reason=check_report(reason),
        reporter=reporter,
        guest_hash="" if reporter else guest_hash,
        work=work if comment is None else comment.work,
        comment=comment,
    )


def _set_hidden(report: Report, hidden: bool) -> None:
    if report.comment is not None:
        do_hide_comment(report.comment, hidden)
    elif report.work is not None:
        work = report.work
        do_set_work_flags(work, posted=work.posted, restricted=work.restricted, hidden_by_admin=hidden)


def _handled(report: Report, state: str, by: User) -> None:
    report.state, report.handled_by, report.handled_at = state, by, timezone.now()
    report.save(update_fields=["state", "handled_by", "handled_at"])


def check_staff(by: User) -> None:
    if not by.is_staff:
        raise ActionError("Only staff handle reports.")


@transaction.atomic
def do_hide_reported(report: Report, by: User) -> None:
    """Hide the reported comment (or, for a work's report, the work) from everyone but staff."""
    check_staff(by)
    _set_hidden(report, True)
    _handled(report, "hidden", by)


@transaction.atomic
def do_unhide_reported(report: Report, by: User) -> None:
    check_staff(by)
    _set_hidden(report, False)
    _handled(report, "open", by)


@transaction.atomic
def do_dismiss_report(report: Report, by: User) -> None:
    check_staff(by)
    _handled(report, "dismissed", by)
