"""Monitoring over HTTP: watchlists, runs, alerts, decisions (the contract the web interface uses),
the audit log; one-off /match and /screen honouring decisions; and the server re-screening the
watchlists by itself after another process ingests a list."""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tamga.api import create_app
from tamga.ingest import ingest
from tamga.monitor.alerts import list_alerts
from tamga.store import Store
from tests.api.conftest import READY_TIMEOUT

WATCHLIST = """id,name,schema,birth_date
w1,Erkin Tuniyaz,Person,1961
w2,Hikvision,Organization,
w3,Jane Q. Example,,
"""
ERKIN = "ofac-sdn:34119"


@pytest.fixture(scope="module")
def served(api_db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict]]:
    path = tmp_path_factory.mktemp("cases") / "tamga.db"
    path.write_bytes(api_db_path.read_bytes())
    store = Store(f"sqlite:///{path}")
    app = create_app(store.url, auth=True, poll_interval=3600)
    with TestClient(app) as client:
        assert app.state.holder.wait_ready(READY_TIMEOUT)
        key = store.create_api_key("analyst")
        yield client, {"Authorization": f"ApiKey {key}"}


def test_watchlists_are_made_filled_and_refused_with_reasons(served: tuple[TestClient, dict]) -> None:
    client, auth = served
    assert client.get("/watchlists").status_code == 401
    made = client.post("/watchlists", json={"name": "onboarding"}, headers=auth)
    assert made.status_code == 201 and made.json()["rows"] == 0 and made.json()["created_by"] == "analyst"
    assert client.post("/watchlists", json={"name": "onboarding"}, headers=auth).status_code == 409
    assert client.post("/watchlists", json={"name": "on boarding"}, headers=auth).status_code == 422
    csv_body = {**auth, "Content-Type": "text/csv"}
    bad = client.post("/watchlists/onboarding/rows", content=b"id,name\n1,\n", headers=csv_body)
    assert bad.status_code == 400 and bad.json()["location"] == "line 2"
    added = client.post("/watchlists/suppliers/rows", content=WATCHLIST.encode(), headers=csv_body)
    assert added.status_code == 201 and added.json()["added"] == 3  # made by its first rows
    files = {"file": ("more.csv", b"id,name\nw4,Zhu Hailun\n", "text/csv")}
    more = client.post("/watchlists/onboarding/rows", files=files, headers=auth)
    assert more.status_code == 200 and more.json()["added"] == 1
    listed = {w["name"]: w["rows"] for w in client.get("/watchlists", headers=auth).json()["watchlists"]}
    assert listed == {"onboarding": 1, "suppliers": 3}
    removed = client.delete("/watchlists/onboarding", headers=auth)
    assert removed.json() == {"watchlist": "onboarding", "rows": 1, "alerts": 0}
    assert client.delete("/watchlists/onboarding", headers=auth).status_code == 404


def test_alerts_decisions_and_one_off_screening(served: tuple[TestClient, dict]) -> None:
    client, auth = served
    client.post(
        "/watchlists/suppliers/rows", content=WATCHLIST.encode(), headers={**auth, "Content-Type": "text/csv"}
    )
    run = client.post("/monitor/run", headers=auth).json()
    assert run["mode"] in ("delta", "full") and run["raised"] >= 2
    alerts = client.get("/alerts", params={"watchlist": "suppliers"}, headers=auth).json()
    assert alerts["total"] == len(alerts["alerts"]) >= 2
    erkin = next(a for a in alerts["alerts"] if a["entity_id"] == ERKIN)
    assert (
        erkin["row"]["ref"] == "w1"
        and erkin["snapshot"]["source"] == "ofac-sdn"
        and erkin["decision"] is None
    )
    assert client.get(f"/alerts/{erkin['id']}", headers=auth).json()["explanation"]["matched_name"]
    assert client.get("/alerts/999999", headers=auth).status_code == 404

    decide = f"/alerts/{erkin['id']}/decision"
    assert client.post(decide, json={"decision": "false_positive"}, headers=auth).status_code == 422
    wrong = client.post(decide, json={"decision": "maybe", "reason": "?"}, headers=auth)
    assert wrong.status_code == 422 and wrong.json()["field"] == "decision"
    made = client.post(decide, json={"decision": "false_positive", "reason": "a namesake"}, headers=auth)
    assert made.status_code == 201
    body = made.json()
    assert body["decided_by"] == "analyst" and body["stale"] is False and body["alert"]["status"] == "closed"
    assert (
        client.get("/alerts", params={"status": "closed"}, headers=auth).json()["alerts"][0]["id"]
        == erkin["id"]
    )

    # The decision holds for one-off screening of the same name: yente /match and /screen.
    query = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Erkin Tuniyaz"]}}}}
    found = client.post("/match/default", json=query, headers=auth).json()["responses"]["q"]["results"]
    top = next(r for r in found if r["id"] == ERKIN)
    assert top["match"] is False and top["suppressed"] is True and top["decision"]["id"] == body["id"]
    lines = client.post(
        "/screen",
        content=b"id,name\n1,erkin  TUNIYAZ\n2,Zhu Hailun\n",
        headers={**auth, "Content-Type": "text/csv"},
    ).text.splitlines()
    first, second = (json.loads(line) for line in lines)
    screened = next(m for m in first["matches"] if m["entity_id"] == ERKIN)
    assert screened["match"] is False and screened["suppressed"] is True
    assert screened["decision"]["reason"] == "a namesake" and screened["decision"]["stale"] is False
    assert all(m["decision"] is None for m in second["matches"])
    as_csv = client.post(
        "/screen",
        content=b"id,name\n1,erkin  TUNIYAZ\n",
        headers={**auth, "Content-Type": "text/csv"},
        params={"format": "csv"},
    ).text
    row = next(r for r in csv.DictReader(io.StringIO(as_csv)) if r["entity_id"] == ERKIN)
    assert (row["match"], row["decision"], row["decision_stale"], row["suppressed"]) == (
        "false", "false_positive", "false", "true"
    )  # fmt: skip


def test_the_decisions_contract(served: tuple[TestClient, dict]) -> None:
    client, auth = served
    pair = {"name": "Zhu Hailun", "entity_id": "ofac-sdn:29219"}
    missing = client.post("/decisions", json={**pair, "decision": "match"}, headers=auth)
    assert missing.status_code == 422
    unknown = client.post(
        "/decisions",
        json={**pair, "entity_id": "ofac-sdn:1", "decision": "match", "reason": "r"},
        headers=auth,
    )
    assert unknown.status_code == 404 and "ofac-sdn:1" in unknown.json()["detail"]
    first = client.post("/decisions", json={**pair, "decision": "match", "reason": "same DOB"}, headers=auth)
    assert first.status_code == 201
    assert set(first.json()) == {
        "id",
        "name",
        "entity_id",
        "decision",
        "reason",
        "decided_by",
        "decided_at",
        "stale",
    }
    assert first.json()["decided_by"] == "analyst" and first.json()["stale"] is False
    later = client.post(
        "/decisions",
        json={**pair, "decision": "false_positive", "reason": "other man", "by": "lead"},
        headers=auth,
    )
    assert later.json()["decided_by"] == "lead"
    listed = client.get("/decisions", params=pair, headers=auth).json()["decisions"]
    assert [d["id"] for d in listed] == [later.json()["id"], first.json()["id"]]  # newest first
    assert all(d["stale"] is False and d["changed"] == [] for d in listed)


def test_the_audit_log_over_http(served: tuple[TestClient, dict]) -> None:
    client, auth = served
    checked = client.get("/audit/verify", headers=auth).json()
    assert checked["ok"] is True and checked["rows"] > 0 and len(checked["head"]) == 64
    exported = client.get("/audit/export", headers=auth)
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert len(rows) == checked["rows"] and rows[-1]["hash"] == checked["head"]
    assert {r["actor"] for r in rows} == {
        "analyst",
        "tamga serve",
    }  # the key's name, and the server's own runs
    assert {r["action"] for r in rows if r["actor"] == "tamga serve"} == {"monitor.run"}


def test_the_server_rescreens_the_watchlists_after_an_ingest(db_copy: str, lists: Path) -> None:
    app = create_app(db_copy, auth=False, poll_interval=0.05)
    store = Store(db_copy)
    with TestClient(app) as client:
        assert app.state.holder.wait_ready(READY_TIMEOUT)
        names = b"id,name\nu1,Frank Kakolele Bwambale\nu2,Erkin Tuniyaz\n"
        client.post("/watchlists/un-watch/rows", content=names, headers={"Content-Type": "text/csv"})
        deadline = time.monotonic() + READY_TIMEOUT
        while not list_alerts(store, "all")[0] and time.monotonic() < deadline:
            time.sleep(0.05)  # the new rows are screened by the server itself
        assert {a.row.ref for a in list_alerts(store, "all")[0]} == {"u2"}
        ingest(Store(db_copy), [lists / "un_sc"])  # as `tamga ingest` in another process
        while len(list_alerts(store, "all")[0]) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        found = {a.row.ref: a for a in list_alerts(store, "all")[0]}
        assert found["u1"].entity_id.startswith("un-sc:") and found["u1"].source == "un-sc"
        report = app.state.monitoring.last
        assert report.snapshots["un-sc"] == {"from": 0, "to": 1} and report.rows_delta == 2
        run = client.post("/monitor/run").json()
        assert run["mode"] == "idle"
        anonymous = client.get("/audit/export").text
        assert "tamga serve" in anonymous and "anonymous" in anonymous
