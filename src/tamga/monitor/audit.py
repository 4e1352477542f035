"""The audit log: an append-only record of who screened, raised, closed and decided what, and when.

Each row carries the hash of the row before it, and its own hash is
``sha256(previous hash + canonical JSON of the row)``. Editing, inserting or deleting a row in the
middle breaks the chain at that row, which :func:`verify` reports. ``prev_hash`` is unique, so two
writers that read the same head cannot both append after it: one of them fails and retries
(:func:`tamga.monitor.records.write`), and the chain stays a single line.

Deleting rows at the end leaves a shorter chain that still verifies; :func:`verify` returns the head
hash so that it can be recorded elsewhere (a ticket, a signed e-mail) and compared later.

Every monitoring change is written with its audit rows in one transaction (:func:`write`), so the
log never misses a change and never records one that did not happen.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TextIO, TypeVar

from sqlalchemy import Connection, insert, select, text
from sqlalchemy.exc import IntegrityError

from tamga.monitor.clock import now
from tamga.store import Store
from tamga.store.schema import audit_log

GENESIS = "0" * 64  # the "previous hash" of the first row
ATTEMPTS = 5  # tries of a transaction that lost the race for the head of the chain
PG_LOCK = 0x74616D6761  # PostgreSQL advisory lock held while appending ("tamga")
READ_CHUNK = 5000
CSV_COLUMNS = ("id", "at", "actor", "action", "subject", "snapshots", "details", "prev_hash", "hash")


def canonical(row: dict[str, Any]) -> str:
    """The text a row's hash covers: every column but the hash, as sorted compact JSON."""
    data = {k: row[k] for k in CSV_COLUMNS if k != "hash"}
    data["at"] = row["at"].isoformat() if isinstance(row["at"], datetime) else row["at"]
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def row_hash(prev_hash: str, row: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical(row)).encode("utf-8")).hexdigest()


def append(
    conn: Connection,
    actor: str,
    action: str,
    subject: str,
    details: dict[str, Any] | None = None,
    snapshots: dict[str, int] | None = None,
) -> int:
    """Add one row after the current head, in the caller's transaction; returns its id.

    ``snapshots`` names the list snapshots the action rests on (source -> snapshot number).
    """
    serialise(conn)
    head = conn.execute(
        select(audit_log.c.id, audit_log.c.hash).order_by(audit_log.c.id.desc()).limit(1)
    ).first()
    prev_hash = head.hash if head else GENESIS
    next_id = (head.id + 1) if head else 1
    row = {
        "id": next_id,
        "at": now(),
        "actor": actor,
        "action": action,
        "subject": subject,
        "snapshots": dict(sorted((snapshots or {}).items())),
        "details": details or {},
        "prev_hash": prev_hash,
    }
    row["hash"] = row_hash(prev_hash, row)
    conn.execute(insert(audit_log).values(**row))
    return next_id


T = TypeVar("T")


def serialise(conn: Connection) -> None:
    """Make writers of the log queue from here to the end of their transactions (PostgreSQL; an
    SQLite database has one writer at a time anyway), so that one reads what the other wrote."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK})


def write(store: Store, work: Callable[[Connection], T]) -> T:
    """Run ``work`` in one transaction; again if another writer got in first (it appended to the
    audit log after this one read its head, or wrote the same row), so that ``work`` sees what the
    other wrote: the unique ``prev_hash`` keeps the chain a single line."""
    for attempt in range(ATTEMPTS):
        try:
            with store.engine.begin() as conn:
                return work(conn)
        except IntegrityError:
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def rows(store: Store) -> Iterator[dict[str, Any]]:
    """Every row in order, read in chunks so that a long log is never held in memory at once."""
    if not store.exists:
        return
    last = 0
    while True:
        with store.engine.connect() as conn:
            chunk = [
                r._asdict()
                for r in conn.execute(
                    select(audit_log).where(audit_log.c.id > last).order_by(audit_log.c.id).limit(READ_CHUNK)
                )
            ]
        if not chunk:
            return
        yield from chunk
        last = chunk[-1]["id"]


@dataclass
class Verification:
    """What :func:`verify` found: ``ok``, how many rows, the head hash, and the first broken row."""

    ok: bool
    rows: int
    head: str
    bad_row: int | None = None
    problem: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "rows": self.rows,
            "head": self.head,
            "bad_row": self.bad_row,
            "problem": self.problem,
        }


def verify(store: Store) -> Verification:
    """Recompute the chain from the first row; stop at the first row that does not fit."""
    previous = GENESIS
    count = 0
    for row in rows(store):
        count += 1
        if row["prev_hash"] != previous:
            return Verification(
                False,
                count,
                previous,
                row["id"],
                f"row {row['id']} does not follow the row before it (a row was deleted or inserted)",
            )
        if row_hash(previous, row) != row["hash"]:
            return Verification(
                False, count, previous, row["id"], f"row {row['id']} was changed after it was written"
            )
        previous = row["hash"]
    return Verification(True, count, previous)


def export_csv(store: Store, out: TextIO) -> int:
    """Write the log as CSV (JSON in the ``snapshots`` and ``details`` cells); returns the row count."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for row in rows(store):
        writer.writerow(
            [
                row["id"],
                row["at"].isoformat(),
                row["actor"],
                row["action"],
                row["subject"],
                json.dumps(row["snapshots"], sort_keys=True, ensure_ascii=False),
                json.dumps(row["details"], sort_keys=True, ensure_ascii=False),
                row["prev_hash"],
                row["hash"],
            ]
        )
        count += 1
    return count
