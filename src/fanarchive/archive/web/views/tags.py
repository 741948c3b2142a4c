from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from fanarchive.archive.access import visible_works
from fanarchive.archive.models import Tag
from fanarchive.archive.web.blurbs import fandom_counts
from fanarchive.archive.web.views.listing import render_listing
from fanarchive.domain.tags import MEDIA, media_for_fandom, tag_from_url_part, tag_key


def _tag_or_404(tag_name: str) -> Tag:
    tag = Tag.objects.filter(key=tag_key(tag_from_url_part(tag_name))).select_related("merger").first()
    if tag is None:
        raise Http404("No such tag")
    return tag


def tag_page(request: HttpRequest, tag_name: str) -> HttpResponse:
    tag = _tag_or_404(tag_name)
    return render(
        request,
        "archive/tag.html",
        {
            "tag": tag,
            "synonyms": tag.synonyms.all(),
            "parents": Tag.objects.filter(child_links__child=tag),
            "metas": Tag.objects.filter(sub_links__sub=tag),
            "subs": Tag.objects.filter(meta_links__meta=tag),
        },
    )


def tag_works(request: HttpRequest, tag_name: str) -> HttpResponse:
    tag = _tag_or_404(tag_name)
    # A synonym lists the works of its canonical tag, as on AO3.
    filter_tag = tag.merger or tag
    return render_listing(
        request, f"Works in {filter_tag.name}", include=(filter_tag.pk,), extra={"tag": filter_tag}
    )


def fandoms(request: HttpRequest) -> HttpResponse:
    groups: dict[str, list[tuple[Tag, int]]] = {media: [] for media in MEDIA}
    for tag, count in fandom_counts(visible_works(request.user)):
        groups[media_for_fandom(tag.name)].append((tag, count))
    for entries in groups.values():
        entries.sort(key=lambda entry: entry[0].name.casefold())
    media = [(name, entries) for name, entries in groups.items() if entries]
    return render(request, "archive/fandoms.html", {"media": media})
