from __future__ import annotations

from collections.abc import Callable

import pytest

from fanarchive.archive.access import muted_user_ids
from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.actions.blocks import check_not_blocked, do_block, do_unblock, is_blocked
from fanarchive.archive.actions.creators import do_invite_cocreator
from fanarchive.archive.models import Mute, User, Work

pytestmark = pytest.mark.django_db


def _member(name: str) -> User:
    user = User.objects.create_user(name, password="x")
    do_ensure_default_pseud(user)
    return user


def test_a_block_refuses_the_blocked_on_the_blockers_works_only(
    make_work: Callable[..., Work],
) -> None:
    work = make_work("Mine", owner="alice")
    other = make_work("Theirs", owner="carl")
    alice = User.objects.get(username="alice")
    bea = _member("bea")
    check_not_blocked(work, bea)
    do_block(alice, bea)
    do_block(alice, bea)  # twice is once
    assert is_blocked([alice.pk], bea)
    assert not is_blocked([alice.pk], alice)
    assert not is_blocked([alice.pk], None)
    with pytest.raises(ActionError, match="blocked"):
        check_not_blocked(work, bea)
    check_not_blocked(other, bea)
    do_unblock(alice, bea)
    check_not_blocked(work, bea)


def test_nobody_blocks_themselves_or_staff(make_work: Callable[..., Work]) -> None:
    alice = _member("alice")
    staff = User.objects.create_user("mod", password="x", is_staff=True)
    with pytest.raises(ActionError):
        do_block(alice, alice)
    with pytest.raises(ActionError):
        do_block(alice, staff)


def test_a_blocked_user_cannot_invite_the_blocker(make_work: Callable[..., Work]) -> None:
    work = make_work("Shared", owner="bea")
    bea = User.objects.get(username="bea")
    alice = _member("alice")
    do_block(alice, bea)
    pseud = alice.default_pseud()
    assert pseud is not None
    with pytest.raises(ActionError, match="cannot be invited"):
        do_invite_cocreator(work, pseud, invited_by=bea)
    do_unblock(alice, bea)
    assert do_invite_cocreator(work, pseud, invited_by=bea).accepted is False


def test_muted_user_ids_are_the_viewers_own(make_work: Callable[..., Work]) -> None:
    from django.contrib.auth.models import AnonymousUser

    alice, bea, carl = _member("alice"), _member("bea"), _member("carl")
    Mute.objects.create(user=alice, muted=bea)
    assert muted_user_ids(alice) == {bea.pk}
    assert muted_user_ids(carl) == set()
    assert muted_user_ids(AnonymousUser()) == set()
