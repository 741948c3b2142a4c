from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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


@register.simple_tag
def facet_fieldsets(groups: list[Any], include_ids: Any, exclude_ids: Any) -> SafeString:
    """The filter form's facet checkboxes, written here rather than in works_list.html: a listing
    shows a hundred or so facets with five numbers each, and Django's template engine (localising
    every number) made them a third of the cost of a listing page that is not kept."""
    out: list[str] = []
    for group in groups:
        out.append(
            f'\n  <fieldset class="facet {escape(group.kind.value)}">\n'
            f"    <legend>{escape(group.kind.plural_label)}</legend>\n    <ul>"
        )
        for facet in group.counts:
            tag_id, name = int(facet.tag_id), escape(facet.name)
            included = " checked" if facet.tag_id in include_ids else ""
            excluded = " checked" if facet.tag_id in exclude_ids else ""
            out.append(
                "<li>\n"
                f'      <input type="checkbox" id="include_{tag_id}" name="include" value="{tag_id}"{included}>\n'
                f'      <label for="include_{tag_id}">{name} ({int(facet.count)})</label>\n'
                f'      <input type="checkbox" id="exclude_{tag_id}" name="exclude" value="{tag_id}"{excluded}>\n'
                f'      <label for="exclude_{tag_id}" class="exclude-label"><span class="visually-hidden">'
                f'Exclude {name}</span><span aria-hidden="true">✕</span></label>\n'
                "    </li>"
            )
        out.append("</ul>\n  </fieldset>\n  ")
    # Every value above is escaped or an int.
    return mark_safe("".join(out))
