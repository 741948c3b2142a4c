from __future__ import annotations

import pytest

from fanarchive.domain.formats._mysql_dump import (
    CreateTable,
    Insert,
    iter_statements,
    parse_statement,
    read_tables,
)
from fanarchive.domain.formats.base import ParseError

DUMP = b"""-- MySQL dump 10.13  Distrib 5.7.42, for Linux (x86_64)
--
-- Host: localhost    Database: tidewater's archive
/*!40101 SET NAMES utf8 */;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;

DROP TABLE IF EXISTS `arc_notes`;
CREATE TABLE `arc_notes` (
  `id` int(11) NOT NULL auto_increment,
  `price` decimal(10,2) NOT NULL default '0.00',
  `mood` enum('calm','stormy, very') NOT NULL default 'calm',
  `body` text NOT NULL,
  `key` varchar(10) default NULL,
  PRIMARY KEY  (`id`),
  KEY `mood` (`mood`),
  UNIQUE KEY `u` (`key`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8;

# a hash comment; with a quote ' in it
LOCK TABLES `arc_notes` WRITE;
INSERT INTO `arc_notes` VALUES (1,3.50,'calm','It\\'s a \\"test\\";\\nsecond line\\r\\n\\ttab \\\\ back','k1'),(2,-4,'stormy, very','Doubled '' quote; and 100\\% sure',NULL);
INSERT INTO arc_notes (`body`, `id`) VALUES ('nul\\0here and \\Z', 3);
UNLOCK TABLES;
"""


def test_statements_split_on_semicolons_outside_strings_and_comments() -> None:
    statements = list(iter_statements([DUMP]))
    assert len(statements) == 8
    assert statements[5].strip().startswith(b"INSERT INTO `arc_notes` VALUES (1")
    assert statements[-1].strip() == b"UNLOCK TABLES;"


def test_same_statements_whatever_the_chunk_size() -> None:
    whole = list(iter_statements([DUMP]))
    for size in (1, 2, 3, 7, 64):
        chunks = [DUMP[i : i + size] for i in range(0, len(DUMP), size)]
        assert list(iter_statements(chunks)) == whole


def test_create_table_names_columns_not_keys() -> None:
    statement = next(s for s in iter_statements([DUMP]) if b"CREATE TABLE" in s)
    assert parse_statement(statement) == CreateTable("arc_notes", ["id", "price", "mood", "body", "key"])


def test_values_unescape_like_mysql() -> None:
    statement = next(s for s in iter_statements([DUMP]) if b"VALUES (1" in s)
    parsed = parse_statement(statement)
    assert parsed == Insert(
        "arc_notes",
        None,
        [
            [1, 3.5, "calm", 'It\'s a "test";\nsecond line\r\n\ttab \\ back', "k1"],
            [2, -4, "stormy, very", "Doubled ' quote; and 100\\% sure", None],
        ],
    )


def test_read_tables_uses_create_table_or_the_inserts_column_list() -> None:
    tables = read_tables([DUMP], lambda name: name == "arc_notes")
    table = tables["arc_notes"]
    assert table.created and table.columns == ["id", "price", "mood", "body", "key"]
    assert [row["id"] for row in table.rows] == [1, 2, 3]
    assert table.rows[2] == {"body": "nulhere and \x1a", "id": 3}
    assert read_tables([DUMP], lambda name: False) == {}


def test_other_literals_and_encodings() -> None:
    statement = (
        b"REPLACE INTO t (a,b,c,d,e,f) VALUES (0x48656c6c6f, _utf8mb4'caf\xc3\xa9', 'caf\xe9', "
        b'"dq "" here", TRUE, 1.5e3) ON DUPLICATE KEY UPDATE a=a;'
    )
    parsed = parse_statement(statement)
    assert isinstance(parsed, Insert)
    assert parsed.rows == [["Hello", "café", "café", 'dq " here', 1, 1500.0]]


def test_truncated_inside_a_string() -> None:
    cut = DUMP[: DUMP.index(b"second line")]
    with pytest.raises(
        ParseError,
        match=r"truncated: its last statement is cut off inside a quoted string \(it begins: INSERT INTO `arc_notes`",
    ):
        list(iter_statements([cut[:100], cut[100:]]))


def test_truncated_before_the_semicolon() -> None:
    with pytest.raises(ParseError, match="cut off before its closing `;`"):
        list(iter_statements([b"INSERT INTO t VALUES (1,'a'),(2"]))


def test_garbled_values_are_named() -> None:
    with pytest.raises(ParseError, match=r"unreadable value in row 2 of an INSERT into `t` near 'oops"):
        parse_statement(b"INSERT INTO t VALUES (1,'a'),(oops);")
    with pytest.raises(ParseError, match="2 values for 3 columns"):
        read_tables([b"CREATE TABLE t (a int, b int, c int); INSERT INTO t VALUES (1,2);"], lambda n: True)
    # With no CREATE TABLE and no column list, the values are kept in order for a caller who
    # knows the table's layout (eFiction's own backup).
    bare = read_tables([b"INSERT INTO t VALUES (1,2);\nINSERT INTO t VALUES (3,'x');"], lambda n: True)
    assert (bare["t"].rows, bare["t"].unnamed) == ([], [[1, 2], [3, "x"]])


def test_a_value_that_opens_like_utf16_but_is_not_falls_back_to_windows_1252() -> None:
    parsed = parse_statement(b"INSERT INTO t VALUES ('\xff\xfeA');")
    assert isinstance(parsed, Insert)
    assert parsed.rows == [["ÿþA"]]
