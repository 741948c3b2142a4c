"""The report form: what is wrong, and a honeypot field people never see (bots fill it in)."""

from __future__ import annotations

from django import forms

from fanarchive.archive.actions.reports import MAX_REASON


class ReportForm(forms.Form):
    reason = forms.CharField(
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 6}),
        label="What is wrong?",
        help_text="Staff read every report. Say what breaks the rules, and where.",
    )
    # Hidden from people by the stylesheet (.honeypot) and from keyboards and screen readers.
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
