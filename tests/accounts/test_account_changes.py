"""Changing the user name and deleting the account (orphaning or deleting the works), through the
pages and the actions."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from fanarchive.archive.actions.accounts import do_change_username, do_delete_account
from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.actions.orphaning import ORPHAN_ACCOUNT
from fanarchive.archive.models import Creatorship, Pseud, SearchOutbox, User, Work

pytestmark = pytest.mark.django_db

PASSWORD = "tidepool-lantern-42"


def _member(username: str = "ada") -> User:
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD)
    EmailAddress.objects.create(user=user, email=f"{username}@example.org", verified=True, primary=True)
    do_ensure_default_pseud(user)
    return user


def _credit(work: Work, pseud: Pseud) -> None:
    Creatorship.objects.create(work=work, pseud=pseud, position=5)


def _logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_change_username_renames_the_default_pseud_and_reindexes(make_work: Callable[..., Work]) -> None:
    ada = _member()
    work = make_work(authors=("someone",))
    _credit(work, ada.default_pseud())  # type: ignore[arg-type]
    SearchOutbox.objects.all().delete()
    client = _logged_in(ada)

    wrong = client.post("/accounts/username/", {"username": "ada_lovelace", "password": "nope"})
    assert wrong.status_code == 200 and "not your password" in wrong.content.decode()
    response = client.post("/accounts/username/", {"username": "ada_lovelace", "password": PASSWORD})
    assert response.status_code == 302

    ada.refresh_from_db()
    assert ada.username == "ada_lovelace"
    assert [(p.name, p.is_default) for p in ada.pseuds.all()] == [("ada_lovelace", True)]
    assert work.pk in set(SearchOutbox.objects.values_list("work_id", flat=True))
    # Still logged in, under the new name.
    assert "ada_lovelace" in client.get("/").content.decode()


def test_change_username_leaves_a_chosen_pseud_and_refuses_a_taken_name() -> None:
    ada, _ben = _member(), _member("ben")
    default = ada.default_pseud()
    assert default is not None
    default.name = "Lady Ada"
    default.save()
    client = _logged_in(ada)
    taken = client.post("/accounts/username/", {"username": "BEN", "password": PASSWORD})
    assert taken.status_code == 200 and "taken" in taken.content.decode()
    reserved = client.post("/accounts/username/", {"username": ORPHAN_ACCOUNT, "password": PASSWORD})
    assert reserved.status_code == 200
    do_change_username(ada, "countess")
    assert list(ada.pseuds.values_list("name", flat=True)) == ["Lady Ada"]


def test_delete_account_orphaning_the_works(make_work: Callable[..., Work]) -> None:
    ada = _member()
    work = make_work(authors=("someone",))
    Creatorship.objects.filter(work=work).delete()
    _credit(work, ada.default_pseud())  # type: ignore[arg-type]
    client = _logged_in(ada)

    refused = client.post("/accounts/delete/", {"password": PASSWORD, "works": "orphan"})
    assert refused.status_code == 200 and User.objects.filter(pk=ada.pk).exists()  # not confirmed
    response = client.post(
        "/accounts/delete/", {"password": PASSWORD, "works": "orphan_keep_pseud", "confirm": "on"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert not User.objects.filter(pk=ada.pk).exists()
    assert not EmailAddress.objects.filter(email="ada@example.org").exists()
    assert [(c.pseud.user.username, c.pseud.name) for c in Creatorship.objects.filter(work=work)] == [
        (ORPHAN_ACCOUNT, "ada")
    ]
    assert "_auth_user_id" not in client.session


def test_delete_account_deleting_the_works_keeps_shared_ones(make_work: Callable[..., Work]) -> None:
    ada = _member()
    own = make_work("Own", authors=("someone",))
    Creatorship.objects.filter(work=own).delete()
    _credit(own, ada.default_pseud())  # type: ignore[arg-type]
    shared = make_work("Shared", authors=("Ben Writes",))
    _credit(shared, ada.default_pseud())  # type: ignore[arg-type]
    SearchOutbox.objects.all().delete()

    do_delete_account(ada, orphan_works=False)

    assert not Work.objects.filter(pk=own.pk).exists()
    assert [c.pseud.name for c in Creatorship.objects.filter(work=shared)] == ["Ben Writes"]
    assert set(SearchOutbox.objects.values_list("work_id", flat=True)) == {own.pk, shared.pk}
    assert not User.objects.filter(username="ada").exists()


def test_account_pages_need_a_log_in(client: Client) -> None:
    for url in ("/accounts/username/", "/accounts/delete/", "/accounts/email/", "/accounts/2fa/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
