"""The HTML readers' shortcuts give what the longer way gave: a container's inner markup cut from
one serialisation is its children serialised one by one, a chapter's first words are the start of
all its words, and the long-tag scan finds the tags the scan of every tag refused."""

from __future__ import annotations

import re
from html import escape

import lxml.html
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from fanarchive.domain.formats._html_blocks import check_markup
from fanarchive.domain.formats._markup import inner_html, join_soft_breaks, text_of, text_start
from fanarchive.domain.limits import LimitExceeded, ReaderLimits

_TEXT = st.text(alphabet=st.sampled_from("ab &<>\"'\u00a0\u201c\n\t\x01é"), max_size=12)
_ATTRIBUTE = st.sampled_from(
    ['class="userstuff"', "title='a<b>&c'", 'href="x y<z"', 'data-x="\'"', "id=chapters", ""]
)
_TAGS = ["div", "p", "blockquote", "span", "b", "pre", "script", "style", "li", "td", "body", "section", "textarea"]  # fmt: skip


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda tag, attribute, inner, tail: f"<{tag} {attribute}>{''.join(inner)}</{tag}>{tail}",
        st.sampled_from(_TAGS),
        _ATTRIBUTE,
        st.lists(children, max_size=4),
        _TEXT,
    )


_LEAVES = _TEXT | st.sampled_from(
    ["<br>", "<img src=a alt='<'>", "<!-- c -->", "<?pi x?>", "&amp;", "&nbsp;"]
)
fragments = st.recursive(_LEAVES, _element, max_leaves=25)


def _children_one_by_one(element: lxml.html.HtmlElement) -> str:
    """inner_html as it was: the text escaped, then lxml.html.tostring of each child."""
    parts = [escape(element.text or "", quote=False)]
    parts += [lxml.html.tostring(child, encoding="unicode") for child in element]
    return "".join(parts)


@given(st.lists(fragments, max_size=4).map("".join))
@example('<div class="x">lead &amp; <p>one</p>tail<!-- c --><p>two</p></div>')
@example("<div>a<script>if (a < b) {}</script>b</div>")
def test_inner_html_is_each_child_serialised(markup: str) -> None:
    root = lxml.html.document_fromstring(f"<html><body><div>{markup}</div></body></html>")
    for element in root.iter():
        if isinstance(element.tag, str):
            assert inner_html(element) == _children_one_by_one(element)


@given(st.lists(fragments, max_size=4).map("".join), st.integers(1, 80))
@example("<div>  (See the end   of the chapter for  <b>notes</b>)</div>", 64)
def test_text_start_is_the_start_of_text_of(markup: str, size: int) -> None:
    root = lxml.html.document_fromstring(f"<html><body><div>{markup}</div></body></html>")
    for element in root.iter():
        if isinstance(element.tag, str):
            start, whole = text_start(element, size), text_of(element)
            assert whole.startswith(start)
            assert len(start) >= size or start == whole


def _refused_by_every_tag_scan(markup: str, limit: int) -> bool:
    """check_markup as it was: every tag looked at, the long ones counted."""
    for tag in re.finditer(r"<[A-Za-z][^<>]*", markup):
        if tag.end() - tag.start() > limit * 2 and tag.group().count("=") > limit:
            return True
    return False


@given(st.text(alphabet=st.sampled_from("<>a= x/"), max_size=60), st.integers(0, 6))
@example("<a b=c d=e f=g>", 2)
@example("<a=======", 3)
def test_long_tag_scan_refuses_what_every_tag_scan_refused(markup: str, limit: int) -> None:
    limits = ReaderLimits(max_attributes=limit)
    refused = _refused_by_every_tag_scan(markup, limit)
    if refused:
        with pytest.raises(LimitExceeded):
            check_markup(markup, limits)
    else:
        check_markup(markup, limits)


@given(st.text(alphabet=st.sampled_from("ab<>\n \t"), max_size=40))
@example("\na\nb>\n<c\n\nd\n")
def test_soft_breaks_are_those_the_look_behind_first_regex_found(html: str) -> None:
    assert join_soft_breaks(html) == re.sub(r"(?<=[^>\n])\n(?=[^<\n])", " ", html)
