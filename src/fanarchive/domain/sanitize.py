"""User HTML to safe HTML. Every stored HTML field keeps the SANITIZER_VERSION it was cleaned with,
so that tightening the rules later can find and re-clean what older versions let through."""

from __future__ import annotations

import nh3

# Bump when ALLOWED_TAGS, ALLOWED_ATTRIBUTES or URL_SCHEMES change.
SANITIZER_VERSION = 1

# AO3's allow-list, less the presentational tags browsers have dropped.
ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "a", "abbr", "acronym", "address", "b", "big", "blockquote", "br", "caption", "center",
        "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em",
        "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
        "li", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strike",
        "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
        "tt", "u", "ul", "var",
    }
)  # fmt: skip

_COMMON_ATTRIBUTES = {"class", "dir", "lang", "title", "align"}
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": _COMMON_ATTRIBUTES,
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "td": {"colspan", "rowspan", "abbr", "headers", "scope"},
    "th": {"colspan", "rowspan", "abbr", "headers", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "table": {"summary"},
}
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})


def sanitize_html(html: str | None) -> str:
    """Strip everything outside the allow-list: scripts, event handlers, javascript: URLs, styles."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        link_rel="nofollow noopener",
        strip_comments=True,
    )


def sanitize_optional(html: str | None) -> str | None:
    """Like sanitize_html, but keeps None (an absent field) distinct from empty text."""
    if html is None:
        return None
    cleaned = sanitize_html(html).strip()
    return cleaned or None


_WEB_SCHEMES = ("http://", "https://")


def web_url(url: str | None) -> str | None:
    """A source's link kept only when it is a plain web address: imported files name related works
    and series by URL, and a `javascript:` one must never become a link on a page or in a download."""
    if not url:
        return None
    url = url.strip()
    if not url.lower().startswith(_WEB_SCHEMES) or any(ord(c) < 33 or c in '"<>\\`' for c in url):
        return None
    return url
