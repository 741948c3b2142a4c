"""What every parser is: a name, a sniff that scores how sure it is, and a parse."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from fanarchive.domain.text import DecodeError, decode_bytes
from fanarchive.domain.work import ParsedWork


class ParseError(ValueError):
    """The file cannot be read as the format asked for. The message names the problem, not the
    file: callers add the file name."""


@dataclass
class SourceFile:
    """The bytes of one input file, and a way to read files beside it (eFiction dumps keep chapter
    text in stories/<uid>/<chapid>.txt next to the dump). `name` is the path as the user gave it."""

    name: str
    data: bytes
    open_sibling: Callable[[str], bytes | None] = field(default=lambda _path: None)
    # Every reader sniffs every file, and most read a decoded head: decoded once here, not by each.
    _head_texts: dict[int, str] = field(default_factory=dict, init=False, repr=False, compare=False)
    _heads_not_utf8: set[int] = field(default_factory=set, init=False, repr=False, compare=False)

    @property
    def suffix(self) -> str:
        dot = self.name.rfind(".")
        return self.name[dot + 1 :].lower() if dot > self.name.rfind("/") else ""

    def head(self, size: int = 8192) -> bytes:
        return self.data[:size]

    def head_text(self, size: int) -> str:
        """`head(size)` decoded as UTF-8 with undecodable bytes dropped (a sniff's guess, not
        `text()`'s detection), decoded once a file: a file shorter than `size` has one head."""
        size = min(size, len(self.data))
        text = self._head_texts.get(size)
        if text is None:
            head = self.data[:size]
            try:
                text = head.decode("utf-8")  # as fast, and it tells whether anything was dropped
            except UnicodeDecodeError:
                text = head.decode("utf-8", "ignore")
                self._heads_not_utf8.add(size)
            self._head_texts[size] = text
        return text

    def head_utf8(self, size: int) -> bytes:
        """`head_text(size)` encoded as UTF-8: the head itself when it decoded whole, as most do."""
        text = self.head_text(size)
        return text.encode() if min(size, len(self.data)) in self._heads_not_utf8 else self.head(size)

    def text(self) -> str:
        """The file decoded (encoding detected, mojibake repaired), or ParseError saying why not."""
        try:
            return decode_bytes(self.data)[0]
        except DecodeError as error:
            raise ParseError(str(error)) from None


class Parser(Protocol):
    name: str
    description: str
    # The highest score `sniff` ever returns: detection does not sniff a reader that could not win.
    surest: float

    def sniff(self, source: SourceFile) -> float:
        """0.0 (not this format) to 1.0 (certainly this format). Must be cheap: read the head."""
        ...

    def parse(self, source: SourceFile) -> list[ParsedWork]:
        """Every work the file holds, or ParseError."""
        ...
