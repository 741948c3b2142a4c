"""Fetching feeds through the test client, parsed, and checked against the RELAX NG schemas."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from lxml import etree

SCHEMAS = Path(__file__).resolve().parent / "schemas"
NS = {
    "a": "http://www.w3.org/2005/Atom",
    "dc": "http://purl.org/dc/terms/",
    "os": "http://a9.com/-/spec/opensearch/1.1/",
    "opds": "http://opds-spec.org/2010/catalog",
}
NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"

Fetch = Callable[..., etree._Element]


def load_schema(name: str) -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMAS / name)))


@pytest.fixture(scope="session")
def schemas() -> dict[str, etree.RelaxNG]:
    return {
        "atom": load_schema("atom.rng"),
        "opds": load_schema("opds.rng"),
        "opensearch": load_schema("opensearch-description.rng"),
    }


def path_of(href: str) -> str:
    """A feed's absolute href as a path the test client can fetch."""
    # The test client asks for http://testserver, so that is the origin links are written on.
    origin = settings.SITE_URL or "http://testserver"
    assert href.startswith(origin + "/"), href
    return href[len(origin) :]


def assert_atom_rules(document: etree._Element) -> None:
    """The RFC's Schematron rules, which libxml2 does not run."""
    feed_has_author = bool(document.xpath("a:author", namespaces=NS))
    for entry in document.xpath("a:entry", namespaces=NS):
        assert feed_has_author or entry.xpath("a:author", namespaces=NS)
        assert entry.xpath("a:link[@rel='alternate'] | a:link[not(@rel)] | a:content", namespaces=NS)
    assert len(document.xpath("a:link[@rel='self']", namespaces=NS)) == 1


def validate(document: etree._Element, schema: etree.RelaxNG) -> None:
    if not schema.validate(document):
        raise AssertionError(str(schema.error_log))


@pytest.fixture
def fetch(client: Client, schemas: dict[str, etree.RelaxNG]) -> Fetch:
    """GET a feed, check its media type, validate it, and return its root element. `kind` is
    "navigation", "acquisition", "atom" or "opensearch"."""

    def get(path: str, kind: str) -> etree._Element:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        document = etree.fromstring(response.content)
        content_type = response["Content-Type"]
        if kind == "opensearch":
            assert content_type == "application/opensearchdescription+xml"
            validate(document, schemas["opensearch"])
            return document
        if kind == "atom":
            assert content_type.startswith("application/atom+xml")
        else:
            assert content_type == (NAVIGATION if kind == "navigation" else ACQUISITION)
            validate(document, schemas["opds"])
        validate(document, schemas["atom"])
        assert_atom_rules(document)
        return document

    return get


def texts(document: etree._Element, xpath: str) -> list[str]:
    return [str(value) for value in document.xpath(xpath, namespaces=NS)]
