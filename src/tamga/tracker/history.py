"""A subject's timeline: every listing, amendment and removal, across jurisdictions and lists.

Two kinds of facts make it. Designations carry their own dates where the list or the curated
record prints them (OFAC's files do not). Snapshots date what the store saw: when a record first
appeared, each later version that changed it, and the snapshot that dropped it. Both are shown,
each saying where its date comes from, oldest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tamga.store import Store
from tamga.store.diff import compare_fields
from tamga.store.entities import entity_fields
from tamga.store.subjects import snapshot_date
from tamga.tracker import Subject
from tamga.tracker.jurisdictions import jurisdiction_of


@dataclass
class Event:
    date: str | None
    jurisdiction: str
    authority: str
    list: str
    program: str | None
    event: str  # listed | amended | removed
    entity_id: str
    source: str
    verified: bool | None = None
    legal_basis: str | None = None
    dated_by: str = "designation"  # or "snapshot"
    detail: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _order(event: Event) -> tuple[str, int, str]:
    return (event.date or "9999", ("listed", "amended", "removed").index(event.event), event.entity_id)


def timeline(subject: Subject, store: Store) -> list[Event]:
    """Every event of every record of ``subject``, oldest first (undated ones last)."""
    events: list[Event] = []
    for record in subject.records:
        entity = record.entity
        for d in entity.designations:
            common = {
                "jurisdiction": jurisdiction_of(d.authority),
                "authority": d.authority,
                "list": d.list,
                "program": d.program,
                "entity_id": entity.id,
                "source": entity.source,
                "verified": d.verified,
                "legal_basis": d.legal_basis,
            }
            if d.listed_on:
                renewal = "renew" in f"{d.list} {d.program or ''}".casefold()
                events.append(Event(date=d.listed_on, event="amended" if renewal else "listed", **common))
            if d.removed_on:
                events.append(Event(date=d.removed_on, event="removed", **common))
        if entity.source == "curated":
            continue  # a curated record's snapshots date our edits of the table, not the actions
        first = entity.designations[0] if entity.designations else None
        authority = first.authority if first else entity.source
        listing = first.list if first else entity.source
        program = ", ".join(sorted({d.program for d in entity.designations if d.program})) or None
        versions = store.entity_versions(entity.id)
        for i, (introduced, retired, content) in enumerate(versions):
            base = {
                "jurisdiction": jurisdiction_of(authority),
                "authority": authority,
                "list": listing,
                "program": program,
                "entity_id": entity.id,
                "source": entity.source,
                "dated_by": "snapshot",
            }
            day = snapshot_date(introduced.published_at, introduced.ingested_at)
            if i == 0:
                events.append(
                    Event(
                        date=day,
                        event="listed",
                        detail=f"first seen in {entity.source} snapshot {introduced.seq}",
                        **base,
                    )
                )
            else:
                changed = compare_fields(entity_fields(versions[i - 1][2]), entity_fields(content))
                fields = ", ".join(c.field for c in changed) or "content"
                events.append(
                    Event(
                        date=day,
                        event="amended",
                        detail=f"{fields} changed in snapshot {introduced.seq}",
                        **base,
                    )
                )
            if retired is not None and i == len(versions) - 1:
                events.append(
                    Event(
                        date=snapshot_date(retired.published_at, retired.ingested_at),
                        event="removed",
                        detail=f"dropped in {entity.source} snapshot {retired.seq}",
                        **base,
                    )
                )
    events.sort(key=_order)
    return events


def subject_json(subject: Subject, store: Store) -> dict[str, Any]:
    """The subject with its records, the evidence joining them, and its timeline: what
    ``tamga history --json`` prints and ``GET /subjects/{id}`` returns."""
    return {
        "subject_id": subject.id,
        "caption": subject.caption,
        "schema": subject.schema,
        "countries": subject.countries,
        "members": [
            {
                "entity_id": r.entity.id,
                "caption": r.entity.caption,
                "source": r.entity.source,
                "first_seen": r.first_seen,
                "removed": r.removed,
                "evidence": subject.evidence.get(r.entity.id, []),
            }
            for r in subject.records
        ],
        "timeline": [e.to_dict() for e in timeline(subject, store)],
    }
