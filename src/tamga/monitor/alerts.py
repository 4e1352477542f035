"""Alerts: a watchlist row that matches a listed entity, from the snapshot that raised it until it is
decided or no longer holds.

There is one alert per (row, entity) pair. It is ``open`` until an analyst decides it, the entity
is removed from its list, or a re-screen finds the pair no longer matching; then ``closed`` with the
reason. It reopens when a closed pair matches again, or when the entity's names, identifiers or
designations change after a decision (``changed`` then says which). A pair that is already decided
when it is first found is recorded closed, with that decision, and raises nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from tamga.monitor.clock import iso
from tamga.monitor.decisions import Decision, decision_from_row
from tamga.monitor.listed import current_entities
from tamga.monitor.watchlists import WatchRow
from tamga.store import Store
from tamga.store.schema import alert, decision, snapshot, watchlist, watchlist_row

STATUSES = ("open", "closed", "all")


@dataclass
class Alert:
    id: int
    status: str
    row: WatchRow
    entity_id: str
    entity_name: str
    score: float
    explanation: dict[str, Any]
    source: str
    snapshot: int
    published_at: str | None
    raised_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    close_reason: str | None
    changed: list[str] | None
    decision: Decision | None

    def to_dict(self, decision_changed: list[str] | None = None) -> dict[str, Any]:
        """An alert as ``tamga alerts --json`` and ``/alerts`` show it; ``decision_changed`` is what
        changed in the entity since its decision (from :func:`alerts_json`)."""
        return {
            "id": self.id,
            "status": self.status,
            "watchlist": self.row.watchlist,
            "row": self.row.to_dict(),
            "entity_id": self.entity_id,
            "entity_name": self.entity_name,
            "score": round(self.score, 4),
            "explanation": self.explanation,
            "snapshot": {"source": self.source, "snapshot": self.snapshot, "published_at": self.published_at},
            "raised_at": iso(self.raised_at),
            "updated_at": iso(self.updated_at),
            "closed_at": iso(self.closed_at),
            "close_reason": self.close_reason,
            "changed": self.changed,
            "decision": self.decision.annotation(decision_changed or []) if self.decision else None,
        }


def _query() -> Any:
    return (
        select(
            alert,
            watchlist.c.name.label("watchlist_name"),
            watchlist_row.c.ref,
            watchlist_row.c.line,
            watchlist_row.c.name.label("row_name"),
            watchlist_row.c.schema,
            watchlist_row.c.birth_date,
            watchlist_row.c.country,
            watchlist_row.c.identifiers,
            snapshot.c.source,
            snapshot.c.seq,
            snapshot.c.published_at,
            decision.c.name.label("d_name"),
            decision.c.name_key.label("d_name_key"),
            decision.c.entity_id.label("d_entity_id"),
            decision.c.decision.label("d_decision"),
            decision.c.reason.label("d_reason"),
            decision.c.decided_by.label("d_decided_by"),
            decision.c.decided_at.label("d_decided_at"),
            decision.c.fingerprint.label("d_fingerprint"),
            decision.c.alert_id.label("d_alert_id"),
        )
        .join(watchlist_row, watchlist_row.c.id == alert.c.row_id)
        .join(watchlist, watchlist.c.id == watchlist_row.c.watchlist_id)
        .join(snapshot, snapshot.c.id == alert.c.snapshot_id)
        .outerjoin(decision, decision.c.id == alert.c.decision_id)
    )


def _from_row(r: Any) -> Alert:
    made = None
    if r.decision_id is not None:
        made = decision_from_row(
            {
                "id": r.decision_id,
                "name": r.d_name,
                "name_key": r.d_name_key,
                "entity_id": r.d_entity_id,
                "decision": r.d_decision,
                "reason": r.d_reason,
                "decided_by": r.d_decided_by,
                "decided_at": r.d_decided_at,
                "fingerprint": r.d_fingerprint,
                "alert_id": r.d_alert_id,
            }
        )
    return Alert(
        id=r.id,
        status=r.status,
        row=WatchRow(
            r.row_id,
            r.watchlist_name,
            r.ref,
            r.line,
            r.row_name,
            r.schema,
            r.birth_date,
            r.country,
            tuple(r.identifiers or ()),
        ),
        entity_id=r.entity_id,
        entity_name=r.entity_name,
        score=r.score,
        explanation=dict(r.explanation or {}),
        source=r.source,
        snapshot=r.seq,
        published_at=r.published_at,
        raised_at=r.raised_at,
        updated_at=r.updated_at,
        closed_at=r.closed_at,
        close_reason=r.close_reason,
        changed=list(r.changed) if r.changed is not None else None,
        decision=made,
    )


def list_alerts(
    store: Store, status: str = "open", watchlist_name: str | None = None, limit: int = 100, offset: int = 0
) -> tuple[list[Alert], int]:
    """Alerts newest first (``status`` open, closed or all; of one watchlist if named), and how
    many there are in all."""
    if status not in STATUSES:
        raise ValueError(f"status: {status!r} is not one of {', '.join(STATUSES)}")
    if not store.exists:
        return [], 0
    query = _query()
    count = (
        select(func.count())
        .select_from(alert)
        .join(watchlist_row, watchlist_row.c.id == alert.c.row_id)
        .join(watchlist, watchlist.c.id == watchlist_row.c.watchlist_id)
    )
    if status != "all":
        query = query.where(alert.c.status == status)
        count = count.where(alert.c.status == status)
    if watchlist_name is not None:
        query = query.where(watchlist.c.name == watchlist_name)
        count = count.where(watchlist.c.name == watchlist_name)
    query = query.order_by(alert.c.updated_at.desc(), alert.c.id.desc()).limit(limit).offset(offset)
    with store.engine.connect() as conn:
        found = [_from_row(r) for r in conn.execute(query)]
        total = conn.execute(count).scalar_one()
    return found, total


def get_alert(store: Store, alert_id: int) -> Alert | None:
    if not store.exists:
        return None
    with store.engine.connect() as conn:
        return read_alert(conn, alert_id)


def read_alert(conn: Connection, alert_id: int) -> Alert | None:
    """One alert, read in the caller's transaction (one being written, say)."""
    row = conn.execute(_query().where(alert.c.id == alert_id)).first()
    return _from_row(row) if row else None


def alerts_json(store: Store, alerts: Iterable[Alert]) -> list[dict[str, Any]]:
    """Alerts as JSON, each decision compared with its entity as listed now (stale or not)."""
    alerts = list(alerts)
    entities = current_entities(store, {a.entity_id for a in alerts if a.decision is not None})
    return [a.to_dict(a.decision.changed(entities.get(a.entity_id)) if a.decision else None) for a in alerts]


def alerts_on(conn: Connection, column: Any, values: Iterable[Any]) -> dict[tuple[int, str], Any]:
    """The alert rows whose ``column`` (``alert.c.row_id`` or ``alert.c.entity_id``) is among
    ``values``, by (row id, entity id): what a monitoring run compares its findings with."""
    values = sorted(set(values))
    found: dict[tuple[int, str], Any] = {}
    for start in range(0, len(values), 500):
        for r in conn.execute(select(alert).where(column.in_(values[start : start + 500]))):
            found[(r.row_id, r.entity_id)] = r
    return found
