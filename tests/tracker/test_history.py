"""A subject's timeline across jurisdictions, found by id or by any spelling."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tamga.cli import app
from tamga.store import Store
from tamga.tracker import Tracker, TrackerError
from tamga.tracker.history import timeline

runner = CliRunner()


def history(db: str, *args: str) -> dict:
    result = runner.invoke(app, ["history", *args, "--json", "--db", db])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_erkin_tuniyaz_us_2021_and_canada_2024_one_subject(tracker_db: str) -> None:
    data = history(tracker_db, "Erkin Tuniyaz")
    members = {m["entity_id"] for m in data["members"]}
    assert members == {"curated:erkin-tuniyaz", "ofac-sdn:34119"}
    listed = {(e["jurisdiction"], e["date"]) for e in data["timeline"] if e["event"] == "listed"}
    assert ("US", "2021-12-10") in listed
    assert ("CA", "2024-12-10") in listed
    dates = [e["date"] for e in data["timeline"] if e["date"]]
    assert dates == sorted(dates)
    ofac = next(m for m in data["members"] if m["entity_id"] == "ofac-sdn:34119")
    assert ofac["caption"] != data["caption"]  # joined despite different spellings…
    assert ofac["evidence"] and ofac["evidence"][0]["with"] == "curated:erkin-tuniyaz"  # …and says why


def test_other_spellings_and_ids_find_the_same_subject(tracker: Tracker) -> None:
    subject = tracker.find("ofac-sdn:34119")
    assert tracker.find("curated:erkin-tuniyaz") is subject
    assert tracker.find("Alken Tuniaz") is subject
    assert tracker.find("艾尔肯·吐尼亚孜") is subject
    with pytest.raises(TrackerError, match="Qqqxz Vvbnm"):
        tracker.find("Qqqxz Vvbnm")


def test_snapshot_dated_events_say_so(tracker: Tracker, tracker_db: str) -> None:
    subject = tracker.find("ofac-sdn:34119")
    seen = [e for e in timeline(subject, Store(tracker_db)) if e.entity_id == "ofac-sdn:34119"]
    assert seen and all(e.dated_by == "snapshot" for e in seen)
    assert seen[0].event == "listed" and seen[0].detail and "snapshot 1" in seen[0].detail


def test_unknown_subject_is_bad_input(small_db_copy: str) -> None:
    result = runner.invoke(app, ["history", "Qqqxz Vvbnm", "--db", small_db_copy])
    assert result.exit_code == 2 and "Qqqxz Vvbnm" in result.stderr


def test_history_draws_its_chart(small_db_copy: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "zhu.png"
    result = runner.invoke(app, ["history", "curated:zhu-hailun", "--chart", str(out), "--db", small_db_copy])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\x89PNG")
    assert "2021-03-22" in result.stdout and "EU" in result.stdout
