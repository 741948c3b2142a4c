from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from fanarchive.domain.tags import tag_to_url_part

register = template.Library()


@register.filter
def tag_works_url(name: str) -> str:
    return reverse("tag_works", args=[tag_to_url_part(name)])


@register.filter
def tag_url(name: str) -> str:
    return reverse("tag", args=[tag_to_url_part(name)])


@register.filter
def tag_url_part(name: str) -> str:
    return tag_to_url_part(name)


@register.filter
def thousands(value: int | None) -> str:
    return f"{value or 0:,}"


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key)


@register.filter
def in_facets(tag_id: int, groups: list[Any]) -> bool:
    return any(facet.tag_id == tag_id for group in groups for facet in group.counts)
