"""``POST /portfolio``: a holdings file (CSV or XLSX) in, the portfolio report out.

The same screening as ``tamga portfolio`` (:func:`tamga.screen.portfolio.screen_portfolio`), against
the index the server holds, with the same auth and upload limits as ``POST /screen``. The report
is the JSON contract, or the HTML page, CSV or XLSX of ``tamga portfolio --out``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from tamga.api.index import ServedIndex, served_index
from tamga.api.responses import Json, error
from tamga.api.uploads import read_upload, upload_body
from tamga.screen.portfolio import RowLimit, screen_portfolio
from tamga.screen.portfolio_report import MEDIA_TYPES, render
from tamga.sources.base import ParseError

router = APIRouter(tags=["Portfolio"])

XLSX_TYPE = MEDIA_TYPES["xlsx"]
HOLDINGS_BODY = upload_body(
    "Holdings as CSV or XLSX, with columns found by their header: an identifier (`isin`, `cusip`, "
    "`sedol`, `figi`, `lei`, `ticker`) and/or an issuer `name`, and optionally `market_value`, "
    "`quantity` and `price`, `weight`, `currency`. As the body (`text/csv` or the XLSX media type) or "
    "as the `file` field of a multipart form.",
    XLSX_TYPE,
)


@router.post(
    "/portfolio",
    summary="Screen a fund's holdings (the contract of `tamga portfolio`)",
    openapi_extra={"requestBody": HOLDINGS_BODY},
    responses={
        200: {
            "description": "The report: JSON (`{holdings, summary, lists}`), or HTML, CSV or XLSX",
            "content": {"application/json": {}, "text/html": {}, "text/csv": {}, XLSX_TYPE: {}},
        },
        400: {"description": "Unreadable file or no usable column: the message names file and row"},
        413: {"description": "Upload over the size or row limit"},
        503: {"description": "No index served yet"},
    },
)
async def portfolio(
    request: Request,
    served: Annotated[ServedIndex, Depends(served_index)],
    threshold: Annotated[
        float | None, Query(ge=0.0, le=1.0, description="Score from which an issuer name is a match.")
    ] = None,
    format: Annotated[
        Literal["json", "html", "csv", "xlsx"], Query(description="The report's format.")
    ] = "json",
) -> Response:
    """Each holding is matched by identifier, then by issuer name, then through the relations the
    lists print, and given a status: `prohibited`, `sanctioned`, `restricted`, `clear` or `error`.
    The summary gives the total and flagged value and share, by status, list and jurisdiction."""
    limits = request.app.state.limits
    content_type = request.headers.get("content-type", "")
    body_name = "holdings.xlsx" if content_type.startswith(XLSX_TYPE) else "holdings.csv"
    upload = await read_upload(request, "the holdings", body_name)
    try:
        report = await run_in_threadpool(
            screen_portfolio,
            upload,
            served.screener,
            threshold=threshold,
            snapshots=served.snapshots,
            max_rows=limits.csv_rows,
        )
    except ParseError as exc:
        return error(400, str(exc), file=exc.file, location=exc.location)
    except RowLimit as exc:
        raise HTTPException(
            413, detail=f"{exc.rows:,} rows: at most {limits.csv_rows:,} per upload"
        ) from None
    request.app.state.metrics.screened.labels("portfolio").inc(len(report.holdings))
    if format == "json":
        return Json(report.to_dict())
    body = await run_in_threadpool(render, report, format)
    headers = {}
    if format in ("csv", "xlsx"):
        headers["Content-Disposition"] = f'attachment; filename="portfolio-report.{format}"'
    return Response(body, media_type=MEDIA_TYPES[format], headers=headers)
