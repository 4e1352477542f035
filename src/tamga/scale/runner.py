"""A file of names screened on an engine: read, partition, ship the index, screen, write, sum up.

This is the one call behind ``tamga screen --engine``: the CLI only shows its progress and prints
its summary. The output holds one record per well-formed input row, in input order, whichever
engine ran it; malformed rows are set aside with their line or row number.
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import pyarrow as pa
import pyarrow.parquet as pq

from tamga.match.screener import Screener
from tamga.model import Entity
from tamga.monitor.decisions import DecisionBook, annotate
from tamga.scale.engine import ENGINES, Engine, Progress
from tamga.scale.io import PARTITION_ROWS, InputReader, JsonlWriter, ParquetWriter, input_format
from tamga.scale.payload import IndexPayload, pack
from tamga.sources.base import InputFile, ParseError

PARTITIONS_PER_WORKER = 4  # enough that a slow partition does not leave the other workers idle


@dataclass
class ScreenSummary:
    engine: str
    workers: int
    partitions: int
    rows: int  # rows screened
    alerts: int  # rows with at least one candidate at or above the threshold
    seconds: float
    payload_bytes: int
    errors: list[ParseError] = field(default_factory=list)  # malformed rows, set aside
    warnings: list[str] = field(default_factory=list)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0


def make_engine(name: str, scheduler: str | None = None, workers: int | None = None) -> Engine:
    """The engine called ``name``; ``scheduler`` is a Dask scheduler address or a Spark master URL."""
    if name == "local":
        from tamga.scale.local_engine import LocalEngine

        if scheduler is not None:
            raise ValueError("the local engine takes no scheduler address")
        return LocalEngine(workers)
    if name == "dask":
        try:
            from tamga.scale.dask_engine import DaskEngine
        except ImportError:
            raise ImportError("the Dask engine needs Dask: pip install 'tamga[dask]'") from None
        return DaskEngine(scheduler, workers)
    if name == "spark":
        from tamga.scale.spark_engine import SparkEngine

        return SparkEngine(scheduler, workers)
    raise ValueError(f"unknown engine {name!r} (one of {', '.join(ENGINES)})")


def count_rows(path: Path) -> int:
    """Rows in the input, to size partitions and the progress bar: Parquet's own count, or the
    lines of a CSV file less its header (a quoted field spanning lines makes this an estimate)."""
    if input_format(path) == "parquet":
        try:
            return pq.ParquetFile(path).metadata.num_rows
        except (OSError, pa.ArrowException) as exc:
            raise ParseError(str(path), None, f"not a readable Parquet file: {exc}") from None
    lines, last = 0, b"\n"
    try:
        with InputFile.from_path(path).open() as stream:
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                lines += chunk.count(b"\n")
                last = chunk[-1:]
    except (OSError, EOFError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise ParseError(str(path), None, f"cannot read file: {reason}") from None
    return max(0, lines + (last != b"\n") - 1)


def check_input(path: Path) -> None:
    """Read the header and the first rows of ``path``, so that a file that cannot be read, or has
    no ``name`` column, is refused before anything costly (building the index, starting workers)."""
    next(InputReader(path, 1).partitions(), None)


def partition_rows(rows: int, workers: int, partitions: int | None) -> int:
    """Rows per partition: ``rows / partitions`` if given, else enough partitions to keep every
    worker busy to the end, of at most :data:`~tamga.scale.io.PARTITION_ROWS` rows each."""
    if partitions:
        return max(1, math.ceil(rows / partitions))
    return max(1, min(PARTITION_ROWS, math.ceil(rows / (PARTITIONS_PER_WORKER * max(1, workers)))))


def screen_file(
    input_path: Path,
    out: Path | None,
    screener: Screener | IndexPayload,
    engine: Engine,
    threshold: float | None = None,
    limit: int = 10,
    partitions: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    stdout: TextIO | None = None,
    decorate: Callable[[pa.Table], pa.Table] | None = None,
) -> ScreenSummary:
    """Screen every well-formed row of ``input_path`` (CSV or Parquet) on ``engine`` into ``out``
    (``.jsonl`` or ``.parquet``; JSON lines on ``stdout`` when ``out`` is None). ``progress`` is
    called with the rows just finished and the rows expected in all; ``decorate`` may change each
    table of results on this process before it is written (:func:`with_decisions`).

    The output is written to ``out`` with a ``.partial`` suffix and renamed when complete, so a
    failed run never leaves a file that looks finished. Raises :class:`ParseError` when the input
    cannot be read at all or has no ``name`` column.
    """
    if out is not None and out.suffix.lower() not in (".jsonl", ".parquet"):
        raise ValueError(f"--out: {out} must end in .jsonl or .parquet")
    started = time.perf_counter()
    payload = screener if isinstance(screener, IndexPayload) else pack(screener)
    total = count_rows(input_path)
    reader = InputReader(input_path, partition_rows(total, engine.workers, partitions))
    batches = reader.partitions()
    first = next(batches, None)  # reads the header: an unreadable file fails before any output
    partial = None if out is None else out.with_name(out.name + ".partial")
    rows = alerts = 0
    try:
        with ExitStack() as closing:
            if partial is None:
                writer: JsonlWriter | ParquetWriter = JsonlWriter(stdout or sys.stdout)
            elif input_format(partial.with_suffix("")) == "parquet":
                writer = ParquetWriter(partial)
            else:
                writer = JsonlWriter(closing.enter_context(open(partial, "w", encoding="utf-8", newline="")))
            report: Progress = (lambda n: progress(n, total)) if progress else (lambda _: None)
            for screened in engine.screen(_chain(first, batches), payload, threshold, limit, report):
                results = screened if decorate is None else decorate(screened)
                writer.write(results)
                rows += results.num_rows
                alerts += sum(1 for a in results.column("alerts").to_pylist() if a)
            writer.close()
    except BaseException:
        if partial is not None:
            partial.unlink(missing_ok=True)
        raise
    if partial is not None and out is not None:
        os.replace(partial, out)
    return ScreenSummary(
        engine=engine.name,
        workers=engine.workers,
        partitions=reader.partitions_read,
        rows=rows,
        alerts=alerts,
        seconds=time.perf_counter() - started,
        payload_bytes=payload.size,
        errors=reader.errors,
        warnings=list(getattr(engine, "warnings", [])),
    )


def with_decisions(
    book: DecisionBook, entity_of: Callable[[str], Entity | None]
) -> Callable[[pa.Table], pa.Table]:
    """What ``screen_file`` needs to give every candidate the analysts' latest decision on its pair,
    as ``tamga screen`` does (:func:`tamga.monitor.decisions.annotate`): it runs on the driver, after
    the engine, so the workers need neither the store nor the decisions. A false positive that
    still holds turns the candidate's ``match`` off, and the row's count of alerts follows."""

    def decorate(results: pa.Table) -> pa.Table:
        columns = results.select(["query", "matches"]).to_pydict()
        found, alerts = [], []
        for query, matches in zip(columns["query"], columns["matches"], strict=True):
            if matches == "[]":
                found.append(matches)
                alerts.append(0)
                continue
            listed = annotate(json.loads(matches), json.loads(query)["name"], book, entity_of)
            found.append(json.dumps(listed, ensure_ascii=False))
            alerts.append(sum(1 for m in listed if m["match"]))
        schema = results.schema
        results = results.set_column(
            schema.get_field_index("matches"), schema.field("matches"), pa.array(found, pa.string())
        )
        return results.set_column(
            schema.get_field_index("alerts"), schema.field("alerts"), pa.array(alerts, pa.int32())
        )

    return decorate


def _chain(first: pa.Table | None, rest: Iterator[pa.Table]) -> Iterator[pa.Table]:
    if first is not None:
        yield first
        yield from rest
