"""The simple approach the search bench compares against: SQLite FTS5 over the same works, a tag
join table, and counts, sorts and facets in plain SQL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from fanarchive.bench.search_mix import FACET_LIMIT, PAGE, BenchQuery
from fanarchive.bench.search_tantivy import Answer, iter_records

SCHEMA = """
CREATE TABLE work (id INTEGER PRIMARY KEY, kudos INTEGER, updated INTEGER, restricted INTEGER);
CREATE INDEX work_kudos ON work (kudos DESC, id DESC);
CREATE INDEX work_updated ON work (updated DESC, id DESC);
CREATE TABLE tag (id INTEGER PRIMARY KEY, name TEXT, kind TEXT, canonical_id INTEGER, uses INTEGER);
CREATE TABLE work_tag (tag_id INTEGER, work_id INTEGER, PRIMARY KEY (tag_id, work_id)) WITHOUT ROWID;
CREATE INDEX work_tag_work ON work_tag (work_id, tag_id);
CREATE VIRTUAL TABLE work_fts USING fts5(title, author, summary, tag, notes, text,
    tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE tag_fts USING fts5(name, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
"""
# Column weights as in our backend: title and summary above the body.
RANK = "bm25(work_fts, 3.0, 2.0, 2.0, 1.5, 1.0, 1.0)"
SORTS = {"kudos": "w.kudos DESC, w.id DESC", "updated": "w.updated DESC, w.id DESC"}


def build_fts5(corpus: Path, path: Path) -> None:
    import json

    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;" + SCHEMA)
    with db:
        for record in iter_records(corpus):
            work_id = record["work_id"]
            db.execute(
                "INSERT INTO work VALUES (?, ?, ?, ?)",
                (work_id, record["kudos"], record["updated"], int(record["restricted"])),
            )
            db.executemany(
                "INSERT OR IGNORE INTO work_tag VALUES (?, ?)",
                [(t, work_id) for t in record["filter_tag_ids"]],
            )
            db.execute(
                "INSERT INTO work_fts (rowid, title, author, summary, tag, notes, text) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    work_id,
                    record["title"],
                    " ".join(record["authors"]),
                    record["summary"],
                    " ".join(record["tag_names"]),
                    record["notes"],
                    "\n\n".join(c["text"] for c in record["chapters"]),
                ),
            )
        with (corpus / "tags.jsonl").open(encoding="utf-8") as stream:
            for line in stream:
                e = json.loads(line)
                db.execute(
                    "INSERT INTO tag VALUES (?, ?, ?, ?, ?)",
                    (e["tag_id"], e["name"], e["kind"], e["canonical_id"], e["uses"]),
                )
                db.execute("INSERT INTO tag_fts (rowid, name) VALUES (?, ?)", (e["tag_id"], e["name"]))
    db.execute("INSERT INTO work_fts (work_fts) VALUES ('optimize')")
    db.execute("ANALYZE")
    db.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def _fts_text(q: BenchQuery) -> str:
    quoted = [f'"{w}"' for w in q.words]
    return '"' + " ".join(q.words) + '"' if q.phrase else " ".join(quoted)


class Fts5Engine:
    name = "sqlite_fts5"

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path, check_same_thread=False)
        self.db.execute("PRAGMA cache_size=-262144")  # 256 MB: warm, like the other engines' caches

    def run(self, q: BenchQuery) -> Answer:
        if q.kind == "autocomplete":
            rows = self.db.execute(
                "SELECT DISTINCT coalesce(t.canonical_id, t.id) FROM tag_fts f JOIN tag t ON t.id = f.rowid "
                "WHERE tag_fts MATCH ? ORDER BY t.uses DESC LIMIT 10",
                (f'"{q.typed}" *',),
            ).fetchall()
            return [r[0] for r in rows], len(rows)
        where: list[str] = ["w.restricted = 0"]
        params: list[int | str] = []
        for tag_id in q.include:
            where.append("w.id IN (SELECT work_id FROM work_tag WHERE tag_id = ?)")
            params.append(tag_id)
        for tag_id in q.exclude:
            where.append("w.id NOT IN (SELECT work_id FROM work_tag WHERE tag_id = ?)")
            params.append(tag_id)
        if q.words:
            where.append("work_fts MATCH ?")
            params.append(_fts_text(q))
            source = "work_fts JOIN work w ON w.id = work_fts.rowid"
        else:
            source = "work w"
        condition = " AND ".join(where)
        order = RANK if q.sort == "relevance" else SORTS[q.sort]
        columns = "w.id, snippet(work_fts, -1, '<mark>', '</mark>', '…', 24)" if q.words else "w.id"
        page = self.db.execute(
            f"SELECT {columns} FROM {source} WHERE {condition} ORDER BY {order} LIMIT {PAGE}", params
        ).fetchall()
        total = self.db.execute(f"SELECT count(*) FROM {source} WHERE {condition}", params).fetchone()[0]
        if q.facets:
            self.db.execute(
                f"""SELECT kind, id, name, n FROM (
                      SELECT t.kind, t.id, t.name, count(*) AS n,
                             row_number() OVER (PARTITION BY t.kind ORDER BY count(*) DESC, t.name) AS r
                      FROM work_tag wt JOIN tag t ON t.id = wt.tag_id
                      WHERE wt.work_id IN (SELECT w.id FROM {source} WHERE {condition})
                      GROUP BY t.id)
                    WHERE r <= {FACET_LIMIT}""",
                params,
            ).fetchall()
        return [row[0] for row in page], int(total)

    def close(self) -> None:
        self.db.close()
