"""Sanitised HTML5 fragments as well-formed XHTML that EPUB 3 (and epubcheck) accepts.

Works arrive with whatever their source held, so every fragment is sanitised again here, then
bent into what EPUB wants: no remote resources, no links into files the book does not have, no
attributes HTML5 dropped, unique ids."""

from __future__ import annotations

import re
from html import escape
from urllib.parse import urlsplit

import lxml.etree
import lxml.html

from fanarchive.domain.exports._content_model import enforce
from fanarchive.domain.sanitize import sanitize_html

# Elements HTML5 dropped, which epubcheck rejects, and what they become.
_OBSOLETE = {"center": ("div", "center"), "big": ("span", "big"), "tt": ("code", None),
             "strike": ("s", None), "acronym": ("abbr", None), "font": ("span", None)}  # fmt: skip
# Attributes HTML5 dropped from these elements.
_DROPPED = {"table": {"summary"}, "td": {"abbr", "scope"}}
_LANGUAGE = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")
_INTEGER = re.compile(r"-?\d{1,9}")
_POSITIVE = re.compile(r"[1-9]\d{0,3}")
_OL_TYPES = {"1", "a", "A", "i", "I"}
_EXTERNAL = re.compile(r"^(?:https?|mailto):", re.I)


def _add_class(element: lxml.html.HtmlElement, name: str) -> None:
    element.set("class", f"{element.get('class', '')} {name}".strip())


def _unwrap(element: lxml.html.HtmlElement) -> None:
    element.drop_tag()


def _fix_attributes(element: lxml.html.HtmlElement) -> None:
    attrib = element.attrib
    if (align := attrib.pop("align", None)) is not None and re.fullmatch(r"[a-zA-Z]+", align):
        _add_class(element, f"align-{align.lower()}")
    attrib.pop("rel", None)
    for name in _DROPPED.get(element.tag, ()):
        attrib.pop(name, None)
    for name in ("del", "ins"):
        if element.tag == name:
            attrib.pop("datetime", None)
    if "lang" in attrib and not _LANGUAGE.fullmatch(attrib["lang"]):
        del attrib["lang"]
    if "dir" in attrib and attrib["dir"].lower() not in ("ltr", "rtl", "auto"):
        del attrib["dir"]
    checks = {
        "start": _INTEGER,
        "value": _INTEGER,
        "colspan": _POSITIVE,
        "rowspan": _POSITIVE,
        "span": _POSITIVE,
    }
    for name, pattern in checks.items():
        if name in attrib and not pattern.fullmatch(attrib[name].strip()):
            del attrib[name]
    if element.tag == "ol":
        if "type" in attrib and attrib["type"] not in _OL_TYPES:
            del attrib["type"]
        if "reversed" in attrib:
            attrib["reversed"] = "reversed"
    for name in ("cite",):
        if name in attrib and not _EXTERNAL.match(attrib[name]):
            del attrib[name]


_MEDIA_LABELS = {"audio": "audio", "video": "video", "iframe": "player"}


def _media_to_link(element: lxml.html.HtmlElement) -> None:
    """An e-book reader plays no remote audio, video or player, and EPUB forbids remote resources
    without a fallback: each becomes a link to what it would have played, followed by the
    author's fallback content, if any."""
    src = element.get("src") or next((s.get("src") for s in element.iter("source") if s.get("src")), None)
    # lxml's parser does not know these are void, and nests what follows them inside them.
    for inner in list(element.iter("source", "track")):
        inner.drop_tag()
    label = _MEDIA_LABELS[element.tag]
    keep = {
        name: value for name, value in element.attrib.items() if name in ("class", "dir", "lang", "title")
    }
    element.attrib.clear()
    element.attrib.update(keep)
    _add_class(element, label)
    if element.tag == "iframe":  # what a frame holds is raw text no browser shows
        element.text = None
    element.tag = "div"
    if src and _EXTERNAL.match(src):
        marker = lxml.html.Element("a", {"href": src})
        marker.text = f"[{label}: {urlsplit(src).hostname}]"
    else:
        marker = lxml.html.Element("span")
        marker.text = f"[{label}]"
    marker.tail, element.text = element.text, None
    element.insert(0, marker)


def to_xhtml(html: str | None, ids: set[str] | None = None) -> str:
    """`ids` are the ids already used in the same file; the fragment's own are added to it."""
    clean = sanitize_html(html)  # which also drops what XML 1.0 forbids
    if not clean.strip():
        return ""
    used = ids if ids is not None else set()
    wrapper = lxml.html.fragment_fromstring(clean, create_parent="div")
    for element in list(wrapper.iter("audio", "video", "iframe")):
        _media_to_link(element)
    for element in list(wrapper.iter()):
        if not isinstance(element.tag, str):
            continue
        if element.tag in _OBSOLETE:
            element.tag, css = _OBSOLETE[element.tag]
            if css:
                _add_class(element, css)
        _fix_attributes(element)
        if element.tag == "a" and (anchor := element.attrib.pop("name", None)):
            anchor = re.sub(r"\s+", "_", anchor)
            if anchor and anchor not in used and not element.get("id"):
                element.set("id", anchor)
                used.add(anchor)
    enforce(wrapper)
    own = {
        element.get("id") for element in wrapper.iter() if isinstance(element.tag, str) and element.get("id")
    }
    for element in list(wrapper.iter("a", "img")):
        if element.tag == "img":
            # Remote images are not allowed in an EPUB and local ones are not in the book.
            alt = element.get("alt") or ""
            span = lxml.html.Element("span", {"class": "image"})
            span.text = f"[image: {alt}]" if alt else "[image]"
            span.tail = element.tail
            element.getparent().replace(element, span)
            continue
        href = element.get("href")
        if href is None:
            continue
        if href.startswith("#") and href[1:] in own:
            continue
        if not _EXTERNAL.match(href):
            del element.attrib["href"]
            if not element.attrib:
                _unwrap(element)
    lead = escape(wrapper.text or "", quote=False)
    return lead + "".join(lxml.etree.tostring(child, method="xml", encoding="unicode") for child in wrapper)
