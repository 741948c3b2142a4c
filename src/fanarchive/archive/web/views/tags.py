from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fanarchive.archive.access import access_tag, visible_tags
from fanarchive.archive.models import Tag
from fanarchive.archive.web.blurbs import fandom_counts
from fanarchive.archive.web.views.listing import render_listing
from fanarchive.domain.tags import MEDIA, media_for_fandom


def tag_page(request: HttpRequest, tag_name: str) -> HttpResponse:
    tag = access_tag(request.user, tag_name)
    # Related tags are shown only when the viewer may see them too: a sub tag or synonym used by
    # drafts alone would otherwise be named here.
    seen = visible_tags(request.user)
    return render(
        request,
        "archive/tag.html",
        {
            "tag": tag,
            "synonyms": seen.filter(merger=tag),
            "parents": seen.filter(child_links__child=tag),
            "metas": seen.filter(sub_links__sub=tag),
            "subs": seen.filter(meta_links__meta=tag),
        },
    )


def tag_works(request: HttpRequest, tag_name: str) -> HttpResponse:
    tag = access_tag(request.user, tag_name)
    # A synonym lists the works of its canonical tag, as on AO3.
    filter_tag = tag.merger or tag
    return render_listing(
        request, f"Works in {filter_tag.name}", include=(filter_tag.pk,), extra={"tag": filter_tag}
    )


def fandoms(request: HttpRequest) -> HttpResponse:
    groups: dict[str, list[tuple[Tag, int]]] = {media: [] for media in MEDIA}
    for tag, count in fandom_counts(request.user):
        groups[media_for_fandom(tag.name)].append((tag, count))
    for entries in groups.values():
        entries.sort(key=lambda entry: entry[0].name.casefold())
    media = [(name, entries) for name, entries in groups.items() if entries]
    return render(request, "archive/fandoms.html", {"media": media})
