"""The screening call every surface uses: one query in, scored and explained matches out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import chain, zip_longest
from operator import itemgetter
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from tamga.match.index import IndexedName, NameIndex, token_variants
from tamga.match.known import KIND
from tamga.match.score import (
    AlikeSpan,
    Explanation,
    NameScore,
    Span,
    alike_spans,
    birth_date_qualifier,
    compare_tokens,
    country_qualifier,
    identifier_key,
    identifier_qualifier,
    schema_compatible,
    similarity_matrix,
    spans,
)
from tamga.model import Entity, detect_script
from tamga.names import name_tokens
from tamga.names.mandarin import mandarin_reading
from tamga.names.pinyin import is_pinyin_name
from tamga.names.transliterate import persian_reading
from tamga.store import Store

DEFAULT_THRESHOLD = 0.86  # best recall at <= 1% false alerts on dev.csv (README, Matching)
FLOOR = 0.5  # candidates down to this score are reported with "match": false
SHORTLIST = 20  # candidates scored in full per query
BY_EVIDENCE = 8  # of which these are the best by shared rare tokens, the rest by a fast comparison
TELLING_WEIGHT = 0.5  # a token weighing less than this share of its length is a common word
QUALIFIER_ROOM = 0.15  # a name this far below the floor may still reach it with a birth date


@dataclass
class Query:
    name: str
    schema: str | None = None
    birth_date: str | None = None
    country: str | None = None
    identifiers: tuple[str, ...] = ()  # document or registry numbers: ISIN, IMO, passport…

    def to_dict(self) -> dict[str, Any]:
        return {
            k: (list(v) if isinstance(v, tuple) else v)
            for k, v in self.__dict__.items()
            if v not in (None, ())
        }


@dataclass
class Match:
    entity_id: str
    name: str
    schema: str
    score: float
    match: bool
    explanation: Explanation

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity_id": self.entity_id,
            "name": self.name,
            "schema": self.schema,
            "score": round(self.score, 4),
            "match": self.match,
            "explanation": self.explanation.to_dict(),
        }


Variants = list[tuple[tuple[str, ...], tuple[Span, ...]]]


_BRACKETED = re.compile(r"\(([^()]*)(?:\)|$)")  # an unclosed bracket runs to the end


def spellings(name: str) -> list[str]:
    """The spellings a query's name holds: those separated by ";" (as the UN list prints aliases),
    and of one with a part in brackets, also the spelling without it and the part alone when it is
    a name of its own, two words or more: the UN gives "Ibrahim Hassan Tali Asiri (إبراهيم حسن
    طالع عسيري)", the EU "Radar MMS (Акционерное общество … “РАДАР ММС”)". One word in brackets
    is a nickname or a legal form ("Madalal (Mtanyus) KHURI", "Lanta-Bank (JSC)"), no name alone.
    A name in Arabic script is also read as Persian romanises it, and one in Uyghur script that
    transcribes a Chinese name as the pinyin it stands for.
    """
    found: list[str] = []
    for spelling in name.split(";"):
        spelling = spelling.strip()
        found.append(spelling)
        if "(" in spelling:
            found.append(_BRACKETED.sub(" ", spelling).strip())
            found.extend(part.strip() for part in _BRACKETED.findall(spelling) if len(part.split()) > 1)
    found.extend(p for s in list(found) if (p := persian_reading(s)) is not None)
    # a Chinese name written in Uyghur script, read back as pinyin ("چېن چۈەنگو", Chen Quanguo)
    found.extend(p for s in list(found) if (p := mandarin_reading(s)) is not None)
    return [s for s in dict.fromkeys(found) if s]


def query_readings(query: Query, schema: str | None = None) -> list[tuple[str, ...]]:
    """Token lists to compare for a query.

    A query may carry several spellings (:func:`spellings`), and each is tried as written and with
    Arabic particles joined. ``schema`` says how to read the name when the query leaves it open:
    as a person's, or as an organisation's that sheds its legal form.
    """
    found: dict[tuple[str, ...], None] = {}
    for spelling in spellings(query.name):
        found.update(dict.fromkeys(token_variants(name_tokens(spelling, schema or query.schema))))
    return list(found)


def query_variants(query: Query, schema: str | None = None) -> Variants:
    """:func:`query_readings`, each with its spans."""
    return [(tokens, spans(tokens)) for tokens in query_readings(query, schema)]


class Screener:
    """Screens queries against an index of entities; build it once, query it many times."""

    def __init__(self, index: NameIndex, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.index = index
        self.threshold = threshold

    @classmethod
    def from_store(cls, store: Store, threshold: float = DEFAULT_THRESHOLD) -> Screener:
        return cls(NameIndex.build(store.entities()), threshold)

    def entity(self, entity_id: str) -> Entity | None:
        position = self.index.by_id.get(entity_id)
        return None if position is None else self.index.entities[position]

    def shortlist(self, query: Query, variants: list[tuple[tuple[str, ...], tuple[Span, ...]]]) -> list[int]:
        """The candidates worth full scoring: the best by shared rare evidence, and the best by a
        fast whole-name comparison (rapidfuzz's token-set ratio, run in C over all candidates)."""
        names = self.index.names
        # Each reading's best first, in turn: a reading's best candidates are not to be pushed
        # past the shortlist by another reading's many weaker ones.
        ranked = [self.index.candidates(tokens, schema=query.schema) for tokens, _ in variants]
        candidates = ranked[0]
        if len(ranked) > 1:
            tiers = zip_longest(*ranked)
            candidates = list(dict.fromkeys(c for tier in tiers for c in tier if c is not None))
        if len(candidates) <= SHORTLIST:
            return candidates
        keep = dict.fromkeys(candidates[:BY_EVIDENCE])
        choices = itemgetter(*candidates)(self.index.folded)
        weight = self.index.token_weight if query.schema == "Person" else self.index.org_token_weight
        for tokens, _ in variants:
            # Compared by their telling words only: with "federal" in it, a query would otherwise
            # be wholly found in every listed name with "federal" in it.
            telling = [t for t in tokens if weight(t) >= TELLING_WEIGHT * len(t)] or tokens
            for _, _, position in process.extract(
                " ".join(telling), choices, scorer=fuzz.token_set_ratio, limit=SHORTLIST - BY_EVIDENCE
            ):
                keep[candidates[position]] = None
        for name_id in list(keep):  # entities listed under the very same name are all scored
            for twin in self.index.twins.get(names[name_id].tokens, ()):
                if query.schema is None or names[twin].schema == query.schema:
                    keep[twin] = None
        return list(keep)

    def score_name(
        self,
        listed: IndexedName,
        variants: Variants,
        other_variants: Variants,
        vowelless: bool,
        matrices: dict[tuple[str, ...], dict[int, list[AlikeSpan]]] | None = None,
        columns: list[int] | None = None,
    ) -> NameScore | None:
        """The best score of a query's variants against one listed name: the person reading
        against a person, the organisation one against others. ``matrices`` hold the span
        similarities computed for the whole shortlist, ``columns`` this name's place in them."""
        person = listed.schema == "Person"
        weight_of = self.index.token_weight if person else self.index.org_token_weight
        best: NameScore | None = None
        for tokens, query_spans in variants if person else other_variants:
            scored = compare_tokens(
                tokens,
                listed.tokens,
                person,
                weight_of,
                query_spans,
                listed.spans,
                vowelless,
                listed.pinyin and is_pinyin_name(tokens),
                None if matrices is None else matrices[tokens],
                columns,
            )
            if best is None or scored.score > best.score:
                best = scored
        return best

    def match(self, query: Query, threshold: float | None = None, limit: int = 10) -> list[Match]:
        """Entities whose names resemble the query, best first, down to :data:`FLOOR`."""
        threshold = self.threshold if threshold is None else threshold
        variants = query_variants(query)
        # A query of no stated schema is read both ways: "Megvii Technology Limited" loses its
        # legal form when it meets an organisation, "Li Ltd" would keep it against a person.
        other_variants = query_variants(query, "Organization") if query.schema is None else variants
        if not variants and not other_variants:
            return []
        vowelless = detect_script(query.name) == "Arabic"
        best: dict[int, tuple[NameScore, IndexedName]] = {}
        # the least name score that may yet be reported: only a qualifier lifts a score
        qualified = query.birth_date or query.country or query.identifiers
        lowest = FLOOR - QUALIFIER_ROOM if qualified else FLOOR
        shortlist = self.shortlist(query, variants + [v for v in other_variants if v not in variants])
        for value in query.identifiers:  # an entity sharing a number is a candidate whatever its name
            for position in self.index.by_identifier.get(identifier_key(value), ()):
                if schema_compatible(query.schema, self.index.entities[position]):
                    shortlist.extend(self.index.names_of(position))
        # Every span of every shortlisted name against every query span, in one go.
        names = self.index.names
        listed_names = [names[name_id] for name_id in shortlist]
        flat = np.fromiter(chain.from_iterable(n.span_ids for n in listed_names), dtype=np.int64)
        used, place = np.unique(flat, return_inverse=True)
        place = place.tolist()
        listed_texts = self.index.span_texts.take(used)
        matrices = (
            {
                tokens: alike_spans(
                    similarity_matrix([text for _, text in query_spans], listed_texts, vowelless), query_spans
                )
                for tokens, query_spans in {*variants, *other_variants}
            }
            if len(used)
            else {}
        )
        start = 0
        for listed in listed_names:
            end = start + len(listed.span_ids)
            picked, start = place[start:end], end
            scored = self.score_name(listed, variants, other_variants, vowelless, matrices, picked)
            if scored is None or scored.score < lowest:
                continue
            current = best.get(listed.entity)
            # on a tie, the list's own spelling is the one shown, not one from the curated table
            if (
                current is None
                or scored.score > current[0].score
                or (scored.score == current[0].score and current[1].kind == KIND != listed.kind)
            ):
                best[listed.entity] = (scored, listed)
        results = []
        for position, (scored, listed) in best.items():
            entity = self.index.entities[position]
            explanation = Explanation(
                query_name=query.name,
                matched_name=listed.text,
                name_kind=listed.kind,
                name_score=scored.score,
                method=scored.method,
                parts=scored.parts,
            )
            score = scored.score
            for qualifier in (
                birth_date_qualifier(query.birth_date, entity),
                country_qualifier(query.country, entity),
                identifier_qualifier(query.identifiers, entity),
            ):
                if qualifier is not None:
                    explanation.qualifiers.append(qualifier)
                    score += qualifier.effect
            score = max(0.0, min(1.0, score))
            if score >= FLOOR:
                matched = score >= threshold
                results.append(Match(entity.id, entity.caption, entity.schema, score, matched, explanation))
        results.sort(key=lambda m: (-m.score, m.entity_id))
        return results[:limit]
