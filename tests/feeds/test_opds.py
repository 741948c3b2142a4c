from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from lxml import etree
from tests.feeds.conftest import ACQUISITION, NAVIGATION, NS, Fetch, path_of, texts

from fanarchive.archive.actions.outbox import enqueue_reindex
from fanarchive.archive.models import Work
from fanarchive.domain.exports import calibre

pytestmark = pytest.mark.django_db

MakeWork = Callable[..., Work]


def test_root_links_to_each_section(fetch: Fetch, make_work: MakeWork) -> None:
    make_work()
    root = fetch("/opds/", "navigation")
    assert texts(root, "a:link[@rel='self']/@type") == [NAVIGATION]
    assert texts(root, "a:link[@rel='start']/@href") == texts(root, "a:link[@rel='self']/@href")
    assert texts(root, "a:link[@rel='search']/@type") == ["application/opensearchdescription+xml"]
    sections = {
        str(entry.findtext("a:title", namespaces=NS)): entry.find("a:link", namespaces=NS)
        for entry in root.xpath("a:entry", namespaces=NS)
    }
    assert list(sections) == ["Recent works", "Fandoms", "Tags", "Authors"]
    assert sections["Recent works"].get("type") == ACQUISITION
    assert sections["Recent works"].get("rel") == "http://opds-spec.org/sort/new"
    for name in ("Fandoms", "Tags", "Authors"):
        assert sections[name].get("type") == NAVIGATION and sections[name].get("rel") == "subsection"
    assert path_of(sections["Fandoms"].get("href")) == "/opds/fandoms"
    assert root.findtext("a:updated", namespaces=NS) == "2024-04-02T00:00:00Z"


def _entries(document: etree._Element) -> dict[str, etree._Element]:
    return {
        str(entry.findtext("a:title", namespaces=NS)): entry
        for entry in document.xpath("a:entry", namespaces=NS)
    }


def test_acquisition_entries_carry_metadata_and_downloads(
    fetch: Fetch, make_work: MakeWork, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without calibre, MOBI and AZW3 cannot be made, so the feed must not offer them.
    monkeypatch.setattr(calibre, "CONVERTER", "fanarchive-no-such-ebook-convert")
    work = make_work(
        "Harbour Lights",
        authors=("Ferris Lane", "quietharbour"),
        language="English",
        tags={
            "rating": ["General Audiences"],
            "fandom": ["Saltmarsh Chronicles"],
            "relationship": ["Ada Renner/Mira Quell"],
            "character": ["Ada Renner"],
        },
    )
    feed = fetch("/opds/recent", "acquisition")
    entry = _entries(feed)["Harbour Lights"]
    base = f"http://testserver/works/{work.pk}"
    assert texts(entry, "a:id/text()") == [base]
    assert texts(entry, "a:author/a:name/text()") == ["Ferris Lane", "quietharbour"]
    assert [path_of(uri) for uri in texts(entry, "a:author/a:uri/text()")] == [
        "/users/Ferris_Lane",
        "/users/quietharbour",
    ]
    assert texts(entry, "a:updated/text()") == ["2024-04-02T00:00:00Z"]
    assert texts(entry, "a:published/text()") == ["2024-03-01T00:00:00Z"]
    assert texts(entry, "dc:issued/text()") == ["2024-03-01"]
    assert texts(entry, "dc:language/text()") == ["en"]
    categories = {
        (scheme.rsplit("/", 1)[-1], term)
        for scheme, term in zip(
            texts(entry, "a:category/@scheme"), texts(entry, "a:category/@term"), strict=True
        )
    }
    assert categories == {
        ("rating", "General Audiences"),
        ("fandom", "Saltmarsh Chronicles"),
        ("relationship", "Ada Renner/Mira Quell"),
        ("character", "Ada Renner"),
    }
    assert texts(entry, "a:category[@term='Ada Renner']/@label") == ["Ada Renner"]
    assert texts(entry, "a:summary[@type='text']/text()") == [
        "Boats, weather, and a lighthouse that keeps its own counsel."
    ]
    assert texts(entry, "a:content[@type='html']/text()") == [
        "<p>Boats, weather, and a lighthouse that keeps its own counsel.</p>"
    ]
    assert texts(entry, "a:link[@rel='alternate']/@href") == [base]
    assert texts(entry, "a:link[@rel='alternate']/@type") == ["text/html"]
    acquisitions = dict(
        zip(
            texts(entry, "a:link[@rel='http://opds-spec.org/acquisition']/@type"),
            texts(entry, "a:link[@rel='http://opds-spec.org/acquisition']/@href"),
            strict=True,
        )
    )
    assert {kind: path_of(href) for kind, href in acquisitions.items()} == {
        "application/epub+zip": f"/downloads/{work.pk}/Harbour_Lights.epub",
        "application/pdf": f"/downloads/{work.pk}/Harbour_Lights.pdf",
        "text/html": f"/downloads/{work.pk}/Harbour_Lights.html",
        "text/plain": f"/downloads/{work.pk}/Harbour_Lights.txt",
    }
    assert texts(entry, "a:link[@rel='http://opds-spec.org/acquisition']/@title") == [
        "EPUB",
        "PDF",
        "HTML",
        "Plain text",
    ]


def test_kindle_formats_are_offered_when_calibre_is_installed(
    fetch: Fetch, make_work: MakeWork, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Availability is only a PATH lookup: any program stands in for ebook-convert here.
    monkeypatch.setattr(calibre, "CONVERTER", "sh")
    work = make_work("Harbour Lights")
    entry = _entries(fetch("/opds/recent", "acquisition"))["Harbour Lights"]
    kinds = texts(entry, "a:link[@rel='http://opds-spec.org/acquisition']/@type")
    assert kinds == [
        "application/epub+zip",
        "application/pdf",
        "text/html",
        "text/plain",
        "application/vnd.amazon.ebook",
        "application/x-mobipocket-ebook",
    ]
    hrefs = texts(entry, "a:link[@rel='http://opds-spec.org/acquisition']/@href")
    assert path_of(hrefs[-1]) == f"/downloads/{work.pk}/Harbour_Lights.mobi"


def test_unknown_language_is_left_out(fetch: Fetch, make_work: MakeWork) -> None:
    make_work("Lingua", language="Klingon")
    make_work("Tagged", language="pt-BR")
    entries = _entries(fetch("/opds/recent", "acquisition"))
    assert texts(entries["Lingua"], "dc:language/text()") == []
    assert texts(entries["Tagged"], "dc:language/text()") == ["pt-BR"]


def _links(document: etree._Element) -> dict[str, str]:
    rels = ("first", "previous", "next", "last")
    return {rel: path_of(href) for rel in rels for href in texts(document, f"a:link[@rel='{rel}']/@href")}


def test_pagination_over_thirty_works(fetch: Fetch, client: Client, make_work: MakeWork) -> None:
    for n in range(30):
        make_work(f"Work {n:02}")
    first = fetch("/opds/recent", "acquisition")
    assert len(first.xpath("a:entry", namespaces=NS)) == 25
    assert _links(first) == {
        "first": "/opds/recent",
        "next": "/opds/recent?page=2",
        "last": "/opds/recent?page=2",
    }
    assert texts(first, "os:totalResults/text()") == ["30"]
    assert texts(first, "os:itemsPerPage/text()") == ["25"]
    assert texts(first, "os:startIndex/text()") == ["1"]
    assert texts(first, "a:link[@rel='next']/@type") == [ACQUISITION]
    second = fetch("/opds/recent?page=2", "acquisition")
    assert len(second.xpath("a:entry", namespaces=NS)) == 5
    assert _links(second) == {
        "first": "/opds/recent",
        "previous": "/opds/recent",
        "last": "/opds/recent?page=2",
    }
    assert texts(second, "os:startIndex/text()") == ["26"]
    assert path_of(texts(second, "a:link[@rel='self']/@href")[0]) == "/opds/recent?page=2"
    titles = texts(first, "a:entry/a:title/text()") + texts(second, "a:entry/a:title/text()")
    assert sorted(titles) == [f"Work {n:02}" for n in range(30)]
    assert client.get("/opds/recent?page=3").status_code == 400
    assert client.get("/opds/recent?page=zero").status_code == 400


def test_hidden_restricted_and_draft_works_stay_out(
    fetch: Fetch, client: Client, make_work: MakeWork, django_user_model: type
) -> None:
    make_work("Public")
    Work.objects.filter(pk=make_work("Members only").pk).update(restricted=True)
    Work.objects.filter(pk=make_work("Draft").pk).update(posted=False)
    Work.objects.filter(pk=make_work("Hidden").pk).update(hidden_by_admin=True)
    for path in (
        "/opds/recent",
        "/opds/fandoms/Saltmarsh Chronicles",
        "/opds/tags/Found Family",
        "/opds/authors/quietharbour",
        "/opds/search?q=lighthouse",
    ):
        assert texts(fetch(path, "acquisition"), "a:entry/a:title/text()") == ["Public"], path
    fandoms = fetch("/opds/fandoms", "navigation")
    assert texts(fandoms, "a:entry/a:content/text()") == ["1 work"]
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    assert sorted(texts(fetch("/opds/recent", "acquisition"), "a:entry/a:title/text()")) == [
        "Members only",
        "Public",
    ]


def test_fandoms_lead_to_their_works(fetch: Fetch, make_work: MakeWork) -> None:
    make_work("Salt", tags={"fandom": ["Saltmarsh Chronicles"]})
    make_work("Light", tags={"fandom": ["Lighthouse Keepers (TV)"]})
    make_work("Both", tags={"fandom": ["Saltmarsh Chronicles", "Lighthouse Keepers (TV)"]})
    fandoms = fetch("/opds/fandoms", "navigation")
    entries = _entries(fandoms)
    assert list(entries) == ["Lighthouse Keepers (TV)", "Saltmarsh Chronicles"]
    assert texts(fandoms, "a:entry/a:content/text()") == ["2 works", "2 works"]
    link = entries["Saltmarsh Chronicles"].find("a:link", namespaces=NS)
    assert link.get("type") == ACQUISITION
    feed = fetch(path_of(link.get("href")), "acquisition")
    assert sorted(texts(feed, "a:entry/a:title/text()")) == ["Both", "Salt"]
    assert path_of(texts(feed, "a:link[@rel='up']/@href")[0]) == "/opds/fandoms"
    assert texts(feed, "a:link[@rel='up']/@type") == [NAVIGATION]


def test_tags_by_kind(fetch: Fetch, client: Client, make_work: MakeWork) -> None:
    make_work("Ships", tags={"relationship": ["Ada Renner/Mira Quell"], "fandom": ["Saltmarsh Chronicles"]})
    kinds = fetch("/opds/tags", "navigation")
    assert texts(kinds, "a:entry/a:title/text()") == [
        "Ratings",
        "Archive Warnings",
        "Categories",
        "Fandoms",
        "Relationships",
        "Characters",
        "Additional Tags",
    ]
    relationships = fetch("/opds/kinds/relationship", "navigation")
    assert texts(relationships, "a:entry/a:title/text()") == ["Ada Renner/Mira Quell"]
    href = texts(relationships, "a:entry/a:link/@href")[0]
    # "/" in a tag name travels as AO3's "*s*".
    assert path_of(href) == "/opds/tags/Ada%20Renner*s*Mira%20Quell"
    feed = fetch(path_of(href), "acquisition")
    assert texts(feed, "a:entry/a:title/text()") == ["Ships"]
    assert path_of(texts(feed, "a:link[@rel='up']/@href")[0]) == "/opds/kinds/relationship"
    assert client.get("/opds/kinds/nonsense").status_code == 404


def test_authors_lead_to_their_works(fetch: Fetch, make_work: MakeWork) -> None:
    make_work("Mine", authors=("Ferris Lane",))
    make_work("Ours", authors=("Ferris Lane", "quietharbour"))
    make_work("Theirs", authors=("quietharbour",))
    authors = fetch("/opds/authors", "navigation")
    assert texts(authors, "a:entry/a:title/text()") == ["Ferris_Lane", "quietharbour"]
    assert texts(authors, "a:entry/a:content/text()") == ["2 works", "2 works"]
    feed = fetch(path_of(texts(authors, "a:entry/a:link/@href")[0]), "acquisition")
    assert sorted(texts(feed, "a:entry/a:title/text()")) == ["Mine", "Ours"]
    assert texts(feed, "a:title/text()") == ["Works by Ferris_Lane"]


def test_search_asks_the_search_engine_in_the_search_box_language(
    fetch: Fetch, client: Client, make_work: MakeWork
) -> None:
    make_work("The Quiet Harbour")
    lanterns, elsewhere = make_work("Lanterns"), make_work("Elsewhere")
    Work.objects.filter(pk=lanterns.pk).update(summary="<p>A storm at the <em>harbour</em> mouth.</p>")
    Work.objects.filter(pk=elsewhere.pk).update(summary="<p>Inland.</p>")
    enqueue_reindex([lanterns.pk, elsewhere.pk])  # the updates above bypass the actions
    description = fetch("/opds/opensearch.xml", "opensearch")
    templates = texts(description, "os:Url/@template")
    assert templates and all(path_of(t) == "/opds/search?q={searchTerms}" for t in templates)
    assert ACQUISITION in texts(description, "os:Url/@type")
    feed = fetch("/opds/search?q=HARBOUR", "acquisition")
    assert sorted(texts(feed, "a:entry/a:title/text()")) == ["Lanterns", "The Quiet Harbour"]
    assert texts(feed, "os:totalResults/text()") == ["2"]
    # Fields, exclusions and chapter text, as on /works?q=: not a substring of title or summary.
    assert texts(fetch("/opds/search?q=title:harbour", "acquisition"), "a:entry/a:title/text()") == [
        "The Quiet Harbour"
    ]
    assert texts(fetch("/opds/search?q=harbour -storm", "acquisition"), "a:entry/a:title/text()") == [
        "The Quiet Harbour"
    ]
    assert len(texts(fetch('/opds/search?q="counted the gulls"', "acquisition"), "a:entry")) == 3
    assert texts(fetch("/opds/search?q=arbou", "acquisition"), "a:entry") == []
    assert texts(fetch("/opds/search?q=", "acquisition"), "a:entry") == []
    assert texts(fetch("/opds/search", "acquisition"), "a:entry") == []
    assert client.get("/opds/search?q=harbour&page=2").status_code == 400


def test_unknown_things_are_404(client: Client, make_work: MakeWork) -> None:
    make_work(tags={"fandom": ["Saltmarsh Chronicles"], "character": ["Ada Renner"]})
    for path in (
        "/opds/tags/No Such Tag",
        "/opds/fandoms/No Such Tag",
        "/opds/fandoms/Ada Renner",  # a tag, but not a fandom
        "/opds/authors/nobody",
        "/tags/No Such Tag/feed.atom",
        "/users/nobody/feed.atom",
        "/works/999/feed.atom",
    ):
        assert client.get(path).status_code == 404, path
