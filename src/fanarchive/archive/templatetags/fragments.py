"""`{% fragment "name" work_id key... %}...{% endfragment %}`: Django's `{% cache %}` made safe for
pages every reader shares (archive/web/fragments.py): always in the page cache's store, keyed on
the versions of SITE and of the work it shows (its first key), kept only when no write landed since
the request began, and not kept at all while the page cache is off."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe

from fanarchive.archive.db_router import reads_replica
from fanarchive.archive.pagecache.dependencies import shows_works
from fanarchive.archive.pagecache.versions import SITE, WRITE, readable_versions, work_key

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist: NodeList, name: FilterExpression, keys: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.name = name
        self.keys = keys

    def render(self, context: Context) -> SafeString:
        request = context.get("request")
        started = getattr(request, "fragment_started", None)
        keys = [k.resolve(context) for k in self.keys]
        shows_works(keys[:1])
        shown = [SITE, work_key(keys[0])]
        tokens = readable_versions(shown) if started is not None else None
        seconds = settings.PAGE_CACHE_SECONDS
        if tokens is None or seconds <= 0:
            return mark_safe(self.nodelist.render(context))
        key = make_template_fragment_key(str(self.name.resolve(context)), [*tokens, *keys])
        store = caches["pages"]
        value: str | None = store.get(key)
        if value is None:
            value = self.nodelist.render(context)
            # Its rows were read after the request began; if no write landed since (WRITE is
            # unchanged), they are the rows of the tokens it was looked up under. Unless they came
            # from a replica, which may not have replayed a write committed before the request.
            if not reads_replica() and readable_versions([WRITE]) == [started]:
                store.set(key, value, seconds)
        return mark_safe(value)


@register.tag("fragment")
def do_fragment(parser: Parser, token: Token) -> FragmentNode:
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError("{% fragment %} needs a name and the id of the work it shows")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]]
    )
