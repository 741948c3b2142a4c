"""Comments over HTTP: posting as a member and a guest, replies, moderation, editing and deleting,
the honeypot, rate limits, hidden works, and a bounded number of queries for a page of threads."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.actions.comments import do_post_comment
from fanarchive.archive.actions.exclusions import do_mute
from fanarchive.archive.actions.works import do_set_work_flags
from fanarchive.archive.models import Comment, StatCounter, User, Work

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits() -> Iterator[None]:
    cache.clear()  # rate-limit counters of earlier tests
    yield
    cache.clear()


def _member(name: str) -> User:
    user = User.objects.create_user(name, password="x")
    do_ensure_default_pseud(user)
    return user


@pytest.fixture
def work(make_work: Callable[..., Work]) -> Work:
    return make_work("Harbour Lights", owner="ada", chapters=1)


def _post(client: Client, work: Work, **data: Any) -> Any:
    return client.post(f"/works/{work.pk}/comments", data)


def test_a_member_comments_and_reads_it_on_the_work(client: Client, work: Work) -> None:
    client.force_login(_member("reader"))
    response = _post(client, work, body="<p>What <b>lovely</b> boats</p><script>alert(1)</script>")
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    page = client.get(f"/works/{work.pk}").content.decode()
    assert "What <b>lovely</b> boats" in page and "alert(1)" not in page
    assert f'id="comment-{comment.pk}"' in page
    assert StatCounter.objects.get(work=work).comments == 1
    assert "<dt>Comments:</dt>" in page


def test_a_guest_comments_with_name_and_address_and_the_honeypot_drops_bots(
    client: Client, work: Work
) -> None:
    refused = _post(client, work, body="Hi", guest_name="", guest_email="")
    assert refused.status_code == 400 and not Comment.objects.exists()
    bot = _post(client, work, body="Cheap pills", guest_name="Bot", guest_email="b@example.org", website="x")
    assert bot.status_code == 302 and not Comment.objects.exists()
    _post(client, work, body="Hi from a gull", guest_name="Gull", guest_email="g@example.org")
    page = client.get(f"/works/{work.pk}").content.decode()
    assert "Hi from a gull" in page and "Gull" in page and "g@example.org" not in page


def test_a_work_for_logged_in_users_refuses_guests(client: Client, work: Work) -> None:
    Work.objects.filter(pk=work.pk).update(comment_permission="users")
    page = client.get(f"/works/{work.pk}").content.decode()
    assert 'class="comment-form"' not in page and "Log in" in page
    response = _post(client, work, body="Hi", guest_name="Gull", guest_email="g@example.org")
    assert response.status_code == 400 and not Comment.objects.exists()


def test_replies_moderation_and_freezing(client: Client, work: Work) -> None:
    Work.objects.filter(pk=work.pk).update(moderate_comments=True)
    reader, ada = _member("reader"), User.objects.get(username="ada")
    client.force_login(reader)
    response = _post(client, work, body="Held for now")
    assert "comment=held" in response["Location"]
    held = Comment.objects.get()
    guest = Client()
    assert "Held for now" not in guest.get(f"/works/{work.pk}").content.decode()
    assert "awaiting the creator" in client.get(f"/works/{work.pk}").content.decode()
    # Only a creator moderates; anyone else is answered as for a missing comment.
    assert client.post(f"/comments/{held.pk}/moderate", {"action": "approve"}).status_code == 404
    creator = Client()
    creator.force_login(ada)
    assert creator.post(f"/comments/{held.pk}/moderate", {"action": "approve"}).status_code == 302
    assert "Held for now" in guest.get(f"/works/{work.pk}").content.decode()
    # The reply page, then a reply; then the thread is frozen and takes no more.
    assert creator.get(f"/comments/{held.pk}/reply").status_code == 200
    _post(creator, work, body="Thank you!", parent=held.pk)
    reply = Comment.objects.get(parent=held)
    assert reply.approved  # a creator's own comment is not held
    creator.post(f"/comments/{held.pk}/moderate", {"action": "freeze"})
    refused = _post(client, work, body="One more", parent=reply.pk)
    assert refused.status_code == 400 and "frozen" in refused.content.decode()
    page = guest.get(f"/works/{work.pk}").content.decode()
    assert f'href="/comments/{reply.pk}/reply"' not in page


def test_edit_and_delete_are_the_commenters(client: Client, work: Work) -> None:
    reader = _member("reader")
    comment = do_post_comment(work, "Frist", user=reader)
    other = Client()
    other.force_login(_member("other"))
    assert other.get(f"/comments/{comment.pk}/edit").status_code == 404
    assert other.post(f"/comments/{comment.pk}/delete").status_code == 404
    client.force_login(reader)
    assert client.post(f"/comments/{comment.pk}/edit", {"body": "First"}).status_code == 302
    page = client.get(f"/works/{work.pk}").content.decode()
    assert "First" in page and "(edited" in page
    assert client.post(f"/comments/{comment.pk}/delete").status_code == 302
    assert not Comment.objects.exists()
    assert StatCounter.objects.get(work=work).comments == 0


def test_comments_on_a_hidden_work_answer_like_missing_ones(client: Client, work: Work) -> None:
    comment = do_post_comment(work, "zyxsecret words", user=_member("reader"))
    do_set_work_flags(work, posted=True, restricted=False, hidden_by_admin=True)
    client.force_login(_member("other"))
    for url in (f"/comments/{comment.pk}/reply", f"/comments/{comment.pk}/edit"):
        hidden, missing = client.get(url), client.get(url.replace(str(comment.pk), "999999"))
        assert hidden.status_code == missing.status_code == 404
        assert hidden.content == missing.content
    assert _post(client, work, body="Hi").status_code == 404


def test_comment_posting_is_rate_limited_with_retry_after(client: Client, work: Work) -> None:
    client.force_login(_member("reader"))
    answers = [_post(client, work, body=f"Comment {n}").status_code for n in range(6)]
    assert answers == [302] * 5 + [429]
    limited = _post(client, work, body="Again")
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert Comment.objects.count() == 5


def test_guests_are_limited_per_client(client: Client, work: Work) -> None:
    for n in range(10):
        assert (
            _post(client, work, body=f"Hi {n}", guest_name="Gull", guest_email="g@example.org").status_code
            == 302
        )
    limited = _post(client, work, body="Hi", guest_name="Gull", guest_email="g@example.org")
    assert limited.status_code == 429 and limited.has_header("Retry-After")


def test_a_page_of_threads_is_fifty_threads_in_a_bounded_number_of_queries(
    client: Client, work: Work, django_assert_max_num_queries: Any
) -> None:
    pseud = User.objects.get(username="ada").default_pseud()
    client.force_login(_member("reader"))

    def add(first: int, count: int) -> None:
        # Rows written in bulk: the actions' per-comment recount would make building 1,000 slow.
        roots = Comment.objects.bulk_create(
            Comment(work=work, pseud=pseud, body=f"<p>Root {n}</p>") for n in range(first, first + count)
        )
        Comment.objects.bulk_create(
            Comment(work=work, pseud=pseud, parent=root, body=f"<p>Reply to {root.pk}</p>") for root in roots
        )

    add(0, 1)
    with CaptureQueriesContext(connection) as one_thread:
        client.get(f"/works/{work.pk}")
    add(1, 499)  # 1,000 comments: 500 threads of two
    # As many queries as for one thread: none per comment, per thread or per commenter.
    with django_assert_max_num_queries(len(one_thread.captured_queries)):
        page = client.get(f"/works/{work.pk}").content.decode()
    assert page.count('<li class="comment') == 100
    assert "Page 1 of 10" in page
    second = client.get(f"/works/{work.pk}?comments_page=2").content.decode()
    assert "Root 50<" in second and "Root 49<" not in second


def test_a_chapters_comments_are_on_its_page_and_on_the_whole_work(
    client: Client, make_work: Callable[..., Work]
) -> None:
    work = make_work("Three Tides", owner="ada", chapters=3)
    client.force_login(_member("reader"))
    _post(client, work, body="About the second tide", chapter=2)
    comment = Comment.objects.get()
    assert comment.chapter is not None and comment.chapter.position == 2
    assert "About the second tide" in client.get(f"/works/{work.pk}/chapters/2").content.decode()
    assert "About the second tide" not in client.get(f"/works/{work.pk}/chapters/1").content.decode()
    whole = client.get(f"/works/{work.pk}?view_full_work=true").content.decode()
    assert "About the second tide" in whole and "Chapter 2</a></span>" in whole


def test_a_muted_commenter_vanishes_from_the_muters_page_only(client: Client, work: Work) -> None:
    loud, reader = _member("loud"), _member("reader")
    do_post_comment(work, "LOUD OPINIONS", user=loud)
    do_mute(reader, loud)
    client.force_login(reader)
    assert "LOUD OPINIONS" not in client.get(f"/works/{work.pk}").content.decode()
    assert "LOUD OPINIONS" in Client().get(f"/works/{work.pk}").content.decode()


def test_a_deleted_accounts_comment_stays_unnamed(client: Client, work: Work) -> None:
    from fanarchive.archive.actions.accounts import do_delete_account

    leaving = _member("leaving")
    do_post_comment(work, "Goodbye, harbour", user=leaving)
    do_delete_account(leaving, orphan_works=True)
    page = client.get(f"/works/{work.pk}").content.decode()
    assert "Goodbye, harbour" in page and "(Account deleted)" in page and "leaving" not in page


def test_a_readers_comment_links_to_reporting_it(client: Client, work: Work) -> None:
    comment = do_post_comment(work, "Rude words", user=_member("rude"))
    page = client.get(f"/works/{work.pk}").content.decode()
    assert f'href="/comments/{comment.pk}/report"' in page
    assert client.get(f"/comments/{comment.pk}/report").status_code == 200
