"""A user's inbox as an Atom feed at a secret address (/users/<name>/inbox/<token>.atom), for feed
readers that cannot log in. The token is the only key: a wrong one, a revoked one and a user without
one all answer the same 404."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe
from lxml import etree

from fanarchive.archive.feeds import links
from fanarchive.archive.feeds.responses import respond
from fanarchive.archive.feeds.xml import ATOM_NSMAP, root, sub, timestamp
from fanarchive.archive.models import InboxItem, Preferences
from fanarchive.archive.notify.describe import describe
from fanarchive.archive.notify.inbox import inbox_items
from fanarchive.archive.site_origin import absolute_url

ATOM_CONTENT_TYPE = "application/atom+xml; charset=utf-8"
ENTRIES = 50


@require_safe
def inbox_feed(request: HttpRequest, username: str, token: str) -> HttpResponse:
    prefs = (
        Preferences.objects.filter(user__username=username, user__is_active=True)
        .select_related("user")
        .first()
    )
    if prefs is None or not prefs.feed_token or not hmac.compare_digest(prefs.feed_token, token):
        raise Http404("No such feed")
    items = list(inbox_items(prefs.user)[:ENTRIES])
    self_url = absolute_url(request.get_full_path())
    document = root("feed", ATOM_NSMAP)
    # The id names no token, so that a feed reader keeps its entries when the address changes.
    sub(document, "id", links.absolute(f"/users/{prefs.user.username}/inbox"))
    sub(document, "title", f"{settings.SITE_NAME}: inbox of {prefs.user.username}")
    sub(document, "updated", timestamp(items[0].created_at if items else prefs.user.date_joined))
    author = sub(document, "author")
    sub(author, "name", settings.SITE_NAME)
    sub(author, "uri", links.absolute("/"))
    sub(document, "link", attrs={"rel": "self", "href": self_url, "type": links.ATOM_FEED})
    sub(document, "link", attrs={"rel": "alternate", "href": links.absolute("/inbox"), "type": links.HTML})
    for item in items:
        _entry(document, item)
    response = respond(document, ATOM_CONTENT_TYPE)
    response["Cache-Control"] = "private, no-store"
    return response


def _entry(document: etree._Element, item: InboxItem) -> None:
    text = describe(item)
    entry = sub(document, "entry")
    sub(entry, "id", links.absolute(f"/inbox#item-{item.pk}"))
    sub(entry, "title", text.title)
    sub(entry, "updated", timestamp(item.created_at))
    sub(entry, "link", attrs={"rel": "alternate", "type": links.HTML, "href": text.url})
