"""What an AO3 work page holds inside `div#workskin`: the preface (title, byline, summary, notes and
the notes' associations), the chapters under `div#chapters` and the afterword (work end notes and
the works inspired by this one).

Each piece is taken from its own module's `blockquote.userstuff`, so the modules' headings
("Summary:", "Notes:"), the "(See the end of the chapter for more notes.)" jump links and the
"Chapter Text" landmark never reach the text."""

from __future__ import annotations

import copy
import re

from lxml.html import HtmlElement as Element

from fanarchive.domain.formats._ao3_fields import read_heading
from fanarchive.domain.formats._markup import inner_html, text_of
from fanarchive.domain.sanitize import sanitize_html, sanitize_optional
from fanarchive.domain.text import count_words
from fanarchive.domain.work import ParsedChapter, ParsedWork, RelatedWork

_CHAPTER_ID = re.compile(r"^chapter-(\d+)$")
_RELATIONS = (
    ("inspired by", "inspired_by"),
    ("a translation of", "translation_of"),
    ("translation of", "translation_of"),
)
_ARCHIVED_BY = re.compile(r"^(.*?)\s*\[archived by\b", re.I)
_USER_PSEUD = re.compile(r"/users/([^/?#]+)/pseuds/([^/?#]+)")


def has_class(name: str) -> str:
    """An XPath test for one class among several."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def first(root: Element, xpath: str) -> Element | None:
    """The first element an XPath finds, or None."""
    found = root.xpath(xpath)
    return found[0] if found else None


def _module_text(module: Element | None) -> str | None:
    if module is None:
        return None
    quote = first(module, f"./blockquote[{has_class('userstuff')}]")
    return sanitize_optional(inner_html(quote)) if quote is not None else None


def read_preface(work: ParsedWork, preface: Element) -> None:
    title = first(preface, f"./h2[{has_class('title')}]")
    if title is not None:
        work.title = text_of(title)
    byline = first(preface, f"./h3[{has_class('byline')}]")
    if byline is not None:
        _read_byline(work, byline)
    work.summary = _module_text(first(preface, f"./div[{has_class('summary')}]"))
    notes = first(preface, f"./div[{has_class('notes')}]")
    work.notes = _module_text(notes)
    if notes is not None:
        for item in notes.xpath(f"./ul[{has_class('associations')}]/li"):
            _association(work, item)


def _read_byline(work: ParsedWork, byline: Element) -> None:
    """`<a rel="author">pseud (user)</a>, ...`; "Anonymous"; or an imported work's
    `Name [archived by <a>archivist</a>]`."""
    links = byline.xpath(".//a[@rel='author']") or byline.xpath(".//a")
    archived = _ARCHIVED_BY.match(text_of(byline))
    if archived and archived.group(1):
        work.authors.append(archived.group(1))
        work.metadata["archived_by"] = [text_of(a) for a in links]
        return
    if not links:
        work.authors += [name.strip() for name in text_of(byline).split(",") if name.strip()]
        return
    accounts = []
    for link in links:
        name = text_of(link)
        if not name:
            continue
        # The byline's text is the name the download gives too, so both forms credit one creator.
        work.authors.append(name)
        found = _USER_PSEUD.search(link.get("href") or "")
        if found:
            accounts.append({"name": name, "user": found.group(1), "pseud": found.group(2)})
    if accounts:
        work.metadata["author_accounts"] = accounts


def _association(work: ParsedWork, item: Element) -> None:
    """One line of the notes' `ul.associations`: a gift, a work this one is inspired by or
    translates, a prompt it answers. The related works become `related`; the rest is kept."""
    text = text_of(item)
    key = text.casefold()
    for prefix, relation in _RELATIONS:
        if key.startswith(prefix):
            links = list(item.iter("a"))
            title_link = next((a for a in links if "/works/" in (a.get("href") or "")), None)
            authors = [text_of(a) for a in links if "/users/" in (a.get("href") or "")]
            title = text_of(title_link) if title_link is not None else text[len(prefix) :].strip(" .")
            url = title_link.get("href") if title_link is not None else None
            work.related.append(RelatedWork(relation, title, url=url, authors=authors))
            return
    if key.startswith("for "):
        work.metadata.setdefault("gifted_to", []).extend(text_of(a) for a in item.iter("a"))
        return
    work.metadata.setdefault("associations", []).append(text)


def read_afterword(work: ParsedWork, skin: Element) -> None:
    work.end_notes = _module_text(first(skin, ".//div[@id='work_endnotes']"))
    for item in skin.xpath(".//div[@id='children']//li"):
        links = list(item.iter("a"))
        if not links or not text_of(links[0]):
            continue
        authors = [text_of(a) for a in links[1:] if "/users/" in (a.get("href") or "")]
        work.related.append(
            RelatedWork("inspired", text_of(links[0]), url=links[0].get("href"), authors=authors)
        )


def read_chapters(chapters: Element) -> list[ParsedChapter]:
    """Every `div.chapter` (`id="chapter-N"`) of the full view or the one of a chapter page; a
    one-shot has no such div, only the text."""
    blocks = chapters.xpath(f"./div[{has_class('chapter')}]")
    if not blocks:
        text = first(chapters, f"./div[{has_class('userstuff')}]")
        return [_chapter(1, None, text)] if text is not None else []
    result = []
    for position, block in enumerate(blocks, start=1):
        found = _CHAPTER_ID.match(block.get("id") or "")
        number = int(found.group(1)) if found else position
        heading = first(block, f"./div[{has_class('preface')}]/h3[{has_class('title')}]")
        title = None
        if heading is not None:
            number, title = read_heading(text_of(heading), number)
        text = first(block, f"./div[{has_class('userstuff')}]")
        chapter = _chapter(number, title, text)
        prefaces = block.xpath(f"./div[{has_class('preface')}]")
        chapter.summary = _module_text(_first_in(prefaces, f"./div[{has_class('summary')}]"))
        chapter.notes = _module_text(
            _first_in(prefaces, f"./div[{has_class('notes')} and not({has_class('end')})]")
        )
        chapter.end_notes = _module_text(
            _first_in(prefaces, f"./div[{has_class('end')} and {has_class('notes')}]")
        )
        result.append(chapter)
    return result


def _first_in(roots: list[Element], xpath: str) -> Element | None:
    for root in roots:
        found = first(root, xpath)
        if found is not None:
            return found
    return None


def _chapter(number: int, title: str | None, text: Element | None) -> ParsedChapter:
    html = ""
    if text is not None:
        body = copy.deepcopy(text)
        for landmark in body.xpath(f"./h3[{has_class('landmark')}]"):
            landmark.drop_tree()  # its tail stays, as the text's next words
        html = sanitize_html(inner_html(body)).strip()
    return ParsedChapter(number=number, title=title, html=html, words=count_words(html))
