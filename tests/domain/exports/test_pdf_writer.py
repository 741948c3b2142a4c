from __future__ import annotations

import io

from pypdf import PdfReader
from tests.domain.exports.samples import nasty_work, tidy_work

from fanarchive.domain.exports import ExportContext
from fanarchive.domain.exports.pdf import write_pdf

CONTEXT = ExportContext(work_url="https://archive.example/works/7", archive_name="Harbour Archive")


def _pdf(work_name: str = "tidy") -> PdfReader:
    out = io.BytesIO()
    write_pdf(tidy_work() if work_name == "tidy" else nasty_work(), CONTEXT, out)
    return PdfReader(io.BytesIO(out.getvalue()))


def _pages(reader: PdfReader) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_pdf_is_paged_with_the_preface_first_and_each_chapter_on_a_new_page() -> None:
    reader = _pdf()
    pages = _pages(reader)
    assert reader.metadata is not None and reader.metadata.title == "The Keeper's Ledger"
    assert reader.metadata.author == "quietharbour, Ferris Lane"
    assert "The Keeper's Ledger" in pages[0] and "by quietharbour, Ferris Lane" in pages[0]
    assert "Relationship: Ada Renner/Mira Quell" in " ".join(pages[:2])
    starts = {title: next(i for i, text in enumerate(pages) if title in text) for title in
              ("Chapter 1: Low Tide", "Chapter 2: High Water", "Thank you for reading")}  # fmt: skip
    assert (
        0 < starts["Chapter 1: Low Tide"] < starts["Chapter 2: High Water"] < starts["Thank you for reading"]
    )
    chapter_one = pages[starts["Chapter 1: Low Tide"]]
    assert (
        chapter_one.index("Chapter Notes")
        < chapter_one.index("crate of herring")
        < chapter_one.index("Chapter End Notes")
    )
    # Page numbers in the footer, the title in the running head after the first page.
    assert pages[-1].endswith(str(len(pages))) or str(len(pages)) in pages[-1]


def test_cjk_text_is_drawn_with_a_font_that_has_it() -> None:
    reader = _pdf()
    pages = _pages(reader)
    chapter_two = next(text for text in pages if "Chapter 2: High Water" in text)
    assert "灯台の光が回っていた。" in chapter_two.replace(" ", "")
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    # A font that has the glyphs, not a fallback box: Debian's WenQuanYi or Noto CJK.
    assert any("WenQuanYi" in name or "CJK" in name for name in fonts), fonts


def test_hostile_markup_never_reaches_the_pdf() -> None:
    text = " ".join(_pages(_pdf("nasty")))
    assert "alert" not in text and "steal" not in text
    assert "Opening line." in text and "[image: a lighthouse]" not in text
