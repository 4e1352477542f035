"""The screening call every surface uses: one query in, scored and explained matches out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tamga.match.index import NameIndex
from tamga.match.score import (
    Explanation,
    birth_date_qualifier,
    compare_tokens,
    country_qualifier,
    schema_compatible,
)
from tamga.model import Entity
from tamga.names import name_tokens
from tamga.store import Store

DEFAULT_THRESHOLD = 0.85
FLOOR = 0.5  # candidates down to this score are reported with "match": false


@dataclass
class Query:
    name: str
    schema: str | None = None
    birth_date: str | None = None
    country: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


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

    def match(self, query: Query, threshold: float | None = None, limit: int = 10) -> list[Match]:
        """Entities whose names resemble the query, best first, down to :data:`FLOOR`."""
        threshold = self.threshold if threshold is None else threshold
        tokens = name_tokens(query.name, query.schema)
        if not tokens:
            return []
        best: dict[int, Match] = {}
        for name_id in self.index.candidates(tokens):
            listed = self.index.names[name_id]
            entity = self.index.entities[listed.entity]
            if not schema_compatible(query.schema, entity):
                continue
            listed_tokens = name_tokens(listed.text, entity.schema) if query.schema is None else listed.tokens
            name_score = compare_tokens(tokens, listed_tokens)
            if name_score.score < FLOOR:
                continue
            current = best.get(listed.entity)
            if current is not None and current.explanation.name_score >= name_score.score:
                continue
            explanation = Explanation(
                query_name=query.name,
                matched_name=listed.text,
                name_kind=listed.kind,
                name_score=name_score.score,
                method=name_score.method,
                parts=name_score.parts,
            )
            best[listed.entity] = Match(
                entity.id, entity.caption, entity.schema, name_score.score, False, explanation
            )
        results = []
        for position, found in best.items():
            entity = self.index.entities[position]
            score = found.explanation.name_score
            for qualifier in (
                birth_date_qualifier(query.birth_date, entity),
                country_qualifier(query.country, entity),
            ):
                if qualifier is not None:
                    found.explanation.qualifiers.append(qualifier)
                    score += qualifier.effect
            found.score = max(0.0, min(1.0, score))
            found.match = found.score >= threshold
            if found.score >= FLOOR:
                results.append(found)
        results.sort(key=lambda m: (-m.score, m.entity_id))
        return results[:limit]
