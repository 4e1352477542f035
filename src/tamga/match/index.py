"""An in-memory index over every name of every loaded entity, for candidate generation.

The index knows no database: it is fed entities and can be pickled to a worker. A listed name is
a candidate for a query when they share a token exactly, a token within one edit (found through
a table of single-letter deletions, as SymSpell does, so no scan of the vocabulary is needed), a
transcription skeleton (:func:`~tamga.names.phonetic.skeleton`), or the same letters with the
spaces removed ("chen quan guo" and "chen quanguo"). Candidates are ranked by how much rare
evidence they share with the query, and only the best go on to the scorer.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import numpy as np

from tamga.collector import collector_paused
from tamga.match.known import KIND, other_script_names
from tamga.match.score import Span, Spelled, identifier_key, spans
from tamga.model import Entity
from tamga.names import merge_particles, name_tokens
from tamga.names.phonetic import skeleton
from tamga.names.pinyin import is_pinyin_name
from tamga.names.vocabulary import is_person_name, org_words

MIN_DELETE_LENGTH = 4  # shorter tokens are matched exactly or by skeleton only
MIN_SKELETON_LENGTH = 2
MIN_KEY_DELETE_LENGTH = 4
MAX_CANDIDATES = 150
TIE_BREAK = 1e-6  # per token of a listed name: orders names of equal evidence, shorter first
EVIDENCE_CACHE = 50_000  # query tokens whose evidence is kept
COMMON_POSTINGS = 800  # tokens in more names than this only strengthen candidates found otherwise
FULL_WEIGHT_NAMES = 5  # a token in at most this many names weighs its full length
MIN_TOKEN_WEIGHT = 0.3
MIN_ORG_TOKEN_WEIGHT = 0.1  # "company", "plant", "state" say little about which one
GENERIC_WEIGHT = 0.02  # per letter, for a word of the common organisation vocabulary: next to nothing
KNOWN_GENERIC_WEIGHT = 0.1  # at most, per letter, for such a word that the indexed names use too
PERSON_NAME_RARITY = 0.5  # at most, for a given name or surname within an organisation's name


@dataclass(frozen=True)
class IndexedName:
    entity: int  # position in NameIndex.entities
    text: str  # as published
    kind: str
    tokens: tuple[str, ...]
    keys: tuple[str, ...]  # skeleton of each token
    spans: tuple[Span, ...]  # tokens and neighbour pairs, as the scorer aligns them
    pinyin: bool  # every token is made of pinyin syllables
    folded: str  # the tokens joined by spaces, for rapidfuzz
    schema: str  # the entity's
    span_ids: tuple[int, ...]  # each span's place in NameIndex.span_texts


def token_variants(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The tokens of a name, and the same with Arabic particles joined if that differs."""
    if not tokens:
        return []
    merged = merge_particles(tokens)
    return [tokens] if merged == tokens else [tokens, merged]


def deletes(token: str) -> set[str]:
    """Every string one letter shorter than ``token``: two tokens within one edit share one."""
    return {token[:i] + token[i + 1 :] for i in range(len(token))}


@dataclass
class NameIndex:
    entities: list[Entity] = field(default_factory=list)
    names: list[IndexedName] = field(default_factory=list)
    by_id: dict[str, int] = field(default_factory=dict)
    by_token: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_key: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_joined: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_pair: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))  # neighbours joined
    by_delete: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_key_delete: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    idf: dict[str, float] = field(default_factory=dict)
    key_idf: dict[str, float] = field(default_factory=dict)
    pair_idf: dict[str, float] = field(default_factory=dict)
    _full_idf: float = 1.0
    _weights: dict[str, float] = field(default_factory=dict)
    _org_weights: dict[str, float] = field(default_factory=dict)
    by_identifier: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    _names_of: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    twins: dict[tuple[str, ...], list[int]] = field(default_factory=dict)  # one name, several entities
    _evidence_cache: dict[str, Any] = field(default_factory=dict)
    _token_postings: dict[str, np.ndarray] = field(default_factory=dict)  # by_token's, as arrays
    _key_postings: dict[str, np.ndarray] = field(default_factory=dict)  # by_key's, as arrays
    _pair_postings: dict[str, np.ndarray] = field(default_factory=dict)  # by_pair's, as arrays
    _sizes: np.ndarray = field(default_factory=lambda: np.zeros(0))  # each name's number of tokens
    _schema_code: dict[str, int] = field(default_factory=dict)
    _schema_codes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    folded: list[str] = field(default_factory=list)  # each name's tokens joined by spaces, by name id
    published: int = 0  # names the lists publish: all but those from the curated table
    span_texts: Spelled = field(default_factory=lambda: Spelled([]))  # every distinct span text

    @classmethod
    def build(cls, entities: Iterable[Entity]) -> NameIndex:
        """The index of ``entities``' names.

        The build makes millions of small tuples and strings, none of them in a reference cycle:
        the cycle collector, which would walk every object made so far again and again, is
        paused meanwhile (a third of the time).
        """
        with collector_paused():
            return cls._build(entities)

    @classmethod
    def _build(cls, entities: Iterable[Entity]) -> NameIndex:
        index = cls()
        span_ids: dict[str, int] = {}
        entities = list(entities)
        curated = other_script_names(entities)  # "海康威视" for OFAC's Hikvision
        for entity in entities:
            position = len(index.entities)
            index.entities.append(entity)
            index.by_id[entity.id] = position
            for identifier in entity.identifiers:
                key = identifier_key(identifier.value)
                if len(key) > 5:
                    index.by_identifier[key].append(position)
            seen: set[tuple[str, ...]] = set()
            published = [(name.full, name.kind) for name in entity.names]
            for full, kind in published + [(full, KIND) for full in curated.get(position, ())]:
                for tokens in token_variants(name_tokens(full, entity.schema)):
                    if tokens in seen:
                        continue
                    seen.add(tokens)
                    own = spans(tokens)
                    index._add(
                        IndexedName(
                            position,
                            full,
                            kind,
                            tokens,
                            tuple(map(skeleton, tokens)),
                            own,
                            is_pinyin_name(tokens),
                            " ".join(tokens),
                            entity.schema,
                            tuple(span_ids.setdefault(text, len(span_ids)) for _, text in own),
                        )
                    )
        index._finish(list(span_ids))
        return index

    def names_of(self, position: int) -> list[int]:
        """Ids of the indexed names of the entity at ``position``."""
        return list(self._names_of.get(position, ()))

    def _add(self, listed: IndexedName) -> None:
        name_id = len(self.names)
        self.names.append(listed)
        self._names_of[listed.entity].append(name_id)
        tokens, keys = listed.tokens, listed.keys
        for token in set(tokens):
            self.by_token[token].append(name_id)
        for key in set(keys):
            if len(key) >= MIN_SKELETON_LENGTH:
                self.by_key[key].append(name_id)
        if len(tokens) > 1:
            self.by_joined["".join(tokens)].append(name_id)
            self.by_joined["".join(sorted(tokens))].append(name_id)
            for pair in {a + b for a, b in pairwise(tokens)}:
                self.by_pair[pair].append(name_id)

    def _finish(self, span_texts: list[str]) -> None:
        schemas = sorted({n.schema for n in self.names})
        self._schema_code = {schema: code for code, schema in enumerate(schemas)}
        self._schema_codes = np.array([self._schema_code[n.schema] for n in self.names], dtype=np.int8)
        self.folded = [n.folded for n in self.names]
        # what the scorer reads of every span, worked out once rather than query after query
        self.span_texts = Spelled(span_texts)
        self.span_texts.skeletons()
        by_tokens: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for name_id, listed in enumerate(self.names):
            by_tokens[listed.tokens].append(name_id)
        self.twins = {
            tokens: ids for tokens, ids in by_tokens.items() if len({self.names[i].entity for i in ids}) > 1
        }
        for token in self.by_token:
            if len(token) >= MIN_DELETE_LENGTH:
                for variant in deletes(token):
                    self.by_delete[variant].add(token)
        for key in self.by_key:
            if len(key) >= MIN_KEY_DELETE_LENGTH:
                for variant in deletes(key):
                    self.by_key_delete[variant].add(key)
        self._token_postings = {t: np.array(ids, dtype=np.int32) for t, ids in self.by_token.items()}
        self._key_postings = {k: np.array(ids, dtype=np.int32) for k, ids in self.by_key.items()}
        self._pair_postings = {p: np.array(ids, dtype=np.int32) for p, ids in self.by_pair.items()}
        self._sizes = np.array([len(n.tokens) for n in self.names], dtype=np.float64)
        # Rarity is counted among the names the lists publish: a name from the curated table does
        # not make its words commoner, so an index weighs words as the store's names say
        # (monitoring's Rarity) whether or not it has such names.
        curated = {i for i, n in enumerate(self.names) if n.kind == KIND}
        self.published = len(self.names) - len(curated)
        total = max(self.published, 1)

        def idf(ids: list[int]) -> float:
            listed = len(ids) - len(curated.intersection(ids)) if curated else len(ids)
            return math.log(1 + total / max(listed, 1))

        self.idf = {t: idf(ids) for t, ids in self.by_token.items()}
        self.key_idf = {k: idf(ids) for k, ids in self.by_key.items()}
        self.pair_idf = {p: idf(ids) for p, ids in self.by_pair.items()}
        self._full_idf = math.log(1 + total / FULL_WEIGHT_NAMES)
        self._weights = {}

    def weigh_by(self, idf: dict[str, float], names: int) -> None:
        """Weigh tokens by their rarity among ``names`` indexed names (``idf``, as :meth:`build`
        computes it for those names) instead of among this index's own names.

        An index of a few entities (those a list update changed, say) would otherwise find every
        token rare, and score "Mohammad" or "Trading" as telling words: weighed by the rarity they
        have among every listed name, its scores are those the index of all entities gives.
        """
        self.idf = {**self.idf, **idf}
        self._full_idf = math.log(1 + max(names, 1) / FULL_WEIGHT_NAMES)
        self._weights = {}
        self._org_weights = {}
        self._evidence_cache = {}

    def close_tokens(self, token: str) -> set[str]:
        """Vocabulary tokens equal to ``token`` or one edit away from it."""
        found = {token} if token in self.by_token else set()
        if len(token) < MIN_DELETE_LENGTH:
            return found
        found.update(self.by_delete.get(token, ()))
        for variant in deletes(token):
            if variant in self.by_token:
                found.add(variant)
            found.update(self.by_delete.get(variant, ()))
        return found

    def org_token_weight(self, token: str) -> float:
        """A token's weight in an organisation's name: as :meth:`token_weight`, but a word of the
        common organisation vocabulary in any language (:func:`~tamga.names.vocabulary.org_words`)
        counts next to nothing, so a legal form the EU translated into Greek costs a query little;
        a person's name ("Rose", "Koch") counts as a fairly common word since many firms bear their
        founder's; and common words count for less than in a person's name."""
        weight = self._org_weights.get(token)
        if weight is None:
            idf = self.idf.get(token)
            rarity = 1.0 if idf is None else min(1.0, idf / self._full_idf)
            if is_person_name(token):
                rarity = min(rarity, PERSON_NAME_RARITY)
            weight = len(token) * (MIN_ORG_TOKEN_WEIGHT + (1 - MIN_ORG_TOKEN_WEIGHT) * rarity)
            if token in org_words():
                # A word the OFAC names never use is most likely a translation of one they do:
                # it weighs next to nothing. One they use ("international") still says something.
                per_letter = GENERIC_WEIGHT if token not in self.idf else KNOWN_GENERIC_WEIGHT
                weight = min(weight, len(token) * per_letter)
            self._org_weights[token] = weight
        return weight

    def token_weight(self, token: str) -> float:
        """A token's weight in a name: its length, scaled down the more names share it.

        A token in a handful of names counts in full, one in thousands ("company", "ali") a
        third; a token the index has never seen counts in full, as a possibly misspelt rarity.
        """
        weight = self._weights.get(token)
        if weight is None:
            idf = self.idf.get(token)
            rarity = 1.0 if idf is None else min(1.0, idf / self._full_idf)
            weight = len(token) * (MIN_TOKEN_WEIGHT + (1 - MIN_TOKEN_WEIGHT) * rarity)
            self._weights[token] = weight
        return weight

    def close_keys(self, key: str) -> list[tuple[str, float]]:
        """Skeletons equal to ``key`` or one consonant away, with how much each one counts."""
        found = []
        if len(key) >= MIN_SKELETON_LENGTH and key in self.by_key:
            found.append((key, 0.7))
        if len(key) >= MIN_KEY_DELETE_LENGTH:
            near = set(self.by_key_delete.get(key, ()))
            for variant in deletes(key):
                if variant in self.by_key:
                    near.add(variant)
                near.update(self.by_key_delete.get(variant, ()))
            near.discard(key)
            found.extend((k, 0.5) for k in sorted(near))
        return found

    def _token_evidence(self, token: str) -> tuple[np.ndarray, np.ndarray, list[tuple[np.ndarray, float]]]:
        """What one query token says about the listed names: over the postings of rare tokens,
        the best weight among its exact, near and skeleton matches (names and weights); the
        postings of common tokens apart. Depends on the token alone, so it is kept for the next
        query that has it."""
        cached = self._evidence_cache.get(token)
        if cached is not None:
            return cached
        sources = [
            (self._token_postings[close], self.idf[close] * (1.0 if close == token else 0.8))
            for close in sorted(self.close_tokens(token))
        ]
        sources += [
            (self._key_postings[key], self.key_idf[key] * factor)
            for key, factor in self.close_keys(skeleton(token))
        ]
        common = [(ids, weight) for ids, weight in sources if len(ids) > COMMON_POSTINGS]
        # each name once, with the best weight any source gives it: its first, strongest first
        rare = sorted(
            ((ids, weight) for ids, weight in sources if len(ids) <= COMMON_POSTINGS), key=lambda s: -s[1]
        )
        if not rare:
            found = (np.zeros(0, dtype=np.int32), np.zeros(0), common)
        else:
            rare_ids, first = np.unique(np.concatenate([ids for ids, _ in rare]), return_index=True)
            weights = np.repeat(np.array([weight for _, weight in rare]), [len(ids) for ids, _ in rare])
            found = (rare_ids, weights[first], common)
        if len(self._evidence_cache) >= EVIDENCE_CACHE:
            self._evidence_cache.clear()
        self._evidence_cache[token] = found
        return found

    def written_otherwise(self, tokens: tuple[str, ...]) -> list[tuple[np.ndarray, float]]:
        """Names with a word the query writes as two ("Fang Wei" and "LI, Fangwei"), or with two
        neighbours the query writes as one ("Quanguo" and "CHEN, Quan Guo"), and the evidence
        each such word gives: the scorer aligns a word with two neighbours written together, so
        such names must be found though they share no word with the query."""
        found = []
        for joined in sorted({a + b for a, b in pairwise(tokens)}):
            ids = self._token_postings.get(joined)
            if ids is not None and len(ids) <= COMMON_POSTINGS:
                found.append((ids, self.idf[joined]))
        for token in sorted(set(tokens)):
            ids = self._pair_postings.get(token)
            if ids is not None and len(ids) <= COMMON_POSTINGS:
                found.append((ids, self.pair_idf[token]))
        return found

    def candidates(
        self, tokens: tuple[str, ...], limit: int = MAX_CANDIDATES, schema: str | None = None
    ) -> list[int]:
        """Ids of the listed names most likely to match (of entities of ``schema``, if given), best
        evidence first.

        Rare tokens go first; a token shared by thousands of names ("mohammad", "bank") then
        only adds weight to names already found, rather than making each of them a candidate.
        """
        # Only the names a token touches are written; the names found are read back in one pass
        # over the evidence, cheaper than merging the postings of every token.
        evidence = np.zeros(len(self.names))
        for ids, weight in self.written_otherwise(tokens):
            evidence[ids] += weight
        found_any = bool(evidence.any())
        # rarest first, ties by spelling: the order decides which names count as found, and must
        # not depend on the process's string-hash seed
        for token in sorted(set(tokens), key=lambda t: (len(self.by_token.get(t, ())), t)):
            rare_ids, rare_weights, common = self._token_evidence(token)
            if not common:
                evidence[rare_ids] += rare_weights
                found_any = found_any or len(rare_ids) > 0
                continue
            ids_of, weights_of = [rare_ids], [rare_weights]
            for ids, weight in common:
                hits = ids[evidence[ids] > 0] if found_any else ids
                ids_of.append(hits)
                weights_of.append(np.full(len(hits), weight))
            these, where = np.unique(np.concatenate(ids_of), return_inverse=True)
            best = np.zeros(len(these))
            np.maximum.at(best, where, np.concatenate(weights_of))
            evidence[these] += best
            found_any = found_any or len(these) > 0
        bonus = (evidence.max() if found_any else 1.0) + 1.0
        for joined in {"".join(tokens), "".join(sorted(tokens))}:
            ids = self.by_joined.get(joined)
            if ids:
                np.add.at(evidence, np.asarray(ids), bonus)
        hit = np.nonzero(evidence != 0)[0]  # of a boolean mask: far faster than of the floats
        if schema is not None:
            hit = hit[self._schema_codes[hit] == self._schema_code.get(schema, -1)]
        # Of names with equal evidence, the shorter first: the query says more of them ("IS BANK"
        # before "VTB BANKA AD BEOGRAD" for "IS Bank").
        rank = evidence[hit] - TIE_BREAK * self._sizes[hit]
        if len(hit) > limit:
            best = np.argpartition(-rank, limit)[:limit]
            hit, rank = hit[best], rank[best]
        return hit[np.argsort(-rank, kind="stable")].tolist()
