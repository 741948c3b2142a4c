"""What an author types into a form, in either format, as the HTML the archive stores."""

from __future__ import annotations

import pytest

from fanarchive.domain.authored_text import HTML, MARKDOWN, authored_html


def test_html_without_blocks_gets_paragraphs_as_ao3_makes_them() -> None:
    typed = "Ada ran.\r\nThe gulls <em>rose</em>.\r\n\r\n\r\nThen & rain."
    assert (
        authored_html(typed, HTML) == "<p>Ada ran.<br>The gulls <em>rose</em>.</p>\n<p>Then &amp; rain.</p>"
    )


def test_html_with_blocks_is_kept_and_cleaned() -> None:
    typed = '<p onclick="x()">One</p>\n\n<script>alert(1)</script><div>Two</div>'
    assert authored_html(typed, HTML) == "<p>One</p>\n\n<div>Two</div>"


def test_markdown_is_converted_then_cleaned() -> None:
    typed = "# Storm\n\nAda *ran* to [the light](javascript:alert(1)).\n\n<img src=x onerror=alert(2)>"
    html = authored_html(typed, MARKDOWN)
    assert "<h1>Storm</h1>" in html and "<em>ran</em>" in html
    assert "javascript" not in html and "onerror" not in html


@pytest.mark.parametrize("text_format", [HTML, MARKDOWN])
def test_blank_text_is_empty(text_format: str) -> None:
    assert authored_html(" \r\n\t\n", text_format) == ""


def test_refusals() -> None:
    with pytest.raises(ValueError, match="unknown text format"):
        authored_html("text", "rtf")
    with pytest.raises(ValueError, match="at most 5000 links"):
        authored_html("[a](b) " * 5001, MARKDOWN)
