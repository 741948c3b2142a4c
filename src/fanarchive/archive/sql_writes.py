"""Reading a write's SQL: which table it writes, and which columns an UPDATE sets. Shared by the page
cache (which writes change pages) and the replica router (which writes pin a reader to the primary)."""

from __future__ import annotations

import re

_WRITE = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+[`"]?(\w+)', re.IGNORECASE
)
_ASSIGNED = re.compile(r'[`"]?(\w+)[`"]?\s*=')


def written_table(sql: str) -> str | None:
    """The table an INSERT, UPDATE, DELETE or REPLACE writes, lower-cased; None for anything else."""
    found = _WRITE.match(sql)
    return found.group(1).lower() if found else None


def updated_columns(sql: str) -> set[str] | None:
    """The columns an UPDATE sets (its SET list, before WHERE); None when the SQL is no UPDATE."""
    if sql.lstrip()[:6].upper() != "UPDATE":
        return None
    return set(_ASSIGNED.findall(sql.split(" WHERE ", 1)[0].split(" SET ", 1)[-1]))
