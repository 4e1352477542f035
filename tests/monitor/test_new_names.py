"""An entity amended in its names alone is screened by the names it gained; what its other names
matched is alerted already, and is scored again against the whole entity."""

from __future__ import annotations

from pathlib import Path

from tamga.ingest import ingest
from tamga.monitor import decisions, rescreen, watchlists
from tamga.monitor.alerts import list_alerts
from tamga.store import Store

from .test_decisions import ERKIN, modified_copy

NEW_ALIAS = b'34119,53507,"aka","TUNIAZ, Alken",-0- \r\n34119,53599,"aka","KARAKASH, Mirzat",-0- '


def test_only_the_new_names_are_screened_and_old_alerts_hold(small_store: Store, tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("id,name\nold,Erkin Tuniyaz\nnew,Mirzat Karakash\n", encoding="utf-8")
    watchlists.add_file(small_store, "clients", rows, "ana")
    first = rescreen.run(small_store, actor="test")
    assert first.mode == "delta" and first.rows_full == 2
    before = {(a.row.ref, a.entity_id): a for a in list_alerts(small_store, status="open")[0]}
    old = before[("old", ERKIN)]
    assert not any(ref == "new" for ref, _ in before)

    amended = modified_copy(
        Path(__file__).parents[1] / "fixtures", tmp_path / "amended", "alt.csv",
        b'34119,53507,"aka","TUNIAZ, Alken",-0- ', NEW_ALIAS,
    )  # fmt: skip
    ingest(small_store, [amended])
    work = rescreen.plan(small_store, full=False)
    assert work.changed == {ERKIN}
    assert [n["full"] for n in work.new_names[ERKIN]] == ["KARAKASH, Mirzat"]

    second = rescreen.run(small_store, actor="test")
    assert (second.rows_delta, second.raised, second.closed) == (2, 1, 0)
    after = {(a.row.ref, a.entity_id): a for a in list_alerts(small_store, status="open")[0]}
    assert after.keys() == {*before, ("new", ERKIN)}  # the old alerts stand: their pairs still match
    assert after[("old", ERKIN)].id == old.id
    assert after[("new", ERKIN)].explanation["matched_name"] == "KARAKASH, Mirzat"

    # A false positive on the old pair reopens once the names change again, though the row
    # matches none of the names gained: the pair is scored again against the whole entity.
    decisions.decide(small_store, "Erkin Tuniyaz", ERKIN, "false_positive", "namesake", "ana", "ana")
    more = NEW_ALIAS + b'\r\n34119,53600,"aka","QARAQASH, Mirzat",-0- '
    again = modified_copy(
        Path(__file__).parents[1] / "fixtures", tmp_path / "again", "alt.csv",
        b'34119,53507,"aka","TUNIAZ, Alken",-0- ', more,
    )  # fmt: skip
    ingest(small_store, [again])
    third = rescreen.run(small_store, actor="test")
    assert third.reopened == 1
    reopened = next(a for a in list_alerts(small_store, status="open")[0] if a.id == old.id)
    assert reopened.changed == ["names"]
