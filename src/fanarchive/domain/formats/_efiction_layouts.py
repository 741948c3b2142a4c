"""eFiction's own table layouts (3.0 to 3.5.x), for its built-in backup (admin → Backup): a
`# Dump of TABLE` / `# Dump DATE : dd-Mon-yyyy` header per table, then one bare
`INSERT INTO TABLE VALUES("…", "…");` per row, every value double-quoted, no column list and no
CREATE TABLE. Columns can only be known from the version that wrote them, so each table's known
layouts are listed here and the one whose length matches a row is used.

Sources: eFiction 3.x `docs/tables.sql` and `docs/settingstable.sql` (3.0 to 3.3), the 3.5.x
install and upgrade scripts, and the Open Doors eFiction importer's table definitions (3.5.x).
Modules add columns at the end with ALTER TABLE (the challenges module: `stories.challenges`,
`series.challenges`, `settings.anonchallenges`), hence layouts with and without them.

A column written `name#` holds a number in every row; that is the evidence used when two layouts
of one table have the same length (3.5 moved four of `series`' columns)."""

from __future__ import annotations

from dataclasses import dataclass

from fanarchive.domain.formats._mysql_dump import Table, Value


@dataclass(frozen=True)
class Layout:
    versions: str
    columns: tuple[str, ...]
    numeric: frozenset[str]

    @classmethod
    def of(cls, versions: str, spec: str) -> Layout:
        names = spec.split()
        return cls(
            versions,
            tuple(name.rstrip("#") for name in names),
            frozenset(name.rstrip("#") for name in names if name.endswith("#")),
        )

    def fits(self, row: list[Value]) -> bool:
        """Whether every number column of this layout holds a number (or nothing) in `row`."""
        return all(
            _is_number(value)
            for column, value in zip(self.columns, row, strict=False)
            if column in self.numeric
        )


@dataclass(frozen=True)
class TableLayouts:
    layouts: tuple[Layout, ...]
    # Leading columns that every 3.x version and module shares: all a row of an unknown length
    # can be trusted to give.
    shared: int


def _is_number(value: Value) -> bool:
    if isinstance(value, int | float) or value is None:
        return True
    stripped = value.strip()
    return not stripped or (stripped.isascii() and stripped.lstrip("-").isdigit())


_STORIES = (
    "sid# title summary storynotes catid classes charid rid date updated uid# coauthors featured "
    "validated completed rr wordcount# rating# reviews# count#"
)
_SERIES_35 = (
    "seriesid# title summary uid# isopen# catid classes rating# warnings genres characters reviews# "
    "challenges numstories#"
)
_SERIES_30 = (
    "seriesid# title summary uid# isopen# catid rating# classes characters reviews# numstories# "
    "warnings challenges genres"
)
_INSERIES = "seriesid# sid# subseriesid# confirmed# inorder#"
_SETTINGS = (
    "sitekey sitename slogan url siteemail tableprefix skin hiddenskins language submissionsoff# "
    "storiespath store autovalidate# coauthallowed# maxwords# minwords# imageupload# imageheight# "
    "imagewidth# roundrobins# allowseries# tinyMCE# allowed_tags favorites# multiplecats# "
    "newscomments# logging# maintenance# debug# captcha# dateformat timeformat recentdays# "
    "displaycolumns# itemsperpage# extendcats# displayindex# defaultsort# displayprofile# linkstyle# "
    "linkrange# reviewsallowed# ratings# anonreviews# revdelete# rateonly# pwdsetting# alertson# "
    "disablepopups# agestatement# words version smtp_host smtp_username smtp_password"
)

KNOWN: dict[str, TableLayouts] = {
    "stories": TableLayouts(
        (
            Layout.of("3.0–3.5.x", f"{_STORIES} challenges"),
            Layout.of("3.0–3.5.x without the challenges module", _STORIES),
        ),
        shared=20,
    ),
    "chapters": TableLayouts(
        (
            Layout.of(
                "3.0–3.5.x",
                "chapid# title inorder# notes storytext endnotes validated wordcount# rating# reviews# "
                "sid# uid# count#",
            ),
        ),
        shared=13,
    ),
    "authors": TableLayouts(
        (Layout.of("3.0–3.5.x", "uid# penname realname email website bio image date admincreated password"),),
        shared=10,
    ),
    "coauthors": TableLayouts((Layout.of("3.0–3.5.x", "sid# uid#"),), shared=2),
    "categories": TableLayouts(
        (
            Layout.of(
                "3.0–3.5.x",
                "catid# parentcatid# category description image locked leveldown# displayorder# numitems#",
            ),
        ),
        shared=9,
    ),
    "characters": TableLayouts((Layout.of("3.0–3.5.x", "charid# catid# charname bio image"),), shared=5),
    "classes": TableLayouts((Layout.of("3.0–3.5.x", "class_id# class_type# class_name"),), shared=3),
    "classtypes": TableLayouts(
        (Layout.of("3.0–3.5.x", "classtype_id# classtype_name classtype_title"),), shared=3
    ),
    "ratings": TableLayouts((Layout.of("3.0–3.5.x", "rid# rating ratingwarning warningtext"),), shared=4),
    "series": TableLayouts(
        (Layout.of("3.5.x", _SERIES_35), Layout.of("3.0–3.3", _SERIES_30)),
        shared=6,
    ),
    "inseries": TableLayouts(
        (Layout.of("3.0, 3.5.x", _INSERIES), Layout.of("3.3", f"{_INSERIES} updated")),
        shared=5,
    ),
    "settings": TableLayouts((Layout.of("3.0–3.5.x", _SETTINGS),), shared=12),
}


class LayoutError(ValueError):
    pass


def apply_layout(table: Table, kind: str) -> list[str]:
    """Give `table`'s unnamed rows their columns by eFiction's layout for their length (`kind` is
    the eFiction table name without the prefix), moving them to `table.rows`. Returns how (one note
    per row length), for the doubt that says so. Raises LayoutError when a row is too short for any 3.x layout."""
    known = KNOWN.get(kind)
    unnamed, table.unnamed = table.unnamed, []
    if known is None:
        return [f"{kind}: not read (no eFiction 3.x layout has it)"]
    by_length: dict[int, list[list[Value]]] = {}
    for row in unnamed:
        by_length.setdefault(len(row), []).append(row)
    notes = []
    for length, rows in sorted(by_length.items()):
        columns, note = _columns_for(table.name, kind, known, length, rows)
        table.rows.extend(dict(zip(columns, row, strict=False)) for row in rows)
        notes.append(note)
    return notes


def _columns_for(
    name: str, kind: str, known: TableLayouts, length: int, rows: list[list[Value]]
) -> tuple[tuple[str, ...], str]:
    candidates = [layout for layout in known.layouts if len(layout.columns) == length]
    if not candidates:
        if length < known.shared:
            lengths = " or ".join(str(len(layout.columns)) for layout in known.layouts)
            raise LayoutError(
                f"a row of `{name}` has {length} values, and no eFiction 3.0–3.5.x layout of `{kind}` "
                f"is that short (they have {lengths}): not a backup this reader knows"
            )
        return (
            known.layouts[0].columns[: known.shared],
            f"{kind}: only its first {known.shared} columns, which every 3.x layout shares "
            f"(no known layout has {length} values)",
        )
    chosen = candidates[0]
    note = f"{kind} {chosen.versions} ({length} values)"
    if len(candidates) > 1:
        scores = [sum(layout.fits(row) for row in rows) for layout in candidates]
        best = max(range(len(candidates)), key=lambda i: (scores[i], -i))
        chosen = candidates[best]
        others = [
            (layout, score)
            for i, (layout, score) in enumerate(zip(candidates, scores, strict=True))
            if i != best
        ]
        rival = max(score for _layout, score in others)
        names = " or ".join(layout.versions for layout, _score in others)
        why = (
            f"its number columns hold numbers in {scores[best]} of {len(rows)} rows, {names}'s in {rival}"
            if scores[best] > rival
            else f"no row tells it from {names}: the newer layout was assumed"
        )
        note = f"{kind} {chosen.versions} ({length} values; {why})"
    return chosen.columns, note
