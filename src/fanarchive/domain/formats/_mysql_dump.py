"""Reading the tables out of a MySQL dump (mysqldump or phpMyAdmin .sql text) without a MySQL server.

Statements are split from a stream of byte chunks, so a gzip'd dump is never held whole in memory,
and strings are decoded one value at a time: old archives mix UTF-8 with Windows-1252 and
double-encoded UTF-8 in one dump, which no single decoding of the whole file gets right. Only
CREATE TABLE (for column names) and INSERT/REPLACE (for rows) are read; everything else is skipped."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from fanarchive.domain.formats.base import ParseError
from fanarchive.domain.limits import DEFAULT_LIMITS, LimitExceeded, ReaderLimits
from fanarchive.domain.text import DecodeError, decode_bytes

Value = str | int | float | None

# One whole statement: plain bytes, quoted strings, backticked names and comments, up to the `;`
# that ends it. Every quantifier is possessive so that a cut-off string fails at once (the caller
# then reads more) instead of backtracking; the lone `/`, `-` fallbacks need the next byte to be
# there, so that a comment opener split across two chunks is never taken for plain text.
_STATEMENT = re.compile(
    rb"""(?:[^'"`;/#-]++
    |'(?:[^'\\]++|\\.|'')*+'
    |"(?:[^"\\]++|\\.|"")*+"
    |`[^`]*+`
    |--(?:[ \t][^\n]*+)?\n
    |\#[^\n]*+\n
    |/\*.*?\*/
    |/(?=[^*])
    |-(?=[^-])
    )*+;""",
    re.S | re.X,
)
_SKIP = re.compile(rb"(?:\s++|--(?:[ \t][^\n]*+)?(?:\n|\Z)|\#[^\n]*+(?:\n|\Z)|/\*(?!!).*?\*/)*+", re.S)
# The same tokens as above, for finding where a cut-off statement stopped.
_TOKEN = re.compile(rb"""[^'"`]++|'(?:[^'\\]++|\\.|'')*+'|"(?:[^"\\]++|\\.|"")*+"|`[^`]*+`""", re.S)
_NAME = rb"(?:`(?:[^`]|``)+`|[A-Za-z0-9_$]+)"
_TABLE = rf"(?:{_NAME.decode()}\s*\.\s*)?({_NAME.decode()})".encode()
_CREATE = re.compile(
    rb"CREATE\s+(?:TEMPORARY\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?" + _TABLE + rb"\s*\(", re.I
)
_INSERT = re.compile(
    rb"(?:INSERT|REPLACE)\s+(?:(?:LOW_PRIORITY|DELAYED|HIGH_PRIORITY|IGNORE)\s+)*(?:INTO\s+)?"
    + _TABLE
    + rb"\s*(?:\(([^)]*)\)\s*)?VALUES?\s*",
    re.I,
)
_INSERT_HEAD = re.compile(
    rb"(?:INSERT|REPLACE)\s+(?:(?:LOW_PRIORITY|DELAYED|HIGH_PRIORITY|IGNORE)\s+)*(?:INTO\s+)?" + _TABLE, re.I
)
_VALUE = re.compile(
    rb"""\s*+(?:
    '((?:[^'\\]++|\\.|'')*+)'
    |0x([0-9A-Fa-f]*+)
    |([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)
    |(NULL)\b
    |"((?:[^"\\]++|\\.|"")*+)"
    |_[A-Za-z0-9]+\s*'((?:[^'\\]++|\\.|'')*+)'
    |[xX]'([0-9A-Fa-f]*)'
    |(TRUE|FALSE)\b
    )\s*+""",
    re.S | re.X | re.I,
)
_ESCAPE = re.compile(rb"\\(.)|''|\"\"", re.S)
# MySQL keeps the backslash of \% and \_ (they only mean something in LIKE patterns).
_ESCAPES = {b"0": b"\0", b"n": b"\n", b"r": b"\r", b"t": b"\t", b"Z": b"\x1a", b"b": b"\b",
            b"%": b"\\%", b"_": b"\\_"}  # fmt: skip
_NOT_COLUMNS = frozenset(
    {"primary", "key", "unique", "index", "constraint", "fulltext", "foreign", "check", "spatial"}
)


@dataclass
class CreateTable:
    table: str
    columns: list[str]


@dataclass
class Insert:
    table: str
    columns: list[str] | None
    rows: list[list[Value]]


@dataclass
class Table:
    name: str
    columns: list[str] = field(default_factory=list)
    rows: list[dict[str, Value]] = field(default_factory=list)
    created: bool = False
    # Rows of an INSERT that names no columns into a table the dump never creates (a backup made of
    # bare `INSERT INTO t VALUES (...)` lines): values in order, for a caller who knows the layout.
    unnamed: list[list[Value]] = field(default_factory=list)


def _unescape(match: re.Match[bytes]) -> bytes:
    whole = match.group(0)
    if whole in (b"''", b'""'):
        return whole[:1]
    char = match.group(1)
    return _ESCAPES.get(char, char)


def decode_text(raw: bytes) -> str:
    """One string value: UTF-8, else Windows-1252, mojibake repaired (see text.decode_bytes)."""
    if raw.isascii():
        return raw.decode("ascii").replace("\0", "")
    try:
        text, _encoding = decode_bytes(raw.replace(b"\0", b""))
    except (DecodeError, UnicodeError):
        return raw.decode("cp1252", "replace")
    return text


def _string(raw: bytes) -> str:
    if b"\\" in raw or b"''" in raw or b'""' in raw:
        raw = _ESCAPE.sub(_unescape, raw)
    return decode_text(raw)


def _name(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace").strip()
    return text[1:-1].replace("``", "`") if text.startswith("`") else text


def _preview(statement: bytes) -> str:
    text = " ".join(statement[:70].decode("utf-8", "replace").split())
    return text + ("…" if len(statement) > 70 else "")


def _split_top_level(body: bytes) -> list[bytes]:
    """A CREATE TABLE body split at its commas, leaving those in `decimal(10,2)` and strings alone."""
    parts: list[bytes] = []
    depth, start = 0, 0
    for match in re.finditer(rb"'(?:[^'\\]++|\\.|'')*+'|`[^`]*+`|[(),]", body, re.S):
        token = match.group(0)
        if token == b"(":
            depth += 1
        elif token == b")":
            depth -= 1
            if depth < 0:
                parts.append(body[start : match.start()])
                return parts
        elif token == b"," and depth == 0:
            parts.append(body[start : match.start()])
            start = match.end()
    parts.append(body[start:])
    return parts


def _create(statement: bytes, match: re.Match[bytes]) -> CreateTable:
    columns = []
    for part in _split_top_level(statement[match.end() :]):
        first = re.match(rb"\s*(" + _NAME + rb")", part)
        if first is None:
            continue
        name = _name(first.group(1))
        if first.group(1).startswith(b"`") or name.lower() not in _NOT_COLUMNS:
            columns.append(name)
    return CreateTable(_name(match.group(1)), columns)


def _values(statement: bytes, position: int, table: str) -> list[list[Value]]:
    rows: list[list[Value]] = []
    end = len(statement)
    while True:
        while position < end and statement[position] in b" \t\r\n":
            position += 1
        if position >= end or statement[position] != ord("("):
            raise ParseError(
                f"unreadable INSERT into `{table}`: expected `(` near {_preview(statement[position:])!r}"
            )
        position += 1
        row: list[Value] = []
        while True:
            value = _VALUE.match(statement, position)
            if value is None:
                if not row and statement[position : position + 1] == b")":  # an empty row: ()
                    break
                raise ParseError(
                    f"unreadable value in row {len(rows) + 1} of an INSERT into `{table}` "
                    f"near {_preview(statement[position:])!r}"
                )
            row.append(_value(value))
            position = value.end()
            if statement[position : position + 1] == b",":
                position += 1
                continue
            break
        if statement[position : position + 1] != b")":
            raise ParseError(
                f"unreadable INSERT into `{table}`: expected `)` near {_preview(statement[position:])!r}"
            )
        rows.append(row)
        position += 1
        while position < end and statement[position] in b" \t\r\n":
            position += 1
        if statement[position : position + 1] == b",":
            position += 1
            continue
        return rows


def _value(match: re.Match[bytes]) -> Value:
    string, hexa, number, _null, quoted, introduced, x_hex, boolean = match.groups()
    if string is not None:
        return _string(string)
    if number is not None:
        return int(number) if re.fullmatch(rb"[-+]?\d+", number) else float(number)
    if hexa is not None or x_hex is not None:
        return decode_text(bytes.fromhex((hexa or x_hex or b"").decode()))
    if quoted is not None:
        return _string(quoted)
    if introduced is not None:
        return _string(introduced)
    if boolean is not None:
        return 1 if boolean.upper() == b"TRUE" else 0
    return None


def parse_statement(statement: bytes) -> CreateTable | Insert | None:
    """A statement's meaning, or None for those that do not matter here (SET, LOCK, DROP, ...)."""
    start = _SKIP.match(statement)
    position = start.end() if start else 0
    if create := _CREATE.match(statement, position):
        return _create(statement, create)
    if insert := _INSERT.match(statement, position):
        table = _name(insert.group(1))
        columns = [_name(c) for c in insert.group(2).split(b",")] if insert.group(2) else None
        return Insert(table, columns, _values(statement, insert.end(), table))
    return None


def iter_statements(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Each statement's bytes, `;` included. A dump that stops inside a statement is truncated,
    and says so."""
    buffer = b""
    position = 0
    chunk_iter = iter(chunks)
    finished = False
    while True:
        match = _STATEMENT.match(buffer, position)
        if match is not None:
            yield buffer[position : match.end()]
            position = match.end()
            continue
        if finished:
            break
        # Read at least as much as is pending, so that a huge statement is rescanned only
        # logarithmically often.
        pending = len(buffer) - position
        pieces = [buffer[position:]]
        got = 0
        for chunk in chunk_iter:
            pieces.append(chunk)
            got += len(chunk)
            if got >= max(pending, 1):
                break
        else:
            finished = True
        buffer, position = b"".join(pieces), 0
    rest = buffer[position:]
    skipped = _SKIP.match(rest)
    rest = rest[skipped.end() if skipped else 0 :]
    if rest.strip():
        raise ParseError(
            f"the dump is truncated: its last statement is cut off {_where_cut(rest)} (it begins: {_preview(rest)})"
        )


def _where_cut(statement: bytes) -> str:
    position = 0
    while (token := _TOKEN.match(statement, position)) is not None and token.end() > position:
        position = token.end()
    if position < len(statement) and statement[position : position + 1] in (b"'", b'"'):
        return "inside a quoted string"
    return "before its closing `;`"


def read_tables(
    chunks: Iterable[bytes], wanted: Callable[[str], bool], limits: ReaderLimits = DEFAULT_LIMITS
) -> dict[str, Table]:
    """Rows of the tables `wanted` accepts, as dicts by column name (from the INSERT's own column
    list, else the table's CREATE TABLE); rows with neither are kept in order in `Table.unnamed`.
    Tables the dump only creates are present with no rows."""
    tables: dict[str, Table] = {}
    rows_kept = 0
    for statement in iter_statements(chunks):
        head = statement[:4096]
        # Cheap test first: most statements of a big dump are INSERTs into tables we skip.
        parsed = parse_statement(statement) if _interesting(head, wanted) else None
        if isinstance(parsed, CreateTable):
            tables[parsed.table] = Table(parsed.table, parsed.columns, created=True)
        elif isinstance(parsed, Insert):
            table = tables.setdefault(parsed.table, Table(parsed.table))
            columns = parsed.columns or table.columns
            rows_kept += len(parsed.rows)
            if rows_kept > limits.max_sql_rows:
                raise LimitExceeded(
                    "max_sql_rows", limits.max_sql_rows, "the dump's archive tables hold more rows"
                )
            if not columns:
                table.unnamed.extend(parsed.rows)
                continue
            for row in parsed.rows:
                if len(row) != len(columns):
                    raise ParseError(
                        f"a row of `{parsed.table}` has {len(row)} values for {len(columns)} columns"
                    )
                table.rows.append(dict(zip(columns, row, strict=True)))
    return tables


def _interesting(head: bytes, wanted: Callable[[str], bool]) -> bool:
    skipped = _SKIP.match(head)
    head = head[skipped.end() if skipped else 0 :]
    found = _CREATE.match(head) or _INSERT_HEAD.match(head)
    return found is not None and wanted(_name(found.group(1)))
