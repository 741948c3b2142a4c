"""Every installed runtime dependency must be under a licence an AGPL-3.0-or-later program can use."""

from __future__ import annotations

import re
from importlib import metadata

# SPDX ids (and the prose that older metadata uses for them) that may be combined with AGPLv3+.
COMPATIBLE = {
    "mit", "bsd", "bsd-2-clause", "bsd-3-clause", "isc", "apache-2.0", "apache software license",
    "psf-2.0", "python software foundation license", "cnri-python", "lgpl-3.0-only", "lgpl-3.0-or-later",
    "lgpl-2.1-or-later", "gpl-3.0-only", "gpl-3.0-or-later", "agpl-3.0-only", "agpl-3.0-or-later",
    "mpl-2.0", "0bsd", "zlib", "unlicense", "cc0-1.0", "hpnd", "mit-cmu",
    "gnu affero general public license", "gnu affero general public license v3 or later (agplv3+)",
    "gnu lesser general public license v3 (lgplv3)", "mit license", "bsd license",
    "apache 2.0", "mozilla public license 2.0 (mpl 2.0)", "mit-0",
    "gnu general public license v2 or later (gplv2+)", "gnu lesser general public license v2 or later (lgplv2+)",
}  # fmt: skip
# Known to be incompatible: their terms add restrictions the AGPL forbids.
INCOMPATIBLE = re.compile(r"gpl-2\.0-only|sspl|commons clause|busl|cc-by-nc|proprietary|json license", re.I)
# Distributions whose metadata names no licence; checked by hand against the LICENSE they ship.
DECLARED_BY_LICENSE_FILE = {"huey": "MIT", "tzdata": "Apache-2.0", "psycopg-binary": "LGPL-3.0-only"}
# Distributions whose metadata contradicts the LICENSE they ship; that file, read by hand, decides.
# qrcode 8 (allauth.mfa's QR codes) carries an "Other/Proprietary License" classifier beside "BSD
# License"; its LICENSE is the 3-clause BSD licence.
# locate (wordfreq's, which the bench corpora use) carries only "Other/Proprietary License"; its
# LICENSE is the MIT licence.
DECLARED_WRONGLY = {"qrcode": "BSD-3-Clause", "locate": "MIT"}


def _wanted(requirement: str, extras: set[str]) -> bool:
    marker = requirement.partition(";")[2]
    if "extra ==" not in marker:
        return True
    return any(re.search(rf"extra\s*==\s*['\"]{re.escape(extra)}['\"]", marker) for extra in extras)


def _runtime_closure() -> dict[str, metadata.Distribution]:
    """fanarchive's requirements, without its own extras but with the extras it asks of others."""
    found: dict[str, metadata.Distribution] = {}
    visited: set[tuple[str, frozenset[str]]] = set()
    stack = [req for req in metadata.distribution("fanarchive").requires or [] if _wanted(req, set())]
    while stack:
        requirement = stack.pop()
        name = re.split(r"[\s;<>=!~\[(]", requirement, maxsplit=1)[0]
        extras_match = re.match(r"[^\[;]*\[([^\]]*)\]", requirement)
        extras = {e.strip() for e in extras_match.group(1).split(",")} if extras_match else set()
        key = name.lower().replace("_", "-")
        if (key, frozenset(extras)) in visited:
            continue
        visited.add((key, frozenset(extras)))
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # an optional, platform-specific requirement that is not installed here
        found[key] = dist
        stack += [req for req in dist.requires or [] if _wanted(req, extras)]
    return found


def _licences(key: str, dist: metadata.Distribution) -> list[str]:
    meta = dist.metadata
    if key in DECLARED_WRONGLY:
        return [DECLARED_WRONGLY[key]]
    if expression := meta.get("License-Expression"):
        return [part.strip("() ") for part in re.split(r"\s+(?:AND|OR|WITH)\s+", expression)]
    names = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    short = (meta.get("License") or "").strip()
    if short and len(short) < 80 and "\n" not in short:
        names.append(short)
    if not names and key in DECLARED_BY_LICENSE_FILE:
        names.append(DECLARED_BY_LICENSE_FILE[key])
    return names


def test_runtime_dependencies_are_agpl_compatible() -> None:
    closure = _runtime_closure()
    assert {"django", "nh3", "psycopg", "psycopg-binary", "huey", "gunicorn"} <= set(closure)
    problems = []
    for key, dist in sorted(closure.items()):
        licences = _licences(key, dist)
        if not licences:
            problems.append(f"{key}: declares no licence")
        elif any(INCOMPATIBLE.search(name) for name in licences):
            problems.append(f"{key}: incompatible licence {licences}")
        elif not any(name.lower() in COMPATIBLE for name in licences):
            problems.append(f"{key}: licence not known to be compatible {licences}")
    assert problems == []


def test_the_project_itself_is_agpl() -> None:
    assert metadata.distribution("fanarchive").metadata.get("License-Expression") == "AGPL-3.0-or-later"
