"""``POST /screen``: a CSV of names in, one JSON line (or CSV rows) per name out, streamed.

The same contract as ``tamga screen``: the same input columns, read and checked in full before
any screening (a bad row is a 400 naming the line, and nothing is screened), and the same output
lines, written as each name is screened.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from tamga.api.index import ServedIndex, served_index
from tamga.api.responses import error
from tamga.api.uploads import read_upload, upload_body
from tamga.match.screener import Match
from tamga.monitor.decisions import DecisionBook, annotate
from tamga.screen.batch import CSV_COLUMNS, Row, csv_records, read_rows, result_line, screen_rows
from tamga.sources.base import ParseError

router = APIRouter(tags=["Screening"])

UPLOAD_NAME = "upload.csv"
CSV_BODY = upload_body(
    "A CSV with a `name` column and optional `schema`, `birth_date`, `country`, `identifier` "
    "(numbers separated by `;`) and `case_id` or `id`: as a `text/csv` body, or as the `file` field "
    "of a multipart form."
)


def _lines(
    results: Iterator[tuple[Row, list[Match]]],
    count: Callable[[], None],
    book: DecisionBook,
    served: ServedIndex,
) -> Iterator[dict[str, Any]]:
    for row, matches in results:
        count()
        line = result_line(row, matches)
        annotate(line["matches"], row.query.name, book, served.entity)  # analysts' earlier decisions
        yield line


def _jsonl(lines: Iterator[dict[str, Any]]) -> Iterator[str]:
    for line in lines:
        yield json.dumps(line, ensure_ascii=False) + "\n"


def _csv(lines: Iterator[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for line in lines:
        writer.writerows(csv_records(line))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.getvalue():  # only a header: no rows
        yield buffer.getvalue()


@router.post(
    "/screen",
    summary="Screen a CSV of names (the contract of `tamga screen`), streamed back",
    openapi_extra={"requestBody": CSV_BODY},
    responses={
        200: {
            "description": "One JSON line per input row, in input order (or CSV rows with `format=csv`)",
            "content": {"application/x-ndjson": {}, "text/csv": {}},
        },
        400: {"description": "Bad CSV: the message names the line"},
        413: {"description": "Upload over the size or row limit"},
        503: {"description": "No index served yet"},
    },
)
async def screen(
    request: Request,
    served: Annotated[ServedIndex, Depends(served_index)],
    threshold: Annotated[
        float | None, Query(ge=0.0, le=1.0, description="Score from which a candidate is a match.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="At most this many candidates per name.")] = 10,
    format: Annotated[
        Literal["jsonl", "csv"], Query(description="Output: JSON lines or CSV rows.")
    ] = "jsonl",
) -> Response:
    """Each line: `{"id", "query", "matches": [{"entity_id", "name", "score", "match",
    "explanation", "decision"}]}`, best first, candidates below the threshold down to 0.5 with
    `"match": false`; `decision` is the analysts' latest decision on the pair, and a false positive
    still valid turns `match` off (`"suppressed": true`). CSV rows carry the same in their
    `decision`, `decision_stale` and `suppressed` columns. The whole file is checked before the
    first line is sent."""
    limits = request.app.state.limits
    upload = await read_upload(request, "the CSV", UPLOAD_NAME)
    try:
        rows = await run_in_threadpool(read_rows, upload)
    except ParseError as exc:
        return error(400, str(exc), file=exc.file, location=exc.location)
    if len(rows) > limits.csv_rows:
        raise HTTPException(413, detail=f"{len(rows):,} rows: at most {limits.csv_rows:,} per upload")
    counter = request.app.state.metrics.screened.labels("screen")
    results = screen_rows(served.screener, rows, threshold, limit, workers=1)
    book = await run_in_threadpool(DecisionBook.load, request.app.state.store, [r.query.name for r in rows])
    lines = _lines(results, counter.inc, book, served)
    if format == "csv":
        return StreamingResponse(_csv(lines), media_type="text/csv; charset=utf-8")
    return StreamingResponse(_jsonl(lines), media_type="application/x-ndjson")
