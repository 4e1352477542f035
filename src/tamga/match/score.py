"""The scorer: how alike a query name and a listed name are, and why, plus the qualifiers.

Name similarity aligns tokens regardless of order (lists write ``LAST, First``, ``First LAST`` or
family-first), scores each pair by edit distance, and weighs pairs by their length so that a
missing long token costs more than a missing initial. Qualifiers then move the score: a birth
date or country that agrees or conflicts, and an identifier that matches exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from tamga.model import Entity

PAIR_FLOOR = 0.6  # token pairs less alike than this count as unmatched


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


def compare_tokens(query: tuple[str, ...], listed: tuple[str, ...]) -> NameScore:
    """Order-independent similarity of two token lists in 0..1, with the token pairs that made it."""
    pairs = sorted(
        ((fuzz.ratio(q, n) / 100.0, qi, ni) for qi, q in enumerate(query) for ni, n in enumerate(listed)),
        reverse=True,
    )
    used_q: set[int] = set()
    used_n: set[int] = set()
    parts: list[PartScore] = []
    matched = 0.0
    for sim, qi, ni in pairs:
        if sim < PAIR_FLOOR or qi in used_q or ni in used_n:
            continue
        used_q.add(qi)
        used_n.add(ni)
        parts.append(PartScore(query[qi], listed[ni], sim))
        matched += sim * (len(query[qi]) + len(listed[ni]))
    total = sum(len(t) for t in query) + sum(len(t) for t in listed)
    aligned = matched / total if total else 0.0
    joined = fuzz.ratio("".join(query), "".join(listed)) / 100.0
    joined_sorted = fuzz.ratio("".join(sorted(query)), "".join(sorted(listed))) / 100.0
    best_joined = max(joined, joined_sorted)
    if best_joined > aligned and len(query) != len(listed):
        return NameScore(best_joined, [PartScore(" ".join(query), " ".join(listed), best_joined)], "joined")
    return NameScore(aligned, parts, "tokens")


def birth_date_qualifier(query: str | None, entity: Entity) -> Qualifier | None:
    """Agreement on the birth year raises the score a little; years far apart lower it a lot."""
    if not query or not entity.birth_dates or entity.schema != "Person":
        return None
    listed = entity.birth_dates
    if any(query.startswith(d) or d.startswith(query) for d in listed):
        return Qualifier("birth_date", 0.05, f"{query} agrees with {', '.join(listed)}")
    years = {int(d[:4]) for d in listed if d[:4].isdigit()}
    if query[:4].isdigit() and years and min(abs(int(query[:4]) - y) for y in years) <= 1:
        return Qualifier("birth_date", 0.0, f"{query} is near {', '.join(listed)}")
    return Qualifier("birth_date", -0.15, f"{query} conflicts with {', '.join(listed)}")


def country_qualifier(query: str | None, entity: Entity) -> Qualifier | None:
    if not query:
        return None
    codes = {c.code for c in entity.countries} | {a.country for a in entity.addresses if a.country}
    if not codes:
        return None
    if query.lower() in codes:
        return Qualifier("country", 0.03, f"{query.lower()} is among {', '.join(sorted(codes))}")
    return Qualifier("country", -0.03, f"{query.lower()} is not among {', '.join(sorted(codes))}")


COMPATIBLE = {
    "Person": {"Person"},
    "Organization": {"Organization"},
    "Vessel": {"Vessel"},
    "Aircraft": {"Aircraft"},
}


def schema_compatible(query: str | None, entity: Entity) -> bool:
    return query is None or entity.schema in COMPATIBLE.get(query, {query})
