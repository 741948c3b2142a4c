"""Text an author types into a form (HTML or Markdown) as the safe HTML the archive stores."""

from __future__ import annotations

import markdown as markdown_lib

from fanarchive.domain.limits import DEFAULT_LIMITS
from fanarchive.domain.sanitize import sanitize_html

HTML, MARKDOWN = "html", "markdown"
TEXT_FORMATS = [(HTML, "HTML"), (MARKDOWN, "Markdown")]
# AO3's limit for one chapter's text, in characters.
MAX_CHAPTER_CHARS = 510_000


def authored_html(text: str, text_format: str = HTML) -> str:
    """Sanitised HTML for `text` written in `text_format`; Markdown's own HTML passes through the
    same sanitiser as typed HTML, so neither format lets more through than the other."""
    if text_format == MARKDOWN:
        if text.count("](") > DEFAULT_LIMITS.max_markdown_links:
            # Python-Markdown scans ahead from each link opening: many of them take minutes.
            raise ValueError(f"Markdown text may hold at most {DEFAULT_LIMITS.max_markdown_links} links")
        text = markdown_lib.markdown(text, output_format="html")
    elif text_format != HTML:
        raise ValueError(f"unknown text format {text_format!r}")
    return sanitize_html(text)
