from __future__ import annotations

from collections.abc import Callable

import pytest

from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.creators import do_invite_cocreator
from fanarchive.archive.actions.pseuds import (
    do_create_pseud,
    do_delete_pseud,
    do_rename_pseud,
    do_set_default_pseud,
)
from fanarchive.archive.models import Bookmark, Creatorship, Pseud, SearchOutbox, User, Work

pytestmark = pytest.mark.django_db


def _outbox() -> set[int]:
    return set(SearchOutbox.objects.values_list("work_id", flat=True))


def test_the_first_pseud_is_the_default_and_names_are_checked(db: None) -> None:
    user = User.objects.create_user("wren", password="x")
    first = do_create_pseud(user, "  Wren   Writes ")
    assert first.name == "Wren Writes" and first.is_default
    second = do_create_pseud(user, "Night Wren", description="Darker things.")
    assert not second.is_default
    for bad, message in [
        ("", "needs a name"),
        ("   ", "needs a name"),
        ("x" * 151, "at most 150"),
        ("?!...", "letter or digit"),
        ("wren writes", "already have"),
    ]:
        with pytest.raises(ActionError, match=message):
            do_create_pseud(user, bad)
    assert do_create_pseud(user, "y" * 150).name == "y" * 150
    # Another user may take the same name.
    assert do_create_pseud(User.objects.create_user("other", password="x"), "Wren Writes").is_default


def test_setting_the_default_leaves_exactly_one(db: None) -> None:
    user = User.objects.create_user("wren", password="x")
    first, second = do_create_pseud(user, "One"), do_create_pseud(user, "Two")
    do_set_default_pseud(second)
    assert list(user.pseuds.filter(is_default=True)) == [second]
    do_create_pseud(user, "Three", default=True)
    assert list(user.pseuds.filter(is_default=True).values_list("name", flat=True)) == ["Three"]
    first.refresh_from_db()
    assert not first.is_default


def test_renaming_reindexes_the_works_it_is_credited_on(make_work: Callable[..., Work]) -> None:
    credited = make_work("Credited", authors=("wren",))
    wren = User.objects.get(username="wren")
    pseud = wren.pseuds.get()
    other = make_work("Someone else's", authors=("alice",))
    alice = User.objects.get(username="alice")
    do_invite_cocreator(other, pseud, invited_by=alice)
    SearchOutbox.objects.all().delete()
    do_rename_pseud(pseud, "Wren Anew", description="New bio")
    pseud.refresh_from_db()
    assert (pseud.name, pseud.description) == ("Wren Anew", "New bio")
    # The pending invitation names the pseud nowhere: its work needs no reindex.
    assert _outbox() == {credited.pk}
    SearchOutbox.objects.all().delete()
    do_rename_pseud(pseud, "Wren Anew", description="Only the bio")
    assert _outbox() == set()
    do_create_pseud(wren, "Taken")
    with pytest.raises(ActionError, match="already have"):
        do_rename_pseud(pseud, "TAKEN")


def test_deleting_moves_works_and_bookmarks_to_the_default(make_work: Callable[..., Work]) -> None:
    alone = make_work("Alone", authors=("wren",))
    wren = User.objects.get(username="wren")
    default = wren.pseuds.get()
    side = do_create_pseud(wren, "Side Wren")
    Creatorship.objects.filter(work=alone).update(pseud=side)
    both = make_work("Both", authors=("wren",))
    Creatorship.objects.create(work=both, pseud=side, position=1)
    Bookmark.objects.create(work=both, pseud=side)
    Bookmark.objects.create(work=both, pseud=default)
    Bookmark.objects.create(work=alone, pseud=side)
    SearchOutbox.objects.all().delete()

    with pytest.raises(ActionError, match="default pseud cannot be deleted"):
        do_delete_pseud(default)
    assert do_delete_pseud(side) == default
    assert not Pseud.objects.filter(pk=side.pk).exists()
    assert list(alone.creatorships.values_list("pseud_id", "accepted")) == [(default.pk, True)]
    assert list(both.creatorships.values_list("pseud_id", flat=True)) == [default.pk]
    assert set(Bookmark.objects.values_list("work_id", "pseud_id")) == {
        (both.pk, default.pk),
        (alone.pk, default.pk),
    }
    assert _outbox() == {alone.pk, both.pk}


def test_a_deleted_pseuds_acceptance_carries_over(make_work: Callable[..., Work]) -> None:
    work = make_work("Shared", authors=("alice",))
    alice = User.objects.get(username="alice")
    wren = User.objects.create_user("wren", password="x")
    default = do_create_pseud(wren, "wren")
    side = do_create_pseud(wren, "Side")
    invitation = do_invite_cocreator(work, default, invited_by=alice)
    # A credit the side pseud holds (as an import could leave), and an invitation to the default.
    Creatorship.objects.create(work=work, pseud=side, position=5)
    do_delete_pseud(side)
    invitation.refresh_from_db()
    assert invitation.accepted
