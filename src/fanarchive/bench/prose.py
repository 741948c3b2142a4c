"""The import and export benches' prose: English fiction from `fiction_prose` (realistic for
tokenisers, word counts, compression and BM25 statistics), with titles and names of its own."""

from __future__ import annotations

import random
from collections.abc import Sequence

from fanarchive.bench.fiction_prose import StoryProse

_RARE = (
    "harbour lantern tide gull lighthouse salt marsh keeper storm ember letter ink ribbon orchard "
    "glass compass anchor frost meadow candle archive parchment sparrow willow quill ferry beacon "
    "cinder velvet thimble lattice marrow gossamer hollow bramble kestrel furnace tapestry sextant "
    "oilskin driftwood barnacle moorland thistle cobble saltire amber quay rigging chisel loom"
).split()
_NAMES = (
    "Ada Mira Tobias Wren Soren Elsie Corin Hale Juniper Pell Marek Isolde Fenn Briar Calla Odell "
    "Rook Sable Tamsin Ivo Lark Nessa Orrin Petra Quill Rhosyn Silas Thea Ulric Vesna"
).split()


class ProseGenerator:
    """The import corpus's prose: `fiction_prose` stories (real English words, Zipf's and Heaps'
    laws, no sentence repeated more than chance), one story per work after `begin_story`."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.story = StoryProse(self.random)

    def begin_story(self, names: Sequence[str] = ()) -> None:
        """A new work: a lexicon of its own, and its characters as its speakers."""
        self.story = StoryProse(self.random, names=names)

    def name(self) -> str:
        return self.random.choice(_NAMES)

    def sentence(self) -> str:
        return self.story.sentence()

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.random.randint(2, 7)))

    def chapter_html(self, words: int) -> str:
        text, _ = self.story.text(words)
        paragraphs: list[str] = []
        for paragraph in text.split("\n\n"):
            paragraphs.append(f"<p>{paragraph}</p>")
            if self.random.random() < 0.02:
                paragraphs.append('<p class="center">* * *</p>')
        return "\n".join(paragraphs)

    def title(self) -> str:
        rnd = self.random
        pattern = rnd.randrange(4)
        if pattern == 0:
            return f"The {rnd.choice(_RARE).title()} and the {rnd.choice(_RARE).title()}"
        if pattern == 1:
            return f"{rnd.choice(_RARE).title()} {rnd.choice(_RARE).title()}"
        if pattern == 2:
            return f"What the {rnd.choice(_RARE).title()} {rnd.choice(['Kept', 'Knew', 'Saw', 'Lost'])}"
        return f"{rnd.choice(_NAMES)}'s {rnd.choice(_RARE).title()}"
