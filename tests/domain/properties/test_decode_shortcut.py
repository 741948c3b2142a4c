"""decode_bytes skips the mojibake search for UTF-8 without a C3 byte, and gives what the search
would have: the repair where text holds UTF-8 read as cp1252, the text as it was elsewhere."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from fanarchive.domain.text import _finish, decode_bytes

# Mojibake's halves (Â-ô leads, cp1252's continuation characters) and their neighbours.
_ALPHABET = "abc \n\u00c2\u00c3\u00e2\u00f4\u00f5\u00a9\u20ac\u2122\u201c\u2019é漢\u00bf\u0080"
texts = st.text(alphabet=st.sampled_from(_ALPHABET), max_size=30) | st.text(max_size=30)


@given(texts)
@example("donâ€™t")
@example("cafÃ©")
@example("plain text")
def test_utf8_decode_gives_what_the_mojibake_search_gives(text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return  # not UTF-8: decoded by another branch, untouched by the shortcut
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        return
    assert decode_bytes(data) == (_finish(text), "utf-8")
