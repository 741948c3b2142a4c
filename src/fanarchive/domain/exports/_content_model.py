"""HTML5's content models, enforced on a parsed fragment: browsers forgive a paragraph inside a
span or a list item outside a list, epubcheck does not. Misplaced elements are renamed (to a span
or div carrying their old name as a class, so styling can keep them blocks), never dropped, so no
text is lost."""

from __future__ import annotations

import lxml.html

PHRASING = frozenset(
    "a abbr b bdi bdo br cite code data del dfn em i img ins kbd mark q ruby rp rt s samp small "
    "span strong sub sup time u var wbr".split()
)
# Elements whose content is phrasing only; `a`, `del` and `ins` are transparent: they take their
# parent's model.
_PHRASING_ONLY = (PHRASING - {"a", "del", "ins"}) | {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "summary",
}
_TRANSPARENT = frozenset({"a", "del", "ins"})
_PARENTS = {"li": {"ul", "ol"}, "dt": {"dl"}, "dd": {"dl"}, "rt": {"ruby"}, "rp": {"ruby"},
            "summary": {"details"}, "figcaption": {"figure"}}  # fmt: skip
_CHILDREN = {"ul": ("li", {"li"}), "ol": ("li", {"li"}), "dl": ("dd", {"dt", "dd", "div"})}


def _rename(element: lxml.html.HtmlElement, tag: str) -> None:
    old = element.tag
    element.tag = tag
    element.set("class", f"{element.get('class', '')} {old}".strip())


def _wrap(element: lxml.html.HtmlElement, tag: str) -> None:
    wrapper = lxml.html.Element(tag)
    element.addprevious(wrapper)
    wrapper.tail, element.tail = element.tail, None
    wrapper.append(element)


def _fix_lists(element: lxml.html.HtmlElement) -> None:
    allowed = _CHILDREN.get(element.tag)
    if allowed is None:
        return
    item, accepted = allowed
    if element.text and element.text.strip():
        first = lxml.html.Element(item)
        first.text, element.text = element.text, None
        element.insert(0, first)
    for child in list(element):
        if not isinstance(child.tag, str):
            continue
        if child.tag not in accepted:
            _wrap(child, item)
            child = child.getparent()
        if child.tail and child.tail.strip():
            stray = lxml.html.Element(item)
            stray.text, child.tail = child.tail, None
            child.addnext(stray)


def enforce(root: lxml.html.HtmlElement) -> None:
    """Fix `root`'s descendants in place; `root` itself is a flow container (a div)."""
    for element in list(root.iter()):
        if isinstance(element.tag, str) and element is not root:
            parent = element.getparent()
            needs = _PARENTS.get(element.tag)
            if needs is not None and (parent is None or parent.tag not in needs):
                _rename(element, "div")
    for element in list(root.iter()):
        if isinstance(element.tag, str):
            _fix_lists(element)
    _enforce_phrasing(root, phrasing=False)


def _enforce_phrasing(element: lxml.html.HtmlElement, phrasing: bool) -> None:
    for child in element:
        if not isinstance(child.tag, str):
            continue
        if phrasing and child.tag not in PHRASING:
            _rename(child, "span")
        inner = phrasing if child.tag in _TRANSPARENT else phrasing or child.tag in _PHRASING_ONLY
        _enforce_phrasing(child, inner)
