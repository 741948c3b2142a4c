"""`{% fragment "name" key... %}...{% endfragment %}`: Django's `{% cache %}` made safe for pages
every reader shares (archive/web/fragments.py): always in the page cache's store, always keyed on
the content version the view read first, and not kept at all while the page cache is off."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist: NodeList, name: FilterExpression, keys: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.name = name
        self.keys = keys

    def render(self, context: Context) -> SafeString:
        request = context.get("request")
        version = getattr(request, "fragment_version", None)
        seconds = settings.PAGE_CACHE_SECONDS
        if version is None or seconds <= 0:
            return mark_safe(self.nodelist.render(context))
        key = make_template_fragment_key(
            str(self.name.resolve(context)), [version, *(k.resolve(context) for k in self.keys)]
        )
        store = caches["pages"]
        value: str | None = store.get(key)
        if value is None:
            value = self.nodelist.render(context)
            store.set(key, value, seconds)
        return mark_safe(value)


@register.tag("fragment")
def do_fragment(parser: Parser, token: Token) -> FragmentNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% fragment %} needs a name")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]]
    )
