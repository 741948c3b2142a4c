from __future__ import annotations

import pytest

from fanarchive.domain.text import DecodeError, count_words, decode_bytes, html_to_text, text_to_html


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("don't", 1),
        ("arm-rest", 1),
        ("one--two--three", 3),
        ("***", 0),
        ("<p>***</p>", 0),
        ("It was the arm-rest, don't you see?", 7),
        ("She said: one--two--three, go.", 6),
        ("‘Tis the season’s end", 4),
        ("我爱你", 3),
        ("東京に行きました", 8),
        ("カタカナ", 4),
        ("สวัสดีครับ", 10),
        ("Kakashi said 你好 twice", 5),
        ("<p>Hello <em>wor</em>ld</p>", 3),
        ("<p>one</p><p>two</p>", 2),
        ("Tom &amp; Jerry", 2),
        ("", 0),
        ("   ", 0),
        ("<script>var hidden = 1;</script><p>shown</p>", 1),
        ("1,234 words in 2024", 5),
    ],
)
def test_count_words_follows_ao3_rules(text: str, expected: int) -> None:
    assert count_words(text) == expected


def test_markup_breaks_words_like_ao3_text_nodes() -> None:
    # AO3 counts text node by text node, so markup inside a word splits it.
    assert count_words("<p>un<b>believ</b>able</p>") == 3


def test_decode_utf8_and_bom() -> None:
    assert decode_bytes("“Hi” — she said".encode()) == ("“Hi” — she said", "utf-8")
    assert decode_bytes(b"\xef\xbb\xbfplain")[0] == "plain"


def test_decode_windows_1252() -> None:
    text, encoding = decode_bytes("“Café” – fine".encode("cp1252"))
    assert (text, encoding) == ("“Café” – fine", "cp1252")


def test_decode_repairs_mojibake_but_keeps_smart_quotes() -> None:
    original = "He didn’t — ‘really’ — “no”"
    # Encoded twice, as when UTF-8 was read as cp1252 and saved again (” has no cp1252 byte).
    mojibake = original.encode().decode("cp1252", errors="ignore").encode()
    assert decode_bytes(mojibake)[0].startswith("He didn’t — ‘really’ — “no")


def test_decode_rejects_binary() -> None:
    with pytest.raises(DecodeError):
        decode_bytes(b"\x00\x01\x02\x03binary\x00")


def test_decode_refuses_utf16_cut_short() -> None:
    whole = "Chapter 1\n\nhi".encode("utf-16")
    assert decode_bytes(whole) == ("Chapter 1\n\nhi", "utf-16")
    with pytest.raises(DecodeError, match=r"^broken UTF-16 text: truncated data$"):
        decode_bytes(whole[:-1])


def test_text_to_html_paragraphs_and_line_breaks() -> None:
    html = text_to_html("First line\nsame paragraph\n\n\nSecond <para> & more\r\n")
    assert html == "<p>First line<br />same paragraph</p>\n<p>Second &lt;para&gt; &amp; more</p>"


def test_html_to_text_keeps_blocks_apart() -> None:
    html = "<p>First <em>line</em>.</p><p>Second&nbsp;one<br>broken</p><script>x()</script><hr><p>Tom &amp; Jerry</p>"
    assert html_to_text(html) == "First line.\nSecond\u00a0one\nbroken\nTom & Jerry"
