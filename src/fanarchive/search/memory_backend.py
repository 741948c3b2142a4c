"""The reference backend: brute force in Python over documents held in memory. Correct, slow.

For tests and tiny archives; it defines by example what every backend must answer.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from fanarchive.domain.query import All, Any, Field, Match, Node, Not, SearchQuery, Sort, positive_matches
from fanarchive.domain.visibility import Visibility
from fanarchive.search import snippets
from fanarchive.search._common import (
    NUMERIC_SORTS,
    check_work_id,
    numeric_sort_value,
    pack,
    rank_suggestions,
    text_sort_key,
)
from fanarchive.search.analysis import analyze, token_spans
from fanarchive.search.backend import FACET_KINDS, FIELD_BOOSTS
from fanarchive.search.documents import (
    FacetCount,
    SearchDocument,
    SearchResult,
    Snippet,
    TagEntry,
    TagSuggestion,
)

K1, B = 1.2, 0.75


@dataclass
class _Indexed:
    doc: SearchDocument
    fields: dict[str, list[list[str]]]  # field -> tokens of each value


def _field_values(doc: SearchDocument) -> dict[str, list[str]]:
    return {
        "title": [doc.title],
        "author": list(doc.authors),
        "summary": [doc.summary],
        "notes": [doc.notes],
        "tag": list(doc.tag_names),
        "text": [c.text for c in doc.chapters],
    }


def _phrase_count(values: list[list[str]], words: list[str]) -> int:
    n = len(words)
    return sum(1 for tokens in values for i in range(len(tokens) - n + 1) if tokens[i : i + n] == words)


class MemoryBackend:
    def __init__(self) -> None:
        self._docs: dict[int, _Indexed] = {}
        self._tags: dict[int, TagEntry] = {}
        self._pending: list[tuple[str, object]] = []

    # --- writes -------------------------------------------------------------------------
    def index(self, docs: Iterable[SearchDocument]) -> None:
        for doc in docs:
            check_work_id(doc.work_id)
            self._pending.append(("doc", doc))

    def delete(self, work_ids: Iterable[int]) -> None:
        self._pending += [("delete", i) for i in work_ids]

    def clear(self) -> None:
        self._pending.append(("clear", None))

    def index_tags(self, tags: Iterable[TagEntry]) -> None:
        self._pending += [("tag", t) for t in tags]

    def delete_tags(self, tag_ids: Iterable[int]) -> None:
        self._pending += [("delete_tag", i) for i in tag_ids]

    def commit(self) -> None:
        for op, arg in self._pending:
            if op == "doc" and isinstance(arg, SearchDocument):
                fields = {name: [analyze(v) for v in values] for name, values in _field_values(arg).items()}
                self._docs[arg.work_id] = _Indexed(arg, fields)
            elif op == "delete" and isinstance(arg, int):
                self._docs.pop(arg, None)
            elif op == "tag" and isinstance(arg, TagEntry):
                self._tags[arg.tag_id] = arg
            elif op == "delete_tag" and isinstance(arg, int):
                self._tags.pop(arg, None)
            elif op == "clear":
                self._docs.clear()
                self._tags.clear()
        self._pending.clear()

    def count(self) -> int:
        return len(self._docs)

    def close(self) -> None:
        pass

    # --- search -------------------------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchResult:
        parsed = query.parsed()
        self._stats_cache: dict[tuple[str, str], float] = {}
        hits: list[tuple[float, _Indexed]] = []
        for item in self._docs.values():
            if not self._passes_filters(item.doc, query):
                continue
            score = 0.0
            if parsed.node is not None:
                matched = self._eval(parsed.node, item)
                if matched is False:
                    continue
                score = matched if isinstance(matched, float) else 0.0
            hits.append((score, item))
        ordered = self._sort(hits, query)
        page = ordered[query.offset : query.offset + query.limit]
        result = SearchResult(ids=[i.doc.work_id for i in page], total=len(ordered), message=parsed.message)
        if query.facets:
            result.facets = self._facets([i for _, i in hits], query.facet_limit)
        text_matches = [
            (analyze(m.text), m.phrase)
            for m in positive_matches(parsed.node)
            if m.field in (None, Field.TEXT)
        ]
        text_matches = [(words, phrase) for words, phrase in text_matches if words]
        if text_matches:
            for item in page:
                snippet = self._snippet(item.doc, text_matches)
                if snippet is not None:
                    result.snippets[item.doc.work_id] = snippet
        return result

    @staticmethod
    def _passes_filters(doc: SearchDocument, q: SearchQuery) -> bool:
        if any(getattr(doc, flag) == value for flag, value in q.visibility.excluded_flags()):
            return False
        tags = set(doc.filter_tag_ids)
        checks = [
            all(t in tags for t in q.include_tag_ids),
            not tags.intersection(q.exclude_tag_ids),
            all(tags.intersection(group) for group in q.any_tag_ids),
            q.work_ids is None or doc.work_id in q.work_ids,
            q.complete is None or doc.complete == q.complete,
            q.crossover is None or doc.crossover == q.crossover,
            q.words_min is None or doc.words >= q.words_min,
            q.words_max is None or doc.words <= q.words_max,
            q.updated_from is None or doc.updated >= q.updated_from,
            q.updated_to is None or doc.updated <= q.updated_to,
            q.published_from is None or doc.published >= q.published_from,
            q.published_to is None or doc.published <= q.published_to,
            q.language is None or doc.language.lower() == q.language.lower(),
            not set(doc.creator_ids).intersection(q.exclude_creator_ids),
            doc.language.lower() not in {code.lower() for code in q.exclude_languages},
        ]
        return all(checks)

    def _eval(self, node: Node, item: _Indexed) -> float | bool | None:
        """A score (matched), False (not matched), or None (nothing searchable: neutral)."""
        if isinstance(node, Match):
            return self._match(node, item)
        if isinstance(node, Not):
            inner = self._eval(node.item, item)
            return None if inner is None else (0.0 if inner is False else False)
        results = [self._eval(child, item) for child in node.items]
        live = [r for r in results if r is not None]
        if not live:
            return None
        if isinstance(node, All):
            return False if any(r is False for r in live) else float(sum(live))
        assert isinstance(node, Any)
        matched = [r for r in live if r is not False]
        return float(sum(matched)) if matched else False

    def _match(self, match: Match, item: _Indexed) -> float | bool | None:
        words = analyze(match.text)
        if not words:
            return None
        fields = [match.field.value] if match.field else list(FIELD_BOOSTS)
        score = 0.0
        found = False
        for name in fields:
            values = item.fields[name]
            tf = _phrase_count(values, words)
            if tf:
                found = True
                length = sum(len(v) for v in values)
                norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / self._avg_length(name)))
                idf = sum(self._idf(name, w) for w in words)
                score += FIELD_BOOSTS[name] * idf * norm
        return score if found else False

    def _idf(self, name: str, word: str) -> float:
        key = (name, word)
        if key not in self._stats_cache:
            n = sum(1 for i in self._docs.values() if any(word in v for v in i.fields[name]))
            total = len(self._docs)
            self._stats_cache[key] = math.log(1 + (total - n + 0.5) / (n + 0.5))
        return self._stats_cache[key]

    def _avg_length(self, name: str) -> float:
        key = (name, "\x00avg")
        if key not in self._stats_cache:
            lengths = [sum(len(v) for v in i.fields[name]) for i in self._docs.values()]
            self._stats_cache[key] = max(sum(lengths) / max(len(lengths), 1), 1.0)
        return self._stats_cache[key]

    @staticmethod
    def _sort(hits: list[tuple[float, _Indexed]], q: SearchQuery) -> list[_Indexed]:
        sort, desc = q.effective_sort, q.effective_descending
        if sort is Sort.RELEVANCE:
            # Best first whatever the direction: engines rank, they do not rank backwards.
            return [i for _, i in sorted(hits, key=lambda h: (-h[0], h[1].doc.work_id))]
        if sort in NUMERIC_SORTS:
            return sorted(
                (i for _, i in hits),
                key=lambda i: pack(numeric_sort_value(i.doc, sort), i.doc.work_id),
                reverse=desc,
            )

        def text_key(item: _Indexed) -> str:
            doc = item.doc
            return text_sort_key(doc.title_key() if sort is Sort.TITLE else doc.author_key(), doc.work_id)

        return sorted((i for _, i in hits), key=text_key, reverse=desc)

    @staticmethod
    def _facets(items: list[_Indexed], limit: int) -> dict[str, list[FacetCount]]:
        facets: dict[str, list[FacetCount]] = {}
        for kind in FACET_KINDS:
            counts: Counter[tuple[int, str]] = Counter()
            for item in items:
                counts.update(set(item.doc.tags.get(kind, [])))
            # Ties break by "name\x1fid" as a string, the order the tantivy backend gets natively.
            ranked = sorted(counts.items(), key=lambda kv: (-kv[1], f"{kv[0][1]}\x1f{kv[0][0]}"))
            facets[kind] = [FacetCount(tag_id, name, n) for (tag_id, name), n in ranked[:limit]]
        return facets

    @staticmethod
    def _snippet(doc: SearchDocument, text_matches: list[tuple[list[str], bool]]) -> Snippet | None:
        wanted = {w for words, _phrase in text_matches for w in words}
        index = snippets.best_chapter([c.text for c in doc.chapters], text_matches)
        if index is None:
            return None
        chapter = doc.chapters[index]
        spans = [s for s in token_spans(chapter.text) if s[0] in wanted]
        best = (0, chapter.number, spans, chapter.text)
        _, number, spans, text = best
        start = max(spans[0][1] - snippets.SNIPPET_CHARS // 3, 0)
        end = min(start + snippets.SNIPPET_CHARS, len(text))
        while start > 0 and start < len(text) and not text[start - 1].isspace():
            start += 1
        while end < len(text) and end > start and not text[end].isspace():
            end -= 1
        fragment = text[start:end]
        marks = [(s - start, e - start) for _, s, e in spans if s >= start and e <= end]
        return Snippet(number, snippets.render(fragment, marks, start > 0, end < len(text)))

    # --- tags ---------------------------------------------------------------------------
    def autocomplete_tags(
        self, text: str, limit: int = 10, kind: str | None = None, visibility: Visibility | None = None
    ) -> list[TagSuggestion]:
        typed = analyze(text)
        if not typed or limit <= 0:
            return []
        seen = set((visibility or Visibility()).audiences())
        candidates = [
            (e, analyze(e.name))
            for e in self._tags.values()
            if (kind is None or e.kind == kind) and seen.intersection(e.audiences)
        ]
        return rank_suggestions(candidates, typed, limit)
