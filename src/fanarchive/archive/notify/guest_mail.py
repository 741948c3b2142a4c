"""A reply to a guest's comment reaches the guest by e-mail, at the address they left with it (the
only use of that address; guests have no inbox). Sent by a task once the reply is committed."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from huey.contrib.djhuey import db_task

from fanarchive.archive.models import Comment
from fanarchive.archive.notify.recipients import notifiable
from fanarchive.archive.site_origin import site_url


def guest_to_tell(comment: Comment) -> str:
    """The address of the guest this comment replies to, or "" (no guest, or the guest themself)."""
    parent = comment.parent
    if parent is None or parent.pseud_id is not None or not parent.guest_email or parent.deleted:
        return ""
    if comment.pseud_id is None and comment.guest_email.strip().lower() == parent.guest_email.lower():
        return ""
    return parent.guest_email


def send_guest_reply(comment_id: int) -> bool:
    comment = Comment.objects.select_related("work", "pseud", "parent").filter(pk=comment_id).first()
    if comment is None or comment.deleted or not comment.approved or not notifiable(comment.work):
        return False
    if comment.hidden_as_spam or comment.hidden_by_admin:
        return False
    address = guest_to_tell(comment)
    if not address:
        return False
    replier = comment.pseud.name if comment.pseud is not None else comment.guest_name or "A guest"
    url = f"{site_url()}/works/{comment.work_id}#comment-{comment.pk}"
    body = render_to_string(
        "archive/mail/guest_reply.txt",
        {"replier": replier, "work": comment.work, "url": url, "site_name": settings.SITE_NAME},
    )
    subject = " ".join(
        f"[{settings.SITE_NAME}] {replier} replied to your comment on {comment.work.title}".split()
    )
    send_mail(subject[:200], body, settings.DEFAULT_FROM_EMAIL, [address])
    return True


send_guest_reply_task = db_task(name="send_guest_reply")(send_guest_reply)
