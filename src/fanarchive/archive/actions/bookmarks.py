"""Bookmarks: of a work here, of a series here, or of a work elsewhere (ExternalWork), with the
bookmarker's notes and tags. StatCounter.bookmarks counts a work's public bookmarks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.counters import declared_count
from fanarchive.archive.actions.outbox import enqueue_reindex
from fanarchive.archive.actions.tags import find_or_create_tag
from fanarchive.archive.models import Bookmark, ExternalWork, Pseud, Series, StatCounter, Tag, User, Work
from fanarchive.domain.sanitize import SANITIZER_VERSION, sanitize_html, web_url
from fanarchive.domain.tags import TagKind, normalise_label

MAX_TAGS = 75  # AO3's limit on a bookmark's tags


@dataclass
class BookmarkFields:
    """What the bookmarker says: the same for a work, a series or an external work."""

    pseud: Pseud
    notes: str = ""
    tag_names: list[str] = field(default_factory=list)
    private: bool = False
    rec: bool = False


@dataclass
class ExternalFields:
    title: str
    url: str
    creator: str
    fandom_names: list[str] = field(default_factory=list)
    summary: str = ""


def check_bookmark(user: User, fields: BookmarkFields) -> None:
    if fields.pseud.user_id != user.pk:
        raise ActionError("Choose one of your own pseuds.")
    names = {normalise_label(name).casefold() for name in fields.tag_names if normalise_label(name)}
    if len(names) > MAX_TAGS:
        raise ActionError(f"A bookmark can have at most {MAX_TAGS} tags.")


def check_external(external: ExternalFields) -> str:
    """The external work's address, when it is a plain web address."""
    url = web_url(external.url)
    if url is None:
        raise ActionError("The URL must be a web address (http:// or https://).")
    if not external.title.strip():
        raise ActionError("An external work needs a title.")
    if not external.creator.strip():
        raise ActionError("An external work needs a creator.")
    return url


def recount_bookmarks(work_ids: Iterable[int]) -> None:
    """Set each work's counter to its public bookmarks (plus what an imported work's source
    declared), and hand the works to the indexer (it sorts by the count). Call inside the
    transaction that added or removed the bookmark."""
    ids = sorted({work_id for work_id in work_ids if work_id is not None})
    for work_id in ids:
        public = Bookmark.objects.filter(work_id=work_id, private=False).count()
        public += declared_count(work_id, "bookmarks")
        StatCounter.objects.filter(work_id=work_id).update(bookmarks=public)
    if ids:
        enqueue_reindex(ids)


def _tags(names: list[str]) -> list[Tag]:
    found: dict[int, Tag] = {}
    for name in names:
        if normalise_label(name):
            tag = find_or_create_tag(name, TagKind.FREEFORM)
            found.setdefault(tag.pk, tag)
    return list(found.values())


def _fill(bookmark: Bookmark, fields: BookmarkFields) -> None:
    bookmark.pseud = fields.pseud
    bookmark.notes = sanitize_html(fields.notes).strip()
    bookmark.sanitizer_version = SANITIZER_VERSION
    bookmark.private = fields.private
    bookmark.rec = fields.rec


@transaction.atomic
def do_bookmark(
    user: User, fields: BookmarkFields, *, work: Work | None = None, series: Series | None = None
) -> Bookmark:
    """A new bookmark of `work` or of `series` (visible to `user`: the view took it from access.py).
    One per user each: a second is refused (the form edits the first)."""
    if (work is None) == (series is None):
        raise ActionError("A bookmark marks one work or one series.")
    check_bookmark(user, fields)
    target = {"work": work} if work is not None else {"series": series}
    # Two posts at once under two pseuds would both pass the check below: they take turns.
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    if Bookmark.objects.filter(pseud__user=user, **target).exists():
        raise ActionError("You have already bookmarked this.")
    bookmark = Bookmark(**target)
    _fill(bookmark, fields)
    bookmark.save()
    bookmark.tags.set(_tags(fields.tag_names))
    recount_bookmarks([bookmark.work_id] if bookmark.work_id else [])
    return bookmark


@transaction.atomic
def do_bookmark_external(user: User, external: ExternalFields, fields: BookmarkFields) -> Bookmark:
    """A bookmark of a work that lives elsewhere: its title, address, creator, fandoms and summary
    as the bookmarker gives them (the summary cleaned like any stored HTML)."""
    check_bookmark(user, fields)
    url = check_external(external)
    work = ExternalWork.objects.create(
        title=normalise_label(external.title)[:255],
        url=url,
        creator=normalise_label(external.creator)[:255],
        summary=sanitize_html(external.summary).strip(),
        sanitizer_version=SANITIZER_VERSION,
    )
    work.fandoms.set(
        [find_or_create_tag(name, TagKind.FANDOM) for name in external.fandom_names if normalise_label(name)]
    )
    bookmark = Bookmark(external=work)
    _fill(bookmark, fields)
    bookmark.save()
    bookmark.tags.set(_tags(fields.tag_names))
    return bookmark


@transaction.atomic
def do_edit_bookmark(
    bookmark: Bookmark, user: User, fields: BookmarkFields, external: ExternalFields | None = None
) -> Bookmark:
    """`bookmark` must come from access_own_bookmark. `external` changes what an external
    bookmark says of its work."""
    check_bookmark(user, fields)
    if external is not None and bookmark.external_id is not None:
        url = check_external(external)
        work = ExternalWork.objects.select_for_update().get(pk=bookmark.external_id)
        work.title = normalise_label(external.title)[:255]
        work.url = url
        work.creator = normalise_label(external.creator)[:255]
        work.summary = sanitize_html(external.summary).strip()
        work.sanitizer_version = SANITIZER_VERSION
        work.save()
        work.fandoms.set(
            [find_or_create_tag(n, TagKind.FANDOM) for n in external.fandom_names if normalise_label(n)]
        )
    _fill(bookmark, fields)
    bookmark.save()
    bookmark.tags.set(_tags(fields.tag_names))
    recount_bookmarks([bookmark.work_id] if bookmark.work_id else [])
    return bookmark


@transaction.atomic
def do_delete_bookmark(bookmark: Bookmark) -> None:
    """`bookmark` must come from access_own_bookmark. An external work goes with its last bookmark."""
    work_id, external_id = bookmark.work_id, bookmark.external_id
    bookmark.delete()
    if external_id is not None and not Bookmark.objects.filter(external_id=external_id).exists():
        ExternalWork.objects.filter(pk=external_id).delete()
    recount_bookmarks([work_id] if work_id else [])


@transaction.atomic
def do_delete_bookmarks_of(user: User) -> None:
    """Every bookmark `user` made (their account is going): the works' counts follow, and the
    external works only they bookmarked go too."""
    mine = Bookmark.objects.filter(pseud__user=user)
    work_ids = list(mine.filter(work__isnull=False).values_list("work_id", flat=True))
    external_ids = list(mine.filter(external__isnull=False).values_list("external_id", flat=True))
    mine.delete()
    ExternalWork.objects.filter(pk__in=external_ids, bookmarks__isnull=True).delete()
    recount_bookmarks(work_ids)
