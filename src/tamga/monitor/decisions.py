"""Analysts' decisions on a pair: a screened name and a listed entity, a match or a false positive.

A decision is keyed by the screened name as :func:`name_key` normalises it and the entity id, so a
false positive cleared on a watchlist alert is also cleared in a one-off ``tamga match``,
``/match`` or ``/screen`` of the same name, and the other way round. The latest decision on a pair
holds; earlier ones stay as its history.

With each decision is kept a fingerprint of what the entity was listed as: its names, identifiers
and designations. When any of them changes the decision is *stale*: it no longer suppresses, the
alert reopens, and the decision says which of the three changed.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from tamga.model import Entity
from tamga.monitor import audit
from tamga.monitor.clock import iso, now
from tamga.monitor.listed import current_entities
from tamga.store import Store
from tamga.store.schema import alert, decision, watchlist_row

MATCH = "match"
FALSE_POSITIVE = "false_positive"
DECISIONS = (MATCH, FALSE_POSITIVE)
PARTS = ("names", "identifiers", "designations")  # what a fingerprint covers, in this order
KEYS_PER_QUERY = 500


class DecisionError(ValueError):
    """A decision that cannot be recorded: ``field`` names what is wrong with it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class UnknownEntity(DecisionError):
    """The entity id names nothing listed now."""


def name_key(name: str) -> str:
    """A screened name as decisions are keyed: NFKC, case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def _digest(values: list[Any]) -> str:
    text = json.dumps(sorted(values), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fingerprint(entity: Entity) -> dict[str, str]:
    """A hash of each part of an entity a decision rests on: names (as written, and their kind),
    identifiers (scheme, number, country) and designations (who, which list and program, when)."""
    return {
        "names": _digest([[n.full, n.kind] for n in entity.names]),
        "identifiers": _digest([[i.scheme, i.value, i.country or ""] for i in entity.identifiers]),
        "designations": _digest(
            [
                [d.authority, d.list, d.program or "", d.listed_on or "", d.removed_on or ""]
                for d in entity.designations
            ]
        ),
    }


@dataclass(frozen=True)
class Decision:
    id: int
    name: str
    name_key: str
    entity_id: str
    decision: str
    reason: str
    decided_by: str
    decided_at: datetime
    fingerprint: dict[str, str]
    alert_id: int | None = None

    def changed(self, entity: Entity | None) -> list[str]:
        """Which parts of the entity differ from when the decision was made. An entity no longer
        listed is compared with nothing: it is not screened, so there is nothing to reopen."""
        if entity is None:
            return []
        current = fingerprint(entity)
        return [part for part in PARTS if current[part] != self.fingerprint.get(part)]

    def suppresses(self, changed: list[str]) -> bool:
        """A false positive whose entity is still listed as it was when it was cleared."""
        return self.decision == FALSE_POSITIVE and not changed

    def annotation(self, changed: list[str]) -> dict[str, Any]:
        """The ``"decision"`` object of a screening result."""
        return {
            "id": self.id,
            "decision": self.decision,
            "reason": self.reason,
            "decided_by": self.decided_by,
            "decided_at": iso(self.decided_at),
            "stale": bool(changed),
            "changed": changed,
        }

    def to_dict(self, changed: list[str]) -> dict[str, Any]:
        """A decision as ``/decisions`` returns it."""
        return {
            "id": self.id,
            "name": self.name,
            "entity_id": self.entity_id,
            "decision": self.decision,
            "reason": self.reason,
            "decided_by": self.decided_by,
            "decided_at": iso(self.decided_at),
            "stale": bool(changed),
            "changed": changed,
            "alert_id": self.alert_id,
        }


def decision_from_row(row: Mapping[str, Any]) -> Decision:
    """A decision from its table's columns, by name."""
    return Decision(
        id=row["id"],
        name=row["name"],
        name_key=row["name_key"],
        entity_id=row["entity_id"],
        decision=row["decision"],
        reason=row["reason"],
        decided_by=row["decided_by"],
        decided_at=row["decided_at"],
        fingerprint=dict(row["fingerprint"] or {}),
        alert_id=row["alert_id"],
    )


def check(choice: str, reason: str | None, decided_by: str | None) -> tuple[str, str]:
    """The reason and the decider, stripped; a :class:`DecisionError` for what is missing or wrong."""
    if choice not in DECISIONS:
        raise DecisionError("decision", f"{choice!r} is not one of {', '.join(DECISIONS)}")
    reason = (reason or "").strip()
    if not reason:
        raise DecisionError("reason", "a decision needs a reason, kept with it for the audit")
    by = (decided_by or "").strip()
    if not by or len(by) > 200:
        raise DecisionError("by", "who decided must be named, in at most 200 characters")
    return reason, by


def decide(
    store: Store,
    name: str,
    entity_id: str,
    choice: str,
    reason: str | None,
    decided_by: str | None,
    actor: str,
    alert_id: int | None = None,
) -> Decision:
    """Record a decision on (``name``, ``entity_id``), with the entity's fingerprint as listed now.

    Every open alert on the same pair, in any watchlist, is closed by it, and alerts already closed
    by an earlier decision on the pair now show this one. The decision and each alert it closes are
    written to the audit log in the same transaction.
    """
    reason, by = check(choice, reason, decided_by)
    if not name.strip():
        raise DecisionError("name", "the screened name is empty")
    entity = store.entity(entity_id)
    if entity is None:
        raise UnknownEntity("entity_id", f"no entity {entity_id!r} is listed now")
    key = name_key(name)
    prints = fingerprint(entity)
    head = store.snapshot(entity.source)
    snapshots = {entity.source: head.seq} if head else {}

    def work(conn: Connection) -> Decision:
        when = now()
        decision_id = conn.execute(
            insert(decision)
            .values(
                name=name.strip(),
                name_key=key,
                entity_id=entity_id,
                decision=choice,
                reason=reason,
                decided_by=by,
                decided_at=when,
                fingerprint=prints,
                alert_id=alert_id,
            )
            .returning(decision.c.id)
        ).scalar_one()
        pair = select(alert.c.id, alert.c.status).join(watchlist_row, watchlist_row.c.id == alert.c.row_id)
        pair = pair.where(watchlist_row.c.name_key == key, alert.c.entity_id == entity_id)
        alerts = conn.execute(pair.order_by(alert.c.id)).all()
        closed = [a.id for a in alerts if a.status == "open"]
        audit.append(
            conn,
            actor,
            "decision.recorded",
            f"decision:{decision_id}",
            {
                "name": name.strip(),
                "entity_id": entity_id,
                "decision": choice,
                "reason": reason,
                "decided_by": by,
                "fingerprint": prints,
                "alert_id": alert_id,
                "alerts": [a.id for a in alerts],
            },
            snapshots,
        )
        if alerts:
            conn.execute(
                update(alert).where(alert.c.id.in_([a.id for a in alerts])).values(decision_id=decision_id)
            )
        for closing in closed:
            conn.execute(
                update(alert)
                .where(alert.c.id == closing)
                .values(
                    status="closed",
                    closed_at=when,
                    updated_at=when,
                    close_reason=f"decided: {choice.replace('_', ' ')}",
                    changed=None,
                )
            )
            audit.append(
                conn,
                actor,
                "alert.closed",
                f"alert:{closing}",
                {"reason": "decision", "decision_id": decision_id, "decision": choice},
                snapshots,
            )
        row = conn.execute(select(decision).where(decision.c.id == decision_id)).one()
        return decision_from_row(row._mapping)

    return audit.write(store, work)


def history(store: Store, name: str | None = None, entity_id: str | None = None) -> list[Decision]:
    """Decisions, newest first; on one screened name, one entity, or one pair."""
    if not store.exists:
        return []
    query = select(decision).order_by(decision.c.id.desc())
    if name is not None:
        query = query.where(decision.c.name_key == name_key(name))
    if entity_id is not None:
        query = query.where(decision.c.entity_id == entity_id)
    with store.engine.connect() as conn:
        return [decision_from_row(r._mapping) for r in conn.execute(query)]


def decisions_json(store: Store, found: list[Decision]) -> list[dict[str, Any]]:
    """Decisions as ``GET /decisions`` lists them, each compared with its entity as listed now."""
    entities = current_entities(store, {d.entity_id for d in found})
    return [d.to_dict(d.changed(entities.get(d.entity_id))) for d in found]


class DecisionBook:
    """The latest decision on each pair, read once for a batch of screened names."""

    def __init__(self, latest: dict[tuple[str, str], Decision]) -> None:
        self._latest = latest

    def __len__(self) -> int:
        return len(self._latest)

    @classmethod
    def load(
        cls, store: Store, names: Iterable[str] | None = None, entity_ids: Iterable[str] | None = None
    ) -> DecisionBook:
        """The decisions on the given screened names (default: all), optionally only on some entities."""
        if not store.exists:
            return cls({})
        with store.engine.connect() as conn:
            return cls.read(conn, names, entity_ids)

    @classmethod
    def read(
        cls, conn: Connection, names: Iterable[str] | None = None, entity_ids: Iterable[str] | None = None
    ) -> DecisionBook:
        """As :meth:`load`, in the caller's transaction."""
        latest: dict[tuple[str, str], Decision] = {}
        keys = None if names is None else sorted({name_key(n) for n in names})
        ids = None if entity_ids is None else sorted(set(entity_ids))
        if (ids is not None and not ids) or (keys is not None and not keys):
            return cls(latest)
        batches: list[list[str] | None] = [None]
        if keys is not None:
            batches = [keys[i : i + KEYS_PER_QUERY] for i in range(0, len(keys), KEYS_PER_QUERY)]
        for batch in batches:
            query = select(decision).order_by(decision.c.id)
            if batch is not None:
                query = query.where(decision.c.name_key.in_(batch))
            if ids is not None and len(ids) <= KEYS_PER_QUERY:
                query = query.where(decision.c.entity_id.in_(ids))
            for row in conn.execute(query):
                latest[(row.name_key, row.entity_id)] = decision_from_row(row._mapping)
        return cls(latest)

    def latest(self, names: Sequence[str], entity_id: str) -> Decision | None:
        """The newest decision on the entity under any of the names (a query may carry several)."""
        found = [d for n in names if (d := self._latest.get((name_key(n), entity_id))) is not None]
        return max(found, key=lambda d: d.id) if found else None


def annotate(
    matches: list[dict[str, Any]],
    names: str | Sequence[str],
    decisions: Store | DecisionBook,
    entity_of: Callable[[str], Entity | None] | None = None,
    id_key: str = "entity_id",
) -> list[dict[str, Any]]:
    """Give each match object of a one-off screening its ``"decision"`` (``None`` or the latest
    decision on the pair); a false positive that still holds turns the match's ``"match"`` off and
    marks it ``"suppressed"``. ``matches`` are changed in place and returned.

    ``decisions`` is the store (read for these names only) or a :class:`DecisionBook` read once for
    a batch; ``entity_of`` gives the entity as listed now (the served index's, say), else it is read
    from the store. ``id_key`` is the key of the entity id in each match (``"id"`` in yente's shape).
    """
    if not matches:
        return matches
    spellings = [names] if isinstance(names, str) else list(names)
    if isinstance(decisions, DecisionBook):
        book = decisions
        store = None
    else:
        store = decisions
        book = DecisionBook.load(store, spellings, [m[id_key] for m in matches])
    found = {m[id_key]: book.latest(spellings, m[id_key]) for m in matches}
    decided = [entity_id for entity_id, d in found.items() if d is not None]
    if entity_of is None and decided:
        if store is None:
            raise ValueError("annotate needs entity_of or the store to compare decisions with")
        listed = current_entities(store, decided)
        entity_of = listed.get
    for m in matches:
        d = found[m[id_key]]
        if d is None:
            m["decision"] = None
            continue
        assert entity_of is not None
        changed = d.changed(entity_of(m[id_key]))
        m["decision"] = d.annotation(changed)
        if m.get("match") and d.suppresses(changed):
            m["match"] = False
            m["suppressed"] = True
    return matches
