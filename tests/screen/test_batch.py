"""`tamga screen` and `tamga eval`: the JSONL contract of DESIGN.md, CSV output, bad input."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tamga.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def db(lists: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('screen') / 'tamga.db'}"
    result = runner.invoke(app, ["ingest", str(lists / "ofac_sdn"), str(lists / "ofac_non_sdn"), "--db", url])
    assert result.exit_code == 0, result.stderr
    return url


def _input(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "in.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_jsonl_one_line_per_row_in_order(db: str, tmp_path: Path) -> None:
    path = _input(
        tmp_path,
        "case_id,name,schema,birth_date,country\n"
        "c1,Erkin Tuniyaz,Person,1961,CN\n"
        "c2,Jane Q. Example,Person,,\n"
        "c3,艾尔肯·吐尼亚孜,,,\n"
        "c4,Hikvision,Organization,,\n",
    )
    result = runner.invoke(app, ["screen", str(path), "--db", db, "--limit", "3", "--workers", "1"])
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["c1", "c2", "c3", "c4"]
    first = lines[0]
    assert first["query"] == {
        "name": "Erkin Tuniyaz",
        "schema": "Person",
        "birth_date": "1961",
        "country": "CN",
    }
    top = first["matches"][0]
    assert top["entity_id"] == "ofac-sdn:34119" and top["match"] is True
    assert set(top) >= {"entity_id", "name", "score", "match", "explanation"}
    assert top["explanation"]["matched_name"] in {"TUNIYAZ, Erkin", "TUNIYAZ, Erken"}
    assert {q["kind"] for q in top["explanation"]["qualifiers"]} == {"birth_date", "country"}
    for line in lines:
        scores = [m["score"] for m in line["matches"]]
        assert scores == sorted(scores, reverse=True) and len(scores) <= 3
        assert all(s >= 0.5 for s in scores)
    assert not any(m["match"] for m in lines[1]["matches"])
    assert lines[2]["matches"][0]["entity_id"] == "ofac-sdn:34119"
    assert lines[3]["matches"][0]["entity_id"] == "ofac-cons:30946"


def test_identifier_column(db: str, tmp_path: Path) -> None:
    path = _input(tmp_path, "id,name,identifier\n1,Hangzhou Digital,CNE100000PM8; 002415 CN\n")
    result = runner.invoke(app, ["screen", str(path), "--db", db, "--workers", "1"])
    assert result.exit_code == 0, result.stderr
    (line,) = [json.loads(x) for x in result.stdout.splitlines()]
    assert line["query"]["identifiers"] == ["CNE100000PM8", "002415 CN"]
    assert line["matches"][0]["entity_id"] == "ofac-cons:30946" and line["matches"][0]["match"]


def test_workers_give_the_same_output(db: str, tmp_path: Path) -> None:
    names = ["Erkin Tuniyaz", "Chen Quanguo", "Hikvision", "Xinjiang Public Security Bureau"] * 300
    path = _input(tmp_path, "id,name\n" + "".join(f"{i},{n}\n" for i, n in enumerate(names)))
    one = runner.invoke(app, ["screen", str(path), "--db", db, "--workers", "1"])
    two = runner.invoke(app, ["screen", str(path), "--db", db, "--workers", "2"])
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout
    assert len(one.stdout.splitlines()) == 1200


def test_csv_output(db: str, tmp_path: Path) -> None:
    path = _input(tmp_path, "id,name\n1,Shohrat Zakir\n2,Jane Q. Example\n")
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["screen", str(path), "--db", db, "--out", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows[0]["id"] == "1" and rows[0]["entity_id"] == "ofac-sdn:34079" and rows[0]["match"] == "true"
    assert rows[0]["rank"] == "1"
    assert any(r["id"] == "2" for r in rows)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("who,what\nA,B\n", "line 1"),
        ("id,name\n1,Erkin Tuniyaz\n2,\n", "line 3"),
        ("id,name,schema\n1,Erkin Tuniyaz,Company\n", "line 2"),
    ],
)
def test_bad_input_names_the_line(db: str, tmp_path: Path, text: str, where: str) -> None:
    path = _input(tmp_path, text)
    result = runner.invoke(app, ["screen", str(path), "--db", db])
    assert result.exit_code == 2
    assert str(path) in result.stderr and where in result.stderr
    assert result.stdout == ""


def test_eval_prints_figures(db: str, tmp_path: Path) -> None:
    path = _input(
        tmp_path,
        "case_id,group,query_name,schema,birth_date,country,expected_id\n"
        "a,uk,Erken Tuniyaz,Person,,,ofac-sdn:34119\n"
        "b,uk,Megvii Technology Ltd,Organization,,,ofac-cons:33091\n"
        "c,negative_person,Jane Q. Example,Person,,,\n",
    )
    result = runner.invoke(app, ["eval", str(path), "--db", db, "--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["overall"]["recall"] == 1.0
    assert data["overall"]["false_alert_rate"] == 0.0
    assert {g["group"] for g in data["groups"]} == {"uk", "negative_person"}
    text = runner.invoke(app, ["eval", str(path), "--db", db])
    assert "best recall at a false-alert rate <= 1%" in text.stdout
