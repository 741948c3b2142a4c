"""An EPUB as calibre re-packs it (EPUB to EPUB conversion), done to an EPUB's members in tests:
calibre's cover page (`titlepage.xhtml`: an SVG holding the cover image, marked `calibre:cover`)
first in the spine and in the <guide>; calibre the only dc:contributor; every spine document
renamed `<stem>_split_000.xhtml`, its first heading given a `calibre_toc_N` id that toc.ncx points
at; long documents cut in two at a page break into `_split_000` and `_split_001`, the second part
inside a copy of the first part's text container, with no heading and no table of contents entry;
calibre's metadata in the OPF."""

from __future__ import annotations

import copy
import posixpath
import re

import lxml.etree as etree

_OPF = "http://www.idpf.org/2007/opf"
_XHTML = "http://www.w3.org/1999/xhtml"
_NCX = "http://www.daisy.org/z3986/2005/ncx/"
_DOCUMENT = "application/xhtml+xml"

TITLEPAGE = """<?xml version='1.0' encoding='utf-8'?>
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en">
    <head>
        <meta http-equiv="Content-Type" content="text/html; charset=UTF-8"/>
        <meta name="calibre:cover" content="true"/>
        <title>Cover</title>
        <style type="text/css" title="override_css">
            @page {padding: 0pt; margin:0pt}
            body { text-align: center; padding:0pt; margin: 0pt; }
        </style>
    </head>
    <body>
        <div>
            <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
                version="1.1" width="100%" height="100%" viewBox="0 0 600 800" preserveAspectRatio="none">
                <image width="600" height="800" xlink:href="cover.jpeg"/>
            </svg>
        </div>
    </body>
</html>
"""
# A JPEG's start and end markers: the cover page needs an image to point at; nothing opens it.
COVER_JPEG = b"\xff\xd8\xff\xd9"


def _q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def _xml(data: bytes | str) -> etree._Element:
    raw = data.encode() if isinstance(data, str) else data
    return etree.fromstring(raw, etree.XMLParser(resolve_entities=False))


def _text(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


def _split_name(path: str, part: int) -> str:
    stem = re.sub(r"\.x?html?$", "", path)
    return f"{stem}_split_{part:03d}.xhtml"


def _cut(document: bytes | str) -> tuple[bytes, bytes]:
    """The document cut at the middle of its longest run of paragraphs, as calibre's splitter cuts
    at a page break: both halves keep the ancestors of the cut, the second has no heading."""
    root = _xml(document)
    container = max(root.iter(), key=lambda el: len(el.findall(_q(_XHTML, "p"))))
    paragraphs = container.findall(_q(_XHTML, "p"))
    assert len(paragraphs) >= 2, "nothing to split: fewer than two paragraphs"
    cut_at = list(container).index(paragraphs[len(paragraphs) // 2])
    second = copy.deepcopy(root)
    moved = list(container)[cut_at:]
    for element in moved:
        container.remove(element)
    body = second.find(_q(_XHTML, "body"))
    assert body is not None
    for child in list(body):
        body.remove(child)
    holder = etree.SubElement(body, container.tag, dict(container.attrib))
    holder.extend(moved)
    return _text(root), _text(second)


def calibre_repack(files: dict[str, bytes | str], split: set[str] | None = None) -> dict[str, bytes | str]:
    """`files` (an EPUB's members by path) re-packed as calibre does it; the documents in `split`
    (paths as the OPF names them, relative to it) are cut in two."""
    container = _xml(files["META-INF/container.xml"])
    opf_path = str(container.xpath("//*[local-name()='rootfile']/@full-path")[0])
    base = posixpath.dirname(opf_path)
    opf = _xml(files[opf_path])
    manifest = opf.find(_q(_OPF, "manifest"))
    spine = opf.find(_q(_OPF, "spine"))
    metadata = opf.find(_q(_OPF, "metadata"))
    assert manifest is not None and spine is not None and metadata is not None
    out = dict(files)
    renamed: dict[str, str] = {}
    items = {item.get("id"): item for item in manifest}
    for itemref in list(spine):
        item = items[itemref.get("idref")]
        if item.get("media-type") != _DOCUMENT:
            continue
        href = str(item.get("href"))
        data = out.pop(posixpath.join(base, href))
        renamed[href] = _split_name(href, 0)
        item.set("href", renamed[href])
        if href in (split or set()):
            data, rest = _cut(data)
            extra = etree.Element(_q(_OPF, "item"), id=f"{item.get('id')}_1", href=_split_name(href, 1))
            extra.set("media-type", _DOCUMENT)
            item.addnext(extra)
            spine_extra = etree.Element(_q(_OPF, "itemref"), idref=str(extra.get("id")))
            itemref.addnext(spine_extra)
            out[posixpath.join(base, _split_name(href, 1))] = rest
        out[posixpath.join(base, renamed[href])] = _with_toc_anchor(data, len(renamed))
    # calibre's cover page and image, first in the spine and named by the guide.
    cover = etree.Element(_q(_OPF, "item"), id="titlepage", href="titlepage.xhtml")
    cover.set("media-type", _DOCUMENT)
    image = etree.Element(_q(_OPF, "item"), id="cover", href="cover.jpeg")
    image.set("media-type", "image/jpeg")
    manifest.insert(0, cover)
    manifest.insert(1, image)
    spine.insert(0, etree.Element(_q(_OPF, "itemref"), idref="titlepage"))
    guide = opf.find(_q(_OPF, "guide"))
    if guide is None:
        guide = etree.SubElement(opf, _q(_OPF, "guide"))
    etree.SubElement(guide, _q(_OPF, "reference"), type="cover", href="titlepage.xhtml", title="Cover")
    # calibre names itself the book's producer; the harder case for readers is that the producer
    # before it (FanFicFare) is gone.
    for contributor in metadata.findall("{http://purl.org/dc/elements/1.1/}contributor"):
        metadata.remove(contributor)
    producer = etree.SubElement(metadata, "{http://purl.org/dc/elements/1.1/}contributor")
    producer.text = "calibre (7.6.0) [https://calibre-ebook.com]"
    producer.set(_q(_OPF, "role"), "bkp")
    for name, content in (
        ("cover", "cover"),
        ("calibre:timestamp", "2024-05-06T07:08:09+00:00"),
        ("calibre:title_sort", "re-packed"),
    ):
        etree.SubElement(metadata, _q(_OPF, "meta"), name=name, content=content)
    out[posixpath.join(base, "titlepage.xhtml")] = TITLEPAGE
    out[posixpath.join(base, "cover.jpeg")] = COVER_JPEG
    out[opf_path] = _text(opf)
    _repoint_ncx(out, opf, base, renamed)
    return out


def _with_toc_anchor(document: bytes | str, number: int) -> bytes | str:
    """calibre gives the heading a table of contents entry points at an id of its own."""
    root = _xml(document)
    heading = next(root.iter(*(_q(_XHTML, f"h{n}") for n in range(1, 7))), None)
    if heading is None:
        return document
    heading.set("id", f"calibre_toc_{number}")
    return _text(root)


def _repoint_ncx(
    out: dict[str, bytes | str], opf: etree._Element, base: str, renamed: dict[str, str]
) -> None:
    ncx_item = next(
        (i for i in opf.iter(_q(_OPF, "item")) if i.get("media-type") == "application/x-dtbncx+xml"), None
    )
    if ncx_item is None:
        return
    path = posixpath.join(base, str(ncx_item.get("href")))
    ncx = _xml(out[path])
    order = list(renamed)
    for content in ncx.iter(_q(_NCX, "content")):
        src = str(content.get("src")).split("#")[0]
        relative = posixpath.relpath(posixpath.join(posixpath.dirname(path), src), base)
        if relative in renamed:
            target = posixpath.relpath(posixpath.join(base, renamed[relative]), posixpath.dirname(path))
            content.set("src", f"{target}#calibre_toc_{order.index(relative) + 1}")
    out[path] = _text(ncx)
