"""The parts of an AO3 work page (the site's page, as a browser saves it) that sit outside the work
skin: the `dl.work.meta.group` of tags, series, collections and stats, and the work's identity.

The meta list is read by its `dd` classes (`rating tags`, `language`, `series`, `stats`, ...),
which are the site's own and do not change with the interface language, rather than by the
labels the download uses. The work id is read only from places that name THIS work (the browser's
"saved from" comment, the canonical link, the kudos form, the work's action bar and its chapter
headings): a work's notes link to other works too."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement as Element

from fanarchive.domain.formats._ao3_fields import add_tags, read_stats, site_of, tag_names
from fanarchive.domain.formats._markup import text_of
from fanarchive.domain.tags import TagKind
from fanarchive.domain.work import ParsedWork, SeriesRef

AO3_SITE = "archiveofourown.org"
# Other names the same archive answers to; a page saved from one is the same work.
_AO3_ALIASES = frozenset({"ao3.org", "archiveofourown.com", "archiveofourown.net", "archiveofourown.gay"})
_KINDS = {kind.value: kind for kind in TagKind}
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.I)
_WORK_PATH = re.compile(r"/works/(\d+)")
_DOWNLOAD_PATH = re.compile(r"/downloads/(\d+)/")
_PART = re.compile(r"Part\s+(\d+)\s+of", re.I)


def read_meta(work: ParsedWork, meta: Element) -> None:
    """The `dl.work.meta.group`: every `dd` by its class; a kind the reader does not know is kept
    in metadata under its label."""
    extra: dict[str, str] = {}
    for dd in meta.xpath("./dd"):
        classes = (dd.get("class") or "").split()
        kind = next((_KINDS[name] for name in classes if name in _KINDS), None)
        if kind is not None and "tags" in classes:
            links = [text_of(a) for a in dd.xpath(".//a[contains(concat(' ', @class, ' '), ' tag ')]")]
            add_tags(work, kind, [name for name in links if name] or tag_names(dd))
        elif "language" in classes:
            work.language = text_of(dd) or None
        elif "series" in classes:
            work.series += [ref for ref in read_series(dd) if ref.title not in {s.title for s in work.series}]
        elif "collections" in classes:
            work.metadata["collections"] = tag_names(dd)
        elif "stats" in classes:
            read_stats(work, text_of(dd))
        else:
            dt = dd.getprevious()
            label = text_of(dt).rstrip(":").strip() if dt is not None and dt.tag == "dt" else ""
            extra[label or " ".join(classes) or "field"] = text_of(dd)
    if extra:
        work.metadata.setdefault("preface_fields", {}).update(extra)


def read_series(dd: Element) -> list[SeriesRef]:
    """`<span class="position">Part 2 of <a href="/series/9">Title</a></span>`, one per series; the
    previous/next work arrows beside it are links to other works, not series."""
    refs: list[SeriesRef] = []
    for position in dd.xpath(".//span[contains(concat(' ', @class, ' '), ' position ')]"):
        link = next(iter(position.iter("a")), None)
        if link is None or not text_of(link):
            continue
        part = _PART.search(text_of(position))
        refs.append(
            SeriesRef(
                title=text_of(link), position=int(part.group(1)) if part else None, url=link.get("href")
            )
        )
    return refs


@dataclass
class PageIdentity:
    work_id: str | None
    site: str
    page_url: str | None  # the address the page was saved from, when the page says


def read_identity(root: Element, text: str, location: str | None = None) -> PageIdentity:
    """`location`: the page's address when its container says it (an MHTML file's headers)."""
    saved = _SAVED_FROM.search(text[:4096])
    page_url = saved.group(1) if saved else location
    canonical = root.xpath("//link[@rel='canonical']/@href")
    if page_url is None and canonical:
        page_url = str(canonical[0]).strip() or None
    # In the order they are surest to name this work and no other.
    candidates = [page_url or ""]
    candidates += [str(v) for v in root.xpath("//form[@id='new_kudo']/@action")]
    candidates += [f"/works/{v}" for v in root.xpath("//input[@id='kudo_commentable_id']/@value")]
    candidates += [str(v) for v in root.xpath("//ul[contains(@class, 'work navigation')]//a/@href")]
    candidates += [str(v) for v in root.xpath("//div[@id='chapters']//h3[contains(@class, 'title')]/a/@href")]
    work_id = None
    for candidate in candidates:
        found = _WORK_PATH.search(candidate) or _DOWNLOAD_PATH.search(candidate)
        if found:
            work_id = found.group(1)
            break
    return PageIdentity(work_id=work_id, site=_site(page_url, candidates), page_url=page_url)


def _site(page_url: str | None, links: list[str]) -> str:
    """The archive's host: from an absolute address if the page has one ("HTML only" saves keep the
    site's links relative), else AO3, whose page this is."""
    for url in [page_url or "", *links]:
        if url.startswith(("http://", "https://", "//")):
            host = site_of(url)
            if host:
                return AO3_SITE if host in _AO3_ALIASES else host
    return AO3_SITE
