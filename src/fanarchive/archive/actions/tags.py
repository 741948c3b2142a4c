"""Tags: finding or creating them, wrangling them, and keeping FilterTagging right."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction

from fanarchive.archive.actions import ActionError
from fanarchive.archive.actions.outbox import enqueue_reindex
from fanarchive.archive.models import FilterTagging, MetaTagging, Tag, Tagging, TagParent
from fanarchive.domain.tags import (
    CATEGORIES,
    RATINGS,
    WARNINGS,
    TagKind,
    normalise_label,
    official_category,
    official_rating,
    official_warning,
    tag_key,
)

_OFFICIAL = {TagKind.RATING: RATINGS, TagKind.WARNING: WARNINGS, TagKind.CATEGORY: CATEGORIES}
_BATCH = 500


def _stored_name(name: str, kind: TagKind) -> str:
    """Ratings, warnings and categories are AO3's fixed sets: spellings of those map onto the
    official canonical tag's name; any other name is tidied and cut to the column."""
    official = {
        TagKind.RATING: official_rating,
        TagKind.WARNING: official_warning,
        TagKind.CATEGORY: official_category,
    }.get(kind)
    if official is not None and (official_name := official(name)):
        name = official_name
    name = normalise_label(name)[:150]
    if not name:
        raise ActionError("a tag name cannot be empty")
    return name


def _new_tag(name: str, kind: TagKind) -> Tag:
    return Tag(name=name, key=tag_key(name), kind=kind.value, canonical=name in _OFFICIAL.get(kind, ()))


def find_or_create_tag(name: str, kind: TagKind) -> Tag:
    """The tag of that name whatever its kind (AO3 names are unique across kinds), else a new one:
    official spellings of ratings, warnings and categories map onto their canonical tag, anything
    else is created as an unwrangled tag of the kind given."""
    return find_or_create_tags([(name, kind)])[0]


def find_or_create_tags(wanted: Iterable[tuple[str, TagKind]]) -> list[Tag]:
    """find_or_create_tag for many names at once, in their order, each tag once: one query finds
    those that exist and one insert makes the rest (an import tags a work with dozens; asking one
    by one was a fifth of its time). A name another transaction creates meanwhile is skipped by the
    insert and read back like the others."""
    named = tag_names(wanted)
    found = find_or_create_named_tags(named)
    return [found[key] for key in named]


def tag_names(wanted: Iterable[tuple[str, TagKind]]) -> dict[str, tuple[str, TagKind]]:
    """The tags these names stand for, by key, in order, each once: the name as stored and the kind
    a new tag gets. Raises ActionError for an empty name, before anything is written, so that a
    batch of works can leave out only the work that has one."""
    named: dict[str, tuple[str, TagKind]] = {}
    for name, kind in wanted:
        stored = _stored_name(name, kind)
        named.setdefault(tag_key(stored), (stored, kind))
    return named


def find_or_create_named_tags(named: dict[str, tuple[str, TagKind]]) -> dict[str, Tag]:
    """The tags of these keys (tag_names' answer, or the union of several works'), made where
    missing: one select, one insert, one select back."""
    keys = list(named)
    found: dict[str, Tag] = {}
    for start in range(0, len(keys), _BATCH):
        found.update((tag.key, tag) for tag in Tag.objects.filter(key__in=keys[start : start + _BATCH]))
    missing = [_new_tag(*named[key]) for key in keys if key not in found]
    if missing:
        Tag.objects.bulk_create(missing, batch_size=_BATCH, ignore_conflicts=True)
        created = [tag.key for tag in missing]
        for start in range(0, len(created), _BATCH):
            found.update(
                (tag.key, tag) for tag in Tag.objects.filter(key__in=created[start : start + _BATCH])
            )
    return found


def check_create_tag(name: str) -> str:
    """The tag name as it would be stored; refused when empty or when a tag of that name exists."""
    name = normalise_label(name)[:150]
    if not name:
        raise ActionError("a tag name cannot be empty")
    if Tag.objects.filter(key=tag_key(name)).exists():
        raise ActionError(f"a tag named {name!r} already exists")
    return name


@transaction.atomic
def do_create_tag(name: str, kind: TagKind, *, canonical: bool = False) -> Tag:
    """A new tag as staff makes it (imports use find_or_create_tag): no work carries it yet."""
    name = check_create_tag(name)
    return Tag.objects.create(name=name, key=tag_key(name), kind=kind.value, canonical=canonical)


def refresh_filter_taggings(work_ids: Iterable[int], *, enqueue: bool = True) -> set[int]:
    """Recompute FilterTagging for these works; returns the ids whose filter tags changed, and
    queues those for reindexing unless the caller queues the works itself."""
    changed: set[int] = set()
    ids = sorted(set(work_ids))
    for start in range(0, len(ids), _BATCH):
        changed |= _refresh_batch(ids[start : start + _BATCH])
    if changed and enqueue:
        enqueue_reindex(changed)
    return changed


def file_new_works(tags_of: dict[int, list[Tag]]) -> None:
    """FilterTagging for works just made (an import's batch), from the tags they were given: as
    refresh_filter_taggings would, without reading back the taggings just written, nor filter
    taggings that a new work cannot have."""
    direct = {work_id: {tag.merger_id or tag.pk for tag in tags} for work_id, tags in tags_of.items()}
    _file(list(tags_of), direct, {})


def _refresh_batch(work_ids: list[int]) -> set[int]:
    direct: dict[int, set[int]] = defaultdict(set)
    for work_id, tag_id, merger_id in Tagging.objects.filter(work_id__in=work_ids).values_list(
        "work_id", "tag_id", "tag__merger_id"
    ):
        direct[work_id].add(merger_id or tag_id)
    existing: dict[int, dict[int, bool]] = defaultdict(dict)
    for work_id, tag_id, inherited in FilterTagging.objects.filter(work_id__in=work_ids).values_list(
        "work_id", "tag_id", "inherited"
    ):
        existing[work_id][tag_id] = inherited
    return _file(work_ids, direct, existing)


def _file(work_ids: list[int], direct: dict[int, set[int]], existing: dict[int, dict[int, bool]]) -> set[int]:
    """Bring the works' FilterTagging rows from `existing` to what their `direct` filter tags (a
    synonym's merger, else the tag) and the meta tags above those call for; the works changed."""
    metas = _meta_closure(set().union(*direct.values()) if direct else set())
    to_delete: list[tuple[int, int]] = []
    to_create: list[FilterTagging] = []
    changed: set[int] = set()
    for work_id in work_ids:
        wanted: dict[int, bool] = {}
        for tag_id in direct.get(work_id, ()):
            for meta_id in metas.get(tag_id, ()):
                wanted.setdefault(meta_id, True)
        for tag_id in direct.get(work_id, ()):
            wanted[tag_id] = False
        have = existing.get(work_id, {})
        if wanted == have:
            continue
        changed.add(work_id)
        for tag_id, inherited in have.items():
            if wanted.get(tag_id) != inherited:
                to_delete.append((work_id, tag_id))
        for tag_id, inherited in wanted.items():
            if have.get(tag_id) != inherited:
                to_create.append(FilterTagging(work_id=work_id, tag_id=tag_id, inherited=inherited))
    by_work: dict[int, list[int]] = defaultdict(list)
    for work_id, tag_id in to_delete:
        by_work[work_id].append(tag_id)
    for work_id, tag_ids in by_work.items():
        FilterTagging.objects.filter(work_id=work_id, tag_id__in=tag_ids).delete()
    FilterTagging.objects.bulk_create(to_create)
    return changed


def _meta_closure(tag_ids: set[int]) -> dict[int, set[int]]:
    """For each tag, every meta tag above it, however many levels up."""
    parents: dict[int, set[int]] = defaultdict(set)
    frontier = set(tag_ids)
    seen: set[int] = set()
    while frontier:
        seen |= frontier
        rows = MetaTagging.objects.filter(sub_id__in=frontier).values_list("sub_id", "meta_id")
        frontier = set()
        for sub_id, meta_id in rows:
            parents[sub_id].add(meta_id)
            if meta_id not in seen:
                frontier.add(meta_id)
    closure: dict[int, set[int]] = {}
    for tag_id in tag_ids:
        found: set[int] = set()
        stack = list(parents.get(tag_id, ()))
        while stack:
            meta_id = stack.pop()
            if meta_id not in found and meta_id != tag_id:
                found.add(meta_id)
                stack.extend(parents.get(meta_id, ()))
        closure[tag_id] = found
    return closure


def works_under_tags(tag_ids: Iterable[int]) -> set[int]:
    """Works tagged with these tags or their synonyms directly, or filed under them."""
    ids = set(tag_ids)
    ids |= set(Tag.objects.filter(merger_id__in=ids).values_list("pk", flat=True))
    direct = Tagging.objects.filter(tag_id__in=ids).values_list("work_id", flat=True)
    filed = FilterTagging.objects.filter(tag_id__in=ids).values_list("work_id", flat=True)
    return set(direct) | set(filed)


def check_merge_tag(synonym: Tag, canonical: Tag) -> None:
    if synonym.pk == canonical.pk:
        raise ActionError("a tag cannot be a synonym of itself")
    if not canonical.canonical:
        raise ActionError(f"{canonical.name!r} is not canonical; only canonical tags take synonyms")
    if synonym.kind != canonical.kind:
        raise ActionError(
            f"{synonym.name!r} is a {synonym.kind} tag, {canonical.name!r} a {canonical.kind} tag"
        )
    if synonym.canonical:
        raise ActionError(f"{synonym.name!r} is canonical; make it non-canonical before merging it")
    if synonym.synonyms.exists():
        raise ActionError(f"{synonym.name!r} has synonyms of its own")


@transaction.atomic
def do_merge_tag(synonym: Tag, canonical: Tag) -> None:
    check_merge_tag(synonym, canonical)
    affected = works_under_tags([synonym.pk])
    synonym.merger = canonical
    synonym.save(update_fields=["merger"])
    refresh_filter_taggings(affected)


@transaction.atomic
def do_make_canonical(tag: Tag, canonical: bool = True) -> None:
    if not canonical and tag.synonyms.exists():
        raise ActionError(f"{tag.name!r} has synonyms; move them before making it non-canonical")
    if canonical and tag.merger_id is not None:
        raise ActionError(f"{tag.name!r} is a synonym; unmerge it before making it canonical")
    tag.canonical = canonical
    tag.save(update_fields=["canonical"])
    enqueue_reindex(works_under_tags([tag.pk]))


def check_add_meta_tag(meta: Tag, sub: Tag) -> None:
    if meta.pk == sub.pk:
        raise ActionError("a tag cannot be its own meta tag")
    if meta.kind != sub.kind:
        raise ActionError("a meta tag and its sub tag must be of the same kind")
    if not (meta.canonical and sub.canonical):
        raise ActionError("meta and sub tags must both be canonical")
    if sub.pk in _meta_closure({meta.pk}).get(meta.pk, set()):
        raise ActionError(f"{sub.name!r} is already above {meta.name!r}: that would make a loop")


@transaction.atomic
def do_add_meta_tag(meta: Tag, sub: Tag) -> None:
    check_add_meta_tag(meta, sub)
    MetaTagging.objects.get_or_create(meta=meta, sub=sub)
    refresh_filter_taggings(works_under_tags([sub.pk]))


@transaction.atomic
def do_remove_meta_tag(meta: Tag, sub: Tag) -> None:
    MetaTagging.objects.filter(meta=meta, sub=sub).delete()
    refresh_filter_taggings(works_under_tags([sub.pk]))


_PARENT_KINDS = {TagKind.CHARACTER, TagKind.RELATIONSHIP, TagKind.FREEFORM}


@transaction.atomic
def do_add_parent(child: Tag, parent: Tag) -> None:
    if parent.kind != TagKind.FANDOM or child.tag_kind not in _PARENT_KINDS:
        raise ActionError("parents are fandoms, of character, relationship and freeform tags")
    TagParent.objects.get_or_create(child=child, parent=parent)


@transaction.atomic
def do_remove_parent(child: Tag, parent: Tag) -> None:
    TagParent.objects.filter(child=child, parent=parent).delete()
