"""An HTML document's content as a flat list of blocks, headings marked with their level. Wrappers
(`<div class="chapter">` around a heading and its text) are opened so that every heading is found."""

from __future__ import annotations

import functools
import html as htmllib
import re

import lxml.html
from lxml import etree

from fanarchive.domain.formats._chapters import Block
from fanarchive.domain.formats._markup import outer_html, text_of
from fanarchive.domain.limits import DEFAULT_LIMITS, LimitExceeded, ReaderLimits

_HEADING = re.compile(r"^h([1-6])$")
_WRAPPERS = frozenset({"div", "section", "article", "main", "body", "header", "span", "center", "font"})
# Page furniture that is never the work's text.
_FURNITURE = frozenset(
    {"script", "style", "nav", "footer", "aside", "form", "noscript", "template", "iframe", "button"}
)
_HEADINGS_XPATH = ".//h1|.//h2|.//h3"
# Elements that stand as blocks of their own (or are dropped as furniture); a wrapper holding only
# these can be opened.
_BLOCK_TAGS = _WRAPPERS - {"span", "font"} | _FURNITURE | frozenset(
    {
        "p", "blockquote", "pre", "hr", "ul", "ol", "dl", "table", "figure", "address", "details",
        "h1", "h2", "h3", "h4", "h5", "h6",
    }
)  # fmt: skip


@functools.cache
def _long_tag(max_attributes: int) -> re.Pattern[str]:
    """A tag's start and body (`<[A-Za-z][^<>]*`) longer than two characters an attribute. No such
    run holds a `<`, so this finds exactly the long ones among all the tags a scan of every tag would,
    without a step of Python for each of a page's thousands of short tags."""
    return re.compile(rf"<[A-Za-z][^<>]{{{max(0, 2 * max_attributes - 1)},}}")


def check_markup(markup: str, limits: ReaderLimits = DEFAULT_LIMITS) -> None:
    """Refuse a tag with more attributes than any page has: libxml2 checks each attribute against
    every earlier one, so 200,000 of them hold the parser for minutes."""
    for tag in _long_tag(limits.max_attributes).finditer(markup):
        if tag.group().count("=") > limits.max_attributes:
            raise LimitExceeded(
                "max_attributes", limits.max_attributes, "an HTML tag has too many attributes"
            )


def parse_document(markup: str) -> lxml.html.HtmlElement:
    """The whole document; raises ValueError on markup lxml cannot read at all."""
    check_markup(markup)
    try:
        return lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError) as error:
        raise ValueError(f"unreadable HTML ({error})") from None


def _loose_text(text: str | None) -> Block | None:
    if text and text.strip():
        return Block(html=f"<p>{htmllib.escape(text.strip(), quote=False)}</p>", text=text.strip())
    return None


def html_blocks(container: lxml.html.HtmlElement) -> list[Block]:
    blocks: list[Block] = []
    if (loose := _loose_text(container.text)) is not None:
        blocks.append(loose)
    for child in container:
        if not isinstance(child.tag, str):  # comments and processing instructions
            if (loose := _loose_text(child.tail)) is not None:
                blocks.append(loose)
            continue
        tag = child.tag.lower()
        if tag in _FURNITURE:
            pass
        elif heading := _HEADING.match(tag):
            blocks.append(Block(html=outer_html(child), text=text_of(child), level=int(heading.group(1))))
        elif tag in _WRAPPERS and (child.xpath(_HEADINGS_XPATH) or _only_blocks(child)):
            blocks.extend(html_blocks(child))
        elif tag in ("a",) and not text_of(child) and not child.get("href"):
            pass  # a bare anchor (<a name="...">) has nothing to show
        else:
            blocks.append(Block(html=outer_html(child), text=text_of(child)))
        if (loose := _loose_text(child.tail)) is not None:
            blocks.append(loose)
    return blocks


def _only_blocks(element: lxml.html.HtmlElement) -> bool:
    """A wrapper whose children are all blocks (paragraphs, quotes, rules, inner wrappers) is opened,
    so its paragraphs are blocks too; one holding inline markup (`<em>She</em> said`) is a paragraph."""
    children = [c for c in element if isinstance(c.tag, str)]
    return (
        len(children) > 1
        and not (element.text or "").strip()
        and all(c.tag.lower() in _BLOCK_TAGS for c in children)
    )
