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
  (:meth:`DeltaScreener.could_alert`) before the full scorer runs.

The bound: the scorer's name score is ``Σ sim·w / Σ w`` over aligned word pairs (each weighing the
mean of its two words' weights) and unaligned words (query words at full weight, listed words at
0.3, patronymics and titles at less: :func:`~tamga.match.score.unaligned_share`). A score of at
least ``t`` means ``Σ (sim − t)·w − t·Σ unaligned ≥ 0``; every word's share of that sum is at
most the best it could get (aligned with its most alike counterpart, or left unaligned), so if
the sum of those bests is negative the pair cannot alert. The names written
together (``"joined"``) and a query found inside a longer company name (``"contained"``) are
bounded apart. Words the scorer could not align at all (spellings and spelling keys less than
about half alike) are found for a row's candidates in one pass of rapidfuzz; a first, cheaper test
counts every other word as aligned perfectly. Only alerts (scores at or above the threshold) come
out: monitoring raises nothing below it.

That the changed entities alert as the scorer of every candidate would is tested against that
scorer on the UN list (``tests/monitor/test_delta.py``) and on the OFAC SDN update of the issue
(``tests/monitor/test_rescreen.py``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_all_start_methods, get_context

import numpy as np
from rapidfuzz.distance import Indel
from sqlalchemy import select

from tamga.match.index import NameIndex, token_variants
from tamga.match.score import (
    CONTAINED_CEILING,
    CONTAINED_MIN_LENGTH,
    PAIR_FLOOR,
    SHORT_TOKEN,
    SHORT_TOKEN_PENALTY,
    Span,
    Spelled,
    identifier_key,
    is_patronymic,
    schema_compatible,
    spelling_similarities,
    token_similarity,
    unaligned_share,
)
from tamga.match.screener import DEFAULT_THRESHOLD, Match, Query, Screener, query_variants
from tamga.model import Entity, detect_script
from tamga.names import name_tokens
from tamga.names.phonetic import skeleton
from tamga.names.pinyin import is_pinyin_name, syllable_similarity
from tamga.store import Store
from tamga.store.schema import entity_version, name

BIRTH_DATE_BONUS = 0.15  # the most a birth date adds (match.score.birth_date_qualifier)
COUNTRY_BONUS = 0.03  # the most a country adds
SLACK = 0.01  # kept below every bound: the scorer's similarities are computed in numpy, these one by one
NEAR = PAIR_FLOOR - 0.02  # words at least this alike may be aligned
SPELLING = 0.53  # the scorer aligns words whose spellings (or keys) are this alike, at least (0.55)
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
        return cls(dict(index.idf), len(index.names))

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


@dataclass
class _Reading:
    """One reading of a query (its tokens), with what the bound needs of it."""

    tokens: tuple[str, ...]
    joined: str
    pinyin: bool
    neighbours: tuple[str, ...]  # each pair of neighbours written together
    weights: dict[bool, tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]]] = field(
        default_factory=dict
    )  # person or not -> weights of tokens, of neighbour pairs, and shares of weight left unaligned


@dataclass(frozen=True)
class _Listed:
    """What the bound needs of a listed name, worked out once per name."""

    tokens: tuple[str, ...]
    texts: tuple[str, ...]  # its spans' texts: each token, then each pair of neighbours written together
    weights: tuple[float, ...]  # of each span
    missing: tuple[float, ...]  # the share of each token's weight that counts when it is left unaligned
    joined: str
    person: bool
    pinyin: bool
    halved: bool  # a pair with one of its words weighs half (a patronymic)
    positive: float  # the sum of each token's largest weight in an alignment (alone or half a pair)


class DeltaScreener(Screener):
    """Scores queries against a few entities, as the screener over all entities would, and only
    where an alert is possible (:meth:`alerts`)."""

    def __init__(self, entities: Iterable[Entity], rarity: Rarity, threshold: float = DEFAULT_THRESHOLD):
        index = NameIndex.build(entities)
        index.weigh_by(rarity.idf, rarity.names)
        super().__init__(index, threshold)
        self._pending: list[int] | None = None
        self._listed: dict[int, _Listed] = {}
        self._links: dict[str, tuple[frozenset[str], list[tuple[str, float]]]] = {}
        by_key: dict[str, list[str]] = defaultdict(list)
        for token in index.by_token:
            by_key[skeleton(token)].append(token)
        self._tokens_by_key = dict(by_key)
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
        self._names_by_text: dict[str, set[int]] = defaultdict(set)  # the names holding each span text
        for name_id, listed in enumerate(index.names):
            for _, text in listed.spans:
                self._names_by_text[text].add(name_id)
        # every span text, spelled once; each name's spans by their place in it
        self._texts = Spelled(list(self._names_by_text))
        at = {text: i for i, text in enumerate(self._texts.tokens)}
        self._text_ids = [[at[text] for _, text in listed.spans] for listed in index.names]
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
            index = self.index
            linked = set(index.close_tokens(token))
            for key, _ in index.close_keys(skeleton(token)):
                linked.update(self._tokens_by_key.get(key, ()))
            alike = [(t, s) for t in linked if (s := token_similarity(token, t)) >= NEAR]
            found = self._links[token] = (frozenset(linked), alike)
        return found

    def alerts(self, query: Query) -> list[Match]:
        """The changed entities that ``query`` alerts on (score at or above the threshold)."""
        index = self.index
        person = [r for r, _ in query_variants(query)]
        other = [r for r, _ in query_variants(query, "Organization")] if query.schema is None else person
        if not person and not other:
            return []
        if detect_script(query.name) == "Arabic":  # compared by skeleton alone: every candidate scored
            everything: dict[int, None] = {}
            for tokens in {*person, *other}:
                everything.update(dict.fromkeys(index.candidates(tokens, len(index.names), query.schema)))
            return self._scored(query, list(everything)) if everything else []
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
            return []
        readings = {r: _reading(r) for r in {*person, *other}}
        pending = list(dict.fromkeys(sure))
        if query.schema is not None:
            found = {n: None for n in found if index.names[n].schema == query.schema}
        table = self._table(readings.values(), found)
        names_of = self._names_by_text
        alike_in = {word: set().union(*(names_of[t] for t in texts)) for word, texts in table.items()}
        reached = set().union(*table.values())  # the listed spans alike to any word of the query
        for name_id in found:
            listed = index.names[name_id]
            is_person = listed.schema == "Person"
            needed = self.threshold - SLACK
            if query.birth_date and self._birth[listed.entity]:
                needed -= BIRTH_DATE_BONUS
            if query.country and self._country[listed.entity]:
                needed -= COUNTRY_BONUS
            for reading in person if is_person else other:
                if self._may_reach(
                    readings[reading], name_id, needed, alike_in, reached
                ) and self.could_alert(readings[reading], name_id, needed, table):
                    pending.append(name_id)
                    break
        return self._scored(query, pending) if pending else []

    def _weights(self, reading: _Reading, person: bool) -> tuple[tuple[float, ...], ...]:
        found = reading.weights.get(person)
        if found is None:
            weight = self.index.token_weight if person else self.index.org_token_weight
            found = reading.weights[person] = (
                tuple(weight(t) for t in reading.tokens),
                tuple(weight(t) for t in reading.neighbours),
                tuple(unaligned_share(t, person, listed=False) for t in reading.tokens),
            )
        return found

    def _listed_of(self, name_id: int) -> _Listed:
        found = self._listed.get(name_id)
        if found is None:
            listed = self.index.names[name_id]
            person = listed.schema == "Person"
            weight = self.index.token_weight if person else self.index.org_token_weight
            texts = tuple(text for _, text in listed.spans)
            weights = tuple(weight(t) for t in texts)
            count = len(listed.tokens)
            pairs = weights[count:]
            positive = 0.0
            for j in range(count):
                halves = [pairs[p] / 2 for p in (j - 1, j) if 0 <= p < count - 1]
                positive += max([weights[j], *halves])
            found = self._listed[name_id] = _Listed(
                tokens=listed.tokens,
                texts=texts,
                weights=weights,
                positive=positive,
                missing=tuple(unaligned_share(t, person, listed=True) for t in listed.tokens),
                joined="".join(listed.tokens),
                person=person,
                pinyin=listed.pinyin,
                halved=person and any(is_patronymic(t) for t in texts),
            )
        return found

    def _table(self, readings: Iterable[_Reading], names: Iterable[int]) -> dict[str, set[str]]:
        """For each word (and pair of neighbours) of a query's readings, the span texts of the
        candidate names it may be aligned with.

        The scorer aligns two words only where their spellings, or their spelling keys, are at
        least :data:`SPELLING` alike (more for a word of three letters or fewer, which loses 0.15),
        or where one is an initial: two passes of rapidfuzz over all the pairs at once find them.
        """
        text_ids = self._text_ids
        spelled = self._texts.take(list(dict.fromkeys(i for n in names for i in text_ids[n])))
        columns = spelled.tokens
        asked = list(dict.fromkeys(t for r in readings for t in (*r.tokens, *r.neighbours)))
        table: dict[str, set[str]] = defaultdict(set)
        if not columns or not asked:
            return table
        words = Spelled(asked)
        alike = spelling_similarities(words, spelled)
        shortest = np.minimum(words.lengths[:, None], spelled.lengths[None, :])
        needed = np.where(shortest <= SHORT_TOKEN, SPELLING + SHORT_TOKEN_PENALTY, SPELLING)
        rows, cols = np.nonzero(alike >= needed)
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
            table[asked[i]].add(columns[j])
        # an initial meets any word of its letter, however unalike the spellings
        initials = {t for t in columns if len(t) == 1}
        for q in asked:
            if len(q) == 1:
                table[q] = set(columns)
            elif initials:
                table[q].update(initials)
        return table

    def _may_reach(
        self,
        reading: _Reading,
        name_id: int,
        needed: float,
        alike_in: dict[str, set[int]],
        reached: set[str],
    ) -> bool:
        """The bound with every word on either side whose spelling is at all alike to a span of the
        other counted as if aligned perfectly: false when the words that are like nothing on the
        other side already sink the score. ``alike_in`` gives, for each query word (and pair of
        neighbours), the candidate names holding a span alike to it; ``reached`` the listed spans
        alike to some word of the query."""
        listed = self._listed_of(name_id)
        tokens = reading.tokens
        if len(listed.tokens) != len(tokens) and _joined(reading, listed) >= needed:
            return True
        weights, pair_weights, missing = self._weights(reading, listed.person)
        ceiling = (1 - needed) / 2
        total = _listed_share(listed, [1.0 if t in reached else 0.0 for t in listed.texts], needed)
        every_query_word = True
        nothing: set[int] = set()
        for i, token in enumerate(tokens):
            share = -needed * weights[i] * missing[i]
            if name_id in alike_in.get(token, nothing):
                share = ceiling * weights[i]
            for pair in (i - 1, i):
                if 0 <= pair < len(tokens) - 1 and name_id in alike_in.get(reading.neighbours[pair], nothing):
                    share = max(share, ceiling * pair_weights[pair] / 2)
            every_query_word = every_query_word and share >= 0
            total += share
        return total >= 0 or (not listed.person and len(tokens) > 1 and every_query_word)

    def could_alert(
        self,
        reading: _Reading,
        name_id: int,
        needed: float,
        table: dict[str, set[str]],
    ) -> bool:
        """Whether the scorer's name score of ``reading`` against the listed name can reach ``needed``
        (see the module's description for the bound); ``table`` holds the spans worth comparing
        (:meth:`_table`)."""
        listed = self._listed_of(name_id)
        syllabic = reading.pinyin and listed.pinyin
        person = listed.person
        tokens, count, texts = reading.tokens, len(listed.tokens), listed.texts
        cells: list[tuple[int, int, float]] = []  # query word, listed span, similarity
        best_query = [0.0] * len(tokens)
        nothing: set[str] = set()
        for i, token in enumerate(tokens):
            alike = table.get(token, nothing)
            if not alike.isdisjoint(texts):
                for p, text in enumerate(texts):
                    if text in alike and (value := _alike(token, text, person, syllabic)):
                        cells.append((i, p, value))
                        if value > best_query[i]:
                            best_query[i] = value
        # each pair of query neighbours written together, against the listed tokens alone
        best_joined = [0.0] * len(reading.neighbours)
        for pair, joined in enumerate(reading.neighbours):
            alike = table.get(joined, nothing)
            if not alike.isdisjoint(listed.tokens):
                for p in range(count):
                    if texts[p] in alike and (value := _alike(joined, texts[p], person, syllabic)):
                        cells.append((-1 - pair, p, value))
                        if value > best_joined[pair]:
                            best_joined[pair] = value
        if not cells:
            return (
                count != len(tokens) and Indel.normalized_similarity(reading.joined, listed.joined) >= needed
            )
        weights, pair_weights, missing = self._weights(reading, listed.person)
        halved = listed.halved
        total = 0.0
        options: list[list[tuple[float, float, bool]]] = []  # per query word: (similarity, weight, rare)
        for i, token in enumerate(tokens):
            share = -needed * weights[i] * missing[i]
            aligned = []
            if best_query[i] >= NEAR:
                share = max(share, _aligned(best_query[i], weights[i], needed, halved))
                rare = len(token) >= CONTAINED_MIN_LENGTH and weights[i] >= 0.8 * len(token)
                aligned.append((best_query[i], weights[i], rare))
            for pair in (i - 1, i):
                if 0 <= pair < len(best_joined) and best_joined[pair] >= NEAR:
                    share = max(share, _aligned(best_joined[pair], pair_weights[pair], needed, halved) / 2)
                    rare = pair_weights[pair] >= 0.8 * len(reading.neighbours[pair])
                    aligned.append((best_joined[pair], pair_weights[pair] / 2, rare))
            options.append(aligned)
            total += share
        if count != len(tokens) and _joined(reading, listed) >= needed:
            return True  # the names written together agree
        if not person and len(tokens) > 1 and _contained(options, needed):
            return True
        if total + (1 - needed) / 2 * listed.positive < 0:
            return False  # however well the listed words align, the query's words left out weigh more
        best_listed = [0.0] * len(texts)
        for _, p, value in cells:
            if value > best_listed[p]:
                best_listed[p] = value
        return total + _listed_share(listed, best_listed, needed) >= 0

    def _scored(self, query: Query, pending: list[int] | None) -> list[Match]:
        self._pending = pending
        try:
            return [m for m in self.match(query, limit=ALERTS_PER_ROW) if m.match]
        finally:
            self._pending = None


def _reading(tokens: tuple[str, ...]) -> _Reading:
    neighbours = tuple(tokens[i] + tokens[i + 1] for i in range(len(tokens) - 1))
    return _Reading(tokens, "".join(tokens), is_pinyin_name(tokens), neighbours)


def _alike(query: str, listed: str, person: bool, syllabic: bool) -> float:
    """The scorer's similarity of two spans whose spellings are at all alike, where it may align
    them (at least :data:`NEAR`), else 0."""
    if len(query) == 1 or len(listed) == 1:
        if not person and query != listed:
            return 0.0  # an initial stands for a person's name only
    elif query == listed:
        return 1.0
    value = token_similarity(query, listed)
    if syllabic and value < 1.0:
        value = max(value, syllable_similarity(query, listed) or 0.0)
    return value if value >= NEAR else 0.0


def _joined(reading: _Reading, listed: _Listed) -> float:
    return Indel.normalized_similarity(reading.joined, listed.joined)


def _listed_share(listed: _Listed, best: list[float], needed: float) -> float:
    """The listed words' part of the bound: each word's best share, aligned alone or as half of a
    pair of neighbours written together at the ``best`` similarity of each span, or left unaligned."""
    count = len(listed.tokens)
    total = 0.0
    for j in range(count):
        share = -needed * listed.weights[j] * listed.missing[j]
        if best[j] >= NEAR:
            share = max(share, _aligned(best[j], listed.weights[j], needed, listed.halved))
        for pair in (j - 1, j):  # the pair of neighbours (pair, pair + 1), half of it
            if 0 <= pair < count - 1 and best[count + pair] >= NEAR:
                weight = listed.weights[count + pair]
                share = max(share, _aligned(best[count + pair], weight, needed, listed.halved) / 2)
        total += share
    return total


def _aligned(similarity: float, weight: float, needed: float, halved: bool) -> float:
    """A word's share of ``Σ (sim − t)·w`` aligned at ``similarity``: half its pair's weight is its
    own. A pair with a patronymic weighs half, which makes a shortfall smaller."""
    gain = (similarity - needed) * weight / 2
    return gain / 2 if gain < 0 and halved else gain


def _contained(options: list[list[tuple[float, float, bool]]], needed: float) -> bool:
    """Whether an organisation query could be found whole inside the listed name (the scorer's
    ``contained`` reading: every query word aligned, one of them rare and alike at 0.9 or more,
    scored at most 0.9 times the weighted mean of the alignments). ``options`` are, for each
    query word, the (similarity, weight, rare) it may be aligned at."""
    level = needed / CONTAINED_CEILING
    total = 0.0
    for aligned in options:
        if not aligned:
            return False  # a word left unaligned: not contained
        total += max((similarity - level) * weight for similarity, weight, _ in aligned)
    rare = any(similarity >= 0.9 and telling for aligned in options for similarity, _, telling in aligned)
    return rare and total >= 0


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
    return [_worker.alerts(q) for q in queries]


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
