from __future__ import annotations

from django.http import HttpRequest, JsonResponse

from fanarchive.archive.indexing.service import searcher
from fanarchive.domain.tags import TAG_KINDS

MAX_SUGGESTIONS = 20


def tag_autocomplete(request: HttpRequest) -> JsonResponse:
    """Tag names for the filter fields: prefix and infix matches, synonyms with their canonical."""
    term = request.GET.get("term", "").strip()[:100]
    kind = request.GET.get("kind") or None
    if kind not in {k.value for k in TAG_KINDS} | {None}:
        return JsonResponse({"error": f"unknown tag kind {kind!r}"}, status=400)
    try:
        limit = min(max(int(request.GET.get("limit", 10)), 1), MAX_SUGGESTIONS)
    except ValueError:
        limit = 10
    suggestions = searcher().autocomplete_tags(term, limit=limit, kind=kind) if term else []
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
