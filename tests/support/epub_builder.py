"""EPUB files built in tests from our own fixture folders and pages: several test modules use them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

CONTAINER = (
    '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
    '<rootfiles><rootfile full-path="{opf}" media-type="application/oebps-package+xml"/></rootfiles></container>'
)


def pack_dir(folder: Path) -> bytes:
    """A fixture folder as an EPUB: the mimetype entry first and stored, as OCF requires."""
    files: dict[str, bytes | str] = {
        f.relative_to(folder).as_posix(): f.read_bytes() for f in sorted(folder.rglob("*")) if f.is_file()
    }
    return pack(files)


def pack(files: dict[str, bytes | str], mimetype: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        if mimetype:
            book.writestr(
                zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED
            )
        for name, data in files.items():
            if name != "mimetype":
                book.writestr(name, data)
    return buffer.getvalue()


def page(body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head><body>{body}</body></html>'


def generic_book(spine: list[str], docs: dict[str, str], metadata: str) -> dict[str, bytes | str]:
    items = "".join(
        f'<item id="i{n}" href="{name}" media-type="application/xhtml+xml"/>' for n, name in enumerate(docs)
    )
    ids = {name: f"i{n}" for n, name in enumerate(docs)}
    refs = "".join(f'<itemref idref="{ids[name]}"/>' for name in spine)
    opf = (
        '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
        f'<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">{metadata}</metadata>'
        f"<manifest>{items}</manifest><spine>{refs}</spine></package>"
    )
    files: dict[str, bytes | str] = {
        "META-INF/container.xml": CONTAINER.format(opf="book/package.opf"),
        "book/package.opf": opf,
    }
    files.update({f"book/{name}": page(body) for name, body in docs.items()})
    return files


def causeway_book() -> bytes:
    """A plain EPUB of two chapters, each a spine document opening with its heading, and no TOC."""
    files = generic_book(
        spine=["one.xhtml", "two.xhtml"],
        docs={
            "one.xhtml": "<h1>Low Water</h1><p>Fen walked the causeway before the tide turned.</p>",
            "two.xhtml": "<h1>High Water</h1><p>By dusk the causeway was a rumour.</p>",
        },
        metadata="<dc:title>The Causeway</dc:title><dc:creator>Tamsin Orrell</dc:creator>",
    )
    return pack(files)
