"""Reads AO3's download layout from parsed HTML, walking it in document order and keying on AO3's
text labels and element kinds rather than on class names, because calibre (which makes AO3's
EPUBs) renames classes to `calibre1`... and splits the page into several files.

The walk knows three regions. The preface holds the `dl` of tags, the `h1` title, the byline, the
message with the work's URL and the work's Summary / Notes blocks (a label paragraph followed by
a blockquote). The chapters region starts at `div#chapters` or at the first `h2` heading; each
`h2` starts a chapter whose Chapter Summary / Chapter Notes blocks come before its text and whose
Chapter End Notes come after it; anything else is chapter text. The afterword (`div#afterword` or
an "Afterword" heading) holds the work's End Notes and the works inspired by this one."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

from lxml.html import HtmlElement as Element

from fanarchive.domain.formats._ao3_fields import (
    is_tag_list,
    number_from_one,
    read_heading,
    read_tag_list,
)
from fanarchive.domain.formats._markup import inner_html, outer_html, text_of, text_start
from fanarchive.domain.sanitize import sanitize_html, sanitize_optional
from fanarchive.domain.text import count_words
from fanarchive.domain.work import ParsedChapter, ParsedWork, RelatedWork

_PREFACE, _CHAPTERS, _AFTERWORD = "preface", "chapters", "afterword"
# Label text (casefolded, colon dropped) -> the field it fills.
_LABELS = {
    "summary": "summary",
    "notes": "notes",
    "end notes": "end_notes",
    "chapter summary": "summary",
    "chapter notes": "notes",
    "chapter end notes": "end_notes",
    "author's note": "notes",
    "author's notes": "notes",
}
_CHAPTER_LABELS = frozenset({"chapter summary", "chapter notes", "chapter end notes"})
_RELATED_LABELS = frozenset({"works inspired by this one", "related works"})
# AO3's messages, recognised by their words where calibre has renamed the `message` class.
_MESSAGE = re.compile(r"Posted originally on the|drop by the Archive and comment|^Downloaded from ", re.I)
# The message is one short line; chapter text that merely quotes its words is no message.
_MESSAGE_MAX = 300
_BLOCKS = frozenset({"p", "div", "blockquote", "ul", "ol", "dl", "table", "h1", "h2", "h3", "h4", "section"})
_SEE_END = re.compile(r"^\(?see the end of the (?:chapter|work) for", re.I)
_SEE_END_CHARS = 64  # more than _SEE_END can match (31 characters)
_RELATION_PREFIXES = (
    ("inspired by", "inspired_by"),
    ("translation of", "translation_of"),
    ("translated as", "translated_as"),
    ("translation into", "translated_as"),
    ("inspired", "inspired"),
)
_LABEL_TAGS = frozenset({"p", "h3", "h4", "h5", "h6", "b", "strong", "div", "dt"})
_CONTAINERS = frozenset({"div", "section", "article", "main", "body", "header", "footer", "aside"})
_UNWRAP_CLASS = re.compile(r"^(?:userstuff|calibre\d*|chapter|module|\s)*$")


def label_of(element: Element) -> str | None:
    """The label an element is, if its whole text is one of AO3's block labels."""
    if element.tag not in _LABEL_TAGS or len(element) > 2:
        return None
    text = text_of(element).rstrip(":").strip().casefold()
    if text in _LABELS or text in _RELATED_LABELS:
        return text
    return None


def _has_text(element: Element) -> bool:
    return bool(text_of(element)) or any(True for _ in element.iter("img"))


@dataclass
class _Chapter:
    number: int
    title: str | None
    summary: str | None = None
    notes: str | None = None
    end_notes: str | None = None
    parts: list[str] = field(default_factory=list)


class LayoutReader:
    """Feed it one or more document roots in reading order, then take the work."""

    def __init__(self, work: ParsedWork) -> None:
        self.work = work
        self.region = _PREFACE
        self.chapters: list[_Chapter] = []
        self.pending: str | None = None
        self.after_title = False
        self.urls: list[str] = []

    # -- the walk ---------------------------------------------------------------------------------

    def feed(self, root: Element) -> None:
        self._walk(root)

    def end_document(self) -> None:
        """A spine document ended: calibre puts AO3's preface in a file of its own."""
        if self.region == _PREFACE and (self.work.title or any(self.work.tags.values())):
            self.region = _CHAPTERS
        self.pending = None

    def _walk(self, parent: Element) -> None:
        if parent.text and parent.text.strip() and self.region != _PREFACE:
            self._content(escape(parent.text.strip(), quote=False))
        for child in parent:
            if not isinstance(child.tag, str):
                continue  # comments such as <!--chapter content-->
            self._visit(child)
            if child.tail and child.tail.strip() and self.region != _PREFACE:
                self._content(escape(child.tail.strip(), quote=False))

    def _visit(self, element: Element) -> None:
        tag, ident = element.tag, element.get("id") or ""
        if ident in ("preface", "chapters", "afterword"):
            self.region = {"preface": _PREFACE, "chapters": _CHAPTERS, "afterword": _AFTERWORD}[ident]
            self.pending = None
            self._walk(element)
            if ident == "preface":
                self.region = _CHAPTERS
            return
        if tag in ("h1", "h2"):
            self._heading(element)
            return
        label = label_of(element)
        if label is not None:
            self._label(label)
            return
        if tag == "blockquote" and self.pending is not None:
            self._assign(self.pending, sanitize_optional(inner_html(element)))
            self.pending = None
            return
        if tag in ("dl", "ul", "ol") and self._lists(element):
            return
        if tag in _CONTAINERS and self._has_structure(element):
            self._walk(element)
            return
        if self._preface_line(element):
            return
        if self.region == _CHAPTERS and self.chapters and _is_end_notes_box(element):
            self.pending = "end_notes"
            self._walk(element)
            self.pending = None
            return
        if self.region == _PREFACE and not _has_text(element):
            return
        if self.region == _AFTERWORD:
            self._afterword_extra(element)
            return
        self.region = _CHAPTERS
        self._content(self._content_html(element))

    def _heading(self, element: Element) -> None:
        text = text_of(element)
        key = text.casefold()
        if key == "preface":
            return
        if key == "afterword":
            self.region, self.pending = _AFTERWORD, None
            return
        if element.tag == "h1" and self.region == _PREFACE and not self.work.title:
            self.work.title = text
            self.after_title = True
            return
        if self.region == _AFTERWORD:
            return
        self.region, self.pending = _CHAPTERS, None
        number, title = read_heading(text, len(self.chapters) + 1)
        self.chapters.append(_Chapter(number=number, title=title))

    def _label(self, label: str) -> None:
        if label in _RELATED_LABELS:
            self.pending = "related"
            return
        name = _LABELS[label]
        if label in _CHAPTER_LABELS and self.region == _PREFACE:
            self.region = _CHAPTERS
        if self.region != _CHAPTERS:
            self.pending = "work:" + name
            return
        chapter = self.chapters[-1] if self.chapters else None
        if chapter is None and label not in _CHAPTER_LABELS:
            self.pending = "work:" + name  # Summary / Notes before any chapter are the work's
        elif label == "end notes" and (chapter is None or not chapter.parts):
            self.pending = "work:end_notes"
        elif name == "notes" and chapter is not None and chapter.parts:
            self.pending = "end_notes"  # older downloads label end notes "Chapter Notes" too
        else:
            self.pending = name

    def _assign(self, slot: str, html: str | None) -> None:
        if not html:
            return
        if slot.startswith("work:"):
            name = slot.removeprefix("work:")
            setattr(self.work, name, _join(getattr(self.work, name), html))
        elif slot != "related":
            chapter = self._chapter()
            setattr(chapter, slot, _join(getattr(chapter, slot), html))

    def _lists(self, element: Element) -> bool:
        if element.tag == "dl" and self.region == _PREFACE and is_tag_list(element):
            read_tag_list(self.work, element)
            return True
        if element.tag == "dl" and any(
            text_of(dt).rstrip(":").strip().casefold() in _RELATED_LABELS for dt in element.iter("dt")
        ):
            for dd in element.iter("dd"):
                self._related(dd, "inspired")
            return True
        if element.tag in ("ul", "ol") and (self.pending == "related" or self.region == _PREFACE):
            default = "inspired" if self.pending == "related" else "inspired_by"
            for item in element.iter("li"):
                self._related(item, default)
            self.pending = None
            return True
        return False

    def _related(self, item: Element, default: str) -> None:
        text = text_of(item)
        relation = default
        for prefix, name in _RELATION_PREFIXES:
            if text.casefold().startswith(prefix):
                relation = name
                break
        links = list(item.iter("a"))
        if links:
            title, url = text_of(links[0]), links[0].get("href")
            authors = [text_of(a) for a in links[1:] if "/users/" in (a.get("href") or "")]
        else:
            title, url, authors = re.sub(r"^[^:]*:\s*", "", text), None, []
            title, _, by = title.partition(" by ")
            authors = [by.strip()] if by.strip() else []
        if title:
            self.work.related.append(RelatedWork(relation, title.strip(), url=url, authors=authors))

    def _preface_line(self, element: Element) -> bool:
        """Lines with no text of the work's own: the message, the byline, 'See the end...'."""
        classes = (element.get("class") or "").split()
        if self.region == _CHAPTERS and "message" not in classes and "byline" not in classes:
            # Here only 'See the end...' is read, from the first words: not a whole chapter's text.
            return (
                "endnote-link" in classes or _SEE_END.match(text_start(element, _SEE_END_CHARS)) is not None
            )
        text = text_of(element)
        if "endnote-link" in classes or _SEE_END.match(text):
            return True
        if "message" in classes or (self.region != _CHAPTERS and _is_message(element, text)):
            self.urls += [a.get("href") or "" for a in element.iter("a")]
            return True
        if self.region == _PREFACE and ("byline" in classes or (self.after_title and text.startswith("by "))):
            self.after_title = False
            links = [text_of(a) for a in element.iter("a")]
            names = links or re.sub(r"^by\b", "", text).split(",")
            self.work.authors += [name.strip() for name in names if name.strip()]
            return True
        if self.region == _CHAPTERS and "byline" in classes:
            self.work.metadata.setdefault("chapter_bylines", {})[str(len(self.chapters))] = text
            return True
        return False

    def _has_structure(self, element: Element) -> bool:
        """Whether a container holds layout (headings, labels, tag lists) to walk into rather than
        being a block of chapter text. AO3's chapter text div is never walked into."""
        classes = (element.get("class") or "").split()
        if "userstuff" in classes and element.get("id") != "chapters":
            return False
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if child.tag in ("h1", "h2") or label_of(child) is not None or child.get("id") in ("afterword",):
                return True
            if child.tag == "dl" or ("message" in (child.get("class") or "").split()):
                return True
            if child.tag in _CONTAINERS and self._has_structure(child):
                return True
        return False

    def _afterword_extra(self, element: Element) -> None:
        if _has_text(element):
            self.work.metadata.setdefault("afterword_extra", []).append(text_of(element))

    @staticmethod
    def _content_html(element: Element) -> str:
        if element.tag == "div" and _UNWRAP_CLASS.match(element.get("class") or ""):
            return inner_html(element)
        return outer_html(element)

    def _content(self, html: str) -> None:
        if not html.strip():
            return
        self.pending = None
        self._chapter().parts.append(html)

    def _chapter(self) -> _Chapter:
        if not self.chapters:
            self.chapters.append(_Chapter(number=1, title=None))
        return self.chapters[-1]

    # -- the result -------------------------------------------------------------------------------

    def finish(self) -> ParsedWork:
        work = self.work
        for chapter in self.chapters:
            html = sanitize_html("\n".join(chapter.parts)).strip()
            work.chapters.append(
                ParsedChapter(
                    number=chapter.number,
                    title=chapter.title,
                    summary=chapter.summary,
                    notes=chapter.notes,
                    end_notes=chapter.end_notes,
                    html=html,
                    words=count_words(html),
                )
            )
        number_from_one(work)
        if not work.chapters_expected and work.status == "complete":
            work.chapters_expected = len(work.chapters)
        return work


def _is_message(element: Element, text: str) -> bool:
    short = len(text) <= _MESSAGE_MAX and not any(child.tag in _BLOCKS for child in element.iterdescendants())
    return short and _MESSAGE.search(text) is not None


def _is_end_notes_box(element: Element) -> bool:
    ident, classes = element.get("id") or "", (element.get("class") or "").split()
    return element.tag in _CONTAINERS and (ident.startswith("endnotes") or "endnotes" in classes)


def _join(old: str | None, new: str) -> str:
    return new if not old else old + "\n" + new
