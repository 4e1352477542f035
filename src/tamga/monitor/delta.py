"""Screening watchlist rows against only the entities a list update added or changed.

A weekly update changes a few hundred entities; a watchlist holds up to hundreds of thousands of
counterparties. :class:`DeltaScreener` indexes just the changed entities and scores a row against
them exactly as the screener over every entity would, for two reasons:

* tokens weigh by the rarity they have among *every* listed name (:class:`Rarity`, handed to
  :meth:`~tamga.match.index.NameIndex.weigh_by`), not among the few changed ones, where every word
  would look rare;
* a row is scored against a changed name only if it could reach the threshold. Reaching it needs
  one pair of words at least as alike as the threshold less what the row's birth date and country
  could add (alike spellings, or a person's initial and a word of its letter), so names are found
  through such pairs only; each is then tested with a bound on the scorer's alignment
  (:func:`~tamga.monitor.bound.could_reach`, for the pairs of a whole chunk of rows at once)
  before the full scorer runs. Only alerts (scores at or above the threshold) come out:
  monitoring raises nothing below it.

That the changed entities alert as the scorer of every candidate would is tested against that
scorer on the UN list (``tests/monitor/test_delta.py``) and on the OFAC SDN update of the issue
(``tests/monitor/test_rescreen.py``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_all_start_methods, get_context

import numpy as np
from sqlalchemy import select

from tamga.match.index import NameIndex, token_variants
from tamga.match.score import Span, Spelled, identifier_key, paired_similarities, schema_compatible
from tamga.match.screener import DEFAULT_THRESHOLD, Match, Query, Screener, query_readings
from tamga.model import Entity, detect_script
from tamga.monitor.bound import NEAR, ListedNames, Readings, could_reach
from tamga.names import name_tokens
from tamga.names.phonetic import skeleton
from tamga.store import Store
from tamga.store.schema import entity_version, name

BIRTH_DATE_BONUS = 0.15  # the most a birth date adds (match.score.birth_date_qualifier)
COUNTRY_BONUS = 0.03  # the most a country adds
SLACK = 0.01  # kept below every bound: the scorer adds its parts up in another order
ALERTS_PER_ROW = 1000
CHUNK = 2000  # rows per worker task


@dataclass(frozen=True)
class Rarity:
    """How many indexed names hold each token (as ``idf``) among every listed name, and how many
    names there are: what makes a small index weigh words as the full one does."""

    idf: dict[str, float]
    names: int

    @classmethod
    def of_index(cls, index: NameIndex) -> Rarity:
        return cls(dict(index.idf), index.published)

    @classmethod
    def of_names(cls, entities: Iterable[tuple[str, Sequence[str]]]) -> Rarity:
        """Count as :meth:`NameIndex.build` does: each entity's distinct token readings of its names
        (``(schema, names)`` per entity) are the indexed names."""
        counts: dict[str, int] = defaultdict(int)
        total = 0
        for schema, names in entities:
            seen: set[tuple[str, ...]] = set()
            for full in names:
                for tokens in token_variants(name_tokens(full, schema)):
                    if tokens in seen:
                        continue
                    seen.add(tokens)
                    total += 1
                    for token in set(tokens):
                        counts[token] += 1
        total = max(total, 1)
        return cls({t: math.log(1 + total / n) for t, n in counts.items()}, total)

    @classmethod
    def of_store(cls, store: Store) -> Rarity:
        """The rarity of every name listed now, read from the store's name table alone (no entity
        is rebuilt, no index is made)."""
        query = (
            select(entity_version.c.id, entity_version.c.schema, name.c.full)
            .join(name, name.c.version_id == entity_version.c.id)
            .where(entity_version.c.retired_snapshot_id.is_(None))
            .order_by(entity_version.c.id, name.c.position)
        )
        if not store.exists:
            return cls({}, 1)
        with store.engine.connect() as conn:
            rows = conn.execute(query).all()

        def grouped() -> Iterator[tuple[str, list[str]]]:
            current, schema, names = None, "", []
            for version_id, row_schema, full in rows:
                if version_id != current:
                    if current is not None:
                        yield schema, names
                    current, schema, names = version_id, row_schema, []
                names.append(full)
            if current is not None:
                yield schema, names

        return cls.of_names(grouped())


@dataclass(frozen=True)
class _Row:
    """A row's candidates: names scored whatever the bound says (a shared number), names the
    bound is to test, and where its pairs of a reading and a name are among the chunk's."""

    sure: list[int]
    found: list[int]
    pairs: slice


class DeltaScreener(Screener):
    """Scores queries against a few entities, as the screener over all entities would, and only
    where an alert is possible (:meth:`alerts`)."""

    def __init__(self, entities: Iterable[Entity], rarity: Rarity, threshold: float = DEFAULT_THRESHOLD):
        index = NameIndex.build(entities)
        index.weigh_by(rarity.idf, rarity.names)
        super().__init__(index, threshold)
        self._pending: list[int] | None = None
        self._known: dict[str, tuple[float, float, float, float]] = {}
        self._links: dict[str, tuple[frozenset[str], list[tuple[str, float]]]] = {}
        by_key: dict[str, list[str]] = defaultdict(list)
        for token in index.by_token:
            by_key[skeleton(token)].append(token)
        self._tokens_by_key = dict(by_key)
        self._tokens = Spelled(list(index.by_token))
        self._token_places = {t: i for i, t in enumerate(self._tokens.tokens)}
        # A person's initial meets any word that begins with its letter (at 0.9): by letter, the
        # names holding an initial, and the names holding a word that begins with it.
        self._initials: dict[str, list[int]] = defaultdict(list)
        self._first_letters: dict[str, list[int]] = defaultdict(list)
        for name_id, listed in enumerate(index.names):
            if listed.schema == "Person":
                for letter in {t[0] for t in listed.tokens if len(t) == 1}:
                    self._initials[letter].append(name_id)
                for letter in {t[0] for t in listed.tokens if len(t) > 1}:
                    self._first_letters[letter].append(name_id)
        self._names = ListedNames.of(index)
        self._birth = [e.schema == "Person" and bool(e.birth_dates) for e in index.entities]
        self._country = [bool(e.countries) or any(a.country for a in e.addresses) for e in index.entities]

    def shortlist(self, query: Query, variants: list[tuple[tuple[str, ...], tuple[Span, ...]]]) -> list[int]:
        if self._pending is not None:
            return self._pending
        return super().shortlist(query, variants)

    def links(self, token: str) -> tuple[frozenset[str], list[tuple[str, float]]]:
        """The indexed tokens ``token`` is linked to as the index finds candidates (one edit or a
        near skeleton away), and those alike enough to be aligned, with their similarity; kept,
        since watchlists repeat their words."""
        found = self._links.get(token)
        if found is None:
            self._learn([token])
            found = self._links[token]
        return found

    def _learn(self, tokens: Iterable[str]) -> None:
        """Work out the :meth:`links` of new ``tokens``, comparing them with every token they are
        linked to in one pass."""
        index, places = self.index, self._token_places
        new = [t for t in dict.fromkeys(tokens) if t not in self._links]
        if not new:
            return
        linked: list[list[str]] = []
        for token in new:
            near = set(index.close_tokens(token))
            for key, _ in index.close_keys(skeleton(token)):
                near.update(self._tokens_by_key.get(key, ()))
            linked.append(list(near))
        at_new = np.repeat(np.arange(len(new)), [len(near) for near in linked])
        at_token = np.array([places[t] for near in linked for t in near], dtype=np.int64)
        sims = paired_similarities(Spelled(new), self._tokens, at_new, at_token).tolist()
        start = 0
        for token, near in zip(new, linked, strict=True):
            alike = [(t, v) for t, v in zip(near, sims[start : start + len(near)], strict=True) if v >= NEAR]
            self._links[token] = (frozenset(near), alike)
            start += len(near)

    def alerts(self, query: Query) -> list[Match]:
        """The changed entities that ``query`` alerts on (score at or above the threshold)."""
        return self.alerts_of([query])[0]

    def alerts_of(self, queries: Sequence[Query]) -> list[list[Match]]:
        """The alerts of each query: each row's candidates found in turn, the bound tested for the
        pairs of all rows at once, and only the names it lets through scored."""
        variants = [self._variants(query) for query in queries]
        self._learn(t for person, other in variants for tokens in (*person, *other) for t in tokens)
        readings = Readings(self.index, self._known)
        pairs: tuple[list[int], list[int], list[float]] = ([], [], [])  # reading, name, score needed
        rows = [
            self._candidates(query, person, other, readings, pairs)
            for query, (person, other) in zip(queries, variants, strict=True)
        ]
        reach = could_reach(self._names, readings, *pairs).tolist()
        names = pairs[1]
        out: list[list[Match]] = []
        for query, row in zip(queries, rows, strict=True):
            if row is None:
                out.append([])
                continue
            reached = {n for n, ok in zip(names[row.pairs], reach[row.pairs], strict=True) if ok}
            pending = [*dict.fromkeys(row.sure), *(n for n in row.found if n in reached)]
            out.append(self._scored(query, pending) if pending else [])
        return out

    @staticmethod
    def _variants(query: Query) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
        """The query's readings as a person's name and as an organisation's."""
        person = query_readings(query)
        other = query_readings(query, "Organization") if query.schema is None else person
        return person, other

    def _candidates(
        self,
        query: Query,
        person: list[tuple[str, ...]],
        other: list[tuple[str, ...]],
        readings: Readings,
        pairs: tuple[list[int], list[int], list[float]],
    ) -> _Row | None:
        """The names ``query`` (read as ``person`` and ``other``) could alert on through a pair of
        alike words (or its numbers), and the pairs of its readings and those names the bound is to
        test (added to ``pairs``); ``None`` if there are none."""
        index = self.index
        if not person and not other:
            return None
        if detect_script(query.name) == "Arabic":  # compared by skeleton alone: every candidate scored
            everything: dict[int, None] = {}
            for tokens in {*person, *other}:
                everything.update(dict.fromkeys(index.candidates(tokens, len(index.names), query.schema)))
            return _Row(list(everything), [], slice(0, 0)) if everything else None
        # The weakest pair that can carry an alert: a birth date's bonus counts only for a person
        # listed with one, so pairs weaker than what a country alone allows find only such names.
        without_birth = self.threshold - (COUNTRY_BONUS if query.country else 0.0) - SLACK
        weakest = without_birth - (BIRTH_DATE_BONUS if query.birth_date else 0.0)
        found: dict[int, None] = {}
        linked: set[str] = set()
        by_initial: set[int] = set()
        for tokens in {*person, *other}:
            for token in set(tokens):
                near, alike = self.links(token)
                linked.update(near)
                for partner, similarity in alike:
                    if similarity >= without_birth:
                        found.update(dict.fromkeys(index.by_token[partner]))
                    elif similarity >= weakest:
                        born = self._birth
                        found.update(
                            dict.fromkeys(n for n in index.by_token[partner] if born[index.names[n].entity])
                        )
                if len(token) == 1:
                    by_initial.update(self._first_letters.get(token, ()))
                else:
                    by_initial.update(self._initials.get(token[0], ()))
            for joined in {"".join(tokens), "".join(sorted(tokens))}:
                found.update(dict.fromkeys(index.by_joined.get(joined, ())))
            for ids, _ in index.written_otherwise(tokens):
                found.update(dict.fromkeys(ids.tolist()))
        # A pair through an initial counts where the index would have found the name at all.
        for name_id in by_initial.difference(found):
            if not linked.isdisjoint(index.names[name_id].tokens):
                found[name_id] = None
        sure: list[int] = []
        for value in query.identifiers:  # a shared number adds up to 0.3: scored whatever the name
            for position in index.by_identifier.get(identifier_key(value), ()):
                if schema_compatible(query.schema, index.entities[position]):
                    sure.extend(index.names_of(position))
        if not found and not sure:
            return None
        if query.schema is not None:
            found = {n: None for n in found if index.names[n].schema == query.schema}
        person_at = [readings.add(r) for r in person]
        other_at = [readings.add(r) for r in other]
        at_reading, at_name, at_needed = pairs
        first = len(at_name)
        for name_id in found:
            listed = index.names[name_id]
            needed = self.threshold - SLACK
            if query.birth_date and self._birth[listed.entity]:
                needed -= BIRTH_DATE_BONUS
            if query.country and self._country[listed.entity]:
                needed -= COUNTRY_BONUS
            for r in person_at if listed.schema == "Person" else other_at:
                at_reading.append(r)
                at_name.append(name_id)
                at_needed.append(needed)
        return _Row(sure, list(found), slice(first, len(at_name)))

    def _scored(self, query: Query, pending: list[int] | None) -> list[Match]:
        self._pending = pending
        try:
            return [m for m in self.match(query, limit=ALERTS_PER_ROW) if m.match]
        finally:
            self._pending = None


class _Pinned(Screener):
    """A screener over another's index that scores only the names it is given."""

    def __init__(self, screener: Screener, names: list[int]) -> None:
        super().__init__(screener.index, screener.threshold)
        self._names = names

    def shortlist(self, query: Query, variants: list[tuple[tuple[str, ...], tuple[Span, ...]]]) -> list[int]:
        return self._names


def score_against(screener: Screener, query: Query, entity_id: str) -> Match | None:
    """``query`` scored against one entity of ``screener``'s index, as its screening scores it
    (``None`` when the entity is not indexed, or scores below the floor of 0.5)."""
    position = screener.index.by_id.get(entity_id)
    if position is None:
        return None
    pinned = _Pinned(screener, screener.index.names_of(position))
    return next((m for m in pinned.match(query, limit=ALERTS_PER_ROW) if m.entity_id == entity_id), None)


# --- many rows, on worker processes ---------------------------------------------------------------

_worker: DeltaScreener | None = None


def _alerts_of(queries: list[Query]) -> list[list[Match]]:
    assert _worker is not None
    return _worker.alerts_of(queries)


def alerts_of_rows(
    screener: DeltaScreener, queries: Sequence[Query], workers: int = 1
) -> Iterator[list[Match]]:
    """The alerts of each query, in order, on ``workers`` forked processes sharing the screener."""
    global _worker
    _worker = screener
    chunks = [list(queries[i : i + CHUNK]) for i in range(0, len(queries), CHUNK)]
    if workers <= 1 or len(chunks) <= 1 or "fork" not in get_all_start_methods():
        for chunk in chunks:
            yield from _alerts_of(chunk)
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
        for result in pool.map(_alerts_of, chunks):
            yield from result
