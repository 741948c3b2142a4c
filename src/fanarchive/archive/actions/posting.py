"""Posting and editing a work from the New Work form: drafts, posting a draft, edits.

A draft (posted=False) never expires. Its chapters are drafts with it and are posted with it, less
those scheduled for a time of their own (as the scheduler posts a draft work). Everything the author
typed as rich text is turned into HTML by the format they chose and sanitised before it is stored;
titles, tags and names are plain text, escaped wherever they are shown."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from fanarchive.archive.access import owned_series, visible_works
from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.chapters import grow_expected, lock_work, refresh_word_count
from fanarchive.archive.actions.creators import do_invite_cocreator
from fanarchive.archive.actions.notifications import do_notify_posted
from fanarchive.archive.actions.outbox import enqueue_reindex
from fanarchive.archive.actions.tags import find_or_create_tag, refresh_filter_taggings
from fanarchive.archive.models import (
    Chapter,
    Creatorship,
    Pseud,
    RelatedWork,
    SerialWork,
    Series,
    StatCounter,
    Tag,
    Tagging,
    User,
    Work,
)
from fanarchive.domain.authored_text import HTML, MAX_CHAPTER_CHARS, authored_html
from fanarchive.domain.sanitize import SANITIZER_VERSION, web_url
from fanarchive.domain.tags import TAG_KINDS, TagKind, tag_key
from fanarchive.domain.text import count_words, html_to_text, normalise_newlines
from fanarchive.domain.xml_text import xml_safe

INSPIRED_BY, TRANSLATION_OF = "inspired_by", "translation_of"
# AO3's limit on one work's tags.
MAX_TAGS = 75


@dataclass(frozen=True)
class RelatedLink:
    """An association the author typed: a work here by id, or a work elsewhere by URL."""

    relation: str
    work_id: int | None = None
    url: str = ""


@dataclass
class WorkFields:
    """What the New Work form says, validated as form fields (types, lengths, required)."""

    title: str
    rating: str
    warnings: list[str]
    fandoms: list[str]
    pseuds: list[Pseud]
    chapter_text: str
    categories: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    freeforms: list[str] = field(default_factory=list)
    cocreators: list[Pseud] = field(default_factory=list)
    summary: str = ""
    notes: str = ""
    end_notes: str = ""
    series: Series | None = None
    new_series_title: str = ""
    related: list[RelatedLink] = field(default_factory=list)
    language: str = ""
    restricted: bool = False
    comment_permission: str = "anyone"
    moderate_comments: bool = False
    chapter_title: str = ""
    text_format: str = HTML
    # A new work only (later, Manage chapters sets them): AO3's one-shot is chapter 1 of 1, complete;
    # a work of several chapters expects this many, or an unknown number (None).
    multichapter: bool = False
    expected_chapters: int | None = None

    def tags(self) -> dict[TagKind, list[str]]:
        """The tags in AO3's order of kinds, each kind in the order typed."""
        return {
            TagKind.RATING: [self.rating],
            TagKind.WARNING: self.warnings,
            TagKind.CATEGORY: self.categories,
            TagKind.FANDOM: self.fandoms,
            TagKind.RELATIONSHIP: self.relationships,
            TagKind.CHARACTER: self.characters,
            TagKind.FREEFORM: self.freeforms,
        }


def plain(text: str) -> str:
    """A one-line plain text field as stored: no characters XML forbids, spaces collapsed."""
    return " ".join(xml_safe(text).split())


def render_text(text: str, text_format: str) -> str:
    """The author's text as sanitised HTML, by the format they chose (HTML typed without block tags
    gets AO3's paragraphs in domain/authored_text, as added chapters do)."""
    text = normalise_newlines(xml_safe(text)).strip()
    if not text:
        return ""
    try:
        return authored_html(text, text_format).strip()
    except ValueError as error:
        raise ActionError(str(error)) from error


def _is_creator(work: Work, user: User) -> bool:
    return Creatorship.objects.filter(work=work, pseud__user=user, accepted=True).exists()


def check_work_fields(user: User, fields: WorkFields, *, work: Work | None = None) -> None:
    """What the form cannot know by itself: whose pseuds and series these are, the links' targets,
    and that the texts hold something once sanitised."""
    if work is not None and not _is_creator(work, user):
        raise ActionError("Only a creator of this work may edit it.")
    if not plain(fields.title):
        raise ActionError("Please enter a title.")
    if fields.multichapter and fields.expected_chapters is not None and fields.expected_chapters < 1:
        raise ActionError("A work expects at least one chapter.")
    if not fields.pseuds:
        raise ActionError("Please choose at least one of your pseuds.")
    if any(pseud.user_id != user.pk for pseud in fields.pseuds):
        raise ActionError("You may only post under your own pseuds.")
    if any(pseud.user_id == user.pk for pseud in fields.cocreators):
        raise ActionError("Choose your own pseuds above; co-creators are other people.")
    if len(fields.warnings) < 1 or not fields.rating or not fields.fandoms:
        raise ActionError("A work needs a rating, at least one archive warning and a fandom.")
    if sum(len(names) for names in fields.tags().values()) > MAX_TAGS:
        raise ActionError(f"A work may have at most {MAX_TAGS} tags.")
    _check_tag_kinds(fields)
    if fields.series is not None and not owned_series(user).filter(pk=fields.series.pk).exists():
        raise ActionError("You may only add the work to a series of your own.")
    for link in fields.related:
        _resolve_link(user, link)
    if work is None or _editable_chapter(work) is not None:
        if len(fields.chapter_text) > MAX_CHAPTER_CHARS:
            raise ActionError("The chapter text is too long.")
        if not _has_content(render_text(fields.chapter_text, fields.text_format)):
            raise ActionError("The chapter text is empty once unsafe HTML is taken out.")


def _check_tag_kinds(fields: WorkFields) -> None:
    """AO3's rule: a name is one tag of one kind. A name typed under another kind than the tag it
    names has would land in the wrong place (a character where the fandom should be)."""
    typed = [
        (tag_key(plain(name)), plain(name), kind) for kind, names in fields.tags().items() for name in names
    ]
    kinds = dict(Tag.objects.filter(key__in=[key for key, _name, _kind in typed]).values_list("key", "kind"))
    for key, name, kind in typed:
        if kinds.get(key, kind.value) != kind.value:
            raise ActionError(
                f"{name} is already a {kinds[key]} tag; it cannot be used as a {kind.value} tag."
            )
    keys = [key for key, _name, _kind in typed]
    if len(set(keys)) != len(keys):
        raise ActionError("A tag can be given only once, under one kind.")


def _has_content(html: str) -> bool:
    # Text, or a picture (fan art is posted as an image with no words).
    return bool(html_to_text(html).strip()) or "<img" in html


def _resolve_link(user: User, link: RelatedLink) -> tuple[Work | None, str, str]:
    """(target work here, title, url). A work here must be one this user may see: a link to
    anything else answers as for a work that does not exist."""
    if link.work_id is not None:
        target = visible_works(user).filter(pk=link.work_id).first()
        if target is None:
            raise ActionError("There is no such work here to link to.")
        return target, target.title, ""
    url = web_url(link.url)
    if not url or len(url) > 500:
        raise ActionError("A related work must be a link to a work here or a web address (http or https).")
    return None, url[:255], url


def _editable_chapter(work: Work) -> Chapter | None:
    """The chapter the form edits: the only one of a single-chapter work."""
    chapters = list(work.chapters.all()[:2])
    return chapters[0] if len(chapters) == 1 else None


@transaction.atomic
def do_create_work(user: User, fields: WorkFields, *, post: bool) -> Work:
    """A new work with its first chapter: posted now (`post`), or a draft."""
    check_work_fields(user, fields)
    today = timezone.localdate()
    expected = fields.expected_chapters if fields.multichapter else 1
    work = Work(
        published=today, updated=today, posted=post, expected_chapters=expected, complete=expected == 1
    )
    _apply_fields(work, fields)
    work.save()
    StatCounter.objects.create(work=work)
    body = render_text(fields.chapter_text, fields.text_format)
    Chapter.objects.create(
        work=work,
        position=1,
        title=plain(fields.chapter_title)[:255],
        body=body,
        sanitizer_version=SANITIZER_VERSION,
        word_count=count_words(body),
        published=today if post else None,
        posted=post,
    )
    _save_relations(work, user, fields)
    refresh_word_count(work)
    enqueue_reindex([work.pk])
    if post:
        do_notify_posted(work=work)
    return work


@transaction.atomic
def do_update_work(work: Work, user: User, fields: WorkFields, *, post: bool = False) -> Work:
    """Change a work's metadata and tags, and its text when it has a single chapter; with `post`,
    a draft is posted too, all of it or nothing."""
    check_work_fields(user, fields, work=work)
    _apply_fields(work, fields)
    work.updated = max(work.updated, timezone.localdate()) if work.posted else work.updated
    work.save()
    chapter = _editable_chapter(work)
    if chapter is not None:
        chapter.title = plain(fields.chapter_title)[:255]
        chapter.body = render_text(fields.chapter_text, fields.text_format)
        chapter.sanitizer_version = SANITIZER_VERSION
        chapter.word_count = count_words(chapter.body)
        chapter.save()
    _save_relations(work, user, fields)
    refresh_word_count(work)
    enqueue_reindex([work.pk])
    if post and not work.posted:
        do_post_work(work, user)
    return work


def check_post_work(work: Work, user: User) -> None:
    if not _is_creator(work, user):
        raise ActionError("Only a creator of this work may post it.")
    if work.posted:
        raise ActionError("This work is already posted.")
    if not work.chapters.exists():
        raise ActionError("A work needs a chapter before it can be posted.")


@transaction.atomic
def do_post_work(work: Work, user: User) -> None:
    """A draft goes up: dated today, with its chapter drafts; it reaches listings and search as soon
    as the indexer takes the outbox row written here."""
    locked = lock_work(work.pk)
    check_post_work(locked, user)
    today = timezone.localdate()
    Work.objects.filter(pk=work.pk).update(posted=True, published=today, updated=today, scheduled_for=None)
    # All of it, as AO3 and the scheduler post a draft work: less chapters with times of their own.
    work.chapters.filter(posted=False, scheduled_for__isnull=True).update(posted=True, published=today)
    work.chapters.filter(posted=True, published__isnull=True).update(published=today)
    work.refresh_from_db()
    grow_expected(work)
    refresh_word_count(work)
    enqueue_reindex([work.pk])
    do_notify_posted(work=work)


def _apply_fields(work: Work, fields: WorkFields) -> None:
    work.title = plain(fields.title)[:255]
    work.summary = render_text(fields.summary, fields.text_format)
    work.notes = render_text(fields.notes, fields.text_format)
    work.end_notes = render_text(fields.end_notes, fields.text_format)
    work.sanitizer_version = SANITIZER_VERSION
    work.language = plain(fields.language)[:64]
    work.restricted = fields.restricted
    work.comment_permission = fields.comment_permission
    work.moderate_comments = fields.moderate_comments


def _save_relations(work: Work, user: User, fields: WorkFields) -> None:
    _save_creators(work, user, fields)
    _save_tags(work, fields)
    _save_series(work, fields)
    _save_related(work, user, fields)


def _save_creators(work: Work, user: User, fields: WorkFields) -> None:
    """The poster's own pseuds as chosen (accepted at once), then invitations to co-creators."""
    chosen = {pseud.pk for pseud in fields.pseuds}
    mine = Creatorship.objects.filter(work=work, pseud__user=user)
    mine.exclude(pseud_id__in=chosen).delete()
    have = set(mine.values_list("pseud_id", flat=True))
    last = Creatorship.objects.filter(work=work).aggregate(last=Max("position"))["last"]
    position = -1 if last is None else last
    for pseud in fields.pseuds:
        if pseud.pk not in have:
            position += 1
            Creatorship.objects.create(work=work, pseud=pseud, position=position, accepted=True)
    invited = set(Creatorship.objects.filter(work=work).values_list("pseud__user_id", flat=True))
    for pseud in fields.cocreators:
        if pseud.user_id not in invited:
            do_invite_cocreator(work, pseud, invited_by=user)
            invited.add(pseud.user_id)


def _save_tags(work: Work, fields: WorkFields) -> None:
    work.taggings.all().delete()
    taggings: dict[int, Tagging] = {}
    for kind in TAG_KINDS:
        for name in fields.tags()[kind]:
            tag = find_or_create_tag(plain(name), kind)
            taggings.setdefault(tag.pk, Tagging(work=work, tag=tag, position=len(taggings)))
    Tagging.objects.bulk_create(taggings.values())
    refresh_filter_taggings([work.pk], enqueue=False)


def _save_series(work: Work, fields: WorkFields) -> None:
    """Into a series at its end: an existing one of the author's, or a new one by title."""
    series = fields.series
    if series is None and plain(fields.new_series_title):
        series = Series.objects.create(title=plain(fields.new_series_title)[:255])
    if series is None or SerialWork.objects.filter(series=series, work=work).exists():
        return
    last = SerialWork.objects.filter(series=series).aggregate(last=Max("position"))["last"]
    SerialWork.objects.create(series=series, work=work, position=(last or 0) + 1)
    # The other works' series blurbs list this one now.
    enqueue_reindex(SerialWork.objects.filter(series=series).values_list("work_id", flat=True))


def _save_related(work: Work, user: User, fields: WorkFields) -> None:
    work.related.filter(relation__in=[INSPIRED_BY, TRANSLATION_OF]).delete()
    for link in fields.related:
        target, title, url = _resolve_link(user, link)
        RelatedWork.objects.create(work=work, relation=link.relation, target=target, title=title, url=url)
