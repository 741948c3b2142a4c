"""Subscriptions end to end: buttons over HTTP, posting through the actions, the inbox, mail through
a real SMTP server (one per item, or a digest), and the private Atom feed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.actions.chapters import ChapterText, do_add_chapter
from fanarchive.archive.actions.posting import WorkFields, do_create_work
from fanarchive.archive.models import InboxItem, Subscription, User, Work
from fanarchive.archive.tasks import mail_digests, mail_inbox_items
from support.smtp_server import Inbox, smtp_server  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

FANDOM = "Saltmarsh Chronicles"


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.SITE_URL = "http://testserver"


def member(name: str) -> User:
    user = User.objects.create_user(name, email=f"{name}@example.org", password="pw-secret-1")
    do_ensure_default_pseud(user)
    return user


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_work(author: User, title: str, fandom: str = FANDOM) -> Work:
    fields = WorkFields(
        title=title,
        rating="General Audiences",
        warnings=["No Archive Warnings Apply"],
        fandoms=[fandom],
        pseuds=[author.pseuds.get()],
        chapter_text="The lamp turned.",
    )
    return do_create_work(author, fields, post=True)


def subscribe(client: Client, kind: str, target: object) -> None:
    response = client.post("/subscriptions/new", {"kind": kind, "target": str(target), "subscribe": "on"})
    assert response.status_code == 302


def test_work_user_and_tag_subscribers_hear_once_by_inbox_mail_and_feed(
    smtp_server: Inbox,  # noqa: F811
) -> None:
    ada = member("ada")
    first = post_work(ada, "Tidewater")
    by_work, by_user, by_tag, bystander = (member(n) for n in ("wendy", "ursula", "tam", "bo"))
    subscribe(logged_in(by_work), "work", first.pk)
    subscribe(logged_in(by_user), "user", "ada")
    tag_reader = logged_in(by_tag)
    subscribe(tag_reader, "tag", FANDOM)
    assert Subscription.objects.count() == 3
    # The button says what it will do next.
    assert "Unsubscribe" in tag_reader.get(f"/tags/{FANDOM}").content.decode()
    assert "Unsubscribe" in logged_in(by_work).get(f"/works/{first.pk}").content.decode()

    do_add_chapter(first, ChapterText(body="<p>The storm.</p>", title="Storm"), posted=True)
    second = post_work(ada, "Harbour Lights")

    def kinds(user: User) -> list[tuple[str, int | None]]:
        return sorted(InboxItem.objects.filter(user=user).values_list("kind", "work_id"))

    assert kinds(by_work) == [("chapter", first.pk)]
    assert kinds(by_tag) == [("work", second.pk)]
    # A creator's subscribers hear of new chapters and new works alike.
    assert kinds(by_user) == [("chapter", first.pk), ("work", second.pk)]
    assert kinds(bystander) == [] and kinds(ada) == []

    assert mail_inbox_items() == 4
    assert mail_inbox_items() == 0  # each item is mailed once
    chapter_mail = smtp_server.last_to("wendy@example.org")
    assert "New chapter of Tidewater" in str(chapter_mail["Subject"])
    assert smtp_server.link_in(chapter_mail, r"http://testserver/works/\S+") == (
        f"http://testserver/works/{first.pk}/chapters/2"
    )
    assert len(smtp_server.to("ursula@example.org")) == 2
    assert [str(m["Subject"]) for m in smtp_server.to("tam@example.org")] == [
        "[fanarchive] New work: Harbour Lights".replace("fanarchive", _site_name())
    ]
    assert smtp_server.to("bo@example.org") == [] and smtp_server.to("ada@example.org") == []

    # The inbox, with the unread count in the header; marking read clears it.
    page = tag_reader.get("/inbox").content.decode()
    assert "New work: Harbour Lights" in page and 'class="unread-count">(1<' in page
    item = InboxItem.objects.get(user=by_tag)
    assert tag_reader.post("/inbox/read", {"items": [item.pk]}).status_code == 302
    assert "unread-count" not in tag_reader.get("/inbox").content.decode()

    # The private feed: off until asked for; a new address turns the old one off.
    assert tag_reader.get("/users/tam/inbox/anything.atom").status_code == 404
    tag_reader.post("/inbox/feed")
    old = _feed_path(tag_reader)
    feed = Client().get(old)
    assert feed.status_code == 200 and feed["Content-Type"].startswith("application/atom+xml")
    body = feed.content.decode()
    assert "New work: Harbour Lights" in body and f"http://testserver/works/{second.pk}" in body
    assert "Tidewater" not in body  # someone else's inbox item
    tag_reader.post("/inbox/feed")
    new = _feed_path(tag_reader)
    assert new != old and Client().get(old).status_code == 404 and Client().get(new).status_code == 200
    assert Client().get(new.replace("/tam/", "/wendy/")).status_code == 404
    tag_reader.post("/inbox/feed", {"revoke": "on"})
    assert Client().get(new).status_code == 404

    # Delete, and unsubscribe from the list.
    assert tag_reader.post("/inbox/delete", {"items": [item.pk]}).status_code == 302
    assert not InboxItem.objects.filter(pk=item.pk).exists()
    subscription = Subscription.objects.get(user=by_tag)
    assert FANDOM in tag_reader.get("/subscriptions").content.decode()
    tag_reader.post(f"/subscriptions/{subscription.pk}/delete")
    assert not Subscription.objects.filter(user=by_tag).exists()


def _site_name() -> str:
    from django.conf import settings

    return str(settings.SITE_NAME)


def _feed_path(client: Client) -> str:
    page = client.get("/inbox/settings").content.decode()
    start = page.index("http://testserver/users/")
    return page[start : page.index('"', start)].removeprefix("http://testserver")


def test_a_daily_digest_groups_the_items_into_one_mail(smtp_server: Inbox) -> None:  # noqa: F811
    ada = member("ada")
    work = post_work(ada, "Tidewater")
    reader = member("dora")
    client = logged_in(reader)
    subscribe(client, "work", work.pk)
    assert client.post("/inbox/settings", {"email_frequency": "daily"}).status_code == 302
    for number in (2, 3, 4):
        do_add_chapter(work, ChapterText(body=f"<p>Part {number}.</p>"), posted=True)
    assert InboxItem.objects.filter(user=reader).count() == 3
    assert mail_inbox_items() == 0  # not mailed one by one
    assert mail_digests() == 0  # a day has not passed since choosing the digest
    tomorrow = timezone.now() + dt.timedelta(days=1, minutes=1)
    assert mail_digests(tomorrow) == 1
    assert mail_digests(tomorrow) == 0
    (digest,) = smtp_server.to("dora@example.org")
    text = smtp_server.text(digest)
    assert "3 new in your inbox" in str(digest["Subject"])
    for number in (2, 3, 4):
        assert f"http://testserver/works/{work.pk}/chapters/{number}" in text


def test_never_sends_nothing_and_hidden_works_cannot_be_subscribed_to(
    smtp_server: Inbox,  # noqa: F811
) -> None:
    ada = member("ada")
    work = post_work(ada, "Tidewater")
    hidden = post_work(ada, "Sealed")
    Work.objects.filter(pk=hidden.pk).update(hidden_by_admin=True)
    reader = member("nell")
    client = logged_in(reader)
    response = client.post("/subscriptions/new", {"kind": "work", "target": hidden.pk, "subscribe": "on"})
    assert response.status_code == 404 and not Subscription.objects.exists()
    assert Client().post("/subscriptions/new", {"kind": "work", "target": work.pk}).status_code == 302
    subscribe(client, "work", work.pk)
    client.post("/inbox/settings", {"email_frequency": "never"})
    do_add_chapter(work, ChapterText(body="<p>More.</p>"), posted=True)
    assert InboxItem.objects.filter(user=reader).count() == 1
    assert mail_inbox_items() == 0 and mail_digests(timezone.now() + dt.timedelta(days=8)) == 0
    assert smtp_server.messages == []
    # What came while "never" was chosen is not mailed after switching back.
    client.post("/inbox/settings", {"email_frequency": "immediate"})
    assert mail_inbox_items() == 0
    do_add_chapter(work, ChapterText(body="<p>Yet more.</p>"), posted=True)
    assert mail_inbox_items() == 1
    # Unsubscribing by the same button.
    client.post("/subscriptions/new", {"kind": "work", "target": work.pk})
    assert not Subscription.objects.exists()
