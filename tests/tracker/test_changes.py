"""The changes feed across sources, from snapshots of the curated table edited between ingests."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tamga.cli import app
from tamga.data import curated_path
from tamga.ingest import ingest
from tamga.store import Store
from tamga.tracker.changes import changes

runner = CliRunner()


def test_additions_removals_and_amendments_newest_first(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'tamga.db'}"
    store = Store(db)
    lines = curated_path().read_text(encoding="utf-8").splitlines(keepends=True)
    header, rows = lines[0], lines[1:]
    table = tmp_path / "actions.csv"
    table.write_text(header + "".join(rows[:40]), encoding="utf-8")
    ingest(store, [table])
    assert changes(store) == []  # a first snapshot is the whole list, not news
    assert len(changes(store, first_snapshots=True, limit=None)) == len(list(store.entities("curated")))

    dropped = rows[0]  # Hetian Taida: also named in a later row, so it stays, with fewer designations
    edited = rows[1].replace("XUAR PSB;", "XUAR PSB; Xinjiang PSB;")
    table.write_text(header + edited + "".join(rows[2:40]) + rows[60], encoding="utf-8")
    ingest(store, [table])

    found = changes(store)
    kinds = {(c.kind, c.entity_id) for c in found}
    assert ("amended", "curated:hetian-taida-apparel-co-ltd") in kinds
    amended = next(c for c in found if c.entity_id.startswith("curated:xinjiang-uighur-autonomous"))
    assert amended.kind == "amended" and "names" in amended.fields
    assert any(k == "added" for k, _ in kinds)
    assert all(c.seq == 2 and c.source == "curated" for c in found)
    assert "Hetian Taida" in dropped

    table.write_text(header + edited + "".join(rows[2:40]), encoding="utf-8")
    ingest(store, [table])
    newest = changes(store)
    assert newest[0].seq == 3  # newest first
    assert [c.kind for c in newest if c.seq == 3] == ["removed"]
    assert changes(store, since="2999-01-01") == []
    assert len(changes(store, limit=1)) == 1

    result = runner.invoke(app, ["changes", "--json", "--db", db, "--source", "curated"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)["changes"]
    assert data[0]["kind"] == "removed" and data[0]["seq"] == 3
    result = runner.invoke(app, ["changes", "--since", "yesterday-ish", "--db", db])
    assert result.exit_code == 2 and "yesterday-ish" in result.stderr
