"""Who hears of a new work, chapter or comment, and what their inbox holds."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from huey.contrib.djhuey import HUEY

from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.actions.chapters import ChapterText, do_add_chapter, do_post_chapter
from fanarchive.archive.actions.notifications import do_notify_comment, do_notify_posted
from fanarchive.archive.actions.posting import WorkFields, do_create_work
from fanarchive.archive.actions.subscriptions import do_subscribe
from fanarchive.archive.actions.tags import (
    do_add_meta_tag,
    do_make_canonical,
    do_merge_tag,
    find_or_create_tag,
)
from fanarchive.archive.models import Comment, InboxItem, Mute, Tag, User, Work
from fanarchive.domain.tags import TagKind
from support.smtp_server import Inbox, smtp_server  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def member(name: str) -> User:
    user = User.objects.create_user(name, password="x")
    do_ensure_default_pseud(user)
    return user


def fields(user: User, **changes: object) -> WorkFields:
    result = WorkFields(
        title="Lighthouse Hours",
        rating="Teen And Up Audiences",
        warnings=["No Archive Warnings Apply"],
        fandoms=["Saltmarsh Chronicles"],
        freeforms=["Found Family"],
        pseuds=[user.pseuds.get()],
        chapter_text="The lamp turned.",
    )
    for name, value in changes.items():
        setattr(result, name, value)
    return result


def inbox(user: User) -> list[tuple[str, int | None]]:
    return sorted(InboxItem.objects.filter(user=user).values_list("kind", "work_id"))


def test_a_new_chapter_tells_the_works_subscribers_once(make_work: Callable[..., Work]) -> None:
    work = make_work("Tidewater", owner="ada")
    ada = User.objects.get(username="ada")
    reader, other = member("reader"), member("other")
    do_subscribe(reader, work)
    do_subscribe(reader, ada)  # two matching subscriptions, one item
    chapter = do_add_chapter(work, ChapterText(body="<p>More.</p>"), posted=True)
    assert inbox(reader) == [("chapter", work.pk)]
    assert InboxItem.objects.get(user=reader).chapter == chapter
    assert inbox(other) == [] and inbox(ada) == []


def test_a_chapter_draft_tells_nobody_until_it_is_posted(make_work: Callable[..., Work]) -> None:
    work = make_work("Tidewater", owner="ada")
    reader = member("reader")
    do_subscribe(reader, work)
    chapter = do_add_chapter(work, ChapterText(body="<p>More.</p>"), posted=False)
    assert inbox(reader) == []
    assert do_post_chapter(chapter)
    assert inbox(reader) == [("chapter", work.pk)]


def test_a_new_work_reaches_creator_and_tag_subscribers_but_not_drafts_or_muters() -> None:
    ada = member("ada")
    by_creator, by_tag, muter = member("fan"), member("tagfan"), member("muter")
    do_subscribe(by_creator, ada)
    do_subscribe(muter, ada)
    Mute.objects.create(user=muter, muted=ada)
    draft = do_create_work(ada, fields(ada), post=False)
    assert InboxItem.objects.count() == 0
    fandom = Tag.objects.get(name="Saltmarsh Chronicles")
    do_subscribe(by_tag, fandom)
    from fanarchive.archive.actions.posting import do_post_work

    do_post_work(draft, ada)
    assert inbox(by_creator) == [("work", draft.pk)]
    assert inbox(by_tag) == [("work", draft.pk)]
    assert inbox(muter) == []


def test_tag_subscribers_hear_of_works_filed_under_the_tag_once() -> None:
    canonical = find_or_create_tag("Slow Burn", TagKind.FREEFORM)
    synonym = find_or_create_tag("slowburn", TagKind.FREEFORM)
    sub = find_or_create_tag("Saltmarsh Chronicles", TagKind.FANDOM)
    meta = find_or_create_tag("Saltmarsh Universe", TagKind.FANDOM)
    for tag in (canonical, sub, meta):
        do_make_canonical(tag)
    do_merge_tag(synonym, canonical)
    do_add_meta_tag(meta, sub)
    ada = member("ada")
    by_canonical, by_meta, by_both, by_synonym = (member(n) for n in ("cano", "meta", "both", "syn"))
    do_subscribe(by_canonical, canonical)
    do_subscribe(by_meta, meta)
    do_subscribe(by_both, canonical)
    do_subscribe(by_both, meta)
    do_subscribe(by_synonym, synonym)
    work = do_create_work(ada, fields(ada, freeforms=["slowburn"]), post=True)
    for reader in (by_canonical, by_meta, by_both, by_synonym):
        assert inbox(reader) == [("work", work.pk)], reader.username


def test_hidden_works_tell_nobody(make_work: Callable[..., Work]) -> None:
    work = make_work("Tidewater", owner="ada")
    reader = member("reader")
    do_subscribe(reader, work)
    Work.objects.filter(pk=work.pk).update(hidden_by_admin=True)
    assert do_notify_posted(work=work) == []


def test_comments_tell_the_creators_and_the_replied_to_never_the_commenter(
    make_work: Callable[..., Work],
) -> None:
    work = make_work("Tidewater", owner="ada")
    ada = User.objects.get(username="ada")
    bea, cy = member("bea"), member("cy")
    first = Comment.objects.create(work=work, pseud=bea.pseuds.get(), body="<p>Lovely.</p>")
    do_notify_comment(first)
    assert inbox(ada) == [("comment", work.pk)] and inbox(bea) == []
    reply = Comment.objects.create(work=work, pseud=cy.pseuds.get(), parent=first, body="<p>Yes!</p>")
    do_notify_comment(reply)
    assert inbox(bea) == [("reply", work.pk)]
    assert inbox(ada) == [("comment", work.pk), ("comment", work.pk)] and inbox(cy) == []
    own = Comment.objects.create(work=work, pseud=ada.pseuds.get(), parent=reply, body="<p>Thanks.</p>")
    do_notify_comment(own)
    assert inbox(cy) == [("reply", work.pk)] and len(inbox(ada)) == 2


@pytest.fixture
def immediate_tasks() -> Iterator[None]:
    HUEY.immediate = True
    yield
    HUEY.immediate = False


def test_a_reply_to_a_guest_is_mailed_to_the_guest_once_committed(
    make_work: Callable[..., Work],
    smtp_server: Inbox,  # noqa: F811
    immediate_tasks: None,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.SITE_URL = "http://testserver"
    work = make_work("Tidewater", owner="ada")
    guest = Comment.objects.create(
        work=work, guest_name="Gull", guest_email="gull@example.org", body="<p>Hi</p>"
    )
    bea = member("bea")
    reply = Comment.objects.create(work=work, pseud=bea.pseuds.get(), parent=guest, body="<p>Hello!</p>")
    with django_capture_on_commit_callbacks(execute=False) as pending:
        do_notify_comment(reply)
    assert smtp_server.messages == []  # nothing before the reply is committed
    for callback in pending:
        callback()
    message = smtp_server.last_to("gull@example.org")
    assert "bea replied to your comment on Tidewater" in str(message["Subject"])
    assert f"http://testserver/works/{work.pk}#comment-{reply.pk}" in smtp_server.text(message)
    # The guest answering their own thread is not mailed about it.
    own = Comment.objects.create(
        work=work, guest_name="Gull", guest_email="Gull@example.org", parent=guest, body="<p>Me again</p>"
    )
    with django_capture_on_commit_callbacks(execute=True) as pending:
        do_notify_comment(own)
    assert pending == [] and len(smtp_server.messages) == 1
