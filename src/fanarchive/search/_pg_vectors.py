"""SearchDocuments as PostgreSQL rows: tsvector and tsquery text built from our own analyser.

The words are analysed here (search/analysis.py, the same rules as the other backends) and
handed to PostgreSQL as tsvector / tsquery input text, never through a text search
configuration: folding, tokens and positions are then exactly ours, whatever the server's
dictionaries. The text is always a bound parameter cast to its type, never spliced into SQL.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

from fanarchive.search._common import check_work_id
from fanarchive.search.analysis import analyze
from fanarchive.search.backend import FACET_KINDS
from fanarchive.search.documents import SearchDocument, TagEntry

# PostgreSQL's limits: positions above 16383 are clamped, a lexeme keeps at most 256 of them, and
# a tsvector must stay under 1 MB.
MAX_POSITION = 16383
MAX_POSITIONS = 256
MAX_VECTOR_BYTES = 900_000
# Phrases are matched in passages of a chapter small enough that no word outruns 256 positions
# (even "the" stays near 100), overlapping so that a phrase of up to OVERLAP words on a seam is
# still found whole in one of them.
PASSAGE_TOKENS = 1000
PASSAGE_OVERLAP = 40

WorkRow = tuple[object, ...]


def clean(text: str) -> str:
    # PostgreSQL text cannot hold NUL.
    return text.replace("\x00", "")


@functools.lru_cache(maxsize=200_000)
def quote(lexeme: str) -> str:
    """A lexeme as tsvector/tsquery input: quoted, quotes doubled, backslashes escaped."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


class Vector:
    """tsvector input text, built value by value; positions run on across values with a gap,
    so a phrase never matches across the end of one value and the start of the next."""

    def __init__(self) -> None:
        self._positions: dict[str, list[str]] = {}
        self._next = 1

    def add(self, values: Iterable[Sequence[str]], weight: str = "") -> Vector:
        """`values`: each value's analysed tokens."""
        for tokens in values:
            self.add_tokens(tokens, weight)
        return self

    def add_tokens(self, tokens: Sequence[str], weight: str = "") -> Vector:
        positions_of, at = self._positions, self._next
        for token in tokens:
            positions = positions_of.get(token)
            if positions is None:
                # A word's first position is always kept (clamped), so the word is always there.
                positions_of[token] = [f"{min(at, MAX_POSITION)}{weight}"]
            elif at <= MAX_POSITION and len(positions) < MAX_POSITIONS:
                positions.append(f"{at}{weight}")
            at += 1
        self._next = at + 1
        return self

    def literal(self) -> str:
        text = " ".join(f"{quote(lexeme)}:{','.join(pos)}" for lexeme, pos in self._positions.items())
        if len(text.encode()) <= MAX_VECTOR_BYTES:
            return text
        # Too big with positions (a very long work): keep the words alone, which still find it.
        stripped, size = [], 0
        for lexeme in self._positions:
            size += len(lexeme.encode()) + 8
            if size > MAX_VECTOR_BYTES:
                break
            stripped.append(quote(lexeme))
        return " ".join(stripped)


def passages(tokens: list[str]) -> list[list[str]]:
    if not tokens:
        return []
    step = PASSAGE_TOKENS - PASSAGE_OVERLAP
    return [
        tokens[start : start + PASSAGE_TOKENS]
        for start in range(0, max(len(tokens) - PASSAGE_OVERLAP, 1), step)
    ]


# --- tsquery text -----------------------------------------------------------------------------


def phrase(words: Sequence[str], weight: str = "") -> str:
    suffix = f":{weight}" if weight else ""
    return " <-> ".join(quote(word) + suffix for word in words)


def all_of(words: Iterable[str]) -> str:
    return " & ".join(quote(word) for word in dict.fromkeys(words))


def any_of(words: Iterable[str]) -> str:
    return " | ".join(quote(word) for word in dict.fromkeys(words))


# --- rows -------------------------------------------------------------------------------------

# Facets are counted over one bigint array per work: the kind's place in FACET_KINDS above the
# tag id, so a count knows its kind without a join and one id in two kinds stays two facets.
_KIND_SHIFT = 32


# Every work also carries this key: its count is the result's total, so one pass over the matching
# rows gives both (no other key is negative).
ALL_WORKS_KEY = -1


def facet_key(kind: str, tag_id: int) -> int:
    return (FACET_KINDS.index(kind) << _KIND_SHIFT) | tag_id


def facet_entries(doc: SearchDocument) -> list[tuple[int, str, int, str]]:
    """(key, kind, tag id, name) of the work's own tags in the kinds facets are counted for."""
    entries = {}
    for kind, pairs in doc.tags.items():
        if kind in FACET_KINDS:
            for tag_id, name in pairs:
                entries[facet_key(kind, tag_id)] = (kind, tag_id, clean(name))
    return [(key, *value) for key, value in entries.items()]


TEXT_COLUMNS = ("work_id", "title_v", "author_v", "summary_v", "notes_v", "tag_v", "meta_v", "body_v")
WORK_COLUMNS = (
    "work_id",
    "filter_tags",
    "creators",
    "facets",
    "language",
    "complete",
    "crossover",
    "words",
    "kudos",
    "hits",
    "comments",
    "bookmarks",
    "published",
    "updated",
    "title_key",
    "author_key",
    "restricted",
    "posted",
    "hidden",
)


@functools.lru_cache(maxsize=100_000)
def _analyze_name(name: str) -> tuple[str, ...]:
    return tuple(analyze(name))


def work_rows(
    doc: SearchDocument, facet_keys: list[int], chapter_tokens: list[list[str]]
) -> tuple[WorkRow, WorkRow]:
    """The work's `works` row (WORK_COLUMNS) and `work_texts` row (TEXT_COLUMNS).
    `chapter_tokens`: each chapter's analysed text (analysed once for this and the passages)."""
    check_work_id(doc.work_id)
    # Each field analysed once; tag and author names, repeated across thousands of works, once
    # a process.
    title, summary, notes = [analyze(doc.title)], [analyze(doc.summary)], [analyze(doc.notes)]
    authors = [_analyze_name(name) for name in doc.authors]
    tags = [_analyze_name(name) for name in doc.tag_names]
    # The weighted union answers unfielded words and ranks: title A, author and summary B, tags
    # and notes C (backend.FIELD_BOOSTS' order); chapter text is its own vector (D).
    meta = Vector().add(title, "A").add(authors, "B").add(summary, "B").add(tags, "C").add(notes, "C")
    body = Vector().add(chapter_tokens)
    texts = (
        doc.work_id,
        Vector().add(title).literal(),
        Vector().add(authors).literal(),
        Vector().add(summary).literal(),
        Vector().add(notes).literal(),
        Vector().add(tags).literal(),
        meta.literal(),
        body.literal(),
    )
    work = (
        doc.work_id,
        sorted(set(doc.filter_tag_ids)),
        sorted(set(doc.creator_ids)),
        [ALL_WORKS_KEY, *facet_keys],
        clean(doc.language.lower()),
        doc.complete,
        doc.crossover,
        doc.words,
        doc.kudos,
        doc.hits,
        doc.comments,
        doc.bookmarks,
        doc.published,
        doc.updated,
        clean(doc.title_key()),
        clean(doc.author_key()),
        doc.restricted,
        doc.posted,
        doc.hidden,
    )
    return work, texts


def chapter_rows(
    doc: SearchDocument, chapter_tokens: list[list[str]]
) -> tuple[list[tuple[int, int, int, str]], list[tuple[int, int, int, str]]]:
    """(chapters: work, seq, number, text) and (passages: work, seq, part, tsvector text)."""
    chapters, parts = [], []
    for seq, (chapter, tokens) in enumerate(zip(doc.chapters, chapter_tokens, strict=True)):
        chapters.append((doc.work_id, seq, chapter.number, clean(chapter.text)))
        for part, words in enumerate(passages(tokens)):
            parts.append((doc.work_id, seq, part, Vector().add_tokens(words).literal()))
    return chapters, parts


def tag_row(entry: TagEntry) -> tuple[int, str, str, int | None, str | None, int, str, list[int]]:
    # Words with a leading space: " harry potter" LIKE '% pot%' finds a word start anywhere.
    words = " " + " ".join(analyze(entry.name))
    canonical_name = None if entry.canonical_name is None else clean(entry.canonical_name)
    return (
        entry.tag_id,
        clean(entry.name),
        entry.kind,
        entry.canonical_id,
        canonical_name,
        entry.uses,
        words,
        sorted(entry.audiences),
    )
