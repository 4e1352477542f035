"""``GET /search``: type-ahead over listed names.

Two look-ups, merged: the screener's fuzzy match (which finds misspellings and other scripts
but not a name cut short), and a prefix look-up over the index's name tokens, which finds
"Hikvision" from "hikv". The prefix look-up is a thin wrapper over the index's own tables; it
belongs in ``tamga.match`` (see :func:`prefix_names`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field

from tamga.api.index import ServedIndex, served_index
from tamga.api.yente import QUERY_SCHEMATA, RESULT_SCHEMATA
from tamga.match.screener import Query as Screening
from tamga.names import name_tokens

router = APIRouter(tags=["Search"])

PREFIX_TOKENS = 50  # vocabulary words a prefix may stand for
PREFIX_NAMES = 2000  # listed names looked at for one prefix


def prefix_names(served: ServedIndex, text: str, schema: str | None, limit: int) -> list[tuple[int, int]]:
    """``(entity position, name id)`` of listed names holding every word of ``text``, the last
    one possibly cut short, shortest names first.

    What ``tamga.match`` would offer as ``NameIndex.prefix_candidates(tokens)``; written here
    against the index's public tables meanwhile.
    """
    tokens = name_tokens(text, schema)
    if not tokens:
        return []
    index = served.screener.index
    *whole, partial = tokens
    ids: set[int] = set()
    for word in served.tokens_with_prefix(partial, PREFIX_TOKENS):
        ids.update(index.by_token.get(word, ())[:PREFIX_NAMES])
        if len(ids) >= PREFIX_NAMES:
            break
    for word in whole:
        ids.intersection_update(index.by_token.get(word, ()))
    found = []
    for name_id in ids:
        listed = index.names[name_id]
        entity = index.entities[listed.entity]
        if schema is None or entity.schema == schema:
            found.append((len(listed.tokens), len(listed.text), listed.entity, name_id))
    found.sort()
    seen: set[int] = set()
    out = []
    for *_, position, name_id in found:
        if position not in seen:
            seen.add(position)
            out.append((position, name_id))
            if len(out) == limit:
                break
    return out


class SearchHit(BaseModel):
    id: str
    schema_: str = Field(alias="schema")
    caption: str
    name: str = Field(description="The listed name that met the query.")
    datasets: list[str]
    method: str = Field(description="`fuzzy` (scored) or `prefix` (the name begins with the query).")
    score: float | None
    match: bool


class SearchResponse(BaseModel):
    query: str
    schema_: str | None = Field(alias="schema")
    limit: int
    total: int
    results: list[SearchHit]


@router.get("/search", summary="Type-ahead search over listed names", response_model=SearchResponse)
async def search(
    request: Request,
    served: Annotated[ServedIndex, Depends(served_index)],
    q: Annotated[str, Query(min_length=1, max_length=200, description="A name, or its beginning.")],
    schema: Annotated[
        str | None, Query(description="Person, Organization (Company), Vessel or Aircraft (Airplane).")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> dict[str, Any]:
    """Entities whose names resemble `q` or begin with it. Confident fuzzy matches come first,
    then names that begin with the text typed so far, then weaker fuzzy candidates."""
    if schema is not None and schema not in QUERY_SCHEMATA:
        raise HTTPException(422, detail=f"schema {schema!r} is not one of {', '.join(QUERY_SCHEMATA)}")
    ours = QUERY_SCHEMATA[schema] if schema else None
    fuzzy = served.screener.match(Screening(q, ours), limit=limit)
    request.app.state.metrics.screened.labels("search").inc()
    results: dict[str, dict[str, Any]] = {}

    def add(entity_id: str, name: str, method: str, score: float | None, matched: bool) -> None:
        entity = served.entity(entity_id)
        if entity is None or entity_id in results:
            return
        results[entity_id] = {
            "id": entity_id,
            "schema": RESULT_SCHEMATA.get(entity.schema, entity.schema),
            "caption": entity.caption,
            "name": name,
            "datasets": [entity.source],
            "method": method,
            "score": None if score is None else round(score, 4),
            "match": matched,
        }

    for m in fuzzy:
        if m.match:
            add(m.entity_id, m.explanation.matched_name, "fuzzy", m.score, True)
    index = served.screener.index
    for position, name_id in prefix_names(served, q, ours, limit):
        add(index.entities[position].id, index.names[name_id].text, "prefix", None, False)
    for m in fuzzy:
        add(m.entity_id, m.explanation.matched_name, "fuzzy", m.score, False)
    found = list(results.values())[:limit]
    return {"query": q, "schema": schema, "limit": limit, "total": len(found), "results": found}
