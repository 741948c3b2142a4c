"""User HTML to safe HTML. Every stored HTML field keeps the SANITIZER_VERSION it was cleaned with,
so that tightening the rules later can find and re-clean what older versions let through."""

from __future__ import annotations

import re

import nh3

from fanarchive.domain.xml_text import xml_safe

# Bump when ALLOWED_TAGS, ALLOWED_ATTRIBUTES, URL_SCHEMES or the URL rule change.
# 2: every URL attribute (not only ammonia's href/src) keeps only http(s), mailto and relative URLs;
#    version 1 let `<blockquote cite="javascript:…">` through. Characters XML 1.0 forbids are dropped.
SANITIZER_VERSION = 2

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

# Every attribute that a browser or reader may resolve as a URL, whether or not it is allowed today:
# ammonia checks schemes only on the attributes it knows (href, src, ...), not on `cite`, so the
# rule is applied here to each, and an attribute added to the allow-list later is covered too.
URL_ATTRIBUTES: frozenset[str] = frozenset(
    {
        "action", "background", "cite", "classid", "codebase", "data", "dynsrc", "formaction",
        "href", "icon", "longdesc", "lowsrc", "manifest", "ping", "poster", "profile", "src",
        "srcset", "usemap", "xlink:href", "xml:base",
    }
)  # fmt: skip

# What the WHATWG URL parser ignores: it strips leading/trailing C0 controls and spaces and drops
# tab, LF and CR anywhere, so `\x01 java\tscript:` is still javascript:.
_URL_IGNORED = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


def safe_url(value: str) -> bool:
    """Whether a URL attribute's (entity-decoded) value is http(s), mailto or relative. Anything
    with a colon before its first `/`, `?` or `#` is read as a scheme and must be one of ours."""
    url = _URL_IGNORED.sub("", value).strip("".join(chr(c) for c in range(0x21)))
    match = _SCHEME.match(url)
    if match:
        return match.group(1).lower() in URL_SCHEMES
    head = re.split(r"[/?#]", url, maxsplit=1)[0]
    return ":" not in head


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    if attribute.lower() in URL_ATTRIBUTES and not safe_url(value):
        return None
    return value


def sanitize_html(html: str | None) -> str:
    """Strip everything outside the allow-list: scripts, event handlers, javascript: URLs, styles."""
    if not html:
        return ""
    # Characters XML 1.0 forbids go first: nh3 cannot encode a lone surrogate, and a stored control
    # character would make every feed and e-book that carries this text ill-formed.
    return nh3.clean(
        xml_safe(html),
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        link_rel="nofollow noopener",
        strip_comments=True,
        attribute_filter=_attribute_filter,
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
