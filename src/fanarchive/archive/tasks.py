"""Background work, run by huey's consumer (`fanarchive worker`; `fanarchive serve` starts one).

Hits are counted in the request without touching the search outbox, because a popular work is read
far more often than its listing order needs to move: once a minute the hits recorded since the last
run become one outbox row per work, and the indexer refreshes those works' counters. Scheduled
drafts are posted by the minute too, and the inbox's new items are mailed by the minute (or in
daily and weekly digests, checked hourly).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from fanarchive.archive.actions.api_jobs import run_api_job
from fanarchive.archive.actions.hits import do_forget_hits_before
from fanarchive.archive.actions.outbox import enqueue_reindex
from fanarchive.archive.actions.scheduling import do_post_due
from fanarchive.archive.models import WorkHit
from fanarchive.archive.notify.mail import send_digests, send_immediate
from fanarchive.archive.notify.webhooks import deliver_due

# huey's own key-value store holds the last WorkHit id already passed on to the outbox.
_HITS_WATERMARK = "fanarchive:hits-watermark"


def refresh_hit_counters() -> int:
    """Queue a reindex of every work with hits since the last call; returns how many works."""
    seen = HUEY.get(_HITS_WATERMARK, peek=True) or 0
    rows = WorkHit.objects.filter(id__gt=seen)
    newest = rows.order_by("-id").values_list("id", flat=True).first()
    if newest is None:
        return 0
    work_ids = set(rows.filter(id__lte=newest).values_list("work_id", flat=True))
    with transaction.atomic():
        enqueue_reindex(work_ids)
    # Written after the outbox commits: a crash in between only means these works are queued twice.
    HUEY.put(_HITS_WATERMARK, newest)
    return len(work_ids)


def purge_old_hits(today: dt.date | None = None) -> int:
    """Forget who visited before yesterday: the rows only exist to count a visitor once a day."""
    today = today or timezone.now().date()
    return do_forget_hits_before(today - dt.timedelta(days=1))


def post_scheduled(now: dt.datetime | None = None) -> int:
    """Post the drafts whose scheduled minute has come; returns how many."""
    return do_post_due(now or timezone.now())


refresh_hit_counters_task = db_periodic_task(crontab(minute="*"), name="refresh_hit_counters")(
    refresh_hit_counters
)
purge_old_hits_task = db_periodic_task(crontab(minute="17", hour="3"), name="purge_old_hits")(purge_old_hits)
# At the start of every minute, so a draft scheduled for 14:05 goes up at 14:05, not 14:06.
post_scheduled_task = db_periodic_task(crontab(minute="*"), name="post_scheduled")(post_scheduled)


def mail_inbox_items(now: dt.datetime | None = None) -> int:
    """Mail each new inbox item of users who want mail as it happens; returns how many mails."""
    return send_immediate(now or timezone.now())


def mail_digests(now: dt.datetime | None = None) -> int:
    """Mail the daily and weekly digests that are due; returns how many."""
    return send_digests(now or timezone.now())


# The inbox rows are the queue: a minute's sweep mails what posting wrote, and one that failed
# (the mail server down) is tried again next minute, as its item is marked only once sent.
mail_inbox_items_task = db_periodic_task(crontab(minute="*"), name="mail_inbox_items")(mail_inbox_items)
mail_digests_task = db_periodic_task(crontab(minute="5"), name="mail_digests")(mail_digests)


def retry_webhooks(now: dt.datetime | None = None) -> int:
    """Try again the webhook deliveries whose backoff has passed; returns how many were tried."""
    return deliver_due(now or timezone.now())


retry_webhooks_task = db_periodic_task(crontab(minute="*"), name="retry_webhooks")(retry_webhooks)

# An API import or export, queued by the request that started it (archive/api/routers/jobs.py).
run_api_job_task = db_task(name="run_api_job")(run_api_job)
