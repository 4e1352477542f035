"""The audit log's hash chain, on SQLite and PostgreSQL: it verifies, it names the first row that
was changed or removed, and two writers cannot fork it."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import Connection, delete, insert, update
from sqlalchemy.exc import IntegrityError

from tamga.monitor import audit
from tamga.monitor.clock import now
from tamga.store import Store
from tamga.store.schema import audit_log


def write_three(store: Store) -> None:
    for i, action in enumerate(("watchlist.created", "alert.raised", "decision.recorded"), start=1):
        audit.write(
            store,
            lambda conn, i=i, action=action: audit.append(
                conn,
                "ana",
                action,
                f"thing:{i}",
                {"score": 0.9312, "names": ["Çelik", "陈全国"]},
                {"ofac-sdn": i},
            ),
        )


def test_the_chain_verifies_and_names_an_edited_or_missing_row(db_url: str) -> None:
    store = Store(db_url)
    assert audit.verify(store).to_dict() == {
        "ok": True,
        "rows": 0,
        "head": audit.GENESIS,
        "bad_row": None,
        "problem": None,
    }
    write_three(store)
    intact = audit.verify(store)
    assert intact.ok and intact.rows == 3
    rows = list(audit.rows(store))
    assert [r["prev_hash"] for r in rows[1:]] == [r["hash"] for r in rows[:-1]]
    assert rows[0]["details"] == {"score": 0.9312, "names": ["Çelik", "陈全国"]}  # read back as written

    with store.engine.begin() as conn:
        conn.execute(update(audit_log).where(audit_log.c.id == 2).values(details={"score": 0.5}))
    edited = audit.verify(store)
    assert not edited.ok and edited.bad_row == 2 and "changed after it was written" in (edited.problem or "")

    with store.engine.begin() as conn:
        conn.execute(delete(audit_log).where(audit_log.c.id == 2))
    cut = audit.verify(store)
    assert not cut.ok and cut.bad_row == 3 and "deleted or inserted" in (cut.problem or "")
    store.close()


def test_a_writer_that_lost_the_race_for_the_head_writes_again(db_url: str) -> None:
    store = Store(db_url)
    write_three(store)
    tries = []

    def work(conn: Connection) -> int:
        tries.append(1)
        if len(tries) == 1:
            head = audit.verify(store).head
            with store.engine.begin() as other:  # another process appends meanwhile
                audit.append(other, "bo", "alert.closed", "alert:9")
            row = {"id": 99, "at": now(), "actor": "ana", "action": "x", "subject": "y", "snapshots": {}}
            row.update(details={}, prev_hash=head)
            conn.execute(insert(audit_log).values(**row, hash=audit.row_hash(head, row)))
        return audit.append(conn, "ana", "decision.recorded", "decision:1")

    assert audit.write(store, work) == 5
    assert len(tries) == 2
    assert audit.verify(store).ok and audit.verify(store).rows == 5
    with pytest.raises(IntegrityError), store.engine.begin() as conn:  # a fork is refused outright
        rows = list(audit.rows(store))
        fork = {**rows[-1], "id": 100}
        conn.execute(insert(audit_log).values(**fork))
    store.close()


def test_the_export_holds_every_row_with_its_hashes(db_url: str) -> None:
    store = Store(db_url)
    write_three(store)
    out = io.StringIO()
    assert audit.export_csv(store, out) == 3
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["action"] for r in rows] == ["watchlist.created", "alert.raised", "decision.recorded"]
    assert json.loads(rows[2]["snapshots"]) == {"ofac-sdn": 3}
    assert json.loads(rows[0]["details"])["names"] == ["Çelik", "陈全国"]
    assert rows[2]["hash"] == audit.verify(store).head
    store.close()
