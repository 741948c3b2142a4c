"""The 500 page: rendered without the request, so no context processor runs (they may need the
database that just failed); the site's name comes from settings alone."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string


def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponseServerError(render_to_string("500.html", {"site_name": settings.SITE_NAME}))
