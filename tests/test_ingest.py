"""Ingest of the real official files, through the CLI as a user runs it."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tamga.cli import app
from tamga.ingest import ingest
from tamga.store import Store

runner = CliRunner()


def tamga(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def loaded(lists: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """One SQLite store with the OFAC SDN and non-SDN sets and the UN list, ingested by the CLI."""
    db = f"sqlite:///{tmp_path_factory.mktemp('store') / 'tamga.db'}"
    code, _out, err = tamga("ingest", str(lists / "ofac_sdn"), str(lists / "ofac_non_sdn"), "--db", db)
    assert code == 0, err
    code, _out2, err = tamga("ingest", str(lists / "un_sc" / "consolidated.xml"), "--db", db)
    assert code == 0, err
    return db


def test_counts_of_the_official_lists(loaded: str) -> None:
    code, out, _ = tamga("sources", "--json", "--db", loaded)
    assert code == 0
    by_source = {s["source"]: s for s in json.loads(out)}
    sdn = by_source["ofac-sdn"]
    assert sdn["entities"] == 14965
    assert sdn["latest"]["counts"]["schemata"] == {
        "Aircraft": 376,
        "Organization": 6884,
        "Person": 6854,
        "Vessel": 851,
    }
    assert by_source["ofac-cons"]["entities"] == 442
    un = by_source["un-sc"]["latest"]["counts"]["schemata"]
    assert un == {"Organization": 273, "Person": 730}
    assert by_source["un-sc"]["latest"]["published_at"].startswith("2026-02-27")


def test_show_erkin_tuniyaz_with_all_spellings(loaded: str) -> None:
    code, out, _ = tamga("show", "ofac-sdn:34119", "--json", "--db", loaded)
    assert code == 0
    data = json.loads(out)
    assert [n["full"] for n in data["names"]] == [
        "TUNIYAZ, Erken",
        "TUNIYAZ, Erkin",
        "TUNIYAZI, Arkin",
        "TUNIYAZI, Aierken",
        "TUNIAZ, Alken",
    ]
    assert data["names"][0]["family"] == "TUNIYAZ" and data["names"][0]["given"] == "Erken"
    assert {d["program"] for d in data["designations"]} == {"GLOMAG"}
    assert data["birth_dates"] == ["1961-12"]


def test_show_hikvision_carries_its_isin(loaded: str) -> None:
    code, out, _ = tamga("show", "ofac-cons:30946", "--json", "--db", loaded)
    assert code == 0
    data = json.loads(out)
    isins = [i for i in data["identifiers"] if i["scheme"] == "isin"]
    assert [i["value"] for i in isins] == ["CNE100000PM8"]
    assert isins[0]["valid"] is True
    assert {(d["list"], d["program"]) for d in data["designations"]} == {("NS-CMIC", "CMIC-EO13959")}
    code, text, _ = tamga("show", "ofac-cons:30946", "--db", loaded)
    assert "CNE100000PM8" in text and "HANGZHOU HIKVISION" in text


def test_unknown_id_is_bad_input(loaded: str) -> None:
    code, _, err = tamga("show", "ofac-sdn:999999999", "--db", loaded)
    assert code == 2
    assert "ofac-sdn:999999999" in err


def test_reingesting_identical_files_makes_no_snapshot(loaded: str, lists: Path) -> None:
    code, out, _ = tamga("ingest", str(lists / "un_sc" / "consolidated.xml"), "--db", loaded)
    assert code == 0
    assert "unchanged" in out
    code, out, _ = tamga("sources", "--json", "--db", loaded)
    assert {s["source"]: s["snapshots"] for s in json.loads(out)}["un-sc"] == 1


def test_2021_designations_appear_as_additions(lists: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 't.db'}"
    assert tamga("ingest", str(lists / "ofac_sdn" / "2021-07_watchman_bench"), "--db", db)[0] == 0
    assert tamga("ingest", str(lists / "ofac_sdn"), "--db", db)[0] == 0
    code, out, _ = tamga("diff", "ofac-sdn", "--json", "--db", db)
    assert code == 0
    diff = json.loads(out)
    assert diff["from"]["snapshot"] == 1 and diff["to"]["snapshot"] == 2
    added = {c["id"]: c["caption"] for c in diff["added"]}
    assert added["ofac-sdn:34079"] == "ZAKIR, Shohrat"
    assert added["ofac-sdn:34119"] == "TUNIYAZ, Erken"
    assert len(added) > 5000  # three years of designations
    assert diff["removed"], "delistings between 2021 and 2024 show as removals"
    changed_fields = {f for c in diff["changed"] for f in c["fields"]}
    assert "names" in changed_fields
    code, text, _ = tamga("diff", "ofac-sdn", "--from", "1", "--to", "2", "--db", db)
    assert "+ ofac-sdn:34119  TUNIYAZ, Erken" in text
    # The older state is still there to read.
    assert tamga("show", "ofac-sdn:34119", "--snapshot", "1", "--db", db)[0] == 2
    assert tamga("show", "ofac-sdn:34119", "--snapshot", "2", "--db", db)[0] == 0


def test_files_of_a_set_can_be_ingested_one_by_one(lists: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 't.db'}"
    code, _, err = tamga("ingest", str(lists / "ofac_sdn" / "alt.csv"), "--db", db)
    assert code == 2 and "primary" in err
    assert tamga("ingest", str(lists / "ofac_sdn" / "sdn.csv"), "--db", db)[0] == 0
    store = Store(db)
    assert [n.full for n in store.entity("ofac-sdn:34119").names] == ["TUNIYAZ, Erken"]
    code, _out, _ = tamga("ingest", str(lists / "ofac_sdn" / "alt.csv"), "--db", db)
    assert code == 0
    assert len(store.entity("ofac-sdn:34119").names) == 5
    assert set(store.files("ofac-sdn")) == {"primary", "alt"}
    diff = store.diff("ofac-sdn")
    assert not diff.added and not diff.removed
    assert {f.field for c in diff.changed for f in c.fields} == {"names"}


def _digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def _break(kind: str, lists: Path, tmp_path: Path) -> tuple[Path, str]:
    """A broken copy of a real file, and the location the error must name."""
    if kind == "cut-xml":
        text = (lists / "un_sc" / "consolidated.xml").read_text(encoding="utf-8")
        bad = tmp_path / "consolidated.xml"
        bad.write_text(text[: len(text) // 2], encoding="utf-8")
        return bad, "line"
    lines = (lists / "ofac_non_sdn" / "cons_prim.csv").read_bytes().split(b"\r\n")
    bad = tmp_path / "cons_prim.csv"
    if kind == "columns":
        lines[99] = lines[99] + b',"extra"'
    else:
        lines[99] = lines[99].replace(b"-0- ", b"\xff\xfe", 1)
    bad.write_bytes(b"\r\n".join(lines))
    return bad, "line 100"


@pytest.mark.parametrize("kind", ["cut-xml", "columns", "bad-utf8"])
def test_malformed_files_exit_2_and_leave_the_store_unchanged(
    kind: str, loaded: str, lists: Path, tmp_path: Path
) -> None:
    store_file = tmp_path / "copy.db"
    shutil.copy(loaded.removeprefix("sqlite:///"), store_file)
    before = _digest(store_file)
    bad, where = _break(kind, lists, tmp_path)
    code, _, err = tamga("ingest", str(bad), "--db", f"sqlite:///{store_file}")
    assert code == 2
    assert str(bad) in err.replace("\n", "")
    assert where in err
    assert _digest(store_file) == before
    # A store that did not exist is not created by a failed ingest.
    fresh = tmp_path / "never.db"
    assert tamga("ingest", str(bad), "--db", f"sqlite:///{fresh}")[0] == 2
    assert not fresh.exists()


def test_unknown_files_are_named(tmp_path: Path) -> None:
    junk = tmp_path / "notes.csv"
    junk.write_text("a,b,c\n1,2,3\n")
    code, _, err = tamga("ingest", str(junk), "--db", f"sqlite:///{tmp_path / 't.db'}")
    assert code == 2
    assert "notes.csv" in err
    code, _, err = tamga("ingest", str(tmp_path / "missing.csv"), "--db", f"sqlite:///{tmp_path / 't.db'}")
    assert code == 2 and "no such file" in err


def test_real_ingest_on_every_backend(store: Store, lists: Path) -> None:
    """The same ingest and diff on SQLite and PostgreSQL."""
    calls: list[tuple[str, int]] = []
    report = ingest(store, [lists / "ofac_non_sdn"], progress=lambda source, n: calls.append((source, n)))
    assert calls[-2] == ("ofac-cons", 442) and calls[-1] == ("store", -1)
    (outcome,) = report.outcomes
    assert outcome.snapshot.counts["entities"] == 442
    assert any("consolidated.xml" in s for s in report.skipped)
    hik = store.entity("ofac-cons:30946")
    assert "CNE100000PM8" in {i.value for i in hik.identifiers}
    again = ingest(store, [lists / "ofac_non_sdn"])
    assert again.outcomes[0].unchanged
    xml = ingest(store, [lists / "ofac_non_sdn" / "consolidated.xml"])
    assert xml.outcomes[0].snapshot.seq == 2
    assert xml.outcomes[0].snapshot.published_at == "2026-01-08"
    diff = store.diff("ofac-cons")
    assert len(diff.added) + len(diff.removed) < 10
