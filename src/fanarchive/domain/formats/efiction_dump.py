"""A whole eFiction archive from its MySQL backup: one work per validated story, with its authors
and co-authors, series, categories, characters, classifications and rating mapped as on the
printable page (see _efiction_fields), and chapter text from the dump or, where eFiction kept it
on disk, from `<storiespath>/<uid>/<chapid>.txt` beside the dump (`storiespath` is a setting,
`stories` by default).

The tables are found by their eFiction names under whatever prefix the archive used
(`fanfiction_` by default, anything or nothing at all). A dump by mysqldump or phpMyAdmin names its
columns; eFiction's own backup does not, and its rows are mapped by eFiction's known table layouts
(see _efiction_layouts), with a doubt on every work saying which were used."""

from __future__ import annotations

import gzip
import io
import re
import zlib
from collections.abc import Iterator
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from fanarchive.domain.formats import _efiction_fields as fields
from fanarchive.domain.formats._efiction_layouts import LayoutError, apply_layout
from fanarchive.domain.formats._efiction_rows import id_list, is_yes, iso_date, number, story_html, text
from fanarchive.domain.formats._mysql_dump import Table, Value, read_tables
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.text import DecodeError, count_words, decode_bytes
from fanarchive.domain.work import ParsedChapter, ParsedWork, Source

Row = dict[str, Value]

_TABLES = ("stories", "chapters", "authors", "categories", "characters", "classes", "classtypes",
           "ratings", "series", "inseries", "coauthors", "settings", "genres", "warnings")  # fmt: skip
_TABLE_NAME = re.compile(
    rb"(?:CREATE TABLE|INSERT INTO|DROP TABLE IF EXISTS|LOCK TABLES|\# Dump of(?: table)?)\s+`?(\w*?)"
    rb"(stories|chapters|authorprefs|authorfields|classtypes|inseries|coauthors|ratings)`?[\s(]"
)
_SQL_STATEMENT = re.compile(rb"^(?:CREATE TABLE|INSERT INTO|DROP TABLE|LOCK TABLES) ", re.M | re.I)
_SQL_KEYWORDS = (b"create table ", b"insert into ", b"drop table ", b"lock tables ")  # its words, lowered
_MARKERS = (b"storytext", b"parentcatid", b"penname", b"classtype_name", b"charname")
_GZIP = b"\x1f\x8b"
_DEFAULT_STORIES_PATH = "stories"
_CHUNK = 1 << 20
# A gzip bomb inflates a few kilobytes to terabytes: real dumps of text compress 5-15 times.
_MAX_INFLATED = 4 << 30
_MAX_RATIO = 100


def _head(source: SourceFile) -> bytes:
    head = source.head(65536)
    if head.startswith(_GZIP):
        try:
            return zlib.decompressobj(wbits=31).decompress(head, 65536)
        except zlib.error:
            return b""
    return head


def _chunks(source: SourceFile) -> Iterator[bytes]:
    if not source.data.startswith(_GZIP):
        yield source.data
        return
    limit = min(_MAX_INFLATED, _MAX_RATIO * len(source.data))
    inflated = 0
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(source.data)) as stream:
            while chunk := stream.read(_CHUNK):
                inflated += len(chunk)
                if inflated > limit:
                    raise ParseError(
                        f"the gzip file inflates past {limit:,} bytes ({_MAX_RATIO} times its size, "
                        f"at most {_MAX_INFLATED >> 30} GB): not a database dump, or not one to trust"
                    )
                yield chunk
    except EOFError:
        raise ParseError("the gzip file is truncated: it ends before its compressed data does") from None
    except (OSError, zlib.error) as error:
        raise ParseError(f"not a readable gzip file ({error})") from None


class EfictionDumpParser:
    name = "efiction-dump"
    surest = 0.95
    description = "an eFiction archive's MySQL backup (.sql or .sql.gz), chapter files beside it"

    def sniff(self, source: SourceFile) -> float:
        head = _head(source)
        # Column names alone are common words in web pages (FanFiction.Net's #storytext): they
        # count only in a file that really holds SQL statements. The `^` regex is tried at every
        # position, so a file naming no statement at all (nearly all) is ruled out by `in` first.
        lowered = head.lower()
        if not any(keyword in lowered for keyword in _SQL_KEYWORDS) or not _SQL_STATEMENT.search(head):
            return 0.0
        tables = {match.group(2) for match in _TABLE_NAME.finditer(head)}
        prefixes = {match.group(1) for match in _TABLE_NAME.finditer(head)}
        markers = sum(marker in head for marker in _MARKERS)
        if b"fanfiction_" in prefixes or len(tables) + markers >= 3:
            return 0.95
        return 0.5 if tables or markers else 0.25

    def parse(self, source: SourceFile) -> list[ParsedWork]:
        tables = read_tables(_chunks(source), lambda name: name.lower().endswith(_TABLES))
        return _Archive(tables, source).works()


def _name_columns(tables: dict[str, Table], prefix: str) -> list[str]:
    """Columns for the rows of eFiction's own backup, which names none: how each table was read."""
    notes = []
    for name, table in sorted(tables.items()):
        if not table.unnamed:
            continue
        if not name.startswith(prefix):
            table.unnamed = []  # another archive's tables in the same database: never read
            continue
        try:
            notes.extend(apply_layout(table, name[len(prefix) :]))
        except LayoutError as error:
            raise ParseError(str(error)) from None
    return notes


def _stories_path(raw: str) -> tuple[str, str | None]:
    """The `storiespath` setting as a folder beside the dump, and a note when it cannot be one."""
    path = PurePosixPath(raw.strip().replace("\\", "/"))
    if not raw.strip() or str(path) == ".":
        return _DEFAULT_STORIES_PATH, None
    if path.is_absolute() or ".." in path.parts:
        # An absolute path is the old server's disk; only the last folder can be beside the dump.
        return path.name or _DEFAULT_STORIES_PATH, (
            f"The archive's storiespath {raw.strip()!r} is not a folder beside the dump; "
            f"chapter files were looked for in {path.name or _DEFAULT_STORIES_PATH}/."
        )
    return str(path), None


def _prefix(tables: dict[str, Table]) -> str:
    candidates = sorted(name[: -len("stories")] for name in tables if name.lower().endswith("stories"))
    # A prefix that also has a chapters table is the archive's; `coauthors`-like near misses are not.
    for prefix in candidates:
        if f"{prefix}chapters" in tables:
            return prefix
    if candidates:
        return candidates[0]
    raise ParseError(
        "no stories table in the dump (looked for `fanfiction_stories` or any `…stories`): "
        "not an eFiction backup, or only part of one"
    )


class _Archive:
    def __init__(self, tables: dict[str, Table], source: SourceFile) -> None:
        self.prefix = _prefix(tables)
        self.tables = tables
        self.source = source
        self.layouts = _name_columns(tables, self.prefix)
        self.authors = {number(r.get("uid")): text(r.get("penname")) for r in self._rows("authors")}
        # Where the archive could reach its authors: what lets them claim their imported works.
        self.emails = {number(r.get("uid")): text(r.get("email")).strip() for r in self._rows("authors")}
        self.categories = {number(r.get("catid")): r for r in self._rows("categories")}
        self.characters = {number(r.get("charid")): text(r.get("charname")) for r in self._rows("characters")}
        self.ratings = {number(r.get("rid")): text(r.get("rating")) for r in self._rows("ratings")}
        self.classes = {number(r.get("class_id")): r for r in self._rows("classes")}
        self.classtypes = {number(r.get("classtype_id")): r for r in self._rows("classtypes")}
        self.series = {number(r.get("seriesid")): r for r in self._rows("series")}
        self.genres = {number(r.get("gid")): text(r.get("genre")) for r in self._rows("genres")}
        self.warnings = {number(r.get("wid")): text(r.get("warning")) for r in self._rows("warnings")}
        self.chapters: dict[int | None, list[Row]] = {}
        for row in self._rows("chapters"):
            self.chapters.setdefault(number(row.get("sid")), []).append(row)
        self.coauthors: dict[int | None, list[int | None]] = {}
        for row in self._rows("coauthors"):
            self.coauthors.setdefault(number(row.get("sid")), []).append(number(row.get("uid")))
        self.in_series: dict[int | None, list[Row]] = {}
        # Some archives count series places from 0, most from 1: the series with a place 0.
        self.from_zero: set[int | None] = set()
        for row in self._rows("inseries"):
            if number(row.get("sid")):
                self.in_series.setdefault(number(row.get("sid")), []).append(row)
                if not number(row.get("inorder")):
                    self.from_zero.add(number(row.get("seriesid")))
        settings = self._rows("settings")
        setting = settings[0] if settings else {}
        self.url = text(setting.get("url")).rstrip("/")
        self.url_note: str | None = None
        try:
            parts = urlsplit(self.url)
        except ValueError as error:  # `http://[oops`: no address to give the works
            self.url_note = (
                f"The archive's url setting {self.url!r} is not an address ({error}); works have none."
            )
            self.url, parts = "", urlsplit("")
        self.site = parts.netloc + parts.path.rstrip("/") if parts.netloc else None
        # `files` (chapter text in <storiespath>/<uid>/<chapid>.txt) or `mysql` (in the dump).
        self.store = text(setting.get("store")).strip().lower()
        self.stories_path, self.path_note = _stories_path(text(setting.get("storiespath")))

    def _rows(self, table: str) -> list[Row]:
        found = self.tables.get(self.prefix + table)
        return found.rows if found else []

    def works(self) -> list[ParsedWork]:
        stories = sorted(self._rows("stories"), key=lambda r: number(r.get("sid")) or 0)
        hidden: dict[int | None, list[int]] = {}
        for story in stories:
            if "validated" in story and not is_yes(story["validated"]):
                hidden.setdefault(number(story.get("uid")), []).append(number(story.get("sid")) or 0)
        works = []
        for story in stories:
            if "validated" in story and not is_yes(story["validated"]):
                continue
            work = self._work(story)
            if skipped := hidden.get(number(story.get("uid"))):
                work.metadata["unvalidated_stories_skipped"] = skipped
            works.append(work)
        if stories and not works:
            raise ParseError(f"the dump holds {len(stories)} stories but none is validated")
        return works

    def _author(self, uid: int | None, work: ParsedWork) -> str:
        if uid in self.authors:
            return self.authors[uid]
        work.doubts.append(f"The author with uid {uid} is not in the dump's authors table.")
        return f"eFiction user {uid}"

    def _work(self, story: Row) -> ParsedWork:
        sid = number(story.get("sid"))
        work = ParsedWork(title=text(story.get("title")).strip() or "Untitled")
        work.source = Source(
            format=EfictionDumpParser.name,
            site=self.site,
            url=f"{self.url}/viewstory.php?sid={sid}" if self.url else None,
            id=str(sid) if self.site else None,
        )
        work.metadata["sid"] = sid
        if self.url_note:
            work.doubts.append(self.url_note)
        if self.layouts:
            work.metadata["efiction_layouts"] = self.layouts
            work.doubts.append(
                "The backup names no columns (eFiction's own backup format); they were taken from "
                "eFiction's table layouts: " + "; ".join(self.layouts) + "."
            )
        uids = [number(story.get("uid"))]
        # 3.x keeps co-authors in their own table and only a has-co-authors flag (`1`) in
        # `stories.coauthors`; its backup leaves an empty table out altogether. Only 2.x dumps,
        # which have no such table, list uids in the column.
        uids += (
            self.coauthors.get(sid, [])
            if self.tables.get(self.prefix + "coauthors") or self.layouts
            else id_list(story.get("coauthors"))
        )
        for uid in dict.fromkeys(uids):
            if uid:
                work.authors.append(self._author(uid, work))
                if "@" in self.emails.get(uid, ""):
                    work.metadata.setdefault("author_emails", {})[work.authors[-1]] = self.emails[uid]
        work.summary = story_html(story.get("summary")) or None
        work.notes = story_html(story.get("storynotes")) or None
        work.published = self._date(work, story, "date")
        work.updated = self._date(work, story, "updated") or work.published
        work.status = "complete" if is_yes(story.get("completed")) else "in-progress"
        for column, stat in (("wordcount", "words"), ("count", "reads"), ("reviews", "reviews")):
            # eFiction leaves `wordcount` at 0 when it never counted; that is no declaration.
            if (value := number(story.get(column))) is not None and (value or stat != "words"):
                work.stats[stat] = value
        self._tags(work, story)
        self._series(work, sid)
        for column, key in (("rr", "round_robin"), ("featured", "featured")):
            if is_yes(story.get(column)):
                work.metadata[key] = True
        if text(story.get("challenges")).strip() not in ("", "0"):
            work.metadata["challenges"] = text(story.get("challenges"))
        self._chapters(work, sid, number(story.get("uid")))
        if work.status == "complete":
            work.chapters_expected = len(work.chapters)
        return work

    @staticmethod
    def _date(work: ParsedWork, story: Row, column: str) -> str | None:
        try:
            return iso_date(story.get(column))
        except ValueError as error:
            work.metadata[f"unreadable_{column}"] = text(story.get(column))
            work.doubts.append(
                f"The story's `{column}` value is not a date this parser knows ({error}); none was set."
            )
            return None

    def _category_path(self, catid: int) -> str:
        names: list[str] = []
        seen: set[int | None] = set()
        current: int | None = catid
        while current in self.categories and current not in seen:
            seen.add(current)
            row = self.categories[current]
            names.append(text(row.get("category")).strip())
            current = number(row.get("parentcatid"))
        return " > ".join(reversed(names))

    def _tags(self, work: ParsedWork, story: Row) -> None:
        rid = number(story.get("rid"))
        if rid in self.ratings:
            work.metadata["Rated"] = self.ratings[rid]
            fields.add_rating(work, self.ratings[rid], "Rated")
        fields.add_characters(
            work, [self.characters[c] for c in id_list(story.get("charid")) if c in self.characters]
        )
        fields.add_genres(work, [self.genres[g] for g in id_list(story.get("gid")) if g in self.genres])
        fields.add_warnings(work, [self.warnings[w] for w in id_list(story.get("wid")) if w in self.warnings])
        by_type: dict[int | None, list[str]] = {}
        for class_id in id_list(story.get("classes")):
            if row := self.classes.get(class_id):
                by_type.setdefault(number(row.get("class_type")), []).append(text(row.get("class_name")))
        for type_id in sorted(by_type, key=lambda t: t or 0):
            classtype = self.classtypes.get(type_id, {})
            label = (
                text(classtype.get("classtype_title"))
                or text(classtype.get("classtype_name"))
                or f"Class type {type_id}"
            )
            fields.add_classification(work, label, by_type[type_id])
        fields.add_categories(
            work, [self._category_path(c) for c in id_list(story.get("catid")) if c in self.categories]
        )
        fields.note_missing_fandom(work, "archive")

    def _series(self, work: ParsedWork, sid: int | None) -> None:
        for row in self.in_series.get(sid, []):
            series = self.series.get(number(row.get("seriesid")))
            if series is None:
                continue
            seriesid = number(series.get("seriesid"))
            position = (number(row.get("inorder")) or 0) + (1 if seriesid in self.from_zero else 0)
            url = f"{self.url}/viewseries.php?seriesid={seriesid}" if self.url else None
            fields.add_series(work, text(series.get("title")).strip(), position or None, url)

    def _chapters(self, work: ParsedWork, sid: int | None, story_uid: int | None) -> None:
        rows = sorted(
            self.chapters.get(sid, []),
            key=lambda r: (number(r.get("inorder")) or 0, number(r.get("chapid")) or 0),
        )
        hidden = [r for r in rows if "validated" in r and not is_yes(r["validated"])]
        if hidden:
            work.metadata["unvalidated_chapters_skipped"] = [number(r.get("chapid")) for r in hidden]
        missing: list[str] = []
        for row in (r for r in rows if r not in hidden):
            number_ = len(work.chapters) + 1
            body = story_html(row.get("storytext"))
            if not body:
                body = self._chapter_file(work, number_, row, story_uid, missing)
            work.chapters.append(
                ParsedChapter(
                    number=number_,
                    title=text(row.get("title")).strip() or None,
                    notes=story_html(row.get("notes")) or None,
                    end_notes=story_html(row.get("endnotes")) or None,
                    html=body,
                    words=count_words(body),
                )
            )
        if missing:
            work.metadata["missing_chapter_files"] = missing
            work.doubts.append(
                f"{len(missing)} of {len(work.chapters)} chapters have text the dump says exists "
                f"({self._where_text_is()}) but no file for it beside the dump: "
                f"{', '.join(missing)}; those chapters were left empty."
            )
        if self.path_note and (missing or self.store == "files"):
            work.doubts.append(self.path_note)
        if not work.chapters:
            work.doubts.append("The story has no validated chapter in the dump.")

    def _where_text_is(self) -> str:
        if self.store == "files":
            return f"the archive keeps chapters as files in {self.stories_path}/"
        if self.store == "mysql":
            return "the archive keeps chapters in the database, and counted their words"
        return "the dump holds no text for them, so eFiction kept it in files"

    def _chapter_file(
        self, work: ParsedWork, number_: int, row: Row, story_uid: int | None, missing: list[str]
    ) -> str:
        """A chapter's text from `<storiespath>/<uid>/<chapid>.txt`, by the chapter's own author
        first (eFiction files it there), then the story's; the default `stories` folder too, for an
        archive moved without its setting."""
        chapid = number(row.get("chapid"))
        uids = [uid for uid in (number(row.get("uid")), story_uid) if uid]
        folders = dict.fromkeys((self.stories_path, _DEFAULT_STORIES_PATH))
        paths = list(dict.fromkeys(f"{folder}/{uid}/{chapid}.txt" for folder in folders for uid in uids))
        for path in paths:
            data = self.source.open_sibling(path)
            if data is None:
                continue
            try:
                return story_html(decode_bytes(data)[0])
            except (DecodeError, UnicodeError) as error:
                work.doubts.append(
                    f"Chapter {number_}'s file {path} is not text ({error}); the chapter was left empty."
                )
                return ""
        expected = paths[0] if paths else f"{self.stories_path}/?/{chapid}.txt"
        # Only an archive that keeps text in the database (`store` = mysql) and counted no words
        # can have a chapter that is truly empty; anywhere else the text exists and is missing.
        if self.store != "mysql" or (number(row.get("wordcount")) or 0) > 0:
            missing.append(expected)
        else:
            work.doubts.append(f"Chapter {number_} is empty in the dump and has no file ({expected}).")
        return ""


PARSERS = [EfictionDumpParser()]
