"""A FanFiction.Net or FictionPress chapter page saved as HTML (`/s/ID/N/slug`).

`#profile_top` holds the title (`b.xcontrast_txt`), the author link (`/u/ID/name`), the summary
(`div.xcontrast_txt`) and the metadata line (see _ffn_meta); `#pre_story_links` the breadcrumb to
the fandom; `select#chap_select` the whole chapter list; `#storytext` the one chapter the page shows.
The work comes out with that chapter at its real number and the chapter list in `index`, so that
pages of one story, imported together or one by one, merge by the story id (domain/merge.py)."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re
from collections.abc import Callable
from typing import Any

import lxml.html

from fanarchive.domain.formats._ao3_fields import site_of
from fanarchive.domain.formats._ffn_meta import apply_meta, read_meta_line
from fanarchive.domain.formats._html_blocks import check_markup
from fanarchive.domain.formats._markup import inner_html, text_of
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.sanitize import sanitize_html
from fanarchive.domain.tags import TagKind
from fanarchive.domain.text import count_words
from fanarchive.domain.work import IndexEntry, ParsedChapter, ParsedWork, Source

_SITES = ("fanfiction.net", "fictionpress.com")
_STORY_URL = re.compile(r"/s/(\d+)(?:/(\d+))?")
_AUTHOR_URL = re.compile(r"/u/(\d+)")
_OPTION = re.compile(r"^(\d+)\.\s*(.*)$")
_XUTIME_SPAN = re.compile(r"<span[^>]*\bdata-xutime=['\"]?(\d+)['\"]?[^>]*>.*?</span>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_CROSSOVER = re.compile(r"^(?:Crossover\s*[-:»]\s*(.+)|(.+?)\s+Crossover)$", re.I)


def _first(root: Any, xpath: str) -> Any:
    found = root.xpath(xpath)
    return found[0] if found else None


def _site_of(url: str | None, page_text: str) -> str:
    """The bare site whatever host the page was saved from (`www.`, `m.`, a scheme-less link)."""
    if url:
        host = site_of(url if "//" in url else f"//{url}") or ""
        for site in _SITES:
            if host == site or host.endswith("." + site):
                return site
        # An address too malformed to split still names its site.
        for site in _SITES:
            if not host and site in url.lower():
                return site
    # A saved page without a canonical link still names its site in links and its <title>.
    return "fictionpress.com" if "fictionpress" in page_text[:20000].lower() else "fanfiction.net"


class FfnHtmlParser:
    name = "ffn-html"
    surest = 0.95
    description = "a FanFiction.Net or FictionPress chapter page saved as HTML"

    def __init__(self, today: Callable[[], dt.date] = dt.date.today) -> None:
        # Yearless and relative dates ("5/17", "8h ago") are read against this day.
        self.today = today

    def sniff(self, source: SourceFile) -> float:
        head = source.head_text(262144)
        # Both sure answers need the profile block: without its name, the regexes are not run.
        if "profile_top" not in head:
            return 0.0
        has_profile = re.search(r"id=['\"]?profile_top\b", head) is not None
        has_story = re.search(r"id=['\"]?(?:storytext|chap_select)\b", head) is not None
        if has_profile and has_story:
            return 0.95
        if has_profile and re.search(r"fanfiction\.net|fictionpress\.com", head, re.I):
            return 0.85
        return 0.0

    def parse(self, source: SourceFile) -> list[ParsedWork]:
        text = source.text()
        check_markup(text)
        try:
            root = lxml.html.document_fromstring(text)
        except (ValueError, lxml.etree.ParserError) as error:
            raise ParseError(f"not an HTML page: {error}") from None
        profile = _first(root, "//*[@id='profile_top']")
        if profile is None:
            raise ParseError("no #profile_top block: not a FanFiction.Net story page")
        storytext = _first(root, "//*[@id='storytext']")
        if storytext is None:
            raise ParseError("no #storytext block: the page holds no chapter text (truncated page?)")
        title_el = _first(profile, ".//b[contains(concat(' ', @class, ' '), ' xcontrast_txt ')]")
        if title_el is None or not text_of(title_el):
            raise ParseError("#profile_top has no title (b.xcontrast_txt)")
        url = self._url(root)
        work = ParsedWork(title=text_of(title_el), source=Source(format=self.name, url=url))
        work.source.site = _site_of(url, text)
        self._byline(work, profile)
        self._meta(work, profile)
        self._fandoms(work, root)
        if work.source.id is None and url and (match := _STORY_URL.search(url)):
            work.source.id = match.group(1)
        number, chapter_title = self._index(work, root, url)
        html = sanitize_html(inner_html(storytext)).strip()
        work.chapters.append(
            ParsedChapter(number=number, title=chapter_title, html=html, words=count_words(html))
        )
        return [work]

    @staticmethod
    def _url(root: Any) -> str | None:
        for xpath in ("//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content"):
            found = root.xpath(xpath)
            if found:
                return str(found[0]).strip() or None
        return None

    @staticmethod
    def _byline(work: ParsedWork, profile: Any) -> None:
        author = _first(profile, ".//a[contains(@href, '/u/')]")
        if author is not None and text_of(author):
            work.authors.append(text_of(author))
            if match := _AUTHOR_URL.search(str(author.get("href"))):
                work.metadata["author_id"] = match.group(1)
        else:
            work.doubts.append("The page has no author link; no author was set.")
        summary = _first(profile, "./div[contains(concat(' ', @class, ' '), ' xcontrast_txt ')]")
        if summary is not None and text_of(summary):
            work.summary = sanitize_html(f"<p>{inner_html(summary).strip()}</p>") or None

    def _meta(self, work: ParsedWork, profile: Any) -> None:
        span = _first(profile, ".//span[contains(., 'Rated:')]")
        if span is None:
            work.doubts.append(
                "The page has no `Rated: …` metadata line; rating, dates and stats are unknown."
            )
            return
        markup = _XUTIME_SPAN.sub(lambda m: f"@{m.group(1)}", lxml.html.tostring(span, encoding="unicode"))
        line = htmllib.unescape(_TAG.sub("", markup))
        apply_meta(work, read_meta_line(line), self.today())

    @staticmethod
    def _fandoms(work: ParsedWork, root: Any) -> None:
        links = [text_of(a) for a in root.xpath("//*[@id='pre_story_links']//a") if text_of(a)]
        if not links:
            work.doubts.append("The page has no fandom breadcrumb (#pre_story_links); no fandom was set.")
            return
        work.metadata["breadcrumb"] = links
        last = links[-1]
        if work.source.site == "fictionpress.com":
            # FictionPress holds original fiction: its breadcrumb is a genre shelf, not a fandom.
            work.add_tag(TagKind.FANDOM, "Original Work")
            work.add_tag(TagKind.FREEFORM, last)
        elif match := _CROSSOVER.match(last):
            names = re.split(r"\s+(?:&|\+)\s+", (match.group(1) or match.group(2)).strip())
            for name in names:
                work.add_tag(TagKind.FANDOM, name.strip())
        elif len(links) == 1 and last.lower() in ("crossover", "crossovers"):
            work.doubts.append("The crossover breadcrumb names no fandoms; none was set.")
        else:
            work.add_tag(TagKind.FANDOM, last)

    @staticmethod
    def _index(work: ParsedWork, root: Any, url: str | None) -> tuple[int, str | None]:
        """The full chapter list into work.index; returns the shown chapter's number and title."""
        select = _first(root, "//select[@id='chap_select']")
        url_number = None
        if url and (match := _STORY_URL.search(url)) and match.group(2):
            url_number = int(match.group(2))
        if select is None:
            if work.stats.get("chapters", 1) > 1:
                work.doubts.append(
                    "The page has no chapter selector although the story has several chapters; "
                    "the chapter number was taken from the page address."
                )
            return url_number or 1, None
        shown: tuple[int, str | None] | None = None
        for option in select.xpath("./option"):
            label = text_of(option)
            match = _OPTION.match(label)
            number = int(match.group(1)) if match else len(work.index) + 1
            title = match.group(2) if match else label
            work.index.append(IndexEntry(number=number, title=title))
            if option.get("selected") is not None:
                shown = (number, title or None)
        if shown is None:
            number = url_number or 1
            titles = {entry.number: entry.title for entry in work.index}
            work.doubts.append(f"No chapter is selected in the chapter list; chapter {number} was assumed.")
            shown = (number, titles.get(number) or None)
        if len(work.index) <= 1:
            work.index = []
        return shown


PARSERS = [FfnHtmlParser()]
