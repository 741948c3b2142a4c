from __future__ import annotations

from django.http import HttpRequest, JsonResponse

from fanarchive.archive.access import Viewer, visibility, visible_tags
from fanarchive.archive.indexing.service import searcher
from fanarchive.domain.query import whole_number
from fanarchive.domain.tags import TAG_KINDS
from fanarchive.search.documents import TagSuggestion

MAX_SUGGESTIONS = 20


def suggest_tags(viewer: Viewer, term: str, *, kind: str | None, limit: int) -> list[TagSuggestion]:
    """Tags whose names start with or contain `term` that `viewer` may see (the API answers these too)."""
    seen = visibility(viewer)
    suggestions = searcher().autocomplete_tags(term, limit=limit, kind=kind, visibility=seen) if term else []
    # The index may lag the database (a work made a draft a moment ago): offer only what the
    # viewer may see now, the synonym and the canonical tag it carries alike.
    shown = {s.tag_id for s in suggestions} | {s.canonical_id for s in suggestions}
    allowed = set(visible_tags(viewer).filter(pk__in=shown).values_list("pk", flat=True))
    return [s for s in suggestions if s.tag_id in allowed and s.canonical_id in allowed]


def tag_autocomplete(request: HttpRequest) -> JsonResponse:
    """Tag names for the filter fields: prefix and infix matches, synonyms with their canonical."""
    term = request.GET.get("term", "").strip()[:100]
    kind = request.GET.get("kind") or None
    if kind not in {k.value for k in TAG_KINDS} | {None}:
        return JsonResponse({"error": f"unknown tag kind {kind!r}"}, status=400)
    limit = min(max(whole_number(request.GET.get("limit", "")) or 10, 1), MAX_SUGGESTIONS)
    suggestions = suggest_tags(request.user, term, kind=kind, limit=limit)
    return JsonResponse(
        {
            "tags": [
                {
                    "id": s.tag_id,
                    "name": s.name,
                    "kind": s.kind,
                    "canonical_id": s.canonical_id,
                    "canonical_name": s.canonical_name,
                }
                for s in suggestions
            ]
        }
    )
