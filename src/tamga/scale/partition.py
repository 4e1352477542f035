"""Batch screening of one partition of queries: the only code that runs on the workers.

Every engine (a local process pool, Dask, Spark) hands a partition of input rows and the read-only
screener to :func:`screen_partition` and gets back output records; none of the matching code knows
which engine runs it. Partitions travel as Arrow tables of :data:`INPUT_SCHEMA`, and results come
back as Arrow tables of :data:`OUTPUT_SCHEMA`, whose JSON columns hold the very text of the
``query`` and ``matches`` fields of the JSONL contract (DESIGN.md), so that every output format and
every engine give the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

import pyarrow as pa

from tamga.match.screener import Query, Screener
from tamga.screen.batch import Row

INPUT_SCHEMA = pa.schema(
    [
        pa.field("line", pa.int64(), nullable=False),  # the input's line (CSV) or row number (Parquet)
        pa.field("id", pa.string()),
        pa.field("name", pa.string(), nullable=False),
        pa.field("schema", pa.string()),
        pa.field("birth_date", pa.string()),
        pa.field("country", pa.string()),
        pa.field("identifiers", pa.list_(pa.string())),
    ]
)

OUTPUT_SCHEMA = pa.schema(
    [
        pa.field("line", pa.int64(), nullable=False),
        pa.field("id", pa.string()),
        pa.field("query", pa.string(), nullable=False),  # JSON object, as in the JSONL output
        pa.field("matches", pa.string(), nullable=False),  # JSON array, best first
        pa.field("alerts", pa.int32(), nullable=False),  # candidates at or above the threshold
    ]
)


def rows_table(rows: Sequence[Row]) -> pa.Table:
    """Input rows as an Arrow table of :data:`INPUT_SCHEMA`."""
    return pa.Table.from_pydict(
        {
            "line": [r.line for r in rows],
            "id": [r.id for r in rows],
            "name": [r.query.name for r in rows],
            "schema": [r.query.schema for r in rows],
            "birth_date": [r.query.birth_date for r in rows],
            "country": [r.query.country for r in rows],
            "identifiers": [list(r.query.identifiers) for r in rows],
        },
        schema=INPUT_SCHEMA,
    )


def table_rows(table: pa.Table | pa.RecordBatch) -> list[Row]:
    """The rows of an Arrow table of :data:`INPUT_SCHEMA`."""
    columns = table.select(INPUT_SCHEMA.names).to_pydict()
    return [
        Row(line, id_, Query(name, schema, birth_date, country, tuple(identifiers or ())))
        for line, id_, name, schema, birth_date, country, identifiers in zip(
            *(columns[name] for name in INPUT_SCHEMA.names), strict=True
        )
    ]


def screen_partition(
    partition: pa.Table | pa.RecordBatch, screener: Screener, threshold: float | None, limit: int
) -> pa.Table:
    """Screen every row of ``partition``, in its order, into records of :data:`OUTPUT_SCHEMA`."""
    lines, ids, queries, matches, alerts = [], [], [], [], []
    for row in table_rows(partition):
        found = screener.match(row.query, threshold=threshold, limit=limit)
        lines.append(row.line)
        ids.append(row.id)
        queries.append(json.dumps(row.query.to_dict(), ensure_ascii=False))
        matches.append(json.dumps([m.to_dict() for m in found], ensure_ascii=False))
        alerts.append(sum(m.match for m in found))
    return pa.Table.from_pydict(
        {"line": lines, "id": ids, "query": queries, "matches": matches, "alerts": alerts},
        schema=OUTPUT_SCHEMA,
    )


def jsonl_lines(results: pa.Table | pa.RecordBatch) -> Iterable[str]:
    """The JSONL lines of output records: ``{"id": …, "query": {…}, "matches": […]}``, the same text
    as :func:`tamga.screen.batch.write_jsonl` writes for the same rows."""
    columns = results.select(["id", "query", "matches"]).to_pydict()
    for id_, query, found in zip(columns["id"], columns["query"], columns["matches"], strict=True):
        yield f'{{"id": {json.dumps(id_, ensure_ascii=False)}, "query": {query}, "matches": {found}}}\n'
