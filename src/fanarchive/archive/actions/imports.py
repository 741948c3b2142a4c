"""Storing a parsed work: create it, or update the copy already in the archive in place.

Who is credited: by default (an archivist's import) the source's byline names, each an imported
account nobody can log into until its author claims it (actions/claims.py); with an `owner`, that
account's default pseud, the byline kept in `source_extra["byline"]`. Once a work is credited to a
real account (an owner, or a claim), importing it again never takes it away."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction

from fanarchive.archive.actions.authors import (
    ANONYMOUS,
    byline_name,
    do_ensure_default_pseud,
    pseuds_for_authors,
)
from fanarchive.archive.actions.counters import declared_counters
from fanarchive.archive.actions.outbox import enqueue_reindex
from fanarchive.archive.actions.tags import (
    file_new_works,
    find_or_create_named_tags,
    find_or_create_tags,
    refresh_filter_taggings,
    tag_names,
)
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
    Tag,
    Tagging,
    User,
    Work,
)
from fanarchive.domain.fingerprint import text_hash
from fanarchive.domain.merge import is_partial, merge_parts
from fanarchive.domain.sanitize import SANITIZER_VERSION, sanitize_html, web_url
from fanarchive.domain.tags import TAG_KINDS, TagKind
from fanarchive.domain.text import count_words
from fanarchive.domain.work import ParsedWork, work_to_dict

IMPORTED, UPDATED, UNCHANGED = "imported", "updated", "unchanged"
# Where a reader puts the authors' e-mail addresses (an eFiction backup's authors table): they go to
# the imported accounts, for claims, and are never stored with the work (its downloads show that).
AUTHOR_EMAILS = "author_emails"
# Values in one IN (...) list of a lookup, well under SQLite's and PostgreSQL's parameter limits.
_LOOKUP_BATCH = 500


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
    return find_existing_works([(parsed, digest, text_digest)])[0]


Lookup = tuple[ParsedWork, str, str]


def find_existing_works(wanted: Sequence[Lookup]) -> list[Work | None]:
    """find_existing_work for many works at once (parsed work, content hash, text hash): one query
    per rule for all the works no earlier rule found, in the same order of rules; of several
    matches, the oldest work (as `.first()` gave)."""
    found: list[Work | None] = [None] * len(wanted)

    def left(rule: Callable[[ParsedWork, str, str], Hashable]) -> dict[int, Hashable]:
        return {
            index: value
            for index, (parsed, digest, text_digest) in enumerate(wanted)
            if found[index] is None and (value := rule(parsed, digest, text_digest))
        }

    def settle(keys: dict[int, Hashable], works: Iterable[Work], key_of: Callable[[Work], Hashable]) -> None:
        oldest: dict[Hashable, Work] = {}
        for work in sorted(works, key=lambda work: work.pk):
            oldest.setdefault(key_of(work), work)
        for index, key in keys.items():
            found[index] = oldest.get(key)

    def source_key(parsed: ParsedWork, _digest: str, _text: str) -> tuple[str, str, str] | None:
        source = parsed.source
        if not source.id:
            return None
        # A source naming its site is found by site and id, one naming none by format and id.
        return (source.site, "", source.id) if source.site else ("", source.format, source.id)

    keys = left(source_key)
    settle(
        keys,
        _works_where("source_id", {wanted[index][0].source.id for index in keys}),
        lambda w: (w.source_site, "", w.source_id) if w.source_site else ("", w.source_format, w.source_id),
    )
    keys = left(lambda parsed, _digest, _text: parsed.source.url)
    settle(keys, _works_where("source_url", set(keys.values())), lambda w: w.source_url)
    keys = left(lambda _parsed, digest, _text: digest)
    settle(keys, _works_where("content_hash", set(keys.values())), lambda w: w.content_hash)
    # The same story under another file name or inside a zip: its metadata may differ (a title
    # taken from the file name), its words do not. Drafts and works made here carry no text hash.
    keys = left(lambda parsed, _digest, text: text if _unnamed(parsed) else None)
    settle(keys, _works_where("text_hash", set(keys.values())), lambda w: w.text_hash)
    keys = left(lambda parsed, _digest, _text: parsed.title if parsed.authors and _unnamed(parsed) else None)
    _settle_by_byline(keys, wanted, found)
    return found


def _unnamed(parsed: ParsedWork) -> bool:
    return not parsed.source.id and not parsed.source.url


def _works_where(column: str, values: set[Any]) -> list[Work]:
    ordered = sorted(values)
    return [
        work
        for start in range(0, len(ordered), _LOOKUP_BATCH)
        for work in Work.objects.filter(**{f"{column}__in": ordered[start : start + _LOOKUP_BATCH]})
    ]


def _settle_by_byline(
    titles: dict[int, Hashable], wanted: Sequence[Lookup], found: list[Work | None]
) -> None:
    """The last rule: the same title, kind of source and byline, among works that were imported
    (works without a content hash were made here, by an author's upload) naming no id or URL."""
    if not titles:
        return
    candidates = sorted(
        Work.objects.filter(title__in=sorted(set(titles.values())), source_id="", source_url="").exclude(
            content_hash=""
        ),
        key=lambda work: work.pk,
    )
    unsaid = [work.pk for work in candidates if not (work.source_extra or {}).get("byline")]
    credited: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(unsaid), _LOOKUP_BATCH):
        rows = Creatorship.objects.filter(work_id__in=unsaid[start : start + _LOOKUP_BATCH]).values_list(
            "work_id", "pseud__name"
        )
        for work_id, name in rows:
            credited[work_id].append(name)
    for index, title in titles.items():
        parsed = wanted[index][0]
        names = sorted(parsed.authors)
        found[index] = next(
            (
                work
                for work in candidates
                if work.title == title
                and work.source_format == parsed.source.format
                and sorted((work.source_extra or {}).get("byline") or credited[work.pk]) == names
            ),
            None,
        )


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


@dataclass
class _Prepared:
    """A work made ready before any transaction: the source's author e-mails set apart, its content
    hash, its chapter bodies cleaned and counted (the write lock is then held for less time)."""

    parsed: ParsedWork
    emails: dict[str, str]
    digest: str
    bodies: _Bodies


def _prepare(parsed: ParsedWork) -> _Prepared:
    emails = parsed.metadata.get(AUTHOR_EMAILS)
    if emails is not None:
        parsed = replace(parsed, metadata={k: v for k, v in parsed.metadata.items() if k != AUTHOR_EMAILS})
    return _Prepared(
        parsed, emails if isinstance(emails, dict) else {}, content_hash(parsed), _Bodies(parsed)
    )


def do_import_work(parsed: ParsedWork, *, owner: User | None = None, draft: bool = False) -> ImportOutcome:
    """Store one parsed work in one transaction: all of it, or nothing. A file holding only some
    chapters of a work already here (one FanFiction.Net page) adds to it instead of replacing it.

    `owner`: credit the work to that account instead of the byline's names. `draft` (an author's
    upload, with an owner): always a new, unposted work that matches no other work here, so that
    uploading someone else's AO3 download never updates, or takes over, the archive's copy of it."""
    if draft and owner is None:
        raise ValueError("a draft needs its owner")
    return _store_one(_prepare(parsed), owner=owner, draft=draft)


def _store_one(ready: _Prepared, *, owner: User | None, draft: bool = False) -> ImportOutcome:
    parsed, digest, bodies = ready.parsed, ready.digest, ready.bodies
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
            _save_creators(work, parsed, ready.emails, new=new)
        _save_tags(work, parsed, new=new)
        _save_series_and_related(work, parsed, draft=draft, new=new)
        _save_counters(work, parsed, new=new)
        refresh_filter_taggings([work.pk], enqueue=False)
        enqueue_reindex([work.pk])
    return ImportOutcome(work.pk, work.title, status)


def _attempt_one(ready: _Prepared, owner: User | None) -> ImportOutcome | Exception:
    try:
        return _store_one(ready, owner=owner)
    except Exception as error:  # one work's storage failing (bad text, a database error) is its own
        return error


def do_import_works(
    works: Sequence[ParsedWork], *, owner: User | None = None
) -> list[ImportOutcome | Exception]:
    """do_import_work for a batch of works, inside the caller's transaction: the same works, rows
    and outcomes as storing them one by one in this order, each work's outcome or the exception
    that left it (and only it) out. The batch's new works are looked up together and stored
    together, in one savepoint; should that fail, each is stored again alone, in a savepoint of its
    own. A work that changes one already here is stored alone. An error outside any work's
    savepoint (a lookup) is raised: the caller then stores the works one by one."""
    results: list[ImportOutcome | Exception | None] = [None] * len(works)
    ready: list[tuple[int, _Prepared]] = []
    for index, parsed in enumerate(works):
        try:
            ready.append((index, _prepare(parsed)))
        except Exception as error:
            results[index] = error
    while ready:
        ready = _store_some(ready, results, owner)
    return [result for result in results if result is not None]


def _store_some(
    ready: list[tuple[int, _Prepared]], results: list[ImportOutcome | Exception | None], owner: User | None
) -> list[tuple[int, _Prepared]]:
    """Store works of the batch from its start; the works left, to be looked up again because a
    work stored here may be theirs: a new work sharing a key with one before it, or any work after
    one stored alone."""
    found = find_existing_works([(r.parsed, r.digest, r.bodies.text_hash) for _index, r in ready])
    new: list[tuple[int, _Prepared]] = []
    keys: set[tuple[str, str]] = set()
    for position, ((index, prepared), work) in enumerate(zip(ready, found, strict=True)):
        own = _match_keys(prepared)
        if not keys.isdisjoint(own):
            _store_new(new, results, owner)
            return ready[position:]
        if work is None and not prepared.parsed.related:
            new.append((index, prepared))
            keys |= own
        elif work is not None and work.content_hash == prepared.digest:
            results[index] = ImportOutcome(work.pk, work.title, UNCHANGED)
        else:
            # An update, or a work naming related works (which may be among the new ones).
            _store_new(new, results, owner)
            results[index] = _attempt_one(prepared, owner)
            return ready[position + 1 :]
    _store_new(new, results, owner)
    return []


def _match_keys(ready: _Prepared) -> set[tuple[str, str]]:
    """Every value by which find_existing_work could find this work once stored, or find another
    with it: more than it would use (any two works sharing one are stored one after the other)."""
    source, title = ready.parsed.source, ready.parsed.title
    keys = {("hash", ready.digest), ("text", ready.bodies.text_hash)}
    if source.id:
        keys |= {("id", source.id), ("id", source.id[:100])}
    if source.url:
        keys |= {("url", source.url), ("url", (web_url(source.url) or "")[:500])}
    keys |= {("title", title), ("title", _stored_title(title))}
    # No rule matches on an empty value (a text without words has no text hash).
    return {key for key in keys if key[1]}


def _store_new(
    new: list[tuple[int, _Prepared]], results: list[ImportOutcome | Exception | None], owner: User | None
) -> None:
    if not new:
        return
    try:
        with transaction.atomic():
            outcomes = _insert_new([prepared for _index, prepared in new], owner)
    except Exception:
        # Which work failed is not known: each is stored again alone, in a savepoint of its own.
        for index, prepared in new:
            results[index] = _attempt_one(prepared, owner)
        return
    for (index, _prepared), outcome in zip(new, outcomes, strict=True):
        results[index] = outcome


def _insert_new(ready: list[_Prepared], owner: User | None) -> list[ImportOutcome]:
    """New works, none of them found here, inserted together: each step of _store_one for all.
    Rows name their works, pseuds and tags by id: a batch builds thousands, and assigning model
    instances (the foreign key descriptor's checks) was a tenth of inserting them."""
    works = [_fill_work(Work(), r.parsed, r.digest, _part_hashes(r.parsed), r.bodies) for r in ready]
    if owner is not None:
        for work, r in zip(works, ready, strict=True):
            work.source_extra["byline"] = list(r.parsed.authors)
    Work.objects.bulk_create(works)
    Chapter.objects.bulk_create(
        [
            chapter
            for work, r in zip(works, ready, strict=True)
            for chapter in _chapter_rows(work, r.parsed, r.bodies)
        ]
    )
    if owner is not None:
        pseud = do_ensure_default_pseud(owner)
        Creatorship.objects.bulk_create(
            [Creatorship(work_id=work.pk, pseud_id=pseud.pk, position=0) for work in works]
        )
    else:
        Creatorship.objects.bulk_create(
            _byline_creatorships([(work, r.parsed, r.emails) for work, r in zip(works, ready, strict=True)])
        )
    named = [tag_names(_tags_wanted(r.parsed)) for r in ready]
    # A tag new to the archive takes the kind the first work naming it gives, as one by one.
    wanted: dict[str, tuple[str, TagKind]] = {}
    for names in named:
        for key, value in names.items():
            wanted.setdefault(key, value)
    tags = find_or_create_named_tags(wanted)
    taggings: list[Tagging] = []
    tags_of: dict[int, list[Tag]] = {}
    for work, r, names in zip(works, ready, named, strict=True):
        tags_of[work.pk] = [tags[key] for key in names]
        _save_tags(work, r.parsed, new=True, tags=tags_of[work.pk], into=taggings)
    Tagging.objects.bulk_create(taggings)
    for work, r in zip(works, ready, strict=True):
        if r.parsed.series:
            _save_series_and_related(work, r.parsed, new=True)
    StatCounter.objects.bulk_create(
        [
            StatCounter(work_id=work.pk, **declared_counters(r.parsed.stats))
            for work, r in zip(works, ready, strict=True)
        ]
    )
    file_new_works(tags_of)
    enqueue_reindex([work.pk for work in works])
    return [ImportOutcome(work.pk, work.title, IMPORTED) for work in works]


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
    _fill_work(work, parsed, digest, part_hashes, bodies)
    if draft:
        _make_private_draft(work)
    work.save()
    return work


def _stored_title(title: str) -> str:
    return title.strip()[:255] or "Untitled"


def _fill_work(
    work: Work, parsed: ParsedWork, digest: str, part_hashes: dict[str, str], bodies: _Bodies
) -> Work:
    chapter_dates = [d for c in parsed.chapters if (d := _date(c.published))]
    published = _date(parsed.published) or min(chapter_dates, default=None) or dt.date.today()
    updated = _date(parsed.updated) or max(chapter_dates, default=None) or published
    # AO3's rule: a work is complete when it has all the chapters it expects (N/N).
    complete = parsed.status == "complete" or (
        parsed.chapters_expected is not None and len(parsed.chapters) >= parsed.chapters_expected
    )
    work.title = _stored_title(parsed.title)
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
    return work


def _save_chapters(work: Work, parsed: ParsedWork, bodies: _Bodies, *, new: bool) -> None:
    if not new:
        work.chapters.all().delete()
    Chapter.objects.bulk_create(_chapter_rows(work, parsed, bodies))


def _chapter_rows(work: Work, parsed: ParsedWork, bodies: _Bodies) -> list[Chapter]:
    chapters = []
    numbers = [c.number for c in parsed.chapters]
    # Keep the source's numbering when it is usable: a lone chapter 3 of a work stays chapter 3.
    keep_numbers = all(n > 0 for n in numbers) and numbers == sorted(set(numbers))
    cleaned = zip(parsed.chapters, bodies.html, bodies.words, strict=True)
    for index, (parsed_chapter, body, words) in enumerate(cleaned, start=1):
        position = parsed_chapter.number if keep_numbers else index
        chapters.append(
            Chapter(
                work_id=work.pk,
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
    return chapters


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


def _save_creators(work: Work, parsed: ParsedWork, emails: dict[str, str], *, new: bool) -> None:
    if not new:
        work.creatorships.all().delete()
    Creatorship.objects.bulk_create(_byline_creatorships([(work, parsed, emails)]))


def _byline_creatorships(bylines: list[tuple[Work, ParsedWork, dict[str, str]]]) -> list[Creatorship]:
    """The creatorships crediting these works to their byline names (one query for all the names'
    accounts and pseuds, one for their claims). An address the source gives for a name goes to
    its imported account, unless that account has one already (the first work's wins)."""
    pseuds = pseuds_for_authors(
        name for _work, parsed, _emails in bylines for name in parsed.authors or [ANONYMOUS]
    )
    claimed = _claimed_pseuds(list(pseuds.values()))
    rows: list[Creatorship] = []
    for work, parsed, emails in bylines:
        chosen: list[Pseud] = []
        for name in parsed.authors or [ANONYMOUS]:
            pseud = pseuds[byline_name(name)]
            email = emails.get(name)
            if isinstance(email, str) and email and pseud.user.imported and not pseud.user.source_email:
                pseud.user.source_email = email.strip()[:254]
                pseud.user.save(update_fields=["source_email"])
            pseud = claimed.get(pseud.pk, pseud)
            if pseud not in chosen:
                chosen.append(pseud)
        rows += [
            Creatorship(work_id=work.pk, pseud_id=pseud.pk, position=position)
            for position, pseud in enumerate(chosen)
        ]
    return rows


def _claimed_pseuds(pseuds: list[Pseud]) -> dict[int, Pseud]:
    """A byline name whose imported account was claimed is its claimant's pseud of that name now
    (the account's first claim decides): by the imported pseud's id."""
    claimants: dict[int, int | None] = {}
    user_ids = sorted({pseud.user_id for pseud in pseuds})
    for start in range(0, len(user_ids), _LOOKUP_BATCH):
        claims = Claim.objects.filter(
            imported_id__in=user_ids[start : start + _LOOKUP_BATCH], state="claimed"
        )
        for imported_id, claimant_id in claims.order_by("pk").values_list("imported_id", "claimant_id"):
            claimants.setdefault(imported_id, claimant_id)
    taken: dict[int, Pseud] = {}
    for pseud in pseuds:
        if (claimant := claimants.get(pseud.user_id)) is not None:
            taken[pseud.pk], _created = Pseud.objects.get_or_create(user_id=claimant, name=pseud.name)
    return taken


def _save_tags(
    work: Work,
    parsed: ParsedWork,
    *,
    new: bool,
    tags: list[Tag] | None = None,
    into: list[Tagging] | None = None,
) -> None:
    """The work's taggings. A batch (_insert_new) gives the `tags` it found for all its works at
    once, and gathers the rows `into` one insert."""
    if not new:
        work.taggings.all().delete()
    if tags is None:
        tags = find_or_create_tags(_tags_wanted(parsed))
    taggings: dict[int, Tagging] = {}
    for tag in tags:
        taggings.setdefault(tag.pk, Tagging(work_id=work.pk, tag_id=tag.pk, position=len(taggings)))
    if into is None:
        Tagging.objects.bulk_create(taggings.values())
    else:
        into.extend(taggings.values())


def _tags_wanted(parsed: ParsedWork) -> list[tuple[str, TagKind]]:
    return [(name, kind) for kind in TAG_KINDS for name in parsed.tags.get(kind.value, [])]


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
