"""The API: one NinjaAPI, version 1, at /api/v1/ (interactive docs at /api/docs, the OpenAPI
document at /api/v1/openapi.json). Each area's router is added here."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path
from ninja import NinjaAPI
from ninja.openapi.views import openapi_view

from fanarchive.archive.api.auth import API_AUTH
from fanarchive.archive.api.errors import PROBLEM_TYPE, install_handlers, problem
from fanarchive.archive.api.routers import (
    catalog,
    follows,
    jobs,
    people,
    posting,
    reactions,
    reading,
    webhooks,
    works,
)


class ArchiveAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """Error answers are problem details (RFC 9457): say so in the document, so clients and
        schemathesis expect application/problem+json for every 4xx."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if str(status).startswith("4") and "application/json" in content:
                        content[PROBLEM_TYPE] = content.pop("application/json")
        return schema


api = ArchiveAPI(
    title="fanarchive API",
    version="1",
    description="Read and write a fanarchive. Authentication: `Authorization: Bearer fa_…` (a personal "
    "access token from /settings/tokens), or the site's session. Errors are RFC 9457 problem details.",
    auth=API_AUTH,
    urls_namespace="api-1",
    docs_url=None,
)
install_handlers(api)

api.add_router("", works.router)
api.add_router("", reading.router)
api.add_router("", catalog.router)
api.add_router("", people.router)
api.add_router("", jobs.router)
api.add_router("", webhooks.router)
api.add_router("", posting.router)
api.add_router("", reactions.router)
api.add_router("", follows.router)


def _docs(request: HttpRequest) -> HttpResponse:
    # Beside /api/v1/ rather than under it: the docs are of the API, not a version's endpoint.
    return openapi_view(request, api)


def _unknown(request: HttpRequest, rest: str) -> HttpResponse:
    # A client that asks for a path the API does not have gets JSON it can read, not a web page.
    return problem(404, "The API has no such path; see /api/v1/openapi.json.")


urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/", api.urls),
    path("api/docs", _docs, name="api_docs"),
    path("api/<path:rest>", _unknown, name="api_unknown"),
]
