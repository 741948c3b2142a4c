"""English-like prose from a fixed vocabulary with a Zipf-like word distribution: realistic enough
for tokenisers, word counts, compression and BM25 statistics, and fast to make in bulk."""

from __future__ import annotations

import random

_COMMON = (
    "the and to of a he she was in it that his her you had with for on at as but not they said "
    "be him have this from one all were there what so out up if would been into when could then "
    "them more no over back like down only just now time before about know even through eyes "
    "hand away still something again door night room face looked thought asked never left light"
).split()
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
    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        weights = [1.0 / (rank + 1) for rank in range(len(_COMMON))]
        self._common_weights = weights
        self._rare_weights = [1.0 / (rank + 1) ** 0.6 for rank in range(len(_RARE))]

    def name(self) -> str:
        return self.random.choice(_NAMES)

    def sentence(self) -> str:
        rnd = self.random
        length = rnd.randint(5, 22)
        words = rnd.choices(_COMMON, self._common_weights, k=length)
        for _ in range(rnd.randint(1, 3)):
            words[rnd.randrange(length)] = rnd.choices(_RARE, self._rare_weights)[0]
        if rnd.random() < 0.35:
            words[rnd.randrange(length)] = rnd.choice(_NAMES)
        text = " ".join(words)
        text = text[0].upper() + text[1:]
        if rnd.random() < 0.2:
            return f"“{text},” {rnd.choice(_NAMES)} said."
        return text + rnd.choice(".....?!")

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.random.randint(2, 7)))

    def chapter_html(self, words: int) -> str:
        paragraphs: list[str] = []
        count = 0
        while count < words:
            paragraph = self.paragraph()
            count += paragraph.count(" ") + 1
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
