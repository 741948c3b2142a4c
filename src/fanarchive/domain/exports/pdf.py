"""PDF through WeasyPrint: our HTML download, laid out on A5 pages with print styles (a page break
before each chapter, running title and page numbers, CJK fonts named as fallbacks).

WeasyPrint lays out the whole document before writing, so a PDF, unlike the other formats, is built
in memory; the cache means that happens once per version of a work."""

from __future__ import annotations

import ctypes.util
import functools
import importlib.util
import io
from typing import BinaryIO

from fanarchive.domain.exports.context import ExportContext
from fanarchive.domain.exports.html import write_html
from fanarchive.domain.work import ParsedWork

# Fonts Debian ships (fonts-dejavu-core, fonts-wqy-microhei, fonts-noto-cjk), fontconfig finds
# whichever is installed; CJK glyphs fall through to the CJK families.
PRINT_STYLE = """
@page { size: A5; margin: 18mm 15mm 20mm;
  @top-center { content: string(title); font-size: 8pt; color: #666 }
  @bottom-center { content: counter(page); font-size: 8pt } }
@page :first { @top-center { content: none } }
body { font-family: "DejaVu Serif", "Noto Serif CJK SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", serif;
  font-size: 10.5pt; line-height: 1.45; max-width: none; margin: 0; padding: 0 }
h1 { string-set: title content() }
dl.tags { font-size: 9pt }
dl.tags dt { display: inline; font-weight: bold }
dl.tags dd { display: inline; margin: 0 }
dl.tags dd::after { content: "\\A"; white-space: pre }
h2.heading { break-before: page; margin-top: 0 }
#afterword { break-before: page }
a { color: inherit }
"""


def _refuse(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    # Never fetch what a work's HTML points at: an archive must not make requests for its authors.
    raise ValueError(f"not fetched: {url[:80]}")


PDF_HINT = (
    "PDF downloads need WeasyPrint's system libraries (pango): on Debian/Ubuntu "
    "`sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0`"
)


@functools.cache
def pdf_available() -> bool:
    """WeasyPrint is a dependency, but it loads pango at import time: without it, no PDF. Found
    without importing WeasyPrint (a second's work) so that listing the formats stays instant."""
    return (
        importlib.util.find_spec("weasyprint") is not None
        and ctypes.util.find_library("pango-1.0") is not None
    )


def write_pdf(work: ParsedWork, context: ExportContext, out: BinaryIO) -> None:
    # Imported here: WeasyPrint takes a second to import and needs pango, which only PDF needs.
    import weasyprint

    page = io.BytesIO()
    write_html(work, context, page)
    document = weasyprint.HTML(
        string=page.getvalue().decode("utf-8"), base_url=context.work_url, url_fetcher=_refuse
    )
    document.write_pdf(target=out, stylesheets=[weasyprint.CSS(string=PRINT_STYLE)])
