"""The reading mix of issue 16 for locust: 70% chapters, 15% listings and filters, 10% search, 4%
downloads, 1% writes (kudos and comments, by members). Run by `fanarchive bench load`, which writes
the plan this reads (FANARCHIVE_LOAD_PLAN: works, fandoms, words, member sessions).

Most readers are guests and are served from the page cache; MEMBER_SHARE of the simulated readers
are logged in, and so are every write. Readers pause 1–3 s between pages, as people do, and
pick works in proportion to their hit counts."""

from __future__ import annotations

import itertools
import json
import os
import random
import secrets
from typing import Any
from urllib.parse import quote

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

PLAN: dict[str, Any] = json.loads(open(os.environ["FANARCHIVE_LOAD_PLAN"]).read())  # noqa: SIM115
MEMBER_SHARE = float(PLAN.get("member_share", 0.1))
WORKS: list[tuple[int, int]] = [(work[0], work[1]) for work in PLAN["works"]]
# Works are read in proportion to their hit counts (the plan's third field).
CUMULATIVE_HITS = list(itertools.accumulate(work[2] for work in PLAN["works"]))


def pick_work() -> tuple[int, int]:
    """(work id, its chapter count), popular works more often."""
    return random.choices(WORKS, cum_weights=CUMULATIVE_HITS)[0]


# Writes refused by the site's own per-account and per-address limits (429), by request name.
RATE_LIMITED: dict[str, int] = {}
FILTERS = (
    "",
    "?sort=kudos",
    "?complete=true",
    "?words_from=1000&words_to=20000",
    "?sort=title&order=asc",
    "?page=2",
)


class Reader(FastHttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.member: list[str] | None = (
            random.choice(PLAN["members"]) if random.random() < MEMBER_SHARE else None
        )

    def _headers(self, member: list[str] | None) -> dict[str, str]:
        return {"Cookie": member[1]} if member else {}

    @task(70)
    def chapter(self) -> None:
        work_id, chapters = pick_work()
        self.client.get(
            f"/works/{work_id}/chapters/{random.randint(1, chapters)}",
            headers=self._headers(self.member),
            name="/works/[id]/chapters/[n]",
        )

    @task(15)
    def listing(self) -> None:
        if random.random() < 0.5:
            path = "/works" + random.choice(FILTERS)
            name = "/works?[filters]"
        else:
            path = f"/tags/{quote(random.choice(PLAN['fandoms']), safe='')}/works"
            name = "/tags/[fandom]/works"
        self.client.get(path, headers=self._headers(self.member), name=name)

    @task(10)
    def search(self) -> None:
        words = " ".join(random.sample(PLAN["words"], random.randint(1, 2)))
        self.client.get(f"/works?q={quote(words)}", headers=self._headers(self.member), name="/works?q=")

    @task(4)
    def download(self) -> None:
        work_id, _chapters = pick_work()
        extension = random.choice(("epub", "html", "txt"))
        self.client.get(
            f"/downloads/{work_id}/work.{extension}",
            headers=self._headers(self.member),
            name=f"/downloads/[id]/work.{extension}",
        )

    @task(1)
    def write(self) -> None:
        member = self.member or random.choice(PLAN["members"])
        work_id, _chapters = pick_work()
        # Django accepts its unmasked secret as the token when the cookie carries the same one.
        token = secrets.token_hex(16)
        headers = {"Cookie": f"{member[1]}; csrftoken={token}", "X-CSRFToken": token}
        if random.random() < 0.5:
            path, data, name = f"/works/{work_id}/kudos", "", "POST /works/[id]/kudos"
            headers["Accept"] = "application/json"
        else:
            # Numbered: the site refuses a member's comment that repeats their last one word for word.
            body = quote(f"{random.choice(PLAN['comments'])} #{random.randrange(10**9)}")
            path, data, name = f"/works/{work_id}/comments", f"body={body}&chapter=1", "POST comment"
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        with self.client.post(path, data=data, headers=headers, name=name, catch_response=True) as answer:
            # The site's own limits on what one account or address may post are not failures of
            # the site: counted apart (the bench reports them), not as errors.
            if answer.status_code == 429:
                answer.success()
                RATE_LIMITED[name] = RATE_LIMITED.get(name, 0) + 1


@events.test_stop.add_listener  # type: ignore[untyped-decorator]
def _write_rate_limited(**_kwargs: Any) -> None:
    if out := os.environ.get("FANARCHIVE_LOAD_RATE_LIMITED"):
        with open(out, "w") as handle:
            json.dump(RATE_LIMITED, handle)
