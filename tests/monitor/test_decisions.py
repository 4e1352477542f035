"""Decisions on (screened name, entity) pairs: recorded with the entity's fingerprint, honoured by
one-off screening, and stale once the entity's names, identifiers or designations change."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tamga.cli import app
from tamga.ingest import ingest
from tamga.match.screener import Query, Screener
from tamga.monitor import audit, decisions, rescreen, watchlists
from tamga.monitor.alerts import list_alerts
from tamga.monitor.decisions import DecisionBook, DecisionError, UnknownEntity, annotate, name_key
from tamga.store import Store

ERKIN = "ofac-sdn:34119"
runner = CliRunner()


def one_off(store: Store, name: str, book: DecisionBook | None = None) -> dict:
    """``name`` screened as `tamga match` does, with the decisions on its matches."""
    screener = Screener.from_store(store)
    matches = [m.to_dict() for m in screener.match(Query(name))]
    annotate(matches, name, book if book is not None else store, screener.entity)
    return next(m for m in matches if m["entity_id"] == ERKIN)


def modified_copy(fixtures: Path, folder: Path, file: str, old: bytes, new: bytes) -> Path:
    """The OFAC extracts with one field of one file changed, as a later list would change it."""
    folder.mkdir()
    for path in (fixtures / "ofac_csv").glob("*.csv"):
        shutil.copy(path, folder / path.name)
    data = (folder / file).read_bytes()
    assert data.count(old) == 1
    (folder / file).write_bytes(data.replace(old, new))
    return folder


def test_names_are_keyed_by_their_normalised_text() -> None:
    assert name_key("  Ｅｒｋｉｎ \t TUNIYAZ ") == "erkin tuniyaz"
    assert name_key("Großmann  GmbH") == name_key("GROSSMANN GMBH")
    assert name_key("Erkin Tuniyaz") != name_key("Tuniyaz Erkin")  # the same words in another order differ


def test_a_decision_needs_a_reason_a_known_entity_and_a_known_choice(small_store: Store) -> None:
    with pytest.raises(DecisionError) as no_reason:
        decisions.decide(small_store, "Erkin Tuniyaz", ERKIN, "false_positive", "  ", "ana", "ana")
    assert no_reason.value.field == "reason"
    with pytest.raises(DecisionError) as bad:
        decisions.decide(small_store, "Erkin Tuniyaz", ERKIN, "cleared", "why", "ana", "ana")
    assert bad.value.field == "decision"
    with pytest.raises(UnknownEntity):
        decisions.decide(small_store, "Erkin Tuniyaz", "ofac-sdn:1", "match", "why", "ana", "ana")
    assert decisions.history(small_store) == []
    assert audit.verify(small_store).rows == 0  # nothing refused was logged


def test_a_false_positive_is_suppressed_in_one_off_screening(small_store: Store) -> None:
    before = one_off(small_store, "Erkin Tuniyaz")
    assert before["match"] is True and before["decision"] is None
    made = decisions.decide(
        small_store, "Erkin Tuniyaz", ERKIN, "false_positive", "a namesake, born 1980", "ana", "ana"
    )
    assert made.fingerprint.keys() == {"names", "identifiers", "designations"}
    for spelling in ("Erkin Tuniyaz", "ERKIN  tuniyaz"):
        after = one_off(small_store, spelling)
        assert after["match"] is False and after["suppressed"] is True
        assert after["decision"] == {
            "id": made.id,
            "decision": "false_positive",
            "reason": "a namesake, born 1980",
            "decided_by": "ana",
            "decided_at": made.decided_at.isoformat(),
            "stale": False,
            "changed": [],
        }
    other = one_off(small_store, "Erkin Tuniyazi")  # another name: decided separately
    assert other["decision"] is None and other["match"] is True
    # The latest decision holds: a match after the false positive suppresses nothing.
    decisions.decide(small_store, "Erkin Tuniyaz", ERKIN, "match", "same DOB, same post", "bo", "bo")
    latest = one_off(small_store, "Erkin Tuniyaz", DecisionBook.load(small_store, ["Erkin Tuniyaz"]))
    assert (
        latest["match"] is True and latest["decision"]["decision"] == "match" and "suppressed" not in latest
    )
    listed = decisions.decisions_json(small_store, decisions.history(small_store, "erkin tuniyaz", ERKIN))
    assert [d["decided_by"] for d in listed] == ["bo", "ana"]  # newest first


def test_a_decision_goes_stale_when_the_entity_changes(
    small_store: Store, fixtures: Path, tmp_path: Path
) -> None:
    decisions.decide(small_store, "Erkin Tuniyaz", ERKIN, "false_positive", "namesake", "ana", "ana")
    renamed = modified_copy(
        fixtures, tmp_path / "renamed", "alt.csv", b'"TUNIYAZI, Arkin"', b'"TUNIYAZI, Arken"'
    )
    ingest(small_store, [renamed])
    stale = one_off(small_store, "Erkin Tuniyaz")
    assert stale["match"] is True and "suppressed" not in stale
    assert stale["decision"]["stale"] is True and stale["decision"]["changed"] == ["names"]

    relisted = modified_copy(
        fixtures, tmp_path / "relisted", "sdn.csv", b'34119,"TUNIYAZ, Erken","individual","GLOMAG"',
        b'34119,"TUNIYAZ, Erken","individual","GLOMAG] [CHINA-EO13936"',
    )  # fmt: skip
    ingest(small_store, [relisted])
    assert one_off(small_store, "Erkin Tuniyaz")["decision"]["changed"] == ["designations"]


def test_a_decision_closes_the_open_alerts_of_its_pair_in_every_watchlist(
    small_store: Store, tmp_path: Path
) -> None:
    (tmp_path / "a.csv").write_text("id,name\n1,Erkin Tuniyaz\n2,Zhu Hailun\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("name\nerkin TUNIYAZ\n", encoding="utf-8")
    watchlists.add_file(small_store, "suppliers", tmp_path / "a.csv", "ana")
    watchlists.add_file(small_store, "customers", tmp_path / "b.csv", "ana")
    assert rescreen.run(small_store, actor="ana").raised == 3
    made = decisions.decide(small_store, "Erkin Tuniyaz", ERKIN, "match", "confirmed by DOB", "bo", "bo")
    found, _ = list_alerts(small_store, "all")
    erkin = [a for a in found if a.entity_id == ERKIN]
    assert len(erkin) == 2 and all(a.status == "closed" and a.decision.id == made.id for a in erkin)
    assert all(a.close_reason == "decided: match" for a in erkin)
    assert [a.status for a in found if a.entity_id != ERKIN] == ["open"]
    closed = [r for r in audit.rows(small_store) if r["action"] == "alert.closed"]
    assert {r["subject"] for r in closed} == {f"alert:{a.id}" for a in erkin}
    assert audit.verify(small_store).ok


def test_every_screen_output_carries_the_decisions(sqlite_store: Store, tmp_path: Path) -> None:
    """`tamga screen` as JSONL, as CSV and on an engine: the same decision on the same pair, and a
    false positive turned off everywhere."""
    made = decisions.decide(sqlite_store, "Erkin Tuniyaz", ERKIN, "false_positive", "namesake", "ana", "ana")
    names = tmp_path / "names.csv"
    names.write_text("id,name\n1,Erkin Tuniyaz\n2,Shohrat Zakir\n3,Nobody Atall\n", encoding="utf-8")
    db = str(sqlite_store.engine.url)
    base = ["screen", str(names), "--db", db, "--workers", "1"]

    plain = runner.invoke(app, base)
    assert plain.exit_code == 0, plain.stderr
    lines = [json.loads(line) for line in plain.stdout.splitlines()]
    erkin = next(m for m in lines[0]["matches"] if m["entity_id"] == ERKIN)
    assert erkin["match"] is False and erkin["suppressed"] is True and erkin["decision"]["id"] == made.id
    assert all(m["decision"] is None for m in lines[1]["matches"]) and lines[1]["matches"][0]["match"]

    on_engine = tmp_path / "engine.jsonl"
    result = runner.invoke(app, [*base, "--engine", "local", "--out", str(on_engine)])
    assert result.exit_code == 0, result.stderr
    assert on_engine.read_text(encoding="utf-8") == plain.stdout  # the same bytes, decisions and all
    assert "1 alerts" in result.stderr  # Shohrat Zakir's; Erkin Tuniyaz's was cleared

    as_csv = tmp_path / "out.csv"
    result = runner.invoke(app, [*base, "--out", str(as_csv)])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(as_csv.read_text(encoding="utf-8"))))
    row = next(r for r in rows if r["entity_id"] == ERKIN)
    assert (row["match"], row["decision"], row["decision_stale"], row["suppressed"]) == (
        "false", "false_positive", "false", "true"
    )  # fmt: skip
    other = next(r for r in rows if r["id"] == "2")
    assert (other["match"], other["decision"], other["suppressed"]) == ("true", "", "false")
    assert next(r for r in rows if r["id"] == "3")["entity_id"] == ""
