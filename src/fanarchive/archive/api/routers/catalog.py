"""Tags, fandoms and series: each visible exactly when a work the caller may see shows it."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.params import functions as param

from fanarchive.archive.access import access_series, access_tag, seen_q, visibility, visible_tags
from fanarchive.archive.api.auth import PUBLIC_READ, viewer
from fanarchive.archive.api.errors import ERRORS
from fanarchive.archive.api.etags import etagged
from fanarchive.archive.api.pagination import ROW_ID
from fanarchive.archive.api.schemas.catalog import (
    FandomCount,
    SeriesEntry,
    SeriesOut,
    TagDetail,
    TagSuggestionOut,
)
from fanarchive.archive.api.schemas.works import TagRef, WorkSummary
from fanarchive.archive.models import SerialWork, Tag
from fanarchive.archive.web.blurbs import build_blurbs, fandom_counts
from fanarchive.archive.web.views.autocomplete import MAX_SUGGESTIONS, suggest_tags
from fanarchive.domain.tags import TagKind, media_for_fandom

router = Router(tags=["tags, fandoms and series"])


def _refs(tags: QuerySet[Tag]) -> list[TagRef]:
    return [TagRef(id=t.pk, name=t.name, kind=t.kind) for t in tags.order_by("name")]


@router.get(
    openapi_extra=PUBLIC_READ,
    path="/tags",
    response={200: list[TagSuggestionOut], 304: None, **ERRORS},
    summary="Tag autocomplete",
)
def autocomplete(
    request: HttpRequest,
    q: str = param.Query(
        ..., min_length=1, max_length=100, description="What the tag's name starts with or contains"
    ),
    kind: TagKind | None = None,
    limit: int = param.Query(10, ge=1, le=MAX_SUGGESTIONS),
) -> HttpResponse:
    found = suggest_tags(viewer(request), q.strip(), kind=kind.value if kind else None, limit=limit)
    body = [
        TagSuggestionOut(
            id=s.tag_id,
            name=s.name,
            kind=s.kind,
            canonical_id=s.canonical_id,
            canonical_name=s.canonical_name,
        )
        for s in found
    ]
    return etagged(request, body)


@router.get(
    openapi_extra=PUBLIC_READ,
    path="/tags/{name}",
    response={200: TagDetail, 304: None, **ERRORS},
    summary="A tag and its relations",
)
def get_tag(request: HttpRequest, name: str) -> HttpResponse:
    """`name` as in the site's tag URLs (AO3's escapes: `/` is `*s*`, `.` is `*d*` …)."""
    who = viewer(request)
    tag = access_tag(who, name)
    # Related tags only when the caller may see them too, as on the tag's page.
    seen = visible_tags(who)
    merger = seen.filter(pk=tag.merger_id).first() if tag.merger_id else None
    body = TagDetail(
        id=tag.pk,
        name=tag.name,
        kind=tag.kind,
        canonical=tag.canonical,
        merger=TagRef(id=merger.pk, name=merger.name, kind=merger.kind) if merger else None,
        synonyms=_refs(seen.filter(merger=tag)),
        parents=_refs(seen.filter(child_links__child=tag)),
        metas=_refs(seen.filter(sub_links__sub=tag)),
        subs=_refs(seen.filter(meta_links__meta=tag)),
    )
    return etagged(request, body)


@router.get(
    openapi_extra=PUBLIC_READ,
    path="/fandoms",
    response={200: list[FandomCount], 304: None, **ERRORS},
    summary="Fandoms and their works",
)
def list_fandoms(request: HttpRequest) -> HttpResponse:
    body = [
        FandomCount(id=t.pk, name=t.name, kind=t.kind, works=count, media=media_for_fandom(t.name))
        for t, count in fandom_counts(viewer(request))
    ]
    return etagged(request, body)


@router.get(
    openapi_extra=PUBLIC_READ,
    path="/series/{series_id}",
    response={200: SeriesOut, 304: None, **ERRORS},
    summary="A series and its works",
)
def get_series(request: HttpRequest, series_id: int = ROW_ID) -> HttpResponse:
    who = viewer(request)
    series = access_series(who, series_id)
    serials = list(
        SerialWork.objects.filter(seen_q(visibility(who), "work__"), series=series)
        .select_related("work")
        .order_by("position", "id")
    )
    blurbs = build_blurbs([serial.work for serial in serials])
    body = SeriesOut(
        id=series.pk,
        title=series.title,
        summary_html=series.summary,
        notes_html=series.notes,
        complete=series.complete,
        works=[
            SeriesEntry(position=s.position, work=WorkSummary.of(b))
            for s, b in zip(serials, blurbs, strict=True)
        ],
    )
    return etagged(request, body)
