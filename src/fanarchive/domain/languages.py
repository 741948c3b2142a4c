"""Language tags for dc:language. Works store the language as the source named it (AO3 shows
"English", "Español"), while OPDS readers expect an RFC 5646 tag such as "en"."""

from __future__ import annotations

import re

_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")

# AO3's language names (in their own script) and the English names imports sometimes carry.
_NAMES: dict[str, str] = {
    "english": "en",
    "español": "es",
    "spanish": "es",
    "français": "fr",
    "french": "fr",
    "deutsch": "de",
    "german": "de",
    "italiano": "it",
    "italian": "it",
    "português brasileiro": "pt-BR",
    "português europeu": "pt-PT",
    "portuguese": "pt",
    "русский": "ru",
    "russian": "ru",
    "polski": "pl",
    "polish": "pl",
    "nederlands": "nl",
    "dutch": "nl",
    "svenska": "sv",
    "swedish": "sv",
    "dansk": "da",
    "danish": "da",
    "norsk": "no",
    "norwegian": "no",
    "suomi": "fi",
    "finnish": "fi",
    "čeština": "cs",
    "czech": "cs",
    "magyar": "hu",
    "hungarian": "hu",
    "română": "ro",
    "romanian": "ro",
    "türkçe": "tr",
    "turkish": "tr",
    "ελληνικά": "el",
    "greek": "el",
    "українська": "uk",
    "ukrainian": "uk",
    "català": "ca",
    "catalan": "ca",
    "bahasa indonesia": "id",
    "indonesian": "id",
    "tiếng việt": "vi",
    "vietnamese": "vi",
    "中文-普通话 國語": "zh",
    "中文": "zh",
    "chinese": "zh",
    "日本語": "ja",
    "japanese": "ja",
    "한국어": "ko",
    "korean": "ko",
    "العربية": "ar",
    "arabic": "ar",
    "עברית": "he",
    "hebrew": "he",
    "ไทย": "th",
    "thai": "th",
    "filipino": "fil",
    "tagalog": "tl",
}


def language_tag(name: str) -> str | None:
    """The RFC 5646 tag for a stored language, or None when it is unknown (better absent than
    wrong: readers use it to pick fonts and hyphenation)."""
    name = " ".join(name.split())
    if not name:
        return None
    known = _NAMES.get(name.casefold())
    if known:
        return known
    return name if _TAG.fullmatch(name) else None
