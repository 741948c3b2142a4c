"""The author's pages: the New Work form, preview, drafts, posting, editing, deleting, orphaning."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from django.test import Client

from fanarchive.archive.actions.authors import do_ensure_default_pseud
from fanarchive.archive.indexing.indexer import drain_all
from fanarchive.archive.indexing.service import get_backend
from fanarchive.archive.models import Creatorship, SearchOutbox, Tag, User, Work
from fanarchive.domain.sanitize import safe_url

pytestmark = pytest.mark.django_db

VECTORS = Path(__file__).parents[1] / "fixtures" / "xss" / "vectors.txt"


@pytest.fixture
def author(client: Client) -> User:
    user = User.objects.create_user("writer", password="x")
    client.force_login(user)
    return user


def _form(author: User, **changes: Any) -> dict[str, Any]:
    pseud = author.default_pseud() or do_ensure_default_pseud(author)
    data: dict[str, Any] = {
        "rating": "General Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "fandoms": "Saltmarsh Chronicles",
        "categories": ["Gen"],
        "relationships": "",
        "characters": "Ada Renner, Brand New Keeper",
        "freeforms": "Found Family",
        "title": "Quillfeather Tides",
        "pseuds": [pseud.pk],
        "cocreators": "",
        "summary": "A summary.",
        "notes": "",
        "end_notes": "",
        "new_series_title": "",
        "inspired_by": "",
        "translation_of": "",
        "language": "English",
        "comment_permission": "users",
        "text_format": "html",
        "chapter_title": "",
        "chapter_text": "The quillfeather tide rose over the harbour wall.",
        "action": "post",
    }
    data.update(changes)
    return data


def test_a_guest_is_sent_to_log_in(client: Client) -> None:
    response = client.get("/works/new")
    assert response.status_code == 302 and "next=/works/new" in response["Location"]
    assert client.post("/works/new", {"title": "x"}).status_code == 302
    assert not Work.objects.exists()


def test_the_form_in_ao3_order_with_autocomplete(client: Client, author: User) -> None:
    page = client.get("/works/new").content.decode()
    order = ["rating", "warnings_0", "fandoms", "categories_0", "relationships", "characters", "freeforms"]
    order += ["title", "pseuds_0", "cocreators", "summary", "notes", "end_notes", "series"]
    order += ["new_series_title", "inspired_by", "translation_of", "language", "restricted"]
    order += ["comment_permission_0", "moderate_comments", "text_format_0", "multichapter"]
    order += ["expected_chapters", "chapter_title", "chapter_text"]
    positions = [page.index(f'id="id_{name}"') for name in order]
    assert positions == sorted(positions)
    assert 'data-autocomplete="tags" data-tag-kind="fandom"' in page
    assert "archive/autocomplete" in page and "csrfmiddlewaretoken" in page
    assert 'value="preview"' in page and 'value="draft"' in page and 'value="post"' in page
    assert 'href="/works/new"' in client.get("/").content.decode()
    assert 'href="/works/new"' not in Client().get("/").content.decode()
    # The poster's default pseud, made for them, is chosen already.
    pseud = author.pseuds.get()
    assert f'value="{pseud.pk}" id="id_pseuds_0" checked' in page or "checked" in page


def test_preview_saves_a_draft_only_its_creator_sees(client: Client, author: User) -> None:
    response = client.post("/works/new", _form(author, action="preview"))
    work = Work.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/works/{work.pk}/preview"
    assert not work.posted
    page = client.get(f"/works/{work.pk}/preview").content.decode()
    assert "Quillfeather Tides" in page and "Draft." in page and "harbour wall" in page
    assert "Quillfeather Tides" not in client.get("/works?q=quillfeather").content.decode()
    member, staff = Client(), Client()
    member.force_login(User.objects.create_user("member"))
    staff.force_login(User.objects.create_user("staff", is_staff=True, is_superuser=True))
    for other in (member, staff):
        for route in ("", "/preview", "/edit", "/delete", "/orphan"):
            assert other.get(f"/works/{work.pk}{route}").status_code == 404
        assert other.post(f"/works/{work.pk}/post").status_code == 404
        assert other.post(f"/works/{work.pk}/delete").status_code == 404
    work.refresh_from_db()
    assert not work.posted


def test_save_as_draft_then_post_from_the_preview(client: Client, author: User) -> None:
    client.post("/works/new", _form(author, action="draft"))
    work = Work.objects.get()
    assert not work.posted
    # The creator's own draft at its reader's address: the preview, with its banner.
    assert client.get(f"/works/{work.pk}")["Location"] == f"/works/{work.pk}/preview"
    response = client.post(f"/works/{work.pk}/post")
    assert response["Location"] == f"/works/{work.pk}"
    work.refresh_from_db()
    assert work.posted and work.chapters.get().posted
    page = client.get(f"/works/{work.pk}").content.decode()
    assert "harbour wall" in page
    for link in ("edit", "delete", "orphan"):
        assert f'href="/works/{work.pk}/{link}"' in page
    assert f'href="/works/{work.pk}/edit"' not in Client().get(f"/works/{work.pk}").content.decode()


def test_missing_required_fields_are_shown_and_nothing_is_saved(client: Client, author: User) -> None:
    response = client.post("/works/new", _form(author, fandoms=" , ", warnings=[], title=""))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("This field is required") == 3
    assert not Work.objects.exists()


def test_a_posted_work_is_found_once_the_outbox_is_drained(
    client: Client, author: User, settings: Any, backend: str
) -> None:
    """As a served archive does it: the post writes an outbox row, and the indexer (`fanarchive
    indexer`, every 0.5 s) drains it into whichever engine the archive uses."""
    settings.SEARCH_INDEX_IMMEDIATELY = False
    client.post("/works/new", _form(author))
    work = Work.objects.get()
    assert SearchOutbox.objects.filter(work_id=work.pk).exists()
    assert "Quillfeather" not in client.get("/works?q=quillfeather").content.decode()
    assert drain_all(get_backend()) >= 1
    assert "Quillfeather Tides" in client.get("/works?q=quillfeather").content.decode()
    assert "Quillfeather Tides" in Client().get("/works").content.decode()
    assert not SearchOutbox.objects.exists()


def test_hostile_html_in_every_field_is_stripped_or_escaped(client: Client, author: User) -> None:
    vectors = [
        line
        for line in VECTORS.read_text().splitlines()
        if line.strip() and not line.startswith("#") and "\\n" not in line
    ]
    picked = [v.replace("HIT", "alert(1)").replace("TRAP", "https://trap.example/") for v in vectors[:40]]
    vector = " ".join(picked)
    data = _form(
        author,
        title="Title " + picked[0],
        summary="Summary " + " ".join(picked[:12]),
        notes="Notes " + vector,
        end_notes="End " + vector,
        fandoms="Saltmarsh, " + picked[9],
        freeforms=picked[0],
        characters=picked[2],
        relationships=picked[3],
        language=picked[0],
        chapter_title="Chapter " + picked[0],
        chapter_text="Text " + vector,
        new_series_title="Series " + picked[0],
    )
    # Refused for its script URL: the form comes back holding every vector, escaped.
    refused = client.post("/works/new", {**data, "inspired_by": "javascript:alert(1)"})
    assert refused.status_code == 200 and "a web address" in refused.content.decode()
    assert _dangers(refused.content.decode(), frozenset({"meta", "form"})) == []
    response = client.post("/works/new", data)
    assert response.status_code == 302, response.context["form"].errors
    work = Work.objects.get()
    chapter = work.chapters.get()
    for html in (work.summary, work.notes, work.end_notes, chapter.body):
        assert _dangers(html) == [], html
    assert Tag.objects.filter(name=picked[0], kind="freeform").exists()
    for url in (f"/works/{work.pk}", f"/works/{work.pk}/preview", f"/works/{work.pk}/edit", "/works"):
        page = client.get(url).content.decode()
        # The site's own scripts are files under /static/; nothing else may run.
        assert _dangers(page, frozenset({"meta", "form"})) == [], url
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get(f"/works/{work.pk}").content.decode()


_DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "style", "base", "meta", "form"}


def _dangers(html: str, page_tags: frozenset[str] = frozenset()) -> list[str]:
    """What a browser would run or fetch in this HTML: elements, handlers, script URLs. A whole
    page may have `page_tags` (its forms and metas) and the site's own script files."""
    found = []
    for element in lxml.html.fromstring(f"<div>{html}</div>").iter():
        tag = str(element.tag).lower()
        if tag == "script" and element.get("src", "").startswith("/static/") and not element.text:
            continue
        if tag in _DANGEROUS_TAGS - page_tags:
            found.append(tag)
        for name, value in element.attrib.items():
            if name.lower().startswith("on") or name.lower() == "style":
                found.append(f"{tag} {name}")
            if not safe_url(value) and name.lower() in {"href", "src", "cite", "action", "srcset"}:
                found.append(f"{tag} {name}={value}")
    return found


def test_every_post_needs_the_csrf_token(author: User, make_work: Callable[..., Work]) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(author)
    assert strict.post("/works/new", _form(author)).status_code == 403
    work = make_work()
    Creatorship.objects.create(work=work, pseud=author.default_pseud(), accepted=True)
    for route in ("edit", "post", "delete", "orphan"):
        assert strict.post(f"/works/{work.pk}/{route}").status_code == 403
    assert not Work.objects.filter(title="Quillfeather Tides").exists()
    assert Work.objects.filter(pk=work.pk).exists()


def test_edit_shows_the_work_and_saves_changes(client: Client, author: User) -> None:
    client.post("/works/new", _form(author))
    work = Work.objects.get()
    page = client.get(f"/works/{work.pk}/edit").content.decode()
    assert 'value="Ada Renner, Brand New Keeper"' in page and "harbour wall" in page
    assert 'value="Update"' in page or ">Update<" in page
    response = client.post(
        f"/works/{work.pk}/edit",
        _form(
            author,
            title="Quillfeather Storms",
            characters="Ada Renner",
            chapter_text="New *text*",
            text_format="markdown",
        ),
    )
    assert response["Location"] == f"/works/{work.pk}"
    work.refresh_from_db()
    assert work.title == "Quillfeather Storms" and work.chapters.get().body == "<p>New <em>text</em></p>"
    assert list(work.taggings.filter(tag__kind="character").values_list("tag__name", flat=True)) == [
        "Ada Renner"
    ]
    assert work.comment_permission == "users" and work.language == "English"
    # The chapter count is Manage chapters' to change once the work exists.
    assert 'name="expected_chapters"' not in page
    assert 'name="expected_chapters"' in client.get("/works/new").content.decode()


def test_cocreators_by_pseud_and_user(client: Client, author: User) -> None:
    friend = User.objects.create_user("friend")
    pseud = friend.pseuds.create(name="Tidewriter", is_default=True)
    User.objects.create_user("other").pseuds.create(name="Tidewriter", is_default=True)
    response = client.post("/works/new", _form(author, cocreators="Tidewriter"))
    assert "Several people write as Tidewriter" in response.content.decode()
    response = client.post("/works/new", _form(author, cocreators="Tidewriter (friend)"))
    work = Work.objects.get()
    assert not Creatorship.objects.get(work=work, pseud=pseud).accepted
    assert "Tidewriter" not in Client().get(f"/works/{work.pk}").content.decode()
    assert "Tidewriter" in client.get(f"/works/{work.pk}/preview").content.decode()


def test_associations_series_and_inspiration(
    client: Client, author: User, make_work: Callable[..., Work]
) -> None:
    source = make_work("Old Lighthouse")
    client.post(
        "/works/new",
        _form(author, new_series_title="Harbour Lights", inspired_by=f"http://testserver/works/{source.pk}"),
    )
    work = Work.objects.get(title="Quillfeather Tides")
    assert work.serial_works.get().series.title == "Harbour Lights"
    assert work.related.get().target == source
    series = work.serial_works.get().series
    client.post("/works/new", _form(author, title="Second Tide", series=series.pk))
    assert Work.objects.get(title="Second Tide").serial_works.get().position == 2
    hidden = make_work("Secret Draft")
    Work.objects.filter(pk=hidden.pk).update(posted=False)
    response = client.post("/works/new", _form(author, title="Third", inspired_by=f"/works/{hidden.pk}"))
    assert "There is no such work here" in response.content.decode()
    assert "Secret Draft" not in response.content.decode()


def test_delete_with_confirmation(client: Client, author: User) -> None:
    client.post("/works/new", _form(author))
    work = Work.objects.get()
    assert "Yes, delete work" in client.get(f"/works/{work.pk}/delete").content.decode()
    response = client.post(f"/works/{work.pk}/delete")
    assert response.status_code == 302 and not Work.objects.exists()
    assert SearchOutbox.objects.filter(work_id=work.pk).exists()


@pytest.mark.parametrize(("choice", "byline"), [("keep", "writer"), ("remove", "orphan_account")])
def test_orphan_with_the_pseud_choice(client: Client, author: User, choice: str, byline: str) -> None:
    client.post("/works/new", _form(author))
    work = Work.objects.get()
    assert "Keep my pseud" in client.get(f"/works/{work.pk}/orphan").content.decode()
    response = client.post(f"/works/{work.pk}/orphan", {"pseud": choice})
    assert response["Location"] == f"/works/{work.pk}"
    credit = Creatorship.objects.get(work=work)
    assert credit.pseud.user.username == "orphan_account" and credit.pseud.name == byline
    assert client.get(f"/works/{work.pk}/edit").status_code == 404
