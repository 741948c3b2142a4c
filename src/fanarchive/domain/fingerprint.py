"""A work's text fingerprint: the hash of its chapters' words alone, so that the same story met
again under another file name, inside a zip, or with different metadata is known as the same work.

It is defined on the sanitised chapter bodies, which is what the archive stores: the importer hashes
the bodies it is about to store and a migration hashes the bodies already stored, the same way."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable

from fanarchive.domain.text import html_words

# Between chapters, so that moving a chapter break changes the fingerprint: a character that never
# survives html_to_text's whitespace split.
_CHAPTER_BREAK = "\x1e"


def chapter_words(body: str) -> str:
    """One chapter's text as its words alone: markup, line breaks and runs of spaces do not count,
    and Unicode is NFC so that a composed and a decomposed accent are the same letter."""
    # NFC never joins characters across whitespace, so normalising the words is normalising the text.
    return unicodedata.normalize("NFC", " ".join(html_words(body)))


def text_hash(bodies: Iterable[str]) -> str:
    """SHA-256 of the chapters' words in order; "" when there are no words at all (an empty work
    is like every other empty work, so it must match none)."""
    texts = [chapter_words(body) for body in bodies]
    if not any(texts):
        return ""
    return hashlib.sha256(_CHAPTER_BREAK.join(texts).encode()).hexdigest()
