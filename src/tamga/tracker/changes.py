"""The changes feed: what each new snapshot of each source added, removed and amended.

A source's first snapshot is not news (it is the whole list as the store first saw it), so it is
left out unless asked for; every later snapshot is compared with the one before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tamga.store import Store
from tamga.store.subjects import snapshot_date


@dataclass
class Change:
    date: str
    source: str
    seq: int
    kind: str  # added | removed | amended
    entity_id: str
    caption: str
    fields: list[str]

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def changes(
    store: Store,
    since: str | None = None,
    source: str | None = None,
    limit: int | None = 100,
    first_snapshots: bool = False,
) -> list[Change]:
    """Changes newest first: by snapshot date, then source, then kind and entity id."""
    found: list[Change] = []
    for snap in sorted(store.all_snapshots(), key=lambda s: (s.source, s.seq)):
        if source is not None and snap.source != source:
            continue
        day = snapshot_date(snap.published_at, snap.ingested_at)
        if since is not None and day < since:
            continue
        if snap.seq == 1 and not first_snapshots:
            continue
        diff = store.diff(snap.source, snap.seq - 1, snap.seq)
        for kind, items in (("added", diff.added), ("removed", diff.removed), ("amended", diff.changed)):
            for c in items:
                found.append(
                    Change(day, snap.source, snap.seq, kind, c.id, c.caption, [f.field for f in c.fields])
                )
    found.sort(key=lambda c: (c.date, c.source, c.seq), reverse=True)
    return found[:limit] if limit is not None else found
