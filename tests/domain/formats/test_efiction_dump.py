from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import pytest

from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.formats.detect import detect, parse_source
from fanarchive.domain.formats.efiction_dump import EfictionDumpParser
from fanarchive.domain.text import count_words
from fanarchive.domain.work import ParsedWork, SeriesRef, Source

PARSER = EfictionDumpParser()


@pytest.fixture
def archive(fixtures_dir: Path) -> Path:
    return fixtures_dir / "efiction" / "archive"


def _source(
    archive: Path, data: bytes | None = None, name: str = "backup.sql", files: bool = True
) -> SourceFile:
    def sibling(relative: str) -> bytes | None:
        path = archive / relative
        return path.read_bytes() if files and path.is_file() else None

    return SourceFile(
        name=str(archive / name), data=data or (archive / "backup.sql").read_bytes(), open_sibling=sibling
    )


def _parse(source: SourceFile) -> list[ParsedWork]:
    assert detect(source).name == "efiction-dump"
    return PARSER.parse(source)


def test_whole_archive(archive: Path, assert_valid_works: Callable[..., dict]) -> None:
    works = _parse(_source(archive))
    assert_valid_works(works)
    assert [w.title for w in works] == [
        "The Lamplighter's Apprentice",
        "Salt on the Wind",
        "Pell Counts the Boats",
    ]
    lamp, salt, pell = works

    assert lamp.authors == ["Marisol Vane", "Juniper Hale"]
    assert (
        lamp.summary == "<p>Odile teaches Bram to light the harbour lamps; he is <i>terrible</i> at it.</p>"
    )
    assert lamp.notes == "<p>Written for the Lanternlight summer swap.</p>\n<p>Beta: quillfeather.</p>"
    assert lamp.tags == {
        "rating": ["Teen And Up Audiences"],
        "warning": ["Major Character Death"],
        "category": [],
        "fandom": [],
        "relationship": ["Odile/Bram"],
        "character": ["Odile Marsh", "Bram Hollis"],
        "freeform": ["Romance", "Het"],
    }
    assert (lamp.status, lamp.published, lamp.updated, lamp.chapters_expected) == (
        "complete",
        "2009-04-03",
        "2009-05-14",
        2,
    )
    assert lamp.stats == {"words": 79, "reads": 512, "reviews": 7}
    assert lamp.series == [
        SeriesRef(
            "Lamps Along the Quay", 1, "http://lanternlight.example.org/fiction/viewseries.php?seriesid=1"
        )
    ]
    assert lamp.source == Source(
        "efiction-dump",
        "lanternlight.example.org/fiction",
        "http://lanternlight.example.org/fiction/viewstory.php?sid=1",
        "1",
    )
    assert lamp.metadata == {
        "sid": 1,
        # For claims: the importer gives them to the imported accounts, never to the work.
        "author_emails": {"Marisol Vane": "marisol@example.org", "Juniper Hale": "juniper@example.org"},
        "Rated": "Teen",
        "Pairing type": "Het",
        "categories": ["Lanternlight Saga > Pairings > Odile and Bram", "Lanternlight Saga > Gen"],
        "featured": True,
        "unvalidated_chapters_skipped": [3],
        "unvalidated_stories_skipped": [2],
    }
    assert lamp.doubts == [
        "The category 'Lanternlight Saga > Pairings > Odile and Bram' was read as the relationship of its last part.",
        "The archive names no fandom; none was set.",
    ]
    first, second = lamp.chapters
    assert (first.number, first.title, first.notes, first.end_notes) == (
        1,
        "The First Lamp",
        "<p>For everyone who ever <em>waited up</em>.</p>",
        None,
    )
    # HTML chapter text is sanitised: the onclick and the script are gone.
    assert first.html == (
        "<p>The quay was dark when Odile climbed the ladder with her taper.</p>\n"
        "<p>Below her, Bram held the ladder and pretended not to be afraid of heights &amp; water both.</p>\n"
        "<p>One lamp, then another; the harbour woke up one window at a time.</p>"
    )
    # Old plain text: blank lines part paragraphs, single line breaks stay breaks.
    assert (second.number, second.title, second.end_notes) == (
        2,
        "Wicks and Wax",
        "<p>Next time: the storm.</p>",
    )
    assert second.html == (
        "<p>Bram had never trimmed a wick in his life.<br>Odile showed him twice, then a third time, slower.</p>\n"
        '<p>"You\'re cutting it like bread," she said.</p>\n'
        "<p>He laughed, and the flame laughed with him.</p>"
    )
    assert (first.words, second.words) == (41, 33)

    assert salt.authors == ["Tobiah Reed"]
    assert (salt.status, salt.published, salt.updated, salt.chapters_expected) == (
        "in-progress",
        "2010-01-01",
        "2010-01-03",
        None,
    )
    assert salt.stats == {"reads": 204, "reviews": 3}  # wordcount 0 means never counted
    assert salt.tags["rating"] == [] and salt.tags["character"] == ["Captain Ysolde"]
    assert salt.tags["freeform"] == ["Humour", "Sea Monsters", "Gen"]
    assert salt.series[0].position == 2
    assert salt.metadata["Rated"] == "Adults Only" and salt.metadata["round_robin"] is True
    assert (
        "The archive's rating 'Adults Only' is not one of AO3's; it was kept in metadata as 'Rated'."
        in salt.doubts
    )
    # Chapter text from stories/<uid>/<chapid>.txt beside the dump, Windows-1252 decoded.
    assert [c.title for c in salt.chapters] == ["Spindrift", "Ballast"]
    assert salt.chapters[0].html.startswith(
        "<p>The winter the sea froze, Ysolde was nine and already “too old for stories”.</p>\n"
        "<p>She walked out on the ice as far as the wreck of the ‘Marguerite’"
    )
    assert "stayed too long – and Ysolde" in salt.chapters[1].html
    assert salt.chapters[1].end_notes == "<p>Thank you for reading; more soon.</p>"
    assert [c.words for c in salt.chapters] == [46, 31]

    assert (pell.authors, pell.tags["rating"], pell.tags["character"]) == (
        ["quillfeather"],
        ["General Audiences"],
        ["Pell the Cat"],
    )
    assert (pell.published, pell.updated) == ("2009-03-01", "2009-03-01")  # a zero date is no date
    assert pell.metadata["categories"] == ["Harbour Tales"]
    # No blank line anywhere: one paragraph per line.
    assert pell.chapters[0].html == (
        "<p>Pell sat on the bollard and counted boats: one, two, seven.</p>\n"
        "<p>Seven was wrong; there were only three.</p>\n"
        "<p>Pell counted again, and got a fish.</p>"
    )
    assert pell.chapters[0].words == 25
    assert all(c.words == count_words(c.html) for w in works for c in w.chapters)


@pytest.mark.parametrize("prefix", ["", "eff_", "Old Archive "])
def test_any_table_prefix_and_gzip(archive: Path, prefix: str) -> None:
    data = (archive / "backup.sql").read_bytes().replace(b"`fanfiction_", f"`{prefix}".encode())
    expected = [(w.title, w.authors, w.tags, len(w.chapters)) for w in PARSER.parse(_source(archive))]
    for blob, name in ((data, "backup.sql"), (gzip.compress(data), "backup.sql.gz")):
        works = _parse(_source(archive, blob, name))
        assert [(w.title, w.authors, w.tags, len(w.chapters)) for w in works] == expected


def test_missing_chapter_file_keeps_the_work_with_a_doubt(archive: Path) -> None:
    salt = _parse(_source(archive, files=False))[1]
    assert [c.html for c in salt.chapters] == ["", ""]
    assert salt.doubts[-1] == (
        "2 of 2 chapters have text the dump says exists (the dump holds no text for them, so eFiction "
        "kept it in files) but no file for it beside the dump: stories/2/4.txt, stories/2/5.txt; "
        "those chapters were left empty."
    )
    assert salt.metadata["missing_chapter_files"] == ["stories/2/4.txt", "stories/2/5.txt"]


def test_no_settings_table_means_no_source_id(archive: Path) -> None:
    data = (archive / "backup.sql").read_bytes()
    data = data.replace(b"INSERT INTO `fanfiction_settings`", b"INSERT INTO `unrelated_table`")
    lamp = PARSER.parse(_source(archive, data))[0]
    # Without the archive's address a sid is not unique across archives: re-imports match on content.
    assert lamp.source == Source("efiction-dump") and lamp.metadata["sid"] == 1


def test_truncated_dump(archive: Path) -> None:
    data = (archive / "backup.sql").read_bytes()
    cut = data[: data.index(b"Captain Ysolde remembers")]
    with pytest.raises(
        ParseError,
        match=r"truncated: its last statement is cut off inside a quoted string \(it begins: INSERT INTO `fanfiction_stories`",
    ):
        PARSER.parse(_source(archive, cut))
    with pytest.raises(ParseError, match="gzip file is truncated"):
        PARSER.parse(_source(archive, gzip.compress(data)[:-200], "backup.sql.gz"))


def test_dump_without_stories_table(archive: Path) -> None:
    data = (archive / "backup.sql").read_bytes()
    data = data[: data.index(b"--\n-- Table structure for table `fanfiction_stories`")]
    with pytest.raises(ParseError, match=r"no stories table in the dump \(looked for `fanfiction_stories`"):
        parse_source(_source(archive, data))


def test_only_unvalidated_stories(archive: Path) -> None:
    data = (archive / "backup.sql").read_bytes()
    stories = data.index(b"INSERT INTO `fanfiction_stories`")
    data = data[:stories] + data[stories:].replace(b"'1','1','1','0',79", b"'1','0','1','0',79", 1)
    data = data[:stories] + data[stories:].replace(b"'0','1','0','1',0,", b"'0','0','0','1',0,", 1)
    data = data[:stories] + data[stories:].replace(b"'0','0','1','1','0',28", b"'0','0','0','1','0',28", 1)
    with pytest.raises(ParseError, match="holds 4 stories but none is validated"):
        PARSER.parse(_source(archive, data))


def test_sniff_needs_efiction_markers() -> None:
    generic = SourceFile("shop.sql", b"CREATE TABLE `orders` (`id` int);\nINSERT INTO `orders` VALUES (1);\n")
    assert PARSER.sniff(generic) == 0.25
    with pytest.raises(ParseError, match="no stories table"):
        parse_source(generic)
    assert PARSER.sniff(SourceFile("story.txt", b"Chapter 1\n\nThe stories we tell.\n")) == 0.0


def test_column_names_in_a_web_page_are_not_a_dump(fixtures_dir: Path) -> None:
    # FanFiction.Net's chapter block is #storytext, an eFiction column name: without SQL statements
    # around it, that word is no sign of a dump.
    for page in sorted((fixtures_dir / "ffn").glob("*.html")):
        assert b"storytext" in page.read_bytes() or page.name in {"not-ffn.html", "truncated.html"}
        assert EfictionDumpParser().sniff(SourceFile(page.name, page.read_bytes())) == 0.0, page.name
    sql = b"-- MySQL dump\nINSERT INTO `notes` VALUES (1,'storytext');\n"
    assert EfictionDumpParser().sniff(SourceFile("x.sql", sql)) == 0.5


def test_mysql4_timestamps_and_bad_dates_spoil_only_their_own_work(
    archive: Path, assert_valid_works: Callable[..., dict]
) -> None:
    data = (archive / "backup.sql").read_bytes()
    # TIMESTAMP(14) and TIMESTAMP(8) values; an out-of-range unix time; a date that is no date.
    data = data.replace(b"'2009-04-03 21:14:00','2009-05-14 08:00:00'", b"20090403211400,'20090514'")
    data = data.replace(b"'1262304000','1262476800'", b"'999999999999999','2010-02-30 00:00:00'")
    data = data.replace(b"'2009-03-01 00:00:00','0000-00-00 00:00:00'", b"'yesterday','2009-00-00'")
    lamp, salt, pell = PARSER.parse(_source(archive, data))
    assert_valid_works([lamp, salt, pell])
    assert (lamp.published, lamp.updated) == ("2009-04-03", "2009-05-14")
    assert (salt.published, salt.updated) == (None, None)
    assert salt.metadata["unreadable_date"] == "999999999999999"
    assert salt.metadata["unreadable_updated"] == "2010-02-30 00:00:00"
    assert [d for d in salt.doubts if "`date`" in d or "`updated`" in d] == [
        "The story's `date` value is not a date this parser knows "
        "(999999999999999 is out of range as a unix time); none was set.",
        "The story's `updated` value is not a date this parser knows "
        "('2010-02-30 00:00:00' is not a date); none was set.",
    ]
    assert (pell.published, pell.updated) == (None, None)
    assert pell.metadata["unreadable_date"] == "yesterday" and "unreadable_updated" not in pell.metadata
    assert not [d for d in lamp.doubts if "not a date" in d]


def test_chapter_file_that_is_not_text_leaves_the_chapter_empty(archive: Path) -> None:
    def sibling(relative: str) -> bytes | None:
        return b"\xff\xfeA" if relative == "stories/2/4.txt" else (archive / relative).read_bytes()

    source = SourceFile(
        name=str(archive / "backup.sql"), data=(archive / "backup.sql").read_bytes(), open_sibling=sibling
    )
    salt = PARSER.parse(source)[1]
    assert salt.chapters[0].html == "" and "stayed too long" in salt.chapters[1].html
    assert [d for d in salt.doubts if d.startswith("Chapter 1's file")] == [
        "Chapter 1's file stories/2/4.txt is not text (broken UTF-16 text: truncated data); the chapter was left empty."
    ]


def _long_series_dump(n: int) -> bytes:
    stories = ",".join(f"({i},'Story {i}',1,'1')" for i in range(1, n + 1))
    chapters = ",".join(f"({i},{i},'One','<p>Text {i}.</p>')" for i in range(1, n + 1))
    # This archive counts series places from 0.
    inseries = ",".join(f"(1,{i},{i - 1})" for i in range(1, n + 1))
    return (
        f"INSERT INTO `fanfiction_stories` (`sid`,`title`,`uid`,`validated`) VALUES {stories};\n"
        f"INSERT INTO `fanfiction_chapters` (`chapid`,`sid`,`title`,`storytext`) VALUES {chapters};\n"
        "INSERT INTO `fanfiction_series` (`seriesid`,`title`) VALUES (1,'Long Road');\n"
        f"INSERT INTO `fanfiction_inseries` (`seriesid`,`sid`,`inorder`) VALUES {inseries};\n"
    ).encode()


def test_series_places_are_read_in_linear_time(monkeypatch: pytest.MonkeyPatch) -> None:
    from fanarchive.domain.formats import efiction_dump

    calls = 0
    real_number = efiction_dump.number

    def counting(value: object) -> int | None:
        nonlocal calls
        calls += 1
        return real_number(value)  # type: ignore[arg-type]

    monkeypatch.setattr(efiction_dump, "number", counting)
    works = PARSER.parse(SourceFile("long.sql", _long_series_dump(1000)))
    assert [w.series for w in (works[0], works[-1])] == [
        [SeriesRef("Long Road", 1, None)],
        [SeriesRef("Long Road", 1000, None)],
    ]
    # A scan of every series row for every story made a million calls here.
    assert calls < 40 * 1000


def test_gzip_that_inflates_past_the_cap(archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = gzip.compress(b"-- " + b" " * (8 << 20))
    limit = f"{100 * len(bomb):,}"
    with pytest.raises(
        ParseError,
        match=rf"^the gzip file inflates past {limit} bytes \(100 times its size, at most 4 GB\): not a database dump",
    ):
        PARSER.parse(_source(archive, bomb, "backup.sql.gz"))
    # The absolute cap holds for large inputs too.
    from fanarchive.domain.formats import efiction_dump

    monkeypatch.setattr(efiction_dump, "_MAX_INFLATED", 1 << 20)
    data = gzip.compress((archive / "backup.sql").read_bytes() * 200)
    with pytest.raises(ParseError, match=r"inflates past 1,048,576 bytes"):
        PARSER.parse(_source(archive, data, "backup.sql.gz"))


def test_a_rating_classification_keeps_what_is_no_ao3_rating_in_metadata(
    archive: Path, assert_valid_works: Callable[..., dict]
) -> None:
    data = (archive / "backup.sql").read_bytes()
    data = data.replace(b"(3,'pairingtype','Pairing type')", b"(3,'ratings','Ratings')")
    data = data.replace(b"(6,3,'Het')", b"(6,3,'Mature')")
    lamp, salt, _pell = PARSER.parse(_source(archive, data))
    assert_valid_works([lamp, salt])
    assert lamp.tags["rating"] == ["Teen And Up Audiences", "Mature"] and "Ratings" not in lamp.metadata
    assert salt.tags["rating"] == []
    assert (salt.metadata["Rated"], salt.metadata["Ratings"]) == ("Adults Only", "Gen")
    assert [d for d in salt.doubts if "rating" in d] == [
        "The archive's rating 'Adults Only' is not one of AO3's; it was kept in metadata as 'Rated'.",
        "The archive's rating 'Gen' is not one of AO3's; it was kept in metadata as 'Ratings'.",
    ]
