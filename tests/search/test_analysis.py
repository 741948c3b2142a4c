"""The analyser's ASCII short cut must give exactly what the general path gives."""

from __future__ import annotations

import random
import string
import unicodedata

from fanarchive.search.analysis import _TOKEN, MAX_TOKEN_BYTES, analyze, fold


def general(text: str) -> list[str]:
    """The definition: every token, lower-cased and folded, too-long ones dropped."""
    out = []
    for match in _TOKEN.finditer(text):
        if len(match.group().encode()) < MAX_TOKEN_BYTES:
            decomposed = unicodedata.normalize("NFKD", match.group().lower())
            out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    return out


def test_ascii_text_analyses_as_the_general_path_does() -> None:
    rng = random.Random(5)
    alphabet = string.ascii_letters + string.digits + " _-'\".,!?\n\t" + "x" * 20
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
        if rng.random() < 0.1:
            text += " " + "Q" * rng.randint(35, 45)  # around the long-token cut
        assert analyze(text) == general(text), text


def test_non_ascii_text_still_folds() -> None:
    assert analyze("Café NAÏVE Straße Œuvre łódź") == ["cafe", "naive", "strasse", "oeuvre", "lodz"]
    assert fold("ABC") == "ABC"  # ASCII is left as it is: analyze lower-cases first
    assert analyze("日本語 the") == ["日本語", "the"]
