"""Input and output of screening at scale: CSV or Parquet in, JSONL or Parquet out.

The reader streams the input in partitions of a fixed number of rows, so a file of 10⁸ names is
never held whole. Unlike :func:`tamga.screen.batch.read_rows`, which stops at the first bad row,
it sets a malformed row aside with its line (CSV) or row number (Parquet) and goes on: one bad
record among millions must not stop a night's run. A file that cannot be read at all, or lacks a
``name`` column, is still refused whole. Rows are checked by the same function as ``read_rows``
(:func:`~tamga.screen.batch.row_from_record`), so both accept and refuse the same rows.

Writers produce the same bytes whatever the partitioning: JSONL line by line, Parquet in row
groups of a fixed size.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import pyarrow as pa
import pyarrow.parquet as pq

from tamga.scale.partition import OUTPUT_SCHEMA, jsonl_lines, rows_table
from tamga.screen.batch import ID_COLUMNS, Row, row_from_record
from tamga.sources.base import InputFile, ParseError

PARTITION_ROWS = 2_000
ROW_GROUP_ROWS = 10_000
INPUT_FORMATS = (".csv", ".parquet")
OUTPUT_FORMATS = (".jsonl", ".parquet")


def input_format(path: Path) -> str:
    """``csv`` or ``parquet``, by the file's name (``.csv.gz`` is CSV)."""
    name = path.name.lower().removesuffix(".gz")
    if name.endswith(".parquet"):
        return "parquet"
    return "csv"


class InputReader:
    """Reads a CSV or Parquet file of queries in partitions, setting malformed rows aside.

    ``errors`` holds one :class:`~tamga.sources.base.ParseError` per malformed row (naming the
    file and the line or row), ``rows`` the count of rows read so far.
    """

    def __init__(self, path: Path, partition_rows: int = PARTITION_ROWS) -> None:
        self.path = Path(path)
        self.where = str(self.path)
        self.partition_rows = max(1, partition_rows)
        self.errors: list[ParseError] = []
        self.rows = 0
        self.partitions_read = 0
        self.format = input_format(self.path)

    def partitions(self) -> Iterator[pa.Table]:
        """Arrow tables of :data:`~tamga.scale.partition.INPUT_SCHEMA`, in input order."""
        chunk: list[Row] = []
        for row in self.read() if self.format == "csv" else self._read_parquet():
            chunk.append(row)
            if len(chunk) == self.partition_rows:
                self.partitions_read += 1
                yield rows_table(chunk)
                chunk = []
        if chunk:
            self.partitions_read += 1
            yield rows_table(chunk)

    def read(self) -> Iterator[Row]:
        """The well-formed rows of a CSV file, in order."""
        try:
            stream = InputFile.from_path(self.path).open()
        except OSError as exc:
            raise ParseError(self.where, None, f"cannot read file: {exc.strerror or exc}") from None
        with io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="") as text:
            yield from self._read_csv(text)

    def _read_csv(self, text: TextIO) -> Iterator[Row]:
        reader = csv.reader(text)
        try:
            header = next(reader, None)
        except (csv.Error, OSError, EOFError) as exc:
            raise ParseError(self.where, "line 1", f"not valid CSV: {exc}") from None
        columns = [c.strip() for c in header or []]
        if "name" not in columns:
            raise ParseError(self.where, "line 1", _no_name_column(columns))
        id_column = next((c for c in ID_COLUMNS if c in columns), None)
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:  # a NUL byte, a field over the size limit: that record only
                self._reject(reader.line_num, "line", f"not valid CSV: {exc}")
                continue
            except EOFError:  # a truncated gzip file
                self._reject(reader.line_num, "line", "file ends in the middle of a record")
                return
            line = reader.line_num
            if not fields:
                continue  # a blank line, as csv.DictReader skips it
            if len(fields) > len(columns):  # fewer are read as empty, as csv.DictReader reads them
                self._reject(line, "line", f"{len(fields)} fields, header has {len(columns)}")
                continue
            if any(_undecodable(f) for f in fields):
                self._reject(line, "line", "not valid UTF-8")
                continue
            record: dict[str, str | None] = dict.fromkeys(columns)
            record.update(zip(columns, fields, strict=False))
            row = self._accept(record, id_column, line, "line")
            if row is not None:
                yield row

    def _read_parquet(self) -> Iterator[Row]:
        try:
            file = pq.ParquetFile(self.path)
        except (OSError, pa.ArrowException) as exc:
            raise ParseError(self.where, None, f"not a readable Parquet file: {exc}") from None
        columns = file.schema_arrow.names
        if "name" not in columns:
            raise ParseError(self.where, None, _no_name_column(columns))
        id_column = next((c for c in ID_COLUMNS if c in columns), None)
        wanted = [
            c for c in ("name", "schema", "birth_date", "country", "identifier", id_column) if c in columns
        ]
        number = 0
        for batch in file.iter_batches(batch_size=self.partition_rows, columns=wanted):
            for record in batch.to_pylist():
                number += 1
                row = self._accept({k: _text(v) for k, v in record.items()}, id_column, number, "row")
                if row is not None:
                    yield row

    def _accept(
        self, record: dict[str, str | None], id_column: str | None, number: int, unit: str
    ) -> Row | None:
        try:
            row = row_from_record(record, id_column, self.where, f"{unit} {number}", number)
        except ParseError as exc:
            self.errors.append(exc)
            return None
        self.rows += 1
        return row

    def _reject(self, number: int, unit: str, message: str) -> None:
        self.errors.append(ParseError(self.where, f"{unit} {number}", message))


def _no_name_column(columns: list[str]) -> str:
    return f"no 'name' column (columns: {', '.join(columns) or 'none'})"


def _undecodable(field: str) -> bool:
    """Whether a field read with ``surrogateescape`` held bytes that are not UTF-8."""
    return not field.isascii() and any("\udc80" <= c <= "\udcff" for c in field)


def _text(value: Any) -> str | None:
    """A Parquet cell as the text a CSV cell would hold: numbers as written, lists joined by ";"."""
    if value is None:
        return None
    if isinstance(value, list):
        return ";".join(str(v) for v in value if v is not None)
    return str(value)


class JsonlWriter:
    """Writes output records as the JSON lines of the DESIGN.md contract."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def write(self, results: pa.Table) -> None:
        self.out.writelines(jsonl_lines(results))

    def close(self) -> None:
        self.out.flush()


class ParquetWriter:
    """Writes output records to one Parquet file in row groups of exactly ``row_group_rows`` rows
    (the last one excepted), so that the file's bytes do not depend on how the run was partitioned."""

    def __init__(self, path: Path, row_group_rows: int = ROW_GROUP_ROWS) -> None:
        self.row_group_rows = row_group_rows
        self._writer = pq.ParquetWriter(path, OUTPUT_SCHEMA, compression="zstd")
        self._pending: list[pa.Table] = []
        self._pending_rows = 0

    def write(self, results: pa.Table) -> None:
        self._pending.append(results)
        self._pending_rows += results.num_rows
        if self._pending_rows >= self.row_group_rows:
            table = pa.concat_tables(self._pending)
            whole = table.num_rows - table.num_rows % self.row_group_rows
            for start in range(0, whole, self.row_group_rows):
                self._writer.write_table(table.slice(start, self.row_group_rows), self.row_group_rows)
            rest = table.slice(whole)
            self._pending, self._pending_rows = [rest], rest.num_rows

    def close(self) -> None:
        if self._pending_rows:
            self._writer.write_table(pa.concat_tables(self._pending), self.row_group_rows)
        self._writer.close()


def write_errors(errors: list[ParseError], path: Path) -> None:
    """The malformed rows as CSV: where each one is and what is wrong with it."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("file", "location", "error"))
        writer.writerows((e.file, e.location or "", e.message) for e in errors)
