"""Works written for the download tests (our own words), from tidy to hostile."""

from __future__ import annotations

from fanarchive.domain.work import ParsedChapter, ParsedWork, RelatedWork, SeriesRef, Source, empty_tags


def tidy_work() -> ParsedWork:
    tags = empty_tags()
    tags.update(
        rating=["Teen And Up Audiences"],
        warning=["No Archive Warnings Apply"],
        category=["F/F"],
        fandom=["Saltmarsh Chronicles"],
        relationship=["Ada Renner/Mira Quell"],
        character=["Ada Renner", "Mira Quell"],
        freeform=["Lighthouses", "Slow Burn"],
    )
    return ParsedWork(
        title="The Keeper's Ledger",
        authors=["quietharbour", "Ferris Lane"],
        summary="<p>Ada keeps the light; Mira keeps the accounts.</p>",
        notes="<p>Written for a <em>winter</em> exchange.</p>",
        end_notes="<p>Thank you for reading to the end.</p>",
        language="English",
        tags=tags,
        status="complete",
        published="2023-01-05",
        updated="2023-02-11",
        chapters_expected=2,
        stats={"kudos": 42, "hits": 1234, "comments": 3, "bookmarks": 0},
        chapters=[
            ParsedChapter(
                number=1,
                title="Low Tide",
                summary="<p>The ledger arrives wet.</p>",
                notes="<p>Before the chapter: a map would help.</p>",
                html="<p>The ledger came ashore in a crate of herring.</p>\n<p>Ada dried it page by page.</p>",
                end_notes="<p>After the chapter: the map is in the next one.</p>",
                words=15,
            ),
            ParsedChapter(
                number=2,
                title="High Water",
                html="<p>Mira read the columns aloud.</p>\n<p>灯台の光が回っていた。</p>",
                words=15,
            ),
        ],
        series=[SeriesRef(title="Ledgers of the Coast", position=2)],
        related=[
            RelatedWork(
                relation="inspired_by",
                title="Salt Accounts",
                url="https://example.org/works/9",
                authors=["Wren Calloway"],
            )
        ],
        source=Source(format="test", id="keeper-ledger"),
    )


# Markup that browsers forgive and epubcheck does not, or that must never reach a reader.
NASTY_HTML = (
    '<p onclick="steal()">Opening line.<script>alert("x")</script></p>'
    '<p>A <a href="javascript:alert(1)">bad link</a>, a <a href="/works/3">relative one</a>, '
    'a <a href="#nowhere">dangling anchor</a> and <a href="https://example.org/">a good one</a>.</p>'
    "<span>Span holding <p>a paragraph</p> and <div>a div</div></span>"
    "<li>An item outside any list</li>"
    "<ul><p>A paragraph inside a list</p><li>A real item</li></ul>"
    '<table summary="old"><tr><td abbr="x" scope="row" colspan="two">Cell</td></tr></table>'
    '<p lang="english" dir="sideways" align="CENTER">Odd attributes</p>'
    '<p><img src="https://example.org/cover.png" alt="a lighthouse"> <img src="/local.png"></p>'
    '<p><a name="note one">Anchor</a> and <a href="#note one">back</a></p>'
    "<center>Centred</center><font>Font</font><big>Big</big><tt>Mono</tt><strike>Gone</strike>"
    '<ol type="x" start="z" reversed><li value="q">Numbered</li></ol><dd>Loose dd</dd>'
    "<p><b>Unclosed bold <i>and italic"
)


def nasty_work() -> ParsedWork:
    work = tidy_work()
    work.title = "Storm Damage"
    work.notes = NASTY_HTML
    work.chapters[0].html = NASTY_HTML
    work.chapters[0].end_notes = NASTY_HTML
    return work
