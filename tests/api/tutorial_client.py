"""The Python half of docs/api-tutorial.md, which shows this file whole; tests/api/test_tutorial.py
runs it against a live server, so the tutorial cannot drift from the API.

    python tutorial_client.py https://archive.example.org fa_yourtoken "Saltmarsh Chronicles" ./inbox

lists the fandom's complete works of 50,000 words or more, downloads each as EPUB into ./epubs,
then imports every file under ./inbox (this last step needs a staff or archivist token with the
`import` scope)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import httpx


def wait(client: httpx.Client, job: dict[str, Any]) -> dict[str, Any]:
    """Poll a job (an import, or a slow export) until it is done or failed."""
    while job["status"] in ("queued", "running"):
        time.sleep(1)
        job = client.get(job["url"]).raise_for_status().json()
    if job["status"] == "failed":
        raise RuntimeError(f"job {job['id']} failed: {job['outcome'].get('error')}")
    return job


def complete_works_over(client: httpx.Client, fandom: str, words: int) -> list[dict[str, Any]]:
    """Every complete work in the fandom with at least `words` words, page after page."""
    works: list[dict[str, Any]] = []
    page = (
        client.get("works", params={"with": fandom, "complete": "true", "words_from": words, "per_page": 100})
        .raise_for_status()
        .json()
    )
    works += page["items"]
    while page["next"]:  # the next page's address: the cursor keeps pages stable under new posts
        page = client.get(page["next"]).raise_for_status().json()
        works += page["items"]
    return works


def download_epub(client: httpx.Client, work: dict[str, Any], folder: Path) -> Path:
    """The EPUB comes straight back (200); a format that takes longer comes as a job (202)."""
    response = client.post("exports", json={"work_id": work["id"], "format": "epub"})
    if response.status_code == 202:
        job = wait(client, response.json())
        response = client.get(job["file_url"])
    response.raise_for_status()
    path = folder / f"{work['id']}.epub"
    path.write_bytes(response.content)
    return path


def import_folder(client: httpx.Client, folder: Path) -> dict[str, Any]:
    """Upload every file under `folder` (zips too) as one import job; return each file's outcome."""
    files = [
        ("files", (path.name, path.read_bytes())) for path in sorted(folder.rglob("*")) if path.is_file()
    ]
    job = client.post("imports", files=files).raise_for_status().json()
    return wait(client, job)["outcome"]  # type: ignore[no-any-return]


def main(url: str, token: str, fandom: str, inbox: Path, epubs: Path) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=f"{url.rstrip('/')}/api/v1/", headers=headers, timeout=120) as client:
        works = complete_works_over(client, fandom, 50_000)
        print(f"{len(works)} complete works of 50,000 words or more in {fandom}")
        epubs.mkdir(exist_ok=True)
        for work in works:
            print("saved", download_epub(client, work, epubs))
        outcome = import_folder(client, inbox)
        print(
            "imported {imported}, updated {updated}, unchanged {unchanged}, failed {failed}".format(
                **outcome["counts"]
            )
        )
        for file in outcome["outcomes"]:
            print(f"  {file['file']}: {file['status']} {file['reason'] or ''}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], Path(sys.argv[4]), Path("epubs"))
