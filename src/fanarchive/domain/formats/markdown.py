"""Markdown: `#` headings give the title and chapters (a lone `# Title` above `## Chapter` headings is
the title), `*`/`_` emphasis, rules and typed scene breaks, and a YAML-style front matter or a
`Title:` header for the work's fields. Leading indentation is dropped first, since fiction indents
paragraphs and Markdown would read those as code."""

from __future__ import annotations

import re

from fanarchive.domain.formats._chapters import is_scene_break, scene_break_html, split_chapters
from fanarchive.domain.formats._documents import HEADER_FIELD, apply_header, build_work
from fanarchive.domain.formats._html_blocks import html_blocks, parse_document
from fanarchive.domain.formats._markdown_html import markdown_to_html
from fanarchive.domain.formats._markup import join_soft_breaks
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.formats.plain import looks_like_text, read_header
from fanarchive.domain.limits import DEFAULT_LIMITS, LimitExceeded
from fanarchive.domain.text import normalise_indentation, normalise_newlines
from fanarchive.domain.work import ParsedWork

_SUFFIXES = frozenset({"md", "markdown", "mdown", "mkd", "mkdn"})
_ATX_HEADING = re.compile(rb"^#{1,3}[ \t]+\S", re.M)
# Breaks Markdown itself draws as a rule; every other typed break is kept as the author wrote it.
_MARKDOWN_RULE = re.compile(r"^(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")


def _front_matter(lines: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
    if not lines or lines[0].strip() != "---":
        return [], lines
    for index, line in enumerate(lines[1:40], start=1):
        if line.strip() in ("---", "..."):
            fields = []
            for entry in lines[1:index]:
                if match := HEADER_FIELD.match(entry[:1].upper() + entry[1:]):
                    fields.append((match.group("label"), match.group("value").strip().strip("\"'")))
            return fields, lines[index + 1 :]
    return [], lines


def _prepare(lines: list[str]) -> str:
    out: list[str] = []
    for line in lines:
        stripped = normalise_indentation(line).rstrip()
        if is_scene_break(stripped) and not re.match(r"^#{1,6}\s+\S", stripped):
            if _MARKDOWN_RULE.match(stripped):
                out.extend(["", stripped, ""])  # a blank line first, or `---` makes a heading
            else:
                out.extend(["", scene_break_html(stripped), ""])
            continue
        out.append(stripped)
    return "\n".join(out)


class MarkdownParser:
    name = "markdown"
    surest = 0.5
    description = "Markdown: # headings for title and chapters, emphasis, front matter"

    def sniff(self, source: SourceFile) -> float:
        head = source.head(8192)
        if not looks_like_text(head):
            return 0.0
        # `^` is tried at every position: only a head with a `#` opening a line can match at all.
        headed = (head.startswith(b"#") or b"\n#" in head) and _ATX_HEADING.search(head) is not None
        if source.suffix in _SUFFIXES:
            return 0.5 if headed else 0.3
        return 0.3 if headed else 0.0

    def parse(self, source: SourceFile) -> list[ParsedWork]:
        if not source.data.strip():
            raise ParseError("empty file")
        if not looks_like_text(source.head(4096)):
            raise ParseError("binary data, not text")
        text = source.text()
        # Python-Markdown looks for the end of a link from every `](`, so unclosed ones cost
        # quadratic time; no story has this many links.
        if text.count("](") > DEFAULT_LIMITS.max_markdown_links:
            raise LimitExceeded(
                "max_markdown_links", DEFAULT_LIMITS.max_markdown_links, "too many `](` links"
            )
        lines = normalise_newlines(text).split("\n")
        fields, lines = _front_matter(lines)
        if not fields:
            fields, start = read_header(lines)
            lines = lines[start:]
        work = ParsedWork(title="")
        apply_header(work, fields)
        rendered = markdown_to_html(_prepare(lines))
        # Rejoin the lines of a wrapped paragraph; a hard break (two trailing spaces) is a <br>.
        rendered = join_soft_breaks(rendered)
        if not rendered.strip():
            raise ParseError("the file holds no text")
        blocks = html_blocks(parse_document(f"<html><body>{rendered}</body></html>").body)
        if not any(block.text for block in blocks):
            raise ParseError("the file holds no text")
        return [build_work(source, split_chapters(blocks), self.name, work)]


PARSERS = [MarkdownParser()]
