"""The bookmark form on a work's or a series' page: `{% bookmark_box work=work %}`."""

from __future__ import annotations

from typing import Any

from django import template

from fanarchive.archive.access import own_bookmark_of
from fanarchive.archive.models import Series, User, Work
from fanarchive.archive.web.forms.bookmarks import box_fields

register = template.Library()


@register.inclusion_tag("archive/bookmark_box.html", takes_context=True)
def bookmark_box(
    context: template.Context, work: Work | None = None, series: Series | None = None
) -> dict[str, Any]:
    """A member's own bookmark of the page's work or series, in a form that changes it (a new one
    when there is none; its fields: forms.bookmarks.box_fields); guests see only the link to the
    work's bookmarks."""
    request = context.get("request")
    user = getattr(request, "user", None)
    box: dict[str, Any] = {"work": work, "series": series}
    if isinstance(user, User):
        bookmark = own_bookmark_of(user, work=work, series=series)
        pseud_id: int | None
        if bookmark is not None:
            pseud_id = bookmark.pseud_id
        else:
            pseud_id = user.pseuds.filter(is_default=True).values_list("pk", flat=True).first()
        box |= {"user": user, "bookmark": bookmark, "fields": box_fields(bookmark), "pseud_id": pseud_id}
    return {"box": box, "csrf_token": context.get("csrf_token")}
