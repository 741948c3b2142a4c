"""The form that makes a personal access token for the API."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from fanarchive.archive.models.api import TOKEN_SCOPES

# Offered lifetimes, in days; 0 is "never expires".
LIFETIMES = [(30, "30 days"), (90, "90 days"), (365, "a year"), (0, "never")]
SCOPE_HELP = {
    "read": "read what you may see, restricted works included",
    "write": "act as you: post, comment, leave kudos, bookmark, subscribe",
    "import": "import files into your account",
    "admin": "staff work (staff only)",
}


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What the token is for, e.g. “my e-reader”.")
    scopes = forms.MultipleChoiceField(
        choices=[(s, f"{s}: {SCOPE_HELP[s]}") for s in TOKEN_SCOPES],
        widget=forms.CheckboxSelectMultiple,
        initial=["read"],
    )
    lifetime = forms.TypedChoiceField(choices=LIFETIMES, coerce=int, initial=90, label="Expires after")

    def expires_at(self) -> dt.datetime | None:
        days: int = self.cleaned_data["lifetime"]
        return timezone.now() + dt.timedelta(days=days) if days else None
