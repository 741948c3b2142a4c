"""Plain text to paragraph blocks: blank-line paragraphs, one paragraph per line, or lines
hard-wrapped at a fixed width (rejoined), with chapter headings and scene breaks on lines of their own."""

from __future__ import annotations

import html as htmllib
import re

from fanarchive.domain.formats._chapters import Block, chapter_heading, is_scene_break, scene_break_html
from fanarchive.domain.text import normalise_indentation, normalise_newlines

_INDENT = re.compile(r"^[ \t\u00a0\u2002\u2003\u2007\u202f\u3000]+\S")
# Fewer lines than this cannot show a wrap width.
_MIN_LINES_FOR_WRAP = 8


def detect_wrap_width(lines: list[str]) -> int | None:
    """The column text was hard-wrapped at, or None. Wrapped text has most of its lines ending
    within a word's length of one width, and none much longer."""
    lengths = sorted(len(line) for line in lines if line.strip())
    if len(lengths) < _MIN_LINES_FOR_WRAP:
        return None
    typical = lengths[int(len(lengths) * 0.9)]
    if not 40 <= typical <= 120:
        return None
    near = [n for n in lengths if typical - 15 <= n <= typical + 3]
    longer = [n for n in lengths if n > typical + 3]
    if len(near) < 0.35 * len(lengths) or len(longer) > 0.03 * len(lengths):
        return None
    return max(near)


def _paragraph(lines: list[str], separator: str) -> Block:
    lines = [normalise_indentation(line).strip() for line in lines]
    lines = [line for line in lines if line]
    text = (" " if separator == " " else "\n").join(lines)
    inner = separator.join(htmllib.escape(line, quote=False) for line in lines)
    return Block(html=f"<p>{inner}</p>", text=text)


def _special(line: str) -> Block | None:
    """A line that stands alone whatever the paragraph rules: a chapter heading or a scene break."""
    stripped = normalise_indentation(line).strip()
    if is_scene_break(stripped):
        return Block(html=scene_break_html(stripped), text="")
    if chapter_heading(stripped) is not None:
        return Block(html=f"<p>{htmllib.escape(stripped, quote=False)}</p>", text=stripped)
    return None


def text_blocks(text: str) -> tuple[list[Block], int | None]:
    """Blocks of `text` and the wrap width that was undone (None when the text was not wrapped)."""
    lines = [line.rstrip() for line in normalise_newlines(text).split("\n")]
    width = detect_wrap_width(lines)
    blank = sum(1 for line in lines if not line.strip())
    filled = len(lines) - blank
    blocks: list[Block] = []
    current: list[str] = []
    # Without a wrap width, a text with few blank lines holds one paragraph per line.
    per_line = width is None and blank < 0.2 * filled
    separator = " " if width else "<br />"

    def flush() -> None:
        if current:
            blocks.append(_paragraph(current, separator))
            current.clear()

    for index, line in enumerate(lines):
        if not line.strip():
            flush()
            continue
        previous_ended = not current
        if (special := _special(line)) is not None and previous_ended:
            blocks.append(special)
            continue
        if per_line:
            current.append(line)
            flush()
            continue
        if width and current:
            last = current[-1]
            first_word = line.split()[0]
            # Greedy wrapping breaks only where the next word would not fit; a line that had room
            # for it ended its paragraph. An indented line starts one.
            fits = len(last) + 1 + len(first_word) <= width
            if fits or _INDENT.match(line):
                flush()
        current.append(line)
        if index + 1 < len(lines) and width is None and _special(lines[index + 1]) is not None:
            flush()
    flush()
    return blocks, width
