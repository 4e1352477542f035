"""An in-memory index over every name of every loaded entity, for candidate generation.

The index knows no database: it is fed entities and can be pickled to a worker. Candidates for a
query are the listed names that share a token with it, exactly or within a small edit distance
(found with rapidfuzz over the token vocabulary), or whose tokens written together equal the
query's written together ("chen quan guo" and "chen quanguo").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from tamga.model import Entity
from tamga.names import name_tokens

TOKEN_CUTOFF = 75.0  # rapidfuzz ratio above which two tokens are "the same word, misspelt"
MAX_TOKEN_VARIANTS = 25
MIN_FUZZY_LENGTH = 4


@dataclass(frozen=True)
class IndexedName:
    entity: int  # position in NameIndex.entities
    text: str  # as published
    kind: str
    tokens: tuple[str, ...]


@dataclass
class NameIndex:
    entities: list[Entity] = field(default_factory=list)
    names: list[IndexedName] = field(default_factory=list)
    by_token: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_joined: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    vocabulary: list[str] = field(default_factory=list)
    by_id: dict[str, int] = field(default_factory=dict)

    @classmethod
    def build(cls, entities: Iterable[Entity]) -> NameIndex:
        index = cls()
        for entity in entities:
            position = len(index.entities)
            index.entities.append(entity)
            index.by_id[entity.id] = position
            for name in entity.names:
                tokens = name_tokens(name.full, entity.schema)
                if not tokens:
                    continue
                name_id = len(index.names)
                index.names.append(IndexedName(position, name.full, name.kind, tokens))
                for token in set(tokens):
                    index.by_token[token].append(name_id)
                index.by_joined["".join(sorted(tokens))].append(name_id)
                if len(tokens) > 1:
                    index.by_joined["".join(tokens)].append(name_id)
        index.vocabulary = sorted(index.by_token)
        return index

    def similar_tokens(self, token: str) -> list[str]:
        """Vocabulary tokens equal to ``token`` or close to it in edit distance."""
        if token in self.by_token and len(token) < MIN_FUZZY_LENGTH:
            return [token]
        if len(token) < MIN_FUZZY_LENGTH:
            return []
        found = process.extract(
            token, self.vocabulary, scorer=fuzz.ratio, score_cutoff=TOKEN_CUTOFF, limit=MAX_TOKEN_VARIANTS
        )
        return [match for match, _, _ in found]

    def candidates(self, tokens: tuple[str, ...]) -> set[int]:
        """Ids of the names that could match a query with these tokens."""
        found: set[int] = set()
        for token in set(tokens):
            for similar in self.similar_tokens(token):
                found.update(self.by_token[similar])
        found.update(self.by_joined.get("".join(sorted(tokens)), ()))
        found.update(self.by_joined.get("".join(tokens), ()))
        return found
