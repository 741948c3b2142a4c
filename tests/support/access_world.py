"""Worlds for the access matrix (tests/web/test_access_matrix.py): one work in one state a viewer
may or may not see, with the people around it: its creator, an invited co-creator, a reader, a tag
wrangler and staff.

Like the leak matrix's worlds (tests/web/test_leak_matrix.py, whose PROBES take the `leak` world
built here), the work is marked by a word no other text has (`zyxdraft`...): in its title, a chapter
body (for snippets), tags used by it alone, a synonym and a sub
tag of a public canonical tag, a series of its own; a public work links to it and shares a series
with it. Its creator has names of their own that only this work shows.

The states are made by the authoring actions (invitations, scheduling, flags, orphaning, deletion),
a chapter draft excepted: the chapter form makes one, here the model does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from tests.web.test_leak_matrix import PROBES, Probe, World

from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.actions.creators import do_accept_creatorship, do_invite_cocreator
from fanarchive.archive.actions.imports import do_import_work
from fanarchive.archive.actions.orphaning import ORPHAN_ACCOUNT, do_orphan_works
from fanarchive.archive.actions.outbox import enqueue_reindex
from fanarchive.archive.actions.pseuds import do_create_pseud
from fanarchive.archive.actions.scheduling import do_schedule, do_schedule_work
from fanarchive.archive.actions.tags import (
    do_add_meta_tag,
    do_make_canonical,
    do_merge_tag,
    find_or_create_tag,
)
from fanarchive.archive.actions.works import do_delete_work, do_set_work_flags
from fanarchive.archive.models import Chapter, SerialWork, Series, Tag, User, Work
from fanarchive.domain.tags import TagKind
from fanarchive.domain.work import RelatedWork, SeriesRef

STATES = (
    "posted",
    "draft",
    "scheduled",
    "draft_chapter",  # a posted work whose last chapter is a scheduled draft
    "restricted",
    "hidden",
    "orphaned",  # credited to orphan_account's own pseud
    "orphaned_kept",  # credited to orphan_account under the former creator's pseud name
    "deleted",
)
VIEWERS = (
    "anonymous",
    "member",
    "creator",
    "cocreator_pending",
    "cocreator_accepted",
    "wrangler",
    "staff",
)
WRANGLERS = "Tag wranglers"
# The invited co-creator: a user name and the pseud they were invited by, both named nowhere until
# they accept.
INVITEE = "zyxinvitee"
INVITEE_PSEUD = "zyxcopen"
FAMILY = "Found Family"
PUBLIC_TAGS = {
    "rating": ["General Audiences"],
    "fandom": ["Saltmarsh Chronicles"],
    "character": ["Ada Renner"],
    "freeform": [FAMILY],
}


@dataclass
class AccessWorld:
    state: str
    leak: World  # what the leak matrix's PROBES take
    work_id: int  # kept: a deleted work's id must answer like one never used
    pen: str  # the creator's pseud name on the work (for orphaned states: their former one)
    creator: User  # its accepted creator (for orphaned states: the former one)
    viewers: dict[str, User]  # viewer name -> the user who logs in (none for anonymous)
    # (route, probe) of the leak matrix, made before a deleted work went: its ids, asked again.
    probes: list[tuple[str, Probe]]

    @property
    def mark(self) -> str:
        return self.leak.mark

    @property
    def credited(self) -> str:
        """The user name the work's author pages are under."""
        return ORPHAN_ACCOUNT if self.state.startswith("orphaned") else self.creator.username


def build_world(state: str, build_parsed: Callable[..., Any], *, invitee_accepted: bool) -> AccessWorld:
    mark = "zyx" + state.replace("_", "")
    chapter_only = state == "draft_chapter"
    # The import makes the user `qw<state>_pen` with the pseud `qw<state> pen`: names of their own,
    # not the mark, as the creator's own pages and the site menu show them to the creator.
    pen = "harbour pen" if chapter_only else "qw" + state.replace("_", "") + " pen"
    # A member who posts under a pseud named apart from their user name.
    creator = User.objects.create_user(pen.replace(" ", "_"), password="x")
    do_create_pseud(creator, pen, default=True)
    if chapter_only:
        parsed = build_parsed("Lantern Keeper", authors=(pen,), tags=PUBLIC_TAGS, chapters=3)
        parsed.chapters[2].title = f"{mark} chapter"
        parsed.chapters[2].html = f"<p>The lantern said {mark} twice.</p>"
        parsed.series = [SeriesRef(title="Lantern Series")]
        tags: list[str] = []
    else:
        tags = [f"{mark} {name}" for name in ("Fandom", "Character", "Freeform", "Synonym", "Subtag")]
        secret_tags = {
            "rating": ["General Audiences"],
            "fandom": [tags[0]],
            "character": [tags[1]],
            "freeform": [*tags[2:], FAMILY],
        }
        parsed = build_parsed(f"{mark} Title", authors=(pen,), tags=secret_tags, chapters=2)
        # A word only a chapter body has, for snippets.
        parsed.chapters[1].html = f"<p>At the end the lamp said {mark} once.</p>"
        parsed.series = [SeriesRef(title=f"{mark} Series")]
    work = Work.objects.get(pk=do_import_work(parsed, owner=creator).work_id)
    public_parsed = build_parsed("Open Harbour", tags=PUBLIC_TAGS, chapters=1)
    public_parsed.related = [RelatedWork(relation="inspired_by", title=work.title)]
    public_parsed.series = [SeriesRef(title="Open Series", position=1)]
    public = Work.objects.get(pk=do_import_work(public_parsed).work_id)
    public_series = Series.objects.get(title="Open Series")
    series = work.serial_works.get(position=1).series
    viewers = _viewers(creator)
    later = timezone.now() + dt.timedelta(days=1)
    with transaction.atomic():
        SerialWork.objects.create(series=public_series, work=work, position=2)
        canonical = find_or_create_tag(FAMILY, TagKind.FREEFORM)
        do_make_canonical(canonical)
        if not chapter_only:
            do_merge_tag(Tag.objects.get(name=tags[3]), canonical)
            sub = Tag.objects.get(name=tags[4])
            do_make_canonical(sub)
            do_add_meta_tag(canonical, sub)
        invitee = viewers["cocreator_pending"]
        invitation = do_invite_cocreator(work, do_create_pseud(invitee, INVITEE_PSEUD), invited_by=creator)
        if invitee_accepted:
            do_accept_creatorship(invitation, invitee)
        if state in ("draft", "scheduled"):
            do_set_work_flags(work, posted=False, restricted=False, hidden_by_admin=False)
            if state == "scheduled":
                do_schedule_work(work, later)
        elif chapter_only:
            # A chapter draft as the chapter form leaves one, then scheduled.
            Chapter.objects.filter(work=work, position=3).update(posted=False)
            do_schedule(work.chapters.get(position=3), later)
        elif state in ("restricted", "hidden"):
            do_set_work_flags(
                work, posted=True, restricted=state == "restricted", hidden_by_admin=state == "hidden"
            )
        elif state.startswith("orphaned"):
            do_orphan_works([work], creator, keep_pseud=state == "orphaned_kept")
        enqueue_reindex([work.pk, public.pk])
    leak = World(
        kind="unposted_chapter" if chapter_only else state,
        mark=mark,
        public=public,
        work=work,
        tags=tags,
        author=creator.username,
        series=series,
        public_series=public_series,
    )
    probes = [(route, probe) for route, make in PROBES.items() for probe in make(leak)]
    work_id = work.pk
    if state == "deleted":
        do_delete_work(work)
    return AccessWorld(
        state=state, leak=leak, work_id=work_id, pen=pen, creator=creator, viewers=viewers, probes=probes
    )


def _viewers(creator: User) -> dict[str, User]:
    invitee = User.objects.create_user(INVITEE, password="x")
    do_ensure_default_pseud(invitee)
    wrangler = User.objects.create_user("wrangler", password="x")
    wrangler.groups.add(Group.objects.get_or_create(name=WRANGLERS)[0])
    return {
        "member": User.objects.create_user("member", password="x"),
        "creator": creator,
        "cocreator_pending": invitee,
        "cocreator_accepted": invitee,
        "wrangler": wrangler,
        "staff": User.objects.create_user("staff", password="x", is_staff=True),
    }
