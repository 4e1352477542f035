"""The scorer: how alike a query name and a listed name are, and why, plus the qualifiers.

Name similarity aligns tokens regardless of order (lists write ``LAST, First``, ``First LAST`` or
family-first). Each token pair scores by edit distance, or by the distance of their transcription
skeletons where that is kinder ("Sjtjogolev" and "Shchegolev"), and pairs weigh by their length.
Query tokens left unmatched cost their full weight; listed tokens left unmatched cost less for a
person, because lists add patronymics and middle names that a query often leaves out, and a
person's query tokens cost less too when the listed name is found in the query whole (the query
names the person more fully). A title or an initial costs nothing. Qualifiers then move the
score: a birth date or country that agrees or conflicts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from rapidfuzz.distance import DamerauLevenshtein, Indel
from rapidfuzz.process import cdist, cpdist

from tamga.model import Entity
from tamga.names.phonetic import skeleton, skeletons, spelling_keys, spelling_keys_of
from tamga.names.pinyin import syllable_similarity
from tamga.names.vocabulary import is_person_name, is_title

PAIR_FLOOR = 0.6  # token pairs less alike than this count as unmatched
SKELETON_DISCOUNT = 0.92  # a skeleton-only agreement is a little weaker than a spelling one
SKELETON_NEEDS_SPELLING = 0.55
TYPO_LENGTH = 6
ONE_TYPO = 0.95  # a long token one edit (or one swap of neighbours) from another
SPELLING_KEY_DISCOUNT = 0.97  # an agreement of transcriptions, not of letters
CONTAINED_CEILING = 0.9  # a query found inside a longer name is a match only if found whole
CONTAINED_MIN_LENGTH = 4
VOWELLESS_DISCOUNT = 0.88
SHORT_TOKEN = 3
SHORT_TOKEN_PENALTY = 0.15
MISSING_LISTED_PERSON = 0.3  # weight of a listed person's token the query does not have
MISSING_LISTED_OTHER = 0.3
MISSING_QUERY_PERSON = 0.6  # a query person's word the list leaves out, when it leaves out no other
WEAK_EVIDENCE = 4.5  # an organisation's match must rest on this much rare name (letters) to alert
WEAK_CEILING = 0.85  # and scores no more than this if it does not
MISSING_PATRONYMIC = 0.1  # a patronymic one side gives and the other leaves out
MISSING_TITLE = 0.0  # a title ("Haji", "Colonel") or initial one side gives and the other leaves out
MATCHED_PATRONYMIC = 0.5  # a patronymic both give: "Aleksandrovich" is shared by thousands
# Russian, Ukrainian and Belarusian patronymics in English, German, Swedish, Polish, Hungarian and
# Czech-style transcriptions: -ovich, -avitj, -owitsch, -owicz, -ovics, -ovyc; -ovna, -ivna, -auna.
_PATRONYMIC = re.compile(
    r"(?:[aeoy]v|[aeo]w)(?:ich|itj|itch|itsch|icz|ics|ic|ych|ytj|yts|yc|ytch)$"
    r"|(?:[aeoi]vn|[aeo]wn|aun|ichn)a$|(?:ogly|oglu|kyzy|qizi)$"
)

# An Arabic patronymic, "son (daughter) of", with its particle joined (``merge_particles``):
# "benali", "binmohammed", "ouldsidi".
_NASAB = re.compile(r"(bint|bin|ben|ibn|ould)([a-z]{3,})$")


def is_nasab(token: str) -> bool:
    """Whether a folded token is an Arabic patronymic written as one word, "son of" and a name
    ("benali", "binmohammed"), rather than a name that begins with the same letters ("benjamin",
    "bennett"): what follows the particle must be a name, and the whole word must not be one."""
    found = _NASAB.match(token)
    return found is not None and is_person_name(found.group(2)) and not is_person_name(token)


@lru_cache(maxsize=1 << 18)
def is_patronymic(token: str) -> bool:
    """Whether a folded token reads as a patronymic ("aleksandrovich", "ivanovna", "oglu")."""
    return _PATRONYMIC.search(token) is not None


@dataclass
class PartScore:
    query: str
    listed: str
    score: float


@dataclass
class NameScore:
    score: float
    parts: list[PartScore]
    method: str


@dataclass
class Qualifier:
    kind: str
    effect: float
    detail: str


@dataclass
class Explanation:
    query_name: str
    matched_name: str
    name_kind: str
    name_score: float
    method: str
    parts: list[PartScore] = field(default_factory=list)
    qualifiers: list[Qualifier] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "query_name": self.query_name,
            "matched_name": self.matched_name,
            "name_kind": self.name_kind,
            "name_score": round(self.name_score, 4),
            "method": self.method,
            "parts": [{"query": p.query, "listed": p.listed, "score": round(p.score, 4)} for p in self.parts],
            "qualifiers": [{"kind": q.kind, "effect": q.effect, "detail": q.detail} for q in self.qualifiers],
        }


@lru_cache(maxsize=1 << 20)
def token_similarity(query: str, listed: str) -> float:
    """Similarity of two tokens in 0..1: spelling, skeleton, or an initial against a name.

    One letter is a larger part of a short token and often a different name ("Yan" and "Yang",
    "Qi" and "Qiu" in pinyin), so tokens of three letters or fewer lose a little. A skeleton
    agreement counts only where the spellings are already half alike, and less for short
    skeletons.
    """
    if query == listed:
        return 1.0
    if len(query) == 1 or len(listed) == 1:
        return 0.9 if query[0] == listed[0] else 0.0
    spelling = Indel.normalized_similarity(query, listed)
    transcribed = SPELLING_KEY_DISCOUNT * max(
        Indel.normalized_similarity(q, n) for q in spelling_keys(query) for n in spelling_keys(listed)
    )
    spelling = max(spelling, transcribed)
    if (
        min(len(query), len(listed)) >= TYPO_LENGTH
        and DamerauLevenshtein.distance(query, listed, score_cutoff=1) <= 1
    ):
        spelling = max(spelling, ONE_TYPO)  # "Megviii": one key pressed wrong in a long word
    if min(len(query), len(listed)) <= SHORT_TOKEN:
        spelling -= SHORT_TOKEN_PENALTY
    query_key, listed_key = skeleton(query), skeleton(listed)
    shorter = min(len(query_key), len(listed_key))
    if shorter >= 3 and spelling >= SKELETON_NEEDS_SPELLING:
        discount = SKELETON_DISCOUNT - 0.03 * max(0, 6 - shorter)
        return max(spelling, Indel.normalized_similarity(query_key, listed_key) * discount)
    return spelling


Span = tuple[tuple[int, ...], str]


MANY = 200  # tokens from which keys are worked out for all at once rather than read from a cache


class Spelled:
    """Tokens with what :func:`similarity_matrix` reads of each: length, spelling keys, skeleton.

    Worked out once per list of tokens (an index's for all its names' spans at once, picked from
    with :meth:`take`), then read as flat lists and arrays, so a matrix costs a
    few calls into rapidfuzz and numpy rather than a Python loop per token and key, and
    :func:`paired_similarities` picks scattered pairs out of two lists. Skeletons are worked out
    only when first asked for.
    """

    __slots__ = ("_arrays", "_places", "_skeletons", "keys", "lengths", "more", "more_at", "tokens")

    def __init__(self, tokens: Sequence[str]) -> None:
        self.tokens = list(tokens)
        # a query's few tokens come up again and again and are kept by spelling_keys, whose cache is
        # bounded; an index's many are worked out together, which is faster
        many = len(self.tokens) >= MANY
        keys = spelling_keys_of(self.tokens) if many else [spelling_keys(t) for t in self.tokens]
        self.lengths = np.array([len(t) for t in self.tokens], dtype=np.int64)
        self.keys = [k[0] for k in keys]
        # the second key of a token with "ch" in it, and the token it belongs to
        self.more_at = [i for i, k in enumerate(keys) if len(k) > 1]
        self.more = [keys[i][1] for i in self.more_at]
        self._skeletons: tuple[list[str], np.ndarray] | None = None
        self._places: np.ndarray | None = None
        self._arrays: dict[str, np.ndarray] = {}

    def take(self, at: Sequence[int] | np.ndarray) -> Spelled:
        """The tokens at the positions ``at``, without working anything out again."""
        taken = object.__new__(Spelled)
        where = np.asarray(at, dtype=np.int64)
        at = where.tolist()
        tokens, keys = self.tokens, self.keys
        taken.tokens = [tokens[i] for i in at]
        taken.keys = [keys[i] for i in at]
        taken.lengths = self.lengths[where]
        taken.more, taken.more_at = [], []
        if self.more:
            second = self._second()[where]
            taken.more_at = np.nonzero(second >= 0)[0].tolist()
            taken.more = [self.more[second[k]] for k in taken.more_at]
        taken._skeletons = None
        if self._skeletons is not None:
            skeletons, lengths = self._skeletons
            taken._skeletons = [skeletons[i] for i in at], lengths[where]
        taken._places = None
        taken._arrays = {}
        return taken

    def _second(self) -> np.ndarray:
        """For each token, the place of its second key in :attr:`more`, or -1."""
        if self._places is None:
            self._places = np.full(len(self.tokens), -1, dtype=np.int64)
            self._places[self.more_at] = np.arange(len(self.more_at))
        return self._places

    def objects(self, of: str = "tokens") -> np.ndarray:
        """The tokens, or their first ``keys``, or their ``skeletons``, as an array of objects:
        what :func:`paired_similarities` picks many of at once."""
        found = self._arrays.get(of)
        if found is None:
            values = self.skeletons()[0] if of == "skeletons" else getattr(self, of)
            found = self._arrays[of] = np.array(values, dtype=object)
        return found

    def firsts(self) -> np.ndarray:
        """Each token's first letter."""
        found = self._arrays.get("firsts")
        if found is None:
            found = self._arrays["firsts"] = np.array([t[0] for t in self.tokens])
        return found

    def skeletons(self) -> tuple[list[str], np.ndarray]:
        """Each token's skeleton, and the skeletons' lengths."""
        if self._skeletons is None:
            many = len(self.tokens) >= MANY
            found = skeletons(self.tokens) if many else [skeleton(t) for t in self.tokens]
            self._skeletons = found, np.array([len(k) for k in found], dtype=np.int64)
        return self._skeletons


def _spelled_of(tokens: Sequence[str] | Spelled) -> Spelled:
    return tokens if isinstance(tokens, Spelled) else Spelled(tokens)


def _similarities(query: list[str], listed: list[str]) -> np.ndarray:
    return cdist(query, listed, scorer=Indel.normalized_similarity, dtype=np.float64)


def _key_similarities(query: Spelled, listed: Spelled) -> np.ndarray:
    """Best similarity of any spelling key of each query token to any of each listed token's."""
    if not query.more and not listed.more:
        return _similarities(query.keys, listed.keys)
    # every key against every key in one call; then each token's second key, if any, may do better
    rows, columns = len(query.keys), len(listed.keys)
    every = _similarities(query.keys + query.more, listed.keys + listed.more)
    flat = every[:rows, :columns]
    if listed.more:
        at = listed.more_at
        flat[:, at] = np.maximum(flat[:, at], every[:rows, columns:])
    if query.more:
        second = every[rows:, :columns]
        if listed.more:
            at = listed.more_at
            second[:, at] = np.maximum(second[:, at], every[rows:, columns:])
        flat[query.more_at] = np.maximum(flat[query.more_at], second)
    return flat


def similarity_matrix(
    query: Sequence[str] | Spelled, listed: Sequence[str] | Spelled, vowelless: bool = False
) -> np.ndarray:
    """:func:`token_similarity` (or :func:`vowelless_similarity`) of every query token against every
    listed one at once, in rapidfuzz's C loops: the scorer's hot path."""
    query, listed = _spelled_of(query), _spelled_of(listed)
    (query_skel, query_skel_len), (listed_skel, listed_skel_len) = query.skeletons(), listed.skeletons()
    return _token_similarities(
        _similarities(query.tokens, listed.tokens),
        _key_similarities(query, listed),
        query.lengths[:, None],
        listed.lengths[None, :],
        query_skel_len[:, None],
        listed_skel_len[None, :],
        typo=lambda i, j: np.array(
            [
                DamerauLevenshtein.distance(query.tokens[a], listed.tokens[b], score_cutoff=1) <= 1
                for a, b in zip(i, j, strict=True)
            ]
        ),
        by_skeleton=lambda use: _similarities(query_skel, listed_skel),
        same_first=lambda: query.firsts()[:, None] == listed.firsts()[None, :],
        vowelless=vowelless,
    )


def paired_similarities(
    query: Spelled, listed: Spelled, at_query: np.ndarray, at_listed: np.ndarray
) -> np.ndarray:
    """:func:`token_similarity` of ``query.tokens[at_query[k]]`` and ``listed.tokens[at_listed[k]]``
    for each ``k``, as :func:`similarity_matrix` computes it: for a bound over many scattered
    pairs, where a matrix would compare every word with every other."""
    if not len(at_query):
        return np.zeros(0)
    query_tokens, listed_tokens = query.objects(), listed.objects()
    (_, query_skel_len), (_, listed_skel_len) = query.skeletons(), listed.skeletons()
    query_keys, listed_keys = query.objects("keys"), listed.objects("keys")
    keyed = _paired(query_keys[at_query], listed_keys[at_listed])
    query_second, listed_second = query._second()[at_query], listed._second()[at_listed]
    more_query, more_listed = np.array(query.more, dtype=object), np.array(listed.more, dtype=object)
    for query_more, listed_more in ((True, False), (False, True), (True, True)):
        where = np.nonzero(
            (query_second >= 0 if query_more else True) & (listed_second >= 0 if listed_more else True)
        )[0]
        if len(where):
            left = more_query[query_second[where]] if query_more else query_keys[at_query[where]]
            right = more_listed[listed_second[where]] if listed_more else listed_keys[at_listed[where]]
            keyed[where] = np.maximum(keyed[where], _paired(left, right))

    def by_skeleton(use: np.ndarray) -> np.ndarray:
        found = np.zeros(len(at_query))
        where = np.nonzero(use)[0]
        query_skel, listed_skel = query.objects("skeletons"), listed.objects("skeletons")
        found[where] = _paired(query_skel[at_query[where]], listed_skel[at_listed[where]])
        return found

    return _token_similarities(
        _paired(query_tokens[at_query], listed_tokens[at_listed]),
        keyed,
        query.lengths[at_query],
        listed.lengths[at_listed],
        query_skel_len[at_query],
        listed_skel_len[at_listed],
        typo=lambda i: (
            cpdist(
                query_tokens[at_query[i]],
                listed_tokens[at_listed[i]],
                scorer=DamerauLevenshtein.distance,
                score_cutoff=1,
            )
            <= 1
        ),
        by_skeleton=by_skeleton,
        same_first=lambda: query.firsts()[at_query] == listed.firsts()[at_listed],
    )


def _paired(query: Sequence[str], listed: Sequence[str]) -> np.ndarray:
    return cpdist(query, listed, scorer=Indel.normalized_similarity, dtype=np.float64)


def _token_similarities(
    plain: np.ndarray,
    keyed: np.ndarray,
    query_len: np.ndarray,
    listed_len: np.ndarray,
    query_skel_len: np.ndarray,
    listed_skel_len: np.ndarray,
    typo: Callable[..., np.ndarray],
    by_skeleton: Callable[[np.ndarray], np.ndarray],
    same_first: Callable[[], np.ndarray],
    vowelless: bool = False,
) -> np.ndarray:
    """:func:`token_similarity` worked out in numpy from its parts: the plain and the spelling-key
    similarities, the lengths of tokens and skeletons (arrays that broadcast, for a matrix or for
    pairs), and callables for the parts worth computing only where they can count: whether the
    tokens at some places are one typo apart, the skeletons' similarities (at least where a mask
    says they are used), whether the tokens' first letters agree."""
    spelling = np.maximum(plain, SPELLING_KEY_DISCOUNT * keyed)
    shorter = np.minimum(query_len, listed_len)
    # One typo in a long word: looked for only where the spellings are that close already.
    maybe = np.nonzero((shorter >= TYPO_LENGTH) & (plain >= 0.8) & (spelling < ONE_TYPO))
    if len(maybe[0]):
        spelling[maybe] = np.where(typo(*maybe), ONE_TYPO, spelling[maybe])
    spelling = np.where(shorter <= SHORT_TOKEN, spelling - SHORT_TOKEN_PENALTY, spelling)
    shorter_skel = np.minimum(query_skel_len, listed_skel_len)
    discount = SKELETON_DISCOUNT - 0.03 * np.maximum(0, 6 - shorter_skel)
    use_skeleton = (shorter_skel >= 3) & (spelling >= SKELETON_NEEDS_SPELLING)
    skeletons = by_skeleton(use_skeleton | (shorter_skel >= 2) if vowelless else use_skeleton)
    result = np.where(use_skeleton, np.maximum(spelling, skeletons * discount), spelling)
    if vowelless:
        result = np.where(shorter_skel >= 2, np.maximum(result, skeletons * VOWELLESS_DISCOUNT), result)
    # Initials, and tokens that are equal
    initial = (query_len == 1) | (listed_len == 1)
    if initial.any():
        result = np.where(initial, np.where(same_first(), 0.9, 0.0), result)
    return np.where(plain == 1.0, 1.0, result)  # equal tokens


@lru_cache(maxsize=1 << 20)
def vowelless_similarity(query: str, listed: str) -> float:
    """Token similarity for a query romanised from Arabic script, which writes no short vowels.

    "mky" is "Mekki" and "zrqawy" "Zarkaoui": the skeletons carry the name, so they count
    even when short, and spelling need not be alike first.
    """
    plain = token_similarity(query, listed)
    query_key, listed_key = skeleton(query), skeleton(listed)
    if min(len(query_key), len(listed_key)) >= 2:
        return max(plain, Indel.normalized_similarity(query_key, listed_key) * VOWELLESS_DISCOUNT)
    return plain


def _syllabic_similarity(query: str, listed: str) -> float:
    # Both names are pinyin, so a token that splits into a different number of syllables is
    # another name ("Gang" and "Guoying"); initials still stand for a name.
    if len(query) == 1 or len(listed) == 1:
        return token_similarity(query, listed)
    return syllable_similarity(query, listed) or 0.0


def spans(tokens: tuple[str, ...]) -> tuple[Span, ...]:
    """Each token, and each pair of neighbours written together ("agha jani" as "aghajani")."""
    out: list[Span] = [((i,), t) for i, t in enumerate(tokens)]
    out.extend(((i, i + 1), tokens[i] + tokens[i + 1]) for i in range(len(tokens) - 1))
    return tuple(out)


# A query span alike to a listed one: similarity, token positions, text, how many tokens it
# covers, whether it is more than an initial, and its positions as a bit mask.
AlikeSpan = tuple[float, tuple[int, ...], str, int, bool, int]


def _mask(positions: tuple[int, ...]) -> int:
    return (1 << positions[0]) | (1 << positions[-1])


def alike_spans(matrix: np.ndarray, query_spans: tuple[Span, ...]) -> dict[int, list[AlikeSpan]]:
    """For each column of a :func:`similarity_matrix` of ``query_spans``, the query spans at least
    :data:`PAIR_FLOOR` alike to it: all :func:`compare_tokens` reads of it, found in one pass."""
    found: dict[int, list[AlikeSpan]] = {}
    read = [(qi, q, len(qi), len(q) > 1, _mask(qi)) for qi, q in query_spans]
    rows, columns = np.nonzero(matrix >= PAIR_FLOOR)
    for i, j, sim in zip(rows.tolist(), columns.tolist(), matrix[rows, columns].tolist(), strict=True):
        found.setdefault(j, []).append((sim, *read[i]))
    return found


def compare_tokens(
    query: tuple[str, ...],
    listed: tuple[str, ...],
    person: bool,
    weight_of: Callable[[str], float] = len,
    query_spans: tuple[Span, ...] | None = None,
    listed_spans: tuple[Span, ...] | None = None,
    vowelless: bool = False,
    syllabic: bool = False,
    alike: dict[int, list[AlikeSpan]] | None = None,
    columns: list[int] | None = None,
) -> NameScore:
    """Order-independent similarity of two names in 0..1, with the token pairs that made it.

    Tokens align one to one, or a token to two neighbours written together, greedily from the
    most alike pair down; each pair weighs by ``weight_of`` its tokens (their length, or their
    length scaled by how rare they are, so "Zelenodolsk" outweighs "plant"). When both names are
    romanised Chinese (``syllabic``), tokens compare syllable by syllable. The similarities of
    the span pairs alike enough to be aligned may be given already, as :func:`alike_spans` finds
    them in a :func:`similarity_matrix`: ``alike[columns[j]]`` lists the query spans alike to the
    j-th listed span.
    """
    query_spans = query_spans or spans(query)
    listed_spans = listed_spans or spans(listed)
    # (similarity, tokens covered, query positions, listed positions, query span, listed span,
    # and the positions as bit masks)
    pairs: list[tuple[float, int, tuple[int, ...], tuple[int, ...], str, str, int, int]] = []
    if alike is not None and columns is not None and not syllabic:
        for (ni, n), column in zip(listed_spans, columns, strict=True):
            found = alike.get(column)
            if found is None:
                continue
            listed_size, listed_long, listed_mask = len(ni), len(n) > 1, _mask(ni)
            for sim, qi, q, query_size, query_long, query_mask in found:
                size = query_size + listed_size
                # not a pair of pairs; an initial stands for one of a person's names, not for two
                # written together, nor for a company's word
                if size < 4 and (q == n or (query_long and listed_long) or (person and size == 2)):
                    pairs.append((sim, size, qi, ni, q, n, query_mask, listed_mask))
    else:
        similarity = vowelless_similarity if vowelless else token_similarity
        if syllabic:
            similarity = _syllabic_similarity
        for qi, q in query_spans:
            for ni, n in listed_spans:
                if len(qi) + len(ni) < 4:  # not a pair of pairs
                    if q != n and (len(q) == 1 or len(n) == 1) and (not person or len(qi) + len(ni) > 2):
                        continue  # an initial stands for one of a person's names, not a company's word
                    sim = similarity(q, n)
                    if sim >= PAIR_FLOOR:
                        pairs.append((sim, len(qi) + len(ni), qi, ni, q, n, _mask(qi), _mask(ni)))
    if not pairs:  # nothing in common token by token: at most the names written together agree
        joined = (
            Indel.normalized_similarity("".join(query), "".join(listed)) if len(query) != len(listed) else 0.0
        )
        if joined > 0.0:
            return NameScore(joined, [PartScore(" ".join(query), " ".join(listed), joined)], "joined")
        return NameScore(0.0, [], "tokens")
    pairs.sort(reverse=True)  # most alike first; on a tie, the pair covering more tokens
    used_q = used_n = 0  # bit masks of the positions aligned
    parts: list[PartScore] = []
    matched = weight = 0.0
    for sim, _, _, _, q, n, query_mask, listed_mask in pairs:
        if used_q & query_mask or used_n & listed_mask:
            continue
        used_q |= query_mask
        used_n |= listed_mask
        parts.append(PartScore(q, n, sim))
        pair_weight = (weight_of(q) + weight_of(n)) / 2
        if person and is_patronymic(n):
            pair_weight *= MATCHED_PATRONYMIC
        matched += sim * pair_weight
        weight += pair_weight
    listed_left = 0.0
    for i, token in enumerate(listed):
        if not used_n >> i & 1:
            share = unaligned_share(token, person, True)
            weight += weight_of(token) * share
            listed_left = max(listed_left, share)
    # A query may name a person more fully than the list (a father's name, a second surname); one
    # whose own words the listed name lacks while it has others names someone else.
    fuller = listed_left <= MISSING_PATRONYMIC
    for i, token in enumerate(query):
        if not used_q >> i & 1:
            weight += weight_of(token) * unaligned_share(token, person, False, fuller)
    every_query_word = used_q == (1 << len(query)) - 1
    aligned = matched / weight if weight else 0.0
    if not person and len(query) > 1 and every_query_word:
        # An organisation's every query word found in a longer listed name ("Lanta Bank" in
        # "Commercial Bank Lanta Bank") counts when one of the words is rare; a single word
        # does not, since one surname is found in many company names.
        contained = _containment(parts, weight_of)
        if contained > aligned:
            return NameScore(contained, parts, "contained")
    if len(query) != len(listed):
        joined = Indel.normalized_similarity("".join(query), "".join(listed))
        if joined > aligned:
            return NameScore(joined, [PartScore(" ".join(query), " ".join(listed), joined)], "joined")
    if not person and aligned > WEAK_CEILING and _evidence(parts, weight_of) < WEAK_EVIDENCE:
        # "Rose Ltd" and "ROSE GROUP LIMITED" agree in every word that counts, but the one word
        # is a common one: shown, yet not an alert on the name alone. The very same name
        # ("Gazprom Neft", words many firms share) is not capped.
        whole = every_query_word and used_n == (1 << len(listed)) - 1
        if not (whole and all(p.score >= ONE_TYPO for p in parts)):
            return NameScore(WEAK_CEILING, parts, "weak")
    return NameScore(aligned, parts, "tokens")


@lru_cache(maxsize=1 << 18)
def unaligned_share(token: str, person: bool, listed: bool, fuller: bool = True) -> float:
    """The share of a token's weight that counts against a match when it is left unaligned: all of
    a query's word, less of a listed one (lists add names a query leaves out), little of a
    patronymic and nothing of a person's title or initial ("ALSHEHRI, Waleed Abdullah M."), which
    either side may give or leave out. A query naming a person ``fuller`` than the list (every
    listed word aligned but those that cost little left out) loses less for the words the list
    leaves out; the default is the least it may lose, as a bound wants it."""
    if person:
        if is_title(token) or len(token) == 1:
            return MISSING_TITLE
        if is_patronymic(token) or is_nasab(token):
            return MISSING_PATRONYMIC
        if listed:
            return MISSING_LISTED_PERSON
        return MISSING_QUERY_PERSON if fuller else 1.0
    return MISSING_LISTED_OTHER if listed else 1.0


def _evidence(parts: list[PartScore], weight_of: Callable[[str], float]) -> float:
    """How much telling name the agreeing words of a match hold, in letters of a rare word: a
    word met exactly counts whole, one met at 0.9 ("Cooper" and "Copper") half, below 0.8 not."""
    return sum(weight_of(p.query) * (p.score - 0.8) / 0.2 for p in parts if p.score > 0.8)


def _containment(parts: list[PartScore], weight_of: Callable[[str], float]) -> float:
    """How well a query lies within a listed name, for names with a rare word in common."""
    rare = any(
        p.score >= 0.9 and len(p.query) >= CONTAINED_MIN_LENGTH and weight_of(p.query) >= len(p.query) * 0.8
        for p in parts
    )
    if not rare:
        return 0.0
    total = sum(weight_of(p.query) for p in parts)
    found = sum(p.score * weight_of(p.query) for p in parts)
    return CONTAINED_CEILING * found / total if total else 0.0


def birth_date_qualifier(query: str | None, entity: Entity) -> Qualifier | None:
    """An exact birth date is strong evidence; a year far from every listed one is against."""
    if not query or not entity.birth_dates or entity.schema != "Person":
        return None
    listed = entity.birth_dates
    shown = ", ".join(listed)
    if len(query) == 10 and query in listed:
        return Qualifier("birth_date", 0.15, f"{query} is a listed birth date ({shown})")
    if any(query.startswith(d) or d.startswith(query) for d in listed):
        return Qualifier("birth_date", 0.08, f"{query} agrees with {shown}")
    years = {int(d[:4]) for d in listed if d[:4].isdigit()}
    if query[:4].isdigit() and years and min(abs(int(query[:4]) - y) for y in years) <= 1:
        return Qualifier("birth_date", 0.0, f"{query} is near {shown}")
    return Qualifier("birth_date", -0.2, f"{query} conflicts with {shown}")


_NOT_ALNUM = re.compile(r"[^0-9A-Z]")
STRONG_SCHEMES = frozenset(
    {"isin", "imo", "lei", "swift", "passport", "national_id", "tax_id", "uscc", "inn", "ogrn"}
)


def identifier_key(value: str) -> str:
    """A number as compared across lists: upper case, letters and digits only, IMO prefix dropped."""
    key = _NOT_ALNUM.sub("", value.upper())
    return key[3:] if key.startswith("IMO") and key[3:].isdigit() else key


def identifier_qualifier(values: tuple[str, ...], entity: Entity) -> Qualifier | None:
    """A number the query and the entity share: strong evidence for a document or registry number.

    Numbers of five characters or fewer are too easily shared by chance and are not counted.
    """
    wanted = {identifier_key(v) for v in values if len(identifier_key(v)) > 5}
    for identifier in entity.identifiers:
        if identifier_key(identifier.value) in wanted:
            strong = identifier.scheme in STRONG_SCHEMES and identifier.valid is not False
            effect = 0.3 if strong else 0.1
            return Qualifier("identifier", effect, f"{identifier.scheme} {identifier.value} is listed")
    return None


def country_qualifier(query: str | None, entity: Entity) -> Qualifier | None:
    if not query:
        return None
    codes = {c.code for c in entity.countries} | {a.country for a in entity.addresses if a.country}
    if not codes:
        return None
    if query.lower() in codes:
        return Qualifier("country", 0.03, f"{query.lower()} is among {', '.join(sorted(codes))}")
    return Qualifier("country", -0.03, f"{query.lower()} is not among {', '.join(sorted(codes))}")


def schema_compatible(query: str | None, entity: Entity) -> bool:
    return query is None or entity.schema == query
