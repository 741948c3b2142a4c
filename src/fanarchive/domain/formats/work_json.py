"""Work JSON itself, as `fanarchive parse --json` prints it: so that other tools can hand works to
`fanarchive import`, and a parse can be checked and edited before it is stored."""

from __future__ import annotations

from fanarchive.domain.formats._json import load_json
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.sanitize import sanitize_html, sanitize_optional
from fanarchive.domain.text import count_words, decode_bytes
from fanarchive.domain.work import ParsedWork, work_from_dict


class WorkJsonParser:
    name = "work-json"
    surest = 0.9
    description = "fanarchive work JSON ({'works': [...]}), as printed by `fanarchive parse --json`"

    def sniff(self, source: SourceFile) -> float:
        head = source.head(512).lstrip()
        return 0.9 if head.startswith(b"{") and b'"works"' in head else 0.0

    def parse(self, source: SourceFile) -> list[ParsedWork]:
        text, _encoding = decode_bytes(source.data)
        data = load_json(text)
        if not isinstance(data, dict) or not isinstance(data.get("works"), list):
            raise ParseError('not work JSON: expected an object with a "works" list')
        works = []
        for position, item in enumerate(data["works"], start=1):
            try:
                work = work_from_dict(item)
            except (KeyError, TypeError, ValueError, AttributeError) as error:
                raise ParseError(f"work {position} is malformed ({type(error).__name__}: {error})") from None
            works.append(_clean(work))
        return works


def _clean(work: ParsedWork) -> ParsedWork:
    # Input JSON is as untrusted as any upload: sanitise and recount rather than trust it.
    work.summary = sanitize_optional(work.summary)
    work.notes = sanitize_optional(work.notes)
    work.end_notes = sanitize_optional(work.end_notes)
    for chapter in work.chapters:
        chapter.html = sanitize_html(chapter.html)
        chapter.summary = sanitize_optional(chapter.summary)
        chapter.notes = sanitize_optional(chapter.notes)
        chapter.end_notes = sanitize_optional(chapter.end_notes)
        chapter.words = count_words(chapter.html)
    return work


PARSERS = [WorkJsonParser()]
