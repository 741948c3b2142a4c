from __future__ import annotations

from fanarchive.domain.sanitize import SANITIZER_VERSION, sanitize_html, sanitize_optional, web_url


def test_scripts_handlers_and_javascript_urls_are_removed() -> None:
    dirty = (
        '<p onclick="steal()" onmouseover="x()">Hello<script>alert(1)</script></p>'
        '<a href="javascript:alert(2)">bad</a><a href="JaVaScRiPt:alert(3)">bad2</a>'
        '<img src="x" onerror="alert(4)"><iframe src="https://evil.example"></iframe>'
        '<style>body{display:none}</style><a href="https://ok.example/">ok</a>'
    )
    clean = sanitize_html(dirty)
    lowered = clean.lower()
    for forbidden in (
        "script",
        "onclick",
        "onmouseover",
        "onerror",
        "javascript:",
        "iframe",
        "<style",
        "alert",
    ):
        assert forbidden not in lowered, forbidden
    assert '<a href="https://ok.example/" rel="nofollow noopener">ok</a>' in clean
    assert "<p>Hello</p>" in clean


def test_allowed_formatting_survives() -> None:
    html = (
        '<p align="center"><em>soft</em> <strong>loud</strong> <s>gone</s></p><hr><blockquote>q</blockquote>'
    )
    assert sanitize_html(html) == (
        '<p align="center"><em>soft</em> <strong>loud</strong> <s>gone</s></p><hr><blockquote>q</blockquote>'
    )


def test_style_attributes_are_dropped() -> None:
    assert sanitize_html('<span style="position:fixed">x</span>') == "<span>x</span>"


def test_optional_keeps_none_and_empties() -> None:
    assert sanitize_optional(None) is None
    assert sanitize_optional("<script>x</script>") is None
    assert sanitize_optional("<p>a</p>") == "<p>a</p>"


def test_version_is_a_positive_integer() -> None:
    assert isinstance(SANITIZER_VERSION, int) and SANITIZER_VERSION >= 1


def test_only_plain_web_addresses_are_links() -> None:
    assert web_url(" https://archiveofourown.org/works/1 ") == "https://archiveofourown.org/works/1"
    assert web_url("HTTP://example.org/a?b=c") == "HTTP://example.org/a?b=c"
    for hostile in ("javascript:alert(1)", "JaVaScRiPt:x", "data:text/html,x", "//evil.example", "vbscript:x",
                    'https://x.example/"onmouseover="x', "https://x.example/\nSet-Cookie", "", None):  # fmt: skip
        assert web_url(hostile) is None, hostile
