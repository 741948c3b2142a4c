"""tumblr asks, text and roleplay posts copied as text, several to a file, as people copy them from
a blog page, the archive or the dashboard.

A post is `NAME asked:` (themes vary the punctuation: `asked:`, `asked;`, `asked`), the ask, a blank
line, then the answer; or, for a roleplay or text post, just the text, often under a title line.
What a theme prints around a post marks where it ends: a `#tag #another tag` line and a `14 notes`
count; a `NAME reblogged this from NAME` line opens a reblogged post. A new post also starts at an
`asked` line, with the title line just above it when there is one. A page copied whole opens with
the blog's name and description. Lines keep their case exactly (roleplay prose is often all
lowercase); only the no-break-space indentation goes."""

from __future__ import annotations

import string
from dataclasses import dataclass, field

from fanarchive.domain.formats._tumblr_lines import (
    TAGS,
    Reblog,
    ask_match,
    blog_header,
    ends_post,
    notes_count,
    post_date,
    reblog_line,
)
from fanarchive.domain.formats._tumblr_titles import made_title
from fanarchive.domain.formats.base import ParseError, SourceFile
from fanarchive.domain.sanitize import sanitize_html
from fanarchive.domain.tags import TagKind
from fanarchive.domain.text import (
    INDENTATION,
    count_words,
    lines_to_html,
    normalise_indentation,
)
from fanarchive.domain.work import ParsedChapter, ParsedWork, Prompt, Source

_SENTENCE_END = tuple('.!?,;:…"”’)*~')


def _title_like(line: str) -> bool:
    return 0 < len(line) <= 80 and len(line.split()) <= 12 and not line.endswith(_SENTENCE_END)


@dataclass
class _Post:
    lines: list[str]
    title: str | None = None
    title_doubt: bool = False
    tags: list[str] = field(default_factory=list)
    notes: int | None = None
    published: str | None = None
    reblog: Reblog | None = None


@dataclass(frozen=True)
class _Blog:
    """The blog a page was copied from, when the copy kept its header."""

    name: str
    description: str


def _trim(lines: list[str]) -> list[str]:
    start = next((i for i, line in enumerate(lines) if line), len(lines))
    end = len(lines)
    while end > start and not lines[end - 1]:
        end -= 1
    return lines[start:end]


def _next_line(lines: list[str], index: int) -> int | None:
    return next((k for k in range(index + 1, len(lines)) if lines[k]), None)


# Where str.splitlines() ends a line; what an asker's name ("Anonymous", a blog name) is made of.
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_NAME_CHARACTERS = string.ascii_letters + string.digits + "-"
_LOOK_BACK = 64


def _may_open_a_line(head: str, marker: str, lead: str) -> bool:
    """Whether `marker` occurs with only characters of `lead` before it on its line once the line's
    indentation is stripped. Errs toward yes: a line too long to look back over counts."""
    at = head.find(marker)
    while at >= 0:
        before = head[max(0, at - _LOOK_BACK) : at].rstrip(lead).rstrip(INDENTATION)
        if not before or before[-1] in _LINE_BREAKS:
            return True
        at = head.find(marker, at + 1)
    return False


class TumblrTextParser:
    name = "tumblr-text"
    surest = 0.9
    description = "tumblr asks and roleplay posts copied as text (`NAME asked:`, #tags lines)"

    def sniff(self, source: SourceFile) -> float:
        head = source.head_text(65536)
        # Every sure answer needs an ask (`NAME asked`) or a tags line (`#...`) opening a line:
        # without a place for either, the head is not split and matched line by line.
        if not _may_open_a_line(head, " asked", _NAME_CHARACTERS) and not _may_open_a_line(head, "#", ""):
            return 0.0
        lines = [normalise_indentation(line).rstrip() for line in head.splitlines()]
        tagged = any(TAGS.match(line) for line in lines)
        asks = [i for i, line in enumerate(lines) if ask_match(line)]
        if asks and any(line for line in lines[asks[0] + 1 : asks[0] + 4]):
            return 0.9 if tagged else 0.8
        # Text posts without asks: tags lines with the notes counts or reblog lines of a copied page.
        framed = any(notes_count(line) is not None or reblog_line(line) for line in lines)
        return 0.8 if tagged and framed else 0.0

    def parse(self, source: SourceFile) -> list[ParsedWork]:
        text = source.text()
        lines = [normalise_indentation(line).rstrip() for line in text.replace("\r\n", "\n").split("\n")]
        if not any(lines):
            raise ParseError("no text")
        blog = None
        marked = any(ask_match(line) or ends_post(line) or reblog_line(line) for line in lines)
        if (header := blog_header(lines, marked)) is not None:
            name, description, end = header
            blog = _Blog(name, " ".join(description))
            lines = [""] * end + lines[end:]  # blanked, not cut: line numbers stay those of the file
        posts = self._split(lines)
        works = [work for post in posts if (work := self._work(post, blog)) is not None]
        if not works:
            raise ParseError("no post found: no `NAME asked:` line and no text")
        return works

    @staticmethod
    def _split(lines: list[str]) -> list[_Post]:
        enders = {i for i, line in enumerate(lines) if ends_post(line)}
        reblogs = {i for i, line in enumerate(lines) if reblog_line(line)}
        starts: dict[int, tuple[str | None, bool]] = dict.fromkeys(reblogs, (None, False))
        for index, line in enumerate(lines):
            if not ask_match(line):
                continue
            above = next((k for k in range(index - 1, -1, -1) if lines[k]), None)
            if above in reblogs:
                continue  # the reblog line opens this post already
            if above is None or above in enders or ask_match(lines[above]):
                starts[index] = (None, False)
                continue
            before = next((k for k in range(above - 1, -1, -1) if lines[k]), None)
            opens_file = before is None
            after_end = before in enders or before in reblogs
            after_break = above == 0 or not lines[above - 1]
            if opens_file or after_end:
                starts[above] = (lines[above], False)
            elif after_break and _title_like(lines[above]):
                starts[above] = (lines[above], True)
            else:
                starts[index] = (None, False)
        for index in sorted(enders):
            following = _next_line(lines, index)
            if (
                following is not None
                and following not in starts
                and following not in enders
                and not ask_match(lines[following])
            ):
                starts[following] = (None, False)
        first = next(i for i, line in enumerate(lines) if line)
        if not starts or first < min(starts):
            starts[first] = (None, False)
        ordered = sorted(starts)
        posts: list[_Post] = []
        reblog: Reblog | None = None
        for number, start in enumerate(ordered):
            end = ordered[number + 1] if number + 1 < len(ordered) else len(lines)
            title, doubtful = starts[start]
            body = _trim(lines[start + 1 : end] if title is not None else lines[start:end])
            post = _Post(lines=body, title=title, title_doubt=doubtful, reblog=reblog)
            reblog = None
            if post.lines and (opening := reblog_line(post.lines[0])):
                post.reblog, post.lines = opening, _trim(post.lines[1:])
            _take_endings(post)
            if (
                not post.lines
                and post.title is None
                and post.notes is None
                and not post.tags
                and not post.published
            ):
                reblog = post.reblog  # a reblog line with its post's title or ask just below it
                continue
            posts.append(post)
        return posts

    def _work(self, post: _Post, blog: _Blog | None) -> ParsedWork | None:
        if not post.lines and post.title is None:
            return None
        work = ParsedWork(title=post.title or "", source=Source(format=self.name, site="tumblr.com"))
        body = post.lines
        if body and (ask := ask_match(body[0])):
            asker = ask.group("name")
            rest = body[1:]
            if ask.group("rest"):
                rest = [ask.group("rest"), *rest]
            rest = _trim(rest)
            cut = rest.index("") if "" in rest else min(1, len(rest))
            if "" not in rest and len(rest) > 1:
                work.doubts.append(
                    "No blank line separates the ask from the answer; the ask was read as one line."
                )
            ask_lines, body = rest[:cut], _trim(rest[cut:])
            work.prompt = Prompt(
                asker=None if asker.lower() == "anonymous" else asker,
                text=sanitize_html(lines_to_html(ask_lines)),
            )
            work.metadata["asker"] = asker
        elif not post.title and len(body) > 2 and _title_like(body[0]) and not body[1]:
            post.title, body = body[0], _trim(body[2:])
            work.title = post.title
            work.doubts.append(f"The first line {post.title!r} was read as the post's title.")
        html = sanitize_html(lines_to_html(body))
        if not html:
            work.doubts.append("The post has no answer text.")
        work.chapters.append(ParsedChapter(number=1, html=html, words=count_words(html)))
        for tag in post.tags:
            work.add_tag(TagKind.FREEFORM, tag)
        if post.notes is not None:
            work.stats["notes"] = post.notes
        work.published = post.published
        if post.title_doubt:
            work.doubts.append(
                f"The line {post.title!r} between two posts was read as the next post's title."
            )
        if not work.title:
            work.title = made_title(html or (work.prompt.text if work.prompt else "")) or "Untitled post"
            work.doubts.append(f"The post has no title; {work.title!r} was made from its first words.")
        _credit(work, post.reblog, blog)
        return work


def _take_endings(post: _Post) -> None:
    """Moves the tags, notes and date lines that close the post into its fields."""
    while post.lines and ends_post(post.lines[-1]):
        line = post.lines.pop()
        count, date = notes_count(line), post_date(line)
        if count is not None:
            post.notes = count
        elif date is not None:
            post.published = date
        else:
            post.tags[:0] = [t.strip() for t in line.split("#") if t.strip()]
        post.lines = _trim(post.lines)


def _credit(work: ParsedWork, reblog: Reblog | None, blog: _Blog | None) -> None:
    if blog is not None:
        work.metadata["blog"] = blog.name
        if blog.description:
            work.metadata["blog_description"] = blog.description
    if reblog is not None:
        work.metadata["reblogged_by"] = reblog.by
        work.metadata["reblogged_from_name"] = reblog.source
    if reblog is not None and reblog.added:
        work.authors.append(reblog.by)
        work.doubts.append(
            f"The text was read as what {reblog.by} added when reblogging {reblog.source}; "
            "the post it answers is not in the copy."
        )
    elif reblog is not None:
        # A reblog's text was written upstream, by the blog it came from or one before that.
        work.doubts.append(
            f"The post was reblogged by {reblog.by} from {reblog.source}; the copy does not say "
            "which blog wrote it, so no author was set."
        )
    elif blog is not None:
        work.authors.append(blog.name)
        work.doubts.append(f"The blog name {blog.name!r} heading the copied page was read as the author.")
    else:
        work.doubts.append("The copied post does not name its blog; no author was set.")


PARSERS = [TumblrTextParser()]
