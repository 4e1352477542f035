"""`tamga screen --engine`: Parquet in and out, malformed rows reported with their line, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from tamga.cli import app

runner = CliRunner()


def test_malformed_rows_are_reported_not_fatal(ofac_url: str, tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(
        "case_id,name,schema\nc1,Erkin Tuniyaz,Person\nc2,,Person\nc3,Hikvision,Organization\nc4,Acme,Firm\n",
        encoding="utf-8",
    )
    out, errors = tmp_path / "out.parquet", tmp_path / "errors.csv"
    args = ["screen", str(path), "--db", ofac_url, "--engine", "local", "--workers", "1"]
    result = runner.invoke(app, [*args, "--out", str(out), "--errors", str(errors)])
    assert result.exit_code == 0, result.stderr
    assert f"{path}: line 3: field 'name' is empty" in result.stderr
    assert f"{path}: line 5: field 'schema': 'Firm'" in result.stderr
    assert "screened 2 rows" in result.stderr and "2 malformed rows set aside" in result.stderr
    assert "2 alerts" in result.stderr and "rows/s" in result.stderr
    table = pq.read_table(out)
    assert table.column("id").to_pylist() == ["c1", "c3"]
    assert table.column("line").to_pylist() == [2, 4]
    assert json.loads(table.column("matches")[0].as_py())[0]["entity_id"] == "ofac-sdn:34119"
    assert errors.read_text(encoding="utf-8").count("\n") == 3

    # The Parquet output read back as input: row numbers replace lines, JSON lines on stdout.
    names = tmp_path / "names.parquet"
    pq.write_table(pa.table({"id": ["c1", "c3"], "name": ["Erkin Tuniyaz", "Hikvision"]}), names)
    result = runner.invoke(app, ["screen", str(names), "--db", ofac_url, "--workers", "1"])
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["c1", "c3"]
    assert lines[1]["matches"][0]["entity_id"] == "ofac-cons:30946"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--engine", "ray"], "--engine: 'ray' is not one of local, dask, spark"),
        (["--engine", "local", "--out", "out.csv"], "must end in .jsonl or .parquet with --engine"),
        (["--engine", "local", "--scheduler", "tcp://127.0.0.1:1"], "the local engine takes no scheduler"),
    ],
)
def test_bad_options_exit_2(ofac_url: str, tmp_path: Path, args: list[str], message: str) -> None:
    path = tmp_path / "in.csv"
    path.write_text("name\nErkin Tuniyaz\n", encoding="utf-8")
    result = runner.invoke(app, ["screen", str(path), "--db", ofac_url, *args])
    assert result.exit_code == 2
    assert message in result.stderr


def test_a_file_without_names_exits_2(ofac_url: str, tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("who,what\nA,B\n", encoding="utf-8")
    result = runner.invoke(
        app, ["screen", str(path), "--db", ofac_url, "--engine", "local", "--workers", "1"]
    )
    assert result.exit_code == 2
    assert f"{path}: line 1: no 'name' column" in result.stderr
    assert result.stdout == ""
