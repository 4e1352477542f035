"""A monitoring run: re-screen the watchlists against what changed in the lists since the last run.

For each source whose latest snapshot is newer than the one the last run screened against, the
store's diff gives the entities added, amended and removed since. Every watchlist row screened
before is screened against the added and amended entities only (:mod:`tamga.monitor.delta`);
alerts on removed entities are closed. Rows never screened (new, or changed since) are screened
against every listed entity, as ``full=True`` screens every row. The alerts are then reconciled in
one transaction with the audit rows and the webhook delivery, and the snapshots screened against
are recorded, so a second run with nothing new does nothing.

Pairs already alerted never alert again; a pair already decided is recorded closed with its
decision, unless the entity changed since (see :mod:`tamga.monitor.alerts`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, insert, select, update

from tamga.match.screener import DEFAULT_THRESHOLD, Match, Query, Screener
from tamga.model import Entity
from tamga.monitor import audit, webhooks
from tamga.monitor.alerts import alerts_on, read_alert
from tamga.monitor.clock import iso, now
from tamga.monitor.decisions import DecisionBook
from tamga.monitor.delta import DeltaScreener, Rarity, alerts_of_rows, score_against
from tamga.monitor.listed import current_entities
from tamga.monitor.watchlists import WatchRow, load_rows
from tamga.screen.batch import Row, screen_rows
from tamga.store import Store
from tamga.store.diff import canonical_key
from tamga.store.schema import alert, monitor_state, watchlist_row

ALERTS_PER_ROW = 100  # candidates asked of the full screener per row; only alerts are kept


# What the scorer reads of an entity besides its names: an amended entity that differs in none of
# these scores as before against every name it had, so only the names it gained are screened.
SCORED = frozenset({"schema", "identifiers", "birth_dates", "countries", "addresses"})


@dataclass
class RunReport:
    """What a run did. ``mode`` is ``delta``, ``full``, ``idle`` (nothing new) or ``superseded``
    (another run recorded the same snapshots first, and this one's findings were dropped)."""

    mode: str
    snapshots: dict[str, dict[str, int]] = field(default_factory=dict)
    rows_full: int = 0
    rows_delta: int = 0
    changed_entities: int = 0
    removed_entities: int = 0
    raised: int = 0
    reopened: int = 0
    closed: int = 0
    suppressed: int = 0
    seconds: float = 0.0
    new_alerts: list[int] = field(default_factory=list)
    deliveries: dict[str, int] | None = None
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase

    def to_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["seconds"] = round(self.seconds, 2)
        data["timings"] = {k: round(v, 2) for k, v in self.timings.items()}
        return data


class _Superseded(Exception):
    """Another run recorded its findings against the same snapshots first: this run's are dropped
    (rolling back its transaction) rather than recorded twice."""


@dataclass
class _Plan:
    """What a run read before screening, checked again before it writes."""

    state: dict[str, int]
    heads: dict[str, tuple[int, int]]  # source -> (snapshot id, seq)
    full_rows: list[WatchRow]
    delta_rows: list[WatchRow]
    changed: set[str]
    removed: dict[str, str]  # entity id -> why it is gone
    # Amended entities that differ in names (or in nothing scored) only: the names they gained.
    new_names: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _read_state(conn: Connection) -> dict[str, int]:
    return {r.source: r.snapshot_seq for r in conn.execute(select(monitor_state))}


def plan(store: Store, full: bool) -> _Plan:
    """The snapshots to screen against, the rows to screen, and the entities that changed."""
    heads = {}
    for head in store.snapshot_heads():
        snap = store.snapshot(head.source, head.seq)
        assert snap is not None
        heads[head.source] = (snap.id, snap.seq)
    with store.engine.connect() as conn:
        state = _read_state(conn)
        rows = load_rows(conn)
    fresh = [r for r in rows if r.screened_at is None]
    screened = [r for r in rows if r.screened_at is not None]
    changed: set[str] = set()
    removed: dict[str, str] = {}
    new_names: dict[str, list[dict[str, Any]]] = {}
    if not full and screened:  # with no row screened before, there is nothing to re-screen
        for source, (_, seq) in sorted(heads.items()):
            since = state.get(source, 0)
            if since == seq:
                continue
            diff = store.diff(source, since, seq)
            changed.update(c.id for c in diff.added)
            changed.update(c.id for c in diff.changed)
            for amended in diff.changed:
                fields = {f.field: f for f in amended.fields}
                if SCORED.isdisjoint(fields):
                    new_names[amended.id] = fields["names"].added if "names" in fields else []
            for gone in diff.removed:
                removed[gone.id] = f"removed from {source} in snapshot {seq}"
    return _Plan(
        state=state,
        heads=heads,
        full_rows=rows if full else fresh,
        delta_rows=[] if full or not changed else screened,
        changed=changed,
        removed=removed,
        new_names=new_names,
    )


def pending(store: Store) -> bool:
    """Whether a run has anything to do: a snapshot not screened against yet, or a row not yet
    screened (two small queries, for a server to ask every few seconds)."""
    if not store.exists:
        return False
    heads = {h.source: h.seq for h in store.snapshot_heads()}
    if not heads:
        return False
    with store.engine.connect() as conn:
        if _read_state(conn) != heads:
            return True
        unscreened = select(watchlist_row.c.id).where(watchlist_row.c.screened_at.is_(None)).limit(1)
        return conn.execute(unscreened).first() is not None


def run(
    store: Store,
    full: bool = False,
    actor: str = "monitor",
    screener: Screener | None = None,
    workers: int = 1,
    webhook: webhooks.Webhook | None = None,
) -> RunReport:
    """Re-screen the watchlists (see the module's description) and, with a ``webhook``, send the
    alerts it raised. ``screener`` is an index of every entity as the store holds them now (a
    server's served index); without it one is built from the store when rows need a full screen."""
    started = time.perf_counter()
    work = plan(store, full)
    planned = time.perf_counter()
    report = RunReport(
        mode="full" if full else "delta",
        snapshots={
            s: {"from": work.state.get(s, 0), "to": seq}
            for s, (_, seq) in work.heads.items()
            if work.state.get(s, 0) != seq or full
        },
        rows_full=len(work.full_rows),
        rows_delta=len(work.delta_rows),
        changed_entities=len(work.changed),
        removed_entities=len(work.removed),
    )
    if not work.heads:
        report.mode = "idle"  # nothing listed to screen against
        return report
    state_current = all(work.state.get(s) == seq for s, (_, seq) in work.heads.items())
    if state_current and not work.full_rows:
        report.mode = "idle"
    else:
        findings = _screen(store, work, screener, workers, report.timings)
        screened = time.perf_counter()
        try:
            audit.write(store, lambda conn: _reconcile(conn, work, findings, report, actor, webhook))
        except _Superseded:
            report.mode = "superseded"
        report.timings["record"] = time.perf_counter() - screened
    report.timings["plan"] = planned - started
    report.seconds = time.perf_counter() - started
    if webhook is not None:
        report.deliveries = webhooks.deliver(store, webhook).to_dict()
    return report


@dataclass
class _Findings:
    """What the screening found: alerts per row id, and the screeners it used, to look an entity
    up or to score one pair again."""

    alerts: dict[int, list[Match]]
    screeners: list[Screener]

    def entity(self, entity_id: str) -> Entity | None:
        for screener in self.screeners:
            found = screener.entity(entity_id)
            if found is not None:
                return found
        return None

    def rescore(self, query: Query, entity_id: str) -> tuple[bool, Match | None]:
        """Whether a screener holds the entity, and the pair as it scores it (``None`` below 0.5)."""
        for screener in self.screeners:
            if entity_id in screener.index.by_id:
                return True, score_against(screener, query, entity_id)
        return False, None


def _screen(
    store: Store, work: _Plan, screener: Screener | None, workers: int, timings: dict[str, float]
) -> _Findings:
    findings = _Findings({}, [])
    if work.full_rows:
        started = time.perf_counter()
        screener = screener or Screener.from_store(store)
        rows = [Row(r.line, r.ref, r.query) for r in work.full_rows]
        for row, (_, matches) in zip(
            work.full_rows, screen_rows(screener, rows, None, ALERTS_PER_ROW, workers), strict=True
        ):
            findings.alerts[row.id] = [m for m in matches if m.match]
        findings.screeners.append(screener)
        timings["full"] = time.perf_counter() - started
    if work.delta_rows:
        started = time.perf_counter()
        entities = current_entities(store, work.changed)
        rarity = Rarity.of_index(screener.index) if screener is not None else Rarity.of_store(store)
        threshold = screener.threshold if screener is not None else DEFAULT_THRESHOLD
        # An entity that only gained names is screened by those names alone; whatever its other
        # names match is alerted already, and is scored again below, whole.
        screened = [
            _with_names(e, work.new_names[e.id]) if e.id in work.new_names else e for e in entities.values()
        ]
        delta = DeltaScreener([e for e in screened if e.names], rarity, threshold)
        whole = DeltaScreener([entities[i] for i in work.new_names if i in entities], rarity, threshold)
        indexed = time.perf_counter()
        timings["delta_index"] = indexed - started
        queries = [r.query for r in work.delta_rows]
        for row, matches in zip(work.delta_rows, alerts_of_rows(delta, queries, workers), strict=True):
            findings.alerts[row.id] = [
                _whole(whole, row.query, m) if m.entity_id in work.new_names else m for m in matches
            ]
        _score_again(store, whole, work, findings)
        findings.screeners.extend([whole, delta])  # an entity as listed, not as screened
        timings["delta"] = time.perf_counter() - indexed
    return findings


def _with_names(entity: Entity, names: list[dict[str, Any]]) -> Entity:
    """``entity`` with only those of its names that are among ``names``, compared in the canonical
    form a diff gives them in."""
    wanted = {canonical_key(n) for n in names}
    data = entity.to_dict()
    data["names"] = [n for n in data.get("names", []) if canonical_key(n) in wanted]
    return Entity.from_dict(data)


def _whole(whole: Screener, query: Query, found: Match) -> Match:
    """An alert on some of an entity's names, scored against all of them as the entity is listed."""
    again = score_against(whole, query, found.entity_id)
    return again if again is not None and again.match else found


def _score_again(store: Store, whole: Screener, work: _Plan, findings: _Findings) -> None:
    """The pairs already alerted on entities screened by their new names alone, scored against the
    whole entity: found again if they still match, so that a decision the change made stale
    reopens its alert (those that no longer match are closed when the run is recorded)."""
    if not work.new_names:
        return
    with store.engine.connect() as conn:
        known = alerts_on(conn, alert.c.entity_id, work.new_names)
    rows = {r.id: r for r in work.delta_rows}
    for row_id, entity_id in sorted(known):
        found = findings.alerts.get(row_id)
        if found is None or row_id not in rows or any(m.entity_id == entity_id for m in found):
            continue
        again = score_against(whole, rows[row_id].query, entity_id)
        if again is not None and again.match:
            found.append(again)


def _reconcile(
    conn: Connection,
    work: _Plan,
    findings: _Findings,
    report: RunReport,
    actor: str,
    webhook: webhooks.Webhook | None,
) -> None:
    audit.serialise(conn)  # another run records its findings first, or waits for these
    if _read_state(conn) != work.state:
        raise _Superseded()
    when = now()
    snapshots = {s: seq for s, (_, seq) in work.heads.items()}
    rows = {r.id: r for r in [*work.full_rows, *work.delta_rows]}
    full_ids = {r.id for r in work.full_rows}
    existing = alerts_on(conn, alert.c.row_id, full_ids)
    existing.update(alerts_on(conn, alert.c.entity_id, work.changed | set(work.removed)))
    names = {rows[row_id].name for row_id, found in findings.alerts.items() if found}
    names.update(rows[row_id].name for row_id, _ in existing if row_id in rows)
    book = DecisionBook.read(conn, names)
    counts = {"raised": 0, "reopened": 0, "closed": 0, "suppressed": 0}
    fresh: list[int] = []

    def event(action: str, alert_id: int, entity_id: str, details: dict[str, Any]) -> None:
        source = entity_id.split(":", 1)[0]
        audit.append(conn, actor, action, f"alert:{alert_id}", details, {source: snapshots.get(source, 0)})

    def close(record: Any, reason: str) -> None:
        conn.execute(
            update(alert)
            .where(alert.c.id == record.id)
            .values(status="closed", closed_at=when, updated_at=when, close_reason=reason)
        )
        counts["closed"] += 1
        event("alert.closed", record.id, record.entity_id, {"reason": reason})

    # Entities gone from their list close their alerts first.
    for (_, entity_id), record in sorted(existing.items(), key=lambda item: item[1].id):
        if record.status == "open" and entity_id in work.removed:
            close(record, work.removed[entity_id])
    found_pairs: set[tuple[int, str]] = set()
    for row_id, matches in findings.alerts.items():
        row = rows[row_id]
        for m in matches:
            pair = (row_id, m.entity_id)
            found_pairs.add(pair)
            source = m.entity_id.split(":", 1)[0]
            decided = book.latest([row.name], m.entity_id)
            changed = decided.changed(findings.entity(m.entity_id)) if decided else []
            holds = decided is not None and not changed
            record = existing.get(pair)
            values = {
                "score": m.score,
                "explanation": m.explanation.to_dict(),
                "entity_name": m.name,
            }
            if record is None:
                status = "closed" if holds else "open"
                alert_id = conn.execute(
                    insert(alert)
                    .values(
                        row_id=row_id,
                        entity_id=m.entity_id,
                        status=status,
                        snapshot_id=work.heads[source][0],
                        raised_at=when,
                        updated_at=when,
                        closed_at=when if holds else None,
                        close_reason=_decided(decided) if holds else None,
                        decision_id=decided.id if decided else None,
                        changed=changed if decided else None,
                        **values,
                    )
                    .returning(alert.c.id)
                ).scalar_one()
                details = {
                    "watchlist": row.watchlist,
                    "row_id": row_id,
                    "name": row.name,
                    "entity_id": m.entity_id,
                    "score": round(m.score, 4),
                    "status": status,
                }
                if holds:
                    assert decided is not None
                    counts["suppressed"] += 1
                    event("alert.raised", alert_id, m.entity_id, {**details, "decision_id": decided.id})
                else:
                    counts["raised"] += 1
                    fresh.append(alert_id)
                    event("alert.raised", alert_id, m.entity_id, details)
                continue
            if record.status == "open":
                conn.execute(
                    update(alert)
                    .where(alert.c.id == record.id)
                    .values(**values, changed=changed if decided else record.changed)
                )
                continue
            if holds:  # closed, and its decision still holds
                continue
            reason = (
                f"the entity changed since the decision: {', '.join(changed)}"
                if decided is not None
                else "matches again"
            )
            conn.execute(
                update(alert)
                .where(alert.c.id == record.id)
                .values(
                    **values,
                    status="open",
                    snapshot_id=work.heads[source][0],
                    updated_at=when,
                    closed_at=None,
                    close_reason=None,
                    decision_id=decided.id if decided else record.decision_id,
                    changed=changed if decided else None,
                )
            )
            counts["reopened"] += 1
            fresh.append(record.id)
            event("alert.reopened", record.id, m.entity_id, {"reason": reason, "changed": changed})
    # Open alerts in the scope of this run that it did not find again are scored once more, alone:
    # a common name's full screening keeps only its best candidates, and they may crowd one out.
    for pair, record in sorted(existing.items(), key=lambda item: item[1].id):
        if record.status != "open" or pair in found_pairs or pair[1] in work.removed:
            continue
        row_id, entity_id = pair
        in_scope = row_id in full_ids or (row_id in rows and entity_id in work.changed)
        if not in_scope:
            continue
        held, again = findings.rescore(rows[row_id].query, entity_id)
        if not held:
            close(record, "no longer listed")
        elif again is None or not again.match:
            source = entity_id.split(":", 1)[0]
            score = f"{again.score:.2f}" if again else "below 0.5"
            listed = f"{source} snapshot {snapshots.get(source)}"
            close(record, f"no longer matches ({score}) as {listed} lists it")
    if work.full_rows:
        ids = sorted(full_ids)
        for start in range(0, len(ids), 500):
            conn.execute(
                update(watchlist_row)
                .where(watchlist_row.c.id.in_(ids[start : start + 500]))
                .values(screened_at=when)
            )
    conn.execute(monitor_state.delete())
    for source, (_, seq) in sorted(work.heads.items()):
        conn.execute(insert(monitor_state).values(source=source, snapshot_seq=seq, processed_at=when))
    report.raised, report.reopened = counts["raised"], counts["reopened"]
    report.closed, report.suppressed = counts["closed"], counts["suppressed"]
    report.new_alerts = fresh
    audit.append(
        conn,
        actor,
        "monitor.run",
        "watchlists",
        {
            "mode": report.mode,
            "rows_full": report.rows_full,
            "rows_delta": report.rows_delta,
            "changed_entities": report.changed_entities,
            "removed_entities": report.removed_entities,
            **counts,
            "from": {s: work.state.get(s, 0) for s in sorted(work.heads)},
        },
        snapshots,
    )
    if webhook is not None and fresh:
        webhooks.enqueue(conn, _payload(conn, fresh, snapshots))


def _decided(made: Any) -> str:
    return f"already decided: {made.decision.replace('_', ' ')} (decision {made.id})"


def _payload(conn: Connection, alert_ids: list[int], snapshots: dict[str, int]) -> dict[str, Any]:
    """The webhook body: the new and reopened alerts in full, as ``/alerts/{id}`` shows them."""
    found = [a for a in (read_alert(conn, i) for i in alert_ids) if a is not None]
    return {
        "event": "alerts",
        "raised_at": iso(now()),
        "snapshots": snapshots,
        "alerts": [a.to_dict(a.changed) for a in found],
    }
