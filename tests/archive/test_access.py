from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from fanarchive.archive.access import access_work, visible_works
from fanarchive.archive.models import User, Work

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
