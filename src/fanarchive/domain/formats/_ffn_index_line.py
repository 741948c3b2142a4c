"""A chapter index flattened onto one line, as FanFiction.Net mirrors show it when copied as text:
`1. Prologue 1,204 3 0 2. Chapter 2. 10 Years Later 980 1.2k 4 3. …`.

Titles hold digits and even `N. ` of their own, so the line is split by expecting the next number:
an entry runs from `N. ` to a `N+1. ` that follows three figures. Every way of splitting the whole
line that way is weighed; the one with the most entries wins (a title swallowing a whole entry is
the less likely reading), and a tie is reported as ambiguous."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from fanarchive.domain.work import IndexEntry

_FIGURE = r"\d{1,3}(?:[,.]\d{3})+(?![\d.,]*[kKmM])|\d+(?:\.\d+)?[kKmM]?"
_ENTRY = re.compile(rf"^(\d+)\.\s+(.+?)\s+({_FIGURE})\s+({_FIGURE})\s+({_FIGURE})$")
_START = re.compile(r"(?:^|(?<=\s))(\d+)\.\s")
# Three figures then `K. ` inside a title: an entry swallowed whole, which only K = N+1 may explain.
_EMBEDDED = re.compile(rf"\s(?:{_FIGURE})\s+(?:{_FIGURE})\s+(?:{_FIGURE})\s+(\d+)\.\s")


class IndexLineError(ValueError):
    pass


@dataclass
class IndexReading:
    entries: list[IndexEntry] = field(default_factory=list)
    # Entries whose bounds are a guess: another split was as good, or the title reads like an entry.
    ambiguous: list[int] = field(default_factory=list)


def figure(text: str) -> int:
    """`1,204` -> 1204, `1.2k` -> 1200, `3` -> 3."""
    text = text.strip()
    scale = {"k": 1000, "m": 1000000}.get(text[-1].lower(), 1)
    if scale > 1:
        return round(float(text[:-1]) * scale)
    return int(text.replace(",", "").replace(".", ""))


def _entry(chunk: str) -> IndexEntry | None:
    match = _ENTRY.match(chunk.strip())
    if match is None:
        return None
    number = int(match.group(1))
    if any(int(m.group(1)) != number + 1 for m in _EMBEDDED.finditer(f" {match.group(2)} ")):
        return None
    stats = {
        "words": figure(match.group(3)),
        "votes": figure(match.group(4)),
        "reviews": figure(match.group(5)),
    }
    return IndexEntry(number=number, title=match.group(2), stats=stats)


def looks_like_index(line: str) -> bool:
    return line.startswith("1. ") and _ENTRY.match(line.strip()) is not None


def read_index_line(line: str) -> IndexReading:
    """The entries of the line, or IndexLineError saying where the numbering breaks."""
    line = " ".join(line.split())
    starts: dict[int, list[int]] = {}
    for match in _START.finditer(line):
        starts.setdefault(int(match.group(1)), []).append(match.start())
    if 0 not in starts.get(1, []):
        raise IndexLineError("the chapter index does not start with `1. `")
    # The last entry runs to the end of the line, so it may hold no entry boundary but one for N+1
    # (which the split there then beats); knowing the boundaries once keeps this check linear.
    boundaries = [(m.start(), int(m.group(1))) for m in _EMBEDDED.finditer(line)]
    positions = [at for at, _k in boundaries]
    low = [0] * (len(boundaries) + 1)
    high = [0] * (len(boundaries) + 1)
    for i in range(len(boundaries) - 1, -1, -1):
        k = boundaries[i][1]
        low[i] = min(k, low[i + 1]) if i + 1 < len(boundaries) else k
        high[i] = max(k, high[i + 1]) if i + 1 < len(boundaries) else k

    def may_be_last(pos: int, number: int) -> bool:
        i = bisect.bisect_right(positions, pos)
        return i == len(boundaries) or low[i] == high[i] == number + 1

    # best[(pos, n)]: (entries in the best split of line[pos:] starting with entry n, ways, next pos)
    best: dict[tuple[int, int], tuple[int, int, int | None]] = {}
    for number in sorted(starts, reverse=True):
        for pos in starts[number]:
            options: list[tuple[int, int, int | None]] = []
            if may_be_last(pos, number) and _entry(line[pos:]) is not None:
                options.append((1, 1, None))
            for end in starts.get(number + 1, []):
                if end > pos and (end, number + 1) in best and _entry(line[pos:end]) is not None:
                    count, ways, _next = best[(end, number + 1)]
                    options.append((count + 1, ways, end))
            if options:
                top = max(count for count, _ways, _next in options)
                ways = sum(w for count, w, _next in options if count == top)
                first = next(o for o in options if o[0] == top)
                best[(pos, number)] = (top, min(ways, 2), first[2])
    if (0, 1) not in best:
        raise IndexLineError(_diagnose(line, starts))
    reading = IndexReading()
    at: int | None = 0
    number = 1
    while at is not None:
        _count, ways, after = best[(at, number)]
        entry = _entry(line[at:after] if after is not None else line[at:])
        assert entry is not None
        if ways > 1 or _EMBEDDED.search(f" {entry.title} "):
            reading.ambiguous.append(number)
        reading.entries.append(entry)
        at, number = after, number + 1
    return reading


def _diagnose(line: str, starts: dict[int, list[int]]) -> str:
    """Where a forward reading of the line stops: the last entry that still led somewhere."""
    reached = {(0, 1)}
    last = 0
    for number in sorted(starts):
        for pos in starts[number]:
            if (pos, number) not in reached:
                continue
            for end in starts.get(number + 1, []):
                if end > pos and _entry(line[pos:end]) is not None:
                    reached.add((end, number + 1))
                    last = max(last, number)
    following = sorted(n for n in starts if n > last + 1)
    found = f" (the next number found is {following[0]})" if following else ""
    return (
        f"the chapter index cannot be split into entries 1, 2, 3, … "
        f"(`N. TITLE WORDS VOTES REVIEWS`): entry {last + 2} does not follow entry {last + 1}{found}"
    )
