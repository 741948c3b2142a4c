"""The comment form: the text, a guest's name and address, and the honeypot."""

from __future__ import annotations

from functools import lru_cache

from django import forms
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from fanarchive.archive.actions.comments import MAX_COMMENT_CHARS, MAX_GUEST_NAME

# A field people never see (it is visually hidden and skipped by the tab key): a bot filling
# every input fills it, and its comment is dropped without a word.
HONEYPOT = "website"


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        max_length=MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Plain text, or HTML: p, br, a, b, i, em, strong, blockquote, ul, ol, li, s, u, sub, sup, code.",
    )
    guest_name = forms.CharField(label="Name", required=False, max_length=MAX_GUEST_NAME)
    guest_email = forms.EmailField(
        label="E-mail", required=False, help_text="Never shown; replies to your comment are e-mailed there."
    )
    website = forms.CharField(
        label="Leave this empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    chapter = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def caught(self) -> bool:
        """Whether the honeypot was filled: a bot's post, refused quietly."""
        return bool(self.data.get(HONEYPOT, "").strip())


class CommentEditForm(forms.Form):
    body = CommentForm.base_fields["body"]


@lru_cache(maxsize=1024)
def blank_comment_fields(chapter: int | None, guest: bool) -> SafeString:
    """The fields of the empty comment form under a work's page (chapter: the position it posts
    to), rendered once per process: they are the same for every reader of that chapter, and the
    form renderer was a tenth of a member's chapter page."""
    form = CommentForm(initial={"chapter": chapter})
    html = render_to_string("archive/comment_fields.html", {"form": form, "guest": guest, "parent": None})
    return SafeString(html)
