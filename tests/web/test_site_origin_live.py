"""Absolute links work wherever the site is served: `fanarchive serve` on a free port, asked for by a
host name other than the machine's, writes every absolute link in its pages, Atom and OPDS feeds and
downloads (EPUB, HTML) on that host and port, and every one of them answers. A second run behind a
proxy that passes the public host in X-Forwarded-Host, and a third with FANARCHIVE_SITE_URL set,
write theirs on the host they name. A real server process on loopback."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree, html

from support.served import Served, archive_env, fetch, start_serve

pytestmark = pytest.mark.slow

# The pages a reader starts from; everything else is reached by following their links.
SEEDS = ["/", "/works", "/fandoms", "/opds/", "/opds/recent", "/tags/Saltmarsh%20Chronicles/feed.atom"]
# Links the crawl leaves alone: forms that need a log-in, and address spaces that are not pages.
SKIP = re.compile(r"^/(accounts|admin|static|autocomplete)/|/(kudos|bookmark|later|report|comments)$")
MAX_FETCHES = 120


def _links_in_markup(body: bytes, content_type: str) -> list[str]:
    if "xml" in content_type or body.lstrip().startswith(b"<?xml"):
        tree = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
        found = [str(value) for value in tree.xpath("//@href | //@src")]
        # Atom ids and author URIs are the site's own addresses too.
        found += [
            text.strip()
            for text in tree.xpath(
                "//*[local-name()='id' or local-name()='uri' or local-name()='source']/text()"
            )
        ]
        return found
    page = html.fromstring(body)
    return [str(value) for value in page.xpath("//@href | //@src | //@action")]


def _links_in_epub(body: bytes) -> list[str]:
    found: list[str] = []
    with zipfile.ZipFile(io.BytesIO(body)) as book:
        for name in book.namelist():
            if name.endswith((".opf", ".xhtml", ".html", ".ncx")):
                found += _links_in_markup(book.read(name), "application/xml")
    return found


def _absolute_links(body: bytes, content_type: str) -> list[str]:
    if content_type.startswith("application/epub+zip"):
        links = _links_in_epub(body)
    elif content_type.startswith(
        ("text/html", "application/atom+xml", "application/xml", "application/opensearch")
    ):
        links = _links_in_markup(body, content_type)
    else:
        return []
    return [link for link in links if link.startswith(("http://", "https://"))]


def _crawl(port: int, headers: dict[str, str], origin: str) -> tuple[set[str], list[str]]:
    """(every absolute link of ours seen, problems): our links that point elsewhere or don't answer."""
    ours: set[str] = set()
    problems: list[str] = []
    queue, seen = list(SEEDS), set(SEEDS)
    fetches = 0
    while queue and fetches < MAX_FETCHES:
        path = queue.pop(0)
        status, content_type, body = fetch(port, path, headers)
        fetches += 1
        if status in (301, 302) and not body.startswith(b"http"):
            body, status = f'<a href="{origin}{body.decode()}"></a>'.encode(), 200
            content_type = "text/html"  # a relative redirect: follow it as a link on our origin
        elif status in (301, 302):
            body, status = f'<a href="{body.decode()}"></a>'.encode(), 200
            content_type = "text/html"  # an absolute one must be on the origin, like any link
        if status != 200:
            problems.append(f"{path} answered {status}")
            continue
        for link in _absolute_links(body, content_type):
            parts = urlsplit(link)
            if parts.hostname in {"127.0.0.1", "localhost", "testserver"} or (
                parts.hostname == urlsplit(origin).hostname and not link.startswith(origin + "/")
            ):
                problems.append(f"{path} links to {link}")
                continue
            if not link.startswith(origin + "/") and link != origin:
                continue  # another site's address (a licence, a source)
            ours.add(link)
            target = urlsplit(link)._replace(scheme="", netloc="", fragment="").geturl() or "/"
            if target not in seen and not SKIP.search(urlsplit(target).path):
                seen.add(target)
                queue.append(target)
    return ours, problems


@pytest.fixture(scope="module")
def archive_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("origin") / "home"
    sources = home.parent / "sources"
    sources.mkdir()
    for n in range(2):
        (sources / f"lantern-{n}.md").write_text(
            f"---\ntitle: Lantern {n}\nauthor: Ferris Lane\nfandom: Saltmarsh Chronicles\n---\n\n"
            f"## Chapter 1: One\n\nThe harbour bell rang {n} times.\n\n## Chapter 2: Two\n\nThe tide came in.\n"
        )
    env = archive_env(home)
    subprocess.run([sys.executable, "-m", "fanarchive.cli.main", "import", str(sources)], env=env, check=True)
    subprocess.run([sys.executable, "-m", "fanarchive.cli.main", "reindex"], env=env, check=True)
    return home


@pytest.fixture
def serve(archive_home: Path) -> Iterator[Callable[[dict[str, str]], int]]:
    servers: list[Served] = []

    def start(extra: dict[str, str]) -> int:
        servers.append(start_serve(archive_home, extra))
        return int(servers[-1].port)

    yield start
    for server in servers:
        server.stop()


def _assert_links_on(origin: str, ours: set[str], problems: list[str]) -> None:
    assert problems == []
    paths = {urlsplit(link).path for link in ours}
    # Pages, feeds, OPDS, a chapter and both kinds of download all wrote links on the origin.
    assert {"/works", "/opds/"} <= paths, sorted(paths)
    assert any(path.startswith("/works/") and "/chapters/" in path for path in paths), sorted(paths)
    assert any(path.endswith(".epub") for path in paths) and any(path.endswith(".html") for path in paths)


def test_links_follow_the_host_and_port_the_reader_asked_for(serve: Callable[[dict[str, str]], int]) -> None:
    port = serve({"FANARCHIVE_ALLOWED_HOSTS": "archive.test,127.0.0.1"})
    origin = f"http://archive.test:{port}"
    ours, problems = _crawl(port, {"Host": f"archive.test:{port}"}, origin)
    _assert_links_on(origin, ours, problems)
    # A host outside ALLOWED_HOSTS never reaches a link: it is refused.
    assert fetch(port, "/opds/", {"Host": "forged.example"})[0] == 400


def test_links_follow_a_proxys_forwarded_host(serve: Callable[[dict[str, str]], int]) -> None:
    port = serve(
        {"FANARCHIVE_ALLOWED_HOSTS": "library.example,127.0.0.1", "FANARCHIVE_PROXY_HOST_HEADER": "1"}
    )
    origin = "http://library.example:8081"
    headers = {"Host": f"127.0.0.1:{port}", "X-Forwarded-Host": "library.example:8081"}
    ours, problems = _crawl(port, headers, origin)
    _assert_links_on(origin, ours, problems)


def test_site_url_names_the_origin_outright(serve: Callable[[dict[str, str]], int]) -> None:
    port = serve({"FANARCHIVE_SITE_URL": "http://fics.example:9000/"})
    origin = "http://fics.example:9000"
    ours, problems = _crawl(port, {"Host": f"127.0.0.1:{port}"}, origin)
    _assert_links_on(origin, ours, problems)
