from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.formats.detect import detect
from fanarchive.domain.formats.generic_html import GenericHtmlParser

PARSER = GenericHtmlParser()


def test_article_headings_and_sanitising(fixtures_dir: Path, assert_valid_works: Callable[..., dict]) -> None:
    source = SourceFile("kettle.html", (fixtures_dir / "plain" / "kettle-page.html").read_bytes())
    assert detect(source).name == "html"
    [work] = PARSER.parse(source)
    assert_valid_works([work])
    assert (work.title, work.authors) == ("The Kettle Society", ["Agathe Wren"])
    assert [(c.number, c.title, c.words) for c in work.chapters] == [(1, "Steam", 28), (2, "Whistle", 28)]
    assert work.chapters[0].html == (
        "<p>The Kettle Society met on Thursdays in the back of the ironmonger’s, and it had three rules, "
        "none of which concerned kettles.</p>\n<p>Rule one: <em>never</em> bring a teapot.</p>"
    )
    everything = " ".join(c.html for c in work.chapters)
    for dropped in ("onclick", "style=", "Home", "Pinecone", "trackVisitor"):
        assert dropped not in everything
    assert "<p>* * *</p>" in work.chapters[1].html
    assert work.doubts == []


def test_body_without_headings_uses_page_title() -> None:
    page = b"<html><head><title>Night Ferry</title></head><body><p>One.</p><p>Two words.</p></body></html>"
    [work] = PARSER.parse(SourceFile("ferry.html", page))
    assert work.title == "Night Ferry"
    assert [(c.title, c.html, c.words) for c in work.chapters] == [
        (None, "<p>One.</p>\n<p>Two words.</p>", 3)
    ]
    assert work.doubts[0] == "The title is the page's <title>, which may carry the site's name."


def test_empty_page_is_refused() -> None:
    assert PARSER.sniff(SourceFile("x.txt", b"no markup here")) == 0.0
    with pytest.raises(ParseError, match="no text"):
        PARSER.parse(SourceFile("x.html", b"<html><body><nav>Home</nav></body></html>"))


def test_one_article_per_chapter_reads_them_all(
    fixtures_dir: Path, assert_valid_works: Callable[..., dict]
) -> None:
    source = SourceFile("ledger.html", (fixtures_dir / "plain" / "chapter-articles.html").read_bytes())
    [work] = PARSER.parse(source)
    assert_valid_works([work])
    assert (work.title, work.authors) == ("The Lamplighter's Ledger", ["Pell Harrow"])
    assert [(c.number, c.title, c.words) for c in work.chapters] == [
        (1, "Wick", 85),
        (2, "Flame", 80),
        (3, "Soot", 63),
    ]
    assert work.chapters[2].html.startswith("<p>By midwinter there were four lamps")
    assert "blurb" not in " ".join(c.html for c in work.chapters)
    assert work.doubts == [
        "Each of the page's 3 <article> elements was read as a chapter.",
        "1 other <article> element holding 13 words was left out: they were too short to be chapters.",
    ]


def test_one_long_article_among_short_ones_says_what_was_left_out() -> None:
    story = "<p>" + "The barge drifted past the mill and nobody waved. " * 20 + "</p>"
    page = (
        "<html><head><title>Barge</title></head><body>"
        f"<article><h1>Barge Song</h1>{story}</article>"
        "<article><p>Lovely story, thank you!</p></article>"
        "<article><p>More please.</p></article></body></html>"
    ).encode()
    [work] = PARSER.parse(SourceFile("barge.html", page))
    assert work.title == "Barge Song"
    assert [(c.title, c.words) for c in work.chapters] == [(None, 180)]
    assert work.doubts == [
        "2 other <article> elements holding 6 words were left out: only the longest part of the page was read.",
        "The document names no author.",
    ]


def test_wrappers_of_paragraphs_are_opened_but_inline_markup_is_not() -> None:
    page = (
        b"<html><body><div class='story'>"
        b"<p>Chapter 1</p><p>The gate was shut.</p>"
        b"<div><em>She</em> said <strong>no</strong> to the porter.</div>"
        b"<p>Chapter 2</p><blockquote><p>Open it.</p></blockquote><p>He did.</p><nav>Next</nav>"
        b"</div></body></html>"
    )
    [work] = PARSER.parse(SourceFile("gate.html", page))
    assert [(c.title, c.words) for c in work.chapters] == [(None, 10), (None, 4)]
    assert work.chapters[0].html == (
        "<p>The gate was shut.</p>\n<div><em>She</em> said <strong>no</strong> to the porter.</div>"
    )
    assert work.chapters[1].html == "<blockquote><p>Open it.</p></blockquote>\n<p>He did.</p>"
