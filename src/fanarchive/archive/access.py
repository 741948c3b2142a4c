"""The only way views reach protected rows. A work the viewer may not see answers 404 exactly like
a work that does not exist, so its existence leaks nothing."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from fanarchive.archive.models import Chapter, User, Work

Viewer = User | AnonymousUser


def visible_works(viewer: Viewer) -> QuerySet[Work]:
    works = Work.objects.filter(posted=True)
    if not viewer.is_staff:
        works = works.filter(hidden_by_admin=False)
    if not viewer.is_authenticated:
        works = works.filter(restricted=False)
    return works


def access_work(viewer: Viewer, work_id: int) -> Work:
    work = visible_works(viewer).filter(pk=work_id).first()
    if work is None:
        raise Http404("No such work")
    return work


def access_chapter(viewer: Viewer, work: Work, position: int) -> Chapter:
    """`work` must come from access_work."""
    chapter = work.chapters.filter(position=position, posted=True).first()
    if chapter is None:
        raise Http404("No such chapter")
    return chapter
