"""Storing a parsed work: create it, or update the copy already in the archive in place.

Who is credited: by default (an archivist's import) the source's byline names, each an imported
account nobody can log into until its author claims it (actions/claims.py); with an `owner`, that
account's default pseud, the byline kept in `source_extra["byline"]`. Once a work is credited to a
real account (an owner, or a claim), importing it again never takes it away."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, replace

from django.db import transaction
from django.db.models import Q

from fanarchive.archive.actions.authors import do_ensure_default_pseud, pseud_for_author
from fanarchive.archive.actions.counters import declared_counters
from fanarchive.archive.actions.outbox import enqueue_reindex
from fanarchive.archive.actions.tags import find_or_create_tags, refresh_filter_taggings
from fanarchive.archive.exports.interchange import parsed_from_work
from fanarchive.archive.models import (
    Chapter,
    Claim,
    Creatorship,
    Pseud,
    RelatedWork,
    SerialWork,
    Series,
    StatCounter,
    Tagging,
    User,
    Work,
)
from fanarchive.domain.fingerprint import text_hash
from fanarchive.domain.merge import is_partial, merge_parts
from fanarchive.domain.sanitize import SANITIZER_VERSION, sanitize_html, web_url
from fanarchive.domain.tags import TAG_KINDS
from fanarchive.domain.text import count_words
from fanarchive.domain.work import ParsedWork, work_to_dict

IMPORTED, UPDATED, UNCHANGED = "imported", "updated", "unchanged"
# Where a reader puts the authors' e-mail addresses (an eFiction backup's authors table): they go to
# the imported accounts, for claims, and are never stored with the work (its downloads show that).
AUTHOR_EMAILS = "author_emails"


@dataclass(frozen=True)
class ImportOutcome:
    work_id: int
    title: str
    status: str


def content_hash(parsed: ParsedWork) -> str:
    canonical = json.dumps(work_to_dict(parsed), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def find_existing_work(parsed: ParsedWork, digest: str, text_digest: str = "") -> Work | None:
    """The archive's copy of this work, if any: by the source's id, then its URL, then identical
    content, then (a source naming neither id nor URL) the same chapter text, then the same title
    and authors from the same kind of source. Every lookup is on an indexed column."""
    source = parsed.source
    works = Work.objects.all()
    if source.id:
        by_id = Q(source_site=source.site) if source.site else Q(source_format=source.format, source_site="")
        if found := works.filter(by_id, source_id=source.id).first():
            return found
    if source.url and (found := works.filter(source_url=source.url).first()):
        return found
    if found := works.filter(content_hash=digest).first():
        return found
    # The same story under another file name or inside a zip: its metadata may differ (a title
    # taken from the file name), its words do not. Drafts and works made here carry no text hash.
    unnamed = not source.id and not source.url
    if unnamed and text_digest and (found := works.filter(text_hash=text_digest).order_by("pk").first()):
        return found
    if parsed.authors and unnamed:
        # Works without a content hash were made here (an author's upload), never imported.
        candidates = works.filter(
            title=parsed.title, source_format=source.format, source_id="", source_url=""
        ).exclude(content_hash="")
        wanted = sorted(parsed.authors)
        for candidate in candidates:
            byline = (candidate.source_extra or {}).get("byline")
            names = sorted(byline or candidate.creatorships.values_list("pseud__name", flat=True))
            if names == wanted:
                return candidate
    return None


class _Bodies:
    """A work's chapter bodies as they will be stored (sanitised), their word counts and text hash."""

    def __init__(self, parsed: ParsedWork) -> None:
        self.html = [sanitize_html(chapter.html) for chapter in parsed.chapters]
        self.words = [count_words(body) for body in self.html]
        self.text_hash = text_hash(self.html)


def _part_hashes(parsed: ParsedWork) -> dict[str, str]:
    return {
        str(chapter.number): hashlib.sha256(
            json.dumps(chapter.__dict__, sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()
        for chapter in parsed.chapters
    }


def do_import_work(parsed: ParsedWork, *, owner: User | None = None, draft: bool = False) -> ImportOutcome:
    """Store one parsed work in one transaction: all of it, or nothing. A file holding only some
    chapters of a work already here (one FanFiction.Net page) adds to it instead of replacing it.

    `owner`: credit the work to that account instead of the byline's names. `draft` (an author's
    upload, with an owner): always a new, unposted work that matches no other work here, so that
    uploading someone else's AO3 download never updates, or takes over, the archive's copy of it."""
    if draft and owner is None:
        raise ValueError("a draft needs its owner")
    emails = parsed.metadata.get(AUTHOR_EMAILS)
    if emails is not None:
        parsed = replace(parsed, metadata={k: v for k, v in parsed.metadata.items() if k != AUTHOR_EMAILS})
    digest = content_hash(parsed)
    # Cleaned and counted before the transaction, which then holds the write lock for less time;
    # the text hash is taken on what will be stored.
    bodies = _Bodies(parsed)
    with transaction.atomic():
        work = None if draft else find_existing_work(parsed, digest, bodies.text_hash)
        if work is not None and work.content_hash == digest:
            return ImportOutcome(work.pk, work.title, UNCHANGED)
        part_hashes = _part_hashes(parsed)
        if work is not None and is_partial(parsed):
            known = (work.source_extra or {}).get("part_hashes", {})
            if all(known.get(number) == value for number, value in part_hashes.items()):
                return ImportOutcome(work.pk, work.title, UNCHANGED)
            parsed = merge_parts(parsed_from_work(work), parsed)
            part_hashes = {**known, **part_hashes}
            bodies = _Bodies(parsed)
        status = UPDATED if work is not None else IMPORTED
        # A new work has no rows to clear: each step below skips its delete for it.
        new = work is None
        work = _save_work(work or Work(), parsed, digest, part_hashes, bodies, draft=draft)
        _save_chapters(work, parsed, bodies, new=new)
        if status == UPDATED and _owned(work):
            work.source_extra["byline"] = list(parsed.authors)
            work.save(update_fields=["source_extra"])
        elif owner is not None:
            _credit_owner(work, parsed, owner)
        else:
            _save_creators(work, parsed, emails if isinstance(emails, dict) else {}, new=new)
        _save_tags(work, parsed, new=new)
        _save_series_and_related(work, parsed, draft=draft, new=new)
        _save_counters(work, parsed, new=new)
        refresh_filter_taggings([work.pk], enqueue=False)
        enqueue_reindex([work.pk])
    return ImportOutcome(work.pk, work.title, status)


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _save_work(
    work: Work,
    parsed: ParsedWork,
    digest: str,
    part_hashes: dict[str, str],
    bodies: _Bodies,
    *,
    draft: bool = False,
) -> Work:
    chapter_dates = [d for c in parsed.chapters if (d := _date(c.published))]
    published = _date(parsed.published) or min(chapter_dates, default=None) or dt.date.today()
    updated = _date(parsed.updated) or max(chapter_dates, default=None) or published
    # AO3's rule: a work is complete when it has all the chapters it expects (N/N).
    complete = parsed.status == "complete" or (
        parsed.chapters_expected is not None and len(parsed.chapters) >= parsed.chapters_expected
    )
    work.title = parsed.title.strip()[:255] or "Untitled"
    work.summary = sanitize_html(parsed.summary)
    work.notes = sanitize_html(parsed.notes)
    work.end_notes = sanitize_html(parsed.end_notes)
    work.sanitizer_version = SANITIZER_VERSION
    work.language = (parsed.language or "")[:64]
    work.complete = complete
    work.expected_chapters = parsed.chapters_expected or (len(parsed.chapters) if complete else None)
    work.published = published
    work.updated = max(updated, published)
    work.source_format = parsed.source.format[:40]
    work.source_site = (parsed.source.site or "")[:200]
    work.source_url = (web_url(parsed.source.url) or "")[:500]
    work.source_id = (parsed.source.id or "")[:100]
    work.content_hash = digest
    work.text_hash = bodies.text_hash
    work.word_count = sum(bodies.words)
    work.source_extra = {
        "metadata": parsed.metadata,
        "doubts": parsed.doubts,
        "index": [{"number": e.number, "title": e.title, "stats": e.stats} for e in parsed.index],
        "prompt": None
        if parsed.prompt is None
        else {"asker": parsed.prompt.asker, "text": sanitize_html(parsed.prompt.text)},
        "declared_stats": parsed.stats,
        "part_hashes": part_hashes,
    }
    if draft:
        _make_private_draft(work)
    work.save()
    return work


def _save_chapters(work: Work, parsed: ParsedWork, bodies: _Bodies, *, new: bool) -> None:
    if not new:
        work.chapters.all().delete()
    chapters = []
    numbers = [c.number for c in parsed.chapters]
    # Keep the source's numbering when it is usable: a lone chapter 3 of a work stays chapter 3.
    keep_numbers = all(n > 0 for n in numbers) and numbers == sorted(set(numbers))
    cleaned = zip(parsed.chapters, bodies.html, bodies.words, strict=True)
    for index, (parsed_chapter, body, words) in enumerate(cleaned, start=1):
        position = parsed_chapter.number if keep_numbers else index
        chapters.append(
            Chapter(
                work=work,
                position=position,
                title=(parsed_chapter.title or "")[:255],
                summary=sanitize_html(parsed_chapter.summary),
                notes=sanitize_html(parsed_chapter.notes),
                end_notes=sanitize_html(parsed_chapter.end_notes),
                body=body,
                sanitizer_version=SANITIZER_VERSION,
                word_count=words,
                published=_date(parsed_chapter.published),
            )
        )
    Chapter.objects.bulk_create(chapters)


def _make_private_draft(work: Work) -> None:
    """An upload's source ids stay in source_extra only, and it has no content hash: a later
    archivist's import of the same work must not find the author's draft, nor collide with it."""
    work.source_extra["uploaded_from"] = {
        "format": work.source_format,
        "site": work.source_site,
        "url": work.source_url,
        "id": work.source_id,
    }
    work.source_site = work.source_url = work.source_id = work.content_hash = work.text_hash = ""
    work.posted = False


def _owned(work: Work) -> bool:
    """Credited to a real account (an owner's import, or claimed): an archivist's update keeps it so."""
    return work.creatorships.filter(pseud__user__imported=False).exists()


def _credit_owner(work: Work, parsed: ParsedWork, owner: User) -> None:
    work.creatorships.all().delete()
    Creatorship.objects.create(work=work, pseud=do_ensure_default_pseud(owner), position=0)
    work.source_extra["byline"] = list(parsed.authors)
    work.save(update_fields=["source_extra"])


def _claimed_pseud(pseud: Pseud) -> Pseud:
    """A byline name whose imported account was claimed is its claimant's pseud of that name now."""
    claim = Claim.objects.filter(imported=pseud.user, state="claimed").select_related("claimant").first()
    if claim is None or claim.claimant is None:
        return pseud
    found, _created = claim.claimant.pseuds.get_or_create(name=pseud.name)
    return found


def _save_creators(work: Work, parsed: ParsedWork, emails: dict[str, str], *, new: bool) -> None:
    if not new:
        work.creatorships.all().delete()
    pseuds: list[Pseud] = []
    for name in parsed.authors or ["Anonymous"]:
        pseud = pseud_for_author(name)
        email = emails.get(name)
        if isinstance(email, str) and email and pseud.user.imported and not pseud.user.source_email:
            pseud.user.source_email = email.strip()[:254]
            pseud.user.save(update_fields=["source_email"])
        pseud = _claimed_pseud(pseud)
        if pseud not in pseuds:
            pseuds.append(pseud)
    Creatorship.objects.bulk_create(
        [Creatorship(work=work, pseud=pseud, position=position) for position, pseud in enumerate(pseuds)]
    )


def _save_tags(work: Work, parsed: ParsedWork, *, new: bool) -> None:
    if not new:
        work.taggings.all().delete()
    tags = find_or_create_tags(
        [(name, kind) for kind in TAG_KINDS for name in parsed.tags.get(kind.value, [])]
    )
    taggings: dict[int, Tagging] = {}
    for tag in tags:
        taggings.setdefault(tag.pk, Tagging(work=work, tag=tag, position=len(taggings)))
    Tagging.objects.bulk_create(taggings.values())


def _save_series_and_related(work: Work, parsed: ParsedWork, *, draft: bool = False, new: bool) -> None:
    if not new:
        work.serial_works.all().delete()
        work.related.all().delete()
    pseud_ids = list(work.creatorships.values_list("pseud_id", flat=True)) if parsed.series else []
    for ref in parsed.series:
        # An upload joins only its author's own series: a copy of someone's AO3 download must not
        # add itself to the archive's series of that URL, nor claim the URL for a later import.
        url = None if draft else web_url(ref.url)
        # A series the source names by URL is one series whoever wrote its parts (open eFiction
        # series); without a URL, only the same authors' series of that title is taken to be it.
        found = (
            Series.objects.filter(source_url=url[:500])
            if url
            else Series.objects.filter(
                title=ref.title, serial_works__work__creatorships__pseud_id__in=pseud_ids
            )
        )
        series = found.distinct().first() or Series.objects.create(
            title=ref.title[:255], source_url=(url or "")[:500]
        )
        SerialWork.objects.create(series=series, work=work, position=ref.position or 1)
    for related in parsed.related:
        url = web_url(related.url)
        target = Work.objects.filter(source_url=url).first() if url else None
        if target is None:
            target = Work.objects.filter(title=related.title).exclude(pk=work.pk).first()
        RelatedWork.objects.create(
            work=work,
            relation=related.relation,
            target=target,
            title=related.title[:255],
            url=(url or "")[:500],
            authors=", ".join(related.authors)[:500],
        )


def _save_counters(work: Work, parsed: ParsedWork, *, new: bool) -> None:
    """The source's declared figures seed the counters; on update, never count down what readers
    here have added since."""
    declared = declared_counters(parsed.stats)
    if new:
        StatCounter.objects.create(work=work, **declared)
        return
    counter, _ = StatCounter.objects.get_or_create(work=work)
    for field, value in declared.items():
        setattr(counter, field, max(value, getattr(counter, field)))
    counter.save()


@transaction.atomic
def do_seed_bench_works(works: list[ParsedWork]) -> int:
    """Bare rows for `fanarchive bench import --existing N` only: works with their source ids and
    both hashes, their chapters and counters, inserted in bulk. No creators, tags or index entries:
    the bench needs a works table of a given size under the lookups an import makes, fast."""
    rows: list[tuple[Work, _Bodies]] = []
    for parsed in works:
        bodies = _Bodies(parsed)
        day = _date(parsed.published) or dt.date.today()
        work = Work(
            title=parsed.title[:255],
            published=day,
            updated=day,
            word_count=sum(bodies.words),
            source_format=parsed.source.format[:40],
            source_site=(parsed.source.site or "")[:200],
            source_url=(parsed.source.url or "")[:500],
            source_id=(parsed.source.id or "")[:100],
            content_hash=content_hash(parsed),
            text_hash=bodies.text_hash,
        )
        rows.append((work, bodies))
    # PostgreSQL and SQLite both give the new ids back from a bulk insert.
    Work.objects.bulk_create([work for work, _bodies in rows], batch_size=500)
    chapters = [
        Chapter(work=work, position=position, body=body, word_count=words)
        for work, bodies in rows
        for position, (body, words) in enumerate(zip(bodies.html, bodies.words, strict=True), start=1)
    ]
    Chapter.objects.bulk_create(chapters, batch_size=500)
    StatCounter.objects.bulk_create([StatCounter(work=work) for work, _bodies in rows], batch_size=500)
    return len(rows)
