"""Static files: plain names until collected, then content-hashed names served with far-future
caching and precompressed gzip and Brotli copies; `serve` collects again only when a file changed."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.templatetags.static import static
from django.test import Client

from fanarchive.archive.web.staticfiles import ArchiveStaticStorage, collect_if_stale

pytestmark = pytest.mark.django_db


@pytest.fixture
def static_root(settings: Any, tmp_path: Path) -> Path:
    # Setting STATIC_ROOT makes Django forget the storage it made for the old one.
    root = tmp_path / "static"
    root.mkdir()
    settings.STATIC_ROOT = root
    return root


def test_before_collecting_pages_link_the_plain_names_which_are_served(static_root: Path) -> None:
    assert static("archive/site.css") == "/static/archive/site.css"
    assert 'href="/static/archive/site.css"' in Client().get("/").content.decode()
    response = Client().get("/static/archive/site.css")
    assert response.status_code == 200
    # Not hashed, so it may change under the same name: kept only briefly.
    assert "immutable" not in response["Cache-Control"]


@pytest.mark.slow
def test_collected_files_have_hashed_names_far_future_caching_and_compressed_copies(
    static_root: Path,
) -> None:
    assert collect_if_stale() is True
    url = static("archive/site.css")
    assert (
        url.startswith("/static/archive/site.") and url.endswith(".css") and url != "/static/archive/site.css"
    )
    assert f'href="{url}"' in Client().get("/").content.decode()

    plain = Client().get(url)
    assert plain.status_code == 200
    assert "immutable" in plain["Cache-Control"] and "max-age=315360000" in plain["Cache-Control"]
    assert "Content-Encoding" not in plain
    for encoding in ("br", "gzip"):
        compressed = Client().get(url, HTTP_ACCEPT_ENCODING=encoding)
        assert compressed["Content-Encoding"] == encoding
        assert int(compressed["Content-Length"]) < int(plain["Content-Length"])

    # Nothing changed: no second collect. A source newer than the manifest: collected again.
    assert collect_if_stale() is False
    manifest = static_root / ArchiveStaticStorage.manifest_name
    os.utime(manifest, (0, 0))
    assert collect_if_stale() is True
    assert manifest.stat().st_mtime > 0
