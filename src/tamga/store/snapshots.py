"""Snapshots: one per ingest of a source, with the files it came from and what it changed.

Writing a snapshot compares each parsed entity's content hash with the version now in service:
unchanged entities cost nothing, changed ones get a new version and their old one is retired,
entities no longer listed are retired. The caller runs this inside one transaction.
"""

from __future__ import annotations

import hashlib
import zlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from tamga.model import Entity, hash_canonical
from tamga.sources.base import InputFile
from tamga.store.entities import CHUNK, insert_versions
from tamga.store.schema import entity_version, snapshot, snapshot_file, stored_file


@dataclass
class Snapshot:
    """One ingest of one source, as ``tamga sources`` and ``tamga diff`` show it."""

    id: int
    source: str
    seq: int
    format: str
    sha256: str
    published_at: str | None
    ingested_at: datetime
    counts: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "snapshot": self.seq,
            "format": self.format,
            "sha256": self.sha256,
            "published_at": self.published_at,
            "ingested_at": self.ingested_at.isoformat(timespec="seconds"),
            "files": self.files,
            "counts": self.counts,
            "warnings": self.warnings,
        }


@dataclass
class SnapshotOutcome:
    """What one ingest of one source did: the new snapshot, or why none was made."""

    source: str
    snapshot: Snapshot | None
    unchanged: bool
    added: int = 0
    changed: int = 0
    removed: int = 0


def set_sha256(files: Mapping[str, InputFile]) -> str:
    """The identity of a file set: a hash over each role and its file's content hash."""
    digest = hashlib.sha256()
    for role in sorted(files):
        digest.update(f"{role}:{files[role].sha256}\n".encode())
    return digest.hexdigest()


def _snapshot_from_row(conn: Connection, row: Any) -> Snapshot:
    files = {
        r.role: r.name
        for r in conn.execute(
            select(snapshot_file.c.role, snapshot_file.c.name)
            .where(snapshot_file.c.snapshot_id == row.id)
            .order_by(snapshot_file.c.role)
        )
    }
    return Snapshot(
        id=row.id,
        source=row.source,
        seq=row.seq,
        format=row.format,
        sha256=row.sha256,
        published_at=row.published_at,
        ingested_at=row.ingested_at,
        counts=dict(row.counts or {}),
        warnings=list(row.warnings or []),
        files=files,
    )


@dataclass(frozen=True)
class SnapshotHead:
    """The latest snapshot of a source, read without its files or counts: cheap to poll."""

    source: str
    seq: int
    published_at: str | None
    ingested_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "snapshot": self.seq,
            "published_at": self.published_at,
            "ingested_at": self.ingested_at.isoformat(timespec="seconds"),
        }


def snapshot_heads(conn: Connection) -> list[SnapshotHead]:
    """The latest snapshot of every source, in one query."""
    latest = (
        select(snapshot.c.source, func.max(snapshot.c.seq).label("seq"))
        .group_by(snapshot.c.source)
        .subquery()
    )
    query = (
        select(snapshot.c.source, snapshot.c.seq, snapshot.c.published_at, snapshot.c.ingested_at)
        .join(latest, (latest.c.source == snapshot.c.source) & (latest.c.seq == snapshot.c.seq))
        .order_by(snapshot.c.source)
    )
    return [SnapshotHead(r.source, r.seq, r.published_at, r.ingested_at) for r in conn.execute(query)]


def list_snapshots(conn: Connection, source: str | None = None) -> list[Snapshot]:
    query = select(snapshot).order_by(snapshot.c.source, snapshot.c.seq)
    if source is not None:
        query = query.where(snapshot.c.source == source)
    return [_snapshot_from_row(conn, row) for row in conn.execute(query)]


def latest_snapshot(conn: Connection, source: str) -> Snapshot | None:
    row = conn.execute(
        select(snapshot).where(snapshot.c.source == source).order_by(snapshot.c.seq.desc()).limit(1)
    ).first()
    return _snapshot_from_row(conn, row) if row else None


def get_snapshot(conn: Connection, source: str, seq: int) -> Snapshot | None:
    row = conn.execute(select(snapshot).where(snapshot.c.source == source, snapshot.c.seq == seq)).first()
    return _snapshot_from_row(conn, row) if row else None


def snapshot_files(conn: Connection, snapshot_id: int) -> dict[str, InputFile]:
    """The files a snapshot was made from, read back from the store."""
    query = (
        select(snapshot_file.c.role, snapshot_file.c.name, stored_file.c.content, stored_file.c.compression)
        .join(stored_file, stored_file.c.sha256 == snapshot_file.c.sha256)
        .where(snapshot_file.c.snapshot_id == snapshot_id)
    )
    files = {}
    for row in conn.execute(query):
        data = zlib.decompress(row.content) if row.compression == "zlib" else bytes(row.content)
        files[row.role] = InputFile.from_bytes(row.name, data)
    return files


def _store_file(conn: Connection, file: InputFile) -> None:
    exists = conn.execute(select(stored_file.c.sha256).where(stored_file.c.sha256 == file.sha256)).first()
    if exists:
        return
    data = file.read_bytes()
    conn.execute(
        insert(stored_file).values(
            sha256=file.sha256, size=len(data), compression="zlib", content=zlib.compress(data, 6)
        )
    )


def write_snapshot(
    conn: Connection,
    source: str,
    format_name: str,
    files: Mapping[str, InputFile],
    entities: list[Entity],
    published_at: str | None,
    warnings: list[str],
) -> SnapshotOutcome:
    """Record a new state of ``source``; a no-op when the file set equals the latest snapshot's."""
    combined = set_sha256(files)
    previous = latest_snapshot(conn, source)
    if previous is not None and previous.sha256 == combined:
        return SnapshotOutcome(source=source, snapshot=previous, unchanged=True)

    seq = (previous.seq + 1) if previous else 1
    counts = _counts(entities)
    snapshot_id = conn.execute(
        insert(snapshot)
        .values(
            source=source,
            seq=seq,
            format=format_name,
            sha256=combined,
            published_at=published_at,
            ingested_at=datetime.now(UTC).replace(tzinfo=None, microsecond=0),
            counts=counts,
            warnings=warnings,
        )
        .returning(snapshot.c.id)
    ).scalar_one()
    for role, file in sorted(files.items()):
        _store_file(conn, file)
        conn.execute(
            insert(snapshot_file).values(
                snapshot_id=snapshot_id, role=role, name=file.name, sha256=file.sha256
            )
        )

    current = {
        row.entity_id: (row.id, row.content_hash)
        for row in conn.execute(
            select(entity_version.c.id, entity_version.c.entity_id, entity_version.c.content_hash).where(
                entity_version.c.source == source, entity_version.c.retired_snapshot_id.is_(None)
            )
        )
    }
    fresh: list[tuple[Entity, dict[str, Any], str]] = []
    retire: list[int] = []
    added = changed = 0
    seen: set[str] = set()
    for entity in entities:
        seen.add(entity.id)
        canonical = entity.to_dict()
        content_hash = hash_canonical(canonical)
        old = current.get(entity.id)
        if old is None:
            fresh.append((entity, canonical, content_hash))
            added += 1
        elif old[1] != content_hash:
            fresh.append((entity, canonical, content_hash))
            retire.append(old[0])
            changed += 1
    removed_ids = [version_id for entity_id, (version_id, _) in current.items() if entity_id not in seen]
    retire.extend(removed_ids)
    for start in range(0, len(retire), CHUNK):
        conn.execute(
            update(entity_version)
            .where(entity_version.c.id.in_(retire[start : start + CHUNK]))
            .values(retired_snapshot_id=snapshot_id)
        )
    insert_versions(conn, fresh, snapshot_id)
    counts.update({"added": added, "changed": changed, "removed": len(removed_ids)})
    conn.execute(update(snapshot).where(snapshot.c.id == snapshot_id).values(counts=counts))
    new = get_snapshot(conn, source, seq)
    return SnapshotOutcome(
        source=source, snapshot=new, unchanged=False, added=added, changed=changed, removed=len(removed_ids)
    )


def _counts(entities: list[Entity]) -> dict[str, Any]:
    schemata = Counter(e.schema for e in entities)
    return {
        "entities": len(entities),
        "schemata": dict(sorted(schemata.items())),
        "names": sum(len(e.names) for e in entities),
        "identifiers": sum(len(e.identifiers) for e in entities),
        "designations": sum(len(e.designations) for e in entities),
        "relations": sum(len(e.relations) for e in entities),
    }
