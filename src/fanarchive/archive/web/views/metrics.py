"""/metrics: Prometheus's scrape endpoint, for staff and for the networks an operator names
(FANARCHIVE_METRICS_NETWORKS, loopback by default). Anyone else gets the site's 404, as for any
address that is not there."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from fanarchive.archive.observability.metrics import exposition
from fanarchive.archive.web.security import client_ip


def _from_allowed_network(request: HttpRequest) -> bool:
    address = client_ip(request)
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(network, strict=False) for network in settings.METRICS_NETWORKS)


@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not (request.user.is_staff or _from_allowed_network(request)):
        raise Http404
    response = HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response
