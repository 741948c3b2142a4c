"""Our own TXT download (domain/exports/txt.py) read back: the preface's `Label: value` lines, then
sections under underlined headings, `=` for a chapter (or the Afterword) and `-` for a labelled
block. A heading counts only when its underline is exactly as long as it and its label is one the
writer uses where it stands, so prose never opens a section."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fanarchive.domain.formats._ao3_fields import number_from_one, read_stats, site_of, work_id
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.sanitize import sanitize_html
from fanarchive.domain.tags import TAG_KINDS, TagKind
from fanarchive.domain.text import count_words, decode_bytes, normalise_newlines, text_to_html
from fanarchive.domain.work import ParsedChapter, ParsedWork, RelatedWork, SeriesRef, Source

_CHAPTER = re.compile(r"^Chapter (\d+)(?:: (.+))?$")
_SOURCE = re.compile(r"^(https?://\S+) on (.+)$")
_FIELD = re.compile(r"^([A-Z][A-Za-z ]+): (.*)$")
_RELATED = re.compile(r"^(Inspired by|Inspired|Translation of|Translated as): (.+?)(?: <(\S+)>)?$")
_RELATIONS = {"Inspired by": "inspired_by", "Inspired": "inspired", "Translation of": "translation_of",
              "Translated as": "translated_as"}  # fmt: skip
_BLOCKS = {
    "preface": {"Summary", "Notes"},
    "chapter": {"Chapter Summary", "Chapter Notes", "Chapter Text", "Chapter End Notes"},
    "afterword": {"End Notes", "Related Works"},
}
_TAG_LABELS: dict[str, TagKind] = {
    label: kind for kind in TAG_KINDS for label in (kind.label, kind.plural_label)
}
_SIGNATURE = "Chapter Text\n------------\n"


@dataclass
class _Heading:
    line: int  # index of the heading's text; its underline is the next line
    text: str
    rule: str


def _headings(lines: list[str]) -> list[_Heading]:
    found: list[_Heading] = []
    context = "preface"
    for index in range(len(lines) - 1):
        text, under = lines[index], lines[index + 1]
        if not text or text[0] in "=-" or len(under) != len(text) or (index and lines[index - 1]):
            continue
        for rule in "=-":
            if under != rule * len(text):
                continue
            if rule == "=" and (_CHAPTER.match(text) or text == "Afterword"):
                context = "afterword" if text == "Afterword" else "chapter"
                found.append(_Heading(index, text, rule))
            elif rule == "-" and text in _BLOCKS[context]:
                found.append(_Heading(index, text, rule))
    return found


def _html(lines: list[str]) -> str | None:
    return sanitize_html(text_to_html("\n".join(lines))) or None


class FanarchiveTextParser:
    name = "fanarchive-txt"
    surest = 0.95
    description = "a work downloaded from a fanarchive as TXT"

    def sniff(self, source: SourceFile) -> float:
        head = source.head_text(262144)
        # Both parts hold no line break, so they are in the head before newlines are normalised
        # if and only if after: a file without them (nearly all) is not normalised.
        if "Chapter Text" not in head or "Stats: " not in head:
            return 0.0
        head = normalise_newlines(head)
        return 0.95 if _SIGNATURE in head and re.search(r"^Stats: ", head, re.M) else 0.0

    def parse(self, source: SourceFile) -> list[ParsedWork]:
        text, _encoding = decode_bytes(source.data)
        lines = [line.rstrip() for line in normalise_newlines(text).split("\n")]
        headings = _headings(lines)
        if not any(h.text == "Chapter Text" for h in headings):
            raise ParseError("no underlined `Chapter Text` heading: not a fanarchive TXT download")
        work = ParsedWork(title="", source=Source(format=self.name))
        preface_end = headings[0].line
        first_chapter = next((h.line for h in headings if h.rule == "="), len(lines))
        self._read_preface(work, lines[: min(preface_end, first_chapter)])
        chapter: ParsedChapter | None = None
        for position, heading in enumerate(headings):
            end = headings[position + 1].line if position + 1 < len(headings) else len(lines)
            body = lines[heading.line + 2 : end]
            if heading.rule == "=":
                chapter = self._start_chapter(work, heading) if heading.text != "Afterword" else None
            elif chapter is not None:
                self._chapter_block(chapter, heading.text, body)
            else:
                self._work_block(work, heading.text, body)
        number_from_one(work)
        for made in work.chapters:
            made.words = count_words(made.html)
        work.stats["words"] = work.words
        return [work]

    @staticmethod
    def _read_preface(work: ParsedWork, lines: list[str]) -> None:
        # The title is the first line whatever it holds (a colon included); what proves the layout
        # is the `by …` line and the `URL on ARCHIVE` line the writer puts under it.
        content = [line for line in lines if line.strip()]
        if not content:
            raise ParseError("the download has no preface: the work's title is missing")
        work.title = content[0].strip()
        rest = content[1:]
        if rest and rest[0].startswith("by "):
            work.authors = [name.strip() for name in rest[0][3:].split(", ") if name.strip()]
            rest = rest[1:]
        found = _SOURCE.match(rest[0]) if rest else None
        if found is None:
            raise ParseError(
                "the download does not start with the work's title, its `by` line and its "
                "`URL on ARCHIVE` line"
            )
        url = found.group(1)
        work.source.url, work.source.site, work.source.id = url, site_of(url), work_id(url)
        work.metadata["archive_name"] = found.group(2)
        rest = rest[1:]
        for line in rest:
            field = _FIELD.match(line)
            if field is None:
                raise ParseError(f"preface line {line[:60]!r} is not `Label: value`")
            label, value = field.groups()
            if label in _TAG_LABELS:
                work.tags[_TAG_LABELS[label].value] += [n.strip() for n in value.split(", ") if n.strip()]
            elif label == "Language":
                work.language = value.strip()
            elif label == "Series":
                part = re.match(r"^(?:Part (\d+) of )?(.+)$", value)
                if part:
                    position = int(part.group(1)) if part.group(1) else None
                    work.series.append(SeriesRef(title=part.group(2), position=position))
            elif label == "Stats":
                read_stats(work, value)
                # The writer leaves out an update on the day of publication.
                work.updated = work.updated or work.published
            else:
                work.metadata.setdefault("preface_fields", {})[label] = value

    @staticmethod
    def _start_chapter(work: ParsedWork, heading: _Heading) -> ParsedChapter:
        found = _CHAPTER.match(heading.text)
        assert found is not None  # _headings only lets chapter headings through with `=`
        chapter = ParsedChapter(number=int(found.group(1)), title=found.group(2), html="")
        work.chapters.append(chapter)
        return chapter

    @staticmethod
    def _chapter_block(chapter: ParsedChapter, label: str, body: list[str]) -> None:
        html = _html(body)
        if label == "Chapter Text":
            chapter.html = html or ""
        elif label == "Chapter Summary":
            chapter.summary = html
        elif label == "Chapter Notes":
            chapter.notes = html
        else:
            chapter.end_notes = html

    @staticmethod
    def _work_block(work: ParsedWork, label: str, body: list[str]) -> None:
        if label == "Summary":
            work.summary = _html(body)
        elif label == "Notes":
            work.notes = _html(body)
        elif label == "End Notes":
            work.end_notes = _html(body)
        else:
            for line in body:
                related = _RELATED.match(line.strip())
                if related:
                    title, _, authors = related.group(2).rpartition(" by ")
                    if not title:
                        title, authors = authors, ""
                    work.related.append(
                        RelatedWork(
                            relation=_RELATIONS[related.group(1)],
                            title=title,
                            url=related.group(3),
                            authors=[a for a in authors.split(", ") if a],
                        )
                    )


PARSERS = [FanarchiveTextParser()]
