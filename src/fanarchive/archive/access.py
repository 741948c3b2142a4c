"""Who may see what: the one visibility rule, and the only way views reach protected rows.

A work is visible when it is posted, not hidden by an admin (staff see those) and not restricted
(logged-in readers see those); `visibility(viewer)` is that rule, and everything else derives from
it: the database querysets below, and the terms every search backend's query excludes
(`search_query` / `fanarchive.domain.visibility`). A chapter is visible when its work is and it is
posted.

Tags, authors and series have no visibility of their own: each is visible exactly when a work the
viewer may see shows it. A tag is visible when a visible work carries it, or is filed under it
(FilterTagging: a canonical tag through its synonyms, a meta tag through its sub tags) — as on AO3,
where a tag's works page lists the works of its synonyms and sub tags. A synonym used by no
visible work stays unseen even when its canonical tag is visible: its name is the creator's
wording, and it could name something only a draft says. Wrangled tags used by no visible work at
all do not exist for the reader (AO3 shows them; their names may come from drafts here).

Missing and forbidden answer alike: the same Http404, so nothing's existence leaks."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import router
from django.db.models import BooleanField, Count, Exists, Max, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.http import Http404

from fanarchive.archive.models import (
    Bookmark,
    Chapter,
    Comment,
    Creatorship,
    ExcludedTag,
    FilterTagging,
    Kudos,
    Mute,
    Preferences,
    Pseud,
    ReadingHistory,
    RelatedWork,
    SerialWork,
    Series,
    Subscription,
    Tag,
    Tagging,
    User,
    Work,
)
from fanarchive.domain.exclusions import SavedExclusions
from fanarchive.domain.languages import language_tag
from fanarchive.domain.query import SearchQuery
from fanarchive.domain.tags import TagKind, tag_from_url_part, tag_key
from fanarchive.domain.visibility import MAX_ROW_ID, Visibility

Viewer = User | AnonymousUser

__all__ = [
    "MAX_ROW_ID",
    "POSTED_CHAPTERS",
    "Viewer",
    "Visibility",
    "access_bookmarker",
    "access_chapter",
    "access_comment",
    "access_invitation",
    "access_own_bookmark",
    "access_own_history",
    "access_own_pseud",
    "access_own_work",
    "access_profile",
    "access_pseud",
    "access_series",
    "access_tag",
    "access_user",
    "access_work",
    "access_work_page",
    "access_work_with",
    "authors_with_works",
    "credited",
    "credited_creatorships",
    "crediting",
    "is_creator",
    "kudos_from",
    "listed_works",
    "muted_user_ids",
    "own_bookmark_of",
    "owned_series",
    "owned_works",
    "owned_works_by_state",
    "pending_invitations",
    "posted_chapter_counts",
    "posted_chapters",
    "saved_exclusions",
    "search_query",
    "seen_q",
    "series_neighbours",
    "tags_with_works",
    "visibility",
    "visible_authors",
    "visible_bookmarks",
    "visible_bookmarks_by",
    "visible_chapters",
    "visible_comments",
    "visible_pseuds",
    "visible_related",
    "visible_series_by",
    "visible_tag_named",
    "visible_tags",
    "visible_works",
    "works_kept_by",
    "works_seen_with",
]


def visibility(viewer: Viewer) -> Visibility:
    """The one rule: what this viewer may see of works hidden by admins and restricted works."""
    return Visibility(restricted=bool(viewer.is_authenticated), hidden=bool(viewer.is_staff))


def search_query(viewer: Viewer, query: SearchQuery) -> SearchQuery:
    """`query` as this viewer may ask it: every search backend excludes what Visibility says."""
    seen = visibility(viewer)
    return dataclasses.replace(
        query, viewer_can_see_restricted=seen.restricted, viewer_can_see_hidden=seen.hidden
    )


def visible_works(viewer: Viewer) -> QuerySet[Work]:
    return works_seen_with(visibility(viewer))


def listed_works(viewer: Viewer) -> QuerySet[Work]:
    """The works this viewer may see less those their saved exclusions leave out of listings: for
    pages that list works from the database rather than through search (an author's profile)."""
    saved = saved_exclusions(viewer)
    works = visible_works(viewer)
    return works if saved.empty else works.filter(pk__in=works_kept_by(saved))


def works_seen_with(seen: Visibility) -> QuerySet[Work]:
    """The works a Visibility allows (the indexer asks for an anonymous reader's: Visibility())."""
    return Work.objects.filter(seen_q(seen))


def seen_q(seen: Visibility, path: str = "") -> Q:
    """The Visibility as a condition on the work at `path` (e.g. "work__" from a Tagging). A join
    on the work's own columns, so a tag's first visible use ends an EXISTS, where `work__in=` all
    visible works would make the database list them first."""
    # The flags are booleans that are never null: a work is left out for having `value`.
    return Q(**{f"{path}{_WORK_COLUMNS[flag]}": not value for flag, value in seen.excluded_flags()})


# Search documents' flag names (domain.visibility) as Work columns.
_WORK_COLUMNS = {"posted": "posted", "hidden": "hidden_by_admin", "restricted": "restricted"}


def _valid_id(row_id: int) -> bool:
    # Ids from URLs can be any size: one past what a database integer holds must be a 404, not
    # an OverflowError from the driver.
    return 0 < row_id <= MAX_ROW_ID


def access_own_work(viewer: Viewer, work_id: int) -> Work:
    """A work this viewer may change: they are one of its creators, their invitation accepted.
    Drafts and scheduled works included; anyone else (staff too: they hide and delete through the
    admin) gets the same 404 as for a work that does not exist."""
    if not viewer.is_authenticated or not _valid_id(work_id):
        raise Http404("No such work")
    work = owned_works(viewer).filter(pk=work_id).first()
    if work is None:
        raise Http404("No such work")
    return work


def owned_works(user: User) -> QuerySet[Work]:
    """Every work `user` is an accepted creator of, drafts and hidden ones included."""
    return Work.objects.filter(crediting(pseud__user=user))


def credited(path: str = "") -> Q:
    """The creatorship at `path` (e.g. "pseuds__creatorships__") credits its pseud. An invited
    co-creator (accepted=False) is named nowhere (bylines, author pages and counts, search
    documents, exports, feeds) until they accept: every read of creatorships goes through this."""
    return Q(**{f"{path}accepted": True})


def credited_creatorships(work_ids: Iterable[int]) -> QuerySet[Creatorship]:
    """The creatorships of these works that a byline shows, in byline order."""
    return Creatorship.objects.filter(credited(), work_id__in=list(work_ids)).order_by(
        "work_id", "position", "id"
    )


def crediting(**creatorship: Any) -> Exists:
    """A condition on works: one of its credited creatorships matches, e.g. `pseud__user=user`.
    An EXISTS, so that a work credited twice is not listed twice."""
    return Exists(Creatorship.objects.filter(credited(), work=OuterRef("pk"), **creatorship))


def owned_series(user: User) -> QuerySet[Series]:
    """Series holding a work `user` is an accepted creator of: the series they may add works to,
    and those their dashboard lists (drafts' series included)."""
    owned = Creatorship.objects.filter(
        work__serial_works__series=OuterRef("pk"), pseud__user=user, accepted=True
    )
    return Series.objects.filter(Exists(owned)).order_by("title", "pk")


def owned_works_by_state(user: User) -> dict[str, QuerySet[Work]]:
    """The author's own works as the dashboard sorts them: posted, drafts, and drafts with a time
    set for the scheduler."""
    mine = owned_works(user)
    return {
        "works": mine.filter(posted=True).order_by("-updated", "-id"),
        "drafts": mine.filter(posted=False, scheduled_for__isnull=True).order_by("-modified_at", "-id"),
        "scheduled": mine.filter(posted=False, scheduled_for__isnull=False).order_by("scheduled_for", "id"),
    }


def access_work(viewer: Viewer, work_id: int) -> Work:
    return access_work_with(viewer, work_id)


def access_work_with(viewer: Viewer, work_id: int, *, related: Sequence[str] = (), **facts: Any) -> Work:
    """access_work's work, with what its page asks of it read in the same query: `facts` are
    annotations (the reader's own marks on it, whether it has kudos), `related` one-to-one rows
    (its stats). A row each saved: a member's work page asked a dozen such questions."""
    found = None
    if _valid_id(work_id):
        works = visible_works(viewer).filter(pk=work_id)
        found = (
            works.select_related(*related).annotate(**facts).first() if related or facts else works.first()
        )
    if found is None:
        raise Http404("No such work")
    return found


def access_work_page(viewer: Viewer, work_id: int) -> Work:
    """access_work's work with the rest of its page's one-row questions asked in the same query:
    whether it is in a series, has related works or kudos (most have none: their queries are
    skipped), its stats (the comments heading's count), and the member's own marks on it."""
    facts = {name: _compiled_fact(name, None) for name in ("in_series", "has_related", "has_kudos")}
    if isinstance(viewer, User):
        facts |= {name: _compiled_fact(name, viewer.pk) for name in _VIEWER_FACTS}
    return access_work_with(viewer, work_id, related=["stats"], **facts)


# The work page's one-row questions, as EXISTS conditions on the work, given the viewer's user id.
_PAGE_FACTS: dict[str, Callable[[int], Exists]] = {
    "in_series": lambda _: Exists(SerialWork.objects.filter(work=OuterRef("pk"))),
    "has_related": lambda _: Exists(RelatedWork.objects.filter(work=OuterRef("pk"))),
    "has_kudos": lambda _: Exists(Kudos.objects.filter(work=OuterRef("pk"))),
    "viewer_is_creator": lambda user_id: crediting(pseud__user_id=user_id),
    "viewer_marked_for_later": lambda user_id: Exists(
        ReadingHistory.objects.filter(user_id=user_id, work=OuterRef("pk"), marked_for_later=True)
    ),
    "viewer_subscribed": lambda user_id: Exists(
        Subscription.objects.filter(user_id=user_id, work=OuterRef("pk"))
    ),
}
_VIEWER_FACTS = ("viewer_is_creator", "viewer_marked_for_later", "viewer_subscribed")
_FACT_SQL: dict[tuple[str, str], tuple[str, tuple[Any, ...]]] = {}
_SOMEONE = -7  # a user id no row has: where it lands among a fact's parameters, the viewer's goes


def _compiled_fact(name: str, user_id: int | None) -> RawSQL:
    """_PAGE_FACTS[name] as SQL, compiled by Django once a process and reused with the viewer's
    id. Building six EXISTS subqueries through the ORM took 2.3 ms of every work page (the query
    itself runs in 0.06); the conditions are still written once, above, as querysets."""
    alias = router.db_for_read(Work)
    key = (alias, name)
    if key not in _FACT_SQL:
        query = Work.objects.all().query
        compiler = query.get_compiler(alias)
        expression = _PAGE_FACTS[name](_SOMEONE).resolve_expression(query)
        sql, params = expression.as_sql(compiler, compiler.connection)
        _FACT_SQL[key] = (sql, tuple(params))
    sql, params = _FACT_SQL[key]
    return RawSQL(sql, tuple(user_id if p == _SOMEONE else p for p in params), output_field=BooleanField())


# The chapter rule, for querysets of chapters and for annotations counting a work's chapters.
POSTED_CHAPTERS = Q(chapters__posted=True)


def posted_chapters(chapters: QuerySet[Chapter]) -> QuerySet[Chapter]:
    """The chapters of these that whoever sees their work may read."""
    return chapters.filter(posted=True)


def visible_chapters(work: Work) -> QuerySet[Chapter]:
    """`work` must come from access_work (or visible_works): its readable chapters, in order."""
    return posted_chapters(work.chapters.all()).order_by("position")


def access_chapter(viewer: Viewer, work: Work, position: int) -> Chapter:
    """`work` must come from access_work."""
    chapter = visible_chapters(work).filter(position=position).first() if _valid_id(position) else None
    if chapter is None:
        raise Http404("No such chapter")
    return chapter


def visible_tags(viewer: Viewer) -> QuerySet[Tag]:
    """Tags a visible work carries or is filed under (see the module docstring)."""
    seen = visibility(viewer)
    carried = Tagging.objects.filter(seen_q(seen, "work__"), tag=OuterRef("pk"))
    filed = FilterTagging.objects.filter(seen_q(seen, "work__"), tag=OuterRef("pk"))
    return Tag.objects.filter(Exists(carried) | Exists(filed))


def access_tag(viewer: Viewer, url_part: str) -> Tag:
    """The tag a URL names (AO3's escapes), with its merger, if this viewer may see it."""
    key = tag_key(tag_from_url_part(url_part))
    tag = visible_tags(viewer).filter(key=key).select_related("merger").first()
    if tag is None:
        raise Http404("No such tag")
    return tag


def visible_authors(viewer: Viewer) -> QuerySet[User]:
    """Users credited on a work this viewer may see."""
    credits = Creatorship.objects.filter(
        seen_q(visibility(viewer), "work__"), credited(), pseud__user=OuterRef("pk")
    )
    return User.objects.filter(Exists(credits))


def access_user(viewer: Viewer, username: str) -> User:
    """An author with a work this viewer may see: one whose works are all drafts or hidden answers
    like one who does not exist."""
    user = visible_authors(viewer).filter(username=username).first()
    if user is None:
        raise Http404("No such user")
    return user


def _is(viewer: Viewer, user: User) -> bool:
    return bool(viewer.is_authenticated and viewer.pk == user.pk)


def access_profile(viewer: Viewer, username: str) -> User:
    """A user's own profile pages answer them before they have a visible work (a new author must
    reach their pseuds); anyone else gets access_user's answer."""
    if isinstance(viewer, User) and viewer.username == username:
        return viewer
    return access_user(viewer, username)


def visible_pseuds(viewer: Viewer, user: User) -> QuerySet[Pseud]:
    """The pseuds of `user` credited on a work this viewer may see (a pseud only a draft uses is
    a name only the draft says); the user themself sees all of theirs. Each is annotated with
    `works`: how many works this viewer may see it credited on."""
    shown = seen_q(visibility(viewer), "creatorships__work__") & credited("creatorships__")
    pseuds = user.pseuds.annotate(works=Count("creatorships__work", filter=shown, distinct=True))
    return pseuds if _is(viewer, user) else pseuds.filter(works__gt=0)


def access_pseud(viewer: Viewer, user: User, name: str) -> Pseud:
    """`user` must come from access_profile."""
    pseud = visible_pseuds(viewer, user).filter(name=name).first()
    if pseud is None:
        raise Http404("No such pseud")
    return pseud


def access_own_pseud(viewer: Viewer, username: str, name: str | None = None) -> Pseud | None:
    """For pages that change pseuds: the viewer's own pseud named `name` (None when no name is
    asked); anyone else's user name answers like a user that does not exist."""
    if not isinstance(viewer, User) or viewer.username != username:
        raise Http404("No such user")
    if name is None:
        return None
    pseud = viewer.pseuds.filter(name=name).first()
    if pseud is None:
        raise Http404("No such pseud")
    return pseud


def visible_series_by(viewer: Viewer, user: User) -> QuerySet[Series]:
    """Series holding a work this viewer may see that `user` is credited on."""
    holding = SerialWork.objects.filter(
        seen_q(visibility(viewer), "work__"),
        Exists(Creatorship.objects.filter(credited(), work=OuterRef("work"), pseud__user=user)),
        series=OuterRef("pk"),
    )
    return Series.objects.filter(Exists(holding))


def visible_bookmarks_by(viewer: Viewer, user: User) -> QuerySet[Bookmark]:
    """Bookmarks `user` made that this viewer may see (visible_bookmarks). Someone else's list
    leaves out bookmarks of works the viewer's saved exclusions leave out of listings; one's own
    shelf keeps everything."""
    bookmarks = visible_bookmarks(viewer).filter(pseud__user=user)
    saved = saved_exclusions(viewer)
    if saved.empty or _is(viewer, user):
        return bookmarks
    return bookmarks.filter(Q(work__isnull=True) | Q(work__in=works_kept_by(saved)))


def pending_invitations(user: User) -> QuerySet[Creatorship]:
    """Co-creator invitations waiting for `user`'s answer. The invitee sees the work's title (and
    its credited creators) before the work is visible to them: they were asked to share it."""
    return Creatorship.objects.filter(pseud__user=user, accepted=False).select_related("work", "pseud")


def access_invitation(viewer: Viewer, creatorship_id: int) -> Creatorship:
    """An invitation waiting for this viewer's answer; any other id answers like a missing one."""
    found = (
        pending_invitations(viewer).filter(pk=creatorship_id).first()
        if isinstance(viewer, User) and _valid_id(creatorship_id)
        else None
    )
    if found is None:
        raise Http404("No such invitation")
    return found


def access_series(viewer: Viewer, series_id: int) -> Series:
    """A series with a work this viewer may see."""
    holding = SerialWork.objects.filter(seen_q(visibility(viewer), "work__"), series=OuterRef("pk"))
    series = Series.objects.filter(Exists(holding), pk=series_id).first() if _valid_id(series_id) else None
    if series is None:
        raise Http404("No such series")
    return series


def visible_related(viewer: Viewer, work: Work) -> QuerySet[RelatedWork]:
    """A work's related-work links, less those to a work here this viewer may not see: the link's
    title is that work's title."""
    return work.related.filter(Q(target__isnull=True) | seen_q(visibility(viewer), "target__"))


def access_own_history(viewer: Viewer, username: str) -> User:
    """A reader's history, marked-for-later and kudos pages: theirs alone. Anyone else (staff
    too) gets the 404 a user who does not exist gets."""
    if not isinstance(viewer, User) or viewer.username != username:
        raise Http404("No such user")
    return viewer


def kudos_from(viewer: Viewer, work: Work, *, muted: set[int] | None = None) -> tuple[list[str], int]:
    """Who left kudos on `work` (which must come from access_work), as its page names them: the
    user names of active accounts this viewer has not muted, oldest first, and how many guests.
    `muted`: muted_user_ids(viewer), when the page read it already."""
    kudos = work.kudos.all()
    names = list(
        kudos.filter(user__is_active=True)
        .exclude(user_id__in=muted_user_ids(viewer) if muted is None else muted)
        .order_by("created_at", "id")
        .values_list("user__username", flat=True)
    )
    return [str(name) for name in names], kudos.filter(user__isnull=True).count()


def series_neighbours(viewer: Viewer, work: Work) -> list[tuple[SerialWork, Work | None, Work | None]]:
    """Each series `work` is in, with the works before and after it there that this viewer may
    see (a hidden part is skipped, never linked)."""
    seen = seen_q(visibility(viewer), "work__")
    found: list[tuple[SerialWork, Work | None, Work | None]] = []
    for serial in work.serial_works.select_related("series").order_by("series_id"):
        parts = SerialWork.objects.filter(seen, series=serial.series_id).select_related("work")
        before = parts.filter(Q(position__lt=serial.position) | Q(position=serial.position, pk__lt=serial.pk))
        after = parts.filter(Q(position__gt=serial.position) | Q(position=serial.position, pk__gt=serial.pk))
        previous = before.order_by("-position", "-id").first()
        following = after.order_by("position", "id").first()
        found.append((serial, previous.work if previous else None, following.work if following else None))
    return found


def tags_with_works(viewer: Viewer, kind: str) -> QuerySet[Tag]:
    """Filter tags of one kind that have works this viewer may see, each annotated with `works`
    (how many) and `latest` (the newest of their update dates); by name. A member's saved
    exclusions leave works out as they do from listings, so the counts are the listings' totals."""
    seen = seen_q(visibility(viewer), "filter_taggings__work__")
    saved = saved_exclusions(viewer)
    if not saved.empty:
        seen &= Q(filter_taggings__work__in=works_kept_by(saved))
    return (
        Tag.objects.filter(kind=kind, merger__isnull=True)
        .annotate(
            works=Count("filter_taggings", filter=seen, distinct=True),
            latest=Max("filter_taggings__work__updated", filter=seen),
        )
        .filter(works__gt=0)
        .order_by("name", "id")
    )


def authors_with_works(viewer: Viewer) -> QuerySet[User]:
    """Users with works this viewer may see, annotated like tags_with_works (saved exclusions
    included, so a muted author drops out); by username."""
    seen = seen_q(visibility(viewer), "pseuds__creatorships__work__") & credited("pseuds__creatorships__")
    saved = saved_exclusions(viewer)
    if not saved.empty:
        seen &= Q(pseuds__creatorships__work__in=works_kept_by(saved))
    return (
        User.objects.annotate(
            works=Count("pseuds__creatorships__work", filter=seen, distinct=True),
            latest=Max("pseuds__creatorships__work__updated", filter=seen),
        )
        .filter(works__gt=0)
        .order_by("username", "id")
    )


def posted_chapter_counts(work_ids: list[int]) -> dict[int, int]:
    """How many chapters of each of these works may be read (works with none are left out)."""
    rows = (
        posted_chapters(Chapter.objects.filter(work_id__in=work_ids))
        .values("work_id")
        .annotate(n=Count("id"))
    )
    return {row["work_id"]: row["n"] for row in rows}


def muted_user_ids(viewer: Viewer) -> set[int]:
    """The accounts this viewer muted: their works, comments and bookmarks vanish for them only."""
    if not viewer.is_authenticated:
        return set()
    return set(Mute.objects.filter(user_id=viewer.pk).values_list("muted_id", flat=True))


def _comment_rules(viewer: Viewer, work: Work, creator: bool | None, muted: set[int] | None) -> Q:
    """Which of `work`'s comments this viewer sees. Held (unapproved) and spam comments: the work's
    creators, and a held one its own commenter too; staff-hidden ones: staff; a muted user's: never
    (for the muter). Comments on a chapter readers cannot read are nobody's to see here.
    `creator` and `muted`: is_creator and muted_user_ids, when the page read them already."""
    if creator is None:
        creator = is_creator(viewer, work)
    if muted is None:
        muted = muted_user_ids(viewer)
    rules = Q(chapter__isnull=True) | Q(chapter__posted=True)
    if not creator:
        held = Q(approved=True)
        if viewer.is_authenticated:
            held |= Q(pseud__user_id=viewer.pk)
        rules &= held & Q(hidden_as_spam=False)
    if not viewer.is_staff:
        rules &= Q(hidden_by_admin=False)
    if muted:
        rules &= ~Q(pseud__user_id__in=muted)
    return rules


def visible_comments(
    viewer: Viewer,
    work: Work,
    chapter: Chapter | None = None,
    *,
    creator: bool | None = None,
    muted: set[int] | None = None,
) -> QuerySet[Comment]:
    """`work` must come from access_work (and `chapter` from access_chapter): its comments this
    viewer may see, on that chapter only when one is given. A reply under a comment the viewer
    does not see is not shown either (the thread view walks down from visible comments).
    `creator` and `muted`: is_creator and muted_user_ids, when the page read them already."""
    comments = Comment.objects.filter(_comment_rules(viewer, work, creator, muted), work=work)
    return comments.filter(chapter=chapter) if chapter is not None else comments


def access_comment(viewer: Viewer, comment_id: int) -> Comment:
    """A comment this viewer may see, on a work and chapter they may see; otherwise the same 404
    as for a comment that does not exist."""
    found = (
        Comment.objects.filter(pk=comment_id).select_related("work", "chapter").first()
        if _valid_id(comment_id)
        else None
    )
    if found is None or not visible_works(viewer).filter(pk=found.work_id).exists():
        raise Http404("No such comment")
    if not visible_comments(viewer, found.work).filter(pk=found.pk).exists():
        raise Http404("No such comment")
    return found


def is_creator(viewer: Viewer, work: Work) -> bool:
    """Whether this viewer is an accepted creator of `work` (who moderates its comments)."""
    return isinstance(viewer, User) and owned_works(viewer).filter(pk=work.pk).exists()


def visible_bookmarks(viewer: Viewer) -> QuerySet[Bookmark]:
    """Bookmarks this viewer may see: of a work they may see, of a series holding one, or of a
    work elsewhere; private ones for their owner alone; none by an account the viewer muted."""
    seen = visibility(viewer)
    holding = SerialWork.objects.filter(seen_q(seen, "work__"), series=OuterRef("series"))
    target = (
        (Q(work__isnull=False) & seen_q(seen, "work__"))
        | (Q(series__isnull=False) & Exists(holding))
        | Q(external__isnull=False)
    )
    shown = Q(private=False) | Q(pseud__user_id=viewer.pk) if viewer.is_authenticated else Q(private=False)
    bookmarks = Bookmark.objects.filter(target, shown)
    muted = muted_user_ids(viewer)
    return bookmarks.exclude(pseud__user_id__in=muted) if muted else bookmarks


def access_bookmarker(viewer: Viewer, username: str) -> User:
    """Whose bookmarks page this viewer may open: a profile access_profile answers, or a reader
    with a bookmark the viewer may see (readers who never post still bookmark)."""
    try:
        return access_profile(viewer, username)
    except Http404:
        pass
    marks = visible_bookmarks(viewer).filter(pseud__user=OuterRef("pk"))
    user = User.objects.filter(Exists(marks), username=username).first()
    if user is None:
        raise Http404("No such user")
    return user


def access_own_bookmark(viewer: Viewer, bookmark_id: int) -> Bookmark:
    """A bookmark this viewer made of something they may still see (a bookmark of a work since made
    a draft would show the draft's title); anyone else's answers like a missing one."""
    found = (
        visible_bookmarks(viewer)
        .filter(pk=bookmark_id, pseud__user_id=viewer.pk)
        .select_related("work", "series", "external", "pseud")
        .first()
        if isinstance(viewer, User) and _valid_id(bookmark_id)
        else None
    )
    if found is None:
        raise Http404("No such bookmark")
    return found


def own_bookmark_of(user: User, *, work: Work | None = None, series: Series | None = None) -> Bookmark | None:
    """`user`'s bookmark of this work or series (one each, under whichever of their pseuds)."""
    target = Q(work=work) if work is not None else Q(series=series)
    return Bookmark.objects.filter(target, pseud__user=user).select_related("pseud").first()


def saved_exclusions(viewer: Viewer) -> SavedExclusions:
    """What this viewer saved to keep out of every listing (nothing for guests). A synonym
    excluded counts as its canonical tag: the index files works under canonical and meta tags."""
    if not viewer.is_authenticated:
        return SavedExclusions()
    tag_ids = ExcludedTag.objects.filter(user_id=viewer.pk).values_list("tag_id", "tag__merger_id")
    prefs = Preferences.objects.filter(user_id=viewer.pk).first()
    return SavedExclusions(
        tag_ids=tuple(sorted({merger or tag for tag, merger in tag_ids})),
        creator_ids=tuple(sorted(muted_user_ids(viewer))),
        languages=tuple(str(code).lower() for code in prefs.excluded_languages) if prefs else (),
        crossovers=bool(prefs and prefs.exclude_crossovers),
        words_from=prefs.words_from if prefs else None,
        words_to=prefs.words_to if prefs else None,
    )


def works_kept_by(saved: SavedExclusions) -> QuerySet[Work]:
    """The works `saved` leaves in listings, decided in SQL from what the search documents are
    built of (indexing/documents.py), so counts here equal the search backend's."""
    kept = Work.objects.all()
    if saved.tag_ids:
        kept = kept.exclude(
            Exists(FilterTagging.objects.filter(work=OuterRef("pk"), tag_id__in=saved.tag_ids))
        )
    if saved.creator_ids:
        kept = kept.exclude(crediting(pseud__user_id__in=saved.creator_ids))
    if saved.languages:
        # A document's language is the stored name's tag, lower-cased: compare the same way.
        stored = Work.objects.values_list("language", flat=True).distinct().order_by()
        excluded = {name for name in stored if (language_tag(name) or name).lower() in saved.languages}
        kept = kept.exclude(language__in=excluded)
    if saved.crossovers:
        # A crossover is filed under more than one fandom, synonyms counting as their canonical tag.
        fandoms = (
            Tagging.objects.filter(work=OuterRef("pk"), tag__kind=TagKind.FANDOM.value)
            .values("work")
            .annotate(n=Count(Coalesce("tag__merger_id", "tag_id"), distinct=True))
            .values("n")
        )
        kept = kept.exclude(Exists(fandoms.filter(n__gt=1)))
    if saved.words_from is not None:
        kept = kept.filter(word_count__gte=saved.words_from)
    if saved.words_to is not None:
        kept = kept.filter(word_count__lte=saved.words_to)
    return kept


def visible_tag_named(viewer: Viewer, name: str) -> Tag | None:
    """The tag a reader typed, when this viewer may see it (for saving exclusions)."""
    return visible_tags(viewer).filter(key=tag_key(name)).select_related("merger").first()
