"""The per-partition function: the same records, and the same JSON text, as batch screening."""

from __future__ import annotations

import io
import json

import pyarrow as pa

from tamga.match.screener import Query, Screener
from tamga.scale.partition import (
    INPUT_SCHEMA,
    OUTPUT_SCHEMA,
    jsonl_lines,
    rows_table,
    screen_partition,
    table_rows,
)
from tamga.screen.batch import Row, screen_rows, write_jsonl

ROWS = [
    Row(2, "c1", Query("Erkin Tuniyaz", "Person", "1961", "CN")),
    Row(3, None, Query("艾尔肯·吐尼亚孜")),
    Row(5, "c3", Query("Hangzhou Digital", identifiers=("CNE100000PM8", "002415 CN"))),
    Row(6, "c4", Query("Jane Q. Example", "Person")),
    Row(7, 'quote " and \\ in an id', Query("Hikvision", "Organization")),
]


def test_rows_survive_the_arrow_table() -> None:
    table = rows_table(ROWS)
    assert table.schema == INPUT_SCHEMA
    assert table_rows(table) == ROWS


def test_records_are_the_jsonl_contract_byte_for_byte(screener: Screener) -> None:
    results = screen_partition(rows_table(ROWS), screener, None, 10)
    assert results.schema == OUTPUT_SCHEMA
    assert results.column("line").to_pylist() == [2, 3, 5, 6, 7]
    expected = io.StringIO()
    write_jsonl(screen_rows(screener, ROWS, None, 10, workers=1), expected)
    assert "".join(jsonl_lines(results)) == expected.getvalue()
    first = json.loads(next(iter(jsonl_lines(results))))
    assert first["matches"][0]["entity_id"] == "ofac-sdn:34119" and first["matches"][0]["match"] is True


def test_alerts_count_the_matches_at_or_above_the_threshold(screener: Screener) -> None:
    results = screen_partition(rows_table(ROWS), screener, 0.86, 5)
    for alerts, found in zip(
        results.column("alerts").to_pylist(), results.column("matches").to_pylist(), strict=True
    ):
        matches = json.loads(found)
        assert len(matches) <= 5
        assert alerts == sum(m["match"] for m in matches)
    assert results.column("alerts").to_pylist()[0] >= 1
    assert results.column("alerts").to_pylist()[3] == 0  # Jane Q. Example


def test_an_empty_partition_gives_an_empty_table(screener: Screener) -> None:
    results = screen_partition(INPUT_SCHEMA.empty_table(), screener, None, 10)
    assert results.num_rows == 0 and results.schema == OUTPUT_SCHEMA
    assert isinstance(results, pa.Table)
