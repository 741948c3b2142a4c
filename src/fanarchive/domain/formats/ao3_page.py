"""An AO3 work page saved from a browser: `/works/<id>` (a one-shot or the first chapter),
`/works/<id>?view_full_work=true` and `/works/<id>/chapters/<n>`, saved whole (with its `_files`
folder, links made absolute, a "saved from url" comment) or as "HTML only" (links left relative).

The work comes out as AO3's own download reads it, under the same source identity (site
`archiveofourown.org`, the AO3 work id), so that a saved page and a download of one work are one
work in the archive. A chapter page of a multi-chapter work holds that chapter and the whole
chapter list (`select#selected_id`) in `index`: pages imported one by one, or after the full view,
merge by the work id (domain/merge.py). Pages that hold no work (the adult-content warning, the
log-in page of a work for registered users only) are refused with what to do instead."""

from __future__ import annotations

import re
from typing import NoReturn

from lxml.html import HtmlElement as Element

from fanarchive.domain.formats._ao3_fields import number_from_one
from fanarchive.domain.formats._ao3_page_meta import read_identity, read_meta
from fanarchive.domain.formats._ao3_page_text import (
    first,
    has_class,
    read_afterword,
    read_chapters,
    read_preface,
)
from fanarchive.domain.formats._markup import text_of
from fanarchive.domain.formats._mhtml import is_mhtml, unpack_mhtml
from fanarchive.domain.formats.ao3_html import parse_html_document
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.work import IndexEntry, ParsedChapter, ParsedWork, Source

_AO3_NAMES = (b"archive of our own", b"archiveofourown.org")
_WORKSKIN = re.compile(r"id=[\"']?workskin\b")
_ADULT = "could have adult content"
_REGISTERED = "only available to registered users"
# A list of works' blurbs (search results, a tag's or a user's works, bookmarks): no work's text.
_LISTING = re.compile(r"class=[\"'][^\"']*\b(?:work|bookmark) index group\b")
_MHTML_WORK = re.compile(rb"Content-Location:\s*https?://[^/\s]*archiveofourown\.\w+/works/\d+", re.I)
_OPTION = re.compile(r"^(\d+)\.\s*(.*)$")
_TITLE_SUFFIX = re.compile(r"\s*\[Archive of Our Own\]\s*$", re.I)


class AO3PageParser:
    name = "ao3-page"
    surest = 0.97
    description = "an AO3 work page saved from a browser (whole work, one chapter, HTML only, or MHTML)"

    def sniff(self, source: SourceFile) -> float:
        if is_mhtml(source.head(4096)):
            # The page inside is quoted-printable: its address in the headers says whose it is.
            return 0.97 if _MHTML_WORK.search(source.head(4096)) else 0.0
        head = source.head_text(262144)
        # Lower-cased and searched as plain text: a case-blind regex over 256 KB was a tenth of
        # the parse of every file that is not an AO3 page, since every file is sniffed by all readers.
        # The UTF-8 bytes are lowered (ASCII only), at a tenth of str.lower()'s cost on text that is
        # not ASCII, and find the names exactly where it would: outside ASCII only U+0130 and U+212A
        # lower to ASCII letters ("i" and a combining dot, "k"), and neither can stand in a name.
        lowered = source.head_utf8(262144).lower()
        if not any(name in lowered for name in _AO3_NAMES):
            return 0.0
        if _WORKSKIN.search(head) or "work meta group" in head:
            return 0.97
        # Pages that stand where a work would: read, so that the refusal says what they are.
        if _ADULT in head or _REGISTERED in head or _LISTING.search(head):
            return 0.9
        return 0.0

    def parse(self, source: SourceFile) -> list[ParsedWork]:
        location = None
        if is_mhtml(source.head(4096)):
            page = unpack_mhtml(source.data)
            source, location = SourceFile(name=source.name, data=page.html), page.location
        text = source.text()
        root = parse_html_document(text)
        # The work skin's div holds the preface, chapters and afterword; a page whose skin div is
        # missing (an edited or partly saved page) still has them in the main region.
        skin = first(root, "//div[@id='workskin']")
        if skin is None and root.xpath("//div[@id='main']//div[@id='chapters']"):
            skin = first(root, "//div[@id='main']")
        if skin is None:
            _refuse(root)
        chapters_div = first(skin, ".//div[@id='chapters']")
        if chapters_div is None:
            raise ParseError(
                "div#workskin has no div#chapters: the page holds no work text (saved before it loaded?)"
            )
        chapters = read_chapters(chapters_div)
        if not chapters:
            raise ParseError("div#chapters holds no chapter text")
        work = ParsedWork(title="", chapters=chapters)
        meta = first(root, f"//dl[{has_class('work')} and {has_class('meta')}]")
        if meta is not None:
            read_meta(work, meta)
        else:
            work.doubts.append(
                "The page has no work meta list (dl.work.meta): no tags, dates or stats were read."
            )
        preface = first(
            skin,
            f".//div[{has_class('preface')} and not({has_class('chapter')}) and not({has_class('afterword')})]",
        )
        if preface is not None:
            read_preface(work, preface)
        read_afterword(work, skin)
        _finish(work, root, text, location)
        return [work]


def _refuse(root: Element) -> NoReturn:
    page = text_of(root)
    if _ADULT in page:
        raise ParseError(
            "an AO3 'adult content' warning page, saved before 'Yes, Continue' was chosen: it holds no work "
            "text. Open the work, choose 'Yes, Continue' and save that page."
        )
    if _REGISTERED in page:
        raise ParseError(
            "an AO3 log-in page: the work is only available to registered users and the page was saved "
            "while logged out, so it holds no work text. Log in, open the work and save it again."
        )
    if root.xpath(f"//ol[{has_class('index')} and {has_class('group')}]/li[{has_class('blurb')}]"):
        raise ParseError(
            "an AO3 list of works (search results, a tag's, a user's or bookmarked works): it holds "
            "only their summaries. Open each work and save its page (or its download)."
        )
    raise ParseError("no div#workskin: not an AO3 work page")


def _finish(work: ParsedWork, root: Element, text: str, location: str | None) -> None:
    if not work.title:
        head_title = first(root, "//head/title")
        full = _TITLE_SUFFIX.sub("", text_of(head_title)) if head_title is not None else ""
        work.title = full.split(" - ")[0].strip() or "Untitled"
        work.doubts.append(
            "The page has no title heading (h2.title); the title was taken from the page title."
        )
    if not work.authors:
        work.doubts.append("The page's byline names no author.")
    _read_index(work, root)
    number_from_one(work)
    if not work.chapters_expected and work.status == "complete":
        work.chapters_expected = len(work.chapters)
    identity = read_identity(root, text, location)
    url = f"https://{identity.site}/works/{identity.work_id}" if identity.work_id else None
    work.source = Source(format="ao3-page", site=identity.site, url=url, id=identity.work_id)
    if identity.page_url:
        work.metadata["saved_from"] = identity.page_url
    if identity.work_id is None:
        work.doubts.append(
            "The page names no AO3 work id (no saved-from address, kudos form or work links): it cannot be "
            "matched with other copies of the work."
        )
    for chapter in work.chapters:
        if not chapter.html:
            work.doubts.append(f"Chapter {chapter.number} has no text on the page.")


def _read_index(work: ParsedWork, root: Element) -> None:
    """A chapter page's chapter list (`select#selected_id`, options `N. Title`) becomes `index`, so
    that the page is known as one part of the work; the shown chapter is checked against it."""
    options = root.xpath("//select[@id='selected_id']/option")
    if len(options) <= 1 or len(work.chapters) != 1:
        return
    shown: IndexEntry | None = None
    for option in options:
        label = text_of(option)
        found = _OPTION.match(label)
        entry = IndexEntry(
            number=int(found.group(1)) if found else len(work.index) + 1,
            title=found.group(2) if found else label,
        )
        work.index.append(entry)
        if option.get("selected") is not None:
            shown = entry
    chapter: ParsedChapter = work.chapters[0]
    if shown is not None and shown.number != chapter.number:
        work.doubts.append(
            f"The chapter list selects chapter {shown.number} but the page's chapter says {chapter.number}; "
            f"it was kept as chapter {chapter.number}."
        )


PARSERS = [AO3PageParser()]
