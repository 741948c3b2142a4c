"""An e-book reader's path through the catalogue: open the acquisition feed in Chromium, take the
EPUB acquisition link, and download the file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from lxml import etree

from fanarchive.archive.models import Work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ATOM = {"a": "http://www.w3.org/2005/Atom"}


def test_opds_acquisition_link_downloads_an_epub(
    live_server: Any, page: Any, settings: Any, make_work: Callable[..., Work]
) -> None:
    # Feeds build absolute links from SITE_URL; point it at the live server for this test.
    settings.SITE_URL = live_server.url
    make_work("The Quiet Harbour")
    response = page.goto(live_server.url + "/opds/recent")
    assert response is not None and response.status == 200
    assert response.headers["content-type"].startswith("application/atom+xml;profile=opds-catalog")
    feed = etree.fromstring(response.body())
    hrefs = feed.xpath(
        "a:entry/a:link[@rel='http://opds-spec.org/acquisition'][@type='application/epub+zip']/@href",
        namespaces=ATOM,
    )
    assert len(hrefs) == 1 and hrefs[0].startswith(live_server.url + "/downloads/")
    download = page.request.get(hrefs[0])
    assert download.status == 200, f"{hrefs[0]} answered {download.status}"
    assert download.headers["content-type"].startswith("application/epub+zip")
    # An EPUB is a zip whose first entry is the uncompressed mimetype file.
    assert download.body()[:4] == b"PK\x03\x04" and b"application/epub+zip" in download.body()[:100]
