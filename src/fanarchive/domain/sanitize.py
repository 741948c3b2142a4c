"""User HTML to safe HTML. Every stored HTML field keeps the SANITIZER_VERSION it was cleaned with,
so that tightening the rules later can find and re-clean what older versions let through."""

from __future__ import annotations

import re
from html import escape
from typing import Any

import lxml.etree
import lxml.html
import nh3

from fanarchive.domain.embeds import embed_src, media_url
from fanarchive.domain.xml_text import xml_safe

# Bump when ALLOWED_TAGS, ALLOWED_ATTRIBUTES, URL_SCHEMES or the URL rule change.
# 2: every URL attribute (not only ammonia's href/src) keeps only http(s), mailto and relative URLs;
#    version 1 let `<blockquote cite="javascript:…">` through. Characters XML 1.0 forbids are dropped.
# 3: `<details open>`, `<audio>`, `<video>`, `<source>`, `<track>` (https addresses only) and
#    `<iframe>` players from the hosts in domain/embeds.py, sandboxed. Only looser: a text cleaned
#    with version 2 is unchanged by version 3, so stored rows need no re-cleaning; the number tells
#    which rows may hold the new elements.
SANITIZER_VERSION = 3

# AO3's allow-list, less the presentational tags browsers have dropped.
ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "a", "abbr", "acronym", "address", "b", "big", "blockquote", "br", "caption", "center",
        "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em",
        "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
        "li", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strike",
        "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
        "tt", "u", "ul", "var",
        # Podfic and fanvids (AO3's lib/otw_sanitize/media_sanitizer.rb and embed_sanitizer.rb).
        "audio", "video", "source", "track", "iframe",
    }
)  # fmt: skip
MEDIA_ELEMENTS: frozenset[str] = frozenset({"audio", "video", "source", "track"})

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
    "details": {"open"},
    # AO3's media attributes less crossorigin (which fails every host that sends no CORS headers)
    # and preload, controls and playsinline, which are set below rather than taken from the author.
    "audio": {"src", "loop", "muted"},
    "video": {"src", "poster", "width", "height", "loop", "muted"},
    "source": {"src", "type"},
    "track": {"src", "kind", "srclang", "label", "default"},
    # Never srcdoc, allow or name: the frame's powers are ours to set, not the author's.
    "iframe": {"src", "width", "height"},
}
# Set on every such element whatever the author wrote. Media always shows its controls and fetches
# nothing until the reader presses play (a page view tells no media host who reads what). A player
# runs sandboxed: YouTube's, Vimeo's and SoundCloud's players are scripts that keep state in their
# own origin's storage, so they need allow-scripts and allow-same-origin; that pair lets a frame
# lift its own sandbox only when it is same-origin with the page, and an admitted src is always
# one of the foreign hosts in domain/embeds.py. allow-presentation lets a player cast. Popups, forms,
# top-level navigation and downloads stay forbidden; the frame sends no Referer naming the work.
FORCED_ATTRIBUTES: dict[str, dict[str, str]] = {
    "audio": {"controls": "controls", "preload": "none"},
    "video": {"controls": "controls", "preload": "none", "playsinline": "playsinline"},
    "iframe": {
        "sandbox": "allow-scripts allow-same-origin allow-presentation",
        "allowfullscreen": "allowfullscreen",
        "loading": "lazy",
        "referrerpolicy": "no-referrer",
    },
}
_DIMENSION = re.compile(r"\d{1,4}")
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
    name = attribute.lower()
    if (forced := FORCED_ATTRIBUTES.get(element, {}).get(name)) is not None:
        return forced
    if element == "iframe" and name == "src":
        return embed_src(value)
    if element in MEDIA_ELEMENTS and name in ("src", "poster"):
        return media_url(value)
    if name in ("width", "height") and element in ("iframe", "video"):
        return value.strip() if _DIMENSION.fullmatch(value.strip()) else None
    if name in URL_ATTRIBUTES and not safe_url(value):
        return None
    return value


# The forced attributes are allowed ones whose value the filter dictates; they are added where
# missing by _settle, not by nh3's set_tag_attribute_values, which writes them in a random order
# (a Rust HashMap's) so that the same text would be stored differently from one run to the next.
_ATTRIBUTES = {tag: names | set(FORCED_ATTRIBUTES.get(tag, ())) for tag, names in ALLOWED_ATTRIBUTES.items()}


def _options(frames: bool) -> dict[str, Any]:
    return {
        "tags": set(ALLOWED_TAGS) if frames else set(ALLOWED_TAGS - {"iframe"}),
        "clean_content_tags": {"script", "style"} if frames else {"script", "style", "iframe"},
        "attributes": _ATTRIBUTES,
        "url_schemes": set(URL_SCHEMES),
        "link_rel": "nofollow noopener",
        "strip_comments": True,
        "attribute_filter": _attribute_filter,
    }


# nh3.clean turns its options into ammonia's on every call, most of the cost of a short text
# (some 30 µs); an nh3.Cleaner (nh3 0.3 on) turns them once, with the same result.
_CLEANERS: dict[bool, Any] = (
    {frames: nh3.Cleaner(**_options(frames)) for frames in (True, False)} if hasattr(nh3, "Cleaner") else {}
)


def _clean(html: str, frames: bool = True) -> str:
    cleaner = _CLEANERS.get(frames)
    if cleaner is not None:
        return str(cleaner.clean(html))
    return nh3.clean(html, **_options(frames))


def _admitted(frame: lxml.html.HtmlElement) -> bool:
    src = frame.get("src")
    return src is not None and embed_src(src) == src


def _settled(element: lxml.html.HtmlElement) -> bool:
    """An admitted, empty frame, or a media element, ending with its forced attributes in order."""
    forced = list(FORCED_ATTRIBUTES[element.tag].items())
    if list(element.attrib.items())[-len(forced) :] != forced:
        return False
    return element.tag != "iframe" or (_admitted(element) and not element.text and not len(element))


# One scan, not one `in` a name: a chapter's `<` are few, and each name's last letter is common.
_NEEDS_SETTLING = re.compile("<(?:iframe|audio|video)")


def _all_settled(clean: str) -> bool:
    if _NEEDS_SETTLING.search(clean) is None:
        return True
    wrapper = lxml.html.fragment_fromstring(clean, create_parent="div")
    return all(_settled(element) for element in wrapper.iter(*FORCED_ATTRIBUTES))


def _settle(clean: str) -> str:
    """nh3 can drop an attribute but neither add one in a fixed order nor drop the element that
    held a refused one: an `<iframe>` whose src was refused stays, empty of address. Here such
    frames are taken out, the text an admitted one holds (raw text to a browser, but markup to an
    XML reader of an e-book) is emptied, and the forced attributes are set, in order. lxml's HTML
    parser, which tokenises `<iframe>` content as raw text as HTML5 does, reads nh3's output; what
    it writes back goes through nh3 again, so nh3 has the last word on every element and attribute.
    Should the result still hold a frame that is not an admitted, empty, sandboxed one, every frame
    is dropped."""
    wrapper = lxml.html.fragment_fromstring(clean, create_parent="div")
    for element in list(wrapper.iter(*FORCED_ATTRIBUTES)):
        if element.tag == "iframe":
            if not _admitted(element):
                element.drop_tree()  # its tail text stays
                continue
            element.text = None
            for child in list(element):
                element.remove(child)
        for name, value in FORCED_ATTRIBUTES[element.tag].items():
            element.attrib.pop(name, None)
            element.set(name, value)
    lead = escape(wrapper.text or "", quote=False)
    again = _clean(
        lead + "".join(lxml.etree.tostring(child, method="html", encoding="unicode") for child in wrapper)
    )
    return again if _all_settled(again) else _clean(again, frames=False)


def sanitize_html(html: str | None) -> str:
    """Strip everything outside the allow-list: scripts, event handlers, javascript: URLs, styles,
    frames from hosts that are not admitted players."""
    if not html:
        return ""
    # Characters XML 1.0 forbids go first: nh3 cannot encode a lone surrogate, and a stored control
    # character would make every feed and e-book that carries this text ill-formed.
    clean = _clean(xml_safe(html))
    # nh3 writes every start tag as `<` and the element's lower-case name, and escapes `<` in text:
    # an unescaped `<iframe` is a frame, or sits in an attribute value, where it only costs a parse.
    return clean if _all_settled(clean) else _settle(clean)


# Comments take a smaller set than works: text formatting, links and quotes, no images, media,
# tables or frames (a comment thread is no place for them, and each is a way to annoy readers).
COMMENT_TAGS: frozenset[str] = frozenset(
    {"p", "br", "a", "b", "i", "em", "strong", "blockquote", "ul", "ol", "li", "s", "u", "sub", "sup", "code"}
)
_COMMENT_ATTRIBUTES: dict[str, set[str]] = {"*": set(), "a": {"href"}}
_TAG_START = re.compile(r"<[a-zA-Z/!?]")


def sanitize_comment(html: str | None) -> str:
    """A comment's HTML reduced to COMMENT_TAGS (links keep only a safe href); text a reader typed
    without tags keeps its line breaks as paragraphs. Stored with SANITIZER_VERSION."""
    if not html or not html.strip():
        return ""
    text = xml_safe(html).strip()
    if not _TAG_START.search(text):
        paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]
        text = "".join(f"<p>{escape(part, quote=False).replace(chr(10), '<br>')}</p>" for part in paragraphs)
    return nh3.clean(
        text,
        tags=set(COMMENT_TAGS),
        clean_content_tags={"script", "style", "iframe", "noscript", "template"},
        attributes=_COMMENT_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        link_rel="nofollow noopener ugc",
        strip_comments=True,
        attribute_filter=_attribute_filter,
    ).strip()


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
