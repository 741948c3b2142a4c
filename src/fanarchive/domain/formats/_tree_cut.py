"""Cutting an HTML tree in two at an element, the way calibre's splitter cuts a file at a page
break: what comes before the element stays, the element and what follows it move to a copy of the
tree, each half keeping the element's ancestors so that the markup around the text survives."""

from __future__ import annotations

import copy

from lxml.html import HtmlElement as Element


def find_anchor(root: Element, name: str) -> Element | None:
    """The element a link's `#name` lands on: its `id`, or an old `<a name>`."""
    for element in root.iter():
        if isinstance(element.tag, str) and (element.get("id") == name or element.get("name") == name):
            return element
    return None


def _ancestors(root: Element, target: Element) -> list[Element]:
    chain = []
    node: Element | None = target
    while node is not None and node is not root:
        node = node.getparent()
        if node is not None:
            chain.append(node)
    return chain


def text_before(root: Element, target: Element) -> bool:
    """Whether any words come before `target` inside `root`."""
    chain = _ancestors(root, target)  # held, so that lxml's proxies (and their ids) live on
    ancestors = set(map(id, chain))
    for element in root.iter():
        if element is target:
            return False
        if not isinstance(element.tag, str):
            continue
        if (element.text or "").strip():
            return True  # an ancestor's text, or a whole earlier element's
        if id(element) not in ancestors and element is not root and (element.tail or "").strip():
            return True
    return False


def _path(root: Element, target: Element) -> list[int]:
    path = []
    node = target
    while node is not root:
        parent = node.getparent()
        if parent is None:
            raise ValueError("the element is not inside the tree")
        path.append(parent.index(node))
        node = parent
    return path[::-1]


def cut_at(root: Element, target: Element) -> Element:
    """Cut `root` before `target`: `root` keeps what precedes it; the copy returned holds `target`
    and everything after it, inside copies of its ancestors."""
    path = _path(root, target)
    after = copy.deepcopy(root)
    # The copy: at each level, drop what precedes the path and the text before the first child.
    node = after
    for index in path:
        node.text = None
        for child in list(node)[:index]:
            node.remove(child)  # lxml takes the child's tail with it
        node = node[0]
    # The original: at each level, drop what follows the path; the target goes with its tail, and
    # the ancestors' tails (text after them) now live in the copy.
    node = root
    for depth, index in enumerate(path):
        children = list(node)
        for child in children[index + 1 :]:
            node.remove(child)
        if depth == len(path) - 1:
            node.remove(children[index])
        else:
            children[index].tail = None
            node = children[index]
    return after
