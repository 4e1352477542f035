"""Reading CSV and Parquet input in partitions, with malformed rows set aside, and writing output."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tamga.scale.io import InputReader, JsonlWriter, ParquetWriter, write_errors
from tamga.scale.partition import OUTPUT_SCHEMA, table_rows
from tamga.screen.batch import read_rows
from tamga.sources.base import ParseError


def _rows(reader: InputReader) -> list[tuple[int, str | None, str]]:
    return [(r.line, r.id, r.query.name) for t in reader.partitions() for r in table_rows(t)]


def test_csv_in_partitions_with_malformed_rows_set_aside(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(
        b"case_id,name,schema,identifier\n"
        b"a,Erkin Tuniyaz,Person,\n"
        b"b,,Person,\n"  # line 3: no name
        b"c,Acme,Company,\n"  # line 4: no such schema
        b'd,"Two\nLines",Organization,X1; X2\n'  # lines 5-6, a name across two lines
        b"e,Bad \xff byte,,\n"  # line 7: not UTF-8
        b"f,Too,Person,,many\n"  # line 8
        b"\n"
        b"g,Last One,,\n"
        b"h,Short Row\n"
    )
    reader = InputReader(path, partition_rows=2)
    tables = list(reader.partitions())
    assert [t.num_rows for t in tables] == [2, 2]
    assert [(r.line, r.id, r.query.name) for t in tables for r in table_rows(t)] == [
        (2, "a", "Erkin Tuniyaz"),
        (6, "d", "Two\nLines"),
        (10, "g", "Last One"),
        (11, "h", "Short Row"),
    ]
    assert table_rows(tables[0])[1].query.identifiers == ("X1", "X2")
    assert [(e.location, e.message) for e in reader.errors] == [
        ("line 3", "field 'name' is empty"),
        ("line 4", "field 'schema': 'Company' is not one of Person, Organization, Vessel, Aircraft"),
        ("line 7", "not valid UTF-8"),
        ("line 8", "5 fields, header has 4"),
    ]
    assert all(e.file == str(path) for e in reader.errors)
    assert reader.rows == 4


def test_the_same_rows_as_the_strict_reader(tmp_path: Path) -> None:
    path = tmp_path / "in.csv.gz"
    text = "\ufeffid,name,birth_date,country\n1,Chen Quanguo,1955,CN\n2, Shohrat Zakir ,,\n"
    path.write_bytes(gzip.compress(text.encode("utf-8")))
    reader = InputReader(path)
    assert [r for t in reader.partitions() for r in table_rows(t)] == read_rows(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"who,what\nA,B\n", "line 1: no 'name' column (columns: who, what)"), (b"", "no 'name' column")],
)
def test_a_file_without_names_is_refused_whole(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(content)
    with pytest.raises(ParseError, match=re.escape(message)):
        list(InputReader(path).partitions())


def test_a_missing_file_names_itself(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="cannot read file"):
        list(InputReader(tmp_path / "nowhere.csv").partitions())


def test_parquet_input_with_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "in.parquet"
    table = pa.table(
        {
            "id": [101, 102, 103, 104],
            "name": ["Erkin Tuniyaz", None, "Hikvision", "Acme"],
            "schema": ["Person", "Person", None, "Firm"],
            "identifier": [None, None, ["CNE100000PM8", "002415 CN"], []],
            "ignored": [1, 2, 3, 4],
        }
    )
    pq.write_table(table, path, row_group_size=3)
    reader = InputReader(path, partition_rows=10)
    rows = [r for t in reader.partitions() for r in table_rows(t)]
    assert [(r.line, r.id, r.query.name, r.query.identifiers) for r in rows] == [
        (1, "101", "Erkin Tuniyaz", ()),
        (3, "103", "Hikvision", ("CNE100000PM8", "002415 CN")),
    ]
    assert [str(e) for e in reader.errors] == [
        f"{path}: row 2: field 'name' is empty",
        f"{path}: row 4: field 'schema': 'Firm' is not one of Person, Organization, Vessel, Aircraft",
    ]


def test_a_broken_parquet_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "in.parquet"
    path.write_bytes(b"PAR1 not really")
    with pytest.raises(ParseError, match="not a readable Parquet file"):
        list(InputReader(path).partitions())


def _records(n: int) -> pa.Table:
    return pa.Table.from_pydict(
        {
            "line": list(range(2, n + 2)),
            "id": [f"c{i}" if i % 7 else None for i in range(n)],
            "query": [f'{{"name": "n{i}"}}' for i in range(n)],
            "matches": ["[]" if i % 3 else '[{"entity_id": "ofac-sdn:1"}]' for i in range(n)],
            "alerts": [i % 2 for i in range(n)],
        },
        schema=OUTPUT_SCHEMA,
    )


def test_parquet_bytes_do_not_depend_on_partitioning(tmp_path: Path) -> None:
    records = _records(2_345)
    outputs = []
    for sizes in ([2_345], [1, 999, 1_000, 345], [500] * 4 + [345]):
        path = tmp_path / f"out-{len(sizes)}.parquet"
        writer = ParquetWriter(path, row_group_rows=1_000)
        start = 0
        for size in sizes:
            writer.write(records.slice(start, size))
            start += size
        writer.close()
        outputs.append(path.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
    read = pq.read_table(tmp_path / "out-1.parquet")
    assert read.equals(records)
    assert [rg.num_rows for rg in (pq.ParquetFile(tmp_path / "out-1.parquet").metadata.row_group(i)
            for i in range(3))] == [1_000, 1_000, 345]  # fmt: skip


def test_jsonl_writer_and_error_list(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with open(out, "w", encoding="utf-8") as handle:
        writer = JsonlWriter(handle)
        writer.write(_records(3))
        writer.close()
    assert out.read_text(encoding="utf-8").splitlines() == [
        '{"id": null, "query": {"name": "n0"}, "matches": [{"entity_id": "ofac-sdn:1"}]}',
        '{"id": "c1", "query": {"name": "n1"}, "matches": []}',
        '{"id": "c2", "query": {"name": "n2"}, "matches": []}',
    ]
    errors = tmp_path / "errors.csv"
    write_errors([ParseError("in.csv", "line 3", "field 'name' is empty")], errors)
    assert errors.read_text(encoding="utf-8").splitlines() == [
        "file,location,error",
        "in.csv,line 3,field 'name' is empty",
    ]
