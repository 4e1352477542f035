"""Batch screening: a CSV of names in, one JSON line (or CSV rows) of matches per name out.

The input is read and checked in full before any screening, so a bad row stops the run with the
file and line named and no partial output. Screening is a pure function of a chunk of queries
and the read-only index, so chunks run in worker processes that share the index by forking.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any, TextIO

from tamga.match.screener import Match, Query, Screener
from tamga.model import SCHEMATA
from tamga.sources.base import InputFile, ParseError, decode_utf8, strip_bom

ID_COLUMNS = ("case_id", "id")
CHUNK = 500


@dataclass
class Row:
    line: int
    id: str | None
    query: Query


def read_rows(path: Path | InputFile) -> list[Row]:
    """Queries from a CSV with a ``name`` column and optional ``schema``, ``birth_date``,
    ``country``, ``identifier`` (numbers separated by ";") and ``case_id``/``id``; errors name
    the file, line and column. ``path`` may be a file on disk or an upload held in memory."""
    file = path if isinstance(path, InputFile) else InputFile.from_path(path)
    where = file.display
    try:
        data = file.read_bytes()
    except (OSError, EOFError) as exc:  # EOFError: a truncated gzip file
        raise ParseError(where, None, f"cannot read file: {getattr(exc, 'strerror', None) or exc}") from None
    reader = csv.DictReader(io.StringIO(strip_bom(decode_utf8(data, file)), newline=""))
    rows = []
    try:
        columns = [c.strip() for c in reader.fieldnames or []]
        if "name" not in columns:
            raise ParseError(where, "line 1", f"no 'name' column (columns: {', '.join(columns) or 'none'})")
        reader.fieldnames = columns
        id_column = next((c for c in ID_COLUMNS if c in columns), None)
        for record in reader:
            line = reader.line_num
            if None in record:
                raise ParseError(
                    where,
                    f"line {line}",
                    f"{len(columns) + len(record[None])} fields, header has {len(columns)}",
                )
            rows.append(row_from_record(record, id_column, where, f"line {line}", line))
    except csv.Error as exc:  # a NUL byte, an unterminated quote, a field over the size limit
        raise ParseError(where, f"line {reader.line_num}", f"not valid CSV: {exc}") from None
    return rows


def row_from_record(
    record: Mapping[str, str | None], id_column: str | None, where: str, location: str, line: int
) -> Row:
    """One query from the fields of one input record, checked as :func:`read_rows` checks them;
    shared with readers of other formats so that every reader accepts and refuses the same rows."""
    name = (record.get("name") or "").strip()
    if not name:
        raise ParseError(where, location, "field 'name' is empty")
    schema = (record.get("schema") or "").strip() or None
    if schema is not None and schema not in SCHEMATA:
        raise ParseError(where, location, f"field 'schema': {schema!r} is not one of {', '.join(SCHEMATA)}")
    return Row(
        line=line,
        id=((record.get(id_column) or "").strip() or None) if id_column else None,
        query=Query(
            name,
            schema,
            (record.get("birth_date") or "").strip() or None,
            (record.get("country") or "").strip() or None,
            tuple(v.strip() for v in (record.get("identifier") or "").split(";") if v.strip()),
        ),
    )


_worker_screener: Screener | None = None


def _screen_chunk(args: tuple[list[Query], float | None, int]) -> list[list[Match]]:
    queries, threshold, limit = args
    assert _worker_screener is not None
    return [_worker_screener.match(q, threshold=threshold, limit=limit) for q in queries]


def screen_rows(
    screener: Screener, rows: Sequence[Row], threshold: float | None = None, limit: int = 10, workers: int = 1
) -> Iterator[tuple[Row, list[Match]]]:
    """Screen every row, in input order, on ``workers`` processes (forked: the index is shared)."""
    global _worker_screener
    _worker_screener = screener
    chunks = [rows[i : i + CHUNK] for i in range(0, len(rows), CHUNK)]
    jobs = [([r.query for r in chunk], threshold, limit) for chunk in chunks]
    if workers <= 1 or len(chunks) <= 1 or "fork" not in _start_methods():
        for chunk, job in zip(chunks, jobs, strict=True):
            yield from zip(chunk, _screen_chunk(job), strict=True)
        return
    # The index's millions of objects are set aside from the cycle collector first: otherwise
    # every full collection in a worker walks them (copying the pages it touches), and in this
    # process, which takes in every result, collections come often.
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
            for chunk, results in zip(chunks, pool.map(_screen_chunk, jobs), strict=True):
                yield from zip(chunk, results, strict=True)
    finally:
        gc.unfreeze()


def _start_methods() -> list[str]:
    import multiprocessing

    return multiprocessing.get_all_start_methods()


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def result_line(row: Row, matches: list[Match]) -> dict[str, Any]:
    """One JSONL record as DESIGN.md specifies: id, query, and the matches best first."""
    return {"id": row.id, "query": row.query.to_dict(), "matches": [m.to_dict() for m in matches]}


def write_jsonl(
    results: Iterator[tuple[Row, list[Match]]],
    out: TextIO,
    decorate: Callable[[Row, dict[str, Any]], None] | None = None,
) -> int:
    """Write one line per result; ``decorate`` may add to each line first (analysts' decisions)."""
    count = 0
    for row, matches in results:
        line = result_line(row, matches)
        if decorate is not None:
            decorate(row, line)
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
        count += 1
    return count


CSV_COLUMNS = (
    "id", "query_name", "rank", "entity_id", "name", "schema", "score", "match", "matched_name",
    "decision", "decision_stale", "suppressed",
)  # fmt: skip


def csv_records(line: dict[str, Any]) -> list[list[Any]]:
    """The CSV rows of one result line (:func:`result_line`, with analysts' decisions if any were
    added): one per candidate (rank 1 is the best), or one empty row. A candidate an earlier
    false-positive decision turned off says so (``match`` false, ``suppressed`` true), as in JSONL."""
    id_, name = line["id"] or "", line["query"]["name"]
    if not line["matches"]:
        return [[id_, name, "", "", "", "", "", "false", "", "", "", "false"]]
    records = []
    for rank, m in enumerate(line["matches"], start=1):
        decided = m.get("decision")
        records.append([
            id_, name, rank, m["entity_id"], m["name"], m["schema"], f"{m['score']:.4f}",
            "true" if m["match"] else "false", m["explanation"]["matched_name"],
            decided["decision"] if decided else "",
            ("true" if decided["stale"] else "false") if decided else "",
            "true" if m.get("suppressed") else "false",
        ])  # fmt: skip
    return records


def write_csv(
    results: Iterator[tuple[Row, list[Match]]],
    out: TextIO,
    decorate: Callable[[Row, dict[str, Any]], None] | None = None,
) -> int:
    """One row per candidate (rank 1 is the best); a query with no candidate gets one empty row.
    ``decorate`` may add to each result line first, as for :func:`write_jsonl`."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for row, matches in results:
        line = result_line(row, matches)
        if decorate is not None:
            decorate(row, line)
        writer.writerows(csv_records(line))
        count += 1
    return count
