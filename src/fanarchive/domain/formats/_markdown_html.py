"""Markdown to HTML with Python-Markdown, as `markdown.markdown(text, extensions=["sane_lists"],
output_format="html")` gives it, at less cost:

- the converter is built once per thread and inline-pattern set and `reset()` between texts
  (building one registers some forty processors), and dropped after a text that failed, whose
  half-done state (the block parser's, say) must not reach the next text;
- inline patterns and block processors that cannot match anywhere in the text are left out.
  Python-Markdown tries each of its 13 inline patterns on every text node (a paragraph, a heading,
  a list item), in Python, and that was half of a Markdown file's parsing; the block quote and
  link reference processors search every block. Each one left out needs a character the text
  lacks: blocks and text nodes are made of the text's own characters and Python-Markdown's
  placeholders (STX, letters, digits, ":", ETX), so a pattern that needs `[` or `<` cannot match in
  a text without one. `tests/domain/properties/test_markdown_html.py` compares the output with
  `markdown.markdown`'s on generated texts."""

from __future__ import annotations

import threading

import markdown as markdown_lib

# Inline patterns and block processors by the characters one of which every match holds
# (Python-Markdown 3.x names). The emphasis pattern (em_strong) is always kept: it is in nearly
# every story, and Markdown keeps a reference of its own to it (`Markdown.delimiters`) that
# leaving it out would drop.
_INLINE_NEEDS: dict[str, tuple[str, ...]] = {
    "backtick": ("`",),
    "escape": ("\\",),
    "reference": ("[",),
    "link": ("[",),
    "image_link": ("[",),
    "image_reference": ("[",),
    "short_reference": ("[",),
    "short_image_ref": ("[",),
    "autolink": ("<",),
    "automail": ("<",),
    # Two spaces before a line's end: the line end may be one Python-Markdown puts after raw HTML,
    # the spaces may be a tab expanded, and "\r" becomes a line end.
    "linebreak": ("  ", "\t", "\r"),
    "html": ("<",),
    "entity": ("&",),
}
_BLOCK_NEEDS: dict[str, tuple[str, ...]] = {"quote": (">",), "reference": ("[",)}

# Converters by what they leave out: at most 128 a thread, as only seven things decide it (`, \,
# [, <, &, > and the hard break's characters).
_local = threading.local()


# What a text can do without: the names of the inline patterns, then of the block processors.
_LeftOut = tuple[frozenset[str], frozenset[str]]


def _not_needed(text: str, needs: dict[str, tuple[str, ...]]) -> frozenset[str]:
    return frozenset(name for name, wanted in needs.items() if not any(part in text for part in wanted))


def _converter(left_out: _LeftOut) -> markdown_lib.Markdown:
    converters: dict[_LeftOut, markdown_lib.Markdown] | None = getattr(_local, "converters", None)
    if converters is None:
        converters = _local.converters = {}
    converter = converters.get(left_out)
    if converter is None:
        converter = markdown_lib.Markdown(extensions=["sane_lists"], output_format="html")
        inline, block = left_out
        for name in inline:
            converter.inlinePatterns.deregister(name, strict=False)
        for name in block:
            converter.parser.blockprocessors.deregister(name, strict=False)
        converters[left_out] = converter
    return converter


def _drop(left_out: _LeftOut) -> None:
    getattr(_local, "converters", {}).pop(left_out, None)


def _release(converter: markdown_lib.Markdown) -> None:
    """Let go of the text just converted: a kept converter holds its last source lines and element
    tree until its next conversion, and the reader child keeps up to 128 of them under its memory
    limit, so files that each fit alone could together pass it."""
    converter.lines = []
    converter.parser.root = None
    inline = converter.treeprocessors["inline"]
    inline.parent_map = {}
    inline.stashed_nodes = {}
    converter.reset()


def markdown_to_html(text: str) -> str:
    # Python-Markdown deletes STX and ETX before it reads anything, which may bring two spaces
    # together before a line's end: what is needed is decided on the text it reads.
    seen = text.replace("\x02", "").replace("\x03", "") if "\x02" in text or "\x03" in text else text
    left_out = (_not_needed(seen, _INLINE_NEEDS), _not_needed(seen, _BLOCK_NEEDS))
    # A kept converter was reset by _release after its last text (one that failed was dropped).
    converter = _converter(left_out)
    try:
        html: str = converter.convert(text)
    except BaseException:
        _drop(left_out)
        raise
    _release(converter)
    return html
