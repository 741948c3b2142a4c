"""An eFiction archive's printable story page (viewstory.php?action=printable&sid=N) as HTML.

Skins change the markup freely, so nothing here depends on it beyond what eFiction itself puts
in: the `TITLE by <a href="viewuser.php?uid=N">AUTHOR</a>` byline, the field labels (`Summary:`,
`Categories:`, `Word count:`, ...; usually `<span class="label">`), one `chaptertitle` (or a
heading ending `by AUTHOR`) per chapter, `Author's Notes:` and `End Notes:` labels, and the
chapter text in `div.chapter` (`#story` on some skins). Those elements are swapped for marker
characters, the page is serialised once, and the pieces between markers become the fields,
notes and chapter texts: an unbalanced piece is mended by the sanitiser."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import lxml.etree
import lxml.html

from fanarchive.domain.formats._efiction_fields import apply_fields
from fanarchive.domain.formats._html_blocks import check_markup
from fanarchive.domain.formats._markup import text_of
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.sanitize import sanitize_html
from fanarchive.domain.text import DecodeError, count_words, decode_bytes, html_to_text
from fanarchive.domain.work import ParsedChapter, ParsedWork, Source
from fanarchive.domain.xml_text import xml_safe

_OPEN, _CLOSE = "\ue000", "\ue001"
_MARKER = re.compile(f"{_OPEN}([^{_CLOSE}]*){_CLOSE}")
_LABEL = re.compile(r"^\s*([A-Z][A-Za-z' ]{1,30}?)\s*:\s*$")
_KNOWN_LABELS = frozenset(
    {"Summary", "Rated", "Rating", "Categories", "Characters", "Genre", "Genres", "Warning", "Warnings",
     "Pairing", "Pairings", "Series", "Challenges", "Chapters", "Completed", "Word count", "Read",
     "Reviews", "Published", "Updated", "Story Notes", "Author's Notes", "Author's Chapter Notes",
     "Chapter Notes", "End Notes", "Chapter End Notes"}
)  # fmt: skip
_NOTES = frozenset({"Author's Notes", "Author's Chapter Notes", "Chapter Notes"})
_END_NOTES = frozenset({"End Notes", "Chapter End Notes"})
_NUMBERS = frozenset({"Chapters", "Word count", "Read", "Reviews"})
_MARKUP_FIELDS = ("Summary", "Story Notes")
_SID = re.compile(r"viewstory\.php\?(?:[^\"'\s>]*&(?:amp;)?)?sid=(\d+)")
_STORY_URL = re.compile(r"(https?://[^\s\"'<>]+?)/viewstory\.php\?[^\s\"'<>]*?sid=(\d+)")
_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w-]+)", re.I)
_UNICODE_SAFE = frozenset(
    {"utf-8", "utf8", "iso-8859-1", "latin1", "latin-1", "windows-1252", "cp1252", "us-ascii"}
)
# Page furniture around the story: the printable template's copyright and "archived at" lines,
# back-to-top links, and the jump menus and review forms some skins print.
_WRAPPERS = frozenset({"notes", "title", "noteinfo", "chapter", "content", "infobox", "storyinfo"})
_BLOCK = re.compile(r"<(?:p|div|blockquote|h[1-6]|ul|ol|table|hr|pre|center)\b", re.I)
_BREAKS = re.compile(r"(?:<br\s*/?>\s*){2,}", re.I)
_FURNITURE = re.compile(
    r"\b(copyright|archivedat|toplink|footer|skinfooter|jumpmenu\d?|respond|reviewform)\b", re.I
)


@dataclass
class _Chapter:
    title: str | None
    parts: dict[str, list[str]] = field(default_factory=lambda: {"notes": [], "text": [], "end_notes": []})


def _decode(data: bytes) -> str:
    declared = _CHARSET.search(data[:4096])
    name = declared.group(1).decode("ascii").lower() if declared else ""
    if name and name not in _UNICODE_SAFE:
        try:
            codecs.lookup(name)
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
    # UTF-8 when the bytes are UTF-8, else Windows-1252 (what "iso-8859-1" pages really hold).
    try:
        text, _encoding = decode_bytes(data)
    except (DecodeError, UnicodeError) as error:
        raise ParseError(str(error)) from None
    return re.sub(r"^\s*<\?xml[^>]*\?>", "", text)


def _paragraphs(html: str) -> str:
    """Sanitised HTML whose bare text and `<br><br>` runs become paragraphs, as eFiction's editor
    and its plain-text chapters leave them."""
    html = sanitize_html(html).strip()
    html = re.sub(r"^(?:<br\s*/?>\s*)+|(?:\s*<br\s*/?>)+$", "", html)
    if not html or _BLOCK.search(html):
        return html
    parts = [part.strip() for part in _BREAKS.split(html)]
    return "\n".join(f"<p>{part}</p>" for part in parts if part)


def _classes(element: lxml.html.HtmlElement) -> set[str]:
    return set((element.get("class") or "").lower().split())


def _put_before(element: lxml.html.HtmlElement, marker: str) -> None:
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + marker
        return
    parent = element.getparent()
    if parent is not None:
        parent.text = (parent.text or "") + marker


def _replace(element: lxml.html.HtmlElement, marker: str) -> None:
    _put_before(element, marker)
    element.drop_tree()


def _mark(kind: str, value: str = "") -> str:
    return f"{_OPEN}{kind}{value}{_CLOSE}"


def _image_name(link: lxml.html.HtmlElement) -> str:
    return next((" ".join((img.get("alt") or "").split()) for img in link.iter("img") if img.get("alt")), "")


def _split_byline(full: str) -> tuple[str, str]:
    """(title, author) from `TITLE by AUTHOR`; the last ` by ` splits, as titles may hold one too.
    An image-only author link leaves the text ending in a bare `by`."""
    if found := re.match(r"^(.*)\sby(?:\s(.*))?$", full):
        return found.group(1).strip(), (found.group(2) or "").strip()
    return full.strip(), ""


def _site_and_sid(text: str) -> tuple[str | None, str | None, str | None]:
    """(site, story URL, sid) from any absolute viewstory.php link the page or its "saved from" and
    "archived at" lines carry; a relative link gives the sid alone."""
    if found := _STORY_URL.search(text):
        base, sid = found.group(1), found.group(2)
        try:
            parts = urlsplit(base)
        except ValueError:  # a bracketed host that is no IPv6 address: no site, but still the sid
            return None, None, sid
        return parts.netloc + parts.path.rstrip("/"), f"{base}/viewstory.php?sid={sid}", sid
    sid_only = _SID.search(text)
    return None, None, sid_only.group(1) if sid_only else None


class EfictionHtmlParser:
    name = "efiction-html"
    surest = 0.9
    description = "an eFiction printable story page saved as HTML"

    def sniff(self, source: SourceFile) -> float:
        # bytes.lower() lowers ASCII only; the markers are ASCII, and Latin-1's lower() maps no
        # other byte to ASCII, so this is the decode-and-lower it replaced, without the decode.
        head = source.head(32768).lower()
        if b"<" not in head or b"viewuser.php" not in head:
            return 0.0
        markers = sum(
            marker in head
            for marker in (b'id="pagetitle"', b"chaptertitle", b"viewstory.php", b"browse.php?type=categories",
                           b"word count:", b"completed:", b"summary:", b"author's notes:")
        )  # fmt: skip
        return 0.9 if markers >= 3 else (0.5 if markers else 0.0)

    def parse(self, source: SourceFile) -> list[ParsedWork]:
        # The page's own private-use characters would be taken for the markers set below.
        # Control characters are dropped first: lxml takes them from the parser, then refuses them when
        # the markers below set an element's tail.
        text = xml_safe(_decode(source.data)).replace(_OPEN, "").replace(_CLOSE, "")
        check_markup(text)
        try:
            document = lxml.html.document_fromstring(text)
        except (lxml.etree.ParserError, ValueError) as error:
            raise ParseError(f"not readable as HTML ({error})") from None
        site, url, sid = _site_and_sid(text)
        byline = self._byline(document)
        links = [a for a in byline.iter("a") if "viewuser.php" in (a.get("href") or "")]
        # An author link may be an image (an avatar): its alt text, if any, is the name.
        authors = [name for a in links if (name := text_of(a) or _image_name(a))]
        title, named = _split_byline(text_of(byline))
        if not authors and named:
            authors = [named]
        if not title or not (authors or links):
            raise ParseError("the page title is not `TITLE by AUTHOR`: not an eFiction printable page")
        work = ParsedWork(
            title=title, authors=authors, source=Source(self.name, site, url, sid if site else None)
        )
        if sid:
            work.metadata["sid"] = int(sid)
        if not authors:
            work.doubts.append(
                "The byline's author link shows no name (an image without alt text?); no author was set."
            )
        for element in list(document.iter()):
            # The root has no parent to drop it from (lxml asserts); a page whose root is page
            # furniture is caught below, when no byline or chapter is left in it.
            if (
                element.getparent() is not None
                and isinstance(element.tag, str)
                and (
                    element.tag in ("script", "style", "head", "noscript")
                    or _FURNITURE.search(f"{element.get('id', '')} {element.get('class', '')}")
                )
            ):
                element.drop_tree()
        if byline.getparent() is None:
            raise ParseError("not an eFiction printable page: the byline is the whole document")
        _replace(byline, _mark("T"))
        for entry in list(document.iter("p", "li", "div")):
            # The table of contents some printable pages put before the chapters.
            if re.match(r"^\d+\.\s.+\sby\s", text_of(entry)) and any(
                "viewuser.php" in (a.get("href") or "") for a in entry.iter("a")
            ):
                entry.drop_tree()
        chapters = self._mark_chapters(document, authors)
        self._mark_labels(document)
        for element in list(document.iter("div", "section", "article", "span")):
            if "chapter" in _classes(element) or element.get("id") == "story":
                _put_before(element, _mark("X"))
            # The template's own wrappers would otherwise be cut in half by the markers.
            if _classes(element) & _WRAPPERS or element.get("id") == "story":
                element.drop_tag()
        body = document.body if document.find("body") is not None else document
        fields, markup, parsed = self._split(lxml.html.tostring(body, encoding="unicode"), chapters, work)
        apply_fields(work, fields, markup)
        work.chapters = parsed
        if not parsed:
            ending = f", or a heading ending `by {authors[0]}`" if authors else ""
            raise ParseError(f"no chapter heading (`chaptertitle`{ending}) was found")
        return [work]

    @staticmethod
    def _byline(document: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
        found = document.get_element_by_id("pagetitle", None)
        if found is not None:
            return found
        for link in document.iter("a"):
            if "viewuser.php" not in (link.get("href") or ""):
                continue
            element = link.getparent()
            while element is not None and " by " not in text_of(element):
                element = element.getparent()
            if element is not None:
                return element
        raise ParseError(
            "no `TITLE by AUTHOR` byline with an eFiction author link (viewuser.php) was found: "
            "not an eFiction printable page"
        )

    @staticmethod
    def _mark_chapters(document: lxml.html.HtmlElement, authors: list[str]) -> list[str | None]:
        headings = [e for e in document.iter() if isinstance(e.tag, str) and "chaptertitle" in _classes(e)]
        if not headings and authors:
            # Skins without the class: headings that end `by AUTHOR`, never the table of contents'
            # `N. TITLE by AUTHOR` lines.
            ending = re.compile(rf"\sby\s+{re.escape(authors[0])}(?:\s*(?:,|and|&)\s*.+)?$")
            headings = [
                e for e in document.iter("h1", "h2", "h3", "h4", "h5", "h6", "div", "p")
                if ending.search(text_of(e)) and not re.match(r"^\d+\.\s", text_of(e))
                and not any(ending.search(text_of(child)) for child in e.iterchildren() if isinstance(child.tag, str))
            ]  # fmt: skip
        titles: list[str | None] = []
        for heading in headings:
            full = text_of(heading)
            name = full.rsplit(" by ", 1)[0] if " by " in full else full
            titles.append(re.sub(r"^Chapter \d+:\s*", "", name).strip() or None)
            _replace(heading, _mark("C", str(len(titles) - 1)))
        return titles

    @staticmethod
    def _mark_labels(document: lxml.html.HtmlElement) -> None:
        for element in list(document.iter("span", "b", "strong", "em", "i", "div", "dt", "th", "label", "u")):
            match = _LABEL.match(element.text_content())
            if match is None or element.getparent() is None:
                continue
            label = " ".join(match.group(1).split())
            if label in _KNOWN_LABELS or "label" in _classes(element):
                _replace(element, _mark("L", label))

    @staticmethod
    def _pieces(html: str) -> Iterator[tuple[str, str]]:
        """("", html) for markup between markers, (marker kind + value, "") for each marker."""
        position = 0
        for match in _MARKER.finditer(html):
            yield "", html[position : match.start()]
            yield match.group(1), ""
            position = match.end()
        yield "", html[position:]

    def _split(
        self, html: str, titles: list[str | None], work: ParsedWork
    ) -> tuple[dict[str, str], dict[str, str], list[ParsedChapter]]:
        header: dict[str, list[str]] = {}
        chapters: list[_Chapter] = []
        label: str | None = None
        started = False
        part = "text"
        for marker, piece in self._pieces(html):
            if marker == "T":
                started = True
            elif marker.startswith("C"):
                chapters.append(_Chapter(titles[int(marker[1:])]))
                part = "text"
            elif marker == "X":
                part = "text"
            elif marker.startswith("L") and chapters:
                name = marker[1:]
                part = "notes" if name in _NOTES else "end_notes" if name in _END_NOTES else part
                if name not in _NOTES | _END_NOTES:
                    chapters[-1].parts[part].append(f"{name}: ")
            elif marker.startswith("L"):
                label = marker[1:]
                header.setdefault(label, [])
            elif chapters:
                chapters[-1].parts[part].append(piece)
            elif started and label is not None:
                header[label].append(piece)
        fields, markup = self._fields(header)
        return fields, markup, [self._chapter(work, n, c) for n, c in enumerate(chapters, start=1)]

    @staticmethod
    def _fields(header: dict[str, list[str]]) -> tuple[dict[str, str], dict[str, str]]:
        fields: dict[str, str] = {}
        markup: dict[str, str] = {}
        for label, pieces in header.items():
            html = "".join(pieces)
            text = html_to_text(sanitize_html(html))
            if label in _MARKUP_FIELDS:
                markup[label] = _paragraphs(html)
                fields[label] = text
                continue
            # A field runs to the end of its line: what follows on later lines (a table of
            # contents after `Updated:`) is not part of it.
            value = next((line.strip() for line in text.split("\n") if line.strip()), "")
            if label in ("Rated", "Rating") and (
                reviews := re.search(r"\[\s*Reviews\s*-\s*([\d,]+)\s*\]", value)
            ):
                fields["Reviews"] = reviews.group(1)
                value = value[: reviews.start()].strip()
            if label in _NUMBERS:
                leading = re.match(r"[\d,]+", value)
                value = leading.group(0) if leading else ""
            fields[label] = value
        return fields, markup

    @staticmethod
    def _chapter(work: ParsedWork, number: int, chapter: _Chapter) -> ParsedChapter:
        notes, text, end_notes = (
            _paragraphs("".join(chapter.parts[k])) for k in ("notes", "text", "end_notes")
        )
        if notes and not html_to_text(text):
            work.doubts.append(
                f"Chapter {number}'s author's notes could not be told from its text; all of it was read as text."
            )
            notes, text = "", notes
        return ParsedChapter(
            number=number,
            title=chapter.title,
            notes=notes if html_to_text(notes) else None,
            end_notes=end_notes if html_to_text(end_notes) else None,
            html=text,
            words=count_words(text),
        )


PARSERS = [EfictionHtmlParser()]
