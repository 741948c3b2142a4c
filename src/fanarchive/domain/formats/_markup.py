"""Reading lxml HTML elements back as text and markup, the same way in every reader that walks a
parsed document."""

from __future__ import annotations

import re
from html import escape

import lxml.html
from lxml.html import HtmlElement as Element


def text_of(element: Element) -> str:
    """The element's text with its whitespace collapsed."""
    return " ".join(str(element.text_content()).split())


def inner_html(element: Element) -> str:
    parts = [escape(element.text or "", quote=False)]
    parts += [lxml.html.tostring(child, encoding="unicode") for child in element]
    return "".join(parts)


def outer_html(element: Element, with_tail: bool = False) -> str:
    # tostring() would append the tail unescaped; it belongs to the parent unless asked for. The
    # element is left as it is: setting a tail back fails on control characters lxml parsed fine.
    html = str(lxml.html.tostring(element, encoding="unicode", with_tail=False))
    return html + escape(element.tail or "", quote=False) if with_tail else html


# Markdown renderers keep the source's line breaks inside a paragraph; read as prose they are spaces.
_SOFT_BREAK = re.compile(r"(?<=[^>\n])\n(?=[^<\n])")


def join_soft_breaks(html: str) -> str:
    return _SOFT_BREAK.sub(" ", html)
