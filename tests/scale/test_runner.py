"""Sizing partitions and counting input rows before a run."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tamga.scale.runner import count_rows, make_engine, partition_rows


def test_partition_sizes() -> None:
    assert partition_rows(5_000, 2, None) == 625  # four partitions per worker
    assert partition_rows(1_000_000, 2, None) == 2_000  # capped
    assert partition_rows(5_000, 2, 6) == 834
    assert partition_rows(0, 2, None) == 1


def test_count_rows(tmp_path: Path) -> None:
    plain = tmp_path / "a.csv"
    plain.write_text("name\nA\nB\nC", encoding="utf-8")  # no newline at the end
    assert count_rows(plain) == 3
    packed = tmp_path / "a.csv.gz"
    packed.write_bytes(gzip.compress(b"name\nA\nB\n"))
    assert count_rows(packed) == 2
    table = tmp_path / "a.parquet"
    pq.write_table(pa.table({"name": ["A", "B", "C", "D"]}), table)
    assert count_rows(table) == 4


def test_unknown_engine() -> None:
    with pytest.raises(ValueError, match="unknown engine 'ray'"):
        make_engine("ray")
