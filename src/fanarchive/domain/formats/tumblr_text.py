"""tumblr asks and roleplay posts copied as text, several to a file.

A post is `NAME asked:` (themes vary the punctuation: `asked:`, `asked;`, `asked`), the ask, a blank
line, then the answer; or, for a roleplay or text post, just the text. A `#tag #another tag` line
ends a post. Nothing else separates posts: a new post starts at an `asked` line, with the title line
just above it when there is one, and at the first line after a post's tags. Lines keep their case
exactly (roleplay prose is often all lowercase); only the no-break-space indentation goes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fanarchive.domain.formats._tumblr_titles import made_title
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.sanitize import sanitize_html
from fanarchive.domain.tags import TagKind
from fanarchive.domain.text import (
    count_words,
    lines_to_html,
    normalise_indentation,
)
from fanarchive.domain.work import ParsedChapter, ParsedWork, Prompt, Source

# Blog names are lowercase letters, digits and hyphens; prose pronouns are never askers.
_ASKED = re.compile(
    r"^(?P<name>Anonymous|anonymous|[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?) asked"
    r"(?:\s*[:;]?\s*$|[:;]\s+(?P<rest>\S.*)$)"
)
_PRONOUNS = frozenset({"he", "she", "they", "i", "we", "you", "it", "someone", "everyone", "nobody", "who"})
_TAGS = re.compile(r"^#[^#\s][^#]*(?:#[^#]+)*$")
_SENTENCE_END = tuple('.!?,;:…"”’)*~')


def ask_match(line: str) -> re.Match[str] | None:
    match = _ASKED.match(line)
    if match is None or match.group("name").lower() in _PRONOUNS:
        return None
    return match


def _title_like(line: str) -> bool:
    return 0 < len(line) <= 80 and len(line.split()) <= 12 and not line.endswith(_SENTENCE_END)


@dataclass
class _Post:
    lines: list[str]
    title: str | None = None
    title_doubt: bool = False
    tags: list[str] = field(default_factory=list)


def _trim(lines: list[str]) -> list[str]:
    start = next((i for i, line in enumerate(lines) if line), len(lines))
    end = len(lines)
    while end > start and not lines[end - 1]:
        end -= 1
    return lines[start:end]


class TumblrTextParser:
    name = "tumblr-text"
    description = "tumblr asks and roleplay posts copied as text (`NAME asked:`, #tags lines)"

    def sniff(self, source: SourceFile) -> float:
        head = source.head(65536).decode("utf-8", "ignore")
        lines = [normalise_indentation(line).rstrip() for line in head.splitlines()]
        asks = [i for i, line in enumerate(lines) if ask_match(line)]
        if not asks or not any(line for line in lines[asks[0] + 1 : asks[0] + 4]):
            return 0.0
        return 0.9 if any(_TAGS.match(line) for line in lines) else 0.8

    def parse(self, source: SourceFile) -> list[ParsedWork]:
        text = source.text()
        lines = [normalise_indentation(line).rstrip() for line in text.replace("\r\n", "\n").split("\n")]
        if not any(lines):
            raise ParseError("no text")
        posts = self._split(lines)
        works = [work for post in posts if (work := self._work(post)) is not None]
        if not works:
            raise ParseError("no post found: no `NAME asked:` line and no text")
        return works

    @staticmethod
    def _split(lines: list[str]) -> list[_Post]:
        tag_lines = {i for i, line in enumerate(lines) if _TAGS.match(line)}
        starts: dict[int, tuple[str | None, bool]] = {}  # start line -> (title, doubtful title)
        for index, line in enumerate(lines):
            if not ask_match(line):
                continue
            above = next((k for k in range(index - 1, -1, -1) if lines[k]), None)
            if above is None or above in tag_lines or ask_match(lines[above]):
                starts[index] = (None, False)
                continue
            before = next((k for k in range(above - 1, -1, -1) if lines[k]), None)
            opens_file = before is None
            after_tags = before in tag_lines
            after_break = above == 0 or not lines[above - 1]
            if opens_file or after_tags:
                starts[above] = (lines[above], False)
            elif after_break and _title_like(lines[above]):
                starts[above] = (lines[above], True)
            else:
                starts[index] = (None, False)
        for index in sorted(tag_lines):
            if index + 1 in tag_lines:
                continue
            following = next((k for k in range(index + 1, len(lines)) if lines[k]), None)
            if following is not None and following not in starts and not ask_match(lines[following]):
                starts[following] = (None, False)
        first = next(i for i, line in enumerate(lines) if line)
        if not starts or first < min(starts):
            starts[first] = (None, False)
        ordered = sorted(starts)
        posts: list[_Post] = []
        for number, start in enumerate(ordered):
            end = ordered[number + 1] if number + 1 < len(ordered) else len(lines)
            title, doubtful = starts[start]
            body = lines[start + 1 : end] if title is not None else lines[start:end]
            body = _trim(body)
            post = _Post(lines=body, title=title, title_doubt=doubtful)
            while post.lines and _TAGS.match(post.lines[-1]):
                tag_line = post.lines.pop()
                post.tags[:0] = [t.strip() for t in tag_line.split("#") if t.strip()]
                post.lines = _trim(post.lines)
            posts.append(post)
        return posts

    def _work(self, post: _Post) -> ParsedWork | None:
        if not post.lines and post.title is None:
            return None
        work = ParsedWork(title=post.title or "", source=Source(format=self.name, site="tumblr.com"))
        body = post.lines
        if body and (ask := ask_match(body[0])):
            asker = ask.group("name")
            rest = body[1:]
            if ask.group("rest"):
                rest = [ask.group("rest"), *rest]
            rest = _trim(rest)
            cut = rest.index("") if "" in rest else min(1, len(rest))
            if "" not in rest and len(rest) > 1:
                work.doubts.append(
                    "No blank line separates the ask from the answer; the ask was read as one line."
                )
            ask_lines, body = rest[:cut], _trim(rest[cut:])
            work.prompt = Prompt(
                asker=None if asker.lower() == "anonymous" else asker,
                text=sanitize_html(lines_to_html(ask_lines)),
            )
            work.metadata["asker"] = asker
        elif not post.title and len(body) > 2 and _title_like(body[0]) and not body[1]:
            post.title, body = body[0], _trim(body[2:])
            work.title = post.title
            work.doubts.append(f"The first line {post.title!r} was read as the post's title.")
        html = sanitize_html(lines_to_html(body))
        if not html:
            work.doubts.append("The post has no answer text.")
        work.chapters.append(ParsedChapter(number=1, html=html, words=count_words(html)))
        for tag in post.tags:
            work.add_tag(TagKind.FREEFORM, tag)
        if post.title_doubt:
            work.doubts.append(
                f"The line {post.title!r} between two posts was read as the next post's title."
            )
        if not work.title:
            work.title = made_title(html or (work.prompt.text if work.prompt else "")) or "Untitled post"
            work.doubts.append(f"The post has no title; {work.title!r} was made from its first words.")
        work.doubts.append("The copied post does not name its blog; no author was set.")
        return work


PARSERS = [TumblrTextParser()]
