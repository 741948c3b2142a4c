"""tumblr's Neue Post Format content blocks to HTML.

A text block is plain text with a `subtype` (heading1, heading2, quote, indented, chat, quirky, list
items) and `formatting` ranges (bold, italic, strikethrough, small, link, mention, color) given as
character offsets into the text. Ranges may overlap, so each run between range boundaries is wrapped
in every range that covers it: more tags than a hand-written page, but always well nested."""

from __future__ import annotations

import html as htmllib
import itertools
from typing import Any

_SIMPLE_FORMATS = {"bold": "strong", "italic": "em", "strikethrough": "s", "small": "small"}
# Subtype -> (container shared by consecutive blocks, element of the block).
_SUBTYPES: dict[str, tuple[str | None, str]] = {
    "heading1": (None, "h2"),
    "heading2": (None, "h3"),
    "quote": ("blockquote", "p"),
    "indented": ("blockquote", "p"),
    "ordered-list-item": ("ol", "li"),
    "unordered-list-item": ("ul", "li"),
}


def _escape(text: str) -> str:
    return htmllib.escape(text, quote=False).replace("\n", "<br>")


def _open(fmt: dict[str, Any]) -> tuple[str, str] | None:
    kind = fmt.get("type")
    if kind in _SIMPLE_FORMATS:
        tag = _SIMPLE_FORMATS[str(kind)]
        return f"<{tag}>", f"</{tag}>"
    if kind == "link" and fmt.get("url"):
        return f'<a href="{htmllib.escape(str(fmt["url"]))}">', "</a>"
    if kind == "mention":
        blog = fmt.get("blog") or {}
        url = blog.get("url") or (f"https://{blog['name']}.tumblr.com/" if blog.get("name") else None)
        return (f'<a href="{htmllib.escape(str(url))}">', "</a>") if url else None
    return None  # colour and unknown formats carry no meaning worth keeping


def inline_html(text: str, formatting: list[dict[str, Any]]) -> str:
    ranges: list[tuple[int, int, str, str]] = []
    for fmt in formatting:
        tags = _open(fmt)
        start, end = int(fmt.get("start", 0)), int(fmt.get("end", 0))
        start, end = max(0, start), min(len(text), end)
        if tags and start < end:
            ranges.append((start, end, *tags))
    if not ranges:
        return _escape(text)
    cuts = sorted({0, len(text), *(r[0] for r in ranges), *(r[1] for r in ranges)})
    parts: list[str] = []
    for start, end in itertools.pairwise(cuts):
        covering = sorted((r for r in ranges if r[0] <= start and end <= r[1]), key=lambda r: (r[0], -r[1]))
        opening = "".join(r[2] for r in covering)
        closing = "".join(r[3] for r in reversed(covering))
        parts.append(opening + _escape(text[start:end]) + closing)
    return "".join(parts)


def _block_html(block: dict[str, Any], unsupported: list[str]) -> tuple[str | None, str]:
    """(container, html) for one block."""
    kind = block.get("type")
    if kind == "text":
        subtype = str(block.get("subtype") or "")
        container, element = _SUBTYPES.get(subtype, (None, "p"))
        inner = inline_html(str(block.get("text") or ""), list(block.get("formatting") or []))
        return container, f"<{element}>{inner}</{element}>"
    if kind == "image":
        media = (block.get("media") or [{}])[0]
        alt = htmllib.escape(str(block.get("alt_text") or ""))
        return None, f'<p><img src="{htmllib.escape(str(media.get("url") or ""))}" alt="{alt}"></p>'
    if kind == "link" and block.get("url"):
        title = _escape(str(block.get("title") or block["url"]))
        return None, f'<p><a href="{htmllib.escape(str(block["url"]))}">{title}</a></p>'
    unsupported.append(str(kind))
    return None, ""


def blocks_html(blocks: list[dict[str, Any]], unsupported: list[str]) -> str:
    """The blocks in the order given; consecutive list items and quotes share one container.
    The types of blocks that have no HTML form (audio, video, polls) are added to `unsupported`."""
    out: list[str] = []
    current: str | None = None
    for block in blocks:
        container, html = _block_html(block, unsupported)
        if not html:
            continue
        if container != current:
            if current:
                out.append(f"</{current}>")
            if container:
                out.append(f"<{container}>")
            current = container
        out.append(html)
    if current:
        out.append(f"</{current}>")
    return "".join(out)


def display_order(post: dict[str, Any]) -> tuple[list[int], list[int], dict[str, Any] | None]:
    """(ask block indices, other block indices in display order, the ask layout) of an NPF post."""
    count = len(post.get("content") or [])
    ask_layout: dict[str, Any] | None = None
    ask: list[int] = []
    rows: list[int] = []
    for layout in post.get("layout") or []:
        if layout.get("type") == "ask":
            ask_layout = layout
            ask = [i for i in layout.get("blocks") or [] if 0 <= i < count]
        elif layout.get("type") == "rows":
            for row in layout.get("display") or []:
                rows.extend(i for i in (row.get("blocks") or []) if 0 <= i < count)
    rest = [i for i in dict.fromkeys(rows) if i not in ask]
    rest += [i for i in range(count) if i not in ask and i not in rest]
    return ask, rest, ask_layout
