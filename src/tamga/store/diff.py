"""What changed in a source between two snapshots: entities added, removed, and changed by field.

Both states are read from the version table, so a diff of two snapshots a year apart costs the
same as one of two consecutive ones, and only the versions that differ are loaded in full.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from tamga.store.entities import entity_fields, load_entities, visible_at
from tamga.store.schema import entity_version
from tamga.store.snapshots import Snapshot


@dataclass
class FieldChange:
    """One field of a changed entity: the values only in the old state, and only in the new."""

    field: str
    removed: list[Any]
    added: list[Any]


@dataclass
class EntityChange:
    id: str
    schema: str
    caption: str
    fields: list[FieldChange] = field(default_factory=list)


@dataclass
class SnapshotDiff:
    source: str
    from_snapshot: Snapshot | None
    to_snapshot: Snapshot
    added: list[EntityChange]
    removed: list[EntityChange]
    changed: list[EntityChange]

    def to_dict(self) -> dict[str, Any]:
        def brief(change: EntityChange) -> dict[str, Any]:
            return {"id": change.id, "schema": change.schema, "caption": change.caption}

        return {
            "source": self.source,
            "from": self.from_snapshot.to_dict() if self.from_snapshot else None,
            "to": self.to_snapshot.to_dict(),
            "added": [brief(c) for c in self.added],
            "removed": [brief(c) for c in self.removed],
            "changed": [
                {
                    **brief(c),
                    "fields": [f.field for f in c.fields],
                    "changes": {f.field: {"removed": f.removed, "added": f.added} for f in c.fields},
                }
                for c in self.changed
            ],
        }


def _state(conn: Connection, source: str, snap: Snapshot | None) -> dict[str, tuple[int, str, str]]:
    if snap is None:
        return {}
    query = select(
        entity_version.c.entity_id, entity_version.c.id, entity_version.c.schema, entity_version.c.caption
    ).where(entity_version.c.source == source, visible_at(snap.id))
    return {row.entity_id: (row.id, row.schema, row.caption) for row in conn.execute(query)}


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return [{k: v} for k, v in sorted(value.items())]
    return [value]


def canonical_key(value: Any) -> str:
    """A field value as text that compares equal exactly when the values do."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def compare_fields(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    """Field-level differences of two canonical entity dicts, values compared as sets."""
    changes = []
    for name in sorted(set(old) | set(new)):
        before, after = _as_list(old.get(name)), _as_list(new.get(name))
        if canonical_key(before) == canonical_key(after):
            continue
        before_keys = {canonical_key(v) for v in before}
        after_keys = {canonical_key(v) for v in after}
        changes.append(
            FieldChange(
                field=name,
                removed=[v for v in before if canonical_key(v) not in after_keys],
                added=[v for v in after if canonical_key(v) not in before_keys],
            )
        )
    return changes


def diff_snapshots(conn: Connection, source: str, old: Snapshot | None, new: Snapshot) -> SnapshotDiff:
    """Entities added, removed and changed (with the fields that changed) from ``old`` to ``new``."""
    before = _state(conn, source, old)
    after = _state(conn, source, new)
    added = [EntityChange(i, after[i][1], after[i][2]) for i in sorted(set(after) - set(before))]
    removed = [EntityChange(i, before[i][1], before[i][2]) for i in sorted(set(before) - set(after))]
    changed_ids = sorted(i for i in set(before) & set(after) if before[i][0] != after[i][0])
    old_versions = {before[i][0]: i for i in changed_ids}
    new_versions = {after[i][0]: i for i in changed_ids}
    old_entities = {old_versions[v]: e for v, e in load_entities(conn, old_versions)}
    new_entities = {new_versions[v]: e for v, e in load_entities(conn, new_versions)}
    changed = []
    for entity_id in changed_ids:
        fields = compare_fields(
            entity_fields(old_entities[entity_id]), entity_fields(new_entities[entity_id])
        )
        if fields:
            changed.append(EntityChange(entity_id, after[entity_id][1], after[entity_id][2], fields))
    return SnapshotDiff(source, old, new, added, removed, changed)
