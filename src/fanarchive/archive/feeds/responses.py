"""Helpers the feed views share."""

from __future__ import annotations

from django.http import HttpResponse
from lxml import etree

from fanarchive.archive.feeds.xml import serialise


def respond(document: etree._Element, content_type: str) -> HttpResponse:
    return HttpResponse(serialise(document), content_type=content_type)
