"""What happens around allauth's and Django's own events: every new account gets its default pseud,
and the role groups exist after every migrate."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import user_signed_up
from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.dispatch import receiver
from django.http import HttpRequest

from fanarchive.archive.actions.accounts import do_ensure_roles
from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.models import User


@receiver(user_signed_up)
def give_default_pseud(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    do_ensure_default_pseud(user)


def ensure_roles(sender: AppConfig, **kwargs: Any) -> None:
    # Django makes the archive's model permissions in its own post_migrate handler, connected first.
    do_ensure_roles()


def connect(app: AppConfig) -> None:
    post_migrate.connect(ensure_roles, sender=app, dispatch_uid="fanarchive_roles")
