"""One inbox item in words, the same in the inbox, in mail and in the private feed."""

from __future__ import annotations

from dataclasses import dataclass

from fanarchive.archive.feeds import links
from fanarchive.archive.models import InboxItem


@dataclass(frozen=True)
class ItemText:
    title: str
    url: str  # absolute, so that mail and feed readers can follow it


def describe(item: InboxItem) -> ItemText:
    work = item.work
    if work is None:  # the work was deleted after the item was written: nothing left to name
        return ItemText("A work that has since been deleted", links.absolute("/inbox"))
    if item.kind == "chapter" and item.chapter is not None:
        return ItemText(
            f"New chapter of {work.title}: {item.chapter}", links.chapter_url(work.pk, item.chapter.position)
        )
    if item.kind == "work":
        return ItemText(f"New work: {work.title}", links.work_url(work.pk))
    commenter = _commenter(item)
    where = f"#comment-{item.comment_id}" if item.comment_id else ""
    if item.kind == "reply":
        return ItemText(
            f"{commenter} replied to your comment on {work.title}", links.work_url(work.pk) + where
        )
    return ItemText(f"{commenter} commented on {work.title}", links.work_url(work.pk) + where)


def _commenter(item: InboxItem) -> str:
    comment = item.comment
    if comment is None:
        return "Someone"
    if comment.pseud is not None:
        return comment.pseud.name
    return comment.guest_name or "A guest"
