"""GET /api/v1/works answers what the /works page shows for the same filters: the same works in the
same order, the same total and the same facet counts, for 50 random filter sets (a fixed seed),
and its cursor's next page is the page's page 2."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from fanarchive.archive.actions.outbox import enqueue_reindex
from fanarchive.archive.indexing.indexer import drain_all
from fanarchive.archive.indexing.service import get_backend
from fanarchive.archive.models import Tag, User, Work

pytestmark = pytest.mark.django_db

FANDOMS = ["Saltmarsh Chronicles", "Lighthouse Keepers (TV)", "Inland Tales"]
FREEFORMS = ["Found Family", "Fluff", "Angst", "Slow Burn"]
WORDS = ["gull", "lantern", "tide", "harbour", "storm"]
SORTS = [
    "updated",
    "published",
    "kudos",
    "hits",
    "comments",
    "bookmarks",
    "words",
    "title",
    "author",
    "relevance",
]


@pytest.fixture
def corpus(make_work: Callable[..., Work]) -> list[Work]:
    rng = random.Random(17)
    works = []
    for n in range(24):
        fandoms = rng.sample(FANDOMS, 2 if n % 7 == 0 else 1)
        tags = {
            "rating": ["General Audiences"],
            "fandom": fandoms,
            "freeform": rng.sample(FREEFORMS, rng.randint(0, 3)),
        }
        title = f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {n}"
        works.append(
            make_work(
                title,
                authors=(rng.choice(["ada", "brin", "corey"]),),
                tags=tags,
                chapters=rng.randint(1, 4),
                language=rng.choice(["en", "en", "fr"]),
                stats={"kudos": rng.randint(0, 90), "hits": rng.randint(0, 900)},
            )
        )
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 300))
        Work.objects.filter(pk=works[-1].pk).update(
            published=day, updated=day + dt.timedelta(days=rng.randint(0, 30)), complete=rng.random() < 0.5
        )
    enqueue_reindex([w.pk for w in works])
    drain_all(get_backend())
    return works


def _filters(rng: random.Random, tag_ids: list[int]) -> dict[str, Any]:
    chosen: dict[str, Any] = {}
    options: dict[str, Callable[[], Any]] = {
        "q": lambda: rng.choice(WORDS),
        "include": lambda: rng.sample(tag_ids, rng.randint(1, 2)),
        "exclude": lambda: rng.sample(tag_ids, 1),
        "with": lambda: [rng.choice(FANDOMS + FREEFORMS)],
        "without": lambda: [rng.choice(FREEFORMS)],
        "complete": lambda: rng.choice(["true", "false"]),
        "crossover": lambda: rng.choice(["true", "false"]),
        "words_from": lambda: rng.randint(0, 40),
        "words_to": lambda: rng.randint(20, 80),
        "updated_from": lambda: f"2024-{rng.randint(1, 6):02d}-01",
        "published_to": lambda: f"2024-{rng.randint(4, 12):02d}-01",
        "language": lambda: rng.choice(["en", "fr"]),
        "sort": lambda: rng.choice(SORTS),
        "order": lambda: rng.choice(["asc", "desc"]),
    }
    for name in rng.sample(sorted(options), rng.randint(1, 4)):
        chosen[name] = options[name]()
    chosen["per_page"] = rng.choice([3, 5, 20])
    return chosen


def _page(client: Client, params: dict[str, Any]) -> tuple[list[int], int, dict[str, list[tuple[int, int]]]]:
    listing = client.get("/works", params).context["listing"]
    facets = {g.kind.value: [(f.tag_id, f.count) for f in g.counts] for g in listing.facets}
    return [b.work.pk for b in listing.blurbs], listing.result.total, facets


def test_fifty_random_filter_sets_answer_alike(client: Client, corpus: list[Work]) -> None:
    # A member, whose pages are never served from the anonymous page cache (the page's context is
    # what is compared), and whose session the API answers as.
    client.force_login(User.objects.create_user("comparer", password="x"))
    rng = random.Random(1717)
    tag_ids = list(Tag.objects.filter(kind__in=["fandom", "freeform"]).values_list("pk", flat=True))
    nonempty = 0
    for _ in range(50):
        params = _filters(rng, tag_ids)
        ids, total, facets = _page(client, params)
        body = client.get("/api/v1/works", params).json()
        assert ([i["id"] for i in body["items"]], body["total"]) == (ids, total), params
        assert {k: [(f["tag_id"], f["count"]) for f in v] for k, v in body["facets"].items()} == facets, (
            params
        )
        if body["next_cursor"]:
            following = client.get("/api/v1/works", {"cursor": body["next_cursor"]}).json()
            assert [i["id"] for i in following["items"]] == _page(client, {**params, "page": 2})[0], params
        nonempty += bool(ids)
    # The sets must find something often enough to mean anything.
    assert nonempty >= 25
