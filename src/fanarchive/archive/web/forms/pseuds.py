"""The pseud form: a name, a description, and whether it becomes the default."""

from __future__ import annotations

from django import forms

from fanarchive.archive.actions.pseuds import MAX_NAME


class PseudForm(forms.Form):
    name = forms.CharField(max_length=MAX_NAME, help_text="How your name shows on your works' bylines.")
    description = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4}), help_text="Plain text."
    )
    default = forms.BooleanField(required=False, label="Make this my default pseud")
