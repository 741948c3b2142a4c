"""Reading lxml HTML elements back as text and markup, the same way in every reader that walks a
parsed document."""

from __future__ import annotations

import re
from html import escape

import lxml.etree
import lxml.html
from lxml.html import HtmlElement as Element


def text_of(element: Element) -> str:
    """The element's text with its whitespace collapsed."""
    return " ".join(str(element.text_content()).split())


def text_start(element: Element, size: int) -> str:
    """A prefix of `text_of(element)` at least `size` characters long, or all of it: a chapter's
    first words without gathering and collapsing the whole chapter's text. The words of a cut of the
    raw text, joined, are always a prefix of all its words joined (the last may be cut short), and
    itertext() yields the pieces text_content() joins, in order."""
    pieces = element.itertext()
    raw, end, exhausted = "", size, False
    while True:
        while not exhausted and len(raw) < end:
            piece = next(pieces, None)
            exhausted = piece is None
            raw += piece or ""
        start = " ".join(raw[:end].split())
        if len(start) >= size or (exhausted and end >= len(raw)):
            return start
        end *= 2


# lxml.html.tostring is etree.tostring followed by this removal.
_META_CONTENT_TYPE = re.compile(r'<meta http-equiv="Content-Type"[^>]*>')
# Elements whose text libxml2 escapes (no raw-text ones such as script or style): in their markup,
# the first `<` after the start tag opens the first child.
_PLAIN_CONTAINERS = frozenset(
    {"div", "body", "blockquote", "section", "article", "main", "header", "footer", "aside", "p", "span",
     "li", "dd", "td", "th", "center", "font"}
)  # fmt: skip


def inner_html(element: Element) -> str:
    """The element's text (escaped) and its children's markup, as lxml.html.tostring gives each
    child. A container is serialised once and its own tags cut off, rather than once a child:
    libxml2 writes an element as its start tag, text, children in turn and end tag, and a call a
    child was most of the cost of reading a chapter."""
    lead = escape(element.text or "", quote=False)
    if not len(element):
        return lead
    if element.tag in _PLAIN_CONTAINERS and (inner := _children_markup(element)) is not None:
        return lead + inner
    children = "".join(lxml.etree.tostring(child, method="html", encoding="unicode") for child in element)
    return lead + _META_CONTENT_TYPE.sub("", children)


def _children_markup(element: Element) -> str | None:
    """The children's part of the element's markup, or None where it cannot be cut out surely."""
    try:
        # The start tag as libxml2 writes it: an empty element of the same name and attributes.
        shell = element.makeelement(element.tag, element.attrib)
    except ValueError:  # attribute names or values lxml parsed but will not set
        return None
    end = f"</{element.tag}>"
    empty = lxml.etree.tostring(shell, method="html", encoding="unicode")
    whole = lxml.etree.tostring(element, method="html", encoding="unicode", with_tail=False)
    start = empty[: -len(end)]
    first = whole.find("<", len(start))
    if not (empty.endswith(end) and whole.startswith(start) and whole.endswith(end) and first >= 0):
        return None
    # A match of the removal never spans two children: a `<` in a child's markup is closed by a
    # `>` of the same child (its tail text comes out escaped).
    return _META_CONTENT_TYPE.sub("", whole[first : -len(end)])


def outer_html(element: Element, with_tail: bool = False) -> str:
    # tostring() would append the tail unescaped; it belongs to the parent unless asked for. The
    # element is left as it is: setting a tail back fails on control characters lxml parsed fine.
    html = str(lxml.html.tostring(element, encoding="unicode", with_tail=False))
    return html + escape(element.tail or "", quote=False) if with_tail else html


# Markdown renderers keep the source's line breaks inside a paragraph; read as prose they are spaces.
# A line break with no tag or line break on either side. The regex opens with the "\n" (the char
# before is looked at behind it): a pattern opening with a look-behind is tried at every position
# of the page, one opening with a character only where it stands (a hundredth of the time).
_SOFT_BREAK = re.compile(r"\n(?<=[^>\n]\n)(?=[^<\n])")


def join_soft_breaks(html: str) -> str:
    return _SOFT_BREAK.sub(" ", html)
