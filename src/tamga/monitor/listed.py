"""Reading listed entities for monitoring: the versions in service of many ids at once.

:meth:`tamga.store.Store.entity` reads one entity per call; a monitoring run reads the hundreds or
thousands a list update changed, and an alert listing the entities of a page of alerts, so they
are read here in chunks of ids with the store's own rebuilding of records.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from tamga.model import Entity
from tamga.store import Store
from tamga.store.entities import CHUNK, load_entities
from tamga.store.schema import entity_version


def current_entities(store: Store, entity_ids: Iterable[str]) -> dict[str, Entity]:
    """The version in service of each id that is still listed; ids no longer listed are left out."""
    ids = sorted(set(entity_ids))
    found: dict[str, Entity] = {}
    if not ids or not store.exists:
        return found
    with store.engine.connect() as conn:
        for start in range(0, len(ids), CHUNK):
            version_ids = conn.execute(
                select(entity_version.c.id).where(
                    entity_version.c.entity_id.in_(ids[start : start + CHUNK]),
                    entity_version.c.retired_snapshot_id.is_(None),
                )
            ).scalars()
            for _, entity in load_entities(conn, list(version_ids)):
                found[entity.id] = entity
    return found
