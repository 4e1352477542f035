"""Monitoring on the real OFAC SDN files: the July 2021 set, then the newer one, then an identical
re-ingest and a copy with one entity's alias changed.

One scenario runs once for the module (ingests and index builds take seconds); each test checks one
thing it recorded. The expected new alerts are computed independently: every watchlist row scored
against every candidate of the index of all entities (no shortlist), kept where the entity changed.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from tamga.cli import app
from tamga.ingest import ingest
from tamga.match.screener import Screener
from tamga.monitor import audit, rescreen
from tamga.monitor.alerts import Alert, list_alerts
from tamga.monitor.watchlists import load_rows
from tamga.store import Store
from tamga.store.schema import audit_log

runner = CliRunner()

WATCHLIST = """id,name,schema,birth_date,country
w01,Erkin Tuniyaz,Person,1961,CN
w02,Chen Quanguo,Person,1955,
w03,Zhu Hailun,Person,,
w04,Wang Mingshan,,,
w05,Shohrat Zakir,Person,,
w06,Hu Lianhe,Person,1967-10-04,
w07,Chen Mingguo,,,
w08,Wang Junzheng,Person,,
w09,Xinjiang Public Security Bureau,Organization,,
w10,Xinjiang Production and Construction Corps,Organization,,
w11,Sberbank of Russia,Organization,,RU
w12,Alisher Usmanov,Person,,
w13,Jane Q. Example,Person,,
w14,Acme Widgets Ltd,Organization,,GB
w15,Vladimir Putin,Person,1952-10-07,RU
"""
ERKIN = "ofac-sdn:34119"


class Everything(Screener):
    """Scores every candidate the index finds, not a shortlist of them: the reference."""

    def shortlist(self, query, variants):  # type: ignore[no-untyped-def]
        found: dict[int, None] = {}
        for tokens, _ in variants:
            found.update(dict.fromkeys(self.index.candidates(tokens, limit=10**9, schema=query.schema)))
        return list(found)


def pairs(alerts: list[Alert]) -> set[tuple[str, str]]:
    return {(a.row.ref or "", a.entity_id) for a in alerts}


def cli(*args: str) -> Any:
    result = runner.invoke(app, list(args))
    return result


@dataclass
class Scenario:
    db: str
    first: rescreen.RunReport
    first_alerts: list[Alert]
    second: rescreen.RunReport
    second_alerts: list[Alert]
    expected_new: set[tuple[str, str]]
    third: rescreen.RunReport
    identical_ingest: str
    after_identical: rescreen.RunReport
    full: rescreen.RunReport
    erkin_after_full: Alert
    match_suppressed: dict[str, Any]
    modified: rescreen.RunReport
    erkin_reopened: Alert
    match_stale: dict[str, Any]
    decide_output: str


def erkin_alert(store: Store) -> Alert:
    found, _ = list_alerts(store, "all")
    return next(a for a in found if a.entity_id == ERKIN)


def top(output: str, entity_id: str) -> dict[str, Any]:
    return next(m for m in json.loads(output)["matches"] if m["entity_id"] == entity_id)


@pytest.fixture(scope="module")
def scenario(lists: Path, tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    folder = tmp_path_factory.mktemp("monitor")
    db = f"sqlite:///{folder / 'tamga.db'}"
    store = Store(db)
    sdn = lists / "ofac_sdn"
    ingest(store, [sdn / "2021-07_watchman_bench"], source="ofac-sdn")
    (folder / "watch.csv").write_text(WATCHLIST, encoding="utf-8")
    added = cli("watch", "add", "counterparties", str(folder / "watch.csv"), "--db", db)
    assert added.exit_code == 0, added.output
    first = rescreen.run(store, actor="test")
    first_alerts, _ = list_alerts(store, "all")

    ingest(store, [sdn])
    with store.engine.connect() as conn:
        rows = load_rows(conn)
    changed = {c.id for d in [store.diff("ofac-sdn", 1, 2)] for c in [*d.added, *d.changed]}
    reference = Everything(Screener.from_store(store).index)
    expected = {
        (r.ref or "", m.entity_id)
        for r in rows
        for m in reference.match(r.query, limit=1000)
        if m.match and m.entity_id in changed
    }
    second = rescreen.run(store, actor="test")
    second_alerts, _ = list_alerts(store, "all")
    third = rescreen.run(store, actor="test")

    erkin = erkin_alert(store)
    decided = cli(
        "decide",
        str(erkin.id),
        "--false-positive",
        "--reason",
        "another man, born 1975",
        "--by",
        "analyst",
        "--db",
        db,
    )
    identical = cli("ingest", str(sdn), "--db", db)
    after_identical = rescreen.run(store, actor="test")
    full = rescreen.run(store, full=True, actor="test")
    erkin_after_full = erkin_alert(store)
    suppressed = cli("match", "Erkin Tuniyaz", "--json", "--db", db)

    changed_copy = folder / "sdn-modified"
    changed_copy.mkdir()
    for name in ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"):
        shutil.copy(sdn / name, changed_copy / name)
    alt = (changed_copy / "alt.csv").read_bytes()
    assert alt.count(b'"TUNIAZ, Alken"') == 1
    (changed_copy / "alt.csv").write_bytes(alt.replace(b'"TUNIAZ, Alken"', b'"TUNIAZ, Alkin"'))
    ingest(store, [changed_copy])
    modified = rescreen.run(store, actor="test")
    stale = cli("match", "Erkin Tuniyaz", "--json", "--db", db)
    return Scenario(
        db=db,
        first=first,
        first_alerts=first_alerts,
        second=second,
        second_alerts=second_alerts,
        expected_new=expected - pairs(first_alerts),
        third=third,
        identical_ingest=identical.output,
        after_identical=after_identical,
        full=full,
        erkin_after_full=erkin_after_full,
        match_suppressed=top(suppressed.output, ERKIN),
        modified=modified,
        erkin_reopened=erkin_alert(store),
        match_stale=top(stale.output, ERKIN),
        decide_output=decided.output,
    )


def test_the_2021_list_raises_no_alert_for_erkin_tuniyaz(scenario: Scenario) -> None:
    assert scenario.first.rows_full == 15 and scenario.first.raised == len(scenario.first_alerts)
    raised = pairs(scenario.first_alerts)
    assert ("w02", "ofac-sdn:29220") in raised  # Chen Quanguo, designated in 2020
    assert ("w09", "ofac-sdn:29159") in raised  # Xinjiang Public Security Bureau
    assert not any(ref == "w01" for ref, _ in raised)
    assert not any(ref in ("w13", "w14") for ref, _ in raised)  # names no list holds
    assert all(a.status == "open" and a.snapshot == 1 for a in scenario.first_alerts)


def test_the_newer_list_raises_exactly_the_new_alerts(scenario: Scenario) -> None:
    second = scenario.second
    assert second.rows_full == 0 and second.rows_delta == 15
    assert second.snapshots == {"ofac-sdn": {"from": 1, "to": 2}}
    before = {a.id for a in scenario.first_alerts}
    new = [a for a in scenario.second_alerts if a.id not in before]
    assert pairs(new) == scenario.expected_new
    assert second.raised == len(new) == len(second.new_alerts)
    assert ("w01", ERKIN) in pairs(new)
    erkin = next(a for a in new if a.entity_id == ERKIN)
    assert erkin.status == "open" and erkin.snapshot == 2 and erkin.row.name == "Erkin Tuniyaz"
    assert erkin.explanation["matched_name"] == "TUNIYAZ, Erkin" and erkin.score >= 0.86
    assert {q["kind"] for q in erkin.explanation["qualifiers"]} == {"birth_date", "country"}


def test_unchanged_pairs_never_alert_again(scenario: Scenario) -> None:
    again = {(a.row.ref, a.entity_id): a for a in scenario.second_alerts}
    for first in scenario.first_alerts:  # the same alert, raised by the first snapshot
        assert again[(first.row.ref, first.entity_id)].id == first.id
        assert again[(first.row.ref, first.entity_id)].snapshot == 1
    assert scenario.third.mode == "idle" and scenario.third.raised == 0


def test_a_false_positive_holds_across_an_identical_list(scenario: Scenario) -> None:
    assert "is a false positive, by analyst" in scenario.decide_output
    assert "unchanged, identical to snapshot 2" in scenario.identical_ingest
    assert scenario.after_identical.mode == "idle"
    assert scenario.full.mode == "full" and scenario.full.raised == 0 and scenario.full.reopened == 0
    erkin = scenario.erkin_after_full
    assert erkin.status == "closed" and erkin.decision is not None
    assert erkin.decision.decision == "false_positive" and erkin.decision.decided_by == "analyst"
    one_off = scenario.match_suppressed  # `tamga match` honours the decision too
    assert one_off["match"] is False and one_off["suppressed"] is True
    assert one_off["decision"]["stale"] is False and one_off["decision"]["reason"] == "another man, born 1975"


def test_a_changed_name_reopens_the_alert_and_says_what_changed(scenario: Scenario) -> None:
    assert scenario.modified.snapshots == {"ofac-sdn": {"from": 2, "to": 3}}
    assert scenario.modified.changed_entities == 1 and scenario.modified.reopened == 1
    erkin = scenario.erkin_reopened
    assert erkin.status == "open" and erkin.changed == ["names"] and erkin.snapshot == 3
    stale = scenario.match_stale
    assert stale["match"] is True and "suppressed" not in stale
    assert stale["decision"]["stale"] is True and stale["decision"]["changed"] == ["names"]


def test_the_audit_chain_verifies_and_an_edited_row_is_named(scenario: Scenario, tmp_path: Path) -> None:
    intact = cli("audit", "verify", "--db", scenario.db)
    assert intact.exit_code == 0 and "audit log intact" in intact.output
    actions = {row["action"] for row in audit.rows(Store(scenario.db))}
    assert {
        "watchlist.rows_added",
        "monitor.run",
        "alert.raised",
        "alert.reopened",
        "alert.closed",
    } <= actions
    assert "decision.recorded" in actions

    copy = tmp_path / "tampered.db"
    shutil.copy(scenario.db.removeprefix("sqlite:///"), copy)
    tampered = Store(f"sqlite:///{copy}")
    with tampered.engine.begin() as conn:
        target = conn.execute(
            select(audit_log.c.id).where(audit_log.c.action == "decision.recorded")
        ).scalar_one()
        conn.execute(audit_log.update().where(audit_log.c.id == target).values(actor="someone else"))
    broken = cli("audit", "verify", "--db", str(copy))
    assert broken.exit_code == 1
    assert f"row {target}" in broken.output and "changed after it was written" in broken.output
    exported = cli("audit", "export", "--db", str(copy), "--out", str(tmp_path / "audit.csv"))
    assert exported.exit_code == 0
    lines = (tmp_path / "audit.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "id,at,actor,action,subject,snapshots,details,prev_hash,hash"
    assert len(lines) - 1 == len(list(audit.rows(tampered)))


def test_alerts_are_listed_by_the_cli(scenario: Scenario) -> None:
    listed = cli("alerts", "--status", "all", "--json", "--db", scenario.db)
    assert listed.exit_code == 0
    shown = json.loads(listed.output)
    erkin = next(a for a in shown if a["entity_id"] == ERKIN)
    assert erkin["row"]["ref"] == "w01" and erkin["watchlist"] == "counterparties"
    assert erkin["snapshot"] == {"source": "ofac-sdn", "snapshot": 3, "published_at": None}
    assert erkin["decision"]["stale"] is True and erkin["decision"]["changed"] == ["names"]
    assert cli("alerts", "--status", "pending", "--db", scenario.db).exit_code == 2
