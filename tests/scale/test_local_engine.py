"""The local engine: the 5,000-row input on two processes, and on one, gives the same output."""

from __future__ import annotations

import json
from pathlib import Path

from tamga.scale.local_engine import LocalEngine
from tamga.scale.payload import IndexPayload
from tamga.scale.runner import screen_file

from .conftest import HEAD_ROWS, ROWS


def test_one_record_per_wellformed_row_in_input_order(local_output: Path, customers: Path) -> None:
    lines = [json.loads(line) for line in local_output.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == ROWS
    ids = [line["id"] for line in lines]
    assert ids == sorted(ids) and len(set(ids)) == ROWS  # input order: the ids count up
    assert all(line["matches"] == sorted(line["matches"], key=lambda m: -m["score"]) for line in lines)


def test_planted_names_are_found(local_output: Path, truth: dict[str, str]) -> None:
    found = 0
    for line in map(json.loads, local_output.read_text(encoding="utf-8").splitlines()):
        expected = truth.get(line["id"])
        if expected is not None:
            found += any(m["entity_id"] == expected and m["match"] for m in line["matches"])
    assert len(truth) == ROWS // 100
    assert found >= 0.8 * len(truth)


def test_one_process_gives_the_same_bytes(
    local_output: Path, head_customers: Path, payload: IndexPayload, tmp_path: Path
) -> None:
    out = tmp_path / "one.jsonl"
    summary = screen_file(head_customers, out, payload, LocalEngine(workers=1), partitions=3)
    assert summary.partitions == 3 and summary.workers == 1 and summary.rows == HEAD_ROWS
    assert [e.location for e in summary.errors] == ["line 12"]
    assert out.read_bytes().splitlines() == local_output.read_bytes().splitlines()[:HEAD_ROWS]
    assert not out.with_name("one.jsonl.partial").exists()
