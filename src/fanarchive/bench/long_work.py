"""One very long work for the download writers: by default 300,000 words in 150 chapters, English
prose with Chinese and Japanese paragraphs, no images, and hostile HTML in every kind of note
(scripts, event handlers, javascript: URLs, unclosed tags), the worst a writer has to survive."""

from __future__ import annotations

import random

from fanarchive.bench.prose import ProseGenerator
from fanarchive.domain.text import count_words
from fanarchive.domain.work import ParsedChapter, ParsedWork, SeriesRef, Source, empty_tags

# Our own CJK sentences (each character counts as one word, as on AO3).
_CJK = (
    "灯塔的光在雾里慢慢转动，港口的船都在等风停下来。",
    "她把信折好，放进外套的口袋里，然后走向码头。",
    "潮水退去以后，沙滩上留下了许多贝壳和绳子。",
    "灯台守の日誌には、毎晩の風向きが細かく書かれていた。",
    "海鳥が三羽、灯台の周りをゆっくりと回っている。",
    "彼は古い地図を広げて、次の港までの距離を測った。",
)

HOSTILE_NOTES = (
    '<p onclick="steal()">Thanks for reading!<script>alert("notes")</script></p>'
    '<p>See <a href="javascript:alert(1)">my other work</a> and <a href="https://example.org/x">this</a>.'
    "<p><b>Unclosed bold <i>and italic<div>a div inside<span>a span"
    '<style>body{display:none}</style><iframe src="https://example.org/"></iframe>'
    '<form action="https://example.org/"><input name="q"></form><p style="color:red">styled</p>'
)


def long_work(words: int = 300_000, chapters: int = 150, seed: int = 7) -> ParsedWork:
    """The same work for the same arguments, so measurements compare across runs."""
    prose = ProseGenerator(seed)
    rnd = random.Random(seed)
    per_chapter = words // chapters
    tags = empty_tags()
    tags.update(
        rating=["Teen And Up Audiences"],
        warning=["No Archive Warnings Apply"],
        category=["F/M", "Gen"],
        fandom=["Saltmarsh Chronicles", "灯台守 (Lighthouse Keepers)"],
        relationship=["Ada Renner/Tobias Hale"],
        character=["Ada Renner", "Tobias Hale", "Mira Quell"],
        freeform=["Slow Burn", "Long Fic", "Multilingual"],
    )
    made: list[ParsedChapter] = []
    for number in range(1, chapters + 1):
        paragraphs: list[str] = []
        count = 0
        while count < per_chapter:
            if rnd.random() < 0.15:
                text = "".join(rnd.choice(_CJK) for _ in range(rnd.randint(2, 5)))
            else:
                text = prose.paragraph()
            paragraph = f"<p>{text}</p>"
            count += count_words(paragraph)
            paragraphs.append(paragraph)
        html = "\n".join(paragraphs)
        made.append(
            ParsedChapter(
                number=number,
                title=f"{prose.title()} {number}" if number % 3 else None,
                html=html,
                summary=f"<p>{prose.sentence()}</p>" if number % 5 == 0 else None,
                notes=HOSTILE_NOTES if number % 2 else None,
                end_notes=HOSTILE_NOTES if number % 7 == 0 else None,
                words=count_words(html),
            )
        )
    return ParsedWork(
        title="The Lighthouse Ledger",
        authors=["ledgerkeeper", "灯台守"],
        summary=f"<p>{prose.paragraph()}</p><p>{_CJK[0]}</p>",
        notes=HOSTILE_NOTES,
        end_notes=HOSTILE_NOTES,
        language="English",
        tags=tags,
        status="complete",
        published="2021-05-04",
        updated="2024-11-30",
        chapters_expected=chapters,
        stats={"words": sum(c.words or 0 for c in made), "chapters": chapters, "kudos": 4321, "hits": 98765},
        chapters=made,
        series=[SeriesRef(title="Keepers of the Light", position=2)],
        source=Source(format="bench-long-work", site="bench.invalid", id=f"long-{words}-{chapters}-{seed}"),
    )
