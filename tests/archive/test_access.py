from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from fanarchive.archive.access import (
    access_tag,
    access_user,
    access_work,
    search_query,
    visible_tags,
    visible_works,
)
from fanarchive.archive.actions.tags import do_add_meta_tag, do_make_canonical, do_merge_tag
from fanarchive.archive.models import Tag, User, Work
from fanarchive.domain.query import SearchQuery

pytestmark = pytest.mark.django_db


def test_hidden_draft_restricted_and_missing_all_answer_404(make_work: Callable[..., Work]) -> None:
    public = make_work("Public")
    draft = make_work("Draft")
    Work.objects.filter(pk=draft.pk).update(posted=False)
    hidden = make_work("Hidden")
    Work.objects.filter(pk=hidden.pk).update(hidden_by_admin=True)
    restricted = make_work("Restricted")
    Work.objects.filter(pk=restricted.pk).update(restricted=True)
    anonymous = AnonymousUser()
    assert access_work(anonymous, public.pk).pk == public.pk
    messages = set()
    for work_id in (draft.pk, hidden.pk, restricted.pk, 999_999):
        with pytest.raises(Http404) as caught:
            access_work(anonymous, work_id)
        messages.add(str(caught.value))
    assert len(messages) == 1
    member = User.objects.create_user("reader", password="x")
    assert access_work(member, restricted.pk).pk == restricted.pk
    assert set(visible_works(member).values_list("title", flat=True)) == {"Public", "Restricted"}


def test_a_tag_is_visible_through_the_works_that_use_it_or_are_filed_under_it(
    make_work: Callable[..., Work],
) -> None:
    make_work("Public", tags={"freeform": ["Slow Burn", "Pining"]})
    draft = make_work("Draft", tags={"freeform": ["slowburn", "Yearning", "Draft Only"]})
    Work.objects.filter(pk=draft.pk).update(posted=False)
    canonical, synonym = Tag.objects.get(name="Slow Burn"), Tag.objects.get(name="slowburn")
    do_make_canonical(canonical)
    do_merge_tag(synonym, canonical)
    meta, sub = Tag.objects.get(name="Pining"), Tag.objects.get(name="Yearning")
    do_make_canonical(meta)
    do_make_canonical(sub)
    do_add_meta_tag(meta, sub)
    seen = set(visible_tags(AnonymousUser()).values_list("name", flat=True))
    # The canonical and the meta tag are used by the public work; the synonym, the sub tag and
    # the draft's own tag only by the draft.
    assert {"Slow Burn", "Pining"} <= seen
    assert not seen & {"slowburn", "Yearning", "Draft Only"}
    for name in ("slowburn", "Yearning", "Draft Only", "No Such Tag"):
        with pytest.raises(Http404):
            access_tag(AnonymousUser(), name)


def test_staff_see_hidden_works_and_their_authors_nobody_sees_drafts(make_work: Callable[..., Work]) -> None:
    hidden = make_work("Hidden", authors=("hider",))
    Work.objects.filter(pk=hidden.pk).update(hidden_by_admin=True)
    draft = make_work("Draft", authors=("drafter",))
    Work.objects.filter(pk=draft.pk).update(posted=False)
    staff = User.objects.create_user("staff", password="x", is_staff=True)
    member = User.objects.create_user("member", password="x")
    assert set(visible_works(staff).values_list("title", flat=True)) == {"Hidden"}
    assert access_user(staff, "hider").username == "hider"
    for viewer in (AnonymousUser(), member, staff):
        with pytest.raises(Http404):
            access_user(viewer, "drafter")
    with pytest.raises(Http404):
        access_user(member, "hider")
    query = search_query(staff, SearchQuery())
    assert (query.viewer_can_see_restricted, query.viewer_can_see_hidden) == (True, True)
    assert search_query(AnonymousUser(), query).visibility.excluded_flags() == (
        ("posted", False),
        ("hidden", True),
        ("restricted", True),
    )
