"""GET /api/v1/works: the listing as JSON, its cursor pages, ETags and problem details."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from fanarchive.archive.actions.outbox import enqueue_reindex
from fanarchive.archive.models import Work

pytestmark = pytest.mark.django_db


def _tags(fandom: str) -> dict[str, list[str]]:
    return {"rating": ["General Audiences"], "fandom": [fandom], "freeform": ["Found Family"]}


def test_lists_filters_and_counts_like_the_page(client: Client, make_work: Callable[..., Work]) -> None:
    make_work("Gull Weather", tags=_tags("Saltmarsh Chronicles"), stats={"kudos": 5})
    make_work("Lamp Oil", tags=_tags("Saltmarsh Chronicles"), stats={"kudos": 50})
    make_work("Other Shore", tags=_tags("Inland Tales"))
    body = client.get("/api/v1/works", {"with": "Saltmarsh Chronicles", "sort": "kudos"}).json()
    assert body["total"] == 2
    assert [item["title"] for item in body["items"]] == ["Lamp Oil", "Gull Weather"]
    assert body["items"][0]["stats"]["kudos"] == 50
    assert body["items"][0]["tags"]["fandom"][0]["name"] == "Saltmarsh Chronicles"
    assert {f["name"]: f["count"] for f in body["facets"]["fandom"]} == {"Saltmarsh Chronicles": 2}
    assert body["next_cursor"] is None


def test_cursor_pages_are_stable_under_inserts(client: Client, make_work: Callable[..., Work]) -> None:
    for n in range(5):
        make_work(f"Tide {n}", stats={"kudos": n})
    first = client.get("/api/v1/works", {"per_page": "2", "sort": "kudos"}).json()
    assert [i["title"] for i in first["items"]] == ["Tide 4", "Tide 3"]
    # A newer work arrives between two pages: page 2 must neither repeat Tide 3 nor skip Tide 2.
    make_work("Tide 9", stats={"kudos": 9})
    second = client.get("/api/v1/works", {"cursor": first["next_cursor"]}).json()
    third = client.get(second["next"]).json()
    seen = [i["title"] for page in (first, second, third) for i in page["items"]]
    assert seen == ["Tide 4", "Tide 3", "Tide 2", "Tide 1", "Tide 0"]


def test_a_work_sent_already_is_dropped_without_dropping_what_came_before_it(
    client: Client, make_work: Callable[..., Work]
) -> None:
    works = {title: make_work(title) for title in ("Alder", "Birch", "Cedar", "Elm", "Fir")}
    first = client.get("/api/v1/works", {"per_page": "2", "sort": "title"}).json()
    assert [i["title"] for i in first["items"]] == ["Alder", "Birch"]
    # Birch is renamed between two pages and sorts after Elm now: page 2 holds Elm and Elmwood.
    Work.objects.filter(pk=works["Birch"].pk).update(title="Elmwood")
    enqueue_reindex([works["Birch"].pk])
    second = client.get("/api/v1/works", {"cursor": first["next_cursor"]}).json()
    assert [i["title"] for i in second["items"]] == ["Elm"]


def test_etag_answers_304_until_the_listing_changes(client: Client, make_work: Callable[..., Work]) -> None:
    make_work("Gull Weather")
    first = client.get("/api/v1/works")
    again = client.get("/api/v1/works", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"]
    make_work("Lamp Oil")
    assert client.get("/api/v1/works", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_bad_parameters_and_cursors_are_problem_details(client: Client) -> None:
    bad = client.get("/api/v1/works", {"per_page": 500})
    assert bad.status_code == 422 and bad["Content-Type"] == "application/problem+json"
    assert bad.json()["status"] == 422 and bad.json()["errors"][0]["loc"][-1] == "per_page"
    forged = client.get("/api/v1/works", {"cursor": "not-a-cursor"})
    assert forged.status_code == 422 and "cursor" in forged.json()["detail"]


def test_the_interactive_docs_load_their_scripts_from_this_site(client: Client) -> None:
    page = client.get("/api/docs").content.decode()
    # The site's CSP (script-src 'self') would refuse a CDN's copy: the page would stay blank.
    assert "/static/ninja/swagger-ui-bundle.js" in page and "cdn." not in page
    assert client.get("/api/v1/openapi.json").json()["info"]["version"] == "1"


def test_an_unexpected_error_is_a_logged_problem_document(
    client: Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the index fell over")

    monkeypatch.setattr("fanarchive.archive.api.routers.works.build_listing", broken)
    client.raise_request_exception = False
    answer = client.get("/api/v1/works")
    assert answer.status_code == 500 and answer["Content-Type"] == "application/problem+json"
    assert "fell over" not in answer.content.decode()  # no internals to the client
    assert any(record.exc_info and "fell over" in str(record.exc_info[1]) for record in caplog.records)


def test_an_unknown_api_path_is_a_problem_document(client: Client) -> None:
    for path in ("/api/v1/no-such-thing", "/api/v2/works"):
        answer = client.get(path)
        assert answer.status_code == 404 and answer["Content-Type"] == "application/problem+json", path
