"""Forms of the account pages allauth has none of."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from django import forms

from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.accounts import check_username_available
from fanarchive.archive.models import User


class _WithPassword(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password


class ChangeUsernameForm(_WithPassword):
    username = forms.CharField(label="New user name", max_length=150)

    field_order = ["username", "password"]

    def clean_username(self) -> str:
        # allauth's rules for a user name at sign-up (characters, length, reserved names) hold here too.
        username = get_adapter().clean_username(self.cleaned_data["username"], shallow=True)
        try:
            return check_username_available(username, for_user=self.user)
        except ActionError as error:
            raise forms.ValidationError(str(error)) from None


class DeleteAccountForm(_WithPassword):
    WORKS = [
        ("orphan", "Orphan my works: they stay on the archive, credited to orphan_account"),
        ("orphan_keep_pseud", "Orphan my works but keep my pseud's name on them"),
        ("delete", "Delete my works (works with a co-creator stay, without my name)"),
    ]
    works = forms.ChoiceField(label="My works", choices=WORKS, widget=forms.RadioSelect, initial="orphan")
    confirm = forms.BooleanField(label="I understand that this cannot be undone.")


class InvitationRequestForm(forms.Form):
    email = forms.EmailField(label="E-mail address")
