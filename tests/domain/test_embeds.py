from __future__ import annotations

import pytest

from fanarchive.domain.embeds import EMBED_HOSTS, embed_src, frame_sources, media_url


@pytest.mark.parametrize(
    ("given", "framed"),
    [
        ("https://www.youtube.com/embed/x?start=3#t", "https://www.youtube.com/embed/x?start=3#t"),
        ("http://youtube.com/embed/x", "https://youtube.com/embed/x"),
        ("  //player.vimeo.com/video/1\n", "https://player.vimeo.com/video/1"),
        ("HTTPS://W.SoundCloud.com/player/?url=a", "https://w.soundcloud.com/player/?url=a"),
        ("https://player.bilibili.com/player.html?bvid=1", "https://player.bilibili.com/player.html?bvid=1"),
        ("https://www.archive.org/embed/x", "https://www.archive.org/embed/x"),
        ("https://archive.org/details/x", None),
        ("https://archive.org/embed/./../x", None),
        ("https://youtube.com\\@evil.example/", None),
        ("https://evil.example\\@youtube.com/", None),
        ("https://user:pw@youtube.com/", None),
        ("https://youtube.com:443/embed/x", None),
        ("https://you%74ube.com/embed/x", None),
        ("https://youtube.com./embed/x", None),
        ("https://evilyoutube.com/embed/x", None),
        ("https://m.youtube.com.evil.example/", None),
        ("javascript://youtube.com/%0aalert(1)", None),
        ("java\tscript:alert(1)", None),
        ("youtube.com/embed/x", None),
        ("/embed/x", None),
        ('https://youtube.com/embed/x"onload="x', None),
        ("", None),
    ],
)
def test_only_admitted_players_are_framed_and_always_over_https(given: str, framed: str | None) -> None:
    assert embed_src(given) == framed


def test_media_may_live_on_any_https_host() -> None:
    assert media_url("https://files.example/podfic/ep%201.mp3") == "https://files.example/podfic/ep%201.mp3"
    assert media_url("http://files.example/a.mp3") == "https://files.example/a.mp3"
    for refused in ("/a.mp3", "a.mp3", "data:audio/mp3,x", "javascript:x", "ftp://files.example/a.mp3",
                    "https://files.example\\@x/a.mp3", "blob:https://files.example/1"):  # fmt: skip
        assert media_url(refused) is None, refused


def test_the_policy_lists_every_admitted_host_over_https_and_nothing_else() -> None:
    sources = frame_sources()
    hosts = {host for embed in EMBED_HOSTS for host in embed.hosts}
    assert {source.removeprefix("https://").split("/", 1)[0] for source in sources} == hosts
    assert "https://archive.org/embed/" in sources and "https://archive.org" not in sources
    for source in sources:
        host = source.removeprefix("https://").split("/", 1)[0]
        assert embed_src(f"https://{host}/embed/x") is not None, source
