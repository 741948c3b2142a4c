"""The saved exclusions page's forms: a tag to exclude, an author to mute, and the rest
(languages, crossovers, word counts) in one."""

from __future__ import annotations

from django import forms

from fanarchive.domain.languages import language_tag

MAX_WORDS = 10_000_000


class ExcludeTagForm(forms.Form):
    tag = forms.CharField(max_length=150, label="Tag", help_text="Its synonyms and sub tags go with it.")


class MuteForm(forms.Form):
    username = forms.CharField(
        max_length=150, label="Author", help_text="Their works, comments and bookmarks vanish for you."
    )


class BlockForm(forms.Form):
    username = forms.CharField(
        max_length=150,
        label="Author",
        help_text="They can no longer comment on, reply to or leave kudos on your works, nor invite you.",
    )


class ExclusionPreferencesForm(forms.Form):
    languages = forms.CharField(
        required=False,
        max_length=500,
        label="Languages to hide",
        help_text="Names or codes, separated by commas (e.g. German, fr).",
    )
    crossovers = forms.BooleanField(required=False, label="Hide crossovers (works in more than one fandom)")
    words_from = forms.IntegerField(required=False, min_value=0, max_value=MAX_WORDS, label="Fewest words")
    words_to = forms.IntegerField(required=False, min_value=0, max_value=MAX_WORDS, label="Most words")

    def clean_languages(self) -> list[str]:
        names = [part.strip() for part in self.cleaned_data["languages"].split(",") if part.strip()]
        # The index keeps a work's language as its code where one is known, else its own words.
        return [(language_tag(name) or name).lower() for name in names]
