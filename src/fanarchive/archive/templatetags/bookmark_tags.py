"""The bookmark form on a work's or a series' page: `{% bookmark_box work=work %}`."""

from __future__ import annotations

from typing import Any

from django import template

from fanarchive.archive.access import own_bookmark_of
from fanarchive.archive.models import Series, User, Work
from fanarchive.archive.web.forms.bookmarks import BookmarkForm, initial_for

register = template.Library()


@register.inclusion_tag("archive/bookmark_box.html", takes_context=True)
def bookmark_box(
    context: template.Context, work: Work | None = None, series: Series | None = None
) -> dict[str, Any]:
    """A member's own bookmark of the page's work or series, in a form that changes it (a new one
    when there is none); guests see only the link to the work's bookmarks."""
    request = context.get("request")
    user = getattr(request, "user", None)
    box: dict[str, Any] = {"work": work, "series": series}
    if isinstance(user, User):
        bookmark = own_bookmark_of(user, work=work, series=series)
        initial = initial_for(bookmark) if bookmark is not None else None
        # Its own ids: the page holds other forms (comments) with fields of the same names.
        form = BookmarkForm(user=user, initial=initial, auto_id="bookmark_%s")
        # A public page names none of the reader's pseuds (one only a draft uses is a name only
        # the draft says): the bookmark keeps its pseud, or takes the default; the full form
        # (on the reader's own page) chooses.
        del form.fields["pseud"]
        default = user.pseuds.filter(is_default=True).values_list("pk", flat=True).first()
        box |= {
            "user": user,
            "bookmark": bookmark,
            "form": form,
            "pseud_id": bookmark.pseud_id if bookmark is not None else default,
        }
    return {"box": box, "csrf_token": context.get("csrf_token")}
