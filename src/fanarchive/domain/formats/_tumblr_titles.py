"""The title a tumblr post gets when it has none: its first words, so that a list of imported posts
can be told apart. Both tumblr readers make it the same way."""

from __future__ import annotations

from fanarchive.domain.text import html_to_text

TITLE_WORDS = 6


def made_title(html: str) -> str | None:
    """The first TITLE_WORDS words of the post's text, with `…` when there are more; None for none."""
    words = html_to_text(html).split()
    if not words:
        return None
    title = " ".join(words[:TITLE_WORDS])
    return title + "…" if len(words) > TITLE_WORDS else title
