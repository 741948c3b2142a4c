"""The 500 page: rendered without the request's context processors, which may need the database
that just failed; the site's name comes from settings alone."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import Context, loader


def server_error(request: HttpRequest) -> HttpResponse:
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.template.render(Context({"site_name": settings.SITE_NAME})))
