"""`--remote URL --token T`: `fanarchive search`, `import` and `export` against a hosted archive's
API (/api/v1/) instead of the local database, over httpx. Errors come back as the API's problem
details and are printed as one line; the exit statuses are the local commands' own."""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any, BinaryIO

import httpx

# An import or PDF export may take minutes on a busy archive: poll, don't hold one request open.
POLL_SECONDS = 1.0
JOB_TIMEOUT = 3600.0
REQUEST_TIMEOUT = httpx.Timeout(120.0, connect=10.0)
PER_PAGE = 20


class RemoteError(Exception):
    """What the archive answered (or why it could not be reached), in one line."""


def add_remote_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("remote archive")
    group.add_argument(
        "--remote",
        metavar="URL",
        help="use the archive at URL (e.g. https://archive.example.org) through its API instead of this one",
    )
    group.add_argument(
        "--token",
        metavar="T",
        help="with --remote: a personal access token (from the site's /settings/tokens)",
    )


def remote_from(args: argparse.Namespace) -> Remote:
    if not args.token:
        raise RemoteError("--remote needs --token (make one at /settings/tokens on that archive)")
    return Remote(args.remote, args.token)


class Remote:
    def __init__(self, url: str, token: str, *, transport: httpx.BaseTransport | None = None) -> None:
        if not url.startswith(("http://", "https://")):
            raise RemoteError(f"--remote must be an http:// or https:// address, not {url!r}")
        self.client = httpx.Client(
            base_url=url.rstrip("/") + "/api/v1/",
            headers={"Authorization": f"Bearer {token}", "User-Agent": "fanarchive-cli"},
            timeout=REQUEST_TIMEOUT,
            transport=transport,
        )

    def __enter__(self) -> Remote:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.client.close()

    def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self.client.request(method, url, **kwargs)
        except httpx.HTTPError as error:
            raise RemoteError(f"{self.client.base_url} could not be reached: {error}") from None
        if response.status_code >= 400:
            raise RemoteError(_problem(response))
        return response

    def search(self, args: argparse.Namespace) -> dict[str, Any]:
        """The same JSON `fanarchive search --json` prints locally (tag names instead of ids in facets)."""
        params: dict[str, Any] = {"per_page": PER_PAGE}
        if args.query:
            params["q"] = args.query
        if args.tag:
            params["with"] = args.tag
        if args.exclude_tag:
            params["without"] = args.exclude_tag
        if args.complete:
            params["complete"] = "true"
        if args.sort:
            params["sort"] = args.sort
        body = self._send("GET", "works", params=params).json()
        # Cursors, not page numbers: walk to the page asked for.
        for _ in range(max(args.page, 1) - 1):
            if not body.get("next_cursor"):
                body = {**body, "items": []}
                break
            body = self._send("GET", "works", params={"cursor": body["next_cursor"]}).json()
        return {
            "query": args.query,
            "total": body["total"],
            "page": args.page,
            "message": body.get("message"),
            "works": [
                {
                    "id": item["id"],
                    "title": item["title"],
                    "authors": [author["pseud"] for author in item["authors"]],
                    "words": item["words"],
                    "updated": item["updated"],
                    "url": f"/works/{item['id']}",
                    "snippet": item.get("snippet"),
                }
                for item in body["items"]
            ],
            "facets": {
                kind: [{"tag_id": f["tag_id"], "name": f["name"], "count": f["count"]} for f in facets]
                for kind, facets in body.get("facets", {}).items()
            },
        }

    def import_paths(self, paths: list[str], *, owner: str | None = None) -> dict[str, Any]:
        """Upload every file (folders walked, zips sent whole) as one import job and wait for its
        outcome: the same report `fanarchive import --report` writes."""
        files = list(_files(paths))
        if not files:
            raise RemoteError("no files found in " + ", ".join(paths))
        with ExitStack() as stack:
            parts = [("files", (path.name, stack.enter_context(path.open("rb")))) for path in files]
            data = {"owner": owner} if owner else {}
            job = self._send("POST", "imports", files=parts, data=data).json()
        return self._wait(job)["outcome"]  # type: ignore[no-any-return]

    def export(self, work_id: int, format_name: str, out: BinaryIO) -> None:
        """Write the work's file to `out`: at once for quick formats, else after its job is done."""
        body = {"work_id": work_id, "format": format_name}
        try:
            with self.client.stream("POST", "exports", json=body) as response:
                if response.status_code >= 400:
                    response.read()
                    raise RemoteError(_problem(response))
                if response.status_code == 200:
                    for chunk in response.iter_bytes():
                        out.write(chunk)
                    return
                response.read()
                job = response.json()
        except httpx.HTTPError as error:
            raise RemoteError(f"{self.client.base_url} could not be reached: {error}") from None
        job = self._wait(job)
        with self.client.stream("GET", job["file_url"]) as response:
            if response.status_code >= 400:
                response.read()
                raise RemoteError(_problem(response))
            for chunk in response.iter_bytes():
                out.write(chunk)

    def _wait(self, job: dict[str, Any]) -> dict[str, Any]:
        deadline = time.monotonic() + JOB_TIMEOUT
        while job["status"] in ("queued", "running"):
            if time.monotonic() > deadline:
                raise RemoteError(f"job {job['id']} is still {job['status']} after {JOB_TIMEOUT:.0f} s")
            time.sleep(POLL_SECONDS)
            job = self._send("GET", job["url"]).json()
        if job["status"] == "failed":
            raise RemoteError(f"job {job['id']} failed: {job['outcome'].get('error', 'no reason given')}")
        return job


def _files(paths: list[str]) -> Iterator[Path]:
    for name in paths:
        path = Path(name)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                yield from (Path(root) / f for f in sorted(files) if not f.startswith("."))
        elif path.is_file():
            yield path
        else:
            raise RemoteError(f"{name}: no such file or folder")


def _problem(response: httpx.Response) -> str:
    try:
        detail = response.json().get("detail")
    except ValueError:
        detail = None
    return f"the archive answered {response.status_code}: {detail or response.reason_phrase}"


def search_remote(args: argparse.Namespace) -> dict[str, Any]:
    with remote_from(args) as remote:
        return remote.search(args)


def import_remote(args: argparse.Namespace) -> dict[str, Any]:
    """The import report of `fanarchive import --remote`; the flags the API has no say in are refused."""
    unsupported = [
        flag for flag, value in (("--format", args.format_name), ("--fandom", args.fandom)) if value
    ]
    if unsupported:
        raise RemoteError(f"{', '.join(unsupported)} cannot be used with --remote")
    with remote_from(args) as remote:
        return remote.import_paths(args.paths, owner=args.owner)


def export_remote(args: argparse.Namespace, out: BinaryIO) -> None:
    with remote_from(args) as remote:
        remote.export(args.work, args.format_name, out)
