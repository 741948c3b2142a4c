"""Chapter headings and scene breaks as people type them, shared by the plain text, Markdown, DOCX and
generic HTML readers: each turns its file into a list of Blocks, and `split_chapters` finds the title
and the chapters in them the same way for all four."""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass, field

_NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty"
).split()
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_NUMBER = r"\d{1,4}|[IVXLC]{1,8}|[a-z]+(?:[- ][a-z]+)?"
_SEPARATOR = r"\s*(?:[:.\u2013\u2014-]|\s-\s)\s*"
# `Chapter 3`, `CHAPTER XII`, `Chapter One: The Ford`, `Part II - Winter`, `Ch. 4`
_NUMBERED = re.compile(
    rf"^(?P<kind>chapter|ch\.|part|book)\s+(?P<number>{_NUMBER})(?:{_SEPARATOR}(?P<title>\S.*?))?\s*[.:]?$",
    re.I,
)
_NAMED = re.compile(
    rf"^(?P<kind>prologue|epilogue|interlude|afterword|foreword|preface)(?:{_SEPARATOR}(?P<title>\S.*?))?\s*[.:]?$",
    re.I,
)
# Lines made only of break characters, or a few letters repeated as a divider (o0o, xXx, oOo).
_BREAK_PUNCTUATION = re.compile(r"^(?:[*~#=_+\-\u2013\u2014\u2022\u00b7.\u2042\u2234§]\s*){1,40}$")
_BREAK_LETTERS = re.compile(r"^(?:o0o|0o0|oOo|OoO|xXx|XxX|x0x|\+\+\+)(?:\s*(?:o0o|0o0|oOo|OoO|xXx|XxX))*$")

MAX_HEADING_LENGTH = 90


@dataclass(frozen=True)
class Heading:
    """A chapter heading read from its text: the chapter's title, or None for a bare `Chapter 3`."""

    title: str | None
    number: int | None = None


def number_value(word: str) -> int | None:
    """3, `III` or `three` (up to ninety-nine) as an int; None when it is none of these."""
    if word.isdigit():
        return int(word)
    lower = word.lower().replace("-", " ")
    if lower in _NUMBER_WORDS:
        return _NUMBER_WORDS.index(lower)
    parts = lower.split()
    if parts and parts[0] in _TENS:
        if len(parts) == 1:
            return _TENS[parts[0]]
        if len(parts) == 2 and parts[1] in _NUMBER_WORDS[1:10]:
            return _TENS[parts[0]] + _NUMBER_WORDS.index(parts[1])
    if re.fullmatch(r"[ivxlc]+", lower):
        total = 0
        for index, char in enumerate(lower):
            value = _ROMAN[char]
            following = _ROMAN[lower[index + 1]] if index + 1 < len(lower) else 0
            total += -value if value < following else value
        return total if total > 0 else None
    return None


def chapter_heading(text: str) -> Heading | None:
    """The heading a line of text spells (`Chapter One: The Ford`), or None when it is not one."""
    line = " ".join(text.split())
    if not line or len(line) > MAX_HEADING_LENGTH:
        return None
    if match := _NUMBERED.match(line):
        number = number_value(match.group("number"))
        if number is None:
            return None
        title = match.group("title")
        if match.group("kind").lower() in ("part", "book"):
            # A part is a division the author named; keep the whole line as its title.
            return Heading(title=line.rstrip(".:"), number=None)
        return Heading(title=title, number=number)
    if match := _NAMED.match(line):
        return Heading(title=line.rstrip(".:"), number=None)
    return None


def title_at(text: str, position: int) -> str | None:
    """A chapter's title once its number is its position: a heading that only repeats the position
    says nothing (`Chapter 3` at 3 is untitled, `Chapter 3: The Fall` is `The Fall`); one naming
    another number is the author's title and kept whole (`Chapter 7` at position 8)."""
    title = " ".join(text.split())
    heading = chapter_heading(title)
    if heading is not None and heading.number == position:
        return heading.title
    return title or None


def is_scene_break(text: str) -> bool:
    line = text.strip()
    return (
        bool(line) and len(line) <= 40 and bool(_BREAK_PUNCTUATION.match(line) or _BREAK_LETTERS.match(line))
    )


def scene_break_html(text: str) -> str:
    """A divider of punctuation says nothing and becomes a rule; one with letters (o0o) is the
    author's own mark and is kept, centred."""
    line = text.strip()
    if re.search(r"\w", line.replace("_", "")):
        return f'<p align="center">{htmllib.escape(line, quote=False)}</p>'
    return "<hr />"


@dataclass
class Block:
    """One block of a document in reading order: a paragraph, a rule, a heading, a table."""

    html: str
    text: str = ""
    # Heading level 1-6 when the source marks it as one (DOCX style, Markdown #, HTML h1-h6).
    level: int | None = None
    # The source marks it as the document's title (DOCX `Title` style).
    is_title: bool = False
    # The block starts a new page (DOCX page break): a hint that a chapter starts here.
    page_break: bool = False


@dataclass
class Chapter:
    title: str | None
    blocks: list[Block] = field(default_factory=list)

    @property
    def html(self) -> str:
        return "\n".join(block.html for block in self.blocks)


@dataclass
class Outline:
    title: str | None
    preface: list[Block]
    chapters: list[Chapter]
    doubts: list[str] = field(default_factory=list)


def _heading_title(block: Block) -> str | None:
    found = chapter_heading(block.text)
    if found is not None:
        return found.title
    return " ".join(block.text.split()) or None


def _looks_like_title(text: str) -> bool:
    text = text.strip()
    return 0 < len(text) <= 60 and text[-1] not in ".,;!?\u201d\"'" and "\n" not in text


def split_chapters(blocks: list[Block]) -> Outline:
    """Title and chapters: a marked title, else a lone top heading above deeper ones; chapters at
    the top remaining heading level, else at lines that spell a chapter heading, else at page breaks."""
    blocks = [b for b in blocks if b.html.strip()]
    title: str | None = None
    doubts: list[str] = []
    marked = next((b for b in blocks if b.is_title), None)
    if marked is not None:
        title = " ".join(marked.text.split()) or None
        blocks = [b for b in blocks if b is not marked]
    levels = sorted({b.level for b in blocks if b.level is not None})
    if title is None and levels:
        top = [b for b in blocks if b.level == levels[0]]
        first_heading = next(b for b in blocks if b.level is not None)
        if (
            len(top) == 1
            and top[0] is first_heading
            and chapter_heading(top[0].text) is None
            and not any(b.text.strip() for b in blocks[: blocks.index(top[0])])
        ):
            title = " ".join(top[0].text.split()) or None
            blocks.remove(top[0])
            levels = levels[1:]
    starts: list[int]
    if levels:
        starts = [i for i, b in enumerate(blocks) if b.level == levels[0]]
    else:
        starts = [i for i, b in enumerate(blocks) if b.level is None and chapter_heading(b.text) is not None]
    heading_starts = bool(starts)
    if not starts:
        starts = [i for i, b in enumerate(blocks) if b.page_break and i > 0]
        if starts:
            starts = [0, *starts]
            doubts.append(
                "The document has no chapter headings; its page breaks were read as chapter breaks."
            )
    if not starts:
        return Outline(title=title, preface=[], chapters=[Chapter(title=None, blocks=blocks)], doubts=doubts)
    chapters: list[Chapter] = []
    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else len(blocks)
        body = blocks[start:end]
        if heading_starts:
            chapters.append(Chapter(title=_heading_title(body[0]), blocks=body[1:]))
        elif body and _looks_like_title(body[0].text) and len(body) > 1:
            chapters.append(Chapter(title=" ".join(body[0].text.split()), blocks=body[1:]))
        else:
            chapters.append(Chapter(title=None, blocks=body))
    preface = blocks[: starts[0]]
    if preface and not any(b.text.strip() for b in preface):
        preface = []
    return Outline(title=title, preface=preface, chapters=chapters, doubts=doubts)
