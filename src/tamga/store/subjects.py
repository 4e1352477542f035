"""Subjects across lists: the stored clustering, analysts' link judgements, and entity lifetimes.

The clustering itself is computed above the store (it needs the matcher); the store keeps its
latest result, one row per entity, and the append-only log of link/unlink judgements, which
the next run reads back so that a human decision always outlives an automatic one.

The lifetimes give each entity ever ingested the dates it entered and left its source: the
tracker needs them for "as of" questions about entities a list has since dropped.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select
from sqlalchemy.orm import aliased

from tamga.model import Entity
from tamga.store.entities import load_entities
from tamga.store.schema import entity_version, snapshot, subject_link, subject_member

LINK = "link"
UNLINK = "unlink"


@dataclass(frozen=True)
class Judgement:
    """An analyst's word on whether two entities are the same subject."""

    entity_a: str
    entity_b: str
    decision: str  # LINK or UNLINK
    decided_by: str
    decided_at: datetime
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity_a": self.entity_a,
            "entity_b": self.entity_b,
            "decision": self.decision,
            "decided_by": self.decided_by,
            "decided_at": self.decided_at.isoformat(timespec="seconds"),
            "reason": self.reason,
        }


@dataclass
class Membership:
    """Where one entity sits: its subject, and the evidence that put it there."""

    subject_id: str
    evidence: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Lifetime:
    """An entity as last published, with the dates of the snapshots that first showed it and
    that dropped it (``None`` while it is still listed)."""

    entity: Entity
    first_seen: str | None
    removed: str | None
    versions: int


def snapshot_date(published_at: str | None, ingested_at: datetime) -> str:
    """The date a snapshot speaks for: the file's own date where it has one, else the ingest day."""
    return (published_at or ingested_at.date().isoformat())[:10]


def pair(a: str, b: str) -> tuple[str, str]:
    """The order a pair of entity ids is stored in, so (A, B) and (B, A) are one pair."""
    return (a, b) if a <= b else (b, a)


def add_judgement(
    conn: Connection, a: str, b: str, decision: str, by: str, reason: str | None = None
) -> Judgement:
    if decision not in (LINK, UNLINK):
        raise ValueError(f"decision must be {LINK} or {UNLINK}, not {decision!r}")
    first, second = pair(a, b)
    row = {
        "entity_a": first,
        "entity_b": second,
        "decision": decision,
        "decided_by": by,
        "decided_at": datetime.now(UTC).replace(tzinfo=None),
        "reason": reason,
    }
    conn.execute(insert(subject_link).values(**row))
    return Judgement(**row)


def judgements(conn: Connection) -> list[Judgement]:
    """The judgement in force for each pair: the latest one made about it."""
    rows = conn.execute(select(subject_link).order_by(subject_link.c.id)).all()
    latest: dict[tuple[str, str], Judgement] = {}
    for r in rows:
        latest[(r.entity_a, r.entity_b)] = Judgement(
            r.entity_a, r.entity_b, r.decision, r.decided_by, r.decided_at, r.reason
        )
    return list(latest.values())


def save_memberships(conn: Connection, members: Mapping[str, Membership]) -> datetime:
    """Replace the stored clustering with ``members``; return the time it is stamped with."""
    at = datetime.now(UTC).replace(tzinfo=None)
    conn.execute(delete(subject_member))
    rows = [
        {"entity_id": eid, "subject_id": m.subject_id, "evidence": m.evidence, "clustered_at": at}
        for eid, m in members.items()
    ]
    for start in range(0, len(rows), 2000):
        conn.execute(insert(subject_member), rows[start : start + 2000])
    return at


def memberships(conn: Connection) -> dict[str, Membership]:
    rows = conn.execute(select(subject_member)).all()
    return {r.entity_id: Membership(r.subject_id, list(r.evidence or [])) for r in rows}


def clustering_is_stale(conn: Connection) -> bool:
    """True when a snapshot or a judgement is newer than the stored clustering (or there is none)."""
    clustered = conn.execute(select(func.min(subject_member.c.clustered_at))).scalar()
    if clustered is None:
        return conn.execute(select(func.count()).select_from(entity_version)).scalar() > 0
    newest_snapshot = conn.execute(select(func.max(snapshot.c.ingested_at))).scalar()
    newest_link = conn.execute(select(func.max(subject_link.c.decided_at))).scalar()
    return any(t is not None and t > clustered for t in (newest_snapshot, newest_link))


def lifetimes(conn: Connection, entity_ids: list[str] | None = None) -> Iterator[Lifetime]:
    """Every entity ever ingested (or those named), as its latest version, with its dates."""
    first = aliased(snapshot)
    retired = aliased(snapshot)
    query = (
        select(
            entity_version.c.id,
            entity_version.c.entity_id,
            first.c.published_at,
            first.c.ingested_at,
            retired.c.published_at.label("retired_published_at"),
            retired.c.ingested_at.label("retired_ingested_at"),
        )
        .join(first, first.c.id == entity_version.c.first_snapshot_id)
        .outerjoin(retired, retired.c.id == entity_version.c.retired_snapshot_id)
        .order_by(entity_version.c.id)
    )
    if entity_ids is not None:
        query = query.where(entity_version.c.entity_id.in_(entity_ids))
    spans: dict[str, dict[str, Any]] = {}
    for r in conn.execute(query):
        span = spans.setdefault(r.entity_id, {"first": snapshot_date(r.published_at, r.ingested_at), "n": 0})
        span["latest"] = r.id
        span["n"] += 1
        span["removed"] = (
            snapshot_date(r.retired_published_at, r.retired_ingested_at)
            if r.retired_ingested_at is not None
            else None
        )
    by_version = {span["latest"]: span for span in spans.values()}
    for version_id, entity in load_entities(conn, sorted(by_version)):
        span = by_version[version_id]
        yield Lifetime(entity, span["first"], span["removed"], span["n"])
