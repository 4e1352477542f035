"""The entity store: snapshots of every source, every past state, and diffs between them.

:class:`Store` is the one door to the database for the rest of tamga. It opens lazily, runs the
Alembic migrations when it first writes, and never creates an SQLite file just to read from it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import IntegrityError

from tamga.model import Entity
from tamga.sources.base import InputFile
from tamga.store.db import StoreError, default_url, make_engine, migrate, normalise_url, sqlite_path
from tamga.store.diff import SnapshotDiff, diff_snapshots
from tamga.store.entities import load_entities, visible_at
from tamga.store.keys import ApiKey, create_key, list_keys, record_use, revoke_key
from tamga.store.schema import entity_version, fetch_state, relation
from tamga.store.snapshots import (
    Snapshot,
    SnapshotHead,
    SnapshotOutcome,
    get_snapshot,
    latest_snapshot,
    list_snapshots,
    snapshot_files,
    snapshot_heads,
    write_snapshot,
)
from tamga.store.subjects import (
    Judgement,
    Lifetime,
    Membership,
    add_judgement,
    clustering_is_stale,
    judgements,
    lifetimes,
    memberships,
    save_memberships,
)

__all__ = [
    "ApiKey",
    "Judgement",
    "Lifetime",
    "Membership",
    "SnapshotWrite",
    "Store",
    "StoreError",
    "entity_json",
]


@dataclass
class SnapshotWrite:
    """One parsed source ready to be written: what :meth:`Store.write` takes."""

    source: str
    format: str
    files: Mapping[str, InputFile]
    entities: list[Entity]
    published_at: str | None
    warnings: list[str]


@dataclass
class SourceSummary:
    source: str
    snapshots: int
    latest: Snapshot
    entities: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "snapshots": self.snapshots,
            "entities": self.entities,
            "latest": self.latest.to_dict(),
        }


class Store:
    """The store at ``url`` (default: ``TAMGA_DB`` or the user data directory)."""

    def __init__(self, url: str | None = None) -> None:
        self.url = normalise_url(url or default_url())
        self._engine: Engine | None = None

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    @property
    def exists(self) -> bool:
        """False only for an SQLite file that has not been created yet."""
        path = sqlite_path(self.url)
        return path is None or path.exists()

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            engine = make_engine(self.url)
            migrate(engine)
            self._engine = engine
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def _read(self) -> Connection | None:
        return self.engine.connect() if self.exists else None

    # --- writing -------------------------------------------------------------------------------

    def write(
        self, writes: list[SnapshotWrite], fetched: list[dict[str, Any]] | None = None
    ) -> list[SnapshotOutcome]:
        """Write several sources' snapshots in one transaction: all land, or none does.

        ``fetched`` records the download state (ETag, Last-Modified) of the files written, in the
        same transaction, so a failed ingest never leaves a state that would skip the next download.
        """
        with self.engine.begin() as conn:
            outcomes = [
                write_snapshot(conn, w.source, w.format, w.files, w.entities, w.published_at, w.warnings)
                for w in writes
            ]
            for state in fetched or []:
                self._save_fetch_state(conn, **state)
            return outcomes

    # --- reading -------------------------------------------------------------------------------

    def sources(self) -> list[SourceSummary]:
        conn = self._read()
        if conn is None:
            return []
        with conn:
            by_source: dict[str, list[Snapshot]] = {}
            for snap in list_snapshots(conn):
                by_source.setdefault(snap.source, []).append(snap)
            counts = dict(
                conn.execute(
                    select(entity_version.c.source, func.count())
                    .where(entity_version.c.retired_snapshot_id.is_(None))
                    .group_by(entity_version.c.source)
                ).all()
            )
            return [
                SourceSummary(source, len(snaps), snaps[-1], counts.get(source, 0))
                for source, snaps in sorted(by_source.items())
            ]

    def snapshots(self, source: str) -> list[Snapshot]:
        conn = self._read()
        if conn is None:
            return []
        with conn:
            return list_snapshots(conn, source)

    def snapshot(self, source: str, seq: int | None = None) -> Snapshot | None:
        """Snapshot number ``seq`` of ``source`` (1 is the first), or its latest one."""
        conn = self._read()
        if conn is None:
            return None
        with conn:
            return latest_snapshot(conn, source) if seq is None else get_snapshot(conn, source, seq)

    def files(self, source: str, seq: int | None = None) -> dict[str, InputFile]:
        """The files a snapshot (default: the latest) was made from, as stored."""
        snap = self.snapshot(source, seq)
        if snap is None:
            return {}
        with self.engine.connect() as conn:
            return snapshot_files(conn, snap.id)

    def entity(self, entity_id: str, seq: int | None = None) -> Entity | None:
        """An entity as of snapshot ``seq`` of its source (default: as now in service)."""
        conn = self._read()
        if conn is None:
            return None
        with conn:
            query = select(entity_version.c.id).where(entity_version.c.entity_id == entity_id)
            if seq is None:
                query = query.where(entity_version.c.retired_snapshot_id.is_(None))
            else:
                snap = get_snapshot(conn, entity_id.split(":", 1)[0], seq)
                if snap is None:
                    return None
                query = query.where(visible_at(snap.id))
            version_id = conn.execute(query).scalar()
            if version_id is None:
                return None
            return next(load_entities(conn, [version_id]))[1]

    def referrers(self, entity_id: str) -> list[dict[str, Any]]:
        """Entities in service whose relations point at ``entity_id`` (its subsidiaries,
        subordinate bodies, linked people), as ``{entity_id, caption, schema, kind}``: lists print
        a relation on one side only, so a parent's record alone does not name its subsidiaries."""
        conn = self._read()
        if conn is None:
            return []
        with conn:
            rows = conn.execute(
                select(
                    entity_version.c.entity_id,
                    entity_version.c.caption,
                    entity_version.c.schema,
                    relation.c.kind,
                )
                .join(relation, relation.c.version_id == entity_version.c.id)
                .where(relation.c.target_id == entity_id, entity_version.c.retired_snapshot_id.is_(None))
                .order_by(relation.c.kind, entity_version.c.caption, entity_version.c.entity_id)
            ).all()
        return [
            {"entity_id": r.entity_id, "caption": r.caption, "schema": r.schema, "kind": r.kind}
            for r in dict.fromkeys(rows)
        ]

    def entity_history(self, entity_id: str) -> list[tuple[int, int | None]]:
        """The snapshot span ``(first seq, retired seq or None)`` of each version of an entity."""
        conn = self._read()
        if conn is None:
            return []
        with conn:
            seq_of = {s.id: s.seq for s in list_snapshots(conn, entity_id.split(":", 1)[0])}
            rows = conn.execute(
                select(entity_version.c.first_snapshot_id, entity_version.c.retired_snapshot_id)
                .where(entity_version.c.entity_id == entity_id)
                .order_by(entity_version.c.first_snapshot_id)
            ).all()
            return [(seq_of[r[0]], seq_of.get(r[1]) if r[1] else None) for r in rows]

    def snapshot_heads(self) -> list[SnapshotHead]:
        """The latest snapshot of each source: one cheap query, for a server to poll."""
        conn = self._read()
        if conn is None:
            return []
        with conn:
            return snapshot_heads(conn)

    def entities(self, source: str | None = None, seq: int | None = None) -> Iterator[Entity]:
        """Every entity of ``source`` (or of all sources) as of snapshot ``seq`` (default: now)."""
        conn = self._read()
        if conn is None:
            return
        with conn:
            query = select(entity_version.c.id).order_by(entity_version.c.id)
            if source is not None:
                query = query.where(entity_version.c.source == source)
            if seq is None:
                query = query.where(entity_version.c.retired_snapshot_id.is_(None))
            else:
                if source is None:
                    raise ValueError("a snapshot number needs a source")
                snap = get_snapshot(conn, source, seq)
                if snap is None:
                    return
                query = query.where(visible_at(snap.id))
            version_ids = list(conn.execute(query).scalars())
            for _, entity in load_entities(conn, version_ids):
                yield entity

    def diff(self, source: str, from_seq: int | None = None, to_seq: int | None = None) -> SnapshotDiff:
        """Changes between two snapshots of ``source``: by default, the latest against the one before."""
        conn = self._read()
        if conn is None:
            raise StoreError("the store is empty: nothing has been ingested yet")
        with conn:
            snaps = {s.seq: s for s in list_snapshots(conn, source)}
            if not snaps:
                raise StoreError(f"no snapshots of source {source!r}")
            to_seq = max(snaps) if to_seq is None else to_seq
            if to_seq not in snaps:
                raise StoreError(f"source {source!r} has no snapshot {to_seq} (it has 1 to {max(snaps)})")
            if from_seq is None:
                from_seq = to_seq - 1
            if from_seq != 0 and from_seq not in snaps:
                raise StoreError(f"source {source!r} has no snapshot {from_seq} (it has 1 to {max(snaps)})")
            return diff_snapshots(conn, source, snaps.get(from_seq), snaps[to_seq])

    def all_snapshots(self) -> list[Snapshot]:
        """Every snapshot of every source, by source and number."""
        conn = self._read()
        if conn is None:
            return []
        with conn:
            return list_snapshots(conn)

    def entity_versions(self, entity_id: str) -> list[tuple[Snapshot, Snapshot | None, Entity]]:
        """Each version of an entity with the snapshot that introduced it and the one that
        retired it (``None`` for the version in service), oldest first."""
        conn = self._read()
        if conn is None:
            return []
        with conn:
            snaps = {s.id: s for s in list_snapshots(conn, entity_id.split(":", 1)[0])}
            rows = conn.execute(
                select(
                    entity_version.c.id,
                    entity_version.c.first_snapshot_id,
                    entity_version.c.retired_snapshot_id,
                )
                .where(entity_version.c.entity_id == entity_id)
                .order_by(entity_version.c.first_snapshot_id)
            ).all()
            content = dict(load_entities(conn, [r.id for r in rows]))
            return [
                (snaps[r.first_snapshot_id], snaps.get(r.retired_snapshot_id), content[r.id])
                for r in rows
                if r.id in content
            ]

    # --- subjects across lists -------------------------------------------------------------------

    def lifetimes(self, entity_ids: list[str] | None = None) -> Iterator[Lifetime]:
        """Every entity ever ingested (or those named) as last published, with the dates it was
        first seen and dropped."""
        conn = self._read()
        if conn is None:
            return
        with conn:
            yield from lifetimes(conn, entity_ids)

    def memberships(self) -> dict[str, Membership]:
        conn = self._read()
        if conn is None:
            return {}
        with conn:
            return memberships(conn)

    def save_memberships(self, members: Mapping[str, Membership]) -> datetime:
        with self.engine.begin() as conn:
            return save_memberships(conn, members)

    def clustering_is_stale(self) -> bool:
        conn = self._read()
        if conn is None:
            return False
        with conn:
            return clustering_is_stale(conn)

    def add_judgement(self, a: str, b: str, decision: str, by: str, reason: str | None = None) -> Judgement:
        """Record that ``a`` and ``b`` are (``link``) or are not (``unlink``) the same subject."""
        with self.engine.begin() as conn:
            return add_judgement(conn, a, b, decision, by, reason)

    def judgements(self) -> list[Judgement]:
        conn = self._read()
        if conn is None:
            return []
        with conn:
            return judgements(conn)

    # --- API keys ------------------------------------------------------------------------------

    def create_api_key(self, name: str) -> str:
        """Make an API key called ``name`` and return it; only its salted hash is stored."""
        name = name.strip()
        if not name or len(name) > 100 or any(c.isspace() for c in name):
            raise StoreError(f"NAME: {name!r} must be 1 to 100 characters without spaces")
        exists = StoreError(f"NAME: a key called {name!r} exists (revoked keys keep their name)")
        try:
            with self.engine.begin() as conn:
                if any(k.name == name for k in list_keys(conn)):
                    raise exists
                return create_key(conn, name)
        except IntegrityError:  # made by another process meanwhile
            raise exists from None

    def api_keys(self) -> list[ApiKey]:
        conn = self._read()
        if conn is None:
            return []
        with conn:
            return list_keys(conn)

    def revoke_api_key(self, name: str) -> None:
        with self.engine.begin() as conn:
            if not revoke_key(conn, name):
                known = {k.name: k for k in list_keys(conn)}
                state = "is already revoked" if name in known else "does not exist"
                raise StoreError(f"NAME: the key {name!r} {state}")

    def record_api_key_use(self, used: dict[str, datetime]) -> None:
        """Remember when each named key was last used."""
        if used:
            with self.engine.begin() as conn:
                record_use(conn, used)

    # --- conditional downloads -------------------------------------------------------------------

    def fetch_state(self, url: str) -> dict[str, Any] | None:
        conn = self._read()
        if conn is None:
            return None
        with conn:
            row = conn.execute(select(fetch_state).where(fetch_state.c.url == url)).first()
            return row._asdict() if row else None

    @staticmethod
    def _save_fetch_state(conn: Connection, url: str, **values: Any) -> None:
        conn.execute(fetch_state.delete().where(fetch_state.c.url == url))
        conn.execute(fetch_state.insert().values(url=url, **values))


def entity_json(entity: Entity, store: Store) -> dict[str, Any]:
    """Everything about one entity as JSON, with the snapshot span of each of its versions:
    what ``tamga show --json`` prints and ``GET /entities/{id}`` returns. ``referenced_by`` lists
    the records whose relations point at this one, where there are any."""
    data = entity.to_dict()
    data["caption"] = entity.caption
    data["source"] = entity.source
    data["snapshots"] = [{"from": first, "until": until} for first, until in store.entity_history(entity.id)]
    referrers = store.referrers(entity.id)
    if referrers:
        data["referenced_by"] = referrers
    return data
