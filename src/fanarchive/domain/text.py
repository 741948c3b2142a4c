"""Word counting by AO3's rules, plain text to paragraphs, and decoding of bytes of unknown encoding."""

from __future__ import annotations

import html as htmllib
import re
import unicodedata

import charset_normalizer
import ftfy
import regex

# AO3's CHARACTER_COUNT_SCRIPTS: scripts written without spaces count one word per character.
_CHARACTER_SCRIPTS = r"\p{Han}|\p{Hiragana}|\p{Katakana}|\p{Thai}"
_WORD = regex.compile(rf"{_CHARACTER_SCRIPTS}|(?:(?!{_CHARACTER_SCRIPTS})\w)+")
# AO3 deletes these before scanning, so "don't" and "arm-rest" are one word each; a double
# hyphen is first turned into an em dash so that "one--two" stays two words.
_JOINERS = regex.compile(r"['’‘-]")
_CHARACTER_SCRIPT = regex.compile(_CHARACTER_SCRIPTS)
_PLAIN_WORD = regex.compile(r"\w+")
# Text that is never shown: scripts, styles, templates, comments.
_INVISIBLE = re.compile(r"<(script|style|template)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
_TAG = re.compile(r"<[^>]*>")


# The fast path's tables. In ASCII, `\w` is exactly letters, digits and underscore for both
# `regex` and `re`, so every other byte is a word break; the ASCII joiners are deleted.
_ASCII_WORD = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
# Word bytes become "a" and every other byte a space: a word is then a run of "a", and each run
# starts either the text or a " a" pair, which bytes.count finds without building a list of words.
_ASCII_RUNS = bytes(0x61 if byte in _ASCII_WORD else 0x20 for byte in range(256))
# Punctuation that fiction is full of and that is never part of a word (nor CJK or Thai): made a
# break before the ASCII test, so that a text whose only non-ASCII characters are curly quotes,
# dashes and ellipses still takes the fast path. The curly joiners are deleted, as below.
_BREAK_PUNCTUATION = ("\u201c", "\u201d", "\u2014", "\u2013", "\u2026", "\u00ab", "\u00bb", "\u00a0")
_CURLY_JOINERS = ("\u2019", "\u2018")


def _count_ascii_words(text: str) -> int | None:
    """The count by AO3's rules for text that, less common punctuation, is ASCII, by byte
    translation and split (several times faster than the regex findall); None for other text.
    Proven equal to the regex path by tests/domain/properties/test_count_words.py."""
    # First, as below, a double hyphen is a break: a space here, since an em dash is one.
    text = text.replace("--", " ")
    if not text.isascii():
        for mark in _BREAK_PUNCTUATION:
            text = text.replace(mark, " ")
        for mark in _CURLY_JOINERS:
            text = text.replace(mark, "")
        if not text.isascii():
            return None
    runs = text.encode("ascii").translate(_ASCII_RUNS, b"'-")
    return runs.count(b" a") + runs.startswith(b"a")


def count_words_text(text: str) -> int:
    """Words in one run of plain text, by AO3's rules."""
    if (fast := _count_ascii_words(text)) is not None:
        return fast
    return _count_words_regex(text)


def _count_words_regex(text: str) -> int:
    text = _JOINERS.sub("", text.replace("--", "—"))
    if _CHARACTER_SCRIPT.search(text) is None:
        # Most text has no CJK or Thai; the plain pattern is several times faster.
        return len(_PLAIN_WORD.findall(text))
    return len(_WORD.findall(text))


def count_words(html: str) -> int:
    """Words in an HTML fragment. Markup never counts, and a tag boundary ends a word, exactly as
    AO3's text-node-by-text-node count does; tags are cut out with patterns rather than a parser
    because this runs on every chapter of every import (sanitised HTML escapes `>` in attributes)."""
    if not html or not html.strip():
        return 0
    if "<" in html:
        html = _TAG.sub(" ", _INVISIBLE.sub(" ", html))
    return count_words_text(htmllib.unescape(html))


def text_to_html(text: str) -> str:
    """Plain text to paragraphs: blank lines separate paragraphs, single newlines become <br />."""
    blocks = re.split(r"\n\s*\n", normalise_newlines(text).strip())
    paragraphs = []
    for block in blocks:
        lines = [htmllib.escape(line.strip(), quote=False) for line in block.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            paragraphs.append("<p>" + "<br />".join(lines) + "</p>")
    return "\n".join(paragraphs)


def lines_to_html(lines: list[str]) -> str:
    """One paragraph per non-empty line (the shape of text copied from a web page)."""
    return "\n".join(f"<p>{htmllib.escape(line.strip(), quote=False)}</p>" for line in lines if line.strip())


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


INDENTATION = " \t\u00a0\u2002\u2003\u2007\u202f\u3000"


def normalise_indentation(line: str) -> str:
    """Drop leading no-break spaces and other indentation people type to indent paragraphs."""
    return line.lstrip(INDENTATION)


class DecodeError(ValueError):
    """Bytes that are not text in any encoding we can recognise."""


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode bytes of unknown encoding; repair mojibake. Returns (text, encoding name)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _finish(data.decode("utf-16")), "utf-16"
        except UnicodeDecodeError as error:  # an odd byte count: a file cut short, or not UTF-16 at all
            raise DecodeError(f"broken UTF-16 text: {error.reason}") from None
    if b"\x00" in data[:4096]:
        raise DecodeError("binary data, not text")
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # Most non-UTF-8 fan fiction is Windows-1252 typed on Windows; fall back to detection
        # only when cp1252 cannot decode it (five bytes are unassigned there).
        try:
            text, encoding = data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            best = charset_normalizer.from_bytes(data).best()
            if best is None:
                raise DecodeError("not text in any known encoding") from None
            text, encoding = str(best), best.encoding
    return _finish(text, data if encoding == "utf-8" else None), encoding


# What UTF-8 read as cp1252 or Latin-1 looks like: a lead byte shown as Â-ô, then a continuation
# byte shown as one of the characters cp1252 and Latin-1 give to 0x80-0xBF. Text without such a pair
# has no mojibake to repair, and ftfy (a few MB/s) is skipped: most files are clean.
_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
    "\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


def _finish(text: str, utf8: bytes | None = None) -> str:
    # Every character the pattern starts with (U+00C2-U+00F4) is the byte C3 and one more in UTF-8:
    # text decoded from UTF-8 without a C3 byte (found at memchr speed) has no mojibake to look for.
    if (utf8 is not None and b"\xc3" not in utf8) or _MOJIBAKE.search(text) is None:
        return unicodedata.normalize("NFC", text)
    # fix_text repairs UTF-8 read as cp1252 (â€™ -> ’) but must leave quotes and dashes alone.
    fixed = ftfy.fix_text(
        text,
        uncurl_quotes=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        normalization=None,
        fix_line_breaks=False,
    )
    return unicodedata.normalize("NFC", fixed)


_BLOCK_END = re.compile(r"</(?:p|div|h[1-6]|li|blockquote|tr|dd|dt|pre|figure)\s*>|<br\s*/?>|<hr\s*/?>", re.I)
_BLANKS = re.compile(r"[ \t\u00a0]*\n[ \t\u00a0\n]*")


def _readable(html: str) -> str:
    """The text of an HTML fragment with a line break after each block, its whitespace untidied."""
    text = _BLOCK_END.sub("\n", _INVISIBLE.sub(" ", html))
    return htmllib.unescape(_TAG.sub("", text))


def html_to_text(html: str) -> str:
    """The readable text of an HTML fragment, one line per block, for search and snippets."""
    if not html:
        return ""
    return _BLANKS.sub("\n", _readable(html)).strip()


def html_words(html: str) -> list[str]:
    """The words of an HTML fragment: `html_to_text(html).split()`, without first tidying the
    whitespace the split throws away (a third of the cost of fingerprinting a chapter)."""
    return _readable(html).split() if html else []
