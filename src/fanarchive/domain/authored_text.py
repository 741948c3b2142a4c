"""Text an author types into a form (HTML or Markdown) as the safe HTML the archive stores."""

from __future__ import annotations

import re

import markdown as markdown_lib

from fanarchive.domain.limits import DEFAULT_LIMITS
from fanarchive.domain.sanitize import sanitize_html
from fanarchive.domain.text import normalise_newlines

HTML, MARKDOWN = "html", "markdown"
TEXT_FORMATS = [(HTML, "HTML"), (MARKDOWN, "Markdown")]
# AO3's limit for one chapter's text, in characters.
MAX_CHAPTER_CHARS = 510_000

# Block-level tags: HTML typed without any is written the way AO3's HTML editor takes it, with blank
# lines between paragraphs and line breaks within them, and gets its paragraphs made for it.
_BLOCK = re.compile(r"<\s*(p|div|br|blockquote|h[1-6]|ul|ol|table|pre|hr|dl|details|center)\b", re.I)


def _paragraphs(text: str) -> str:
    paragraphs = re.split(r"\n\s*\n", text)
    return "\n".join("<p>" + "<br />".join(p.strip().split("\n")) + "</p>" for p in paragraphs)


def authored_html(text: str, text_format: str = HTML) -> str:
    """Sanitised HTML for `text` written in `text_format`; Markdown's own HTML passes through the
    same sanitiser as typed HTML, so neither format lets more through than the other."""
    text = normalise_newlines(text).strip()
    if not text:
        return ""
    if text_format == MARKDOWN:
        if text.count("](") > DEFAULT_LIMITS.max_markdown_links:
            # Python-Markdown scans ahead from each link opening: many of them take minutes.
            raise ValueError(f"Markdown text may hold at most {DEFAULT_LIMITS.max_markdown_links} links")
        text = markdown_lib.markdown(text, output_format="html")
    elif text_format != HTML:
        raise ValueError(f"unknown text format {text_format!r}")
    elif _BLOCK.search(text) is None:
        text = _paragraphs(text)
    return sanitize_html(text).strip()
