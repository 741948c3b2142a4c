"""The site's URLs plus two that fail on purpose, for the error page tests."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from fanarchive.urls import handler500
from fanarchive.urls import urlpatterns as site_urlpatterns

__all__ = ["handler500", "urlpatterns"]


def _forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def _broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("broken on purpose")


urlpatterns = [path("test-forbidden", _forbidden), path("test-broken", _broken), *site_urlpatterns]
