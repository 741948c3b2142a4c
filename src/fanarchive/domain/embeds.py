"""Which embedded players a work may carry, and the one address form each is stored in.

Podfic and fanvids live on audio and video hosts; AO3 lets authors embed their players with an
`<iframe>` from an allow-list of hosts. The list below is AO3's (otwarchive
`lib/otw_sanitize/embed_sanitizer.rb`, WHITELIST_REGEXES, as of 2025), less what no longer serves a
player: 8tracks (closed), podfic.com and viddertube.com (domains gone), vidders.net (closed),
criticalcommons.org (relaunched without its old embed player), google.com (Google Video closed) and
archiveofourown.org itself (its only embeds were the Flash Dewplayer, which AO3 rewrites to
`<audio>`). As on AO3 a leading `www.` is optional and archive.org admits only its `/embed/` pages.

The same list feeds the Content-Security-Policy's frame-src (settings.py), so a host is admitted
by the sanitiser exactly when the browser will load it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class EmbedHost:
    name: str
    hosts: tuple[str, ...]
    # Only addresses whose path starts so are players; "/" admits the whole host.
    path: str = "/"


EMBED_HOSTS: tuple[EmbedHost, ...] = (
    EmbedHost("archive.org", ("archive.org", "www.archive.org"), "/embed/"),
    EmbedHost("bilibili", ("bilibili.com", "www.bilibili.com", "player.bilibili.com")),
    EmbedHost("soundcloud", ("soundcloud.com", "www.soundcloud.com", "w.soundcloud.com")),
    EmbedHost("spotify", ("spotify.com", "www.spotify.com", "open.spotify.com")),
    EmbedHost("vimeo", ("vimeo.com", "www.vimeo.com", "player.vimeo.com")),
    EmbedHost(
        "youtube", ("youtube.com", "www.youtube.com", "youtube-nocookie.com", "www.youtube-nocookie.com")
    ),
)

_BY_HOST: dict[str, EmbedHost] = {host: embed for embed in EMBED_HOSTS for host in embed.hosts}

# What the WHATWG URL parser removes anywhere (tab, LF, CR) or strips from the ends (C0 and space).
_URL_IGNORED = re.compile(r"[\t\n\r]")
_ENDS = "".join(chr(c) for c in range(0x21))
# A backslash is a slash to browsers but not to urlsplit (`https://evil.example\@youtube.com/`
# is evil.example to one and youtube.com to the other); quotes, angle brackets and controls have no
# business in an address. Any of them refuses the URL rather than guessing which reading wins.
_REFUSED = re.compile(r'[\x00-\x20\x7f\\"<>`^{|}]')
# Browsers resolve `.` and `..` segments (also percent-encoded), so `/embed/../x` is `/x`.
_DOT_SEGMENT = re.compile(r"(?:^|/)(?:\.|%2e){1,2}(?:/|$)", re.IGNORECASE)


def _web_url(value: str) -> tuple[str, str, str, str] | None:
    """(host, path, query, fragment) of an absolute http(s) or scheme-relative URL, its host in
    lower case; None for anything else, or for one with a user name, password or port."""
    url = _URL_IGNORED.sub("", value).strip(_ENDS)
    if _REFUSED.search(url):
        return None
    lowered = url.lower()
    if lowered.startswith("//"):
        url = "https:" + url
    elif not lowered.startswith(("http://", "https://")):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname or ""
    if (
        _DOT_SEGMENT.search(parts.path)
        or "@" in parts.netloc
        or port is not None
        or not re.fullmatch(r"[a-z0-9.\-]+", host)
    ):
        return None
    return host, parts.path or "/", parts.query, parts.fragment


def _https(host: str, path: str, query: str, fragment: str) -> str:
    return f"https://{host}{path}" + (f"?{query}" if query else "") + (f"#{fragment}" if fragment else "")


def embed_src(value: str) -> str | None:
    """The https address to frame for an `<iframe src>`, or None when the host is not a player
    we admit. http and scheme-relative addresses are upgraded: the frame is loaded over https or
    not at all (the Content-Security-Policy names https hosts only)."""
    parts = _web_url(value)
    if parts is None:
        return None
    host, path, query, fragment = parts
    embed = _BY_HOST.get(host)
    if embed is None or not path.startswith(embed.path):
        return None
    return _https(host, path, query, fragment)


def media_url(value: str) -> str | None:
    """The https address of an audio or video file, a poster or a text track, on any host (AO3
    admits any), or None. http is upgraded as browsers upgrade mixed media on an https page."""
    parts = _web_url(value)
    return None if parts is None else _https(*parts)


def frame_sources() -> list[str]:
    """The Content-Security-Policy's frame-src entries: each admitted host over https, narrowed to
    its player path where it has one."""
    return [
        f"https://{host}{embed.path if embed.path != '/' else ''}"
        for embed in EMBED_HOSTS
        for host in embed.hosts
    ]
