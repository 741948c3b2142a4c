"""Podfic and fanvids in downloads: e-book readers play no remote audio, video or player, and EPUB
admits no remote resource without a fallback, so the EPUB links to what each would have played;
the HTML download keeps them as the page shows them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from tests.domain.exports.epubcheck import epubcheck

from fanarchive.domain.exports import ExportContext
from fanarchive.domain.exports.epub import write_epub
from fanarchive.domain.exports.html import write_html
from fanarchive.domain.exports.pdf import write_pdf
from fanarchive.domain.exports.txt import write_txt
from fanarchive.domain.work import ParsedChapter, ParsedWork, empty_tags

CONTEXT = ExportContext(work_url="https://archive.example/works/9", archive_name="Harbour Archive")
XHTML = "{http://www.w3.org/1999/xhtml}"
MEDIA = (
    '<p>Read by the author: <audio src="https://files.example/podfic/ep1.mp3">No audio here.</audio> enjoy.</p>'
    '<audio><source src="https://files.example/podfic/ep1.ogg" type="audio/ogg"></audio>'
    '<video poster="https://files.example/vid.jpg" width="640" height="360">'
    '<source src="https://files.example/vid.webm" type="video/webm">'
    '<track src="https://files.example/vid.vtt" kind="captions" srclang="en" label="English">'
    "<p>Your reader cannot play the <em>video</em>.</p></video>"
    '<ul><li><iframe src="https://www.youtube.com/embed/abc123" width="560" height="315"></iframe> the vid</li></ul>'
    '<p><iframe src="https://w.soundcloud.com/player/?url=x"></iframe></p>'
    "<details open><summary>Transcript</summary><p>Line one.</p></details>"
    "<video></video>"
)


def media_work() -> ParsedWork:
    tags = empty_tags()
    tags.update(fandom=["Saltmarsh Chronicles"])
    return ParsedWork(
        title="Harbour Podfic",
        authors=["quietharbour"],
        summary=f"<p>A podfic.</p>{MEDIA}",
        tags=tags,
        status="complete",
        chapters=[ParsedChapter(number=1, title="One", html=MEDIA, notes=MEDIA)],
        chapters_expected=1,
    )


def _epub_pages(work: ParsedWork) -> list[etree._Element]:
    out = io.BytesIO()
    write_epub(work, CONTEXT, out)
    book = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    return [etree.fromstring(book.read(name)) for name in book.namelist() if name.endswith(".xhtml")]


def test_the_epub_links_to_what_audio_video_and_players_would_play() -> None:
    pages = _epub_pages(media_work())
    tags = {
        element.tag.removeprefix(XHTML)
        for page in pages
        for element in page.iter()
        if isinstance(element.tag, str)
    }
    assert not tags & {"audio", "video", "source", "track", "iframe"}, tags
    links = {a.get("href"): a.text for page in pages for a in page.iter(f"{XHTML}a") if a.get("href")}
    assert links["https://files.example/podfic/ep1.mp3"] == "[audio: files.example]"
    assert links["https://files.example/podfic/ep1.ogg"] == "[audio: files.example]"
    assert links["https://files.example/vid.webm"] == "[video: files.example]"
    assert links["https://www.youtube.com/embed/abc123"] == "[player: www.youtube.com]"
    assert links["https://w.soundcloud.com/player/?url=x"] == "[player: w.soundcloud.com]"
    text = " ".join(" ".join(page.itertext()) for page in pages)
    # The author's fallback content and the text around each element stay; a bare <video> is named.
    assert "No audio here." in text and "Your reader cannot play the video ." in " ".join(text.split())
    assert "enjoy." in text and "the vid" in text and "Transcript" in text and "[video]" in text
    assert all("vid.jpg" not in etree.tostring(page, encoding="unicode") for page in pages)


@pytest.mark.slow
def test_epubcheck_accepts_a_work_with_audio_video_players_and_details(tmp_path: Path) -> None:
    with (tmp_path / "media.epub").open("wb") as out:
        write_epub(media_work(), CONTEXT, out)
    assert epubcheck([tmp_path / "media.epub"]) == {"media.epub": []}


def test_the_html_download_keeps_them_as_the_page_shows_them() -> None:
    out = io.BytesIO()
    write_html(media_work(), CONTEXT, out)
    page = out.getvalue().decode("utf-8")
    assert (
        '<iframe src="https://www.youtube.com/embed/abc123" width="560" height="315" sandbox="allow-scripts allow-same-origin allow-presentation"'
        in page
    )
    assert '<audio src="https://files.example/podfic/ep1.mp3" controls="controls" preload="none">' in page
    assert '<details open="">' in page


def test_text_and_pdf_downloads_keep_the_words_and_fetch_nothing() -> None:
    out = io.BytesIO()
    write_txt(media_work(), CONTEXT, out)
    text = out.getvalue().decode("utf-8")
    assert "Read by the author: No audio here. enjoy." in text and "Line one." in text
    assert "<" not in text.split("Chapter Text", 1)[1]
    pdf = io.BytesIO()
    write_pdf(media_work(), CONTEXT, pdf)  # its fetcher refuses every remote address
    assert pdf.getvalue().startswith(b"%PDF")
