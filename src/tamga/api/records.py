"""Reading the store: ``GET /entities/{id}``, ``GET /sources``, ``GET /sources/{slug}/changes``.

These answer from the store, not from the served index, so they show every past state too.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request

from tamga.api.yente import datasets
from tamga.store import Store, StoreError, entity_json

router = APIRouter(tags=["Data access"])


def _store(request: Request) -> Store:
    return request.app.state.store


@router.get(
    "/entities/{entity_id:path}",
    summary="Everything the store holds about one entity",
    responses={404: {"description": "No such entity"}},
)
def entity(
    request: Request,
    entity_id: Annotated[
        str, Path(description="`{source}:{id in that source}`", examples=["ofac-sdn:34119"])
    ],
    snapshot: Annotated[
        int | None, Query(ge=1, description="The entity as of this snapshot of its source.")
    ] = None,
) -> dict[str, Any]:
    """All names, identifiers, designations and relations, and the snapshot span of each
    version of the record (`snapshots`: from which snapshot, until which one)."""
    store = _store(request)
    try:
        found = store.entity(entity_id, snapshot)
    except StoreError as exc:
        raise HTTPException(404, detail=str(exc)) from None
    if found is None:
        when = f" in snapshot {snapshot}" if snapshot is not None else ""
        raise HTTPException(404, detail=f"No entity {entity_id!r}{when}")
    return entity_json(found, store)


@router.get("/sources", summary="Loaded sources, their snapshots, and the ones being served")
def sources(request: Request) -> dict[str, Any]:
    """Each source with its latest snapshot and counts; `served` lists the snapshots the
    index in service was built from, and `datasets` the names `/match/{dataset}` takes."""
    summaries = _store(request).sources()
    served = request.app.state.holder.current
    return {
        "sources": [s.to_dict() for s in summaries],
        "served": served.to_dict() if served else None,
        "datasets": datasets(served.sources) if served else {},
    }


@router.get(
    "/sources/{slug}/changes",
    summary="Entities added, removed and changed between two snapshots of a source",
    responses={404: {"description": "No such source or snapshot"}},
)
def changes(
    request: Request,
    slug: Annotated[str, Path(examples=["ofac-sdn"])],
    from_seq: Annotated[
        int | None,
        Query(alias="from", ge=0, description="Older snapshot (0: empty). Default: the one before `to`."),
    ] = None,
    to_seq: Annotated[
        int | None, Query(alias="to", ge=1, description="Newer snapshot. Default: the latest.")
    ] = None,
) -> dict[str, Any]:
    """What `tamga diff SOURCE --json` prints: added and removed entities, and changed ones with
    the values each field lost and gained."""
    try:
        return _store(request).diff(slug, from_seq, to_seq).to_dict()
    except StoreError as exc:
        raise HTTPException(404, detail=str(exc)) from None
