"""A bound on the scorer's name score, for many pairs of a query's reading and a listed name at once.

Monitoring scores a watchlist row against a changed name only where the score could reach the
threshold, and most rows that share a word with some changed name cannot: the bound says so
without the scorer's alignment, for a whole chunk of rows in a few passes of numpy and rapidfuzz
rather than a Python loop per pair.

The scorer's name score is ``Σ sim·w / Σ w`` over aligned word pairs (each weighing the mean of its
two words' weights) and unaligned words (query words at full weight, listed words at 0.3,
patronymics and titles at less: :func:`~tamga.match.score.unaligned_share`). A score of at least
``t`` means ``Σ (sim − t)·w − t·Σ unaligned ≥ 0``; every word's share of that sum is at most the
best it could get (aligned with its most alike counterpart, alone or as half of a pair of
neighbours written together, or left unaligned), so if the sum of those bests is negative the
pair cannot reach ``t``. The names written together (``"joined"``) and a query found inside a
longer company name (``"contained"``) are bounded apart.

Words are compared as the scorer compares them (:func:`~tamga.match.score.paired_similarities`,
the same values as its matrix), each distinct pair of words once per chunk; an initial stands for
a person's name only, and two pinyin names also compare syllable by syllable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz.distance import Indel
from rapidfuzz.process import cpdist

from tamga.match.index import NameIndex
from tamga.match.score import (
    CONTAINED_CEILING,
    CONTAINED_MIN_LENGTH,
    PAIR_FLOOR,
    Spelled,
    is_patronymic,
    paired_similarities,
    unaligned_share,
)
from tamga.names.pinyin import is_pinyin_name, syllable_similarity

NEAR = PAIR_FLOOR - 0.02  # words at least this alike may be aligned
_NONE = -np.inf


@dataclass(frozen=True)
class ListedNames:
    """What the bound reads of every name of an index, as flat arrays: each name's spans (its
    tokens, then each pair of neighbours written together) one name after another."""

    texts: Spelled  # every distinct span text
    spans: np.ndarray  # the text of each span, as its place in ``texts``
    start: np.ndarray  # per name, where its spans begin
    spans_count: np.ndarray  # per name
    tokens_count: np.ndarray  # per name
    weights: np.ndarray  # per span
    missing: np.ndarray  # per span: the share of a token's weight that counts when it is left unaligned
    person: np.ndarray  # per name
    pinyin: np.ndarray  # per name
    halved: np.ndarray  # per name: a pair with one of its words weighs half (a patronymic)
    joined: np.ndarray  # per name: its tokens written together

    @classmethod
    def of(cls, index: NameIndex) -> ListedNames:
        spans, starts, counts, tokens, weights, missing = [], [], [], [], [], []
        person, pinyin, halved, joined = [], [], [], []
        for listed in index.names:
            is_person = listed.schema == "Person"
            weight = index.token_weight if is_person else index.org_token_weight
            own = [text for _, text in listed.spans]
            starts.append(len(spans))
            counts.append(len(own))
            tokens.append(len(listed.tokens))
            spans.extend(listed.span_ids)
            weights.extend(weight(text) for text in own)
            missing.extend(
                unaligned_share(text, is_person, listed=True) if p < len(listed.tokens) else 0.0
                for p, text in enumerate(own)
            )
            person.append(is_person)
            pinyin.append(listed.pinyin)
            halved.append(is_person and any(is_patronymic(t) for t in own))
            joined.append("".join(listed.tokens))
        return cls(
            texts=index.span_texts,
            spans=np.array(spans, dtype=np.int64),
            start=np.array(starts, dtype=np.int64),
            spans_count=np.array(counts, dtype=np.int64),
            tokens_count=np.array(tokens, dtype=np.int64),
            weights=np.array(weights, dtype=np.float64),
            missing=np.array(missing, dtype=np.float64),
            person=np.array(person, dtype=bool),
            pinyin=np.array(pinyin, dtype=bool),
            halved=np.array(halved, dtype=bool),
            joined=np.array(joined, dtype=object),
        )


class Readings:
    """The readings of a chunk of queries (token tuples), each kept once, as flat arrays: each
    reading's tokens and each pair of its neighbours written together, with the weights they have
    against a person's name and against an organisation's."""

    def __init__(self, index: NameIndex, known: dict[str, tuple[float, float, float, float]]) -> None:
        self._index = index
        self._known = known  # what was worked out of each token before: kept from chunk to chunk
        self._at: dict[tuple[str, ...], int] = {}
        self._words: dict[str, int] = {}
        self._token_words: list[int] = []
        self._neighbour_words: list[int] = []
        self._token_start: list[int] = []
        self._neighbour_start: list[int] = []
        self._count: list[int] = []
        self._readings: list[tuple[str, ...]] = []
        self._joined: list[str] = []
        self._facts: list[float] = []  # of each token in turn: the four of :meth:`_facts_of`

    def add(self, tokens: tuple[str, ...]) -> int:
        """The place of the reading ``tokens``, added if new."""
        found = self._at.get(tokens)
        if found is None:
            found = self._at[tokens] = len(self._count)
            words = self._words
            self._token_start.append(len(self._token_words))
            self._neighbour_start.append(len(self._neighbour_words))
            self._count.append(len(tokens))
            self._readings.append(tokens)
            self._joined.append("".join(tokens))
            self._token_words.extend(words.setdefault(t, len(words)) for t in tokens)
            known = self._known
            for t in tokens:
                self._facts.extend(known.get(t) or self._facts_of(t))
            self._neighbour_words.extend(
                words.setdefault(tokens[i] + tokens[i + 1], len(words)) for i in range(len(tokens) - 1)
            )
        return found

    def pinyin(self, at: np.ndarray) -> np.ndarray:
        """Whether each reading at the places ``at`` is a pinyin name (worked out only where a
        pinyin name is listed against it)."""
        return np.array([is_pinyin_name(self._readings[k]) for k in at.tolist()], dtype=bool)

    def _facts_of(self, token: str) -> tuple[float, float, float, float]:
        """A token's weights against an organisation's name and a person's, and the shares of
        them it loses when left unaligned: kept."""
        index = self._index
        found = self._known[token] = (
            index.org_token_weight(token),
            index.token_weight(token),
            unaligned_share(token, False, listed=False),
            unaligned_share(token, True, listed=False),
        )
        return found

    def arrays(self) -> _ReadingArrays:
        index, words = self._index, list(self._words)
        token_facts = np.array(self._facts, dtype=np.float64).reshape(-1, 4)
        neighbours = [words[at] for at in self._neighbour_words]
        return _ReadingArrays(
            words=Spelled(words),
            token_words=np.array(self._token_words, dtype=np.int64),
            neighbour_words=np.array(self._neighbour_words, dtype=np.int64),
            token_start=np.array(self._token_start, dtype=np.int64),
            neighbour_start=np.array(self._neighbour_start, dtype=np.int64),
            count=np.array(self._count, dtype=np.int64),
            joined=np.array(self._joined, dtype=object),
            weights=(token_facts[:, 0], token_facts[:, 1]),
            pair_weights=(
                np.array([index.org_token_weight(w) for w in neighbours], dtype=np.float64),
                np.array([index.token_weight(w) for w in neighbours], dtype=np.float64),
            ),
            missing=(token_facts[:, 2], token_facts[:, 3]),
        )


@dataclass(frozen=True)
class _ReadingArrays:
    words: Spelled  # every token and pair of neighbours of the readings
    token_words: np.ndarray  # each reading's tokens, as places in ``words``, readings one after another
    neighbour_words: np.ndarray  # each reading's pairs of neighbours
    token_start: np.ndarray  # per reading
    neighbour_start: np.ndarray  # per reading
    count: np.ndarray  # per reading: its tokens
    joined: np.ndarray  # per reading
    weights: tuple[np.ndarray, np.ndarray]  # per token: against an organisation's name, a person's
    pair_weights: tuple[np.ndarray, np.ndarray]  # per pair of neighbours
    missing: tuple[np.ndarray, np.ndarray]  # per token: the share of its weight lost unaligned


def could_reach(
    names: ListedNames,
    readings: Readings,
    reading: Sequence[int] | np.ndarray,
    name: Sequence[int] | np.ndarray,
    needed: Sequence[float] | np.ndarray,
) -> np.ndarray:
    """For each pair ``(reading[k], name[k])``, whether the scorer's name score of the reading
    against the listed name could reach ``needed[k]`` (see the module's description)."""
    reading = np.asarray(reading, dtype=np.int64)
    name = np.asarray(name, dtype=np.int64)
    needed = np.asarray(needed, dtype=np.float64)
    pairs = len(name)
    if not pairs:
        return np.zeros(0, dtype=bool)
    r = readings.arrays()
    m = r.count[reading]  # query tokens, per pair
    c = names.tokens_count[name]  # listed tokens
    s = names.spans_count[name]  # listed spans
    person, halved = names.person[name], names.halved[name]
    span_start = names.start[name]
    # Every query token against every listed span, every pair of query neighbours against every
    # listed token: which pair, which query word, which listed span.
    token_pair, token_at, token_span = _outer(m, s)
    joined_pair, joined_at, joined_span = _outer(m - 1, c)
    cell_pair = np.concatenate([token_pair, joined_pair])
    word = np.concatenate(
        [
            r.token_words[r.token_start[reading[token_pair]] + token_at],
            r.neighbour_words[r.neighbour_start[reading[joined_pair]] + joined_at],
        ]
    )
    span = np.concatenate([token_span, joined_span])
    text = names.spans[span_start[cell_pair] + span]
    syllabic = names.pinyin[name]  # both names pinyin: compared syllable by syllable too
    syllabic[syllabic] = readings.pinyin(reading[syllabic])
    sims = _similarities(r, names, word, text, person[cell_pair], syllabic[cell_pair])

    # The best each query word, pair of query neighbours and listed span is aligned at.
    cut = len(token_pair)
    best_query = _best_of_blocks(sims[:cut], np.repeat(s, m))
    best_joined = _best_of_blocks(sims[cut:], np.repeat(c, m - 1))
    span_offset = _starts(s)
    best_listed = np.zeros(int(s.sum()))
    np.maximum.at(best_listed, span_offset[cell_pair] + span, sims)

    # The query's words: aligned alone, or as half of a pair with a neighbour, or left out.
    slot_pair, slot_at = _slots(m)
    token = r.token_start[reading[slot_pair]] + slot_at
    query_weight = np.where(person[slot_pair], r.weights[1][token], r.weights[0][token])
    missing = np.where(person[slot_pair], r.missing[1][token], r.missing[0][token])
    need = needed[slot_pair]
    share = -need * query_weight * missing
    alone = _aligned(best_query, query_weight, need, halved[slot_pair])
    share = np.where(best_query >= NEAR, np.maximum(share, alone), share)
    joined_slot_pair, joined_slot_at = _slots(m - 1)
    neighbour = r.neighbour_start[reading[joined_slot_pair]] + joined_slot_at
    pair_weight = np.where(
        person[joined_slot_pair], r.pair_weights[1][neighbour], r.pair_weights[0][neighbour]
    )
    as_pair = np.append(
        np.where(
            best_joined >= NEAR,
            _aligned(best_joined, pair_weight, needed[joined_slot_pair], halved[joined_slot_pair]) / 2,
            _NONE,
        ),
        _NONE,
    )
    none = len(best_joined)  # the place of "no such pair"
    joined_start = _starts(m - 1)[slot_pair]
    left = np.where(slot_at >= 1, joined_start + slot_at - 1, none)
    right = np.where(slot_at <= m[slot_pair] - 2, joined_start + slot_at, none)
    share = np.maximum(share, np.maximum(as_pair[left], as_pair[right]))
    total = np.bincount(slot_pair, weights=share, minlength=pairs)

    # The listed words, alike.
    listed_pair, listed_at = _slots(c)
    own = span_start[listed_pair]
    at = span_offset[listed_pair]
    count = c[listed_pair]
    need, half = needed[listed_pair], halved[listed_pair]
    weight = names.weights[own + listed_at]
    best = best_listed[at + listed_at]
    share = -need * weight * names.missing[own + listed_at]
    share = np.where(best >= NEAR, np.maximum(share, _aligned(best, weight, need, half)), share)
    for valid, place in (
        (listed_at >= 1, count + listed_at - 1),  # the pair with the word before
        (listed_at <= count - 2, count + listed_at),  # with the word after
    ):
        place = np.where(valid, place, listed_at)
        best, weight = np.where(valid, best_listed[at + place], 0.0), names.weights[own + place]
        share = np.where(best >= NEAR, np.maximum(share, _aligned(best, weight, need, half) / 2), share)
    total += np.bincount(listed_pair, weights=share, minlength=pairs)
    reach = total >= 0

    # The names written together agree.
    differ = np.nonzero(c != m)[0]
    if len(differ):
        together = cpdist(
            r.joined[reading[differ]],
            names.joined[name[differ]],
            scorer=Indel.normalized_similarity,
            dtype=np.float64,
        )
        reach[differ[together >= needed[differ]]] = True

    # An organisation's query found whole inside the listed name: every query word aligned, one of
    # them rare and alike at 0.9 or more, scored at most 0.9 times the weighted mean.
    level = needed[slot_pair] / CONTAINED_CEILING
    options = np.where(best_query >= NEAR, (best_query - level) * query_weight, _NONE)
    lengths = r.words.lengths
    token_length = lengths[r.token_words[token]]
    rare = (best_query >= 0.9) & (token_length >= CONTAINED_MIN_LENGTH) & (query_weight >= 0.8 * token_length)
    joined_best, joined_weight = np.append(best_joined, 0.0), np.append(pair_weight, 0.0)
    telling = np.append(
        (best_joined >= 0.9) & (pair_weight >= 0.8 * lengths[r.neighbour_words[neighbour]]), False
    )
    for place in (left, right):
        valid = joined_best[place] >= NEAR
        half_pair = (joined_best[place] - level) * joined_weight[place] / 2
        options = np.maximum(options, np.where(valid, half_pair, _NONE))
        rare |= valid & telling[place]
    aligned = options > _NONE
    contained = (
        ~person
        & (m > 1)
        & (np.bincount(slot_pair, weights=aligned, minlength=pairs) == m)
        & (np.bincount(slot_pair, weights=np.where(aligned, options, 0.0), minlength=pairs) >= 0)
        & (np.bincount(slot_pair, weights=rare, minlength=pairs) > 0)
    )
    return reach | contained


def _similarities(
    r: _ReadingArrays,
    names: ListedNames,
    word: np.ndarray,
    text: np.ndarray,
    person: np.ndarray,
    syllabic: np.ndarray,
) -> np.ndarray:
    """How alike each query word and listed span are where the scorer may align them (at least
    :data:`NEAR`), else 0: each distinct pair compared once."""
    places = len(names.texts.tokens)
    distinct, inverse = np.unique(word * places + text, return_inverse=True)
    sims = paired_similarities(r.words, names.texts, distinct // places, distinct % places)[inverse]
    # an initial stands for a person's name only
    initial = (r.words.lengths[word] == 1) | (names.texts.lengths[text] == 1)
    sims[initial & ~person & (sims < 1.0)] = 0.0
    for k in np.nonzero(syllabic & (sims < 1.0))[0].tolist():
        query, listed = r.words.tokens[word[k]], names.texts.tokens[text[k]]
        sims[k] = max(sims[k], syllable_similarity(query, listed) or 0.0)
    sims[sims < NEAR] = 0.0
    return sims


def _aligned(
    similarity: np.ndarray, weight: np.ndarray, needed: np.ndarray, halved: np.ndarray
) -> np.ndarray:
    """A word's share of ``Σ (sim − t)·w`` aligned at ``similarity``: half its pair's weight is its
    own. A pair with a patronymic weighs half, which makes a shortfall smaller."""
    gain = (similarity - needed) * weight / 2
    return np.where((gain < 0) & halved, gain / 2, gain)


def _starts(sizes: np.ndarray) -> np.ndarray:
    return np.cumsum(sizes) - sizes


def _slots(sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For ``sizes[k]`` slots of each ``k``: each slot's ``k`` and its place among them."""
    owner = np.repeat(np.arange(len(sizes)), sizes)
    return owner, np.arange(len(owner)) - _starts(sizes)[owner]


def _outer(rows: np.ndarray, columns: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (row, column) of a ``rows[k]`` by ``columns[k]`` grid for each ``k``, rows first:
    each cell's ``k``, row and column."""
    owner, place = _slots(rows * columns)
    width = columns[owner]  # never 0: a grid without columns has no cells
    return owner, place // width, place % width


def _best_of_blocks(values: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The largest of each block of ``sizes[k]`` consecutive values (every block holds one or more)."""
    if not len(sizes):
        return np.zeros(0)
    return np.maximum.reduceat(values, _starts(sizes))
