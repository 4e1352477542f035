"""Entity versions: writing them with their child rows, and rebuilding :class:`Entity` records.

Writes go through SQLAlchemy Core ``executemany`` so that a full OFAC list (15k entities, about
150k child rows) lands in seconds; reads fetch child rows for a whole chunk of versions at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import fields
from typing import Any

from sqlalchemy import Connection, and_, insert, or_, select

from tamga.model import Address, Country, Designation, Entity, Identifier, Name, Relation
from tamga.store.schema import CHILD_TABLES, entity_version

CHUNK = 500

_RECORD_TYPES: dict[str, type] = {
    "names": Name,
    "identifiers": Identifier,
    "countries": Country,
    "addresses": Address,
    "designations": Designation,
    "relations": Relation,
}
_RECORD_FIELDS = {attr: tuple(f.name for f in fields(kind)) for attr, kind in _RECORD_TYPES.items()}
_SCALAR_LISTS = ("birth_dates", "birth_places")


def insert_versions(
    conn: Connection, entities: Sequence[tuple[Entity, dict[str, Any], str]], snapshot_id: int
) -> dict[str, int]:
    """Insert one new version per entity with all its child rows; return entity id -> version id.

    Each item is ``(entity, entity.to_dict(), content hash)``: the caller has computed both to
    compare with the stored state, and they are the costly part of a write.
    """
    if not entities:
        return {}
    rows = [
        {
            "entity_id": e.id,
            "source": e.source,
            "schema": e.schema,
            "caption": e.caption,
            "content_hash": content_hash,
            "first_snapshot_id": snapshot_id,
            "retired_snapshot_id": None,
            "remarks": e.remarks,
            "properties": {k: list(v) for k, v in sorted(e.properties.items()) if v},
        }
        for e, _, content_hash in entities
    ]
    version_ids: dict[str, int] = {}
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        result = conn.execute(
            insert(entity_version).returning(
                entity_version.c.id, entity_version.c.entity_id, sort_by_parameter_order=True
            ),
            chunk,
        )
        for version_id, entity_id in result:
            version_ids[entity_id] = version_id

    children: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entity, canonical, _ in entities:
        version_id = version_ids[entity.id]
        for attr in CHILD_TABLES:
            for position, item in enumerate(canonical.get(attr, [])):
                row = {"value": item} if attr in _SCALAR_LISTS else _full_row(attr, item)
                row["version_id"] = version_id
                row["position"] = position
                children[attr].append(row)
    for attr, child_rows in children.items():
        table = CHILD_TABLES[attr]
        for start in range(0, len(child_rows), 5 * CHUNK):
            conn.execute(insert(table), child_rows[start : start + 5 * CHUNK])
    return version_ids


def _full_row(attr: str, item: dict[str, Any]) -> dict[str, Any]:
    """Every column of the record type, so executemany sees one uniform parameter set."""
    return {name: item.get(name) for name in _RECORD_FIELDS[attr]}


def visible_at(snapshot_id: int) -> Any:
    """The SQL condition for versions that make up the state at ``snapshot_id``."""
    return and_(
        entity_version.c.first_snapshot_id <= snapshot_id,
        or_(
            entity_version.c.retired_snapshot_id.is_(None),
            entity_version.c.retired_snapshot_id > snapshot_id,
        ),
    )


def load_entities(conn: Connection, version_ids: Iterable[int]) -> Iterator[tuple[int, Entity]]:
    """Rebuild entities for the given version ids, in chunks, yielding ``(version_id, entity)``."""
    ids = list(version_ids)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        versions = conn.execute(
            select(
                entity_version.c.id,
                entity_version.c.entity_id,
                entity_version.c.schema,
                entity_version.c.remarks,
                entity_version.c.properties,
            ).where(entity_version.c.id.in_(chunk))
        ).all()
        parts: dict[int, dict[str, list[Any]]] = {v.id: defaultdict(list) for v in versions}
        for attr, table in CHILD_TABLES.items():
            columns = [c for c in table.c if c.name not in ("id", "version_id", "position")]
            query = (
                select(table.c.version_id, *columns)
                .where(table.c.version_id.in_(chunk))
                .order_by(table.c.version_id, table.c.position)
            )
            for row in conn.execute(query):
                values = row._asdict()
                version_id = values.pop("version_id")
                if attr in _SCALAR_LISTS:
                    parts[version_id][attr].append(values["value"])
                else:
                    parts[version_id][attr].append(_RECORD_TYPES[attr](**values))
        by_id = {v.id: v for v in versions}
        for version_id in chunk:
            v = by_id.get(version_id)
            if v is None:
                continue
            p = parts[version_id]
            yield (
                version_id,
                Entity(
                    id=v.entity_id,
                    schema=v.schema,
                    names=p["names"],
                    identifiers=p["identifiers"],
                    birth_dates=p["birth_dates"],
                    birth_places=p["birth_places"],
                    countries=p["countries"],
                    addresses=p["addresses"],
                    designations=p["designations"],
                    relations=p["relations"],
                    remarks=v.remarks,
                    properties={k: list(vals) for k, vals in (v.properties or {}).items()},
                ),
            )


def entity_fields(entity: Entity) -> dict[str, Any]:
    """The canonical dict without the id: what a diff compares field by field."""
    data = entity.to_dict()
    data.pop("id", None)
    return data
